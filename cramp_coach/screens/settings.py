"""The settings screen: theme, bell, night hours, emergency number and relief step durations, saved to
config.toml.

Values are checked by ``core.settings.validate_settings`` (the same rules as the file); a value that
is not allowed is named at its own field with what is allowed, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, Switch

from cramp_coach.core.settings import CONFIG_FILE, THEMES, SettingProblem, Settings, save_settings, validate_settings
from cramp_coach.screens.base import CoachScreen
from cramp_coach.themes import THEME_NAMES
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.keyline import fit_to_size
from cramp_coach.widgets.safe import labelled, literal


class SettingsScreen(CoachScreen[None]):
    """Edit config.toml; a value that is not allowed is named at its field, and nothing is saved."""

    CSS_PATH = "settings.tcss"
    AUTO_FOCUS = "#set-theme"  # the first setting: Tab then goes on to the bell, space toggles it
    BINDINGS = [
        Binding("escape", "leave", "back"),
        Binding("ctrl+s", "save", "save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._fields: dict[str, Widget] = {}  # setting key -> the field that holds it
        self._problems: dict[str, Static] = {}  # setting key -> the line beneath its field

    def _problem_line(self, key: str) -> Static:
        self._problems[key] = Static("", classes="field-problem")
        return self._problems[key]

    def on_switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id == "set-bell":
            self.query_one("#bell-state", Label).update("on" if event.value else "off")

    def _field(self, key: str, widget: Widget) -> Widget:
        self._fields[key] = widget
        return widget

    def compose(self) -> ComposeResult:
        services = self.cc.services
        settings = services.settings
        with VerticalScroll(id="settings-body"):
            yield Static(Content.assemble(("Settings", "bold"), " · kept in ", literal(services.home / CONFIG_FILE), " (ctrl+s saves)"), id="settings-title")
            yield Static("", id="settings-error")
            with Horizontal(classes="setting"):
                yield Label("Theme", classes="setting-label")
                yield self._field("theme", Select([(t, t) for t in THEMES], value=settings.theme, allow_blank=False, id="set-theme"))
            with Horizontal(classes="setting"):
                yield Label("Bell at each step", classes="setting-label")
                yield self._field("bell", Switch(value=settings.bell, id="set-bell"))
                yield Label("on" if settings.bell else "off", id="bell-state")  # said in words, not by the switch's colour alone
            with Horizontal(classes="setting"):
                yield Label("Night from / to", classes="setting-label")
                with Horizontal(classes="setting-fields"):  # side by side, also below the label on a narrow screen
                    yield self._field("night_start", Input(value=settings.night_start.strftime("%H:%M"), id="set-night-start", classes="time"))
                    yield self._field("night_end", Input(value=settings.night_end.strftime("%H:%M"), id="set-night-end", classes="time"))
            yield self._problem_line("night_start")
            yield self._problem_line("night_end")
            with Horizontal(classes="setting"):
                yield Label("Emergency number (blank: the common ones)", classes="setting-label")
                yield self._field(
                    "emergency_number",
                    Input(value=settings.emergency_number, placeholder="e.g. 112", id="set-emergency", classes="phone", max_length=40),
                )
            yield self._problem_line("emergency_number")
            yield Static("[b]Relief step durations[/b] (seconds, 5 to 600; blank = the routine's own)", id="durations-title")
            shown: set[str] = set()
            for routine in services.library.routines.values():
                # A stretch held until the cramp lets go has no time to set: it waits for the person.
                steps = [step for step in routine.steps if step.id not in shown and not step.until_release]
                if not steps:
                    continue
                yield Label(literal(routine.title), classes="routine-title")
                for step in steps:
                    shown.add(step.id)
                    with Horizontal(classes="setting"):
                        yield Label(literal(step.title), classes="setting-label")
                        value = settings.durations.get(step.id)
                        field = Input(value="" if value is None else str(value), placeholder=str(step.seconds), classes="seconds", max_length=12)
                        field.step_id = step.id  # type: ignore[attr-defined]
                        yield self._field(f"durations.{step.id}", field)
                    yield self._problem_line(f"durations.{step.id}")
            yield Button("Save  ctrl+s", id="save", variant="primary")
        yield SteadyFooter(compact=True)

    def on_resize(self) -> None:
        fit_to_size(self)  # narrow: each label above its field

    def on_button_pressed(self) -> None:
        self.action_save()

    def _values(self) -> dict[str, Any]:
        """What the fields hold, as the mapping config.toml would give (checked by validate_settings)."""
        durations: dict[str, Any] = {}
        for field in self.query("Input.seconds").results(Input):
            text = field.value.strip()
            if text:
                durations[field.step_id] = int(text) if text.isdigit() else text  # type: ignore[attr-defined]
        theme = self.query_one("#set-theme", Select).value
        return {
            "theme": theme if isinstance(theme, str) else "auto",
            "bell": self.query_one("#set-bell", Switch).value,
            "night_start": self.query_one("#set-night-start", Input).value.strip(),
            "night_end": self.query_one("#set-night-end", Input).value.strip(),
            "emergency_number": self.query_one("#set-emergency", Input).value,
            "durations": durations,
        }

    def _show_problems(self, problems: list[SettingProblem]) -> None:
        """Each problem beneath its field (the rest at the top); the first bad field takes focus."""
        for widget in self._problems.values():
            widget.update("")
            widget.remove_class("-shown")
        elsewhere: list[SettingProblem] = []
        for problem in problems:
            beneath = self._problems.get(problem.key)
            if beneath is None:
                elsewhere.append(problem)
                continue
            beneath.update(literal(problem.message))
            beneath.add_class("-shown")
        top = self.query_one("#settings-error", Static)
        if not problems:
            top.update("")
            return
        count = len(problems)
        where = ", shown at each field" if len(elsewhere) < count else ""
        rows = [Content.assemble(("Not saved:", "bold"), f" {count} value{'s' if count != 1 else ''} to fix{where}")]
        rows += [labelled(f"{problem.key}:", problem.message) for problem in elsewhere]
        top.update(Content("\n").join(rows))
        keys = {problem.key for problem in problems}
        first = next((field for key, field in self._fields.items() if key in keys), None)  # in screen order
        if first is not None:
            first.focus()
            self.query_one("#settings-body", VerticalScroll).scroll_to_widget(first)

    def on_mount(self) -> None:
        self._as_opened = self._values()  # to tell, on leaving, whether anything was changed

    def action_leave(self) -> None:
        """Back; with changes not saved, ask first (escape must not silently drop what was typed)."""
        from cramp_coach.screens.dialogs import ChoiceScreen

        if self._values() == getattr(self, "_as_opened", None):
            self.dismiss(None)
            return

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
                if not self._values_problems():
                    self.dismiss(None)
            elif choice == "drop":
                self.dismiss(None)

        answers = [("s", "save", "Save them"), ("l", "drop", "Leave without saving"), ("escape", "stay", "Stay here")]
        self.app.push_screen(ChoiceScreen("You changed settings that are not saved.", answers), chosen)

    def _values_problems(self) -> list[SettingProblem]:
        return validate_settings(self._values())[1]

    def action_save(self) -> None:
        """Check every value, then save and apply them."""
        settings, problems = validate_settings(self._values())
        self._show_problems(problems)
        if problems:
            return
        self.apply(settings)

    def apply(self, settings: Settings) -> None:
        """Save ``settings`` to config.toml and use them now; a file that cannot be written says so at the top."""
        services = self.cc.services
        try:
            save_settings(services.home, settings)
        except OSError as error:
            from cramp_coach.screens.diary_writes import plain_reason

            self.query_one("#settings-error", Static).update(
                Content.assemble(("Not saved:", "bold"), " ", literal(f"{plain_reason(error)} ({services.home / CONFIG_FILE})"))
            )
            self.query_one("#settings-body", VerticalScroll).scroll_home()
            return
        services.settings = settings
        services.bell = settings.bell
        services.reload_library()
        self.app.theme = THEME_NAMES[services.theme_now()]
        self._as_opened = self._values()
        self.notify("Settings saved", timeout=3)
