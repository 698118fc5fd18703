"""Reading the files a person may have written or changed (settings, guidance): a regular file of
a sane size, in UTF-8, parsed as TOML, with every fault a :class:`ContentError` that names the file.

Kept apart from ``core.content`` so that reading the settings at start-up does not load the whole
guidance model with it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from cramp_coach.core.paths import os_error_reason
from cramp_coach.core.text import one_line

MAX_FILE_BYTES = 256 * 1024  # a guidance or settings file larger than this is refused
_QUOTE_LIMIT = 60


def shorten(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters, with an ellipsis when it was cut."""
    return value if len(value) <= limit else value[: max(limit - 1, 0)] + "…"


def quote(value: Any) -> str:
    """A value from a file, quoted for a one-line message: shortened, control codes escaped."""
    if isinstance(value, str):
        return repr(shorten(value, _QUOTE_LIMIT))
    try:
        text = repr(value)
    except Exception:  # a value too deep or odd to show is named by its type
        text = f"a {type(value).__name__}"
    return one_line(shorten(text, _QUOTE_LIMIT + 2))


class ContentError(ValueError):
    """A guidance file that cannot be used, with the place of the fault."""

    def __init__(self, file: Path | str, message: str, step: str | None = None, fld: str | None = None):
        self.file = str(file)
        self.step = step
        self.field = fld
        self.reason = message
        where = self.file
        if step is not None:
            where += f": step {step}"
        if fld is not None:
            where += f": field '{shorten(fld, _QUOTE_LIMIT)}'"
        super().__init__(one_line(f"{where}: {message}"))


def read_user_file(path: Path | str, limit: int = MAX_FILE_BYTES) -> str:
    """The text of a regular file of at most ``limit`` bytes, in UTF-8.

    Raises ``FileNotFoundError`` when there is no such file (callers decide what missing means) and
    :class:`ContentError` naming the file and what is allowed for anything else: a FIFO, device or
    folder (also behind a symbolic link), a larger file, a file that is not UTF-8, an OS error. It
    never blocks on a FIFO: the file is checked before it is opened, and opened non-blocking.
    """
    path = Path(path)
    not_regular = "is not a regular file; only a plain text file is read here"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ContentError(path, not_regular)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as error:
        raise ContentError(path, f"cannot be read ({os_error_reason(error)})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since the check
            raise ContentError(path, not_regular)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise ContentError(path, f"cannot be read ({os_error_reason(error)})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise ContentError(path, f"is larger than {limit // 1024} KiB, the most this file may hold")
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(path, f"is not UTF-8 text (a byte that is not UTF-8 at position {error.start}); save it as UTF-8") from None


def parse_toml(file: Path | str, text: str) -> dict[str, Any]:
    """The TOML in ``text``, or ContentError naming ``file`` (never RecursionError or MemoryError)."""
    import tomllib  # only once there is a file to parse

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(file, f"is not valid TOML ({error})") from None
    except RecursionError:
        raise ContentError(file, "is not valid TOML here: it is nested too deeply") from None
    except MemoryError:
        raise ContentError(file, "is too large to read") from None
    except (ValueError, OverflowError) as error:
        raise ContentError(file, f"is not valid TOML ({error})") from None
