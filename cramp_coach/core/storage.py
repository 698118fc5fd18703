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
- keeps, in ``diary.json.cache``, the file's contents as it last wrote or fully checked them, in
  Python's fast ``marshal`` form, under the identity (device, inode, size, modification time) of
  the file they came from and a checksum. A read of a file nobody else has touched since loads that
  instead of parsing the JSON and checking every record again (the load hook is told it is
  *trusted*). Any other change to the file changes its identity, and the next read parses and
  checks it again; a cache that is stale, torn or from another Python is ignored. It is never the
  only copy of anything: deleting it only costs one slower read;
- adds a single record (a cramp logged at 3 a.m.) by appending one line to ``diary.json.journal``
  and fsyncing it, instead of rewriting the whole file. Until the next full write takes them into
  the file, the journal's records are nowhere else: every read adds them (once each, by id) even
  when the file has changed since (touched, copied, restored, set aside), a journal that cannot be
  read stops reads and writes instead of being skipped, and a full write copies them aside before
  writing and removes the copy after (see "the journal" below). A line torn by a crash is ignored,
  and a line that is not a valid record is never lost: the journal is kept aside.

Files are created 0600 in a 0700 folder.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from cramp_coach.core.cachefile import TEMP_PREFIX, TEMP_SUFFIX, header_of, is_current, make_temp_file, read_cache, write_cache
from cramp_coach.core.paths import FILE_MODE, ensure_private_dir, os_error_reason

LOCK_WAIT_SECONDS = 15.0
MAX_DIARY_BYTES = 256 * 1024 * 1024  # about a million cramps; anything larger is not ours
ABSENT = "absent"  # the identity a folding journal names when there was no diary file yet
MAX_JOURNAL_BYTES = 4 * 1024 * 1024  # a journal is folded into the file long before this
JOURNAL_FOLD_LINES = 200  # past this many records, the next addition rewrites the file instead


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


