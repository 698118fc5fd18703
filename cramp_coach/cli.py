"""The ``cramp-coach`` command line.

Paths that only read or write data (log, export, import, stats) run on the core alone and never
import Textual, so they start fast; the screens are imported only when a screen is opened.
Exit codes: 0 ok, 1 data or file problem (also a closed pipe), 2 usage error. No command ever
ends in a traceback (set ``CRAMP_COACH_DEBUG=1`` to see one for an unexpected error), and text
that came from a person or a file is printed with control codes shown as visible escapes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cramp_coach import __version__
from cramp_coach.core.models import (
    COMMON_TAGS,
    DIARY_MUSCLES,
    LEGS,
    ON_ITS_OWN,
    RELIEF_MUSCLES,
    ValidationError,
    cramp_from_dict,
)
from cramp_coach.core.text import one_line, printable

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
MAX_DAYS = 36500
FIRST_YEAR, LAST_YEAR = 1900, 2200
STDOUT = "-"
DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT = "127.0.0.1", 8765


if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


class UsageError(Exception):
    """Bad command-line input: exit 2 with one line."""


class DataError(Exception):
    """A file or the diary could not be used: exit 1 with one line."""


def _day(value: str) -> date:
    import argparse  # loaded by the parser that calls this

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-11-25, got {_shown(value)}") from None


def _ascii_whole(value: str) -> int:
    """A whole number written in ASCII digits (``int`` alone also takes ``٥``, ``1_000`` and ``１``)."""
    text = value.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 30:
        raise ValueError(value)
    return int(text)


def _days(value: str) -> int:
    import argparse  # loaded by the parser that calls this

    try:
        number = _ascii_whole(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_DAYS}, got {_shown(value)}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    if number > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_DAYS} (100 years), got {_shown(value.strip())}")
    return number


def _port(value: str) -> int:
    import argparse  # loaded by the parser that calls this

    try:
        number = _ascii_whole(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, got {_shown(value)}") from None
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, got {number}")
    return number


def _argv_text(value: str | None) -> str | None:
    """Text from argv as the person meant it: bytes that were not UTF-8 become U+FFFD."""
    if value is None:
        return None
    return os.fsencode(value).decode("utf-8", "replace") if any("\udc80" <= ch <= "\udcff" for ch in value) else value


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _shown(value: object, limit: int = 60) -> str:
    """A value quoted in an error message: one line, control codes escaped once (``\\x1b``), cut to
    about ``limit`` characters with "…"."""
    return f"'{_clip(one_line(str(value)), limit)}'"


def build_parser() -> ArgumentParser:
    """The parser for every subcommand (argparse is loaded here: `cramp-coach relief` goes without)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        """An argument parser whose errors are one clear line and exit code 2."""

        def error(self, message: str) -> None:  # type: ignore[override]
            raise UsageError(f"{self.prog}: {message}")

    parser = _Parser(
        prog="cramp-coach",
        description="A calm terminal coach for night-time leg cramps. With no command, opens the home screen.",
        epilog="Self-care guidance, not a diagnosis. Data folder: $CRAMP_COACH_HOME or your user data folder.",
    )
    parser.add_argument("--version", action="version", version=f"cramp-coach {__version__}")
    parser.add_argument("--no-bell", action="store_true", help="no terminal bell when a step changes")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    relief = commands.add_parser("relief", help="start the guided relief routine for a cramp now")
    relief.add_argument("--muscle", choices=RELIEF_MUSCLES, default="calf", help="which muscle is cramping (default calf)")
    relief.add_argument("--leg", "--side", dest="side", choices=LEGS, default=None, help="which leg: left, right or both (as for log)")
    # SUPPRESS: an absent relief --no-bell must not undo a `cramp-coach --no-bell relief`
    relief.add_argument("--no-bell", action="store_true", default=argparse.SUPPRESS, help="no terminal bell when a step changes")

    commands.add_parser("diary", help="open the diary: history, filters, edit, stats")

    log = commands.add_parser("log", help="save one cramp to the diary and print its id")
    log.add_argument("--muscle", required=True, choices=DIARY_MUSCLES)
    log.add_argument("--leg", required=True, choices=LEGS)
    log.add_argument("--intensity", required=True, help="pain, 0 (none) to 10 (worst)")
    log.add_argument("--duration", help="how long it lasted, in seconds")
    log.add_argument("--at", help="when it started (ISO, e.g. 2026-11-25T03:10); default now")
    log.add_argument("--ended-by", help=f"the relief step id that ended it, or '{ON_ITS_OWN}'")
    log.add_argument("--tag", action="append", default=[], help=f"a tag (repeatable), e.g. {', '.join(COMMON_TAGS[:3])}")
    log.add_argument("--note", default="", help="a note")

    export = commands.add_parser("export", help="export the diary (csv to stdout by default)")
    export.add_argument("--format", choices=("csv", "json", "md"), default="csv", help="csv, json (everything) or md (a report for a clinician)")
    export.add_argument("--from", dest="start", type=_day, help="first night to include (YYYY-MM-DD)")
    export.add_argument("--to", dest="end", type=_day, help="last night to include (YYYY-MM-DD)")
    export.add_argument("-o", "--output", help="write to this file, created private (0600); never overwrites one that exists; - for stdout")

    importer = commands.add_parser("import", help="import a json or csv export; entries already there are skipped")
    importer.add_argument("file", type=Path)

    checklist = commands.add_parser("checklist", help="tonight's bedtime checklist: opens it, or --list / --done from the shell")
    checklist.add_argument("--list", action="store_true", help="print the night's items: id, [x] or [ ], title")
    checklist.add_argument("--done", nargs="+", metavar="ID", help="tick these items for the night")
    checklist.add_argument(
        "--night", default=None,
        help="with --list or --done, which night: tonight (the default; until 05:00 that is the night that began last evening), "
        "last, or YYYY-MM-DD (the checklist screen opens on tonight; [ and ] change the night there)",
    )

    insights = commands.add_parser("insights", help="print streak, adherence and what seems to help you (with-vs-without the checklist)")
    insights.add_argument("--json", action="store_true", help="print the figures as JSON")

    stats = commands.add_parser("stats", help="print the diary's statistics")
    stats.add_argument("--days", type=_days, help=f"only the last N nights (1 to {MAX_DAYS})")

    serve = commands.add_parser(
        "serve",
        help="serve the app to a phone's browser: prints a one-time pairing link and its QR code",
        description="Serve cramp coach to a browser. Only a device that opened the one-time pairing link can use it; "
        "stopping the server signs every device out. Press p then Enter while it runs for a link for another device.",
    )
    serve.add_argument("--host", default=None, help=f"address to listen on (default {DEFAULT_SERVE_HOST}: this machine only)")
    serve.add_argument("--port", type=_port, default=DEFAULT_SERVE_PORT, help=f"port to listen on (default {DEFAULT_SERVE_PORT})")
    serve.add_argument("--lan", action="store_true", help="listen on this machine's home-network address, so a phone on the same network can pair")
    serve.add_argument("--tls-cert", type=Path, help="a certificate file (PEM) to serve over https; needs --tls-key")
    serve.add_argument("--tls-key", type=Path, help="the certificate's private key file (PEM); needs --tls-cert")
    return parser


