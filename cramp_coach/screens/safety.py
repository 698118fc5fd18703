"""Safety screens: "is this a cramp?" questions, the red-flag signs, and where every piece of advice comes from."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import Button, Static

from cramp_coach.core.models import NOT_TYPICAL_TAG, RESTLESS_TAG, Cramp, cramp_from_dict
from cramp_coach.core.safety import Question, TriageFlow
from cramp_coach.screens.base import CoachModal, CoachScreen
from cramp_coach.widgets.footer import SteadyFooter
from cramp_coach.widgets.hanging import Hanging
from cramp_coach.widgets.safe import literal, plain

if TYPE_CHECKING:
    from cramp_coach.app import CrampCoachApp

# What the diary notes for an answer that was not a typical cramp (kept apart from cramps by its tag).
NOT_A_CRAMP_NOTES = {
    "restless": "Logged after the 'is this a cramp?' questions: it sounded like restless legs; worth mentioning to a clinician.",
    "soon": "Logged after the 'is this a cramp?' questions: see a clinician soon, not tonight.",
}
GO_ON_LABELS = {"relief": "Start relief  ⏎", "redflag": "See the signs  ⏎", "soon": "Log it for a clinician  ⏎"}


def not_a_cramp_entry(outcome: str, answers: tuple[str, ...], when: datetime) -> Cramp:
    """The diary entry for what the questions found was not a typical cramp (restless, soon, unclear)."""
    tag = RESTLESS_TAG if outcome == "restless" else NOT_TYPICAL_TAG
    note = NOT_A_CRAMP_NOTES.get(outcome, "Logged after the 'is this a cramp?' questions; worth mentioning to a clinician.")
    return cramp_from_dict({"started_at": when, "muscle": "other", "tags": [tag], "triage": list(answers), "note": note})


def headed(title: str, *lines: str) -> Content:
    """A bold title (as written) and lines of text (as written); the last one, a source, dimmed."""
    parts: list[Content | str] = [literal(title, "bold")]
    for index, text in enumerate(lines):
        parts += ["\n", literal(text, "dim" if index == len(lines) - 1 and text.startswith("Source: ") else "")]
    return Content.assemble(*parts)


class TriageScreen(CoachModal[tuple[str, tuple[str, ...]] | None]):
    """A few yes/no questions; dismisses with (outcome id, answers) or None."""

    CSS_PATH = "safety.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "yes"),
        Binding("n", "answer(False)", "no"),
        Binding("b,left", "back", "back"),
        Binding("enter", "go_on", "go on", show=False),
        Binding("escape", "cancel", "close"),
    ]
    AUTO_FOCUS = ""

    def __init__(self) -> None:
        super().__init__()
        self.flow: TriageFlow = None  # type: ignore[assignment]  # built in compose, with the app's settings

    def compose(self) -> ComposeResult:
        # With the person's emergency number filled in wherever emergency help is advised.
        self.flow = TriageFlow(self.cc.services.triage())
        with Vertical(id="triage-box"):
            yield Static("[b]Is this a cramp?[/b]", id="triage-title")
            yield Static("", id="triage-text")
            yield Static("", id="triage-source")
            with Horizontal(id="triage-buttons"):
                yield Button("Yes  y", id="yes", variant="warning")
                yield Button("No  n", id="no")
                yield Button("Go on  ⏎", id="go-on", variant="primary")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        current = self.flow.current
        count = len(self.flow.answers) + 1
        if isinstance(current, Question):
            self.query_one("#triage-text", Static).update(literal(f"{count}. {current.text}"))
        elif current.id == "redflag" and self._flag_advice() is not None:
            # What to do for the sign the person said yes to, at once: not a list to search at 3 a.m.
            title, action = self._flag_advice()  # type: ignore[misc]
            self.query_one("#triage-text", Static).update(headed(current.title, title, action))
        else:
            self.query_one("#triage-text", Static).update(headed(current.title, current.text))
        self.query_one("#triage-source", Static).update(literal(f"Source: {current.source.title}", "dim"))
        asking = isinstance(current, Question)
        self.query_one("#yes").display = asking
        self.query_one("#no").display = asking
        go_on = self.query_one("#go-on", Button)
        go_on.display = not asking
        if not asking:
            go_on.label = GO_ON_LABELS.get(current.id, "Log it  ⏎")

    def _flag_advice(self) -> tuple[str, str] | None:
        """The title and action of the red flag the answers point to, if any."""
        flag_id = self.flow.flag()
        if not flag_id:
            return None
        try:
            flags = self.cc.services.red_flags()
        except Exception:  # noqa: BLE001 - the general list is still a key away
            return None
        found = next((f for f in (*flags.urgent, *flags.soon) if f.id == flag_id), None)
        return (found.title, found.action) if found is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Yes and no only while a question is asked (the footer shows only what works)."""
        if action == "answer":
            return isinstance(self.flow.current, Question) if self.flow is not None else True
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_answer(True)
        elif event.button.id == "no":
            self.action_answer(False)
        else:
            self.action_go_on()

    def action_answer(self, yes: bool) -> None:
        """Answer the question shown."""
        if isinstance(self.flow.current, Question):
            self.flow.answer(yes)
            self.refresh_bindings()
            self._show()

    def action_back(self) -> None:
        """Take the last answer back."""
        self.flow.back()
        self._show()
        self.refresh_bindings()

    def action_go_on(self) -> None:
        """Act on the outcome reached."""
        outcome = self.flow.outcome
        if outcome is not None:
            self.dismiss((outcome.id, self.flow.record()))

    def action_cancel(self) -> None:
        """Close the questions."""
        self.dismiss(None)


