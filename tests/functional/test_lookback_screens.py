"""The bedtime and looking-back screens as a person meets them: nights named plainly in the morning,
the morning "no cramps" key, past nights with their own list, insights a person can recompute,
stats from the one report, forms that take typing at once, settings problems at their field."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from textual.widgets import DataTable, Input, OptionList

from cramp_coach.app import make_app
from cramp_coach.core.checklist import ChecklistBook, ChecklistItem
from cramp_coach.core.content import load_library
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import cramp_from_dict
from cramp_coach.core.settings import load_settings
from cramp_coach.screens.checklist import ChecklistScreen
from cramp_coach.screens.diary import DiaryScreen
from cramp_coach.screens.entry_forms import CrampFormScreen, NightFormScreen
from cramp_coach.screens.insights import InsightsScreen
from cramp_coach.screens.settings import SettingsScreen
from cramp_coach.screens.stats import StatsScreen
from cramp_coach.services import Services
from tests.helpers import app_with_clock, settle, text_of

MORNING = datetime(2026, 11, 25, 9, 50, tzinfo=UTC)  # Wednesday: last night is Tue 24 Nov
SMALL_HOURS = datetime(2026, 11, 25, 3, 12, tzinfo=UTC)
TONIGHT = date(2026, 11, 25)
LAST_NIGHT = date(2026, 11, 24)
LIST_CHANGED = date(2026, 11, 23)


def app_at(home, clock, moment: datetime = MORNING):
    """The app with its wall clock stopped at ``moment``."""
    home.mkdir(parents=True, exist_ok=True)
    services = Services(home=home, library_given=load_library(home), clock=clock, wall_clock=lambda: moment)
    return make_app(services=services)


def cramp(night: date, minute: int = 0, **fields):
    record = {"started_at": f"{night.isoformat()}T23:{minute:02d}:00+00:00", "muscle": "calf", "intensity": 5, **fields}
    return cramp_from_dict(record)


def known_diary(home) -> None:
    """24 nights since 1 Nov: 1-12 done (one cramp, on the 3rd), 13-20 only fluids (2 cramps each),
    21-22 not recorded at all, 23-24 done; on the 23rd an item of one's own joined the list."""
    diary = Diary(home)
    book = ChecklistBook(diary, tonight=lambda: date(2026, 11, 1))
    old_list = [item.id for item in book.visible()]
    for day in range(1, 13):
        for item_id in old_list:
            book.tick(date(2026, 11, day), item_id)
    diary.add_cramp(cramp(date(2026, 11, 3)))
    for day in range(13, 21):
        book.tick(date(2026, 11, day), "fluids")
        diary.add_cramp(cramp(date(2026, 11, day), 0))
        diary.add_cramp(cramp(date(2026, 11, day), 30))
    book.tonight = lambda: LIST_CHANGED
    book.save(book.items() + [ChecklistItem(id="own-bath", title="Warm bath", custom=True)])
    for day in (23, 24):
        for item_id in [*old_list, "own-bath"]:
            book.tick(date(2026, 11, day), item_id)


async def open_checklist(app, pilot) -> ChecklistScreen:
    app.switch_mode("checklist")
    await settle(app, pilot)
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen


def option_titles(screen) -> list[str]:
    options = screen.query_one(OptionList)
    return [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]


# -- the checklist in the morning ----------------------------------------------------------------
async def test_at_ten_to_ten_the_night_just_slept_is_last_night(hermetic_home, clock):
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_checklist(app, pilot)
        assert "Bedtime checklist, tonight (Wed 25 Nov)" in text_of(app, "#checklist-head")
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert "Bedtime checklist, last night (Tue 24 Nov)" in text_of(app, "#checklist-head")
        await pilot.press("space")  # a tick for last night lands on last night
        await settle(app, pilot)
        assert screen.night == LAST_NIGHT
    assert Diary(hermetic_home).night(LAST_NIGHT).ticks == ("calf-stretch",)
    assert Diary(hermetic_home).night(TONIGHT).ticks == ()


