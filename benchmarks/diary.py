"""Diary at scale: a 20-year diary (about 15,000 cramps) built through `cramp-coach import`, then each
command of the installed program timed beside a baseline measured in the same run, interleaved:

- `log`, `stats`, `export --format csv -o`, `import` (of that csv, into an empty diary) and
  `checklist --list`, each beside a plain TinyDB (JSONStorage) script doing the same on a copy of the
  same data. The baselines never import cramp_coach (they read the bundled checklist.toml directly);
- the diary screen's first frame, and the frame that first shows rows, beside a bare Textual app's
  first frame (all three stop right after that frame is handed to the terminal).

Whole-process wall time, medians; peak memory (ru_maxrss) beside each. Targets are issue 10's.

    python3 benchmarks/diary.py [--runs N] [--years N] [--json]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from _diary_data import build_diary
from _pty import (
    imported_from,
    installed_script,
    median,
    memory_text,
    outside_repo,
    package_folder,
    print_rows,
    ratio_row,
    run_in_pty,
    run_plain,
)

# -- baselines: plain TinyDB, never cramp_coach -------------------------------------------------------
PLAIN_LOG = """
import sys, uuid
from datetime import datetime, timedelta
from tinydb import TinyDB
now = datetime.now().astimezone()
night = (now.date() - timedelta(days=1)) if now.hour < 12 else now.date()
doc = {"started_at": now.isoformat(), "muscle": "calf", "leg": "left", "intensity": 5, "duration_s": None,
       "ended_by": None, "routine": None, "tags": [], "note": "", "id": uuid.uuid4().hex[:12], "triage": [],
       "night": night.isoformat(), "v": 2}
TinyDB(sys.argv[1]).table("cramps").insert(doc)
print(doc["id"])
"""

PLAIN_STATS = """
import sys
from collections import Counter
from datetime import date, timedelta
from tinydb import TinyDB
docs = TinyDB(sys.argv[1]).table("cramps").all()
nights = [date.fromisoformat(d["night"]) for d in docs]
def top(values):
    counts = Counter(v for v in values if v)
    return sorted(counts.items(), key=lambda i: (-i[1], i[0]))[0] if counts else None
def mean(values):
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
months = Counter(f"{n.year:04d}-{n.month:02d}" for n in nights)
first, last = min(nights), max(nights)
per_month, (y, m) = [], (first.year, first.month)
while (y, m) <= (last.year, last.month):
    per_month.append((f"{y:04d}-{m:02d}", months.get(f"{y:04d}-{m:02d}", 0)))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
weeks = Counter(n - timedelta(days=n.weekday()) for n in nights)
per_week, week = [], min(weeks)
while week <= max(weeks):
    per_week.append((week, weeks.get(week, 0)))
    week += timedelta(days=7)
busy = [(month, n) for month, n in per_month if n >= 5]
tags = Counter(t for d in docs for t in d["tags"])
intensity, duration = mean(d["intensity"] for d in docs), mean(d["duration_s"] for d in docs)
rows = per_month[-12:]
most = max(n for _, n in rows) or 1
print(f"Cramps (whole diary): {len(docs)}")
print(f"Nights  {first} to {last}")
print(f"Mean intensity  {intensity:.1f} / 10")
print(f"Mean duration  {duration / 60:.1f} min")
for label, pair in (("muscle", top(d["muscle"] for d in docs)), ("leg", top(d["leg"] for d in docs)), ("ended by", top(d["ended_by"] for d in docs))):
    print(f"Most common {label}  {pair[0]} ({pair[1]})")
print("Cramps per month:")
for label, n in rows:
    print(f"  {label}  {'█' * round(30 * n / most)} {n}")
