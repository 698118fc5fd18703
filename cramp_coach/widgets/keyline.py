"""One line of keys and what they do, built from bindings: our own footer, ready in the first frame.

Textual's Footer fills itself in only after the screen's first refresh; a person at 3 a.m. should
see ``! red flags`` and the other essential keys at once. Each key is clickable (and tappable in
``cramp-coach serve``): a click runs the same action as the key.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

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
            parts.append(Content.from_markup(f"[b @click={target}]$key[/] [@click={target}]$label[/]", key=key, label=label))
        self.update(Content("  ").join(parts), layout=False)