def write_atomically(path: Path, text: str | bytes) -> None:
    """Replace ``path`` with ``text`` (bytes: UTF-8 already) so that a crash leaves either the old or the new file."""
    folder = path.parent
    fd, temp = make_temp_file(folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
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


_collector = threading.Lock()
_collector_pauses = 0
_collector_was_on = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a diary is loaded or built: tens of thousands of new
    objects, none in a cycle, would otherwise set off dozens of collections over every object the
    app holds (it doubled the time to read a 15,000-cramp diary in the app). Nested and concurrent
    pauses are counted; collection resumes after the last, and only if it was on before the first,
    with what exists then frozen (``gc.freeze``)."""
    global _collector_pauses, _collector_was_on
    with _collector:
        if _collector_pauses == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector:
            _collector_pauses -= 1
            if _collector_pauses == 0 and _collector_was_on:
                # What was loaded lives on (the diary the app shows): kept out of later collections,
                # which would otherwise go over every one of those objects twice more (gen 0, gen 1)
                # just after loading. Frozen objects are still freed as usual once nothing uses them.
                gc.freeze()
                gc.enable()


# The packed form of a diary's contents, kept in the cache and read by reports: each table of records
# as (keys, document ids, rows), a row being a tuple of values in ``keys`` order or, for a record with
# other keys, the record itself; any other top-level value as it is. Tuples load about twice as fast
# as as many dicts, and readers that know the keys need no dicts at all.
Packed = dict[str, Any]


def pack(data: dict[str, Any], as_dicts: bool = False) -> Packed:
    """``data`` (tables of records) in the packed form (``as_dicts``: keep each record as it is)."""
    tables: dict[str, tuple[tuple[str, ...], list[str], list[Any]]] = {}
    other: dict[str, Any] = {}
    for name, table in data.items():
        if not isinstance(table, dict) or not all(type(record) is dict for record in table.values()):
            other[name] = table
            continue
        records = table.values()
        keys: tuple[str, ...] = () if as_dicts or not table else tuple(next(iter(records)))
        rows = list(records) if as_dicts else [tuple(record.values()) if tuple(record) == keys else record for record in records]
        tables[name] = (keys, list(table), rows)
    return {"tables": tables, "other": other}


def with_shared_text(packed: Packed) -> Packed:
    """``packed`` with equal texts in a column made one object, so marshal writes each text once and
    loading makes it once (a muscle, a leg, a step, a night: 15,000 rows load in about half the time).

    Only columns of text (and None) are touched: equal numbers of other types (1, 1.0, True) differ.
    A column is looked at in its first rows first: one of all different values (ids, times), or
    whose equal texts are one object already (read from a cache, or checked by an import), is left.
    """
    tables = {}
    for name, (keys, doc_ids, rows) in packed["tables"].items():
        if keys and rows and set(map(type, rows)) == {tuple} and set(map(len, rows)) == {len(keys)}:
            wanted = [index for index, sample in enumerate(zip(*rows[:_SHARE_SAMPLE], strict=True)) if _worth_sharing(sample)]
            if wanted:
                columns = list(zip(*rows, strict=True))
                for index in wanted:
                    if set(map(type, columns[index])) <= _TEXT_TYPES:
                        known: dict[Any, Any] = {}
                        columns[index] = tuple(map(known.setdefault, columns[index], columns[index]))
                rows = list(zip(*columns, strict=True))
        tables[name] = (keys, doc_ids, rows)
    return {"tables": tables, "other": packed["other"]}


def _worth_sharing(sample: tuple[Any, ...]) -> bool:
    if not set(map(type, sample)) <= _TEXT_TYPES:
        return False
    distinct = len(set(sample))
    return distinct < len(sample) and len(set(map(id, sample))) > distinct


_TEXT_TYPES = {str, type(None)}
_SHARE_SAMPLE = 64  # rows looked at to decide whether a column is worth sharing


def unpack(packed: Packed) -> dict[str, Any]:
    """The tables of records that ``pack`` was given (records from a tuple row are new dicts)."""
    data = dict(packed["other"])
    for name, (keys, doc_ids, rows) in packed["tables"].items():
        data[name] = {doc_id: dict(zip(keys, row, strict=False)) if type(row) is tuple else row for doc_id, row in zip(doc_ids, rows, strict=True)}
    return data


def _ids_of(keys: tuple[str, ...], rows: list[Any]) -> set[Any]:
    """The "id" of every record of a packed table (quickly when every row is a tuple)."""
    where = keys.index("id") if "id" in keys else None
    try:
        if where is not None:
            return set(map(itemgetter(where), rows))  # a dict row has no item 0, 1, ...: the slow way below
    except (KeyError, IndexError):
        pass
    return {row.get("id") if type(row) is dict else (row[where] if where is not None else None) for row in rows}


def _next_doc_id(doc_ids: list[str]) -> int:
    """The document id TinyDB would give the next record (one more than the largest)."""
    try:
        return max(map(int, doc_ids), default=0) + 1
    except ValueError:
        return max((int(key) for key in doc_ids if key.isdigit()), default=0) + 1


def is_packed(value: Any) -> bool:
    """True for a value with the shape of the packed form (a cache that loads as anything else is ignored)."""
    if not isinstance(value, dict) or not isinstance(value.get("tables"), dict) or not isinstance(value.get("other"), dict):
        return False
    for table in value["tables"].values():
        if not (isinstance(table, tuple) and len(table) == 3 and isinstance(table[0], tuple) and isinstance(table[1], list)
                and isinstance(table[2], list) and len(table[1]) == len(table[2])):
            return False
    return True


def file_identity(info: os.stat_result) -> str:
    """What changes whenever the file is replaced or edited: device, inode, size, modification time,
    and the change time (which, unlike the modification time, no tool can set back)."""
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


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


class JournalFile:
    """What one journal file holds: the identity line it starts with (``None`` if it does not
    start with one), its complete lines as written, and each parsed (``{"unreadable": ...}`` when
    not JSON)."""

    __slots__ = ("entries", "header", "lines")

    def __init__(self, header: str | None, lines: list[str], entries: list[dict[str, Any]]):
        self.header = header
        self.lines = lines
        self.entries = entries


def read_journal(path: Path) -> JournalFile | None:
    """The journal at ``path``; ``None`` when there is none. One that is there but cannot be read
    is a :class:`StorageError` naming it (a read without it would leave out saved cramps, and the
    next write would lose them), never skipped; not a ``CorruptFileError``, which would offer to
    set the diary itself aside. A last line a crash tore is left out."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise StorageError(path, "is a link; cramp_coach only reads a journal it wrote itself (move it away)") from None
        reason = f"cannot be read ({plain_reason(error)}); it may hold cramps that are not in diary.json yet"
        raise StorageError(path, f"{reason}, so nothing is changed until it can be") from None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise StorageError(path, "is not a regular file (move it away)")
            raw = handle.read(MAX_JOURNAL_BYTES + 1)
    except OSError as error:
        raise StorageError(path, f"cannot be read ({plain_reason(error)})") from None
    if len(raw) > MAX_JOURNAL_BYTES:
        raise StorageError(path, f"is larger than a journal can be ({MAX_JOURNAL_BYTES // 2**20} MiB; move it away)")
    complete = raw[: raw.rfind(b"\n") + 1].decode("utf-8", "replace").split("\n")[:-1]
    header = None
    if complete and not complete[0].lstrip().startswith(("{", "[")):
        header, complete = complete[0].strip(), complete[1:]
    entries: list[dict[str, Any]] = []
    for text in complete:
        try:
            entry = json.loads(text)
        except (ValueError, RecursionError):
            entry = None
        entries.append(entry if isinstance(entry, dict) else {"unreadable": text[:200]})
    return JournalFile(header, complete, entries)


def keep_aside(path: Path, stem: str) -> Path:
    """Rename ``path`` to ``<stem>-<moment>.jsonl`` beside it (``-2``, ``-3``... if that is taken)."""
    moment = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{stem}-{moment}.jsonl")
    counter = 1
    while os.path.lexists(target):
        counter += 1
        target = path.with_name(f"{stem}-{moment}-{counter}.jsonl")
    os.replace(path, target)
    return target


class SafeJSONStorage(Storage):
    """A TinyDB storage with atomic writes, a writer lock, a validating loader, a parsed cache and a
    journal for single additions.

    Outside a transaction every ``read`` goes to disk (so other processes' writes are seen).
    Inside ``transaction()`` the lock is held, the file is read once, and TinyDB's repeated reads
    are served from that copy until the one atomic write.
    """

    def __init__(
        self,
        path: str | Path,
        load_hook: Callable[[dict[str, Any], bool], dict[str, Any]] | None = None,
        write_hook: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        check_record: Callable[[str, dict[str, Any]], str | None] | None = None,
        is_current: Callable[[dict[str, Any]], bool] | None = None,
        keep_beside: Callable[[str, Packed], None] | None = None,
    ):
        self.path = Path(path)
        try:
            ensure_private_dir(self.path.parent)
        except OSError as error:
            raise WriteFailedError(self.path.parent, error) from None
        self.lock = FileLock(self.path.with_name(self.path.name + ".lock"))
        self.cache_path = self.path.with_name(self.path.name + ".cache")
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.folding_path = self.path.with_name(self.path.name + ".journal.folding")
        self._load_hook = load_hook
        self._write_hook = write_hook
        self._check_record = check_record
        self._is_current = is_current  # a file the load hook must migrate is not cached (or journalled)
        self._keep_beside = keep_beside  # told of the checked contents each time the cache is written or read
        self._state = threading.local()  # each thread's own transaction (the app saves from workers)
        self.writes = 0
        self.appends = 0

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
            # Encoded here: a lone surrogate would otherwise fail half-way through the file write.
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError) as error:
            raise StorageError(target, f"cannot be written: a value is not plain text ({type(error).__name__})") from None
        previous = self._identity_now()
        folded = self._begin_fold(previous)
        try:
            write_atomically(target, text)
        except BaseException as error:
            if folded and self._identity_now() == previous:  # the new file never took the old one's place
                self._undo_fold()
            if isinstance(error, OSError):
                raise WriteFailedError(target, error) from None
            raise
        self._held = data
        self.writes += 1
        try:
            identity = file_identity(os.stat(target))
        except OSError:
            identity = None
        if identity is not None:
            self._write_cache(identity, pack(data))  # what we wrote was checked on its way in
        self._end_fold()  # the journals' records are in the file now

    def _identity_now(self) -> str:
        """The diary file's identity, or ``ABSENT`` when there is none (or it cannot be looked at)."""
        try:
            return file_identity(os.stat(self.path))
        except OSError:
            return ABSENT

    def target(self) -> Path:
        """Where writes go: the diary file, or the file a symlinked diary points to."""
        return Path(os.path.realpath(self.path)) if self.path.is_symlink() else self.path

    def close(self) -> None:
        self._held = None

    # -- our additions ----------------------------------------------------------------------------
    def load(self) -> dict[str, Any] | None:
        """Read and check the file (and its journal); ``None`` when there is no diary yet."""
        packed = self.load_packed()
        return None if packed is None else unpack(packed)

    def read_packed(self) -> Packed | None:
        """What ``read`` gives, in the packed form (see ``pack``): the quick way to read every record."""
        if self._in_transaction:
            held = self.read()
            return None if held is None else pack(held, as_dicts=True)
        with self.lock.shared():
            return self.load_packed()

    def load_packed(self) -> Packed | None:
        """The checked file with its journal, packed; ``None`` when there is no diary yet."""
        with collection_paused():
            loaded = self._load_file()
            if loaded is None:  # no diary (yet, or set aside): what a journal holds is still saved
                packed = self._with_journal({"tables": {}, "other": {}}, None)
                return packed if packed["tables"] else None
            packed, identity = loaded
            return self._with_journal(packed, identity)

    def _load_file(self) -> tuple[Packed, str] | None:
        """The diary file's checked contents (packed) and identity: from the cache when it holds this very file."""
        info = self._stat()
        if info is None:
            return None
        if stat.S_ISREG(info.st_mode) and self._load_hook is not None:
            cached = self._read_cache(file_identity(info))
            if cached is not None:
                if self._keep_beside is not None:
                    self._keep_beside(file_identity(info), cached)  # (a head kept by an older version, say, is missing)
                return cached, file_identity(info)  # it was checked (and is in this version's schema) when cached
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
        except ValueError:  # Python's limit on the digits of a number (4300): no diary value comes near it
            raise CorruptFileError(self.path, "is not a cramp_coach diary (it holds a number thousands of digits long)") from None
        if not isinstance(data, dict):
            raise CorruptFileError(self.path, "is not a cramp_coach diary (the top level is not a JSON object)")
        if self._load_hook is None:
            return pack(data, as_dicts=True), identity
        current = self._is_current is None or self._is_current(data)
        # A JSON parse makes every text anew: equal ones are shared before they are kept.
        packed = with_shared_text(pack(self._load_hook(data, False)))
        if current:
            self._write_cache(identity, packed)
        return packed, identity

    # -- the cache ------------------------------------------------------------------------------
    def _read_cache(self, identity: str) -> Packed | None:
        """The cached contents of the file with ``identity``, or ``None`` (no cache, another file's,
        another Python's, torn or garbled: all only mean a slower read)."""
        data = read_cache(self.cache_path, identity, MAX_DIARY_BYTES)
        return data if is_packed(data) else None

    def _write_cache(self, identity: str, packed: Packed) -> None:
        """Keep the checked contents of the file with ``identity`` (best effort, never fsynced: the
        checksum catches a cache a crash tore, and a missing one only costs a slower read)."""
        write_cache(self.cache_path, identity, with_shared_text(packed))
        if self._keep_beside is not None:
            self._keep_beside(identity, packed)

    def trusted(self) -> bool:
        """True when the cache holds the diary file as it is now (it was written or checked here)."""
        try:
            identity = file_identity(os.stat(self.path))
        except OSError:
            return False
        return is_current(header_of(self.cache_path), identity)

    # -- the journal ----------------------------------------------------------------------------
    # ``diary.json.journal`` starts with the identity of the file it was begun for, then one record a
    # line. Only a full write takes its records into the file; until then they are nowhere else, so
    # every read adds them (each once, by id) whatever file is there now: a diary touched, copied,
    # restored from a backup or set aside keeps them. A full write first copies them (fsynced) to
    # ``diary.json.journal.folding`` under the identity of the file as it is at that moment, and
    # removes the journal; then writes the file; then removes the folding journal. So a folding
    # journal left by a crash names the file as it still is when the write never happened (its
    # records are read, as before), and an older file when it did (its records are in the file, and
    # a cramp that write deleted must not come back): that one is never read, and is kept aside as
    # ``diary.folded-journal-<moment>.jsonl`` at the next write.
    def append(self, table: str, doc: dict[str, Any]) -> bool:
        """Add one record by appending it to the journal, fsynced: ``False`` (nothing written) when
        that cannot be done safely, and the caller must write the whole file instead: there is no
        diary file yet, it has not been checked here as it is now, the journal was begun for another
        file (or a full write was cut short), or it is long enough to be folded in. A record whose
        id is already in the journal is not added twice."""
        with self.lock:
            if not self.trusted() or os.path.lexists(self.folding_path):
                return False
            identity = file_identity(os.stat(self.path))
            journal = read_journal(self.journal_path)
            if journal is not None and (journal.header != identity or len(journal.entries) >= JOURNAL_FOLD_LINES):
                return False
            lines = [] if journal is None else journal.entries
            if any(entry.get("table") == table and isinstance(entry.get("doc"), dict) and entry["doc"].get("id") == doc.get("id") for entry in lines):
                return True
            line = json.dumps({"table": table, "doc": doc}, ensure_ascii=False, separators=(",", ":"))
            try:
                self._append_line(identity, line, fresh=not lines)
            except OSError as error:
                raise WriteFailedError(self.journal_path, error) from None
            self._held = None
            self.appends += 1
        return True

    def _append_line(self, identity: str, line: str, fresh: bool) -> None:
        """Write ``line`` at the journal's end (a fresh journal starts with the file's identity),
        after cutting off a line a crash left torn; fsync the journal (and, when new, its folder)."""
        fd = os.open(self.journal_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
        try:
            size = os.fstat(fd).st_size
            if fresh:
                os.ftruncate(fd, 0)
                payload = f"{identity}\n{line}\n"
            else:
                tail = os.pread(fd, min(size, MAX_JOURNAL_BYTES), 0)
                os.ftruncate(fd, tail.rfind(b"\n") + 1)
                payload = f"{line}\n"
            end = os.fstat(fd).st_size
            data = payload.encode("utf-8")
            written = 0
            while written < len(data):
                written += os.pwrite(fd, data[written:], end + written)
            os.fsync(fd)
        except OSError:
            try:
                os.ftruncate(fd, size if not fresh else 0)  # leave the journal as it was
            except OSError:
                pass
            raise
        finally:
            os.close(fd)
        if fresh:
            folder_fd = os.open(self.journal_path.parent, os.O_RDONLY)
            try:
                os.fsync(folder_fd)
            finally:
                os.close(folder_fd)

    def _pending(self, identity: str | None) -> list[tuple[Path, list[dict[str, Any]]]]:
        """The journals whose records are not in the file with ``identity`` (``None``: no file), with
        their entries: a folding journal a crash left before its write, then the journal."""
        pending = []
        folding = read_journal(self.folding_path)
        if folding is not None and folding.header == (ABSENT if identity is None else identity):
            pending.append((self.folding_path, folding.entries))
        journal = read_journal(self.journal_path)
        if journal is not None:
            pending.append((self.journal_path, journal.entries))
        return pending

    def journal_records(self, identity: str) -> list[tuple[str, dict[str, Any]]] | None:
        """The valid records the journals add to the file with ``identity`` (table, record), in order
        (``[]`` when there are none); ``None`` when a journal cannot be read or a full write was cut short."""
        try:
            if os.path.lexists(self.folding_path):
                return None
            pending = self._pending(identity)
        except StorageError:
            return None
        return [
            (entry["table"], entry["doc"]) for _, entries in pending for entry in entries
            if isinstance(entry.get("table"), str) and isinstance(entry.get("doc"), dict)
            and (self._check_record is None or self._check_record(entry["table"], entry["doc"]) is None)
        ]

    def _with_journal(self, packed: Packed, identity: str | None) -> Packed:
        """``packed`` with the journals' records added (each once, by id), in journal order, under the
        ids TinyDB would have given them; records that are not valid are left out (and their
        journal kept aside at the next full write)."""
        odd: set[Path] = set()
        self._state.odd_journals = odd
        pending = self._pending(identity)
        tables: dict[str, Any] = packed["tables"]
        known: dict[str, set[Any]] = {}
        next_ids: dict[str, int] = {}
        for path, entries in pending:
            for entry in entries:
                table, doc = entry.get("table"), entry.get("doc")
                if (not isinstance(table, str) or not isinstance(doc, dict) or table in packed["other"]
                        or (self._check_record is not None and self._check_record(table, doc) is not None)):
                    odd.add(path)
                    continue
                keys, doc_ids, rows = tables.setdefault(table, ((), [], []))
                ids = known.get(table)
                if ids is None:
                    ids = known[table] = _ids_of(keys, rows)
                    next_ids[table] = _next_doc_id(doc_ids)
                if doc.get("id") in ids:
                    continue
                ids.add(doc.get("id"))
                doc_ids.append(str(next_ids[table]))
                rows.append(doc)
                next_ids[table] += 1
        return packed

    def _odd_journals(self) -> set[Path]:
        """This thread's journals with a line that is not a record (from its last read)."""
        odd: set[Path] = getattr(self._state, "odd_journals", set())
        return odd

    def _begin_fold(self, previous: str) -> bool:
        """Before a full write of the file now at ``previous``: the records of the journal (and of a
        folding journal a crash left before its write) copied, fsynced, to a folding journal under
        ``previous``, and the journal removed; ``True`` if there was anything to fold. A folding
        journal an earlier write left after writing is kept aside first. See "the journal" above."""
        odd = self._odd_journals()
        lines: list[str] = []
        is_odd = False
        leftover = read_journal(self.folding_path)
        if leftover is not None:
            if leftover.header == previous:  # its write never happened: its records are in this one
                lines += leftover.lines
                is_odd = self.folding_path in odd
            else:
                keep_aside(self.folding_path, "diary.folded-journal")
        journal = read_journal(self.journal_path)
        if journal is not None:
            lines += journal.lines
            is_odd = is_odd or self.journal_path in odd
        if leftover is None and journal is None:
            return False
        try:
            write_atomically(self.folding_path, "".join(f"{line}\n" for line in [previous, *lines]))
        except OSError as error:
            if leftover is None:  # (a copy that did land holds nothing the journal does not)
                try:
                    os.unlink(self.folding_path)
                except OSError:
                    pass
            raise WriteFailedError(self.folding_path, error) from None
        odd.discard(self.journal_path)
        if is_odd:
            odd.add(self.folding_path)
        else:
            odd.discard(self.folding_path)
        if journal is not None:
            try:
                os.unlink(self.journal_path)
            except OSError as error:
                if leftover is None:  # (the journal still holds them all; with a leftover, both are read)
                    try:
                        os.unlink(self.folding_path)
                    except OSError:
                        pass
                raise WriteFailedError(self.journal_path, error) from None
        return True

    def _undo_fold(self) -> None:
        """The full write failed, the file as it was: the folding journal is the journal again (it
        names that very file, so additions can go on)."""
        try:
            if not os.path.lexists(self.journal_path):  # (or a journal begun since: the folding one is still read)
                os.replace(self.folding_path, self.journal_path)
                odd = self._odd_journals()
                if self.folding_path in odd:
                    odd.discard(self.folding_path)
                    odd.add(self.journal_path)
        except OSError:
            pass  # a folding journal naming the file as it is: still read, and folded next time

    def _end_fold(self) -> None:
        """After a full write: remove the folding journal (its records are in the file now), or keep
        it aside when a line of it is not a record, so nothing is ever lost."""
        odd = self._odd_journals()
        if os.path.lexists(self.folding_path):
            try:
                if self.folding_path in odd:
                    keep_aside(self.folding_path, "diary.unreadable-journal")
                else:
                    os.unlink(self.folding_path)
            except OSError:
                pass  # it names the file as it was: never read again, kept aside at the next write
        self._state.odd_journals = set()

    def _stat(self) -> os.stat_result | None:
        """The diary file's status, ``None`` when there is none yet; any other failure is a ``StorageError``."""
        try:
            return os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StorageError(self.path, f"cannot be read ({plain_reason(error)})") from None

    def _read_text(self) -> tuple[str, str] | None:
        """The file's text and identity; only a regular file of a sane size is read (a FIFO would hang)."""
        info = self._stat()
        if info is None:
            return None
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
            return raw.decode("utf-8"), file_identity(opened)
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
            try:
                self.path.with_name(self.path.name + ".checked").unlink(missing_ok=True)  # an older version's marker
            except OSError:
                pass
            for leftover in self.target().parent.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
                try:
                    leftover.unlink()
                    removed.append(leftover)
                except OSError:
                    pass
        finally:
            cleaner.release()
        return removed
