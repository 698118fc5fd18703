"""What the app is built from: data folder, guidance library, clocks and preferences.

Tests build one of these around a temporary folder and a fake clock and hand it to the app factory.
Building one never fails: a data folder that cannot be made or read, a broken config.toml or broken
routine files all become plain one-line warnings, and relief still opens.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cramp_coach.core.files import keep_parsed_toml_in
from cramp_coach.core.models import local_now
from cramp_coach.core.paths import data_dir, folder_warnings, home_path, unusable_folder_warning
from cramp_coach.core.record import field, record
from cramp_coach.core.settings import Settings, apply_durations, load_settings
from cramp_coach.core.text import one_line

if TYPE_CHECKING:
    from datetime import date

    from cramp_coach.core.checklist import ChecklistBook
    from cramp_coach.core.content import Advice, Library, Routine
    from cramp_coach.core.diary import Diary
    from cramp_coach.core.safety import RedFlags, Triage


@record(frozen=False)
class Services:
    """Everything a screen may use, in one place."""

    home: Path
    library_given: Library | None = None  # a library ready-made (tests), else loaded on first use
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], datetime] = local_now
    bell: bool = True
    extra_warnings: list[str] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    _diary: Diary | None = None
    _checklist: ChecklistBook | None = None
    _opening: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _library: Library | None = field(default=None, init=False, repr=False)
    _duration_warnings: list[str] = field(default_factory=list, init=False, repr=False)  # from applying config durations

    def __post_init__(self) -> None:
        self._library = self.library_given

    @property
    def library(self) -> Library:
        """The guidance: bundled routines and advice, and the user's own routines (loaded on first use)."""
        if self._library is None:
            from cramp_coach.core.content import Library, load_library

            try:
                self._library = load_library(self.home)
                self._duration_warnings = apply_durations(self._library, self.settings.durations)
            except Exception as error:  # load_library never raises; this is the last guard of relief
                self._library = Library(routines={}, guidance={}, warnings=[f"The guidance could not be loaded ({type(error).__name__})"])
        return self._library

    def routine_for(self, muscle: str) -> Routine:
        """The relief routine for ``muscle``. Before the library is needed, and when the person keeps
        no routines of their own, only that one bundled file is read: relief opens sooner."""
        if self._library is None:
            from cramp_coach.core.content import has_own_routines, load_bundled_routine
            from cramp_coach.core.files import ContentError
            from cramp_coach.core.settings import with_durations

            try:
                if not has_own_routines(self.home):
                    return with_durations(load_bundled_routine(muscle), self.settings.durations)
            except (ContentError, OSError):
                pass  # the library has the fallback and says what went wrong
        return self.library.routine_for(muscle)

    def reload_library(self) -> None:
        """Load the guidance again (after the settings changed step durations)."""
        self._library = None
        self._duration_warnings = []  # said again, for the new durations, when the library loads

    def theme_now(self) -> str:
        """The theme the settings ask for at this time of day (auto: night theme in the night hours)."""
        return self.settings.theme_at(self.wall_clock().time())

    def first_relief(self) -> bool:
        """True until the first relief run has been seen (a marker file, so nothing slow is read)."""
        try:
            return not (self.home / ".relief-seen").exists()
        except OSError:  # a data folder that cannot be read: show the first-time help
            return True

    def mark_relief_seen(self) -> None:
        """Remember that the person has met the relief routine."""
        try:
            (self.home / ".relief-seen").touch(mode=0o600)
        except OSError:
            pass

    def diary(self) -> Diary:
        """The diary in the data folder (opened on first use; cheap: it reads nothing yet)."""
        with self._opening:  # workers may ask at once: one Diary (and one lock object) per app
            if self._diary is None:
                from cramp_coach.core.diary import Diary

                self._diary = Diary(self.home)
            return self._diary

    def checklist(self) -> ChecklistBook:
        """The bedtime checklist kept in the diary."""
        if self._checklist is None:
            from cramp_coach.core.checklist import ChecklistBook

            self._checklist = ChecklistBook(self.diary(), tonight=self.tonight)
        return self._checklist

    def tonight(self) -> date:
        """The night the bedtime checklist is for now (see ``core.nights``)."""
        from cramp_coach.core.nights import bedtime_night

        return bedtime_night(self.wall_clock())

    def advice(self, key: str) -> Advice | None:
        """A piece of guidance around the routine (``escalation``, ``aftercare``...), with the
        person's emergency number filled in."""
        from cramp_coach.core.content import fill_emergency
        from cramp_coach.core.record import replace

        advice = self.library.guidance.get(key)
        if advice is None:
            return None
        return replace(advice, text=fill_emergency(advice.text, self.settings.emergency_number))

    def red_flags(self) -> RedFlags:
        """The red-flag signs, with the person's emergency number (raises ContentError if broken)."""
        from cramp_coach.core.safety import load_red_flags

        return load_red_flags().with_emergency(self.settings.emergency_number)

    def triage(self) -> Triage:
        """The "is this a cramp?" questions (raises ContentError if broken)."""
        from cramp_coach.core.safety import load_triage

        return load_triage().with_emergency(self.settings.emergency_number)

    def step_title(self, step_id: str | None) -> str:
        """A relief step's title, for showing what ended a cramp (see ``Library.step_title``)."""
        return self.library.step_title(step_id)

    @property
    def warnings(self) -> list[str]:
        """Problems worth showing the user, as plain one-line texts: left-out routines, unreadable
        settings, a data folder that others can read or that cannot be written."""
        shown: list[str] = []
        for warning in self.library.warnings + self._duration_warnings + self.extra_warnings:
            line = one_line(str(warning))
            if line not in shown:
                shown.append(line)
        return shown


def default_services(home: Path | None = None, *, bell: bool = True) -> Services:
    """Services for a real session: the user's data folder and the real clocks.

    Never raises: when the data folder cannot be created or used, relief still gets its Services,
    with a warning that says nothing can be saved until the folder is fixed.
    """
    warnings: list[str] = []
    if home is None:
        try:
            home = data_dir()
        except OSError as error:
            home = _home_or_here()
            warnings.append(unusable_folder_warning(home, error))
        except Exception as error:  # e.g. no platform data folder at all
            home = _home_or_here()
            warnings.append(f"Your data folder cannot be found ({type(error).__name__}): relief works, but nothing can be saved")
    try:
        warnings += [w for w in folder_warnings(home) if w not in warnings]
    except Exception:  # only advice; never a reason to stop
        pass
    keep_parsed_toml_in(home)  # settings and guidance are parsed once, not at every start
    try:
        settings, found = load_settings(home)
    except Exception as error:  # load_settings never raises; this is the last guard of relief
        settings, found = Settings(), [f"config.toml could not be read ({type(error).__name__}); using the default settings"]
    warnings += found
    return Services(home=home, bell=bell and settings.bell, settings=settings, extra_warnings=warnings)


def _home_or_here() -> Path:
    """The data folder's path, even when it cannot be created (a placeholder if it cannot be named)."""
    try:
        return home_path()
    except Exception:
        return Path(".cramp-coach")
