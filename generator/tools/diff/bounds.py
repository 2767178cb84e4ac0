"""How the bounds of a value changed: tightened, loosened or changed.

Bounds are the values ``ir.Bounds`` holds (``minimum``, ``max_length``, ``pattern``, the
allowed values of a non-string enum, ...), compared by name. A bound this module has no
direction for (a pattern, a format, one added to ``ir.Bounds`` later) is ``changed``.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ...pipeline import ir

Direction = Literal["tightened", "loosened", "changed"]

_LOWER = frozenset({"minimum", "exclusive_minimum", "min_length", "min_items"})
_UPPER = frozenset({"maximum", "exclusive_maximum", "max_length", "max_items"})


def bounds(found: ir.Bounds) -> dict[str, Any]:
    """The bounds that are set, by name; allowed enum values as a set."""
    values = {k: v for k, v in attrs.asdict(found, recurse=False).items() if v is not None}
    if isinstance(values.get("values"), tuple | list):
        values["values"] = frozenset(_hashable(v) for v in values["values"])
    return values


def _hashable(value: Any) -> Any:
    """A JSON value as something a set can hold (lists and objects frozen)."""
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def bound_direction(key: str, old: Any, new: Any) -> Direction:
    """What a bound change does to the set of accepted values."""
    if old is None:
        return "tightened"
    if new is None:
        return "loosened"
    if isinstance(old, frozenset) and isinstance(new, frozenset):
        if new <= old:
            return "tightened"
        return "loosened" if old <= new else "changed"
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new))
    if numbers and key in _LOWER:
        return "tightened" if new > old else "loosened"
    if numbers and key in _UPPER:
        return "tightened" if new < old else "loosened"
    if numbers and key == "multiple_of" and old and new:
        if float(new / old).is_integer():
            return "tightened"
        if float(old / new).is_integer():
            return "loosened"
    return "changed"


def show_bound(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(repr(v) for v in value)) + "}"
    return str(value)
