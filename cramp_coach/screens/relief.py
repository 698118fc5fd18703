"""The live relief screen: one plain instruction at a time, a big clock, and calm keys.

It is a screen that returns what happened: it dismisses with a :class:`ReliefResult` (the run,
and the diary entry if one was saved, or the "is this a cramp?" outcome that ended it). Opened as
the app's first screen (``cramp-coach relief``) it has nothing below it, so home opens over it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from cramp_coach.core.content import MUSCLE_NAMES, Advice, AdviceKey
from cramp_coach.core.formatting import clock_text
from cramp_coach.core.models import Cramp
from cramp_coach.core.record import record
from cramp_coach.core.routine import Phase, RunSummary
from cramp_coach.screens.guided import GuidedRoutineScreen, seconds_to_next_second
from cramp_coach.screens.keys import MUSCLE_KEYS, MUSCLE_SHORT, SIDE_KEYS, muscle_choices, side_choices
from cramp_coach.widgets.countdown import elapsed_text
from cramp_coach.widgets.keyline import KeyLine, TapButton, fit_to_size, tap_row
from cramp_coach.widgets.safe import literal
from cramp_coach.widgets.title_line import TitleLine

MODE_NAMES = {"home": "home", "checklist": "the bedtime checklist", "diary": "the diary"}
QUIT = "quit"  # as a place to go after the routine: leave the app
TOTAL_WIDTH = 19  # cells for "Cramp so far 59:59" at the header's right
ROOM_FOR_THE_ADVICE = 30  # rows: on a shorter screen the 10-minute advice takes the big clock's place


def advice_to_get_help(advice: Advice, with_source: bool = True) -> Content:
    """The 10-minute advice as shown (its title, its text, the key to the red flags, its source)."""
    parts: list[Content | str | tuple[str, str]] = [
        literal(advice.title, "bold"), "\n", literal(advice.text), "\nPress ", ("!", "bold"), " for the red-flag signs.",
    ]
    if with_source:
        parts += ["\n", literal(f"Source: {advice.source.title}", "dim")]
    return Content.assemble(*parts)


@record
class ReliefResult:
    """How a relief run ended: the run, the entry saved for it (if any), and a triage outcome that
    ended it as "not a typical cramp" (``restless``, ``soon``, ``unclear``), if one did."""

    run: RunSummary
    saved: Cramp | None = None
    outcome: str | None = None


class ReliefScreen(GuidedRoutineScreen):
    """Guides a person through a relief routine for a cramp happening now."""

    KEYS: ClassVar[list[Binding]] = [
        Binding("exclamation_mark", "red_flags", "red flags"),
        *GuidedRoutineScreen.GUIDED_BINDINGS,
        Binding("enter", "gone", "it's gone", show=False),  # the button beside "Next" says it
        Binding("escape", "leave", "leave"),
        Binding("question_mark", "triage", "is this a cramp?", show=False),
        Binding("m", "toggle_bell", "bell on/off", show=False),
        *[Binding(key, f"muscle('{m}')", MUSCLE_NAMES[m], show=False) for key, m in MUSCLE_KEYS.items()],
        *[Binding(key, f"side('{side}')", f"{side} leg", show=False) for key, side in SIDE_KEYS.items()],
        *[Binding(key, f"leave_for('{mode}')", MODE_NAMES[mode], show=False) for key, mode in (("f1", "home"), ("f2", "checklist"), ("f3", "diary"))],
    ]
    BINDINGS: ClassVar[list[BindingType]] = [*KEYS]
    GONE_GUARD_SECONDS = 1.5  # enter ("it's gone") does nothing this soon after the start

    def __init__(self, muscle: str = "calf", side: str | None = None, triage: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._muscle = muscle
        self._side = side
        self.triage = triage  # answers to "is this a cramp?", kept with the diary entry
        self._first_run = False
        self._buttons_added = False  # the buttons to tap come after the first frame
        self._keys_shown_for: Phase | None = None

    def compose(self) -> ComposeResult:
        yield TitleLine(TOTAL_WIDTH, id="relief-head")
        yield Static("", id="relief-steps")
        yield from self.step_panel()
        yield KeyLine(id="keys")

    async def _add_buttons(self) -> None:
        """After the first frame (the clock comes first): the muscle and leg choices, and buttons to
        tap or click: "it's gone" beside the next step, and on a phone rows for the other keys."""
        await self.mount(Static("", id="choices"), after="#next-row")
        gone = TapButton("It's gone ⏎", "gone", id="its-gone", variant="primary")
        gone.styles.min_width = 16  # as wide as a Button usually is, beside "Next: ..."
        await self.query_one("#next-row").mount(gone)
        muscles = [TapButton(MUSCLE_SHORT[muscle], f"muscle('{muscle}')", id=f"tap-{muscle}") for muscle in MUSCLE_KEYS.values()]
        legs = [TapButton(side, f"side('{side}')", id=f"tap-{side}") for side in SIDE_KEYS.values()]
        await self.mount(
            Vertical(
                self.step_buttons(),
                tap_row(*muscles, id="tap-muscles"),
                tap_row(*legs, TapButton("! red flags", "red_flags", id="tap-red-flags"), TapButton("leave", "leave", id="tap-leave"), id="tap-more"),
                id="tap-rows",
            )
        )
        fit_to_size(self)
        self._buttons_added = True
        self._show_choices()

    def on_mount(self) -> None:
        services = self.cc.services
        self.start_run(services.routine_for(self._muscle), side=self._side)
        if services.first_relief():
            # The first time (even straight from `cramp-coach relief`): what this is, and is not.
            self._first_run = True
            self.mount(Static(self._first_run_text(), id="first-run"), before="#step-panel")
            services.mark_relief_seen()
        self.call_after_refresh(self._add_buttons)

    def _fit_the_advice(self) -> None:
        """After 10 minutes on a screen under 30 rows, the advice takes the big clock's place (see
        relief.tcss). Set only then: a class change before the first frame would restyle every widget."""
        self.set_class(self.has_class("escalated") and self.size.height < ROOM_FOR_THE_ADVICE, "cramped")
        for panel in self.query("#escalation").results(Static):
            # On a short screen the advice takes the room there is (relief.tcss), but no more than it
            # needs: rows it does not fill go to the step below it, not to blank lines in the box.
            width = min(self.size.width - 2, 110) - 4  # the screen's padding; the box's border and padding
            advice = panel.visual
            fitted = self.has_class("short") and width > 0 and isinstance(advice, Content)
            panel.styles.max_height = advice.get_height({}, width) + 2 if fitted else None

    def _first_run_text(self) -> Content:
        disclaimer = self.cc.services.advice(AdviceKey.DISCLAIMER)
        text = disclaimer.text if disclaimer else "Self-care guidance only; not a diagnosis."
        if self.has_class("narrow"):
            text = "Not a diagnosis."
        elif self.has_class("short"):
            text = "Self-care guidance, not a diagnosis."
        return Content.assemble(literal(text), " ", Content.from_markup("[b @click=screen.triage]?[/] [@click=screen.triage]is this a cramp?[/]"))

    def on_resize(self) -> None:
        self._fit_the_advice()
        super().on_resize()
        if self.run is not None:
            self._show_choices()
            self._show_head()  # (a narrower screen may want the shorter title)
        if self._first_run:
            for line in self.query("#first-run").results(Static):
                line.update(self._first_run_text())

    # -- display -------------------------------------------------------------------------------------
    def show_step(self) -> None:
        super().show_step()
        self._show_choices()
        self._show_head()

    def _show_choices(self) -> None:
        run = self.run
        assert run is not None
        side = run.side or "not set"
        bell = "on" if self.cc.services.bell else "off"
        if self.has_class("short"):  # one line: the leg chosen shows in the title
            text = f"{muscle_choices()}   leg {' '.join(f'[b]{key}[/b]' for key in SIDE_KEYS)}"
        else:
            text = f"Muscle: {muscle_choices()}\nLeg ({side}): {side_choices()}   [b]m[/b] bell {bell}"
        for line in self.query("#choices").results(Static):  # (there after the first frame)
            line.update(text)
        if not self._buttons_added:
            return
        # The muscle and leg chosen, marked among the buttons to tap.
        for muscle in MUSCLE_KEYS.values():
            for button in self.query(f"#tap-{muscle}").results(TapButton):
                button.variant = "primary" if muscle == run.routine.muscle else "default"
        for leg in SIDE_KEYS.values():
            for button in self.query(f"#tap-{leg}").results(TapButton):
                button.variant = "primary" if leg == run.side else "default"

    def _show_head(self) -> None:
        """Routine and leg, and where in the routine we are."""
        run = self.run
        assert run is not None
        leg = f" · {run.side} leg" if run.side and run.side != "both" else (" · both legs" if run.side else "")
        title = run.routine.title
        room = (self.size.width or 80) - 2 - TOTAL_WIDTH - 2  # the screen's padding, the status and its gap
        if len(title + leg) > room and "(" in title:  # "Back of the thigh (hamstring)": the leg matters more
            title = title[: title.index("(")].rstrip() or title
        self.query_one(TitleLine).show(title=literal(f"{title}{leg}", "bold"))
        count = len(run.routine.steps)
        dots = " ".join("●" if i <= run.index else "○" for i in range(count))
        again = f"   round {run.round}" if run.round > 1 else ""
        self.query_one("#relief-steps", Static).update(f"Step {run.index + 1} of {count}  {dots}{again}")

    def _show_keys(self) -> None:
        self.query_one(KeyLine).show(
            binding for binding in self.KEYS if binding.show and self.check_action(binding.action.split("(")[0], ()) is True
        )

    def caption(self) -> str:
        run = self.run
        assert run is not None
        if self.has_class("narrow"):  # "it's gone" is a button right below
            return super().caption()
        if run.holding and super().caption().startswith("hold"):
            if self.size.width < 66:  # on one line at 60 columns
                return "hold until it lets go · n when it eases · ⏎ it's gone"
            return "hold until it lets go · n when it eases · enter when it's gone"
        caption = super().caption() or "enter when it's gone"
        if self.has_class("cramped") and not run.holding and run.phase is not Phase.PAUSED:
            # After 10 minutes on a short screen the big clock has given way to the advice: the
            # time left in this step goes here, so a step never moves on unannounced.
            left = clock_text(run.remaining(self.cc.services.clock()))
            return f"{left} left · n next · {caption}"
        return caption

    def refresh_time(self) -> None:
        run = self.run
        assert run is not None
        self.query_one(TitleLine).show(status=f"Cramp so far {elapsed_text(run.total_elapsed(self.cc.services.clock()))}")
        super().refresh_time()
        if run.phase is not self._keys_shown_for:  # the keys change with the pause, not with the clock
            self._keys_shown_for = run.phase
            self._show_keys()

    def seconds_to_next_change(self, now: float) -> float:
        assert self.run is not None
        cramp_clock = seconds_to_next_second(self.run.total_elapsed(now))  # runs on while paused
        return min(super().seconds_to_next_change(now), cramp_clock)

    def on_escalated(self) -> None:
        advice = self.cc.services.advice(AdviceKey.ESCALATION)  # with the person's emergency number
        if advice is None:
            return
        panel = Static(advice_to_get_help(advice), id="escalation")
        self.mount(panel, before="#step-panel")  # the advice first: it matters more than the step now
        self.add_class("escalated")
        self._fit_the_advice()
        self.cc.ring_bell()

    # -- actions -------------------------------------------------------------------------------------
    def action_red_flags(self) -> None:
        """The signs that need medical help (the routine keeps running underneath)."""
        from cramp_coach.screens.safety import RedFlagsScreen

        self.app.push_screen(RedFlagsScreen())

    def action_triage(self) -> None:
        """A few yes/no questions: is this a cramp?"""
        from cramp_coach.screens.safety import TriageScreen

        self.app.push_screen(TriageScreen(), self._triage_answered)

    def _triage_answered(self, answer: tuple[str, tuple[str, ...]] | None) -> None:
        """Carry on with relief, show the red flags, or end here and log what the answers found."""
        if answer is None:
            return
        outcome, answers = answer
        for line in self.query("#first-run"):
            line.remove()  # the questions were answered: no more "is this a cramp?" offer
        self._first_run = False
        if outcome == "relief":
            self.triage = answers
        elif outcome == "redflag":
            self.action_red_flags()
        else:
            from cramp_coach.screens.diary_writes import save_cramp
            from cramp_coach.screens.safety import not_a_cramp_entry

            assert self.run is not None
            run = self.run.finish(gone=False)
            self.stop_clock()
            entry = not_a_cramp_entry(outcome, answers, run.started_at)
            save_cramp(self.cc, entry, "the entry for what the questions found", done=lambda _: None)  # home says so
            self._close(ReliefResult(run, outcome=outcome))

    def action_muscle(self, muscle: str) -> None:
        """Switch to the routine for another muscle."""
        assert self.run is not None
        if self.run.routine.muscle != muscle:
            self.handle([self.run.switch_routine(self.cc.services.routine_for(muscle))])

    def action_side(self, side: str) -> None:
        """Record which leg is cramping."""
        assert self.run is not None
        self.run.set_side(side)
        self._show_choices()
        self._show_head()

    def action_toggle_bell(self) -> None:
        """Turn the step-change bell on or off."""
        services = self.cc.services
        services.bell = not services.bell
        self._show_choices()
        self.notify("Bell on" if services.bell else "Bell off", timeout=2)

    def action_gone(self) -> None:
        """The cramp has let go: finish and offer to save it (not in the first moments: a second enter
        from home, or a key held down, would otherwise end the run and offer to save a 0:00 cramp)."""
        assert self.run is not None
        if self.run.total_elapsed(self.cc.services.clock()) < self.GONE_GUARD_SECONDS:
            return
        self._finish(gone=True)

    def action_leave(self) -> None:
        """Leave the routine before the cramp let go (the summary still offers to save it)."""
        self._finish(gone=False)

    def action_leave_for(self, mode: str) -> None:
        """F1, F2, F3 while the routine runs: ask first, and offer to save what there is."""
        self.leave_for(mode)

    def leave_for(self, mode: str) -> None:
        """Going to another part of the app (a key or the palette): ask first, offer to save."""
        from cramp_coach.screens.dialogs import ChoiceScreen

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self._finish(gone=False, then=mode)
            elif choice == "leave":
                assert self.run is not None
                self.stop_clock()
                self._close(ReliefResult(self.run.finish(gone=False)), then=mode)

        going = "Quit cramp coach" if mode == QUIT else f"Go to {MODE_NAMES[mode]}"
        question = Content.assemble(
            ("Leave the relief routine?", "bold"), "\n", literal(f"It is still running; this cramp is not saved yet. {going}:"),
        )
        choices = [("s", "save", "Save it first"), ("l", "leave", "Leave, don't save"), ("escape", "stay", "Stay")]
        self.app.push_screen(ChoiceScreen(question, choices), chosen)

    def _finish(self, gone: bool, then: str | None = None) -> None:
        from cramp_coach.screens.summary import SummaryScreen  # only needed at the end

        assert self.run is not None
        run = self.run.finish(gone=gone)
        self.stop_clock()

        def summary_closed(saved: Cramp | None) -> None:
            self._close(ReliefResult(run, saved=saved), then=then)

        self.app.push_screen(SummaryScreen(run, triage=self.triage), summary_closed)

    def _close(self, result: ReliefResult, then: str | None = None) -> None:
        """Dismiss with ``result``; as the first screen there is nothing below, so home opens over it."""
        if then == QUIT:  # ctrl+q during the routine: asked first, saved if chosen; now leave
            self.app.exit()
            return
        if then is not None and result.saved is not None:
            self.notify("Saved to your diary", timeout=4)
        if len(self.app.screen_stack) > 1:
            self.dismiss(result)
            if then is not None:
                self.app.switch_mode(then)
        elif then is not None:
            self.app.switch_mode(then)  # this finished screen stays behind, asleep, in the first stack
        else:  # home goes on top; this finished screen stays below it, asleep
            from cramp_coach.screens.home import HomeScreen

            self.app.push_screen(HomeScreen(after=result))
