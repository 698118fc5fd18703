"""The guided routine engine: a state machine over a routine's steps, driven by an injected clock.

Nothing here counts ticks. Every figure is computed from the clock and a few remembered instants,
so a screen may poll as often or as rarely as it likes and the times stay exact. Pausing holds the
step's countdown; the cramp's own duration (``total_elapsed``) keeps running, because pausing the
guide does not pause the cramp, and it is that duration the 10-minute escalation watches.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from enum import Enum

from cramp_coach.core.content import Routine, Step
from cramp_coach.core.models import LEGS, Cramp, cramp_from_dict, local_now
from cramp_coach.core.record import field, record

Clock = Callable[[], float]
WallClock = Callable[[], datetime]

ESCALATE_AFTER_SECONDS = 600.0
ADD_TIME_SECONDS = 15
SIDES = LEGS


class Phase(Enum):
    """Where a run is in its life."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


@record
class StepChanged:
    """The active step changed (``automatic`` when its time ran out)."""

    index: int
    step: Step
    round: int
    automatic: bool


@record
class Escalated:
    """The cramp has gone on for the escalation limit (10 minutes)."""

    elapsed: float


@record
class Completed:
    """A routine that does not repeat has run through its last step."""

    summary: RunSummary


Event = StepChanged | Escalated | Completed


@record
class RunSummary:
    """What happened in one finished run: the value the diary stores."""

    routine_id: str
    muscle: str
    side: str | None
    started_at: datetime
    duration_seconds: float
    gone: bool
    ended_by: str | None
    step_seconds: dict[str, float] = field(default_factory=dict)
    escalated: bool = False
    rounds: int = 1

    @property
    def duration_s(self) -> int:
        """Whole seconds the cramp lasted: what the diary stores and the summary shows."""
        return int(self.duration_seconds)

    def to_cramp(
        self, side: str | None = None, intensity: int | None = None, note: str = "", triage: tuple[str, ...] = ()
    ) -> Cramp:
        """The diary entry for this run, through the diary's validation."""
        return cramp_from_dict(
            {
                "started_at": self.started_at,
                "muscle": self.muscle,
                "leg": side if side is not None else self.side,
                "intensity": intensity,
                "duration_s": self.duration_s,
                "ended_by": self.ended_by,
                "routine": self.routine_id,
                "note": note,
                "triage": list(triage),
            }
        )


