"""Shared fixtures: every test gets its own private data folder, never the user's real one."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def hermetic_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point CRAMP_COACH_HOME at a fresh temporary folder for each test."""
    home = tmp_path / "cramp-home"
    monkeypatch.setenv("CRAMP_COACH_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    from cramp_coach.core.files import keep_parsed_toml_in

    keep_parsed_toml_in(None)  # no parsed TOML remembered from another test's folder
    return home


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
