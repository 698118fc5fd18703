"""The home and relief screens, driven with the Pilot and a fake clock."""

from __future__ import annotations

from textual.widgets import Digits

from cramp_coach.app import ReliefRequest
from cramp_coach.screens.home import HomeScreen
from cramp_coach.screens.relief import ReliefScreen
from cramp_coach.screens.summary import SummaryScreen
from tests.helpers import app_with_clock, text_of


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


async def test_countdown_moves_with_the_clock_and_holds_when_paused(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        digits = app.screen.query_one("#countdown-digits", Digits)
        assert digits.value == "0:30"
        clock.advance(5)
        await pilot.pause(0.3)
        assert digits.value == "0:25"
        await pilot.press("space")
        clock.advance(60)
        await pilot.pause(0.3)
        assert digits.value == "0:25"
        assert "Paused" in text_of(app, "#countdown-caption")
        await pilot.press("space")
        clock.advance(2)
        await pilot.pause(0.3)
        assert digits.value == "0:23"
        assert "Cramp so far 1:07" in text_of(app, "#relief-head")


async def test_keys_next_back_and_add_time(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert "Rub the calf" in text_of(app, "#step-title")
        assert "Step 2 of 4" in text_of(app, "#relief-head")
        assert "Next: Stand on it" in text_of(app, "#next-step")
        await pilot.press("right")
        assert "Stand on it" in text_of(app, "#step-title")
        await pilot.press("b")
        await pilot.press("left")
        assert "Stretch the calf" in text_of(app, "#step-title")
        await pilot.press("plus")
        await pilot.pause(0.3)
        assert app.screen.query_one("#countdown-digits", Digits).value == "0:45"


async def test_step_change_rings_the_bell_and_highlights_calmly(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    rings = []
    app.bell = lambda: rings.append(True)
    async with app.run_test() as pilot:
        await pilot.pause()
        clock.advance(60)
        await pilot.pause(0.3)
        assert "Stretch the calf" in text_of(app, "#step-title")  # held until it lets go
        assert rings == []
        await pilot.press("n")
        assert "Rub the calf" in text_of(app, "#step-title")
        clock.advance(45)  # the massage moves on by itself
        await pilot.pause(0.3)
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
        await pilot.pause(0.3)
        panel = app.screen.query_one("#escalation")
        assert "10 minutes" in str(panel.render())
        assert "medical help" in str(panel.render())
        assert isinstance(app.screen, ReliefScreen)


async def test_muscle_and_side_keys_and_command_line_presets(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(muscle="foot", side="right"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "Cramp in the sole of the foot · right leg" in text_of(app, "#relief-head")
        await pilot.press("4", "l")
        assert app.screen.run.routine.muscle == "quadriceps"
        assert app.screen.run.side == "left"


async def test_only_space_and_enter_take_you_to_a_saved_run(hermetic_home, clock):
    """The promise of the issue: guided to the end with nothing but space and enter."""
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        clock.advance(40)  # the stretch is held until the cramp lets go
        await pilot.pause(0.3)
        await pilot.press("space", "space")
        await pilot.press("enter")  # it's gone
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "it let go during “Stretch the calf”" in text_of(app, "#summary-text")
        await pilot.press("enter")  # save
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.last_run.ended_by == "calf-stretch"
        assert round(app.last_run.duration_seconds) == 40


async def test_escape_leaves_and_does_not_save(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    saved = []
    app.save_relief = saved.append
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "You left the routine" in text_of(app, "#summary-text")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert saved == []


async def test_summary_intensity_side_and_note_are_kept(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    saved = []
    app.save_relief = saved.append
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter", "7", "r", "n")
        await pilot.press(*"after a long walk")
        await pilot.press("enter")
        await pilot.pause()
        assert saved[0].intensity == 7 and saved[0].side == "right" and saved[0].note == "after a long walk"


async def test_broken_user_routine_is_left_out_with_a_visible_warning(hermetic_home, clock):
    (hermetic_home / "routines").mkdir(parents=True)
    (hermetic_home / "routines" / "bad.toml").write_text('id = "bad"\nmuscle = "calf"\ntitle = "x"\n')
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "bad.toml" in text_of(app, "#home-warnings")
        await pilot.press("enter")
        assert app.screen.run.routine.id == "calf"
