"""A Footer that is rebuilt only when the keys it shows change.

Textual's Footer recomposes (every key widget made, mounted and styled again) on each bindings
signal, and screens send one whenever focus moves or a key may have come or gone: at start-up that
is a second full footer before a screen can do anything else, and the diary's two-second poll made
one every two seconds. This one compares what it would show with what it shows, and skips the
rebuild when nothing changed. It also shows its keys only once its screen is on the glass (as
Textual's own Footer means to, composing empty and filling in on the first bindings signal; while
the app starts, that signal comes before the first frame and would hold it up).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A Footer that recomposes only when a shown key, its label or whether it is enabled changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._showing: tuple[object, ...] | None = None

    def _keys_now(self) -> tuple[object, ...]:
        """What the footer would show now: each shown binding's key, label, action, state and tip."""
        return tuple(
            (binding.key, binding.key_display, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        ) + (self.show_command_palette, self.compact)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.app._batch_count or not self.app._running:  # the app is starting: nothing is painted yet
            self.set_timer(0.002, lambda: self.bindings_changed(screen))
            return
        if self._bindings_ready and self.is_attached and screen is self.screen and self._keys_now() == self._showing:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._showing = self._keys_now()
        yield from super().compose()
