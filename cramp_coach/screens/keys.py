"""One-key choices shared by the relief screen, its summary and home (legs, muscles, pain), and
the morning's "no cramps last night" key of the diary and the checklist."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.binding import Binding
from textual.screen import Screen

from cramp_coach.core.content import MUSCLES
from cramp_coach.core.nights import is_morning

SIDE_KEYS = {"l": "left", "r": "right", "o": "both"}
MUSCLE_SHORT = {"calf": "calf", "foot": "foot", "hamstring": "back thigh", "quadriceps": "front thigh"}
MUSCLE_KEYS = {str(number): muscle for number, muscle in enumerate(MUSCLES, start=1)}
INTENSITY_KEYS = {str(n): n for n in range(1, 10)} | {"0": 10}


def muscle_choices() -> str:
    """The one-key muscle choices, as markup (our own text only)."""
    return "  ".join(f"[b]{key}[/b] {MUSCLE_SHORT[muscle]}" for key, muscle in MUSCLE_KEYS.items())


def side_choices() -> str:
    """The one-key leg choices, as markup (our own text only)."""
    return "  ".join(f"[b]{key}[/b] {side}" for key, side in SIDE_KEYS.items())


# "0": last night with no cramps, in the morning; the same key at other times says when it works.
# Not in the footer (at 60 columns it pushed out keys that matter more): the screen says it in the
# morning, in a line of its own, and the command palette lists it.
NO_CRAMPS_BINDINGS = [
    Binding("0", "no_cramps", "no cramps last night", show=False),
    Binding("0", "no_cramps_not_now", "no cramps (mornings)", show=False),
]


def no_cramps_key_allowed(action: str, now: datetime) -> bool | None:
    """For a screen's check_action: which of the two "0" actions is live at ``now`` (None: not one of them)."""
    if action == "no_cramps":
        return is_morning(now)
    if action == "no_cramps_not_now":
        return not is_morning(now)
    return None


def explain_no_cramps_not_now(screen: Screen[Any], elsewhere: str) -> None:
    """``0`` outside the morning: say when it works, and what to use now (``elsewhere``)."""
    screen.notify(f"In the morning (05:00 to noon), 0 keeps last night as a night with no cramps. {elsewhere}", timeout=6)
