"""The ``cramp-coach`` command line.

Paths that only read or write data (log, export, import, stats) run on the core alone and never
import Textual, so they start fast; the screens are imported only when a screen is opened.
Exit codes: 0 ok, 1 data or file problem, 2 usage error.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

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

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command-line input: exit 2 with one line."""


class DataError(Exception):
    """A file or the diary could not be used: exit 1 with one line."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one clear line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-11-25, got {value!r}") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand."""
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
    relief.add_argument("--side", choices=LEGS, default=None, help="which leg: left, right or both")
    relief.add_argument("--no-bell", action="store_true", help="no terminal bell when a step changes")

    commands.add_parser("diary", help="open the diary: history, filters, edit, stats")

    log = commands.add_parser("log", help="save one cramp to the diary and print its id")
    log.add_argument("--muscle", required=True, choices=DIARY_MUSCLES)
    log.add_argument("--leg", required=True, choices=LEGS)
    log.add_argument("--intensity", required=True, help="how bad, 0-10")
    log.add_argument("--duration", help="how long it lasted, in seconds")
    log.add_argument("--at", help="when it started (ISO, e.g. 2026-11-25T03:10); default now")
    log.add_argument("--ended-by", help=f"the relief step id that ended it, or '{ON_ITS_OWN}'")
    log.add_argument("--tag", action="append", default=[], help=f"a tag (repeatable), e.g. {', '.join(COMMON_TAGS[:3])}")
    log.add_argument("--note", default="", help="a note")

    export = commands.add_parser("export", help="export the diary (csv to stdout by default)")
    export.add_argument("--format", choices=("csv", "json", "md"), default="csv", help="csv, json (everything) or md (a report for a clinician)")
    export.add_argument("--from", dest="start", type=_day, help="first night to include (YYYY-MM-DD)")
    export.add_argument("--to", dest="end", type=_day, help="last night to include (YYYY-MM-DD)")
    export.add_argument("-o", "--output", type=Path, help="write to this file (never overwrites one that exists)")

    importer = commands.add_parser("import", help="import a json or csv export; entries already there are skipped")
    importer.add_argument("file", type=Path)

    checklist = commands.add_parser("checklist", help="tonight's bedtime checklist: opens it, or --list / --done from the shell")
    checklist.add_argument("--list", action="store_true", help="print tonight's items: id, [x] or [ ], title")
    checklist.add_argument("--done", nargs="+", metavar="ID", help="tick these items for tonight")

    stats = commands.add_parser("stats", help="print the diary's statistics")
    stats.add_argument("--days", type=_positive, help="only the last N nights")
    return parser


def _open_diary():
    from cramp_coach.core.diary import Diary
    from cramp_coach.core.paths import data_dir
    from cramp_coach.core.storage import StorageError

    try:
        return Diary(data_dir())  # an unreadable file raises on first use, and is never written
    except StorageError as error:
        raise DataError(
            f"{error}. Nothing was changed. Run `cramp-coach` to move it aside and start a fresh diary."
        ) from None


@functools.cache
def _library():
    """The guidance (bundled and the user's own routines), read once per command."""
    from cramp_coach.core.content import load_library
    from cramp_coach.core.paths import data_dir

    return load_library(data_dir())


def _step_names() -> dict[str, str]:
    from cramp_coach.core.content import step_titles
    from cramp_coach.core.paths import data_dir

    return {**step_titles(data_dir()), ON_ITS_OWN: "on its own"}


