"""Small modal dialogs: yes/no confirmation, a choice of a few, and moving an unreadable diary aside."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from cramp_coach.core.diary import Diary
from cramp_coach.core.storage import StorageError
from cramp_coach.widgets.safe import literal, plain


class ConfirmScreen(ModalScreen[bool]):
    """Ask one yes/no question; y or enter for yes, n or escape for no."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "yes"),
        Binding("n,escape", "answer(False)", "no"),
    ]

    def __init__(self, question: str | Content, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question if isinstance(question, Content) else literal(question)
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label}  y", id="yes", variant="warning")
                yield Button(f"{self.no_label}  n", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Close with the answer."""
        self.dismiss(answer)


class ChoiceScreen(ModalScreen[str | None]):
    """Ask one question with a few answers, each with its own key; dismisses with the answer's value."""

    CSS_PATH = "dialogs.tcss"

    def __init__(self, question: str | Content, choices: list[tuple[str, str, str]]) -> None:
        """``choices``: (key, value, label) for each answer; the key ``escape`` is the way out."""
        super().__init__()
        self.question = question if isinstance(question, Content) else literal(question)
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                for key, value, label in self.choices:
                    shown = "esc" if key == "escape" else key
                    yield Button(f"{label}  {shown}", id=f"choice-{value}", variant="primary" if key != "escape" else "default")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-") or None)

    def on_key(self, event: events.Key) -> None:
        for key, value, _label in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return


class MoveAsideScreen(ModalScreen[bool]):
    """The diary file is not a diary: say so, and offer to move it aside and start fresh."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "move", "move aside"),
        Binding("n,escape", "keep", "leave it"),
    ]

    def __init__(self, error: StorageError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.assemble(
                    ("Your diary file cannot be read.", "bold"),
                    "\n",
                    literal(f"{self.error.path}\n{self.error.reason}."),
                    "\n\nIt has not been changed. cramp coach can move it aside (kept, under a new name with "
                    "today's date) and start a fresh diary.",
                ),
                classes="dialog-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Move aside, start fresh  y", id="move", variant="warning")
                yield Button("Leave it  n", id="keep")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "move":
            self.action_move()
        else:
            self.action_keep()

    def action_move(self) -> None:
        """Rename the unreadable file and start a fresh diary."""
        try:
            moved = Diary.move_aside(self.error.path.parent)
        except OSError as error:
            self.app.notify(f"Could not move it: {plain(error)}", severity="error", markup=False)
            self.dismiss(False)
            return
        self.app.notify(f"Moved to {plain(moved.name)}; a fresh diary starts now.", timeout=10, markup=False)
        self.dismiss(True)

    def action_keep(self) -> None:
        """Leave the file as it is."""
        self.dismiss(False)


class TextPromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; enter keeps it, escape cancels. ``check`` may refuse it with a reason."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(
        self, question: str | Content, value: str = "", check: Callable[[str], str] | None = None, max_length: int = 0
    ) -> None:
        super().__init__()
        self.question = question if isinstance(question, Content) else literal(question)
        self.max_length = max_length
        self.value = value
        self.check = check
        self._warned = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            yield Input(value=self.value, id="prompt-input", max_length=self.max_length)
            yield Static("", id="prompt-error")
            limit = f"up to {self.max_length} characters · " if self.max_length else ""
            yield Static(f"{limit}enter saves · esc cancels", classes="dialog-hint")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say so when the box is full, rather than dropping what is typed (or pasted) unseen."""
        if self.max_length and len(event.value) >= self.max_length:
            error = self.query_one("#prompt-error", Static)
            error.update(f"That is the most there is room for ({self.max_length} characters): anything more was left out.")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.check is not None:
            try:
                text = self.check(text)
            except ValueError as error:
                message = str(error)
                self.query_one("#prompt-error", Static).update(literal(message[:1].upper() + message[1:]))
                return
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Close without an answer; with something typed, a second escape (the first says so)."""
        typed = self.query_one("#prompt-input", Input).value
        if typed != self.value and not self._warned:
            self._warned = True
            self.query_one("#prompt-error", Static).update("Press esc again to leave without saving what you typed (enter saves it).")
            return
        self.dismiss(None)
