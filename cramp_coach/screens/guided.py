"""What every guided timer screen shares: one step at a time, a big clock, and calm keys.

The relief screen and the bedtime stretch timer are both this, driven by the same routine engine.
Times are always read from the engine (and so from the clock), never counted in ticks. The screen
wakes when what it shows next changes (once a second while running), not on a fast poll.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from cramp_coach.core.content import Routine
from cramp_coach.core.routine import Completed, Escalated, Event, Phase, RoutineRun, StepChanged
from cramp_coach.screens.base import CoachScreen
from cramp_coach.widgets.countdown import Countdown
from cramp_coach.widgets.keyline import TapButton, fit_to_size, tap_row
from cramp_coach.widgets.safe import literal

CUE_SECONDS = 3.0
LATE = 0.01  # wake just after a displayed second turns, never before it
INJECTED_CLOCK_WAIT = 0.05


def seconds_to_next_second(elapsed: float) -> float:
    """From ``elapsed`` to its next whole second."""
    return 1.0 - (elapsed % 1.0)


class GuidedRoutineScreen(CoachScreen[Any]):
    """A screen that runs a :class:`RoutineRun` and shows its current step."""

    LISTS_WARNINGS = True  # no warning toasts over the clock (the relief summary lists them)

    AUTO_FOCUS = ""
    LONGEST_WAIT = 1.0  # seconds between looks at the clock, at most
    GUIDED_BINDINGS: ClassVar[list[Binding]] = [
        Binding("space", "toggle_pause", "pause"),
        Binding("space", "resume", "go on"),
        Binding("n,right", "next_step", "next"),
        Binding("b,left", "previous_step", "back", show=False),
        Binding("plus,equals_sign", "add_time", "more time"),
    ]

    run: RoutineRun | None = None
    _wake: Timer | None = None
    _pause_label = "pause"

    def step_panel(self) -> ComposeResult:
        """The step's title, clock, instruction, safety line and tip."""
        with Vertical(id="step-panel"):
            yield Static("", id="step-title")
            yield Countdown(id="countdown")
            yield Static("", id="instruction")
            yield Static("", id="caution")
            yield Static("", id="tip")
        with Horizontal(id="next-row"):
            yield Static("", id="next-step")
            yield from self.beside_next_step()

    def beside_next_step(self) -> ComposeResult:
        """Anything to show to the right of "Next: ..." (a screen's main button)."""
        yield from ()

    def step_buttons(self, *more: TapButton) -> Widget:
        """back, pause (or go on), next and +15 s (and ``more``), to tap on a narrow screen."""
        return tap_row(
            TapButton("back", "previous_step", id="tap-back"),
            TapButton(self._pause_label, "toggle_pause", id="tap-pause"),
            TapButton("next", "next_step", id="tap-next"),
            TapButton("+15 s", "add_time", id="tap-add-time"),
            *more,
            id="tap-steps",
        )

    def on_resize(self) -> None:
        # On a small terminal keep what matters: instruction, safety line, clock, next step, keys.
        self.set_class(self.size.height < 24, "short")
        fit_to_size(self)
        self._title_in_border()
        if self.run is not None:
            self.refresh_time()  # the caption is shorter on a narrow screen

    def start_run(self, routine: Routine, **options: Any) -> RoutineRun:
        """Start the engine on ``routine`` with the app's clocks, and keep the display in step."""
        services = self.cc.services
        self.run = RoutineRun(routine, clock=services.clock, wall_clock=services.wall_clock, **options)
        self.run.start()
        self.show_step()
        self.refresh_time()
        return self.run

    # -- display -----------------------------------------------------------------------------------
    def show_step(self) -> None:
        """Show the active step (and what comes next)."""
        run = self.run
        assert run is not None
        step = run.step
        # Titles, instructions and tips may come from the user's own routine files: shown as written.
        self.query_one("#step-title", Static).update(literal(step.title))
        self._title_in_border()
        self.query_one("#instruction", Static).update(literal(step.instruction))
        caution = self.query_one("#caution", Static)
        caution.update(literal(f"⚠ {step.caution.text}") if step.caution else "")
        caution.display = step.caution is not None
        self.query_one("#tip", Static).update(literal(step.tip))
        last = run.index == len(run.routine.steps) - 1
        next_text = "Last step" if last and not run.repeat else f"Next: {run.next_step.title}"
        self.query_one("#next-step", Static).update(literal(next_text))

    def _title_in_border(self) -> None:
        """On a phone with little height, the step's title sits in the panel's border (a row saved)."""
        if self.run is None:
            return
        panel = self.query_one("#step-panel")
        title = self.run.step.title
        fits = self.has_class("narrow") and self.has_class("short") and cell_len(title) <= panel.size.width - 4
        self.set_class(fits, "title-in-border")
        panel.border_title = literal(title) if fits else None

    def caption(self) -> str:
        """The line under the clock."""
        run = self.run
        narrow = self.has_class("narrow")  # the buttons to tap are right there
        if run is not None and run.phase is Phase.PAUSED:
            return "Paused" if narrow else "Paused · space to go on"
        if run is not None and run.holding:
            return "hold until it eases, then next" if narrow else "hold until it lets go · n when it eases"
        return ""

    def refresh_time(self) -> None:
        """Bring the clock up to the clock, and wake again when what it shows next changes."""
        run = self.run
        assert run is not None
        now = self.cc.services.clock()
        countdown = self.query_one(Countdown)
        if run.holding:
            countdown.show_held(run.step_elapsed(now), self.caption())
        else:
            countdown.show_remaining(run.remaining(now), run.step_length(), self.caption())
        paused = run.phase is Phase.PAUSED
        self.set_class(paused, "paused")
        pause_label = "go on" if paused else "pause"
        if pause_label != self._pause_label:
            self._pause_label = pause_label
            for button in self.query("#tap-pause").results(TapButton):
                button.label = pause_label
                button.action = "screen.resume" if paused else "screen.toggle_pause"  # the one check_action allows
        self._wake_at_next_change(now)

    def seconds_to_next_change(self, now: float) -> float:
        """How long until something on screen changes (a step's second turns over)."""
        run = self.run
        assert run is not None
        if run.phase is not Phase.RUNNING:
            return self.LONGEST_WAIT
        return seconds_to_next_second(run.step_elapsed(now))

    def _wake_at_next_change(self, now: float) -> None:
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
        if self.run is None or self.run.phase is Phase.FINISHED:
            return
        if self.cc.services.clock is time.monotonic:  # the event loop's own clock: wake exactly then
            wait = min(self.LONGEST_WAIT, self.seconds_to_next_change(now)) + LATE
        else:  # another clock (a test's) may jump at any moment: look at it often
            wait = INJECTED_CLOCK_WAIT
        self._wake = self.set_timer(wait, self._tick, name="guided-clock")

    def cue_step_change(self) -> None:
        """A bell and a calm, steady highlight of the new step (nothing flashes)."""
        self.cc.ring_bell()
        panel = self.query_one("#step-panel")
        panel.add_class("changed")
        self.set_timer(CUE_SECONDS, lambda: panel.remove_class("changed"))

    def handle(self, events: Iterable[Event | None]) -> None:
        """React to what the engine reports."""
        happened = [event for event in events if event is not None]
        for event in happened:
            if isinstance(event, Completed):
                self.on_completed(event)
                return
        if any(isinstance(event, StepChanged) for event in happened):
            self.show_step()
            self.cue_step_change()
        if any(isinstance(event, Escalated) for event in happened):
            self.on_escalated()
        self.refresh_time()

    def on_completed(self, event: Completed) -> None:
        """A routine that does not repeat ran to its end."""

    def on_escalated(self) -> None:
        """The cramp has lasted the escalation limit."""

    def _tick(self) -> None:
        self._wake = None
        if self.run is not None and self.run.phase is not Phase.FINISHED:
            self.handle(self.run.update())

    def stop_clock(self) -> None:
        """No more waking: the run is over."""
        if self._wake is not None:
            self._wake.stop()
            self._wake = None

    # -- actions ------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Space pauses a running step and goes on from a paused one: the footer names the one that applies.
        paused = self.run is not None and self.run.phase is Phase.PAUSED
        if action == "toggle_pause":
            return not paused
        if action == "resume":
            return paused
        return True

    def action_toggle_pause(self) -> None:
        """Pause the step's clock (or let it run again: the button to tap does both)."""
        assert self.run is not None
        self.run.toggle_pause()
        self.refresh_time()
        self.refresh_bindings()

    def action_resume(self) -> None:
        """Let the step's clock run again."""
        self.action_toggle_pause()

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
