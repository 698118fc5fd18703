"""Guidance content: the bundled assets and the user's own routines, loaded into validated dataclasses.

A routine file is TOML. Anything wrong with it becomes a :class:`ContentError` that names the file,
the step and the field, so the app can leave that routine out and say why instead of crashing.

Files are read with :func:`read_user_file` only: regular files, at most 256 KiB, UTF-8. A FIFO, a
device or a link to one is refused without being opened for a blocking read. Text from a file is
kept as written, minus control codes, and capped in length; the bundled routine for each muscle is
always there, whatever the user's own files hold.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

from cramp_coach.core.files import ContentError, parse_toml, quote, read_user_file, shorten
from cramp_coach.core.models import MAX_STEP_SECONDS, MIN_STEP_SECONDS, ON_ITS_OWN, RELIEF_MUSCLES
from cramp_coach.core.paths import assets_dir, os_error_reason, user_routines_dir
from cramp_coach.core.record import field, record
from cramp_coach.core.text import clean_text, one_line

MUSCLES = RELIEF_MUSCLES
MUSCLE_NAMES = {
    "calf": "calf",
    "foot": "sole of the foot",
    "hamstring": "back of the thigh",
    "quadriceps": "front of the thigh",
}
STEP_KINDS = ("stretch", "massage", "weight", "warmth", "rest")
_STEP_FIELDS = {"id", "kind", "title", "instruction", "tip", "caution", "seconds", "until_release", "source"}
# The safety line each kind of step must carry (a content test holds the bundled routines to it).
CAUTION_KINDS = ("massage", "warmth", "weight")

MAX_ID = 80
MAX_TITLE = 80
MAX_TEXT = 1000  # instruction, tip, advice
MAX_SOURCE_TITLE = 200
MAX_URL = 500
MAX_STEPS = 50
MAX_USER_ROUTINES = 50


@record
class Source:
    """Where a piece of guidance comes from."""

    title: str
    url: str


@record
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
    caution: Caution | None = None  # a safety line shown with the step, with its own source


@record
class Caution:
    """A short safety line for a step (don't rub a leg that may hold a clot; warm, not hot; sit first)."""

    text: str
    source: Source


@record
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


@record
class Advice:
    """A short text shown around the routine, with its source."""

    text: str
    source: Source
    title: str = ""


@record(frozen=False)
class Library:
    """Everything the app can show, and what had to be left out."""

    routines: dict[str, Routine]
    guidance: dict[str, Advice]
    warnings: list[str] = field(default_factory=list)

    def step_title(self, step_id: str | None) -> str:
        """A relief step's title by its id (for what ended a cramp): "on its own", the title, or the
        id itself when no routine has that step any more."""
        if not step_id:
            return ""
        if step_id == ON_ITS_OWN:
            return ON_ITS_OWN
        for routine in self.routines.values():
            for step in routine.steps:
                if step.id == step_id:
                    return step.title
        return step_id

    def routine_for(self, muscle: str) -> Routine:
        """The routine for ``muscle``: the user's own routine for it wins over the bundled one.

        Never raises for a relief muscle: when even the bundled file could not be used, a one-step
        routine built into the app stands in for it.
        """
        matching = [routine for routine in self.routines.values() if routine.muscle == muscle]
        if not matching:
            if muscle in MUSCLES:
                return fallback_routine(muscle)
            raise KeyError(muscle)
        return next((routine for routine in matching if routine.origin == "yours"), matching[0])


_FALLBACK_SOURCE = Source(
    title="Mayo Clinic: Muscle cramp, diagnosis and treatment",
    url="https://www.mayoclinic.org/diseases-conditions/muscle-cramp/diagnosis-treatment/drc-20350825",
)


def fallback_routine(muscle: str) -> Routine:
    """A one-step routine for ``muscle``, used only when its bundled file cannot be read."""
    name = MUSCLE_NAMES.get(muscle, muscle)
    step = Step(
        id=f"{muscle}-stretch",
        kind="stretch",
        title=f"Stretch the {name}",
        instruction=f"Gently stretch the {name} and hold the stretch until the cramp lets go. Then rub the muscle.",
        seconds=30,
        until_release=True,
        source=_FALLBACK_SOURCE,
    )
    return Routine(id=muscle, muscle=muscle, title=f"{name.capitalize()} cramp", steps=(step,), origin="bundled")


def read_toml(file: Path) -> dict[str, Any]:
    """A guidance file's TOML, or ContentError naming the file."""
    try:
        return parse_toml(file, read_user_file(file))
    except FileNotFoundError:
        raise ContentError(file, "is missing") from None


def text_field(
    file: Path,
    data: dict[str, Any],
    key: str,
    step: str | None,
    required: bool = True,
    limit: int | None = None,
    warnings: list[str] | None = None,
) -> str:
    """A text field of a guidance file, without control codes; ContentError names the file, the place and the field.

    With ``limit``, a longer text is cut to ``limit`` characters and a warning added to ``warnings``
    (or, without a list to add it to, refused).
    """
    if not isinstance(data, dict):
        raise ContentError(file, "must be a table", step)
    value = data.get(key, None)
    if value is None:
        if required:
            raise ContentError(file, "is missing; it must be a non-empty text", step, key)
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ContentError(file, f"must be a non-empty text, got {quote(value)}", step, key)
    value = clean_text(value).strip()
    if required and not value:
        raise ContentError(file, "must be a non-empty text (it holds only control codes)", step, key)
    if limit is not None and len(value) > limit:
        if warnings is None:
            raise ContentError(file, f"must be at most {limit} characters, got {len(value)}", step, key)
        warnings.append(str(ContentError(file, f"is longer than {limit} characters; shortened", step, key)))
        value = shorten(value, limit)
    return value


def id_field(file: Path, data: dict[str, Any], key: str, step: str | None) -> str:
    """An id: a non-empty one-line text of at most 80 characters, without control codes."""
    value = text_field(file, data, key, step)
    if len(value) > MAX_ID or any(char in value for char in "\n\t"):
        raise ContentError(file, f"must be one line of at most {MAX_ID} characters, got {quote(value)}", step, key)
    return value


def source_field(file: Path, data: dict[str, Any], step: str | None, warnings: list[str] | None = None) -> Source:
    """The ``source = { title, url }`` that every piece of guidance carries."""
    raw = data.get("source") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        raise ContentError(file, "is missing; every piece of guidance needs { title = ..., url = ... }", step, "source")
    title = text_field(file, raw, "title", step, limit=MAX_SOURCE_TITLE, warnings=warnings)
    url = text_field(file, raw, "url", step)
    if not url.startswith(("https://", "http://")):
        raise ContentError(file, f"url must start with https://, got {quote(url)}", step, "source")
    if len(url) > MAX_URL or any(char.isspace() for char in url):
        raise ContentError(file, f"url must be one web address of at most {MAX_URL} characters, without spaces", step, "source")
    return Source(title=title, url=url)


def _step(file: Path, raw: Any, number: int, warnings: list[str] | None = None) -> Step:
    label = str(number)
    if not isinstance(raw, dict):
        raise ContentError(file, "must be a table ([[steps]])", label)
    if isinstance(raw.get("id"), str):
        label = f"{number} ({shorten(one_line(clean_text(raw['id'])), 40)})"
    unknown = sorted(str(key) for key in set(raw) - _STEP_FIELDS)
    if unknown:
        raise ContentError(file, f"is not a step field; allowed: {', '.join(sorted(_STEP_FIELDS))}", label, unknown[0])
    step_id = id_field(file, raw, "id", label)
    kind = text_field(file, raw, "kind", label)
    if kind not in STEP_KINDS:
        raise ContentError(file, f"must be one of {', '.join(STEP_KINDS)}, got {quote(kind)}", label, "kind")
    seconds = raw.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not MIN_STEP_SECONDS <= seconds <= MAX_STEP_SECONDS:
        raise ContentError(
            file,
            f"must be a whole number of seconds from {MIN_STEP_SECONDS} to {MAX_STEP_SECONDS}, got {quote(seconds)}",
            label,
            "seconds",
        )
    until_release = raw.get("until_release", False)
    if not isinstance(until_release, bool):
        raise ContentError(file, f"must be true or false, got {quote(until_release)}", label, "until_release")
    caution = None
    if "caution" in raw:
        table = raw["caution"]
        if not isinstance(table, dict):
            raise ContentError(file, "must be { text = ..., source = { title = ..., url = ... } }", label, "caution")
        caution = Caution(
            text=text_field(file, table, "text", f"{label} caution", limit=MAX_TEXT, warnings=warnings),
            source=source_field(file, table, f"{label} caution", warnings),
        )
    return Step(
        id=step_id,
        kind=kind,
        title=text_field(file, raw, "title", label, limit=MAX_TITLE, warnings=warnings),
        instruction=text_field(file, raw, "instruction", label, limit=MAX_TEXT, warnings=warnings),
        tip=text_field(file, raw, "tip", label, required=False, limit=MAX_TEXT, warnings=warnings),
        seconds=seconds,
        until_release=until_release,
        source=source_field(file, raw, label, warnings),
        caution=caution,
    )


def parse_routine(file: Path, text: str, origin: str = "bundled", warnings: list[str] | None = None) -> Routine:
    """Turn the text of a routine file into a :class:`Routine`, or raise :class:`ContentError`.

    Texts longer than their cap are shortened with a warning added to ``warnings`` (refused when
    no list is given). Any fault, expected or not, comes out as a ContentError naming the file.
    """
    found: list[str] = []
    try:
        routine = _parse_routine(file, text, origin, found)
    except ContentError:
        raise
    except Exception as error:  # a fault the checks above did not foresee still names the file
        raise ContentError(file, f"cannot be used ({type(error).__name__})") from None
    if found and warnings is None:
        raise ContentError(file, found[0])
    if warnings is not None:
        warnings += found
    return routine


def _parse_routine(file: Path, text: str, origin: str, warnings: list[str]) -> Routine:
    data = parse_toml(file, text)
    routine_id = id_field(file, data, "id", None)
    muscle = text_field(file, data, "muscle", None)
    if muscle not in MUSCLES:
        raise ContentError(file, f"must be one of {', '.join(MUSCLES)}, got {quote(muscle)}", None, "muscle")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ContentError(file, "needs at least one [[steps]] table", None, "steps")
    if len(raw_steps) > MAX_STEPS:
        raise ContentError(file, f"has {len(raw_steps)} steps; a routine may have at most {MAX_STEPS}", None, "steps")
    steps = tuple(_step(file, raw, number, warnings) for number, raw in enumerate(raw_steps, start=1))
    seen: set[str] = set()
    for number, step in enumerate(steps, start=1):
        if step.id in seen:
            raise ContentError(file, f"id {quote(step.id)} is used twice in this routine", f"{number} ({shorten(step.id, 40)})", "id")
        seen.add(step.id)
    title = text_field(file, data, "title", None, limit=MAX_TITLE, warnings=warnings)
    return Routine(id=routine_id, muscle=muscle, title=title, steps=steps, origin=origin)


def load_routine(file: Path, origin: str = "bundled", warnings: list[str] | None = None) -> Routine:
    """Read and validate one routine file (only a regular UTF-8 file of at most 256 KiB is read)."""
    try:
        text = read_user_file(file)
    except FileNotFoundError:
        raise ContentError(file, "is missing") from None
    return parse_routine(file, text, origin, warnings)


def load_bundled_routine(muscle: str, assets: Path | None = None) -> Routine:
    """Only the bundled routine for ``muscle`` (its file is named after the muscle): what relief
    needs first, before the rest of the library. Raises ContentError if it cannot be used."""
    if muscle not in MUSCLES:
        raise ContentError(f"{muscle}.toml", f"must be one of {', '.join(MUSCLES)}")
    routine = load_routine((assets or assets_dir()) / "routines" / f"{muscle}.toml")
    if routine.muscle != muscle:
        raise ContentError(f"{muscle}.toml", f"is the routine for {routine.muscle}, not {muscle}")
    return routine


def has_own_routines(home: Path) -> bool:
    """True when the person keeps routine files of their own (or their folder cannot be read)."""
    folder = user_routines_dir(home)
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(".toml") for entry in entries)
    except FileNotFoundError:
        return False
    except OSError:
        return True


