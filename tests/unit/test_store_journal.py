"""The diary's parsed cache and its journal: quick at any size, and never the only copy of anything.

A cramp added to a diary the store knows is appended to ``diary.json.journal``; reads add it, the
next full write takes it in. A journal torn by a crash, left over from an older file, or holding a
line that is not a record never loses an entry or breaks a read; a cache that is stale or garbled
is ignored.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from cramp_coach.core import storage
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import cramp_from_dict
from cramp_coach.core.storage import CorruptFileError, WriteFailedError


def cramp(**fields):
    record = {"started_at": "2026-11-20T03:10:27+01:00", "muscle": "calf", "leg": "left", "intensity": 6}
    record.update(fields)
    return cramp_from_dict(record)


def started(home):
    """A diary with one cramp written into the file itself (so the store knows it: a cache)."""
    diary = Diary(home)
    first = diary.add_cramp(cramp(note="first"))
    assert (home / "diary.json.cache").exists() and not (home / "diary.json.journal").exists()
    return diary, first


def test_an_added_cramp_goes_to_the_journal_and_every_reader_sees_it(hermetic_home):
    diary, first = started(hermetic_home)
    before = (hermetic_home / "diary.json").read_bytes()
    second = diary.add_cramp(cramp(note="second"))
    assert (hermetic_home / "diary.json").read_bytes() == before  # the big file is not rewritten
    assert (hermetic_home / "diary.json.journal").exists()
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, second.id}
    mode = stat.S_IMODE(os.stat(hermetic_home / "diary.json.journal").st_mode)
    assert mode == 0o600


def test_the_next_full_write_takes_the_journal_in_and_removes_it(hermetic_home):
    diary, first = started(hermetic_home)
    second = diary.add_cramp(cramp(note="second"))
    diary.delete_cramp(first.id)  # a full write
    assert not (hermetic_home / "diary.json.journal").exists()
    stored = json.loads((hermetic_home / "diary.json").read_text())
    assert [doc["id"] for doc in stored["cramps"].values()] == [second.id]
    assert [c.id for c in Diary(hermetic_home).cramps()] == [second.id]


def test_a_journal_left_from_before_a_full_write_is_never_read_again(hermetic_home):
    """A crash between the full write and the journal's removal (the journal is renamed to
    ``.folding`` before the write): the entry is not doubled, a cramp deleted in that write does
    not come back, and the leftover is kept aside at the next write, never deleted."""
    diary, first = started(hermetic_home)
    second = diary.add_cramp(cramp(note="second"))
    journal = (hermetic_home / "diary.json.journal").read_bytes()
    diary.delete_cramp(second.id)
    (hermetic_home / "diary.json.journal.folding").write_bytes(journal)  # as if the removal never happened
    assert [c.id for c in Diary(hermetic_home).cramps()] == [first.id]
    third = diary.add_cramp(cramp(note="third"))  # a full write while a folding journal is there
    assert [c.id for c in Diary(hermetic_home).cramps()] == [first.id, third.id]
    kept = list(hermetic_home.glob("diary.folded-journal-*.jsonl"))
    assert len(kept) == 1 and kept[0].read_bytes() == journal
    assert not (hermetic_home / "diary.json.journal.folding").exists()


def test_a_crash_before_the_full_write_keeps_the_journal_records(hermetic_home):
    """The journal was renamed for a full write that never happened: its entries still count."""
    diary, first = started(hermetic_home)
    second = diary.add_cramp(cramp(note="second"))
    os.replace(hermetic_home / "diary.json.journal", hermetic_home / "diary.json.journal.folding")
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, second.id}
    third = diary.add_cramp(cramp(note="third"))  # written in full, the folding journal with it
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, second.id, third.id}
    stored = json.loads((hermetic_home / "diary.json").read_text())
    assert {doc["id"] for doc in stored["cramps"].values()} == {first.id, second.id, third.id}
    assert not list(hermetic_home.glob("diary.json.journal*"))


def test_a_failed_full_write_leaves_the_journal_as_it_was(hermetic_home, monkeypatch):
    diary, first = started(hermetic_home)
    second = diary.add_cramp(cramp(note="second"))
    journal = (hermetic_home / "diary.json.journal").read_bytes()

    def full_disk(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "write_atomically", full_disk)
    with pytest.raises(WriteFailedError):
        diary.delete_cramp(first.id)
    assert (hermetic_home / "diary.json.journal").read_bytes() == journal
    assert not (hermetic_home / "diary.json.journal.folding").exists()
    monkeypatch.undo()
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, second.id}


def test_a_line_torn_by_a_crash_is_ignored_and_cut_off_by_the_next_addition(hermetic_home):
    diary, first = started(hermetic_home)
    second = diary.add_cramp(cramp(note="second"))
    with open(hermetic_home / "diary.json.journal", "ab") as handle:
        handle.write(b'{"table":"cramps","doc":{"id":"torn')
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, second.id}
    third = diary.add_cramp(cramp(note="third"))
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, second.id, third.id}
    assert b"torn" not in (hermetic_home / "diary.json.journal").read_bytes()


@pytest.mark.parametrize(
    "line",
    [
        "not json at all",
        '{"table":"cramps","doc":{"id":"x1","started_at":"yesterday","muscle":"calf"}}',
        '{"table":"settings","doc":{"key":"trial","value":1}}',
        '{"table":"cramps","doc":' + "[" * 50_000 + "]" * 50_000 + "}",
        '["a list"]',
        '{"table":"cramps","doc":{"id":"[/]\\u001b[2J","started_at":"2026-11-20T03:10:27+01:00","muscle":"calf","note":"' + "x" * 10_000 + '"}}',
    ],
)
def test_a_journal_line_that_is_not_a_record_is_left_out_and_kept_aside(hermetic_home, line):
    diary, first = started(hermetic_home)
    second = diary.add_cramp(cramp(note="second"))
    with open(hermetic_home / "diary.json.journal", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, second.id}
    diary.delete_cramp(first.id)  # the full write keeps the odd journal aside, not deletes it
    kept = list(hermetic_home.glob("diary.unreadable-journal-*.jsonl"))
    assert len(kept) == 1 and line in kept[0].read_text(encoding="utf-8")
    assert [c.id for c in Diary(hermetic_home).cramps()] == [second.id]


def test_saving_the_same_cramp_twice_keeps_one(hermetic_home):
    diary, _ = started(hermetic_home)
    again = cramp(note="retry")
    diary.add_cramp(again)
    diary.add_cramp(again)  # a retry after a save that did land
    assert [c.id for c in Diary(hermetic_home).cramps()].count(again.id) == 1


def test_a_corrupt_diary_gets_no_journal_entry(hermetic_home):
    diary, _ = started(hermetic_home)
    (hermetic_home / "diary.json").write_text("{torn")
    with pytest.raises(CorruptFileError):
        diary.add_cramp(cramp(note="after"))
    assert (hermetic_home / "diary.json").read_text() == "{torn"
    assert not (hermetic_home / "diary.json.journal").exists()


def test_a_full_disk_on_the_journal_is_a_plain_error_and_nothing_is_half_written(hermetic_home, monkeypatch):
    diary, first = started(hermetic_home)
    second = diary.add_cramp(cramp(note="second"))
    before = (hermetic_home / "diary.json.journal").read_bytes()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", full)
    with pytest.raises(WriteFailedError) as caught:
        diary.add_cramp(cramp(note="third"))
    assert "disk is full" in caught.value.reason
    monkeypatch.undo()
    assert (hermetic_home / "diary.json.journal").read_bytes() == before
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, second.id}


def test_a_long_journal_is_folded_into_the_file(hermetic_home, monkeypatch):
    monkeypatch.setattr(storage, "JOURNAL_FOLD_LINES", 3)
    diary, _ = started(hermetic_home)
    for n in range(3):
        diary.add_cramp(cramp(note=f"n{n}"))
    assert (hermetic_home / "diary.json.journal").exists()
    diary.add_cramp(cramp(note="folds"))
    assert not (hermetic_home / "diary.json.journal").exists()
    assert len(json.loads((hermetic_home / "diary.json").read_text())["cramps"]) == 5


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-10],  # torn
        lambda raw: raw[:200] + bytes([raw[200] ^ 0xFF]) + raw[201:],  # a flipped byte
        lambda raw: b"cramp-coach-cache 1 py2.7 m1 0:0:0:0 00000000\n" + raw.split(b"\n", 1)[1],  # another Python
        lambda raw: b"\x1b[2J" * 100,  # garbage
        lambda raw: b"",
    ],
)
def test_a_damaged_cache_only_means_a_slower_read(hermetic_home, damage):
    diary, first = started(hermetic_home)
    cache = hermetic_home / "diary.json.cache"
    cache.write_bytes(damage(cache.read_bytes()))
    assert [c.id for c in Diary(hermetic_home).cramps()] == [first.id]
    assert Diary(hermetic_home).storage.trusted()  # the read checked the file and cached it again


def test_a_file_changed_by_hand_is_checked_again_not_taken_from_the_cache(hermetic_home):
    diary, first = started(hermetic_home)
    data = json.loads((hermetic_home / "diary.json").read_text())
    data["cramps"]["1"]["intensity"] = 99  # out of range, written by something else
    (hermetic_home / "diary.json").write_text(json.dumps(data))
    with pytest.raises(CorruptFileError):
        Diary(hermetic_home).cramps()
    with pytest.raises(CorruptFileError):
        diary.add_cramp(cramp(note="after"))  # not journalled onto a file that was never checked


def test_a_diary_that_needs_migrating_is_written_not_journalled(hermetic_home):
    hermetic_home.mkdir(parents=True)
    v1 = {"cramps": {"1": {"id": "old1", "started_at": "2025-01-01T02:00:00+00:00", "muscle": "calf", "leg": "left",
                           "intensity": 5, "duration_s": 60, "ended_by": None, "tags": [], "note": ""}}}
    (hermetic_home / "diary.json").write_text(json.dumps(v1))
    diary = Diary(hermetic_home)
    diary.cramps()
    diary.add_cramp(cramp())
    assert not (hermetic_home / "diary.json.journal").exists()
    assert json.loads((hermetic_home / "diary.json").read_text())["meta"]["1"]["schema_version"] == 2


def test_the_diary_signature_changes_when_the_journal_grows(hermetic_home):
    diary, _ = started(hermetic_home)
    before = diary.signature()
    diary.add_cramp(cramp(note="second"))
    assert diary.signature() != before


def test_the_packed_form_gives_back_every_record_as_it_was():
    data = {
        "cramps": {"1": {"a": 1, "b": [1, 2]}, "2": {"b": 2, "a": 1}, "7": {"a": None}},
        "empty": {},
        "odd": [1, 2],
        "mixed": {"1": {"a": 1}, "2": "not a record"},
    }
    assert storage.unpack(storage.pack(data)) == data
    assert storage.unpack(storage.pack(data, as_dicts=True)) == data
    assert storage.is_packed(storage.pack(data))


def test_the_cache_shares_equal_texts_and_keeps_every_value_as_it_was():
    import marshal

    def fresh(text):  # a new string object each time, as a JSON parse makes them
        return "".join(list(text))

    rows = {str(n): {"t": fresh("calf" if n % 2 else "foot"), "n": [1, True, 1.0, "1", None][n % 5], "note": fresh("[/] \x1b[2J") if n % 3 else None}
            for n in range(1, 40)}
    packed = storage.pack({"cramps": rows, "odd": [1, True]})
    shared = storage.with_shared_text(packed)
    back = storage.unpack(marshal.loads(marshal.dumps(shared)))
    assert back == {"cramps": rows, "odd": [1, True]}
    assert [type(doc["n"]) for doc in back["cramps"].values()] == [type(doc["n"]) for doc in rows.values()]  # 1, True, 1.0 kept apart
    texts = [row[0] for row in shared["tables"]["cramps"][2]]
    assert len({id(text) for text in texts}) == 2  # one "calf", one "foot"
    assert len(marshal.dumps(shared)) < len(marshal.dumps(packed))


def test_cramps_are_rebuilt_from_rows_exactly_as_from_records(hermetic_home):
    from cramp_coach.core.diary import STORED_CRAMP_ORDER, cramps_from_rows, cramps_from_stored

    saved = [cramp(note="[/] \x1b[2J" + "x" * 1900, tags=["alcohol", "restless legs"]), cramp(leg=None, intensity=None), cramp(muscle="foot")]
    docs = [c.to_dict() for c in saved]
    assert tuple(docs[0]) == STORED_CRAMP_ORDER  # the order rows are read back by position
    packed = storage.pack({"cramps": {str(n): doc for n, doc in enumerate(docs, 1)}})
    keys, _, rows = packed["tables"]["cramps"]
    from_rows = cramps_from_rows(keys, rows)
    assert from_rows == cramps_from_stored(docs) == saved
    assert [c.night for c in from_rows] == [c.night for c in saved]
    odd_order = {k: docs[0][k] for k in reversed(STORED_CRAMP_ORDER)}
    assert cramps_from_rows(tuple(odd_order), [tuple(odd_order.values())]) == [saved[0]]


def test_a_touched_diary_keeps_the_journal_records_and_the_next_save_takes_them_in(hermetic_home):
    """Touching diary.json (or anything else that changes its identity) must not drop the cramps
    that are only in the journal, neither on reading nor at the next save."""
    diary, first = started(hermetic_home)
    more = [diary.add_cramp(cramp(note=f"journal {n}")) for n in range(3)]
    os.utime(hermetic_home / "diary.json")
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, *(c.id for c in more)}
    latest = Diary(hermetic_home).add_cramp(cramp(note="after the touch"))
    expected = {first.id, latest.id, *(c.id for c in more)}
    assert {c.id for c in Diary(hermetic_home).cramps()} == expected
    stored = json.loads((hermetic_home / "diary.json").read_text())
    assert {doc["id"] for doc in stored["cramps"].values()} == expected  # all in the file itself now


def test_a_copied_data_folder_keeps_every_cramp(hermetic_home, tmp_path):
    import shutil

    diary, first = started(hermetic_home)
    more = [diary.add_cramp(cramp(note=f"journal {n}")) for n in range(4)]
    copy = tmp_path / "restored"
    shutil.copytree(hermetic_home, copy)  # a new inode: a backup restored, a folder moved to a new disk
    assert {c.id for c in Diary(copy).cramps()} == {first.id, *(c.id for c in more)}
    Diary(copy).add_cramp(cramp(note="in the copy"))
    assert len(Diary(copy).cramps()) == 6


def test_an_in_place_edit_that_keeps_the_size_and_the_time_is_still_seen(hermetic_home):
    diary, first = started(hermetic_home)
    path = hermetic_home / "diary.json"
    before = os.stat(path)
    text = path.read_bytes().replace(b"first", b"EDITS")
    with open(path, "r+b") as handle:
        handle.write(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert [c.note for c in Diary(hermetic_home).cramps()] == ["EDITS"]


def test_an_unreadable_journal_stops_reads_and_writes_and_is_never_removed(hermetic_home, monkeypatch):
    diary, first = started(hermetic_home)
    diary.add_cramp(cramp(note="only in the journal"))
    journal = hermetic_home / "diary.json.journal"
    kept = journal.read_bytes()
    real_open = os.open

    def refused(path, *args, **kwargs):
        if str(path).endswith(".journal"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(storage.os, "open", refused)
    with pytest.raises(storage.StorageError) as error:
        Diary(hermetic_home).cramps()
    assert error.value.path == journal and "permission" in error.value.reason
    with pytest.raises(storage.StorageError):
        Diary(hermetic_home).delete_cramp(first.id)
    monkeypatch.undo()
    assert journal.read_bytes() == kept
    assert len(Diary(hermetic_home).cramps()) == 2


def test_a_directory_where_the_journal_should_be_is_named_not_skipped(hermetic_home):
    diary, _ = started(hermetic_home)
    (hermetic_home / "diary.json.journal").mkdir()
    with pytest.raises(storage.StorageError) as error:
        Diary(hermetic_home).cramps()
    assert error.value.path.name == "diary.json.journal" and "folder" in error.value.reason


def test_a_diary_set_aside_keeps_the_cramps_its_journal_held(hermetic_home):
    diary, first = started(hermetic_home)
    recent = [diary.add_cramp(cramp(note=f"recent {n}")) for n in range(2)]
    (hermetic_home / "diary.json").write_text('{"cramps": {')  # torn
    with pytest.raises(CorruptFileError):
        Diary(hermetic_home).cramps()
    Diary.move_aside(hermetic_home)
    assert {c.id for c in Diary(hermetic_home).cramps()} == {c.id for c in recent}
    new = Diary(hermetic_home).add_cramp(cramp(note="new"))
    assert {c.id for c in Diary(hermetic_home).cramps()} == {new.id, *(c.id for c in recent)}
    assert not (hermetic_home / "diary.json.journal").exists()


def test_two_journals_kept_aside_in_the_same_second_are_both_kept(hermetic_home):
    hermetic_home.mkdir(parents=True, exist_ok=True)
    for n in range(2):
        (hermetic_home / "diary.json.journal").write_text(f"x\nnot a record {n}\n")
        storage.keep_aside(hermetic_home / "diary.json.journal", "diary.unreadable-journal")
    assert len(list(hermetic_home.glob("diary.unreadable-journal-*.jsonl"))) == 2


CRASH_SCRIPT = """
import os, sys
from pathlib import Path
from cramp_coach.core import storage
from cramp_coach.core.diary import Diary
home, where, action, cramp_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
real_write = storage.write_atomically
def write(path, text):
    if where == "before" and Path(path).name == "diary.json":
        os._exit(9)  # killed with the journal folded aside, before the diary is replaced
    real_write(path, text)
    if where == "after" and Path(path).name == "diary.json":
        os._exit(9)  # killed with the new diary in place, before the folding journal is removed