async def test_morning_key_keeps_last_night_as_a_night_with_no_cramps(hermetic_home, clock):
    Diary(hermetic_home).set_tick(LAST_NIGHT, "fluids")
    Diary(hermetic_home).set_tick(LAST_NIGHT, "fluids", False)  # a record with nothing in it yet
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        assert "no cramps last night? Press 0" not in text_of(app, "#checklist-head")  # it has a record
    assert LAST_NIGHT in Diary(hermetic_home).nights()

    fresh = hermetic_home.parent / "fresh"
    app = app_at(fresh, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        assert "Morning: no cramps last night? Press 0" in text_of(app, "#checklist-head")
        live = [b.description for _, b, enabled, _ in app.screen.active_bindings.values() if enabled]
        assert "no cramps last night" in live and "no cramps (mornings)" not in live  # in the palette; the head says it
        await pilot.press("0")
        await settle(app, pilot)
        assert "Morning:" not in text_of(app, "#checklist-head")
    assert list(Diary(fresh).nights()) == [LAST_NIGHT]
    assert Diary(fresh).cramps() == []


async def test_the_diary_offers_the_morning_key_in_its_status_line_at_60_columns(hermetic_home, clock):
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT - timedelta(days=3)))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        assert text_of(app, "#diary-status").startswith("No cramps last night? Press 0 · 1 cramp")
        await pilot.press("0")
        await settle(app, pilot)
        assert not text_of(app, "#diary-status").startswith("No cramps")  # kept: the offer goes
    assert list(Diary(hermetic_home).nights()) == [LAST_NIGHT]


async def test_the_morning_offer_goes_from_the_status_line_at_noon(hermetic_home, clock):
    hermetic_home.mkdir(parents=True, exist_ok=True)
    now = [MORNING.replace(hour=11, minute=59)]
    services = Services(home=hermetic_home, library_given=load_library(hermetic_home), clock=clock, wall_clock=lambda: now[0])
    app = make_app(services=services)
    async with app.run_test(size=(60, 20)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        assert text_of(app, "#diary-status").startswith("No cramps last night? Press 0")
        now[0] = MORNING.replace(hour=12, minute=1)
        app.screen._check_for_changes()  # the two-second look at the diary and the clock
        await settle(app, pilot)
        assert "Press 0" not in text_of(app, "#diary-status")
        assert text_of(app, "#diary-status").startswith("No cramps in the diary yet: a adds one by hand")


async def test_morning_key_saves_nothing_when_last_night_had_cramps(hermetic_home, clock):
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        await pilot.press("0")
        await settle(app, pilot)
    assert Diary(hermetic_home).nights() == {}


async def test_no_morning_key_in_the_small_hours(hermetic_home, clock):
    app = app_at(hermetic_home, clock, SMALL_HOURS)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot)
        assert "Morning:" not in text_of(app, "#checklist-head")
        assert "no cramps" not in [b.description for _, b, enabled, _ in app.screen.active_bindings.values()]
        await pilot.press("0")
        await settle(app, pilot)
        said = [str(note.message) for note in app._notifications]
        assert any("in the morning (05:00 to noon)" in message.lower() and "night form" in message for message in said)
        app.switch_mode("diary")
        await settle(app, pilot)
        await pilot.press("0")
        await settle(app, pilot)
        said = [str(note.message) for note in app._notifications]
        assert any("n opens the night form" in message for message in said)
    assert Diary(hermetic_home).nights() == {}


async def test_a_past_night_shows_the_list_it_had(hermetic_home, clock):
    known_diary(hermetic_home)
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_checklist(app, pilot)
        assert option_titles(screen)[-1] == "[ ] Warm bath"
        for _ in range(2):  # the night the bath joined: on the list, ticked
            await pilot.press("left_square_bracket")
            await settle(app, pilot)
        assert screen.night == LIST_CHANGED and option_titles(screen)[-1] == "[x] Warm bath"
        assert "8 of 8 done" in text_of(app, "#checklist-head")
        await pilot.press("left_square_bracket")  # the night before: the list it had then
        await settle(app, pilot)
        assert "Sun 22 Nov" in text_of(app, "#checklist-head")
        assert len(option_titles(screen)) == 7 and not any("Warm bath" in title for title in option_titles(screen))


# -- insights from a known diary --------------------------------------------------------------------
async def test_insights_figures_can_be_recomputed_by_hand(hermetic_home, clock):
    known_diary(hermetic_home)
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_checklist(app, pilot)
        assert "streak 2 nights" in text_of(app, "#checklist-head")
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        habits = text_of(app, "#habits")
        # The bath joined on the 23rd: nights before are judged by the list they had, so 1-12 stay done.
        assert "Streak: 2 nights with the checklist done" in habits
        assert "Last 7 nights: 2 of 7 done (29%)" in habits
        assert "Last 30 nights: 14 of 24 done (58%)" in habits
        assert "Nights compared: 22 recorded of 24 since 01 Nov 2026" in habits
        heat = text_of(app, "#heatmap")
        assert "- not recorded" in heat
        insights = text_of(app, "#insights")
        # With: 14 nights, 1 cramp; without: 8 nights, 16 cramps. Difference 1/14 - 2 = -1.93 a night;
        # Welch: se = sqrt(var_with / 14) = 0.0714, df 13 -> t 2.179 (table, rounded down): +-0.156.
        assert "after nights with it: 1 cramp in 14 nights (0.07 a night)" in insights
        assert "without: 16 cramps in 8 nights (2.00 a night)" in insights
        assert "difference -1.93 a night, 95% interval -2.08 to -1.77" in insights
        assert "fewer cramps after nights with it" in insights
        assert "Warm bath" in insights and "not enough nights yet" in insights  # only 2 nights on its list
        assert "not proof of cause" in insights


