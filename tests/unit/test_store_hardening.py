"""The diary file is only written when it is fully understood; a failed write loses nothing."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cramp_coach.core import storage
from cramp_coach.core.diary import Diary, EditConflictError
from cramp_coach.core.models import MAX_NOTE, ValidationError, cramp_from_dict, night_from_dict
from cramp_coach.core.storage import CorruptFileError, FileLock, LockTimeoutError, WriteFailedError
from cramp_coach.core.text import has_controls

HOSTILE = [
    "[/]",
    "pain [/] gone",
    "[@click=app.quit]tap[/]",
    "\x1b]0;title\x07",
    "\x1b[2J",
    "\x9bc1",
    "\u202eright-to-left\u202c",
    "emoji 🦵💥",
    "a|b\nc",
    "=1+1",
    "\udcff",
]


def cramp(**fields):
    record = {"started_at": "2026-11-20T03:10:27.5+01:00", "muscle": "calf", "leg": "left", "intensity": 6}
    record.update(fields)
    return cramp_from_dict(record)


def diary_file(home, data) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "diary.json").write_text(json.dumps(data), encoding="utf-8")


# -- what enters the store ----------------------------------------------------------------------
@pytest.mark.parametrize("note", HOSTILE)
def test_stored_text_has_no_control_codes_and_keeps_the_rest(hermetic_home, note):
    saved = Diary(hermetic_home).add_cramp(cramp(note=note, tags=[note[:40].replace(",", " ").replace(";", " ")]))  # (they separate tags)
    back = Diary(hermetic_home).get_cramp(saved.id)
    assert not has_controls(back.note) and not any(has_controls(tag) for tag in back.tags)
    assert back.note == saved.note
    if "[" in note:
        assert "[" in back.note  # brackets are text, kept as written


def test_a_long_note_is_refused_by_name():
    with pytest.raises(ValidationError) as caught:
        cramp(note="x" * 10_000)
    assert caught.value.field == "note" and f"at most {MAX_NOTE}" in caught.value.message


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "2026-13-01T00:00", "x" * 500, 5, None])
def test_start_times_out_of_range_are_a_validation_error(value):
    with pytest.raises(ValidationError) as caught:
        cramp(started_at=value)
    assert caught.value.field == "started_at" and "\x1b" not in str(caught.value)


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_any_note_is_stored_clean_or_refused_by_name(text):
    try:
        saved = cramp(note=text, tags=[text[:40]])
    except ValidationError as error:
        assert error.field in ("note", "tags")
        return
    assert not has_controls(saved.note)
    again = cramp_from_dict(saved.to_dict())
    assert again == saved


@given(st.dictionaries(st.sampled_from(["night", "sleep_quality", "times_woken", "note", "ticks"]),
                       st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.text(max_size=5)))))
@settings(max_examples=150, deadline=None)
def test_night_validation_never_raises_anything_but_validation_error(record):
    try:
        night_from_dict(record)
    except ValidationError:
        pass


# -- a file that is not fully understood is never written ---------------------------------------------
BAD_RECORDS = [
    {"cramps": {"1": {"foo": 1}}},
    {"cramps": {"1": {"id": "a", "started_at": "yesterday", "muscle": "calf"}}},
    {"cramps": {"1": {"id": "a", "started_at": "2026-11-20T03:10:00+00:00", "muscle": "calf", "tags": 5}}},
    {"nights": {"1": {"night": "2026-02-30"}}},
    {"settings": {"1": {"value": 3}}},
]


@pytest.mark.parametrize("data", BAD_RECORDS)
def test_a_diary_with_a_bad_record_is_refused_and_never_written(hermetic_home, data):
    diary_file(hermetic_home, data)
    before = (hermetic_home / "diary.json").read_bytes()
    diary = Diary(hermetic_home)
    with pytest.raises(CorruptFileError) as caught:
        diary.cramps()
    assert "record 1" in str(caught.value)
    with pytest.raises(CorruptFileError):
        diary.add_cramp(cramp())
    assert (hermetic_home / "diary.json").read_bytes() == before


def test_deeply_nested_json_is_a_clear_error(hermetic_home):
    hermetic_home.mkdir(parents=True)
    (hermetic_home / "diary.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CorruptFileError):
        Diary(hermetic_home).cramps()
    (hermetic_home / "diary.json").write_text('{"cramps": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(CorruptFileError, match="nested"):
        Diary(hermetic_home).cramps()


def test_a_number_thousands_of_digits_long_is_a_clear_error_naming_the_file(hermetic_home):
    hermetic_home.mkdir(parents=True)
    text = '{"cramps": {"1": {"intensity": ' + "9" * 5000 + "}}}"
    (hermetic_home / "diary.json").write_text(text)
    with pytest.raises(CorruptFileError, match="digits") as caught:
        Diary(hermetic_home).cramps()
    assert caught.value.path.name == "diary.json"
    assert (hermetic_home / "diary.json").read_text() == text


def test_a_fifo_named_diary_json_does_not_hang(hermetic_home):
    hermetic_home.mkdir(parents=True)
    os.mkfifo(hermetic_home / "diary.json")
    started = time.monotonic()
    with pytest.raises(CorruptFileError, match="regular file"):
        Diary(hermetic_home).cramps()
    assert time.monotonic() - started < 2


def test_a_symlinked_diary_is_written_through_to_its_target(hermetic_home, tmp_path):
    real = tmp_path / "synced" / "diary.json"
    real.parent.mkdir()
    Diary(real.parent).add_cramp(cramp(note="first"))
    hermetic_home.mkdir(parents=True)
    (hermetic_home / "diary.json").symlink_to(real)
    Diary(hermetic_home).add_cramp(cramp(note="second"))
    assert (hermetic_home / "diary.json").is_symlink()
    assert sorted(c.note for c in Diary(real.parent).cramps()) == ["first", "second"]


# -- a failed write loses nothing --------------------------------------------------------------------
def test_a_full_disk_is_a_plain_error_and_the_diary_is_unchanged(hermetic_home, monkeypatch):
    diary = Diary(hermetic_home)
    diary.add_cramp(cramp(note="kept"))
    before = (hermetic_home / "diary.json").read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", full)
    with pytest.raises(WriteFailedError) as caught:
        diary.add_cramp(cramp(note="new"))
    assert caught.value.reason == "the disk is full" and caught.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert (hermetic_home / "diary.json").read_bytes() == before
    assert not list(hermetic_home.glob(".diary-*"))
    diary.add_cramp(cramp(note="new"))  # the retry works once the disk has room
    assert sorted(c.note for c in diary.cramps()) == ["kept", "new"]


def test_a_held_lock_says_another_cramp_coach_is_writing(hermetic_home):
    diary = Diary(hermetic_home)
    diary.add_cramp(cramp())
    other = FileLock(diary.storage.lock.path)
    other.acquire()
    try:
        diary.storage.lock.wait = 0.2
        with pytest.raises(LockTimeoutError) as caught:
            diary.add_cramp(cramp())
        assert "another cramp-coach is writing" in str(caught.value)
        assert "fresh diary" not in str(caught.value)
        with pytest.raises(LockTimeoutError):  # readers take the shared lock, so they wait too
            diary.cramps()
    finally:
        other.release()
    assert len(diary.cramps()) == 1


def test_readers_share_the_lock(hermetic_home):
    diary = Diary(hermetic_home)
    diary.add_cramp(cramp())
    with diary.storage.lock.shared():
        other = Diary(hermetic_home)
        other.storage.lock.wait = 0.2
        assert len(other.cramps()) == 1


def test_saves_from_many_threads_of_one_app_all_land(hermetic_home):
    diary = Diary(hermetic_home)
    errors = []

    def save_many(n):
        try:
            for i in range(20):
                diary.add_cramp(cramp(note=f"thread {n} #{i}"))
                diary.cramps(newest_first=False)
        except Exception as error:  # pragma: no cover - the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=save_many, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(Diary(hermetic_home).cramps()) == 80


# -- edits know what they replace; imports name their conflicts ---------------------------------------------
def test_an_edit_of_an_entry_changed_elsewhere_is_refused(hermetic_home):
    mine, theirs = Diary(hermetic_home), Diary(hermetic_home)
    opened = mine.add_cramp(cramp(note="as opened"))
    theirs.update_cramp(opened.with_changes(note="changed in the other window"))
    with pytest.raises(EditConflictError) as caught:
        mine.update_cramp(opened.with_changes(intensity=9), expected=opened)
    assert caught.value.current.note == "changed in the other window"
    assert mine.get_cramp(opened.id).note == "changed in the other window"
    theirs.delete_cramp(opened.id)
    with pytest.raises(EditConflictError) as caught:
        mine.update_cramp(opened.with_changes(intensity=9), expected=opened)
    assert caught.value.current is None


def test_an_unchanged_edit_keeps_the_exact_start_time(hermetic_home):
    diary = Diary(hermetic_home)
    opened = diary.add_cramp(cramp())
    diary.update_cramp(opened.with_changes(note="x"), expected=opened)
    assert diary.get_cramp(opened.id).started_at == datetime(2026, 11, 20, 2, 10, 27, 500000, tzinfo=UTC)


def test_import_skips_identical_records_and_names_conflicts(hermetic_home):
    diary = Diary(hermetic_home)
    kept = diary.add_cramp(cramp(note="mine"))
    diary.save_night(night_from_dict({"night": "2026-11-19", "sleep_quality": 3}))
    result = diary.import_records(
        [kept, kept.with_changes(note="different"), cramp(note="new")],
        [night_from_dict({"night": "2026-11-19", "sleep_quality": 1}), night_from_dict({"night": "2026-11-18"})],
    )
    assert (result.cramps_added, result.cramps_skipped, result.nights_added, result.nights_skipped) == (1, 1, 1, 0)
    assert result.conflicts == (f"cramp {kept.id}", "night 2026-11-19")
    assert diary.get_cramp(kept.id).note == "mine"
    assert diary.night(datetime(2026, 11, 19).date()).sleep_quality == 3


def test_a_lone_surrogate_never_reaches_the_file(hermetic_home):
    from cramp_coach.core.checklist import ChecklistBook, ChecklistItem
    from cramp_coach.core.storage import StorageError

    diary = Diary(hermetic_home)
    diary.add_cramp(cramp(note="kept"))
    book = ChecklistBook(diary)
    book.save([*book.items(), ChecklistItem(id="own-x", title="bad \udcff title", custom=True)])
    assert "\ufffd" in next(i.title for i in book.items() if i.id == "own-x")
    with pytest.raises(StorageError, match="not plain text"):
        diary.keep_value("x", "\udcff")
    assert Diary(hermetic_home).get_cramp(diary.cramps()[0].id).note == "kept"
