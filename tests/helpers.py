"""Helpers for building the app around a temporary folder and a fake clock."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from cramp_coach.app import CrampCoachApp, ReliefRequest, make_app
from cramp_coach.core.content import load_library
from cramp_coach.services import Services

FIXED_WALL = datetime(2026, 11, 25, 3, 12, tzinfo=UTC)


def text_of(app, selector: str) -> str:
    """The plain text a widget on the current screen shows (unwrapped)."""
    from rich.console import Console
    from rich.text import Text
    from textual.content import Content

    widget = app.screen.query_one(selector)
    content = getattr(widget, "content", None)
    if isinstance(content, (Content, Text)) or hasattr(content, "plain"):
        return content.plain
    if content is None or isinstance(content, str):
        return str(widget.render())
    console = Console(width=max(20, widget.size.width or 80), record=True, file=open(os.devnull, "w"))
    console.print(content)
    return console.export_text()


def app_with_clock(home: Path, clock, relief: ReliefRequest | None = None, bell: bool = True) -> CrampCoachApp:
    """An app on ``home`` whose timers read ``clock`` (a FakeClock)."""
    home.mkdir(parents=True, exist_ok=True)
    services = Services(home=home, library_given=load_library(home), clock=clock, wall_clock=lambda: FIXED_WALL, bell=bell)
    return make_app(services=services, relief=relief)


async def settle(app, pilot, rounds: int = 3) -> None:
    """Let background workers (diary reads and writes) finish and the screen catch up.

    A key that ends the app (quit after a save) cancels what is still winding down; that is the
    app closing, not a failure, so the wait stops there.
    """
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            if app.is_running:
                raise
            return
        await pilot.pause()


def cell_texts(row) -> list[str]:
    """A DataTable row's cells as plain strings."""
    return [getattr(cell, "plain", cell) for cell in row]


def screen_text(app) -> str:
    """What the terminal shows now, as plain lines (what a person can read, nothing scrolled away)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
