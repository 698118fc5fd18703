"""Triage outcomes, the red-flag screen, sources, settings, the theme and NO_COLOR, with the Pilot."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Input

from cramp_coach.app import ReliefRequest, make_app
from cramp_coach.core.content import load_library
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import NOT_TYPICAL_TAG
from cramp_coach.core.settings import Settings
from cramp_coach.screens.home import HomeScreen
from cramp_coach.screens.relief import ReliefScreen
from cramp_coach.screens.safety import RedFlagsScreen, SourcesScreen, TriageScreen
from cramp_coach.screens.settings import SettingsScreen
from cramp_coach.services import Services
from tests.helpers import app_with_clock, screen_text, settle, text_of


async def answer(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def test_triage_to_relief_keeps_the_answers_with_the_entry(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert "swollen" in text_of(app, "#triage-text")
        await answer(pilot, "n", "n", "n", "n", "y", "n")
        assert "steady stretch usually eases it" in text_of(app, "#triage-text")
        await answer(pilot, "enter")
        assert isinstance(app.screen, ReliefScreen)
        clock.advance(20)
        await pilot.pause(0.3)
        await answer(pilot, "enter", "enter")
        await app.workers.wait_for_complete()
    saved = Diary(hermetic_home).cramps()
    assert saved[0].triage == ("swollen: no", "chest: no", "stroke: no", "foot: no", "knot: yes", "weakness: no")


async def test_triage_restless_legs_is_logged_for_a_clinician(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.press("t")
        await answer(pilot, "n", "n", "n", "n", "n", "y")
        assert "Restless legs" in text_of(app, "#triage-text")
        await answer(pilot, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    entry = Diary(hermetic_home).cramps()[0]
    assert entry.muscle == "other" and entry.tags == ("restless legs?",) and "clinician" in entry.note


async def test_triage_red_flag_opens_the_red_flag_screen(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.press("t")
        await answer(pilot, "y", "enter")
        assert isinstance(app.screen, RedFlagsScreen)
        assert "do not rub or massage" in text_of(app, "#redflags-urgent").lower()
        assert "emergency number" in text_of(app, "#redflags-urgent")
        assert "5 or more in a month" in text_of(app, "#redflags-soon")


async def test_red_flags_after_ten_minutes_of_relief(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.pause()
        clock.advance(10 * 60 + 1)
        await pilot.pause(0.3)
        assert "Press ! for the red-flag signs" in text_of(app, "#escalation")
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, RedFlagsScreen)
        assert "10 minutes" in text_of(app, "#redflags-urgent")
        await pilot.press("escape")
        assert isinstance(app.screen, ReliefScreen)  # the routine is still there


async def test_first_relief_run_shows_the_disclaimer_once(hermetic_home, clock):
    """Someone whose first use is `cramp-coach relief` still reads what the app is, and is not."""
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        line = text_of(app, "#first-run")
        assert "not a diagnosis" in line and "? is this a cramp?" in line
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await answer(pilot, "n", "n", "n", "n", "y", "n", "enter")  # a cramp: relief goes on
        assert isinstance(app.screen, ReliefScreen)
        assert not app.screen.query("#first-run")  # the questions were answered: the offer is gone
        assert app.screen.triage[-1] == "weakness: no"
    again = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with again.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert not again.screen.query("#first-run")


async def test_first_run_line_fits_one_line_at_60x20(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert text_of(app, "#first-run") == "Self-care guidance, not a diagnosis. ? is this a cramp?"
        assert app.screen.query_one("#first-run").region.height == 1


async def test_triage_see_soon_is_logged_apart_from_cramps(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.press("t")
        await answer(pilot, "n", "n", "n", "n", "n", "n", "y")  # pain when walking
        assert "See a clinician soon, not tonight" in text_of(app, "#triage-text")
        assert "(911, 999, 112, 000)" in text_of(app, "#triage-text")
        await answer(pilot, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    entry = Diary(hermetic_home).cramps()[0]
    assert entry.muscle == "other" and entry.tags == (NOT_TYPICAL_TAG,) and "soon, not tonight" in entry.note
    assert entry.triage[-1] == "walking: yes"


async def test_see_soon_during_relief_ends_the_run_and_logs_it_apart(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await answer(pilot, "n", "n", "n", "n", "n", "n", "n", "y", "enter")  # numbness: see someone soon
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "see a clinician soon, not tonight" in text_of(app, "#home-after")
    (entry,) = Diary(hermetic_home).cramps()
    assert entry.tags == (NOT_TYPICAL_TAG,) and entry.muscle == "other"


async def test_the_persons_own_emergency_number_is_in_the_escalation(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    app.services.settings = Settings(emergency_number="112")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        clock.advance(600)
        await pilot.pause(0.2)
        assert "call 112" in text_of(app, "#escalation")
        # At 60x20 the advice takes the big clock's place; the cramp's time stays in the header.
        assert "Cramp so far 10:00" in text_of(app, "#relief-head") and "call 112" in screen_text(app)


async def test_sources_view_shows_every_step_source(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        shown = " ".join(text_of(app, f"#{w.id}") if w.id else str(w.render()) for w in app.screen.query("Static"))
        for routine in load_library().routines.values():
            for step in routine.steps:
                assert step.title in shown
        assert "pubmed.ncbi.nlm.nih.gov/22341378" in shown and "Hallegraeff" in shown


async def test_settings_screen_validates_and_applies(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        field = next(f for f in app.screen.query(Input) if getattr(f, "step_id", "") == "calf-massage")
        field.value = "70"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.services.library.routine_for("calf").steps[1].seconds == 70
    assert 'calf-massage" = 70' in (hermetic_home / "config.toml").read_text()


async def test_broken_config_never_stops_relief(hermetic_home):
    hermetic_home.mkdir(parents=True)
    (hermetic_home / "config.toml").write_text('theme = "neon"\n[durations\n')
    app = make_app(relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.screen, ReliefScreen)
        assert "Pull your toes" in text_of(app, "#instruction")
        assert any("config.toml" in w and "not valid TOML" in w for w in app.services.warnings)


def services_at(home, hour: int) -> Services:
    home.mkdir(parents=True, exist_ok=True)
    moment = datetime(2026, 11, 25, hour, 0, tzinfo=UTC)
    return Services(home=home, library_given=load_library(home), wall_clock=lambda: moment)


async def test_theme_follows_the_time_of_day(hermetic_home):
    night = make_app(services=services_at(hermetic_home, 23))
    async with night.run_test():
        assert night.theme == "cramp-night"
    day = make_app(services=services_at(hermetic_home, 14))
    async with day.run_test():
        assert day.theme == "cramp-day"


async def test_night_theme_has_no_bright_white(hermetic_home):
    import html
    import re

    app = make_app(services=services_at(hermetic_home, 2), relief=ReliefRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        svg = app.export_screenshot()
    fills = dict(re.findall(r"\.(terminal-\d+-r\d+) \{ fill: #([0-9a-f]{6})", svg))
    text_colours = {
        fills[cls] for cls, text in re.findall(r'<text class="(terminal-\d+-r\d+)"[^>]*>([^<]*)</text>', svg)
        if html.unescape(text).strip() and cls in fills
    }
    background_colours = set(re.findall(r'<rect fill="#([0-9a-f]{6})"', svg))
    assert text_colours, "no text found in the screenshot"
    bright = [c for c in text_colours | background_colours if min(int(c[i:i + 2], 16) for i in (0, 2, 4)) > 190]
    assert bright == []


async def test_no_color_is_respected(hermetic_home, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(services=services_at(hermetic_home, 2), relief=ReliefRequest())
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.no_color
        assert "Pull your toes" in text_of(app, "#instruction")


async def test_a_swollen_leg_answer_shows_what_to_do_at_once(hermetic_home, clock):
    from cramp_coach.screens.safety import TriageScreen

    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(TriageScreen())
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        shown = text_of(app, "#triage-text")
        assert "Do not rub or massage the leg" in shown and "urgent medical care today" in shown
        footer_keys = [key for key, active in app.screen.active_bindings.items() if active.binding.show and active.enabled]
        assert "y" not in footer_keys and "n" not in footer_keys


async def test_the_palette_names_every_action_of_the_screen_and_no_bright_theme(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Cramp now", "Red flags", "Add", "Filter", "Stats", "Edit", "Delete", "Undo delete", "More rows"} <= set(titles)
        assert "Theme" not in titles and "Focus Next" not in titles
        assert "Keys" not in titles and "Screenshot" not in titles
        app.switch_mode("home")
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert "Bedtime checklist" in titles and "Bedtime" not in titles  # one name for one action
        assert "Is this a cramp?" in titles and "Is it a cramp?" not in titles


async def test_after_a_long_cramp_the_summary_says_what_to_do_and_bang_shows_the_red_flags(hermetic_home, clock):
    from cramp_coach.screens.safety import RedFlagsScreen
    from cramp_coach.screens.summary import SummaryScreen

    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    app.services.settings = Settings(emergency_number="112")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        clock.advance(16 * 60)
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, SummaryScreen)
        shown = " ".join(screen_text(app).replace("┃", " ").replace("│", " ").split())
        assert "get medical help now" in shown and "Save to diary" in shown and "The cramp lasted 16:00" in shown
        assert "call 112" in text_of(app, "#summary-escalation")  # the whole advice, below the buttons
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, RedFlagsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)  # still there, still unsaved
