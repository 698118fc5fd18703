"""Where cramp_coach keeps its data, and where the bundled assets are.

The data folder is ``$CRAMP_COACH_HOME`` when set, otherwise the platform's user data folder.
It holds health data, so it is created (and kept) with mode 0700.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "CRAMP_COACH_HOME"
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def data_dir(create: bool = True) -> Path:
    """Return the user's data folder, creating it private (0700) if asked."""
    override = os.environ.get(HOME_ENV)
    if override:
        folder = Path(override).expanduser()
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("cramp-coach", appauthor=False))
    if create:
        ensure_private_dir(folder)
    return folder


def ensure_private_dir(folder: Path) -> Path:
    """Create ``folder`` (and parents) and make sure only its owner can enter it."""
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    if (folder.stat().st_mode & 0o777) != FOLDER_MODE:
        os.chmod(folder, FOLDER_MODE)
    return folder


def assets_dir() -> Path:
    """The bundled assets: inside the package when installed from a wheel, else the source tree's."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "assets", here.parent / "assets"):
        if (candidate / "routines").is_dir():
            return candidate
    raise FileNotFoundError(
        f"cramp_coach assets are missing: looked in {here / 'assets'} and {here.parent / 'assets'}"
    )


def user_routines_dir(home: Path) -> Path:
    """The folder where a user may keep routines of their own."""
    return home / "routines"
