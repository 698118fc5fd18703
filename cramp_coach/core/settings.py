"""Preferences in ``<data folder>/config.toml``: theme, bell, night hours, step durations.

Every key is checked on its own: a bad value is replaced by its default with a warning that names
the key and what is allowed, so a broken file never stops the relief screen from opening.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cramp_coach.core.models import MAX_STEP_SECONDS, MIN_STEP_SECONDS

if TYPE_CHECKING:
    from cramp_coach.core.content import Library

CONFIG_FILE = "config.toml"
THEMES = ("auto", "night", "day", "high-contrast")
THEME_NAMES = {"night": "cramp-night", "day": "cramp-day", "high-contrast": "cramp-contrast"}


@dataclass(frozen=True)
class Settings:
    """The user's preferences, all valid."""

    theme: str = "auto"
    bell: bool = True
    night_start: time = time(21, 0)
    night_end: time = time(7, 0)
    durations: dict[str, int] = field(default_factory=dict)

    def theme_at(self, now: time) -> str:
        """The theme to use at ``now``: night between the night hours when ``auto``."""
        if self.theme != "auto":
            return self.theme
        start, end = self.night_start, self.night_end
        at_night = (start <= now or now < end) if start > end else (start <= now < end)
        return "night" if at_night else "day"


def _clock_time(value: Any, key: str, warnings: list[str], default: time, file: Path) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str):
        try:
            hours, minutes = value.strip().split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            pass
    warnings.append(f"{file}: {key} must be a time of day like \"21:00\", got {value!r}; using {default.strftime('%H:%M')}")
    return default


def parse_settings(text: str, file: Path) -> tuple[Settings, list[str]]:
    """Settings from the text of config.toml, with a warning for each value that was not usable."""
    import tomllib  # only when there is a config.toml to read

    defaults = Settings()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return defaults, [f"{file}: is not valid TOML ({error}); using the default settings"]
    warnings: list[str] = []
    known = {"theme", "bell", "night_start", "night_end", "durations"}
    for key in sorted(set(data) - known):
        warnings.append(f"{file}: unknown setting {key!r} ignored; known: {', '.join(sorted(known))}")
    theme = data.get("theme", defaults.theme)
    if theme not in THEMES:
        warnings.append(f"{file}: theme must be one of {', '.join(THEMES)}, got {theme!r}; using {defaults.theme}")
        theme = defaults.theme
    bell = data.get("bell", defaults.bell)
    if not isinstance(bell, bool):
        warnings.append(f"{file}: bell must be true or false, got {bell!r}; using true")
        bell = defaults.bell
    durations: dict[str, int] = {}
    raw = data.get("durations", {})
    if not isinstance(raw, dict):
        warnings.append(f"{file}: durations must be a table of step id = seconds; ignored")
        raw = {}
    for step_id, seconds in raw.items():
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not MIN_STEP_SECONDS <= seconds <= MAX_STEP_SECONDS:
            warnings.append(
                f"{file}: durations.{step_id} must be a whole number of seconds from {MIN_STEP_SECONDS} to "
                f"{MAX_STEP_SECONDS}, got {seconds!r}; using the routine's own"
            )
            continue
        durations[step_id] = seconds
    return (
        Settings(
            theme=theme,
            bell=bell,
            night_start=_clock_time(data.get("night_start", "21:00"), "night_start", warnings, defaults.night_start, file),
            night_end=_clock_time(data.get("night_end", "07:00"), "night_end", warnings, defaults.night_end, file),
            durations=durations,
        ),
        warnings,
    )


def load_settings(home: Path) -> tuple[Settings, list[str]]:
    """The user's settings (defaults when there is no config.toml), and any warnings."""
    file = home / CONFIG_FILE
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as error:
        return Settings(), [f"{file}: cannot be read ({error}); using the default settings"]
    return parse_settings(text, file)


def settings_text(settings: Settings) -> str:
    """config.toml for ``settings``."""
    lines = [
        "# cramp coach settings. theme: auto, night, day or high-contrast (auto = night theme in the night hours).",
        f'theme = "{settings.theme}"',
        f"bell = {'true' if settings.bell else 'false'}",
        f'night_start = "{settings.night_start.strftime("%H:%M")}"',
        f'night_end = "{settings.night_end.strftime("%H:%M")}"',
        "",
        "# Seconds for relief steps, by step id (from 5 to 600), e.g. calf-massage = 60",
        "[durations]",
        *[f'"{step_id}" = {seconds}' for step_id, seconds in sorted(settings.durations.items())],
        "",
    ]
    return "\n".join(lines)


def save_settings(home: Path, settings: Settings) -> None:
    """Write config.toml atomically (0600)."""
    from cramp_coach.core.storage import write_atomically

    write_atomically(home / CONFIG_FILE, settings_text(settings))


def apply_durations(library: Library, durations: dict[str, int]) -> list[str]:
    """Set the user's step durations in the library's routines; returns warnings for unknown step ids."""
    from cramp_coach.core.content import Routine

    known: set[str] = set()
    for routine_id, routine in list(library.routines.items()):
        steps = tuple(replace(step, seconds=durations.get(step.id, step.seconds)) for step in routine.steps)
        known.update(step.id for step in routine.steps)
        library.routines[routine_id] = Routine(routine.id, routine.muscle, routine.title, steps, routine.origin)
    return [f"{CONFIG_FILE}: durations.{step_id} is not a relief step; ignored" for step_id in durations if step_id not in known]