def _open_diary():
    from cramp_coach.core.diary import Diary
    from cramp_coach.core.paths import data_dir

    return Diary(data_dir(), keep_head=False)  # an unreadable file raises StorageError on first use, and is never written


def _path(path: Path | str) -> str:
    """A file path as it may be printed: one line, control codes escaped, a very long one cut with "…"."""
    return _clip(one_line(os.fsdecode(path)), 200)


def _step_names() -> dict[str, str]:
    from cramp_coach.core.content import step_titles
    from cramp_coach.core.paths import data_dir

    return {**step_titles(data_dir()), ON_ITS_OWN: "on its own"}


def _check_at(value: str | None) -> None:
    """Refuse a start time outside the years a diary can hold, before any date arithmetic."""
    if value is None:
        return
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return  # the model names the expected form
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise UsageError(f"cramp-coach log: --at must be a date and time from {FIRST_YEAR} to {LAST_YEAR}, got {_shown(value)}")


def _log_option(field: str) -> str:
    return {"started_at": "--at", "duration_s": "--duration", "tags": "--tag"}.get(field, f"--{field.replace('_', '-')}")


def cmd_log(args: Namespace) -> int:
    now = datetime.now().astimezone()
    note, ended_by = _argv_text(args.note) or "", _argv_text(args.ended_by)
    tags = [_argv_text(tag) for tag in args.tag]
    if args.intensity is None or not args.intensity.strip():
        raise UsageError("cramp-coach log: --intensity is required: a whole number from 0 to 10")
    if ended_by and ended_by not in _step_names():
        raise UsageError(
            f"cramp-coach log: --ended-by must be a relief step id (e.g. calf-stretch, calf-massage) or '{ON_ITS_OWN}', got {_shown(ended_by)}"
        )
    _check_at(args.at)
    try:
        cramp = cramp_from_dict(
            {
                "started_at": args.at or now.isoformat(),
                "muscle": args.muscle,
                "leg": args.leg,
                "intensity": args.intensity,
                "duration_s": args.duration,
                "ended_by": ended_by,
                "tags": tags,
                "note": note,
            },
            now=now,
        )
    except ValidationError as error:
        message = getattr(error, "message", None) or str(error).split(": ", 1)[-1]
        raise UsageError(f"cramp-coach log: {_log_option(error.field)} {message}") from None
    except (ValueError, OverflowError) as error:  # a date the model did not catch
        raise UsageError(f"cramp-coach log: --at cannot be used ({one_line(str(error))})") from None
    _open_diary().add_cramp(cramp)
    print(cramp.id)
    return EXIT_OK


