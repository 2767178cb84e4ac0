"""Check every Schema Object's keywords against its dialect, fast, without recursion.

This is the JSON Schema 2020-12 meta-schema (OpenAPI 3.1 and 3.2) and the OpenAPI 3.0 Schema
Object, written out as a table of keyword rules: checking a 3 MB spec's 60,000 schema nodes
with :mod:`jsonschema` against the meta-schemas takes seconds, and recursion makes a deep
schema fail with "maximum recursion depth exceeded". Each node is visited once, however many
places share it (YAML aliases). Findings are warnings: ``(pointer, message)`` pairs.

Idioms of the other OpenAPI version (``exclusiveMinimum: true`` or ``nullable`` in 3.1,
``type: [string, 'null']`` in 3.0) get messages that say so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import pointer_join

Finding = tuple[str, str]  # (JSON pointer, message)

_SIMPLE_TYPES = frozenset(("array", "boolean", "integer", "null", "number", "object", "string"))
_TYPES_30 = _SIMPLE_TYPES - {"null"}

# Keywords whose value is one schema, a map of schemas, or a list of schemas.
_ONE_SCHEMA = frozenset(
    (
        "items", "additionalProperties", "not", "contains", "propertyNames", "if", "then",
        "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems",
    )
)  # fmt: skip
_SCHEMA_MAPS = frozenset(("properties", "patternProperties", "$defs", "definitions",
                          "dependentSchemas"))  # fmt: skip
_SCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))

_STRINGS = frozenset(
    (
        "title", "description", "$comment", "format", "pattern", "contentEncoding",
        "contentMediaType", "$id", "$schema", "$ref", "$dynamicRef", "$recursiveRef",
        "$anchor", "$dynamicAnchor",
    )
)  # fmt: skip
_BOOLEANS = frozenset(("deprecated", "readOnly", "writeOnly", "uniqueItems"))
_COUNTS = frozenset(
    (
        "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties",
        "maxContains", "minContains",
    )
)  # fmt: skip
_NUMBERS = frozenset(("maximum", "minimum"))

# The OpenAPI 3.0 Schema Object: every other keyword is not allowed (except x- extensions).
_KEYWORDS_30 = frozenset(
    (
        "title", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
        "maxProperties", "minProperties", "required", "enum", "type", "not", "allOf", "oneOf",
        "anyOf", "items", "properties", "additionalProperties", "description", "format",
        "default", "nullable", "discriminator", "readOnly", "writeOnly", "example",
        "externalDocs", "deprecated", "xml",
    )
)  # fmt: skip
_KEYWORDS_30_STRINGS = frozenset(("title", "description", "format", "pattern"))


def check_schemas(roots: Iterator[tuple[str, Any]], version: str) -> Iterator[Finding]:
    """Findings in the schemas ``roots`` yields (pointer, schema), and in all their subschemas."""
    checker = _Checker(version == "3.0")
    yield from checker.run(roots)


def schemas_with_defaults(
    roots: Iterator[tuple[str, Any]],
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object (with its pointer) that has a ``default``, each visited once."""
    checker = _Checker(False)
    for pointer, schema in checker.walk(roots):
        if "default" in schema:
            yield pointer, schema


