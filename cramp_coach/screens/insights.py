"""What helps you: streak, adherence, a calendar of nights, with-vs-without comparisons, the trial.

Every figure comes from ``core.insights.build_insights`` over one read of the diary, computed off the
UI thread; this screen only lays the report out. Each comparison shows its counts, the difference
with its 95% interval, and the verdict in plain words ("no clear difference yet" while the interval
holds 0).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.visual import Visual
from textual.widgets import Static

from cramp_coach.core.habits import NO_CLEAR_DIFFERENCE, NOT_ENOUGH_NIGHTS, Comparison, GroupFigures
from cramp_coach.core.insights import InsightsReport
from cramp_coach.screens.base import CoachScreen, on_result
from cramp_coach.screens.diary import plural
from cramp_coach.screens.diary_writes import DiaryJob, plain_reason
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.hanging import Hanging
from cramp_coach.widgets.safe import joined, line, literal

CELLS = {
    "both": ("◆", "$warning"),
    "done": ("■", "$success"),
    "cramp": ("▲", "$error"),
    "none": ("·", "$foreground"),
    "unrecorded": ("-", "$text-disabled"),
}
LEGEND = (("done", "checklist done"), ("cramp", "cramp"), ("both", "both"), ("none", "neither"), ("unrecorded", "not recorded"))
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NOT_PROOF = "What your diary shows, not proof of cause: cramps come and go for many reasons."
# The report last built and what it was built from (data folder, the diary file's and journal's
# signature, the night): opening the insights again over an unchanged diary builds nothing.
_last_report: dict[str, Any] = {}


def build_report(services) -> tuple[InsightsReport, tuple[Visual, ...]]:
    """The insights report from one read of the diary, and what the screen shows of it (both in a
    worker thread: the statistics behind the comparisons take a while, and the screen must not wait)."""
    from cramp_coach.core.insights import build_insights

    book = services.checklist()
    report = build_insights(book.diary.snapshot(), book.defaults, services.wall_clock())
    return report, (habits_text(report), heatmap(report), insights_text(report), trial_text(report))


def _cell(kind: str) -> Content:
    mark, colour = CELLS[kind]
    return Content.styled(mark, colour)


def heatmap(report: InsightsReport) -> Content:
    """The calendar, one weekday a row, and its legend."""
    rows = []
    for weekday, row in zip(WEEKDAYS, report.heatmap, strict=True):
        cells = Content(" ").join(Content(" ") if cell is None else _cell(cell[1]) for cell in row)
        rows.append(Content.assemble(f"{weekday} ", cells))
    keys = [Content.assemble(_cell(kind), f" {name}") for kind, name in LEGEND]
    legend = Content("\n").join([Content("  ").join(keys[:3]), Content("  ").join(keys[3:])])  # never broken inside a name
    return Content.assemble(("The last 13 weeks", "bold"), "\n", joined(rows), "\n", legend)


def habits_text(report: InsightsReport) -> Content:
    """Streak, adherence and how many nights the comparisons rest on."""
    rows = [Content.assemble(("Streak:", "bold"), f" {plural(report.streak, 'night')} with the checklist done")]
    for days, figure in report.adherence.items():
        percent = "no nights yet" if figure.percent is None else f"{figure.percent}%"
        rows.append(Content(f"Last {days} nights: {figure.done} of {figure.nights} done ({percent})"))
    if report.first_night is None:
        rows.append(Content("Tick tonight's checklist to start tracking."))
    else:
        if report.tracked_nights:
            rows.append(Content(f"Nights compared: {report.recorded_nights} recorded of {report.tracked_nights} since {report.first_night:%d %b %Y}"))
        else:
            rows.append(Content("Nights compared: none yet (a night counts once its morning has come)"))
        rows.append(Content.styled("A night with no tick, no entry and no night record is not recorded, not \"0 cramps\".", "dim"))
    return joined(rows)


def _group(name: str, group: GroupFigures) -> str:
    rate = f" ({group.per_night:.2f} a night)" if group.nights else ""  # no rate over no nights
    pain = f", mean pain {group.mean_intensity:.1f}" if group.mean_intensity is not None else ""
    return f"{name}: {plural(group.cramps, 'cramp')} in {plural(group.nights, 'night')}{rate}{pain}"


def comparison_rows(comparison: Comparison) -> list[tuple[str, Content]]:
    """One comparison: its label (the item's own title, shown as written), the counts, the
    difference with its 95% interval, and the verdict; each figure indented under the label (and
    wrapping under itself on a narrow screen)."""
    rows = [("", line(comparison.label, "bold"))]
    rows.append(("  ", Content(_group("after nights with it", comparison.with_))))
    rows.append(("  ", Content(_group("without", comparison.without))))
    interval, difference = comparison.interval, comparison.difference
    if interval is None or difference is None:
        rows.append(("  ", Content.assemble((NOT_ENOUGH_NIGHTS, "italic"), f": {comparison.still_needed()} needed")))
    else:
        low, high = interval
        verdict_style = "italic" if comparison.verdict == NO_CLEAR_DIFFERENCE else "bold"
        rows.append(("  ", Content(f"difference {difference:+.2f} a night, 95% interval {low:+.2f} to {high:+.2f}")))
        rows.append(("  ", Content.styled(comparison.verdict, verdict_style)))
    return rows


def insights_text(report: InsightsReport) -> Hanging:
    """Every comparison, then the reminder that it is not proof."""
    rows = [("", Content.styled("What seems to help you", "bold"))]
    for comparison in report.comparisons:
        rows += comparison_rows(comparison)
    rows.append(("", Content.styled(NOT_PROOF, "dim")))
    return Hanging(rows)


def trial_text(report: InsightsReport) -> Content:
    """The 6-week stretching trial: how to start one, or where it stands (with its baseline)."""
    if report.trial is None:
        return Content.assemble(
            ("6-week stretching trial", "bold"),
            ": press t to start it tonight. Stretch calves and hamstrings every night for 6 weeks (the "
            "checklist's stretch timers); at the end your diary compares those weeks with the recorded "
            "nights of the 6 weeks before, in cramps a night and pain.",
        )
    return Content.assemble(("6-week stretching trial", "bold"), "\n", literal(report.trial.sentence()))


class InsightsScreen(CoachScreen[None]):
    """Habits and insights from the diary; t starts or stops the 6-week stretching trial."""

    LEFT_WHEN_AWAY = True

    CSS_PATH = "insights.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "back"),
        Binding("t", "trial", "stretching trial"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: InsightsReport | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="insights-body"):
            yield Static("Reading your diary…", id="habits")
            yield Static("", id="heatmap")
            yield Static("", id="insights")
            yield Static("", id="trial")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        """Read the diary once and build the report, off the event loop (or show the report last
        built, when the diary has not changed since and it is the same night)."""
        services = self.cc.services
        try:
            key: tuple[object, ...] | None = (services.home, services.diary().signature(), services.tonight())
        except Exception:  # noqa: BLE001 - a folder that cannot even be looked at: the read says why
            key = None
        if key is not None and key[1] is not None and _last_report.get("key") == key:
            self._show(_last_report["shown"])
            return

        def made(shown: tuple[InsightsReport, tuple[Visual, ...]]) -> None:
            if key is not None:
                _last_report.update(key=key, shown=shown)
            self._show(shown)

        self.cc.diary_job(DiaryJob(run=lambda: build_report(services), done=made, write=False, what="the diary", failed=self._failed))

    def _failed(self, error: Exception) -> None:
        self.query_one("#habits", Static).update(Content.assemble(("The diary cannot be read: ", "bold"), literal(plain_reason(error))))

    def _show(self, shown: tuple[InsightsReport, tuple[Visual, ...]]) -> None:
        self.report, texts = shown
        for where, text in zip(("#habits", "#heatmap", "#insights", "#trial"), texts, strict=True):
            self.query_one(where, Static).update(text)

    def action_trial(self) -> None:
        """Start the 6-week stretching trial tonight, or stop the one running."""
        from cramp_coach.screens.dialogs import ConfirmScreen

        if self.report is None:
            self.notify("The diary has not been read yet, so the trial cannot be changed.", severity="warning", timeout=5)
            return
        tonight = self.cc.services.tonight()
        if self.report.trial is None:
            question = "Start a 6-week stretching trial tonight? Stretch both legs with the checklist's timers every night."
            self.app.push_screen(ConfirmScreen(question, yes="Start"), on_result(lambda yes: self._trial("start", tonight)))
        else:
            self.app.push_screen(ConfirmScreen("Stop the stretching trial?", yes="Stop"), on_result(lambda yes: self._trial("stop", tonight)))

    def _trial(self, change: str, tonight: date) -> None:
        services = self.cc.services

        def write() -> None:
            book = services.checklist()
            if change == "start":
                book.start_trial(tonight)
            else:
                book.stop_trial()

        what = "starting the stretching trial" if change == "start" else "stopping the stretching trial"
        self.cc.diary_job(DiaryJob(run=write, done=lambda _: self.load(), what=what))
