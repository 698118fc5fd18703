"""The ``cramp-coach`` command line.

Paths that only read or write data run on the core alone and never import Textual, so they start
fast; the screens are imported only when a screen is opened.
Exit codes: 0 ok, 1 data or file problem, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cramp_coach import __version__
from cramp_coach.core.content import MUSCLES
from cramp_coach.core.routine import SIDES

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command-line input: exit 2 with one line."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one clear line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


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
    relief.add_argument("--muscle", choices=MUSCLES, default="calf", help="which muscle is cramping (default calf)")
    relief.add_argument("--side", choices=SIDES, default=None, help="which leg: left, right or both")
    relief.add_argument("--no-bell", action="store_true", help="no terminal bell when a step changes")
    return parser


def _run_app(args: argparse.Namespace, relief: bool) -> int:
    from cramp_coach.app import ReliefRequest, make_app

    request = ReliefRequest(muscle=args.muscle, side=args.side) if relief else None
    make_app(relief=request, bell=not args.no_bell).run()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "relief":
            return _run_app(args, relief=True)
        return _run_app(args, relief=False)
    except OSError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return EXIT_DATA
