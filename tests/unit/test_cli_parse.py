"""The commands that open the app are read by a short path at start; they must mean exactly what the
full parser reads, and anything else must go to the full parser."""

from __future__ import annotations

import pytest

from cramp_coach.cli import _app_now, build_parser

QUICK = [
    [], ["--no-bell"], ["relief"], ["relief", "--no-bell"], ["--no-bell", "relief"],
    ["diary"], ["--no-bell", "diary"], ["checklist"], ["--no-bell", "checklist"],
]


@pytest.mark.parametrize("argv", QUICK)
def test_the_short_path_reads_the_app_commands_as_the_parser_does(argv):
    quick = _app_now(argv)
    assert quick is not None
    assert vars(quick) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [["relief", "--side", "left"], ["relief", "--leg", "left"], ["relief", "--muscle", "foot"], ["relief", "relief"], ["relief", "-h"], ["diary", "--no-bell"],
     ["checklist", "--list"], ["checklist", "--no-bell"], ["--no-bell", "--no-bell", "relief"], ["log"], ["stats"], ["--version"],
     ["[/]"], ["\x1b[2J"], ["--no-bell", "relief", "--no-bell"]],
)
def test_anything_else_goes_to_the_full_parser(argv):
    assert _app_now(argv) is None


@pytest.mark.parametrize("option", ["--leg", "--side"])
def test_relief_takes_leg_as_log_does_and_side_still(option):
    args = build_parser().parse_args(["relief", option, "left", "--muscle", "foot"])
    assert (args.side, args.muscle) == ("left", "foot")
