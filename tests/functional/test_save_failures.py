"""No save is lost: a full disk, an unreadable diary kept on purpose, an entry changed elsewhere.

The full disk is a fake at the lowest level (the atomic file write raises ENOSPC until the test
"frees space"), so everything above it runs as it does for real.
"""

from __future__ import annotations

import errno
import json
import stat

import pytest
from textual.widgets import Input

from cramp_coach.app import ReliefRequest
from cramp_coach.core import storage
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import cramp_from_dict
from cramp_coach.screens.dialogs import ConfirmScreen, MoveAsideScreen, TextPromptScreen
from cramp_coach.screens.diary import DiaryScreen
from cramp_coach.screens.entry_forms import CrampFormScreen
from cramp_coach.screens.home import HomeScreen
from cramp_coach.screens.insights import InsightsScreen
from cramp_coach.screens.save_problem import EditConflictScreen, SaveProblemScreen
from cramp_coach.screens.summary import SummaryScreen
from tests.helpers import app_with_clock, settle, text_of


class Disk:
    """A disk that is full until ``free()``."""

    def __init__(self) -> None:
        self.full = True
        self.refused = 0

    def free(self) -> None:
        self.full = False


@pytest.fixture
def disk(monkeypatch) -> Disk:
    state = Disk()
    real_write = storage.write_atomically

    def write(path, text):
        if state.full:
            state.refused += 1
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write(path, text)

    monkeypatch.setattr(storage, "write_atomically", write)
    return state


async def relief_to_summary_and_save(app, pilot, clock) -> None:
    await pilot.pause()
    clock.advance(45)
    await pilot.pause(0.3)
    await pilot.press("enter")  # it's gone
    await pilot.pause()
    assert isinstance(app.screen, SummaryScreen)
    await pilot.press("enter")  # save to the diary
    await settle(app, pilot)


async def test_summary_save_on_a_full_disk_keeps_the_entry_and_retries(hermetic_home, clock, disk):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(side="left"))
    async with app.run_test(size=(80, 24)) as pilot:
        await relief_to_summary_and_save(app, pilot, clock)
        assert isinstance(app.screen, SaveProblemScreen)
        assert "disk is full" in text_of(app, "#save-problem-text")
        assert "still here" in text_of(app, "#save-problem-text")
        assert disk.refused and Diary(hermetic_home).cramps() == []
        await pilot.press("r")  # still full: asked again, nothing lost
        await settle(app, pilot)
        assert isinstance(app.screen, SaveProblemScreen)
        disk.free()
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running
    saved = Diary(hermetic_home).cramps()
    assert [(c.muscle, c.leg, c.duration_s) for c in saved] == [("calf", "left", 45)]


async def test_entry_form_on_a_full_disk_keeps_the_entry_and_retries(hermetic_home, clock, disk):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 34)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CrampFormScreen)
        form.query_one("#form-when", Input).value = "2026-11-22 04:30"
        form.query_one("#form-note", Input).value = "after a long walk"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, SaveProblemScreen)
        assert "disk is full" in text_of(app, "#save-problem-text")
        disk.free()
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, DiaryScreen)
    assert [c.note for c in Diary(hermetic_home).cramps()] == ["after a long walk"]


