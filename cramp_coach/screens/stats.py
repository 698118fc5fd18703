"""The diary's statistics, laid out from the one stats report (``core.report``): headline figures,
cramps per month and week, what ended them, and the advice the figures call for.

Nothing is computed here: the report is built off the UI thread and this screen only lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from cramp_coach.core.models import Cramp
from cramp_coach.core.report import StatsReport
from cramp_coach.core.stats import NEW_MEDICINE_TAG, bar_chart
from cramp_coach.screens.base import CoachScreen
from cramp_coach.screens.diary_writes import DiaryJob, plain_reason
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.safe import joined, line, literal

CHART_WIDTH = 24
ENDED_BY_ROWS = 6
# The report last built, with the very list of entries (the diary screen's, replaced whenever the
# diary changes) and the night it was built for: going back and forth between the diary and its
# stats builds it once.
_last_report: dict[str, Any] = {}


def build_report(services, entries: Sequence[Cramp] | None) -> StatsReport:
    """The stats report over ``entries`` (or the whole diary when not given), with the nights the
    diary covers read only when the new-medicine advice needs them (runs in a worker thread)."""
    from cramp_coach.core.report import stats_report

    diary = services.diary()
    if entries is None:
        entries = diary.cramps(newest_first=False)
    recorded: set[date] | None = None
    if any(NEW_MEDICINE_TAG in entry.tags for entry in entries):
        recorded = set(diary.nights()) | {entry.night for entry in entries}
    return stats_report(
        entries, services.tonight(), step_title=services.step_title, advice=services.advice, recorded=recorded
    )


def headline(report: StatsReport) -> Content:
    """The title line, then one ``label: value`` a line (values may hold the person's own words)."""
    rows = [Content.styled(report.title, "bold")]
    if not report.total:
        rows.append(Content("No cramps in the diary yet."))
    rows += [Content.assemble(f"{label}: ", line(value)) for label, value in report.headline]
    return joined(rows)


def chart(title: str, rows: list[tuple[str, int]]) -> Content:
    """A heading and plain-text bars (labels are dates, ours)."""
    bars = bar_chart(rows, width=CHART_WIDTH)
    return Content.assemble((title, "bold"), "\n", "\n".join(bars) or "none yet")


class StatsScreen(CoachScreen[None]):
    """Charts and figures over the whole diary (or the entries the diary screen has read)."""

    LEFT_WHEN_AWAY = True

    CSS_PATH = "stats.tcss"
    BINDINGS = [Binding("escape,s", "app.pop_screen", "back to the diary")]

    def __init__(self, entries: Sequence[Cramp] | None = None) -> None:
        super().__init__()
        self.entries = entries
        self.report: StatsReport | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-body"):
            yield Static("Reading…", id="stats-summary")
            yield Static("", id="stats-notices")
            yield Static("", id="chart-months")
            yield Static("", id="chart-weeks")
            yield Static("", id="stats-ended")
        yield SteadyFooter()

    def on_mount(self) -> None:
        services, entries = self.cc.services, self.entries
        tonight = services.tonight()
        known = _last_report.get("report")
        if entries is not None and known is not None and _last_report.get("entries") is entries and _last_report.get("tonight") == tonight:
            self._show(known)  # the same entries as last time (the diary has not changed): nothing to compute
            return

        def made(report: StatsReport) -> None:
            if entries is not None:
                _last_report.update(entries=entries, tonight=tonight, report=report)
            self._show(report)

        self.cc.diary_job(
            DiaryJob(run=lambda: build_report(services, entries), done=made, write=False, what="the diary", failed=self._failed)
        )

    def _failed(self, error: Exception) -> None:
        self.query_one("#stats-summary", Static).update(
            Content.assemble(("The diary cannot be read: ", "bold"), literal(plain_reason(error)))
        )

    def _show(self, report: StatsReport) -> None:
        self.report = report
        self.query_one("#stats-summary", Static).update(headline(report))
        notices = self.query_one("#stats-notices", Static)
        notices.set_class(bool(report.notices), "-shown")
        notices.update(
            joined(
                [
                    Content.assemble(
                        literal(notice.title, "bold"), " · ", literal(notice.detail), "\n",
                        literal(notice.text), "\n", literal(f"Source: {notice.source}", "dim"),
                    )
                    for notice in report.notices
                ],
                "\n\n",
            )
        )
        has_figures = bool(report.total)
        for selector in ("#chart-months", "#chart-weeks", "#stats-ended"):
            self.query_one(selector).display = has_figures
        if not has_figures:
            return
        self.query_one("#chart-months", Static).update(chart("Cramps per month (the last 12)", report.months))
        self.query_one("#chart-weeks", Static).update(chart("Cramps per week (the last 12, by the Monday they start)", report.weeks))
        ended = [Content.assemble(line(title, limit=40), f": {count}") for title, count in report.ended_by[:ENDED_BY_ROWS]]
        self.query_one("#stats-ended", Static).update(
            Content.assemble(("What ended your cramps", "bold"), "\n", joined(ended) if ended else "not recorded yet")
        )
