"""Insights a person can trust: night rules, list history, intervals, recorded nights, the trial."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cramp_coach.core import habits
from cramp_coach.core.checklist import HISTORY_SETTING, ITEMS_SETTING, TRIAL_SETTING, history_after_change, load_default_items, parse_history
from cramp_coach.core.diary import DiarySnapshot
from cramp_coach.core.insights import build_insights
from cramp_coach.core.models import Night, cramp_from_dict
from cramp_coach.core.nights import NightChoiceError, bedtime_night, last_night, night_name, parse_night_choice
from cramp_coach.core.stats import diary_stats, rise_after_new_medicine, see_clinician_count

UTC = UTC
DEFAULTS = load_default_items()
ALL = [item.id for item in DEFAULTS]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def cramp_on(night: date, tags=()):
    return cramp_from_dict({"started_at": at(night, 23).isoformat(), "muscle": "calf", "intensity": 5, "tags": list(tags)})


# -- the night rule around midnight, noon and the morning ----------------------------------------------------
TUE, WED = date(2026, 11, 24), date(2026, 11, 25)


@pytest.mark.parametrize(
    ("moment", "tonight", "last"),
    [
        (at(TUE, 21, 30), TUE, TUE - timedelta(days=1)),   # bedtime
        (at(WED, 0, 30), TUE, TUE - timedelta(days=1)),    # after midnight, still Tuesday's night
        (at(WED, 4, 59), TUE, TUE - timedelta(days=1)),    # a 5 a.m. cramp: still that night
        (at(WED, 5, 0), WED, TUE),                          # the morning: Tuesday is "last night"
        (at(WED, 9, 50), WED, TUE),                         # the 09:50
        (at(WED, 12, 0), WED, TUE),                         # noon
    ],
)
def test_night_rule(moment, tonight, last):
    assert bedtime_night(moment) == tonight and last_night(moment) == last
    assert night_name(tonight, moment) == "tonight" and night_name(last, moment) == "last night"


def test_night_choice():
    morning = at(WED, 9, 50)
    assert parse_night_choice("last", morning) == TUE
    assert parse_night_choice("tonight", morning) == WED
    assert parse_night_choice("2026-11-20", morning) == date(2026, 11, 20)
    with pytest.raises(NightChoiceError, match="has not come yet"):
        parse_night_choice("2026-11-26", morning)
    with pytest.raises(NightChoiceError, match="tonight, last or a date"):
        parse_night_choice("yesterday-ish", morning)


# -- editing the list never rewrites history ---------------------------------------------------------------
def snapshot(cramps=(), ticks=None, settings=None, records=()):  # settings: the diary's kept values
    nights = {night: Night(night=night, ticks=tuple(t)) for night, t in (ticks or {}).items()}
    nights.update({night: Night(night=night) for night in records if night not in nights})
    return DiarySnapshot(cramps=tuple(cramps), nights=nights, kept=settings or {})


def test_adding_an_item_keeps_past_nights_done():
    now = at(WED, 21, 0)
    past = {WED - timedelta(days=d): ALL for d in range(1, 8)}
    before = build_insights(snapshot(ticks=past), DEFAULTS, now)
    assert before.streak == 7 and before.adherence[7].done == 7

    changes = [{"id": i, "hidden": False} for i in ALL] + [{"id": "own-bath", "title": "Warm bath", "custom": True, "hidden": False}]
    history = history_after_change([], ALL, ALL + ["own-bath"], bedtime_night(now))
    after = build_insights(snapshot(ticks=past, settings={ITEMS_SETTING: changes, HISTORY_SETTING: history}), DEFAULTS, now)
    assert after.streak == 7 and after.adherence[7].done == 7
    assert after.overall.with_.nights == before.overall.with_.nights
    # without the history (as before this fix) every past night would turn to "not done"
    rewritten = build_insights(snapshot(ticks=past, settings={ITEMS_SETTING: changes}), DEFAULTS, now)
    assert rewritten.streak == 0


def test_history_is_parsed_defensively():
    assert parse_history([{"since": None, "items": ["a"]}, {"since": "bad"}, 5, {"since": "2026-11-01", "items": ["a", 3]}]) == [
        habits.ListVersion(None, ("a",)),
        habits.ListVersion(date(2026, 11, 1), ("a",)),
    ]
    versions = parse_history([{"since": None, "items": ["a"]}, {"since": "2026-11-10", "items": ["a", "b"]}])
    assert habits.items_on(date(2026, 11, 9), versions, ["z"]) == ("a",)
    assert habits.items_on(date(2026, 11, 10), versions, ["z"]) == ("a", "b")
    assert habits.items_on(date(2026, 11, 9), [], ["z"]) == ("z",)


# -- honest comparisons -------------------------------------------------------------------------------------
def test_a_large_effect_excludes_zero_and_no_effect_includes_it():
    nights = [TUE - timedelta(days=d) for d in range(1, 21)]
    with_nights = set(nights[:10])
    big = [cramp_on(n) for n in nights[10:] for _ in range(2)]  # 2 a night without, none with
    result = habits.compare("The whole checklist", nights, with_nights, big)
    assert result.difference == pytest.approx(-2.0)
    assert result.interval == (pytest.approx(-2.0), pytest.approx(-2.0)) and result.verdict == habits.FEWER_WITH

    mixed = [cramp_on(n) for i, n in enumerate(nights) if i % 2 == 0]  # every other night, alike in both groups
    same = habits.compare("The whole checklist", nights, with_nights, mixed)
    low, high = same.interval
    assert low < 0 < high and same.verdict == habits.NO_CLEAR_DIFFERENCE
    assert "No clear difference yet" in same.sentence() and "not proof of cause" in same.sentence()
    assert same.to_json()["verdict"] == habits.NO_CLEAR_DIFFERENCE


def test_unrecorded_nights_are_not_zero_cramps():
    now = at(WED, 21, 0)
    first = WED - timedelta(days=20)
    ticks = {first: ALL}  # the checklist was used once, 20 nights ago; nothing else recorded since
    ticks.update({WED - timedelta(days=d): ALL for d in (1, 2, 3)})
    cramps = [cramp_on(WED - timedelta(days=d)) for d in (5, 6, 7)]
    report = build_insights(snapshot(cramps=cramps, ticks=ticks), DEFAULTS, now)
    assert report.tracked_nights == 20 and report.recorded_nights == 7  # 4 with ticks + 3 with cramps
    assert (report.overall.with_.nights, report.overall.without.nights) == (4, 3)
    cells = {cell[0]: cell[1] for row in report.heatmap for cell in row if cell}
    assert cells[WED - timedelta(days=10)] == "unrecorded" and cells[WED - timedelta(days=5)] == "cramp"
    # a one-key "no cramps last night" (a night record) makes a night count as recorded with 0 cramps
    more = build_insights(snapshot(cramps=cramps, ticks=ticks, records=[WED - timedelta(days=10)]), DEFAULTS, now)
    assert more.overall.without.nights == 4


def test_items_always_ticked_together_are_one_group():
    now = at(WED, 21, 0)
    ticks = {WED - timedelta(days=d): (["fluids", "loose-sheets"] if d % 2 else []) + ["movement"] for d in range(1, 9)}
    report = build_insights(snapshot(ticks=ticks), DEFAULTS, now)
    labels = [c.item for c in report.comparisons]
    assert "fluids+loose-sheets" in labels
    payload = report.to_json()
    assert set(payload) >= {"streak", "adherence", "comparisons"}
    assert set(payload["adherence"]) == {"7", "30", "90"}
    first = payload["comparisons"][0]
    assert first["item"] == "all" and set(first) >= {"with", "without", "difference", "interval", "verdict"}


def test_last_night_counts_in_the_morning():
    ticks = {TUE: ALL}
    evening = build_insights(snapshot(ticks=ticks), DEFAULTS, at(TUE, 22, 0))
    morning = build_insights(snapshot(ticks=ticks), DEFAULTS, at(WED, 9, 50))
    assert evening.tonight == TUE and morning.tonight == WED
    assert morning.tracked_nights == 1 and evening.tracked_nights == 0


# -- the trial and not-a-cramp entries -----------------------------------------------------------------------
def test_trial_without_a_baseline_says_so():
    start = WED - timedelta(days=50)
    ticks = {start + timedelta(days=d): ["calf-stretch"] for d in range(42)}
    report = build_insights(snapshot(ticks=ticks, settings={TRIAL_SETTING: start.isoformat()}), DEFAULTS, at(WED, 21))
    assert report.trial is not None and report.trial.finished and not report.trial.baseline_ok
    assert "too few to compare" in report.trial.sentence() and "1.2" not in report.trial.sentence()
    before = {start - timedelta(days=d): [] for d in range(1, 30)}
    ok = build_insights(snapshot(ticks=ticks, records=list(before), settings={TRIAL_SETTING: start.isoformat()}), DEFAULTS, at(WED, 21))
    assert ok.trial.baseline_ok and ok.trial.before.nights == 29


def test_not_a_cramp_entries_are_kept_apart():
    entries = [cramp_on(TUE), cramp_on(TUE, ["restless legs?"]), cramp_on(TUE, ["not a typical cramp"])]
    stats = diary_stats(entries)
    assert stats.total == 1 and len(stats.not_cramps) == 2
    many = [cramp_on(TUE - timedelta(days=d), ["restless legs?"]) for d in range(8)]
    assert see_clinician_count(many, TUE) is None
    real = [cramp_on(TUE - timedelta(days=d)) for d in range(5)]
    assert see_clinician_count(real, TUE) == 5
    old = [cramp_on(TUE - timedelta(days=40 + d)) for d in range(9)]  # a busy month long ago
    assert see_clinician_count(old, TUE) is None


def test_a_new_medicine_rise_needs_diary_nights_before_it():
    start = date(2026, 10, 1)
    after = [cramp_on(start, ["new medicine"])] + [cramp_on(start + timedelta(days=d)) for d in (2, 5, 9, 12)]
    recorded = {c.night for c in after}
    assert rise_after_new_medicine(after, date(2026, 11, 24), recorded) is None  # the diary began with it
    recorded |= {start - timedelta(days=d) for d in range(1, 15)}
    rise = rise_after_new_medicine(after, date(2026, 11, 24), recorded)
    assert rise is not None and rise.before_per_night == 0


def test_the_book_keeps_each_nights_list(hermetic_home):
    from cramp_coach.core.checklist import ChecklistBook, add_item
    from cramp_coach.core.diary import Diary

    tonight = [TUE]
    book = ChecklistBook(Diary(hermetic_home), tonight=lambda: tonight[0])
    for item_id in ALL:
        book.tick(TUE, item_id)
    book.save(add_item(book.items(), "Warm bath"))  # on Tuesday night: Tuesday has the new list
    assert [i.title for i in book.items_for(TUE)][-1] == "Warm bath"
    assert [i.id for i in book.items_for(TUE - timedelta(days=3))] == ALL  # before: the old list
    book.save(book.items())  # nothing changed: no new version
    tonight[0] = WED
    book.save([item for item in book.items() if item.id != "fluids"])  # on Wednesday
    snap = book.diary.snapshot()
    assert len(parse_history(snap.kept_value(HISTORY_SETTING))) == 3
    assert "fluids" in [i.id for i in book.items_for(TUE)] and "fluids" not in [i.id for i in book.items_for(WED)]


def test_no_cramps_last_night_is_one_locked_write_refused_when_there_were_cramps(hermetic_home):
    from cramp_coach.core.diary import Diary
    from cramp_coach.core.nights import is_morning

    diary = Diary(hermetic_home)
    assert diary.mark_no_cramps(TUE) == 0 and TUE in diary.nights()
    diary.add_cramp(cramp_on(WED))
    assert diary.mark_no_cramps(WED) == 1 and WED not in diary.nights()
    assert is_morning(at(WED, 5, 0)) and is_morning(at(WED, 11, 59))
    assert not is_morning(at(WED, 4, 59)) and not is_morning(at(WED, 12, 0))


def test_an_own_item_gets_an_id_made_from_its_title_that_a_person_can_type():
    from cramp_coach.core.checklist import add_item, load_default_items

    items = add_item(list(load_default_items()), "Warm bath before bed!")
    assert items[-1].id == "warm-bath-before-bed" and items[-1].custom
    items = add_item(items, "Warm  bath before BED")
    assert items[-1].id == "warm-bath-before-bed-2"
    items = add_item(items, "Fluids")  # a default item's id is never taken over
    assert items[-1].id == "fluids-2"
    items = add_item(items, "🦵💥 [/]")
    assert items[-1].id.startswith("own-") and len({item.id for item in items}) == len(items)
    assert len(add_item(items, "x" * 80)[-1].id) <= 40
