"""Guidance content: the bundled assets and the user's own routines, loaded into validated dataclasses.

A routine file is TOML. Anything wrong with it becomes a :class:`ContentError` that names the file,
the step and the field, so the app can leave that routine out and say why instead of crashing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cramp_coach.core.models import MAX_STEP_SECONDS, MIN_STEP_SECONDS, RELIEF_MUSCLES
from cramp_coach.core.paths import assets_dir, user_routines_dir

MUSCLES = RELIEF_MUSCLES
MUSCLE_NAMES = {
    "calf": "calf",
    "foot": "sole of the foot",
    "hamstring": "back of the thigh",
    "quadriceps": "front of the thigh",
}
STEP_KINDS = ("stretch", "massage", "weight", "warmth", "rest")
_STEP_FIELDS = {"id", "kind", "title", "instruction", "tip", "seconds", "until_release", "source"}


class ContentError(ValueError):
    """A guidance file that cannot be used, with the place of the fault."""

    def __init__(self, file: Path | str, message: str, step: str | None = None, fld: str | None = None):
        self.file = str(file)
        self.step = step
        self.field = fld
        self.reason = message
        where = self.file
        if step is not None:
            where += f": step {step}"
        if fld is not None:
            where += f": field '{fld}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Source:
    """Where a piece of guidance comes from."""

    title: str
    url: str


@dataclass(frozen=True)
class Step:
    """One thing to do during a cramp, with how long the timer gives it."""

    id: str
    kind: str
    title: str
    instruction: str
    seconds: int
    source: Source
    tip: str = ""
    until_release: bool = False


@dataclass(frozen=True)
class Routine:
    """An ordered list of relief steps for one muscle."""

    id: str
    muscle: str
    title: str
    steps: tuple[Step, ...]
    origin: str = "bundled"

    def step_index(self, step_id: str) -> int:
        """Position of the step with ``step_id``."""
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        raise KeyError(step_id)


@dataclass(frozen=True)
class Advice:
    """A short text shown around the routine, with its source."""

    text: str
    source: Source
    title: str = ""


@dataclass
class Library:
    """Everything the app can show, and what had to be left out."""

    routines: dict[str, Routine]
    guidance: dict[str, Advice]
    warnings: list[str] = field(default_factory=list)

    def routine_for(self, muscle: str) -> Routine:
        """The routine for ``muscle``: the user's own routine for it wins over the bundled one."""
        matching = [routine for routine in self.routines.values() if routine.muscle == muscle]
        if not matching:
            raise KeyError(muscle)
        return next((routine for routine in matching if routine.origin == "yours"), matching[0])


def read_toml(file: Path) -> dict[str, Any]:
    """A guidance file's TOML, or ContentError naming the file."""
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ContentError(file, f"cannot be read ({error})") from None


def text_field(file: Path, data: dict[str, Any], key: str, step: str | None, required: bool = True) -> str:
    """A text field of a guidance file; ContentError names the file, the place and the field."""
    value = data.get(key, None)
    if value is None:
        if required:
            raise ContentError(file, "is missing; it must be a non-empty text", step, key)
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ContentError(file, f"must be a non-empty text, got {value!r}", step, key)
    return value.strip()


def source_field(file: Path, data: dict[str, Any], step: str | None) -> Source:
    """The ``source = { title, url }`` that every piece of guidance carries."""
    raw = data.get("source")
    if not isinstance(raw, dict):
        raise ContentError(file, "is missing; every piece of guidance needs { title = ..., url = ... }", step, "source")
    title = text_field(file, raw, "title", step)
    url = text_field(file, raw, "url", step)
    if not url.startswith(("https://", "http://")):
        raise ContentError(file, f"url must start with https://, got {url!r}", step, "source")
    return Source(title=title, url=url)


