"""Text with a hanging indent: a long value wraps under itself, not back under its label.

``Note       my calf woke me twice and…`` continues on the next line at the column where the
note began, so a long note, a web address or a checklist title stays readable on a 60-column
screen. A :class:`Hanging` is a Textual *Visual*: give it to a ``Static`` (or an option list) like
any Content. It is laid out afresh for each width the widget is given, and its height is the
height of that layout, so a container sized ``height: auto`` fits it exactly.

Each row is a lead (a label, a bullet, some spaces) and a body; both are Content, so text a person
or a file wrote stays literal (build them with ``widgets.safe``). A body may hold line breaks:
every line of it hangs. When the width left for the body is too narrow to read, the row wraps as
plain text does (from the left edge) rather than one letter a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

MIN_BODY = 12
"""Narrower than this (in cells), the body wraps from the left edge instead."""


def _rows(rows: Iterable[tuple[Content | str, Content | str]]) -> tuple[tuple[Content, Content], ...]:
    return tuple((lead if isinstance(lead, Content) else Content(lead), body if isinstance(body, Content) else Content(body)) for lead, body in rows)


class Hanging(Visual):
    """Rows of ``lead body`` whose wrapped lines start under the body."""

    def __init__(self, rows: Iterable[tuple[Content | str, Content | str]]) -> None:
        self.rows = _rows(rows)
        self._layout: tuple[int, Content] | None = None

    @property
    def plain(self) -> str:
        """The text, unwrapped (what a search or a test reads)."""
        return "\n".join(lead.plain + body.plain for lead, body in self.rows)

    def __str__(self) -> str:  # as Content's: the plain text
        return self.plain

    def lines(self, width: int) -> list[Content]:
        """The rows laid out ``width`` cells wide, one Content a screen line."""
        width = max(1, width)
        laid_out: list[Content] = []
        for lead, body in self.rows:
            indent = lead.cell_length
            if width - indent < MIN_BODY:
                laid_out += (lead + body).wrap(width)
                continue
            pieces = body.wrap(width - indent) or [Content("")]
            laid_out.append(lead + pieces[0])
            laid_out += [Content.blank(indent) + piece for piece in pieces[1:]]
        return laid_out

    def _laid_out(self, width: int) -> Content:
        if self._layout is None or self._layout[0] != width:
            self._layout = (width, Content("\n").join(self.lines(width)))
        return self._layout[1]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((lead.cell_length + max((cell_len(text) for text in body.plain.split("\n")), default=0) for lead, body in self.rows), default=0)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return min(MIN_BODY, self.get_optimal_width(rules, MIN_BODY))

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width)) if self.rows else 0

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        if not width or not self.rows:
            return []
        return self._laid_out(width).render_strips(width, height, style, options)


def hanging_rows(rows: Sequence[tuple[str, Content | str]], label_width: int | None = None) -> Hanging:
    """Labelled rows (``When       Wed 25 Nov…``): our labels in bold, padded to ``label_width``
    (the longest label's, by default), a space, then the value (Content, or a string taken literally)."""
    width = max((cell_len(label) for label, _ in rows), default=0) if label_width is None else label_width
    return Hanging((Content.styled(label.ljust(width) + " ", "bold"), value) for label, value in rows)
