"""The API description a generated package carries (``<package>/_api.json``).

It is the package's ``ir.Api`` as deterministic JSON, so that a later regeneration can
compare against it (``generate --changelog``) when the spec it came from is gone. Spec
prose (``description``, ``summary``) and ``examples`` are left out; everything else is
kept: names, fields, types, required, nullability, bounds, defaults, enums, unions and
discriminators, operations, parameters, bodies, responses, event streams.

The encoding is generic over the attrs classes of :mod:`.ir`, so new IR fields and
classes are described without edits here:

* an IR object is ``{"$": "<class name>", "<field>": value, ...}``; a field equal to its
  default is left out (and restored from the default when loaded);
* a tuple is a JSON array; a list is ``{"$list": [...]}``, a dict ``{"$map": {...}}`` (JSON
  values from the spec, such as defaults) and a set ``{"$set": [...]}``, sorted; a
  non-finite float is ``{"$float": "inf"}``;
* the document is ``{"format": "api-description/1", "api": <the Api>}``, with sorted keys.

:func:`load` is the exact inverse of :func:`dump` for what it keeps, and raises
:class:`DescriptionError` for anything else (another format version, an IR class or
field this generator does not have, a required field missing).
"""

from __future__ import annotations

import json
import math
from typing import Any

import attrs

from . import ir

FORMAT = "api-description/1"
FILE_NAME = "_api.json"  # where in the package it is

# Left out of descriptions; restored as these values when loaded.
PROSE: dict[str, Any] = {"description": "", "summary": "", "examples": ()}

_CLASSES: dict[str, type] = {
    name: value for name, value in vars(ir).items() if isinstance(value, type) and attrs.has(value)
}


class DescriptionError(ValueError):
    """The text is not an API description this generator can read."""


def dump(api: ir.Api) -> str:
    """The description of ``api``: deterministic JSON text ending in a newline."""
    document = {"format": FORMAT, "api": _encode(api)}
    # Compact, so that the C encoder writes it: a large API's description is megabytes.
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)  # fmt: skip
    return text + "\n"


def load(text: str | bytes) -> ir.Api:
    """The ``ir.Api`` that :func:`dump` described (prose and examples empty)."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DescriptionError(f"not an API description: {exc}") from None
    found = document.get("format") if isinstance(document, dict) else None
    if found != FORMAT:
        raise DescriptionError(
            f"unknown API description format {found!r} (this generator reads {FORMAT!r})"
        )
    api = _decode(document.get("api"), "/api")
    if not isinstance(api, ir.Api):
        raise DescriptionError("/api: expected an Api object")
    return api


# ---------------------------------------------------------------- encoding


_NO_DEFAULT = object()

# Per IR class: its name and, for each field described, the default that leaves it out
# (worked out once per class: a large API's description has about 100,000 objects).
_PLANS: dict[type, tuple[str, tuple[tuple[str, Any], ...]]] = {}


def _plan(kind: type) -> tuple[str, tuple[tuple[str, Any], ...]]:
    if _CLASSES.get(kind.__name__) is not kind:
        raise TypeError(f"{kind.__qualname__} is not a class of generator.pipeline.ir")
    fields = tuple(
        (field.name, _omitted_default(field))
        for field in attrs.fields(kind)
        if field.name not in PROSE
    )
    _PLANS[kind] = plan = (kind.__name__, fields)
    return plan


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value
    plan = _PLANS.get(kind)
    if plan is None and attrs.has(kind):
        plan = _plan(kind)
    if plan is not None:
        name, fields = plan
        out: dict[str, Any] = {"$": name}
        for field_name, default in fields:
            item = getattr(value, field_name)
            if default is not _NO_DEFAULT and type(item) is type(default) and item == default:
                continue
            out[field_name] = _encode(item)
        return out
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, list):
        return {"$list": [_encode(item) for item in value]}
    if isinstance(value, dict):
        return {"$map": {str(key): _encode(item) for key, item in value.items()}}
    if isinstance(value, frozenset | set):
        items = sorted(
            (_encode(item) for item in value), key=lambda v: json.dumps(v, sort_keys=True)
        )
        return {"$set": items}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": str(value)}
    if isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot describe a {kind.__qualname__} value")


def _omitted_default(field: attrs.Attribute[Any]) -> Any:
    """The value at which ``field`` is left out, or ``_NO_DEFAULT`` (always written)."""
    default = field.default
    if default is attrs.NOTHING or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return _NO_DEFAULT
    return default


# ---------------------------------------------------------------- decoding


def _decode(node: Any, where: str) -> Any:
    if isinstance(node, list):
        return tuple(_decode(item, f"{where}/{index}") for index, item in enumerate(node))
    if not isinstance(node, dict):
        return node
    if "$" in node:
        return _decode_object(node, where)
    if set(node) == {"$list"} and isinstance(node["$list"], list):
        return [_decode(item, f"{where}/{i}") for i, item in enumerate(node["$list"])]
    if set(node) == {"$map"} and isinstance(node["$map"], dict):
        return {key: _decode(item, f"{where}/{key}") for key, item in node["$map"].items()}
    if set(node) == {"$set"} and isinstance(node["$set"], list):
        return frozenset(_decode(item, f"{where}/{i}") for i, item in enumerate(node["$set"]))
    if set(node) == {"$float"} and node["$float"] in ("inf", "-inf", "nan"):
        return float(node["$float"])
    raise DescriptionError(f"{where}: an object without a class")


def _decode_object(node: dict[str, Any], where: str) -> Any:
    name = node["$"]
    kind = _CLASSES.get(name) if isinstance(name, str) else None
    if kind is None:
        raise DescriptionError(f"{where}: unknown IR class {name!r}")
    fields = {field.name: field for field in attrs.fields(kind)}
    unknown = sorted(key for key in node if key != "$" and key not in fields)
    if unknown:
        raise DescriptionError(f"{where}: {name} has no field {unknown[0]!r}")
    values: dict[str, Any] = {}
    for field_name, field in fields.items():
        if field_name in node:
            values[field_name] = _decode(node[field_name], f"{where}/{field_name}")
        elif field_name in PROSE:
            values[field_name] = PROSE[field_name]
        elif field.default is attrs.NOTHING:
            raise DescriptionError(f"{where}: {name} lacks its field {field_name!r}")
    try:
        return kind(**values)
    except (TypeError, ValueError) as exc:
        raise DescriptionError(f"{where}: cannot make a {name}: {exc}") from None