class AdviceKey(StrEnum):
    """The named pieces of guidance in guidance.toml (a content test checks each is there)."""

    DISCLAIMER = "disclaimer"
    ESCALATION = "escalation"
    AFTERCARE = "aftercare"
    SEE_CLINICIAN = "see_clinician"
    NEW_MEDICINE = "new_medicine"
    PREGNANCY = "pregnancy"
    QUININE = "quinine"
    OTHER_OPTIONS = "other_options"


EMERGENCY_TOKEN = "{emergency}"
LOCAL_EMERGENCY = "your local emergency number (911, 999, 112, 000)"


def emergency_words(number: str = "") -> str:
    """How the app names the emergency number: the person's own, or the common ones."""
    return f"{number} (your emergency number)" if number else LOCAL_EMERGENCY


def fill_emergency(text: str, number: str = "") -> str:
    """Guidance text with ``{emergency}`` replaced by the person's emergency number, or the common ones."""
    return text.replace(EMERGENCY_TOKEN, emergency_words(number))


def load_guidance(file: Path) -> dict[str, Advice]:
    """Read the short advice texts (disclaimer, escalation, aftercare)."""
    data = read_toml(file)
    advice: dict[str, Advice] = {}
    try:
        for key, raw in data.items():
            if not isinstance(raw, dict):
                raise ContentError(file, "must be a table", None, key)
            advice[key] = Advice(
                text=text_field(file, raw, "text", key),
                title=text_field(file, raw, "title", key, required=False),
                source=source_field(file, raw, key),
            )
    except ContentError:
        raise
    except Exception as error:
        raise ContentError(file, f"cannot be used ({type(error).__name__})") from None
    return advice


