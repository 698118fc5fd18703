"""One line with a title at the left and a short status at the right (relief's header: the routine
and leg, and how long the cramp has lasted).

It is one widget where a row of two would take three (the row and its two parts): less to style
and lay out before the first frame, and less to draw when the status changes each second. The
title is cut with "…" when the line is too short for both; the status always shows, at least two
cells from the title.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget


class TitleLine(Widget):
    """A title (cut to fit) and a right-aligned status in a fixed number of cells."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"title-line--status"}
    DEFAULT_CSS = """
    TitleLine {
        height: 1;
    }
    TitleLine > .title-line--status {
        color: $text-muted;
    }
    """

    def __init__(self, status_width: int, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._title = Content("")
        self._status = ""
        self._status_width = status_width

    @property
    def content(self) -> Content:
        """The whole line, uncut: the title, then the status."""
        return Content.assemble(self._title, "  ", self._status)

    def show(self, *, title: Content | None = None, status: str | None = None) -> None:
        """Change the title, the status or both (redrawn only if something changed; never a new layout)."""
        changed = False
        if title is not None and not title.is_same(self._title):
            self._title, changed = title, True
        if status is not None and status != self._status:
            self._status, changed = status, True
        if changed:
            self.refresh()

    def render(self) -> Content:
        width = self.size.width or self._status_width * 4  # (before layout: any width will do)
        status_width = min(max(self._status_width, cell_len(self._status) + 2), width)  # a longer status keeps a gap
        status = Content.styled(self._status, self.get_visual_style("title-line--status")).right(status_width)
        return self._title.truncate(width - status_width, ellipsis=True, pad=True) + status
