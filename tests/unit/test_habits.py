"""Streaks, adherence and insights against hand-worked examples; checklist item changes."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from cramp_coach.core import checklist as lists
from cramp_coach.core import habits
from cramp_coach.core.models import cramp_from_dict

TONIGHT = date(2026, 11, 24)


def nights(*offsets: int) -> set[date]:
    """Nights counted back from tonight: 0 is tonight, 1 last night..."""
    return {TONIGHT - timedelta(days=o) for o in offsets}


def cramp_on(night: date, intensity: int):
    moment = datetime(night.year, night.month, night.day, 23, 0, tzinfo=UTC)
    return cramp_from_dict({"started_at": moment.isoformat(), "muscle": "calf", "intensity": intensity})


def test_done_nights_need_every_item():
    ticks = {TONIGHT: ["a", "b"], TONIGHT - timedelta(days=1): ["a"]}
    assert habits.done_nights(ticks, ["a", "b"]) == {TONIGHT}
    assert habits.done_nights(ticks, []) == set()


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (nights(), 0),
        (nights(0, 1, 2), 3),
        (nights(1, 2, 3), 3),          # tonight not done yet: count from last night
        (nights(0, 2, 3), 3),          # one missed night (1) between done nights is forgiven, not counted
        (nights(0, 2, 4), 2),          # a second miss within 7 nights ends it: 0, (1 forgiven), 2, then 3 missed
        (nights(0, 3, 4), 1),          # two missed nights in a row end it
        (nights(0, 1, 2, 3, 4, 5, 6, 7, 9, 10), 10),  # a miss after 8 done nights is forgiven again
    ],
)
def test_streak(done, expected):
    assert habits.streak(done, TONIGHT) == expected


def test_adherence_counts_from_the_first_night_used():
    first = TONIGHT - timedelta(days=9)
    done = nights(1, 2, 4, 9)
    seven = habits.adherence(done, TONIGHT, 7, first)
    assert (seven.done, seven.nights, seven.percent) == (3, 7, 43)  # nights 1..7: 1, 2, 4 done
    thirty = habits.adherence(done, TONIGHT, 30, first)
    assert (thirty.done, thirty.nights) == (4, 9)  # only the 9 nights since the first use
    assert habits.adherence(done | {TONIGHT}, TONIGHT, 7, first).nights == 7  # tonight counts once done
    assert habits.adherence(set(), TONIGHT, 7, None).percent is None


def test_comparison_waits_for_three_nights_each_then_speaks_plainly():
    tracked = [TONIGHT - timedelta(days=d) for d in range(1, 6)]  # 5 nights
    with_nights = set(tracked[:2])
    cramps = [cramp_on(tracked[0], 4), cramp_on(tracked[2], 6), cramp_on(tracked[3], 8), cramp_on(tracked[3], 7)]
    early = habits.compare("The whole checklist", tracked, with_nights, cramps)
    assert not early.ready and early.nights_needed == 1
    assert "1 more night with it needed" in early.sentence()

    later = habits.compare("The whole checklist", tracked, set(tracked[:3]), cramps)
    # with: nights 0,1,2 -> cramps of intensity 4 and 6 -> 2 cramps, mean intensity 5.0
    assert (later.with_.nights, later.with_.cramps, later.with_.mean_intensity) == (3, 2, 5.0)
    # without: nights 3,4 -> cramps 8 and 7 -> 2 cramps, mean 7.5; only 2 nights, so still not shown
    assert (later.without.nights, later.without.cramps, later.without.mean_intensity) == (2, 2, 7.5)
    assert not later.ready and "1 more night without it needed" in later.sentence()

    none_yet = habits.compare("The whole checklist", [], set(), [])
    assert "3 more nights with it and 3 more nights without it needed" in none_yet.sentence()  # both sides named


def test_comparison_sentence_when_ready():
    tracked = [TONIGHT - timedelta(days=d) for d in range(1, 7)]
    cramps = [cramp_on(tracked[3], 6), cramp_on(tracked[4], 8), cramp_on(tracked[5], 7), cramp_on(tracked[0], 3)]
    result = habits.compare("The whole checklist", tracked, set(tracked[:3]), cramps)
    assert result.ready
    sentence = result.sentence()
    assert sentence.startswith("The whole checklist. After nights with it: 0.33 cramps a night over 3 nights (1 cramp, mean pain 3.0)")
    assert "without: 1.00 cramps a night over 3 nights (3 cramps, mean pain 7.0)" in sentence
    # with: 1, 0, 0 (variance 1/3); without: 1, 1, 1; se = 1/3, Welch df = 2, t = 4.303
    assert "Difference -0.67 a night (95% interval -2.10 to +0.77): No clear difference yet" in sentence
    assert "not proof" in sentence


def test_heatmap_marks_nights():
    done = nights(1, 2)
    cramps = Counter({TONIGHT - timedelta(days=2): 1, TONIGHT - timedelta(days=3): 2})
    grid = habits.heatmap(done, cramps, TONIGHT, weeks=2)
    cells = {cell[0]: cell[1] for row in grid for cell in row if cell}
    assert cells[TONIGHT - timedelta(days=1)] == "done"
    assert cells[TONIGHT - timedelta(days=2)] == "both"
    assert cells[TONIGHT - timedelta(days=3)] == "cramp"
    assert cells[TONIGHT] == "none"
    assert all(cell is None or cell[0] <= TONIGHT for row in grid for cell in row)
    assert len(grid) == 7 and all(len(row) == 2 for row in grid)


def test_trial_compares_six_weeks_with_the_six_before():
    start = TONIGHT - timedelta(days=50)
    before = [cramp_on(start - timedelta(days=d), 8) for d in range(1, 43, 3)]  # 14 cramps, intensity 8
    during = [cramp_on(start + timedelta(days=d), 5) for d in range(0, 42, 6)]  # 7 cramps, intensity 5
    stretched = {start + timedelta(days=d) for d in range(42) if d % 7}
    report = habits.trial_report(start, TONIGHT, before + during, stretched)
    assert report.finished
    assert (report.before.nights, report.before.cramps, report.before.mean_intensity) == (42, 14, 8.0)
    assert (report.during.nights, report.during.cramps, report.during.mean_intensity) == (42, 7, 5.0)
    assert report.nights_stretched == 36
    assert "0.33 cramps a night" in report.sentence() and "0.17 cramps a night" in report.sentence()
    running = habits.trial_report(TONIGHT - timedelta(days=10), TONIGHT, [], set())
    assert not running.finished and running.nights_done == 10
    assert "night 10 of 42" in running.sentence()


def test_checklist_defaults_and_changes():
    defaults = lists.load_default_items()
    ids = [item.id for item in defaults]
    assert ids[:2] == ["calf-stretch", "hamstring-stretch"]
    assert {"fluids", "easy-alcohol-caffeine", "loose-sheets", "electrolyte-food", "movement"} <= set(ids)
    fluids = next(item for item in defaults if item.id == "fluids")
    assert "fluid limit, that limit wins" in fluids.detail
    assert all(item.source and item.source.url.startswith("https://") for item in defaults)

    items = lists.add_item(defaults, "Warm socks")
    items = lists.rename_item(items, "fluids", "Water through the day")
    items = lists.toggle_hidden(items, "electrolyte-food")
    items = lists.move_item(items, items[-1].id, -100)
    stored = lists.changes_of(items, defaults)
    again = lists.apply_changes(defaults, stored)
    assert again == items
    assert again[0].title == "Warm socks" and again[0].custom
    assert next(i for i in again if i.id == "fluids").title == "Water through the day"
    assert next(i for i in again if i.id == "electrolyte-food").hidden
    # a default the stored changes do not mention is still shown, at the end
    assert lists.apply_changes(defaults, stored[:2])[-1].id == defaults[-1].id
    with pytest.raises(ValueError, match="must not be empty"):
        lists.add_item(defaults, "  ")
