"""Preferences in ``<data folder>/config.toml``: theme, bell, night hours, emergency number, step durations.

Every key is checked on its own: a bad value is replaced by its default with a warning that names
the key and what is allowed, so a broken file never stops the relief screen from opening. The file
is read like any file a person may have put there: only a regular UTF-8 file of at most 256 KiB,
and no fault in it (or in reading it) ever leaves ``load_settings`` as an exception.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cramp_coach.core.files import ContentError, parse_toml, quote, read_user_file, shorten
from cramp_coach.core.models import MAX_STEP_SECONDS, MIN_STEP_SECONDS
from cramp_coach.core.record import field, record, replace
from cramp_coach.core.text import one_line

if TYPE_CHECKING:
    from cramp_coach.core.content import Library, Routine

CONFIG_FILE = "config.toml"
THEMES = ("auto", "night", "day", "high-contrast")


@record
class Settings:
    """The user's preferences, all valid."""

    theme: str = "auto"
    bell: bool = True
    night_start: time = time(21, 0)
    night_end: time = time(7, 0)
    durations: dict[str, int] = field(default_factory=dict)
    emergency_number: str = ""  # the person's own emergency number; blank: the common ones are named

    def theme_at(self, now: time) -> str:
        """The theme to use at ``now``: night between the night hours when ``auto``."""
        if self.theme != "auto":
            return self.theme
        start, end = self.night_start, self.night_end
        at_night = (start <= now or now < end) if start > end else (start <= now < end)
        return "night" if at_night else "day"


KNOWN_KEYS = ("theme", "bell", "night_start", "night_end", "emergency_number", "durations")
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_PHONE = re.compile(r"[0-9+][0-9 +\-]{0,19}")
MOST_PROBLEMS_PER_KIND = 5


@record
class SettingProblem:
    """A value that is not allowed: the key (``durations.calf-massage`` for a step), what is allowed,
    and what is used instead."""

    key: str
    message: str
    instead: str

    def sentence(self) -> str:
        """``key message; using instead`` (one line)."""
        return f"{self.key} {self.message}; {self.instead}"


def _clock_time(value: Any, key: str, default: time, problems: list[SettingProblem]) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str):
        match = _CLOCK.fullmatch(value.strip())
        if match and int(match.group(1)) <= 23 and int(match.group(2)) <= 59:
            return time(int(match.group(1)), int(match.group(2)))
    problems.append(
        SettingProblem(key, f"must be a time of day like \"21:00\" (hours 0-23, minutes 00-59), got {quote(value)}",
                       f"using {default.strftime('%H:%M')}")
    )
    return default


def _shown_key(key: Any) -> str:
    return one_line(shorten(str(key), 60))


def validate_settings(data: dict[str, Any]) -> tuple[Settings, list[SettingProblem]]:
    """Settings from a mapping (a parsed config.toml, or the settings screen's fields), with one
    structured problem for each value that is not allowed (its default is used instead)."""
    defaults = Settings()
    problems: list[SettingProblem] = []
    unknown = sorted(str(key) for key in set(data) - set(KNOWN_KEYS))
    for key in unknown[:MOST_PROBLEMS_PER_KIND]:
        problems.append(SettingProblem(_shown_key(key), f"is not a setting; known: {', '.join(KNOWN_KEYS)}", "ignored"))
    if len(unknown) > MOST_PROBLEMS_PER_KIND:
        problems.append(SettingProblem("settings", f"has {len(unknown) - MOST_PROBLEMS_PER_KIND} more unknown keys", "ignored"))
    theme = data.get("theme", defaults.theme)
    if not isinstance(theme, str) or theme not in THEMES:
        problems.append(SettingProblem("theme", f"must be one of {', '.join(THEMES)}, got {quote(theme)}", f"using {defaults.theme}"))
        theme = defaults.theme
    bell = data.get("bell", defaults.bell)
    if not isinstance(bell, bool):
        problems.append(SettingProblem("bell", f"must be true or false, got {quote(bell)}", "using true"))
        bell = defaults.bell
    number = data.get("emergency_number", "")
    if not isinstance(number, str) or (number.strip() and not _PHONE.fullmatch(number.strip())):
        problems.append(
            SettingProblem("emergency_number", f"must be a phone number of digits, spaces, + or - (at most 20), got {quote(number)}",
                           "naming the common emergency numbers")
        )
        number = ""
    durations: dict[str, int] = {}
    raw = data.get("durations", {})
    if not isinstance(raw, dict):
        problems.append(SettingProblem("durations", "must be a table of step id = seconds", "ignored"))
        raw = {}
    bad = 0
    for step_id, seconds in raw.items():
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not MIN_STEP_SECONDS <= seconds <= MAX_STEP_SECONDS:
            bad += 1
            if bad <= MOST_PROBLEMS_PER_KIND:
                problems.append(
                    SettingProblem(f"durations.{_shown_key(step_id)}",
                                   f"must be a whole number of seconds from {MIN_STEP_SECONDS} to {MAX_STEP_SECONDS}, got {quote(seconds)}",
                                   "using the routine's own")
                )
            continue
        durations[str(step_id)] = seconds
    if bad > MOST_PROBLEMS_PER_KIND:
        problems.append(SettingProblem("durations", f"has {bad - MOST_PROBLEMS_PER_KIND} more values that are not usable", "using the routines' own"))
    settings = Settings(
        theme=theme,
        bell=bell,
        night_start=_clock_time(data.get("night_start", "21:00"), "night_start", defaults.night_start, problems),
        night_end=_clock_time(data.get("night_end", "07:00"), "night_end", defaults.night_end, problems),
        durations=durations,
        emergency_number=number.strip(),
    )
    return settings, problems


