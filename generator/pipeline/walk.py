"""The one walk over IR types, and the types each part of an API holds.

Imports, reachability (which side of a call reaches a named thing), request dicts and
``diff`` all ask the same questions of the IR, so they ask them here: which types a type
holds (:func:`walk`), which named things it mentions (:func:`named`), and which types a
named thing, an operation or a whole API holds. :func:`retype` is the same walk, writing:
an API with each type changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Literal

import attrs

from . import ir

__all__ = ["api_types", "held_types", "named", "operation_types", "retype", "walk"]

Side = Literal["request", "response"]
NamedRef = ir.ModelRef | ir.EnumRef | ir.UnionRef


def walk(type_: ir.TypeRef) -> Iterator[ir.TypeRef]:
    """``type_`` and every type inside it (list items, map values, union variants), depth
    first and in order. Named things are not opened: see :func:`held_types`."""
    pending = [type_]
    while pending:
        current = pending.pop()
        yield current
        match current:
            case ir.ListOf(item=inner) | ir.MapOf(value=inner):
                pending.append(inner)
            case ir.Union(variants=variants):
                pending.extend(reversed(variants))


def named(types: Iterable[ir.TypeRef]) -> set[str]:
    """The models, enums and unions these types mention."""
    return {t.name for type_ in types for t in walk(type_) if isinstance(t, NamedRef)}


def held_types(thing: ir.Model | ir.UnionDef | ir.Enum) -> list[ir.TypeRef]:
    """The types a named thing's declaration holds: a model's fields and other properties;
    a union's variants and the models its tags select; nothing for an enum."""
    if isinstance(thing, ir.Model):
        extra = [thing.extra] if thing.extra is not None else []
        return [*(f.type for f in thing.fields), *extra]
    if isinstance(thing, ir.UnionDef):
        mapped = thing.discriminator.mapping if thing.discriminator else ()
        return [*thing.variants, *(ir.ModelRef(m) for _, m in (*mapped, *thing.by_event))]
    return []


def operation_types(op: ir.Operation) -> Iterator[tuple[Side, ir.TypeRef]]:
    """Each type an operation's call holds, and its side: parameters, body arguments and
    body models are sent (``request``); answers are read (``response``)."""
    for param in op.parameters:
        yield "request", param.type
    for body in op.bodies:
        for field in body.fields:
            yield "request", field.type
        if body.model is not None:
            yield "request", ir.ModelRef(body.model)
    for response in op.responses:
        if response.type is not None:
            yield "response", response.type


def api_types(api: ir.Api) -> Iterator[ir.TypeRef]:
    """Every type the API holds, at any depth: in its named things, its operations (event
    streams and pages too) and its webhook event."""
    things: list[ir.Model | ir.UnionDef] = [*api.models, *api.unions]
    tops: list[ir.TypeRef] = [t for thing in things for t in held_types(thing)]
    for op in api.operations:
        tops += [t for _, t in operation_types(op)]
        tops += [r.stream.type for r in op.responses if r.stream is not None]
        tops += [op.page.item] if op.page is not None else []
    if api.webhook_event is not None:
        tops.append(api.webhook_event)
    for top in tops:
        yield from walk(top)


def retype(api: ir.Api, change: Callable[[ir.TypeRef], ir.TypeRef]) -> ir.Api:
    """``api`` with ``change`` applied to every type it holds that is not a list, a map or
    a union (those are rebuilt around what ``change`` gives), wherever :func:`api_types`
    finds types."""

    def new(type_: ir.TypeRef) -> ir.TypeRef:
        match type_:
            case ir.ListOf(item=item):
                return ir.ListOf(new(item))
            case ir.MapOf(value=value):
                return ir.MapOf(new(value))
            case ir.Union(variants=variants):
                changed = [new(v) for v in variants]
                return type_ if tuple(changed) == variants else ir.make_union(changed)
        return change(type_)

    def field(f: ir.Field) -> ir.Field:
        return attrs.evolve(f, type=new(f.type))

    def maybe(type_: ir.TypeRef | None) -> ir.TypeRef | None:
        return None if type_ is None else new(type_)

    def response(r: ir.Response) -> ir.Response:
        stream = None if r.stream is None else attrs.evolve(r.stream, type=new(r.stream.type))
        return attrs.evolve(r, type=maybe(r.type), stream=stream)

    def operation(op: ir.Operation) -> ir.Operation:
        return attrs.evolve(
            op,
            parameters=tuple(attrs.evolve(p, type=new(p.type)) for p in op.parameters),
            bodies=tuple(attrs.evolve(b, fields=tuple(map(field, b.fields))) for b in op.bodies),
            responses=tuple(map(response, op.responses)),
            page=None if op.page is None else attrs.evolve(op.page, item=new(op.page.item)),
        )

    return attrs.evolve(
        api,
        models=tuple(
            attrs.evolve(m, fields=tuple(map(field, m.fields)), extra=maybe(m.extra))
            for m in api.models
        ),
        unions=tuple(
            attrs.evolve(u, variants=tuple(dict.fromkeys(map(new, u.variants)))) for u in api.unions
        ),
        operations=tuple(map(operation, api.operations)),
        webhook_event=maybe(api.webhook_event),
    )
