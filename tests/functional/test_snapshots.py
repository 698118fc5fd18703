"""Snapshots of the key screens (textual pinned exactly, so these are stable)."""

from __future__ import annotations

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


def test_diary_screen(snap_compare, hermetic_home):
    from cramp_coach.core.diary import Diary
    from cramp_coach.core.models import cramp_from_dict

    diary = Diary(hermetic_home)
    for day, (muscle, leg, pain, ended) in enumerate(
        [("calf", "left", 7, "calf-stretch"), ("foot", "right", 4, "on its own"), ("calf", "both", 5, None)], start=1
    ):
        diary.add_cramp(cramp_from_dict({"id": f"snap{day}", "started_at": f"2026-11-0{day}T03:1{day}:00+00:00", "muscle": muscle,
                                         "leg": leg, "intensity": pain, "duration_s": 60 * day, "ended_by": ended}))
    app = app_with_clock(hermetic_home, FakeClock())

    async def open_diary(pilot):
        app.switch_mode("diary")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_diary)


def _ticked_book(home):
    from datetime import date

    from cramp_coach.core.checklist import ChecklistBook
    from cramp_coach.core.diary import Diary
    from cramp_coach.core.models import cramp_from_dict

    diary = Diary(home)
    book = ChecklistBook(diary)
    for offset in range(1, 6):
        for item in book.visible()[: 7 if offset % 2 else 3]:
            book.tick(date(2026, 11, 24 - offset), item.id)
    book.tick(date(2026, 11, 24), "fluids")
    for day in (18, 20, 21):
        diary.add_cramp(cramp_from_dict({"id": f"c{day}", "started_at": f"2026-11-{day}T23:30:00+00:00", "muscle": "calf", "intensity": 5}))
    return book


def test_checklist_screen(snap_compare, hermetic_home):
    _ticked_book(hermetic_home)
    app = app_with_clock(hermetic_home, FakeClock())

    async def open_checklist(pilot):
        app.switch_mode("checklist")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_checklist)


def test_insights_screen(snap_compare, hermetic_home):
    _ticked_book(hermetic_home)
    app = app_with_clock(hermetic_home, FakeClock())

    async def open_insights(pilot):
        app.switch_mode("checklist")
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=open_insights)


def test_home_screen_day_theme(snap_compare, hermetic_home):
    from datetime import datetime, timezone

    from cramp_coach.app import make_app
    from cramp_coach.core.content import load_library
    from cramp_coach.services import Services

    hermetic_home.mkdir(parents=True, exist_ok=True)
    afternoon = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)
    app = make_app(services=Services(home=hermetic_home, _library=load_library(hermetic_home), wall_clock=lambda: afternoon))
    assert snap_compare(app, terminal_size=(80, 24))
