"""Bedtime: tonight's prevention checklist. Ticks are saved at once; stretch items run a timer.

Nights are named plainly ("tonight", "last night", "Mon 23 Nov"; see ``core.nights``), a past night
shows the list it had then, and in the morning one key keeps last night as a night with no cramps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cramp_coach.core.checklist import ChecklistItem
from cramp_coach.core.formatting import clock_text
from cramp_coach.core.nights import is_morning, last_night, night_name
from cramp_coach.core.record import record
from cramp_coach.screens.base import CoachScreen
from cramp_coach.screens.diary import POLL_SECONDS, diary_signature, plural
from cramp_coach.screens.diary_writes import DiaryJob, plain_reason
from cramp_coach.screens.keys import NO_CRAMPS_BINDINGS, explain_no_cramps_not_now, no_cramps_key_allowed
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.hanging import Hanging
from cramp_coach.widgets.keyline import TapButton, fit_to_size, tap_row
from cramp_coach.widgets.safe import line, literal


@record
class NightView:
    """One night of the checklist as the diary holds it (read in one go)."""

    items: list[ChecklistItem]  # that night's list
    ticked: set[str]
    streak: int
    last_night_recorded: bool  # a tick, an entry or a night record for last night


def read_night(services, night: date) -> NightView:
    """That night's list and ticks, the streak and whether last night is recorded, from one read of
    the diary (runs in a worker thread)."""
    from cramp_coach.core import habits
    from cramp_coach.core.checklist import HISTORY_SETTING, ITEMS_SETTING, apply_changes, parse_history

    book = services.checklist()
    snapshot = book.diary.snapshot()
    every = apply_changes(book.defaults, snapshot.kept_value(ITEMS_SETTING, []))
    current = [item.id for item in every if not item.hidden]
    history = parse_history(snapshot.kept_value(HISTORY_SETTING, []))
    by_id = {item.id: item for item in every}

    def list_of(on: date) -> tuple[str, ...]:
        return habits.items_on(on, history, current)

    ticks = snapshot.ticks_by_night()
    tonight = services.tonight()
    record = snapshot.nights.get(night)
    last = tonight - timedelta(days=1)
    return NightView(
        items=[by_id[item_id] for item_id in list_of(night) if item_id in by_id],
        ticked=set(record.ticks) if record else set(),
        streak=habits.streak(habits.done_nights(ticks, list_of), tonight),
        last_night_recorded=last in snapshot.nights or any(cramp.night == last for cramp in snapshot.cramps),
    )


def record_no_cramps(screen, after: Callable[[], None]) -> None:
    """Keep last night in the diary as a night with no cramps (its record is saved as it is, ticks
    and all), unless the diary holds cramps for it; ``after`` runs once it is saved."""
    services = screen.cc.services
    night = last_night(services.wall_clock())

    def save() -> int:
        diary = services.diary()
        found = sum(1 for cramp in diary.cramps(newest_first=False) if cramp.night == night and cramp.is_cramp)
        if not found:
            diary.save_night(diary.night(night))
        return found

    def saved(found: int) -> None:
        if found:
            screen.notify(f"Last night already has {plural(found, 'cramp')} in the diary: nothing changed.", timeout=5)
        else:
            screen.notify(f"Saved: no cramps last night ({night.strftime('%a %d %b')}).", timeout=5)
        after()

    screen.cc.diary_job(DiaryJob(run=save, done=saved, what=f"last night ({night.isoformat()}) with no cramps"))


def night_label(night: date, now: datetime) -> str:
    """``tonight (Wed 25 Nov)``, ``last night (Tue 24 Nov)``, or ``Mon 23 Nov``."""
    name, day = night_name(night, now), night.strftime("%a %d %b")
    return day if name == day else f"{name} ({day})"


def item_prompt(item: ChecklistItem, ticked: bool, narrow: bool = False) -> Hanging:
    """One line of the list: the box, the title (as written), and the timer for a stretch (on a
    narrow screen without the key: a button starts it). A title too long for the line wraps under
    itself, clear of the box."""
    box = Content.assemble(("[x]", "bold"), " ") if ticked else Content("[ ] ")
    how = "" if narrow else ", enter starts it"
    timer = (f"· {clock_text(item.stretch.total_seconds)} timer{how}", "dim") if item.stretch else ""
    return Hanging([(box, Content.assemble(line(item.title), " " if timer else "", timer))])


class ChecklistScreen(CoachScreen[None]):
    """Tonight's list (or a past night's, to correct it)."""

    CSS_PATH = "checklist.tcss"
    # The footer shows the first ones that fit; every one is in the command palette.
    BINDINGS = [
        Binding("escape", "app.switch_mode('home')", "home"),
        Binding("space", "tick", "tick"),
        Binding("i", "insights", "insights"),
        *NO_CRAMPS_BINDINGS,
        Binding("e", "edit", "edit"),
        Binding("left_square_bracket", "night(-1)", "night before", show=False),  # in the palette; the head names the night
        Binding("right_square_bracket", "night(1)", "night after", show=False),
        Binding("t", "timer", "stretch timer", show=False),  # enter on a stretch starts it too
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tonight: date | None = None
        self.night: date | None = None
        self.items: list[ChecklistItem] = []
        self.ticked: set[str] = set()
        self.last_night_recorded = True
        self._streak_text = ""
        self._shown_once = False  # keys typed before the first read wait for it
        self._signature: tuple[int, ...] | None = None  # the diary's, as of the last read
        self._writes = 0  # ticks on their way to the file

    def compose(self) -> ComposeResult:
        yield Static("", id="checklist-head")
        yield OptionList(id="checklist-items")
        with VerticalScroll(id="item-detail-box"):  # Tab moves into it: arrows scroll a long advice
            yield Static("", id="item-detail")
        with Vertical(id="checklist-taps"):  # on a narrow screen (a phone), in place of the footer
            yield tap_row(
                TapButton("tick", "tick", id="tap-tick"),
                TapButton("start timer", "timer", id="tap-timer"),
                TapButton("no cramps", "no_cramps", id="tap-no-cramps"),
                TapButton("home", "app.switch_mode('home')", id="tap-home"),
                id="tap-items",
            )
            yield tap_row(
                TapButton("◀ night", "night(-1)", id="tap-night-before"),
                TapButton("night ▶", "night(1)", id="tap-night-after"),
                TapButton("edit", "edit", id="tap-edit"),
                TapButton("insights", "insights", id="tap-insights"),
                id="tap-more",
            )
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.tonight = self.cc.services.tonight()
        self.night = self.tonight
        self.load()
        self.set_interval(60, self._look_at_the_clock)  # the morning key comes and goes with the clock
        self.set_interval(POLL_SECONDS, self._check_for_changes)

    def _check_for_changes(self) -> None:
        """Pick up ticks made elsewhere (`cramp-coach checklist --done`, another window); not while
        a tick of ours is on its way to the file (its own read follows it)."""
        if self._shown_once and not self._writes and diary_signature(self.cc.services) != self._signature:
            self.load(quiet=True)  # (a failure shows in the head, with no dialog over whatever is in front)

    def on_screen_resume(self) -> None:
        if self._shown_once:  # back from the editor, a timer or another part: what changed shows now
            self._check_for_changes()

    def _look_at_the_clock(self) -> None:
        self.refresh_bindings()
        self.query_one("#tap-no-cramps").display = is_morning(self.cc.services.wall_clock())

    def on_resize(self) -> None:
        was_narrow = self.has_class("narrow")
        if fit_to_size(self) != was_narrow:
            self._show_prompts()
        self.query_one("#tap-no-cramps").display = is_morning(self.cc.services.wall_clock())
        if self._shown_once and self.night is not None and self.tonight is not None:
            self._show_head()  # (the streak moves to a line of its own on a narrow screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The "no cramps last night" key is offered in the morning only (at other times it says so)."""
        allowed = no_cramps_key_allowed(action, self.cc.services.wall_clock())
        return True if allowed is None else allowed

    # -- loading -----------------------------------------------------------------------------------
    def load(self, quiet: bool = False) -> None:
        """Read the items, this night's ticks and the streak (off the event loop); ``quiet``: a
        failure is said in the head only."""
        night, services = self.night, self.cc.services
        assert night is not None

        def read() -> tuple[tuple[int, ...] | None, NightView]:
            return diary_signature(services), read_night(services, night)  # (the signature first: a change after it shows next time)

        def show(read: tuple[tuple[int, ...] | None, NightView]) -> None:
            self._signature = read[0]
            self._show(read[1])

        self.cc.diary_job(DiaryJob(run=read, done=show, write=False, what="the checklist", failed=self._failed, quiet=quiet))

    def _failed(self, error: Exception) -> None:
        self._shown_once = True
        self._signature = diary_signature(self.cc.services)  # read again when it changes, not at every look
        self.query_one("#checklist-head", Static).update(
            Content.assemble(("Bedtime checklist", "bold"), " · the diary cannot be read: ", literal(plain_reason(error)))
        )

    def ready_for_keys(self) -> bool:
        """Keys typed while the list is read wait for it (space, arrows and Tab act on its items)."""
        return self._shown_once

    def _show(self, view: NightView) -> None:
        self._shown_once = True
        items = view.items
        self.items, self.ticked, self.last_night_recorded = items, view.ticked, view.last_night_recorded
        self._streak_text = f"streak {plural(view.streak, 'night')}"
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        narrow = self.has_class("narrow")
        options.add_options([Option(item_prompt(item, item.id in self.ticked, narrow), id=item.id) for item in items])
        if items:
            options.highlighted = min(highlighted or 0, len(items) - 1)
        self._show_head()
        self._show_detail()

    def _show_prompts(self) -> None:
        """Every item's line again (the narrow ones leave out the key)."""
        options = self.query_one(OptionList)
        for item in self.items:
            options.replace_option_prompt(item.id, item_prompt(item, item.id in self.ticked, self.has_class("narrow")))

    def _show_head(self) -> None:
        assert self.night is not None and self.tonight is not None
        now = self.cc.services.wall_clock()
        done = sum(1 for item in self.items if item.id in self.ticked)
        line = f", {night_label(self.night, now)} · {done} of {len(self.items)} done"
        room = (self.query_one("#checklist-head", Static).content_region.width or self.size.width) - len("Bedtime checklist")
        # The streak on a line of its own when the line is too short for it: never a "·" left at the end.
        streak = f" · {self._streak_text}" if len(line) + 3 + len(self._streak_text) <= room else f"\n{self._streak_text}"
        head = Content.assemble(("Bedtime checklist", "bold"), line + streak)
        if is_morning(now) and not self.last_night_recorded:
            head = Content.assemble(head, "\n", ("Morning:", "bold"), " no cramps last night? Press 0 to keep that.")
        self.query_one("#checklist-head", Static).update(head)

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
            self.action_tick()

    # -- actions --------------------------------------------------------------------------------------
    def _set(self, item: ChecklistItem, done: bool) -> None:
        """Show the tick at once, and save it at once (in a thread)."""
        if done:
            self.ticked.add(item.id)
        else:
            self.ticked.discard(item.id)
        options = self.query_one(OptionList)
        options.replace_option_prompt(item.id, item_prompt(item, done, self.has_class("narrow")))
        self._show_head()
        assert self.night is not None
        self._save_tick(self.night, item.id, done)

    def _save_tick(self, night: date, item_id: str, done: bool) -> None:
        def saved(_: object) -> None:
            self._writes -= 1
            self.load()  # the streak may have changed

        def undo_on_screen(_: Exception) -> None:
            self._writes -= 1
            self.load()  # the tick was not saved: show what the diary holds

        self._writes += 1
        self.cc.diary_job(
            DiaryJob(
                run=lambda: self.cc.services.checklist().tick(night, item_id, done),
                done=saved,
                what=f"the {'tick' if done else 'untick'} of this item",
                failed=undo_on_screen,
            )
        )

    def action_tick(self) -> None:
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
        def stretch_ended(finished: bool | None) -> None:
            if finished:
                self._set(item, True)

        self.app.push_screen(StretchScreen(item), stretch_ended)

    def action_no_cramps(self) -> None:
        """In the morning: keep last night in the diary as a night with no cramps."""
        record_no_cramps(self, self.load)

    def action_no_cramps_not_now(self) -> None:
        """0 outside the morning: when it works, and the diary's night form for any night."""
        explain_no_cramps_not_now(self, "For any night, use the night form in the diary (F3, then n).")

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
