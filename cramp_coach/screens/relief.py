"""The live relief screen: one plain instruction at a time, a big countdown, and calm keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.widgets import Footer, Static

from cramp_coach.core.content import MUSCLE_NAMES, MUSCLES
from cramp_coach.core.formatting import clock_text
from cramp_coach.core.routine import Phase
from cramp_coach.screens.guided import GuidedRoutineScreen
from cramp_coach.widgets.safe import literal, plain

SIDE_KEYS = {"l": "left", "r": "right", "o": "both"}
MUSCLE_SHORT = {"calf": "calf", "foot": "foot", "hamstring": "back thigh", "quadriceps": "front thigh"}


def muscle_choices() -> str:
    """The one-key muscle choices, as shown under the routine."""
    return "  ".join(f"[b]{n}[/b] {MUSCLE_SHORT[m]}" for n, m in enumerate(MUSCLES, start=1))


class ReliefScreen(GuidedRoutineScreen):
    """Guides a person through a relief routine for a cramp happening now."""

    BINDINGS = [
        *GuidedRoutineScreen.GUIDED_BINDINGS,
        Binding("enter", "gone", "it's gone"),
        Binding("escape", "leave", "leave"),
        Binding("m", "toggle_bell", "bell on/off", show=False),
        Binding("question_mark", "app.triage(True)", "is this a cramp?", show=False),
        *[Binding(str(n), f"muscle('{m}')", MUSCLE_NAMES[m], show=False) for n, m in enumerate(MUSCLES, start=1)],
        *[Binding(key, f"side('{side}')", f"{side} leg", show=False) for key, side in SIDE_KEYS.items()],
    ]

    def __init__(self, muscle: str = "calf", side: str | None = None, triage: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._muscle = muscle
        self._side = side
        self._total_text = ""
        self.triage = triage  # answers to "is this a cramp?", kept with the diary entry

    def compose(self) -> ComposeResult:
        yield Static("", id="relief-head")
        yield from self.step_panel()
        yield Static("", id="choices")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        services = self.app.services
        self.start_run(services.library.routine_for(self._muscle), side=self._side)
        if services.first_relief() and not self.triage:
            # The first time: offer the questions without getting in the way of relief.
            self.mount(
                Static("First time here? Press [b]?[/b] for a few yes/no questions: is this a cramp?", id="first-run"),
                before="#step-panel",
            )
            services.mark_relief_seen()

    # -- display -------------------------------------------------------------------------------------
    def show_step(self) -> None:
        super().show_step()
        self._show_choices()

    def _show_choices(self) -> None:
        run = self.run
        assert run is not None
        side = run.side or "not set"
        leg = "  ".join(f"[b]{key}[/b] {name}" for key, name in SIDE_KEYS.items())
        bell = "on" if self.app.services.bell else "off"
        self.query_one("#choices", Static).update(f"Muscle: {muscle_choices()}\nLeg ({side}): {leg}   [b]m[/b] bell {bell}")
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
        head.add_row(Text(plain(f"{run.routine.title}{leg_text}"), style="bold"), self._total_text)
        head.add_row(Text(f"Step {run.index + 1} of {count}  {dots}{again}", style="dim"), "")
        self.query_one("#relief-head", Static).update(head)

    def caption(self) -> str:
        run = self.run
        assert run is not None
        if run.phase is Phase.PAUSED:
            return super().caption()
        if run.step.until_release:
            return "Hold until it lets go · enter when it's gone"
        return "enter when it's gone"

    def refresh_time(self) -> None:
        super().refresh_time()
        assert self.run is not None
        total = f"Cramp so far {clock_text(self.run.total_elapsed(self.app.services.clock()))}"
        if total != self._total_text:
            self._total_text = total
            self._show_head()

    def on_escalated(self) -> None:
        advice = self.app.services.advice("escalation")
        if advice is None:
            return
        panel = Static(
            Content.assemble(
                literal(advice.title, "bold"), "\n", literal(advice.text), "\nPress ", ("!", "bold"),
                " for the red-flag signs.\n", literal(f"Source: {advice.source.title}", "dim"),
            ),
            id="escalation",
        )
        self.mount(panel, after="#next-step")
        self.app.ring_bell()

    # -- actions -------------------------------------------------------------------------------------
    def action_muscle(self, muscle: str) -> None:
        """Switch to the routine for another muscle."""
        assert self.run is not None
        if self.run.routine.muscle != muscle:
            self.handle([self.run.switch_routine(self.app.services.library.routine_for(muscle))])

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
        aftercare = self.app.services.advice("aftercare")

        def closed(request: SaveRequest | None) -> None:
            if request is not None:
                self.app.save_relief(request)
            self.app.close_relief(self)

        self.app.push_screen(SummaryScreen(summary, self.run.routine, aftercare, triage=self.triage), closed)
