"""Hostile text through every screen that shows user or file text: shown as written, nothing runs.

Each test drives the whole corpus through one app session (so the file stays quick): the app keeps
running, each screen shows the text exactly as the diary (or the loaded file) holds it, and a
``[@click=app.quit]`` link is never made, so clicking it does nothing.
"""

from __future__ import annotations

import json
from datetime import date

from textual.widgets import DataTable, Input, OptionList

from cramp_coach.app import ReliefRequest, make_app
from cramp_coach.core.checklist import ChecklistBook, ChecklistItem
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import MAX_NOTE, cramp_from_dict
from cramp_coach.core.text import one_line
from cramp_coach.screens.checklist import ChecklistScreen
from cramp_coach.screens.checklist_edit import ChecklistEditScreen
from cramp_coach.screens.diary import CELL_LIMIT, DiaryScreen
from cramp_coach.screens.entry_forms import CrampDetailScreen, CrampFormScreen, describe_cramp
from cramp_coach.screens.home import HomeScreen
from cramp_coach.screens.insights import InsightsScreen
from cramp_coach.screens.relief import ReliefScreen
from cramp_coach.screens.stats import StatsScreen
from cramp_coach.screens.summary import SummaryScreen
from cramp_coach.services import default_services
from cramp_coach.widgets.safe import plain
from tests.helpers import FIXED_WALL, app_with_clock, cell_texts, settle, text_of

CLICK = "[@click=app.quit]tap[/]"
CORPUS = [
    "[/]", "pain [/] gone", "[bold]x", "[x] done", CLICK,
    "[link=http://x]y[/link]", "\x1b]0;title\x07", "\x1b[2J", "\x07bell", "\x9bc1",
    "x" * 10_000, "\u202eright-to-left\u202c", "emoji 🦵💥", "a|b\nc", "=1+1", "+cmd", "-2", "@SUM(A1)",
    "<img src=http://evil/x.png>", "![x](http://evil/x.png)", "\udcff",
]


def shown(text: str) -> str:
    """What a screen should show for ``text`` once stored: the same characters, controls gone."""
    return plain(text)


def seed_hostile_cramps(home) -> list:
    diary = Diary(home)
    for number, text in enumerate(CORPUS):
        diary.add_cramp(cramp_from_dict({
            "id": f"h{number:02d}", "started_at": f"2026-10-{number + 1:02d}T03:00:00+00:00", "muscle": "calf",
            "note": text[:MAX_NOTE], "tags": [text[:40].replace(",", " ").replace(";", " ")], "ended_by": text[:80].replace("\n", " "),  # (, and ; separate tags; a step id is one line)
        }))
    for extra in range(2):  # the click text is the commonest "ended by", so stats show it
        diary.add_cramp(cramp_from_dict({"id": f"click{extra}", "started_at": f"2026-09-0{extra + 1}T03:00:00+00:00",
                                         "muscle": "calf", "ended_by": CLICK}))
    return {cramp.id: cramp for cramp in diary.cramps()}


def click_actions(app) -> set[str]:
    """Every action a click anywhere on the screen would run (a link made from text would show here)."""
    from textual.geometry import Region

    actions = set()
    for widget in list(app.screen._compositor.visible_widgets):
        width, height = widget.size
        for strip in widget.render_lines(Region(0, 0, width, height)):
            for segment in strip:
                meta = segment.style.meta if segment.style is not None else {}
                if "@click" in meta:
                    actions.add(str(meta["@click"]))
    return actions


def no_quit_link(app) -> bool:
    """True while the app runs and no text on screen became a link to quit it."""
    return app.is_running and not any("quit" in action for action in click_actions(app))


