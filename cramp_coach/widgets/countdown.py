"""A big countdown: Textual ``Digits`` for a step's remaining time, with a caption beneath."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label, ProgressBar


def clock_text(seconds: float) -> str:
    """Seconds as m:ss, rounded up so 0:00 shows only when time is really up."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown(Vertical):
    """Remaining time in big digits, a bar for the step, and a short caption."""

    _caption = ""

    def compose(self) -> ComposeResult:
        yield Digits("0:00", id="countdown-digits")
        yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="countdown-bar")
        yield Label("", id="countdown-caption")

    def show(self, remaining: float, length: float, caption: str) -> None:
        """Display ``remaining`` of ``length`` seconds; cheap when nothing visible changed."""
        text = clock_text(remaining)
        digits = self.query_one(Digits)
        if digits.value != text:
            digits.update(text)
        bar = self.query_one(ProgressBar)
        done = 0 if length <= 0 else round(100 * (length - remaining) / length)
        if bar.progress != done:
            bar.update(total=100, progress=done)
        if caption != self._caption:
            self._caption = caption
            self.query_one("#countdown-caption", Label).update(caption)
