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
from cramp_coach.core.checklist import ITEMS_SETTING, TRIAL_SETTING, ChecklistItem, apply_changes
from cramp_coach.core.diary import DiarySnapshot
from cramp_coach.core.nights import bedtime_night
from cramp_coach.core.stats import real_cramps

HISTORY_SETTING = "checklist_history"
ADHERENCE_WINDOWS = (7, 30, 90)
STRETCH_ITEMS = ("calf-stretch", "hamstring-stretch")


def parse_history(value: Any) -> list[habits.ListVersion]:
    """The stored list history (``[{"since": "YYYY-MM-DD" | null, "items": [...]}, ...]``); bad entries are skipped."""
    versions = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("items"), list):
            continue
        since = entry.get("since")
        try:
            start = date.fromisoformat(since) if isinstance(since, str) else None
        except ValueError:
            continue
        if since is not None and start is None:
            continue
        versions.append(habits.ListVersion(start, tuple(i for i in entry["items"] if isinstance(i, str))))
    return versions


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
    changes = snapshot.setting(ITEMS_SETTING, [])
    items = [item for item in apply_changes(defaults, changes if isinstance(changes, list) else []) if not item.hidden]
    current = [item.id for item in items]
    history = parse_history(snapshot.setting(HISTORY_SETTING, []))

    def items_on(night: date) -> tuple[str, ...]:
        return habits.items_on(night, history, current)

    tonight = bedtime_night(now)
    ticks = snapshot.ticks_by_night()
    cramps = real_cramps(snapshot.cramps)
    done = habits.done_nights(ticks, items_on)
    first = min(ticks) if ticks else None
    recorded = habits.recorded_nights(ticks, snapshot.nights, snapshot.cramps)
    tracked = [night for night in habits.tracked_nights(first, tonight) if night in recorded]

    comparisons = [habits.compare("The whole checklist", tracked, done, cramps)]
    comparisons += habits.compare_items(
        [(item.id, item.title) for item in items],
        lambda item_id: [night for night in tracked if item_id in items_on(night)],
        ticks,
        cramps,
    )
    trial = None
    trial_start = snapshot.setting(TRIAL_SETTING)
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
        heatmap=habits.heatmap(done, Counter(c.night for c in cramps), tonight, recorded=recorded),
        comparisons=comparisons,
        trial=trial,
    )


def history_after_change(
    history_value: Any, old_visible: list[str], new_visible: list[str], tonight: date
) -> list[dict[str, Any]]:
    """The stored list history once the visible list changes from ``old_visible`` to ``new_visible``
    tonight: past nights keep the list they had; tonight and later nights use the new one."""
    history = [entry for entry in (history_value if isinstance(history_value, list) else []) if isinstance(entry, dict)]
    if old_visible == new_visible:
        return history
    if not history:
        history = [{"since": None, "items": list(old_visible)}]
    stamp = tonight.isoformat()
    history = [entry for entry in history if entry.get("since") != stamp]
    history.append({"since": stamp, "items": list(new_visible)})
    return history

