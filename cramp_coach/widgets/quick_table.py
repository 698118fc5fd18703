"""A DataTable that draws its one-line text cells itself, about four times as fast.

Textual's DataTable draws every cell through Rich's general machinery (the cell wrapped in a
Padding, in a Styled, rendered to lines, split and cropped): about 85 microseconds a cell, so
13 ms for the first screenful of the diary, the frame a person opening it waits for. A cell that
is one line of :class:`rich.text.Text` in a row one line high (every diary cell) comes out the same
when it is cropped to the column, padded, and given the same styles directly; that is what
:meth:`QuickTable._render_cell` does, and any other cell (a header, a label, a fixed or taller
row, a tab or a line break in the text, a justified text) goes to DataTable's own drawing. A test
draws cells both ways and compares them, so a change in Textual shows up there.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

_OPEN = Style()  # Rich's "none": the style of a cell's padding before the row's styles go on it


class QuickTable(DataTable[Text]):
    """A DataTable whose plain one-line text cells are drawn directly (see the module's note)."""

    def _render_cell(
        self, row_index: int, column_index: int, base_style: Style, width: int, cursor: bool = False, hover: bool = False,
    ) -> list[list[Segment]]:
        if row_index < self.fixed_rows or column_index < self.fixed_columns:  # also the header (-1) and labels
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        cached: list[list[Segment]] | None = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        cell: Any = self._get_row_renderables(row_index).cells[column_index]
        row = self.rows.get(row_key)
        inner = width - 2 * self.cell_padding
        if (
            type(cell) is not Text or row is None or row.height != 1 or inner < 1
            or "\n" in cell.plain or "\t" in cell.plain or cell.justify not in (None, "default")
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        line = [_styled(segment, pre_style, post_style) for segment in _cell_segments(self, cell, inner)]
        lines = [line]
        self._cell_render_cache[cache_key] = lines
        return lines


def _cell_segments(table: DataTable[Any], cell: Text, inner: int) -> list[Segment]:
    """The cell's text cropped (or padded) to ``inner`` cells, with the table's cell padding."""
    text = cell
    if cell_len(cell.plain) > inner:
        text = cell.copy()
        text.truncate(inner, overflow=cell.overflow or "fold")
    if text.style:  # a styled text is drawn as one span of that style (as Rich's wrapping does)
        text = Text("\n").join([text])
    segments = list(text.render(table.app.console))
    used = cell_len(text.plain)
    padding = [Segment(" " * table.cell_padding, _OPEN)] if table.cell_padding else []
    return [
        *padding,
        *(segment for segment in segments if segment.text),
        *([Segment(" " * (inner - used), _OPEN)] if used < inner else []),
        *padding,
    ]


def _styled(segment: Segment, pre_style: Style, post_style: Style) -> Segment:
    """``segment`` between the row's styles, as Textual's Styled puts it."""
    text, style, control = segment
    if control:
        return segment
    style = pre_style + style if pre_style else style
    if post_style:
        style = style + post_style if style else post_style
    return Segment(text, style)
