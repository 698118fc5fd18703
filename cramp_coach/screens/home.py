"""The home screen: a prominent "Cramp now", the other muscles, and the way to the other parts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Static

from cramp_coach.core.content import MUSCLE_NAMES, MUSCLES
from cramp_coach.screens.relief import muscle_choices
from cramp_coach.widgets.safe import literal


class HomeScreen(Screen[None]):
    """Where cramp_coach opens: one key to start relief for a calf cramp."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("c", "relief('calf')", "cramp now"),
        *[Binding(str(n), f"relief('{m}')", MUSCLE_NAMES[m], show=False) for n, m in enumerate(MUSCLES, start=1)],
        Binding("b", "app.switch_mode('checklist')", "bedtime"),
        Binding("d", "app.switch_mode('diary')", "diary"),
        Binding("t", "app.triage", "is it a cramp?", show=False),
        Binding("exclamation_mark", "app.red_flags", "red flags"),
        Binding("s", "app.sources", "sources", show=False),
        Binding("p", "app.settings", "settings", show=False),
        Binding("q", "app.quit", "quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home-body"):
            yield Label("cramp coach", id="home-title")
            with Center():
                yield Button("Cramp now  ⏎", id="cramp-now", variant="error")
            yield Static("Enter or c: start relief for a calf cramp, straight away.", id="cramp-now-hint")
            yield Static(f"Somewhere else?  {muscle_choices()}", id="other-muscles")
            yield Static("[b]b[/b] bedtime checklist   [b]d[/b] your diary: history, trends", id="home-parts")
            yield Static(
                "[b]t[/b] is this a cramp?   [b]![/b] red flags: when to get help   [b]s[/b] sources   [b]p[/b] settings",
                id="home-safety",
            )
            yield Static(literal(self._disclaimer()), id="disclaimer")
            if self.app.services.warnings:
                count = len(self.app.services.warnings)
                yield Static(
                    literal(
                        f"{count} file{'s' if count != 1 else ''} or setting{'s' if count != 1 else ''} could not be used "
                        "and were left out: " + "; ".join(self.app.services.warnings)
                    ),
                    id="home-warnings",
                )
        yield Footer()

    def _disclaimer(self) -> str:
        advice = self.app.services.library.guidance.get("disclaimer")
        return advice.text if advice else "Self-care guidance only; not a diagnosis."

    def on_mount(self) -> None:
        self.query_one("#cramp-now", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cramp-now":
            self.action_relief("calf")

    def action_relief(self, muscle: str) -> None:
        """Start the relief routine for ``muscle``."""
        self.app.start_relief(muscle)
