"""The home screen: a prominent "Cramp now", the other muscles, and the way to the other parts.

After a relief run home shows a calm line about it ("Saved to your diary"), with no button in
focus, so a second enter pressed out of habit starts nothing. When the diary holds 5 or more
cramps in the last 30 nights, home shows the advice to see a clinician.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Static

from cramp_coach.commands import COMMANDS, home_bindings, home_hint
from cramp_coach.core.content import MUSCLE_NAMES, AdviceKey
from cramp_coach.core.models import Cramp
from cramp_coach.screens.base import CoachScreen
from cramp_coach.screens.diary_writes import DiaryJob
from cramp_coach.screens.keys import MUSCLE_KEYS, MUSCLE_SHORT, muscle_choices
from cramp_coach.screens.relief import ReliefResult
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.keyline import TapButton, fit_to_size, tap_row
from cramp_coach.widgets.safe import literal

OUTCOME_LINES = {
    "restless": "Logged as possible restless legs, apart from your cramps: worth mentioning to a clinician.",
    "soon": "Logged apart from your cramps: see a clinician soon, not tonight.",
    "unclear": "Logged apart from your cramps as not a typical cramp: worth mentioning to a clinician.",
}


CRAMP_NOW_HINT = "Enter or c: start relief for a calf cramp, straight away."
CALM_SECONDS = 3.0  # after a run, enter does nothing this long (a second enter out of habit), then starts relief


class HomeScreen(CoachScreen[None]):
    """Where cramp_coach opens: one key to start relief for a calf cramp."""

    LISTS_WARNINGS = True  # home lists left-out files itself: no toasts
    AUTO_FOCUS = ""  # "Cramp now" is focused by hand, except in the calm moment after a run

    CSS_PATH = "home.tcss"
    BINDINGS = [
        *home_bindings(own=frozenset({"cramp_now"})),
        *[Binding(key, f"relief('{m}')", MUSCLE_NAMES[m], show=False) for key, m in MUSCLE_KEYS.items()],
    ]

    def __init__(self, after: ReliefResult | None = None) -> None:
        super().__init__()
        self._after = after
        self._calm = after is not None  # after a run: nothing in focus, so a second enter starts nothing
        self._calm_over = False
        self._clinician_advice_shown = False

    def compose(self) -> ComposeResult:
        services = self.cc.services
        with Vertical(id="home-body"):
            yield Label("cramp coach", id="home-title")
            yield Static("", id="home-after")
            with Center():
                yield Button("Cramp now  ⏎", id="cramp-now", variant="error")
            yield Static(CRAMP_NOW_HINT, id="cramp-now-hint")
            yield Static(f"Muscle: {muscle_choices()}", id="other-muscles")
            yield Static(home_hint("go('checklist')", "go('diary')"), id="home-parts")
            yield Static(home_hint("triage", "red_flags", "sources", "settings"), id="home-safety")
            with Vertical(id="home-taps"):  # on a narrow screen (a phone), in place of the key hints
                yield tap_row(*[TapButton(MUSCLE_SHORT[m], f"relief('{m}')", id=f"tap-{m}") for m in MUSCLE_KEYS.values()], id="tap-muscles")
                yield tap_row(*[self._part_button(action) for action in ("go('checklist')", "go('diary')", "red_flags")], id="tap-parts")
                yield tap_row(*[self._part_button(action) for action in ("triage", "sources", "settings")], id="tap-safety")
            yield Static("", id="home-advice")
            disclaimer = services.advice(AdviceKey.DISCLAIMER)
            yield Static(literal(disclaimer.text if disclaimer else "Self-care guidance only; not a diagnosis."), id="disclaimer")
            if services.warnings:
                count = len(services.warnings)
                heading = "Something to look at" if count == 1 else f"{count} things to look at"
                yield Static(literal(f"{heading}: " + "; ".join(services.warnings)), id="home-warnings")
        yield SteadyFooter(compact=True)

    @staticmethod
    def _part_button(action: str) -> TapButton:
        """A button for one of the app's commands, labelled as in the footer."""
        command = next(command for command in COMMANDS if command.action == action)
        label = f"! {command.label}" if action == "red_flags" else command.label
        name = action.split("(")[-1].strip("')") if "(" in action else action.replace("_", "-")
        return TapButton(label, f"app.{action}", id=f"tap-{name}")

    def on_mount(self) -> None:
        if self._after is not None:
            self.show_after(self._after)
        else:
            self.query_one("#cramp-now", Button).focus()

    def on_resize(self) -> None:
        self.set_class(self.size.height < 24, "short")
        fit_to_size(self)

    def on_screen_suspend(self) -> None:
        self._calm_over = self._calm  # after another screen, home is its usual self again

    def on_screen_resume(self) -> None:
        if self._calm_over:
            self._calm_over = self._calm = False
            self.query_one("#home-after").display = False
            self.query_one("#cramp-now", Button).focus()
        self._look_at_the_month()

    # -- after a relief run --------------------------------------------------------------------------
    def show_after(self, result: ReliefResult | None) -> None:
        """A calm line about the run just ended; nothing in focus, so enter starts nothing."""
        if result is None:
            return
        self._calm = True
        self.set_focus(None)
        self.call_after_refresh(self.set_focus, None)  # also after the screen's own focus comes back
        if result.outcome is not None:
            text = OUTCOME_LINES.get(result.outcome, OUTCOME_LINES["unclear"])
        elif result.saved is not None:
            text = "Saved to your diary."
        else:  # the aftercare advice again (the summary gave it), where there is room for it
            text = "Not saved." if self.has_class("short") else "Not saved. " + self._aftercare()
        after = self.query_one("#home-after", Static)
        after.update(Content.assemble(("✓ " if result.saved else "", "bold"), literal(text.strip())))
        after.display = True
        self._look_at_the_month(just_saved=result.saved)
        hint = self.query_one("#cramp-now-hint", Static)
        hint.update("c: start relief for a calf cramp (enter too, in a moment).")
        self.set_timer(CALM_SECONDS, self._calm_ends)

    def _calm_ends(self) -> None:
        """A few seconds after a run: enter starts relief again (a cramp can come back)."""
        if self._calm and self.is_current:
            self.query_one("#cramp-now", Button).focus()
        self.query_one("#cramp-now-hint", Static).update(CRAMP_NOW_HINT)

    def _aftercare(self) -> str:
        aftercare = self.cc.services.advice(AdviceKey.AFTERCARE)
        return aftercare.text if aftercare else ""

    def _look_at_the_month(self, just_saved: Cramp | None = None) -> None:
        """Read the diary off the UI thread: 5 or more cramps in the last 30 nights → see a clinician."""
        from cramp_coach.core.stats import see_clinician_count

        services = self.cc.services

        def count() -> tuple[int | None, bool]:
            cramps = services.diary().cramps()
            tonight = services.tonight()
            now = see_clinician_count(cramps, tonight)
            before = see_clinician_count([c for c in cramps if just_saved is None or c.id != just_saved.id], tonight)
            return now, now is not None and before is None

        self.cc.diary_job(DiaryJob(run=count, done=lambda counted: self._show_advice(*counted), write=False, quiet=True, what="the diary"))

    def _show_advice(self, count: int | None, crossed_now: bool) -> None:
        advice = self.cc.services.advice(AdviceKey.SEE_CLINICIAN)
        line = self.query_one("#home-advice", Static)
        if count is None or advice is None:
            line.display = False
            return
        lead = f"That makes {count} cramps in the last 30 nights. " if crossed_now else f"{count} cramps in the last 30 nights. "
        line.update(Content.assemble((advice.title, "bold"), ": ", literal(lead + advice.text)))
        line.display = True

    # -- actions --------------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cramp-now":
            self.action_relief("calf")

    def action_cramp_now(self) -> None:
        """Start the relief routine for a calf cramp."""
        self.action_relief("calf")

    def action_relief(self, muscle: str) -> None:
        """Start the relief routine for ``muscle``; home shows how it ended."""
        self.cc.open_relief(muscle, then=self.show_after)
