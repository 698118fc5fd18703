"""Safety content: the red-flag signs and the "is this a cramp?" question sequence, from assets.

``TriageFlow`` walks the questions: each answer leads to another question or to an outcome
(``relief``, ``restless``, ``unclear`` or ``redflag``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cramp_coach.core.content import ContentError, Source, read_toml, source_field, text_field
from cramp_coach.core.paths import assets_dir

OUTCOMES = ("relief", "restless", "unclear", "redflag")


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


@dataclass(frozen=True)
class Question:
    """One yes/no question; ``yes`` and ``no`` name the next question or an outcome."""

    id: str
    text: str
    yes: str
    no: str
    source: Source


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


def load_red_flags(assets: Path | None = None) -> RedFlags:
    """The red-flag signs, validated."""
    file = (assets or assets_dir()) / "redflags.toml"
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
    file = (assets or assets_dir()) / "triage.toml"
    data = read_toml(file)
    questions = {}
    for n, raw in enumerate(data.get("questions", []), start=1):
        where = f"question {n}"
        question = Question(
            id=text_field(file, raw, "id", where),
            text=text_field(file, raw, "text", where),
            yes=text_field(file, raw, "yes", where),
            no=text_field(file, raw, "no", where),
            source=source_field(file, raw, where),
        )
        questions[question.id] = question
    outcomes = {}
    for key, raw in (data.get("outcomes") or {}).items():
        if key not in OUTCOMES:
            raise ContentError(file, f"must be one of {', '.join(OUTCOMES)}", "outcomes", key)
        outcomes[key] = Outcome(key, text_field(file, raw, "title", key), text_field(file, raw, "text", key), source_field(file, raw, key))
    for question in questions.values():
        for answer in ("yes", "no"):
            target = getattr(question, answer)
            if target not in questions and target not in outcomes:
                raise ContentError(file, f"leads to {target!r}, which is neither a question nor an outcome", question.id, answer)
    start = text_field(file, data, "start", "top")
    if start not in questions:
        raise ContentError(file, f"names no question: {start!r}", "top", "start")
    return Triage(start=start, questions=questions, outcomes=outcomes)


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
            question = self.triage.questions[node]
            node = question.yes if said_yes else question.no
        return self.triage.questions.get(node) or self.triage.outcomes[node]

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

    def record(self) -> tuple[str, ...]:
        """The answers as short texts to keep with a diary entry."""
        return tuple(f"{qid}: {'yes' if yes else 'no'}" for qid, yes in self.answers)
