"""Habits and what helps you: streaks, adherence, a calendar heat map, with-vs-without insights and
the 6-week stretching trial. Pure functions over nights and cramps.

A night "has the checklist done" when every item on *that night's* list was ticked: the list's
history (``ListVersion``) says which items were on it, so changing the list never rewrites the past.
A night is *recorded* when it has a tick, a diary entry or a night record; other nights are "not
recorded", never "0 cramps". Comparisons give the difference in cramps a night with a 95% interval
(Welch's t interval over per-night counts) and say "no clear difference yet" while it holds 0.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cramp_coach.core.models import Cramp

MIN_NIGHTS_PER_GROUP = 3
MIN_TRIAL_BASELINE_NIGHTS = 14  # recorded nights before a trial needed to compare with it
GRACE_EVERY_NIGHTS = 7
TRIAL_NIGHTS = 42  # the trial's 6 weeks
NO_CLEAR_DIFFERENCE = "no clear difference yet"
NOT_ENOUGH_NIGHTS = "not enough nights yet"
FEWER_WITH = "fewer cramps after nights with it"
MORE_WITH = "more cramps after nights with it"


@dataclass(frozen=True)
class ListVersion:
    """The checklist's item ids from the night ``since`` on (``None``: from the very start)."""

    since: date | None
    items: tuple[str, ...]


def items_on(night: date, history: Sequence[ListVersion], current: Sequence[str]) -> tuple[str, ...]:
    """The items on ``night``'s list: the latest version that had begun by then (else today's list)."""
    begun = [version for version in history if version.since is None or version.since <= night]
    if not begun:
        return tuple(current)
    return max(begun, key=lambda version: version.since or date.min).items


def recorded_nights(ticks_by_night: Iterable[date], night_records: Iterable[date], cramps: Iterable[Cramp]) -> set[date]:
    """Nights the diary knows about: a tick, a night record, or any entry."""
    return set(ticks_by_night) | set(night_records) | {c.night for c in cramps}


def done_nights(
    ticks_by_night: Mapping[date, Iterable[str]], item_ids: Sequence[str] | Callable[[date], Sequence[str]]
) -> set[date]:
    """Nights on which every item of that night's list was ticked.

    ``item_ids`` is one list for every night, or a function giving each night's list.
    """
    items_for = item_ids if callable(item_ids) else (lambda night, fixed=tuple(item_ids): fixed)
    done = set()
    for night, ticks in ticks_by_night.items():
        wanted = set(items_for(night))
        if wanted and wanted <= set(ticks):
            done.add(night)
    return done


def streak(done: set[date], tonight: date) -> int:
    """Nights in a row with the checklist done, counting back from tonight.

    Fair rules: tonight not being done yet does not break the streak (it counts from last night);
    one missed night is forgiven, once in any 7 nights, when the night before it was done.
    Forgiven nights do not add to the count.
    """
    night = tonight if tonight in done else tonight - timedelta(days=1)
    count = 0
    nights_since_grace = GRACE_EVERY_NIGHTS  # a grace is available at the start
    while True:
        if night in done:
            count += 1
            nights_since_grace += 1
        elif nights_since_grace >= GRACE_EVERY_NIGHTS and count > 0 and (night - timedelta(days=1)) in done:
            nights_since_grace = 0
        else:
            return count
        night -= timedelta(days=1)


@dataclass(frozen=True)
class Adherence:
    """Nights with the checklist done out of the nights counted."""

    done: int
    nights: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.nights) if self.nights else None


def adherence(done: set[date], tonight: date, days: int, first_night: date | None) -> Adherence:
    """Over the last ``days`` nights (up to last night, or tonight once it is done), from the first night
    the checklist was used."""
    last = tonight if tonight in done else tonight - timedelta(days=1)
    start = last - timedelta(days=days - 1)
    if first_night is not None:
        start = max(start, first_night)
    if first_night is None or start > last:
        return Adherence(0, 0)
    nights = (last - start).days + 1
    return Adherence(sum(1 for n in done if start <= n <= last), nights)


