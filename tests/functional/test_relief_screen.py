"""The home and relief screens, driven with the Pilot and a fake clock."""

from __future__ import annotations

import pytest
from textual.widgets import Digits

from cramp_coach.app import ReliefRequest
from cramp_coach.core.diary import Diary
from cramp_coach.screens.home import HomeScreen
from cramp_coach.screens.relief import ReliefResult, ReliefScreen
from cramp_coach.screens.summary import SummaryScreen
from tests.helpers import app_with_clock, screen_text, settle, text_of


def digits(app) -> str:
    return app.screen.query_one("#countdown-digits", Digits).value


async def test_enter_on_home_starts_calf_relief(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReliefScreen)
        assert app.screen.run.routine.muscle == "calf"
        assert "toward your shin" in text_of(app, "#instruction")


async def test_number_key_on_home_picks_the_muscle(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test() as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.run.routine.muscle == "hamstring"
        assert "Stretch the back of the thigh" in text_of(app, "#step-title")


async def test_red_flags_key_shows_from_the_first_frame_at_60x20(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        keys = text_of(app, "#keys")
        assert keys.startswith("! red flags")
        assert app.screen.query_one("#keys").region.bottom <= 20
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "RedFlagsScreen"


async def test_each_key_in_the_key_line_can_be_clicked(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = text_of(app, "#keys")
        await pilot.click("#keys", offset=(keys.index("pause") + 1, 0))
        await pilot.pause()
        assert "space go on" in text_of(app, "#keys")
        keys = text_of(app, "#keys")
        await pilot.click("#keys", offset=(keys.index("!"), 0))  # the key itself, as well as its label
        await pilot.pause()
        assert type(app.screen).__name__ == "RedFlagsScreen"


async def test_a_held_stretch_waits_and_counts_up(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "hold until it lets go · n when it eases · enter when it's gone" in text_of(app, "#countdown-caption")
        assert digits(app) == "0:00"
        clock.advance(23.4)
        await pilot.pause(0.2)
        assert digits(app) == "0:23" and "held 0:23" in text_of(app, "#countdown-bar")
        clock.advance(300)  # far past its 30 s: still there, still counting
        await pilot.pause(0.2)
        assert "Stretch the calf" in text_of(app, "#step-title")
        assert digits(app) == "5:23"
        await pilot.press("n")  # it eases: on to the massage, a countdown again
        assert "Rub the calf" in text_of(app, "#step-title")
        assert digits(app) == "0:45"


async def test_the_countdown_never_runs_ahead(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert digits(app) == "0:45"
        clock.advance(0.99)  # the whole first second shows 0:45...
        await pilot.pause(0.2)
        assert digits(app) == "0:45"
        clock.advance(0.02)  # ...and 0:44 only once a full second has gone
        await pilot.pause(0.2)
        assert digits(app) == "0:44"
        assert "Cramp so far 0:01" in text_of(app, "#relief-head")  # the count-up is never rounded up


async def test_cautions_show_with_massage_warmth_and_standing_steps_at_60x20(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#caution").display  # the stretch has none
        expected = {"Rub the calf": "Don't rub it: press !", "Stand on it": "Sit on the edge of the bed",
                    "Warm the calf": "Warm, not hot"}
        for title, caution in expected.items():
            await pilot.press("n")
            await pilot.pause()
            assert title in text_of(app, "#step-title")
            widget = app.screen.query_one("#caution")
            assert caution in text_of(app, "#caution")
            assert widget.display and widget.region.height >= 1 and widget.region.bottom <= 20


async def test_countdown_moves_with_the_clock_and_holds_when_paused(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert digits(app) == "0:45"
        clock.advance(5)
        await pilot.pause(0.2)
        assert digits(app) == "0:40"
        await pilot.press("space")
        assert "space go on" in text_of(app, "#keys") and "pause" not in text_of(app, "#keys")
        clock.advance(60)
        await pilot.pause(0.2)
        assert digits(app) == "0:40"
        assert "Paused" in text_of(app, "#countdown-caption")
        await pilot.press("space")
        assert "space pause" in text_of(app, "#keys")
        clock.advance(2)
        await pilot.pause(0.2)
        assert digits(app) == "0:38"
        assert "Cramp so far 1:07" in text_of(app, "#relief-head")


async def test_keys_next_back_and_add_time(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert "Rub the calf" in text_of(app, "#step-title")
        assert "Step 2 of 4" in text_of(app, "#relief-steps")
        assert "Next: Stand on it" in text_of(app, "#next-step")
        await pilot.press("right")
        assert "Stand on it" in text_of(app, "#step-title")
        await pilot.press("b")
        await pilot.press("plus")
        assert digits(app) == "1:00"
        await pilot.press("left")
        assert "Stretch the calf" in text_of(app, "#step-title")


async def test_step_change_rings_the_bell_and_highlights_calmly(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    rings = []
    app.bell = lambda: rings.append(True)
    async with app.run_test() as pilot:
        await pilot.pause()
        clock.advance(60)
        await pilot.pause(0.2)
        assert "Stretch the calf" in text_of(app, "#step-title")  # held until it lets go
        assert rings == []
        await pilot.press("n")
        assert "Rub the calf" in text_of(app, "#step-title")
        clock.advance(45)  # the massage moves on by itself
        await pilot.pause(0.2)
        assert "Stand on it" in text_of(app, "#step-title")
        assert len(rings) == 2
        assert app.screen.query_one("#step-panel").has_class("changed")
        await pilot.press("m")  # bell off
        await pilot.press("n")
        assert len(rings) == 2
        assert "bell off" in text_of(app, "#choices")


async def test_escalation_after_ten_minutes_keeps_the_routine_going(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.screen.query("#escalation")
        clock.advance(601)
        await pilot.pause(0.2)
        panel = text_of(app, "#escalation")
        assert "10 minutes" in panel and "medical help" in panel
        assert "(911, 999, 112, 000)" in panel  # the emergency number where emergency help is advised
        assert isinstance(app.screen, ReliefScreen)


async def past_ten_minutes(app, pilot, clock) -> None:
    """A relief run 10 minutes 30 in (the advice to get help is showing)."""
    await settle(app, pilot)
    clock.advance(630)
    await pilot.pause(0.2)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (100, 30)])
async def test_after_ten_minutes_the_advice_the_step_hint_and_its_gone_are_all_on_screen(hermetic_home, clock, size):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=size) as pilot:
        await past_ten_minutes(app, pilot, clock)
        shown = screen_text(app)
        assert "medical help" in shown and "Source:" in shown
        assert "n when it eases" in shown and "It's gone" in shown and "! red flags" in shown
        assert not any(line.strip("┃ ") == "" for line in shown.splitlines() if line.strip().startswith("┃"))  # no empty rows in the box


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize(("muscle", "side"), [("calf", None), ("hamstring", "right")])
async def test_the_summary_after_a_long_cramp_opens_at_its_top_with_the_advice_below_the_buttons(hermetic_home, clock, size, muscle, side):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(muscle=muscle, side=side))
    async with app.run_test(size=size) as pilot:
        await past_ten_minutes(app, pilot, clock)
        await pilot.press("space")
        clock.advance(100)  # paused a while: the times still add up
        await pilot.press("space")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)
        shown = " ".join(screen_text(app).replace("│", " ").split())
        assert "It's gone. The cramp lasted 12:10" in shown and "Pain not set" in shown and f"Leg {side or 'not set'}" in shown
        assert "paused 1:40" in shown and "Save to diary" in shown and "get medical help now" in shown
        await pilot.press("7")
        await settle(app, pilot)
        assert "Pain 7/10" in screen_text(app)  # what the key did is in view
        buttons, advice = app.screen.query_one("#summary-buttons"), app.screen.query_one("#summary-escalation")
        assert advice.region.y > buttons.region.y
        assert "medical help" in text_of(app, "#summary-escalation")


async def test_the_time_in_each_step_adds_up_with_the_time_paused(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        clock.advance(5)
        await pilot.press("space")  # pause
        clock.advance(4)
        await pilot.press("space")
        clock.advance(3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Stretch the calf 0:08 · paused 0:04" in text_of(app, "#summary-steps")


async def test_muscle_and_side_keys_and_command_line_presets(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(muscle="foot", side="right"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "Cramp in the sole of the foot · right leg" in text_of(app, "#relief-head")
        await pilot.press("4", "l")
        assert app.screen.run.routine.muscle == "quadriceps"
        assert app.screen.run.side == "left"


async def test_summary_after_a_muscle_switch_names_steps_by_title(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        clock.advance(3.7)
        await pilot.press("2")  # it was the foot
        clock.advance(2)
        await pilot.press("enter")
        await pilot.pause()
        steps = text_of(app, "#summary-steps")
        assert "Stretch the calf 0:03" in steps and "-stretch" not in steps
        first = app.screen.query_one("#summary-text")
        assert "lasted 0:05" in text_of(app, "#summary-text")
        assert first.region.width and first.region.height == 2  # wrapped, not cut, at 60x20


async def test_summary_shows_the_stored_whole_seconds(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        clock.advance(165.8)  # 2:45.8 is stored as 165 s: the summary says 2:45, not 2:46
        await pilot.press("enter")
        await pilot.pause()
        assert "lasted 2:45" in text_of(app, "#summary-text")
        await pilot.press("enter")
        await settle(app, pilot)
    assert Diary(hermetic_home).cramps()[0].duration_s == 165


async def test_after_saving_a_second_enter_starts_nothing(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        clock.advance(40)
        await pilot.press("enter")  # it's gone
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")  # save
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Saved to your diary" in text_of(app, "#home-after")
        assert app.focused is None
        await pilot.press("enter")  # out of habit
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")  # a new cramp still starts with one key
        await pilot.pause()
        assert isinstance(app.screen, ReliefScreen)
    assert [c.ended_by for c in Diary(hermetic_home).cramps()] == ["calf-stretch"]


async def test_relief_from_home_dismisses_with_its_result(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    results: list[ReliefResult | None] = []
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_relief("foot", then=results.append)
        await pilot.pause()
        clock.advance(12)
        await pilot.press("enter", "7", "r", "n")
        await pilot.press(*"after a long walk")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    (result,) = results
    assert result.run.muscle == "foot" and result.run.duration_s == 12 and result.outcome is None
    assert (result.saved.intensity, result.saved.leg, result.saved.note) == (7, "right", "after a long walk")
    assert Diary(hermetic_home).cramps() == [result.saved]


async def test_escape_leaves_and_does_not_save(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "You left the routine" in text_of(app, "#summary-text")
        await pilot.press("n", *"typed", "escape")  # escape leaves the note box, nothing else
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")  # asks first
        await pilot.pause()
        await pilot.press("escape")  # keep it: still here
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Not saved" in text_of(app, "#home-after")
    assert Diary(hermetic_home).cramps() == []


@pytest.mark.parametrize("key", ["f1", "f3"])
async def test_f_keys_during_relief_ask_and_offer_the_save_first(hermetic_home, clock, key):
    from cramp_coach.screens.dialogs import ChoiceScreen

    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock.advance(30)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")  # stay: the routine runs on
        await pilot.pause()
        assert isinstance(app.screen, ReliefScreen) and app.screen.run.phase.value == "running"
        await pilot.press(key, "s")  # save it first
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == ("home" if key == "f1" else "diary")
    assert [c.duration_s for c in Diary(hermetic_home).cramps()] == [30]


async def test_broken_user_routine_is_left_out_with_a_visible_warning(hermetic_home, clock):
    (hermetic_home / "routines").mkdir(parents=True)
    (hermetic_home / "routines" / "bad.toml").write_text('id = "bad"\nmuscle = "calf"\ntitle = "x"\n')
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "bad.toml" in text_of(app, "#home-warnings")
        await pilot.press("enter")
        assert app.screen.run.routine.id == "calf"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("muscle", ["calf", "foot", "hamstring", "quadriceps"])
async def test_red_flags_line_stays_on_screen_for_every_muscle_and_after_ten_minutes(hermetic_home, clock, size, muscle):
    """The first run (the disclaimer line too) of the longest steps, then the 10-minute advice."""
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(muscle=muscle))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        keys = app.screen.query_one("#keys")
        assert text_of(app, "#keys").startswith("! red flags")
        assert 0 <= keys.region.y and keys.region.bottom <= size[1]
        clock.advance(601)
        await pilot.pause(0.2)
        escalation = app.screen.query_one("#escalation")
        assert escalation.region.height >= 3 and escalation.region.bottom <= keys.region.y
        assert keys.region.bottom <= size[1] and text_of(app, "#keys").startswith("! red flags")
        shown = " ".join(screen_text(app).split())  # the whole advice is on the glass, the emergency number too
        assert "(911, 999, 112, 000)" in shown.replace("┃", "").replace("  ", " ") or "000)." in shown
        assert "Press ! for the red-flag signs" in shown
        assert app.screen.query_one("#its-gone").region.bottom <= keys.region.y  # and "it's gone" stays


async def test_after_the_calm_moment_enter_starts_relief_again(hermetic_home, clock, monkeypatch):
    from cramp_coach.screens import home

    monkeypatch.setattr(home, "CALM_SECONDS", 0.1)
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # it's gone
        await pilot.pause()
        await pilot.press("enter")  # save
        await settle(app, pilot)
        await pilot.pause(0.3)
        assert text_of(app, "#cramp-now-hint").startswith("Enter or c")
        await pilot.press("enter")  # the cramp came back
        await pilot.pause()
        assert isinstance(app.screen, ReliefScreen)


async def test_a_second_enter_from_home_does_not_end_relief_at_once(hermetic_home, clock, monkeypatch):
    """Enter on home starts relief; an enter straight after (a double press, a key held down) must
    not end the run and offer to save a 0:00 cramp."""
    from textual import events

    from cramp_coach.screens.home import HomeScreen
    from cramp_coach.screens.relief import ReliefScreen
    from cramp_coach.screens.summary import SummaryScreen

    monkeypatch.setattr(ReliefScreen, "GONE_GUARD_SECONDS", 1.5)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        for _ in range(3):  # all at once, as a terminal delivers a key held down
            app.post_message(events.Key("enter", "\r"))
        await settle(app, pilot)
        assert isinstance(app.screen, ReliefScreen)
        clock.advance(1.6)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)


async def test_ctrl_q_during_relief_asks_first_and_can_save(hermetic_home, clock):
    from cramp_coach.core.diary import Diary
    from cramp_coach.screens.dialogs import ChoiceScreen
    from cramp_coach.screens.summary import SummaryScreen

    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        clock.advance(90)
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, ChoiceScreen) and app.is_running  # asked, not gone
        await pilot.press("escape")  # stay
        await settle(app, pilot)
        assert isinstance(app.screen, ReliefScreen)
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        await pilot.press("s")  # save it first
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await settle(app, pilot)
    assert not app.is_running
    assert [cramp.duration_s for cramp in Diary(hermetic_home).cramps()] == [90]


async def test_ctrl_q_on_the_unsaved_summary_asks_before_the_cramp_is_lost(hermetic_home, clock):
    from cramp_coach.screens.dialogs import ConfirmScreen
    from cramp_coach.screens.summary import SummaryScreen

    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        clock.advance(30)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.is_running


async def test_home_at_60x20_with_warnings_after_a_run_keeps_its_keys_whole(hermetic_home, clock):
    hermetic_home.mkdir(parents=True, exist_ok=True)
    (hermetic_home / "config.toml").write_text('theme = "[/] purple"\nbell = "loud"\nemergency_number = "\x1b[2J"\n')
    from cramp_coach.app import make_app
    from cramp_coach.screens.home import HomeScreen

    app = make_app(hermetic_home, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")  # leave the routine
        await settle(app, pilot)
        await pilot.press("escape", "y")  # don't save
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        lines = screen_text(app).splitlines()
        assert "q quit" in lines[-1] and "! red flags" in screen_text(app)
        assert "s sources   p settings" in screen_text(app)  # one line, not cut by a scrollbar
        assert not app.screen.scrollbars_enabled[0]


async def test_at_60_columns_the_leg_stays_whole_in_the_title(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(muscle="hamstring", side="right"))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        assert screen_text(app).splitlines()[0].strip().startswith("Back of the thigh · right leg")
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        assert "Back of the thigh (hamstring) · right leg" in screen_text(app).splitlines()[0]


async def test_after_ten_minutes_on_a_short_screen_a_timed_step_still_shows_its_time_left(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await past_ten_minutes(app, pilot, clock)
        await pilot.press("n")  # on to "Rub the calf", a timed step: the big clock has given way to the advice
        clock.advance(7)
        await pilot.pause(1.2)
        caption = text_of(app, "#countdown-caption")
        assert caption.endswith("left · n next · enter when it's gone") and caption[:4] in {"0:37", "0:38"}
        assert "0:3" in screen_text(app)
