"""Habits and what helps you: streaks, adherence, a calendar heat map, with-vs-without insights and
the 6-week stretching trial. Pure functions over nights and cramps.

A night "has the checklist done" when every item shown on that night's list was ticked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cramp_coach.core.models import Cramp

MIN_NIGHTS_PER_GROUP = 3
GRACE_EVERY_NIGHTS = 7
TRIAL_NIGHTS = 42  # the trial's 6 weeks


def done_nights(ticks_by_night: dict[date, Iterable[str]], item_ids: Sequence[str]) -> set[date]:
    """Nights on which every one of ``item_ids`` was ticked."""
    wanted = set(item_ids)
    if not wanted:
        return set()
    return {night for night, ticks in ticks_by_night.items() if wanted <= set(ticks)}


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


def heatmap(done: set[date], cramp_nights: Counter, tonight: date, weeks: int = 13) -> list[list[tuple[date, str] | None]]:
    """A calendar: 7 rows (Mon..Sun) by ``weeks`` columns ending this week.

    Each cell is ``(night, kind)`` with kind one of ``both`` (checklist done and a cramp),
    ``done``, ``cramp``, ``none``; cells after tonight are ``None``.
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
            row.append((night, "both" if is_done and had_cramp else "done" if is_done else "cramp" if had_cramp else "none"))
        grid.append(row)
    return grid


@dataclass(frozen=True)
class GroupFigures:
    """Cramps after a group of nights."""

    nights: int
    cramps: int
    mean_intensity: float | None

    @property
    def per_night(self) -> float:
        return self.cramps / self.nights if self.nights else 0.0


@dataclass(frozen=True)
class Comparison:
    """Nights with something done versus without, and whether there are enough to say anything."""

    label: str
    with_: GroupFigures
    without: GroupFigures

    @property
    def nights_needed(self) -> int:
        """How many more nights (in the smaller group) before the comparison is shown."""
        return max(0, MIN_NIGHTS_PER_GROUP - min(self.with_.nights, self.without.nights))

    @property
    def ready(self) -> bool:
        return self.nights_needed == 0

    def sentence(self) -> str:
        """Plain words that do not overclaim."""
        if not self.ready:
            short = "with" if self.with_.nights < self.without.nights else "without"
            return (
                f"{self.label}: not enough nights yet to compare; {self.nights_needed} more night"
                f"{'s' if self.nights_needed != 1 else ''} {short} it needed "
                f"(so far {self.with_.nights} with, {self.without.nights} without)."
            )

        def part(group: GroupFigures) -> str:
            intensity = f", mean intensity {group.mean_intensity:.1f}" if group.mean_intensity is not None else ""
            return f"{group.per_night:.2f} cramps a night over {group.nights} nights ({group.cramps} cramps{intensity})"

        return (
            f"In your diary, after nights with {self.label.lower()}: {part(self.with_)}; "
            f"without: {part(self.without)}. This is what your diary shows, not proof of cause."
        )


def _by_night(cramps: Sequence[Cramp]) -> dict[date, list[Cramp]]:
    by_night: dict[date, list[Cramp]] = {}
    for cramp in cramps:
        by_night.setdefault(cramp.night, []).append(cramp)
    return by_night


def _figures(nights: list[date], cramps_by_night: dict[date, list[Cramp]]) -> GroupFigures:
    cramps = [c for n in nights for c in cramps_by_night.get(n, [])]
    intensities = [c.intensity for c in cramps if c.intensity is not None]
    return GroupFigures(len(nights), len(cramps), sum(intensities) / len(intensities) if intensities else None)


def compare(label: str, nights: Sequence[date], with_nights: set[date], cramps: Sequence[Cramp]) -> Comparison:
    """Cramps after ``nights`` split by whether each is in ``with_nights``."""
    by_night = _by_night(cramps)
    with_list = [n for n in nights if n in with_nights]
    without_list = [n for n in nights if n not in with_nights]
    return Comparison(label, _figures(with_list, by_night), _figures(without_list, by_night))


def tracked_nights(first_night: date | None, tonight: date) -> list[date]:
    """Complete nights since the checklist was first used (tonight is not over yet)."""
    if first_night is None:
        return []
    return [first_night + timedelta(days=i) for i in range((tonight - first_night).days)]


@dataclass(frozen=True)
class TrialReport:
    """The 6-week stretching trial: where it stands and, at the end, the before/after figures."""

    start: date
    end: date
    nights_done: int
    nights_stretched: int
    finished: bool
    before: GroupFigures
    during: GroupFigures

    def sentence(self) -> str:
        if not self.finished:
            return (
                f"Stretching trial: night {self.nights_done} of {TRIAL_NIGHTS} "
                f"(stretched on {self.nights_stretched}); it ends on the night of {self.end}."
            )

        def part(g: GroupFigures) -> str:
            intensity = f"{g.mean_intensity:.1f}" if g.mean_intensity is not None else "not recorded"
            return f"{g.per_night:.2f} cramps a night ({g.cramps} in {g.nights} nights), intensity {intensity} / 10"

        return (
            f"Stretching trial finished ({self.start} to {self.end}, stretched on {self.nights_stretched} of "
            f"{TRIAL_NIGHTS} nights). The 6 weeks before: {part(self.before)}. The 6 weeks of the trial: "
            f"{part(self.during)}. In the published trial, stretching lowered cramps by about 1.2 a night and "
            "intensity by 1.3 points; yours is one person's diary, so read it as a hint, not proof."
        )


def trial_report(start: date, tonight: date, cramps: Sequence[Cramp], stretched: set[date]) -> TrialReport:
    """Follow a trial that began on the night of ``start``."""
    end = start + timedelta(days=TRIAL_NIGHTS - 1)
    finished = tonight > end
    last = min(end, tonight - timedelta(days=1))
    during_nights = [start + timedelta(days=i) for i in range((last - start).days + 1)] if last >= start else []
    before_nights = [start - timedelta(days=i) for i in range(1, TRIAL_NIGHTS + 1)]
    by_night = _by_night(cramps)
    return TrialReport(
        start=start,
        end=end,
        nights_done=len(during_nights),
        nights_stretched=sum(1 for n in during_nights if n in stretched),
        finished=finished,
        before=_figures(before_nights, by_night),
        during=_figures(during_nights, by_night),
    )
