"""One rule for text a person or a file wrote: it is shown as written, never parsed as markup.

Every screen builds what it shows from user or file text (notes, tags, titles, paths, warnings,
error messages) with these helpers, so ``[b]``, ``[/]`` or ``[@click=app.quit]`` appear as typed
and can never style the screen, crash the markup parser or run an action. Control codes and lone
surrogates are removed on the way, so nothing reaches the terminal raw. Our own constant strings
may still use markup: ``markup("[b]$label[/b] $value", value=user_text)`` inserts the values
literally.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.content import Content

from cramp_coach.core.text import clean_text, one_line

_SURROGATES = re.compile("[\ud800-\udfff]")


def plain(text: object) -> str:
    """``text`` as a clean string: control codes removed, lone surrogates replaced."""
    return _SURROGATES.sub("\ufffd", clean_text(str(text)))


def literal(text: object, style: str = "") -> Content:
    """User or file text, shown exactly as written (optionally in one style)."""
    return Content.styled(plain(text), style) if style else Content(plain(text))


def line(text: object, style: str = "", limit: int | None = None) -> Content:
    """Like :func:`literal`, folded onto one line (table cells, one-line messages), optionally cut short."""
    folded = one_line(plain(text))
    if limit is not None and len(folded) > limit:
        folded = folded[: max(0, limit - 1)] + "…"
    return Content.styled(folded, style) if style else Content(folded)


def labelled(label: str, value: object, label_style: str = "bold") -> Content:
    """``label value``: our label in ``label_style``, then the value literally."""
    return Content.assemble((label, label_style), " ", plain(value))


def markup(template: str, **values: object) -> Content:
    """Our own markup ``template`` with ``$name`` values inserted literally."""
    return Content.from_markup(template, **{name: plain(value) for name, value in values.items()})


def joined(parts: Iterable[Content | str], separator: str = "\n") -> Content:
    """Pieces (Content, or plain strings taken literally) joined by ``separator``."""
    return Content(separator).join(part if isinstance(part, Content) else literal(part) for part in parts)