class RoutineRun:
    """One guided run through a routine."""

    def __init__(
        self,
        routine: Routine,
        *,
        side: str | None = None,
        clock: Clock = time.monotonic,
        wall_clock: WallClock = local_now,
        escalate_after: float = ESCALATE_AFTER_SECONDS,
        repeat: bool = True,
    ) -> None:
        if side is not None and side not in SIDES:
            raise ValueError(f"side must be one of {', '.join(SIDES)}, got {side!r}")
        self.routine = routine
        self.side = side
        self._clock = clock
        self._wall_clock = wall_clock
        self.escalate_after = escalate_after
        self.repeat = repeat
        self.phase = Phase.READY
        self.index = 0
        self.round = 1
        self.escalated = False
        self.started_at: datetime | None = None
        self._started = 0.0
        self._finished_at: float | None = None
        self._active_before = 0.0  # active (unpaused) seconds banked before ``_resumed``
        self._resumed = 0.0
        self._visit_start = 0.0  # active time at which the current step's visit began
        self._visit_extra = 0.0  # seconds added to the current visit with "+15 s"
        self._step_seconds: dict[str, float] = {}
        self._ended_by: str | None = None
        self._gone = False

    # -- the clock ---------------------------------------------------------------------------
    def _active(self, now: float) -> float:
        if self.phase is Phase.RUNNING:
            return self._active_before + (now - self._resumed)
        return self._active_before

    @property
    def step(self) -> Step:
        """The active step."""
        return self.routine.steps[self.index]

    @property
    def next_step(self) -> Step:
        """The step after this one (the routine starts again after its last step)."""
        return self.routine.steps[(self.index + 1) % len(self.routine.steps)]

    def step_length(self) -> float:
        """How long the current step's countdown runs, with any added time."""
        return self.step.seconds + self._visit_extra

    def step_elapsed(self, now: float | None = None) -> float:
        """Active seconds spent in this visit of the current step."""
        now = self._clock() if now is None else now
        return self._active(now) - self._visit_start

    def remaining(self, now: float | None = None) -> float:
        """Seconds left on the current step's countdown, never below zero."""
        return max(0.0, self.step_length() - self.step_elapsed(now))

    @property
    def holding(self) -> bool:
        """True on a step held until the cramp lets go: it never moves on by itself, and a screen
        shows how long it has been held (a count-up) instead of a countdown."""
        return self.step.until_release and self.phase is not Phase.FINISHED

    def total_elapsed(self, now: float | None = None) -> float:
        """Seconds since the run started, paused time included: the cramp's duration so far."""
        if self.phase is Phase.READY:
            return 0.0
        if self._finished_at is not None:
            return self._finished_at - self._started
        now = self._clock() if now is None else now
        return now - self._started

    def step_seconds(self, now: float | None = None) -> dict[str, float]:
        """Active seconds spent in each step so far, by step id (repeats added up)."""
        totals = dict(self._step_seconds)
        if self.phase in (Phase.RUNNING, Phase.PAUSED):
            step_id = self.step.id
            totals[step_id] = totals.get(step_id, 0.0) + self.step_elapsed(now)
        return totals

    # -- commands ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the run at its first step."""
        if self.phase is not Phase.READY:
            return
        now = self._clock()
        self.started_at = self._wall_clock()
        self._started = now
        self._resumed = now
        self.phase = Phase.RUNNING

    def pause(self) -> None:
        """Hold the step's countdown."""
        if self.phase is Phase.RUNNING:
            now = self._clock()
            self._active_before = self._active(now)
            self.phase = Phase.PAUSED

    def resume(self) -> None:
        """Let the step's countdown run again."""
        if self.phase is Phase.PAUSED:
            self._resumed = self._clock()
            self.phase = Phase.RUNNING

    def toggle_pause(self) -> None:
        """Pause when running, resume when paused."""
        if self.phase is Phase.RUNNING:
            self.pause()
        else:
            self.resume()

    def add_time(self, seconds: float = ADD_TIME_SECONDS) -> None:
        """Give the current step more time."""
        if self.phase in (Phase.RUNNING, Phase.PAUSED):
            self._visit_extra += seconds

    def _leave_step(self, active_at: float) -> None:
        step_id = self.step.id
        self._step_seconds[step_id] = self._step_seconds.get(step_id, 0.0) + (active_at - self._visit_start)
        self._visit_start = active_at
        self._visit_extra = 0.0

    def _forward(self, active_at: float, automatic: bool) -> StepChanged | Completed:
        if not self.repeat and self.index == len(self.routine.steps) - 1:
            return Completed(self._complete(active_at))
        self._leave_step(active_at)
        self.index += 1
        if self.index == len(self.routine.steps):
            self.index = 0
            self.round += 1
        return StepChanged(self.index, self.step, self.round, automatic)

    def next(self) -> StepChanged | Completed | None:
        """Skip to the next step; after the last step the routine starts again (or completes)."""
        if self.phase not in (Phase.RUNNING, Phase.PAUSED):
            return None
        return self._forward(self._active(self._clock()), automatic=False)

    def previous(self) -> StepChanged | None:
        """Go back a step; on the very first step, start that step's countdown again."""
        if self.phase not in (Phase.RUNNING, Phase.PAUSED):
            return None
        self._leave_step(self._active(self._clock()))
        if self.index > 0:
            self.index -= 1
        elif self.round > 1:
            self.round -= 1
            self.index = len(self.routine.steps) - 1
        return StepChanged(self.index, self.step, self.round, automatic=False)

    def switch_routine(self, routine: Routine) -> StepChanged | None:
        """Change to another muscle's routine from its first step; the cramp's time runs on."""
        if self.phase is Phase.FINISHED:
            return None
        if self.phase is not Phase.READY:
            self._leave_step(self._active(self._clock()))
        self.routine = routine
        self.index = 0
        self.round = 1
        return StepChanged(0, self.step, 1, automatic=False)

    def set_side(self, side: str) -> None:
        """Record which leg is cramping."""
        if side not in SIDES:
            raise ValueError(f"side must be one of {', '.join(SIDES)}, got {side!r}")
        self.side = side

    def update(self) -> list[Event]:
        """Bring the run up to the clock: move past steps whose time ran out, raise the escalation.

        Step boundaries fall exactly where each countdown reached zero, however late this is called.
        A step held until the cramp lets go (``until_release``) waits for ``next()`` or ``finish()``.
        """
        events: list[Event] = []
        if self.phase not in (Phase.RUNNING, Phase.PAUSED):
            return events
        now = self._clock()
        if self.phase is Phase.RUNNING:
            active = self._active(now)
            while (
                self.phase is Phase.RUNNING
                and not self.step.until_release
                and active - self._visit_start >= self.step_length()
            ):
                events.append(self._forward(self._visit_start + self.step_length(), automatic=True))
            if self.phase is Phase.FINISHED:  # type: ignore[comparison-overlap]  # _forward may finish the run
                return events
        if not self.escalated and self.total_elapsed(now) >= self.escalate_after:
            self.escalated = True
            events.append(Escalated(self.total_elapsed(now)))
        return events

    def _complete(self, active_at: float) -> RunSummary:
        """Finish a non-repeating routine at the end of its last step."""
        self._leave_step(active_at)
        self._ended_by = self.step.id
        self._gone = True
        now = self._clock()
        self._finished_at = now - (self._active(now) - active_at)  # the moment the last countdown hit zero
        self.phase = Phase.FINISHED
        return self._summary()

    def finish(self, gone: bool = True) -> RunSummary:
        """End the run: ``gone`` when the cramp let go ("it's gone"), else the person left early."""
        if self.phase is Phase.READY:
            self.start()
        if self.phase is not Phase.FINISHED:
            self.update()
            now = self._clock()
            self._leave_step(self._active(now))
            self._ended_by = self.step.id if gone else None
            self._gone = gone
            self._finished_at = now
            self.phase = Phase.FINISHED
        return self._summary()

    def _summary(self) -> RunSummary:
        assert self.started_at is not None
        return RunSummary(
            routine_id=self.routine.id,
            muscle=self.routine.muscle,
            side=self.side,
            started_at=self.started_at,
            duration_seconds=self.total_elapsed(),
            gone=self._gone,
            ended_by=self._ended_by,
            step_seconds=dict(self._step_seconds),
            escalated=self.escalated,
            rounds=self.round,
        )
