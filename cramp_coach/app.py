"""The Textual application: modes for the parts of cramp_coach, global keys, and the factory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from cramp_coach.screens.home import HomeScreen
from cramp_coach.screens.relief import ReliefScreen
from cramp_coach.services import Services, default_services


@dataclass(frozen=True)
class ReliefRequest:
    """Start straight in a relief routine (``cramp-coach relief``)."""

    muscle: str = "calf"
    side: str | None = None


class CrampCoachApp(App[None]):
    """cramp_coach: live relief for a cramp now, and a way back home."""

    CSS_PATH = "app.tcss"
    TITLE = "cramp coach"
    MODES = {"home": HomeScreen}
    DEFAULT_MODE = "home"
    BINDINGS = [Binding("ctrl+q", "quit", "quit", show=False, priority=True)]

    def __init__(self, services: Services, relief: ReliefRequest | None = None) -> None:
        super().__init__()
        self.services = services
        self._relief_request = relief
        self.last_run = None  # the most recent finished relief run (RunSummary), for the diary

    def on_mount(self) -> None:
        for warning in self.services.warnings:
            self.notify(warning, title="Left out", severity="warning", timeout=12)
        if self._relief_request is not None:
            request, self._relief_request = self._relief_request, None
            self.start_relief(request.muscle, request.side)

    def start_relief(self, muscle: str = "calf", side: str | None = None) -> None:
        """Open the guided relief routine for ``muscle``."""
        self.push_screen(ReliefScreen(muscle=muscle, side=side))

    def save_relief(self, request) -> None:
        """Keep a finished relief run the person chose to save."""
        self.last_run = request.summary
        self.notify("Kept for the diary", timeout=3)

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
) -> CrampCoachApp:
    """Build the app around a data folder (or ready-made services, as tests do)."""
    return CrampCoachApp(services or default_services(home, bell=bell), relief=relief)
