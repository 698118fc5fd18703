"""The diary store: round trip, validation, migration, a corrupt file kept, private files."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime, timedelta, timezone

import pytest

from cramp_coach.core.diary import Diary, DiaryTooNewError
from cramp_coach.core.models import Night, ValidationError, cramp_from_dict, night_of, validate_records
from cramp_coach.core.storage import CorruptFileError

TZ = timezone(timedelta(hours=1))


def cramp(**fields):
    record = {"started_at": "2026-11-20T03:10:00+01:00", "muscle": "calf", "leg": "left", "intensity": 6}
    record.update(fields)
    return cramp_from_dict(record)


def test_round_trip_newest_first(hermetic_home):
    diary = Diary(hermetic_home)
    older = diary.add_cramp(cramp(started_at="2026-11-18T02:00:00+01:00", tags=["alcohol", "Alcohol", "caffeine"]))
    newer = diary.add_cramp(cramp(duration_s=95, ended_by="calf-stretch", note="woke at 3"))
    again = Diary(hermetic_home)
    assert [c.id for c in again.cramps()] == [newer.id, older.id]
    assert again.get_cramp(newer.id) == newer
    assert again.get_cramp(older.id).tags == ("alcohol", "caffeine")
    assert again.get_cramp(newer.id).started_at.utcoffset() == timedelta(hours=1)


def test_the_first_page_is_the_newest_entries_across_time_zones(hermetic_home):
    diary = Diary(hermetic_home)
    times = ["2026-11-18T02:00:00+01:00", "2026-11-18T00:30:00-05:00", "2026-11-18T01:59:00+00:00", "2026-11-19T03:00:00+09:00",
             "2026-11-17T23:00:00+01:00", "2026-11-18T02:00:00+01:00"]
    diary.import_records([cramp(started_at=moment, note=f"#{n} [/]") for n, moment in enumerate(times)])
    snapshot = Diary(hermetic_home).snapshot()
    everything = sorted(snapshot.cramps, key=lambda c: c.started_at, reverse=True)
    for count in (1, 3, len(times), 50):
        assert Diary(hermetic_home).snapshot().newest(count) == everything[:count]
    assert snapshot.newest(2) == everything[:2]  # once every entry is built, from those


def test_night_is_named_by_the_evening():
    assert night_of(datetime(2026, 11, 25, 3, 0, tzinfo=TZ)) == date(2026, 11, 24)
    assert night_of(datetime(2026, 11, 25, 11, 59, tzinfo=TZ)) == date(2026, 11, 24)
    assert night_of(datetime(2026, 11, 25, 12, 0, tzinfo=TZ)) == date(2026, 11, 25)
    assert night_of(datetime(2026, 11, 25, 23, 30, tzinfo=TZ)) == date(2026, 11, 25)


def test_edit_delete_and_undo(hermetic_home):
    diary = Diary(hermetic_home)
    saved = diary.add_cramp(cramp())
    diary.update_cramp(saved.with_changes(intensity=3, note="better"))
    assert diary.get_cramp(saved.id).intensity == 3
    removed = diary.delete_cramp(saved.id)
    assert diary.cramps() == []
    diary.add_cramp(removed)
    assert diary.get_cramp(saved.id).note == "better"


def test_nights_are_saved_and_replaced(hermetic_home):
    diary = Diary(hermetic_home)
    diary.save_night(Night(night=date(2026, 11, 24), sleep_quality=2, times_woken=3))
    diary.save_night(Night(night=date(2026, 11, 24), sleep_quality=4, times_woken=1, note="ok"))
    assert diary.nights() == {date(2026, 11, 24): Night(night=date(2026, 11, 24), sleep_quality=4, times_woken=1, note="ok")}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"intensity": 11}, "intensity", "from 0 to 10"),
        ({"intensity": "bad"}, "intensity", "whole number"),
        ({"leg": "up"}, "leg", "left, right, both"),
        ({"muscle": "neck"}, "muscle", "calf, foot, hamstring, quadriceps, other"),
        ({"started_at": "yesterday"}, "started_at", "ISO date and time"),
        ({"duration_s": -5}, "duration_s", "from 0"),
        ({"note": "x" * 3000}, "note", "at most 2000"),
    ],
)
def test_validation_names_the_field(fields, field, words):
    with pytest.raises(ValidationError) as caught:
        cramp(**fields)
    assert caught.value.field == field
    assert words in str(caught.value)


def test_future_start_is_refused():
    now = datetime(2026, 11, 25, 3, 0, tzinfo=TZ)
    with pytest.raises(ValidationError, match="future"):
        cramp_from_dict({"started_at": "2026-11-26T03:00:00+01:00", "muscle": "calf"}, now=now)


def test_records_name_their_position():
    with pytest.raises(ValidationError, match="cramp 2: intensity"):
        validate_records([{"started_at": "2026-11-20T03:00", "muscle": "calf"}, {"started_at": "2026-11-20T03:00", "muscle": "calf", "intensity": 12}], [], datetime.now().astimezone())


def test_files_are_private(hermetic_home):
    diary = Diary(hermetic_home)
    diary.add_cramp(cramp())
    assert stat.S_IMODE(hermetic_home.stat().st_mode) == 0o700
    for path in hermetic_home.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_version_one_is_migrated_to_two(hermetic_home):
    hermetic_home.mkdir(parents=True)
    v1 = {
        "cramps": {"1": {"id": "old1", "started_at": "2025-01-02T03:04:00+00:00", "muscle": "calf", "leg": "right",
                         "intensity": 5, "duration_s": 60, "ended_by": None, "tags": [], "note": "", "night": "2025-01-01", "v": 1}},
        "nights": {"1": {"night": "2025-01-01", "sleep_quality": 3, "times_woken": 1, "note": "", "v": 1}},
        "meta": {"1": {"schema_version": 1}},
    }
    (hermetic_home / "diary.json").write_text(json.dumps(v1))
    diary = Diary(hermetic_home)
    assert diary.get_cramp("old1").routine is None
    assert diary.nights()[date(2025, 1, 1)].ticks == ()
    diary.add_cramp(cramp())  # the next write stores the migrated form
    stored = json.loads((hermetic_home / "diary.json").read_text())
    assert stored["meta"]["1"]["schema_version"] == 2
    assert stored["cramps"]["1"]["routine"] is None and stored["cramps"]["1"]["v"] == 2
    assert stored["nights"]["1"]["ticks"] == []


def test_newer_schema_is_refused_and_left_alone(hermetic_home):
    hermetic_home.mkdir(parents=True)
    text = json.dumps({"cramps": {}, "meta": {"1": {"schema_version": 9}}})
    (hermetic_home / "diary.json").write_text(text)
    diary = Diary(hermetic_home)
    with pytest.raises(DiaryTooNewError, match="newer cramp_coach"):
        diary.check()
    with pytest.raises(DiaryTooNewError):
        diary.add_cramp(cramp())
    assert (hermetic_home / "diary.json").read_text() == text


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"cramps": [1]}', "\udcff"])
def test_corrupt_file_is_never_overwritten(hermetic_home, content):
    hermetic_home.mkdir(parents=True)
    path = hermetic_home / "diary.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    before = path.read_bytes()
    diary = Diary(hermetic_home)
    with pytest.raises(CorruptFileError) as caught:
        diary.add_cramp(cramp())
    assert "diary.json" in str(caught.value)
    assert path.read_bytes() == before


def test_move_aside_keeps_the_old_file_and_starts_fresh(hermetic_home):
    hermetic_home.mkdir(parents=True)
    (hermetic_home / "diary.json").write_text("{broken")
    moved = Diary.move_aside(hermetic_home, now=datetime(2026, 11, 25, 3, 0))
    assert moved.name == "diary.unreadable-20261125T030000.json"
    assert moved.read_text() == "{broken"
    diary = Diary(hermetic_home)
    diary.add_cramp(cramp())
    assert len(diary.cramps()) == 1


def test_leftover_temp_files_are_removed_at_start(hermetic_home):
    hermetic_home.mkdir(parents=True)
    (hermetic_home / ".diary-abc.tmp").write_text("half a write")
    Diary(hermetic_home)
    assert not list(hermetic_home.glob(".diary-*.tmp"))


def test_import_skips_what_is_already_there(hermetic_home):
    diary = Diary(hermetic_home)
    first = cramp()
    nights = [Night(night=date(2026, 11, 19), sleep_quality=3)]
    result = diary.import_records([first], nights)
    assert (result.cramps_added, result.nights_added) == (1, 1)
    result = diary.import_records([first], nights)
    assert (result.cramps_added, result.cramps_skipped, result.nights_added, result.nights_skipped) == (0, 1, 0, 1)
    assert len(diary.cramps()) == 1


def test_relief_run_becomes_a_diary_entry(clock):
    from cramp_coach.core.content import load_library
    from cramp_coach.core.routine import RoutineRun

    run = RoutineRun(load_library().routine_for("calf"), side="left", clock=clock, wall_clock=lambda: datetime(2026, 11, 25, 3, 12, tzinfo=TZ))
    run.start()
    clock.advance(40)  # the stretch is held until the person moves on
    run.next()
    clock.advance(30)
    run.update()
    entry = run.finish().to_cramp(intensity=7, note="bad one")
    assert (entry.muscle, entry.leg, entry.intensity, entry.duration_s) == ("calf", "left", 7, 70)
    assert entry.ended_by == "calf-massage" and entry.routine == "calf"
    assert entry.night == date(2026, 11, 24)
