"""Reading the files a person may have written or changed (settings, guidance): a regular file of
a sane size, in UTF-8, parsed as TOML, with every fault a :class:`ContentError` that names the file.

Kept apart from ``core.content`` so that reading the settings at start-up does not load the whole
guidance model with it.

Parsed TOML is remembered in a cache file in the data folder (:func:`keep_parsed_toml_in`), under
the file's exact text: a relief routine then starts without importing and running the TOML parser
(about 3 ms of the 3 a.m. start). A changed file has other text, so it is parsed again.
"""

from __future__ import annotations

import marshal
import os
import stat
from pathlib import Path
from typing import Any, TypeGuard

from cramp_coach.core.cachefile import read_cache, write_cache
from cramp_coach.core.paths import os_error_reason
from cramp_coach.core.text import one_line

MAX_FILE_BYTES = 256 * 1024  # a guidance or settings file larger than this is refused
_QUOTE_LIMIT = 60
PARSED_TOML_CACHE = "parsed-toml.cache"  # in the data folder
_PARSED_KEY = "toml"
_MOST_PARSED_FILES = 64  # the bundled files and a person's own routines and settings, with room
_MOST_CACHE_BYTES = 8 * 1024 * 1024


class _ParsedToml:
    """Parsed TOML by file: ``{file: (text, marshal of what it parsed to)}``, read from the cache file
    on first use. A marshalled copy is kept, so every caller gets fresh objects it may change."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.known: dict[str, tuple[str, bytes]] | None = None

    def use(self, path: Path | None) -> None:
        self.path, self.known = path, None

    def _entries(self) -> dict[str, tuple[str, bytes]]:
        if self.known is None:
            loaded = read_cache(self.path, _PARSED_KEY, _MOST_CACHE_BYTES) if self.path is not None else None
            self.known = loaded if _well_formed(loaded) else {}
        known: dict[str, tuple[str, bytes]] = self.known
        return known

    def get(self, file: str, text: str) -> dict[str, Any] | None:
        if self.path is None:
            return None
        entry = self._entries().get(file)
        if entry is None or entry[0] != text:
            return None
        try:
            data = marshal.loads(entry[1])
        except (ValueError, EOFError, TypeError):
            return None
        return data if isinstance(data, dict) else None

    def keep(self, file: str, text: str, data: dict[str, Any]) -> None:
        if self.path is None:
            return
        try:
            body = marshal.dumps(data)
        except ValueError:  # a date or time in it, or nested past what marshal holds: parsed each time
            return
        entries = self._entries()
        entries.pop(file, None)
        entries[file] = (text, body)
        while len(entries) > _MOST_PARSED_FILES:
            del entries[next(iter(entries))]
        write_cache(self.path, _PARSED_KEY, entries)


def _well_formed(value: Any) -> TypeGuard[dict[str, tuple[str, bytes]]]:
    return isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(entry, tuple) and len(entry) == 2
        and isinstance(entry[0], str) and isinstance(entry[1], bytes)
        for key, entry in value.items()
    )


_parsed_toml = _ParsedToml()


def keep_parsed_toml_in(folder: Path | None) -> None:
    """Remember parsed TOML in ``folder`` (the data folder), or nowhere (``None``)."""
    _parsed_toml.use(folder / PARSED_TOML_CACHE if folder is not None else None)


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
    known = _parsed_toml.get(str(file), text)
    if known is not None:
        return known
    import tomllib  # only once there is a file to parse

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(file, f"is not valid TOML ({error})") from None
    except RecursionError:
        raise ContentError(file, "is not valid TOML here: it is nested too deeply") from None
    except MemoryError:
        raise ContentError(file, "is too large to read") from None
    except (ValueError, OverflowError) as error:
        raise ContentError(file, f"is not valid TOML ({error})") from None
    _parsed_toml.keep(str(file), text, data)
    return data
