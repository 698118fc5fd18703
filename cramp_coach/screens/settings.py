"""The settings screen: theme, bell, night hours and relief step durations, saved to config.toml."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.content import Content
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from cramp_coach.core.content import load_library
from cramp_coach.core.settings import CONFIG_FILE, THEME_NAMES, THEMES, Settings, parse_settings, save_settings, settings_text
from cramp_coach.widgets.safe import literal


class SettingsScreen(Screen[None]):
    """Edit config.toml; a value that is not allowed is named with what is allowed, and nothing is saved."""

    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "save"),
        Binding("escape", "app.pop_screen", "back"),
    ]

    def compose(self) -> ComposeResult:
        settings = self.app.services.settings
        bundled = load_library()  # the routines' own durations, to show beside the user's
        with VerticalScroll(id="settings-body"):
            yield Static(Content.assemble(("Settings", "bold"), " · saved in ", literal(self.app.services.home / CONFIG_FILE)), id="settings-title")
            with Horizontal(classes="setting"):
                yield Label("Theme", classes="setting-label")
                yield Select([(t, t) for t in THEMES], value=settings.theme, allow_blank=False, id="set-theme")
            with Horizontal(classes="setting"):
                yield Label("Bell at each step", classes="setting-label")
                yield Switch(value=settings.bell, id="set-bell")
            with Horizontal(classes="setting"):
                yield Label("Night from / to", classes="setting-label")
                yield Input(value=settings.night_start.strftime("%H:%M"), id="set-night-start", classes="time")
                yield Input(value=settings.night_end.strftime("%H:%M"), id="set-night-end", classes="time")
            yield Static("[b]Relief step durations[/b] (seconds, 5 to 600; blank = the routine's own)", id="durations-title")
            for routine in bundled.routines.values():
                yield Label(literal(routine.title), classes="routine-title")
                for step in routine.steps:
                    with Horizontal(classes="setting"):
                        yield Label(literal(step.title), classes="setting-label")
                        value = settings.durations.get(step.id)
                        yield Input(value="" if value is None else str(value), placeholder=str(step.seconds), id=f"dur-{step.id}", classes="seconds")
            yield Static("", id="settings-error")
            yield Button("Save  ctrl+s", id="save", variant="primary")
        yield Footer()

    def on_button_pressed(self) -> None:
        self.action_save()

    def _collected(self) -> Settings:
        durations = {}
        for field in self.query("Input.seconds").results(Input):
            text = field.value.strip()
            if text:
                step_id = (field.id or "")[4:]
                durations[step_id] = int(text) if text.isdigit() else text
        theme = self.query_one("#set-theme", Select).value
        draft = Settings(
            theme=theme if isinstance(theme, str) else "auto",
            bell=self.query_one("#set-bell", Switch).value,
        )
        text = settings_text(replace(draft, durations={}))
        text = text.replace(f'night_start = "{draft.night_start.strftime("%H:%M")}"', f'night_start = "{self.query_one("#set-night-start", Input).value.strip()}"')
        text = text.replace(f'night_end = "{draft.night_end.strftime("%H:%M")}"', f'night_end = "{self.query_one("#set-night-end", Input).value.strip()}"')
        text += "".join(f'"{k}" = {v if isinstance(v, int) else repr(v)}\n' for k, v in durations.items())
        settings, problems = parse_settings(text, Path(CONFIG_FILE))
        if problems:
            raise ValueError("; ".join(problem.split(": ", 1)[1].split("; using")[0] for problem in problems))
        return settings

    def action_save(self) -> None:
        """Check every value, then save and apply them."""
        try:
            settings = self._collected()
        except ValueError as error:
            self.query_one("#settings-error", Static).update(Content.assemble(("Not saved:", "bold"), " ", literal(error)))
            return
        services = self.app.services
        try:
            save_settings(services.home, settings)
        except OSError as error:
            self.query_one("#settings-error", Static).update(
                Content.assemble(("Not saved:", "bold"), " ", literal(f"{services.home / CONFIG_FILE}: {error}"))
            )
            return
        services.settings = settings
        services.bell = settings.bell
        services.reload_library()
        self.app.theme = THEME_NAMES[services.theme_now()]
        self.query_one("#settings-error", Static).update("")
        self.notify("Settings saved", timeout=3)
