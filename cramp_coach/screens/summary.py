"""After a relief run: how it went, and saving it to the diary in one more key."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from cramp_coach.core.content import Advice, Routine
from cramp_coach.core.models import MAX_NOTE, Cramp, ValidationError
from cramp_coach.core.routine import SIDES, RunSummary
from cramp_coach.screens.relief import SIDE_KEYS
from cramp_coach.core.formatting import clock_text
from cramp_coach.widgets.safe import literal

INTENSITY_KEYS = {str(n): n for n in range(1, 10)} | {"0": 10}


@dataclass(frozen=True)
class SaveRequest:
    """A finished run the person chose to keep, with what they added."""

    summary: RunSummary
    side: str | None = None
    intensity: int | None = None
    note: str = ""
    triage: tuple[str, ...] = ()
    cramp: Cramp | None = None  # the diary entry, already validated


def describe_run(summary: RunSummary, routine: Routine) -> Content:
    """One or two plain sentences about how the run went (step titles shown as written)."""
    lasted = clock_text(summary.duration_seconds)
    if summary.gone and summary.ended_by:
        try:
            title = routine.steps[routine.step_index(summary.ended_by)].title
        except (KeyError, ValueError, IndexError):
            title = summary.ended_by
        return literal(f"It's gone. The cramp lasted {lasted}; it let go during “{title}”.")
    return literal(f"You left the routine after {lasted}.")


class SummaryScreen(ModalScreen[SaveRequest | None]):
    """How long it lasted, which step ended it, and a save-to-diary choice."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter", "save", "save to diary", priority=True),
        Binding("escape", "discard", "don't save"),
        Binding("n", "note", "add a note"),
        *[Binding(key, f"intensity({value})", f"intensity {value}", show=False) for key, value in INTENSITY_KEYS.items()],
        *[Binding(key, f"side('{side}')", f"{side} leg", show=False) for key, side in SIDE_KEYS.items()],
    ]
    AUTO_FOCUS = "#save"

    def __init__(self, summary: RunSummary, routine: Routine, aftercare: Advice | None = None, triage: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.triage = triage
        self.summary = summary
        self.routine = routine
        self.aftercare = aftercare
        self.intensity: int | None = None
        self.side: str | None = summary.side

    def compose(self) -> ComposeResult:
        with Vertical(id="summary-box"):
            yield Label(describe_run(self.summary, self.routine), id="summary-text")
            yield Static(self._step_times(), id="summary-steps")
            yield Static("", id="summary-fields")
            yield Input(placeholder="A note (optional): press n, type, enter saves", id="summary-note")
            yield Static("", id="summary-error")
            if self.aftercare is not None:
                yield Static(literal(self.aftercare.text), id="summary-aftercare")
            warnings = self.app.services.warnings
            if warnings:
                yield Static(literal("Left out or not used: " + "; ".join(warnings)), id="summary-warnings")
            with Horizontal(id="summary-buttons"):
                yield Button("Save to diary  ⏎", id="save", variant="primary")
                yield Button("Don't save  esc", id="discard")

    def on_mount(self) -> None:
        self._show_fields()

    def _step_times(self) -> Content:
        names = {step.id: step.title for step in self.routine.steps}
        parts = [f"{names.get(step_id, step_id)} {clock_text(seconds)}" for step_id, seconds in self.summary.step_seconds.items()]
        return literal("Time in each step: " + " · ".join(parts) if parts else "")

    def _show_fields(self) -> None:
        intensity = "not set" if self.intensity is None else f"{self.intensity}/10"
        side = self.side or "not set"
        self.query_one("#summary-fields", Static).update(
            f"Pain {intensity} · keys 1-9, 0 = 10\nLeg {side} · keys l left, r right, o both"
        )

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_discard()

    def action_intensity(self, value: int) -> None:
        """Set how bad the cramp was, 1-10."""
        self.intensity = value
        self._show_fields()

    def action_side(self, side: str) -> None:
        """Set which leg cramped."""
        if side in SIDES:
            self.side = side
            self._show_fields()

    def action_note(self) -> None:
        """Move to the note field."""
        self.query_one("#summary-note", Input).focus()

    def action_save(self) -> None:
        """Keep this cramp in the diary; a note the diary cannot take is refused here, the run kept."""
        note = self.query_one("#summary-note", Input).value.strip()
        if len(note) > MAX_NOTE:
            self._refuse(f"Note: at most {MAX_NOTE} characters, this one has {len(note)}. Shorten it, then press enter.")
            return
        try:
            cramp = self.summary.to_cramp(side=self.side, intensity=self.intensity, note=note, triage=self.triage)
        except ValidationError as error:
            field = getattr(error, "field", "entry").replace("_", " ").capitalize()
            message = getattr(error, "message", None) or str(error).split(": ", 1)[-1]
            self._refuse(f"{field}: {message}")
            return
        self.dismiss(SaveRequest(self.summary, side=self.side, intensity=self.intensity, note=cramp.note, triage=self.triage, cramp=cramp))

    def _refuse(self, message: str) -> None:
        """Say why the entry cannot be saved as it is; the screen (and the run) stay."""
        error = self.query_one("#summary-error", Static)
        error.update(literal(message))
        error.display = True
        self.query_one("#summary-note", Input).focus()

    def action_discard(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the note has focus, letters and digits are typing, not shortcuts.
        if action in ("intensity", "side", "note") and isinstance(self.focused, Input):
            return False
        return True
