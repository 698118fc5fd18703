"""The installed ``cramp-coach relief`` in a real terminal under tmux."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid

import pytest

from tests.e2e.conftest import console_script

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """A detached tmux session running one command."""

    def __init__(self, command: str, env: dict[str, str], width: int = 80, height: int = 24) -> None:
        self.name = f"cc-{uuid.uuid4().hex[:8]}"
        self.socket = f"cc-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        subprocess.run(
            ["tmux", "-L", self.socket, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
             f"env {exports} {command}"],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if re.search(pattern, text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} never appeared; screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def total_seconds(screen: str) -> int:
    minutes, seconds = re.search(r"Cramp so far (\d+):(\d\d)", screen).groups()
    return int(minutes) * 60 + int(seconds)


def test_relief_in_a_real_terminal(hermetic_home):
    env = {"CRAMP_COACH_HOME": str(hermetic_home), "TERM": "xterm-256color", "PATH": os.environ["PATH"]}
    tmux = Tmux(f"{console_script()} relief --no-bell", env)
    try:
        screen = tmux.wait_for(r"Pull your toes")
        assert "Stretch the calf" in screen
        assert "! red flags" in screen  # from the first frame
        first = total_seconds(tmux.wait_for(r"Cramp so far \d+:\d\d"))
        deadline = time.monotonic() + 10
        while total_seconds(tmux.screen()) <= first and time.monotonic() < deadline:
            time.sleep(0.2)
        assert total_seconds(tmux.screen()) > first, "the countdown did not move"
        before_pause = tmux.screen()
        tmux.keys("Space")
        tmux.wait_for("Paused")
        held = tmux.screen()
        time.sleep(2.5)
        still = tmux.screen()
        digits = lambda text: [line for line in text.splitlines() if "╭" in line or "╰" in line][1:3]  # noqa: E731
        assert digits(held) == digits(still), "the countdown moved while paused"
        assert "Paused" in still and before_pause != held
        tmux.keys("Enter")
        tmux.wait_for("It's gone")
        tmux.keys("Escape")
        tmux.wait_for("Don't save this cramp")  # asked first
        tmux.keys("y")
        home = tmux.wait_for("Cramp now")
        assert "Not saved" in home  # home, calm: nothing in focus
        tmux.keys("q")
    finally:
        tmux.close()
