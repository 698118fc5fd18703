"""What the diary records (cramps and nights), and the one validation layer at the store boundary.

Every way in (the screens, ``cramp-coach log``, ``cramp-coach import``) turns its input into these
dataclasses through ``cramp_from_dict`` / ``night_from_dict``; a bad value raises
:class:`ValidationError` naming the field and what is allowed.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import repeat
from typing import Any

from cramp_coach.core.record import field, record, replace
from cramp_coach.core.text import clean_text, one_line

SCHEMA_VERSION = 2
LEGS = ("left", "right", "both")
RELIEF_MUSCLES = ("calf", "foot", "hamstring", "quadriceps")
DIARY_MUSCLES = (*RELIEF_MUSCLES, "other")
ON_ITS_OWN = "on its own"
COMMON_TAGS = (
    "hard exercise",
    "long sitting",
    "alcohol",
    "caffeine",
    "new medicine",
    "pregnancy",
    "dehydration",
)
# Entries logged after the "is this a cramp?" questions said it was something else: kept in the
# diary (worth mentioning to a clinician) but never counted as cramps.
RESTLESS_TAG = "restless legs?"
NOT_TYPICAL_TAG = "not a typical cramp"
NOT_A_CRAMP_TAGS = (RESTLESS_TAG, NOT_TYPICAL_TAG)
_NOT_A_CRAMP = frozenset(NOT_A_CRAMP_TAGS)
MIN_STEP_SECONDS = 5
MAX_STEP_SECONDS = 600
MAX_NOTE = 2000
MAX_TAG = 40
MAX_TAGS = 30
MAX_SHORT_TEXT = 80  # ended_by, routine, one triage answer
MAX_ID = 64
FIRST_YEAR, LAST_YEAR = 1900, 2200  # start times outside these years are typing mistakes
_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
NIGHT_TURNS_AT_HOUR = 12  # events before noon belong to the previous evening's night


class ValidationError(ValueError):
    """A value the diary cannot accept, with the field it belongs to."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


def local_now() -> datetime:
    """The local time, with its UTC offset."""
    return datetime.now().astimezone()


def night_of(moment: datetime) -> date:
    """The night a moment belongs to, named by the evening it began."""
    day = moment.date()
    return day - timedelta(days=1) if moment.hour < NIGHT_TURNS_AT_HOUR else day


_NIGHT_SHIFT = timedelta(hours=NIGHT_TURNS_AT_HOUR)


def nights_of(moments: Iterable[datetime]) -> list[date]:
    """:func:`night_of` of many moments at once: the date of each moment, ``NIGHT_TURNS_AT_HOUR``
    hours earlier on its own clock (the same thing, worked out in C for thousands of moments)."""
    return list(map(datetime.date, map(operator.sub, moments, repeat(_NIGHT_SHIFT))))


def new_id() -> str:
    """A fresh, unique entry id."""
    return os.urandom(6).hex()  # 48 random bits, as uuid4().hex[:12] gave, without importing uuid


@record
class Cramp:
    """One cramp in the diary."""

    started_at: datetime
    muscle: str
    leg: str | None = None
    intensity: int | None = None
    duration_s: int | None = None
    ended_by: str | None = None
    routine: str | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    id: str = field(default_factory=new_id)
    triage: tuple[str, ...] = ()  # answers to "is this a cramp?", when it was asked

    @property
    def is_cramp(self) -> bool:
        """False for an entry the questions said was not a typical cramp (restless legs, ...)."""
        return not self.tags or _NOT_A_CRAMP.isdisjoint(self.tags)

    @cached_property
    def night(self) -> date:
        """The night this cramp belongs to (worked out once: statistics ask for it often)."""
        return night_of(self.started_at)

    def to_dict(self) -> dict[str, Any]:
        """The stored form (JSON-friendly), written out by hand: it is on the export and import paths."""
        return {
            "started_at": self.started_at.isoformat(),
            "muscle": self.muscle,
            "leg": self.leg,
            "intensity": self.intensity,
            "duration_s": self.duration_s,
            "ended_by": self.ended_by,
            "routine": self.routine,
            "tags": list(self.tags),
            "note": self.note,
            "id": self.id,
            "triage": list(self.triage),
            "night": (self.__dict__.get("night") or night_of(self.started_at)).isoformat(),
            "v": SCHEMA_VERSION,
        }

    def with_changes(self, **changes: Any) -> Cramp:
        """A copy with some fields changed, validated again."""
        return cramp_from_dict(replace(self, **changes).to_dict())