def _nights_in_period(diary: Any, start: date | None, end: date | None) -> list[Any]:
    """The diary's night records from ``start`` to ``end`` (either may be open)."""
    return [n for n in diary.nights().values() if (not start or n.night >= start) and (not end or n.night <= end)]


def cmd_export(args: Namespace) -> int:
    from cramp_coach.core import export

    if args.start and args.end and args.start > args.end:
        raise UsageError("cramp-coach export: --from must not be after --to")
    if args.output == "":
        raise UsageError("cramp-coach export: -o: an empty file name; give a file name, or - for standard output")
    to_stdout = args.output in (None, STDOUT)
    output = None if to_stdout else Path(args.output)
    if output is not None and (output.exists() or output.is_symlink()):
        raise DataError(f"{_path(output)} already exists; choose another file name (nothing was written)")
    diary = _open_diary()
    cramps = export.in_period(diary.cramps(), args.start, args.end)
    nights = _nights_in_period(diary, args.start, args.end) if args.format != "csv" else []
    if args.format == "csv":
        text = export.to_csv(cramps)
    elif args.format == "json":
        text = export.to_json(cramps, nights)
    else:
        names = _step_names()
        from cramp_coach.core.content import AdviceKey

        disclaimer = _advice(AdviceKey.DISCLAIMER)
        text = export.to_markdown(cramps, args.start, args.end, lambda s: names.get(s, s), disclaimer.text if disclaimer else "", nights)
    if output is None:
        _write_stdout(text)
        return EXIT_OK
    try:
        export.write_new_file(output, text)
    except export.ExportWriteError as error:
        raise DataError(f"{_path(output)}: cannot be written: {error.reason} (nothing was written)") from None
    nights_written = f" and {_count(len(nights), 'night record')}" if args.format == "json" else ""
    print(f"Wrote {_entries(cramps)}{nights_written} to {_path(output)}", file=sys.stderr)
    return EXIT_OK


