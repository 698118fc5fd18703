"""Exports of the diary (CSV, JSON, a Markdown report for a clinician) and reading them back in.

Safe by construction:

- CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
  tab or carriage return) get one leading apostrophe; importing a cramp-coach CSV removes it again,
  so every note survives the round trip exactly.
- The Markdown report escapes user text: no raw HTML, no images or links, one line per table cell,
  control codes shown as visible escapes.
- Import files are read only when they are regular files of at most ``MAX_IMPORT_BYTES``, opened
  without blocking (a FIFO never hangs), and may start with a UTF-8 BOM.
- ``write_new_file`` creates an export file 0600 with ``O_EXCL`` (never overwriting), and removes
  it again if the write fails, so a retry works.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, overload

from cramp_coach import __version__
from cramp_coach.core.formatting import minutes_text
from cramp_coach.core.models import SCHEMA_VERSION, Cramp, Night
from cramp_coach.core.paths import os_error_reason
from cramp_coach.core.text import clean_text, one_line

EXPORT_FORMAT = "cramp-coach-export"
CSV_FIELDS = ("id", "started_at", "night", "leg", "muscle", "intensity", "duration_s", "ended_by", "routine", "tags", "note", "triage")
FORMATS = ("csv", "json", "md")
MAX_IMPORT_BYTES = 50 * 1024 * 1024
EXPORT_FILE_MODE = 0o600

# A cell a spreadsheet would treat as a formula, possibly behind apostrophes we added before.
_FORMULA_CELL = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED_CELL = re.compile(r"'+[=+\-@\t\r]")
_FORMULA_STARTS = frozenset("'=+-@\t\r")
_C1_CONTROLS = re.compile("[\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


class ImportFormatError(ValueError):
    """An import file that cannot be read, with the file and the record at fault."""


class ExportWriteError(OSError):
    """An export file could not be written; ``reason`` says why in plain words. Nothing is left behind."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{_named(path)}: {reason}")


def in_period(cramps: Sequence[Cramp], start: date | None, end: date | None) -> list[Cramp]:
    """Cramps whose date lies in [start, end]."""
    return [c for c in cramps if (start is None or c.started_at.date() >= start) and (end is None or c.started_at.date() <= end)]


# -- CSV ------------------------------------------------------------------------------------------
def neutralise_cell(value: str) -> str:
    """``value`` with one apostrophe in front if a spreadsheet would run it as a formula (OWASP)."""
    return "'" + value if value[:1] in _FORMULA_STARTS and _FORMULA_CELL.match(value) else value


def restore_cell(value: str) -> str:
    """Undo ``neutralise_cell`` (for cells of a cramp-coach CSV export)."""
    return value[1:] if value[:1] == "'" and _NEUTRALISED_CELL.match(value) else value


def _valid_unicode(text: str) -> str:
    """``text`` that can be written as UTF-8 (a lone surrogate becomes U+FFFD)."""
    return _SURROGATES.sub("\ufffd", text)


def to_csv(cramps: Sequence[Cramp]) -> str:
    """One row a cramp, oldest first; tags joined with ``;``; formula-like cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    rows = []
    for c in sorted(cramps, key=lambda c: c.started_at):
        # Built by hand (a hot path at 15,000 rows): numbers and times need no cleaning.
        rows.append(
            (
                c.id,
                c.started_at.isoformat(),
                c.night.isoformat(),
                _cell(c.leg),
                c.muscle,
                "" if c.intensity is None else str(c.intensity),
                "" if c.duration_s is None else str(c.duration_s),
                _cell(c.ended_by),
                _cell(c.routine),
                _cell(";".join(c.tags)),
                _cell(c.note),
                _cell(";".join(c.triage)),
            )
        )
    writer.writerows(rows)
    return out.getvalue()


def _cell(text: str | None) -> str:
    """A text cell: control codes and lone surrogates out (only where there are any), formulas neutralised."""
    if not text:
        return ""
    if not text.isprintable():  # rare: newlines, tabs or stranger characters
        text = clean_text(_valid_unicode(text))
    return neutralise_cell(text)


# -- JSON -----------------------------------------------------------------------------------------
def to_json(cramps: Sequence[Cramp], nights: Sequence[Night]) -> str:
    """Everything: cramps and nights (with their checklist ticks). No raw control character in the text."""
    document = {
        "format": EXPORT_FORMAT,
        "schema": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cramps": [c.to_dict() for c in sorted(cramps, key=lambda c: c.started_at)],
        "nights": [n.to_dict() for n in sorted(nights, key=lambda n: n.night)],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # json escapes C0 controls itself; DEL and C1 (which can only sit inside strings) get \u escapes too.
    return _valid_unicode(_C1_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


# -- Markdown -------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|#~])")
_MD_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]!|~])")
_MD_LINE_START = re.compile(r"^([-+=>]|\d+[.)])")


def md_text(value: str) -> str:
    """User text as literal Markdown on one line: no HTML, no links or images, no table breaks."""
    text = one_line(_valid_unicode(value)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\\\1", text)


def md_inline(value: str) -> str:
    """Text in the middle of a line (not at its start): as ``md_text``, but a leading number or
    parentheses need no escape there (no link can form without its brackets, no list without a line start)."""
    text = one_line(_valid_unicode(value)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_INLINE_SPECIAL.sub(r"\\\1", text).replace("](", "]\\(")  # and never a bracket then a parenthesis


def _md_own_text(value: str) -> str:
    """The app's own bundled text (the disclaimer): one line, no HTML, emphasis left as written."""
    return one_line(value).strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _minutes(seconds: float | None) -> str:
    return minutes_text(seconds)


