"""`cramp-coach relief` is read by a short path at start; it must mean exactly what the full parser reads."""

from __future__ import annotations

import pytest

from cramp_coach.cli import _relief_now, build_parser


@pytest.mark.parametrize("argv", [["relief"], ["relief", "--no-bell"], ["--no-bell", "relief"]])
def test_the_short_path_reads_relief_as_the_parser_does(argv):
    quick = _relief_now(argv)
    full = build_parser().parse_args(argv)
    assert quick is not None
    for name in ("command", "muscle", "side", "no_bell"):
        assert getattr(quick, name) == getattr(full, name)


@pytest.mark.parametrize("argv", [[], ["relief", "--side", "left"], ["relief", "--muscle", "foot"], ["diary"], ["relief", "relief"], ["relief", "-h"]])
def test_anything_else_goes_to_the_full_parser(argv):
    assert _relief_now(argv) is None
