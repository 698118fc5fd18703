"""After a relief run: how it went, and saving it to the diary in one more key.

The summary saves the entry itself, through the one diary path, and dismisses with the saved
:class:`~cramp_coach.core.models.Cramp` once it is in the file (or ``None`` when it was not kept).
While the save runs, keys wait: a second enter can never save twice or start anything else.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Static

from cramp_coach.core.content import AdviceKey
from cramp_coach.core.formatting import clock_text
from cramp_coach.core.models import MAX_NOTE, Cramp, ValidationError
from cramp_coach.core.routine import SIDES, RunSummary
from cramp_coach.screens.base import CoachModal
from cramp_coach.screens.keys import INTENSITY_KEYS, SIDE_KEYS
from cramp_coach.widgets.countdown import elapsed_text
from cramp_coach.widgets.keyline import TapButton, fit_to_size, tap_row
from cramp_coach.widgets.safe import literal

NOTE_HINT = "A note (optional): press n, type, enter saves"
NOTE_HINT_NARROW = "A note (optional)"
ESCALATED_POINTER = "It lasted over 10 minutes: if it comes back or will not ease, get medical help now (more below the buttons; ! red flags)."


def describe_run(run: RunSummary, step_title: str) -> Content:
    """One plain sentence about how the run went: the stored whole seconds, the step as titled."""
    lasted = clock_text(run.duration_s)
    if run.gone and run.ended_by:
        return literal(f"It's gone. The cramp lasted {lasted}; it let go during “{step_title}”.")
    return literal(f"You left the routine after {lasted}.")


class SummaryScreen(CoachModal[Cramp | None]):
    """How long it lasted, which step ended it, and a save-to-diary choice."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter", "save", "save to diary", priority=True),
        Binding("escape", "discard", "don't save"),
        Binding("n", "note", "add a note"),
        Binding("exclamation_mark", "app.red_flags", "red flags", show=False),  # as everywhere (this is a dialog)
        *[Binding(key, f"intensity({value})", f"pain {value}", show=False) for key, value in INTENSITY_KEYS.items()],
        *[Binding(key, f"side('{side}')", f"{side} leg", show=False) for key, side in SIDE_KEYS.items()],
    ]
    AUTO_FOCUS = "#save"

    def __init__(self, run: RunSummary, triage: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.run = run
        self.triage = triage
        self.intensity: int | None = None
        self.side: str | None = run.side
        self.saving = False

    def compose(self) -> ComposeResult:
        self.set_class(self.run.escalated, "escalated")  # while empty: no restyle of every widget
        services = self.cc.services
        with VerticalScroll(id="summary-box"):
            yield Static(describe_run(self.run, services.step_title(self.run.ended_by)), id="summary-text")
            yield Static(self._step_times(), id="summary-steps")
            yield Static("", id="summary-fields")
            with Vertical(id="summary-taps"):  # on a narrow screen (a phone): pain and leg to tap
                yield tap_row(*[TapButton(str(value), f"choose_intensity({value})", id=f"pain-{value}") for value in range(1, 6)], id="pain-low")
                yield tap_row(*[TapButton(str(value), f"choose_intensity({value})", id=f"pain-{value}") for value in range(6, 11)], id="pain-high")
                yield tap_row(*[TapButton(side, f"choose_side('{side}')", id=f"leg-{side}") for side in SIDE_KEYS.values()], id="summary-legs")
            yield Input(placeholder=NOTE_HINT, id="summary-note", max_length=MAX_NOTE + 1)
            yield Static("", id="summary-error")
            # After 10 minutes, what to do about it comes back below the buttons, with a line saying
            # so above them: the screen opens at its top, the time, pain and leg in view, at any size.
            # Otherwise the aftercare line.
            escalation = services.advice(AdviceKey.ESCALATION) if self.run.escalated else None
            aftercare = services.advice(AdviceKey.AFTERCARE)
            if escalation is not None:
                yield Static(ESCALATED_POINTER, id="summary-escalated")
            elif aftercare is not None:
                yield Static(literal(aftercare.text), id="summary-aftercare")
            with Horizontal(id="summary-buttons"):
                yield Button("Save to diary  ⏎", id="save", variant="primary")
                yield Button("Don't save  esc", id="discard")
            if escalation is not None:
                from cramp_coach.screens.relief import advice_to_get_help  # (loaded: the summary follows relief)

                yield Static(advice_to_get_help(escalation, with_source=False), id="summary-escalation")
            if services.warnings:  # below the buttons: the screen opens at them, its first line in view
                yield Static(literal("Left out or not used: " + "; ".join(services.warnings)), id="summary-warnings")

    def on_mount(self) -> None:
        self._show_fields()

    def on_resize(self) -> None:
        narrow = fit_to_size(self)
        # One row each on a phone with its keyboard open, and under 24 rows (60x20): the time, pain
        # and leg, the note and the buttons all fit on the first screen.
        compact = (narrow and not self.has_class("roomy")) or self.size.height < 24
        for button in self.query("#summary-buttons Button").results(Button):
            button.compact = compact
        note = self.query_one("#summary-note", Input)
        note.compact = compact
        note.placeholder = NOTE_HINT_NARROW if narrow else NOTE_HINT
        self.set_class(self.size.height < 24, "short")
        self._show_fields()

    def _step_times(self) -> Content:
        """Time in each step, by its title (also after a switch to another muscle's routine)."""
        title = self.cc.services.step_title
        parts = [f"{title(step_id)} {elapsed_text(seconds)}" for step_id, seconds in self.run.step_seconds.items()]
        paused = self.run.duration_seconds - sum(self.run.step_seconds.values())
        if parts and paused >= 1:  # so the times add up to how long the cramp lasted
            parts.append(f"paused {elapsed_text(paused)}")
        return literal("Time in each step: " + " · ".join(parts) if parts else "")

    def _show_fields(self) -> None:
        intensity = "not set" if self.intensity is None else f"{self.intensity}/10"
        side = self.side or "not set"
        if self.has_class("narrow"):  # the buttons beneath are the keys
            text = f"Pain {intensity} · leg {side}"
        else:
            text = f"Pain {intensity} · keys 1-9, 0 = 10\nLeg {side} · keys l left, r right, o both"
        self.query_one("#summary-fields", Static).update(text)
        for button in self.query("#summary-taps TapButton").results(TapButton):
            chosen = button.id in (f"pain-{self.intensity}", f"leg-{self.side}")
            button.variant = "primary" if chosen else "default"

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

    def action_choose_intensity(self, value: int) -> None:
        """A pain button tapped (also while the note has focus: a tap is not typing)."""
        self.action_intensity(value)

    def action_choose_side(self, side: str) -> None:
        """A leg button tapped (also while the note has focus)."""
        self.action_side(side)

    def action_note(self) -> None:
        """Move to the note field."""
        self.query_one("#summary-note", Input).focus()

    def action_save(self) -> None:
        """Keep this cramp in the diary; a note the diary cannot take is refused here, the run kept."""
        from cramp_coach.screens.diary_writes import save_cramp

        if self.saving:
            return
        note = self.query_one("#summary-note", Input).value.strip()
        if len(note) > MAX_NOTE:
            self._refuse(f"Note: at most {MAX_NOTE} characters, this one has {len(note)}. Shorten it, then press enter.")
            return
        try:
            cramp = self.run.to_cramp(side=self.side, intensity=self.intensity, note=note, triage=self.triage)
        except ValidationError as error:
            self._refuse(f"{error.field.replace('_', ' ').capitalize()}: {error.message}")
            return
        self.saving = True
        for button in self.query(Button):
            button.disabled = True
        self._status("Saving…", error=False)
        save_cramp(self.cc, cramp, done=self._saved, failed=self._not_saved)

    def _saved(self, cramp: Cramp) -> None:
        self.dismiss(cramp)

    def _not_saved(self, _error: Exception) -> None:
        """The person kept a copy elsewhere or gave up (after being asked): nothing is in the diary."""
        self.dismiss(None)

    def _refuse(self, message: str) -> None:
        """Say why the entry cannot be saved as it is; the screen (and the run) stay."""
        self._status(message)
        self.query_one("#summary-note", Input).focus()

    def _status(self, message: str, error: bool = True) -> None:
        line = self.query_one("#summary-error", Static)
        line.update(literal(message))
        line.set_class(not error, "calm")
        line.display = True

    def action_discard(self) -> None:
        """Escape: out of the note box first; otherwise ask before the cramp is left out of the diary."""

        if self.saving:
            return
        if isinstance(self.focused, Input):
            self.query_one("#save", Button).focus()
            return

        self.ask_before_leaving()

    def ask_before_leaving(self, then: Callable[[], object] | None = None) -> None:
        """Ask before the cramp is left out of the diary; ``then`` (quitting) once it is."""
        from cramp_coach.screens.dialogs import ConfirmScreen

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)
                if then is not None:
                    then()

        if then is None:
            question, yes = "Don't save this cramp? It will not be in your diary (escape keeps it here).", "Don't save"
        else:
            question, yes = "Quit without saving this cramp? It will not be in your diary (escape keeps it here).", "Quit, don't save"
        self.app.push_screen(ConfirmScreen(question, yes=yes, no="Keep it"), answered)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.saving:  # the save is under way: keys wait for it
            return False
        # While the note has focus, letters and digits are typing, not shortcuts.
        if action in ("intensity", "side", "note") and isinstance(self.focused, Input):
            return False
        return True
