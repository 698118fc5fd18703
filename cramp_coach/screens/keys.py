"""One-key choices shared by the relief screen, its summary and home: legs, muscles, pain."""

from __future__ import annotations

from cramp_coach.core.content import MUSCLES

SIDE_KEYS = {"l": "left", "r": "right", "o": "both"}
MUSCLE_SHORT = {"calf": "calf", "foot": "foot", "hamstring": "back thigh", "quadriceps": "front thigh"}
MUSCLE_KEYS = {str(number): muscle for number, muscle in enumerate(MUSCLES, start=1)}
INTENSITY_KEYS = {str(n): n for n in range(1, 10)} | {"0": 10}


def muscle_choices() -> str:
    """The one-key muscle choices, as markup (our own text only)."""
    return "  ".join(f"[b]{key}[/b] {MUSCLE_SHORT[muscle]}" for key, muscle in MUSCLE_KEYS.items())


def side_choices() -> str:
    """The one-key leg choices, as markup (our own text only)."""
    return "  ".join(f"[b]{key}[/b] {side}" for key, side in SIDE_KEYS.items())
