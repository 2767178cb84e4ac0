"""Form bodies (``multipart/form-data``, ``application/x-www-form-urlencoded``) checked as
the object their schema describes: each field's text coerced to the type the schema wants,
``name[]`` fields (and repeated names) read as the array ``name``."""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import pointer_join
from ...runtime._multipart import FormPart
from .findings import Findings
from .schemas import SchemaSet

__all__ = ["check_form"]

_INTEGER = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_DIGITS = 4000  # longer digit strings stay text: int() refuses more than 4300 digits


def check_form(
    findings: Findings, schemas: SchemaSet, schema_pointer: str, parts: list[FormPart]
) -> dict[str, Any]:
    """Validate form fields as the object the schema at ``schema_pointer`` describes."""
    root = schemas.at(schema_pointer)
    groups: dict[str, list[FormPart]] = {}
    for part in parts:
        name = part.name or ""
        groups.setdefault(name[:-2] if name.endswith("[]") else name, []).append(part)
    instance: dict[str, Any] = {}
    names: dict[str, str] = {}
    for key, items in groups.items():
        names[key] = items[0].name or ""
        schema = schemas.property_schema(root, key)
        types = schemas.types_of(schema) if schema is not None else None
        as_array = len(items) > 1 or names[key].endswith("[]")
        if not as_array and types is not None and "array" in types and "string" not in types:
            single = _coerce(items[0], schema, schemas)
            instance[key] = single if isinstance(single, list) else [single]
        elif as_array:
            item_schema = schemas.array_items(schema) if schema is not None else None
            instance[key] = [_coerce(part, item_schema, schemas) for part in items]
        else:
            instance[key] = _coerce(items[0], schema, schemas)
    for issue in schemas.issues(schema_pointer, instance):
        first = str(issue.path[0]) if issue.path else None
        part_name = names.get(first, first) if first is not None else None
        rest = pointer_join("", *issue.path[1:]) if len(issue.path) > 1 else ""
        location = f"part {part_name!r}" + (f" {rest}" if rest else "") if part_name else "body"
        message = issue.message
        if issue.rule == "required" and len(issue.path) == 1:
            message = f"required part {part_name!r} is missing"
        findings.add(
            "request", location, issue.rule, message, pointer=issue.pointer, part=part_name
        )
    return instance


def _coerce(part: FormPart, schema: Any, schemas: SchemaSet) -> Any:
    """A form field's value as the schema wants it: text to boolean, number, JSON."""
    if part.is_file:
        kind = part.content_type or "no content type"
        return f"<file {part.filename!r}, {kind}, {len(part.data)} bytes>"
    text = part.data.decode("utf-8", "replace")
    types = schemas.types_of(schema) if schema is not None else None
    if types is None or "string" in types:
        return text
    if "integer" in types and _INTEGER.fullmatch(text) and len(text) <= _DIGITS:
        return int(text)
    if "number" in types and _NUMBER.fullmatch(text):
        number = float(text)
        plain = number.is_integer() and "." not in text and "e" not in text.lower()
        return int(number) if plain else number
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "null" in types and text in ("null", ""):
        return None
    if types & {"object", "array"} and text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            return text
    return text