async def test_save_a_copy_elsewhere_writes_an_export_that_imports(hermetic_home, clock, disk, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(side="right"))
    async with app.run_test(size=(80, 24)) as pilot:
        await relief_to_summary_and_save(app, pilot, clock)
        assert isinstance(app.screen, SaveProblemScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        where = app.screen.query_one("#prompt-input", Input).value
        assert where.startswith(str(tmp_path / "cramp-coach-unsaved-")) and where.endswith(".json")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running
    copy = tmp_path / where.rsplit("/", 1)[1]
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert [c["leg"] for c in json.loads(copy.read_text())["cramps"]] == ["right"]

    disk.free()
    from cramp_coach.cli import main

    assert main(["import", str(copy)]) == 0
    assert [(c.leg, c.duration_s) for c in Diary(hermetic_home).cramps()] == [("right", 45)]


async def test_a_copy_never_overwrites_a_file(hermetic_home, clock, disk, tmp_path):
    taken = tmp_path / "taken.json"
    taken.write_text("mine")
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await relief_to_summary_and_save(app, pilot, clock)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#prompt-input", Input).value = str(taken)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        assert "already exists" in text_of(app, "#prompt-error")
    assert taken.read_text() == "mine"


async def test_giving_up_asks_first(hermetic_home, clock, disk):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await relief_to_summary_and_save(app, pilot, clock)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "this entry will be lost" in text_of(app, ".dialog-text").lower()
        await pilot.press("n")  # go back: the entry is still offered
        await pilot.pause()
        assert isinstance(app.screen, SaveProblemScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running


async def test_a_tick_on_a_full_disk_says_so_and_retries(hermetic_home, clock, disk):
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        app.switch_mode("checklist")
        await settle(app, pilot)
        await pilot.press("space")
        await settle(app, pilot)
        assert isinstance(app.screen, SaveProblemScreen)
        assert "disk is full" in text_of(app, "#save-problem-text")
        disk.free()
        await pilot.press("r")
        await settle(app, pilot)
        assert "1 of" in text_of(app, "#checklist-head")
    assert any(night.ticks for night in Diary(hermetic_home).nights().values())


async def test_unreadable_diary_kept_on_purpose_never_crashes_a_screen(hermetic_home, clock):
    hermetic_home.mkdir(parents=True)
    (hermetic_home / "diary.json").write_text("{torn")
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        assert isinstance(app.screen, MoveAsideScreen)
        await pilot.press("n")  # keep it
        await settle(app, pilot)
        assert "cannot be read" in text_of(app, "#diary-status")
        await pilot.press("n")  # the night form reads the diary
        await settle(app, pilot)
        assert isinstance(app.screen, MoveAsideScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, DiaryScreen)

        app.switch_mode("checklist")
        await settle(app, pilot)
        await pilot.press("n")  # keep it, again
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        if isinstance(app.screen, MoveAsideScreen):
            await pilot.press("n")
            await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        assert "cannot be read" in text_of(app, "#habits")
        await pilot.press("t")  # the trial: nothing read, so nothing to change, and no crash
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        assert app.is_running
    assert (hermetic_home / "diary.json").read_text() == "{torn"


def seed_one(home):
    cramp = cramp_from_dict({"id": "c1", "started_at": "2026-11-01T03:00:17.123456+05:30", "muscle": "calf",
                             "leg": "left", "intensity": 4, "duration_s": 61, "note": "first", "tags": ["alcohol"],
                             "triage": ["knot: yes"]})
    Diary(home).add_cramp(cramp)
    return cramp


async def open_edit_form(app, pilot):
    app.switch_mode("diary")
    await settle(app, pilot)
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, CrampFormScreen)
    return app.screen


async def test_fields_left_alone_keep_their_exact_values(hermetic_home, clock):
    original = seed_one(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 34)) as pilot:
        form = await open_edit_form(app, pilot)
        form.query_one("#form-intensity", Input).value = "7"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    saved = Diary(hermetic_home).get_cramp("c1")
    assert saved.started_at == original.started_at and saved.started_at.utcoffset() == original.started_at.utcoffset()
    assert saved.started_at.isoformat() == "2026-11-01T03:00:17.123456+05:30"
    assert (saved.duration_s, saved.tags, saved.note, saved.triage) == (61, ("alcohol",), "first", ("knot: yes",))
    assert saved.intensity == 7


@pytest.mark.parametrize("choice", ["k", "t"])
async def test_an_edit_that_meets_a_change_made_elsewhere_asks(hermetic_home, clock, choice):
    seed_one(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 34)) as pilot:
        form = await open_edit_form(app, pilot)
        elsewhere = Diary(hermetic_home)
        elsewhere.update_cramp(elsewhere.get_cramp("c1").with_changes(note="theirs"))
        form.query_one("#form-note", Input).value = "mine"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EditConflictScreen)
        assert "changed elsewhere since you opened it" in text_of(app, "#edit-conflict-text")
        await pilot.press(choice)
        await settle(app, pilot)
        assert isinstance(app.screen, DiaryScreen)
    assert Diary(hermetic_home).get_cramp("c1").note == {"k": "mine", "t": "theirs"}[choice]


