"""Rewrite an OpenAPI 3.1 document in OpenAPI 3.0's dialect, for tests that need a 3.0 version
of a real spec (the public OpenAI spec was 3.0 until 2026): type lists with ``null`` become
``nullable``, ``const`` an enum of one, ``examples`` lists one ``example``, webhooks go.
"""

from __future__ import annotations

from typing import Any


def to_openapi_30(document: dict[str, Any]) -> dict[str, Any]:
    """A 3.0.3 copy of a 3.1 document, with the same meaning where 3.0 can say it."""
    converted: dict[str, Any] = _schema_node(document, in_schema=False)
    converted["openapi"] = "3.0.3"
    converted.pop("webhooks", None)
    converted.pop("jsonSchemaDialect", None)
    return converted


_SCHEMA_KEYS = frozenset({"schema", "items", "additionalProperties", "not"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAPS = frozenset({"properties", "schemas", "patternProperties"})


def _schema_node(node: Any, *, in_schema: bool) -> Any:
    if isinstance(node, list):
        return [_schema_node(item, in_schema=in_schema) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _SCHEMA_KEYS:
            out[key] = _schema_node(value, in_schema=True)
        elif key in _SCHEMA_LISTS:
            out[key] = [_schema_node(v, in_schema=True) for v in value]
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: _schema_node(v, in_schema=True) for k, v in value.items()}
        else:
            out[key] = _schema_node(value, in_schema=False)
    return _as_30(out) if in_schema else out


def _as_30(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        if "null" in kind:
            schema["nullable"] = True
        if len(rest) == 1:
            schema["type"] = rest[0]
        else:
            del schema["type"]
            schema["anyOf"] = [{"type": k} for k in rest]
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]
    if isinstance(schema.get("examples"), list):
        examples = schema.pop("examples")
        if examples:
            schema["example"] = examples[0]
    for keyword in ("$recursiveAnchor", "$dynamicAnchor", "contentMediaType", "contentEncoding"):
        schema.pop(keyword, None)
    return schema