@record
class Night:
    """How a night went, with the bedtime checklist ticks of that night."""

    night: date
    sleep_quality: int | None = None
    times_woken: int | None = None
    note: str = ""
    ticks: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The stored form (JSON-friendly)."""
        return {
            "night": self.night.isoformat(),
            "sleep_quality": self.sleep_quality,
            "times_woken": self.times_woken,
            "note": self.note,
            "ticks": list(self.ticks),
            "v": SCHEMA_VERSION,
        }


def _shown(value: Any) -> str:
    """A value quoted in an error message: short, and with no control codes."""
    text = repr(value)
    return one_line(text if len(text) <= 60 else text[:59] + "…")


_WANTED_MOMENT = f"must be an ISO date and time like 2026-11-25T03:10 (years {FIRST_YEAR} to {LAST_YEAR})"
_ONE_MINUTE = timedelta(minutes=1)
_YEAR, _TZINFO = operator.attrgetter("year"), operator.attrgetter("tzinfo")


def parse_moment(value: Any, field_name: str = "started_at") -> datetime:
    """An ISO date-time with a UTC offset; a naive time is taken as local time."""
    wanted = _WANTED_MOMENT
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip() and len(value) <= 64:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field_name, f"{wanted}, got {_shown(value)}") from None
    else:
        raise ValidationError(field_name, f"{wanted}, got {_shown(value)}")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValidationError(field_name, f"{wanted}, got {_shown(value)}")
    try:
        return moment if moment.tzinfo is not None else moment.astimezone()
    except (OverflowError, OSError, ValueError):
        raise ValidationError(field_name, f"{wanted}, got {_shown(value)}") from None


def parse_day(value: Any, field_name: str) -> date:
    """An ISO date (YYYY-MM-DD)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        if not isinstance(value, str) or len(value) > 32:
            raise ValueError
        day = date.fromisoformat(value.strip())
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError
        return day
    except ValueError:
        raise ValidationError(field_name, f"must be a date like 2026-11-25 (years {FIRST_YEAR} to {LAST_YEAR}), got {_shown(value)}") from None


# A whole number as text: ASCII digits, a sign, and a fraction of zeros (a spreadsheet's "5.0").
_WHOLE_TEXT = re.compile(r"([+-]?[0-9]+)(?:\.0*)?")


def _whole(value: Any, field_name: str, low: int, high: int | None, allow_none: bool = True, unit: str = "") -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError(field_name, "is required")
    if type(value) is int or (type(value) is str and value.isascii() and value.isdigit() and len(value) < 10):
        number = int(value)  # the common case, checked quickly (imports of 15,000 records)
        if number < low or (high is not None and number > high):
            span = f"from {low} to {high}" if high is not None else f"of {low} or more"
            raise ValidationError(field_name, f"must be {span}{' ' + unit if unit else ''}, got {number}")
        return number
    if isinstance(value, bool):
        raise ValidationError(field_name, f"must be a whole number, got {_shown(value)}")
    try:
        if isinstance(value, str):  # ASCII digits only, read exactly (no float: no ٥, 1e3 or rounding)
            match = _WHOLE_TEXT.fullmatch(value.strip()) if len(value) <= 32 else None
            if match is None:
                raise ValueError
            number = int(match.group(1))
        elif isinstance(value, (int, float)) and value == int(value):
            number = int(value)
        else:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        span = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise ValidationError(field_name, f"must be a whole number {span}{' ' + unit if unit else ''}, got {_shown(value)}") from None
    if number < low or (high is not None and number > high):
        span = f"from {low} to {high}" if high is not None else f"of {low} or more"
        shown = _shown(value.strip()) if isinstance(value, str) else _shown(number) if abs(number) >= 10**12 else str(number)
        raise ValidationError(field_name, f"must be {span}{' ' + unit if unit else ''}, got {shown}")
    return number


def _choice(value: Any, field_name: str, allowed: tuple[str, ...], allow_none: bool) -> str | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError(field_name, f"is required: one of {', '.join(allowed)}")
    if value in allowed:
        return value  # type: ignore[no-any-return]
    text = value.strip().lower() if isinstance(value, str) else None
    if text not in allowed:
        raise ValidationError(field_name, f"must be one of {', '.join(allowed)}, got {_shown(value)}")
    return text


def _text(value: Any, field_name: str, limit: int) -> str:
    """Text as stored: control codes removed (see ``core.text``), trimmed, and no longer than ``limit``."""
    if not value:
        if value is None or value == "":
            return ""
        raise ValidationError(field_name, f"must be text, got {_shown(value)}")
    if not isinstance(value, str):
        raise ValidationError(field_name, f"must be text, got {_shown(value)}")
    text = (value if value.isprintable() else clean_text(value)).strip()
    if len(text) > limit:
        raise ValidationError(field_name, f"must be at most {limit} characters, got {len(text)}")
    return text


# A CSV export joins tags with ";", and the entry form splits what is typed at ",": neither may be
# inside a tag, or the tag would come back as two.
TAG_SEPARATORS_RULE = "must not hold ',' or ';' (they separate tags: give each tag on its own)"


