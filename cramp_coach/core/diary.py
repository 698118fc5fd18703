"""The diary repository: cramps and nights in one TinyDB file, with schema versions and migrations.

Screens and commands call this; none of them touch TinyDB or files. Every write takes the writer
lock, re-reads the file and writes it back atomically (see ``storage``), so two app windows and a
``cramp-coach log`` can run at once without losing an entry.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Table

from cramp_coach.core.models import SCHEMA_VERSION, Cramp, Night
from cramp_coach.core.storage import CorruptFileError, SafeJSONStorage, StorageError

DIARY_FILE = "diary.json"
CRAMPS = "cramps"
NIGHTS = "nights"
META = "meta"
SETTINGS = "settings"


class DiaryTooNewError(StorageError):
    """The diary was written by a newer cramp_coach."""


def migrate(data: dict[str, Any], path: Path = Path(DIARY_FILE)) -> dict[str, Any]:
    """Check a loaded diary and bring it up to ``SCHEMA_VERSION``.

    Version 1 cramps had no ``routine`` and nights no ``ticks``; version 2 adds both.
    """
    for table in (CRAMPS, NIGHTS, META, SETTINGS):
        if table in data and not (
            isinstance(data[table], dict) and all(isinstance(doc, dict) for doc in data[table].values())
        ):
            raise CorruptFileError(path, f"is not a cramp_coach diary (its '{table}' is not a table of records)")
    meta = data.get(META) or {}
    version = next((doc.get("schema_version") for doc in meta.values() if "schema_version" in doc), None)
    if version is None:
        version = 1 if data.get(CRAMPS) or data.get(NIGHTS) else SCHEMA_VERSION
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
    data[META] = {"1": {"schema_version": SCHEMA_VERSION}}
    return data


def stamp_version(data: dict[str, Any]) -> dict[str, Any]:
    """Mark a diary about to be written with the schema version it now follows."""
    data[META] = {"1": {"schema_version": SCHEMA_VERSION}}
    return data


def cramp_from_stored(doc: dict[str, Any]) -> Cramp:
    """Rebuild a cramp the store itself wrote (validated on the way in), quickly."""
    return Cramp(
        id=doc["id"],
        started_at=datetime.fromisoformat(doc["started_at"]),
        muscle=doc["muscle"],
        leg=doc.get("leg"),
        intensity=doc.get("intensity"),
        duration_s=doc.get("duration_s"),
        ended_by=doc.get("ended_by"),
        routine=doc.get("routine"),
        tags=tuple(doc.get("tags") or ()),
        note=doc.get("note") or "",
        triage=tuple(doc.get("triage") or ()),
    )


def night_from_stored(doc: dict[str, Any]) -> Night:
    """Rebuild a night the store itself wrote."""
    return Night(
        night=date.fromisoformat(doc["night"]),
        sleep_quality=doc.get("sleep_quality"),
        times_woken=doc.get("times_woken"),
        note=doc.get("note") or "",
        ticks=tuple(doc.get("ticks") or ()),
    )


@dataclass(frozen=True)
class ImportResult:
    """What an import added and what it found already there."""

    cramps_added: int
    cramps_skipped: int
    nights_added: int
    nights_skipped: int


class Diary:
    """The user's diary file."""

    def __init__(self, folder: Path):
        self.path = folder / DIARY_FILE
        self._db = TinyDB(
            self.path,
            storage=SafeJSONStorage,
            load_hook=lambda data: migrate(data, self.path),
            write_hook=stamp_version,
        )
        self.storage: SafeJSONStorage = self._db.storage  # type: ignore[assignment]
        self.storage.remove_leftover_temp_files()

    def check(self) -> None:
        """Read the whole file once: raises ``StorageError`` if it is not a diary this version can use."""
        self.storage.load()

    # -- reading ------------------------------------------------------------------------------
    def _raw(self) -> dict[str, Any]:
        return self.storage.read() or {}

    def cramps(self, newest_first: bool = True) -> list[Cramp]:
        """Every cramp, newest first (or in stored order, which is cheaper, when order does not matter)."""
        cramps = [cramp_from_stored(doc) for doc in self._raw().get(CRAMPS, {}).values()]
        if newest_first:
            cramps.sort(key=lambda cramp: cramp.started_at, reverse=True)
        return cramps

    def get_cramp(self, cramp_id: str) -> Cramp:
        """The cramp with ``cramp_id``."""
        for doc in self._raw().get(CRAMPS, {}).values():
            if doc.get("id") == cramp_id:
                return cramp_from_stored(doc)
        raise KeyError(cramp_id)

    def nights(self) -> dict[date, Night]:
        """Every night record, by night."""
        return {night.night: night for night in map(night_from_stored, self._raw().get(NIGHTS, {}).values())}

    def night(self, night: date) -> Night:
        """The record of one night (an empty one if none was kept)."""
        return self.nights().get(night, Night(night=night))

    def signature(self) -> tuple[int, int] | None:
        """Changes whenever any process writes the diary (for cheap polling)."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    # -- writing ------------------------------------------------------------------------------
    def _table(self, name: str) -> Table:
        # A fresh table each time: no cached ids or queries that another process could make stale.
        return Table(self.storage, name, cache_size=0)

    def add_cramp(self, cramp: Cramp) -> Cramp:
        """Save a new cramp."""
        with self.storage.transaction():
            if any(doc.get("id") == cramp.id for doc in self._raw().get(CRAMPS, {}).values()):
                raise ValueError(f"a cramp with id {cramp.id} is already in the diary")
            self._table(CRAMPS).insert(cramp.to_dict())
        return cramp

    def update_cramp(self, cramp: Cramp) -> Cramp:
        """Replace a saved cramp (same id) with an edited one."""
        with self.storage.transaction():
            if not self._table(CRAMPS).update(cramp.to_dict(), Query().id == cramp.id):
                raise KeyError(cramp.id)
        return cramp

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

    def setting(self, key: str, default: Any = None) -> Any:
        """A value the app keeps in the diary (checklist changes, the stretching trial)."""
        for doc in self._raw().get(SETTINGS, {}).values():
            if doc.get("key") == key:
                return doc.get("value", default)
        return default

    def save_setting(self, key: str, value: Any) -> None:
        """Keep a value in the diary (JSON-friendly)."""
        with self.storage.transaction():
            self._table(SETTINGS).upsert({"key": key, "value": value}, Query().key == key)

    def import_records(self, new_cramps: Sequence[Cramp], new_nights: Sequence[Night] = ()) -> ImportResult:
        """Add validated records in one write; ones already present (same id, same night) are skipped."""
        with self.storage.transaction():
            raw = self._raw()
            known_ids = {doc.get("id") for doc in raw.get(CRAMPS, {}).values()}
            known_nights = {doc.get("night") for doc in raw.get(NIGHTS, {}).values()}
            cramp_docs, seen = [], set(known_ids)
            for cramp in new_cramps:
                if cramp.id not in seen:
                    seen.add(cramp.id)
                    cramp_docs.append(cramp.to_dict())
            night_docs, seen_nights = [], set(known_nights)
            for night in new_nights:
                key = night.night.isoformat()
                if key not in seen_nights:
                    seen_nights.add(key)
                    night_docs.append(night.to_dict())
            if cramp_docs or night_docs:
                self._insert_many(raw, CRAMPS, cramp_docs)
                self._insert_many(raw, NIGHTS, night_docs)
                self.storage.write(raw)
        return ImportResult(
            cramps_added=len(cramp_docs),
            cramps_skipped=len(new_cramps) - len(cramp_docs),
            nights_added=len(night_docs),
            nights_skipped=len(new_nights) - len(night_docs),
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
