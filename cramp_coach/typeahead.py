"""Keys typed ahead are handled one after another, each by the screen on top when its turn comes.

A person who knows the app types ``n 4 Tab 2`` in one go: open the night form, sleep quality 4,
woken twice. Textual hands every key, as it arrives, to the widget focused at that moment, and a
key's bindings run only once it has travelled up from that widget to the screen and the app. So
``4``, Tab and ``2`` went to the diary's table before the ``n`` had opened the form, and were lost;
and keys typed faster than a form takes them (Tab, then text) land in the field Tab was leaving.

:class:`TypeAheadApp` hands a key on only when the one before it has been dealt with:

- A key given to a widget is followed up the widget's parents by a marker posted behind it at
  each step; when the marker reaches the app, the key has been used or has come all the way up
  (and one step later, so does anything its action queued on the app, such as a move of focus).
- Keys that come meanwhile, or while the top screen is still opening (not composed, nothing
  focused yet, or still reading what its keys act on: the diary's entries, the checklist's
  items), wait in order. A key whose marker is lost, or a screen that does not open within
  ``TYPE_AHEAD_MOST_SECONDS``, holds nothing up for longer than that.

Keys typed at a person's pace are never held: each is dealt with long before the next comes.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump


class TypeAheadApp(App[None]):
    """An App that deals with key presses one at a time, each on the screen that is ready for it."""

    TYPE_AHEAD_LOOK_SECONDS = 0.005  # how often waiting keys look whether they may go on
    TYPE_AHEAD_MOST_SECONDS = 1.0  # no key waits longer than this for the one before it or its screen

    def _type_ahead(self) -> dict[str, Any]:
        state: dict[str, Any] = self.__dict__.setdefault("_type_ahead_state", {"waiting": [], "busy": None, "since": 0.0})
        return state

    def _screen_ready(self) -> bool:
        """The top screen is composed, and has what its keys act on (``ready_for_keys``, if it says)."""
        try:
            screen = self.screen
        except Exception:  # noqa: BLE001 - no screen at all (starting or closing): nothing to wait for
            return True
        ready = getattr(screen, "ready_for_keys", None)
        return screen.is_mounted and (ready is None or bool(ready()))

    def keys_wait_for_a_screen(self) -> None:
        """An action will open a screen a moment from now (after a read in a thread): keys typed
        meanwhile wait for it, rather than going to the screen below (at most TYPE_AHEAD_MOST_SECONDS)."""
        state = self._type_ahead()
        state["awaiting"] = self.screen
        state["since"] = time.monotonic()

    def _may_go_on(self) -> bool:
        state = self._type_ahead()
        late = time.monotonic() - state["since"] > self.TYPE_AHEAD_MOST_SECONDS
        if late:
            state["busy"] = state["awaiting"] = None
        elif state.get("awaiting") is not None and state["awaiting"] is not self.screen:
            state["awaiting"] = None  # the screen it was waiting for has opened
        return late or (state["busy"] is None and state.get("awaiting") is None and self._screen_ready())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            state = self._type_ahead()
            if state["waiting"] or not self._may_go_on():
                if not state["waiting"]:
                    self.set_timer(self.TYPE_AHEAD_LOOK_SECONDS, self._hand_on_waiting_keys)
                state["waiting"].append(event)
                return
            await self._deal_with(event)
            return
        await super().on_event(event)

    async def _deal_with(self, key: events.Key) -> None:
        """Give ``key`` to the app's usual handling, and follow it if it went to a widget."""
        state = self._type_ahead()
        target = self.focused or self.screen
        state["since"] = time.monotonic()
        await super().on_event(key)
        if key.is_forwarded:  # given to ``target``: busy until it has been dealt with
            state["busy"] = key
            self._follow(key, target)

    def _follow(self, key: events.Key, node: MessagePump) -> None:
        """Post a marker behind ``key`` at ``node``; at each step it moves to the parent."""

        def reached() -> None:
            parent = getattr(node, "parent", None)
            if parent is None or parent is self or not isinstance(parent, MessagePump):
                self.call_later(self._dealt_with, key)
            else:
                self._follow(key, parent)

        if node is self or not node.call_later(reached):
            self.call_later(self._dealt_with, key)

    async def _dealt_with(self, key: events.Key) -> None:
        state = self._type_ahead()
        if state["busy"] is key:
            state["busy"] = None
        # One step later: what the key's action queued on the app runs first (Widget.focus() moves
        # the focus by a call_later), so the next key goes where that action meant it to.
        self.call_later(self._hand_on_waiting_keys, False)

    async def _hand_on_waiting_keys(self, again: bool = True) -> None:
        """Hand waiting keys on, in order, while each may go; look again soon if some must wait."""
        state = self._type_ahead()
        waiting = state["waiting"]
        while waiting and self._may_go_on():
            await self._deal_with(waiting.pop(0))
        if waiting and again:
            self.set_timer(self.TYPE_AHEAD_LOOK_SECONDS, self._hand_on_waiting_keys)
