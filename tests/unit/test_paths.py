"""The data folder: CRAMP_COACH_HOME wins, and it is private."""

from __future__ import annotations

import stat

from cramp_coach.core.paths import data_dir


def test_data_folder_is_created_private(hermetic_home):
    folder = data_dir()
    assert folder == hermetic_home
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_existing_open_folder_is_made_private(hermetic_home):
    hermetic_home.mkdir(mode=0o755)
    hermetic_home.chmod(0o755)
    data_dir()
    assert stat.S_IMODE(hermetic_home.stat().st_mode) == 0o700