class _Checker:
    def __init__(self, v30: bool) -> None:
        self.v30 = v30
        self.pending: list[tuple[Any, str]] = []
        self.seen: set[int] = set()

    def walk(self, roots: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every schema mapping below ``roots``, once each, in document order."""
        for pointer, schema in roots:
            self.pending.append((schema, pointer))
            while self.pending:
                node, where = self.pending.pop()
                if isinstance(node, dict) and id(node) not in self.seen:
                    self.seen.add(id(node))
                    yield where, node
                    self._queue_subschemas(node, where)

    def _queue_subschemas(self, schema: dict[str, Any], pointer: str) -> None:
        found: list[tuple[Any, str]] = []
        for key, value in schema.items():
            if key in _ONE_SCHEMA:
                found.append((value, pointer_join(pointer, key)))
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                base = pointer_join(pointer, key)
                found.extend((sub, pointer_join(base, name)) for name, sub in value.items())
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                base = pointer_join(pointer, key)
                found.extend((sub, pointer_join(base, i)) for i, sub in enumerate(value))
            elif key == "dependencies" and isinstance(value, dict):
                base = pointer_join(pointer, key)
                found.extend(
                    (sub, pointer_join(base, name))
                    for name, sub in value.items()
                    if isinstance(sub, dict)
                )
        self.pending.extend(reversed(found))  # popped in document order

    def run(self, roots: Iterator[tuple[str, Any]]) -> Iterator[Finding]:
        for pointer, schema in roots:
            yield from self._check_root(pointer, schema)
            for where, node in self.walk(iter([(pointer, schema)])):
                yield from self._check(node, where)

    def _check_root(self, pointer: str, schema: Any) -> Iterator[Finding]:
        if isinstance(schema, bool) and not self.v30:
            return
        if not isinstance(schema, dict):
            kinds = "an object" if self.v30 else "an object or a boolean"
            yield pointer, f"invalid schema: must be {kinds}, not {show_json(schema)}"

    def _check(self, schema: dict[str, Any], pointer: str) -> Iterator[Finding]:
        if self.v30 and "$ref" in schema:
            if not isinstance(schema["$ref"], str):
                yield pointer_join(pointer, "$ref"), _expected("$ref", "a string", schema["$ref"])
            return  # an OpenAPI 3.0 Reference Object: its other keys are ignored
        for key, value in schema.items():
            where = pointer_join(pointer, key)
            rule = _RULES_30.get(key) if self.v30 else _RULES.get(key)
            if rule is not None:
                message = rule(value)
                if message is not None:
                    yield where, message
            elif self.v30 and key not in _KEYWORDS_30 and not key.startswith("x-"):
                yield where, _not_in_30(key)
            if key in _ONE_SCHEMA or key in _SCHEMA_MAPS or key in _SCHEMA_LISTS:
                yield from self._check_subschemas(key, value, where)

    def _check_subschemas(self, key: str, value: Any, where: str) -> Iterator[Finding]:
        """The shape of a keyword holding schemas; the schemas themselves are walked later."""
        if key in _SCHEMA_MAPS:
            if not isinstance(value, dict):
                yield where, _expected(key, "a mapping of schemas", value)
                return
            children = [(pointer_join(where, k), v) for k, v in value.items()]
        elif key in _SCHEMA_LISTS:
            if not isinstance(value, list) or not value:
                yield where, _expected(key, "a non-empty list of schemas", value)
                return
            children = [(pointer_join(where, i), v) for i, v in enumerate(value)]
        else:
            if key == "items" and isinstance(value, list) and not self.v30:
                yield (
                    where,
                    "invalid schema: items must be a schema; a list of schemas is "
                    + ("written prefixItems since JSON Schema 2020-12"),
                )
                return
            children = [(where, value)]
        allow_boolean = not self.v30 or key == "additionalProperties"
        for child_pointer, child in children:
            if isinstance(child, dict) or (allow_boolean and isinstance(child, bool)):
                continue
            kinds = "an object or a boolean" if allow_boolean else "an object"
            yield child_pointer, f"invalid schema: must be {kinds}, not {show_json(child)}"


# --------------------------------------------------------------------------------------------
# Rules: each returns a message for a bad value, or None


Rule = Callable[[Any], "str | None"]


def show_json(value: Any, limit: int = 60) -> str:
    """A value as JSON (``true``, ``null``), shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _expected(key: str, what: str, value: Any) -> str:
    return f"invalid schema: {key} must be {what}, not {show_json(value)}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return integral and not isinstance(value, bool) and value >= 0


def _string(key: str) -> Rule:
    return lambda v: None if isinstance(v, str) else _expected(key, "a string", v)


def _boolean(key: str) -> Rule:
    return lambda v: None if isinstance(v, bool) else _expected(key, "true or false", v)


def _number(key: str) -> Rule:
    return lambda v: None if _is_number(v) else _expected(key, "a number", v)


def _count(key: str) -> Rule:
    return lambda v: None if _is_count(v) else _expected(key, "a non-negative integer", v)


def _multiple_of(value: Any) -> str | None:
    if _is_number(value) and value > 0:
        return None
    return _expected("multipleOf", "a number greater than 0", value)


def _required(value: Any, *, non_empty: bool = False) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return _expected("required", "a list of property names", value)
    if non_empty and not value:
        return "invalid schema: required must not be empty in OpenAPI 3.0; leave it out"
    repeated = sorted({v for v in value if value.count(v) > 1}, key=value.index)
    if repeated:
        return "duplicate entries in required: " + ", ".join(repr(v) for v in repeated)
    return None


def _type(value: Any) -> str | None:
    names = value if isinstance(value, list) else [value]
    if isinstance(value, list) and (not value or len(set(map(repr, value))) != len(value)):
        return _expected("type", "a type name or a non-empty list of distinct type names", value)
    if all(isinstance(n, str) and n in _SIMPLE_TYPES for n in names):
        return None
    return _expected("type", f"one of {', '.join(sorted(_SIMPLE_TYPES))} (or a list)", value)


def _type_30(value: Any) -> str | None:
    if isinstance(value, str) and value in _TYPES_30:
        return None
    if isinstance(value, list) or value == "null":
        return (
            "3.1 idiom in an OpenAPI 3.0 document: type must be one type name; "
            f"write nullable: true for null, not type: {show_json(value)}"
        )
    return _expected("type", f"one of {', '.join(sorted(_TYPES_30))}", value)


def _exclusive(key: str) -> Rule:
    bound = "minimum" if key == "exclusiveMinimum" else "maximum"

    def rule(value: Any) -> str | None:
        if isinstance(value, bool):
            return (
                f"3.0 idiom in an OpenAPI 3.1+ document: {key} is a number (the exclusive "
                f"bound itself) since 3.1, not {show_json(value)}; with {bound} write "
                f"{key}: <{bound}> instead"
            )
        return None if _is_number(value) else _expected(key, "a number", value)

    return rule


def _exclusive_30(key: str) -> Rule:
    def rule(value: Any) -> str | None:
        if isinstance(value, bool):
            return None
        if _is_number(value):
            return (
                f"3.1 idiom in an OpenAPI 3.0 document: {key} is true or false in 3.0 "
                f"(it makes the bound exclusive), not {show_json(value)}"
            )
        return _expected(key, "true or false", value)

    return rule


def _nullable_31(value: Any) -> str | None:
    return (
        "3.0 idiom in an OpenAPI 3.1+ document: nullable is not a keyword since 3.1; "
        "write type: [<type>, 'null'] instead"
    )


def _recursive_anchor(value: Any) -> str | None:
    if isinstance(value, str):
        return None
    return (
        f"$recursiveAnchor: {show_json(value)} is JSON Schema 2019-09; 2020-12 (OpenAPI 3.1+) "
        "replaced it with $dynamicAnchor, so it has no effect"
    )


def _enum(non_empty: bool) -> Rule:
    def rule(value: Any) -> str | None:
        if not isinstance(value, list):
            return _expected("enum", "a list of values", value)
        if non_empty and not value:
            return "invalid schema: enum must not be empty in OpenAPI 3.0"
        return None

    return rule


def _list(key: str) -> Rule:
    return lambda v: None if isinstance(v, list) else _expected(key, "a list", v)


def _mapping(key: str) -> Rule:
    return lambda v: None if isinstance(v, dict) else _expected(key, "a mapping", v)


def _discriminator(value: Any) -> str | None:
    if not isinstance(value, dict):
        return _expected("discriminator", "a mapping with propertyName", value)
    if not isinstance(value.get("propertyName"), str):
        name = value.get("propertyName")
        return _expected("discriminator.propertyName", "a string", name)
    mapping = value.get("mapping", {})
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        return _expected("discriminator.mapping", "a mapping of names to schema refs", mapping)
    return None


def _external_docs(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("url"), str):
        return None
    return _expected("externalDocs", "a mapping with a url", value)


def _dependent_required(value: Any) -> str | None:
    if isinstance(value, dict) and all(_required(v) is None for v in value.values()):
        return None
    return _expected("dependentRequired", "a mapping of lists of property names", value)


def _dependencies(value: Any) -> str | None:
    if isinstance(value, dict) and all(
        isinstance(v, dict | bool) or _required(v) is None for v in value.values()
    ):
        return None
    return _expected("dependencies", "a mapping of schemas or lists of property names", value)


def _vocabulary(value: Any) -> str | None:
    if isinstance(value, dict) and all(isinstance(v, bool) for v in value.values()):
        return None
    return _expected("$vocabulary", "a mapping of URIs to true or false", value)


def _not_in_30(key: str) -> str:
    if key in _RULES or key in ("const", "examples"):
        return (
            f"{key} is not a schema keyword in OpenAPI 3.0 (it is JSON Schema 2020-12, "
            "allowed since OpenAPI 3.1); it is ignored"
        )
    return f"{key} is not a schema keyword in OpenAPI 3.0; it is ignored"


_RULES: dict[str, Rule] = {
    **{key: _string(key) for key in _STRINGS},
    **{key: _boolean(key) for key in _BOOLEANS},
    **{key: _count(key) for key in _COUNTS},
    **{key: _number(key) for key in _NUMBERS},
    "multipleOf": _multiple_of,
    "exclusiveMinimum": _exclusive("exclusiveMinimum"),
    "exclusiveMaximum": _exclusive("exclusiveMaximum"),
    "required": _required,
    "type": _type,
    "enum": _enum(non_empty=False),
    "examples": _list("examples"),
    "nullable": _nullable_31,
    "$recursiveAnchor": _recursive_anchor,
    "discriminator": _discriminator,
    "externalDocs": _external_docs,
    "xml": _mapping("xml"),
    "dependentRequired": _dependent_required,
    "dependencies": _dependencies,
    "$vocabulary": _vocabulary,
}

_RULES_30: dict[str, Rule] = {
    **{key: _string(key) for key in _KEYWORDS_30_STRINGS},
    **{
        key: _boolean(key)
        for key in ("deprecated", "readOnly", "writeOnly", "uniqueItems", "nullable")
    },
    **{key: _count(key) for key in _COUNTS if key in _KEYWORDS_30},
    **{key: _number(key) for key in _NUMBERS},
    "multipleOf": _multiple_of,
    "exclusiveMinimum": _exclusive_30("exclusiveMinimum"),
    "exclusiveMaximum": _exclusive_30("exclusiveMaximum"),
    "required": lambda v: _required(v, non_empty=True),
    "type": _type_30,
    "enum": _enum(non_empty=True),
    "discriminator": _discriminator,
    "externalDocs": _external_docs,
    "xml": _mapping("xml"),
}
