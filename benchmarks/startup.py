"""Startup: exec of the installed `cramp-coach relief` until its countdown is on screen, beside a bare app.

Both run as fresh processes in an 80x24 pseudo-terminal, interleaved, from a folder outside the source
tree (so the installed package is imported; the script prints where it came from). The clock counts
from the exec until the terminal has received a Digits clock other than 0:00 (or a held stretch's "held 0:00"): for relief its
countdown, for the baseline a bare Textual app whose only widget is ``Digits("0:45")``. The moment is
taken where the pty output is read, the same way for both. Target: within 1.15x the bare app.

    python3 benchmarks/startup.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from _pty import (
    countdown_seen,
    imported_from,
    installed_script,
    median,
    memory_text,
    outside_repo,
    print_rows,
    ratio_row,
    time_to_text,
)

TARGET = 1.15

BARE_DIGITS = """
from textual.app import App
from textual.widgets import Digits

class Bare(App):
    def compose(self):
        yield Digits("0:45")

Bare().run()
"""


def measure(runs: int, quiet: bool = False) -> list:
    cwd = outside_repo()
    seen = countdown_seen()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, CRAMP_COACH_HOME=home, TERM="xterm-256color")
        relief_argv = [installed_script(), "relief"]
        bare_argv = [sys.executable, "-c", BARE_DIGITS]
        if not quiet:
            print(f"cramp_coach imported from: {imported_from(env, cwd)}  (run in {cwd})")
            print(f"relief command: {' '.join(relief_argv)}")
        for argv in (bare_argv, relief_argv):  # warm the file cache and bytecode
            time_to_text(argv, env, seen, cwd=cwd)
        ours, bare, ours_mem, bare_mem = [], [], [], []
        for number in range(runs):
            order = [(bare_argv, bare, bare_mem), (relief_argv, ours, ours_mem)]
            for argv, times, memory in order if number % 2 == 0 else reversed(order):
                seconds, peak = time_to_text(argv, env, seen, cwd=cwd)
                times.append(seconds * 1000)
                memory.append(peak)
    return [ratio_row(f"relief: exec to countdown on screen (median of {runs})", median(ours), median(bare), TARGET,
                      memory=memory_text(ours_mem, bare_mem))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--json", action="store_true", help="rows for run_all.py")
    args = parser.parse_args()
    print_rows(measure(args.runs, quiet=args.json), args.json)


if __name__ == "__main__":
    main()
