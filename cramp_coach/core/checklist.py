"""The bedtime checklist: default items from assets, the user's changes to them, and stretch timers.

The user's changes are a small ordered list of ``{"id", "title", "hidden", "custom"}`` records kept in
the diary; ``apply_changes`` lays them over the defaults. Defaults the list does not mention (new in
a later version) are added at the end, so nothing silently disappears. Whatever that stored list
holds (it is JSON anyone could edit), ``apply_changes`` never raises: entries it cannot use are
skipped, titles are cleaned of control codes and capped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cramp_coach.core.content import Routine, Source, Step, read_toml, source_field, text_field
from cramp_coach.core.files import ContentError, quote, shorten
from cramp_coach.core.habits import ListVersion, items_on
from cramp_coach.core.models import local_now, new_id
from cramp_coach.core.nights import bedtime_night
from cramp_coach.core.paths import assets_dir
from cramp_coach.core.text import clean_text, has_controls

if TYPE_CHECKING:
    from cramp_coach.core.diary import Diary

STRETCH_SOURCE = Source(
    title="Hallegraeff et al., J Physiother 2012;58:17-22 (stretching before sleep, 6 weeks)",
    url="https://pubmed.ncbi.nlm.nih.gov/22341378/",
)
MAX_TITLE = 80


@dataclass(frozen=True)
class StretchPattern:
    """Hold, rest, repeats, each leg: the timer a stretch item runs."""

    hold: int
    rest: int
    repeats: int
    legs: tuple[str, ...]

    @property
    def total_seconds(self) -> int:
        """How long the whole stretch takes (no rest after the very last hold)."""
        holds = self.repeats * len(self.legs)
        return holds * self.hold + (holds - 1) * self.rest


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do at bedtime."""

    id: str
    title: str
    detail: str = ""
    source: Source | None = None
    stretch: StretchPattern | None = None
    custom: bool = False
    hidden: bool = False


def _pattern(file: Path, raw: Any, item: str) -> StretchPattern:
    if not isinstance(raw, dict):
        raise ContentError(file, "must be { hold = 10, rest = 10, repeats = 3, legs = [...] }", item, "stretch")
    numbers = {}
    for key, low, high in (("hold", 3, 120), ("rest", 0, 120), ("repeats", 1, 10)):
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ContentError(file, f"{key} must be a whole number from {low} to {high}, got {quote(value)}", item, "stretch")
        numbers[key] = value
    legs = raw.get("legs")
    if not isinstance(legs, list) or not legs or any(leg not in ("left", "right") for leg in legs):
        raise ContentError(file, f"legs must be a list of left/right, got {quote(legs)}", item, "stretch")
    return StretchPattern(legs=tuple(legs), **numbers)


def load_default_items(assets: Path | None = None) -> list[ChecklistItem]:
    """The bundled checklist, validated (raises ContentError naming file, item and field)."""
    try:
        folder = assets or assets_dir()
    except OSError as error:
        raise ContentError("checklist.toml", str(error)) from None
    file = folder / "checklist.toml"
    try:
        return _default_items(file)
    except ContentError:
        raise
    except Exception as error:  # a fault the checks did not foresee still names the file
        raise ContentError(file, f"cannot be used ({type(error).__name__}); the app's files may be damaged, reinstall it") from None


def _default_items(file: Path) -> list[ChecklistItem]:
    data = read_toml(file)
    raws = data.get("items", [])
    if not isinstance(raws, list):
        raise ContentError(file, "must be a list of [[items]] tables", None, "items")
    items = []
    for number, raw in enumerate(raws, start=1):
        label = f"{number} ({shorten(clean_text(str(raw.get('id'))), 40)})" if isinstance(raw, dict) else str(number)
        if not isinstance(raw, dict):
            raise ContentError(file, "must be a table ([[items]])", label)
        items.append(
            ChecklistItem(
                id=text_field(file, raw, "id", label),
                title=text_field(file, raw, "title", label, limit=MAX_TITLE),
                detail=text_field(file, raw, "detail", label, required=False),
                source=source_field(file, raw, label),
                stretch=_pattern(file, raw["stretch"], label) if "stretch" in raw else None,
            )
        )
    if not items:
        raise ContentError(file, "has no [[items]]")
    return items


MAX_ITEM_ID = 80


def _stored_title(value: Any) -> str | None:
    """A title from the stored list, cleaned, on one line and capped; None when there is none to use."""
    if not isinstance(value, str):
        return None
    title = " ".join(clean_text(value).split())
    return shorten(title, MAX_TITLE) if title else None