def to_markdown(
    cramps: Sequence[Cramp],
    start: date | None,
    end: date | None,
    step_name: Callable[[str], str] = str,
    disclaimer: str = "",
    nights: Sequence[Night] = (),
) -> str:
    """A short report a person can hand to a clinician; every text a person wrote is escaped.

    Entries the "is this a cramp?" questions said were something else (restless legs, not a typical
    cramp) are listed in their own section and never counted as cramps.
    """
    from cramp_coach.core.stats import diary_stats  # only a report needs the figures

    stats = diary_stats(cramps)
    others = sorted(stats.not_cramps, key=lambda c: c.started_at)
    cramps = [c for c in cramps if c.is_cramp]
    dates = [c.started_at.date() for c in (*cramps, *others)]
    first = start or (min(dates) if dates else None)
    last = end or (max(dates) if dates else None)
    period = f"{first} to {last}" if first and last else "no cramps recorded"
    lines = [
        "# Night leg cramps: diary report",
        "",
        f"Period (calendar dates): {period}. Cramps recorded: {stats.total}."
        + (" A night runs into the next morning, so a cramp at 03:00 counts for the night before." if stats.total else ""),
        "",
    ]
    if stats.total:
        from cramp_coach.core.report import stats_report  # the same figures the stats screen and `stats` show

        headline = stats_report(cramps, date.today(), step_title=step_name).headline
        lines += [
            "## Summary",
            "",
            *[f"- {label}: {md_inline(value)}" for label, value in headline if label != "Nights"],
            "",
            "## Cramps per month (by the evening the night began)",
            "",
            "| month | cramps |",
            "|---|---|",
            *[f"| {month} | {count} |" for month, count in stats.per_month],
            "",
        ]
        if stats.busy_months:
            months = ", ".join(f"{m} ({n})" for m, n in stats.busy_months)
            lines += [f"Months with 5 or more cramps: {months}.", ""]
        muscles: dict[str, int] = {}
        for cramp in cramps:
            muscles[cramp.muscle] = muscles.get(cramp.muscle, 0) + 1
        lines += ["## Muscles", "", *[f"- {md_text(m)}: {n}" for m, n in sorted(muscles.items(), key=lambda i: -i[1])], ""]
        lines += ["## Tags (possible triggers noted by the person)", ""]
        lines += [f"- {md_text(tag)}: {n}" for tag, n in stats.tags] or ["- none noted"]
        lines += ["", "## What ended the cramps", ""]
        lines += [f"- {md_text(step_name(step))}: {n}" for step, n in stats.ended_by] or ["- not recorded"]
        lines += [
            "",
            "## Every cramp",
            "",
            "Date and time are when the cramp started (local clock time as recorded).",
            "",
            "| date | time | leg | muscle | pain | duration | ended by | note |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for c in sorted(cramps, key=lambda c: c.started_at):
            cells = (
                c.started_at.date().isoformat(),
                c.started_at.strftime("%H:%M"),
                md_inline(c.leg or ""),
                md_inline(c.muscle),
                "" if c.intensity is None else str(c.intensity),
                _minutes(c.duration_s) if c.duration_s is not None else "",
                md_inline(step_name(c.ended_by)) if c.ended_by else "",
                md_inline(c.note),
            )
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    if others:
        lines += [
            "## Not typical cramps (kept apart, not counted above)",
            "",
            "Logged after the app's \"is this a cramp?\" questions pointed elsewhere (for example restless legs).",
            "",
            "| date | time | what the questions suggested | answers | note |",
            "|---|---|---|---|---|",
        ]
        for c in others:
            other_cells = (
                c.started_at.date().isoformat(),
                c.started_at.strftime("%H:%M"),
                md_inline(", ".join(c.tags)),
                md_inline("; ".join(c.triage)),
                md_inline(c.note),
            )
            lines.append("| " + " | ".join(other_cells) + " |")
        lines.append("")
    slept = sorted((n for n in nights if n.sleep_quality is not None or n.times_woken is not None or n.note), key=lambda n: n.night)
    if slept:
        lines += [
            "## Nights (how sleep went, as the person noted it)",
            "",
            "| night of | sleep quality (1 bad - 5 good) | times woken | note |",
            "|---|---|---|---|",
        ]
        for n in slept:
            night_cells = (
                n.night.isoformat(),
                "" if n.sleep_quality is None else str(n.sleep_quality),
                "" if n.times_woken is None else str(n.times_woken),
                md_inline(n.note),
            )
            lines.append("| " + " | ".join(night_cells) + " |")
        lines.append("")
    if disclaimer:
        lines += ["---", "", f"_{_md_own_text(disclaimer)} Generated by cramp-coach {__version__}._", ""]
    return "\n".join(lines)


# -- writing an export file -----------------------------------------------------------------------
def plain_reason(error: OSError) -> str:
    """An ``OSError`` in plain words, worded for an export file."""
    return os_error_reason(
        error,
        ENOENT="its folder does not exist",
        ENOTDIR="its folder does not exist",
        EEXIST="it already exists; choose another file name",
        ENAMETOOLONG="the file name is too long",
    )


def write_new_file(path: Path, text: str) -> None:
    """Create ``path`` (0600, never replacing a file) holding ``text``, on disk when this returns.

    Raises :class:`ExportWriteError`; a partly written file is removed first, so a retry works.
    """
    data = _valid_unicode(text).encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), EXPORT_FILE_MODE)
    except OSError as error:
        raise ExportWriteError(path, plain_reason(error)) from None
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException as error:
        os.close(fd)
        try:
            os.unlink(path)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise ExportWriteError(path, plain_reason(error)) from None
        raise
    try:
        os.close(fd)
    except OSError as error:
        try:
            os.unlink(path)
        except OSError:
            pass
        raise ExportWriteError(path, plain_reason(error)) from None


