"""The Textual application: modes for the parts of cramp_coach, global keys, and the factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from cramp_coach.services import Services, default_services

if TYPE_CHECKING:
    from cramp_coach.core.storage import StorageError


def _home_screen() -> Screen:
    from cramp_coach.screens.home import HomeScreen  # built only when the person goes home

    return HomeScreen()


def _diary_screen() -> Screen:
    from cramp_coach.screens.diary import DiaryScreen

    return DiaryScreen()


def _checklist_screen() -> Screen:
    from cramp_coach.screens.checklist import ChecklistScreen

    return ChecklistScreen()


@dataclass(frozen=True)
class ReliefRequest:
    """Start straight in a relief routine (``cramp-coach relief``)."""

    muscle: str = "calf"
    side: str | None = None


class CrampCoachApp(App[None]):
    """cramp_coach: live relief for a cramp now, and a way back home."""

    CSS_PATH = "app.tcss"
    TITLE = "cramp coach"
    MODES = {"home": _home_screen, "diary": _diary_screen, "checklist": _checklist_screen}
    DEFAULT_MODE = "home"
    BINDINGS = [
        Binding("ctrl+q", "quit", "quit", show=False, priority=True),
        Binding("f1", "switch_mode('home')", "home", show=False),
        Binding("f2", "switch_mode('checklist')", "bedtime checklist", show=False),
        Binding("f3", "switch_mode('diary')", "diary", show=False),
    ]

    def __init__(self, services: Services, relief: ReliefRequest | None = None, start_mode: str | None = None) -> None:
        if relief is not None:
            # Straight into the routine: the relief screen is the first screen, and home is built
            # only when the person goes there, so the countdown appears as fast as possible.
            self.DEFAULT_MODE = "relief"
        elif start_mode is not None:
            self.DEFAULT_MODE = start_mode
        super().__init__()
        self.services = services
        if relief is not None:
            self.add_mode("relief", lambda: self._relief_screen(relief.muscle, relief.side))
        self.last_run = None  # the most recent finished relief run (RunSummary), for the diary

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_warnings)  # after the first frame: it reads the routine files

    def _show_warnings(self) -> None:
        for warning in self.services.warnings:
            self.notify(warning, title="Left out", severity="warning", timeout=12)

    @staticmethod
    def _relief_screen(muscle: str, side: str | None) -> Screen:
        from cramp_coach.screens.relief import ReliefScreen

        return ReliefScreen(muscle=muscle, side=side)

    def start_relief(self, muscle: str = "calf", side: str | None = None) -> None:
        """Open the guided relief routine for ``muscle``."""
        self.push_screen(self._relief_screen(muscle, side))

    def close_relief(self, screen: Screen) -> None:
        """Leave a finished relief screen: back to where it was opened from, or home."""
        if self.current_mode == "relief":
            self.switch_mode("home")
        else:
            screen.dismiss()

    def save_relief(self, request) -> None:
        """Save a finished relief run the person chose to keep, off the event loop."""
        self.last_run = request.summary
        cramp = request.summary.to_cramp(side=request.side, intensity=request.intensity, note=request.note)
        self._save_cramp(cramp)

    @work(thread=True, exclusive=False, group="diary-writes")
    def _save_cramp(self, cramp) -> None:
        from cramp_coach.core.storage import StorageError

        try:
            self.services.diary().add_cramp(cramp)
        except StorageError as error:
            self.call_from_thread(self.diary_problem, error, lambda: self._save_cramp(cramp))
            return
        self.call_from_thread(self.notify, "Saved to your diary", timeout=4)

    def diary_problem(self, error: StorageError, retry: Callable[[], object] | None = None) -> None:
        """Say what is wrong with the diary file; offer to move an unreadable one aside, then retry."""
        from cramp_coach.core.storage import CorruptFileError

        if isinstance(error, CorruptFileError):
            from cramp_coach.screens.dialogs import MoveAsideScreen

            def moved(done: bool | None) -> None:
                if done and retry is not None:
                    retry()

            self.push_screen(MoveAsideScreen(error), moved)
        else:
            self.notify(str(error), title="Diary problem", severity="error", timeout=15)

    def ring_bell(self) -> None:
        """A terminal bell, unless the user turned it off."""
        if self.services.bell:
            self.bell()


def make_app(
    home: Path | None = None,
    *,
    services: Services | None = None,
    relief: ReliefRequest | None = None,
    bell: bool = True,
    start_mode: str | None = None,
) -> CrampCoachApp:
    """Build the app around a data folder (or ready-made services, as tests do)."""
    return CrampCoachApp(services or default_services(home, bell=bell), relief=relief, start_mode=start_mode)
