"""Crash-safe, process-safe file storage for TinyDB.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write can tear it, and it takes
no lock, so two processes can lose each other's writes. This storage instead:

- writes a temporary file in the same folder, fsyncs it, ``os.replace``s it over the diary and
  fsyncs the folder: a write that returns is on disk, and a crash leaves the old file or the new;
- takes an exclusive ``flock`` on a lock file for every read-modify-write, re-reading inside it;
- refuses to read (and so ever to overwrite) a file that is not valid JSON.

Files are created 0600 in a 0700 folder.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from cramp_coach.core.paths import FILE_MODE, ensure_private_dir

TEMP_PREFIX = ".diary-"
TEMP_SUFFIX = ".tmp"
LOCK_WAIT_SECONDS = 15.0


class StorageError(Exception):
    """The diary file cannot be used; ``path`` and ``reason`` say why."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class CorruptFileError(StorageError):
    """The file exists but is not a diary; it is never overwritten."""


class LockTimeoutError(StorageError):
    """Another process held the diary's lock for too long."""


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file."""
    folder = path.parent
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    folder_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(folder_fd)
    finally:
        os.close(folder_fd)


class FileLock:
    """An exclusive, re-entrant (within one object) ``flock`` on a lock file beside the diary."""

    def __init__(self, path: Path, wait: float = LOCK_WAIT_SECONDS):
        self.path = path
        self.wait = wait
        self._fd: int | None = None
        self._depth = 0

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise LockTimeoutError(self.path, f"another cramp-coach has held the lock for over {self.wait:.0f} s") from None
                time.sleep(0.005)
        self._fd = fd
        self._depth = 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class SafeJSONStorage(Storage):
    """A TinyDB storage with atomic writes, a writer lock and a validating loader.

    Outside a transaction every ``read`` goes to disk (so other processes' writes are seen).
    Inside ``transaction()`` the lock is held, the file is read once, and TinyDB's repeated reads
    are served from that copy until the one atomic write.
    """

    def __init__(
        self,
        path: str | Path,
        load_hook: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        write_hook: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ):
        self.path = Path(path)
        ensure_private_dir(self.path.parent)
        self.lock = FileLock(self.path.with_name(self.path.name + ".lock"))
        self._load_hook = load_hook
        self._write_hook = write_hook
        self._held: dict[str, Any] | None = None
        self._in_transaction = False
        self.writes = 0

    # -- TinyDB's interface -------------------------------------------------------------------
    def read(self) -> dict[str, Any] | None:
        if self._in_transaction:
            if self._held is None:
                self._held = self.load()
            return self._held
        return self.load()

    def write(self, data: dict[str, Any]) -> None:
        if not self._in_transaction:
            with self.transaction():
                self.write(data)
            return
        if self._write_hook is not None:
            data = self._write_hook(data)
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        self._held = data
        self.writes += 1

    def close(self) -> None:
        self._held = None

    # -- our additions ----------------------------------------------------------------------------
    def load(self) -> dict[str, Any] | None:
        """Read and check the file; ``None`` when there is no diary yet."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            raise CorruptFileError(self.path, "is not a text file") from None
        except OSError as error:
            raise StorageError(self.path, f"cannot be read ({error.strerror})") from None
        if not text.strip():
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CorruptFileError(self.path, f"is not valid JSON (line {error.lineno}, column {error.colno})") from None
        if not isinstance(data, dict):
            raise CorruptFileError(self.path, "is not a cramp_coach diary (the top level is not a JSON object)")
        return self._load_hook(data) if self._load_hook else data

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the writer lock; read fresh once; every write inside is atomic."""
        if self._in_transaction:
            yield
            return
        with self.lock:
            self._in_transaction = True
            self._held = None
            try:
                yield
            finally:
                self._in_transaction = False
                self._held = None

    def remove_leftover_temp_files(self) -> list[Path]:
        """Delete temp files a crashed writer left behind (only while holding the lock)."""
        removed = []
        with self.lock:
            for leftover in self.path.parent.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
                try:
                    leftover.unlink()
                    removed.append(leftover)
                except FileNotFoundError:
                    pass
        return removed