async def test_no_clear_difference_while_the_interval_holds_zero(hermetic_home, clock):
    diary = Diary(hermetic_home)
    book = ChecklistBook(diary, tonight=lambda: TONIGHT)
    everything = [item.id for item in book.visible()]
    for day in range(1, 21):
        night = date(2026, 11, day)
        for item_id in everything if day % 2 else ["fluids"]:
            book.tick(night, item_id)
        if day % 4 in (1, 2):  # one cramp on half the nights of each group
            diary.add_cramp(cramp(night))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(InsightsScreen())
        await settle(app, pilot)
        insights = text_of(app, "#insights")
        assert "after nights with it: 5 cramps in 10 nights (0.50 a night)" in insights
        assert "without: 5 cramps in 10 nights (0.50 a night)" in insights
        assert "difference +0.00 a night" in insights and "no clear difference yet" in insights


# -- stats from the one report ---------------------------------------------------------------------
async def test_stats_keep_not_a_cramp_entries_apart_and_advise_at_five_in_thirty_nights(hermetic_home, clock):
    diary = Diary(hermetic_home)
    for day in range(18, 23):
        diary.add_cramp(cramp(date(2026, 11, day), ended_by="calf-stretch"))
    diary.add_cramp(cramp(date(2026, 11, 23), muscle="other", tags=["restless legs?"]))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        table = app.screen.query_one("#history", DataTable)
        assert [str(table.get_row_at(0)[3])] == ["not a cramp"]
        assert "6 entries: 5 cramps, 1 not a cramp" in text_of(app, "#diary-status")
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)
        await settle(app, pilot)
        summary = text_of(app, "#stats-summary")
        assert "Cramps (whole diary): 5 (and 1 not-a-cramp entry kept apart)" in summary
        assert "Nights: 2026-11-18 to 2026-11-22" in summary
        assert "Worth talking to a clinician · You logged 5 cramps in the last 30 nights." in text_of(app, "#stats-notices")
        assert "2026-11" in text_of(app, "#chart-months") and "5" in text_of(app, "#chart-months")


async def test_stats_say_so_when_the_diary_is_empty(hermetic_home, clock):
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(StatsScreen())
        await settle(app, pilot)
        assert "No cramps in the diary yet." in text_of(app, "#stats-summary")
        assert not app.screen.query_one("#stats-notices").has_class("-shown")


# -- the diary at any size ------------------------------------------------------------------------
async def test_columns_have_their_widths_before_any_row_arrives(hermetic_home, clock):
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT, ended_by="calf-stretch"))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = DiaryScreen()
        app.push_screen(screen)
        await pilot.pause()
        widths = [column.width for column in screen.query_one(DataTable).columns.values()]
        assert widths == [10, 5, 5, 11, 4, 8, 100 - 2 - 55 - 2]  # "Ended by" has what the others leave
        await settle(app, pilot)
        assert [column.width for column in screen.query_one(DataTable).columns.values()] == widths  # the rows changed nothing


async def test_filter_boxes_are_never_cut_at_60_or_80_columns(hermetic_home, clock):
    for size in ((60, 20), (80, 24), (100, 30)):
        app = app_at(hermetic_home, clock)
        async with app.run_test(size=size) as pilot:
            app.switch_mode("diary")
            await settle(app, pilot)
            await pilot.press("slash")
            await settle(app, pilot)
            for box in app.screen.query("#filters Input").results(Input):
                assert box.content_region.width >= len(box.placeholder), (size, box.id, box.content_region.width)
            assert app.focused.id == "filter-text"  # / then typing searches the notes and tags