def _toml_files(folder: Path, warnings: list[str] | None, most: int | None = None) -> list[Path]:
    """The ``*.toml`` files in ``folder``, sorted; none (and a warning) when the folder cannot be listed."""
    try:
        if not folder.is_dir():
            return []
        files = sorted(folder.glob("*.toml"))
    except OSError as error:
        if warnings is not None:
            warnings.append(one_line(f"{folder}: cannot be read ({os_error_reason(error)}); its routines are left out"))
        return []
    if most is not None and len(files) > most:
        if warnings is not None:
            warnings.append(one_line(f"{folder}: holds {len(files)} routine files; only the first {most} are read"))
        files = files[:most]
    return files


def step_titles(home: Path | None = None, assets: Path | None = None) -> dict[str, str]:
    """Just the relief steps' titles by id (for reports and stats), read without building the library.

    Files that cannot be read are skipped here; ``load_library`` is the place that reports them.
    A user's step never takes the title of a bundled step's id. Never raises.
    """
    titles: dict[str, str] = {}
    try:
        files = _toml_files((assets or assets_dir()) / "routines", None)
    except Exception:  # no assets: the user's titles are still worth having
        files = []
    if home is not None:
        files += _toml_files(user_routines_dir(home), None, MAX_USER_ROUTINES)
    for path in files:
        try:
            steps = parse_toml(path, read_user_file(path)).get("steps", [])
            for step in steps if isinstance(steps, list) else []:
                if isinstance(step, dict) and isinstance(step.get("id"), str) and isinstance(step.get("title"), str):
                    title = shorten(clean_text(step["title"]).strip(), MAX_TITLE)
                    titles.setdefault(clean_text(step["id"]).strip(), title)
        except Exception:  # a file load_library reports; titles from the other files are still good
            continue
    return titles


