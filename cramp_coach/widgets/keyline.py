"""One line of keys and what they do, built from bindings: our own footer, ready in the first frame.

Textual's Footer fills itself in only after the screen's first refresh; a person at 3 a.m. should
see ``! red flags`` and the other essential keys at once. Each key is clickable (and tappable in
``cramp-coach serve``): a click runs the same action as the key.

On a phone-sized screen, :class:`TapButton` rows stand in for the key hints: each runs a key's
action and never takes focus.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

KEY_SHOWN = {
    "space": "space",
    "enter": "⏎",
    "escape": "esc",
    "exclamation_mark": "!",
    "question_mark": "?",
    "plus": "+",
    "right": "→",
    "left": "←",
}


BOLD = Style(bold=True)


def key_shown(keys: str) -> str:
    """The first of a binding's keys, as printed on a keyboard."""
    first = keys.split(",")[0].strip()
    return KEY_SHOWN.get(first, first)


class KeyLine(Static):
    """``key label`` pairs on one line; unchanged text is not redrawn."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, markup=False)
        self._pairs: tuple[tuple[str, str, str], ...] = ()

    def show(self, bindings: Iterable[Binding], namespace: str = "screen") -> None:
        """Show these bindings (their first key, their description), each clickable."""
        pairs = tuple((key_shown(b.key), b.description, b.action) for b in bindings)
        if pairs == self._pairs:
            return
        self._pairs = pairs
        parts = []
        for key, label, action in pairs:
            target = action if "." in action.split("(")[0] else f"{namespace}.{action}"
            click = Style.from_meta({"@click": target})  # built, not parsed from markup: the first frame waits for this
            parts.append(Content.assemble((key, BOLD + click), " ", (label, click)))
        self.update(Content("  ").join(parts), layout=False)


NARROW_WIDTH = 60  # below this many columns (a phone): rows of buttons to tap, in place of key hints
ROOMY_HEIGHT = 30  # from this many rows: buttons three rows tall, easy for a finger; below, one row


class TapButton(Button):
    """A button for a finger: runs the same action as its key, and never takes focus, so keys
    (enter, space, letters) go on doing what they say whatever was tapped."""

    DEFAULT_CSS = """
    TapButton {
        width: 1fr;
        min-width: 0;
    }
    """

    can_focus = False

    def __init__(self, label: str, action: str, *, id: str | None = None, variant: ButtonVariant = "default") -> None:  # noqa: A002 - Textual's name
        target = action if "." in action.split("(")[0] else f"screen.{action}"
        super().__init__(label, variant, id=id, action=target, compact=True)
        self.styles.min_width = cell_len(label) + 2  # a row shares its width, never cutting a label

class TapRow(Horizontal):
    """Buttons side by side, sharing the width."""

    DEFAULT_CSS = """
    TapRow {
        height: auto;
    }
    """


def tap_row(*buttons: Button, id: str | None = None) -> TapRow:  # noqa: A002 - Textual's name
    """Buttons side by side, sharing the width."""
    return TapRow(*buttons, id=id)


def fit_to_size(screen: Screen[Any]) -> bool:
    """Mark ``screen`` ``narrow`` below :data:`NARROW_WIDTH` columns (and ``roomy`` when it is also
    :data:`ROOMY_HEIGHT` rows or more: tap buttons three rows tall, else one); returns whether it
    is narrow. A wide screen keeps its compact look."""
    width, height = screen.app.size  # the whole terminal (a screen's own size leaves out its padding)
    narrow = width < NARROW_WIDTH
    roomy = narrow and height >= ROOMY_HEIGHT
    screen.set_class(narrow, "narrow")
    screen.set_class(roomy, "roomy")
    for button in screen.query(TapButton):
        button.compact = not roomy
    return narrow
