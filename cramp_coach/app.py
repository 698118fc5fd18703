"""The Textual application: modes for the parts of cramp_coach, global keys, and the factory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from cramp_coach.services import Services, default_services


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

    # The timer screens' styles load with the app, so opening relief costs no stylesheet re-parse.
    CSS_PATH = ["app.tcss", "screens/guided.tcss", "screens/relief.tcss"]
    TITLE = "cramp coach"
    MODES = {"home": _home_screen, "diary": _diary_screen, "checklist": _checklist_screen}
    DEFAULT_MODE = "home"
    BINDINGS = [
        Binding("ctrl+q", "quit", "quit", show=False, priority=True),
        Binding("exclamation_mark", "red_flags", "red flags", show=False),
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
        from cramp_coach.core.settings import THEME_NAMES
        from cramp_coach.themes import THEMES

        for theme in THEMES:
            self.register_theme(theme)
        # Set before the first stylesheet parse, without the watcher's extra re-parse (all our themes are dark).
        self.set_reactive(App.theme, THEME_NAMES[services.theme_now()])
        if relief is not None:
            self.add_mode("relief", lambda: self._relief_screen(relief.muscle, relief.side))
        self.last_run = None  # the most recent finished relief run (RunSummary), for the diary

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_warnings)  # after the first frame: it reads the routine files

    def _show_warnings(self) -> None:
        """Left-out files and bad settings, as toasts, except where they are listed already.

        Never over the relief countdown: the summary after the routine lists them, as home does.
        """
        from cramp_coach.screens.guided import GuidedRoutineScreen
        from cramp_coach.screens.home import HomeScreen
        from cramp_coach.widgets.safe import plain

        if isinstance(self.screen, (GuidedRoutineScreen, HomeScreen)) or self.current_mode == "relief":
            return
        for warning in self.services.warnings:
            self.notify(plain(warning), title="Left out or not used", severity="warning", timeout=12, markup=False)

    @staticmethod
    def _relief_screen(muscle: str, side: str | None, triage: tuple[str, ...] = ()) -> Screen:
        from cramp_coach.screens.relief import ReliefScreen

        return ReliefScreen(muscle=muscle, side=side, triage=triage)

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
        """Save a finished relief run the person chose to keep (its cramp was validated on the summary)."""
        self.last_run = request.summary
        cramp = request.cramp or request.summary.to_cramp(
            side=request.side, intensity=request.intensity, note=request.note, triage=request.triage
        )
        self.save_cramp(cramp)

    def save_cramp(self, cramp, what: str = "your cramp") -> None:
        """Add ``cramp`` to the diary, off the UI thread; a failure keeps it and asks what to do."""
        from cramp_coach.screens.diary_writes import DiaryJob

        self.diary_job(
            DiaryJob(
                run=lambda: self.services.diary().add_cramp(cramp),
                done=lambda _: self.notify("Saved to your diary", timeout=4),
                what=what,
                pending=cramp,
            )
        )

    def diary_job(self, job) -> None:
        """Run one diary read or write the one safe way (see ``screens.diary_writes``)."""
        from cramp_coach.screens.diary_writes import run_job

        run_job(self, job)

    # -- safety, sources, settings: reachable from anywhere -------------------------------------------
    def action_red_flags(self) -> None:
        """Show the red-flag signs: when to get medical help."""
        from cramp_coach.screens.safety import RedFlagsScreen

        if not isinstance(self.screen, RedFlagsScreen):
            self.push_screen(RedFlagsScreen())

    def action_sources(self) -> None:
        """Show where every piece of guidance comes from."""
        from cramp_coach.screens.safety import SourcesScreen

        if not isinstance(self.screen, SourcesScreen):
            self.push_screen(SourcesScreen())

    def action_settings(self) -> None:
        """Open the settings."""
        from cramp_coach.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_triage(self, during_relief: bool = False) -> None:
        """Ask "is this a cramp?" and act on the answer."""
        from cramp_coach.screens.safety import TriageScreen

        self.push_screen(TriageScreen(), lambda result: self.after_triage(result, during_relief))

    def after_triage(self, result: tuple[str, tuple[str, ...]] | None, during_relief: bool = False) -> None:
        """Start relief, log a not-a-cramp entry, or show the red flags, as the answers say."""
        if result is None:
            return
        outcome, answers = result
        relief = self.screen if during_relief else None
        if outcome == "relief":
            if relief is not None:
                relief.triage = answers  # type: ignore[attr-defined]
            else:
                self.push_screen(self._relief_screen("calf", None, answers))
        elif outcome == "redflag":
            self.action_red_flags()
        else:
            self.log_not_a_cramp(outcome, answers)
            if relief is not None:
                relief.run.finish(gone=False)  # type: ignore[attr-defined]
                self.close_relief(relief)  # type: ignore[arg-type]

    def log_not_a_cramp(self, outcome: str, answers: tuple[str, ...]) -> None:
        """Keep a diary entry for what the questions said was not a typical cramp."""
        from cramp_coach.core.models import cramp_from_dict

        tag = "restless legs?" if outcome == "restless" else "not a typical cramp"
        entry = cramp_from_dict(
            {"started_at": self.services.wall_clock(), "muscle": "other", "tags": [tag], "triage": list(answers),
             "note": "Logged after the 'is this a cramp?' questions; worth mentioning to a clinician."}
        )
        self.save_cramp(entry, what="the entry for what the questions found")

    def get_system_commands(self, screen: Screen):
        """Every action of the app in the command palette."""
        from textual.app import SystemCommand

        yield from super().get_system_commands(screen)
        yield SystemCommand("Cramp now", "Start the relief routine for a calf cramp", lambda: self.start_relief("calf"))
        yield SystemCommand("Is this a cramp?", "A few yes/no questions", self.action_triage)
        yield SystemCommand("Red flags", "When to get medical help", self.action_red_flags)
        yield SystemCommand("Bedtime checklist", "Tonight's prevention checklist", lambda: self.switch_mode("checklist"))
        yield SystemCommand("Diary", "History, filters, stats", lambda: self.switch_mode("diary"))
        yield SystemCommand("Home", "The home screen", lambda: self.switch_mode("home"))
        yield SystemCommand("Sources", "Where every piece of advice comes from", self.action_sources)
        yield SystemCommand("Settings", "Theme, bell, night hours, step durations", self.action_settings)

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
