"""Findings of the sixth hostile-input probe, through the installed command line: what a person
sees (exit code and message) for each."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import console_script


def run(*args: str | bytes, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | kwargs
    return subprocess.run([console_script(), *args], timeout=60, env=env, **streams)


def one_line(result: subprocess.CompletedProcess[bytes], code: int, *words: str) -> str:
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr and "unexpected error" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    for word in words:
        assert word in stderr, stderr
    return stderr.strip()


@pytest.fixture
def big_diary(tmp_path, hermetic_home) -> Path:
    """A diary of 20,000 entries: an export of it is megabytes, far more than a pipe holds."""
    rows = "".join(
        f"2020-01-{i % 28 + 1:02d}T03:{i % 60:02d}:{i % 59:02d}+00:00,calf,left,{i % 10},note {i} {'x' * 60}\n" for i in range(20_000)
    )
    source = tmp_path / "big.csv"
    source.write_text("started_at,muscle,leg,intensity,note\n" + rows)
    assert run("import", str(source)).returncode == 0
    return hermetic_home


# -- probe 4: export -o - --------------------------------------------------------------------------
def test_export_to_a_pipe_closed_early_ends_with_1_quietly(big_diary):
    process = subprocess.Popen([console_script(), "export", "-o", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline().startswith(b"id,started_at")  # like `| head -1`
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 1
    assert stderr == b""


def test_export_to_a_full_disk_ends_with_1_and_says_so(big_diary):
    with open("/dev/full", "wb") as full:
        result = run("export", "-o", "-", stdout=full)
    one_line(result, 1, "standard output", "the disk is full", "incomplete")


def test_export_to_stdout_writes_every_byte(big_diary):
    result = run("export", "--format", "csv")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 20_001


# -- probe 5: checklist --night without --list or --done ---------------------------------------------
@pytest.mark.parametrize(
    ("night", "words"),
    [
        ("garbage", ["--night must be tonight, last or a date like 2026-11-24", "'garbage'"]),
        ("\x1b[2J", ["--night must be tonight, last or a date"]),
        ("\x1b[2J" * 100, ["--night must be tonight, last or a date", "…"]),
        ("last", ["--night goes with --list or --done", "opens on tonight"]),
        ("2026-01-01", ["--night goes with --list or --done"]),
    ],
    ids=["garbage", "escape", "long", "last", "a-date"],
)
def test_checklist_night_without_list_or_done_is_checked_and_refused(hermetic_home, night, words):
    result = run("checklist", "--night", night)
    message = one_line(result, 2, *words)
    assert "\x1b" not in message and len(message) < 300
    assert not hermetic_home.exists() or not (hermetic_home / "diary.json").exists()


def test_checklist_night_tonight_opens_the_screen(monkeypatch):
    from cramp_coach import cli

    opened = []
    monkeypatch.setattr(cli, "_run_app", lambda args, mode=None: opened.append((mode, args.night)) or 0)
    assert cli.main(["checklist", "--night", "tonight"]) == 0
    assert cli.main(["checklist"]) == 0
    assert opened == [("checklist", "tonight"), ("checklist", None)]


# -- probe 10: a time zone Python cannot use ----------------------------------------------------------
@pytest.mark.parametrize("zone", ["UTC+24", "UTC-25"])
@pytest.mark.parametrize(
    "args", [["log", "--muscle", "calf", "--leg", "left", "--intensity", "3"], ["stats"], ["checklist", "--list"], ["export"]]
)
def test_an_unusable_time_zone_is_named_with_what_to_do(hermetic_home, zone, args):
    import os

    result = run(*args, env={**os.environ, "TZ": zone})
    one_line(result, 2, f"the time zone TZ='{zone}' cannot be used", "less than 24 hours", "set TZ to a zone such as")
    assert result.stdout == b""
    assert not (hermetic_home / "diary.json").exists()


# -- probe 8: tags holding a tag separator -------------------------------------------------------------
LOG = ("log", "--muscle", "calf", "--leg", "left", "--intensity", "3")


@pytest.mark.parametrize("tag", ["a;b", "c, d"])
def test_log_refuses_a_tag_holding_a_separator(hermetic_home, tag):
    result = run(*LOG, "--tag", "alcohol", "--tag", tag)
    one_line(result, 2, "--tag must not hold ',' or ';'", f"'{tag}'")
    assert not (hermetic_home / "diary.json").exists()


def test_import_refuses_a_tag_holding_a_separator_and_a_csv_round_trip_keeps_tags(tmp_path, hermetic_home):
    import json

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "cramp-coach-export", "schema": 2, "cramps": [
        {"started_at": "2026-10-01T03:00", "muscle": "calf", "tags": ["a;b"]}]}))
    one_line(run("import", str(bad)), 1, str(bad), "cramp 1: tags: must not hold ',' or ';'", "nothing was imported")
    assert run(*LOG, "--tag", "long sitting", "--tag", "alcohol", "--at", "2026-10-02T03:00").returncode == 0
    exported = tmp_path / "mine.csv"
    assert run("export", "-o", str(exported)).returncode == 0
    again = run("import", str(exported))
    assert again.returncode == 0 and b"Not imported" not in again.stdout, again.stdout


# -- probe 9: ended_by on import ----------------------------------------------------------------------
def _export_file(folder: Path, cramps: list[dict], nights: list[dict] | None = None, name: str = "in.json") -> Path:
    import json

    path = folder / name
    path.write_text(json.dumps({"format": "cramp-coach-export", "schema": 2, "cramps": cramps, "nights": nights or []}))
    return path


def test_import_takes_a_step_no_routine_has_and_says_so(tmp_path, hermetic_home):
    path = _export_file(tmp_path, [
        {"started_at": "2026-10-01T03:00", "muscle": "calf", "ended_by": "[@click=app.quit]"},
        {"started_at": "2026-10-02T03:00", "muscle": "calf", "ended_by": "calf-stretch"},
        {"started_at": "2026-10-03T03:00", "muscle": "calf", "ended_by": "on its own"},
    ])
    result = run("import", str(path))
    assert result.returncode == 0, result.stderr
    assert (
        "Note: 1 entry ends with a step that none of your relief routines has (imported as written): '[@click=app.quit]'."
        in result.stdout.decode()
    )
    assert b"calf-stretch" not in result.stdout and b"on its own" not in result.stdout


def test_import_refuses_an_ended_by_that_is_not_one_line_as_log_does(tmp_path, hermetic_home):
    path = _export_file(tmp_path, [{"started_at": "2026-10-01T03:00", "muscle": "calf", "ended_by": "calf\nstretch"}])
    one_line(run("import", str(path)), 1, "cramp 1: ended_by: must be a relief step id or 'on its own': one line", "nothing was imported")
    one_line(run(*LOG, "--ended-by", "[@click=app.quit]"), 2, "--ended-by must be a relief step id", "'[@click=app.quit]'")


# -- probe 7 (the command line's side): a diary.json holding a number too long to read -----------------
@pytest.mark.parametrize("args", [["stats"], ["export", "-o", "-"], ["checklist", "--list"], [*LOG]])
def test_a_huge_number_in_the_diary_names_the_file_and_what_to_do(hermetic_home, args):
    assert run(*LOG, "--at", "2026-10-01T03:00").returncode == 0
    diary = hermetic_home / "diary.json"
    text = diary.read_text()
    assert '"intensity": 3' in text or '"intensity":3' in text
    diary.write_text(text.replace('"intensity": 3', '"intensity": ' + "9" * 5000).replace('"intensity":3', '"intensity":' + "9" * 5000))
    before = diary.read_bytes()
    message = one_line(run(*args), 1, str(diary), "Nothing was changed", "move it aside")
    assert "ValueError" not in message and "set_int_max_str_digits" not in message
    assert diary.read_bytes() == before


# -- probe 11: small message and usage rules ------------------------------------------------------------
LONG_ESCAPES = "\x1b[2J" * 2500


def test_export_to_an_empty_file_name_is_a_usage_error(tmp_path):
    one_line(run("export", "-o", "", cwd=tmp_path), 2, "-o: an empty file name", "- for standard output")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["stats", "--days", "\x1b[2J"], ["--days: must be a whole number from 1 to 36500, got '\\x1b[2J'"]),
        (["checklist", "--done", "\x1b[2J"], ["unknown item id '\\x1b[2J'"]),
        (["log", *LOG[1:], "--at", "\x1b[2J"], ["--at", "got '\\x1b[2J'"]),
        (["stats", "--days", LONG_ESCAPES], ["--days: must be a whole number", "…"]),
        (["export", "--from", LONG_ESCAPES], ["--from: must be a date like 2026-11-25", "…"]),
        (["checklist", "--list", "--night", LONG_ESCAPES], ["--night must be tonight", "…"]),
        (["checklist", "--done", LONG_ESCAPES], ["unknown item id", "…"]),
        (["log", *LOG[1:], "--ended-by", LONG_ESCAPES], ["--ended-by must be", "…"]),
        (["serve", "--port", LONG_ESCAPES], ["--port: must be a port number", "…"]),
    ],
    ids=["days", "done", "at", "long-days", "long-from", "long-night", "long-done", "long-ended-by", "long-port"],
)
def test_bad_input_is_echoed_escaped_once_and_cut_short(hermetic_home, args, words):
    message = one_line(run(*args), 2, *words)
    assert "\\\\x1b" not in message and "\x1b" not in message
    assert len(message) < 400


def test_import_messages_escape_once_and_cut_long_values_and_file_names(tmp_path, hermetic_home):
    path = _export_file(tmp_path, [
        {"started_at": "2026-10-01T03:00", "muscle": "calf", "id": "\x1b[2J"},
        {"started_at": "2026-10-01T03:00", "muscle": "calf", "id": LONG_ESCAPES},
        {"started_at": "2026-10-01T03:00", "muscle": "calf", "intensity": 1e300},
    ])
    message = one_line(run("import", str(path)), 1, "cramp 1: id: must be 1 to 64 letters", "got '\\x1b[2J';", "cramp 3: intensity: must be from 0 to 10")
    assert "\\\\x1b" not in message and len(message) < 600
    long_name = one_line(run("import", LONG_ESCAPES), 1, "…")
    assert len(long_name) < 400


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("٥", ["--intensity must be a whole number from 0 to 10, got '٥'"]),
        ("１", ["--intensity must be a whole number from 0 to 10"]),
        ("1e1", ["--intensity must be a whole number from 0 to 10, got '1e1'"]),
        ("1_0", ["--intensity must be a whole number"]),
        ("99999999999999999999999", ["--intensity must be from 0 to 10, got '99999999999999999999999'"]),
    ],
)
def test_intensity_takes_ascii_digits_only(hermetic_home, value, words):
    one_line(run("log", "--muscle", "calf", "--leg", "left", "--intensity", value), 2, *words)
    assert not (hermetic_home / "diary.json").exists()


def test_a_huge_duration_is_refused_as_typed_not_rounded(hermetic_home):
    result = run(*LOG, "--duration", "99999999999999999999999")
    one_line(result, 2, "--duration must be from 0 to 86400 seconds, got '99999999999999999999999'")


def test_whole_numbers_written_plainly_still_count(hermetic_home):
    assert run("log", "--muscle", "calf", "--leg", "left", "--intensity", " 5.0 ", "--duration", "+90").returncode == 0
    assert run("stats", "--days", " 7 ").returncode == 0


def test_a_diary_from_a_newer_version_says_once_that_it_was_not_changed(hermetic_home):
    import json

    assert run(*LOG).returncode == 0
    diary = hermetic_home / "diary.json"
    data = json.loads(diary.read_text())
    data["meta"] = {"1": {"schema_version": 99}}
    diary.write_text(json.dumps(data))
    message = one_line(run("stats"), 1, "newer cramp_coach", "has not been changed.")
    assert ".." not in message and "Nothing was changed" not in message and "move it aside" not in message


def test_stats_for_some_nights_says_which_nights_it_counts(hermetic_home):
    from datetime import timedelta

    from cramp_coach.core.models import local_now, night_of
    from cramp_coach.core.nights import night_name

    now = local_now()
    newest = night_of(now)
    first = run("stats", "--days", "1").stdout.decode().splitlines()[0]
    assert first == f"Cramps ({night_name(newest, now)}, the night of {newest.isoformat()}): 0"
    week = run("stats", "--days", "7").stdout.decode().splitlines()[0]
    assert week == f"Cramps (the last 7 nights, {(newest - timedelta(days=6)).isoformat()} to {newest.isoformat()}): 0"
    assert run("stats").stdout.decode().startswith("Cramps (whole diary): 0")


# -- walk 9: export and import counts say what they count ------------------------------------------------
def test_export_and_import_count_entries_and_night_records_by_kind(tmp_path, hermetic_home):
    for day in (1, 2, 3):
        assert run(*LOG, "--at", f"2026-10-0{day}T03:00").returncode == 0
    assert run("log", "--muscle", "other", "--leg", "left", "--intensity", "2", "--tag", "restless legs?", "--at", "2026-10-05T03:00").returncode == 0
    assert run("checklist", "--done", "fluids", "--night", "2026-10-04").returncode == 0
    wrote = {fmt: run("export", "--format", fmt, "-o", str(tmp_path / f"all.{fmt}")) for fmt in ("json", "md", "csv")}
    assert wrote["json"].stderr.decode().strip() == f"Wrote 4 entries (3 cramps, 1 not a cramp) and 1 night record to {tmp_path / 'all.json'}"
    assert wrote["md"].stderr.decode().strip() == f"Wrote 4 entries (3 cramps, 1 not a cramp) to {tmp_path / 'all.md'}"
    assert wrote["csv"].stderr.decode().strip() == f"Wrote 4 entries (3 cramps, 1 not a cramp) to {tmp_path / 'all.csv'}"

    again = run("import", str(tmp_path / "all.json"))
    assert again.stdout.decode() == "Imported 0 entries and 0 night records; already in the diary: 4 entries and 1 night record.\n"
    elsewhere = run("import", str(tmp_path / "all.json"), env={**__import__("os").environ, "CRAMP_COACH_HOME": str(tmp_path / "other")})
    assert elsewhere.stdout.decode() == "Imported 4 entries (3 cramps, 1 not a cramp) and 1 night record.\n"


def test_a_repeated_id_inside_one_import_file_is_named_as_such(tmp_path, hermetic_home):
    first = {"id": "a1", "started_at": "2026-10-01T03:00", "muscle": "calf", "note": "first"}
    path = _export_file(
        tmp_path,
        [first, {**first, "note": "second"}, dict(first), {"id": "b2", "started_at": "2026-10-02T03:00", "muscle": "foot"}],
        [{"night": "2026-10-01", "sleep_quality": 2}, {"night": "2026-10-01", "sleep_quality": 4}],
    )
    result = run("import", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines == [
        "Imported 2 entries and 1 night record.",
        "Not imported: 2 with the same id or night as an earlier, different record in this file (the first one was used): "
        "cramp a1; night 2026-10-01.",
    ]
    assert "already in the diary" not in result.stdout.decode()
    exported = run("export", "--format", "csv").stdout.decode()
    assert "first" in exported and "second" not in exported


def test_a_data_folder_that_is_a_file_is_named_as_such(tmp_path):
    import os
    import subprocess
    import sys

    home = tmp_path / "homefile"
    home.write_text("x")
    env = {**os.environ, "CRAMP_COACH_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "cramp_coach", "stats"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert str(home) in result.stderr and "not a folder" in result.stderr and "Traceback" not in result.stderr
    assert home.read_text() == "x"
