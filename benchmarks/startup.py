"""Startup: process start to the relief screen's first frame, beside a bare Textual app.

Both run as fresh Python processes in an 80x24 pseudo-terminal, interleaved, and exit right after
their first frame is painted; the script prints each median and the ratio (target: within 1.25x).

    python3 benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from _pty import median, timed_in_pty

# Both programs stop at their first frame: the first screen update Textual hands to the terminal
# while the target screen is shown. The same hook serves both, so the figures compare fairly.
FIRST_FRAME_HOOK = """
import os
from textual.app import App
_display = App._display
def _first_frame_then_exit(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and not self._batch_count and type(screen).__name__ == TARGET:
        self._driver.flush() if hasattr(self._driver, "flush") else None
        os._exit(0)
App._display = _first_frame_then_exit
"""

BARE = FIRST_FRAME_HOOK + """
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

Bare().run()
"""

RELIEF = FIRST_FRAME_HOOK + """
from cramp_coach.cli import main
raise SystemExit(main(["relief", "--no-bell"]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, CRAMP_COACH_HOME=home, TERM="xterm-256color")
        bare_code = 'TARGET = "Screen"\n' + BARE
        relief_code = 'TARGET = "ReliefScreen"\n' + RELIEF
        for code in (bare_code, relief_code):  # warm the file cache and bytecode
            timed_in_pty([sys.executable, "-c", code], env)
        bare, relief = [], []
        for _ in range(args.runs):
            bare.append(timed_in_pty([sys.executable, "-c", bare_code], env))
            relief.append(timed_in_pty([sys.executable, "-c", relief_code], env))
    bare_ms, relief_ms = median(bare) * 1000, median(relief) * 1000
    print(f"runs each:                         {args.runs}")
    print(f"bare Textual app, first frame:     {bare_ms:7.1f} ms (median)")
    print(f"cramp-coach relief, first frame:   {relief_ms:7.1f} ms (median)")
    print(f"ratio:                             {relief_ms / bare_ms:7.2f}x  (target <= 1.25x)")


if __name__ == "__main__":
    main()
