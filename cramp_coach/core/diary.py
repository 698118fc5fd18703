"""The diary repository: cramps and nights in one TinyDB file, with schema versions and migrations.

Screens and commands call this; none of them touch TinyDB or files. Every write takes the writer
lock, re-reads the file and writes it back atomically (see ``storage``), so two app windows and a
``cramp-coach log`` can run at once without losing an entry.
"""

from __future__ import annotations

import heapq
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import cached_property
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Table

from cramp_coach.core.cachefile import header_of, read_cache, write_cache
from cramp_coach.core.cachefile import is_current as cache_is_current
from cramp_coach.core.models import (
    DIARY_MUSCLES,
    LEGS,
    SCHEMA_VERSION,
    Cramp,
    Night,
    night_of,
)
from cramp_coach.core.record import record
from cramp_coach.core.storage import CorruptFileError, SafeJSONStorage, StorageError, collection_paused, file_identity

DIARY_FILE = "diary.json"
CRAMPS = "cramps"
NIGHTS = "nights"
META = "meta"
# Values the app keeps in the diary (the checklist's list and history, the trial): the table is
# named "settings" in the file, but they are not settings: those are config.toml (core.settings).
KEPT_VALUES = "settings"


class DiaryTooNewError(StorageError):
    """The diary was written by a newer cramp_coach."""


class EditConflictError(ValueError):
    """The entry was changed (or deleted) elsewhere since it was opened for editing.

    ``current`` is the entry as the diary holds it now (``None`` when it was deleted).
    """

    def __init__(self, cramp_id: str, current: Cramp | None):
        self.cramp_id = cramp_id
        self.current = current
        what = "deleted" if current is None else "changed"
        super().__init__(f"this cramp was {what} elsewhere since you opened it")


def _bad_record(path: Path, table: str, key: str, problem: str) -> CorruptFileError:
    kind = "cramp" if table == CRAMPS else "night"
    return CorruptFileError(path, f"is not a diary this version can use: {kind} record {key} in '{table}' {problem}")


def _is_text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _is_whole(value: Any, low: int, high: int) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and low <= value <= high)


