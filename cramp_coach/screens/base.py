"""Screens that know their app: ``self.cc`` is the :class:`~cramp_coach.app.CrampCoachApp`, typed.

Textual types ``Screen.app`` as any ``App``; these bases give mypy the real class, so a screen's use
of ``services`` or ``diary_job`` is checked. ``on_result`` wraps a dialog's callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import events
from textual.app import App
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from cramp_coach.app import CrampCoachApp

Result = TypeVar("Result")
Value = TypeVar("Value")


def on_result(action: Callable[[Value], object]) -> Callable[[Value | None], None]:
    """A dialog's dismiss callback that runs ``action`` only with a result (a value, a yes), not
    when the dialog was cancelled."""

    def callback(result: Value | None) -> None:
        if result:
            action(result)

    return callback


def app_css_generation(app: App[object]) -> int:
    """A count the app raises whenever its CSS is to be refreshed (a theme change, say)."""
    return app._css_update_count


class CoachScreen(Screen[Result]):
    """A full screen of cramp coach."""

    LEFT_WHEN_AWAY: ClassVar[bool] = False
    """A view only to read (stats, insights, sources, red flags): closed when the person goes to
    another part of the app, so coming back to this part shows the part itself, not the view."""

    @property
    def cc(self) -> CrampCoachApp:
        """This screen's app, as cramp coach's own class."""
        return cast("CrampCoachApp", self.app)

    _styled_with: int | None = None  # the app's CSS generation this screen's widgets were styled with

    def _post_register(self, app: App[object]) -> None:
        super()._post_register(app)
        self._styled_with = app_css_generation(app)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual restyles every widget of a screen each time it resumes. The first time, the
        widgets have just been styled as they were mounted, after the screen's own stylesheet was
        read: unless the theme or CSS changed since, restyling them gives the same styles again
        (2-3 ms at relief's start), so only the screen itself is restyled (it was registered before
        its stylesheet was read). A test checks that a full restyle would change nothing."""
        styled_with, self._styled_with = self._styled_with, None
        if styled_with is not None and styled_with == app_css_generation(self.app):
            self.app.stylesheet.update_nodes([self], animate=False)
            event.refresh_styles = False

    def ready_for_keys(self) -> bool:
        """False while keys typed ahead should wait (a screen still reading what its keys act on)."""
        return True


class CoachModal(ModalScreen[Result]):
    """A dialog of cramp coach."""

    @property
    def cc(self) -> CrampCoachApp:
        """This dialog's app, as cramp coach's own class."""
        return cast("CrampCoachApp", self.app)
