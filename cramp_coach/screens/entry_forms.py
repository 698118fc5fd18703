"""Dialogs for one diary entry: a cramp's details, the add/edit form, and a night's record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from cramp_coach.core.formatting import duration_text
from cramp_coach.core.models import (
    DIARY_MUSCLES,
    LEGS,
    MAX_NOTE,
    ON_ITS_OWN,
    Cramp,
    Night,
    ValidationError,
    cramp_from_dict,
    night_from_dict,
)
from cramp_coach.core.text import one_line
from cramp_coach.screens.base import CoachModal
from cramp_coach.widgets.hanging import Hanging, hanging_rows
from cramp_coach.widgets.safe import labelled, literal, plain

WHEN_FORMAT = "%Y-%m-%d %H:%M"


def one_line_field(text: str) -> str:
    """Text for a one-line field: a line break would be written to the terminal as it is and tear
    the form, so it is shown as a space (the stored text keeps it unless the field is changed)."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def parse_duration(text: str) -> int | str | None:
    """``m:ss`` or plain seconds to seconds; anything else is passed on for the validator to name."""
    text = text.strip()
    if not text:
        return None
    if ":" in text:
        minutes, _, seconds = text.partition(":")
        if minutes.isascii() and minutes.isdigit() and seconds.isascii() and seconds.isdigit() and len(seconds) == 2 and int(seconds) < 60:
            return int(minutes) * 60 + int(seconds)
        return text
    return text


DETAIL_LABEL_WIDTH = 8
"""The detail view's labels ("Night of", the longest), so the answers line up with the fields."""


def describe_cramp(cramp: Cramp, step_title) -> Hanging:
    """Every field of a cramp, one a line, for the detail view (what was written, shown as written;
    a long note wraps under itself)."""
    rows = [
        ("When", cramp.started_at.strftime("%a %d %b %Y, %H:%M")),
        ("Night of", cramp.night.isoformat()),
        ("Leg", cramp.leg or "not recorded"),
        ("Muscle", cramp.muscle),
        ("Pain", "not recorded" if cramp.intensity is None else f"{cramp.intensity} / 10"),
        ("Duration", duration_text(cramp.duration_s) or "not recorded"),
        ("Ended by", step_title(cramp.ended_by) or "not recorded"),
        ("Tags", ", ".join(cramp.tags) or "none"),
        ("Note", cramp.note or "none"),
    ]
    return hanging_rows([(label, literal(value)) for label, value in rows], DETAIL_LABEL_WIDTH)


class CrampDetailScreen(CoachModal[str | None]):
    """One cramp in full; e to edit, d to delete."""

    CSS_PATH = "entry_forms.tcss"
    BINDINGS = [
        Binding("e", "choose('edit')", "edit"),
        Binding("d,delete", "choose('delete')", "delete"),
        Binding("escape,q", "choose(None)", "close"),
    ]

    def __init__(self, cramp: Cramp) -> None:
        super().__init__()
        self.cramp = cramp

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="entry-box"):
            title = "Cramp" if self.cramp.is_cramp else "Not a cramp: kept apart, never counted as a cramp"
            yield Label(title, classes="entry-title")
            if self.cramp.triage:
                yield Static(hanging_rows([("Answers", literal("; ".join(self.cramp.triage)))], DETAIL_LABEL_WIDTH), id="detail-triage")
            yield Static(describe_cramp(self.cramp, self.cc.services.step_title), id="detail-text")
            yield Static("[b]e[/b] edit   [b]d[/b] delete   [b]esc[/b] close", classes="entry-hint")

    def action_choose(self, choice: str | None) -> None:
        """Close, saying what the person wants to do next."""
        self.dismiss(choice)


