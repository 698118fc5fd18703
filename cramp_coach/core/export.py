"""Exports of the diary (CSV, JSON, a Markdown report for a clinician) and reading them back in."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cramp_coach import __version__
from cramp_coach.core.models import SCHEMA_VERSION, Cramp, Night
from cramp_coach.core.stats import diary_stats

EXPORT_FORMAT = "cramp-coach-export"
CSV_FIELDS = ("id", "started_at", "night", "leg", "muscle", "intensity", "duration_s", "ended_by", "routine", "tags", "note", "triage")
FORMATS = ("csv", "json", "md")


class ImportFormatError(ValueError):
    """An import file that cannot be read, with the file and the record at fault."""


def in_period(cramps: Sequence[Cramp], start: date | None, end: date | None) -> list[Cramp]:
    """Cramps whose date lies in [start, end]."""
    return [c for c in cramps if (start is None or c.started_at.date() >= start) and (end is None or c.started_at.date() <= end)]


def to_csv(cramps: Sequence[Cramp]) -> str:
    """One row a cramp, oldest first; tags joined with ``;``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for cramp in sorted(cramps, key=lambda c: c.started_at):
        row = cramp.to_dict()
        row["tags"] = ";".join(cramp.tags)
        row["triage"] = ";".join(cramp.triage)
        writer.writerow({key: "" if row.get(key) is None else row[key] for key in CSV_FIELDS})
    return out.getvalue()


def to_json(cramps: Sequence[Cramp], nights: Sequence[Night]) -> str:
    """Everything: cramps and nights (with their checklist ticks)."""
    document = {
        "format": EXPORT_FORMAT,
        "schema": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cramps": [c.to_dict() for c in sorted(cramps, key=lambda c: c.started_at)],
        "nights": [n.to_dict() for n in sorted(nights, key=lambda n: n.night)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "not recorded"
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"


def to_markdown(
    cramps: Sequence[Cramp],
    start: date | None,
    end: date | None,
    step_name: Callable[[str], str] = str,
    disclaimer: str = "",
) -> str:
    """A short report a person can hand to a clinician."""
    stats = diary_stats(cramps)
    first = start or stats.first_night
    last = end or stats.last_night
    period = f"{first} to {last}" if first and last else "no cramps recorded"
    lines = [
        "# Night leg cramps: diary report",
        "",
        f"Period: {period}. Cramps recorded: {stats.total}.",
        "",
    ]
    if stats.total:
        intensity = f"{stats.mean_intensity:.1f} / 10" if stats.mean_intensity is not None else "not recorded"
        lines += [
            "## Summary",
            "",
            f"- Average intensity: {intensity}",
            f"- Average duration: {_minutes(stats.mean_duration_s)}",
            f"- Most common muscle: {stats.top_muscle[0]} ({stats.top_muscle[1]})" if stats.top_muscle else "- Muscle: not recorded",
            f"- Most common leg: {stats.top_leg[0]} ({stats.top_leg[1]})" if stats.top_leg else "- Leg: not recorded",
            "",
            "## Cramps per month",
            "",
            "| month | cramps |",
            "|---|---|",
            *[f"| {month} | {count} |" for month, count in stats.per_month],
            "",
        ]
        if stats.busy_months:
            months = ", ".join(f"{m} ({n})" for m, n in stats.busy_months)
            lines += [f"Months with 5 or more cramps: {months}.", ""]
        muscles: dict[str, int] = {}
        for cramp in cramps:
            muscles[cramp.muscle] = muscles.get(cramp.muscle, 0) + 1
        lines += ["## Muscles", "", *[f"- {m}: {n}" for m, n in sorted(muscles.items(), key=lambda i: -i[1])], ""]
        lines += ["## Tags (possible triggers noted by the person)", ""]
        lines += [f"- {tag}: {n}" for tag, n in stats.tags] or ["- none noted"]
        lines += ["", "## What ended the cramps", ""]
        lines += [f"- {step_name(step)}: {n}" for step, n in stats.ended_by] or ["- not recorded"]
        lines += [
            "",
            "## Every cramp",
            "",
            "| night | time | leg | muscle | intensity | duration | ended by | note |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for c in sorted(cramps, key=lambda c: c.started_at):
            lines.append(
                f"| {c.night} | {c.started_at.strftime('%H:%M')} | {c.leg or ''} | {c.muscle} | "
                f"{'' if c.intensity is None else c.intensity} | {_minutes(c.duration_s) if c.duration_s is not None else ''} | "
                f"{step_name(c.ended_by) if c.ended_by else ''} | {c.note.replace('|', '/')} |"
            )
        lines.append("")
    if disclaimer:
        lines += ["---", "", f"_{disclaimer} Generated by cramp-coach {__version__}._", ""]
    return "\n".join(lines)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ImportFormatError(f"{path}: is not a UTF-8 text file") from None
    except OSError as error:
        raise ImportFormatError(f"{path}: cannot be read ({error.strerror})") from None


def read_import(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Read a JSON or CSV export into raw cramp and night records (``models.validate_records`` checks them)."""
    text = _read_text(path)
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        cramps, nights = _records_from_json(path, text)
    else:
        cramps, nights = _records_from_csv(path, text), []
    return cramps, nights


def _records_from_json(path: Path, text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFormatError(f"{path}: is not valid JSON (line {error.lineno}, column {error.colno})") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportFormatError(f"{path}: is not a cramp-coach JSON export (no \"format\": \"{EXPORT_FORMAT}\")")
    schema = document.get("schema")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise ImportFormatError(f"{path}: export schema {schema!r} is newer than this cramp-coach reads ({SCHEMA_VERSION})")
    cramps, nights = document.get("cramps", []), document.get("nights", [])
    if not isinstance(cramps, list) or not isinstance(nights, list):
        raise ImportFormatError(f"{path}: \"cramps\" and \"nights\" must be lists")
    return cramps, nights


def _records_from_csv(path: Path, text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"started_at", "muscle"} <= set(reader.fieldnames):
        raise ImportFormatError(f"{path}: is not a cramp-coach CSV export (it needs the columns {', '.join(CSV_FIELDS)})")
    records = []
    for row in reader:
        if None in row:
            raise ImportFormatError(f"{path}: line {reader.line_num}: has more values than columns")
        records.append({key: (value if value != "" else None) for key, value in row.items()})
    return records
