"""The relief header's one line: the title is cut to fit, the status always shows whole."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from cramp_coach.widgets.safe import literal
from cramp_coach.widgets.title_line import TitleLine
from tests.helpers import screen_text


class OneLine(App[None]):
    def compose(self) -> ComposeResult:
        yield TitleLine(19, id="line")


@pytest.mark.parametrize(
    ("title", "width"),
    [
        ("Calf cramp relief · left leg", 80),
        ("x" * 10_000, 60),
        ("[b]not bold[/] [@click=app.quit]no click[/]", 40),
        ("足の裏のけいれん" * 20, 41),  # wide characters: never half of one
        ("", 20),
    ],
)
async def test_the_title_is_cut_to_fit_and_the_status_shows_whole(title, width):
    app = OneLine()
    async with app.run_test(size=(width, 3)) as pilot:
        line = app.query_one(TitleLine)
        line.show(title=literal(title, "bold"), status="Cramp so far 12:34")
        await pilot.pause()
        shown = screen_text(app).splitlines()[0]
        assert shown.endswith("Cramp so far 12:34")
        left = shown[: -len("Cramp so far 12:34")].rstrip()
        if title and len(title) + 19 > width:
            assert left.endswith("…")
        assert title.startswith(left.rstrip("…").rstrip()) or not left
        assert app.is_running  # markup in the title ran nothing


async def test_a_status_longer_than_its_room_keeps_a_gap_from_the_title():
    app = OneLine()
    async with app.run_test(size=(40, 3)) as pilot:
        app.query_one(TitleLine).show(title=literal("Front of the thigh (quadriceps) · both legs"), status="Cramp so far 131:23")
        await pilot.pause()
        shown = screen_text(app).splitlines()[0]
        assert shown.endswith("…  Cramp so far 131:23")


async def test_an_unchanged_line_is_not_redrawn():
    app = OneLine()
    async with app.run_test(size=(60, 3)) as pilot:
        line = app.query_one(TitleLine)
        line.show(title=literal("Calf"), status="Cramp so far 0:01")
        await pilot.pause()
        refreshed = []
        line.refresh = lambda *args, **kwargs: refreshed.append(1)  # type: ignore[method-assign]
        line.show(title=literal("Calf"), status="Cramp so far 0:01")
        assert not refreshed
        line.show(status="Cramp so far 0:02")
        assert refreshed
