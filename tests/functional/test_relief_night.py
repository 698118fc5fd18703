"""At night: the auto theme follows the clock while the app is open, and nothing shines brighter
than the night theme's own dim palette (home, relief, summary, triage, red flags at 60x20, and at
a phone's 41x39 with its buttons to tap)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from cramp_coach.app import ReliefRequest, make_app
from cramp_coach.core.content import load_library
from cramp_coach.services import Services
from cramp_coach.themes import NIGHT
from tests.conftest import FakeClock
from tests.helpers import settle


class WallClock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def services_with(home, wall: WallClock, clock=None) -> Services:
    home.mkdir(parents=True, exist_ok=True)
    return Services(home=home, library_given=load_library(home), wall_clock=wall, clock=clock or FakeClock())


async def test_auto_theme_dims_at_nine_and_brightens_in_the_morning(hermetic_home):
    wall = WallClock(datetime(2026, 11, 25, 20, 59, 30, tzinfo=UTC))
    app = make_app(services=services_with(hermetic_home, wall))
    app.THEME_CHECK_SECONDS = 0.05
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause(0.1)
        assert app.theme == "cramp-day"
        wall.now += timedelta(seconds=31)  # 21:00:01, the app left open
        await pilot.pause(0.2)
        assert app.theme == "cramp-night"
        wall.now = datetime(2026, 11, 26, 7, 0, 1, tzinfo=UTC)
        await pilot.pause(0.2)
        assert app.theme == "cramp-day"


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG) of ``rrggbb``."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def night_palette() -> list[str]:
    """Every colour the night theme declares."""
    declared = [NIGHT.primary, NIGHT.secondary, NIGHT.accent, NIGHT.warning, NIGHT.error, NIGHT.success,
                NIGHT.foreground, NIGHT.background, NIGHT.surface, NIGHT.panel, NIGHT.boost, *NIGHT.variables.values()]
    return [c.lstrip("#").lower() for c in declared if isinstance(c, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", c)]


def colours_used(svg: str) -> set[str]:
    """The colours of all visible text and of every filled background in an SVG screenshot."""
    fills = dict(re.findall(r"\.(terminal-\d+-r\d+) \{ fill: #([0-9a-f]{6})", svg))
    text = {fills[cls] for cls, shown in re.findall(r'<text class="(terminal-\d+-r\d+)"[^>]*>([^<]*)</text>', svg)
            if html.unescape(shown).strip() and cls in fills}
    return text | set(re.findall(r'<rect fill="#([0-9a-f]{6})"', svg))


async def _to_summary(app, pilot, clock):
    clock.advance(40)
    await pilot.press("enter")  # it's gone: the summary, with "Save to diary" focused


async def _to_triage(app, pilot, clock):
    await pilot.press("question_mark")


async def _to_red_flags(app, pilot, clock):
    await pilot.press("exclamation_mark")


async def _to_leave_dialog(app, pilot, clock):
    await pilot.press("f1")  # during relief: asked first


async def _to_home(app, pilot, clock):
    await pilot.press("escape", "escape", "y")  # leave, don't save (asked first): home, calm


@pytest.mark.parametrize("reach", [None, _to_summary, _to_triage, _to_red_flags, _to_leave_dialog, _to_home],
                         ids=["relief", "summary", "triage", "red-flags", "leave-dialog", "home"])
@pytest.mark.parametrize("size", [(60, 20), (41, 39)], ids=["60x20", "phone-41x39"])  # a phone: buttons to tap
async def test_nothing_is_brighter_than_the_night_palette(hermetic_home, reach, size):
    clock = FakeClock()
    wall = WallClock(datetime(2026, 11, 25, 3, 12, tzinfo=UTC))
    app = make_app(services=services_with(hermetic_home, wall, clock), relief=ReliefRequest(side="left"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if reach is not None:
            await reach(app, pilot, clock)
        await settle(app, pilot)  # and the buttons to tap, mounted after relief's first frame
        assert app.theme == "cramp-night"
        svg = app.export_screenshot()
    brightest = max(luminance(c) for c in night_palette())
    used = colours_used(svg)
    assert used, "nothing found in the screenshot"
    too_bright = sorted(c for c in used if luminance(c) > brightest * 1.05)
    assert too_bright == [], f"brighter than the night palette allows ({brightest:.3f}): {too_bright}"