def unknown_step_ids(ids: Iterable[str], home: Path | None = None, assets: Path | None = None) -> list[str]:
    """Of ``ids``, the ones no relief routine (bundled or the user's) has as a step, sorted.

    A quick look first: an id written ``id = "…"`` in a routine file's text is known without parsing
    it (an import of 15,000 entries names only a handful of steps, nearly always bundled ones). Only
    ids not seen so are looked up in :func:`step_titles`. Never raises.
    """
    wanted = {step_id for step_id in ids if step_id}
    if not wanted:
        return []
    try:
        files = _toml_files((assets or assets_dir()) / "routines", None)
    except Exception:  # noqa: BLE001 - the full look below says what it can
        files = []
    if home is not None:
        files += _toml_files(user_routines_dir(home), None, MAX_USER_ROUTINES)
    for path in files:
        try:
            text = read_user_file(path)
        except Exception:  # noqa: BLE001 - a file load_library reports
            continue
        text = text[max(text.find("[[steps]]"), 0):]  # (not the routine's own id)
        wanted = {step_id for step_id in wanted if f'id = "{step_id}"' not in text}
        if not wanted:
            return []
    return sorted(wanted - step_titles(home, assets).keys())


def load_library(home: Path | None = None, assets: Path | None = None) -> Library:
    """Load the bundled routines and guidance, then the user's own routines from ``home``.

    A broken file is left out and described in ``Library.warnings``; it never raises. The bundled
    routine of each muscle is always kept: a user routine that reuses a bundled routine's id or a
    bundled step's id is left out with a warning saying so. A valid user routine for a muscle is the
    one ``routine_for`` gives; the bundled one stays in ``routines``.
    """
    warnings: list[str] = []
    routines: dict[str, Routine] = {}
    guidance: dict[str, Advice] = {}
    try:
        guidance = _load_into(routines, warnings, home, assets)
    except Exception as error:  # never let the relief screen fail to open
        warnings.append(f"The guidance could not be fully loaded ({type(error).__name__}); the bundled steps are used")
    for muscle in MUSCLES:
        if not any(routine.muscle == muscle and routine.origin == "bundled" for routine in routines.values()):
            routines.setdefault(muscle, fallback_routine(muscle))
    return Library(routines=routines, guidance=guidance, warnings=[one_line(warning) for warning in warnings])


