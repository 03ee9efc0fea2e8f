"""Run-time stand-ins for the few `typing` names the hooks' modules need at run time.

The hooks load with every behave run. behave 1.2.6 never imports `typing` (3.5 ms,
half the cost of loading the hooks there), and `typing.NamedTuple` evaluates, or
compiles, every field's annotation. Here a record class is `collections.namedtuple`
built from the names of its annotations (never evaluated: the modules that use it
have `from __future__ import annotations`), their defaults, and the class body's
methods and docstring. Type checkers see `typing.NamedTuple` itself:

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from .typing_free import NamedTuple

`Generic` and `TypeVar` stand in for a class that is generic to type checkers only.
"""

from __future__ import annotations

import collections

# What a record class may not define: namedtuple's own machinery (as typing forbids).
_PROHIBITED = frozenset(
    {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults"}
    | {"_make", "_replace", "_asdict", "_source"}
)
_NOT_COPIED = frozenset({"__module__", "__annotations__"})


class _NamedTupleMeta(type):
    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
        if not bases:  # NamedTuple itself
            return super().__new__(mcls, name, bases, namespace)
        annotations = namespace.get("__annotations__", {})
        assert isinstance(annotations, dict)
        fields = list(annotations)
        defaults = []
        for field in fields:
            if field in namespace:
                defaults.append(namespace[field])
            elif defaults:
                raise TypeError(f"{name}: field {field} without a default follows a field with one")
        module = str(namespace["__module__"])
        record = collections.namedtuple(name, fields, defaults=defaults, module=module)  # type: ignore[misc]
        record.__annotations__ = dict(annotations)
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError(f"{name}: cannot overwrite NamedTuple attribute {key}")
            if key not in _NOT_COPIED and key not in fields:
                setattr(record, key, value)
        return record


class NamedTuple(metaclass=_NamedTupleMeta):
    """Subclass it as `typing.NamedTuple`: the subclass is a namedtuple class."""


def TypeVar(name: str) -> str:
    """A type variable's stand-in: subscripts of `Generic` ignore it."""
    return name


class Generic:
    """Subclass `Generic[T]` as in typing: at run time, a plain base class."""

    __slots__ = ()

    def __class_getitem__(cls, parameters: object) -> type[Generic]:
        return cls
