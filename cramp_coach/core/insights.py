"""The insights report: streak, adherence, calendar, with-vs-without comparisons and the trial,
built once from one read of the diary and printed by the insights screen and ``cramp-coach insights``.

Every figure can be recomputed by hand from the diary:

- *tonight* is the bedtime night (``core.nights``); nights before it are over and count.
- A night is *done* when every item on that night's list (the list history) was ticked.
- Comparisons use only *recorded* nights (a tick, an entry or a night record) since the checklist
  was first used; cramps are entries that are cramps (not restless legs).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cramp_coach.core import habits
from cramp_coach.core.checklist import (
    HISTORY_SETTING,
    ITEMS_SETTING,
    TRIAL_SETTING,
    ChecklistItem,
    apply_changes,
    parse_history,
)
from cramp_coach.core.diary import DiarySnapshot
from cramp_coach.core.nights import bedtime_night
from cramp_coach.core.stats import real_cramps

ADHERENCE_WINDOWS = (7, 30, 90)
STRETCH_ITEMS = ("calf-stretch", "hamstring-stretch")


@dataclass(frozen=True)
class InsightsReport:
    """Everything the insights show, computed once."""

    tonight: date
    first_night: date | None
    streak: int
    adherence: dict[int, habits.Adherence]
    recorded_nights: int
    tracked_nights: int
    heatmap: list[list[tuple[date, str] | None]]
    comparisons: list[habits.Comparison]
    trial: habits.TrialReport | None

    @property
    def overall(self) -> habits.Comparison:
        """The whole checklist done versus not."""
        return self.comparisons[0]

    def to_json(self) -> dict[str, Any]:
        """The figures for ``cramp-coach insights --json``."""
        return {
            "tonight": self.tonight.isoformat(),
            "streak": self.streak,
            "adherence": {
                str(days): (None if figure.percent is None else round(figure.done / figure.nights, 4))
                for days, figure in self.adherence.items()
            },
            "recorded_nights": self.recorded_nights,
            "comparisons": [comparison.to_json() for comparison in self.comparisons],
        }


def build_insights(snapshot: DiarySnapshot, defaults: list[ChecklistItem], now: datetime) -> InsightsReport:
    """The report for ``now`` from a diary snapshot and the bundled checklist items."""
    changes = snapshot.kept_value(ITEMS_SETTING, [])
    items = [item for item in apply_changes(defaults, changes if isinstance(changes, list) else []) if not item.hidden]
    current = [item.id for item in items]
    history = parse_history(snapshot.kept_value(HISTORY_SETTING, []))

    def items_on(night: date) -> tuple[str, ...]:
        return habits.items_on(night, history, current)

    tonight = bedtime_night(now)
    ticks = snapshot.ticks_by_night()
    cramps = real_cramps(snapshot.cramps)
    done = habits.done_nights(ticks, items_on)
    first = min(ticks) if ticks else None
    recorded = habits.recorded_nights(ticks, snapshot.nights, snapshot.cramps)
    tracked = [night for night in habits.tracked_nights(first, tonight) if night in recorded]

    by_night = habits.cramps_by_night(cramps)  # grouped once for every comparison
    on_list = {night: items_on(night) for night in tracked}  # each night's list, worked out once
    comparisons = [habits.compare("The whole checklist", tracked, done, cramps, by_night=by_night)]
    comparisons += habits.compare_items(
        [(item.id, item.title) for item in items],
        lambda item_id: [night for night in tracked if item_id in on_list[night]],
        ticks,
        cramps,
        by_night=by_night,
    )
    trial = None
    trial_start = snapshot.kept_value(TRIAL_SETTING)
    if isinstance(trial_start, str):
        try:
            start = date.fromisoformat(trial_start)
        except ValueError:
            start = None
        if start is not None:
            stretched = {night for night, t in ticks.items() if set(STRETCH_ITEMS) & set(t)}
            trial = habits.trial_report(start, tonight, cramps, stretched, recorded)
    return InsightsReport(
        tonight=tonight,
        first_night=first,
        streak=habits.streak(done, tonight),
        adherence={days: habits.adherence(done, tonight, days, first) for days in ADHERENCE_WINDOWS},
        recorded_nights=len(tracked),
        tracked_nights=len(habits.tracked_nights(first, tonight)),
        heatmap=habits.heatmap(done, Counter({night: len(found) for night, found in by_night.items()}), tonight, recorded=recorded),
        comparisons=comparisons,
        trial=trial,
    )

