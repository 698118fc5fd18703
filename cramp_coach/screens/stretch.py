"""The bedtime stretch timer: the checklist's stretch run through the same engine as relief."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from cramp_coach.core.checklist import ChecklistItem, stretch_routine
from cramp_coach.core.formatting import clock_text
from cramp_coach.core.routine import Completed
from cramp_coach.screens.guided import GuidedRoutineScreen
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.keyline import TapButton
from cramp_coach.widgets.safe import literal


class StretchScreen(GuidedRoutineScreen):
    """Hold, rest, repeat, each leg; dismisses with True when the stretch ran to its end (its holds
    held for at least half their time: skipping through with n does not tick it)."""

    BINDINGS = [
        *GuidedRoutineScreen.GUIDED_BINDINGS,
        Binding("escape", "stop", "stop"),
    ]

    def __init__(self, item: ChecklistItem) -> None:
        super().__init__()
        self.item = item
        self.routine = stretch_routine(item)

    def compose(self) -> ComposeResult:
        total = self.item.stretch.total_seconds if self.item.stretch else 0
        yield Static(Content.assemble(literal(self.item.title, "bold"), f" · about {clock_text(total)} in all"), id="stretch-head")
        yield from self.step_panel()
        source = self.item.source
        yield Static(literal(f"Source: {source.title}") if source else "", id="stretch-source")
        yield Vertical(self.step_buttons(TapButton("stop", "stop", id="tap-stop")), id="tap-rows")  # on a narrow screen
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.start_run(self.routine, repeat=False, escalate_after=float("inf"))

    def caption(self) -> str:
        base = super().caption()
        if base:
            return base
        assert self.run is not None
        return f"Step {self.run.index + 1} of {len(self.routine.steps)}"

    def on_completed(self, event: Completed) -> None:
        """The end: ticked when the holds really ran (at least half their time), not when skipped through."""
        self.cc.ring_bell()
        pattern = self.item.stretch
        needed = pattern.hold * pattern.repeats * len(pattern.legs) if pattern else 0
        held = sum(seconds for step_id, seconds in event.summary.step_seconds.items() if "-hold-" in step_id)
        if held >= needed / 2:
            self.dismiss(True)
            return
        self.notify("Skipped through, so not ticked: space ticks it if you did the stretch.", timeout=5)
        self.dismiss(False)

    def action_stop(self) -> None:
        """Stop before the end (the item is not ticked)."""
        self.dismiss(False)
