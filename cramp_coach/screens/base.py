"""Screens that know their app: ``self.cc`` is the :class:`~cramp_coach.app.CrampCoachApp`, typed.

Textual types ``Screen.app`` as any ``App``; these bases give mypy the real class, so a screen's use
of ``services`` or ``diary_job`` is checked. ``on_result`` wraps a dialog's callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

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


class CoachScreen(Screen[Result]):
    """A full screen of cramp coach."""

    @property
    def cc(self) -> CrampCoachApp:
        """This screen's app, as cramp coach's own class."""
        return cast("CrampCoachApp", self.app)

    def after_paint(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once this screen is on the glass. ``call_after_refresh`` alone runs it
        at once while the app is still starting (inside Textual's start-up batch, before anything
        is painted): slow work started there, such as reading the diary, delays the first frame."""

        def when_painted() -> None:
            if self.app._batch_count or not self.app._running:  # still starting: nothing painted yet
                self.set_timer(0.002, when_painted)  # (an after-refresh callback would be dropped now)
            else:
                self.call_after_refresh(callback)

        when_painted()


class CoachModal(ModalScreen[Result]):
    """A dialog of cramp coach."""

    @property
    def cc(self) -> CrampCoachApp:
        """This dialog's app, as cramp coach's own class."""
        return cast("CrampCoachApp", self.app)
