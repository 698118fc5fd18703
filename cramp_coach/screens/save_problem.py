"""When a save fails: say what happened in plain words, keep the entry, and offer a way out.

``SaveProblemScreen`` dismisses with "retry" (try the same save again), "copied" (the entry was
written to a file of the person's choosing, to bring back with ``cramp-coach import``), "moved" (an
unreadable diary was moved aside; the save is tried again into a fresh one) or "lost" (the person
chose to give up, after being asked). ``EditConflictScreen`` asks what to do when the cramp being
edited changed elsewhere since the form opened.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cramp_coach.core.models import Cramp, Night
from cramp_coach.core.storage import CorruptFileError, LockTimeoutError
from cramp_coach.screens.diary_writes import plain_reason, problem_path
from cramp_coach.widgets.safe import literal, plain

COPY_MODE = 0o600


def default_copy_path(now: datetime | None = None) -> Path:
    """Where a copy goes unless the person names another file."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path.home() / f"cramp-coach-unsaved-{stamp}.json"


def write_copy(entry: Cramp | Night, where: str) -> Path:
    """Write ``entry`` as a cramp-coach JSON export to a new file (0600, never over an existing one).

    Raises ``ValueError`` with a plain message when the file cannot be written.
    """
    from cramp_coach.core.export import to_json

    if not where.strip():
        raise ValueError("name a file to write the copy to")
    path = Path(os.path.expanduser(where.strip()))
    text = to_json([entry], []) if isinstance(entry, Cramp) else to_json([], [entry])
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, COPY_MODE)
    except FileExistsError:
        raise ValueError(f"{plain(path)} already exists; name another file") from None
    except OSError as error:
        raise ValueError(f"{plain(path)}: {plain_reason(error)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        try:
            path.unlink()
        except OSError:
            pass
        raise ValueError(f"{plain(path)}: {plain_reason(error)}") from None
    return path


def advice_for(error: BaseException) -> str:
    """What the person can do before pressing r."""
    reason = plain_reason(error)
    if isinstance(error, LockTimeoutError):
        return "Wait a moment (or close the other cramp-coach), then press r."
    if isinstance(error, CorruptFileError):
        return "m moves the unreadable file aside (it is kept) and saves into a fresh diary."
    if "full" in reason or "quota" in reason:
        return "Free some space on the disk, then press r."
    if "permission" in reason or "read-only" in reason:
        return "Check that you can write to the data folder, then press r."
    return "When the problem is fixed, press r."


class SaveProblemScreen(ModalScreen[str]):
    """A save failed: the entry is still here; retry, save a copy elsewhere, or give up."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("r", "retry", "try again"),
        Binding("c", "copy", "save a copy elsewhere"),
        Binding("m", "move_aside", "move the file aside", show=False),
        Binding("escape", "give_up", "give up"),
    ]

    def __init__(self, error: BaseException, what: str, pending: Cramp | Night | None = None) -> None:
        super().__init__()
        self.error = error
        self.what = what
        self.pending = pending

    def compose(self) -> ComposeResult:
        path = problem_path(self.error)
        kept = "It is still here, not lost." if self.pending is not None else "Nothing else was changed."
        with Vertical(classes="dialog", id="save-problem"):
            yield Static(
                Content.assemble(
                    (f"Not saved yet: {self.what}.", "bold"),
                    "\n",
                    literal(f"The diary could not be written: {plain_reason(self.error)}."),
                    "\n",
                    literal(path) if path else "",
                    "\n" if path else "",
                    f"{kept} {advice_for(self.error)}",
                ),
                classes="dialog-text",
                id="save-problem-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Try again  r", id="retry", variant="primary")
                if self.pending is not None:
                    yield Button("Save a copy  c", id="copy")
                if isinstance(self.error, CorruptFileError):
                    yield Button("Move aside  m", id="move-aside", variant="warning")
                yield Button("Give up  esc", id="give-up")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"retry": self.action_retry, "copy": self.action_copy, "move-aside": self.action_move_aside}
        actions.get(event.button.id or "", self.action_give_up)()

    def action_retry(self) -> None:
        """Try the same save again."""
        self.dismiss("retry")

    def action_copy(self) -> None:
        """Write the entry to a file of the person's choosing, as a cramp-coach export."""
        from cramp_coach.screens.dialogs import TextPromptScreen

        if self.pending is None:
            self.notify("There is no entry to copy: only r or escape.", timeout=4)
            return
        entry = self.pending

        def written(where: str | None) -> None:
            if where:
                self.app.notify(
                    f"A copy is in {plain(where)}. `cramp-coach import {plain(where)}` brings it into the diary.",
                    title="Copy saved",
                    timeout=20,
                    markup=False,
                )
                self.dismiss("copied")

        self.app.push_screen(
            TextPromptScreen(
                "Save a copy of the entry in this file (a cramp-coach export, only you can read it):",
                value=str(default_copy_path()),
                check=lambda where: str(write_copy(entry, where)),
            ),
            written,
        )

    def action_move_aside(self) -> None:
        """Move an unreadable diary aside (kept) and try the save again in a fresh one."""
        from cramp_coach.core.diary import Diary

        if not isinstance(self.error, CorruptFileError):
            return
        try:
            moved = Diary.move_aside(self.error.path.parent)
        except OSError as error:
            self.notify(f"Could not move it: {plain_reason(error)}", severity="error", markup=False)
            return
        self.app.notify(f"Moved to {plain(moved.name)}; a fresh diary starts now.", timeout=10, markup=False)
        self.dismiss("retry")

    def action_give_up(self) -> None:
        """Give up on this save, after asking."""
        from cramp_coach.screens.dialogs import ConfirmScreen

        if self.pending is None:
            question = f"Give up? {self.what[0].upper()}{self.what[1:]} will not be saved."
        else:
            question = "Give up? This entry will be lost: it is not in the diary and not copied anywhere."
        self.app.push_screen(ConfirmScreen(question, yes="Give up", no="Go back"), lambda yes: yes and self.dismiss("lost"))


class EditConflictScreen(ModalScreen[str]):
    """The cramp changed elsewhere since the form opened: keep mine, use theirs, or go back."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("k", "choose('mine')", "keep mine"),
        Binding("t", "choose('theirs')", "use theirs"),
        Binding("escape", "choose('back')", "back to the form"),
    ]

    def __init__(self, deleted: bool = False) -> None:
        super().__init__()
        self.deleted = deleted

    def compose(self) -> ComposeResult:
        if self.deleted:
            text = "This cramp was deleted elsewhere since you opened it.\nk saves yours again; t leaves it deleted."
        else:
            text = "This cramp was changed elsewhere since you opened it.\nk saves yours over it; t shows theirs and drops your changes."
        with Vertical(classes="dialog", id="edit-conflict"):
            yield Static(text, classes="dialog-text", id="edit-conflict-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep mine  k", id="mine", variant="warning")
                yield Button("Use theirs  t", id="theirs")
                yield Button("Back  esc", id="back")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "back")

    def action_choose(self, choice: str) -> None:
        """Close with the choice."""
        self.dismiss(choice)
