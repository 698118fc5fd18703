"""The live relief screen: one plain instruction at a time, a big countdown, and calm keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from rich.table import Table
from rich.text import Text
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from cramp_coach.core.content import MUSCLE_NAMES, MUSCLES
from cramp_coach.core.routine import Escalated, Phase, RoutineRun, StepChanged
from cramp_coach.core.formatting import clock_text
from cramp_coach.widgets.countdown import Countdown

SIDE_KEYS = {"l": "left", "r": "right", "o": "both"}

TICK_SECONDS = 0.2
CUE_SECONDS = 3.0


MUSCLE_SHORT = {"calf": "calf", "foot": "foot", "hamstring": "back thigh", "quadriceps": "front thigh"}


def muscle_choices() -> str:
    """The one-key muscle choices, as shown under the routine."""
    return "  ".join(f"[b]{n}[/b] {MUSCLE_SHORT[m]}" for n, m in enumerate(MUSCLES, start=1))


class ReliefScreen(Screen[None]):
    """Guides a person through a relief routine for a cramp happening now."""

    CSS_PATH = "relief.tcss"
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("space", "toggle_pause", "pause"),
        Binding("n,right", "next_step", "next"),
        Binding("b,left", "previous_step", "back"),
        Binding("plus,equals_sign", "add_time", "+15 s"),
        Binding("enter", "gone", "it's gone"),
        Binding("escape", "leave", "leave"),
        Binding("m", "toggle_bell", "bell on/off", show=False),
        *[Binding(str(n), f"muscle('{m}')", MUSCLE_NAMES[m], show=False) for n, m in enumerate(MUSCLES, start=1)],
        *[Binding(key, f"side('{side}')", f"{side} leg", show=False) for key, side in SIDE_KEYS.items()],
    ]

    def __init__(self, muscle: str = "calf", side: str | None = None) -> None:
        super().__init__()
        self._muscle = muscle
        self._side = side
        self.run: RoutineRun | None = None
        self._total_text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="relief-head")
        with Vertical(id="step-panel"):
            yield Label("", id="step-title")
            yield Countdown(id="countdown")
            yield Static("", id="instruction")
            yield Static("", id="tip")
        yield Label("", id="next-step")
        yield Static("", id="choices")
        yield Footer(compact=True, show_command_palette=False)

    def on_resize(self) -> None:
        # On a small terminal keep what matters: instruction, countdown, next step, keys.
        self.set_class(self.size.height < 24, "short")

    def on_mount(self) -> None:
        services = self.app.services
        routine = services.library.routine_for(self._muscle)
        self.run = RoutineRun(routine, side=self._side, clock=services.clock, wall_clock=services.wall_clock)
        self.run.start()
        self._show_step()
        self._refresh_time()
        self.set_interval(TICK_SECONDS, self._tick)

    # -- display -----------------------------------------------------------------------------
    def _show_step(self) -> None:
        run = self.run
        assert run is not None
        step = run.step
        self.query_one("#step-title", Label).update(step.title)
        self.query_one("#instruction", Static).update(step.instruction)
        self.query_one("#tip", Static).update(step.tip)
        self._show_head()
        self.query_one("#next-step", Label).update(f"Next: {run.next_step.title}")
        self._show_choices()

    def _show_choices(self) -> None:
        run = self.run
        assert run is not None
        side = run.side or "not set"
        leg = "  ".join(f"[b]{key}[/b] {name}" for key, name in SIDE_KEYS.items())
        bell = "on" if self.app.services.bell else "off"
        self.query_one("#choices", Static).update(
            f"Muscle: {muscle_choices()}\nLeg ({side}): {leg}   [b]m[/b] bell {bell}"
        )
        self._show_head()

    def _show_head(self) -> None:
        """Routine and leg, the cramp's time so far, and where in the routine we are."""
        run = self.run
        assert run is not None
        leg_text = f" · {run.side} leg" if run.side and run.side != "both" else (" · both legs" if run.side else "")
        count = len(run.routine.steps)
        dots = " ".join("●" if i <= run.index else "○" for i in range(count))
        again = f"   round {run.round}" if run.round > 1 else ""
        head = Table.grid(expand=True)
        head.add_column(ratio=1)
        head.add_column(justify="right", style="dim")
        head.add_row(Text(f"{run.routine.title}{leg_text}", style="bold"), self._total_text)
        head.add_row(Text(f"Step {run.index + 1} of {count}  {dots}{again}", style="dim"), "", end_section=True)
        self.query_one("#relief-head", Static).update(head)

    def _refresh_time(self) -> None:
        run = self.run
        assert run is not None
        now = self.app.services.clock()
        paused = run.phase is Phase.PAUSED
        if paused:
            caption = "Paused · space to go on"
        elif run.step.until_release:
            caption = "Hold until it lets go · enter when it's gone"
        else:
            caption = "enter when it's gone"
        self.query_one(Countdown).show(run.remaining(now), run.step_length(), caption)
        total = f"Cramp so far {clock_text(run.total_elapsed(now))}"
        if total != self._total_text:
            self._total_text = total
            self._show_head()
        self.set_class(paused, "paused")

    def _cue_step_change(self) -> None:
        """A bell and a calm, steady highlight of the new step (nothing flashes)."""
        self.app.ring_bell()
        panel = self.query_one("#step-panel")
        panel.add_class("changed")
        self.set_timer(CUE_SECONDS, lambda: panel.remove_class("changed"))

    def _handle(self, events: list) -> None:
        if any(isinstance(event, StepChanged) for event in events):
            self._show_step()
            self._cue_step_change()
        if any(isinstance(event, Escalated) for event in events):
            self._show_escalation()
        self._refresh_time()

    def _show_escalation(self) -> None:
        advice = self.app.services.library.guidance.get("escalation")
        if advice is None:
            return
        panel = Static(
            f"[b]{advice.title}[/b]\n{advice.text}\n[dim]Source: {advice.source.title}[/dim]", id="escalation"
        )
        self.mount(panel, after="#next-step")
        self.app.ring_bell()

    def _tick(self) -> None:
        if self.run is not None and self.run.phase is not Phase.FINISHED:
            self._handle(self.run.update())

    # -- actions -----------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        """Pause or resume the step's countdown."""
        assert self.run is not None
        self.run.toggle_pause()
        self._refresh_time()

    def action_next_step(self) -> None:
        """Skip to the next step."""
        assert self.run is not None
        self._handle([self.run.next()])

    def action_previous_step(self) -> None:
        """Go back one step."""
        assert self.run is not None
        self._handle([self.run.previous()])

    def action_add_time(self) -> None:
        """Give this step 15 more seconds."""
        assert self.run is not None
        self.run.add_time()
        self._refresh_time()
        self.notify("15 seconds added", timeout=2)

    def action_muscle(self, muscle: str) -> None:
        """Switch to the routine for another muscle."""
        assert self.run is not None
        if self.run.routine.muscle == muscle:
            return
        self._handle([self.run.switch_routine(self.app.services.library.routine_for(muscle))])

    def action_side(self, side: str) -> None:
        """Record which leg is cramping."""
        assert self.run is not None
        self.run.set_side(side)
        self._show_choices()

    def action_toggle_bell(self) -> None:
        """Turn the step-change bell on or off."""
        services = self.app.services
        services.bell = not services.bell
        self._show_choices()
        self.notify("Bell on" if services.bell else "Bell off", timeout=2)

    def action_gone(self) -> None:
        """The cramp has let go: finish and offer to save it."""
        self._finish(gone=True)

    def action_leave(self) -> None:
        """Leave the routine before the cramp let go."""
        self._finish(gone=False)

    def _finish(self, gone: bool) -> None:
        from cramp_coach.screens.summary import SaveRequest, SummaryScreen  # only needed at the end

        assert self.run is not None
        summary = self.run.finish(gone=gone)
        self.app.last_run = summary
        aftercare = self.app.services.library.guidance.get("aftercare")

        def closed(request: SaveRequest | None) -> None:
            if request is not None:
                self.app.save_relief(request)
            self.app.close_relief(self)

        self.app.push_screen(SummaryScreen(summary, self.run.routine, aftercare), closed)
