"""Diary at scale: a 20-year diary (about 15,000 cramps) built through `cramp-coach import`, then

- the whole-process time and peak memory of `cramp-coach log` and `cramp-coach stats`, each beside a
  plain TinyDB (JSONStorage) process doing the same on a copy of the same data in the same run;
- the diary screen's first frame (and the moment its rows are shown) beside a bare Textual app.

Targets: `log` and `stats` faster than plain TinyDB; the diary's first frame within 1.5x bare Textual.

    python3 benchmarks/diary.py [--runs N] [--years N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from _pty import median, run_in_pty, run_plain

PLAIN_LOG = """
import sys
from datetime import datetime
from tinydb import TinyDB
from cramp_coach.core.models import cramp_from_dict
db = TinyDB(sys.argv[1])  # JSONStorage, TinyDB's default
cramp = cramp_from_dict({"started_at": datetime.now().astimezone().isoformat(), "muscle": "calf", "leg": "left", "intensity": 5})
db.table("cramps").insert(cramp.to_dict())
print(cramp.id)
"""

PLAIN_STATS = """
import sys
from tinydb import TinyDB
from cramp_coach.core.diary import cramp_from_stored
from cramp_coach.core.stats import diary_stats
db = TinyDB(sys.argv[1])
stats = diary_stats([cramp_from_stored(doc) for doc in db.table("cramps").all()])
print(stats.total, stats.mean_intensity, stats.top_muscle, stats.per_month[-12:])
"""

FIRST_FRAME = """
import os, sys
from textual.app import App
TARGET, WAIT_FOR_ROWS = sys.argv[1], sys.argv[2] == "rows"
_display = App._display
def _hook(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is None or self._batch_count or type(screen).__name__ != TARGET:
        return
    if WAIT_FOR_ROWS and not getattr(screen, "_loaded", False):
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


def make_export(path: Path, years: int, seed: int = 1) -> int:
    """A JSON export with about two cramps a week for ``years`` years."""
    rng = random.Random(seed)
    end = datetime.now().astimezone().replace(microsecond=0) - timedelta(days=1)
    moment = end - timedelta(days=365 * years)
    cramps = []
    steps = ["calf-stretch", "calf-massage", "calf-stand", "foot-stretch", "on its own", None]
    while moment < end:
        moment += timedelta(hours=rng.uniform(1, 22))
        cramps.append({
            "id": f"b{len(cramps):011d}",
            "started_at": moment.replace(hour=rng.choice([0, 1, 2, 3, 4, 5, 22, 23])).isoformat(),
            "muscle": rng.choice(["calf", "calf", "calf", "foot", "hamstring", "quadriceps"]),
            "leg": rng.choice(["left", "right", "both"]),
            "intensity": rng.randint(2, 9),
            "duration_s": rng.randint(20, 600),
            "ended_by": rng.choice(steps),
            "tags": rng.sample(["alcohol", "caffeine", "hard exercise", "long sitting"], rng.randint(0, 2)),
            "note": rng.choice(["", "", "woke at 3", "after a long walk", "bad one"]),
        })
    cramps = [c for c in cramps if datetime.fromisoformat(c["started_at"]) < end]
    path.write_text(json.dumps({"format": "cramp-coach-export", "schema": 2, "cramps": cramps, "nights": []}))
    return len(cramps)


def report(name: str, ours: list[tuple[float, int]], theirs: list[tuple[float, int]], other: str, target: float) -> None:
    ours_s, theirs_s = median([t for t, _ in ours]), median([t for t, _ in theirs])
    ours_mb, theirs_mb = max(m for _, m in ours) / 1024, max(m for _, m in theirs) / 1024
    verdict = "meets" if ours_s / theirs_s <= target else "MISSES"
    print(f"{name:<28} {ours_s * 1000:8.1f} ms  {ours_mb:6.1f} MiB   |  {other:<22} {theirs_s * 1000:8.1f} ms  {theirs_mb:6.1f} MiB"
          f"   ratio {ours_s / theirs_s:5.2f}x ({verdict} target <= {target}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--years", type=int, default=20)
    args = parser.parse_args()
    script = shutil.which("cramp-coach") or str(Path(sys.executable).parent / "cramp-coach")
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        home = scratch_path / "home"
        export = scratch_path / "export.json"
        count = make_export(export, args.years)
        env = dict(os.environ, CRAMP_COACH_HOME=str(home), TERM="xterm-256color")
        started = time.perf_counter()
        imported, _ = run_plain([script, "import", str(export)], env)
        diary_file = home / "diary.json"
        print(f"diary: {count} cramps over {args.years} years, {diary_file.stat().st_size / 1e6:.1f} MB; "
              f"`cramp-coach import` took {imported:.2f} s ({time.perf_counter() - started:.2f} s wall)")
        print()
        plain_file = scratch_path / "plain.json"

        log_ours, log_plain, stats_ours, stats_plain = [], [], [], []
        for _ in range(args.runs):
            shutil.copyfile(diary_file, plain_file)
            log_ours.append(run_plain([script, "log", "--muscle", "calf", "--leg", "left", "--intensity", "5"], env))
            log_plain.append(run_plain([sys.executable, "-c", PLAIN_LOG, str(plain_file)], env))
            stats_ours.append(run_plain([script, "stats"], env))
            stats_plain.append(run_plain([sys.executable, "-c", PLAIN_STATS, str(plain_file)], env))
        report("cramp-coach log", log_ours, log_plain, "plain TinyDB insert", 1.0)
        report("cramp-coach stats", stats_ours, stats_plain, "plain TinyDB + stats", 1.0)

        frame, rows, bare = [], [], []
        for _ in range(args.runs):
            bare.append(run_in_pty([sys.executable, "-c", FIRST_FRAME, "Screen", "first"], env))
            frame.append(run_in_pty([sys.executable, "-c", FIRST_FRAME, "DiaryScreen", "first"], env))
            rows.append(run_in_pty([sys.executable, "-c", FIRST_FRAME, "DiaryScreen", "rows"], env))
        report("diary screen, first frame", frame, bare, "bare Textual app", 1.5)
        report("diary screen, rows shown", rows, bare, "bare Textual app", float("inf"))


if __name__ == "__main__":
    main()