print(len(per_week), busy[-3:], tags.most_common(3))
"""

PLAIN_EXPORT_CSV = """
import csv, re, sys
from tinydb import TinyDB
FIELDS = ("id", "started_at", "night", "leg", "muscle", "intensity", "duration_s", "ended_by", "routine", "tags", "note", "triage")
formula, controls = re.compile(r"'*[=+\\-@\\t\\r]"), re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")
docs = sorted(TinyDB(sys.argv[1]).table("cramps").all(), key=lambda d: d["started_at"])
with open(sys.argv[2], "x", newline="", encoding="utf-8") as out:
    writer = csv.writer(out, lineterminator="\\n")
    writer.writerow(FIELDS)
    for doc in docs:
        row = dict(doc, tags=";".join(doc["tags"]), triage=";".join(doc["triage"]))
        cells = (controls.sub("", "" if row.get(k) is None else str(row[k])) for k in FIELDS)
        writer.writerow(["'" + c if formula.match(c) else c for c in cells])
"""

PLAIN_IMPORT_CSV = """
import csv, sys
from datetime import datetime
from tinydb import TinyDB
def whole(value):
    return None if value in (None, "") else int(value)
docs = []
with open(sys.argv[1], newline="", encoding="utf-8") as source:
    for row in csv.DictReader(source):
        datetime.fromisoformat(row["started_at"])
        docs.append({"started_at": row["started_at"], "muscle": row["muscle"], "leg": row["leg"] or None,
                     "intensity": whole(row["intensity"]), "duration_s": whole(row["duration_s"]),
                     "ended_by": row["ended_by"] or None, "routine": row["routine"] or None,
                     "tags": [t for t in row["tags"].split(";") if t], "note": row["note"], "id": row["id"],
                     "triage": [t for t in row["triage"].split(";") if t], "night": row["night"], "v": 2})
TinyDB(sys.argv[2]).table("cramps").insert_multiple(docs)
print(f"Imported {len(docs)} cramps")
"""

PLAIN_CHECKLIST = """
import sys, tomllib
from datetime import datetime, timedelta
from tinydb import Query, TinyDB
with open(sys.argv[2], "rb") as handle:
    items = [{"id": i["id"], "title": i["title"], "hidden": False} for i in tomllib.load(handle)["items"]]
db = TinyDB(sys.argv[1])
stored = db.table("settings").get(Query().key == "checklist_items")
for change in (stored or {}).get("value") or []:
    for item in items:
        if item["id"] == change.get("id"):
            item.update(title=change.get("title") or item["title"], hidden=bool(change.get("hidden")))
now = datetime.now().astimezone()
tonight = (now.date() - timedelta(days=1)) if now.hour < 12 else now.date()
night = db.table("nights").get(Query().night == tonight.isoformat())
ticked = set(night["ticks"]) if night else set()
for item in items:
    if not item["hidden"]:
        print(f"{item['id']} [{'x' if item['id'] in ticked else ' '}] {item['title']}")
"""

# The diary screen's frames and a bare app's, measured by one hook on Textual's App._display.
FIRST_FRAME = """
import os, sys
from textual.app import App
TARGET, WAIT_FOR_ROWS = sys.argv[1], sys.argv[2] == "rows"
_display = App._display
def _has_rows(screen):
    from textual.widgets import DataTable
    return any(table.row_count for table in screen.query(DataTable))