class EntryFormScreen(CoachModal):
    """What the entry forms share: save with ctrl+s or enter, cancel with escape, errors beneath."""

    CSS_PATH = "entry_forms.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "save"),
        Binding("escape", "cancel", "cancel"),
    ]

    SHORT_HEIGHT = 30  # on a shorter screen the fields lose their borders, so the whole form fits

    def on_resize(self) -> None:
        short = self.size.height < self.SHORT_HEIGHT
        self.set_class(short, "-short")
        for widget in self.query("Input, Select, Button"):
            widget.compact = short  # type: ignore[attr-defined]

    def form_footer(self) -> ComposeResult:
        """The error line and the two buttons."""
        yield Static("", id="form-error")
        with Horizontal(classes="form-buttons"):
            yield Button("Save  ctrl+s", id="save", variant="primary")
            yield Button("Cancel  esc", id="cancel")

    def show_error(self, error: ValidationError, names: dict[str, str]) -> None:
        """Name the field at fault and what is allowed (quoting what was typed, as typed)."""
        field_name = str(getattr(error, "field", "entry"))
        field = names.get(field_name, field_name.replace("_", " ").capitalize())
        message = getattr(error, "message", None) or str(error).split(": ", 1)[-1]
        self.query_one("#form-error", Static).update(labelled(f"{field}:", one_line(plain(message))))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Validate and close with the entry."""

    def on_mount(self) -> None:
        self._as_opened = self._typed()

    def _typed(self) -> tuple[object, ...]:
        """Every field's value now (to tell whether anything was typed or chosen since it opened)."""
        return tuple(getattr(widget, "value", None) for widget in self.query("Input, Select"))

    def action_cancel(self) -> None:
        """Close without saving; ask first when something was typed or chosen (it would be lost)."""
        from cramp_coach.screens.dialogs import ConfirmScreen

        if self._typed() == getattr(self, "_as_opened", None):
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Leave without saving? What you typed here will be lost.", yes="Leave", no="Keep typing"), answered)


class CrampFormScreen(EntryFormScreen):
    """Add a cramp, or edit one; every value goes through the diary's validation."""

    AUTO_FOCUS = "#form-when"  # typing goes to the first field at once

    def __init__(self, cramp: Cramp | None = None, now: datetime | None = None) -> None:
        super().__init__()
        self.cramp = cramp
        self.now = now

    def compose(self) -> ComposeResult:
        cramp = self.cramp
        now = self.now or datetime.now().astimezone()
        library = self.cc.services.library
        steps = [(literal(f"{routine.title}: {step.title}"), step.id) for routine in library.routines.values() for step in routine.steps]
        if cramp and cramp.ended_by and cramp.ended_by not in {ON_ITS_OWN, *(step_id for _, step_id in steps)}:
            steps.append((literal(self.cc.services.step_title(cramp.ended_by)), cramp.ended_by))  # a step no longer in any routine
        with VerticalScroll(classes="entry-box"):
            yield Label("Edit cramp" if cramp else "Add a cramp", classes="entry-title")
            yield Label("When (YYYY-MM-DD HH:MM)")
            yield Input(value=(cramp.started_at if cramp else now).strftime(WHEN_FORMAT), id="form-when")
            # Every field has its name beside it (a placeholder goes once the field has a value).
            with Horizontal(classes="form-row"):
                yield Label("Muscle", classes="inline-label")
                yield Select([(m, m) for m in DIARY_MUSCLES], value=cramp.muscle if cramp else "calf", allow_blank=False, id="form-muscle", prompt="muscle")
                yield Label("Leg", classes="inline-label")
                yield Select([(leg, leg) for leg in LEGS], value=cramp.leg if cramp and cramp.leg else Select.NULL, id="form-leg", prompt="not set")
            with Horizontal(classes="form-row"):
                yield Label("Pain", classes="inline-label")
                yield Input(value="" if not cramp or cramp.intensity is None else str(cramp.intensity), placeholder="0-10", id="form-intensity")
                yield Label("Lasted", classes="inline-label")
                yield Input(value=duration_text(cramp.duration_s) if cramp else "", placeholder="m:ss", id="form-duration")
            ended_by = cramp.ended_by if cramp and cramp.ended_by else Select.NULL
            with Horizontal(classes="form-row"):
                yield Label("Ended by", classes="inline-label")
                yield Select([("on its own", ON_ITS_OWN), *steps], value=ended_by, id="form-ended-by", prompt="not set")
            with Horizontal(classes="form-row"):
                yield Label("Tags", classes="inline-label")
                yield Input(value=", ".join(cramp.tags) if cramp else "", placeholder="e.g. alcohol, long sitting", id="form-tags")
            with Horizontal(classes="form-row"):
                yield Label("Note", classes="inline-label")
                yield Input(value=one_line_field(cramp.note) if cramp else "", placeholder=f"up to {MAX_NOTE} characters", id="form-note")
            yield from self.form_footer()

    def on_mount(self) -> None:
        # What each field showed when the form opened: a field left alone keeps its exact stored value.
        self._shown = {selector: self._value(selector) for selector in ("#form-when", "#form-duration", "#form-tags", "#form-note")}

    def _value(self, selector: str) -> Any:
        widget = self.query_one(selector)
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        return cast(Input, widget).value

    def _unchanged(self, selector: str) -> bool:
        return self.cramp is not None and self._value(selector) == getattr(self, "_shown", {}).get(selector)

    def _kept(self, selector: str, stored: Any, typed: Callable[[], Any]) -> Any:
        """The stored value when the field was left as it was shown (editing), else what was typed."""
        return stored if self._unchanged(selector) else typed()

    @staticmethod
    def _stored_tags(original: Cramp) -> list[str] | str:
        """The entry's tags as kept, or (an older entry with a tag holding "," or ";", which tags may
        no longer hold) split there, as the same text typed would be."""
        if any("," in tag or ";" in tag for tag in original.tags):
            return ";".join(original.tags).replace(",", ";")
        return list(original.tags)

    def collect(self) -> Cramp:
        """The form's values as a validated cramp (raises ValidationError).

        The form shows times to the minute and durations as m:ss; a field left as it was shown keeps
        the stored value exactly (seconds, microseconds, UTC offset), so saving changes nothing else.
        """
        original = self.cramp
        note = self._value("#form-note")
        if len(note.strip()) > MAX_NOTE:
            raise ValidationError("note", f"must be at most {MAX_NOTE} characters, this one has {len(note.strip())}")
        record = {
            "id": original.id if original else None,
            "started_at": self._kept("#form-when", original and original.started_at, lambda: self._value("#form-when").strip().replace(" ", "T", 1)),
            "muscle": self._value("#form-muscle"),
            "leg": self._value("#form-leg"),
            "intensity": self._value("#form-intensity").strip() or None,
            "duration_s": self._kept("#form-duration", original and original.duration_s, lambda: parse_duration(self._value("#form-duration"))),
            "ended_by": self._value("#form-ended-by"),
            "routine": original.routine if original else None,
            "tags": self._kept("#form-tags", original and self._stored_tags(original), lambda: self._value("#form-tags").replace(",", ";")),
            "note": self._kept("#form-note", original and original.note, lambda: note),
            "triage": list(original.triage) if original else [],
        }
        return cramp_from_dict(record, now=datetime.now().astimezone())

    def action_save(self) -> None:
        """Validate and close with the cramp, or say which field is wrong."""
        try:
            cramp = self.collect()
        except ValidationError as error:
            if getattr(error, "field", None) == "duration_s":  # say it in the form's own terms (m:ss)
                typed = one_line(self._value("#form-duration"))[:40]
                error = ValidationError("duration_s", f"must be minutes:seconds like 2:30 (or whole seconds), up to 24 hours, got {typed!r}")
            self.show_error(error, {"started_at": "When", "duration_s": "Duration", "ended_by": "Ended by"})
            return
        self.dismiss(cramp)


