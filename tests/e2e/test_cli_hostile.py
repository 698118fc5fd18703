"""Hostile input through the installed command line: a clear line and exit 1 or 2, never a traceback,
and no control code a note, title or file name holds ever reaches the terminal raw."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from cramp_coach import cli
from tests.e2e.conftest import console_script

HOSTILE_NOTES = [
    "[/]", "pain [/] gone", "[bold]x", "[x] done", "[@click=app.quit]tap[/]",
    "[link=http://x]y[/link]", "\x1b]0;title\x07", "\x1b[2J", "\x07bell", "\x9bc1",
    "\u202eright-to-left\u202c", "emoji 🦵💥", "a|b\nc", "=1+1", "+cmd", "-2", "@SUM(A1)",
    "<img src=http://evil/x.png>", "![x](http://evil/x.png)", "\udcff",
]
RAW_CONTROLS = (b"\x1b", b"\x07", "\x9b".encode())


def run(*args: str | bytes, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed ``cramp-coach``, output kept as bytes (so a raw control code cannot hide)."""
    return subprocess.run([console_script(), *args], capture_output=True, timeout=30, cwd=cwd)


def assert_one_clear_line(result: subprocess.CompletedProcess[bytes], code: int, *words: str) -> None:
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    for word in words:
        assert word in stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["log", "--muscle", "calf", "--leg", "left", "--intensity", "5", "--at", "0001-01-01T00:00"], "--at"),
        (["log", "--muscle", "calf", "--leg", "left", "--intensity", "5", "--at", "9999-12-31T23:59"], "--at"),
        (["log", "--muscle", "calf", "--leg", "left", "--intensity", ""], "--intensity is required"),
        (["stats", "--days", "99999999999999"], "--days"),
    ],
)
def test_out_of_range_values_are_usage_errors_naming_the_option(hermetic_home, args, option):
    result = run(*args)
    assert_one_clear_line(result, 2, option)
    assert not (hermetic_home / "diary.json").exists()


def _huge_field_csv(folder: Path) -> Path:
    path = folder / "huge.csv"
    path.write_text("id,started_at,muscle,note\n1,2026-10-03T02:30,calf," + "x" * 200_000 + "\n")
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "fifo.json"
    os.mkfifo(path)
    return path


def _oversized(folder: Path) -> Path:
    path = folder / "big.json"
    with open(path, "wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: no disk used
    return path


def _deep(folder: Path) -> Path:
    path = folder / "deep.json"
    path.write_text('{"format": "cramp-coach-export", "schema": 2, "cramps": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_huge_field_csv, "line 2"),
        (lambda folder: Path("/dev/zero"), "is not a regular file"),
        (_fifo, "is not a regular file"),
        (_oversized, "is larger than 50 MB"),
        (_deep, "nested too deeply"),
    ],
    ids=["200k-field", "dev-zero", "fifo", "oversized", "deep-json"],
)
def test_unusable_import_files_exit_1_naming_the_file(tmp_path, make, words):
    path = make(tmp_path)
    result = run("import", str(path))
    assert_one_clear_line(result, 1, str(path), words, "nothing was imported")


def _write_hostile_user_files(home: Path) -> None:
    (home / "routines").mkdir(parents=True)
    (home / "routines" / "mine.toml").write_text(
        '[[steps]]\nid = "my-step"\ntitle = "\\u001b[2J[bold]Mine\\u0007 [@click=app.quit]q[/]"\n', encoding="utf-8"
    )
    from cramp_coach.core.checklist import ChecklistBook, ChecklistItem
    from cramp_coach.core.diary import Diary

    book = ChecklistBook(Diary(home))
    book.save([*book.items(), ChecklistItem(id="own-evil", title="[x] done \x1b]0;title\x07", custom=True)])


