"""The Textual application: modes for the parts of cramp_coach, app-wide keys, and the factory.

``cramp-coach relief`` opens the relief screen as the app's first (default) screen, so no mode is
added at start-up and the stylesheets are parsed once; the other parts open in their mode, with
their own stylesheet read with the app's (``START_STYLESHEETS``), so Textual parses every
stylesheet once more before the first frame, not twice. The app's actions are declared once, in
:mod:`cramp_coach.commands`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from cramp_coach.commands import COMMANDS, app_bindings
from cramp_coach.core.record import record
from cramp_coach.services import Services, default_services
from cramp_coach.stylesheets import keep_parsed_stylesheets
from cramp_coach.typeahead import TypeAheadApp

if TYPE_CHECKING:
    from cramp_coach.screens.diary_writes import DiaryJob
    from cramp_coach.screens.relief import ReliefResult


def _home_screen() -> Screen[Any]:
    from cramp_coach.screens.home import HomeScreen  # built only when the person goes home

    return HomeScreen()


def _diary_screen() -> Screen[Any]:
    from cramp_coach.screens.diary import DiaryScreen

    return DiaryScreen()


def _checklist_screen() -> Screen[Any]:
    from cramp_coach.screens.checklist import ChecklistScreen

    return ChecklistScreen()


_COMMAND_ACTIONS = frozenset(command.action for command in COMMANDS)
keep_parsed_stylesheets()  # Textual re-parses every stylesheet on each CSS refresh; once per theme is enough


@record
class ReliefRequest:
    """Start straight in a relief routine (``cramp-coach relief``)."""

    muscle: str = "calf"
    side: str | None = None


RELIEF_STYLESHEETS: list[str | PurePath] = ["app.tcss", "screens/guided.tcss", "screens/relief.tcss"]
# What the app reads at start, by the part it opens on: that screen's own stylesheet, and relief's
# wherever relief is one key away (home), so opening it costs no stylesheet re-parse either.
START_STYLESHEETS: dict[str, list[str | PurePath]] = {
    "relief": RELIEF_STYLESHEETS,
    "home": [*RELIEF_STYLESHEETS, "screens/home.tcss"],
    "diary": ["app.tcss", "screens/diary.tcss"],
    "checklist": ["app.tcss", "screens/checklist.tcss"],
}


class CrampCoachApp(TypeAheadApp):
    """cramp_coach: live relief for a cramp now, and a way back home."""

    CSS_PATH = RELIEF_STYLESHEETS
    TITLE = "cramp coach"
    MODES = {"home": _home_screen, "diary": _diary_screen, "checklist": _checklist_screen}
    DEFAULT_MODE = "home"
    BINDINGS = app_bindings()
    THEME_CHECK_SECONDS = 60.0  # how often an "auto" theme looks at the clock while the app is open
    _themes_registered = False

    def __init__(self, services: Services, relief: ReliefRequest | None = None, start_mode: str | None = None) -> None:
        self._relief_request = relief
        # Textual opens the mode named by DEFAULT_MODE; "_default" is its first stack, whose screen
        # is get_default_screen() (relief). Set on this instance only, before Textual reads it.
        if relief is not None:
            setattr(self, "DEFAULT_MODE", "_default")  # noqa: B010 - a class variable to Textual, set per app here
        elif start_mode is not None:
            setattr(self, "DEFAULT_MODE", start_mode)  # noqa: B010
        start = "relief" if relief is not None else (start_mode or self.DEFAULT_MODE)
        self.services = services  # before Textual's __init__, which makes the stylesheet in our theme
        super().__init__(css_path=START_STYLESHEETS.get(start, RELIEF_STYLESHEETS))

    def get_css_variables(self) -> dict[str, str]:
        if not self._themes_registered:
            # First asked by Textual's __init__, for its stylesheet: our themes, and the one for now, are
            # set first (without the theme watcher's extra re-parse; all our themes are dark).
            from cramp_coach.themes import THEME_NAMES, THEMES

            self._themes_registered = True
            for theme in THEMES:
                self.register_theme(theme)
            self.set_reactive(App.theme, THEME_NAMES[self.services.theme_now()])
        return super().get_css_variables()

    def get_default_screen(self) -> Screen[Any]:
        if self._relief_request is None:
            return super().get_default_screen()
        from cramp_coach.screens.relief import ReliefScreen

        return ReliefScreen(muscle=self._relief_request.muscle, side=self._relief_request.side)

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)
        self.set_interval(self.THEME_CHECK_SECONDS, self.follow_the_clock, name="theme-clock")

    async def action_quit(self) -> None:
        """ctrl+q (or q on home): during a relief routine, or with a cramp not yet saved, ask first."""
        from cramp_coach.core.routine import Phase
        from cramp_coach.screens.relief import QUIT, ReliefScreen
        from cramp_coach.screens.summary import SummaryScreen

        screen = self.screen
        if isinstance(screen, ReliefScreen) and screen.run is not None and screen.run.phase is not Phase.FINISHED:
            screen.leave_for(QUIT)
        elif isinstance(screen, SummaryScreen) and not screen.saving:
            screen.ask_before_leaving(then=self.exit)
        else:
            await super().action_quit()

    def _after_first_frame(self) -> None:
        # `cramp-coach` turns collection off while it starts (start-up makes many objects and frees
        # few); it comes back on here, with what start-up made frozen out of later collections.
        gc.freeze()
        gc.enable()
        self._show_warnings()

    def follow_the_clock(self) -> None:
        """An "auto" theme dims at the night hours (and brightens after) while the app stays open."""
        from cramp_coach.themes import THEME_NAMES

        wanted = THEME_NAMES[self.services.theme_now()]
        if wanted != self.theme:
            self.theme = wanted

    def _show_warnings(self) -> None:
        """Left-out files and bad settings, as toasts, except where a screen lists them itself.

        Never over the relief countdown: the summary after the routine lists them, as home does.
        """
        if getattr(self.screen, "LISTS_WARNINGS", False):
            return
        from cramp_coach.widgets.safe import plain

        for warning in self.services.warnings:
            self.notify(plain(warning), title="Left out or not used", severity="warning", timeout=12, markup=False)

    # -- relief -------------------------------------------------------------------------------------
    def open_relief(
        self, muscle: str = "calf", side: str | None = None, triage: tuple[str, ...] = (),
        then: Callable[[ReliefResult | None], None] | None = None,
    ) -> None:
        """Open the guided relief routine for ``muscle``; ``then`` hears how it ended."""
        from cramp_coach.screens.relief import ReliefScreen

        self.push_screen(ReliefScreen(muscle=muscle, side=side, triage=triage), then)

    def action_cramp_now(self) -> None:
        """Start the relief routine for a calf cramp, from anywhere."""
        self.open_relief("calf")

    def diary_job(self, job: DiaryJob) -> None:
        """Run one diary read or write the one safe way (see ``screens.diary_writes``)."""
        from cramp_coach.screens.diary_writes import run_job

        run_job(self, job)

    def ring_bell(self) -> None:
        """A terminal bell, unless the person turned it off."""
        if self.services.bell:
            self.bell()

    # -- safety, sources, settings, the other parts: reachable from anywhere --------------------------
    def action_go(self, mode: str) -> None:
        """Go to home, the bedtime checklist or the diary (a running routine asks first)."""
        while len(self.screen_stack) > 1 and getattr(self.screen, "LEFT_WHEN_AWAY", False):
            self.pop_screen()  # (stats, insights...: coming back here shows this part itself)
        leave_for = getattr(self.screen, "leave_for", None)  # a screen that must not be dropped silently
        if callable(leave_for):
            leave_for(mode)
        else:
            self.switch_mode(mode)

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

    def action_triage(self) -> None:
        """Ask "is this a cramp?" and act on the answer."""
        from cramp_coach.screens.safety import TriageScreen

        self.push_screen(TriageScreen(), self._triage_answered)

    def _triage_answered(self, answer: tuple[str, tuple[str, ...]] | None) -> None:
        """Start relief, show the red flags, or log what was not a typical cramp, as the answers say."""
        if answer is None:
            return
        outcome, answers = answer
        if outcome == "relief":
            self.open_relief("calf", triage=answers)
        elif outcome == "redflag":
            self.action_red_flags()
        else:
            from cramp_coach.screens.diary_writes import save_cramp
            from cramp_coach.screens.safety import not_a_cramp_entry

            save_cramp(self, not_a_cramp_entry(outcome, answers, self.services.wall_clock()), "the entry for what the questions found")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action in the command palette: the app's (from the one command table), then the
        screen's own keys by name, each once. Left out of Textual's own: the theme picker (its
        bright themes are not for the night), the keys panel (it squeezes the screen to 28 columns
        and escape does not close it; the footer and this palette list the keys) and the screenshot
        (a picture of someone's diary, written to the working folder)."""
        for system in super().get_system_commands(screen):
            if system.title not in ("Theme", "Keys", "Screenshot"):
                yield system
        titles: set[str] = set()
        for command in COMMANDS:
            titles.add(command.title)
            if command.action != "quit":  # Textual's own "Quit" is already there
                yield SystemCommand(command.title, command.help, lambda action=command.action: self.call_later(self.run_action, action))
        yield from self._screen_commands(screen, titles)

    def _screen_commands(self, screen: Screen[Any], taken: set[str]) -> Iterable[SystemCommand]:
        """The screen's own actions (its bindings with a description), each under its key."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is not screen or not binding.description or binding.action in seen or not active.enabled:
                continue
            if binding.action.removeprefix("app.") in _COMMAND_ACTIONS:
                continue  # listed once already, under the app's own name for it
            if binding.action.startswith(("focus_", "app.focus", "copy", "app.copy", "maximize")):
                continue  # Textual's own housekeeping keys
            seen.add(binding.action)
            title = binding.description[0].upper() + binding.description[1:]
            if title in taken:
                continue
            shown_key = self.get_key_display(binding)
            yield SystemCommand(
                title, f"{type(screen).__name__.removesuffix('Screen')} · key {shown_key}",
                lambda action=binding.action: self.call_later(screen.run_action, action),
            )


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
