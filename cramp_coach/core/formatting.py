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
