"""Snapshots of the bedtime and looking-back screens at 60x20 in the night theme (the helpers' wall
clock is 03:12, inside the night hours): what a person half-awake sees on a small terminal."""

from __future__ import annotations

from datetime import date

import pytest

from cramp_coach.core.checklist import ChecklistBook
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import cramp_from_dict
from tests.conftest import FakeClock
from tests.helpers import app_with_clock, settle

SIZE = (60, 20)
TONIGHT = date(2026, 11, 24)  # the helpers' wall clock is 2026-11-25 03:12


def _diary(home) -> None:
    """A few cramps (one not a cramp), a fortnight of ticks with a gap, for every screen below."""
    diary = Diary(home)
    for day, (muscle, leg, pain, ended, tags) in enumerate(
        [("calf", "left", 7, "calf-stretch", []), ("foot", "right", 4, "on its own", ["alcohol"]),
         ("calf", "both", 5, None, []), ("other", None, None, None, ["restless legs?"]),
         ("calf", "left", 6, "calf-massage", []), ("hamstring", "right", 3, "calf-stretch", [])],
        start=10,
    ):
        diary.add_cramp(cramp_from_dict({"id": f"snap{day}", "started_at": f"2026-11-{day}T23:1{day % 10}:00+00:00", "muscle": muscle,
                                         "leg": leg, "intensity": pain, "duration_s": 45 * (day - 8), "ended_by": ended,
                                         "tags": tags, "note": "woke at 3" if day == 10 else ""}))
    book = ChecklistBook(diary, tonight=lambda: TONIGHT)
    items = [item.id for item in book.visible()]
    for back in range(1, 15):
        if back in (5, 6):
            continue  # two nights not recorded
        for item_id in items if back % 3 else items[:2]:
            book.tick(date.fromordinal(TONIGHT.toordinal() - back), item_id)
    book.tick(TONIGHT, "fluids")


def _app(home):
    _diary(home)
    return app_with_clock(home, FakeClock(), bell=False)


async def _diary_screen(app, pilot) -> None:
    app.switch_mode("diary")
    await settle(app, pilot)


SCREENS = {
    "diary": [],
    "detail": ["enter"],
    "add_form": ["a"],
    "filters": ["slash"],
    "stats": ["s"],
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_diary_screens(snap_compare, hermetic_home, name):
    app = _app(hermetic_home)

    async def run_before(pilot):
        await _diary_screen(app, pilot)
        for key in SCREENS[name]:
            await pilot.press(key)
            await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


CHECKLIST_SCREENS = {
    "checklist": [],
    "editor": ["e"],
    "insights": ["i"],
    "stretch_timer": ["enter"],
}


@pytest.mark.parametrize("name", list(CHECKLIST_SCREENS))
def test_checklist_screens(snap_compare, hermetic_home, name):
    app = _app(hermetic_home)

    async def run_before(pilot):
        app.switch_mode("checklist")
        await settle(app, pilot)
        for key in CHECKLIST_SCREENS[name]:
            await pilot.press(key)
            await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_trial(snap_compare, hermetic_home):
    app = _app(hermetic_home)

    async def run_before(pilot):
        app.switch_mode("checklist")
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        app.screen.query_one("#insights-body").scroll_end(animate=False)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_settings_with_a_problem_at_its_field(snap_compare, hermetic_home):
    from textual.widgets import Input

    app = _app(hermetic_home)

    async def run_before(pilot):
        app.action_settings()
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#settings-title").update("Settings · saved in <data folder>/config.toml")  # not the temporary path
        screen.query_one("#set-emergency", Input).value = "call mum"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
