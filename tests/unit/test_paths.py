"""The data folder: CRAMP_COACH_HOME wins; a folder the app makes is private, one it finds is left alone."""

from __future__ import annotations

import stat

from cramp_coach.core.paths import data_dir, ensure_private_dir, folder_warnings


def test_data_folder_is_created_private(hermetic_home):
    folder = data_dir()
    assert folder == hermetic_home
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder_warnings(folder) == []


def test_missing_parents_are_created_private_too(tmp_path):
    folder = tmp_path / "a" / "b" / "data"
    assert ensure_private_dir(folder) == folder
    for made in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made


def test_existing_open_folder_is_left_alone_with_a_warning(hermetic_home):
    hermetic_home.mkdir()
    hermetic_home.chmod(0o755)
    data_dir()
    assert stat.S_IMODE(hermetic_home.stat().st_mode) == 0o755
    assert folder_warnings(hermetic_home) == [f"Your data folder {hermetic_home} is readable by other users; chmod 700 it"]


def test_existing_parent_keeps_its_mode(tmp_path):
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o755)
    ensure_private_dir(parent / "data")
    assert stat.S_IMODE(parent.stat().st_mode) == 0o755
    assert stat.S_IMODE((parent / "data").stat().st_mode) == 0o700
