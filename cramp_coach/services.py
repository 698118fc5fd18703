"""What the app is built from: data folder, guidance library, clocks and preferences.

Tests build one of these around a temporary folder and a fake clock and hand it to the app factory.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from cramp_coach.core.content import Library, load_library
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import ON_ITS_OWN
from cramp_coach.core.paths import data_dir
from cramp_coach.core.routine import Clock, WallClock, local_now


@dataclass
class Services:
    """Everything a screen may use, in one place."""

    home: Path
    library: Library
    clock: Clock = time.monotonic
    wall_clock: WallClock = local_now
    bell: bool = True
    extra_warnings: list[str] = field(default_factory=list)
    _diary: Diary | None = None

    def diary(self) -> Diary:
        """The diary in the data folder (opened on first use; cheap: it reads nothing yet)."""
        if self._diary is None:
            self._diary = Diary(self.home)
        return self._diary

    def step_title(self, step_id: str | None) -> str:
        """A relief step's title, for showing what ended a cramp."""
        if not step_id:
            return ""
        if step_id == ON_ITS_OWN:
            return "on its own"
        for routine in self.library.routines.values():
            for step in routine.steps:
                if step.id == step_id:
                    return step.title
        return step_id

    @property
    def warnings(self) -> list[str]:
        """Problems worth showing the user: left-out routines, unreadable settings."""
        return self.library.warnings + self.extra_warnings


def default_services(home: Path | None = None, *, bell: bool = True) -> Services:
    """Services for a real session: the user's data folder and the real clocks."""
    home = home if home is not None else data_dir()
    return Services(home=home, library=load_library(home), bell=bell)