STDOUT_CHUNK = 1 << 16


def _write_stdout(text: str) -> None:
    """``text`` to standard output, every byte or an error: a full disk is a DataError, a closed pipe a
    BrokenPipeError (``main`` ends quietly with 1). One big ``sys.stdout.write`` can lose a short write."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # not a real file (a test's captured output)
        sys.stdout.write(text)
        return
    import errno
    import select

    from cramp_coach.core.export import plain_reason

    view = memoryview(text.encode(sys.stdout.encoding or "utf-8", "backslashreplace"))
    try:
        while view:
            try:
                written = os.write(fd, view[:STDOUT_CHUNK])
            except BlockingIOError:  # a non-blocking terminal or pipe: wait until it takes more
                select.select([], [fd], [])
                continue
            if written <= 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            view = view[written:]
    except BrokenPipeError:
        raise
    except OSError as error:
        raise DataError(f"standard output: cannot be written: {plain_reason(error)}; the export is incomplete") from None


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _entries(cramps: Sequence[Any], not_cramps: int | None = None) -> str:
    """``9 entries (8 cramps, 1 not a cramp)``: diary entries, the ones the "is this a cramp?"
    questions said were something else named apart (``cramps`` are Cramps or stored records)."""
    if not_cramps is None:
        from cramp_coach.core.models import NOT_A_CRAMP_TAGS

        apart = frozenset(NOT_A_CRAMP_TAGS).isdisjoint
        not_cramps = sum(1 for cramp in cramps if not apart((cramp["tags"] if type(cramp) is dict else cramp.tags) or ()))
    shown = _count(len(cramps), "entry", "entries")
    if not_cramps:
        shown += f" ({_count(len(cramps) - not_cramps, 'cramp')}, {not_cramps} not a cramp)"
    return shown


MAX_LISTED = 5


def _listed(items: Sequence[str]) -> str:
    shown = "; ".join(_clip(one_line(item), 200) for item in items[:MAX_LISTED])
    return shown + (f"; and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")


def _validate_import(raw_cramps: Sequence[Any], raw_nights: Sequence[Any], now: datetime) -> tuple[list[Any], list[Any], list[str]]:
    """Every record checked (not only up to the first bad one); problems name the record and field.
    Cramps come back in their stored form (``models.stored_cramp``), ready to be written. A CSV file's
    are checked a column at a time first; if any is not valid, record by record, for the messages."""
    from cramp_coach.core.models import night_from_dict, stored_cramp, stored_cramps_from_columns

    cramps: list[Any] = []
    nights: list[Any] = []
    problems: list[str] = []
    columns = getattr(raw_cramps, "columns", None)
    if columns is not None:
        checked = stored_cramps_from_columns(columns(), len(raw_cramps), now=now, restore=getattr(raw_cramps, "restore", None))
        if checked is not None:
            cramps.extend(checked)
            raw_cramps = []
    for kind, records, build, valid in (
        ("cramp", raw_cramps, lambda r: stored_cramp(r, now=now), cramps),
        ("night", raw_nights, night_from_dict, nights),
    ):
        for number, record in enumerate(records, start=1):
            try:
                valid.append(build(record))
            except ValidationError as error:
                message = getattr(error, "message", None) or str(error).split(": ", 1)[-1]
                problems.append(f"{kind} {number}: {error.field}: {message}")
            except (ValueError, TypeError, OverflowError, RecursionError) as error:
                problems.append(f"{kind} {number}: cannot be read ({error})")
    return cramps, nights, problems


def _note_unknown_steps(cramps: Sequence[Any]) -> None:
    """Name the steps the file's entries were ended by that no routine here has (a step since removed,
    or one of another machine's own routines). They are imported as written, as the diary keeps them."""
    from cramp_coach.core.content import unknown_step_ids
    from cramp_coach.core.paths import data_dir

    steps = {cramp["ended_by"] for cramp in cramps if cramp["ended_by"]} - {ON_ITS_OWN}
    unknown = unknown_step_ids(steps, data_dir())
    if unknown:
        missing = set(unknown)
        entries = sum(1 for cramp in cramps if cramp["ended_by"] in missing)
        print(
            f"Note: {entries} {'entry ends' if entries == 1 else 'entries end'} with a step that none of your relief routines has "
            f"(imported as written): {', '.join(map(_shown, unknown[:MAX_LISTED]))}"
            + (f" and {len(unknown) - MAX_LISTED} more." if len(unknown) > MAX_LISTED else ".")
        )


