"""The diary commands through the installed console script."""

from __future__ import annotations

import json
import os

import pytest


@pytest.fixture
def logged(cramp_coach):
    ids = []
    for args in (
        ["--muscle", "calf", "--leg", "left", "--intensity", "7", "--duration", "120", "--at", "2026-10-03T02:30", "--ended-by", "calf-stretch", "--tag", "alcohol"],
        ["--muscle", "foot", "--leg", "right", "--intensity", "4", "--at", "2026-10-10T04:00", "--note", "after a long walk"],
        ["--muscle", "calf", "--leg", "both", "--intensity", "5", "--at", "2026-11-20T01:15", "--ended-by", "on its own"],
    ):
        result = cramp_coach("log", *args)
        assert result.returncode == 0, result.stderr
        ids.append(result.stdout.strip())
    return ids


def test_log_prints_the_id_and_stats_show_it(cramp_coach, logged):
    assert all(len(i) == 12 for i in logged)
    result = cramp_coach("stats")
    assert result.returncode == 0
    assert "Cramps (whole diary): 3" in result.stdout
    assert "Most common muscle   calf (2)" in result.stdout
    assert "Stretch the calf (1)" in result.stdout or "on its own (1)" in result.stdout
    assert "2026-10" in result.stdout and "2026-11" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--intensity", "11"], "--intensity must be from 0 to 10"),
        (["--intensity", "7", "--leg", "up"], "left', 'right', 'both'"),
        (["--intensity", "7", "--at", "2099-01-01T03:00"], "--at is in the future"),
        (["--intensity", "7", "--at", "last night"], "--at must be an ISO date"),
        (["--intensity", "7", "--ended-by", "dance"], "--ended-by must be a relief step id"),
    ],
)
def test_bad_values_exit_2_with_one_line_and_change_nothing(cramp_coach, logged, hermetic_home, args, words):
    before = (hermetic_home / "diary.json").read_bytes()
    base = {"--muscle": "calf", "--leg": "left"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    result = cramp_coach("log", *[part for pair in base.items() for part in pair])
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert words in result.stderr
    assert (hermetic_home / "diary.json").read_bytes() == before


def test_export_csv_json_md_and_import_twice_adds_nothing(cramp_coach, logged, tmp_path, hermetic_home):
    csv_text = cramp_coach("export").stdout
    assert csv_text.splitlines()[0].startswith("id,started_at,night,leg,muscle")
    assert len(csv_text.splitlines()) == 4

    only_october = cramp_coach("export", "--from", "2026-10-01", "--to", "2026-10-31").stdout
    assert len(only_october.splitlines()) == 3

    out = tmp_path / "all.json"
    assert cramp_coach("export", "--format", "json", "-o", str(out)).returncode == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    document = json.loads(out.read_text())
    assert len(document["cramps"]) == 3 and "nights" in document
    again = cramp_coach("export", "--format", "json", "-o", str(out))
    assert again.returncode == 1 and "already exists" in again.stderr

    report = cramp_coach("export", "--format", "md").stdout
    assert "# Night leg cramps: diary report" in report
    assert "| 2026-10 | 2 |" in report and "alcohol: 1" in report
    assert "Stretch the calf: 1" in report
    assert "not a diagnosis" in report

    other_home = tmp_path / "other"
    env_home = os.environ["CRAMP_COACH_HOME"]
    os.environ["CRAMP_COACH_HOME"] = str(other_home)
    try:
        first = cramp_coach("import", str(out))
        assert first.returncode == 0 and "Imported 3 entries" in first.stdout
        second = cramp_coach("import", str(out))
        assert "Imported 0 entries" in second.stdout and "already in the diary: 3 entries" in second.stdout
        csv_file = tmp_path / "all.csv"
        csv_file.write_text(csv_text, encoding="utf-8-sig")  # as a spreadsheet saves it: with a BOM
        third = cramp_coach("import", str(csv_file))
        assert "Imported 0 entries" in third.stdout and "already in the diary: 3 entries" in third.stdout
    finally:
        os.environ["CRAMP_COACH_HOME"] = env_home


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "is not valid JSON"),
        ('{"format": "something else"}', "is not a cramp-coach JSON export"),
        ('{"format": "cramp-coach-export", "schema": 2, "cramps": [{"started_at": "2026-01-01T03:00", "muscle": "calf", "intensity": 42}]}', "cramp 1: intensity"),
        ("a,b\n1,2\n", "is not a cramp-coach CSV export"),
        ('{"format": "cramp-coach-export", "cramps": []}', 'has no "schema" number'),
        ('{"format": "cramp-coach-export", "schema": true, "cramps": []}', '"schema" must be a whole number from 1 to 2'),
        ('{"format": "cramp-coach-export", "schema": "2", "cramps": []}', '"schema" must be a whole number from 1 to 2'),
        (
            '{"format": "cramp-coach-export", "schema": 2, "cramps": [{"started_at": "2026-01-01T03:00", "muscle": "calf"}, '
            '{"foo": 1}, {"started_at": "2026-01-01T03:00", "muscle": "calf", "tags": 5}]}',
            "2 records cannot be read, so nothing was imported: cramp 2: started_at: must be an ISO date",
        ),
    ],
)
def test_malformed_import_exits_1_and_changes_nothing(cramp_coach, logged, tmp_path, hermetic_home, content, words):
    before = (hermetic_home / "diary.json").read_bytes()
    bad = tmp_path / ("bad.json" if content.startswith("{") else "bad.csv")
    bad.write_text(content)
    result = cramp_coach("import", str(bad))
    assert result.returncode == 1
    assert words in result.stderr and str(bad) in result.stderr
    assert "Traceback" not in result.stderr
    assert (hermetic_home / "diary.json").read_bytes() == before


