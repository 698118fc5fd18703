"""The quick table draws its cells exactly as Textual's DataTable does, only sooner."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from cramp_coach.widgets.quick_table import QuickTable

CELLS = [
    Text("calf"), Text(""), Text("—"), Text("not a cramp", style="italic"), Text("x" * 200), Text("[/] [@click=app.quit]x[/]"),
    Text("日本語のテキスト日本語"), Text("tab\there"), Text("two\nlines"), Text("right", justify="right"),
    Text.assemble(("bold", "bold"), " and ", ("red", "red")), Text("ellipsis " * 5, overflow="ellipsis"), Text("🙂🙂🙂🙂🙂🙂"),
]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        table = QuickTable(cursor_type="row", zebra_stripes=True)
        for width in (10, 5, 1, 20):
            table.add_column(f"w{width}", width=width)
        yield table


def simplified(lines: list[list[Segment]]) -> list[list[Segment]]:
    return [list(Segment.simplify(segment for segment in line if segment.text)) for line in lines]


async def test_every_kind_of_cell_is_drawn_as_datatable_draws_it() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(QuickTable)
        for cell in CELLS:
            table.add_row(cell, cell, cell, cell)
        table.add_row(Text("tall"), Text("row"), Text("of"), Text("two"), height=2)
        await pilot.pause()
        base = table.rich_style
        checked = 0
        for row in range(table.row_count):
            for column in range(len(table.columns)):
                for cursor, hover in ((False, False), (True, False), (False, True)):
                    width = table.ordered_columns[column].get_render_width(table)
                    table._clear_caches()
                    ours = table._render_cell(row, column, base, width, cursor, hover)
                    table._clear_caches()
                    theirs = DataTable._render_cell(table, row, column, base, width, cursor, hover)
                    assert simplified(ours) == simplified(theirs), (row, column, cursor, hover)
                    checked += 1
        assert checked == table.row_count * 4 * 3


async def screenshot(table_class: type[DataTable[Text]]) -> str:
    class Shown(TableApp):
        def compose(self) -> ComposeResult:
            table = table_class(cursor_type="row", zebra_stripes=True)
            for width in (10, 5, 1, 20):
                table.add_column(f"w{width}", width=width)
            for cell in CELLS:
                table.add_row(cell, cell, cell, cell)
            yield table

    app = Shown()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")  # the cursor row, and zebra stripes under it
        await pilot.pause()
        return app.export_screenshot()


async def test_the_table_on_screen_is_exactly_the_datatable() -> None:
    assert await screenshot(QuickTable) == await screenshot(DataTable)


async def test_plain_one_line_cells_take_the_quick_way(monkeypatch) -> None:
    app = TableApp()
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(QuickTable)
        table.add_row(Text("calf"), Text("not a cramp", style="italic"), Text("x" * 200), Text(""))
        await pilot.pause()
        slow: list[tuple[int, int]] = []
        original = DataTable._render_cell

        def counted(self, row, column, *args):
            if row >= 0:
                slow.append((row, column))
            return original(self, row, column, *args)

        monkeypatch.setattr(DataTable, "_render_cell", counted)
        table._clear_caches()
        table.refresh()
        await pilot.pause()
        assert slow == []