def parse_settings(text: str, file: Path) -> tuple[Settings, list[str]]:
    """Settings from the text of config.toml, with a warning for each value that was not usable.

    Never raises: a file that cannot be understood at all gives the defaults and one warning.
    """
    shown = one_line(str(file))
    try:
        settings, problems = validate_settings(parse_toml(shown, text))
    except ContentError as error:
        return Settings(), [f"{error}; using the default settings"]
    except Exception as error:  # a fault nobody foresaw must not stop relief
        return Settings(), [f"{shown}: cannot be used ({type(error).__name__}); using the default settings"]
    return settings, [f"{shown}: {problem.sentence()}" for problem in problems]


def load_settings(home: Path) -> tuple[Settings, list[str]]:
    """The user's settings (defaults when there is no config.toml), and any warnings. Never raises."""
    file = Path(home) / CONFIG_FILE
    try:
        text = read_user_file(file)
    except FileNotFoundError:
        return Settings(), []
    except ContentError as error:
        return Settings(), [f"{error}; using the default settings"]
    except Exception as error:  # never let a settings file stop relief
        return Settings(), [f"{one_line(str(file))}: cannot be read ({type(error).__name__}); using the default settings"]
    return parse_settings(text, file)


def settings_text(settings: Settings) -> str:
    """config.toml for ``settings``."""
    import json  # only when writing: JSON strings are TOML basic strings for these

    lines = [
        "# cramp coach settings. theme: auto, night, day or high-contrast (auto = night theme in the night hours).",
        f'theme = "{settings.theme}"',
        f"bell = {'true' if settings.bell else 'false'}",
        f'night_start = "{settings.night_start.strftime("%H:%M")}"',
        f'night_end = "{settings.night_end.strftime("%H:%M")}"',
        "# Your emergency number (blank: the app names 911, 999, 112 and 000)",
        f"emergency_number = {json.dumps(settings.emergency_number)}",
        "",
        "# Seconds for relief steps, by step id (from 5 to 600), e.g. calf-massage = 60",
        "[durations]",
        *[f"{json.dumps(step_id, ensure_ascii=False)} = {seconds}" for step_id, seconds in sorted(settings.durations.items())],
        "",
    ]
    return "\n".join(lines)


def save_settings(home: Path, settings: Settings) -> None:
    """Write config.toml atomically (0600)."""
    from cramp_coach.core.storage import write_atomically

    write_atomically(home / CONFIG_FILE, settings_text(settings))


def with_durations(routine: Routine, durations: dict[str, int]) -> Routine:
    """``routine`` with the user's step durations (by step id) in place of its own."""
    if not any(step.id in durations for step in routine.steps):
        return routine
    steps = tuple(replace(step, seconds=durations.get(step.id, step.seconds)) for step in routine.steps)
    return replace(routine, steps=steps)


def apply_durations(library: Library, durations: dict[str, int]) -> list[str]:
    """Set the user's step durations in the library's routines; returns warnings for unknown step ids."""
    known: set[str] = set()
    for routine_id, routine in list(library.routines.items()):
        known.update(step.id for step in routine.steps)
        library.routines[routine_id] = with_durations(routine, durations)
    return [f"{CONFIG_FILE}: durations.{_shown_key(step_id)} is not a relief step; ignored" for step_id in durations if step_id not in known]
