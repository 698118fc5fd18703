"""The hostile corpus: text a person can type or a file can hold, run through every place that takes
or shows text (markup, actions, escape codes, 10,000 characters, right-to-left marks, emoji,
spreadsheet formulas, HTML and images, a lone surrogate from invalid UTF-8 on the command line)."""

from __future__ import annotations

HOSTILE = [
    "[/]", "pain [/] gone", "[bold]x", "[x] done", "[@click=app.quit]tap[/]",
    "[link=http://x]y[/link]", "\x1b]0;title\x07", "\x1b[2J", "\x07bell", "\x9bc1",
    "x" * 10_000, "\u202eright-to-left\u202c", "emoji 🦵💥", "a|b\nc", "=1+1", "+cmd", "-2", "@SUM(A1)",
    "<img src=http://evil/x.png>", "![x](http://evil/x.png)",
]
LONE_SURROGATE = "\udcff"
