"""A fast yes for "this instance conforms", by ``jsonschema-rs``; ``jsonschema`` still has
the last word on everything else, and words every finding.

Most exchanges of real traffic conform, and ``jsonschema`` (pure Python) spends about
0.2-0.5 ms on a small body; ``jsonschema-rs`` (Rust) answers the same yes/no in a few
microseconds. So :meth:`FastCheck.conforms` is asked first: a yes is final, and anything
else (a no, an instance it cannot take, a schema it cannot compile) goes to ``jsonschema``,
which reports the findings as before. A yes must therefore never be given where
``jsonschema`` says no. The schemas it compiles are the :class:`~.schemas.SchemaSet`'s own
(the same ``nullable`` rewriting, the same ``$ref`` s), except where the two could differ:

* ``x-conform-discriminator`` (selecting branches by tag) is written out as the plain
  JSON Schema it means: per tag value, the object with that tag and one of its branches;
* ``pattern`` and ``multipleOf`` are checked by ``jsonschema`` itself, as custom keywords
  (Python's ``re`` is not ECMA 262's, and a float ``multipleOf`` is a matter of rounding);
* formats are not asserted (as ``jsonschema`` is used here);
* a document with ``patternProperties`` anywhere gets no fast check at all (its regexes
  decide which properties are additional), nor one with ``unevaluatedProperties`` or
  ``unevaluatedItems`` (which properties count as evaluated would differ through the
  discriminator keyword);
* the caller asks only for instances that hold no NaN or infinity (``jsonschema-rs`` cannot
  represent them): :func:`parse_json` says which.

Without ``jsonschema-rs`` installed everything goes to ``jsonschema``: same findings, slower.
``tests/conform/test_conform_fastcheck.py`` checks the rule above on generated instances.
"""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

from ...errors import pointer_parts
from ...pipeline.load import iter_schema_objects

__all__ = ["FastCheck", "parse_json"]

DISCRIMINATOR = "x-conform-discriminator"  # the keyword SchemaSet writes (schemas.py)
_PATTERN = "x-conform-pattern"
_MULTIPLE_OF = "x-conform-multipleOf"
_SCHEMA_MAPS = ("properties", "$defs", "definitions", "dependentSchemas")
# Regexes that decide which properties are additional; and keywords that see what other
# keywords evaluated, which jsonschema does not know of through its discriminator keyword.
_UNSUPPORTED = frozenset({"patternProperties", "unevaluatedProperties", "unevaluatedItems"})
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "items", "additionalItems", "additionalProperties", "not", "if", "then", "else",
    "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema",
)  # fmt: skip


class _Unsupported(Exception):
    """The document has what the fast check does not take."""


class _JsonReader:
    """:func:`json.loads`, noting whether a number was not finite; one decoder, reused."""

    def __init__(self) -> None:
        self.finite = True
        self.decoder = json.JSONDecoder(parse_float=self._number, parse_constant=self._constant)

    def _constant(self, name: str) -> float:
        self.finite = False
        return float(name)

    def _number(self, text: str) -> float:
        value = float(text)
        if value - value != 0.0:  # inf - inf and nan - nan are nan
            self.finite = False
        return value

    def read(self, data: bytes | str) -> tuple[Any, bool]:
        self.finite = True
        if isinstance(data, str):  # as json.loads reads text: a BOM is an error
            if data.startswith("\ufeff"):
                raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", data, 0)
            text = data
        else:  # as json.loads reads bytes: UTF-8, -16 or -32, told by the first bytes
            text = data.decode(json.detect_encoding(data), "surrogatepass")
        value = self.decoder.decode(text)
        return value, self.finite


_LOCAL = threading.local()  # one reader per thread: its flag is per call


def parse_json(data: bytes | str) -> tuple[Any, bool]:
    """``json.loads(data)`` and whether every number in it is finite (no NaN, no infinity:
    ``NaN`` / ``Infinity`` literals and numbers too large for a float)."""
    reader: _JsonReader | None = getattr(_LOCAL, "reader", None)
    if reader is None:
        reader = _LOCAL.reader = _JsonReader()
    return reader.read(data)


