"""Shared benchmark tools: run a program in a pseudo-terminal, watch what reaches the screen, time it.

Nothing here imports cramp_coach: the harness measures the installed program from the outside.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

# Escape sequences (CSI, OSC, and two-character ones) removed before looking for text on screen.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]|\x1b[ -/][@-~]")


def installed_script(name: str = "cramp-coach") -> str:
    """The console script next to this Python (not a pyenv shim, which adds a bash and a pyenv run)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def outside_repo() -> str:
    """A working folder outside the source tree, so the installed package is what gets imported.

    The package is byte-compiled first, as pip does when it installs a wheel: an editable install
    under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module from source at each start
    (Textual, installed from a wheel, has its bytecode), which is not what a person's install does.
    """
    import compileall

    compileall.compile_dir(str(package_folder()), quiet=1)
    folder = Path(tempfile.gettempdir()) / "cramp-coach-bench-cwd"
    folder.mkdir(exist_ok=True)
    return str(folder)


def imported_from(env: dict[str, str], cwd: str) -> str:
    """Where a fresh Python started in ``cwd`` imports cramp_coach from (printed, never assumed)."""
    code = "import cramp_coach, sys; print(cramp_coach.__file__)"
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=False)
    return done.stdout.strip() or f"(not importable: {done.stderr.strip()[-200:]})"


def package_folder() -> Path:
    """The cramp_coach package folder, found without importing it."""
    spec = importlib.util.find_spec("cramp_coach")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cramp_coach is not installed: pip install -e .")
    return Path(list(spec.submodule_search_locations)[0])


def screen_text(raw: bytes) -> str:
    """The characters written to the terminal, without escape sequences (lines run together)."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


class PtyProcess:
    """A program running in its own pty; a thread drains its output and notes when ``seen`` first holds."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        *,
        cwd: str | None = None,
        size: tuple[int, int] = (80, 24),
        seen: Callable[[str], bool] | None = None,
    ) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self._seen = seen
        self._stopped = False
        self._exit: tuple[int, int] | None = None  # (status, peak memory KiB) once reaped
        self.output = bytearray()
        self.seen_after: float | None = None  # seconds from spawn to the chunk where ``seen`` held
        self.found = threading.Event()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True)
        os.close(slave)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _drain(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.5)
                if not ready:
                    if self._stopped:
                        return
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            self.output += chunk
            if self._seen is not None and self.seen_after is None and self._seen(screen_text(bytes(self.output))):
                self.seen_after = now - self.started
                self.found.set()

    def exited(self) -> bool:
        """True once the program has ended by itself (reaped here, keeping its resource usage)."""
        if self._exit is None:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                self._exit = (status, usage.ru_maxrss)
                self.process.returncode = os.waitstatus_to_exitcode(status)
        return self._exit is not None

    def stop(self) -> int:
        """Kill the program (its whole session) if still running; its peak resident memory in KiB."""
        if not self.exited():
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status, usage = os.wait4(self.process.pid, 0)
            self._exit = (status, usage.ru_maxrss)
            self.process.returncode = os.waitstatus_to_exitcode(status)
        self._stopped = True
        self._reader.join(timeout=2)
        os.close(self.master)
        return self._exit[1]

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (all its threads), from /proc/<pid>/stat."""
        return cpu_seconds(self.process.pid)


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of ``pid``: nanoseconds from /proc/<pid>/task/*/schedstat where the kernel
    keeps them (ticks of 10 ms are too coarse for an idle app), else utime + stime from /proc/<pid>/stat."""
    try:
        total = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as handle:
                total += int(handle.read().split()[0])
        return total / 1e9
    except (OSError, ValueError, IndexError):
        pass
    with open(f"/proc/{pid}/stat", "rb") as handle:
        fields = handle.read().rsplit(b")", 1)[1].split()
    # After the ")" that ends the command name: state is field 3, utime 14, stime 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_text(argv: list[str], env: dict[str, str], seen: Callable[[str], bool], *, cwd: str | None = None,
                 size: tuple[int, int] = (80, 24), timeout: float = 60) -> tuple[float, int]:
    """(seconds from spawn until ``seen`` holds for the screen text, peak memory KiB); the program is then killed."""
    running = PtyProcess(argv, env, cwd=cwd, size=size, seen=seen)
    running.found.wait(timeout)
    memory = running.stop()
    if running.seen_after is None:
        tail = screen_text(bytes(running.output))[-400:]
        raise RuntimeError(f"{argv[:3]}: the expected text never appeared in {timeout} s; last output: {tail!r}")
    return running.seen_after, memory


