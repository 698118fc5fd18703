"""Screens driven by the Pilot: relief's "it's gone" works at once (a person's first moments are
guarded by a pause; tests with a stopped clock would otherwise have to wait it out)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def gone_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from cramp_coach.screens.relief import ReliefScreen

    monkeypatch.setattr(ReliefScreen, "GONE_GUARD_SECONDS", 0.0)