def cmd_import(args: Namespace) -> int:
    from cramp_coach.core.export import ImportFormatError, read_import

    path = Path(args.file)
    try:
        raw_cramps, raw_nights = read_import(path)
    except ImportFormatError as error:
        raise DataError(f"{error}; nothing was imported") from None
    cramps, nights, problems = _validate_import(raw_cramps, raw_nights, datetime.now().astimezone())
    if problems:
        count = "1 record" if len(problems) == 1 else f"{len(problems)} records"
        raise DataError(f"{_path(path)}: {count} cannot be read, so nothing was imported: {_listed(problems)}")
    cramps, nights, repeated = _first_of_each(cramps, nights)
    result = _open_diary().import_records(cramps, nights)
    conflicts = list(getattr(result, "conflicts", ()))
    # Which of the added entries are not cramps is known when every entry of the file was added.
    added = _entries(cramps) if result.cramps_added == len(cramps) else _count(result.cramps_added, "entry", "entries")
    line = f"Imported {added} and {_count(result.nights_added, 'night record')}"
    already = [_count(result.cramps_skipped, "entry", "entries")] if result.cramps_skipped else []
    already += [_count(result.nights_skipped, "night record")] if result.nights_skipped else []
    if already:
        line += f"; already in the diary: {' and '.join(already)}"
    print(line + ".")
    _note_unknown_steps(cramps)
    if conflicts:
        print(
            f"Not imported: {len(conflicts)} with the same id or night as a different entry already in the diary "
            f"(the diary's entry was kept): {_listed(conflicts)}."
        )
    if repeated:
        print(
            f"Not imported: {len(repeated)} with the same id or night as an earlier, different record in this file "
            f"(the first one was used): {_listed(repeated)}."
        )
    return EXIT_OK


def _first_of_each(cramps: list[Any], nights: list[Any]) -> tuple[list[Any], list[Any], list[str]]:
    """The file's records with each id (and night) once: an exact copy is dropped, a different record
    under an id or night already seen in the file is named (it is not written)."""
    repeated: list[str] = []
    by_id: dict[str, Any] = {}
    for cramp in cramps:
        first = by_id.setdefault(cramp["id"], cramp)
        if first is not cramp and first != cramp:
            repeated.append(f"cramp {cramp['id']}")
    by_night: dict[Any, Any] = {}
    for night in nights:
        first = by_night.setdefault(night.night, night)
        if first is not night and first != night:
            repeated.append(f"night {night.night.isoformat()}")
    return list(by_id.values()), list(by_night.values()), repeated


def _chosen_night(value: str | None, now: datetime) -> date:
    """The night ``checklist --night`` names (tonight when not given); a usage error for anything else."""
    from cramp_coach.core.nights import NightChoiceError, parse_night_choice

    text = _argv_text(value) or "tonight"
    try:
        return parse_night_choice(text, now)
    except NightChoiceError as error:
        message = str(error) if len(text) <= 40 else f"must be tonight, last or a date like 2026-11-24, got {_shown(text)}"
        raise UsageError(f"cramp-coach checklist: --night {one_line(message)}") from None


