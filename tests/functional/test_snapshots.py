"""Snapshots of the relief path's screens (textual pinned exactly, so these are stable).

The wall clock of ``app_with_clock`` is 03:12, so these are in the night theme. The diary,
checklist and insights screens have their own snapshots (test_lookback_snapshots.py).
"""

from __future__ import annotations

from datetime import UTC

import pytest

from cramp_coach.app import ReliefRequest
from tests.conftest import FakeClock
from tests.helpers import app_with_clock, settle


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_relief_screen(snap_compare, hermetic_home, size):
    clock = FakeClock()
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(side="left"))

    async def eleven_seconds_in(pilot):
        await pilot.pause()
        clock.advance(11)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=eleven_seconds_in)


def test_home_screen(snap_compare, hermetic_home):
    app = app_with_clock(hermetic_home, FakeClock())
    assert snap_compare(app, terminal_size=(80, 24))


def test_relief_summary(snap_compare, hermetic_home):
    clock = FakeClock()
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(side="right"))

    async def gone_after_forty_seconds(pilot):
        await pilot.pause()
        clock.advance(40)
        await pilot.pause(0.3)
        await pilot.press("enter", "6")

    assert snap_compare(app, terminal_size=(80, 24), run_before=gone_after_forty_seconds)


def test_home_screen_day_theme(snap_compare, hermetic_home):
    from datetime import datetime

    from cramp_coach.app import make_app
    from cramp_coach.core.content import load_library
    from cramp_coach.services import Services

    hermetic_home.mkdir(parents=True, exist_ok=True)
    afternoon = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    app = make_app(services=Services(home=hermetic_home, library_given=load_library(hermetic_home), wall_clock=lambda: afternoon))
    assert snap_compare(app, terminal_size=(80, 24))


async def _summary(pilot, clock):
    clock.advance(40)
    await pilot.press("enter", "6")


async def _triage(pilot, clock):
    await pilot.press("question_mark")


async def _red_flags(pilot, clock):
    await pilot.press("exclamation_mark")


async def _sources(pilot, clock):
    await pilot.press("escape", "escape")  # leave without saving: home, calm
    await pilot.pause()
    await pilot.press("s")


async def _home_after(pilot, clock):
    clock.advance(40)
    await pilot.press("enter", "enter")  # it's gone, saved: home, calm


async def _leave_dialog(pilot, clock):
    clock.advance(25)
    await pilot.press("f3")


@pytest.mark.parametrize(
    "reach",
    [_summary, _triage, _red_flags, _sources, _home_after, _leave_dialog],
    ids=["summary", "triage", "red-flags", "sources", "home-after-saving", "leave-dialog"],
)
def test_relief_path_at_60x20_at_night(snap_compare, hermetic_home, reach):
    clock = FakeClock()
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(side="left"))

    async def go(pilot):
        await pilot.pause()
        await reach(pilot, clock)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(60, 20), run_before=go)


def test_home_at_60x20_at_night(snap_compare, hermetic_home):
    app = app_with_clock(hermetic_home, FakeClock())
    assert snap_compare(app, terminal_size=(60, 20))
