"""What helps you: streak, adherence, a calendar of nights, with-vs-without comparisons, the trial."""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from cramp_coach.core import habits
from cramp_coach.core.models import night_of
from cramp_coach.screens.diary_writes import DiaryJob, plain_reason
from cramp_coach.widgets.safe import literal

NOT_READ = object()  # the trial's start before the diary has been read

CELLS = {"both": "[$warning]◆[/]", "done": "[$success]■[/]", "cramp": "[$error]▲[/]", "none": "[dim]·[/]"}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def heatmap_text(grid) -> str:
    """The calendar as text, one weekday a row."""
    lines = []
    for weekday, row in zip(WEEKDAYS, grid):
        lines.append(f"{weekday} " + " ".join(" " if cell is None else CELLS[cell[1]] for cell in row))
    legend = f"{CELLS['done']} checklist done  {CELLS['cramp']} cramp  {CELLS['both']} both  {CELLS['none']} neither"
    return "\n".join(lines) + "\n" + legend


class InsightsScreen(Screen[None]):
    """Habits and insights from the diary; t starts or stops the 6-week stretching trial."""

    CSS_PATH = "insights.tcss"
    BINDINGS = [
        Binding("t", "trial", "stretching trial"),
        Binding("escape", "app.pop_screen", "back"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="insights-body"):
            yield Static("Reading your diary…", id="habits")
            yield Static("", id="heatmap")
            yield Static("", id="insights")
            yield Static("", id="trial")
        yield Footer()

    def on_mount(self) -> None:
        self._trial_start = NOT_READ
        self.load()

    def load(self) -> None:
        """Read the diary and compute everything, off the event loop."""
        self.app.diary_job(DiaryJob(run=self._compute, done=lambda shown: self._show(*shown), write=False, what="the diary", failed=self._failed))

    def _failed(self, error: Exception) -> None:
        self.query_one("#habits", Static).update(Content.assemble(("The diary cannot be read: ", "bold"), literal(plain_reason(error))))

    def _compute(self):
        """Everything the screen shows (runs in a worker thread)."""
        services = self.app.services
        tonight = night_of(services.wall_clock())
        book = services.checklist()
        items = book.visible()
        ticks = book.diary.ticks_by_night()
        cramps = book.diary.cramps(newest_first=False)
        trial_start = book.trial_start()
        done = habits.done_nights(ticks, [i.id for i in items])
        first = min(ticks) if ticks else None
        nights = habits.tracked_nights(first, tonight)
        lines = [f"[b]Streak[/b]: {habits.streak(done, tonight)} nights with the checklist done"]
        for days in (7, 30, 90):
            figure = habits.adherence(done, tonight, days, first)
            percent = "—" if figure.percent is None else f"{figure.percent}%"
            lines.append(f"Last {days} nights: {figure.done} of {figure.nights} done ({percent})")
        if first is None:
            lines.append("Tick tonight's checklist to start tracking.")
        grid = habits.heatmap(done, Counter(c.night for c in cramps), tonight)
        comparisons = [habits.compare("The whole checklist", nights, done, cramps)]
        for item in items:
            item_nights = {n for n, t in ticks.items() if item.id in t}
            comparisons.append(habits.compare(item.title, nights, item_nights, cramps))
        # Item titles are the person's own words: the sentences go in literally, after our bold heading.
        insight = Content.assemble(("What seems to help you", "bold"), "\n", literal("\n".join(f"• {c.sentence()}" for c in comparisons)))
        stretched = {n for n, t in ticks.items() if {"calf-stretch", "hamstring-stretch"} & set(t)}
        if trial_start is None:
            trial = Content.assemble(
                ("6-week stretching trial", "bold"),
                ": press t to start. Stretch calves and hamstrings every night for "
                "6 weeks (the checklist's stretch timers); at the end your diary compares the 6 weeks with the "
                "6 weeks before, in cramps a night and intensity.",
            )
        else:
            trial = Content.assemble(("6-week stretching trial", "bold"), "\n", literal(habits.trial_report(trial_start, tonight, cramps, stretched).sentence()))
        # Our own markup (with theme colours) is parsed on the UI thread, in _show.
        return trial_start, "\n".join(lines), heatmap_text(grid), insight, trial

    def _show(self, trial_start, habits_text: str, heat: str, insight: Content, trial: Content) -> None:
        self._trial_start = trial_start
        self.query_one("#habits", Static).update(habits_text)
        self.query_one("#heatmap", Static).update("[b]The last 13 weeks[/b]\n" + heat)
        self.query_one("#insights", Static).update(insight)
        self.query_one("#trial", Static).update(trial)

    def action_trial(self) -> None:
        """Start the 6-week stretching trial tonight, or stop the one running."""
        from cramp_coach.screens.dialogs import ConfirmScreen

        if self._trial_start is NOT_READ:
            self.notify("The diary has not been read yet, so the trial cannot be changed.", severity="warning", timeout=5)
            return
        tonight = night_of(self.app.services.wall_clock())
        if self._trial_start is None:
            question = "Start a 6-week stretching trial tonight? Stretch both legs with the checklist's timers every night."
            self.app.push_screen(ConfirmScreen(question, yes="Start"), lambda yes: yes and self._trial("start", tonight))
        else:
            self.app.push_screen(ConfirmScreen("Stop the stretching trial?", yes="Stop"), lambda yes: yes and self._trial("stop", tonight))

    def _trial(self, change: str, tonight) -> None:
        def write() -> None:
            book = self.app.services.checklist()
            if change == "start":
                book.start_trial(tonight)
            else:
                book.stop_trial()

        what = "starting the stretching trial" if change == "start" else "stopping the stretching trial"
        self.app.diary_job(DiaryJob(run=write, done=lambda _: self.load(), what=what))