def cmd_log(args: argparse.Namespace) -> int:
    now = datetime.now().astimezone()
    if args.ended_by and args.ended_by not in _step_names():
        raise UsageError(
            f"cramp-coach log: --ended-by must be a relief step id (e.g. calf-stretch, calf-massage) or '{ON_ITS_OWN}', got {args.ended_by!r}"
        )
    try:
        cramp = cramp_from_dict(
            {
                "started_at": args.at or now.isoformat(),
                "muscle": args.muscle,
                "leg": args.leg,
                "intensity": args.intensity,
                "duration_s": args.duration,
                "ended_by": args.ended_by,
                "tags": args.tag,
                "note": args.note,
            },
            now=now,
        )
    except ValidationError as error:
        option = {"started_at": "--at", "duration_s": "--duration"}.get(error.field, f"--{error.field.replace('_', '-')}")
        raise UsageError(f"cramp-coach log: {option} {str(error).split(': ', 1)[1]}") from None
    _open_diary().add_cramp(cramp)
    print(cramp.id)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from cramp_coach.core import export

    if args.start and args.end and args.start > args.end:
        raise UsageError("cramp-coach export: --from must not be after --to")
    if args.output is not None and args.output.exists():
        raise DataError(f"{args.output} already exists; choose another file name (nothing was written)")
    diary = _open_diary()
    cramps = export.in_period(diary.cramps(), args.start, args.end)
    if args.format == "csv":
        text = export.to_csv(cramps)
    elif args.format == "json":
        nights = [n for n in diary.nights().values() if (not args.start or n.night >= args.start) and (not args.end or n.night <= args.end)]
        text = export.to_json(cramps, nights)
    else:
        names = _step_names()
        disclaimer = _library().guidance.get("disclaimer")
        text = export.to_markdown(cramps, args.start, args.end, lambda s: names.get(s, s), disclaimer.text if disclaimer else "")
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        with open(args.output, "x", encoding="utf-8") as handle:
            handle.write(text)
        args.output.chmod(0o600)
    except OSError as error:
        raise DataError(f"{args.output}: cannot be written ({error.strerror})") from None
    print(f"Wrote {len(cramps)} cramps to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from cramp_coach.core.export import ImportFormatError, read_import
    from cramp_coach.core.models import validate_records

    try:
        raw_cramps, raw_nights = read_import(args.file)
        cramps, nights = validate_records(raw_cramps, raw_nights, datetime.now().astimezone())
    except ImportFormatError as error:
        raise DataError(f"{error}; nothing was imported") from None
    except ValidationError as error:
        raise DataError(f"{args.file}: {error}; nothing was imported") from None
    result = _open_diary().import_records(cramps, nights)
    print(
        f"Imported {result.cramps_added} cramps and {result.nights_added} nights "
        f"({result.cramps_skipped + result.nights_skipped} already in the diary)."
    )
    return EXIT_OK


def cmd_checklist(args: argparse.Namespace) -> int:
    from cramp_coach.core.checklist import ChecklistBook
    from cramp_coach.core.models import local_now, night_of

    book = ChecklistBook(_open_diary())
    tonight = night_of(local_now())
    items = book.visible()
    if args.done:
        known = [item.id for item in items]
        unknown = [item_id for item_id in args.done if item_id not in known]
        if unknown:
            raise UsageError(f"cramp-coach checklist: unknown item id {', '.join(map(repr, unknown))}; tonight's ids are: {', '.join(known)}")
        for item_id in dict.fromkeys(args.done):
            book.tick(tonight, item_id, True)
    if args.list or args.done:
        ticked = book.ticks(tonight)
        for item in items:
            print(f"{item.id} [{'x' if item.id in ticked else ' '}] {item.title}")
    return EXIT_OK


def stats_text(cramps, today: date, days: int | None) -> str:
    """The stats as plain aligned text."""
    from cramp_coach.core.stats import bar_chart, diary_stats, within_days

    names = _step_names()
    chosen = within_days(cramps, days, today) if days else cramps
    stats = diary_stats(chosen)
    period = f"last {days} nights" if days else "whole diary"
    lines = [f"Cramps ({period}): {stats.total}"]
    if stats.total:
        rows = [
            ("Nights", f"{stats.first_night} to {stats.last_night}"),
            ("Mean intensity", f"{stats.mean_intensity:.1f} / 10" if stats.mean_intensity is not None else "not recorded"),
            ("Mean duration", f"{stats.mean_duration_s / 60:.1f} min" if stats.mean_duration_s is not None else "not recorded"),
            ("Most common muscle", f"{stats.top_muscle[0]} ({stats.top_muscle[1]})" if stats.top_muscle else "not recorded"),
            ("Most common leg", f"{stats.top_leg[0]} ({stats.top_leg[1]})" if stats.top_leg else "not recorded"),
            ("Most often ended by", f"{names.get(stats.top_ended_by[0], stats.top_ended_by[0])} ({stats.top_ended_by[1]})" if stats.top_ended_by else "not recorded"),
        ]
        width = max(len(label) for label, _ in rows)
        lines += [f"{label:<{width}}  {value}" for label, value in rows]
        lines += ["", "Cramps per month:"]
        lines += ["  " + line for line in bar_chart(stats.per_month[-12:])]
        from cramp_coach.core.stats import rise_after_new_medicine

        rise = rise_after_new_medicine(chosen, today + timedelta(days=1))
        if stats.busy_months or rise is not None:
            guidance = _library().guidance
            advice = guidance.get("see_clinician")
            if stats.busy_months and advice:
                lines += ["", f"{advice.title}: {advice.text}", f"(Source: {advice.source.title})"]
            medicine = guidance.get("new_medicine")
            if rise is not None and medicine:
                lines += [
                    "",
                    f"{medicine.title}: {rise.before_per_night:.2f} cramps a night in the 4 weeks before {rise.since}, "
                    f"{rise.after_per_night:.2f} since. {medicine.text}",
                    f"(Source: {medicine.source.title})",
                ]
    return "\n".join(lines) + "\n"


def cmd_stats(args: argparse.Namespace) -> int:
    sys.stdout.write(stats_text(_open_diary().cramps(newest_first=False), datetime.now().astimezone().date(), args.days))
    return EXIT_OK


def _run_app(args: argparse.Namespace, relief: bool = False, mode: str | None = None) -> int:
    from cramp_coach.app import ReliefRequest, make_app

    request = ReliefRequest(muscle=args.muscle, side=args.side) if relief else None
    make_app(relief=request, bell=not args.no_bell, start_mode=mode).run()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "relief":
            return _run_app(args, relief=True)
        if args.command == "diary":
            return _run_app(args, mode="diary")
        if args.command == "checklist" and not (args.list or args.done):
            return _run_app(args, mode="checklist")
        handler = {"log": cmd_log, "export": cmd_export, "import": cmd_import, "stats": cmd_stats, "checklist": cmd_checklist}.get(args.command)
        if handler is not None:
            from cramp_coach.core.storage import StorageError

            try:
                return handler(args)
            except StorageError as error:
                raise DataError(f"{error}. Nothing was changed.") from None
        return _run_app(args)
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except DataError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return EXIT_DATA
    except OSError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return EXIT_DATA
