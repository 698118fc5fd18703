"""Bedtime: tonight's prevention checklist. Ticks are saved at once; stretch items run a timer."""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from cramp_coach.core.checklist import ChecklistItem
from cramp_coach.core.formatting import clock_text
from cramp_coach.core.habits import done_nights, streak
from cramp_coach.core.models import night_of
from cramp_coach.screens.diary_writes import DiaryJob, plain_reason
from cramp_coach.widgets.safe import line, literal


def item_prompt(item: ChecklistItem, ticked: bool) -> Content:
    """One line of the list: the box, the title (as written), and the timer for a stretch."""
    box = ("[x]", "bold") if ticked else "[ ]"
    timer = (f"· {clock_text(item.stretch.total_seconds)} timer, enter starts it", "dim") if item.stretch else ""
    return Content.assemble(box, " ", line(item.title), "  " if timer else "", timer)


class ChecklistScreen(Screen[None]):
    """Tonight's list (or a past night's, to correct it)."""

    CSS_PATH = "checklist.tcss"
    BINDINGS = [
        Binding("space", "toggle", "tick"),
        Binding("t", "timer", "stretch timer"),
        Binding("left_square_bracket", "night(-1)", "night before"),
        Binding("right_square_bracket", "night(1)", "night after"),
        Binding("e", "edit", "edit list"),
        Binding("i", "insights", "insights"),
        Binding("escape", "app.switch_mode('home')", "home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tonight: date | None = None
        self.night: date | None = None
        self.items: list[ChecklistItem] = []
        self.ticked: set[str] = set()
        self._streak_text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="checklist-head")
        yield OptionList(id="checklist-items")
        yield Static("", id="item-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.tonight = night_of(self.app.services.wall_clock())
        self.night = self.tonight
        self.load()

    # -- loading -----------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the items, this night's ticks and the streak (off the event loop)."""
        night = self.night
        assert night is not None

        def read():
            book = self.app.services.checklist()
            items = book.visible()
            ticked = book.ticks(night)
            done = done_nights(book.diary.ticks_by_night(), [i.id for i in items])
            return items, ticked, done

        self.app.diary_job(DiaryJob(run=read, done=lambda loaded: self._show(*loaded), write=False, what="the checklist", failed=self._failed))

    def _failed(self, error: Exception) -> None:
        self.query_one("#checklist-head", Static).update(
            Content.assemble(("Bedtime checklist", "bold"), " · the diary cannot be read: ", literal(plain_reason(error)))
        )

    def _show(self, items: list[ChecklistItem], ticked: set[str], done: set[date]) -> None:
        self.items, self.ticked = items, ticked
        assert self.tonight is not None
        count = streak(done, self.tonight)
        self._streak_text = f"streak {count} night{'s' if count != 1 else ''}"
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(item_prompt(item, item.id in ticked), id=item.id) for item in items])
        if items:
            options.highlighted = min(highlighted or 0, len(items) - 1)
        self._show_head()
        self._show_detail()

    def _show_head(self) -> None:
        assert self.night is not None and self.tonight is not None
        which = "tonight" if self.night == self.tonight else "a past night"
        done = sum(1 for item in self.items if item.id in self.ticked)
        self.query_one("#checklist-head", Static).update(
            Content.assemble(
                ("Bedtime checklist", "bold"),
                f", {which} ({self.night.strftime('%a %d %b')}) · {done} of {len(self.items)} done · {self._streak_text}",
            )
        )

    def _show_detail(self) -> None:
        item = self._highlighted()
        if item is None:
            text = Content("Nothing on the list: press e to add or show items.")
        else:
            source = literal(f"\nSource: {item.source.title}", "dim") if item.source else ""
            text = Content.assemble(literal(item.detail or item.title), source)
        self.query_one("#item-detail", Static).update(text)

    def _highlighted(self) -> ChecklistItem | None:
        index = self.query_one(OptionList).highlighted
        return self.items[index] if index is not None and 0 <= index < len(self.items) else None

    def on_option_list_option_highlighted(self) -> None:
        self._show_detail()

    def on_option_list_option_selected(self) -> None:
        item = self._highlighted()
        if item is not None and item.stretch is not None and item.id not in self.ticked:
            self.action_timer()
        else:
            self.action_toggle()

    # -- actions --------------------------------------------------------------------------------------
    def _set(self, item: ChecklistItem, done: bool) -> None:
        """Show the tick at once, and save it at once (in a thread)."""
        if done:
            self.ticked.add(item.id)
        else:
            self.ticked.discard(item.id)
        options = self.query_one(OptionList)
        options.replace_option_prompt(item.id, item_prompt(item, done))
        self._show_head()
        self._save_tick(self.night, item.id, done)

    def _save_tick(self, night: date, item_id: str, done: bool) -> None:
        def undo_on_screen(_: Exception) -> None:
            self.load()  # the tick was not saved: show what the diary holds

        self.app.diary_job(
            DiaryJob(
                run=lambda: self.app.services.checklist().tick(night, item_id, done),
                done=lambda _: self.load(),  # the streak may have changed
                what=f"the {'tick' if done else 'untick'} of this item",
                failed=undo_on_screen,
            )
        )

    def action_toggle(self) -> None:
        """Tick or untick the highlighted item."""
        item = self._highlighted()
        if item is not None:
            self._set(item, item.id not in self.ticked)

    def action_timer(self) -> None:
        """Run the guided timer for the highlighted stretch; it ticks the item when it ends."""
        from cramp_coach.screens.stretch import StretchScreen

        item = self._highlighted()
        if item is None or item.stretch is None:
            self.notify("This item has no timer; space ticks it.", timeout=3)
            return
        self.app.push_screen(StretchScreen(item), lambda finished: finished and self._set(item, True))

    def action_night(self, delta: int) -> None:
        """Open the night before or after (not beyond tonight) to correct it."""
        assert self.night is not None and self.tonight is not None
        target = self.night + timedelta(days=delta)
        if target > self.tonight:
            self.notify("That night has not come yet.", timeout=2)
            return
        self.night = target
        self.load()

    def action_edit(self) -> None:
        """Add, rename, hide, reorder items, or restore the defaults."""
        from cramp_coach.screens.checklist_edit import ChecklistEditScreen

        self.app.push_screen(ChecklistEditScreen(), lambda _: self.load())

    def action_insights(self) -> None:
        """Streaks, adherence, the calendar and what seems to help you."""
        from cramp_coach.screens.insights import InsightsScreen

        self.app.push_screen(InsightsScreen())
