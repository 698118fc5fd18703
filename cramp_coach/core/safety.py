"""Safety content: the red-flag signs and the "is this a cramp?" question sequence, from assets.

``TriageFlow`` walks the questions: each answer leads to another question or to an outcome
(``relief``, ``restless``, ``soon`` (see a clinician soon, not tonight), ``unclear`` or ``redflag``). The loaders check the whole sequence (every
answer leads somewhere that exists, and no answer leads back to an earlier question), and any fault
in these bundled files comes out as a :class:`ContentError` naming the file, so a screen can say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from cramp_coach.core.content import Source, fill_emergency, read_toml, source_field, text_field
from cramp_coach.core.files import ContentError, quote
from cramp_coach.core.paths import assets_dir

OUTCOMES = ("relief", "restless", "soon", "unclear", "redflag")


@dataclass(frozen=True)
class RedFlag:
    """A sign that needs medical help, and what to do."""

    id: str
    title: str
    action: str
    source: Source


@dataclass(frozen=True)
class RedFlags:
    """Urgent signs and see-soon signs."""

    intro: str
    urgent: tuple[RedFlag, ...]
    soon: tuple[RedFlag, ...]

    def with_emergency(self, number: str = "") -> RedFlags:
        """The signs with ``{emergency}`` replaced by the person's emergency number (or the common ones)."""

        def fill(flags: tuple[RedFlag, ...]) -> tuple[RedFlag, ...]:
            return tuple(replace(f, title=fill_emergency(f.title, number), action=fill_emergency(f.action, number)) for f in flags)

        return RedFlags(fill_emergency(self.intro, number), fill(self.urgent), fill(self.soon))


@dataclass(frozen=True)
class Question:
    """One yes/no question; ``yes`` and ``no`` name the next question or an outcome."""

    id: str
    text: str
    yes: str
    no: str
    source: Source
    flag: str = ""  # the red flag a "yes" points to, shown with the red-flag outcome at once


@dataclass(frozen=True)
class Outcome:
    """Where the questions lead."""

    id: str
    title: str
    text: str
    source: Source


@dataclass(frozen=True)
class Triage:
    """The whole question sequence."""

    start: str
    questions: dict[str, Question]
    outcomes: dict[str, Outcome]

    def with_emergency(self, number: str = "") -> Triage:
        """The outcomes' texts with ``{emergency}`` filled in."""
        outcomes = {key: replace(o, text=fill_emergency(o.text, number)) for key, o in self.outcomes.items()}
        return Triage(self.start, self.questions, outcomes)


Loaded = TypeVar("Loaded")


def _as_content_error(file: Path, load: Callable[[], Loaded]) -> Loaded:
    """``load()``, with any fault it did not foresee turned into a ContentError naming ``file``."""
    try:
        return load()
    except ContentError:
        raise
    except Exception as error:
        raise ContentError(file, f"cannot be used ({type(error).__name__}); the app's files may be damaged, reinstall it") from None


def _assets(assets: Path | None) -> Path:
    try:
        return assets or assets_dir()
    except OSError as error:
        raise ContentError("assets", str(error)) from None


def load_red_flags(assets: Path | None = None) -> RedFlags:
    """The red-flag signs, validated (ContentError naming the file when they cannot be used)."""
    file = _assets(assets) / "redflags.toml"
    return _as_content_error(file, lambda: _red_flags(file))


def _red_flags(file: Path) -> RedFlags:
    data = read_toml(file)

    def flags(section: str) -> tuple[RedFlag, ...]:
        raws = data.get(section)
        if not isinstance(raws, list) or not raws:
            raise ContentError(file, f"needs at least one [[{section}]] table", None, section)
        return tuple(
            RedFlag(
                id=text_field(file, raw, "id", f"{section} {n}"),
                title=text_field(file, raw, "title", f"{section} {n}"),
                action=text_field(file, raw, "action", f"{section} {n}"),
                source=source_field(file, raw, f"{section} {n}"),
            )
            for n, raw in enumerate(raws, start=1)
        )

    return RedFlags(intro=text_field(file, data, "intro", "top"), urgent=flags("urgent"), soon=flags("soon"))


def load_triage(assets: Path | None = None) -> Triage:
    """The question sequence, validated: every answer leads somewhere that exists, and it ends."""
    file = _assets(assets) / "triage.toml"
    return _as_content_error(file, lambda: _triage(file))


