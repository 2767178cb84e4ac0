"""A small notes API and changes planted in it, each with the verdicts ``diff`` must give.

The base (:func:`base_spec`) has requests and responses, parameters at the path and the
operation level, enums that are closed and open, used by requests only (``Literal`` aliases,
without constants) and by responses (classes, with constants), nullable fields, required
ones, and inline unions. Each :class:`Planted` change edits a copy of it and lists every
change ``diff`` must report for it: kind, location and whether it breaks a client generated
from the base. The changes touch different things, so they can be applied one at a time or
all together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

Spec = dict[str, Any]
Expected = tuple[str, str, bool]  # (kind, location, breaking)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _strings() -> dict[str, Any]:
    """An inline ``oneOf: [string, array of string]``."""
    return {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


def base_spec() -> Spec:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Notes", "version": "1.0.0"},
        "servers": [{"url": "https://notes.example.test/v1"}],
        "paths": {
            "/notes": {
                "get": {
                    "operationId": "listNotes",
                    "tags": ["notes"],
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer"}},
                        {
                            "name": "order",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["asc", "desc", "relevance"]},
                        },
                        {"name": "tag", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": "ok", "content": _json(_ref("NoteList"))}},
                },
                "post": {
                    "operationId": "createNote",
                    "tags": ["notes"],
                    "requestBody": {"required": True, "content": _json(_ref("NoteCreate"))},
                    "responses": {"201": {"description": "ok", "content": _json(_ref("Note"))}},
                },
            },
            "/notes/{note_id}": {
                "parameters": [
                    {
                        "name": "note_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "get": {
                    "operationId": "getNote",
                    "tags": ["notes"],
                    "responses": {"200": {"description": "ok", "content": _json(_ref("Note"))}},
                },
                "delete": {
                    "operationId": "deleteNote",
                    "tags": ["notes"],
                    "responses": {"204": {"description": "deleted"}},
                },
            },
        },
        "components": {
            "schemas": {
                "NoteCreate": {
                    "type": "object",
                    "required": ["title"],
                    "properties": {
                        "title": {"type": "string", "maxLength": 200},
                        "body": {"type": ["string", "null"]},
                        "summary": {"type": ["string", "integer"]},
                        "weight": {"type": "integer"},
                        "priority": {"type": "integer"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "stop": _strings(),
                        "model": {
                            "anyOf": [
                                {"type": "string"},
                                {"type": "string", "enum": ["fast-1", "slow-1"]},
                            ]
                        },
                        "color": {"type": "string", "enum": ["red", "green", "blue"]},
                        "label": _ref("Label"),
                    },
                },
                "Note": {
                    "type": "object",
                    "required": ["id", "title", "created"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "body": {"type": ["string", "null"]},
                        "created": {"type": "integer"},
                        "score": {"type": "integer"},
                        "rating": {"type": "number"},
                        "author": {"type": "string"},
                        "status": {"type": "string", "enum": ["draft", "published", "archived"]},
                        "label": _ref("Label"),
                        "refs": _strings(),
                    },
                },
                "Label": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "kind": {
                            "anyOf": [
                                {"type": "string"},
                                {"type": "string", "enum": ["personal", "work"]},
                            ]
                        },
                    },
                },
                "NoteList": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": _ref("Note")}},
                },
            }
        },
    }


def _schema(spec: Spec, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][name]
    return schema


def _request(spec: Spec) -> dict[str, Any]:
    properties: dict[str, Any] = _schema(spec, "NoteCreate")["properties"]
    return properties


def _response(spec: Spec) -> dict[str, Any]:
    properties: dict[str, Any] = _schema(spec, "Note")["properties"]
    return properties


def _parameter(spec: Spec, name: str) -> dict[str, Any]:
    (found,) = [p for p in spec["paths"]["/notes"]["get"]["parameters"] if p["name"] == name]
    return found  # type: ignore[no-any-return]


def _remove_value(schema: dict[str, Any], value: str) -> None:
    holder = schema["anyOf"][1] if "anyOf" in schema else schema
    holder["enum"].remove(value)


def _name_union(spec: Spec, properties: dict[str, Any], field: str, name: str) -> None:
    spec["components"]["schemas"][name] = _strings()
    properties[field] = _ref(name)


def _add_required(spec: Spec, model: str, field: str, schema: dict[str, Any]) -> None:
    _schema(spec, model)["properties"][field] = schema
    _schema(spec, model)["required"].append(field)


def _add_operation(spec: Spec) -> None:
    spec["paths"]["/notes/{note_id}"]["patch"] = {
        "operationId": "updateNote",
        "tags": ["notes"],
        "responses": {"200": {"description": "ok", "content": _json(_ref("Note"))}},
    }


@attrs.frozen
class Planted:
    name: str
    change: Callable[[Spec], None]
    expected: tuple[Expected, ...]


PLANTED: tuple[Planted, ...] = (
    # ---------------------------------------------------------------- request side
    Planted(
        "optional request field added",
        lambda s: _request(s).update(pinned={"type": "boolean"}),
        (("field_added", "NoteCreate.pinned", False),),
    ),
    Planted(
        "required request field added",
        lambda s: _add_required(s, "NoteCreate", "folder", {"type": "string"}),
        (("field_added", "NoteCreate.folder", True),),
    ),
    Planted(
        "request field removed",
        lambda s: _request(s).pop("tags"),
        (("field_removed", "NoteCreate.tags", True),),
    ),
    Planted(
        "request field made required",
        lambda s: _schema(s, "NoteCreate")["required"].append("priority"),
        (("required_added", "NoteCreate.priority", True),),
    ),
    Planted(
        "request field no longer nullable",
        lambda s: _request(s)["body"].update(type="string"),
        (("nullable_removed", "NoteCreate.body", True),),
    ),
    Planted(
        "request type widened",
        lambda s: _request(s)["weight"].update(type="number"),
        (("type_widened", "NoteCreate.weight", False),),
    ),
    Planted(
        "request type narrowed",
        lambda s: _request(s)["summary"].update(type="string"),
        (("type_narrowed", "NoteCreate.summary", True),),
    ),
    Planted(
        "request bound tightened",
        lambda s: _request(s)["title"].update(maxLength=100),
        (("bounds_tightened", "NoteCreate.title", True),),
    ),
    Planted(
        "request inline union now a named union of the same shape",
        lambda s: _name_union(s, _request(s), "stop", "StopSequences"),
        (
            ("type_equivalent", "NoteCreate.stop", False),
            ("union_added", "StopSequences", False),
        ),
    ),
    Planted(
        "value removed from a closed request enum",
        lambda s: _remove_value(_request(s)["color"], "blue"),
        (("enum_value_removed", "NoteCreateColor.BLUE", True),),
    ),
    Planted(
        "value added to a closed request enum",
        lambda s: _request(s)["color"]["enum"].append("yellow"),
        (("enum_value_added", "NoteCreateColor.YELLOW", False),),
    ),
    Planted(
        "value removed from an open request enum (a Literal alias)",
        lambda s: _remove_value(_request(s)["model"], "slow-1"),
        (("enum_value_removed", "NoteCreateModel.SLOW_1", False),),
    ),
    # ---------------------------------------------------------------- response side
    Planted(
        "response field removed",
        lambda s: _response(s).pop("author"),
        (("field_removed", "Note.author", True),),
    ),
    Planted(
        "required response field added",
        lambda s: _add_required(s, "Note", "updated", {"type": "integer"}),
        (("field_added", "Note.updated", False),),
    ),
    Planted(
        "response field made optional",
        lambda s: _schema(s, "Note")["required"].remove("created"),
        (("required_removed", "Note.created", True),),
    ),
    Planted(
        "response field became nullable",
        lambda s: _response(s)["title"].update(type=["string", "null"]),
        (("nullable_added", "Note.title", True),),
    ),
    Planted(
        "response field no longer nullable",
        lambda s: _response(s)["body"].update(type="string"),
        (("nullable_removed", "Note.body", False),),
    ),
    Planted(
        "response type widened",
        lambda s: _response(s)["score"].update(type="number"),
        (("type_widened", "Note.score", True),),
    ),
    Planted(
        "response type narrowed",
        lambda s: _response(s)["rating"].update(type="integer"),
        (("type_narrowed", "Note.rating", False),),
    ),
    Planted(
        "value added to a response enum",
        lambda s: _response(s)["status"]["enum"].append("deleted"),
        (("enum_value_added", "NoteStatus.DELETED", False),),
    ),
    Planted(
        "value removed from a response enum (its constant goes)",
        lambda s: _remove_value(_response(s)["status"], "archived"),
        (("enum_value_removed", "NoteStatus.ARCHIVED", True),),
    ),
    Planted(
        "response inline union now a named union of the same shape",
        lambda s: _name_union(s, _response(s), "refs", "NoteRefs"),
        (
            ("type_equivalent", "Note.refs", False),
            ("union_added", "NoteRefs", False),
        ),
    ),
    Planted(
        "value removed from an open enum both sides use (its constant goes)",
        lambda s: _remove_value(_schema(s, "Label")["properties"]["kind"], "work"),
        (("enum_value_removed", "LabelKind.WORK", True),),
    ),
    # ---------------------------------------------------------------- parameters
    Planted(
        "parameter type changed",
        lambda s: _parameter(s, "limit")["schema"].update(type="string"),
        (("type_changed", "listNotes.query.limit", True),),
    ),
    Planted(
        "parameter type widened",
        lambda s: _parameter(s, "page")["schema"].update(type="number"),
        (("type_widened", "listNotes.query.page", False),),
    ),
    Planted(
        "required parameter added",
        lambda s: s["paths"]["/notes"]["get"]["parameters"].append(
            {"name": "cursor", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        (("parameter_added", "listNotes.query.cursor", True),),
    ),
    Planted(
        "optional parameter added",
        lambda s: s["paths"]["/notes/{note_id}"]["get"].update(
            parameters=[{"name": "X-Trace", "in": "header", "schema": {"type": "string"}}]
        ),
        (("parameter_added", "getNote.header.X-Trace", False),),
    ),
    Planted(
        "parameter removed",
        lambda s: s["paths"]["/notes"]["get"]["parameters"].remove(_parameter(s, "tag")),
        (("parameter_removed", "listNotes.query.tag", True),),
    ),
    Planted(
        "value removed from a closed parameter enum",
        lambda s: _remove_value(_parameter(s, "order")["schema"], "relevance"),
        (("enum_value_removed", "Order.RELEVANCE", True),),
    ),
    # ---------------------------------------------------------------- operations
    Planted(
        "operation removed",
        lambda s: s["paths"]["/notes/{note_id}"].pop("delete"),
        (("operation_removed", "deleteNote", True),),
    ),
    Planted(
        "operation added",
        _add_operation,
        (("operation_added", "updateNote", False),),
    ),
)
