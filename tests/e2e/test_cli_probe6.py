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
