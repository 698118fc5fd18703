"""Plain-text formats for times shown to people (m:ss)."""

from __future__ import annotations

import math


def clock_text(seconds: float) -> str:
    """Seconds as m:ss, rounded up so 0:00 shows only when time is really up."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def duration_text(seconds: int | None) -> str:
    """m:ss, or blank when not recorded."""
    return "" if seconds is None else clock_text(seconds)


def minutes_text(seconds: float | None) -> str:
    """A duration in words: ``2 min 05 s``, ``45 s``, or ``not recorded`` (reports and stats alike)."""
    if seconds is None:
        return "not recorded"
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"