def _checklist_app(args: Namespace) -> int:
    """``cramp-coach checklist`` without --list or --done: the screen, which opens on tonight."""
    if args.night is not None:
        from cramp_coach.core.models import local_now
        from cramp_coach.core.nights import bedtime_night

        now = local_now()
        if _chosen_night(args.night, now) != bedtime_night(now):
            raise UsageError(
                "cramp-coach checklist: --night goes with --list or --done (e.g. checklist --list --night last); "
                "the checklist screen opens on tonight, and [ and ] there change the night"
            )
    return _run_app(args, mode="checklist")


def cmd_checklist(args: Namespace) -> int:
    from cramp_coach.core.checklist import ChecklistBook
    from cramp_coach.core.models import local_now
    from cramp_coach.core.nights import night_name

    now = local_now()
    night = _chosen_night(args.night, now)
    book = ChecklistBook(_open_diary())
    items, ticked = book.night_view(night)
    name = night_name(night, now)
    if args.done:
        known = [item.id for item in items]
        unknown = [item_id for item_id in args.done if item_id not in known]
        if unknown:
            raise UsageError(
                f"cramp-coach checklist: unknown item id {', '.join(map(_shown, unknown))}; "
                f"the ids for {name} are: {', '.join(map(one_line, known))}"
            )
        for item_id in dict.fromkeys(args.done):
            book.tick(night, item_id, True)
        ticked |= set(args.done)
        print(f"Ticked for {name} ({night.isoformat()}).", file=sys.stderr)
    if args.list or args.done:
        for item in items:
            print(f"{one_line(item.id)} [{'x' if item.id in ticked else ' '}] {one_line(item.title)}")
    return EXIT_OK


def cmd_insights(args: Namespace) -> int:
    import json

    from cramp_coach.core.checklist import load_default_items
    from cramp_coach.core.insights import build_insights
    from cramp_coach.core.models import local_now

    report = build_insights(_open_diary().snapshot(), load_default_items(), local_now())
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    lines = [f"Streak: {report.streak} night{'s' if report.streak != 1 else ''} with the checklist done"]
    for days, figure in report.adherence.items():
        percent = "no nights yet" if figure.percent is None else f"{figure.percent}%"
        lines.append(f"Last {days} nights: {figure.done} of {figure.nights} done ({percent})")
    if report.first_night is None:
        lines.append("Tick tonight's checklist to start tracking.")
    elif not report.tracked_nights:
        lines.append("Nights compared: none yet (a night counts once its morning has come)")
    else:  # the insights screen says the same
        lines.append(f"Nights compared: {report.recorded_nights} recorded of {report.tracked_nights} since {report.first_night:%d %b %Y}")
    lines.append("A night with no tick, no entry and no night record is not recorded, not \"0 cramps\".")
    lines += ["", "What seems to help you:"]
    lines += [f"- {comparison.sentence()}" for comparison in report.comparisons]
    if report.trial is not None:
        lines += ["", report.trial.sentence()]
    print(printable("\n".join(lines)))
    return EXIT_OK


def cmd_stats(args: Namespace) -> int:
    import dataclasses

    from cramp_coach.core.habits import recorded_nights
    from cramp_coach.core.models import local_now, night_of
    from cramp_coach.core.report import stats_report
    from cramp_coach.core.stats import NEW_MEDICINE_TAG

    snapshot = _open_diary().snapshot()
    names = _step_names()
    now = local_now()
    report = stats_report(
        snapshot.cramps,
        night_of(now),
        days=args.days,
        step_title=lambda step: one_line(names.get(step, step)),
        advice=_advice,
        # The nights the diary covers matter only to the new-medicine advice: built only then.
        recorded=recorded_nights(snapshot.ticks_by_night(), snapshot.nights, snapshot.cramps)
        if any(NEW_MEDICINE_TAG in cramp.tags for cramp in snapshot.cramps)
        else None,
    )
    if args.days:
        report = dataclasses.replace(report, period=_period_counted(args.days, night_of(now), now))
    sys.stdout.write(printable(report.to_text()))
    return EXIT_OK