async def test_diary_table_detail_stats_and_filter_show_text_as_written(hermetic_home, clock):
    stored = seed_hostile_cramps(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        table = app.screen.query_one("#history", DataTable)
        assert table.row_count == len(stored)
        for row_key in table.rows:
            cramp = stored[row_key.value]
            expected = one_line(shown(cramp.ended_by))
            if len(expected) > CELL_LIMIT:
                expected = expected[: CELL_LIMIT - 1] + "…"
            assert cell_texts(table.get_row(row_key))[6] == expected

        for cramp in stored.values():  # what the detail view shows, for every entry
            detail = describe_cramp(cramp, app.services.step_title).plain
            assert shown(cramp.note) in detail and shown(cramp.ended_by) in detail
            assert all(shown(tag) in detail for tag in cramp.tags)
        for cramp_id in ("h01", "h04", "h07", "h10"):  # and the screen itself, for a few
            table.move_cursor(row=table.get_row_index(cramp_id))
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CrampDetailScreen)
            assert shown(stored[cramp_id].note) in text_of(app, "#detail-text")
            assert no_quit_link(app)
            await pilot.press("escape")
        assert isinstance(app.screen, DiaryScreen)

        await pilot.press("slash")
        await pilot.pause()
        for text in CORPUS:
            app.screen.query_one("#filter-text", Input).value = text
            app.screen.query_one("#filter-from", Input).value = text
            await pilot.pause()
            status = text_of(app, "#diary-status")
            assert "Filter ignored" in status and "from: must be a date" in status
        await pilot.press("escape", "x")
        await pilot.pause()

        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert f"Most often ended by: {CLICK} (3)" in text_of(app, "#stats-summary")
        assert f"{CLICK}: 3" in text_of(app, "#stats-ended")
        assert no_quit_link(app)


async def test_entry_form_shows_and_keeps_hostile_text(hermetic_home, clock):
    stored = seed_hostile_cramps(hermetic_home)
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.switch_mode("diary")
        await settle(app, pilot)
        table = app.screen.query_one("#history", DataTable)
        for cramp_id in ("h04", "h10", "h13", "h20"):  # the click, 2000 characters, a newline, a lone surrogate
            table.move_cursor(row=table.get_row_index(cramp_id))
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, CrampFormScreen)
            form = app.screen
            form.query_one("#form-intensity", Input).value = stored[cramp_id].note[:30] or "[/]"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, CrampFormScreen)  # refused, with the field named
            assert text_of(app, "#form-error").startswith("Intensity:")
            form.query_one("#form-intensity", Input).value = ""
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, DiaryScreen)
        assert app.is_running
    after = {cramp.id: cramp for cramp in Diary(hermetic_home).cramps()}
    assert after == stored  # saving untouched fields changed nothing, hostile text included


