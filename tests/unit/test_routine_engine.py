"""The relief routine engine, driven by a fake clock: no Textual, no real waiting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cramp_coach.core.content import load_library
from cramp_coach.core.record import replace
from cramp_coach.core.routine import Escalated, Phase, RoutineRun, StepChanged

WALL = datetime(2026, 11, 25, 3, 12, tzinfo=UTC)


@pytest.fixture
def calf():
    return load_library().routine_for("calf")


@pytest.fixture
def timed(calf):
    """The calf routine with every step timed (none held until the cramp lets go)."""
    return replace(calf, steps=tuple(replace(step, until_release=False) for step in calf.steps))


def make_run(routine, clock, **kwargs) -> RoutineRun:
    run = RoutineRun(routine, clock=clock, wall_clock=lambda: WALL, **kwargs)
    run.start()
    return run


def test_countdown_follows_the_clock(calf, clock):
    run = make_run(calf, clock)
    first = calf.steps[0].seconds
    assert run.remaining() == first
    clock.advance(12.5)
    assert run.remaining() == pytest.approx(first - 12.5)
    assert run.step.id == "calf-stretch"


def test_pause_across_minutes_holds_the_step_but_not_the_cramp(calf, clock):
    run = make_run(calf, clock)
    clock.advance(10)
    run.pause()
    clock.advance(180)
    assert run.update() == []
    assert run.phase is Phase.PAUSED
    assert run.remaining() == pytest.approx(calf.steps[0].seconds - 10)
    assert run.total_elapsed() == pytest.approx(190)
    run.resume()
    clock.advance(5)
    assert run.remaining() == pytest.approx(calf.steps[0].seconds - 15)
    assert run.step_seconds()["calf-stretch"] == pytest.approx(15)


def test_ten_minutes_of_late_polling_has_no_drift(timed, clock):
    """After 10 minutes, with pauses and irregular polls, the countdown is exact to 0.1 s."""
    run = make_run(timed, clock)
    cycle = sum(step.seconds for step in timed.steps)
    active = 0.0
    for i in range(600):
        clock.advance(0.7 if i % 3 else 1.37)  # irregular ticks
        active += 0.7 if i % 3 else 1.37
        run.update()
        if i == 100:
            run.pause()
            clock.advance(42.0)  # paused time must not count toward the step
            run.update()
            run.resume()
    into_cycle = active % cycle
    expected_index = 0
    for expected_index, step in enumerate(timed.steps):  # noqa: B007 (read after the loop)
        if into_cycle < step.seconds:
            break
        into_cycle -= step.seconds
    assert run.index == expected_index
    assert abs(run.remaining() - (timed.steps[expected_index].seconds - into_cycle)) < 0.1
    assert abs(run.total_elapsed() - (active + 42.0)) < 0.1


def test_steps_advance_on_their_own_and_loop_after_the_last(timed, clock):
    run = make_run(timed, clock)
    clock.advance(timed.steps[0].seconds)
    events = run.update()
    assert events == [StepChanged(1, timed.steps[1], 1, automatic=True)]
    clock.advance(sum(step.seconds for step in timed.steps[1:]))
    events = run.update()
    assert [e.index for e in events if isinstance(e, StepChanged)] == [2, 3, 0]
    assert run.round == 2


def test_skip_past_the_last_step_starts_again(calf, clock):
    run = make_run(calf, clock)
    for _ in range(len(calf.steps) - 1):
        run.next()
    assert run.step.id == calf.steps[-1].id
    changed = run.next()
    assert changed is not None and changed.index == 0 and changed.round == 2
    assert run.remaining() == calf.steps[0].seconds


def test_back_from_the_first_step_restarts_it(calf, clock):
    run = make_run(calf, clock)
    clock.advance(20)
    changed = run.previous()
    assert changed is not None and changed.index == 0 and run.round == 1
    assert run.remaining() == calf.steps[0].seconds
    assert run.step_seconds()["calf-stretch"] == pytest.approx(20)


def test_back_goes_to_the_step_before(calf, clock):
    run = make_run(calf, clock)
    run.next()
    run.next()
    run.previous()
    assert run.step.id == calf.steps[1].id


def test_add_fifteen_seconds(timed, clock):
    run = make_run(timed, clock)
    clock.advance(timed.steps[0].seconds - 1)
    run.add_time()
    assert run.remaining() == pytest.approx(16)
    clock.advance(10)
    assert run.update() == []
    assert run.step.id == "calf-stretch"
    clock.advance(6)
    assert isinstance(run.update()[0], StepChanged)


def test_escalation_at_ten_minutes_once_and_routine_goes_on(calf, clock):
    run = make_run(calf, clock)
    clock.advance(599)
    assert not any(isinstance(e, Escalated) for e in run.update())
    clock.advance(1)
    events = run.update()
    assert [e for e in events if isinstance(e, Escalated)] == [Escalated(600.0)]
    assert run.phase is Phase.RUNNING
    clock.advance(30)
    assert not any(isinstance(e, Escalated) for e in run.update())


def test_escalation_counts_paused_time(calf, clock):
    run = make_run(calf, clock)
    run.pause()
    clock.advance(601)
    assert any(isinstance(e, Escalated) for e in run.update())


def test_finish_reports_duration_ending_step_and_time_per_step(timed, clock):
    run = make_run(timed, clock, side="left")
    clock.advance(timed.steps[0].seconds)
    run.update()
    clock.advance(20)
    summary = run.finish()
    assert summary.gone and summary.ended_by == "calf-massage"
    assert summary.duration_seconds == pytest.approx(timed.steps[0].seconds + 20)
    assert summary.step_seconds == pytest.approx({"calf-stretch": timed.steps[0].seconds, "calf-massage": 20})
    assert summary.side == "left" and summary.muscle == "calf"
    assert summary.started_at == WALL
    clock.advance(100)
    assert run.total_elapsed() == pytest.approx(timed.steps[0].seconds + 20)
    assert run.next() is None


def test_leaving_early_records_no_ending_step(calf, clock):
    run = make_run(calf, clock)
    clock.advance(5)
    summary = run.finish(gone=False)
    assert not summary.gone and summary.ended_by is None


def test_switching_muscle_keeps_the_cramps_time(calf, clock):
    library = load_library()
    run = make_run(calf, clock)
    clock.advance(8)
    run.switch_routine(library.routine_for("hamstring"))
    assert run.step.id == "hamstring-stretch"
    assert run.total_elapsed() == pytest.approx(8)
    clock.advance(4)
    assert run.finish().step_seconds == pytest.approx({"calf-stretch": 8, "hamstring-stretch": 4})


def test_unknown_side_is_refused(calf, clock):
    with pytest.raises(ValueError, match="left, right, both"):
        RoutineRun(calf, side="up", clock=clock)


def test_a_routine_that_does_not_repeat_completes_after_its_last_step(clock):
    from cramp_coach.core.checklist import load_default_items, stretch_routine
    from cramp_coach.core.routine import Completed

    calf_item = load_default_items()[0]
    routine = stretch_routine(calf_item)
    assert len(routine.steps) == 11  # 3 holds a leg, rests between, none after the last
    assert calf_item.stretch.total_seconds == 110
    run = RoutineRun(routine, clock=clock, wall_clock=lambda: WALL, repeat=False)
    run.start()
    clock.advance(109)
    assert not any(isinstance(e, Completed) for e in run.update())
    clock.advance(5)
    events = run.update()
    completed = [e for e in events if isinstance(e, Completed)]
    assert len(completed) == 1 and run.phase is Phase.FINISHED
    assert completed[0].summary.duration_seconds == pytest.approx(110)
    assert run.update() == []


def test_a_step_held_until_the_cramp_lets_go_waits(calf, clock):
    run = make_run(calf, clock)
    assert run.step.until_release and run.holding
    clock.advance(calf.steps[0].seconds * 5)
    assert run.update() == [] and run.step.id == "calf-stretch"
    assert run.step_elapsed() == pytest.approx(calf.steps[0].seconds * 5)  # the count-up a screen shows
    changed = run.next()
    assert isinstance(changed, StepChanged) and run.step.id == "calf-massage" and not run.holding
    summary = run.finish()
    assert summary.duration_s == int(summary.duration_seconds)
