"""The diary's statistics: cramps per week and month, averages, what ended them, when to see someone."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from cramp_coach.core.models import Cramp, night_of
from cramp_coach.core.stats import bar_chart, diary_stats, rise_after_new_medicine
from cramp_coach.core.text import one_line
from cramp_coach.widgets.safe import literal, plain

CHART_ROWS = 12


def summary_lines(cramps: list[Cramp], step_title) -> list[str]:
    """The headline figures, one a line (plain text: step titles may come from the user's files)."""
    stats = diary_stats(cramps)
    if not stats.total:
        return ["No cramps in the diary yet."]

    def top(pair, name=lambda s: s):
        return f"{one_line(plain(name(pair[0])))} ({pair[1]})" if pair else "not recorded"

    return [
        f"{stats.total} cramps, nights {stats.first_night} to {stats.last_night}",
        "Mean intensity: " + (f"{stats.mean_intensity:.1f} / 10" if stats.mean_intensity is not None else "not recorded"),
        "Mean duration: " + (f"{stats.mean_duration_s / 60:.1f} min" if stats.mean_duration_s is not None else "not recorded"),
        f"Most common muscle: {top(stats.top_muscle)}",
        f"Most common leg: {top(stats.top_leg)}",
        f"Most often ended by: {top(stats.top_ended_by, step_title)}",
    ]


class StatsScreen(Screen[None]):
    """Charts and figures over the whole diary."""

    CSS_PATH = "stats.tcss"
    BINDINGS = [Binding("escape,s", "app.pop_screen", "back to the diary")]

    def __init__(self, cramps: list[Cramp]) -> None:
        super().__init__()
        self.cramps = cramps

    def compose(self) -> ComposeResult:
        services = self.app.services
        stats = diary_stats(self.cramps)
        with VerticalScroll(id="stats-body"):
            lines = summary_lines(self.cramps, services.step_title)
            first, _, rest = lines[0].partition(" ")
            headline = Content.assemble((first, "bold"), " ", literal(rest)) if stats.total else literal(lines[0])
            yield Static(Content("\n").join([headline, *(literal(line) for line in lines[1:])]), id="stats-summary")
            if stats.busy_months:
                advice = services.advice("see_clinician")
                if advice is not None:
                    months = ", ".join(f"{m} ({n})" for m, n in stats.busy_months[-3:])
                    yield Static(
                        Content.assemble(
                            literal(advice.title, "bold"), f" · {months}\n", literal(advice.text), "\n",
                            literal(f"Source: {advice.source.title}", "dim"),
                        ),
                        id="stats-advice",
                    )
            rise = rise_after_new_medicine(self.cramps, night_of(services.wall_clock()) + timedelta(days=1))
            medicine = services.advice("new_medicine")
            if rise is not None and medicine is not None:
                yield Static(
                    Content.assemble(
                        literal(medicine.title, "bold"),
                        f" · {rise.before_per_night:.2f} cramps a night in the 4 weeks before {rise.since}, "
                        f"{rise.after_per_night:.2f} since\n",
                        literal(medicine.text), "\n", literal(f"Source: {medicine.source.title}", "dim"),
                    ),
                    id="stats-medicine",
                )
            months = bar_chart(stats.per_month[-CHART_ROWS:], width=30)
            weeks = bar_chart([(f"w/c {w.isoformat()}", n) for w, n in stats.per_week[-CHART_ROWS:]], width=30)
            yield Static("[b]Cramps per month[/b] (the last 12)\n" + ("\n".join(months) or "none yet"), id="chart-months")
            yield Static("[b]Cramps per week[/b] (the last 12, by the Monday they start)\n" + ("\n".join(weeks) or "none yet"), id="chart-weeks")
            ended = "\n".join(f"{one_line(plain(services.step_title(step)))}: {n}" for step, n in stats.ended_by[:6]) or "not recorded yet"
            yield Static(Content.assemble(("What ended your cramps", "bold"), "\n", literal(ended)), id="stats-ended")
        yield Footer()