def _hook(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is None or self._batch_count or type(screen).__name__ != TARGET:
        return
    if WAIT_FOR_ROWS and not _has_rows(screen):
        return
    os._exit(0)
App._display = _hook
if TARGET == "DiaryScreen":
    from cramp_coach.cli import main
    main(["diary"])
else:
    from textual.widgets import Static
    class Bare(App):
        def compose(self):
            yield Static("hello")
    Bare().run()
"""


def checklist_toml() -> Path:
    folder = package_folder()
    for candidate in (folder / "assets" / "checklist.toml", folder.parent / "assets" / "checklist.toml"):
        if candidate.exists():
            return candidate
    raise SystemExit("the bundled checklist.toml was not found")


def pair(runs: int, ours, theirs) -> tuple[list[float], list[float], list[int], list[int]]:
    """Run ``ours()`` and ``theirs()`` ``runs`` times each, alternating which goes first (after one
    unrecorded run each, to warm the file cache and bytecode)."""
    ours()
    theirs()
    ours_ms, theirs_ms, ours_kib, theirs_kib = [], [], [], []
    for number in range(runs):
        steps = [(ours, ours_ms, ours_kib), (theirs, theirs_ms, theirs_kib)]
        for run, times, memory in steps if number % 2 == 0 else reversed(steps):
            seconds, peak = run()
            times.append(seconds * 1000)
            memory.append(peak)
    return ours_ms, theirs_ms, ours_kib, theirs_kib


def row(what: str, measured, limit: float):
    ours_ms, theirs_ms, ours_kib, theirs_kib = measured
    return ratio_row(what, median(ours_ms), median(theirs_ms), limit, memory=memory_text(ours_kib, theirs_kib))


def measure(runs: int, years: int, quiet: bool = False) -> list:
    script, python, cwd = installed_script(), sys.executable, outside_repo()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        home = scratch_path / "home"
        cramps, _, seconds = build_diary(home, scratch_path, years)
        env = dict(os.environ, CRAMP_COACH_HOME=str(home), TERM="xterm-256color")
        diary_file, plain_file = home / "diary.json", scratch_path / "plain.json"
        if not quiet:
            print(f"cramp_coach imported from: {imported_from(env, cwd)}  (run in {cwd}); script {script}")
            print(f"diary: {cramps} cramps over {years} years, {diary_file.stat().st_size / 1e6:.1f} MB; "
                  f"`cramp-coach import` of the JSON took {seconds:.2f} s")

        def ours(*argv: str):
            return lambda: run_plain([script, *argv], env, cwd)

        def plain(code: str, *argv: str):
            return lambda: run_plain([python, "-c", code, *argv], env, cwd)

        # log: both files grow by one cramp a run; start each pair from the same copy.
        shutil.copyfile(diary_file, plain_file)
        rows.append(row(f"`log` at {cramps // 1000}k", pair(runs, ours("log", "--muscle", "calf", "--leg", "left", "--intensity", "5"),
                                                          plain(PLAIN_LOG, str(plain_file))), 0.6))
        rows.append(row(f"`stats` at {cramps // 1000}k", pair(runs, ours("stats"), plain(PLAIN_STATS, str(plain_file))), 0.7))
        rows.append(row(f"`checklist --list` at {cramps // 1000}k",
                        pair(runs, ours("checklist", "--list"), plain(PLAIN_CHECKLIST, str(plain_file), str(checklist_toml()))), 0.6))

        ours_csv, plain_csv = scratch_path / "ours.csv", scratch_path / "plain.csv"

        def fresh(path: Path, run):
            def go():
                path.unlink(missing_ok=True)
                return run()
            return go

        rows.append(row(f"`export --format csv` at {cramps // 1000}k",
                        pair(runs, fresh(ours_csv, ours("export", "--format", "csv", "-o", str(ours_csv))),
                             fresh(plain_csv, plain(PLAIN_EXPORT_CSV, str(plain_file), str(plain_csv)))), 1.0))

        # import: the csv export read back into an empty diary, each run.
        import_home, plain_target = scratch_path / "import-home", scratch_path / "imported.json"
        import_env = dict(env, CRAMP_COACH_HOME=str(import_home))

        def ours_import():
            shutil.rmtree(import_home, ignore_errors=True)
            return run_plain([script, "import", str(ours_csv)], import_env, cwd)

        rows.append(row(f"`import` csv at {cramps // 1000}k",
                        pair(runs, ours_import, fresh(plain_target, plain(PLAIN_IMPORT_CSV, str(ours_csv), str(plain_target)))), 1.0))

        # The diary screen: first frame, and first frame with rows, each beside a bare app's first frame.
        def frame(target: str, wait: str):
            return lambda: run_in_pty([python, "-c", FIRST_FRAME, target, wait], env, cwd=cwd)

        bare = frame("Screen", "first")
        rows.append(row(f"diary screen at {cramps // 1000}k: exec to first frame", pair(runs, frame("DiaryScreen", "first"), bare), 1.2))
        rows.append(row(f"diary screen at {cramps // 1000}k: exec to rows shown", pair(runs, frame("DiaryScreen", "rows"), bare), 1.6))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="rows for run_all.py")
    args = parser.parse_args()
    print_rows(measure(args.runs, args.years, quiet=args.json), args.json)


if __name__ == "__main__":
    main()
