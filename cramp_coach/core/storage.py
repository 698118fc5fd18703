"""Crash-safe, process-safe file storage for TinyDB.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write can tear it, and it takes
no lock, so two processes can lose each other's writes. This storage instead:

- writes a temporary file in the same folder, fsyncs it, ``os.replace``s it over the diary and
  fsyncs the folder: a write that returns is on disk, and a crash leaves the old file or the new;
- takes an exclusive ``flock`` on a lock file for every read-modify-write, re-reading inside it,
  and a shared one for a plain read;
- refuses to read (and so ever to overwrite) a file that is not valid JSON, is not a regular file,
  is too large or too deeply nested;
- writes through a symlinked diary to its target, never replacing the link;
- turns every failed write (a full disk, a read-only file system, ...) into ``WriteFailedError``
  with a plain reason, after removing its temporary file;
- remembers, in ``diary.json.checked``, the identity (device, inode, size, modification time) of
  the file it last wrote or fully checked, so that a file nobody else has touched since is not
  checked record by record again (the load hook is told it is *trusted*). Any other change to the
  file changes its identity, and the next read checks every record again.

Files are created 0600 in a 0700 folder.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from cramp_coach.core.paths import FILE_MODE, ensure_private_dir, os_error_reason

TEMP_PREFIX = ".diary-"
TEMP_SUFFIX = ".tmp"
LOCK_WAIT_SECONDS = 15.0
MAX_DIARY_BYTES = 256 * 1024 * 1024  # about a million cramps; anything larger is not ours


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


class WriteFailedError(StorageError):
    """Writing failed (disk full, read-only, no permission...); the file on disk is unchanged."""

    def __init__(self, path: Path, error: OSError):
        self.errno = error.errno
        super().__init__(path, plain_reason(error))


def plain_reason(error: OSError) -> str:
    """An OSError in plain words ("the disk is full"), for a person at 3 a.m."""
    return os_error_reason(error, ENOENT="the folder no longer exists", ENOTDIR="part of the path is not a folder")


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


def _identity(info: os.stat_result) -> str:
    """What changes whenever the file is replaced or edited: device, inode, size, modification time."""
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


class FileLock:
    """A re-entrant (within one object) ``flock`` on a lock file beside the diary.

    ``acquire()`` takes it exclusively (writers); ``shared()`` takes it shared (readers), so reads
    never see a write half done and never hold up each other. Threads of one process (the app's
    workers) take turns through a thread lock before the file lock.
    """

    def __init__(self, path: Path, wait: float = LOCK_WAIT_SECONDS):
        self.path = path
        self.wait = wait
        self._fd: int | None = None
        self._depth = 0
        self._threads = threading.RLock()
        self._owner: int | None = None

    def held_here(self) -> bool:
        """True when this thread holds the lock exclusively."""
        return self._depth > 0 and self._owner == threading.get_ident()

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
        except OSError as error:
            raise WriteFailedError(self.path, error) from None

    def _wait_for(self, fd: int, mode: int) -> None:
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise StorageError(self.path, f"cannot be locked ({plain_reason(error)})") from None
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise LockTimeoutError(
                        self.path,
                        f"another cramp-coach is writing the diary (it has held the lock for over {self.wait:.0f} s). "
                        "Your diary is fine: try again in a moment",
                    ) from None
                time.sleep(0.005)

    def acquire(self) -> None:
        if not self._threads.acquire(timeout=self.wait):
            raise LockTimeoutError(self.path, "another save in this window is taking too long; try again in a moment")
        if self._depth:
            self._depth += 1
            return
        try:
            fd = self._open()
            self._wait_for(fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        self._fd = fd
        self._depth = 1
        self._owner = threading.get_ident()

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the lock shared while reading (a no-op inside a held exclusive lock).

        Where the lock file cannot be made (a read-only folder), the read goes ahead unlocked:
        nobody can be writing there either.
        """
        if self.held_here():
            yield
            return
        try:
            fd = self._open()
        except WriteFailedError:
            yield
            return
        self._wait_for(fd, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            self._owner = None
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._threads.release()

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
        load_hook: Callable[[dict[str, Any], bool], dict[str, Any]] | None = None,
        write_hook: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ):
        self.path = Path(path)
        try:
            ensure_private_dir(self.path.parent)
        except OSError as error:
            raise WriteFailedError(self.path.parent, error) from None
        self.lock = FileLock(self.path.with_name(self.path.name + ".lock"))
        self.checked_marker = self.path.with_name(self.path.name + ".checked")
        self._load_hook = load_hook
        self._write_hook = write_hook
        self._state = threading.local()  # each thread's own transaction (the app saves from workers)
        self.writes = 0

    @property
    def _in_transaction(self) -> bool:
        return getattr(self._state, "in_transaction", False)

    @_in_transaction.setter
    def _in_transaction(self, value: bool) -> None:
        self._state.in_transaction = value

    @property
    def _held(self) -> dict[str, Any] | None:
        return getattr(self._state, "held", None)

    @_held.setter
    def _held(self, value: dict[str, Any] | None) -> None:
        self._state.held = value

    # -- TinyDB's interface -------------------------------------------------------------------
    def read(self) -> dict[str, Any] | None:
        if self._in_transaction:
            if self._held is None:
                self._held = self.load()
            return self._held
        with self.lock.shared():
            return self.load()

    def write(self, data: dict[str, Any]) -> None:
        if not self._in_transaction:
            with self.transaction():
                self.write(data)
            return
        if self._write_hook is not None:
            data = self._write_hook(data)
        target = self.target()
        try:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            text.encode("utf-8")  # a lone surrogate would fail half-way through the file write
        except (TypeError, ValueError) as error:
            raise StorageError(target, f"cannot be written: a value is not plain text ({type(error).__name__})") from None
        try:
            write_atomically(target, text)
        except OSError as error:
            raise WriteFailedError(target, error) from None
        self._held = data
        self.writes += 1
        try:
            self._trust(_identity(os.stat(target)))  # what we wrote was checked on its way in
        except OSError:
            pass

    def target(self) -> Path:
        """Where writes go: the diary file, or the file a symlinked diary points to."""
        return Path(os.path.realpath(self.path)) if self.path.is_symlink() else self.path

    def close(self) -> None:
        self._held = None

    # -- our additions ----------------------------------------------------------------------------
    def load(self) -> dict[str, Any] | None:
        """Read and check the file; ``None`` when there is no diary yet."""
        found = self._read_text()
        if found is None or not found[0].strip():
            return None
        text, identity = found
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CorruptFileError(self.path, f"is not valid JSON (line {error.lineno}, column {error.colno})") from None
        except RecursionError:
            raise CorruptFileError(self.path, "is not a cramp_coach diary (its JSON is nested far too deeply)") from None
        if not isinstance(data, dict):
            raise CorruptFileError(self.path, "is not a cramp_coach diary (the top level is not a JSON object)")
        if self._load_hook is None:
            return data
        trusted = identity == self._trusted()
        data = self._load_hook(data, trusted)
        if not trusted:
            self._trust(identity)
        return data

    def _trusted(self) -> str | None:
        """The identity of the file as last written or fully checked here, if it is known."""
        try:
            with open(self.checked_marker, encoding="ascii") as handle:
                return handle.read(200).strip()
        except (OSError, UnicodeDecodeError):
            return None

    def _trust(self, identity: str) -> None:
        """Remember that the file with ``identity`` was fully checked (best effort: a marker that is
        missing, stale or garbled only means the next read checks every record)."""
        try:
            fd = os.open(self.checked_marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(identity + "\n")
        except OSError:
            pass

    def _read_text(self) -> tuple[str, str] | None:
        """The file's text and identity; only a regular file of a sane size is read (a FIFO would hang)."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StorageError(self.path, f"cannot be read ({plain_reason(error)})") from None
        if not stat.S_ISREG(info.st_mode):
            raise CorruptFileError(self.path, "is not a regular file")
        if info.st_size > MAX_DIARY_BYTES:
            raise CorruptFileError(self.path, f"is larger than a diary can be ({MAX_DIARY_BYTES // 2**20} MiB)")
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as handle:
                opened = os.fstat(handle.fileno())
                if not stat.S_ISREG(opened.st_mode):
                    raise CorruptFileError(self.path, "is not a regular file")
                raw = handle.read(MAX_DIARY_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StorageError(self.path, f"cannot be read ({plain_reason(error)})") from None
        if len(raw) > MAX_DIARY_BYTES:
            raise CorruptFileError(self.path, f"is larger than a diary can be ({MAX_DIARY_BYTES // 2**20} MiB)")
        try:
            return raw.decode("utf-8"), _identity(opened)
        except UnicodeDecodeError:
            raise CorruptFileError(self.path, "is not a text file") from None

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
        """Delete temp files a crashed writer left behind (only while holding the lock, and only if it is free)."""
        removed: list[Path] = []
        cleaner = FileLock(self.lock.path, wait=0)  # only when nobody else is busy: this can wait
        try:
            cleaner.acquire()
        except StorageError:
            return removed
        try:
            for leftover in self.target().parent.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
                try:
                    leftover.unlink()
                    removed.append(leftover)
                except OSError:
                    pass
        finally:
            cleaner.release()
        return removed
