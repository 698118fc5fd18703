"""What helps you: streak, adherence, a calendar of nights, with-vs-without comparisons, the trial."""

from __future__ import annotations

from collections import Counter

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from cramp_coach.core import habits
from cramp_coach.core.models import night_of
from cramp_coach.core.storage import StorageError

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
        self.load()

    @work(thread=True, exclusive=True, group="insights-load")
    def load(self) -> None:
        """Compute everything off the event loop."""
        services = self.app.services
        tonight = night_of(services.wall_clock())
        try:
            book = services.checklist()
            items = book.visible()
            ticks = book.diary.ticks_by_night()
            cramps = book.diary.cramps(newest_first=False)
            trial_start = book.trial_start()
        except StorageError as error:
            self.app.call_from_thread(self.app.diary_problem, error, self.load)
            return
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
        insight_text = "[b]What seems to help you[/b]\n" + "\n".join(f"• {c.sentence()}" for c in comparisons)
        stretched = {n for n, t in ticks.items() if {"calf-stretch", "hamstring-stretch"} & set(t)}
        if trial_start is None:
            trial_text = (
                "[b]6-week stretching trial[/b]: press t to start. Stretch calves and hamstrings every night for "
                "6 weeks (the checklist's stretch timers); at the end your diary compares the 6 weeks with the "
                "6 weeks before, in cramps a night and intensity."
            )
        else:
            trial_text = "[b]6-week stretching trial[/b]\n" + habits.trial_report(trial_start, tonight, cramps, stretched).sentence()
        self.app.call_from_thread(self._show, "\n".join(lines), heatmap_text(grid), insight_text, trial_text)

    def _show(self, habits_text: str, heat: str, insight: str, trial: str) -> None:
        self.query_one("#habits", Static).update(habits_text)
        self.query_one("#heatmap", Static).update("[b]The last 13 weeks[/b]\n" + heat)
        self.query_one("#insights", Static).update(insight)
        self.query_one("#trial", Static).update(trial)

    def action_trial(self) -> None:
        """Start the 6-week stretching trial tonight, or stop the one running."""
        from cramp_coach.screens.dialogs import ConfirmScreen

        book = self.app.services.checklist()
        tonight = night_of(self.app.services.wall_clock())
        if book.trial_start() is None:
            question = "Start a 6-week stretching trial tonight? Stretch both legs with the checklist's timers every night."
            self.app.push_screen(ConfirmScreen(question, yes="Start"), lambda yes: yes and self._trial(book.start_trial, tonight))
        else:
            self.app.push_screen(ConfirmScreen("Stop the stretching trial?", yes="Stop"), lambda yes: yes and self._trial(book.stop_trial))

    def _trial(self, change, *args) -> None:
        try:
            change(*args)
        except StorageError as error:
            self.app.diary_problem(error)
            return
        self.load()