def timed_in_pty(argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24), timeout: float = 60) -> float:
    """Seconds from spawning ``argv`` in an 80x24 pty until it exits (it must exit by itself)."""
    return run_in_pty(argv, env, size, timeout)[0]


def run_in_pty(argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24), timeout: float = 60,
               cwd: str | None = None) -> tuple[float, int]:
    """(seconds until exit, peak resident memory in KiB) of ``argv`` run in a pty."""
    running = PtyProcess(argv, env, cwd=cwd, size=size)
    deadline = time.perf_counter() + timeout
    while not running.exited() and time.perf_counter() < deadline:
        time.sleep(0.001)
    elapsed = time.perf_counter() - running.started
    exited = running.process.returncode
    memory = running.stop()
    if exited != 0:
        print(f"warning: {argv[:3]} exited {exited}: {screen_text(bytes(running.output))[-300:]!r}", file=sys.stderr)
    return elapsed, memory


def run_plain(argv: list[str], env: dict[str, str], cwd: str | None = None) -> tuple[float, int]:
    """(seconds until exit, peak resident memory in KiB) of ``argv`` with output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        print(f"warning: {argv[:4]} exited {code}: {process.stderr.read().decode()[:300]}", file=sys.stderr)
    process.stderr.close()
    return elapsed, usage.ru_maxrss


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# -- the countdown on screen -------------------------------------------------------------------------
def _digit_middles() -> list[dict[str, str]]:
    """For each of Textual's two Digits fonts: each digit's middle row (3 cells), and the colon's."""
    from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD

    fonts = []
    for font in (DIGITS3X3, DIGITS3X3_BOLD):
        fonts.append({c: font[DIGITS.index(c) * 3 + 1].ljust(3) for c in "0123456789:"})
    return fonts


def countdown_seen() -> Callable[[str], bool]:
    """A test for screen text: a Digits clock "M:SS" (or "MM:SS") other than 0:00 has been drawn,
    or a 0:00 that is really meant: a held stretch's count-up, drawn with "held 0:00" beneath it.

    Digits draw each row as one run of characters, so the middle row of the clock appears whole.
    """
    alternatives, zeros = [], set()
    for middles in _digit_middles():
        digit = "(?:" + "|".join(re.escape(middles[c]) for c in "0123456789") + ")"
        alternatives.append(f"{digit}{{1,2}}{re.escape(middles[':'])}{digit}{digit}")
        zeros |= {middles["0"] * n + middles[":"] + middles["0"] * 2 for n in (1, 2)}
    pattern = re.compile("|".join(alternatives))

    def seen(text: str) -> bool:
        found = [match.group(0) for match in pattern.finditer(text)]
        return any(clock not in zeros for clock in found) or (bool(found) and "held 0:00" in text)

    return seen


# -- results -----------------------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the speed table."""

    what: str
    ours: str
    baseline: str
    ratio: float | None  # ours / baseline, when the target is a ratio
    target: str
    passed: bool
    memory: str = ""

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "MISS"


def ratio_row(what: str, ours: float, baseline: float, limit: float, unit: str = "ms", memory: str = "") -> Row:
    ratio = ours / baseline if baseline else float("inf")
    return Row(what, f"{ours:.1f} {unit}", f"{baseline:.1f} {unit}", ratio, f"<= {limit}x", ratio <= limit, memory)


def absolute_row(what: str, ours: float, limit: float, unit: str = "ms", baseline: str = "-") -> Row:
    return Row(what, f"{ours:.1f} {unit}", baseline, None, f"<= {limit:g} {unit}", ours <= limit)


def print_rows(rows: list[Row], as_json: bool = False) -> None:
    """The table (or, for run_all.py, one JSON object a line after ``ROW ``)."""
    if as_json:
        for row in rows:
            print("ROW " + json.dumps(asdict(row)), flush=True)
        return
    print(table_text(rows))


def table_text(rows: list[Row]) -> str:
    header = ("what", "ours", "baseline", "ratio", "target", "", "peak memory (ours / baseline)")
    lines = [header] + [
        (r.what, r.ours, r.baseline, "" if r.ratio is None else f"{r.ratio:.2f}x", r.target, r.verdict, r.memory) for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for number, line in enumerate(lines):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip())
        if number == 0:
            out.append("  ".join("-" * width for width in widths).rstrip())
    return "\n".join(out)


def memory_text(ours_kib: list[int], baseline_kib: list[int]) -> str:
    return f"{max(ours_kib) / 1024:.0f} / {max(baseline_kib) / 1024:.0f} MiB"
