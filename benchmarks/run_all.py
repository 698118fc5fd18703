"""Every figure of issue 10's speed table in one run: each benchmark as its own process, one table.

Small defaults so the whole set takes a few minutes on 2 cores (figures are medians of few runs, so
expect some noise; raise --runs for a verdict you can lean on).

    python3 benchmarks/run_all.py [--runs N] [--idle-seconds S]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from _pty import Row, table_text

HERE = Path(__file__).resolve().parent


def collect(script: str, *options: str) -> list[Row]:
    """The rows a benchmark prints with --json (its other output goes to our stderr)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE / script), "--json", *options], capture_output=True, text=True, check=False)
    rows = [Row(**json.loads(line[4:])) for line in done.stdout.splitlines() if line.startswith("ROW ")]
    note = f"{script}: {time.perf_counter() - started:.0f} s"
    if done.returncode != 0 or not rows:
        note += f", FAILED (exit {done.returncode}): {done.stderr.strip()[-500:]}"
    print(note, file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each timing (idle CPU: one window)")
    parser.add_argument("--idle-seconds", type=float, default=60)
    args = parser.parse_args()
    runs = str(args.runs)
    rows = (
        collect("startup.py", "--runs", runs)
        + collect("diary.py", "--runs", runs)
        + collect("screens.py", "--runs", runs)
        + collect("idle_cpu.py", "--seconds", str(args.idle_seconds))
    )
    print(table_text(rows))
    missed = sum(not row.passed for row in rows)
    print(f"\n{len(rows) - missed} of {len(rows)} meet their target.")


if __name__ == "__main__":
    main()
