"""Where cramp_coach keeps its data, and where the bundled assets are.

The data folder is ``$CRAMP_COACH_HOME`` when set, otherwise the platform's user data folder.
It holds health data, so a folder the app creates (parents included) is created with mode 0700.
A folder that already exists is never chmodded (it may be a shared one such as /tmp): instead
``folder_warnings`` says when other users can read or write it, or when it is not the user's own.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

HOME_ENV = "CRAMP_COACH_HOME"
FOLDER_MODE = 0o700
FILE_MODE = 0o600

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    getattr(errno, "EDQUOT", errno.ENOSPC): "the disk quota is used up",
    errno.ENOTDIR: "a file is in the way where a folder should be",
    errno.EISDIR: "it is a folder",
    errno.ENOENT: "it does not exist",
    errno.EEXIST: "it already exists",
    errno.ELOOP: "too many symbolic links",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EIO: "the disk reported an input/output error",
}


def os_error_reason(error: OSError, **instead: str) -> str:
    """A short plain reason for an OSError ("permission denied", "the disk is full", ...), the one
    table of them; ``instead`` words some errors for a place (``ENOENT="its folder does not exist"``)."""
    name = errno.errorcode.get(error.errno or 0, "")
    if name in instead:
        return instead[name]
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    if error.errno is not None:
        return os.strerror(error.errno).lower()
    return str(error) or type(error).__name__


def home_path() -> Path:
    """The data folder's path, without touching the disk."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("cramp-coach", appauthor=False))


def data_dir(create: bool = True) -> Path:
    """Return the user's data folder, creating it private (0700) if asked and missing.

    Raises OSError when it cannot be created (callers that only need relief catch it).
    """
    folder = home_path()
    if create:
        ensure_private_dir(folder)
    return folder


def ensure_private_dir(folder: Path) -> Path:
    """Create ``folder`` and any missing parents with mode 0700; an existing folder is left as it is.

    Raises OSError (NotADirectoryError when something else is in the way) if it cannot be made.
    """
    folder = Path(folder)
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, FOLDER_MODE)
        except FileExistsError:
            continue  # made by someone else in the meantime: not ours to chmod
        os.chmod(path, FOLDER_MODE)  # the umask may have taken bits away; this folder is ours
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    return folder


def folder_warnings(folder: Path) -> list[str]:
    """Plain one-line warnings about an existing data folder: other users can read or write it, it is
    not the user's own, or it cannot be written. A missing folder gives none (it will be made private).
    """
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return []
    except OSError as error:
        return [unusable_folder_warning(folder, error)]
    if not stat.S_ISDIR(info.st_mode):
        return [unusable_folder_warning(folder, NotADirectoryError(errno.ENOTDIR, "not a folder"))]
    shown = _shown(folder)
    warnings = []
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        warnings.append(f"Your data folder {shown} belongs to another user; use a folder of your own (set {HOME_ENV})")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o022:
        warnings.append(f"Your data folder {shown} is writable by other users; use a folder of your own, or chmod 700 it if it is yours")
    elif mode & 0o055:
        warnings.append(f"Your data folder {shown} is readable by other users; chmod 700 it")
    if not os.access(folder, os.W_OK | os.X_OK):
        warnings.append(unusable_folder_warning(folder, PermissionError(errno.EACCES, "permission denied")))
    return warnings


def unusable_folder_warning(folder: Path, error: OSError) -> str:
    """The message for a data folder that cannot be created or written."""
    return (
        f"Your data folder {_shown(folder)} cannot be used ({os_error_reason(error)}): "
        "relief works, but nothing can be saved until this is fixed"
    )


def _shown(folder: Path) -> str:
    from cramp_coach.core.text import one_line

    return one_line(str(folder))


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
