"""Statistics over the diary: counts per week and month, averages, what ended cramps, advice points.

Pure functions of lists of :class:`Cramp`; nothing here reads files. Entries the "is this a cramp?"
questions said were something else (``Cramp.is_cramp`` is false) are never counted as cramps:
``diary_stats`` keeps them apart in ``not_cramps``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import chain
from operator import attrgetter
from typing import Any

from cramp_coach.core.models import Cramp
from cramp_coach.core.record import record

SEE_CLINICIAN_PER_MONTH = 5
SEE_CLINICIAN_WINDOW_NIGHTS = 30


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def month_key(day: date) -> str:
    """``YYYY-MM`` for ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


_NIGHT = attrgetter("night")


def cramps_by_night(cramps: Iterable[Cramp]) -> Counter[date]:
    """How many cramps each night had."""
    return Counter(map(_NIGHT, cramps))


def _per_month(by_night: Counter[date]) -> list[tuple[str, int]]:
    if not by_night:
        return []
    counts: Counter[tuple[int, int]] = Counter()
    for night, n in by_night.items():  # one key a night, not a cramp: cheap at 15,000 cramps
        counts[night.year, night.month] += n
    return [(month, counts.get((int(month[:4]), int(month[5:])), 0)) for month in _months_between(min(by_night), max(by_night))]


def _per_week(by_night: Counter[date]) -> list[tuple[date, int]]:
    if not by_night:
        return []
    counts: Counter[int] = Counter()
    for night, n in by_night.items():
        day = night.toordinal()
        counts[day - (day + 6) % 7] += n  # the Monday's day number (day 1, 1 January of year 1, was a Monday)
    first, last = min(counts), max(counts)
    return [(date.fromordinal(monday), counts.get(monday, 0)) for monday in range(first, last + 1, 7)]


def cramps_per_month(cramps: Sequence[Cramp]) -> list[tuple[str, int]]:
    """Cramps in each month (by night), every month from the first to the last, zeros included."""
    return _per_month(cramps_by_night(cramps))


def cramps_per_week(cramps: Sequence[Cramp]) -> list[tuple[date, int]]:
    """Cramps in each week (Monday first, by night), every week from the first to the last."""
    return _per_week(cramps_by_night(cramps))


def _mean(values: Iterable[float | int | None]) -> float | None:
    # Counted first (in C): a diary holds few distinct intensities and durations, many cramps.
    counts = Counter(values)
    counts.pop(None, None)
    present = counts.total()
    return sum(value * n for value, n in counts.items() if value is not None) / present if present else None


def _counts(values: Iterable[str | None]) -> list[tuple[str, int]]:
    """How often each value was given (empty ones left out), most common first, ties by name."""
    counts: Counter[Any] = Counter(values)
    counts.pop(None, None)
    counts.pop("", None)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _top(values: Iterable[str | None]) -> tuple[str, int] | None:
    counts = _counts(values)
    return counts[0] if counts else None


@record
class DiaryStats:
    """Everything the stats screen, ``cramp-coach stats`` and the report show."""

    total: int
    first_night: date | None
    last_night: date | None
    per_month: list[tuple[str, int]]
    per_week: list[tuple[date, int]]
    mean_intensity: float | None
    mean_duration_s: float | None
    top_muscle: tuple[str, int] | None
    top_leg: tuple[str, int] | None
    top_ended_by: tuple[str, int] | None
    ended_by: list[tuple[str, int]]
    tags: list[tuple[str, int]]
    busy_months: list[tuple[str, int]]
    not_cramps: tuple[Cramp, ...] = ()


def real_cramps(entries: Iterable[Cramp]) -> list[Cramp]:
    """The entries that are cramps (not restless legs or other not-a-cramp entries)."""
    return [entry for entry in entries if entry.is_cramp]


def diary_stats(entries: Sequence[Cramp]) -> DiaryStats:
    """Compute every statistic at once (over the cramps; other entries are only listed)."""
    # Each figure is one pass in C (map, Counter) over the cramps: 15,000 of them take milliseconds.
    others = [entry for entry in entries if entry.tags and not entry.is_cramp]
    cramps = [entry for entry in entries if not entry.tags or entry.is_cramp] if others else list(entries)
    by_night = cramps_by_night(cramps)
    per_month = _per_month(by_night)
    ended = _counts(map(attrgetter("ended_by"), cramps))
    return DiaryStats(
        total=len(cramps),
        first_night=min(by_night) if by_night else None,
        last_night=max(by_night) if by_night else None,
        per_month=per_month,
        per_week=_per_week(by_night),
        mean_intensity=_mean(map(attrgetter("intensity"), cramps)),
        mean_duration_s=_mean(map(attrgetter("duration_s"), cramps)),
        top_muscle=_top(map(attrgetter("muscle"), cramps)),
        top_leg=_top(map(attrgetter("leg"), cramps)),
        top_ended_by=ended[0] if ended else None,
        ended_by=ended,
        tags=_counts(chain.from_iterable(map(attrgetter("tags"), cramps))),
        busy_months=[(month, n) for month, n in per_month if n >= SEE_CLINICIAN_PER_MONTH],
        not_cramps=tuple(others),
    )