# -- reading an import file -----------------------------------------------------------------------
MAX_NAME_SHOWN = 200


def _named(path: Path) -> str:
    """A file name as a message shows it: one line, control codes escaped, a very long one cut with "…"."""
    name = one_line(os.fsdecode(path))
    return name if len(name) <= MAX_NAME_SHOWN else name[:MAX_NAME_SHOWN] + "…"


def _size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def read_import_text(path: Path, limit: int = MAX_IMPORT_BYTES) -> str:
    """The text of an import file: a regular file of at most ``limit`` bytes, UTF-8 with or without a BOM."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ImportFormatError(f"{_named(path)}: is not a regular file")
        if info.st_size > limit:
            raise ImportFormatError(f"{_named(path)}: is larger than {_size_text(limit)}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ImportFormatError(f"{_named(path)}: no such file") from None
    except OSError as error:
        raise ImportFormatError(f"{_named(path)}: cannot be read ({plain_reason(error)})") from None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check above
                raise ImportFormatError(f"{_named(path)}: is not a regular file")
            data = handle.read(limit + 1)
    except OSError as error:
        raise ImportFormatError(f"{_named(path)}: cannot be read ({plain_reason(error)})") from None
    if len(data) > limit:
        raise ImportFormatError(f"{_named(path)}: is larger than {_size_text(limit)}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"{_named(path)}: is not a UTF-8 text file (byte {error.start + 1})") from None


def read_import(path: Path) -> tuple[Sequence[dict[str, Any]], list[dict[str, Any]]]:
    """Read a JSON or CSV export into raw cramp and night records (``models.cramp_from_dict`` checks them)."""
    return parse_import(path, read_import_text(path))


def parse_import(path: Path, text: str) -> tuple[Sequence[dict[str, Any]], list[dict[str, Any]]]:
    """Like ``read_import`` for text already read (``path`` names it in messages and picks the format)."""
    text = text.removeprefix("\ufeff")
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        return _records_from_json(path, text)
    return _records_from_csv(path, text), []


def _records_from_json(path: Path, text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFormatError(f"{_named(path)}: is not valid JSON (line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise ImportFormatError(f"{_named(path)}: is nested too deeply to be a cramp-coach export") from None
    except MemoryError:
        raise ImportFormatError(f"{_named(path)}: is too large to read") from None
    except ValueError as error:  # e.g. a number with more digits than Python converts
        raise ImportFormatError(f"{_named(path)}: is not valid JSON ({one_line(str(error))})") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportFormatError(f"{_named(path)}: is not a cramp-coach JSON export (no \"format\": \"{EXPORT_FORMAT}\")")
    if "schema" not in document:
        raise ImportFormatError(f"{_named(path)}: has no \"schema\" number (a cramp-coach export has one from 1 to {SCHEMA_VERSION})")
    schema = document["schema"]
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        shown = one_line(repr(schema))[:40]
        raise ImportFormatError(f"{_named(path)}: \"schema\" must be a whole number from 1 to {SCHEMA_VERSION}, got {shown}")
    if schema > SCHEMA_VERSION:
        raise ImportFormatError(f"{_named(path)}: export schema {schema} is newer than this cramp-coach reads (up to {SCHEMA_VERSION}); update cramp-coach")
    cramps, nights = document.get("cramps", []), document.get("nights", [])
    if not isinstance(cramps, list) or not isinstance(nights, list):
        raise ImportFormatError(f"{_named(path)}: \"cramps\" and \"nights\" must be lists")
    return cramps, nights


class CsvRecords(Sequence[dict[str, Any]]):
    """The records of a CSV file: its header and rows, each row read as a dict when it is asked for.

    ``columns`` gives each column whole, for checking thousands of records a column at a time
    (``models.stored_cramps_from_columns``); ``restore`` is what a cell of the file stands for
    (the apostrophe our export puts before a formula-like cell taken off, in our own exports only).
    """

    def __init__(self, header: list[str], rows: list[list[str]], ours: bool) -> None:
        self.header = header
        self.rows = rows
        self.restore: Callable[[str], str] | None = restore_cell if ours else None

    def __len__(self) -> int:
        return len(self.rows)

    def _record(self, row: list[str]) -> dict[str, Any]:
        restore = self.restore
        if restore is not None:  # only a cell that starts with an apostrophe can be one we neutralised
            row = [restore(cell) if cell[:1] == "'" else cell for cell in row]
        # An empty cell stays "": the model reads "" as not given, as it does None; a missing one is absent.
        return dict(zip(self.header, row, strict=False))

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._record(row) for row in self.rows[index]]
        return self._record(self.rows[index])

    def columns(self) -> dict[str, list[str]]:
        """Every column by its name, as written (a short row's missing cells are empty)."""
        width = len(self.header)
        rows = self.rows
        if rows and min(map(len, rows)) < width:
            rows = [row + [""] * (width - len(row)) for row in rows]
        if not rows:
            return {name: [] for name in self.header}
        return {name: list(values) for name, values in zip(self.header, zip(*rows, strict=True), strict=False)}


def _records_from_csv(path: Path, text: str) -> CsvRecords:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if header is None or not {"started_at", "muscle"} <= set(header):
            raise ImportFormatError(f"{_named(path)}: is not a cramp-coach CSV export (it needs the columns {', '.join(CSV_FIELDS)})")
        width = len(header)
        rows = [row for row in reader if row]
        if rows and max(map(len, rows)) > width:
            reader = csv.reader(io.StringIO(text))  # read again, for the line to name
            for row in reader:
                if len(row) > width:
                    raise ImportFormatError(f"{_named(path)}: line {reader.line_num}: has more values than columns")
    except csv.Error as error:
        message = str(error)
        if "field larger than field limit" in message:
            message = f"a value is longer than {csv.field_size_limit()} characters"
        raise ImportFormatError(f"{_named(path)}: line {reader.line_num}: is not valid CSV ({one_line(message)})") from None
    # Our own export: its formula-like cells carry our apostrophe (if it has an apostrophe at all).
    return CsvRecords(header, rows, ours=tuple(header) == CSV_FIELDS and "'" in text)
