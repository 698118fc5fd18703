"""The stats report: every figure and notice the stats screen, ``cramp-coach stats`` and the clinician
report show, built once in plain values. Each face only lays it out (text, Content, Markdown).

Texts in the report may come from a person or a file (step titles of their own routines, tags):
they are plain strings here, and each face renders them literally.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from cramp_coach.core.content import Advice, AdviceKey
from cramp_coach.core.formatting import minutes_text
from cramp_coach.core.models import Cramp
from cramp_coach.core.stats import (
    DiaryStats,
    bar_chart,
    diary_stats,
    rise_after_new_medicine,
    see_clinician_count,
    within_days,
)

CHART_ROWS = 12
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class Notice:
    """Advice the figures call for (see a clinician; cramps rose after a new medicine)."""

    key: str
    title: str
    detail: str  # the figures behind it, in plain words
    text: str
    source: str


@dataclass(frozen=True)
class StatsReport:
    """The figures of one period of the diary, ready to lay out."""

    period: str  # "whole diary" or "last N nights"
    stats: DiaryStats
    headline: list[tuple[str, str]] = field(default_factory=list)  # (label, value) rows
    months: list[tuple[str, int]] = field(default_factory=list)  # the last 12
    weeks: list[tuple[str, int]] = field(default_factory=list)  # the last 12, "w/c YYYY-MM-DD"
    ended_by: list[tuple[str, int]] = field(default_factory=list)  # step titles, most first
    notices: list[Notice] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.stats.total

    @property
    def title(self) -> str:
        """``Cramps (whole diary): 12``, with entries kept apart named."""
        others = len(self.stats.not_cramps)
        apart = f" (and {others} not-a-cramp entr{'y' if others == 1 else 'ies'} kept apart)" if others else ""
        return f"Cramps ({self.period}): {self.total}{apart}"

    def to_text(self) -> str:
        """Plain aligned text, as ``cramp-coach stats`` prints it (the caller escapes control codes)."""
        lines = [self.title]
        if self.total:
            width = max(len(label) for label, _ in self.headline)
            lines += [f"{label:<{width}}  {value}" for label, value in self.headline]
            lines += ["", "Cramps per month:"]
            lines += ["  " + line for line in bar_chart(self.months)]
        for notice in self.notices:
            lines += ["", f"{notice.title}: {notice.detail} {notice.text}".replace("  ", " "), f"(Source: {notice.source})"]
        return "\n".join(lines) + "\n"


def _pair(pair: tuple[str, int] | None, name: Callable[[str], str] = str) -> str:
    return f"{name(pair[0])} ({pair[1]})" if pair else NOT_RECORDED


def stats_report(
    entries: Sequence[Cramp],
    tonight: date,
    *,
    days: int | None = None,
    step_title: Callable[[str], str] = str,
    advice: Callable[[str], Advice | None] = lambda key: None,
    recorded: set[date] | None = None,
) -> StatsReport:
    """The report over ``entries`` (every diary entry; not-a-cramp ones are kept apart), for the
    last ``days`` nights up to ``tonight`` or the whole diary. ``advice`` looks up guidance by key
    (``see_clinician``, ``new_medicine``); ``recorded`` is the nights the diary covers."""
    chosen = within_days(entries, days, tonight) if days else list(entries)
    stats = diary_stats(chosen)
    period = ("last night" if days == 1 else f"last {days} nights") if days else "whole diary"
    report = StatsReport(period=period, stats=stats)
    if stats.total:
        report.headline.extend(
            [
                ("Nights", f"{stats.first_night} to {stats.last_night}"),
                ("Mean pain", f"{stats.mean_intensity:.1f} / 10" if stats.mean_intensity is not None else NOT_RECORDED),
                ("Mean duration", minutes_text(stats.mean_duration_s)),
                ("Most common muscle", _pair(stats.top_muscle)),
                ("Most common leg", _pair(stats.top_leg)),
                ("Most often ended by", _pair(stats.top_ended_by, step_title)),
            ]
        )
        report.months.extend(stats.per_month[-CHART_ROWS:])
        report.weeks.extend((f"w/c {week.isoformat()}", n) for week, n in stats.per_week[-CHART_ROWS:])
        report.ended_by.extend((step_title(step), n) for step, n in stats.ended_by)
    # Advice looks at the whole diary up to tonight, whatever period is shown.
    count = see_clinician_count(entries, tonight)
    see = advice(AdviceKey.SEE_CLINICIAN) if count is not None else None
    if see is not None:
        report.notices.append(Notice("see_clinician", see.title, f"You logged {count} cramps in the last 30 nights.", see.text, see.source.title))
    rise = rise_after_new_medicine(entries, tonight + timedelta(days=1), recorded)
    medicine = advice(AdviceKey.NEW_MEDICINE) if rise is not None else None
    if rise is not None and medicine is not None:
        detail = (
            f"{rise.before_per_night:.2f} cramps a night in the recorded nights of the 4 weeks before {rise.since}, "
            f"{rise.after_per_night:.2f} since."
        )
        report.notices.append(Notice("new_medicine", medicine.title, detail, medicine.text, medicine.source.title))
    return report

