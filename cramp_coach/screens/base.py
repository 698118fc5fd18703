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

    def ready_for_keys(self) -> bool:
        """False while keys typed ahead should wait (a screen still reading what its keys act on)."""
        return True


class CoachModal(ModalScreen[Result]):
    """A dialog of cramp coach."""

    @property
    def cc(self) -> CrampCoachApp:
        """This dialog's app, as cramp coach's own class."""
        return cast("CrampCoachApp", self.app)