def _period_counted(days: int, newest: date, now: datetime) -> str:
    """The nights ``stats --days`` counts, said as they are: they end with the night a cramp now
    belongs to (tonight's, or in the morning last night's)."""
    from datetime import timedelta

    from cramp_coach.core.nights import night_name

    if days == 1:
        return f"{night_name(newest, now)}, the night of {newest.isoformat()}"
    first = newest - timedelta(days=days - 1)
    return f"the last {days} nights, {first.isoformat()} to {newest.isoformat()}"


def _advice(key: str):
    """A piece of guidance by key, with the person's emergency number filled in (only guidance.toml is read)."""
    from cramp_coach.core.content import fill_emergency, load_guidance
    from cramp_coach.core.files import ContentError
    from cramp_coach.core.paths import assets_dir
    from cramp_coach.core.record import replace
    from cramp_coach.core.settings import load_settings

    try:
        advice = load_guidance(assets_dir() / "guidance.toml").get(key)
    except ContentError:
        return None
    if advice is None:
        return None
    settings, _ = load_settings(_home())
    number = settings.emergency_number
    return replace(advice, text=fill_emergency(advice.text, number))


def _home() -> Path:
    from cramp_coach.core.paths import home_path

    return home_path()


def cmd_serve(args: Namespace) -> int:
    import asyncio

    from cramp_coach.core.paths import data_dir
    from cramp_coach.serve.server import ServeError, ServeOptions, lan_address, serve, tls_context

    if args.lan and args.host:
        raise UsageError("cramp-coach serve: give --lan or --host, not both")
    if (args.tls_cert is None) != (args.tls_key is None):
        raise UsageError("cramp-coach serve: --tls-cert and --tls-key go together: give both or neither")
    host = args.host or DEFAULT_SERVE_HOST
    if args.lan:
        found = lan_address()
        if found is None:
            raise DataError("serve --lan: this machine has no home-network address (is it connected?); use --host ADDRESS")
        host = found
    home = data_dir()  # made (0700) now, so every page's app finds the same folder
    os.environ["CRAMP_COACH_HOME"] = str(home)
    try:
        tls = tls_context(args.tls_cert, args.tls_key) if args.tls_cert else None
        public_host = (lan_address() or host) if host in ("0.0.0.0", "::") else ""
        options = ServeOptions(host=host, port=args.port, public_host=public_host, tls=tls)
        asyncio.run(serve(options, sys.stdout, lan=args.lan or public_host != "", diary_folder=os.fsdecode(home)))
    except ServeError as error:
        raise DataError(f"serve: {error}") from None
    return EXIT_OK


def _run_app(args: Namespace, relief: bool = False, mode: str | None = None) -> int:
    import gc

    gc.disable()  # until the first frame is drawn (the app turns it back on): the screen comes sooner
    from cramp_coach.app import ReliefRequest, make_app

    request = ReliefRequest(muscle=args.muscle, side=args.side) if relief else None
    app = make_app(relief=request, bell=not args.no_bell, start_mode=mode)
    app.run()
    return EXIT_DATA if app.return_code else EXIT_OK  # a crash of the app is not a success


def _quiet_streams() -> None:
    """Text that cannot be encoded (a lone surrogate from a file name) is shown as an escape, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _stdout_gone() -> int:
    """The reader of our output went away (``| head``): stop quietly, as other tools do."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit does not complain again
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_DATA


def _check_time_zone() -> None:
    """Every command needs the local time with its UTC offset: a time zone Python cannot use (an
    offset of 24 hours or more, such as ``TZ=UTC+24``) is said plainly, before anything starts."""
    try:
        datetime.now().astimezone()
    except (ValueError, OverflowError, OSError):
        zone = os.environ.get("TZ")
        if zone is None:
            raise DataError(
                "this machine's time zone cannot be used (its offset from UTC must be less than 24 hours); "
                "set TZ to a zone such as Europe/London"
            ) from None
        raise UsageError(
            f"cramp-coach: the time zone TZ={_shown(zone)} cannot be used (its offset from UTC must be less than 24 hours); "
            "set TZ to a zone such as Europe/London or UTC, or unset it"
        ) from None


