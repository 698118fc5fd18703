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
    code = process.wait(timeout=timeout)
    elapsed = time.perf_counter() - started
    os.close(slave)
    os.close(master)
    if code != 0:
        print(f"warning: {argv[:3]} exited {code}", file=sys.stderr)
    return elapsed


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
