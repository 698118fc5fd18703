"""The one stats report: figures, notices and the plain text ``cramp-coach stats`` prints."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cramp_coach.core.content import load_library
from cramp_coach.core.models import cramp_from_dict
from cramp_coach.core.report import stats_report

TONIGHT = date(2026, 11, 24)
GUIDANCE = load_library().guidance


def on(night: date, **fields):
    moment = datetime(night.year, night.month, night.day, 23, tzinfo=UTC)
    return cramp_from_dict({"started_at": moment.isoformat(), "muscle": "calf", "intensity": 4, **fields})


def test_the_report_holds_every_figure_once():
    entries = [on(TONIGHT - timedelta(days=d), ended_by="calf-stretch") for d in range(6)]
    entries.append(on(TONIGHT, tags=["restless legs?"], muscle="other"))
    report = stats_report(entries, TONIGHT, step_title={"calf-stretch": "Stretch the calf"}.get, advice=GUIDANCE.get)
    assert report.title == "Cramps (whole diary): 6 (and 1 not-a-cramp entry kept apart)"
    assert dict(report.headline)["Most often ended by"] == "Stretch the calf (6)"
    assert [n.key for n in report.notices] == ["see_clinician"]
    assert "6 cramps in the last 30 nights." in report.notices[0].detail
    text = report.to_text()
    assert "Mean pain" in text and "Cramps per month:" in text and "(Source: " in text


def test_old_busy_months_do_not_call_for_a_visit_now_and_a_period_limits_the_figures():
    entries = [on(TONIGHT - timedelta(days=60 + d)) for d in range(8)]
    report = stats_report(entries, TONIGHT, advice=GUIDANCE.get)
    assert report.total == 8 and report.notices == []
    recent = stats_report(entries, TONIGHT, days=30, advice=GUIDANCE.get)
    assert recent.total == 0 and recent.period == "last 30 nights" and recent.to_text().startswith("Cramps (last 30 nights): 0")
