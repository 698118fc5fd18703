"""What every guided timer screen shares: one step at a time, a big countdown, and calm keys.

The relief screen and the bedtime stretch timer are both this, driven by the same routine engine.
Times are always read from the engine (and so from the clock), never counted in ticks.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from cramp_coach.core.content import Routine
from cramp_coach.core.routine import Completed, Escalated, Phase, RoutineRun, StepChanged
from cramp_coach.widgets.countdown import Countdown
from cramp_coach.widgets.safe import literal

TICK_SECONDS = 0.2
CUE_SECONDS = 3.0


class GuidedRoutineScreen(Screen[object]):
    """A screen that runs a :class:`RoutineRun` and shows its current step."""

    AUTO_FOCUS = ""
    GUIDED_BINDINGS = [
        Binding("space", "toggle_pause", "pause"),
        Binding("n,right", "next_step", "next"),
        Binding("b,left", "previous_step", "back"),
        Binding("plus,equals_sign", "add_time", "+15 s"),
    ]

    run: RoutineRun | None = None

    def step_panel(self) -> ComposeResult:
        """The step's title, countdown, instruction and tip."""
        with Vertical(id="step-panel"):
            yield Label("", id="step-title")
            yield Countdown(id="countdown")
            yield Static("", id="instruction")
            yield Static("", id="tip")
        yield Label("", id="next-step")

    def on_resize(self) -> None:
        # On a small terminal keep what matters: instruction, countdown, next step, keys.
        self.set_class(self.size.height < 24, "short")

    def start_run(self, routine: Routine, **options) -> RoutineRun:
        """Start the engine on ``routine`` with the app's clocks, and keep the display in step."""
        services = self.app.services
        self.run = RoutineRun(routine, clock=services.clock, wall_clock=services.wall_clock, **options)
        self.run.start()
        self.show_step()
        self.refresh_time()
        self.set_interval(TICK_SECONDS, self._tick)
        return self.run

    # -- display -----------------------------------------------------------------------------------
    def show_step(self) -> None:
        """Show the active step (and what comes next)."""
        run = self.run
        assert run is not None
        step = run.step
        # Titles, instructions and tips may come from the user's own routine files: shown as written.
        self.query_one("#step-title", Label).update(literal(step.title))
        self.query_one("#instruction", Static).update(literal(step.instruction))
        self.query_one("#tip", Static).update(literal(step.tip))
        last = run.index == len(run.routine.steps) - 1
        next_text = "Last step" if last and not run.repeat else f"Next: {run.next_step.title}"
        self.query_one("#next-step", Label).update(literal(next_text))

    def caption(self) -> str:
        """The line under the countdown."""
        return "Paused · space to go on" if self.run and self.run.phase is Phase.PAUSED else ""

    def refresh_time(self) -> None:
        """Bring the countdown up to the clock."""
        run = self.run
        assert run is not None
        now = self.app.services.clock()
        self.query_one(Countdown).show(run.remaining(now), run.step_length(), self.caption())
        self.set_class(run.phase is Phase.PAUSED, "paused")

    def cue_step_change(self) -> None:
        """A bell and a calm, steady highlight of the new step (nothing flashes)."""
        self.app.ring_bell()
        panel = self.query_one("#step-panel")
        panel.add_class("changed")
        self.set_timer(CUE_SECONDS, lambda: panel.remove_class("changed"))

    def handle(self, events: list) -> None:
        """React to what the engine reports."""
        for event in events:
            if isinstance(event, Completed):
                self.on_completed(event)
                return
        if any(isinstance(event, StepChanged) for event in events):
            self.show_step()
            self.cue_step_change()
        if any(isinstance(event, Escalated) for event in events):
            self.on_escalated()
        self.refresh_time()

    def on_completed(self, event: Completed) -> None:
        """A routine that does not repeat ran to its end."""

    def on_escalated(self) -> None:
        """The cramp has lasted the escalation limit."""

    def _tick(self) -> None:
        if self.run is not None and self.run.phase is not Phase.FINISHED:
            self.handle(self.run.update())

    # -- actions ------------------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        """Pause or resume the step's countdown."""
        assert self.run is not None
        self.run.toggle_pause()
        self.refresh_time()

    def action_next_step(self) -> None:
        """Skip to the next step."""
        assert self.run is not None
        self.handle([self.run.next()])

    def action_previous_step(self) -> None:
        """Go back one step."""
        assert self.run is not None
        self.handle([self.run.previous()])

    def action_add_time(self) -> None:
        """Give this step 15 more seconds."""
        assert self.run is not None
        self.run.add_time()
        self.refresh_time()
        self.notify("15 seconds added", timeout=2)
