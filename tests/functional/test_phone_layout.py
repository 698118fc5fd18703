"""A phone's screen (about 41 columns; 20 rows with its keyboard open, 39 without): every key of
relief, its summary, home and the bedtime checklist is also a button to tap, nothing is cut off,
and a tap never takes the keys away (enter, space and the letters keep doing what they say)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Button, Input, Select, Switch

from cramp_coach.app import ReliefRequest
from cramp_coach.core.diary import Diary
from cramp_coach.core.routine import Phase
from cramp_coach.screens.checklist import ChecklistScreen
from cramp_coach.screens.home import HomeScreen
from cramp_coach.screens.relief import ReliefScreen
from cramp_coach.screens.safety import RedFlagsScreen
from cramp_coach.screens.settings import SettingsScreen
from cramp_coach.screens.stretch import StretchScreen
from cramp_coach.screens.summary import SummaryScreen
from cramp_coach.widgets.keyline import TapButton
from tests.helpers import app_with_clock, settle, text_of

PHONE_SIZES = [(41, 20), (41, 39)]
PHONE_IDS = ["41x20-keyboard-open", "41x39"]


def assert_nothing_cut(app) -> None:
    """Every button shown lies inside the screen, whole, its label on one line."""
    width, height = app.size
    shown = [button for button in app.screen.query(Button) if button.region.area]
    assert shown, "no buttons on screen"
    for button in shown:
        region = button.region
        assert region.right <= width and region.bottom <= height, f"#{button.id} runs off the screen: {region}"
        label = cell_len(button.label.plain)
        assert region.width >= label, f"#{button.id} is cut: {button.label.plain!r} in {region.width} columns"
        assert region.height == (1 if button.compact else 3), f"#{button.id}'s label wraps"


async def start_relief(app, pilot) -> ReliefScreen:
    await pilot.pause()
    await settle(app, pilot)  # the buttons come just after the first frame
    screen = app.screen
    assert isinstance(screen, ReliefScreen)
    return screen


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
async def test_relief_every_key_is_a_button(hermetic_home, clock, size):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=size) as pilot:
        relief = await start_relief(app, pilot)
        assert relief.has_class("narrow")
        assert_nothing_cut(app)
        assert not relief.query_one("#keys").display, "the key line gives way to the buttons"
        run = relief.run

        await pilot.click("#tap-pause")
        assert run.phase is Phase.PAUSED
        assert relief.query_one("#tap-pause", Button).label.plain == "go on"
        await pilot.press("space")  # the key still works after a tap: nothing took focus
        assert run.phase is Phase.RUNNING and app.focused is None
        await pilot.pause(0.3)  # a button ignores a second tap within its short press animation
        await pilot.click("#tap-pause")
        await pilot.pause(0.3)
        await pilot.click("#tap-pause")  # "go on"
        assert run.phase is Phase.RUNNING
        assert relief.query_one("#tap-pause", Button).label.plain == "pause"

        await pilot.click("#tap-next")
        assert run.index == 1
        before = run.remaining(clock())
        await pilot.click("#tap-add-time")
        assert run.remaining(clock()) == pytest.approx(before + 15)
        await pilot.click("#tap-back")
        assert run.index == 0

        await pilot.click("#tap-foot")
        assert relief.run.routine.muscle == "foot"
        assert relief.query_one("#tap-foot", Button).variant == "primary"  # the one chosen, marked
        await pilot.click("#tap-right")
        assert relief.run.side == "right" and "right leg" in text_of(app, "#relief-head")

        await pilot.click("#tap-red-flags")
        await pilot.pause()
        assert isinstance(app.screen, RedFlagsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is relief
        assert_nothing_cut(app)

        await pilot.click("#its-gone")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and app.screen.run.gone


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
async def test_relief_leave_is_a_button(hermetic_home, clock, size):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=size) as pilot:
        await start_relief(app, pilot)
        await pilot.click("#tap-leave")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and not app.screen.run.gone


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
async def test_summary_pain_leg_and_save_by_touch(hermetic_home, clock, size):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=size) as pilot:
        await start_relief(app, pilot)
        clock.advance(40)
        await pilot.click("#its-gone")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert_nothing_cut(app)
        first_line = summary.query_one("#summary-text")
        assert first_line.region.height >= 2 and text_of(app, "#summary-text").startswith("It's gone.")
        box = summary.query_one("#summary-box")
        assert first_line.region.y == box.region.y + 1, "the summary's first line is scrolled away"
        note = summary.query_one("#summary-note", Input)
        assert note.region.width >= cell_len(note.placeholder) + 2, "the note's placeholder is cut"

        await pilot.click("#pain-10")
        await pilot.click("#leg-both")
        assert summary.intensity == 10 and summary.side == "both"
        assert "Pain 10/10 · leg both" in text_of(app, "#summary-fields")
        assert summary.query_one("#pain-10", Button).variant == "primary"
        await pilot.pause(0.3)
        await pilot.click("#pain-6")
        await pilot.click("#leg-right")
        await pilot.click("#save")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.focused is None  # calm: a second enter starts nothing
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    (cramp,) = Diary(hermetic_home).cramps()
    assert (cramp.intensity, cramp.leg) == (6, "right")


async def test_summary_keys_still_work_after_taps(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(41, 39)) as pilot:
        await start_relief(app, pilot)
        await pilot.click("#its-gone")
        await pilot.pause()
        await pilot.click("#pain-3")
        await pilot.press("7", "r")  # keys after a tap: still pain and leg
        await pilot.press("n", "x", "l")  # the note has focus: letters are typing...
        await pilot.click("#leg-left")  # ...but a tap still chooses
        assert app.screen.side == "left" and app.screen.query_one("#summary-note", Input).value == "xl"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    (cramp,) = Diary(hermetic_home).cramps()
    assert (cramp.intensity, cramp.leg, cramp.note) == (7, "left", "xl")


async def test_summary_dont_save_is_a_button(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(41, 20)) as pilot:
        await start_relief(app, pilot)
        await pilot.click("#its-gone")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        await pilot.click("#yes")  # asked first: "Don't save this cramp?"
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    assert Diary(hermetic_home).cramps() == []


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
@pytest.mark.parametrize(
    ("button", "lands_on"),
    [
        ("#tap-checklist", "ChecklistScreen"),
        ("#tap-diary", "DiaryScreen"),
        ("#tap-red-flags", "RedFlagsScreen"),
        ("#tap-triage", "TriageScreen"),
        ("#tap-sources", "SourcesScreen"),
        ("#tap-settings", "SettingsScreen"),
        ("#cramp-now", "ReliefScreen"),
        ("#tap-hamstring", "ReliefScreen"),
    ],
)
async def test_home_every_part_is_a_button(hermetic_home, clock, size, button, lands_on):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen) and app.screen.has_class("narrow")
        assert_nothing_cut(app)
        assert all(not tap.can_focus for tap in app.screen.query(TapButton))
        await pilot.click(button)
        await settle(app, pilot)
        assert type(app.screen).__name__ == lands_on
        if button == "#tap-hamstring":
            assert app.screen.run.routine.muscle == "hamstring"


async def test_home_keys_still_work_beside_the_buttons(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(41, 20)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.screen.query_one("#cramp-now")
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ReliefScreen) and app.screen.run.routine.muscle == "foot"


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
async def test_checklist_tick_and_timer_by_touch(hermetic_home, clock, size):
    app = app_with_clock(hermetic_home, clock, bell=False)
    async with app.run_test(size=size) as pilot:
        app.switch_mode("checklist")
        await settle(app, pilot)
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen) and checklist.has_class("narrow")
        assert_nothing_cut(app)
        await pilot.press("down", "down")  # fluids
        await pilot.click("#tap-tick")
        await settle(app, pilot)
        assert "fluids" in checklist.ticked and "1 of 7 done" in text_of(app, "#checklist-head")
        await pilot.press("space")  # the key still works after a tap: untick
        await settle(app, pilot)
        assert "fluids" not in checklist.ticked

        await pilot.press("up", "up")  # the calf stretch
        await pilot.click("#tap-timer")
        await pilot.pause()
        assert isinstance(app.screen, StretchScreen)
        assert_nothing_cut(app)
        await pilot.click("#tap-pause")
        assert app.screen.run.phase is Phase.PAUSED
        await pilot.click("#tap-stop")
        await settle(app, pilot)
        assert app.screen is checklist

        await pilot.click("#tap-night-before")
        await settle(app, pilot)
        assert "last night" in text_of(app, "#checklist-head")
        await pilot.click("#tap-home")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
async def test_diary_add_stats_and_home_by_touch(hermetic_home, clock, size):
    from cramp_coach.screens.diary import DiaryScreen
    from cramp_coach.screens.entry_forms import CrampFormScreen
    from cramp_coach.screens.stats import StatsScreen

    app = app_with_clock(hermetic_home, clock, bell=False)
    async with app.run_test(size=size) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        diary = app.screen
        assert isinstance(diary, DiaryScreen) and diary.has_class("narrow")
        assert_nothing_cut(app)
        assert not diary.query_one("SteadyFooter").display  # the buttons stand in for it
        await pilot.click("#tap-add")
        await settle(app, pilot)
        assert isinstance(app.screen, CrampFormScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.click("#tap-stats")
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.click("#tap-home")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
async def test_checklist_editor_by_touch(hermetic_home, clock, size):
    from cramp_coach.screens.checklist_edit import ChecklistEditScreen

    app = app_with_clock(hermetic_home, clock, bell=False)
    async with app.run_test(size=size) as pilot:
        app.switch_mode("checklist")
        await settle(app, pilot)
        await pilot.click("#tap-edit")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, ChecklistEditScreen) and editor.has_class("narrow")
        assert_nothing_cut(app)
        first = editor.items[0].id
        await pilot.click("#tap-down")
        await settle(app, pilot)
        assert editor.items[1].id == first
        await pilot.click("#tap-hide")
        await settle(app, pilot)
        assert next(item for item in editor.items if item.id == first).hidden
        await pilot.click("#tap-done")
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
async def test_settings_fields_all_within_the_width(hermetic_home, clock, size):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=size) as pilot:
        app.push_screen(SettingsScreen())
        await settle(app, pilot)
        settings = app.screen
        fields = [*settings.query(Input), *settings.query(Select), *settings.query(Switch)]
        assert len(fields) > 10
        for field in fields:
            settings.query_one("#settings-body").scroll_to_widget(field, animate=False)
            await pilot.pause()
            assert field.region.width and field.region.right <= size[0], f"{field} is off the right edge: {field.region}"
        labels = [label for label in settings.query(".setting-label") if label.region.area]
        assert all(label.region.right <= size[0] for label in labels)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_a_terminal_keeps_its_keys_and_no_button_rows(hermetic_home, clock, size):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=size) as pilot:
        relief = await start_relief(app, pilot)
        assert not relief.has_class("narrow")
        assert text_of(app, "#keys").startswith("! red flags")
        assert not relief.query_one("#tap-rows").display
        gone = relief.query_one("#its-gone", Button)
        assert gone.region.height == 1 and gone.region.area  # beside "Next: ...", as ever
        await pilot.click("#its-gone")
        await pilot.pause()
        assert not app.screen.query_one("#summary-taps").display


@pytest.mark.parametrize("muscle", ["calf", "foot", "hamstring", "quadriceps"])
async def test_every_step_fits_a_phone_with_its_keyboard_open(hermetic_home, clock, muscle):
    """The longest steps (an instruction and a safety line) on the first run (with its line about
    what this is): the step's words, its safety line and every button stay on the 20 rows."""
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(muscle=muscle))
    async with app.run_test(size=(41, 20)) as pilot:
        relief = await start_relief(app, pilot)
        assert relief.query_one("#first-run").display
        for _ in relief.run.routine.steps:
            assert_nothing_cut(app)
            assert all(button.region.area for button in relief.query(TapButton)), f"a button is off screen at {relief.run.step.id}"
            for part in ("#instruction", "#caution"):
                widget = relief.query_one(part)
                if widget.display:
                    assert widget.region.height == widget.virtual_region.height, f"{part} of {relief.run.step.id} is cut"
            assert relief.run.step.title in text_of(app, "#step-title")
            await pilot.press("n")
            await pilot.pause()


@pytest.mark.parametrize("size", PHONE_SIZES, ids=PHONE_IDS)
async def test_after_ten_minutes_the_advice_shows_and_the_buttons_stay(hermetic_home, clock, size):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(), bell=False)
    async with app.run_test(size=size) as pilot:
        relief = await start_relief(app, pilot)
        clock.advance(11 * 60)
        await pilot.pause(0.3)
        await settle(app, pilot)
        advice = relief.query_one("#escalation")
        assert advice.region.height >= 4 and "get medical" in text_of(app, "#escalation")
        for button in ("#its-gone", "#tap-pause", "#tap-next", "#tap-red-flags", "#tap-leave"):
            assert relief.query_one(button).region.area, f"{button} is gone"
        assert_nothing_cut(app)
        await pilot.click("#tap-red-flags")
        await pilot.pause()
        assert isinstance(app.screen, RedFlagsScreen)
