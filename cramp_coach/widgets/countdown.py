"""A big countdown: Textual ``Digits`` for a step's remaining time, with a caption beneath."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label

from cramp_coach.core.formatting import clock_text


BAR_WIDTH = 40


def bar_text(fraction: float, width: int = BAR_WIDTH) -> str:
    """A plain text bar: ``fraction`` of ``width`` cells filled."""
    filled = max(0, min(width, round(fraction * width)))
    return "━" * filled + "╌" * (width - filled)


class Countdown(Vertical):
    """Remaining time in big digits, then a bar for the step and a short caption beneath."""

    _caption = ""

    def compose(self) -> ComposeResult:
        yield Digits("0:00", id="countdown-digits")
        yield Label("", id="countdown-caption")

    def show(self, remaining: float, length: float, caption: str) -> None:
        """Display ``remaining`` of ``length`` seconds; cheap when nothing visible changed."""
        text = clock_text(remaining)
        digits = self.query_one(Digits)
        if digits.value != text:
            digits.update(text)
        bar = bar_text(0.0 if length <= 0 else (length - remaining) / length)
        text = f"[$primary]{bar}[/]\n{caption}"
        if text != self._caption:
            self._caption = text
            self.query_one("#countdown-caption", Label).update(text)
