"""Changing the checklist: add your own items, rename, hide, reorder, or go back to the defaults."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cramp_coach.core import checklist as lists
from cramp_coach.core.checklist import ChecklistItem
from cramp_coach.screens.base import CoachScreen, on_result
from cramp_coach.screens.diary_writes import DiaryJob, plain_reason
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.keyline import TapButton, fit_to_size, tap_row
from cramp_coach.widgets.safe import line, literal


class ChecklistEditScreen(CoachScreen[None]):
    """Every item, hidden ones too; each change is saved at once."""

    CSS_PATH = "checklist.tcss"
    # The footer shows the first ones that fit (esc first); every one is in the command palette.
    BINDINGS = [
        Binding("escape", "done", "done"),
        Binding("a", "add", "add"),
        Binding("r", "rename", "rename"),
        Binding("h", "hide", "hide"),  # (or show: a hidden item says "hidden")
        Binding("shift+up,K", "move(-1)", "up", key_display="K"),
        Binding("shift+down,J", "move(1)", "down", key_display="J"),
        Binding("R", "restore", "restore defaults", show=False),  # rare: in the palette (and a button on a phone)
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[ChecklistItem] = []

    def compose(self) -> ComposeResult:
        yield Static("[b]Edit the checklist[/b] · your changes are kept; ticks already made stay", id="checklist-head")
        yield OptionList(id="edit-items")
        with Vertical(id="edit-taps"):  # on a narrow screen (a phone), in place of the footer
            yield tap_row(
                TapButton("add", "add", id="tap-add"), TapButton("rename", "rename", id="tap-rename"),
                TapButton("hide/show", "hide", id="tap-hide"), id="tap-changes",
            )
            yield tap_row(
                TapButton("▲ up", "move(-1)", id="tap-up"), TapButton("▼ down", "move(1)", id="tap-down"),
                TapButton("defaults", "restore", id="tap-restore"), TapButton("done", "done", id="tap-done"), id="tap-order",
            )
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.load()

    def on_resize(self) -> None:
        fit_to_size(self)

    def load(self) -> None:
        """Read every item (off the UI thread)."""
        self.cc.diary_job(
            DiaryJob(run=lambda: self.cc.services.checklist().items(), done=self._loaded, write=False, what="the checklist", failed=self._failed)
        )

    def _loaded(self, items: list[ChecklistItem], keep: str | None = None) -> None:
        self.items = items
        self._show(keep)

    def _failed(self, error: Exception) -> None:
        self.query_one("#checklist-head", Static).update(
            Content.assemble(("Edit the checklist", "bold"), " · the diary cannot be read: ", literal(plain_reason(error)))
        )

    def _show(self, keep: str | None = None) -> None:
        options = self.query_one(OptionList)
        current = keep or self._current_id()
        options.clear_options()
        for item in self.items:
            notes = [note for note, applies in (("hidden", item.hidden), ("yours", item.custom)) if applies]
            marks = f" ({', '.join(notes)})" if notes else ""
            options.add_option(Option(Content.assemble(line(item.title), (marks, "dim")), id=item.id))
        ids = [item.id for item in self.items]
        if ids:
            options.highlighted = ids.index(current) if current in ids else 0

    def _current_id(self) -> str | None:
        options = self.query_one(OptionList)
        index = options.highlighted
        return self.items[index].id if index is not None and 0 <= index < len(self.items) else None

    def _save(self, items: list[ChecklistItem], keep: str | None = None) -> None:
        """Save the changed list (off the UI thread); the screen shows it once it is saved."""
        self.cc.diary_job(
            DiaryJob(
                run=lambda: self.cc.services.checklist().save(items),
                done=lambda _: self._loaded(items, keep),
                what="your change to the checklist",
            )
        )

    def action_add(self) -> None:
        """Add an item of your own."""
        from cramp_coach.screens.dialogs import TextPromptScreen

        def added(title: str | None) -> None:
            if title:
                items = lists.add_item(self.items, title)
                self._save(items, keep=items[-1].id)

        self.app.push_screen(TextPromptScreen("A new item for your checklist:", check=lists.check_title, max_length=lists.MAX_TITLE), added)

    def action_rename(self) -> None:
        """Rename the highlighted item."""
        from cramp_coach.screens.dialogs import TextPromptScreen

        item_id = self._current_id()
        if item_id is None:
            return
        title = next(item.title for item in self.items if item.id == item_id)
        self.app.push_screen(
            TextPromptScreen("New name:", value=title, check=lists.check_title, max_length=lists.MAX_TITLE),
            on_result(lambda new: self._save(lists.rename_item(self.items, item_id, str(new)), keep=item_id)),
        )

    def action_hide(self) -> None:
        """Hide the highlighted item from the list (or show it again)."""
        item_id = self._current_id()
        if item_id is not None:
            self._save(lists.toggle_hidden(self.items, item_id), keep=item_id)

    def action_move(self, delta: int) -> None:
        """Move the highlighted item up or down."""
        item_id = self._current_id()
        if item_id is not None:
            self._save(lists.move_item(self.items, item_id, delta), keep=item_id)

    def action_restore(self) -> None:
        """Go back to the bundled list, after asking."""
        from cramp_coach.screens.dialogs import ConfirmScreen

        def restore() -> list[ChecklistItem]:
            book = self.cc.services.checklist()
            book.restore_defaults()
            return book.items()

        def answered(yes: bool | None) -> None:
            if yes:
                self.cc.diary_job(DiaryJob(run=restore, done=self._loaded, what="restoring the default checklist"))

        self.app.push_screen(ConfirmScreen("Restore the default checklist? Your own items and names go.", yes="Restore"), answered)

    def action_done(self) -> None:
        """Back to the checklist."""
        self.dismiss(None)
