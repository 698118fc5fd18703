"""Hanging indents: a long note, title or web address wraps under where it began, at any width."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from cramp_coach.widgets.hanging import MIN_BODY, Hanging, hanging_rows
from cramp_coach.widgets.safe import literal
from tests.corpus import HOSTILE
from tests.helpers import screen_text

NOTE = "Woke at three with the left calf locked; stretched against the wall and it eased after a minute."


def test_wrapped_lines_start_under_the_value_not_under_the_label():
    lines = [text.plain for text in hanging_rows([("Leg", literal("left")), ("Note", literal(NOTE))]).lines(40)]
    assert lines[0] == "Leg  left"
    assert lines[1].startswith("Note Woke at three")
    assert len(lines) > 3
    for continued in lines[2:]:
        assert continued.startswith("     ") and continued[5] != " "
    assert all(cell_len(text) <= 40 for text in lines)
    assert " ".join(text.strip() for text in lines[1:]) == "Note " + NOTE


def test_every_line_of_a_value_with_line_breaks_hangs():
    lines = [text.plain for text in hanging_rows([("Note", literal("first line\nsecond line"))]).lines(60)]
    assert lines == ["Note first line", "     second line"]


def test_too_narrow_to_hang_it_wraps_from_the_edge_instead_of_a_letter_a_line():
    text = Hanging([(Content("Ended by  "), Content("stood up and walked it off"))])
    lines = [line.plain for line in text.lines(10 + MIN_BODY - 1)]
    assert lines[0].startswith("Ended by  stood")
    assert len(lines) <= 3
    assert all(cell_len(line) <= 10 + MIN_BODY - 1 for line in lines)


def test_wide_characters_and_one_long_word_stay_inside_the_width():
    text = Hanging([("• ", Content("足の裏のけいれん" * 10)), ("  ", Content("https://example.org/" + "x" * 200))])
    lines = text.lines(30)
    assert all(line.cell_length <= 30 for line in lines)
    assert all(line.plain.startswith("  ") for line in lines[1:])
    assert text.get_height({}, 30) == len(lines)


def test_an_empty_value_still_takes_its_line():
    assert [line.plain for line in hanging_rows([("Tags", ""), ("Note", "x")]).lines(30)] == ["Tags ", "Note x"]


class Shown(App[None]):
    def __init__(self, text: Hanging) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.text, id="text")
            yield Static("end", id="after")


@pytest.mark.parametrize("width", [60, 41, 20])
async def test_a_static_is_exactly_as_tall_as_the_wrapped_text_and_shows_hostile_text_as_written(width):
    rows = [(f"{index:>2}", literal(text)) for index, text in enumerate(HOSTILE)]
    app = Shown(hanging_rows(rows))
    async with app.run_test(size=(width, 400)) as pilot:
        await pilot.pause()
        shown = screen_text(app).splitlines()
        widget = app.query_one("#text")
        height = widget.size.height
        assert height == widget.render().get_height({}, widget.size.width)
        if height < 399:
            assert shown[height].startswith("end")  # nothing cut off, no gap
        assert app.is_running  # "[@click=app.quit]" ran nothing
        assert "[@click=app.quit]tap[/]" in str(widget.render())
        assert any("[@click=app.quit]tap[/]" in line for line in shown) or width < 41
        assert not any("\x1b" in line or "\x07" in line for line in shown)