async def test_an_edit_of_an_entry_deleted_elsewhere_can_be_saved_again(hermetic_home, clock):
    seed_one(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 34)) as pilot:
        form = await open_edit_form(app, pilot)
        Diary(hermetic_home).delete_cramp("c1")
        form.query_one("#form-note", Input).value = "mine"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EditConflictScreen)
        assert "deleted elsewhere" in text_of(app, "#edit-conflict-text")
        await pilot.press("k")
        await settle(app, pilot)
    assert Diary(hermetic_home).get_cramp("c1").note == "mine"


async def test_keeping_mine_after_a_delete_asks_again_if_the_entry_came_back_meanwhile(hermetic_home, clock):
    seed_one(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(110, 34)) as pilot:
        form = await open_edit_form(app, pilot)
        elsewhere = Diary(hermetic_home)
        deleted = elsewhere.delete_cramp("c1")
        form.query_one("#form-note", Input).value = "mine"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "deleted elsewhere" in text_of(app, "#edit-conflict-text")
        elsewhere.add_cramp(deleted.with_changes(note="restored elsewhere"))  # an undo in another window
        await pilot.press("k")
        await settle(app, pilot)
        assert isinstance(app.screen, EditConflictScreen)  # not "Cramp added" with the edit dropped
        assert "changed elsewhere since you opened it" in text_of(app, "#edit-conflict-text")
        await pilot.press("k")
        await settle(app, pilot)
    assert Diary(hermetic_home).get_cramp("c1").note == "mine"


async def test_a_note_with_a_line_break_stays_one_line_in_the_form_and_whole_in_the_diary(hermetic_home, clock):
    from textual.widgets import Input

    from cramp_coach.core.diary import Diary
    from cramp_coach.core.models import cramp_from_dict
    from cramp_coach.screens.entry_forms import CrampFormScreen

    saved = Diary(hermetic_home).add_cramp(cramp_from_dict({"started_at": "2026-11-20T03:10:42+00:00", "muscle": "calf", "intensity": 3, "note": "line1\nline2 [b]x[/b]"}))
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(CrampFormScreen(saved))
        await pilot.pause()
        assert "\n" not in app.screen.query_one("#form-note", Input).value
        app.screen.query_one("#form-intensity", Input).value = "7"
        edited = app.screen.collect()
        assert edited.note == "line1\nline2 [b]x[/b]" and edited.intensity == 7


async def test_a_diary_spoiled_while_other_screens_look_at_it_brings_up_no_dialog_over_relief(hermetic_home, clock, monkeypatch):
    """The diary and checklist look for changes every few seconds, also behind another screen: a
    file that turns unreadable meanwhile is said on their own lines, never as a dialog over the
    screen in front (relief, at 3 a.m.)."""
    from cramp_coach.core.diary import Diary
    from cramp_coach.core.models import cramp_from_dict
    from cramp_coach.screens import checklist, diary
    from cramp_coach.screens.relief import ReliefScreen

    monkeypatch.setattr(checklist, "POLL_SECONDS", 0.2)
    monkeypatch.setattr(diary, "POLL_SECONDS", 0.2)
    Diary(hermetic_home).add_cramp(cramp_from_dict({"started_at": "2026-11-20T03:00:00+00:00", "muscle": "calf"}))
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for mode in ("diary", "checklist", "home"):
            app.switch_mode(mode)
            await settle(app, pilot)
        await pilot.press("enter")  # a cramp: relief
        await settle(app, pilot)
        assert isinstance(app.screen, ReliefScreen)
        (hermetic_home / "diary.json").write_text('{"cramps": {')
        await pilot.pause(1.0)
        await settle(app, pilot)
        assert isinstance(app.screen, ReliefScreen)
        app.switch_mode("diary")
        await settle(app, pilot)
        assert "cannot be read" in text_of(app, "#diary-status")