def apply_changes(defaults: list[ChecklistItem], changes: Any) -> list[ChecklistItem]:
    """Every item (hidden ones too) in the user's order, with their titles.

    ``changes`` is whatever JSON was stored: entries that are not usable records (not a table, no
    text id, an id with control codes or too long, a custom item without a title) are skipped.
    """
    by_id = {item.id: item for item in defaults}
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for change in changes if isinstance(changes, list) else []:
        if not isinstance(change, dict):
            continue
        item_id = change.get("id")
        if not isinstance(item_id, str) or item_id in seen or not item_id.strip():
            continue
        if len(item_id) > MAX_ITEM_ID or has_controls(item_id) or "\n" in item_id:
            continue
        title = _stored_title(change.get("title"))
        if item_id in by_id:
            item = by_id[item_id]
            if title:
                item = replace(item, title=title)
        elif change.get("custom") is True and title:
            item = ChecklistItem(id=item_id, title=title, custom=True)
        else:
            continue
        items.append(replace(item, hidden=change.get("hidden") is True))
        seen.add(item_id)
    items += [item for item in defaults if item.id not in seen]
    return items


def changes_of(items: list[ChecklistItem], defaults: list[ChecklistItem]) -> list[dict[str, Any]]:
    """The stored form of ``items`` (what differs from the defaults is kept, order included)."""
    default_titles = {item.id: item.title for item in defaults}
    records = []
    for item in items:
        record: dict[str, Any] = {"id": clean_text(item.id), "hidden": item.hidden}
        if item.custom or item.title != default_titles.get(item.id):
            record["title"] = " ".join(clean_text(item.title).split())[:MAX_TITLE]
        if item.custom:
            record["custom"] = True
        records.append(record)
    return records


def check_title(title: str) -> str:
    """A usable item title (control codes removed, one line), or ValueError saying what is allowed."""
    if not isinstance(title, str):
        raise ValueError("the title must be text")
    title = " ".join(clean_text(title).split())
    if not title:
        raise ValueError("the title must not be empty")
    if len(title) > MAX_TITLE:
        raise ValueError(f"the title must be at most {MAX_TITLE} characters")
    return title


def add_item(items: list[ChecklistItem], title: str) -> list[ChecklistItem]:
    """Items with a new item of the user's own at the end."""
    title = check_title(title)
    return [*items, ChecklistItem(id=item_id_for(title, {item.id for item in items}), title=title, custom=True)]


def item_id_for(title: str, taken: set[str]) -> str:
    """An id a person can type (`checklist --done warm-bath`): the title's letters and digits in
    lower case, joined by "-" (``-2``, ``-3``... when taken); ``own-`` and a random part when the
    title has none of those (all emoji, say)."""
    words = "".join(char if char.isascii() and char.isalnum() else " " for char in title.lower()).split()
    base = "-".join(words)[:40].strip("-")
    if not base:
        base = f"own-{new_id()[:8]}"
    candidate, count = base, 1
    while candidate in taken:
        count += 1
        candidate = f"{base}-{count}"
    return candidate


def rename_item(items: list[ChecklistItem], item_id: str, title: str) -> list[ChecklistItem]:
    """Items with one renamed."""
    title = check_title(title)
    return [replace(item, title=title) if item.id == item_id else item for item in items]


def toggle_hidden(items: list[ChecklistItem], item_id: str) -> list[ChecklistItem]:
    """Items with one hidden (or shown again)."""
    return [replace(item, hidden=not item.hidden) if item.id == item_id else item for item in items]