class FastCheck:
    """``jsonschema-rs`` validators over a rewritten document, compiled on first use."""

    def __init__(self, data: dict[str, Any], base_uri: str, draft4: bool, base: Any) -> None:
        self._validators: dict[str, Any] = {}
        self._module: Any = None
        try:
            import jsonschema_rs
        except ImportError:
            return
        try:
            rewritten = _rewrite_document(data)
            draft = jsonschema_rs.Draft4 if draft4 else jsonschema_rs.Draft202012
            self._registry = jsonschema_rs.Registry([(base_uri, rewritten)], draft=draft)
        except Exception:  # a document it cannot take: jsonschema checks everything
            return
        self._module = jsonschema_rs
        self._class = (
            jsonschema_rs.Draft4Validator if draft4 else jsonschema_rs.Draft202012Validator
        )
        self._base_uri = base_uri
        self._keywords = {_PATTERN: _keyword(base, "pattern"),
                          _MULTIPLE_OF: _keyword(base, "multipleOf")}  # fmt: skip

    @property
    def available(self) -> bool:
        return self._module is not None

    def conforms(self, ref: str, instance: Any) -> bool:
        """True when the instance surely conforms to the schema at ``ref`` (a URI fragment);
        False when that is not sure (it may still conform)."""
        if self._module is None:
            return False
        validator = self._validators.get(ref, False)
        if validator is False:
            try:
                validator = self._class(
                    {"$ref": self._base_uri + "#" + ref}, registry=self._registry,
                    keywords=self._keywords, validate_formats=False,
                )  # fmt: skip
            except Exception:  # a schema it cannot compile: jsonschema checks it
                validator = None
            self._validators[ref] = validator
        if validator is None:
            return False
        try:
            return bool(validator.is_valid(instance))
        except Exception:  # an instance it cannot take (a lone surrogate, say)
            return False


def _keyword(base: Any, name: str) -> type:
    """A custom keyword that asks ``jsonschema`` (class ``base``) about one keyword."""

    class Keyword:
        def __init__(self, parent: Any, value: Any, schema: Any) -> None:
            self._valid = base({name: value}).is_valid

        def validate(self, instance: Any) -> None:
            if not self._valid(instance):
                raise ValueError(f"{name} not satisfied")

    return Keyword


def _rewrite_document(data: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for pointer, schema in list(iter_schema_objects(out)):
        parts = pointer_parts(pointer)
        node: Any = out
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(parts[-1]) if isinstance(node, list) else parts[-1]
        node[key] = _rewrite(schema)
    return out


def _rewrite(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    unions: list[dict[str, Any]] = []
    for key, value in schema.items():
        if key in _UNSUPPORTED:
            raise _Unsupported(key)
        if key == "dependencies" and isinstance(value, dict):  # Draft 4: schemas or names
            out[key] = {name: _rewrite(item) for name, item in value.items()}
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _rewrite(item) for name, item in value.items()}
        elif key in (*_SCHEMA_LISTS, *_SCHEMA_ONE) and isinstance(value, list):
            out[key] = [_rewrite(item) for item in value]
        elif key in _SCHEMA_ONE:
            out[key] = _rewrite(value)
        elif key == "pattern":
            out[_PATTERN] = value
        elif key == "multipleOf":
            out[_MULTIPLE_OF] = value
        elif key == DISCRIMINATOR and isinstance(value, dict):
            unions.append(_discriminated(value))
        else:
            out[key] = value
    if unions:
        own = out.get("allOf", [])
        if not isinstance(own, list):
            raise _Unsupported("allOf")
        out["allOf"] = [*own, *unions]
    return out


def _discriminated(spec: dict[str, Any]) -> dict[str, Any]:
    """The plain JSON Schema of a discriminated union (see ``schemas._discriminator``)."""
    prop = spec["propertyName"]
    branches = [_rewrite(branch) for branch in spec["branches"]]
    cases: dict[str, list[int]] = spec["cases"]
    unmapped: list[int] = spec["unmapped"]

    def any_of(indexes: list[int] | range) -> dict[str, Any]:
        chosen = [branches[i] for i in indexes]
        return {"anyOf": chosen} if chosen else {"not": {}}

    alternatives: list[dict[str, Any]] = [
        {"not": {"type": "object"}, **any_of(range(len(branches)))}
    ]
    named = [value for value, indexes in cases.items() if indexes]
    for value in named:
        tagged = {"type": "object", "required": [prop], "properties": {prop: {"enum": [value]}}}
        alternatives.append({**tagged, **any_of(cases[value])})
    if unmapped:
        other: dict[str, Any] = {"not": {"enum": named}} if named else {}
        untagged = {"type": "object", "required": [prop], "properties": {prop: other}}
        alternatives.append({**untagged, **any_of(unmapped)})
    return {"anyOf": alternatives}
