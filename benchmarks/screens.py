"""Screens at scale, in-process with App.run_test: a 15k-cramp diary with 10 years of nights.

- stats: from pressing `s` on the diary (the key sent as a terminal sends it, without Pilot's waits
  for an idle process) until the stats screen shows its figures and the frame after;
- insights: from pressing `i` on the bedtime checklist until the insights screen shows its comparisons.

Beside each: the longest time the UI thread (the asyncio loop) was blocked meanwhile, from a 1 ms
heartbeat that records the largest gap between its beats, and how many times the diary file was read
(SafeJSONStorage._read_text counted). Absolute targets from issue 10: stats shown <= 100 ms, insights
<= 150 ms, neither blocks the UI > 50 ms; insights reads the file once. Headless (no terminal writes),
so these are the app's own costs; medians of N presses.

    python3 benchmarks/screens.py [--runs N] [--years N] [--night-years N] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
from pathlib import Path

from _diary_data import build_diary
from _pty import Row, absolute_row, median, print_rows


class Heartbeat:
    """A task beating every millisecond on the event loop; the largest gap is how long the loop was blocked."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task | None = None

    async def _beat(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    def start(self) -> None:
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._beat())

    async def stop(self) -> float:
        """The longest gap in milliseconds."""
        assert self._task is not None
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        return self.longest * 1000


class ReadCounter:
    """Counts reads of the diary file, by wrapping the storage's one reading method."""

    def __init__(self) -> None:
        from cramp_coach.core import storage

        self.count = 0
        self._lock = threading.Lock()
        owner = storage.SafeJSONStorage
        # One call per read of the diary, from the cache or the file (older versions: the file's text).
        name = next(n for n in ("_load_file", "_read_text", "load", "read") if hasattr(owner, n))
        original = getattr(owner, name)
        counter = self

        def counted(self, *args, **kwargs):
            with counter._lock:
                counter.count += 1
            return original(self, *args, **kwargs)

        setattr(owner, name, counted)
        self.method = f"SafeJSONStorage.{name}"


def shown_text(screen) -> str:
    """Every Static's text on ``screen`` (markup left in; enough to spot a heading)."""
    from textual.widgets import Static

    parts = []
    for widget in screen.query(Static):
        content = getattr(widget, "content", None)
        parts.append(getattr(content, "plain", None) or str(content or ""))
    return "\n".join(parts)


def has_rows(screen) -> bool:
    from textual.widgets import DataTable

    return any(table.row_count for table in screen.query(DataTable))


async def wait_until(test, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not test():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never showed what was expected")
        await asyncio.sleep(0.001)


async def press_and_time(app, pilot, key: str, shown, reads: ReadCounter) -> tuple[float, float, int]:
    """(ms from the key until ``shown(screen)`` and the frame after, longest UI block in ms, file reads)."""
    beat = Heartbeat()
    beat.start()
    reads_before = reads.count
    started = time.perf_counter()
    # The key goes in as a terminal would send it. (Pilot.press would also wait, in 20 ms sleeps,
    # until the process looks idle: that is the test harness's time, not the app's.)
    app.simulate_key(key)
    await wait_until(lambda: shown(app.screen))
    await app.screen.wait_for_refresh()  # the frame that shows it (Pilot.pause would wait for an idle process)
    elapsed = (time.perf_counter() - started) * 1000
    longest = await beat.stop()
    return elapsed, longest, reads.count - reads_before


def stats_shown(screen) -> bool:
    return "Stats" in type(screen).__name__ and "per month" in shown_text(screen)


def insights_shown(screen) -> bool:
    return "Insights" in type(screen).__name__ and "What seems to help you" in shown_text(screen)


async def settled(app, pilot) -> None:
    """Until the screen has finished loading (the diary shows its newest rows first, the rest just after)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def time_screen(home: Path, mode: str, ready, key: str, shown, runs: int, reads: ReadCounter):
    from cramp_coach.app import make_app
    from cramp_coach.services import Services

    app = make_app(services=Services(home=home), start_mode=mode)
    results = []
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: ready(app.screen))
        await settled(app, pilot)
        for _ in range(runs):
            results.append(await press_and_time(app, pilot, key, shown, reads))
            await pilot.press("escape")
            await wait_until(lambda: ready(app.screen))
            await settled(app, pilot)
    return results


def checklist_ready(screen) -> bool:
    from textual.widgets import OptionList

    return "Checklist" in type(screen).__name__ and any(o.option_count for o in screen.query(OptionList))


def diary_ready(screen) -> bool:
    return "Diary" in type(screen).__name__ and has_rows(screen)


def measure(runs: int, years: int, night_years: int, quiet: bool = False) -> list[Row]:
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        home = scratch_path / "home"
        cramps, nights, _ = build_diary(home, scratch_path, years, night_years)
        import cramp_coach

        reads = ReadCounter()
        if not quiet:
            print(f"cramp_coach from {cramp_coach.__file__}; diary: {cramps} cramps, {nights} nights; reads counted at {reads.method}")
        stats = asyncio.run(time_screen(home, "diary", diary_ready, "s", stats_shown, runs, reads))
        insights = asyncio.run(time_screen(home, "checklist", checklist_ready, "i", insights_shown, runs, reads))
    size = f"{cramps // 1000}k"
    insight_reads = max(r for _, _, r in insights)
    return [
        absolute_row(f"stats screen at {size}: `s` to shown (median of {runs})", median([t for t, _, _ in stats]), 100),
        absolute_row(f"stats screen at {size}: longest UI block", max(b for _, b, _ in stats), 50),
        absolute_row(f"insights, {night_years} y of nights: `i` to shown (median of {runs})", median([t for t, _, _ in insights]), 150),
        absolute_row(f"insights, {night_years} y of nights: longest UI block", max(b for _, b, _ in insights), 50),
        Row(f"insights, {night_years} y of nights: diary file reads", str(insight_reads), "-", None, "1", insight_reads <= 1),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--years", type=int, default=20, help="years of cramps (20: about 15,000)")
    parser.add_argument("--night-years", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="rows for run_all.py")
    args = parser.parse_args()
    print_rows(measure(args.runs, args.years, args.night_years, quiet=args.json), args.json)


if __name__ == "__main__":
    main()
