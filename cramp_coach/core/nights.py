"""Which night is which: "tonight", "last night", and when a night is over.

Two rules, each plain:

- A *cramp* belongs to the night that began on the evening before it when it starts before noon
  (``models.night_of``): a cramp at 03:10 on Wednesday is Tuesday's night.
- The *bedtime checklist* is for the night ahead until the small hours are over: from 05:00 on,
  the night to prepare for is the coming evening's ("tonight"), and the night just slept is
  "last night". Before 05:00 a person still up (or awake with a cramp) is in the night that began
  the evening before, so that is "tonight".

A night counts in the insights once its morning has come (05:00 the next day), so "last night" is
in them from breakfast on.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

MORNING_HOUR = 5


def bedtime_night(moment: datetime) -> date:
    """The night whose bedtime checklist ``moment`` belongs to ("tonight")."""
    day = moment.date()
    return day - timedelta(days=1) if moment.hour < MORNING_HOUR else day


def last_night(moment: datetime) -> date:
    """The most recent night that is over."""
    return bedtime_night(moment) - timedelta(days=1)


def is_morning(moment: datetime) -> bool:
    """From 05:00 (the night is over) until noon: the time to say how last night went."""
    from cramp_coach.core.models import NIGHT_TURNS_AT_HOUR

    return MORNING_HOUR <= moment.hour < NIGHT_TURNS_AT_HOUR


def night_name(night: date, moment: datetime) -> str:
    """``tonight``, ``last night``, or a short date such as ``Tue 24 Nov``."""
    tonight = bedtime_night(moment)
    if night == tonight:
        return "tonight"
    if night == tonight - timedelta(days=1):
        return "last night"
    return night.strftime("%a %d %b")


class NightChoiceError(ValueError):
    """A night that cannot be chosen (not a date, or not come yet)."""


def parse_night_choice(text: str, moment: datetime) -> date:
    """``tonight``, ``last`` (or ``last night``), or ``YYYY-MM-DD`` up to tonight."""
    value = text.strip().lower()
    tonight = bedtime_night(moment)
    if value == "tonight":
        return tonight
    if value in ("last", "last night", "last-night"):
        return tonight - timedelta(days=1)
    try:
        night = date.fromisoformat(value)
    except ValueError:
        raise NightChoiceError(f"must be tonight, last or a date like 2026-11-24, got {text!r}") from None
    if night > tonight:
        raise NightChoiceError(f"{night} has not come yet (tonight is {tonight})")
    return night