async def test_essential_keys_are_in_the_footer_at_60x20(hermetic_home, clock):
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        for mode, wanted in (("diary", ["esc", "home", "q", "quit"]), ("checklist", ["esc", "home", "insights", "tick"])):
            app.switch_mode(mode)
            await settle(app, pilot)
            footer = " ".join(str(key.render()) for key in app.screen.query("FooterKey"))
            visible = [key for key in app.screen.query("FooterKey") if key.region.right <= 60 - 12]
            shown = " ".join(f"{key.key_display} {key.description}" for key in visible)
            assert all(word in shown for word in wanted), (mode, shown, footer)
        await pilot.press("e")
        await settle(app, pilot)
        visible = [key for key in app.screen.query("FooterKey") if key.region.right <= 60 - 12]
        assert "esc" in [key.key_display for key in visible]


# -- forms take typing at once ---------------------------------------------------------------------
async def test_entry_forms_open_with_the_first_field_focused(hermetic_home, clock):
    Diary(hermetic_home).add_cramp(cramp(LAST_NIGHT))
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CrampFormScreen) and app.focused.id == "form-when"
        await pilot.press("escape", "e")
        await pilot.pause()
        assert isinstance(app.screen, CrampFormScreen) and app.focused.id == "form-when"
        await pilot.press("escape", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, NightFormScreen) and app.focused.id == "night-quality"
        await pilot.press("4")
        assert app.screen.query_one("#night-quality", Input).value == "4"


# -- settings ----------------------------------------------------------------------------------------
async def test_the_bell_switch_says_on_or_off_in_words(hermetic_home, clock):
    from textual.widgets import Switch

    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        app.push_screen(SettingsScreen())
        await settle(app, pilot)
        assert text_of(app, "#bell-state") == "on" and app.focused.id == "set-theme"
        await pilot.press("tab", "space")  # the bell is the next field
        await pilot.pause()
        assert text_of(app, "#bell-state") == "off" and not app.screen.query_one("#set-bell", Switch).value


async def test_settings_name_a_bad_value_at_its_field_and_save_the_emergency_number(hermetic_home, clock):
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        app.push_screen(SettingsScreen())
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#set-night-start", Input).value = "25:00"
        screen.query_one("#set-emergency", Input).value = "call mum"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved: 2 values to fix, shown at each field" in text_of(app, "#settings-error")
        night_problem, number_problem = screen._problems["night_start"], screen._problems["emergency_number"]
        assert night_problem.has_class("-shown") and "must be a time of day" in night_problem.content.plain
        assert "must be a phone number" in number_problem.content.plain and "'call mum'" in number_problem.content.plain
        assert app.focused.id == "set-night-start"  # the first bad field, in screen order
        assert not (hermetic_home / "config.toml").exists()

        screen.query_one("#set-night-start", Input).value = "22:30"
        screen.query_one("#set-emergency", Input).value = "999"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert text_of(app, "#settings-error") == "" and not number_problem.has_class("-shown")
        assert app.services.settings.emergency_number == "999"
    settings, problems = load_settings(hermetic_home)
    assert problems == [] and settings.emergency_number == "999" and settings.night_start.strftime("%H:%M") == "22:30"


async def test_settings_say_plainly_when_the_file_cannot_be_written(hermetic_home, clock, monkeypatch):
    import cramp_coach.screens.settings as settings_screen

    def refuse(home, settings):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(settings_screen, "save_settings", refuse)
    app = app_at(hermetic_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SettingsScreen())
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved: permission denied" in text_of(app, "#settings-error")
        assert "Traceback" not in text_of(app, "#settings-error")


def test_one_night_a_day_apart():  # the fixtures above agree with core.nights
    from cramp_coach.core.nights import bedtime_night, last_night

    assert bedtime_night(MORNING) == TONIGHT and last_night(MORNING) == LAST_NIGHT
    assert bedtime_night(SMALL_HOURS) == LAST_NIGHT and LAST_NIGHT - timedelta(days=1) == LIST_CHANGED


async def test_leaving_settings_with_changes_asks_first(hermetic_home, clock):
    from textual.widgets import Input

    from cramp_coach.screens.settings import SettingsScreen

    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SettingsScreen())
        await pilot.pause()
        await pilot.press("escape")  # nothing changed: straight back
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
        app.push_screen(SettingsScreen())
        await pilot.pause()
        app.screen.query_one("#set-emergency", Input).value = "112"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceScreen"
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape", "s")  # save them
        await settle(app, pilot)
        assert not isinstance(app.screen, SettingsScreen)
        assert app.services.settings.emergency_number == "112"
        assert 'emergency_number = "112"' in (hermetic_home / "config.toml").read_text()
