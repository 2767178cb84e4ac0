"""Event streams: three ways a spec describes ``text/event-stream``, one ``ir.EventStream``.

- payload: ``schema`` is the JSON carried in each event's ``data`` (the OpenAI spec's way),
  usually a union discriminated by a property such as ``type``;
- item schema (OpenAPI 3.2): ``itemSchema`` describes one event (``event``, ``data``, ``id``,
  ``retry``), with the JSON payload in ``data``'s ``contentSchema``;
- envelope: ``schema`` describes one event the same way, without ``itemSchema``.

In the last two, each variant's constant ``event`` names the payload's type.
"""

from __future__ import annotations

from typing import Any

from ..errors import pointer_join
from . import ir
from .schema import SchemaMapper

_SSE_FIELDS = {"event", "data", "id", "retry"}
# Final states of the object a stream reports on (``response.completed``, ``response.failed``).
_FINAL_STATES = ("completed", "failed", "incomplete", "cancelled")


def terminal_names(names: list[str], configured: tuple[str, ...] | None) -> tuple[str, ...]:
    """Events that end a successful stream, for telling a complete stream from a cut one.

    As configured, else the final states of the stream's object: ``<object>.<state>`` with
    two parts, such as ``image_edit.completed`` or ``response.failed``. Parts of a stream
    (``response.output_text.done``) never count, and reading never stops at any event: a
    stream is read until the server ends it.
    """
    if configured is not None:
        return configured
    return tuple(n for n in names if n.count(".") == 1 and n.split(".")[1] in _FINAL_STATES)


def read_event_stream(
    mapper: SchemaMapper,
    media: dict[str, Any],
    pointer: str,
    op_name: str,
    configured_terminal: tuple[str, ...] | None,
) -> ir.EventStream:
    if "itemSchema" in media:
        variants = _envelope_variants(
            mapper, media["itemSchema"], pointer_join(pointer, "itemSchema")
        )
    else:
        schema = media.get("schema", {})
        variants = _envelope_variants(mapper, schema, pointer_join(pointer, "schema"))
        if variants is None:
            type_ = mapper.map(schema, pointer_join(pointer, "schema"), (op_name, "Event"))
            discriminator, names = _payload_discriminator(mapper, type_)
            terminal = terminal_names(names, configured_terminal)
            return ir.EventStream(type_, discriminator, terminal)
    if variants is None:
        mapper.fail(pointer, "the event stream's item schema does not describe 'data'")
    return _by_event_name(mapper, variants, pointer, op_name, configured_terminal)


def _payload_discriminator(mapper: SchemaMapper, type_: ir.TypeRef) -> tuple[str | None, list[str]]:
    if isinstance(type_, ir.UnionRef):
        union = mapper.unions[type_.name]
        if union.discriminator is not None:
            return union.discriminator.property, [v for v, _ in union.discriminator.mapping]
    return None, []


def _envelope_variants(
    mapper: SchemaMapper, schema: Any, pointer: str
) -> list[tuple[str | None, Any, str]] | None:
    """``(event name, payload schema, pointer)`` per variant, or None when not an envelope."""
    resolved = mapper.resolve(schema)
    if not isinstance(resolved, dict):
        return None
    branches = resolved.get("oneOf") or resolved.get("anyOf")
    key = "oneOf" if "oneOf" in resolved else "anyOf"
    if isinstance(branches, list):
        found: list[tuple[str | None, Any, str]] = []
        for index, branch in enumerate(branches):
            one = _envelope_variant(mapper, branch, pointer_join(pointer, key, index))
            if one is None:
                return None
            found.append(one)
        return found
    one = _envelope_variant(mapper, resolved, pointer)
    return [one] if one is not None else None


def _envelope_variant(
    mapper: SchemaMapper, schema: Any, pointer: str
) -> tuple[str | None, Any, str] | None:
    resolved = mapper.resolve(schema)
    properties = resolved.get("properties") if isinstance(resolved, dict) else None
    if not isinstance(properties, dict) or "data" not in properties:
        return None
    if not set(properties) <= _SSE_FIELDS:
        return None
    event = mapper.resolve(properties.get("event", {}))
    name: str | None = None
    if isinstance(event, dict):
        if isinstance(event.get("const"), str):
            name = event["const"]
        elif isinstance(event.get("enum"), list) and len(event["enum"]) == 1:
            name = str(event["enum"][0])
    data = mapper.resolve(properties["data"])
    payload = data.get("contentSchema", properties["data"]) if isinstance(data, dict) else data
    data_pointer = pointer_join(pointer, "properties", "data")
    if isinstance(data, dict) and "contentSchema" in data:
        data_pointer = pointer_join(data_pointer, "contentSchema")
    return name, payload, data_pointer


def _by_event_name(
    mapper: SchemaMapper,
    variants: list[tuple[str | None, Any, str]],
    pointer: str,
    op_name: str,
    configured_terminal: tuple[str, ...] | None,
) -> ir.EventStream:
    by_event: list[tuple[str, str]] = []
    models: list[ir.TypeRef] = []
    for event, payload, data_pointer in variants:
        hint = (op_name, event or "Event", "Event") if event else (op_name, "Event")
        mapped = mapper.map(payload, data_pointer, hint)
        if not isinstance(mapped, ir.ModelRef):
            mapper.fail(data_pointer, "an event's data must be an object schema")
        if event is None:
            if len(variants) > 1:
                mapper.fail(data_pointer, "several event variants need a constant 'event' name")
            names: list[str] = []
            return ir.EventStream(mapped, None, terminal_names(names, configured_terminal))
        by_event.append((event, mapped.name))
        if mapped not in models:
            models.append(mapped)

    def build(name: str) -> None:
        mapper.unions[name] = ir.UnionDef(
            name=name,
            pointer=pointer,
            doc=ir.Doc("An event of the stream, chosen by the SSE event name."),
            variants=tuple(models),
            discriminator=None,
            fallback="UnknownEvent",
            by_event=tuple(by_event),
        )

    name = mapper.named_inline({"events": by_event}, pointer, (op_name, "Event"), build)
    names = [event for event, _ in by_event]
    return ir.EventStream(ir.UnionRef(name), None, terminal_names(names, configured_terminal))
