"""Run a command in a pseudo-terminal of a given size and time it, start to exit."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time


def timed_in_pty(argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24), timeout: float = 60) -> float:
    """Seconds from spawning ``argv`` in an 80x24 pty until it exits (it must exit by itself)."""
    return run_in_pty(argv, env, size, timeout)[0]


def run_in_pty(argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24), timeout: float = 60) -> tuple[float, int]:
    """(seconds until exit, peak resident memory in KiB) of ``argv`` run in a pty."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))

    def drain() -> None:
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    os.close(slave)
    os.close(master)
    if process.returncode != 0:
        print(f"warning: {argv[:3]} exited {process.returncode}", file=sys.stderr)
    return elapsed, usage.ru_maxrss


def run_plain(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(seconds until exit, peak resident memory in KiB) of ``argv`` with output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
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