def _dispatch(args: Namespace) -> int:
    _check_time_zone()
    if args.command == "relief":
        return _run_app(args, relief=True)
    if args.command == "diary":
        return _run_app(args, mode="diary")
    if args.command == "checklist" and not (args.list or args.done):
        return _checklist_app(args)
    handler = {
        "log": cmd_log, "export": cmd_export, "import": cmd_import, "stats": cmd_stats,
        "checklist": cmd_checklist, "insights": cmd_insights, "serve": cmd_serve,
    }.get(args.command)
    if handler is None:
        return _run_app(args)
    if args.command != "serve":
        import gc

        gc.disable()  # a short command over at most a few MB: collection pauses only cost time
    from cramp_coach.core.storage import CorruptFileError, StorageError

    try:
        return handler(args)
    except CorruptFileError as error:
        raise DataError(f"{_storage_message(error)} Run `cramp-coach` to move it aside and start a fresh diary.") from None
    except StorageError as error:
        raise DataError(_storage_message(error)) from None


def _storage_message(error: Exception) -> str:
    """A diary problem's message, saying once that nothing was changed."""
    text = str(error).rstrip().rstrip(".")
    return f"{text}." if "not been changed" in text or "Nothing was changed" in text else f"{text}. Nothing was changed."


_APP_DEFAULTS: dict[str | None, dict[str, Any]] = {
    None: {}, "diary": {}, "relief": {"muscle": "calf", "side": None}, "checklist": {"list": False, "done": None, "night": None},
}


def _app_now(argv: Sequence[str] | None) -> Namespace | None:
    """The commands that open the app, as typed in the night (`cramp-coach`, `cramp-coach relief`,
    `diary`, `checklist`, with at most --no-bell), read without building the parser for every
    command: the first frame comes a little sooner. ``None`` for anything else, which the full
    parser reads (a unit test checks both read these the same)."""
    words = list(sys.argv[1:] if argv is None else argv)
    bell_off = "--no-bell" in words
    if bell_off and words[0] != "--no-bell" and words != ["relief", "--no-bell"]:
        return None  # only relief takes --no-bell after its name
    rest = [word for word in words if word != "--no-bell"]
    if len(words) - len(rest) > 1 or len(rest) > 1 or (rest and rest[0] not in _APP_DEFAULTS):
        return None
    command = rest[0] if rest else None
    from types import SimpleNamespace

    return cast("Namespace", SimpleNamespace(command=command, no_bell=bell_off, **_APP_DEFAULTS[command]))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. Never ends in a traceback."""
    _quiet_streams()
    try:
        try:
            code = _dispatch(_app_now(argv) or build_parser().parse_args(argv))
        finally:
            sys.stdout.flush()  # a closed pipe shows up here, inside the handler below
        return code
    except BrokenPipeError:
        return _stdout_gone()
    except UsageError as error:
        print(one_line(str(error)), file=sys.stderr)
        return EXIT_USAGE
    except DataError as error:
        print(f"cramp-coach: {one_line(str(error))}", file=sys.stderr)
        return EXIT_DATA
    except OSError as error:
        path = f"{_path(error.filename)}: " if error.filename else ""
        from cramp_coach.core.storage import plain_reason  # (worded for the data folder and its files)

        print(f"cramp-coach: {path}{plain_reason(error)}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("cramp-coach: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the promise: one line, never a traceback
        if os.environ.get("CRAMP_COACH_DEBUG") == "1":
            import traceback

            traceback.print_exc()
        print(f"cramp-coach: unexpected error: {one_line(f'{type(error).__name__}: {error}')}", file=sys.stderr)
        return EXIT_DATA