def _one_line_id(value: Any, field_name: str, what: str) -> str | None:
    """A step or routine id as the routine files allow one (``content.id_field``): one line of at most
    ``MAX_SHORT_TEXT`` characters, control codes removed. Whether the library still has it is not
    asked: routines change, and an entry keeps the step that ended it."""
    text = _text(value, field_name, MAX_SHORT_TEXT)
    if "\n" in text or "\t" in text:
        raise ValidationError(field_name, f"must be {what}: one line of at most {MAX_SHORT_TEXT} characters, got {_shown(value)}")
    return text or None


def _tags(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part for part in value.replace(",", ";").split(";")]
    if not isinstance(value, (list, tuple)):
        raise ValidationError("tags", f"must be a list of short texts, got {_shown(value)}")
    if len(value) > MAX_TAGS:
        raise ValidationError("tags", f"must be at most {MAX_TAGS} tags, got {len(value)}")
    tags: list[str] = []
    for raw in value:
        tag = _text(raw, "tags", MAX_TAG).lower()
        if "," in tag or ";" in tag:
            raise ValidationError("tags", f"{TAG_SEPARATORS_RULE}, got {_shown(tag)}")
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _checked_cramp(data: dict[str, Any], now: datetime | None) -> dict[str, Any]:
    """Every field of a cramp from any source, checked, by field name (``now`` forbids the future)."""
    if not isinstance(data, dict):
        raise ValidationError("cramp", f"must be a record of fields, got {type(data).__name__}")
    started_at = parse_moment(data.get("started_at"))
    if now is not None and started_at > now + _ONE_MINUTE:
        raise ValidationError("started_at", f"is in the future ({started_at.isoformat(timespec='minutes')}); give a time that has passed")
    cramp_id = data.get("id") or new_id()
    if not isinstance(cramp_id, str) or not _ID_PATTERN.fullmatch(cramp_id.strip()):
        raise ValidationError("id", f"must be 1 to {MAX_ID} letters, digits or . _ : -, got {_shown(cramp_id)}")
    fields: dict[str, Any] = {"started_at": started_at}
    for name, check in _FIELD_CHECKS:
        fields[name] = check(data.get(name))
    fields["id"] = cramp_id.strip()
    fields["triage"] = fields.pop("triage")  # the stored order: ... note, id, triage
    return fields


def cramp_from_dict(data: dict[str, Any], *, now: datetime | None = None) -> Cramp:
    """Validate a cramp from any source; ``now`` forbids start times in the future."""
    # Every field is checked: set them directly (a frozen dataclass's __init__ sets each through
    # object.__setattr__, which an import of 15,000 records feels).
    cramp = object.__new__(Cramp)
    cramp.__dict__.update(_checked_cramp(data, now))
    return cramp


