"""cramp_coach: a calm terminal coach for night-time leg cramps."""

__version__ = "0.1.0"
