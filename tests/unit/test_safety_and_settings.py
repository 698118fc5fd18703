"""Triage paths, red flags, settings validation and the theme by time of day: pure logic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from cramp_coach.core.content import load_library
from cramp_coach.core.models import cramp_from_dict
from cramp_coach.core.safety import Outcome, TriageFlow, load_red_flags, load_triage
from cramp_coach.core.settings import Settings, apply_durations, load_settings, parse_settings, save_settings
from cramp_coach.core.stats import rise_after_new_medicine


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ([True], "redflag"),                       # swollen, warm, red leg
        ([False, True], "redflag"),                # chest pain, breathless, coughing blood, fainting
        ([False, False, False, False, True, False], "relief"),   # a hard knotted painful muscle, nothing else
        ([False, False, False, False, True, True], "redflag"),   # ... with weakness or numbness
        ([False, False, False, False, False, True], "restless"), # an urge to move, eased by moving
        ([False, False, False, False, False, False, True], "soon"),  # pain on walking, eased by rest
        ([False, False, False, False, False, False, False, False], "unclear"),
    ],
)
def test_every_triage_outcome(answers, outcome):
    flow = TriageFlow(load_triage())
    for yes in answers:
        flow.answer(yes)
    assert isinstance(flow.current, Outcome)
    assert flow.outcome.id == outcome
    assert len(flow.record()) == len(answers)


def test_triage_back_takes_an_answer_back():
    flow = TriageFlow(load_triage())
    flow.answer(False)
    flow.back()
    assert flow.current.id == "swollen" and flow.answers == []


def test_red_flags_cover_the_urgent_signs():
    flags = load_red_flags()
    titles = " ".join(f.title for f in flags.urgent)
    assert "swollen" in titles and "Chest pain" in titles and "10 minutes" in titles
    assert any("do not rub" in f.action.lower() for f in flags.urgent)
    assert any("5 or more" in f.title for f in flags.soon)


@pytest.mark.parametrize(
    ("settings", "clock", "theme"),
    [
        (Settings(), time(22, 30), "night"),
        (Settings(), time(3, 0), "night"),
        (Settings(), time(7, 0), "day"),
        (Settings(), time(20, 59), "day"),
        (Settings(night_start=time(23, 0), night_end=time(6, 0)), time(22, 30), "day"),
        (Settings(night_start=time(1, 0), night_end=time(5, 0)), time(3, 0), "night"),
        (Settings(theme="high-contrast"), time(3, 0), "high-contrast"),
        (Settings(theme="day"), time(3, 0), "day"),
    ],
)
def test_theme_by_time_of_day(settings, clock, theme):
    assert settings.theme_at(clock) == theme


def test_bad_settings_name_the_key_and_fall_back():
    settings, warnings = parse_settings('theme = "neon"\nbell = 3\nnight_end = "7am"\n[durations]\ncalf-massage = 2\n', Path("config.toml"))
    assert settings == Settings()
    assert any("theme must be one of auto, night, day, high-contrast, got 'neon'" in w for w in warnings)
    assert any("bell must be true or false" in w for w in warnings)
    assert any("night_end must be a time of day" in w for w in warnings)
    assert any("durations.calf-massage must be a whole number of seconds from 5 to 600" in w for w in warnings)
    settings, warnings = parse_settings("theme = [", Path("config.toml"))
    assert settings == Settings() and "not valid TOML" in warnings[0]


def test_settings_round_trip_and_durations(hermetic_home):
    hermetic_home.mkdir(parents=True)
    saved = Settings(theme="night", bell=False, night_start=time(22, 15), durations={"calf-massage": 75})
    save_settings(hermetic_home, saved)
    assert oct((hermetic_home / "config.toml").stat().st_mode & 0o777) == "0o600"
    loaded, warnings = load_settings(hermetic_home)
    assert loaded == saved and warnings == []
    library = load_library()
    assert apply_durations(library, {"calf-massage": 75, "nope": 10}) == ["config.toml: durations.nope is not a relief step; ignored"]
    assert library.routine_for("calf").steps[1].seconds == 75


def test_cramps_rising_after_a_new_medicine():
    tz = UTC
    start = date(2026, 10, 1)

    def on(day: date, tags=()):
        return cramp_from_dict({"started_at": datetime(day.year, day.month, day.day, 23, tzinfo=tz).isoformat(), "muscle": "calf", "tags": list(tags)})

    before = [on(start - timedelta(days=d)) for d in (3, 17)]  # 2 in the 28 nights before
    after = [on(start, ["new medicine"])] + [on(start + timedelta(days=d)) for d in (2, 5, 9, 12)]  # 5 in 28 since
    rise = rise_after_new_medicine(before + after, date(2026, 11, 24))
    assert rise is not None and rise.since == start
    assert rise.before_per_night == pytest.approx(2 / 28) and rise.after_per_night == pytest.approx(5 / 28)
    assert rise_after_new_medicine(before + after[:2], date(2026, 11, 24)) is None  # too few to say
    assert rise_after_new_medicine(before, date(2026, 11, 24)) is None