def test_import_reports_conflicts_apart_from_entries_already_there(cramp_coach, logged, tmp_path):
    exported = json.loads(cramp_coach("export", "--format", "json").stdout)
    exported["cramps"][0]["note"] = "changed elsewhere"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(exported))
    result = cramp_coach("import", str(changed))
    assert result.returncode == 0
    assert "Imported 0 entries and 0 night records; already in the diary: 2 entries." in result.stdout
    assert f"Not imported: 1 with the same id or night as a different entry already in the diary (the diary's entry was kept): cramp {logged[0]}." in result.stdout
    assert "changed elsewhere" not in cramp_coach("export").stdout


def test_corrupt_diary_exits_1_and_is_kept(cramp_coach, hermetic_home):
    hermetic_home.mkdir(parents=True, exist_ok=True)
    (hermetic_home / "diary.json").write_text("{oops")
    result = cramp_coach("log", "--muscle", "calf", "--leg", "left", "--intensity", "3")
    assert result.returncode == 1
    assert "diary.json" in result.stderr and "not valid JSON" in result.stderr
    assert (hermetic_home / "diary.json").read_text() == "{oops"
    assert cramp_coach("stats").returncode == 1


@pytest.mark.parametrize("args", [["stats"], ["export", "--format", "md"], ["checklist", "--list"], ["log", "--muscle", "calf", "--leg", "left", "--intensity", "3"]])
def test_a_diary_with_a_bad_record_is_named_and_never_written(cramp_coach, hermetic_home, args):
    hermetic_home.mkdir(parents=True, exist_ok=True)
    bad = '{"cramps": {"1": {"foo": 1}}}'
    (hermetic_home / "diary.json").write_text(bad)
    result = cramp_coach(*args)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "diary.json" in result.stderr and "record 1" in result.stderr
    assert (hermetic_home / "diary.json").read_text() == bad