def stored_cramp(data: dict[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """Validate a cramp from any source straight into its stored form (what ``Cramp.to_dict`` gives,
    in the same order), without building the Cramp: the import path, 15,000 records at a time."""
    fields = _checked_cramp(data, now)
    started_at: datetime = fields["started_at"]
    fields["started_at"] = started_at.isoformat()
    fields["tags"] = list(fields["tags"])
    fields["triage"] = list(fields["triage"])
    fields["night"] = night_of(started_at).isoformat()
    fields["v"] = SCHEMA_VERSION
    return fields


# How each field of a cramp is checked, by itself (started_at and id are checked with the record):
# shared by the record-by-record checks and the column-by-column ones below.
_FIELD_CHECKS: tuple[tuple[str, Any], ...] = (
    ("muscle", lambda value: _choice(value, "muscle", DIARY_MUSCLES, allow_none=False)),
    ("leg", lambda value: _choice(value, "leg", LEGS, allow_none=True)),
    ("intensity", lambda value: _whole(value, "intensity", 0, 10)),
    ("duration_s", lambda value: _whole(value, "duration_s", 0, 24 * 3600, unit="seconds")),
    ("ended_by", lambda value: _one_line_id(value, "ended_by", f"a relief step id or '{ON_ITS_OWN}'")),
    ("routine", lambda value: _one_line_id(value, "routine", "a routine id")),
    ("tags", lambda value: _tags(value)),
    ("note", lambda value: _text(value, "note", MAX_NOTE)),
    ("triage", lambda value: _triage(value)),
)


def _checked_column(values: list[str], check: Any, restore: Any) -> list[Any]:
    """``check`` of every value, each distinct value checked once (``restore`` first, if given)."""
    checked = {value: check(restore(value) if restore is not None else value) for value in set(values)}
    return list(map(checked.__getitem__, values))


def stored_cramps_from_columns(
    columns: dict[str, list[str]], count: int, *, now: datetime | None = None, restore: Any = None
) -> list[dict[str, Any]] | None:
    """Many cramps, given as columns of text (a CSV file's), checked into their stored form.

    An export repeats the same few muscles, legs, tags, steps and notes thousands of times, so each
    distinct value of a column is checked once. Gives exactly what :func:`stored_cramp` gives for
    each record, or ``None`` when any value is not valid (or a column is not all text): the caller
    then checks record by record, for messages that name each record. ``restore`` turns a cell back
    into the value it stands for (a spreadsheet-safe cell), before it is checked.
    """
    blank = [""] * count
    column = {name: columns.get(name, blank) for name in ("started_at", "id", *(name for name, _ in _FIELD_CHECKS))}
    if any(len(values) != count or not set(map(type, values)) <= {str} for values in column.values()):
        return None
    try:
        restored = {name: _checked_column(values, lambda v: v, restore) for name, values in column.items()
                    if restore is not None and "\x00'" in "\x00".join(["", *values])}  # a cell starts with '?
        column.update(restored)
        moments = _moments(column["started_at"])
        if now is not None and moments and max(moments) > now + _ONE_MINUTE:
            return None
        ids = list(map(str.strip, column["id"]))
        if "" in ids:
            ids = [value.strip() if value else new_id() for value in column["id"]]
        if not all(map(_ID_PATTERN.fullmatch, ids)):
            return None
        checked = {name: _checked_column(column[name], check, None) for name, check in _FIELD_CHECKS}
    except Exception:  # any fault: the record-by-record checks name it
        return None
    version = SCHEMA_VERSION
    return [
        {
            "started_at": started_at, "muscle": muscle, "leg": leg, "intensity": intensity,
            "duration_s": duration, "ended_by": ended_by, "routine": routine, "tags": list(tags), "note": note,
            "id": cramp_id, "triage": list(triage), "night": night, "v": version,
        }
        for started_at, muscle, leg, intensity, duration, ended_by, routine, tags, note, cramp_id, triage, night in zip(
            map(datetime.isoformat, moments),
            *(checked[name] for name in ("muscle", "leg", "intensity", "duration_s", "ended_by", "routine", "tags", "note")),
            ids, checked["triage"], map(date.isoformat, nights_of(moments)), strict=True,
        )
    ]


def _moments(values: list[str]) -> list[datetime]:
    """:func:`parse_moment` of many values: in C when every one is a plain ISO time with its offset
    in the years allowed (an export's), else one by one (raising as it does)."""
    try:
        if values and max(map(len, values)) <= 64:
            moments = list(map(datetime.fromisoformat, values))
            years = set(map(_YEAR, moments))
            if None not in map(_TZINFO, moments) and FIRST_YEAR <= min(years) and max(years) <= LAST_YEAR:
                return moments
    except ValueError:
        pass
    return [parse_moment(value) for value in values]


def _triage(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, (list, tuple)) or len(value) > MAX_TAGS or not all(isinstance(v, str) for v in value):
        raise ValidationError("triage", f"must be a list of answers like 'knot: yes', got {_shown(value)}")
    answers = (clean_text(v).strip()[:MAX_SHORT_TEXT] for v in value)
    return tuple(answer for answer in answers if answer)


def night_from_dict(data: dict[str, Any]) -> Night:
    """Validate a night from any source."""
    if not isinstance(data, dict):
        raise ValidationError("night", f"must be a record of fields, got {type(data).__name__}")
    ticks = data.get("ticks") or []
    if (
        not isinstance(ticks, (list, tuple))
        or len(ticks) > 200
        or not all(isinstance(t, str) and len(t) <= MAX_ID for t in ticks)
    ):
        raise ValidationError("ticks", f"must be a list of checklist item ids, got {_shown(ticks)}")
    return Night(
        night=parse_day(data.get("night"), "night"),
        sleep_quality=_whole(data.get("sleep_quality"), "sleep_quality", 1, 5),
        times_woken=_whole(data.get("times_woken"), "times_woken", 0, 50),
        note=_text(data.get("note"), "note", MAX_NOTE),
        ticks=tuple(dict.fromkeys(clean_text(t).strip() for t in ticks if clean_text(t).strip())),
    )


def validate_records(
    cramps: list[dict[str, Any]], nights: list[dict[str, Any]], now: datetime
) -> tuple[list[Cramp], list[Night]]:
    """Validate many records (an import); the error names the record by its position."""
    valid_cramps, valid_nights = [], []
    for number, stored in enumerate(cramps, start=1):
        try:
            valid_cramps.append(cramp_from_dict(stored, now=now))
        except ValidationError as error:
            raise ValidationError(f"cramp {number}: {error.field}", error.message) from None
    for number, stored in enumerate(nights, start=1):
        try:
            valid_nights.append(night_from_dict(stored))
        except ValidationError as error:
            raise ValidationError(f"night {number}: {error.field}", error.message) from None
    return valid_cramps, valid_nights
