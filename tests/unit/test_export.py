"""Exports and imports as pure functions: safe CSV cells, an escaped Markdown report, strict reading."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cramp_coach.core import export
from cramp_coach.core.export import (
    ExportWriteError,
    ImportFormatError,
    md_text,
    parse_import,
    read_import,
    read_import_text,
    to_csv,
    to_json,
    to_markdown,
    write_new_file,
)
from cramp_coach.core.models import ValidationError, cramp_from_dict
from tests.corpus import HOSTILE as CORPUS
from tests.corpus import LONE_SURROGATE

HOSTILE = [
    *CORPUS, LONE_SURROGATE,
    "'=already quoted", "''-2", "\tTAB", "`code`", "a & b", "# heading", "- item", "1. first",
]
AT = datetime(2026, 11, 25, 3, 10, tzinfo=UTC)


def cramp(note: str = "", **fields):
    return cramp_from_dict({"started_at": AT.isoformat(), "muscle": "calf", "leg": "left", "intensity": 5, "note": note, **fields})


def accepted(note: str):
    """The cramp the models make of ``note``, or None when they refuse it."""
    try:
        return cramp(note)
    except ValidationError:
        return None


def csv_round_trip(cramps):
    raw, _ = parse_import(Path("export.csv"), to_csv(cramps))
    return [cramp_from_dict(record) for record in raw]


def json_round_trip(cramps):
    raw, _ = parse_import(Path("export.json"), to_json(cramps, []))
    return [cramp_from_dict(record) for record in raw]


# -- CSV ------------------------------------------------------------------------------------------
def test_every_hostile_note_survives_csv_and_json_round_trips_exactly():
    originals = [c for c in map(accepted, HOSTILE) if c is not None]
    assert len(originals) == len(HOSTILE) - 1  # only the 10,000-character note is refused
    by_id = {c.id: c for c in originals}
    for imported in (csv_round_trip(originals), json_round_trip(originals)):
        assert {c.id: c.note for c in imported} == {i: c.note for i, c in by_id.items()}


def test_formula_cells_are_neutralised_for_a_spreadsheet():
    cells = {}
    for note in ("=1+1", "+cmd", "-2", "@SUM(A1)", "'=already quoted", "plain", "a=b"):
        rows = list(csv.reader(io.StringIO(to_csv([cramp(note)]))))
        cells[note] = rows[1][10]
    assert cells == {
        "=1+1": "'=1+1",
        "+cmd": "'+cmd",
        "-2": "'-2",
        "@SUM(A1)": "'@SUM(A1)",
        "'=already quoted": "''=already quoted",
        "plain": "plain",
        "a=b": "a=b",
    }


def test_formula_tags_and_ended_by_are_neutralised_too():
    row = list(csv.reader(io.StringIO(to_csv([cramp(tags=["=cmd|x", "+y"], ended_by="@evil")]))))[1]
    assert row[9].startswith("'=") and row[7] == "'@evil"
    back = csv_round_trip([cramp(tags=["=cmd|x", "+y"], ended_by="@evil")])[0]
    assert back.tags == ("=cmd|x", "+y") and back.ended_by == "@evil"


def test_csv_export_holds_no_control_codes():
    text = to_csv([cramp("before\x1b[2Jafter\x07")])
    assert "\x1b" not in text and "\x07" not in text


def test_a_csv_from_the_previous_version_still_imports():
    old = (
        "id,started_at,night,leg,muscle,intensity,duration_s,ended_by,routine,tags,note,triage\n"
        "0a1b2c3d4e5f,2026-10-03T02:30:00+02:00,2026-10-02,left,calf,7,120,calf-stretch,calf,alcohol;caffeine,\"after a walk, long\",knot: yes\n"
        "1a1b2c3d4e5f,2026-10-10T04:00:00+02:00,2026-10-09,right,foot,4,,,,,=1+1,\n"
    )
    raw, nights = parse_import(Path("old.csv"), old)
    imported = [cramp_from_dict(r) for r in raw]
    assert nights == []
    assert [c.id for c in imported] == ["0a1b2c3d4e5f", "1a1b2c3d4e5f"]
    assert imported[0].tags == ("alcohol", "caffeine") and imported[0].duration_s == 120
    assert imported[0].note == "after a walk, long" and imported[0].triage == ("knot: yes",)
    assert imported[1].note == "=1+1"


def test_a_csv_that_is_not_ours_keeps_its_apostrophes():
    raw, _ = parse_import(Path("mine.csv"), "started_at,muscle,note\n2026-10-03T02:30,calf,'=x\n")
    assert raw[0]["note"] == "'=x"


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_a_utf8_bom_is_accepted(tmp_path, suffix):
    cramps = [cramp("with a bom")]
    path = tmp_path / f"excel{suffix}"
    path.write_text(to_csv(cramps) if suffix == ".csv" else to_json(cramps, []), encoding="utf-8-sig")
    raw, _ = read_import(path)
    assert raw[0]["id"] == cramps[0].id and raw[0]["note"] == "with a bom"


def test_a_huge_csv_field_names_the_file_and_line():
    text = "id,started_at,muscle,note\n1,2026-10-03T02:30,calf,ok\n2,2026-10-03T02:30,calf," + "x" * 200_000 + "\n"
    with pytest.raises(ImportFormatError, match=r"big\.csv: line 3: .*longer than"):
        parse_import(Path("big.csv"), text)


def test_a_row_with_too_many_values_names_the_line():
    with pytest.raises(ImportFormatError, match=r"wide\.csv: line 3: has more values than columns"):
        parse_import(Path("wide.csv"), "started_at,muscle,note\n2026-10-03T02:30,calf,a\n2026-10-03T02:30,calf,a,b\n")


# -- hypothesis: whatever the models accept comes back unchanged --------------------------------
note_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.sampled_from(HOSTILE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=note_text, prefix=st.sampled_from(["", "=", "+", "-", "@", "'", "''=", "\t", "\r", "\n", " "]))
def test_any_accepted_note_survives_export_and_import(note, prefix):
    original = accepted(prefix + note)
    assume(original is not None)
    assert csv_round_trip([original])[0].note == original.note
    assert json_round_trip([original])[0].note == original.note


@settings(max_examples=150, deadline=None)
@given(tag=st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(["a;b", "c, d", ";", ","]))
def test_any_accepted_tag_survives_csv(tag):
    try:
        original = cramp(tags=[tag])
    except ValidationError:
        assume(False)
    assert csv_round_trip([original])[0].tags == original.tags
    assert json_round_trip([original])[0].tags == original.tags


@pytest.mark.parametrize("tag", ["a;b", "c, d", ";", "x,"])
def test_a_tag_holding_a_tag_separator_is_refused_naming_the_field(tag):
    with pytest.raises(ValidationError) as caught:
        cramp(tags=["alcohol", tag])
    assert caught.value.field == "tags"
    assert "must not hold ',' or ';'" in caught.value.message


def test_tags_typed_as_one_text_are_split_at_either_separator():
    assert cramp(tags="alcohol; long sitting,caffeine").tags == ("alcohol", "long sitting", "caffeine")


# -- JSON -----------------------------------------------------------------------------------------
def test_json_export_has_no_raw_control_codes():
    text = to_json([cramp("a\x9bb")], [])  # an old diary may still hold one
    assert not any(ch in text for ch in "\x1b\x07\x9b")
    assert json.loads(text)["cramps"][0]["note"] == cramp("a\x9bb").note


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        (None, 'has no "schema" number'),
        (True, '"schema" must be a whole number from 1 to'),
        ("2", '"schema" must be a whole number from 1 to'),
        (0, '"schema" must be a whole number from 1 to'),
        (2.0, '"schema" must be a whole number from 1 to'),
        (99, "newer than this cramp-coach reads"),
    ],
)
def test_the_json_schema_number_is_checked_strictly(schema, words):
    document = {"format": "cramp-coach-export", "cramps": []}
    if schema is not None:
        document["schema"] = schema
    with pytest.raises(ImportFormatError, match=words):
        parse_import(Path("x.json"), json.dumps(document))


def test_schema_1_exports_still_import():
    document = {"format": "cramp-coach-export", "schema": 1, "cramps": [{"started_at": "2026-01-01T03:00", "muscle": "calf"}]}
    assert len(parse_import(Path("x.json"), json.dumps(document))[0]) == 1


def test_deeply_nested_json_is_a_clear_error():
    with pytest.raises(ImportFormatError, match="nested too deeply"):
        parse_import(Path("deep.json"), "[" * 100_000 + "]" * 100_000)


def test_a_json_number_too_long_to_convert_is_a_clear_error():
    with pytest.raises(ImportFormatError, match="is not valid JSON"):
        parse_import(Path("n.json"), '{"format": "cramp-coach-export", "schema": ' + "9" * 5000 + "}")


# -- Markdown -------------------------------------------------------------------------------------
def test_md_text_is_literal_and_on_one_line():
    assert md_text("a|b\nc") == r"a\|b c"
    assert md_text("<img src=http://evil/x.png>") == "&lt;img src=http://evil/x.png&gt;"
    assert md_text("![x](http://evil/x.png)") == r"\!\[x\]\(http://evil/x.png\)"
    assert md_text("\x1b[2J") == r"\\x1b\[2J"
    assert md_text("- item") == r"\- item"
    assert md_text("`code` a & b") == r"\`code\` a &amp; b"


def test_the_report_escapes_every_note_and_keeps_one_row_per_cramp():
    cramps = [c for c in map(accepted, HOSTILE) if c is not None]
    report = to_markdown(cramps, None, None, disclaimer="Not a diagnosis.")
    assert "<img" not in report and "![" not in report and "](" not in report
    assert not any(ch in report for ch in "\x1b\x07\x9b")
    rows = [line for line in report.splitlines() if line.startswith("| 2026-11-25 |")]
    assert len(rows) == len(cramps)
    for row in rows:
        unescaped_pipes = len(row.replace("\\|", "")) - len(row.replace("\\|", "").replace("|", ""))
        assert unescaped_pipes == 9, row
    assert "Not a diagnosis." in report


def test_the_report_shows_the_date_and_time_the_cramp_started():
    report = to_markdown([cramp("late")], None, None)
    assert "| date | time |" in report
    assert "| 2026-11-25 | 03:10 | left | calf | 5 |" in report
    assert "Period (calendar dates): 2026-11-25 to 2026-11-25." in report


def test_step_names_from_user_files_are_escaped_in_the_report():
    report = to_markdown([cramp(ended_by="mine")], None, None, step_name=lambda s: "[evil](http://x) \x1b[2J")
    assert "[evil](" not in report and "\x1b" not in report


# -- writing an export file -----------------------------------------------------------------------
def test_a_new_file_is_private_and_never_replaces_one(tmp_path):
    path = tmp_path / "out.csv"
    write_new_file(path, "hello\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text() == "hello\n"
    with pytest.raises(ExportWriteError, match="already exists"):
        write_new_file(path, "other\n")
    assert path.read_text() == "hello\n"


def test_a_dangling_symlink_is_not_followed(tmp_path):
    target = tmp_path / "elsewhere.csv"
    (tmp_path / "link.csv").symlink_to(target)
    with pytest.raises(ExportWriteError, match="already exists"):
        write_new_file(tmp_path / "link.csv", "x")
    assert not target.exists()


def test_a_failed_write_leaves_no_partial_file_and_a_retry_works(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    real_write = os.write
    calls = []

    def disk_fills_up(fd, data):
        calls.append(fd)
        if len(calls) == 1:
            return real_write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export.os, "write", disk_fills_up)
    with pytest.raises(ExportWriteError) as caught:
        write_new_file(path, "x" * 1000)
    assert caught.value.reason == "the disk is full"
    assert not path.exists()
    monkeypatch.setattr(export.os, "write", real_write)
    write_new_file(path, "x" * 1000)
    assert path.read_text() == "x" * 1000


def test_a_missing_folder_is_a_plain_reason(tmp_path):
    with pytest.raises(ExportWriteError, match="its folder does not exist"):
        write_new_file(tmp_path / "no" / "out.csv", "x")


# -- reading an import file -----------------------------------------------------------------------
def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), tmp_path):
        with pytest.raises(ImportFormatError, match="is not a regular file"):
            read_import_text(path)


def test_a_file_over_the_cap_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(export.MAX_IMPORT_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(ImportFormatError, match="is larger than 50 MB"):
        read_import_text(big)


def test_a_missing_or_binary_file_is_named(tmp_path):
    with pytest.raises(ImportFormatError, match="nothing.json: no such file"):
        read_import_text(tmp_path / "nothing.json")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\xff\xfe")
    with pytest.raises(ImportFormatError, match="photo.csv: is not a UTF-8 text file"):
        read_import_text(binary)


def test_the_report_keeps_not_a_cramp_entries_apart():
    from cramp_coach.core.export import to_markdown
    from cramp_coach.core.models import cramp_from_dict

    entries = [
        cramp_from_dict({"started_at": "2026-11-20T03:00", "muscle": "calf"}),
        cramp_from_dict({"started_at": "2026-11-21T03:00", "muscle": "other", "tags": ["restless legs?"], "note": "<b>urge</b>"}),
    ]
    report = to_markdown(entries, None, None)
    assert "Cramps recorded: 1." in report
    assert "## Not typical cramps (kept apart, not counted above)" in report
    kept_apart = report.split("## Not typical cramps")[1]
    assert "restless legs?" in kept_apart and "&lt;b&gt;urge&lt;/b&gt;" in kept_apart
    assert "restless" not in report.split("## Not typical cramps")[0].split("## Every cramp")[1]


def test_the_report_lists_how_nights_went():
    from datetime import date

    from cramp_coach.core.export import to_markdown
    from cramp_coach.core.models import Night, cramp_from_dict

    entries = [cramp_from_dict({"started_at": "2026-11-20T03:00", "muscle": "calf"})]
    nights = [Night(night=date(2026, 11, 19), sleep_quality=2, times_woken=3, note="bad [x](http://e)"), Night(night=date(2026, 11, 18), ticks=("fluids",))]
    report = to_markdown(entries, None, None, nights=nights)
    section = report.split("## Nights")[1]
    assert "| 2026-11-19 | 2 | 3 | bad \\[x\\]\\(http://e) |" in section
    assert "2026-11-18" not in section  # ticks alone say nothing of sleep