def test_five_in_the_last_30_nights_bring_the_clinician_advice(cramp_coach):
    from datetime import datetime, timedelta

    now = datetime.now()
    for days_ago in range(45, 50):  # a busy month long ago: no advice now
        cramp_coach("log", "--muscle", "calf", "--leg", "left", "--intensity", "5", "--at", (now - timedelta(days=days_ago)).strftime("%Y-%m-%dT22:00"))
    assert "Worth talking to a clinician" not in cramp_coach("stats").stdout
    for days_ago in range(2, 7):
        cramp_coach("log", "--muscle", "calf", "--leg", "left", "--intensity", "5", "--at", (now - timedelta(days=days_ago)).strftime("%Y-%m-%dT22:00"))
    stats = cramp_coach("stats").stdout
    assert "Worth talking to a clinician" in stats and "5 cramps in the last 30 nights" in stats


def test_stats_days_must_be_positive(cramp_coach):
    result = cramp_coach("stats", "--days", "0")
    assert result.returncode == 2 and "1 or more" in result.stderr


def test_log_and_stats_do_not_import_textual():
    import subprocess
    import sys

    code = "import sys; from cramp_coach import cli; cli.build_parser(); import cramp_coach.core.diary, cramp_coach.core.export, cramp_coach.core.stats; print(any(m.startswith('textual') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_checklist_list_and_done_from_the_shell(cramp_coach):
    listed = cramp_coach("checklist", "--list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0] == "calf-stretch [ ] Calf stretch at the wall"
    assert len(lines) == 7
    done = cramp_coach("checklist", "--done", "fluids", "loose-sheets")
    assert done.returncode == 0
    assert "fluids [x] Fluids through the day" in done.stdout
    assert "loose-sheets [x] Loose sheets at the foot of the bed" in cramp_coach("checklist", "--list").stdout
    exported = json.loads(cramp_coach("export", "--format", "json").stdout)
    assert sorted(exported["nights"][0]["ticks"]) == ["fluids", "loose-sheets"]


def test_checklist_unknown_id_exits_2_listing_the_ids(cramp_coach):
    result = cramp_coach("checklist", "--done", "fluids", "yoga")
    assert result.returncode == 2
    assert "'yoga'" in result.stderr and "calf-stretch, hamstring-stretch, fluids" in result.stderr
    assert "[x]" not in cramp_coach("checklist", "--list").stdout  # nothing ticked


def test_checklist_nights_by_name(cramp_coach):
    last = cramp_coach("checklist", "--done", "fluids", "--night", "last")
    assert last.returncode == 0 and "Ticked for last night" in last.stderr
    assert "fluids [x]" in cramp_coach("checklist", "--list", "--night", "last").stdout
    assert "fluids [ ]" in cramp_coach("checklist", "--list").stdout  # tonight is another night
    future = cramp_coach("checklist", "--list", "--night", "2999-01-01")
    assert future.returncode == 2 and "--night" in future.stderr and "has not come yet" in future.stderr
    bad = cramp_coach("checklist", "--list", "--night", "[/]\x1b[2J")
    assert bad.returncode == 2 and "\x1b" not in bad.stderr


def test_insights_json(cramp_coach, logged):
    cramp_coach("checklist", "--done", "fluids", "--night", "2026-10-02")
    result = cramp_coach("insights", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data["streak"], int) and set(data["adherence"]) == {"7", "30", "90"}
    first = data["comparisons"][0]
    assert first["item"] == "all" and {"nights", "cramps", "per_night"} <= set(first["with"])
    assert first["verdict"] in ("not enough nights yet", "no clear difference yet", "fewer cramps after nights with it", "more cramps after nights with it")
    text = cramp_coach("insights")
    assert text.returncode == 0 and "Streak:" in text.stdout and "What seems to help you:" in text.stdout


def test_no_bell_before_the_command_is_kept():
    from cramp_coach.cli import build_parser

    assert build_parser().parse_args(["--no-bell", "relief"]).no_bell is True
    assert build_parser().parse_args(["relief", "--no-bell"]).no_bell is True
    assert build_parser().parse_args(["relief"]).no_bell is False