def move_item(items: list[ChecklistItem], item_id: str, delta: int) -> list[ChecklistItem]:
    """Items with one moved up (negative) or down."""
    index = next((i for i, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        return list(items)
    target = max(0, min(len(items) - 1, index + delta))
    moved = list(items)
    moved.insert(target, moved.pop(index))
    return moved


def stretch_routine(item: ChecklistItem) -> Routine:
    """The guided timer for a stretch item: hold, rest, repeats, each leg, as routine steps."""
    assert item.stretch is not None
    pattern = item.stretch
    source = item.source or STRETCH_SOURCE
    steps: list[Step] = []
    total = pattern.repeats * len(pattern.legs)
    count = 0
    for leg in pattern.legs:
        for repeat in range(1, pattern.repeats + 1):
            count += 1
            steps.append(
                Step(
                    id=f"{item.id}-{leg}-hold-{repeat}",
                    kind="stretch",
                    title=f"{item.title}: {leg} leg, {repeat} of {pattern.repeats}",
                    instruction=f"Hold the stretch on your {leg} leg. Breathe out; keep it gentle.",
                    tip=item.detail,
                    seconds=pattern.hold,
                    source=source,
                )
            )
            if count < total and pattern.rest:
                steps.append(
                    Step(
                        id=f"{item.id}-{leg}-rest-{repeat}",
                        kind="rest",
                        title="Rest",
                        instruction="Let go and relax." + (" Change legs next." if repeat == pattern.repeats else ""),
                        seconds=pattern.rest,
                        source=source,
                    )
                )
    return Routine(id=f"stretch-{item.id}", muscle="calf", title=item.title, steps=tuple(steps), origin="checklist")


ITEMS_SETTING = "checklist_items"
TRIAL_SETTING = "stretch_trial_start"
HISTORY_SETTING = "checklist_history"


def parse_history(value: Any) -> list[ListVersion]:
    """The stored list history (``[{"since": "YYYY-MM-DD" | null, "items": [...]}, ...]``); bad entries are skipped."""
    versions = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("items"), list):
            continue
        since = entry.get("since")
        try:
            start = date.fromisoformat(since) if isinstance(since, str) else None
        except ValueError:
            continue
        if since is not None and start is None:
            continue
        versions.append(ListVersion(start, tuple(i for i in entry["items"] if isinstance(i, str))))
    return versions


def history_after_change(
    history_value: Any, old_visible: list[str], new_visible: list[str], tonight: date
) -> list[dict[str, Any]]:
    """The stored list history once the visible list changes from ``old_visible`` to ``new_visible``
    tonight: past nights keep the list they had; tonight and later nights use the new one."""
    history = [entry for entry in (history_value if isinstance(history_value, list) else []) if isinstance(entry, dict)]
    if old_visible == new_visible:
        return history
    if not history:
        history = [{"since": None, "items": list(old_visible)}]
    stamp = tonight.isoformat()
    history = [entry for entry in history if entry.get("since") != stamp]
    history.append({"since": stamp, "items": list(new_visible)})
    return history


class ChecklistBook:
    """The checklist as the user keeps it: their items, each night's ticks, and the list's history
    (so that a night is always judged by the list it had), all in the diary."""

    def __init__(
        self,
        diary: Diary,
        defaults: list[ChecklistItem] | None = None,
        tonight: Callable[[], date] | None = None,
    ):
        self.diary = diary
        self.defaults = defaults if defaults is not None else load_default_items()
        self.tonight = tonight or (lambda: bedtime_night(local_now()))

    def items(self) -> list[ChecklistItem]:
        """Every item, hidden ones too, in the user's order."""
        return apply_changes(self.defaults, self.diary.kept_value(ITEMS_SETTING, []))

    def visible(self) -> list[ChecklistItem]:
        """The items on tonight's list."""
        return [item for item in self.items() if not item.hidden]

    def items_for(self, night: date) -> list[ChecklistItem]:
        """The items that were on ``night``'s list (tonight's list for tonight and nights before any change)."""
        every = self.items()
        current = [item.id for item in every if not item.hidden]
        ids = items_on(night, parse_history(self.diary.kept_value(HISTORY_SETTING, [])), current)
        by_id = {item.id: item for item in every}
        return [replace(by_id[item_id], hidden=False) for item_id in ids if item_id in by_id]

    def night_view(self, night: date) -> tuple[list[ChecklistItem], set[str]]:
        """``night``'s list (as it was then) and its ticks, from one read of the diary."""
        snapshot = self.diary.snapshot()
        changes = snapshot.kept_value(ITEMS_SETTING, [])
        every = apply_changes(self.defaults, changes if isinstance(changes, list) else [])
        current = [item.id for item in every if not item.hidden]
        ids = items_on(night, parse_history(snapshot.kept_value(HISTORY_SETTING, [])), current)
        by_id = {item.id: item for item in every}
        record = snapshot.nights.get(night)
        return [replace(by_id[i], hidden=False) for i in ids if i in by_id], set(record.ticks if record else ())

    def save(self, items: list[ChecklistItem]) -> None:
        """Keep the user's items (order, titles, hidden, their own), and when the list changed."""
        old = [item.id for item in self.visible()]
        new = [item.id for item in items if not item.hidden]
        history = history_after_change(self.diary.kept_value(HISTORY_SETTING, []), old, new, self.tonight())
        self.diary.keep_values({ITEMS_SETTING: changes_of(items, self.defaults), HISTORY_SETTING: history})

    def restore_defaults(self) -> None:
        """Back to the bundled list (ticks already made, and past nights' lists, are kept)."""
        self.save(list(self.defaults))

    def ticks(self, night: date) -> set[str]:
        """The items ticked on ``night``."""
        return set(self.diary.night(night).ticks)

    def tick(self, night: date, item_id: str, done: bool = True) -> None:
        """Tick or untick an item for a night; saved at once."""
        self.diary.set_tick(night, item_id, done)

    def trial_start(self) -> date | None:
        """The night the 6-week stretching trial began, if the user started one."""
        value = self.diary.kept_value(TRIAL_SETTING)
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def start_trial(self, night: date) -> None:
        """Begin the 6-week stretching trial on ``night``."""
        self.diary.keep_value(TRIAL_SETTING, night.isoformat())

    def stop_trial(self) -> None:
        """Forget the trial."""
        self.diary.keep_value(TRIAL_SETTING, None)