def _texts(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def check_cramp_record(doc: dict[str, Any]) -> str | None:
    """What is wrong with a stored cramp record, or ``None`` (a quick check: the store reads it often)."""
    if not _is_text(doc.get("id"), 64) or not doc["id"]:
        return "has no usable id"
    started = doc.get("started_at")
    if not isinstance(started, str) or len(started) > 64:
        return "has no start time"
    try:
        moment = datetime.fromisoformat(started)
    except ValueError:
        return f"has a start time that is not a date and time ({started[:40]!r})"
    if moment.tzinfo is None or not 1900 <= moment.year <= 2200:
        return "has a start time without a UTC offset or out of range"
    stored_night = doc.get("night")
    if stored_night is not None and stored_night != night_of(moment).isoformat():
        return "has a night that does not match its start time"
    if doc.get("muscle") not in DIARY_MUSCLES:
        return "has an unknown muscle"
    if doc.get("leg") is not None and doc.get("leg") not in LEGS:
        return "has an unknown leg"
    if not _is_whole(doc.get("intensity"), 0, 10) or not _is_whole(doc.get("duration_s"), 0, 24 * 3600):
        return "has an intensity or duration out of range"
    for key in ("note", "ended_by", "routine"):
        if doc.get(key) is not None and not _is_text(doc.get(key), 2000):
            return f"has a {key} that is not text"
    if not _texts(doc.get("tags")) or not _texts(doc.get("triage")):
        return "has tags or answers that are not a list of texts"
    return None


def check_night_record(doc: dict[str, Any]) -> str | None:
    """What is wrong with a stored night record, or ``None``."""
    night = doc.get("night")
    if not isinstance(night, str) or len(night) > 32:
        return "has no night date"
    try:
        date.fromisoformat(night)
    except ValueError:
        return f"has a night that is not a date ({night[:40]!r})"
    if not _is_whole(doc.get("sleep_quality"), 1, 5) or not _is_whole(doc.get("times_woken"), 0, 50):
        return "has a sleep quality or times woken out of range"
    if doc.get("note") is not None and not _is_text(doc.get("note"), 2000):
        return "has a note that is not text"
    if not _texts(doc.get("ticks")):
        return "has ticks that are not a list of item ids"
    return None


def check_added_record(table: str, doc: dict[str, Any]) -> str | None:
    """What is wrong with a record added through the storage's journal (only cramps are added so)."""
    return check_cramp_record(doc) if table == CRAMPS else "is not a cramp"


def check_records(data: dict[str, Any], path: Path) -> None:
    """Refuse a diary any of whose records this version cannot read: it is then never written."""
    for table, check in ((CRAMPS, check_cramp_record), (NIGHTS, check_night_record)):
        for key, doc in data.get(table, {}).items():
            problem = check(doc)
            if problem is not None:
                raise _bad_record(path, table, key, problem)
    for key, doc in data.get(KEPT_VALUES, {}).items():
        if not isinstance(doc.get("key"), str):
            raise CorruptFileError(path, f"is not a diary this version can use: setting record {key} has no key")


def stored_version(data: dict[str, Any]) -> Any:
    """The schema version a loaded diary was written in (as stored: it may not be a number)."""
    meta = data.get(META)
    records = meta.values() if isinstance(meta, dict) else ()
    version = next((doc.get("schema_version") for doc in records if isinstance(doc, dict) and "schema_version" in doc), None)
    if version is None:
        version = 1 if data.get(CRAMPS) or data.get(NIGHTS) else SCHEMA_VERSION
    return version


def is_current(data: dict[str, Any]) -> bool:
    """True when a loaded diary is stored in this version's schema (so needs no migration)."""
    return bool(stored_version(data) == SCHEMA_VERSION)


def migrate(data: dict[str, Any], path: Path = Path(DIARY_FILE), check: bool = True) -> dict[str, Any]:
    """Check a loaded diary and bring it up to ``SCHEMA_VERSION``.

    Version 1 cramps had no ``routine`` and nights no ``ticks``; version 2 adds both. ``check``
    checks every record (skipped only for a file the storage knows it wrote or checked itself).
    """
    for table in (CRAMPS, NIGHTS, META, KEPT_VALUES):
        if table in data and not (
            isinstance(data[table], dict) and all(isinstance(doc, dict) for doc in data[table].values())
        ):
            raise CorruptFileError(path, f"is not a cramp_coach diary (its '{table}' is not a table of records)")
    version = stored_version(data)
    if not isinstance(version, int) or version < 1:
        raise CorruptFileError(path, f"has an unreadable schema version {version!r}")
    if version > SCHEMA_VERSION:
        raise DiaryTooNewError(
            path,
            f"was written by a newer cramp_coach (diary schema {version}; this version reads up to "
            f"{SCHEMA_VERSION}). Update cramp_coach to open it; the file has not been changed.",
        )
    if version == 1:
        for doc in data.get(CRAMPS, {}).values():
            doc.setdefault("routine", None)
            doc["v"] = 2
        for doc in data.get(NIGHTS, {}).values():
            doc.setdefault("ticks", [])
            doc["v"] = 2
    if check or version != SCHEMA_VERSION:
        check_records(data, path)
    data[META] = {"1": {"schema_version": SCHEMA_VERSION}}
    return data


def stamp_version(data: dict[str, Any]) -> dict[str, Any]:
    """Mark a diary about to be written with the schema version it now follows."""
    data[META] = {"1": {"schema_version": SCHEMA_VERSION}}
    return data


_STORED_CRAMP_KEYS = frozenset(
    ("started_at", "muscle", "leg", "intensity", "duration_s", "ended_by", "routine", "tags", "note", "id", "triage", "night", "v")
)


def cramp_from_stored(doc: dict[str, Any], nights: dict[str, date] | None = None) -> Cramp:
    """Rebuild a cramp the store itself wrote (checked on the way in), quickly: the fields are copied
    in one step, and the night is taken from the stored record (``nights`` memoises parsed dates)."""
    cramp = object.__new__(Cramp)
    fields = cramp.__dict__
    if doc.keys() == _STORED_CRAMP_KEYS:  # as this version writes them: copied whole, then fixed up
        fields.update(doc)
        del fields["v"], fields["night"]
        fields["tags"] = tuple(doc["tags"] or ())
        fields["note"] = doc["note"] or ""
        fields["triage"] = tuple(doc["triage"] or ())
    else:  # an older or hand-made record: only the fields, with their defaults
        fields["id"] = doc["id"]
        fields["muscle"] = doc["muscle"]
        fields["leg"] = doc.get("leg")
        fields["intensity"] = doc.get("intensity")
        fields["duration_s"] = doc.get("duration_s")
        fields["ended_by"] = doc.get("ended_by")
        fields["routine"] = doc.get("routine")
        fields["tags"] = tuple(doc.get("tags") or ())
        fields["note"] = doc.get("note") or ""
        fields["triage"] = tuple(doc.get("triage") or ())
    fields["started_at"] = datetime.fromisoformat(doc["started_at"])
    stored_night = doc.get("night")
    if isinstance(stored_night, str):
        known = nights.get(stored_night) if nights is not None else None
        if known is None:
            try:
                known = date.fromisoformat(stored_night)
            except ValueError:
                known = None
            if known is not None and nights is not None:
                nights[stored_night] = known
        if known is not None:
            fields["night"] = known  # Cramp.night is a cached property: this is its cached value
    return cramp


def cramps_from_stored(docs: Iterable[dict[str, Any]]) -> list[Cramp]:
    """Rebuild many stored cramps (sharing parsed nights)."""
    nights: dict[str, date] = {}
    return [cramp_from_stored(doc, nights) for doc in docs]


# The keys of a stored cramp in the order ``Cramp.to_dict`` writes them: rows of a packed table with
# exactly these keys are rebuilt by position, the quickest way there is.
STORED_CRAMP_ORDER = ("started_at", "muscle", "leg", "intensity", "duration_s", "ended_by", "routine", "tags", "note", "id", "triage", "night", "v")


def cramps_from_rows(keys: tuple[str, ...], rows: Iterable[Any]) -> list[Cramp]:
    """Rebuild stored cramps from a packed table (see ``storage.pack``): tuple rows in this version's
    key order by position, any other row through ``cramp_from_stored``."""
    with collection_paused():
        return _cramps_from_rows(keys, rows)


def _cramps_from_rows(keys: tuple[str, ...], rows: Iterable[Any]) -> list[Cramp]:
    nights: dict[str, date] = {}
    by_position = keys == STORED_CRAMP_ORDER
    parse, new, cramps = datetime.fromisoformat, object.__new__, []
    for row in rows:
        if type(row) is not tuple:
            cramps.append(cramp_from_stored(row, nights))
            continue
        if not by_position:
            cramps.append(cramp_from_stored(dict(zip(keys, row, strict=False)), nights))
            continue
        started_at, muscle, leg, intensity, duration_s, ended_by, routine, tags, note, cramp_id, triage, night, _ = row
        cramp = new(Cramp)
        fields = {
            "started_at": parse(started_at), "muscle": muscle, "leg": leg, "intensity": intensity, "duration_s": duration_s,
            "ended_by": ended_by, "routine": routine, "tags": tuple(tags) if tags else (), "note": note or "", "id": cramp_id,
            "triage": tuple(triage) if triage else (),
        }
        if night is not None:
            known = nights.get(night)
            if known is None:
                known = nights[night] = date.fromisoformat(night)
            fields["night"] = known  # Cramp.night is a cached property: this is its cached value
        cramp.__dict__.update(fields)
        cramps.append(cramp)
    return cramps


def records_of(keys: tuple[str, ...], rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The records of a packed table, as dicts."""
    for row in rows:
        yield dict(zip(keys, row, strict=False)) if type(row) is tuple else row


def night_from_stored(doc: dict[str, Any]) -> Night:
    """Rebuild a night the store itself wrote."""
    return Night(
        night=date.fromisoformat(doc["night"]),
        sleep_quality=doc.get("sleep_quality"),
        times_woken=doc.get("times_woken"),
        note=doc.get("note") or "",
        ticks=tuple(doc.get("ticks") or ()),
    )


@record
class ImportResult:
    """What an import added, what it found already there, and what clashed.

    A conflict is a record whose id (or night) is in the diary with different content: it is not
    written, and is not counted as skipped.
    """

    cramps_added: int
    cramps_skipped: int
    nights_added: int
    nights_skipped: int
    conflicts: tuple[str, ...] = ()


EMPTY_TABLE: tuple[tuple[str, ...], list[str], list[Any]] = ((), [], [])
_STARTED = attrgetter("started_at")
HEAD_ROWS = 80  # the newest entries kept beside the diary (``diary.json.head``): a first page that is read at once
HEAD_FILE_LIMIT = 16 * 2**20  # bytes (80 entries with the longest notes are far under this)


def newest_rows(keys: tuple[str, ...], rows: list[Any], count: int) -> list[Any]:
    """The ``count`` newest of a packed table's cramp ``rows``, newest first (as the stored order
    breaks ties)."""
    where = keys.index("started_at") if "started_at" in keys else None
    parse = datetime.fromisoformat
    if where is not None and set(map(type, rows)) <= {tuple}:  # every row by position: parsed in C
        moments = list(map(parse, map(itemgetter(where), rows)))
        newest = sorted(range(len(rows)), key=moments.__getitem__, reverse=True)[:count]  # (mostly in order: quick)
        return [rows[index] for index in newest]

    def started(row: Any) -> datetime:
        return parse(row[where] if where is not None and type(row) is tuple else row["started_at"])

    return heapq.nlargest(count, rows, key=started)


class DiarySnapshot:
    """Everything in the diary, from one read of the file (for reports that need it all).

    Built from the raw file, each part (cramps, nights, kept values) is made only when first asked
    for: the checklist needs no cramps, and 15,000 of them take a while to build.
    """

    def __init__(
        self,
        cramps: Iterable[Cramp] = (),
        nights: dict[date, Night] | None = None,
        kept: dict[str, Any] | None = None,
        *,
        tables: dict[str, Any] | None = None,
    ) -> None:
        self._tables = tables
        if tables is None:
            self.__dict__["cramps"] = tuple(cramps)
            self.__dict__["nights"] = dict(nights or {})
            self.__dict__["kept"] = dict(kept or {})

    def _table(self, name: str) -> tuple[tuple[str, ...], list[Any]]:
        keys, _, rows = (self._tables or {}).get(name, EMPTY_TABLE)
        return keys, rows

    @cached_property
    def cramps(self) -> tuple[Cramp, ...]:
        """Every entry, in stored order."""
        return tuple(cramps_from_rows(*self._table(CRAMPS)))

    @cached_property
    def nights(self) -> dict[date, Night]:
        """Every night record, by night."""
        return {n.night: n for n in map(night_from_stored, records_of(*self._table(NIGHTS)))}

    @cached_property
    def kept(self) -> dict[str, Any]:
        """The values the app keeps in the diary, by key."""
        return {doc["key"]: doc.get("value") for doc in records_of(*self._table(KEPT_VALUES))}

    def entry_count(self) -> int:
        """How many entries the diary holds (cramps and not-a-cramp entries), without building them."""
        return len(self._table(CRAMPS)[1])

    def newest(self, count: int) -> list[Cramp]:
        """The ``count`` newest entries, newest first, building only those (the first page of the
        diary, on screen before the other 15,000 are built)."""
        if "cramps" in self.__dict__:
            return sorted(self.cramps, key=_STARTED, reverse=True)[:count]
        keys, rows = self._table(CRAMPS)
        return cramps_from_rows(keys, newest_rows(keys, rows, count))

    def kept_value(self, key: str, default: Any = None) -> Any:
        """A value the app keeps in the diary, as it was at the read."""
        return self.kept.get(key, default)

    def ticks_by_night(self) -> dict[date, tuple[str, ...]]:
        """The checklist ticks of every night that has any."""
        return {night.night: night.ticks for night in self.nights.values() if night.ticks}


class Diary:
    """The user's diary file."""

    def __init__(self, folder: Path, keep_head: bool = True):
        """``keep_head``: keep the newest entries beside the diary (see :meth:`first_page`), which only
        the diary screen reads; a command in the shell leaves that to the app's next read."""
        self.path = folder / DIARY_FILE
        self._db = TinyDB(
            self.path,
            storage=SafeJSONStorage,
            load_hook=lambda data, trusted: migrate(data, self.path, check=not trusted),
            write_hook=stamp_version,
            check_record=check_added_record,
            is_current=is_current,
            keep_beside=self._keep_head if keep_head else None,
        )
        self.storage: SafeJSONStorage = self._db.storage  # type: ignore[assignment]
        self.head_path = self.path.with_name(self.path.name + ".head")
        self.storage.remove_leftover_temp_files()

    def check(self) -> None:
        """Read the whole file once: raises ``StorageError`` if it is not a diary this version can use."""
        self.storage.load()

    # -- reading ------------------------------------------------------------------------------
    def _raw(self) -> dict[str, Any]:
        return self.storage.read() or {}

    def _tables(self) -> dict[str, Any]:
        """Every table, packed (see ``storage.pack``): the quick way to read records without changing them."""
        packed = self.storage.read_packed()
        return packed["tables"] if packed is not None else {}

    def _records(self, table: str) -> Iterator[dict[str, Any]]:
        keys, _, rows = self._tables().get(table, EMPTY_TABLE)
        return records_of(keys, rows)

    def cramps(self, newest_first: bool = True) -> list[Cramp]:
        """Every cramp, newest first (or in stored order, which is cheaper, when order does not matter)."""
        keys, _, rows = self._tables().get(CRAMPS, EMPTY_TABLE)
        cramps = cramps_from_rows(keys, rows)
        if newest_first:
            cramps.sort(key=lambda cramp: cramp.started_at, reverse=True)
        return cramps

    def get_cramp(self, cramp_id: str) -> Cramp:
        """The cramp with ``cramp_id``."""
        for doc in self._records(CRAMPS):
            if doc.get("id") == cramp_id:
                return cramp_from_stored(doc)
        raise KeyError(cramp_id)

    def nights(self) -> dict[date, Night]:
        """Every night record, by night."""
        return {night.night: night for night in map(night_from_stored, self._records(NIGHTS))}

    def night(self, night: date) -> Night:
        """The record of one night (an empty one if none was kept)."""
        return self.nights().get(night, Night(night=night))

    def first_page(self, count: int) -> tuple[list[Cramp], int] | None:
        """The ``count`` newest entries, newest first, and how many the diary holds, from the head kept
        beside it and the journal (a few kilobytes: at once, where reading all of a large diary takes
        a while). ``None`` when they cannot say: ``count`` is more than the head keeps, or the head is
        missing, torn or another file's (the diary was written since), or the journal is unreadable.
        The count can be one high for a moment in a rare case (a journal line repeating an entry
        older than the head); the full read that follows has it right."""
        if count > HEAD_ROWS:
            return None
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        identity = file_identity(info)
        head = read_cache(self.head_path, identity, HEAD_FILE_LIMIT)
        if not (isinstance(head, tuple) and len(head) == 3):
            if cache_is_current(header_of(self.head_path), identity):  # torn under a good first line:
                self._drop_head()  # gone, so the next read keeps a good one
            return None
        keys, rows, entries = head
        if type(keys) is not tuple or not all(type(key) is str for key in keys) or type(rows) is not list or type(entries) is not int:
            self._drop_head()
            return None
        try:
            return self._page_with_journal(identity, keys, rows, entries, count)
        except Exception:  # noqa: BLE001 - the head is only a shortcut: anything wrong with it means the full read
            self._drop_head()
            return None

    def _drop_head(self) -> None:
        """Remove a head that cannot be used, so the next read keeps a good one (best effort)."""
        try:
            os.unlink(self.head_path)
        except OSError:
            pass

    def _page_with_journal(self, identity: str, keys: tuple[str, ...], rows: list[Any], entries: int, count: int) -> tuple[list[Cramp], int] | None:
        journal = self.storage.journal_records(identity)
        if journal is None:
            return None
        if journal:  # cramps saved since the file was written (a relief run, ``log``): usually the newest
            where = keys.index("id") if "id" in keys else None
            known = {row[where] if type(row) is tuple and where is not None else row.get("id") for row in rows if type(row) in (tuple, dict)}
            added = []
            for table, doc in journal:
                if table == CRAMPS and doc.get("id") not in known:
                    known.add(doc.get("id"))
                    added.append(doc)
            rows, entries = newest_rows(keys, [*rows, *added], count), entries + len(added)
        return cramps_from_rows(keys, rows[:count]), entries

    def _keep_head(self, identity: str, packed: Any) -> None:
        """Keep the newest entries beside the diary, for :meth:`first_page` (best effort: without a
        current head the first page is read from the diary itself). Told of every read too: a head
        already kept for this very file is left as it is."""
        if cache_is_current(header_of(self.head_path), identity):
            return
        keys, _, rows = packed["tables"].get(CRAMPS, EMPTY_TABLE)
        try:
            head = (tuple(keys), newest_rows(keys, rows, HEAD_ROWS), len(rows))
        except (ValueError, TypeError, KeyError, IndexError):  # a row this version would not have cached
            return
        write_cache(self.head_path, identity, head)

    def snapshot(self) -> DiarySnapshot:
        """Cramps, nights and kept values from one read of the file."""
        return DiarySnapshot(tables=self._tables())

    def signature(self) -> tuple[int, ...] | None:
        """Changes whenever any process writes the diary or adds to its journal (for cheap polling)."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        try:
            journal = os.stat(self.storage.journal_path)
        except OSError:
            return (stat.st_mtime_ns, stat.st_size)
        return (stat.st_mtime_ns, stat.st_size, journal.st_mtime_ns, journal.st_size)

    # -- writing ------------------------------------------------------------------------------
    def _table(self, name: str) -> Table:
        # A fresh table each time: no cached ids or queries that another process could make stale.
        return Table(self.storage, name, cache_size=0)

    def add_cramp(self, cramp: Cramp) -> Cramp:
        """Save a new cramp: appended to the journal when the file is known good (quick at any size),
        else written into the file. Saving a cramp already saved (same id: a retry) adds nothing."""
        with self.storage.transaction():
            if self.storage.append(CRAMPS, cramp.to_dict()):
                return cramp
            if any(doc.get("id") == cramp.id for doc in self._raw().get(CRAMPS, {}).values()):
                return cramp
            self._table(CRAMPS).insert(cramp.to_dict())
        return cramp

    def update_cramp(self, cramp: Cramp, expected: Cramp | None = None) -> Cramp:
        """Replace a saved cramp (same id) with an edited one.

        With ``expected`` (the entry as it was when the edit began), refuse with
        :class:`EditConflictError` if the diary now holds something else, so no edit made elsewhere
        is silently overwritten.
        """
        with self.storage.transaction():
            if expected is not None:
                try:
                    current: Cramp | None = self.get_cramp(cramp.id)
                except KeyError:
                    current = None
                if current != expected:
                    raise EditConflictError(cramp.id, current)
            if not self._table(CRAMPS).update(cramp.to_dict(), Query().id == cramp.id):
                raise KeyError(cramp.id)
        return cramp

    def readd_cramp(self, cramp: Cramp) -> Cramp:
        """Add back a cramp that was deleted elsewhere while it was being edited (the person chose to
        keep their version). Refused with :class:`EditConflictError` if it has come back since (an
        undo in another window), so that version is not overwritten unseen either."""
        with self.storage.transaction():
            try:
                current = self.get_cramp(cramp.id)
            except KeyError:
                self._table(CRAMPS).insert(cramp.to_dict())
                return cramp
        raise EditConflictError(cramp.id, current)

    def delete_cramp(self, cramp_id: str) -> Cramp:
        """Remove a cramp; returns it so it can be put back (undo)."""
        with self.storage.transaction():
            cramp = self.get_cramp(cramp_id)
            self._table(CRAMPS).remove(Query().id == cramp_id)
        return cramp

    def save_night(self, night: Night) -> Night:
        """Save (add or replace) the record of one night."""
        with self.storage.transaction():
            self._table(NIGHTS).upsert(night.to_dict(), Query().night == night.night.isoformat())
        return night

    def mark_no_cramps(self, night: date) -> int:
        """Keep ``night`` as a recorded night with no cramps (its record saved as it is, ticks and
        all), in one locked write; refused (nothing written) when the diary holds cramps for it.
        Returns how many cramps that night has (0 when it was saved)."""
        with self.storage.transaction():
            found = sum(1 for cramp in self.cramps(newest_first=False) if cramp.night == night and cramp.is_cramp)
            if not found:
                self.save_night(self.night(night))
        return found

    def set_tick(self, night: date, item_id: str, done: bool = True) -> Night:
        """Tick (or untick) one checklist item for one night, saved at once."""
        with self.storage.transaction():
            current = self.night(night)
            ticks = [t for t in current.ticks if t != item_id] + ([item_id] if done else [])
            saved = Night(night, current.sleep_quality, current.times_woken, current.note, tuple(ticks))
            self._table(NIGHTS).upsert(saved.to_dict(), Query().night == night.isoformat())
        return saved

    def ticks_by_night(self) -> dict[date, tuple[str, ...]]:
        """The checklist ticks of every night that has any."""
        return {night.night: night.ticks for night in self.nights().values() if night.ticks}

    def kept_value(self, key: str, default: Any = None) -> Any:
        """A value the app keeps in the diary (checklist changes, the stretching trial)."""
        for doc in self._records(KEPT_VALUES):
            if doc.get("key") == key:
                return doc.get("value", default)
        return default

    def keep_value(self, key: str, value: Any) -> None:
        """Keep a value in the diary (JSON-friendly)."""
        self.keep_values({key: value})

    def keep_values(self, values: dict[str, Any]) -> None:
        """Keep several values in the diary in one write."""
        with self.storage.transaction():
            table = self._table(KEPT_VALUES)
            for key, value in values.items():
                table.upsert({"key": key, "value": value}, Query().key == key)

    def import_records(self, new_cramps: Sequence[Cramp | dict[str, Any]], new_nights: Sequence[Night] = ()) -> ImportResult:
        """Add validated records in one write; ones already present (same id, same night) are skipped.

        A cramp may be given in its stored form (``models.stored_cramp``: an import of thousands
        never builds them), or as a Cramp.
        """
        conflicts: list[str] = []
        with self.storage.transaction():
            raw = self._raw()
            known_cramps: dict[str, dict[str, Any]] = {doc["id"]: doc for doc in raw.get(CRAMPS, {}).values()}
            known_nights = {doc["night"]: night_from_stored(doc) for doc in raw.get(NIGHTS, {}).values()}
            cramp_docs: list[dict[str, Any]] = []
            cramps_skipped = 0
            for cramp in new_cramps:
                doc = cramp.to_dict() if isinstance(cramp, Cramp) else cramp
                known = known_cramps.get(doc["id"])
                if known is None:
                    known_cramps[doc["id"]] = doc
                    cramp_docs.append(doc)
                elif known == doc or cramp_from_stored(known) == cramp_from_stored(doc):
                    cramps_skipped += 1
                else:
                    conflicts.append(f"cramp {doc['id']}")
            night_docs, nights_skipped = [], 0
            for night in new_nights:
                key = night.night.isoformat()
                known_night = known_nights.get(key)
                if known_night is None:
                    known_nights[key] = night
                    night_docs.append(night.to_dict())
                elif known_night == night:
                    nights_skipped += 1
                else:
                    conflicts.append(f"night {key}")
            if cramp_docs or night_docs:
                self._insert_many(raw, CRAMPS, cramp_docs)
                self._insert_many(raw, NIGHTS, night_docs)
                self.storage.write(raw)
        return ImportResult(
            cramps_added=len(cramp_docs),
            cramps_skipped=cramps_skipped,
            nights_added=len(night_docs),
            nights_skipped=nights_skipped,
            conflicts=tuple(conflicts),
        )

    @staticmethod
    def _insert_many(raw: dict[str, Any], table: str, docs: list[dict[str, Any]]) -> None:
        # TinyDB's own layout (string doc ids counting up), written in the one atomic write.
        records = raw.setdefault(table, {})
        next_id = max((int(key) for key in records), default=0) + 1
        for offset, doc in enumerate(docs):
            records[str(next_id + offset)] = doc

    # -- a file that is not a diary ---------------------------------------------------------------
    @staticmethod
    def move_aside(folder: Path, now: datetime | None = None) -> Path:
        """Rename an unusable diary to a timestamped name so a fresh one can start; returns the new path."""
        moment = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
        source = folder / DIARY_FILE
        target = folder / f"diary.unreadable-{moment}.json"
        counter = 1
        while target.exists():
            counter += 1
            target = folder / f"diary.unreadable-{moment}-{counter}.json"
        os.replace(source, target)
        return target
