"""Records: dataclass-like classes that cost next to nothing to define.

``@dataclass`` writes and compiles the source of each class's ``__init__``, ``__eq__``,
``__repr__``, ``__hash__`` and frozen ``__setattr__``: about 0.35 ms a class. The relief screen's
start-up path defines fifteen such classes (the diary entry, settings, guidance, the routine
engine's events), so that was 5 ms of the 3 a.m. start. ``@record`` gives the same behaviour from
ready-made functions: fields in declaration order with defaults and ``field(...)`` options,
keyword or positional construction, equality and hashing by value, a dataclass-style repr, and
(by default) frozen instances. Type checkers read it as a dataclass (``dataclass_transform``). It
does not import :mod:`dataclasses` (with ``inspect``, about 4 ms), which short commands feel.

Instances keep their values in ``__dict__`` in field order, as a dataclass does, so
``cached_property`` and ``vars()`` work. :func:`replace` is :func:`dataclasses.replace` for records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["FrozenInstanceError", "field", "record", "record_fields", "replace"]

T = TypeVar("T")
_FIELDS = "__record_fields__"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # no default given


class FrozenInstanceError(AttributeError):
    """A frozen record was changed (as ``dataclasses.FrozenInstanceError``)."""


class _FieldOptions:
    """What ``field(...)`` was given (read when the class is made a record)."""

    __slots__ = ("compare", "default", "default_factory", "init", "repr")

    def __init__(self, default: Any, default_factory: Callable[[], Any] | None, init: bool, repr: bool, compare: bool) -> None:  # noqa: A002
        self.default, self.default_factory, self.init, self.repr, self.compare = default, default_factory, init, repr, compare


def field(
    *, default: Any = MISSING, default_factory: Callable[[], Any] | None = None, init: bool = True, repr: bool = True, compare: bool = True
) -> Any:
    """A field's options, as ``dataclasses.field``: a default or a factory for one, whether ``__init__``
    takes it, and whether the repr shows it and equality compares it."""
    return _FieldOptions(default, default_factory, init, repr, compare)


class RecordField:
    """One field: its name, what it starts as, and whether it is an argument, compared, shown.
    (A plain class: a NamedTuple costs a tenth of a millisecond to define, at every start.)"""

    __slots__ = ("compare", "default", "factory", "init", "name", "repr")

    def __init__(
        self, name: str, default: Any = MISSING, factory: Callable[[], Any] | None = None, init: bool = True, compare: bool = True, repr: bool = True,  # noqa: A002
    ) -> None:
        self.name, self.default, self.factory, self.init, self.compare, self.repr = name, default, factory, init, compare, repr

    def __repr__(self) -> str:
        return f"RecordField(name={self.name!r}, default={self.default!r}, init={self.init}, compare={self.compare}, repr={self.repr})"


def _read_fields(cls: type) -> tuple[RecordField, ...]:
    """The fields of ``cls``: its bases' (records), then its own annotations in order."""
    found: dict[str, RecordField] = {}
    for base in reversed(cls.__mro__[1:]):
        for inherited in getattr(base, _FIELDS, ()):
            found[inherited.name] = inherited
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if "ClassVar" in str(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, _FieldOptions):
            found[name] = RecordField(name, value.default, value.default_factory, value.init, value.compare, value.repr)
            if value.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, value.default)
        else:
            found[name] = RecordField(name, value)
    return tuple(found.values())


def _make_init(cls: type, fields: tuple[RecordField, ...]) -> Callable[..., None]:
    arguments = [one.name for one in fields if one.init]
    accepted = frozenset(arguments)
    positional_limit = len(arguments)
    title = cls.__qualname__
    post_init = getattr(cls, "__post_init__", None)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > positional_limit:
            raise TypeError(f"{title}() takes {positional_limit} arguments but {len(args)} were given")
        given = dict(zip(arguments, args, strict=False))
        for key, value in kwargs.items():
            if key not in accepted:
                raise TypeError(f"{title}() got an unexpected keyword argument {key!r}")
            if key in given:
                raise TypeError(f"{title}() got multiple values for argument {key!r}")
            given[key] = value
        values = {}
        for one in fields:
            name = one.name
            if name in given:
                values[name] = given[name]
            elif one.factory is not None:
                values[name] = one.factory()
            elif one.default is not MISSING:
                values[name] = one.default
            elif one.init:
                raise TypeError(f"{title}() missing required argument: {name!r}")
        self.__dict__.update(values)
        if post_init is not None:
            post_init(self)

    __init__.__qualname__ = f"{title}.__init__"
    return __init__


def _compare_key(fields: tuple[RecordField, ...]) -> Callable[[Any], tuple[Any, ...]]:
    names = tuple(one.name for one in fields if one.compare)

    def key(self: Any) -> tuple[Any, ...]:
        values = self.__dict__
        return tuple(values[name] for name in names)

    return key


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _build(cls: type[T], frozen: bool) -> type[T]:
    fields = _read_fields(cls)
    setattr(cls, _FIELDS, fields)
    key = _compare_key(fields)
    shown = tuple(one.name for one in fields if one.repr)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return key(self) == key(other)

    def __repr__(self: Any) -> str:
        values = self.__dict__
        return f"{type(self).__qualname__}({', '.join(f'{name}={values.get(name)!r}' for name in shown)})"

    methods: dict[str, Any] = {
        "__init__": _make_init(cls, fields),
        "__eq__": __eq__,
        "__repr__": __repr__,
        "__match_args__": tuple(one.name for one in fields if one.init),
        # Equal by value: hashable by value when frozen; unhashable when it can change (as a dataclass).
        "__hash__": (lambda self: hash(key(self))) if frozen else None,
    }
    if frozen:
        methods.update(__setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    for name, method in methods.items():
        setattr(cls, name, method)
    return cls


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, frozen: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = True) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a record: ``@record`` (frozen) or ``@record(frozen=False)``."""
    if cls is None:
        return lambda later: _build(later, frozen)
    return _build(cls, frozen)


def record_fields(item: object) -> tuple[RecordField, ...]:
    """The fields of a record class or instance."""
    fields: tuple[RecordField, ...] = getattr(item, _FIELDS)
    return fields


def replace(item: T, /, **changes: Any) -> T:
    """A copy of the record ``item`` with ``changes``, built through its ``__init__`` again."""
    for one in record_fields(item):
        if not one.init:
            if one.name in changes:
                raise ValueError(f"field {one.name!r} cannot be given to {type(item).__qualname__}()")
        elif one.name not in changes:
            changes[one.name] = getattr(item, one.name)
    return type(item)(**changes)
