"""Records behave as the dataclasses they stand in for (they exist to start faster)."""

from __future__ import annotations

import copy
import pickle
from functools import cached_property

import pytest

from cramp_coach.core.content import Source
from cramp_coach.core.models import Cramp, local_now
from cramp_coach.core.record import FrozenInstanceError, field, record, record_fields, replace


@record
class Point:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    hidden: str = field(default="h", repr=False, compare=False)

    @cached_property
    def total(self) -> int:
        return self.x + self.y


@record(frozen=False)
class Box:
    size: int
    made: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.made = self.size * 2


def test_construct_by_position_or_keyword_with_defaults() -> None:
    assert Point(1) == Point(x=1, y=0, tags=[])
    assert Point(1, 2).y == 2
    assert Point(1).tags is not Point(1).tags  # a fresh list each time, as default_factory gives


def test_values_sit_in_field_order_and_cached_property_works() -> None:
    point = Point(3, 4)
    assert list(vars(point)) == ["x", "y", "tags", "hidden"]
    assert point.total == 7


def test_wrong_arguments_are_type_errors_naming_the_problem() -> None:
    with pytest.raises(TypeError, match="missing required argument: 'x'"):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(1, z=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        Point(1, x=2)  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes 4 arguments but 5"):
        Point(1, 2, [], "h", 5)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'made'"):
        Box(1, made=3)  # type: ignore[call-arg]


def test_frozen_records_refuse_changes_and_hash_by_value() -> None:
    point = Point(1, 2)
    with pytest.raises(FrozenInstanceError):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del point.y  # type: ignore[misc]
    assert hash(Source("a", "b")) == hash(Source("a", "b")) and len({Source("a", "b"), Source("a", "b")}) == 1
    assert Point(1, 2, hidden="a") == Point(1, 2, hidden="b")  # compare=False
    assert Point(1, 2) != Point(2, 1)
    assert Point(1) != (1, 0)


def test_changeable_records_run_post_init_and_are_unhashable() -> None:
    box = Box(3)
    assert box.made == 6
    box.size = 4
    assert box.size == 4
    with pytest.raises(TypeError):
        hash(box)


def test_repr_shows_the_shown_fields() -> None:
    assert repr(Point(1, 2)) == "Point(x=1, y=2, tags=[])"


def test_replace_builds_a_checked_copy() -> None:
    point = Point(1, 2, ["a"])
    moved = replace(point, y=5)
    assert moved == Point(1, 5, ["a"]) and point.y == 2
    with pytest.raises(ValueError, match="'made' cannot be given"):
        replace(Box(1), made=3)
    assert [one.name for one in record_fields(Point)] == ["x", "y", "tags", "hidden"]


def test_app_records_copy_and_pickle() -> None:
    source = Source(title="NHS [b]leg cramps[/b]", url="https://www.nhs.uk/conditions/leg-cramps/")
    assert pickle.loads(pickle.dumps(source)) == source
    cramp = Cramp(started_at=local_now(), muscle="calf")
    assert copy.copy(cramp) == cramp and copy.deepcopy(cramp) == cramp
    assert cramp.with_changes(note="x" * 10).note == "x" * 10
