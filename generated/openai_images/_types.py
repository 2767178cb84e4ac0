"""The ``UNSET`` sentinel and the conversions generated models and builders share."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final, Literal, Protocol, TypeVar

import attrs

from ._errors import InvalidArgumentTypeError

# PEP 702: marks a deprecated method for type checkers and warns when it is called.
if sys.version_info >= (3, 13):
    from warnings import deprecated
else:
    from typing_extensions import deprecated  # anyio's dependency before Python 3.13

__all__ = [
    "UNSET",
    "UnknownEvent",
    "Unset",
    "deprecated",
    "enum_or_str",
    "if_set",
    "json_type",
    "parse_best_match",
    "to_json",
]

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


class Unset:
    """The type of ``UNSET``: a value the caller did not give (distinct from ``None``)."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()


def if_set(value: Any, convert: Callable[[Any], T]) -> T | Any:
    """``convert(value)`` unless the value is ``UNSET`` or ``None``, which pass through."""
    if value is None or isinstance(value, Unset):
        return value
    return convert(value)


def enum_or_str(enum_class: type[E], value: Any) -> E | Any:
    """The enum member for a known value; any other value is kept as it came."""
    try:
        return enum_class(value)
    except ValueError:
        return value


def to_json(value: Any) -> Any:
    """A JSON-ready copy: models via ``to_dict()``, enums by value, containers recursively."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    raise InvalidArgumentTypeError(f"cannot send a {type(value).__name__} as JSON")


class _Model(Protocol):
    _WIRE_NAMES: ClassVar[frozenset[str]]
    _REQUIRED: ClassVar[tuple[str, ...]]


def parse_best_match(data: Any, classes: tuple[type[Any], ...], strict: bool) -> Any:
    """Parse an object of an undiscriminated union of models with the class that fits best:
    all its required properties present first, then the most properties it declares, then
    the first listed. Whatever class is chosen, ``to_dict()`` gives the object back."""

    def fit(cls: type[_Model]) -> tuple[bool, int]:
        keys = data.keys() if isinstance(data, Mapping) else ()
        return all(name in keys for name in cls._REQUIRED), len(cls._WIRE_NAMES & set(keys))

    best = max(classes, key=lambda cls: fit(cls))  # max keeps the first of equals
    return best.from_dict(data, strict=strict)


@attrs.define(kw_only=True)
class UnknownEvent:
    """An event or union member of a type this client does not know (yet).

    ``type`` is the discriminator value (or the SSE event name); ``data`` is the payload
    exactly as received, and ``to_dict()`` gives it back unchanged.
    """

    type: str | None
    data: dict[str, Any] = attrs.field(factory=dict)

    @classmethod
    def from_dict(cls, data: Any, *, type: str | None = None) -> UnknownEvent:
        payload = dict(data) if isinstance(data, Mapping) else {"value": data}
        return cls(type=type, data=payload)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.data)


def json_type(value: Any) -> str:
    """The JSON Schema type of a loaded JSON or YAML value (``integer`` for whole numbers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    return "object" if isinstance(value, Mapping) else type(value).__name__
