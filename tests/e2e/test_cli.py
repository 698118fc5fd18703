"""The installed command line: help, version, and clear usage errors."""

from __future__ import annotations

from cramp_coach import __version__


def test_version(cramp_coach):
    result = cramp_coach("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_help_lists_every_subcommand(cramp_coach):
    result = cramp_coach("--help")
    assert result.returncode == 0
    for command in ("relief", "diary", "checklist", "log", "export", "import", "stats"):
        assert command in result.stdout


def test_unknown_muscle_is_a_usage_error_in_one_line(cramp_coach):
    result = cramp_coach("relief", "--muscle", "neck")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "calf" in lines[0] and "foot" in lines[0] and "hamstring" in lines[0] and "quadriceps" in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_side_is_a_usage_error(cramp_coach):
    result = cramp_coach("relief", "--side", "up")
    assert result.returncode == 2
    assert "left" in result.stderr and "right" in result.stderr and "both" in result.stderr


def test_unknown_command_is_a_usage_error(cramp_coach):
    result = cramp_coach("dance")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_python_dash_m_works():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "cramp_coach", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and __version__ in result.stdout


def test_relief_help_shows_leg_and_a_bad_leg_is_a_usage_error(cramp_coach):
    assert "--leg" in cramp_coach("relief", "--help").stdout
    for option in ("--leg", "--side"):
        result = cramp_coach("relief", option, "up")
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
        assert "--leg" in result.stderr and "'left', 'right', 'both'" in result.stderr