def heatmap(
    done: set[date], cramp_nights: Counter[date], tonight: date, weeks: int = 13, recorded: set[date] | None = None
) -> list[list[tuple[date, str] | None]]:
    """A calendar: 7 rows (Mon..Sun) by ``weeks`` columns ending this week.

    Each cell is ``(night, kind)`` with kind one of ``both`` (checklist done and a cramp),
    ``done``, ``cramp``, ``none`` (recorded: neither), or ``unrecorded`` (when ``recorded`` is
    given and the diary knows nothing of that night); cells after tonight are ``None``.
    """
    last_monday = tonight - timedelta(days=tonight.weekday())
    first_monday = last_monday - timedelta(weeks=weeks - 1)
    grid: list[list[tuple[date, str] | None]] = []
    for weekday in range(7):
        row: list[tuple[date, str] | None] = []
        for week in range(weeks):
            night = first_monday + timedelta(weeks=week, days=weekday)
            if night > tonight:
                row.append(None)
                continue
            is_done, had_cramp = night in done, cramp_nights.get(night, 0) > 0
            if recorded is not None and not (is_done or had_cramp or night in recorded):
                row.append((night, "unrecorded"))
                continue
            row.append((night, "both" if is_done and had_cramp else "done" if is_done else "cramp" if had_cramp else "none"))
        grid.append(row)
    return grid


@dataclass(frozen=True)
class GroupFigures:
    """Cramps after a group of nights."""

    nights: int
    cramps: int
    mean_intensity: float | None
    counts: tuple[int, ...] = ()  # cramps on each night of the group

    @property
    def per_night(self) -> float:
        return self.cramps / self.nights if self.nights else 0.0

    @property
    def variance(self) -> float:
        """The sample variance of cramps a night (0 with fewer than 2 nights)."""
        if len(self.counts) < 2:
            return 0.0
        mean = sum(self.counts) / len(self.counts)
        return sum((c - mean) ** 2 for c in self.counts) / (len(self.counts) - 1)

    def to_json(self) -> dict[str, float | int]:
        return {"nights": self.nights, "cramps": self.cramps, "per_night": round(self.per_night, 4)}