def cramps_in_last_nights(entries: Iterable[Cramp], tonight: date, nights: int = SEE_CLINICIAN_WINDOW_NIGHTS) -> int:
    """Cramps (not other entries) in the ``nights`` nights up to and including ``tonight``."""
    since = tonight - timedelta(days=nights)
    return sum(1 for c in entries if since < c.night <= tonight and c.is_cramp)


def see_clinician_count(entries: Iterable[Cramp], tonight: date) -> int | None:
    """The cramps of the last 30 nights when there are 5 or more (the advice point), else ``None``."""
    count = cramps_in_last_nights(entries, tonight)
    return count if count >= SEE_CLINICIAN_PER_MONTH else None


def within_days(cramps: Sequence[Cramp], days: int, today: date) -> list[Cramp]:
    """The cramps of the last ``days`` nights up to ``today`` (``days`` is capped at 100 years)."""
    since = today - timedelta(days=min(days, 36_500))
    return [c for c in cramps if c.night > since]


def filter_cramps(
    cramps: Iterable[Cramp],
    *,
    start: date | None = None,
    end: date | None = None,
    leg: str | None = None,
    muscle: str | None = None,
    text: str = "",
) -> list[Cramp]:
    """The cramps whose date is within [start, end] and that match leg, muscle and note or tag text."""
    needle = text.strip().lower()
    return [
        c
        for c in cramps
        if (start is None or c.started_at.date() >= start)
        and (end is None or c.started_at.date() <= end)
        and (leg is None or c.leg == leg)
        and (muscle is None or c.muscle == muscle)
        and (not needle or needle in c.note.lower() or any(needle in tag for tag in c.tags))
    ]


def bar_chart(rows: Sequence[tuple[str, int]], width: int = 30) -> list[str]:
    """Plain-text horizontal bars, one line a row: ``label  ████ 4``."""
    if not rows:
        return []
    most = max(count for _, count in rows) or 1
    label_width = max(len(label) for label, _ in rows)
    lines = []
    for label, count in rows:
        cells = round(width * count / most)
        bar = "█" * cells if cells else ("▏" if count else "")
        lines.append(f"{label:<{label_width}}  {bar} {count}")
    return lines


NEW_MEDICINE_TAG = "new medicine"
MEDICINE_WINDOW_NIGHTS = 28
MEDICINE_MIN_NIGHTS_BEFORE = 7  # recorded nights before the entry needed to say cramps "rose"


@record
class MedicineRise:
    """Cramps a night in the 4 weeks before the first entry tagged "new medicine" and since."""

    since: date
    before_per_night: float
    after_per_night: float
    after_cramps: int


def rise_after_new_medicine(
    entries: Sequence[Cramp], today: date, recorded: set[date] | None = None
) -> MedicineRise | None:
    """Did cramps become more frequent after the first entry tagged "new medicine"?

    Compares the 28 nights before that entry's night with the nights since (up to 28, tonight not
    counted). With ``recorded`` (the nights the diary covers) only those nights count (without it,
    every night does), and at least
    7 of them must lie before the entry: a diary begun with the new medicine cannot show a rise.
    Says so only with at least 3 cramps since and a higher rate than before.
    """
    tagged = sorted(c.night for c in entries if c.tags and NEW_MEDICINE_TAG in c.tags)
    if not tagged:
        return None
    cramps = real_cramps(entries)
    since = tagged[0]
    window = timedelta(days=MEDICINE_WINDOW_NIGHTS)
    end = min(since + window, today)
    if recorded is None:  # every night counts
        before_nights, after_nights = MEDICINE_WINDOW_NIGHTS, max(1, (end - since).days)
    else:
        before_nights = sum(1 for n in recorded if since - window <= n < since)
        after_nights = max(1, sum(1 for n in recorded if since <= n < end))
    if before_nights < MEDICINE_MIN_NIGHTS_BEFORE:
        return None
    before = sum(1 for c in cramps if since - window <= c.night < since)
    after = sum(1 for c in cramps if since <= c.night < end)
    before_rate, after_rate = before / before_nights, after / after_nights
    if after >= 3 and after_rate > before_rate:
        return MedicineRise(since, before_rate, after_rate, after)
    return None