class RedFlagsScreen(CoachScreen[None]):
    """Signs that need medical help now, and signs to see a clinician about soon."""

    LEFT_WHEN_AWAY = True

    CSS_PATH = "safety.tcss"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "back")]

    def compose(self) -> ComposeResult:
        flags = self.cc.services.red_flags()
        with VerticalScroll(id="redflags-body"):
            yield Static(Content.assemble(("Red flags", "bold"), " · ", literal(flags.intro)), id="redflags-intro")
            urgent = Content("\n\n").join(headed(f.title, f.action, f"Source: {f.source.title}") for f in flags.urgent)
            yield Static(Content.assemble(("Get help now or today", "bold"), "\n\n", urgent), id="redflags-urgent")
            soon = Content("\n\n").join(headed(f.title, f.action, f"Source: {f.source.title}") for f in flags.soon)
            yield Static(Content.assemble(("See a clinician soon", "bold"), "\n\n", soon), id="redflags-soon")
        yield SteadyFooter()


def all_sources(app: CrampCoachApp) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Every piece of guidance the app shows, grouped, as (what, source title, url)."""
    from cramp_coach.core.checklist import load_default_items

    library = app.services.library
    groups: list[tuple[str, list[tuple[str, str, str]]]] = []
    for routine in library.routines.values():
        entries = []
        for step in routine.steps:
            entries.append((step.title, step.source.title, step.source.url))
            if step.caution is not None:  # each safety line has its own source
                entries.append((f"{step.title}: safety line", step.caution.source.title, step.caution.source.url))
        groups.append((f"Relief: {routine.title}", entries))
    groups.append(("Around the routine", [(key.replace("_", " ").capitalize(), a.source.title, a.source.url) for key, a in library.guidance.items()]))
    groups.append(("Bedtime checklist", [(i.title, i.source.title, i.source.url) for i in load_default_items() if i.source]))
    flags = app.services.red_flags()
    groups.append(("Red flags", [(f.title, f.source.title, f.source.url) for f in (*flags.urgent, *flags.soon)]))
    triage = app.services.triage()
    groups.append(("Is this a cramp?", [(q.text, q.source.title, q.source.url) for q in triage.questions.values()]))
    return groups


class SourcesScreen(CoachScreen[None]):
    """Where every piece of guidance in the app comes from: title and link."""

    LEFT_WHEN_AWAY = True

    CSS_PATH = "safety.tcss"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "back")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="sources-body"):
            yield Static(
                "[b]Sources[/b] · cramp coach's advice is self-care guidance drawn from these public sources; "
                "it is not a diagnosis. The app never suggests quinine (the FDA warns its risks outweigh any benefit for leg cramps).",
                id="sources-intro",
            )
            for group, entries in all_sources(self.cc):
                # Routine titles and sources may come from the user's own files: all shown as written.
                # Each entry hangs under its bullet, so a long title or address wraps where it began.
                seen: set[tuple[str, str]] = set()
                rows: list[tuple[str, Content]] = [("", literal(group, "bold"))]
                for what, title, url in entries:
                    rows += [("• ", literal(what)), ("  ", literal(title, "dim"))]
                    if (title, url) not in seen:
                        rows.append(("  ", Content.styled(plain(url), Style(link=plain(url)))))
                    seen.add((title, url))
                yield Static(Hanging(rows), classes="sources-group")
        yield SteadyFooter()