# Student's t, two-sided 95% (0.975 quantile), by degrees of freedom; the nearest lower df is used.
_T975 = ((1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (6, 2.447), (7, 2.365), (8, 2.306),
         (9, 2.262), (10, 2.228), (12, 2.179), (15, 2.131), (20, 2.086), (25, 2.060), (30, 2.042),
         (40, 2.021), (60, 2.000), (120, 1.980))


def t_quantile_975(df: float) -> float:
    """The 97.5% point of Student's t with ``df`` degrees of freedom (conservative: rounds df down)."""
    value = 1.960
    for table_df, quantile in reversed(_T975):
        if df >= table_df:
            return quantile if table_df != 120 or df < 1000 else 1.960
        value = quantile
    return value


def difference_interval(with_: GroupFigures, without: GroupFigures) -> tuple[float, float, float]:
    """With minus without, in cramps a night, and its 95% interval (Welch's t interval)."""
    difference = with_.per_night - without.per_night
    a, b = with_.variance / with_.nights, without.variance / without.nights
    se2 = a + b
    if se2 <= 0:
        return difference, difference, difference
    df = se2**2 / ((a**2 / (with_.nights - 1) if a else 0.0) + (b**2 / (without.nights - 1) if b else 0.0))
    margin = t_quantile_975(df) * math.sqrt(se2)
    return difference, difference - margin, difference + margin


@dataclass(frozen=True)
class Comparison:
    """Nights with something done versus without, and whether there are enough to say anything."""

    label: str
    with_: GroupFigures
    without: GroupFigures
    item: str = "all"  # "all", an item id, or ids joined by "+" for items always ticked together

    @property
    def nights_needed(self) -> int:
        """How many more nights (in the smaller group) before the comparison is shown."""
        return max(0, MIN_NIGHTS_PER_GROUP - min(self.with_.nights, self.without.nights))

    @property
    def ready(self) -> bool:
        return self.nights_needed == 0

    @property
    def difference(self) -> float | None:
        """Cramps a night with, minus without (``None`` until ready)."""
        return difference_interval(self.with_, self.without)[0] if self.ready else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95% interval of the difference (``None`` until ready)."""
        if not self.ready:
            return None
        _, low, high = difference_interval(self.with_, self.without)
        return low, high

    @property
    def verdict(self) -> str:
        """Plain words for the interval: no clear difference while it holds 0."""
        interval = self.interval
        if interval is None:
            return NOT_ENOUGH_NIGHTS
        low, high = interval
        if low <= 0 <= high:
            return NO_CLEAR_DIFFERENCE
        return FEWER_WITH if high < 0 else MORE_WITH

    def to_json(self) -> dict[str, object]:
        """The comparison as ``cramp-coach insights --json`` prints it."""
        difference, interval = self.difference, self.interval
        return {
            "item": self.item,
            "label": self.label,
            "with": self.with_.to_json(),
            "without": self.without.to_json(),
            "difference": None if difference is None else round(difference, 4),
            "interval": None if interval is None else [round(interval[0], 4), round(interval[1], 4)],
            "verdict": self.verdict,
        }

    def still_needed(self) -> str:
        """``3 more nights with it and 1 more night without it``: what a comparison still waits for."""
        wanting = [
            f"{short} more night{'s' if short != 1 else ''} {name} it"
            for name, group in (("with", self.with_), ("without", self.without))
            if (short := MIN_NIGHTS_PER_GROUP - group.nights) > 0
        ]
        return " and ".join(wanting)

    def sentence(self) -> str:
        """Plain words that do not overclaim."""
        if not self.ready:
            return (
                f"{self.label}: not enough nights yet to compare; {self.still_needed()} needed "
                f"(so far {self.with_.nights} with, {self.without.nights} without)."
            )

        def part(group: GroupFigures) -> str:
            intensity = f", mean pain {group.mean_intensity:.1f}" if group.mean_intensity is not None else ""
            cramps = f"{group.cramps} cramp{'s' if group.cramps != 1 else ''}"
            nights = f"{group.nights} night{'s' if group.nights != 1 else ''}"
            return f"{group.per_night:.2f} cramps a night over {nights} ({cramps}{intensity})"

        assert self.interval is not None and self.difference is not None
        low, high = self.interval
        verdict = {
            NO_CLEAR_DIFFERENCE: "No clear difference yet",
            FEWER_WITH: "Fewer cramps after nights with it",
            MORE_WITH: "More cramps after nights with it",
        }[self.verdict]
        return (
            f"{self.label}. After nights with it: {part(self.with_)}; "
            f"without: {part(self.without)}. Difference {self.difference:+.2f} a night "
            f"(95% interval {low:+.2f} to {high:+.2f}): {verdict}. "
            "This is what your diary shows, not proof of cause."
        )


def _by_night(cramps: Sequence[Cramp]) -> dict[date, list[Cramp]]:
    by_night: dict[date, list[Cramp]] = {}
    for cramp in cramps:
        by_night.setdefault(cramp.night, []).append(cramp)
    return by_night


def _figures(nights: list[date], cramps_by_night: dict[date, list[Cramp]]) -> GroupFigures:
    counts = tuple(len(cramps_by_night.get(n, ())) for n in nights)
    intensities = [c.intensity for n in nights for c in cramps_by_night.get(n, ()) if c.intensity is not None]
    return GroupFigures(len(nights), sum(counts), sum(intensities) / len(intensities) if intensities else None, counts)


def cramps_by_night(cramps: Sequence[Cramp]) -> dict[date, list[Cramp]]:
    """The cramps of each night (group them once and pass them to every ``compare``)."""
    return _by_night(cramps)


def compare(
    label: str,
    nights: Sequence[date],
    with_nights: set[date],
    cramps: Sequence[Cramp],
    item: str = "all",
    by_night: dict[date, list[Cramp]] | None = None,
) -> Comparison:
    """Cramps after ``nights`` split by whether each is in ``with_nights`` (``by_night``: the
    cramps already grouped by ``cramps_by_night``)."""
    if by_night is None:
        by_night = _by_night(cramps)
    with_list = [n for n in nights if n in with_nights]
    without_list = [n for n in nights if n not in with_nights]
    return Comparison(label, _figures(with_list, by_night), _figures(without_list, by_night), item)


def compare_items(
    items: Sequence[tuple[str, str]],
    nights_for: Callable[[str], Sequence[date]],
    ticks_by_night: Mapping[date, Iterable[str]],
    cramps: Sequence[Cramp],
    by_night: dict[date, list[Cramp]] | None = None,
) -> list[Comparison]:
    """One comparison an item (``(id, title)``) over the nights it was on the list
    (``nights_for(id)``); items on the list and ticked on exactly the same nights are one group."""
    if by_night is None:
        by_night = _by_night(cramps)
    groups: dict[tuple[tuple[date, ...], frozenset[date], str], list[tuple[str, str]]] = {}
    for item_id, title in items:
        nights = tuple(nights_for(item_id))
        ticked = frozenset(n for n in nights if item_id in ticks_by_night.get(n, ()))
        # Items never ticked are not "ticked together": each keeps its own line.
        alone = "" if ticked else item_id
        groups.setdefault((nights, ticked, alone), []).append((item_id, title))
    comparisons = []
    for (nights, ticked, _), members in groups.items():
        label = " + ".join(title for _, title in members)
        if len(members) > 1:
            label += " (always ticked together)"
        comparisons.append(compare(label, nights, set(ticked), cramps, item="+".join(i for i, _ in members), by_night=by_night))
    return comparisons


def tracked_nights(first_night: date | None, tonight: date) -> list[date]:
    """Complete nights since the checklist was first used (tonight is not over yet)."""
    if first_night is None:
        return []
    return [first_night + timedelta(days=i) for i in range((tonight - first_night).days)]


@dataclass(frozen=True)
class TrialReport:
    """The 6-week stretching trial: where it stands and, at the end, the before/after figures.

    Both groups hold only *recorded* nights: the 42 nights before the start that the diary covers,
    and the trial's nights that it covers. With fewer than ``MIN_TRIAL_BASELINE_NIGHTS`` recorded
    before, there is nothing fair to compare with, and the report says so.
    """

    start: date
    end: date
    nights_done: int
    nights_stretched: int
    finished: bool
    before: GroupFigures
    during: GroupFigures

    @property
    def baseline_ok(self) -> bool:
        """Enough recorded nights before the trial to compare with."""
        return self.before.nights >= MIN_TRIAL_BASELINE_NIGHTS

    def sentence(self) -> str:
        baseline = (
            f"The diary covers {self.before.nights} of the {TRIAL_NIGHTS} nights before it"
            + ("." if self.baseline_ok else
               f": too few to compare with (at least {MIN_TRIAL_BASELINE_NIGHTS} are needed). Log every night,"
               " cramps or none, and the trial's own nights will still show how you did.")
        )
        if not self.finished:
            return (
                f"Stretching trial: night {self.nights_done} of {TRIAL_NIGHTS} "
                f"(stretched on {self.nights_stretched}); it ends on the night of {self.end}. {baseline}"
            )

        def part(g: GroupFigures) -> str:
            intensity = f"{g.mean_intensity:.1f}" if g.mean_intensity is not None else "not recorded"
            return f"{g.per_night:.2f} cramps a night ({g.cramps} in {g.nights} recorded nights), pain {intensity} / 10"

        head = (
            f"Stretching trial finished ({self.start} to {self.end}, stretched on {self.nights_stretched} of "
            f"{TRIAL_NIGHTS} nights). The trial's 6 weeks: {part(self.during)}."
        )
        if not self.baseline_ok:
            return f"{head} {baseline}"
        return (
            f"{head} The 6 weeks before: {part(self.before)}. Cramps often ease on their own over weeks, "
            "so a drop is not proof that stretching did it: one trial found stretching helped, another did "
            "not. Read it as a hint about you, not a verdict."
        )


def trial_report(
    start: date, tonight: date, cramps: Sequence[Cramp], stretched: set[date], recorded: set[date] | None = None
) -> TrialReport:
    """Follow a trial that began on the night of ``start``; ``recorded`` limits both groups to nights
    the diary covers (every night counts when it is not given)."""
    end = start + timedelta(days=TRIAL_NIGHTS - 1)
    finished = tonight > end
    last = min(end, tonight - timedelta(days=1))
    during_nights = [start + timedelta(days=i) for i in range((last - start).days + 1)] if last >= start else []
    before_nights = [start - timedelta(days=i) for i in range(1, TRIAL_NIGHTS + 1)]
    if recorded is not None:
        during_counted = [n for n in during_nights if n in recorded]
        before_nights = [n for n in before_nights if n in recorded]
    else:
        during_counted = during_nights
    by_night = _by_night(cramps)
    return TrialReport(
        start=start,
        end=end,
        nights_done=len(during_nights),
        nights_stretched=sum(1 for n in during_nights if n in stretched),
        finished=finished,
        before=_figures(before_nights, by_night),
        during=_figures(during_counted, by_night),
    )