def test_hostile_text_is_printed_as_text_by_every_command(tmp_path, hermetic_home):
    _write_hostile_user_files(hermetic_home)
    records = [
        {"started_at": f"2026-10-{day + 1:02d}T03:10", "muscle": "calf", "leg": "left", "intensity": 5,
         "ended_by": "my-step", "note": note, "tags": ["\x1b[2J", "[bold]x"]}
        for day, note in enumerate(HOSTILE_NOTES)
    ]
    export_file = tmp_path / "hostile.json"
    export_file.write_text(json.dumps({"format": "cramp-coach-export", "schema": 2, "cramps": records}))
    imported = run("import", str(export_file))
    assert imported.returncode == 0, imported.stderr
    assert f"Imported {len(HOSTILE_NOTES)} entries and 0 night records.".encode() in imported.stdout
    # Invalid UTF-8 on argv, with an escape sequence behind it.
    logged = run("log", "--muscle", "calf", "--leg", "left", "--intensity", "3", "--at", "2026-11-01T03:00",
                 "--note", b"\xff\xfe \x1b[2J broken", "--ended-by", "my-step")
    assert logged.returncode == 0, logged.stderr

    outputs = {
        "stats": run("stats"),
        "md": run("export", "--format", "md"),
        "csv": run("export", "--format", "csv"),
        "json": run("export", "--format", "json"),
        "checklist": run("checklist", "--list"),
        "bad id": run("checklist", "--done", "\x1b[2J\x07"),
        "bad file": run("import", str(tmp_path / "\x1b]0;title\x07.json")),
        "bad ended-by": run("log", "--muscle", "calf", "--leg", "left", "--intensity", "3", "--ended-by", "\x1b[2J"),
    }
    for name, result in outputs.items():
        assert b"Traceback" not in result.stderr, name
        for control in RAW_CONTROLS:
            assert control not in result.stdout and control not in result.stderr, (name, control)
    assert [outputs[name].returncode for name in outputs] == [0, 0, 0, 0, 0, 2, 1, 2]

    stats = outputs["stats"].stdout.decode()
    ended_by = next(line for line in stats.splitlines() if line.startswith("Most often ended by"))
    assert "[bold]Mine" in ended_by and "[@click=app.quit]q[/] (21)" in ended_by  # literal, escaped or cleaned
    assert "own-evil [ ] [x] done" in outputs["checklist"].stdout.decode()
    assert "\ufffd\ufffd [2J broken" in outputs["csv"].stdout.decode()  # the bad bytes shown as U+FFFD
    report = outputs["md"].stdout.decode()
    assert "<img" not in report and "![" not in report and "](" not in report
    assert "\\[@click=app.quit\\]tap\\[/\\]" in report
    assert len([line for line in report.splitlines() if re.match(r"\| \d{4}-\d\d-\d\d \| \d\d:\d\d \|", line)]) == len(HOSTILE_NOTES) + 1


@pytest.mark.parametrize("args", [["checklist", "--list"], ["export", "--format", "md"]])
def test_a_closed_pipe_ends_quietly(args):
    process = subprocess.Popen([console_script(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # like `| head -0`: nobody reads
    stderr = process.stderr.read()
    assert process.wait(timeout=30) == 1
    assert stderr == b""


def test_export_dash_writes_to_stdout_and_no_file(tmp_path):
    result = run("export", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(b"id,started_at,night")
    assert not (tmp_path / "-").exists()


# -- in-process: failures the real system cannot easily make ------------------------------------
def test_a_failed_export_write_is_removed_and_a_retry_works(tmp_path, monkeypatch, capsys):
    assert cli.main(["log", "--muscle", "calf", "--leg", "left", "--intensity", "4", "--at", "2026-10-01T03:00"]) == 0
    output = tmp_path / "report.md"
    real_write = os.write

    def disk_full(fd, data):
        if fd > 2:
            real_write(fd, bytes(data[:5]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    assert cli.main(["export", "--format", "md", "-o", str(output)]) == 1
    monkeypatch.setattr(os, "write", real_write)
    error = capsys.readouterr().err
    assert f"{output}: cannot be written: the disk is full" in error and len(error.strip().splitlines()) == 1
    assert not output.exists()
    assert cli.main(["export", "--format", "md", "-o", str(output)]) == 0
    assert os.stat(output).st_mode & 0o777 == 0o600
    assert "| 2026-10-01 | 03:00 |" in output.read_text()


def test_an_unexpected_error_is_one_line_unless_debugging(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("boom \x1b[2J")

    monkeypatch.setattr(cli, "cmd_stats", boom)
    assert cli.main(["stats"]) == 1
    error = capsys.readouterr().err
    assert error == "cramp-coach: unexpected error: RuntimeError: boom \\x1b[2J\n"
    monkeypatch.setenv("CRAMP_COACH_DEBUG", "1")
    assert cli.main(["stats"]) == 1
    assert "Traceback" in capsys.readouterr().err