storage.write_atomically = write
diary = Diary(home)
if action == "delete":
    diary.delete_cramp(cramp_id)
else:
    from cramp_coach.core.models import cramp_from_dict
    diary.add_cramp(cramp_from_dict({"started_at": "2026-11-21T03:00:00+00:00", "muscle": "calf", "note": "the crash save"}))
"""


def crash_in_a_full_write(home, where, action, cramp_id=""):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(home), where, action, cramp_id], capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr


@pytest.mark.parametrize("changed", ["touched", "chmodded", "unchanged"])
def test_a_save_killed_before_the_diary_is_replaced_loses_no_journal_cramp(hermetic_home, changed):
    """Also when diary.json changed since the journal was begun (touch, chmod, a restore)."""
    diary, first = started(hermetic_home)
    more = [diary.add_cramp(cramp(note=f"journal {n}")) for n in range(3)]
    if changed == "touched":
        os.utime(hermetic_home / "diary.json")
    elif changed == "chmodded":
        os.chmod(hermetic_home / "diary.json", 0o600)  # the change time moves
    crash_in_a_full_write(hermetic_home, "before", "delete", first.id)
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, *(c.id for c in more)}
    Diary(hermetic_home).delete_cramp(first.id)  # the next save goes through, with every journal cramp
    assert {c.id for c in Diary(hermetic_home).cramps()} == {c.id for c in more}
    stored = json.loads((hermetic_home / "diary.json").read_text())
    assert {doc["id"] for doc in stored["cramps"].values()} == {c.id for c in more}
    assert not list(hermetic_home.glob("diary.json.journal*"))


def test_a_delete_killed_after_the_diary_is_replaced_stays_deleted_even_once_the_diary_is_set_aside(hermetic_home):
    diary, first = started(hermetic_home)
    gone, kept = diary.add_cramp(cramp(note="deleted")), diary.add_cramp(cramp(note="kept"))
    crash_in_a_full_write(hermetic_home, "after", "delete", gone.id)
    assert {c.id for c in Diary(hermetic_home).cramps()} == {first.id, kept.id}
    Diary.move_aside(hermetic_home)  # no diary.json at all now
    assert gone.id not in {c.id for c in Diary(hermetic_home).cramps()}


def test_a_save_that_fails_once_the_new_diary_is_in_place_does_not_bring_a_deleted_cramp_back(hermetic_home, monkeypatch):
    diary, first = started(hermetic_home)
    gone = diary.add_cramp(cramp(note="deleted"))
    real_write = storage.write_atomically

    def folder_sync_fails(path, text):
        real_write(path, text)
        if path.name == "diary.json":
            raise OSError(5, "Input/output error")  # the folder's fsync, after the replace

    monkeypatch.setattr(storage, "write_atomically", folder_sync_fails)
    with pytest.raises(WriteFailedError):
        Diary(hermetic_home).delete_cramp(gone.id)
    monkeypatch.undo()
    assert [c.id for c in Diary(hermetic_home).cramps()] == [first.id]