def _step(file: Path, raw: Any, number: int) -> Step:
    label = str(number)
    if not isinstance(raw, dict):
        raise ContentError(file, "must be a table ([[steps]])", label)
    if isinstance(raw.get("id"), str):
        label = f"{number} ({raw['id']})"
    unknown = sorted(set(raw) - _STEP_FIELDS)
    if unknown:
        raise ContentError(file, f"is not a step field; allowed: {', '.join(sorted(_STEP_FIELDS))}", label, unknown[0])
    step_id = text_field(file, raw, "id", label)
    kind = text_field(file, raw, "kind", label)
    if kind not in STEP_KINDS:
        raise ContentError(file, f"must be one of {', '.join(STEP_KINDS)}, got {kind!r}", label, "kind")
    seconds = raw.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not MIN_STEP_SECONDS <= seconds <= MAX_STEP_SECONDS:
        raise ContentError(
            file,
            f"must be a whole number of seconds from {MIN_STEP_SECONDS} to {MAX_STEP_SECONDS}, got {seconds!r}",
            label,
            "seconds",
        )
    until_release = raw.get("until_release", False)
    if not isinstance(until_release, bool):
        raise ContentError(file, f"must be true or false, got {until_release!r}", label, "until_release")
    return Step(
        id=step_id,
        kind=kind,
        title=text_field(file, raw, "title", label),
        instruction=text_field(file, raw, "instruction", label),
        tip=text_field(file, raw, "tip", label, required=False),
        seconds=seconds,
        until_release=until_release,
        source=source_field(file, raw, label),
    )


def parse_routine(file: Path, text: str, origin: str = "bundled") -> Routine:
    """Turn the text of a routine file into a :class:`Routine`, or raise :class:`ContentError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(file, f"is not valid TOML ({error})") from None
    routine_id = text_field(file, data, "id", None)
    muscle = text_field(file, data, "muscle", None)
    if muscle not in MUSCLES:
        raise ContentError(file, f"must be one of {', '.join(MUSCLES)}, got {muscle!r}", None, "muscle")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ContentError(file, "needs at least one [[steps]] table", None, "steps")
    steps = tuple(_step(file, raw, number) for number, raw in enumerate(raw_steps, start=1))
    seen: set[str] = set()
    for number, step in enumerate(steps, start=1):
        if step.id in seen:
            raise ContentError(file, f"id {step.id!r} is used twice in this routine", f"{number} ({step.id})", "id")
        seen.add(step.id)
    return Routine(id=routine_id, muscle=muscle, title=text_field(file, data, "title", None), steps=steps, origin=origin)


def load_routine(file: Path, origin: str = "bundled") -> Routine:
    """Read and validate one routine file."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(file, f"cannot be read ({error})") from None
    return parse_routine(file, text, origin)


def load_guidance(file: Path) -> dict[str, Advice]:
    """Read the short advice texts (disclaimer, escalation, aftercare)."""
    data = read_toml(file)
    advice: dict[str, Advice] = {}
    for key, raw in data.items():
        if not isinstance(raw, dict):
            raise ContentError(file, "must be a table", None, key)
        advice[key] = Advice(
            text=text_field(file, raw, "text", key),
            title=text_field(file, raw, "title", key, required=False),
            source=source_field(file, raw, key),
        )
    return advice


def step_titles(home: Path | None = None, assets: Path | None = None) -> dict[str, str]:
    """Just the relief steps' titles by id (for reports and stats), read without building the library.

    Files that cannot be read are skipped here; ``load_library`` is the place that reports them.
    """
    assets = assets or assets_dir()
    files = sorted((assets / "routines").glob("*.toml"))
    if home is not None and user_routines_dir(home).is_dir():
        files += sorted(user_routines_dir(home).glob("*.toml"))
    titles: dict[str, str] = {}
    for path in files:
        try:
            steps = tomllib.loads(path.read_text(encoding="utf-8")).get("steps", [])
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for step in steps if isinstance(steps, list) else []:
            if isinstance(step, dict) and isinstance(step.get("id"), str) and isinstance(step.get("title"), str):
                titles[step["id"]] = step["title"]
    return titles


def load_library(home: Path | None = None, assets: Path | None = None) -> Library:
    """Load the bundled routines and guidance, then the user's own routines from ``home``.

    A broken file is left out and described in ``Library.warnings``; it never raises.
    """
    assets = assets or assets_dir()
    routines: dict[str, Routine] = {}
    warnings: list[str] = []
    files: list[tuple[Path, str]] = [(path, "bundled") for path in sorted((assets / "routines").glob("*.toml"))]
    if home is not None:
        user_dir = user_routines_dir(home)
        if user_dir.is_dir():
            files += [(path, "yours") for path in sorted(user_dir.glob("*.toml"))]
    for path, origin in files:
        try:
            routine = load_routine(path, origin)
        except ContentError as error:
            warnings.append(f"Routine left out: {error}")
            continue
        routines[routine.id] = routine
    try:
        guidance = load_guidance(assets / "guidance.toml")
    except ContentError as error:
        warnings.append(str(error))
        guidance = {}
    return Library(routines=routines, guidance=guidance, warnings=warnings)
