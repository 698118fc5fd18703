"""The bedtime checklist, its stretch timer, the list editor and the insights, with the Pilot."""

from __future__ import annotations

from datetime import date

from textual.widgets import OptionList

from cramp_coach.core.checklist import ChecklistBook
from cramp_coach.core.diary import Diary
from cramp_coach.screens.checklist import ChecklistScreen
from cramp_coach.screens.checklist_edit import ChecklistEditScreen
from cramp_coach.screens.dialogs import ConfirmScreen, TextPromptScreen
from cramp_coach.screens.insights import InsightsScreen
from cramp_coach.screens.stretch import StretchScreen
from tests.helpers import app_with_clock, screen_text, settle, text_of

TONIGHT = date(2026, 11, 24)  # the helpers' wall clock is 2026-11-25 03:12


async def open_checklist(app, pilot):
    app.switch_mode("checklist")
    await pilot.pause()
    await settle(app, pilot)
    assert isinstance(app.screen, ChecklistScreen)


async def test_tick_is_saved_at_once_and_survives_a_restart(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        assert "tonight (Tue 24 Nov)" in text_of(app, "#checklist-head")
        await pilot.press("down", "down", "space")  # fluids
        await settle(app, pilot)
        assert "1 of 7 done" in text_of(app, "#checklist-head")
    assert Diary(hermetic_home).night(TONIGHT).ticks == ("fluids",)

    again = app_with_clock(hermetic_home, clock)
    async with again.run_test(size=(100, 30)) as pilot:
        await open_checklist(again, pilot)
        options = again.screen.query_one(OptionList)
        assert options.get_option_at_index(2).prompt.plain == "[x] Fluids through the day"
        assert "fluids" in again.screen.ticked
        await pilot.press("down", "down", "space")  # untick
        await settle(again, pilot)
    assert Diary(hermetic_home).night(TONIGHT).ticks == ()


async def test_stretch_timer_ticks_its_item_when_it_ends(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, bell=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        await pilot.press("enter")  # the calf stretch is first: enter starts its timer
        await pilot.pause()
        assert isinstance(app.screen, StretchScreen)
        assert "left leg, 1 of 3" in text_of(app, "#step-title")
        clock.advance(10)
        await pilot.pause(0.3)
        assert "Rest" in text_of(app, "#step-title")
        clock.advance(100)
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert "calf-stretch" in Diary(hermetic_home).night(TONIGHT).ticks


async def test_skipping_through_a_stretch_does_not_tick(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, bell=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        for _ in range(11):  # every hold and rest skipped
            await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert Diary(hermetic_home).night(TONIGHT).ticks == ()


async def test_stopping_a_stretch_early_does_not_tick(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, bell=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        clock.advance(30)
        await pilot.press("escape")
        await settle(app, pilot)
    assert Diary(hermetic_home).night(TONIGHT).ticks == ()


async def test_past_nights_can_be_corrected_but_not_future_ones(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        await pilot.press("right_square_bracket")
        assert "tonight" in text_of(app, "#checklist-head")
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert "last night (Mon 23 Nov)" in text_of(app, "#checklist-head")
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert "checklist, Sun 22 Nov ·" in text_of(app, "#checklist-head")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        await pilot.press("space")
        await settle(app, pilot)
    assert Diary(hermetic_home).night(date(2026, 11, 23)).ticks == ("calf-stretch",)


async def test_edit_add_rename_hide_move_and_restore(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistEditScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        await pilot.press("enter")  # empty: refused with a reason
        assert "must not be empty" in text_of(app, "#prompt-error")
        await pilot.press(*"Warm socks", "enter")
        await pilot.pause()
        await pilot.press("K")  # move it up one
        await pilot.press("h")  # hide it
        await pilot.press("home", "r")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "Calf stretch"
        await pilot.press("enter")
        await pilot.pause()
        items = ChecklistBook(Diary(hermetic_home)).items()
        assert items[0].title == "Calf stretch"
        assert items[-2].title == "Warm socks" and items[-2].hidden and items[-2].custom
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert len(app.screen.items) == 7  # the hidden one is not on tonight's list
        await pilot.press("e", "R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert [i.title for i in ChecklistBook(Diary(hermetic_home)).items()][0] == "Calf stretch at the wall"


async def test_insights_screen_and_trial(hermetic_home, clock):
    book = ChecklistBook(Diary(hermetic_home))
    for offset in range(1, 5):
        for item in book.visible():
            book.tick(date(2026, 11, 24 - offset), item.id)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_checklist(app, pilot)
        assert "streak 4 nights" in text_of(app, "#checklist-head")
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        habits_text = text_of(app, "#habits")
        assert "Streak: 4 nights" in habits_text and "Last 7 nights: 4 of 4 done (100%)" in habits_text
        insights = text_of(app, "#insights")
        assert "without: 0 cramps in 0 nights" in insights
        assert "not enough nights yet: 3 more nights without it needed" in insights
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert "night 0 of 42" in text_of(app, "#trial")
    assert ChecklistBook(Diary(hermetic_home)).trial_start() == TONIGHT


async def test_a_long_advice_can_be_read_to_its_source_with_the_keys_at_60x20(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        app.switch_mode("checklist")
        await settle(app, pilot)
        await pilot.press("down")  # the hamstring stretch: the longest advice
        await settle(app, pilot)
        box = app.screen.query_one("#item-detail-box")
        assert box.max_scroll_y > 0  # more than fits
        await pilot.press("tab")
        assert app.focused is box
        await pilot.press("end")
        await settle(app, pilot)
        assert box.scroll_y == box.max_scroll_y and "Source" in text_of(app, "#item-detail")
        await pilot.press("shift+tab", "space")  # back to the list: space ticks, as ever
        await settle(app, pilot)
        assert isinstance(app.focused, OptionList) and "1 of 7 done" in text_of(app, "#checklist-head")


async def test_escape_on_a_new_item_with_text_in_it_warns_once_then_leaves(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        app.switch_mode("checklist")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)
        await pilot.press(*"warm", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen) and "esc again" in text_of(app, "#prompt-error")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistEditScreen)


async def test_a_tick_made_from_the_shell_shows_on_the_open_checklist(hermetic_home, clock, monkeypatch):
    from cramp_coach.screens import checklist

    monkeypatch.setattr(checklist, "POLL_SECONDS", 0.2)  # (2 s in the app)
    POLL_SECONDS = checklist.POLL_SECONDS
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        assert "0 of 7 done" in text_of(app, "#checklist-head")
        ChecklistBook(Diary(hermetic_home), app.services.checklist().defaults).tick(TONIGHT, "fluids", True)  # `checklist --done fluids`
        await pilot.pause(POLL_SECONDS + 0.5)
        await settle(app, pilot)
        assert "1 of 7 done" in text_of(app, "#checklist-head")
        assert app.screen.query_one(OptionList).get_option_at_index(2).prompt.plain == "[x] Fluids through the day"


async def test_a_new_item_title_longer_than_the_box_holds_is_said_to_be_cut(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistEditScreen)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)
        assert "up to 80 characters" in screen_text(app)
        from textual.widgets import Input

        box = app.screen.query_one(Input)
        box.value, box.cursor_position = "x" * 78, 78  # (as if typed: 85 key presses take a while)
        await pilot.press("y", "y", "z", "z")
        await settle(app, pilot)
        assert box.value == "x" * 78 + "yy"
        assert "80 characters): anything more was left out" in text_of(app, "#prompt-error")
