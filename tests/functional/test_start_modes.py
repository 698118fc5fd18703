"""Opening the app straight on a part (`cramp-coach diary`, `cramp-coach checklist`) looks exactly
as going there from home does: start-up reads that part's stylesheet early to save a parse, and
this checks that nothing is styled differently for it."""

from __future__ import annotations

import re

import pytest

from cramp_coach.app import make_app
from cramp_coach.core.content import load_library
from cramp_coach.services import Services
from tests.conftest import FakeClock
from tests.helpers import FIXED_WALL, settle


async def _screenshot(home, start_mode: str | None, then: str | None = None) -> str:
    home.mkdir(parents=True, exist_ok=True)
    services = Services(home=home, library_given=load_library(home), clock=FakeClock(), wall_clock=lambda: FIXED_WALL, bell=False)
    app = make_app(services=services, start_mode=start_mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if then is not None:
            app.switch_mode(then)
        await settle(app, pilot)
        await pilot.pause(0.2)
        return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())


@pytest.mark.parametrize("mode", ["diary", "checklist"])
async def test_starting_on_a_part_looks_as_going_there_from_home(hermetic_home, mode):
    started = await _screenshot(hermetic_home, mode)
    gone_to = await _screenshot(hermetic_home, None, then=mode)
    assert started == gone_to


async def test_every_stylesheet_is_parsed_once_per_theme_however_often_textual_refreshes(hermetic_home, monkeypatch):
    from cramp_coach import stylesheets

    parsed: list[tuple[object, ...]] = []
    textual_parse = stylesheets._textual_parse

    def counted(self, css, read_from, **options):
        parsed.append((read_from, options.get("tie_breaker"), stylesheets._variables_key(self)))
        return textual_parse(self, css, read_from, **options)

    monkeypatch.setattr(stylesheets, "_textual_parse", counted)
    monkeypatch.setattr(stylesheets, "_parsed", {})
    await _screenshot(hermetic_home, None, then="diary")  # home, then the diary: two CSS refreshes at least
    assert parsed and len(parsed) == len(set(parsed))
    assert any("diary.tcss" in str(read_from) for read_from, _, _ in parsed)


def _styles_of(screen) -> list[tuple[str, object, object]]:
    """Every widget's styles from CSS, and its component classes' styles, in tree order."""
    found = []
    for node in screen.walk_children(with_self=True):
        components = {name: node.get_component_styles(name).get_rules() for name in sorted(node._component_styles)}
        found.append((f"{type(node).__name__}#{node.id}", node._css_styles.get_rules(), components))
    return found


def _screens_to_open():
    from cramp_coach.screens.checklist_edit import ChecklistEditScreen
    from cramp_coach.screens.insights import InsightsScreen
    from cramp_coach.screens.safety import RedFlagsScreen, SourcesScreen
    from cramp_coach.screens.settings import SettingsScreen
    from cramp_coach.screens.stats import StatsScreen

    return [StatsScreen, InsightsScreen, SettingsScreen, ChecklistEditScreen, RedFlagsScreen, SourcesScreen]


@pytest.mark.parametrize("start_mode", [None, "relief", "diary", "checklist"])
@pytest.mark.parametrize("size", [(80, 24), (50, 30)])
async def test_a_new_screen_is_styled_as_a_full_restyle_would_style_it(hermetic_home, start_mode, size):
    """A screen's first resume skips Textual's restyle of all its widgets (see CoachScreen): for
    every screen, forcing that restyle afterwards changes no widget's styles."""
    from cramp_coach.app import ReliefRequest

    services = Services(home=hermetic_home, library_given=load_library(hermetic_home), clock=FakeClock(), wall_clock=lambda: FIXED_WALL, bell=False)
    relief = ReliefRequest() if start_mode == "relief" else None
    app = make_app(services=services, relief=relief, start_mode=None if start_mode == "relief" else start_mode)

    async def same_after_a_restyle() -> None:
        await settle(app, pilot)
        before = _styles_of(app.screen)
        app.screen.update_node_styles(animate=False)
        assert _styles_of(app.screen) == before, type(app.screen).__name__

    async with app.run_test(size=size) as pilot:
        await same_after_a_restyle()
        if start_mode is None:
            for screen in _screens_to_open():
                await app.push_screen(screen())
                await same_after_a_restyle()
                app.pop_screen()
            for mode in ("diary", "checklist"):
                await app.switch_mode(mode)
                await same_after_a_restyle()
