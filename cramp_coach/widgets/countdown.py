"""A big clock for a guided step: the time left (a countdown), or how long a hold has lasted (a count-up).

The clock, the line under it and the caption are updated only when what they show changes, and
without a new layout: their sizes are fixed.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Static

from cramp_coach.core.formatting import clock_text

BAR_WIDTH = 40


def bar_text(fraction: float, width: int = BAR_WIDTH) -> str:
    """A plain text bar: ``fraction`` of ``width`` cells filled."""
    filled = max(0, min(width, round(fraction * width)))
    return "━" * filled + "╌" * (width - filled)


def elapsed_text(seconds: float) -> str:
    """Time gone by as m:ss, whole seconds only (never rounded up: 0:01 shows once a second has passed)."""
    whole = max(0, math.floor(seconds + 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown(Vertical):
    """The time in big digits, then a bar (or "held m:ss") and a short caption beneath."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._shown = ("0:00", "", "")

    def compose(self) -> ComposeResult:
        yield Digits("0:00", id="countdown-digits")
        yield Static("", id="countdown-bar", markup=False)
        yield Static("", id="countdown-caption", markup=False, classes="-empty")

    def show_remaining(self, remaining: float, length: float, caption: str) -> None:
        """A countdown: ``remaining`` of ``length`` seconds (shown rounded up: never a second early)."""
        bar = bar_text(0.0 if length <= 0 else (length - remaining) / length)
        self._show(clock_text(remaining), bar, caption)

    def show_held(self, held: float, caption: str) -> None:
        """A count-up: how long a stretch has been held."""
        text = elapsed_text(held)
        self._show(text, f"held {text}", caption)

    def _show(self, digits: str, bar: str, caption: str) -> None:
        before = self._shown
        if (digits, bar, caption) == before:
            return
        self._shown = (digits, bar, caption)
        if digits != before[0]:
            self.query_one(Digits).update(digits)
        if bar != before[1]:
            self.query_one("#countdown-bar", Static).update(bar, layout=False)
        if caption != before[2]:
            # A caption may wrap to another line at a narrow width: that one needs a layout.
            line = self.query_one("#countdown-caption", Static)
            line.update(caption)
            line.set_class(not caption, "-empty")  # a short screen can leave an empty one out
