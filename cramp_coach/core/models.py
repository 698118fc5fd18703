"""What the diary records (cramps and nights), and the one validation layer at the store boundary.

Every way in (the screens, ``cramp-coach log``, ``cramp-coach import``) turns its input into these
dataclasses through ``cramp_from_dict`` / ``night_from_dict``; a bad value raises
:class:`ValidationError` naming the field and what is allowed.
"""

from __future__ import annotations

import uuid
from functools import cached_property
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

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
MIN_STEP_SECONDS = 5
MAX_STEP_SECONDS = 600
MAX_NOTE = 2000
MAX_TAG = 40
NIGHT_TURNS_AT_HOUR = 12  # events before noon belong to the previous evening's night


class ValidationError(ValueError):
    """A value the diary cannot accept, with the field it belongs to."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(f"{field_name}: {message}")


def local_now() -> datetime:
    """The local time, with its UTC offset."""
    return datetime.now().astimezone()


def night_of(moment: datetime) -> date:
    """The night a moment belongs to, named by the evening it began."""
    day = moment.date()
    return day - timedelta(days=1) if moment.hour < NIGHT_TURNS_AT_HOUR else day


def new_id() -> str:
    """A fresh, unique entry id."""
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True)
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

    @cached_property
    def night(self) -> date:
        """The night this cramp belongs to (worked out once: statistics ask for it often)."""
        return night_of(self.started_at)

    def to_dict(self) -> dict[str, Any]:
        """The stored form (JSON-friendly)."""
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["night"] = self.night.isoformat()
        data["tags"] = list(self.tags)
        data["triage"] = list(self.triage)
        data["v"] = SCHEMA_VERSION
        return data

    def with_changes(self, **changes: Any) -> Cramp:
        """A copy with some fields changed, validated again."""
        return cramp_from_dict(replace(self, **changes).to_dict())


@dataclass(frozen=True)
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


def parse_moment(value: Any, field_name: str = "started_at") -> datetime:
    """An ISO date-time with a UTC offset; a naive time is taken as local time."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field_name, f"must be an ISO date and time like 2026-11-25T03:10, got {value!r}") from None
    else:
        raise ValidationError(field_name, f"must be an ISO date and time like 2026-11-25T03:10, got {value!r}")
    return moment if moment.tzinfo is not None else moment.astimezone()


def parse_day(value: Any, field_name: str) -> date:
    """An ISO date (YYYY-MM-DD)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(field_name, f"must be a date like 2026-11-25, got {value!r}") from None


def _whole(value: Any, field_name: str, low: int, high: int | None, allow_none: bool = True) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError(field_name, "is required")
    if isinstance(value, bool):
        raise ValidationError(field_name, f"must be a whole number, got {value!r}")
    try:
        number = float(value) if isinstance(value, str) else value
        if not isinstance(number, (int, float)) or number != int(number):
            raise ValueError
        number = int(number)
    except (TypeError, ValueError, OverflowError):
        span = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise ValidationError(field_name, f"must be a whole number {span}, got {value!r}") from None
    if number < low or (high is not None and number > high):
        span = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise ValidationError(field_name, f"must be {span}, got {number}")
    return number


def _choice(value: Any, field_name: str, allowed: tuple[str, ...], allow_none: bool) -> str | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError(field_name, f"is required: one of {', '.join(allowed)}")
    text = str(value).strip().lower()
    if text not in allowed:
        raise ValidationError(field_name, f"must be one of {', '.join(allowed)}, got {value!r}")
    return text


def _text(value: Any, field_name: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field_name, f"must be text, got {value!r}")
    text = value.strip()
    if len(text) > limit:
        raise ValidationError(field_name, f"must be at most {limit} characters, got {len(text)}")
    return text


def _tags(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part for part in value.replace(",", ";").split(";")]
    if not isinstance(value, (list, tuple)):
        raise ValidationError("tags", f"must be a list of short texts, got {value!r}")
    tags: list[str] = []
    for raw in value:
        tag = _text(raw, "tags", MAX_TAG).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def cramp_from_dict(data: dict[str, Any], *, now: datetime | None = None) -> Cramp:
    """Validate a cramp from any source; ``now`` forbids start times in the future."""
    if not isinstance(data, dict):
        raise ValidationError("cramp", f"must be a record of fields, got {type(data).__name__}")
    started_at = parse_moment(data.get("started_at"))
    if now is not None and started_at > now + timedelta(minutes=1):
        raise ValidationError("started_at", f"is in the future ({started_at.isoformat(timespec='minutes')})")
    ended_by = _text(data.get("ended_by"), "ended_by", 80) or None
    cramp_id = data.get("id") or new_id()
    if not isinstance(cramp_id, str) or not cramp_id.strip() or len(cramp_id) > 64:
        raise ValidationError("id", f"must be a short text, got {cramp_id!r}")
    return Cramp(
        id=cramp_id.strip(),
        started_at=started_at,
        muscle=_choice(data.get("muscle"), "muscle", DIARY_MUSCLES, allow_none=False),  # type: ignore[arg-type]
        leg=_choice(data.get("leg"), "leg", LEGS, allow_none=True),
        intensity=_whole(data.get("intensity"), "intensity", 0, 10),
        duration_s=_whole(data.get("duration_s"), "duration_s", 0, 24 * 3600),
        ended_by=ended_by,
        routine=_text(data.get("routine"), "routine", 80) or None,
        tags=_tags(data.get("tags")),
        note=_text(data.get("note"), "note", MAX_NOTE),
        triage=_triage(data.get("triage")),
    )


def _triage(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValidationError("triage", f"must be a list of answers like 'knot: yes', got {value!r}")
    return tuple(v.strip()[:80] for v in value if v.strip())


def night_from_dict(data: dict[str, Any]) -> Night:
    """Validate a night from any source."""
    if not isinstance(data, dict):
        raise ValidationError("night", f"must be a record of fields, got {type(data).__name__}")
    ticks = data.get("ticks") or []
    if not isinstance(ticks, (list, tuple)) or not all(isinstance(t, str) for t in ticks):
        raise ValidationError("ticks", f"must be a list of checklist item ids, got {ticks!r}")
    return Night(
        night=parse_day(data.get("night"), "night"),
        sleep_quality=_whole(data.get("sleep_quality"), "sleep_quality", 1, 5),
        times_woken=_whole(data.get("times_woken"), "times_woken", 0, 50),
        note=_text(data.get("note"), "note", MAX_NOTE),
        ticks=tuple(dict.fromkeys(t.strip() for t in ticks if t.strip())),
    )


def validate_records(
    cramps: list[dict[str, Any]], nights: list[dict[str, Any]], now: datetime
) -> tuple[list[Cramp], list[Night]]:
    """Validate many records (an import); the error names the record by its position."""
    valid_cramps, valid_nights = [], []
    for number, record in enumerate(cramps, start=1):
        try:
            valid_cramps.append(cramp_from_dict(record, now=now))
        except ValidationError as error:
            raise ValidationError(f"cramp {number}: {error.field}", str(error).split(": ", 1)[1]) from None
    for number, record in enumerate(nights, start=1):
        try:
            valid_nights.append(night_from_dict(record))
        except ValidationError as error:
            raise ValidationError(f"night {number}: {error.field}", str(error).split(": ", 1)[1]) from None
    return valid_cramps, valid_nights