class NightFormScreen(EntryFormScreen):
    """How one night went: sleep quality 1-5, times woken, a note."""

    AUTO_FOCUS = "#night-quality"  # typing goes to the first field at once

    def __init__(self, night: Night) -> None:
        super().__init__()
        self.night = night

    def compose(self) -> ComposeResult:
        night = self.night
        with VerticalScroll(classes="entry-box"):
            yield Label(f"The night of {night.night.strftime('%a %d %b %Y')}", classes="entry-title", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Sleep quality, 1 (bad) to 5 (good)", classes="field-label")
                yield Input(value="" if night.sleep_quality is None else str(night.sleep_quality), placeholder="1-5", id="night-quality")
            with Horizontal(classes="form-row"):
                yield Label("Times woken", classes="field-label")
                yield Input(value="" if night.times_woken is None else str(night.times_woken), placeholder="0", id="night-woken")
            yield Input(value=one_line_field(night.note), placeholder=f"note (up to {MAX_NOTE} characters)", id="night-note")
            yield from self.form_footer()

    def _night_note(self) -> str:
        """The note as typed, or exactly as stored (line breaks and all) when it was left alone."""
        typed = self.query_one("#night-note", Input).value
        return self.night.note if typed == one_line_field(self.night.note) else typed

    def action_save(self) -> None:
        """Validate and close with the night."""
        record = {
            "night": self.night.night.isoformat(),
            "sleep_quality": self.query_one("#night-quality", Input).value.strip() or None,
            "times_woken": self.query_one("#night-woken", Input).value.strip() or None,
            "note": self._night_note(),
            "ticks": list(self.night.ticks),
        }
        try:
            night = night_from_dict(record)
        except ValidationError as error:
            self.show_error(error, {})
            return
        self.dismiss(night)



