"""The head kept beside the diary (``diary.json.head``): the newest entries, read at once for the
diary screen's first page, and never used when it could be wrong."""

from __future__ import annotations

import os
import stat

import pytest

from cramp_coach.core.diary import HEAD_ROWS, Diary
from cramp_coach.core.models import cramp_from_dict

HOSTILE_NOTE = "[/] [@click=app.quit]x[/] \x1b[31mred \u202e " + "x" * 1_950  # (a note holds 2,000 at most)


def cramp(moment: str, **fields):
    record = {"started_at": moment, "muscle": "calf", "leg": "left", "intensity": 6}
    record.update(fields)
    return cramp_from_dict(record)


def many(count: int) -> list:
    """``count`` cramps over ``count`` nights, in mixed time zones and not in order."""
    zones = ["+01:00", "-05:00", "+00:00", "+09:00"]
    days = [(n * 37) % count for n in range(count)]
    return [cramp(f"2020-01-01T03:{n % 60:02d}:00{zones[n % 4]}".replace("2020-01-01", f"{2020 + day // 300}-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"),
                  note=HOSTILE_NOTE if n % 50 == 0 else f"night {n}") for n, day in enumerate(days)]


@pytest.fixture
def written(hermetic_home) -> Diary:
    """A diary of 300 entries written in full (as an import or an edit writes it)."""
    diary = Diary(hermetic_home)
    diary.import_records(many(300))
    return Diary(hermetic_home)


@pytest.mark.parametrize("count", [1, 24, HEAD_ROWS])
def test_the_first_page_is_the_newest_entries_as_the_whole_diary_says(written, count):
    snapshot = written.snapshot()
    page = written.first_page(count)
    assert page is not None
    assert page == (snapshot.newest(count), 300)
    assert [entry.note for entry in page[0]] == [entry.note for entry in snapshot.newest(count)]  # hostile text as written


def test_the_head_is_private_and_small(written):
    head = written.head_path
    assert stat.S_IMODE(head.stat().st_mode) == 0o600
    assert head.stat().st_size < written.path.stat().st_size / 2


def test_more_than_the_head_keeps_is_read_from_the_diary(written):
    assert written.first_page(HEAD_ROWS + 1) is None


def test_entries_in_the_journal_join_the_first_page(written):
    saved = [written.add_cramp(cramp(f"2030-01-0{day}T03:00:00+00:00", note=f"journal {day}")) for day in (2, 1)]
    old = written.add_cramp(cramp("2001-01-01T03:00:00+00:00"))  # older than every entry: not on the first page
    written.add_cramp(saved[0])  # the same entry again (a retried save): once
    assert written.storage.journal_path.exists()
    page = written.first_page(24)
    assert page is not None and page[1] == 303
    assert page[0] == written.snapshot().newest(24)
    assert [entry.note for entry in page[0][:2]] == ["journal 2", "journal 1"] and old not in page[0]


def test_an_unreadable_journal_means_the_head_cannot_say(written, monkeypatch):
    monkeypatch.setattr(written.storage, "journal_records", lambda identity: None)
    assert written.first_page(24) is None


def test_after_a_full_write_the_head_is_current_again(written):
    newest = written.add_cramp(cramp("2030-01-01T03:00:00+00:00"))
    written.update_cramp(newest.with_changes(note="edited"))  # a full write: the journal goes into the file
    page = written.first_page(3)
    assert page is not None and page[0][0].note == "edited" and page[1] == 301


def test_a_diary_changed_by_another_program_makes_the_head_stale(written):
    text = written.path.read_text()
    written.path.write_text(text.replace("night 7", "night seven"))  # same size or not: another identity
    os.utime(written.path, ns=(1, 1))
    assert written.first_page(24) is None


@pytest.mark.parametrize("garbage", [b"", b"not a cache\n", b"\x00" * 100])
def test_a_torn_or_garbled_head_is_not_used(written, garbage):
    written.head_path.write_bytes(garbage)
    assert written.first_page(24) is None
    written.snapshot()  # the next read keeps a good head again
    assert written.first_page(24) is not None


def test_a_head_of_the_wrong_shape_is_not_used(written, monkeypatch):
    from cramp_coach.core import cachefile, storage

    identity = storage.file_identity(os.stat(written.path))
    for value in (["keys", [], 1], (("started_at",), "rows", 1), ((1, 2), [], 1), (("started_at",), [], "300")):
        cachefile.write_cache(written.head_path, identity, value)
        assert written.first_page(24) is None


def test_a_diary_kept_by_an_older_version_gets_its_head_at_the_next_read(written):
    written.head_path.unlink()
    assert written.first_page(24) is None
    written.snapshot()
    assert written.first_page(24) is not None


def test_an_empty_diary_has_an_empty_first_page(hermetic_home):
    diary = Diary(hermetic_home)
    diary.import_records([])
    assert Diary(hermetic_home).first_page(24) in (None, ([], 0))


def test_a_journal_line_that_is_not_a_valid_entry_is_left_out_as_the_full_read_leaves_it(written):
    import json

    written.add_cramp(cramp("2030-01-01T03:00:00+00:00"))
    bad = {"table": "cramps", "doc": {"id": "bad", "started_at": "2099-01-01T00:00:00+00:00", "muscle": "[/] \x1b[2J", "intensity": 99}}
    with open(written.storage.journal_path, "a", encoding="utf-8") as journal:
        journal.write(json.dumps(bad) + "\n" + '{"table": "cramps", "doc": ')  # and a line a crash tore
    page = written.first_page(24)
    assert page is not None and page[0] == written.snapshot().newest(24) and page[1] == 301
    assert all(entry.id != "bad" for entry in page[0])


def test_a_command_in_the_shell_leaves_the_head_to_the_app(hermetic_home):
    Diary(hermetic_home, keep_head=False).import_records(many(100))
    shell = Diary(hermetic_home, keep_head=False)
    shell.snapshot()
    assert not shell.head_path.exists()
    app = Diary(hermetic_home)
    assert app.first_page(24) is None  # this once: the first page comes from the whole diary
    app.snapshot()
    assert app.first_page(24) == (app.snapshot().newest(24), 100)


def test_a_head_whose_rows_cannot_be_read_means_the_full_read(written):
    from cramp_coach.core import cachefile, storage

    identity = storage.file_identity(os.stat(written.path))
    cachefile.write_cache(written.head_path, identity, (("started_at", "id"), [("not a time", "x"), 7], 2))
    assert written.first_page(24) is None


def test_a_head_that_cannot_be_written_never_stops_a_save(written):
    written.head_path.unlink()
    written.head_path.mkdir()  # (as a full disk or a read-only file would: the head is not kept)
    saved = written.add_cramp(cramp("2030-01-01T03:00:00+00:00"))
    written.update_cramp(saved.with_changes(note="kept"))  # a full write
    assert Diary(written.path.parent).get_cramp(saved.id).note == "kept"
    assert written.first_page(24) is None  # and the first page comes from the diary itself


def test_a_head_torn_under_a_good_first_line_is_replaced_at_the_next_read(written):
    written.head_path.write_bytes(written.head_path.read_bytes()[:100])
    assert written.first_page(24) is None
    written.snapshot()
    assert written.first_page(24) == (written.snapshot().newest(24), 300)
