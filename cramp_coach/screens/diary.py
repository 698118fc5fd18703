"""The diary: every cramp, newest first, with filters, details, add/edit/delete (with undo)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from cramp_coach.core.formatting import duration_text
from cramp_coach.core.models import DIARY_MUSCLES, LEGS, MAX_NOTE, Cramp, Night, ValidationError, parse_day
from cramp_coach.core.nights import is_morning, last_night
from cramp_coach.core.text import one_line
from cramp_coach.screens.base import CoachScreen, on_result
from cramp_coach.screens.diary_writes import DiaryJob, plain_reason
from cramp_coach.screens.keys import NO_CRAMPS_BINDINGS, explain_no_cramps_not_now, no_cramps_key_allowed
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.keyline import TapButton, fit_to_size, tap_row
from cramp_coach.widgets.quick_table import QuickTable
from cramp_coach.widgets.safe import literal, plain

if TYPE_CHECKING:
    from rich.console import OverflowMethod
    from textual.geometry import Region
    from textual.strip import Strip
    from textual.timer import Timer

    from cramp_coach.core.diary import DiarySnapshot

PAGE_ROWS = 300
FIRST_PAGE_ROWS = 24  # at least this many shown first (a screenful), while the rest are built
POLL_SECONDS = 2.0
PAINT_WAIT = 0.5  # seconds the reading of the diary waits for the table to be drawn, at most
# Fixed widths, set before the first layout: the columns never depend on which rows arrived first.
COLUMNS = (("Date", 10), ("Time", 5), ("Leg", 5), ("Muscle", 11), ("Pain", 4), ("Duration", 8), ("Ended by", 20))  # (Ended by's width: see below)
# "Ended by" gets the room the others leave (cut with "…"), or is left out when that is under 10
# cells; on a narrower screen still, Leg, then Duration, Pain and Time are left out too (enter shows
# every field). No column is ever cut off at the edge, and the table never scrolls sideways.
ENDED_BY, ENDED_BY_LEAST = "Ended by", 10
LEFT_OUT_FIRST = ("Leg", "Duration", "Pain", "Time")
SCROLLBAR = 2  # the table's vertical scrollbar, always allowed for
CELL_LIMIT = 60  # characters of a title shown in a table cell
NOT_A_CRAMP = "not a cramp"
NARROW_WIDTH = 100  # below this many columns the filter bar takes two rows


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 cramp``, ``2 cramps``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


class HistoryTable(QuickTable):
    """The diary's table; it says when it has been drawn (``when_painted``), so slower work can wait
    for the frame a person is waiting for. Home and End go to the newest and oldest entry shown (a
    DataTable's own go to the first and last column)."""

    BINDINGS = [
        Binding("home", "first_row", "newest", show=False),
        Binding("end", "last_row", "oldest shown", show=False),
    ]

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._after_paint: tuple[Callable[[], object], bool] | None = None
        self._paint_wait: Timer | None = None

    def when_painted(self, callback: Callable[[], object], *, with_rows: bool = False, at_most: float = PAINT_WAIT) -> None:
        """Run ``callback`` once the table has been drawn (``with_rows``: with rows in it), or after
        ``at_most`` seconds if it is not (no rows came, or another screen covers this one)."""
        if self._paint_wait is not None:
            self._paint_wait.stop()
        self._after_paint = (callback, with_rows)
        self._paint_wait = self.set_timer(at_most, self._run_after_paint)

    def _run_after_paint(self) -> None:
        pending, self._after_paint = self._after_paint, None
        if self._paint_wait is not None:
            self._paint_wait.stop()
            self._paint_wait = None
        if pending is not None:
            pending[0]()

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._after_paint is not None and (self.row_count or not self._after_paint[1]) and not self.app._batch_count:
            self.call_later(self._run_after_paint)  # after this frame is written out (none is, while the app starts)
        return lines


def cell(value: object, cut: OverflowMethod | None = None) -> Text:
    """A table cell: the text as written, on one line, never read as markup (``cut`` with "…" when
    the column is too narrow, if asked)."""
    text = one_line(plain(value))
    return Text(text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…", overflow=cut)


def diary_signature(services: Any) -> tuple[int, ...] | None:
    """What changes whenever any process writes the diary (a few stats, for a look every few seconds)."""
    try:
        return services.diary().signature()
    except Exception:  # noqa: BLE001 - a folder we cannot even stat: the next read says why
        return None


class FilterBar(Horizontal):
    """The filter boxes; escape goes back to the list (and the footer says so, not "home")."""

    BINDINGS = [Binding("escape", "screen.back", "list")]


class DiaryScreen(CoachScreen[None]):
    """Browse, filter and edit the diary."""

    CSS_PATH = "diary.tcss"
    AUTO_FOCUS = ""  # the table takes focus right after the first frame
    # The footer shows the first ones that fit (home first); every one is in the command palette.
    BINDINGS = [
        Binding("escape", "back", "home"),
        Binding("q", "app.quit", "quit"),
        *NO_CRAMPS_BINDINGS,
        Binding("a", "add", "add"),
        Binding("slash", "filter", "filter"),
        Binding("s", "stats", "stats"),
        Binding("n", "night", "night"),
        Binding("e", "edit", "edit", show=False),
        Binding("d,delete", "delete", "delete", show=False),
        Binding("u", "undo", "undo delete", show=False),
        Binding("x", "clear_filters", "clear filters", show=False),
        Binding("m", "more", "more rows", show=False),
        Binding("i", "insights", "insights", show=False),  # also from the checklist
    ]

    def __init__(self) -> None:
        super().__init__()
        self._cramps: list[Cramp] = []
        self._shown: list[Cramp] = []
        self._limit = PAGE_ROWS
        self._signature: tuple[int, ...] | None = None
        self._nights: dict[date, Night] | None = None  # as read with the entries (at ``_signature``)
        self._filter_problems: list[str] = []
        self._offered = ""  # the morning's offer, as the status line shows it
        self._recorded: tuple[object, bool] = (None, False)  # (last night, whether the diary holds it), since the read
        self._undo: Cramp | None = None
        self._loaded = False

    def compose(self) -> ComposeResult:
        # Set while the screen is still empty: set after its widgets are mounted, it would restyle them all.
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        table = HistoryTable(id="history", cursor_type="row", zebra_stripes=True)
        for label, width in self._columns_for(self.app.size.width):
            table.add_column(label, width=width)
        yield table
        yield Static("Loading your diary…", id="diary-status")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        # Paint the screen first, then read the diary (in a thread): the newest page first, the rest after.
        self.query_one(HistoryTable).when_painted(self.load)
        self.set_interval(POLL_SECONDS, self._check_for_changes)

    @staticmethod
    def _columns_for(width: int) -> tuple[tuple[str, int], ...]:
        """The table's columns on a screen ``width`` cells wide (each cell has a space either side)."""
        room = width - SCROLLBAR
        shown = [column for column in COLUMNS if column[0] != ENDED_BY]
        used = sum(size + 2 for _, size in shown)
        left_over = room - used - 2
        if left_over >= ENDED_BY_LEAST:
            return (*shown, (ENDED_BY, min(CELL_LIMIT, left_over)))
        for label in LEFT_OUT_FIRST:
            if used <= room:
                break
            shown = [column for column in shown if column[0] != label]
            used = sum(size + 2 for _, size in shown)
        return tuple(shown)

    def _fit_columns(self) -> None:
        """Fit the columns to a screen that grew or shrank."""
        table = self.query_one(HistoryTable)
        wanted = self._columns_for(self.app.size.width)
        if [(str(column.label), column.width) for column in table.columns.values()] == [*wanted]:
            return
        table.clear(columns=True)
        for label, width in wanted:
            table.add_column(label, width=width)
        self._fill_table()
        if self._loaded:
            self._show_status()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self._fit_columns()
        self._fit_filter_bar()
        if fit_to_size(self):  # a phone: buttons to tap in place of the footer (built the first time)
            self._add_tap_rows()
        self._show_morning_button()

    def _add_tap_rows(self) -> None:
        if self.query("#diary-taps"):
            return
        self.mount(
            Vertical(
                tap_row(
                    TapButton("add", "add", id="tap-add"), TapButton("edit", "edit", id="tap-edit"),
                    TapButton("delete", "delete", id="tap-delete"), TapButton("undo", "undo", id="tap-undo"),
                    id="tap-entries",
                ),
                tap_row(
                    TapButton("filter", "filter", id="tap-filter"), TapButton("stats", "stats", id="tap-stats"),
                    TapButton("night", "night", id="tap-night"), TapButton("no cramps", "no_cramps", id="tap-no-cramps"),
                    TapButton("home", "back", id="tap-home"),
                    id="tap-more",
                ),
                id="diary-taps",
            ),
            before=self.query_one(SteadyFooter),
        )
        fit_to_size(self)  # the new buttons' size (one row, or three on a tall phone)
        self.call_after_refresh(self._show_morning_button)

    def _show_morning_button(self) -> None:
        for button in self.query("#tap-no-cramps"):
            button.display = is_morning(self.cc.services.wall_clock())

    def _fit_filter_bar(self) -> None:
        """On a narrow screen the filter boxes lose their borders (two rows of whole boxes)."""
        for box in self.query("#filters > *"):
            box.compact = self.has_class("-narrow")  # type: ignore[attr-defined]

    def ready_for_keys(self) -> bool:
        """Keys typed while the diary is read wait for it (n, e and the filters act on the entries)."""
        return self._loaded

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The "no cramps last night" key is offered in the morning only (at other times it says so)."""
        allowed = no_cramps_key_allowed(action, self.cc.services.wall_clock())
        return True if allowed is None else allowed

    def _filter_bar(self) -> Horizontal | None:
        """The filter bar, once it has been opened (it is built on first use)."""
        bars = self.query("#filters")
        return bars.first(Horizontal) if bars else None

    async def _open_filter_bar(self) -> Horizontal:
        """The filter bar, built and mounted the first time (so its boxes can take focus at once)."""
        bar = self._filter_bar()
        if bar is None:
            from textual.widgets import Select

            bar = FilterBar(  # the text first: / lands in it, and Tab goes on to the dates, leg and muscle
                Input(placeholder="note or tag text", id="filter-text", max_length=MAX_NOTE),
                Input(placeholder="from YYYY-MM-DD", id="filter-from", max_length=40),
                Input(placeholder="to YYYY-MM-DD", id="filter-to", max_length=40),
                Select([(leg, leg) for leg in LEGS], prompt="any leg", id="filter-leg"),
                Select([(m, m) for m in DIARY_MUSCLES], prompt="any muscle", id="filter-muscle"),
                id="filters",
            )
            await self.mount(bar, before="#history")
            self._fit_filter_bar()
        return bar

    # -- loading (off the event loop) --------------------------------------------------------------
    def load(self, quiet: bool = False) -> None:
        """Read the diary in a thread and show it. The first time, the newest page is shown as soon
        as it is read (from the head the diary keeps beside it, when that is current), and the other
        entries (for filters, counts, more rows) follow. ``quiet`` (a look every few seconds, maybe
        while another screen is in front): a failure is said on the status line, with no dialog."""
        first = not self._loaded
        page = max(FIRST_PAGE_ROWS, self.size.height)  # a screenful, no more: the rest come with the others

        def read() -> tuple[tuple[int, ...] | None, DiarySnapshot | None, tuple[list[Cramp], int] | None]:
            services = self.cc.services
            services.library  # noqa: B018 - step titles for the "Ended by" column, read here rather than on the UI thread
            diary = services.diary()
            head = diary.first_page(page) if first else None
            if head is not None:
                return None, None, head
            signature, snapshot = diary.signature(), diary.snapshot()
            return signature, snapshot, (snapshot.newest(page), snapshot.entry_count()) if first else None

        self.cc.diary_job(DiaryJob(run=read, done=self._read, write=False, what="the diary", failed=self._failed, quiet=quiet))

    def _read(self, loaded: tuple[tuple[int, ...] | None, DiarySnapshot | None, tuple[list[Cramp], int] | None]) -> None:
        signature, snapshot, first_page = loaded

        def rest() -> tuple[list[Cramp], dict[date, Night], tuple[int, ...] | None]:
            if snapshot is None:  # the first page came from the head: now the whole diary
                diary = self.cc.services.diary()
                read_signature, read = diary.signature(), diary.snapshot()
            else:
                read_signature, read = signature, snapshot
            # The nights too: the night form then opens at once, so keys typed right after n reach it.
            return sorted(read.cramps, key=lambda cramp: cramp.started_at, reverse=True), read.nights, read_signature

        job = DiaryJob(run=rest, done=lambda loaded: self._show_loaded(*loaded), write=False, what="the diary", failed=self._failed)
        if first_page is not None and not self._loaded:
            newest, entries = first_page
            self._show_first_page(newest, entries)
            # The rest once the first page is on the glass (a thread holding the GIL would slow its drawing).
            if newest:
                self.query_one(HistoryTable).when_painted(lambda: self.cc.diary_job(job), with_rows=True)
            else:
                self.cc.diary_job(job)
        else:
            self.cc.diary_job(job)

    def _show_first_page(self, newest: list[Cramp], entries: int) -> None:
        """The newest entries, before the rest are built (no filter can be set yet)."""
        self._shown = newest
        self._fill_table()
        if self.focused is None:  # never away from a box the person is typing in
            self.query_one("#history", DataTable).focus()
        self.query_one("#diary-status", Static).update(literal(f"{plural(entries, 'entry', 'entries')} · the rest coming…"))

    def _failed(self, error: Exception) -> None:
        self._loaded = True  # not again on every poll: only when the file changes
        self._signature = self._current_signature()
        if not self._cramps and self._shown:  # a first page from the head, and the rest could not be read:
            self._shown = []  # show nothing rather than entries that filters, stats and keys cannot see
            self._fill_table()
        self.query_one("#diary-status", Static).update(
            Content.assemble(("The diary cannot be read: ", "bold"), literal(plain_reason(error)))
        )

    def _show_loaded(self, cramps: list[Cramp], nights: dict[date, Night], signature: tuple[int, ...] | None) -> None:
        self._cramps = cramps
        self._nights = nights
        self._recorded = (None, False)
        self._signature = signature
        first = not self._loaded
        self._loaded = True
        self._apply_filters()
        if first and self.focused is None:
            self.query_one("#history", DataTable).focus()

    def _current_signature(self) -> tuple[int, ...] | None:
        return diary_signature(self.cc.services)

    def on_screen_resume(self) -> None:
        if self._loaded:  # back from home or a dialog: what changed meanwhile shows now, not at the next look
            self._check_for_changes()

    def _check_for_changes(self) -> None:
        """Pick up entries written by another window or by `cramp-coach log`."""
        self.refresh_bindings()  # the morning key comes and goes with the clock
        self._show_morning_button()
        if self._loaded and self._morning_offer() != self._offered:  # noon came (or 05:00): say so
            self._show_status()
        if self._loaded and self._current_signature() != self._signature:
            self.load(quiet=True)

    # -- filters and the table ----------------------------------------------------------------------
    def _filter_values(self) -> tuple[dict, list[str]]:
        problems: list[str] = []
        days: dict[str, date | None] = {}
        if self._filter_bar() is None:
            return {"start": None, "end": None, "leg": None, "muscle": None, "text": ""}, problems
        for key, selector in (("start", "#filter-from"), ("end", "#filter-to")):
            text = self.query_one(selector, Input).value.strip()
            days[key] = None
            if text:
                try:
                    days[key] = parse_day(text, "from" if key == "start" else "to")
                except ValidationError as error:
                    problems.append(str(error))
                except Exception:  # noqa: BLE001 - whatever is typed, the filter only says it cannot use it
                    problems.append(f"{'from' if key == 'start' else 'to'}: must be a date like 2026-11-25")
        from textual.widgets import Select  # built with the filter bar, on first use

        leg = self.query_one("#filter-leg", Select).value
        muscle = self.query_one("#filter-muscle", Select).value
        return (
            {
                **days,
                "leg": leg if isinstance(leg, str) else None,
                "muscle": muscle if isinstance(muscle, str) else None,
                "text": self.query_one("#filter-text", Input).value,
            },
            problems,
        )

    def _apply_filters(self) -> None:
        from cramp_coach.core.stats import filter_cramps  # (loaded with the diary, not before the first frame)

        values, problems = self._filter_values()
        self._shown = filter_cramps(self._cramps, **values)
        self._fill_table()
        self._filter_problems = problems
        self._show_status()

    def _show_status(self) -> None:
        """The status line: the morning's offer, the counts, more rows, undo, filter problems."""
        problems = self._filter_problems
        self._offered = self._morning_offer()
        status = self._offered + self._count_text()
        if len(self._shown) > self._limit:
            status += f" · showing the newest {self._limit} (m for more)"
        if self._undo is not None:
            status += " · u to undo the delete"
        if len(self._shown) != len(self._cramps) and self._cramps:  # a filter is on (perhaps from before)
            status += " · x clears the filter"
        if self._shown and len(self.query_one(HistoryTable).columns) < len(COLUMNS):
            status += " · enter: details"  # a column had no room
        shown = literal(status)
        if problems:
            # The problems quote what was typed: shown as written, never read as markup.
            shown = Content.assemble(("Filter ignored: ", "bold"), literal("; ".join(problems) + " · " + status))
        self.query_one("#diary-status", Static).update(shown)

    def _morning_offer(self) -> str:
        """In the morning, when last night is not in the diary at all: the key that keeps it as a night
        with no cramps (said here rather than in the footer, which has no room for it at 60 columns)."""
        now = self.cc.services.wall_clock()
        if not is_morning(now) or self._nights is None:
            return ""
        last = last_night(now)
        if self._recorded[0] != last:  # looked at every poll: the entries once per read (a read resets it)
            self._recorded = (last, last in self._nights or any(cramp.night == last for cramp in self._cramps))
        return "" if self._recorded[1] else "No cramps last night? Press 0 · "

    def _count_text(self) -> str:
        """``3 of 8 entries`` (or ``8 cramps``), with the not-a-cramp entries named apart."""
        entries = len(self._cramps)
        if not entries:
            return "No cramps in the diary yet: a adds one by hand, and after a relief run enter saves it."
        apart = sum(1 for cramp in self._cramps if not cramp.is_cramp)
        shown = f"{len(self._shown)} of " if len(self._shown) != entries else ""
        if not apart:
            return shown + plural(entries, "cramp")
        return shown + f"{plural(entries, 'entry', 'entries')}: {plural(entries - apart, 'cramp')}, {apart} {NOT_A_CRAMP}"

    def _fill_table(self) -> None:
        table = self.query_one("#history", DataTable)
        current, row = self._current_id(), table.cursor_row
        table.clear()
        title = self.cc.services.step_title
        labels = {str(column.label) for column in table.columns.values()}
        shown = [index for index, (label, _) in enumerate(COLUMNS) if label in labels]
        for cramp in self._shown[: self._limit]:
            cells = (
                cell(cramp.started_at.strftime("%Y-%m-%d")),
                cell(cramp.started_at.strftime("%H:%M")),
                cell(cramp.leg or "—"),
                cell(cramp.muscle) if cramp.is_cramp else Text(NOT_A_CRAMP, style="italic"),
                cell("—" if cramp.intensity is None else str(cramp.intensity)),
                cell(duration_text(cramp.duration_s) or "—"),
                cell(title(cramp.ended_by) or "—", cut="ellipsis"),
            )
            table.add_row(*(cells[index] for index in shown), key=cramp.id)
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current))
        elif current is not None and table.row_count:  # it was deleted (or filtered out): the one below it
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("filter-"):
            self._limit = PAGE_ROWS
            self._apply_filters()

    def on_select_changed(self, event) -> None:
        if event.select.id and event.select.id.startswith("filter-"):
            self._limit = PAGE_ROWS
            self._apply_filters()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#history", DataTable).focus()

    def _current_id(self) -> str | None:
        table = self.query_one("#history", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def _current(self) -> Cramp | None:
        cramp_id = self._current_id()
        return next((c for c in self._shown if c.id == cramp_id), None)

    # -- actions ---------------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from cramp_coach.screens.entry_forms import CrampDetailScreen

        cramp = self._current()
        if cramp is None:
            return

        def chosen(choice: str | None) -> None:
            if choice == "edit":
                self.action_edit()
            elif choice == "delete":
                self.action_delete()

        self.app.push_screen(CrampDetailScreen(cramp), chosen)

    def action_add(self) -> None:
        """Add a cramp by hand."""
        from cramp_coach.screens.entry_forms import CrampFormScreen

        now = self.cc.services.wall_clock()
        def added(cramp: Cramp) -> None:
            self._write("add", cramp)

        self.app.push_screen(CrampFormScreen(now=now), on_result(added))

    def action_edit(self) -> None:
        """Edit the selected cramp."""
        cramp = self._current()
        if cramp is not None:
            self._edit(cramp, cramp)

    def _edit(self, shown: Cramp, expected: Cramp | None) -> None:
        """The edit form showing ``shown``; saving replaces ``expected`` (what the diary held when it
        opened), or adds it again when ``expected`` is None (it was deleted elsewhere)."""
        from cramp_coach.screens.entry_forms import CrampFormScreen

        kind = "update" if expected is not None else "add"
        def edited(cramp: Cramp) -> None:
            self._write(kind, cramp, expected=expected)

        self.app.push_screen(CrampFormScreen(shown), on_result(edited))

    def action_delete(self) -> None:
        """Delete the selected cramp, after asking."""
        from cramp_coach.screens.dialogs import ConfirmScreen

        cramp = self._current()
        if cramp is None:
            return
        question = f"Delete the cramp of {cramp.started_at.strftime('%a %d %b %Y, %H:%M')}?\nYou can undo it right after with u."
        self.app.push_screen(ConfirmScreen(question, yes="Delete"), on_result(lambda yes: self._write("delete", cramp)))

    def action_undo(self) -> None:
        """Put back the cramp deleted last."""
        if self._undo is not None:
            cramp, self._undo = self._undo, None
            self._write("restore", cramp)

    def action_night(self) -> None:
        """Record how the selected cramp's night (or last night) went (read off the UI thread)."""
        from cramp_coach.core.models import NIGHT_TURNS_AT_HOUR, night_of
        from cramp_coach.screens.entry_forms import NightFormScreen

        cramp = self._current()
        # Nothing selected: the night most recently begun, never tonight before it starts.
        night = cramp.night if cramp else night_of(self.cc.services.wall_clock() - timedelta(hours=NIGHT_TURNS_AT_HOUR))

        def opened(record: Night) -> None:
            self.app.push_screen(NightFormScreen(record), on_result(self._write_night))

        if self._nights is not None and self._current_signature() == self._signature:  # read, and unchanged since
            opened(self._nights.get(night) or Night(night=night))  # at once: keys typed right after n go to the form
            return
        self.cc.keys_wait_for_a_screen()  # the form opens once the night is read: keys typed meanwhile are for it
        self.cc.diary_job(DiaryJob(run=lambda: self.cc.services.diary().night(night), done=opened, write=False, what="that night"))

    def action_stats(self) -> None:
        """Show the diary's statistics."""
        from cramp_coach.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self._cramps if self._loaded else None))

    def action_insights(self) -> None:
        """Streaks, adherence, the calendar and what seems to help you."""
        from cramp_coach.screens.insights import InsightsScreen

        self.app.push_screen(InsightsScreen())

    def action_no_cramps(self) -> None:
        """In the morning: keep last night in the diary as a night with no cramps."""
        from cramp_coach.screens.checklist import record_no_cramps

        record_no_cramps(self, self.load)

    def action_no_cramps_not_now(self) -> None:
        """0 outside the morning: when it works, and the night form for any night."""
        explain_no_cramps_not_now(self, "For any night, n opens the night form.")

    async def action_filter(self) -> None:
        """Open the filters (date range, leg, muscle, text) with the text box ready for typing: what
        is typed straight after / goes in it."""
        await self._open_filter_bar()
        self.query_one("#filter-text", Input).focus()

    async def action_clear_filters(self) -> None:
        """Close the filters and show everything again."""
        bar = self._filter_bar()
        if bar is not None:
            await bar.remove()
        self.query_one("#history", DataTable).focus()
        self._apply_filters()

    def action_more(self) -> None:
        """Show more rows."""
        self._limit += PAGE_ROWS
        self._apply_filters()

    def action_back(self) -> None:
        """Leave the filters, or go home."""
        if self.focused is not None and self.focused is not self.query_one("#history"):
            self.query_one("#history", DataTable).focus()
        else:
            self.app.switch_mode("home")

    # -- writes (off the event loop, through the app's one safe path) ---------------------------------
    MESSAGES = {
        "add": "Cramp added", "update": "Changes saved", "restore": "Cramp restored", "delete": "Cramp deleted: u to undo",
        "readd": "Your version saved",
    }
    WHAT = {
        "add": "the cramp you added", "update": "your changes to this cramp", "restore": "the cramp you put back",
        "delete": "deleting this cramp", "readd": "your version of this cramp",
    }

    def _write(self, kind: str, cramp: Cramp, expected: Cramp | None = None) -> None:
        diary = self.cc.services.diary

        def write():
            if kind in ("add", "restore"):
                return diary().add_cramp(cramp)
            if kind == "readd":  # deleted elsewhere, and kept: refused if it has come back meanwhile
                return diary().readd_cramp(cramp)
            if kind == "update":
                return diary().update_cramp(cramp, expected=expected) if expected is not None else diary().update_cramp(cramp)
            return diary().delete_cramp(cramp.id)

        self.cc.diary_job(
            DiaryJob(
                run=write,
                done=lambda _: self._written(kind, cramp, self.MESSAGES[kind]),
                what=self.WHAT[kind],
                pending=None if kind == "delete" else cramp,
                conflict=lambda error: self._conflict(cramp, error),
                failed=lambda _: self.load(),
            )
        )

    def _conflict(self, mine: Cramp, error: Exception) -> None:
        """The cramp changed elsewhere since the form opened: keep mine, use theirs, or back to the form."""
        from cramp_coach.screens.save_problem import EditConflictScreen

        current = getattr(error, "current", None)

        def chosen(choice: str | None) -> None:
            if choice == "mine":
                self._write("readd" if current is None else "update", mine, expected=current)
            elif choice == "theirs":
                self.notify("Kept the version saved elsewhere; your changes were dropped.", timeout=5)
                self.load()
            else:
                self._edit(mine, current)  # back to the form with your changes; saving replaces theirs

        self.app.push_screen(EditConflictScreen(deleted=current is None), chosen)

    def _written(self, kind: str, cramp: Cramp, message: str) -> None:
        self._undo = cramp if kind == "delete" else None
        self.notify(message, timeout=5)
        self.load()

    def _write_night(self, night: Night) -> None:
        self.cc.diary_job(
            DiaryJob(
                run=lambda: self.cc.services.diary().save_night(night),
                done=lambda _: self.notify(f"Night of {night.night} saved", timeout=4),
                what=f"the night of {night.night}",
                pending=night,
            )
        )
