"""Idle CPU: the relief screen left alone, beside a bare Textual app whose Digits change once a second.

Both run at the same time, each in its own 80x24 pseudo-terminal, started outside the source tree (the
installed `cramp-coach relief`). Once each shows its countdown, and after a short settle, the CPU time
(user + system, all threads, from /proc/<pid>/stat) over ``--seconds`` is taken as a share of one core.
Target: relief within 1.5x the bare app.

    python3 benchmarks/idle_cpu.py [--seconds S] [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from _pty import PtyProcess, countdown_seen, installed_script, median, memory_text, outside_repo, print_rows, ratio_row

TARGET = 1.5
SETTLE_SECONDS = 2.0

BARE_TICKING = """
from textual.app import App
from textual.widgets import Digits

class Bare(App):
    left = 45

    def compose(self):
        yield Digits("0:45")

    def on_mount(self):
        self.set_interval(1, self.tick)

    def tick(self):
        self.left = self.left - 1 if self.left > 1 else 45
        self.query_one(Digits).update(f"0:{self.left:02d}")

Bare().run()
"""


def one_run(seconds: float, env: dict[str, str], cwd: str) -> tuple[float, float, int, int]:
    """(relief CPU %, bare CPU %, relief peak KiB, bare peak KiB) over ``seconds`` side by side."""
    relief = PtyProcess([installed_script(), "relief"], env, cwd=cwd, seen=countdown_seen())
    bare = PtyProcess([sys.executable, "-c", BARE_TICKING], env, cwd=cwd, seen=countdown_seen())
    try:
        for running in (relief, bare):
            if not running.found.wait(60):
                raise RuntimeError("a countdown never appeared")
        time.sleep(SETTLE_SECONDS)
        relief_start, bare_start, started = relief.cpu_seconds(), bare.cpu_seconds(), time.perf_counter()
        time.sleep(seconds)
        relief_end, bare_end, elapsed = relief.cpu_seconds(), bare.cpu_seconds(), time.perf_counter() - started
    finally:
        relief_kib, bare_kib = relief.stop(), bare.stop()
    return (100 * (relief_end - relief_start) / elapsed, 100 * (bare_end - bare_start) / elapsed, relief_kib, bare_kib)


def measure(seconds: float, runs: int) -> list:
    cwd = outside_repo()
    relief, bare, relief_kib, bare_kib = [], [], [], []
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, CRAMP_COACH_HOME=home, TERM="xterm-256color")
        for _ in range(runs):
            ours, theirs, ours_kib, theirs_kib = one_run(seconds, env, cwd)
            relief.append(ours)
            bare.append(theirs)
            relief_kib.append(ours_kib)
            bare_kib.append(theirs_kib)
    return [ratio_row(f"idle relief screen, CPU over {seconds:g} s", median(relief), median(bare), TARGET, unit="%",
                      memory=memory_text(relief_kib, bare_kib))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="rows for run_all.py")
    args = parser.parse_args()
    print_rows(measure(args.seconds, args.runs), args.json)


if __name__ == "__main__":
    main()
