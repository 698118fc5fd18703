"""End-to-end helpers: the installed console script, run for real."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def console_script() -> str:
    """The installed ``cramp-coach``, next to this Python first."""
    beside = Path(sys.executable).parent / "cramp-coach"
    if beside.exists():
        return str(beside)
    found = shutil.which("cramp-coach")
    if not found:
        pytest.fail("cramp-coach is not installed: run the README's test command (pip install -e '.[test]')")
    return found


@pytest.fixture
def cramp_coach():
    """Run the installed ``cramp-coach`` with arguments; returns the CompletedProcess."""

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([console_script(), *args], capture_output=True, text=True, input=input, timeout=60)

    return run