async def test_summary_note_is_saved_as_written_and_a_huge_one_is_refused(hermetic_home, clock):
    app = app_with_clock(hermetic_home, clock, relief=ReliefRequest(side="left"))
    notes = [CLICK, "pain [/] gone", "[link=http://x]y[/link]", "\x1b]0;title\x07 done"]
    async with app.run_test(size=(80, 24)) as pilot:
        for number, note in enumerate(notes):
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            if number == 0:
                app.screen.query_one("#summary-note", Input).value = "x" * 10_000
                await pilot.press("enter")
                await pilot.pause()
                assert isinstance(app.screen, SummaryScreen)  # refused in the field; the run is kept
                assert f"at most {MAX_NOTE} characters" in text_of(app, "#summary-error")
            app.screen.query_one("#summary-note", Input).value = note
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("c")
        assert app.is_running
    saved = sorted(cramp.note for cramp in Diary(hermetic_home).cramps())
    assert saved == sorted(shown(note) for note in notes)


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` (JSON escapes are TOML escapes for these)."""
    return json.dumps(text, ensure_ascii=False)


async def test_user_routine_with_hostile_text_opens_and_shows_it(hermetic_home, clock):
    folder = hermetic_home / "routines"
    folder.mkdir(parents=True)
    texts = [text for text in CORPUS if text != "\udcff" and len(text) < 200]
    steps = "".join(
        f'\n[[steps]]\nid = "mine-{number}"\nkind = "stretch"\ntitle = {toml_string(text)}\n'
        f"instruction = {toml_string('Do it: ' + text)}\ntip = {toml_string(text)}\nseconds = 30\n"
        f'source = {{ title = {toml_string(text)}, url = "https://example.org/{number}" }}\n'
        for number, text in enumerate(texts)
    )
    (folder / "mine.toml").write_text(f'id = "mine"\nmuscle = "calf"\ntitle = {toml_string(CLICK)}\n' + steps)
    (hermetic_home / "config.toml").write_text('theme = "[/]"\nbell = "[@click=app.quit]x[/]"\n')
    services = default_services(hermetic_home)  # reads config.toml, as a real start does
    services.clock, services.wall_clock = clock, lambda: FIXED_WALL
    app = make_app(services=services, relief=ReliefRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReliefScreen)
        routine = app.screen.run.routine
        assert routine.id == "mine", app.services.warnings
        assert CLICK in text_of(app, "#relief-head")
        for step in routine.steps:
            assert text_of(app, "#step-title") == shown(step.title)
            assert text_of(app, "#instruction") == shown(step.instruction)
            assert text_of(app, "#tip") == shown(step.tip)
            assert no_quit_link(app)
            await pilot.press("n")
            await pilot.pause()
        assert any("[/]" in warning for warning in app.services.warnings)
        assert not app._notifications  # the settings warnings are not toasts over the countdown...
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "[/]" in text_of(app, "#summary-warnings")  # ...they are listed after the routine
        assert no_quit_link(app)


async def test_warnings_are_listed_as_written_on_home(hermetic_home, clock):
    folder = hermetic_home / "routines"
    folder.mkdir(parents=True)
    (folder / "[@click=app.quit]x[b].toml").write_text('id = "[/]"\nmuscle = "[/]"\ntitle = "[/]"\n')
    app = app_with_clock(hermetic_home, clock)
    app.services.extra_warnings.append(f"config.toml: theme must be one of auto, night, got {CLICK!r}")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        warnings = text_of(app, "#home-warnings")
        assert "[@click=app.quit]x[b].toml" in warnings and CLICK in warnings
        assert no_quit_link(app)


async def test_checklist_editor_and_insights_show_stored_titles_as_written(hermetic_home, clock):
    book = ChecklistBook(Diary(hermetic_home), tonight=lambda: date(2026, 11, 24))  # the app's tonight
    titles = ["Stretch [/] done", *(text for text in CORPUS if text != "\udcff")]  # a stored file cannot hold it raw
    book.save(book.items() + [ChecklistItem(id=f"own-{n}", title=t, custom=True) for n, t in enumerate(titles)])
    held = [item.title for item in book.items() if item.custom]
    assert "Stretch [/] done" in held
    app = app_with_clock(hermetic_home, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.switch_mode("checklist")
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)
        prompts = [app.screen.query_one(OptionList).get_option_at_index(i).prompt.plain
                   for i in range(app.screen.query_one(OptionList).option_count)]
        for title in held:
            assert any(prompt.startswith(f"[ ] {one_line(title)}") for prompt in prompts), title
        options = app.screen.query_one(OptionList)
        options.highlighted = len(prompts) - len(held)  # "Stretch [/] done"
        await pilot.press("space")
        await settle(app, pilot)
        assert "1 of" in text_of(app, "#checklist-head")
        assert "Stretch [/] done" in text_of(app, "#item-detail")

        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistEditScreen)
        edit_prompts = [app.screen.query_one(OptionList).get_option_at_index(i).prompt.plain
                        for i in range(app.screen.query_one(OptionList).option_count)]
        assert "Stretch [/] done (yours)" in edit_prompts
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        assert "Stretch [/] done" in text_of(app, "#insights")
        assert no_quit_link(app)
