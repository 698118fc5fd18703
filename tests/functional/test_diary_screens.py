"""The diary screens, driven with the Pilot against a temporary diary."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from cramp_coach.app import ReliefRequest
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import cramp_from_dict
from cramp_coach.screens.dialogs import ConfirmScreen, MoveAsideScreen
from cramp_coach.screens.diary import DiaryScreen
from cramp_coach.screens.entry_forms import CrampDetailScreen, CrampFormScreen
from cramp_coach.screens.stats import StatsScreen
from tests.helpers import app_with_clock, cell_texts, screen_text, settle, text_of


def seed(home, count=3, start="2026-11-0{day}T03:00:00+00:00", **fields):
    diary = Diary(home)
    for day in range(1, count + 1):
        record = {"started_at": start.format(day=day), "muscle": "calf", "leg": "left", "intensity": day, "note": f"night {day}"}
        record.update(fields)
        diary.add_cramp(cramp_from_dict(record))
    return diary


async def open_diary(app, pilot):
    app.switch_mode("diary")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, DiaryScreen)
    return app.screen.query_one("#history", DataTable)


async def test_history_newest_first_and_filters(hermetic_home, clock):
    seed(hermetic_home)
    Diary(hermetic_home).add_cramp(cramp_from_dict({"started_at": "2026-11-05T02:00:00+00:00", "muscle": "foot", "leg": "right", "intensity": 2, "note": "after dancing"}))
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        table = await open_diary(app, pilot)
        assert table.row_count == 4
        assert cell_texts(table.get_row_at(0))[:4] == ["2026-11-05", "02:00", "right", "foot"]
        assert cell_texts(table.get_row_at(1))[0] == "2026-11-03"
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("tab", *"2026-11-02")  # on from the text to "from"
        await pilot.pause()
        assert table.row_count == 3
        app.screen.query_one("#filter-text", Input).value = "dancing"
        await pilot.pause()
        assert table.row_count == 1
        assert "1 of 4 cramps" in text_of(app, "#diary-status") and "x clears the filter" in text_of(app, "#diary-status")
        app.screen.query_one("#filter-to", Input).value = "Nov 9"
        await pilot.pause()
        assert "Filter ignored" in text_of(app, "#diary-status") and "to: must be a date" in text_of(app, "#diary-status")
        await pilot.press("escape", "x")
        await pilot.pause()
        assert table.row_count == 4
        assert not app.screen.query("#filters")


async def test_detail_edit_delete_and_undo(hermetic_home, clock):
    seed(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        table = await open_diary(app, pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, CrampDetailScreen)
        assert "night 3" in text_of(app, "#detail-text")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CrampFormScreen)
        app.screen.query_one("#form-intensity", Input).value = "12"
        await pilot.press("ctrl+s")
        assert "Intensity" in text_of(app, "#form-error") and "from 0 to 10" in text_of(app, "#form-error")
        app.screen.query_one("#form-intensity", Input).value = "9"
        app.screen.query_one("#form-note", Input).value = "edited"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await settle(app, pilot)
        assert cell_texts(table.get_row_at(0))[4] == "9"
        assert Diary(hermetic_home).cramps()[0].note == "edited"

        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert len(Diary(hermetic_home).cramps()) == 2
        assert table.row_count == 2
        await pilot.press("u")
        await settle(app, pilot)
        assert len(Diary(hermetic_home).cramps()) == 3
        assert table.row_count == 3


async def test_add_by_hand(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 34)) as pilot:
        await open_diary(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-when", Input).value = "2026-11-22 04:30"
        form.query_one("#form-intensity", Input).value = "6"
        form.query_one("#form-duration", Input).value = "2:30"
        form.query_one("#form-tags", Input).value = "caffeine, long sitting"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = Diary(hermetic_home).cramps()
        assert len(saved) == 1
        assert (saved[0].duration_s, saved[0].tags, saved[0].intensity) == (150, ("caffeine", "long sitting"), 6)


async def test_a_bad_duration_is_named_in_the_forms_own_terms(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_diary(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-when", Input).value = "2026-11-22 04:30"
        for typed in ("abc", "[/] \x1b[2J", "25:61", "9" * 200):
            form.query_one("#form-duration", Input).value = typed
            await pilot.press("ctrl+s")
            await pilot.pause()
            said = text_of(app, "#form-error")
            assert said.startswith("Duration: must be minutes:seconds like 2:30 (or whole seconds)"), said
            assert "\x1b" not in said and len(said) < 200
        assert isinstance(app.screen, CrampFormScreen) and Diary(hermetic_home).cramps() == []


async def test_insights_open_from_the_diary_too(hermetic_home, clock):
    from cramp_coach.screens.insights import InsightsScreen

    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_diary(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)


async def test_entries_written_by_another_process_appear(hermetic_home, clock):
    seed(hermetic_home, count=1)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        table = await open_diary(app, pilot)
        assert table.row_count == 1
        Diary(hermetic_home).add_cramp(cramp_from_dict({"started_at": "2026-11-09T03:00:00+00:00", "muscle": "calf"}))
        await pilot.pause(2.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 2


async def test_stats_with_clinician_advice_at_five_in_a_month(hermetic_home, clock):
    seed(hermetic_home, count=5, start="2026-11-1{day}T22:00:00+00:00", ended_by="calf-stretch", duration_s=60)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 34)) as pilot:
        await open_diary(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await settle(app, pilot)
        summary = text_of(app, "#stats-summary")
        assert "Cramps (whole diary): 5" in summary and "Mean pain: 3.0 / 10" in summary and "Mean duration: 1 min 00 s" in summary
        assert "Stretch the calf (5)" in summary
        notices = text_of(app, "#stats-notices")
        assert "Worth talking to a clinician · You logged 5 cramps in the last 30 nights." in notices
        assert "2026-10" in text_of(app, "#chart-months") or "2026-11" in text_of(app, "#chart-months")
        await pilot.press("escape")
        assert isinstance(app.screen, DiaryScreen)


async def test_relief_run_saved_in_two_keys_lands_in_the_diary(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(side="right"))
    async with app.run_test() as pilot:
        await pilot.pause()
        clock.advance(45)
        await pilot.pause(0.3)
        await pilot.press("enter", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    saved = Diary(hermetic_home).cramps()
    assert len(saved) == 1
    assert (saved[0].muscle, saved[0].leg, saved[0].duration_s, saved[0].ended_by, saved[0].routine) == ("calf", "right", 45, "calf-stretch", "calf")


async def test_unreadable_diary_is_offered_to_be_moved_aside(hermetic_home, clock):
    hermetic_home.mkdir(parents=True)
    (hermetic_home / "diary.json").write_text("{torn")
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        app.switch_mode("diary")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MoveAsideScreen)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(list(hermetic_home.glob("diary.unreadable-*.json"))) == 1
    assert next(hermetic_home.glob("diary.unreadable-*.json")).read_text() == "{torn"


async def test_night_record(hermetic_home, clock):
    seed(hermetic_home, count=1)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        await open_diary(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#night-quality", Input).value = "6"
        await pilot.press("ctrl+s")
        assert "Sleep quality" in text_of(app, "#form-error") and "from 1 to 5" in text_of(app, "#form-error")
        app.screen.query_one("#night-quality", Input).value = "2"
        app.screen.query_one("#night-woken", Input).value = "3"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    nights = Diary(hermetic_home).nights()
    assert [(n.sleep_quality, n.times_woken) for n in nights.values()] == [(2, 3)]


async def test_escape_on_a_form_with_typing_in_it_asks_first(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_diary(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("4")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep typing
        await pilot.pause()
        assert app.screen.query_one("#night-quality", Input).value == "4"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen) and Diary(hermetic_home).nights() == {}


async def test_home_and_end_go_to_the_newest_and_oldest_entry(hermetic_home, clock):
    seed(hermetic_home, count=5)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        table = await open_diary(app, pilot)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1 and table.scroll_x == 0
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0


async def test_every_column_shown_is_whole_at_any_width_and_what_ended_a_cramp_is_one_key_away(hermetic_home, clock):
    seed(hermetic_home, count=9, ended_by="calf-stretch", duration_s=95)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 24)) as pilot:
        table = await open_diary(app, pilot)
        all_but_ended_by = ["Date", "Time", "Leg", "Muscle", "Pain", "Duration"]
        for width, left_out in (
            (100, []), (60, ["Ended by"]), (72, []), (69, []), (68, ["Ended by"]), (56, ["Ended by", "Leg"]),
            (50, ["Ended by", "Leg"]), (41, ["Ended by", "Leg", "Duration"]), (80, []),
        ):
            await pilot.resize_terminal(width, 24)
            await settle(app, pilot)
            labels = [str(column.label) for column in table.columns.values()]
            assert labels == [label for label in [*all_but_ended_by, "Ended by"] if label not in left_out], width
            ended_by_shown = not left_out
            assert table.virtual_size.width <= table.scrollable_content_region.width, f"scrolls sideways at {width}"
            assert table.row_count == 9 and len(cell_texts(table.get_row_at(0))) == len(labels)
            status = text_of(app, "#diary-status")
            assert ("enter: details" in status) is not ended_by_shown
            assert bool(app.screen.query("#diary-taps")) is False or app.screen.query_one("#diary-taps").display is (width < 60)
            if width >= 80:
                assert "Stretch the calf" in screen_text(app)
            elif ended_by_shown:
                first_row = screen_text(app).splitlines()[1]
                assert "Stretch t" in first_row and first_row.rstrip().endswith("…")  # cut where it must be, and said so
        await pilot.resize_terminal(60, 24)
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CrampDetailScreen) and "Stretch the calf" in screen_text(app)


async def test_after_a_delete_the_entry_below_is_selected(hermetic_home, clock):
    seed(hermetic_home, count=5)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_diary(app, pilot)
        await pilot.press("down", "down")
        below = cell_texts(table.get_row_at(3))
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert table.row_count == 4 and table.cursor_row == 2 and cell_texts(table.get_row_at(2)) == below
        await pilot.press("end", "d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert table.row_count == 3 and table.cursor_row == 2  # the last one gone: the new last


async def test_in_the_filter_boxes_the_footer_says_escape_goes_back_to_the_list(hermetic_home, clock):
    seed(hermetic_home, count=2)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_diary(app, pilot)
        await pilot.press("slash")
        await settle(app, pilot)
        assert "esc list" in screen_text(app).splitlines()[-1]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.focused is table and isinstance(app.screen, DiaryScreen)
        assert "esc home" in screen_text(app).splitlines()[-1]


async def test_the_first_page_comes_from_the_head_then_every_entry_follows(hermetic_home, clock, monkeypatch):
    from cramp_coach.core.diary import Diary as DiaryStore

    records = [cramp_from_dict({"started_at": f"2026-{month:02d}-{day:02d}T03:00:00+00:00", "muscle": "calf", "note": f"{month}/{day}"})
               for month in range(1, 11) for day in range(1, 29)]
    DiaryStore(hermetic_home).import_records(records)  # a full write: the head is kept beside the diary
    pages = []
    first_page = DiaryStore.first_page

    def spied(self, count):
        page = first_page(self, count)
        pages.append(page)
        return page

    monkeypatch.setattr(DiaryStore, "first_page", spied)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_diary(app, pilot)
        await settle(app, pilot)
        assert pages and pages[0] is not None and pages[0][1] == len(records)
        assert table.row_count == len(records)  # then every entry, newest first
        assert cell_texts(table.get_row_at(0))[0] == "2026-10-28"
        assert text_of(app, "#diary-status").startswith(f"{len(records)} cramps")


async def test_entries_saved_elsewhere_show_as_soon_as_the_diary_is_back_on_screen(hermetic_home, clock):
    seed(hermetic_home, count=2)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_diary(app, pilot)
        app.switch_mode("home")
        await pilot.pause()
        Diary(hermetic_home).add_cramp(cramp_from_dict({"started_at": "2026-11-09T03:00:00+00:00", "muscle": "foot"}))
        app.switch_mode("diary")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 3  # without waiting for the next look at the file (every 2 s)


async def test_when_the_rest_cannot_be_read_the_first_page_goes_too(hermetic_home, clock, monkeypatch):
    from cramp_coach.core.diary import Diary as DiaryStore
    from cramp_coach.core.storage import StorageError

    Diary(hermetic_home).import_records([cramp_from_dict({"started_at": f"2026-11-0{day}T03:00:00+00:00", "muscle": "calf"}) for day in range(1, 5)])

    def busy(self):
        raise StorageError(self.path, "is busy: another cramp-coach is writing the diary right now")

    monkeypatch.setattr(DiaryStore, "snapshot", busy)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_diary(app, pilot)
        await settle(app, pilot)
        assert table.row_count == 0 and "cannot be read" in text_of(app, "#diary-status")


async def test_going_away_from_stats_or_insights_and_back_shows_the_diary_list(hermetic_home, clock):
    """d, s (stats), F1 (home), d: the diary list, not the stats left open (same for insights)."""
    from cramp_coach.screens.home import HomeScreen
    from cramp_coach.screens.insights import InsightsScreen

    seed(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        for view_key, view in (("s", StatsScreen), ("i", InsightsScreen)):
            await open_diary(app, pilot)
            await pilot.press(view_key)
            await settle(app, pilot)
            assert isinstance(app.screen, view)
            await pilot.press("f1")
            await settle(app, pilot)
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("d")
            await settle(app, pilot)
            assert isinstance(app.screen, DiaryScreen)


async def test_tab_from_the_filter_text_goes_on_to_the_dates_not_the_list(hermetic_home, clock):
    seed(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_diary(app, pilot)
        await pilot.press("slash", "n", "i", "g", "tab")
        assert app.focused is not None and app.focused.id == "filter-from"
        await pilot.press(*"2026-11-02", "tab")
        assert app.focused.id == "filter-to"
        await settle(app, pilot)
        assert app.screen.query_one("#filter-text", Input).value == "nig"
        assert app.screen.query_one("#filter-from", Input).value == "2026-11-02"
        assert len(app.screen._shown) == 2