def _triage(file: Path) -> Triage:
    data = read_toml(file)
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise ContentError(file, "needs at least one [[questions]] table", None, "questions")
    questions: dict[str, Question] = {}
    for n, raw in enumerate(raw_questions, start=1):
        where = f"question {n}"
        question = Question(
            id=text_field(file, raw, "id", where),
            text=text_field(file, raw, "text", where),
            yes=text_field(file, raw, "yes", where),
            no=text_field(file, raw, "no", where),
            source=source_field(file, raw, where),
            flag=text_field(file, raw, "flag", where, required=False),
        )
        if question.id in questions or question.id in OUTCOMES:
            raise ContentError(file, f"id {quote(question.id)} is used twice (or is an outcome's name)", where, "id")
        questions[question.id] = question
    raw_outcomes = data.get("outcomes")
    if not isinstance(raw_outcomes, dict) or not raw_outcomes:
        raise ContentError(file, "needs an [outcomes] table", None, "outcomes")
    outcomes = {}
    for key, raw in raw_outcomes.items():
        if key not in OUTCOMES:
            raise ContentError(file, f"must be one of {', '.join(OUTCOMES)}", "outcomes", key)
        outcomes[key] = Outcome(key, text_field(file, raw, "title", key), text_field(file, raw, "text", key), source_field(file, raw, key))
    for question in questions.values():
        for answer in ("yes", "no"):
            target = getattr(question, answer)
            if target not in questions and target not in outcomes:
                raise ContentError(file, f"leads to {quote(target)}, which is neither a question nor an outcome", question.id, answer)
    start = text_field(file, data, "start", "top")
    if start not in questions:
        raise ContentError(file, f"names no question: {quote(start)}", "top", "start")
    _check_no_cycle(file, questions)
    return Triage(start=start, questions=questions, outcomes=outcomes)


def _check_no_cycle(file: Path, questions: dict[str, Question]) -> None:
    """ContentError when an answer leads back to a question already on the way (the questions would never end)."""
    done: set[str] = set()
    for first in questions:
        if first in done:
            continue
        on_path: list[str] = []
        stack: list[tuple[str, list[str]]] = [(first, [questions[first].yes, questions[first].no])]
        on_path.append(first)
        while stack:
            node, targets = stack[-1]
            if not targets:
                stack.pop()
                on_path.pop()
                done.add(node)
                continue
            target = targets.pop(0)
            if target not in questions or target in done:
                continue
            if target in on_path:
                raise ContentError(file, f"leads back to question {quote(target)}; the questions must always reach an outcome", node, "yes/no")
            on_path.append(target)
            stack.append((target, [questions[target].yes, questions[target].no]))


@dataclass
class TriageFlow:
    """Walking the questions: answer, go back, and see where it ends."""

    triage: Triage
    answers: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def current(self) -> Question | Outcome:
        """The question to ask now, or the outcome reached."""
        node = self.triage.start
        for _, said_yes in self.answers:
            question = self.triage.questions.get(node)
            if question is None:  # answers past the outcome (load_triage makes this impossible)
                break
            node = question.yes if said_yes else question.no
        found = self.triage.questions.get(node) or self.triage.outcomes.get(node)
        if found is None:
            raise ContentError("triage", f"leads to {quote(node)}, which is neither a question nor an outcome")
        return found

    @property
    def outcome(self) -> Outcome | None:
        """The outcome, once reached."""
        current = self.current
        return current if isinstance(current, Outcome) else None

    def answer(self, yes: bool) -> Question | Outcome:
        """Answer the current question."""
        current = self.current
        if isinstance(current, Question):
            self.answers.append((current.id, yes))
        return self.current

    def back(self) -> Question | Outcome:
        """Take the last answer back."""
        if self.answers:
            self.answers.pop()
        return self.current

    def flag(self) -> str:
        """The red flag the last "yes" pointed to ("" when none did)."""
        for question_id, said_yes in reversed(self.answers):
            if said_yes:
                return self.triage.questions[question_id].flag
        return ""

    def record(self) -> tuple[str, ...]:
        """The answers as short texts to keep with a diary entry."""
        return tuple(f"{qid}: {'yes' if yes else 'no'}" for qid, yes in self.answers)
