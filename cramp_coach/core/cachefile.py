"""Cache files: work already done (a parsed diary, parsed TOML), kept in Python's ``marshal`` form.

A cache is never the only copy of anything: what it holds can always be made again from the files
it came from, so it is written without fsync and any fault in it only means a slower read. Its
first line names what wrote it (the marshal form differs between Pythons), a key saying what the
contents belong to (the diary file's identity, say), and a CRC32 of the marshal data that follows,
so a cache torn by a crash, written by another Python, or left from another file is not used.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import zlib
from pathlib import Path
from typing import Any

from cramp_coach.core.paths import FILE_MODE

CACHE_TAG = f"cramp-coach-cache 1 py{sys.version_info[0]}.{sys.version_info[1]} m{marshal.version}"
TEMP_PREFIX = ".diary-"  # temporary files: a leftover one is found and removed by the diary store
TEMP_SUFFIX = ".tmp"


def make_temp_file(folder: Path) -> tuple[int, str]:
    """A new, private (0600) temporary file in ``folder``: its descriptor and path (as tempfile.mkstemp,
    without importing tempfile, which every command would pay for at start)."""
    while True:
        temp = os.path.join(folder, f"{TEMP_PREFIX}{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE), temp
        except FileExistsError:
            continue


def header_of(path: Path) -> list[str] | None:
    """The words of the cache's first line, or ``None`` when there is no readable cache there."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return handle.readline(400).decode("ascii").split()
    except (OSError, UnicodeDecodeError):
        return None


def is_current(header: list[str] | None, key: str) -> bool:
    """True when a cache header was written by this Python for ``key``."""
    return header is not None and len(header) >= 2 and header[:-2] == CACHE_TAG.split() and header[-2] == key


def read_cache(path: Path, key: str, limit: int) -> Any | None:
    """What the cache at ``path`` holds for ``key``, or ``None`` (missing, another key's, another
    Python's, larger than ``limit`` bytes, torn or garbled)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            header = handle.readline(400).decode("ascii").split()
            if not is_current(header, key):
                return None
            body = handle.read(limit + 1)
        if len(body) > limit or f"{zlib.crc32(body):08x}" != header[-1]:
            return None
        return marshal.loads(body)
    except (OSError, ValueError, EOFError, TypeError, IndexError, UnicodeDecodeError):
        return None


def write_cache(path: Path, key: str, value: Any) -> bool:
    """Keep ``value`` for ``key`` at ``path`` (atomically replaced, best effort). False when it was not
    kept: a value marshal cannot hold (a date, a structure too deep) or a write that failed."""
    try:
        body = marshal.dumps(value)
    except ValueError:
        return False
    header = f"{CACHE_TAG} {key} {zlib.crc32(body):08x}\n".encode("ascii")
    temp = None
    try:
        fd, temp = make_temp_file(path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(header)
            handle.write(body)
        os.replace(temp, path)
    except OSError:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
        return False
    return True
