"""One rule for text a person or a file wrote: control codes never get in, and never get out raw.

- ``clean_text`` is used where text enters the store (notes, tags, titles, answers): C0 and C1
  control characters other than newline and tab are removed, and ``\\r\\n`` becomes ``\\n``.
- ``printable`` is used wherever the command line prints or exports such text: any control
  character left (ESC, BEL, ...) is shown as a visible escape such as ``\\x1b``, so nothing a
  diary holds can clear a screen or change a window title.
- ``one_line`` folds newlines and tabs to spaces as well (table cells, one-line messages).

Markup is a separate matter: the screens build ``Content``/``Text`` objects from user text, so
brackets are shown as written (see ``cramp_coach.widgets.safe``).
"""

from __future__ import annotations

import re

# C0 controls except tab (0x09) and newline (0x0a); DEL; the C1 block.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Everything a terminal might act on, tab and newline included.
_ALL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029\x85]+")
# Lone surrogates: what invalid UTF-8 on the command line becomes; they cannot be written as UTF-8.
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` without control characters (newline and tab kept; ``\\r\\n`` and ``\\r`` become newlines).

    Lone surrogates (invalid UTF-8 passed on the command line) become U+FFFD.
    """
    if not value:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", value))


def has_controls(value: str) -> bool:
    """True when ``value`` holds a control character other than newline and tab."""
    return bool(_CONTROLS.search(value))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: str, keep_newlines: bool = True) -> str:
    """``value`` safe to write to a terminal: control characters shown as visible escapes."""
    value = _SURROGATES.sub("\ufffd", value)
    if keep_newlines:
        return _CONTROLS.sub(_escape, value)
    return _ALL_CONTROLS.sub(_escape, value)


def one_line(value: str) -> str:
    """``value`` on one line: line breaks and tabs folded to a space, other controls escaped."""
    return printable(_LINE_BREAKS.sub(" ", value), keep_newlines=False)