def _load_into(routines: dict[str, Routine], warnings: list[str], home: Path | None, assets: Path | None) -> dict[str, Advice]:
    """Fill ``routines`` (bundled first, then the user's) and return the guidance texts."""
    try:
        assets = assets or assets_dir()
    except OSError as error:
        warnings.append(str(error))
        assets = None
    if assets is not None:
        for path in _toml_files(assets / "routines", warnings):
            try:
                routine = load_routine(path, "bundled", warnings)
            except ContentError as error:
                warnings.append(f"Routine left out: {error}")
                continue
            routines[routine.id] = routine
    bundled_steps = {step.id for routine in routines.values() for step in routine.steps}
    user_steps: set[str] = set()
    if home is not None:
        for path in _toml_files(user_routines_dir(home), warnings, MAX_USER_ROUTINES):
            found: list[str] = []
            try:
                routine = load_routine(path, "yours", found)
                _check_user_routine(path, routine, routines, bundled_steps, user_steps)
            except ContentError as error:
                warnings.append(f"Routine left out: {error}")
                continue
            routines[routine.id] = routine
            user_steps.update(step.id for step in routine.steps)
            warnings += found
    if assets is None:
        return {}
    try:
        return load_guidance(assets / "guidance.toml")
    except ContentError as error:
        warnings.append(str(error))
        return {}


def _check_user_routine(path: Path, routine: Routine, routines: dict[str, Routine], bundled_steps: set[str], user_steps: set[str]) -> None:
    """ContentError when a user routine's id or a step id is already taken (the bundled ones always win)."""
    taken = routines.get(routine.id)
    if taken is not None and taken.origin == "bundled":
        raise ContentError(path, f"id {quote(routine.id)} is a bundled routine's id; give yours another id", None, "id")
    if taken is not None:
        raise ContentError(path, f"id {quote(routine.id)} is already used by another of your routines; give this one another id", None, "id")
    for number, step in enumerate(routine.steps, start=1):
        label = f"{number} ({shorten(step.id, 40)})"
        if step.id in bundled_steps:
            raise ContentError(path, f"id {quote(step.id)} is a bundled step's id; give yours another id", label, "id")
        if step.id in user_steps:
            raise ContentError(path, f"id {quote(step.id)} is already used in another of your routines; give it another id", label, "id")
