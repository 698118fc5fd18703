"""Keys typed in one go (as a terminal delivers a fast typist's or a paste's keys: all at once) are
dealt with one after another, each by the screen on top when its turn comes: the night form n opens,
the summary's note, the diary's filter, a form's next field after Tab."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from cramp_coach.app import ReliefRequest
from cramp_coach.core.diary import Diary
from cramp_coach.screens.entry_forms import NightFormScreen
from cramp_coach.screens.summary import SummaryScreen
from tests.functional.test_lookback_screens import LAST_NIGHT, app_at, cramp
from tests.helpers import app_with_clock, settle

CHARACTERS = {"tab": "\t", "space": " ", "enter": "\r", "left_square_bracket": "[", "right_square_bracket": "]", "slash": "/"}


async def on_the_diary(app, pilot) -> None:
    """Go to the diary and let it read the entries."""
    app.switch_mode("diary")
    await settle(app, pilot)


def type_all_at_once(app, *keys: str) -> None:
    """Every key posted before any is handled, as one read from the terminal gives them."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


async def test_keys_typed_with_n_fill_the_night_form_that_n_opens(hermetic_home, clock):
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await on_the_diary(app, pilot)
        type_all_at_once(app, "n", "4", "tab", "2", "tab", "left_square_bracket", "slash", "right_square_bracket")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NightFormScreen)
        assert form.query_one("#night-quality", Input).value == "4"
        assert form.query_one("#night-woken", Input).value == "2"
        assert form.query_one("#night-note", Input).value == "[/]"


async def test_a_long_burst_of_keys_is_all_taken_in_order(hermetic_home, clock):
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await on_the_diary(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("tab", "tab")
        text = "woke twice, calf then foot " * 8
        type_all_at_once(app, *["space" if ch == " " else ch for ch in text])
        await settle(app, pilot)
        assert app.screen.query_one("#night-note", Input).value == text


async def test_n_then_a_note_typed_at_once_keeps_every_letter(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        clock.advance(40)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)
        type_all_at_once(app, "n", *"woke", "space", *"at", "space", "3")
        await settle(app, pilot)
        assert app.screen.query_one("#summary-note", Input).value == "woke at 3"


async def test_slash_then_text_typed_at_once_filters_by_it(hermetic_home, clock):
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT, note="after a long walk"))
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT, minute=30, note="nothing special"))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await on_the_diary(app, pilot)
        type_all_at_once(app, "slash", *"walk")
        await settle(app, pilot)
        assert app.screen.query_one("#filter-text", Input).value == "walk"
        assert "1 of 2 cramps" in " ".join(str(w.render()) for w in app.screen.query("#diary-status"))


async def test_a_key_right_after_tab_goes_to_the_next_field(hermetic_home, clock):
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await on_the_diary(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        type_all_at_once(app, "5", "tab", "3")
        await settle(app, pilot)
        assert app.screen.query_one("#night-quality", Input).value == "5"
        assert app.screen.query_one("#night-woken", Input).value == "3"


async def test_tab_tab_tab_then_a_digit_sets_the_pain_in_the_add_form(hermetic_home, clock):
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await on_the_diary(app, pilot)
        type_all_at_once(app, "a", "tab", "tab", "tab", "7")
        await settle(app, pilot)
        assert app.screen.query_one("#form-intensity", Input).value == "7"


async def test_keys_typed_with_d_from_home_wait_for_the_diary_to_be_read(hermetic_home, clock):
    """d/walk, then q, typed in one go from home: the filter gets "walk" and q (in the box) never quits."""
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT, note="after a long walk"))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        type_all_at_once(app, "d", "slash", *"walkq")
        await settle(app, pilot)
        assert app.is_running
        assert app.screen.query_one("#filter-text", Input).value == "walkq"
        assert app.focused is app.screen.query_one("#filter-text", Input)


async def test_dn_typed_from_home_rates_the_selected_night_with_what_follows(hermetic_home, clock):
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        type_all_at_once(app, "d", "n", "4", "tab", "2", "tab", *"quiet")
        await settle(app, pilot)
        form = app.screen
        assert app.is_running and isinstance(form, NightFormScreen) and form.night.night == LAST_NIGHT
        assert (form.query_one("#night-quality", Input).value, form.query_one("#night-woken", Input).value) == ("4", "2")
        assert form.query_one("#night-note", Input).value == "quiet"


async def test_n_with_nothing_selected_rates_last_night_not_tonight(hermetic_home, clock):
    app = app_at(hermetic_home, clock)  # 09:50, an empty diary
    async with app.run_test(size=(60, 20)) as pilot:
        await on_the_diary(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NightFormScreen) and app.screen.night.night == LAST_NIGHT


async def test_keys_typed_with_b_from_home_act_on_the_loaded_checklist(hermetic_home, clock):
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        type_all_at_once(app, "b", "space", "down", "space")
        await settle(app, pilot)
        assert len(app.screen.ticked) == 2
