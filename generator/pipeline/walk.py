"""The one walk over IR types, and the types each part of an API holds.

Imports, reachability (which side of a call reaches a named thing), request dicts and
``diff`` all ask the same questions of the IR, so they ask them here: which types a type
holds (:func:`walk`), which named things it mentions (:func:`named`), and which types a
named thing, an operation or a whole API holds. :func:`retype` is the same walk, writing:
an API with each type changed; :func:`rename` renames named things.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Literal, TypeVar

import attrs

from . import ir

__all__ = ["api_types", "held_types", "named", "operation_types", "rename", "retype", "walk"]

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
    finds types. What holds no changed type is kept as it is (the same object)."""

    def new(type_: ir.TypeRef) -> ir.TypeRef:
        match type_:
            case ir.ListOf(item=item):
                changed = new(item)
                return type_ if changed is item else ir.ListOf(changed)
            case ir.MapOf(value=value):
                changed = new(value)
                return type_ if changed is value else ir.MapOf(changed)
            case ir.Union(variants=variants):
                found = [new(v) for v in variants]
                same = all(a is b for a, b in zip(found, variants, strict=True))
                return type_ if same else ir.make_union(found)
        return change(type_)

    def field(f: ir.Field) -> ir.Field:
        changed = new(f.type)
        return f if changed is f.type else attrs.evolve(f, type=changed)

    def fields(found: tuple[ir.Field, ...]) -> tuple[ir.Field, ...]:
        changed = tuple(map(field, found))
        return found if all(a is b for a, b in zip(changed, found, strict=True)) else changed

    def maybe(type_: ir.TypeRef | None) -> ir.TypeRef | None:
        return None if type_ is None else new(type_)

    def parameter(p: ir.Parameter) -> ir.Parameter:
        changed = new(p.type)
        return p if changed is p.type else attrs.evolve(p, type=changed)

    def body(b: ir.RequestBody) -> ir.RequestBody:
        changed = fields(b.fields)
        return b if changed is b.fields else attrs.evolve(b, fields=changed)

    def response(r: ir.Response) -> ir.Response:
        type_ = maybe(r.type)
        stream = r.stream
        if stream is not None and new(stream.type) is not stream.type:
            stream = attrs.evolve(stream, type=new(stream.type))
        if type_ is r.type and stream is r.stream:
            return r
        return attrs.evolve(r, type=type_, stream=stream)

    def operation(op: ir.Operation) -> ir.Operation:
        parameters = tuple(map(parameter, op.parameters))
        bodies = tuple(map(body, op.bodies))
        responses = tuple(map(response, op.responses))
        page = op.page
        if page is not None and new(page.item) is not page.item:
            page = attrs.evolve(page, item=new(page.item))
        kept = (
            _same(parameters, op.parameters)
            and _same(bodies, op.bodies)
            and _same(responses, op.responses)
            and page is op.page
        )
        if kept:
            return op
        return attrs.evolve(
            op, parameters=parameters, bodies=bodies, responses=responses, page=page
        )

    def model(m: ir.Model) -> ir.Model:
        changed, extra = fields(m.fields), maybe(m.extra)
        if changed is m.fields and extra is m.extra:
            return m
        return attrs.evolve(m, fields=changed, extra=extra)

    def union(u: ir.UnionDef) -> ir.UnionDef:
        variants = tuple(map(new, u.variants))
        if _same(variants, u.variants):
            return u
        return attrs.evolve(u, variants=tuple(dict.fromkeys(variants)))

    return attrs.evolve(
        api,
        models=tuple(map(model, api.models)),
        unions=tuple(map(union, api.unions)),
        operations=tuple(map(operation, api.operations)),
        webhook_event=maybe(api.webhook_event),
    )


def rename(api: ir.Api, names: Mapping[str, str]) -> ir.Api | None:
    """``api`` with its models, enums and unions renamed (old name → new), where they are
    declared and wherever they are named; each kind again in name order. Things renamed to
    one name are one thing when they are the same; None when they are not."""

    def ref(type_: ir.TypeRef) -> ir.TypeRef:
        if isinstance(type_, NamedRef) and type_.name in names:
            return attrs.evolve(type_, name=names[type_.name])
        return type_

    def pairs(found: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple((value, names.get(model, model)) for value, model in found)

    def union(u: ir.UnionDef) -> ir.UnionDef:
        found = u.discriminator
        if found is not None:
            found = attrs.evolve(found, mapping=pairs(found.mapping))
        name = names.get(u.name, u.name)
        return attrs.evolve(u, name=name, discriminator=found, by_event=pairs(u.by_event))

    def declared(thing: _Named) -> _Named:
        new = names.get(thing.name, thing.name)
        return thing if new == thing.name else attrs.evolve(thing, name=new)

    def body(b: ir.RequestBody) -> ir.RequestBody:
        if b.model is None or b.model not in names:
            return b
        return attrs.evolve(b, model=names[b.model])

    def operation(op: ir.Operation) -> ir.Operation:
        bodies = tuple(map(body, op.bodies))
        return op if _same(bodies, op.bodies) else attrs.evolve(op, bodies=bodies)

    api = retype(api, ref)
    models = _one_each(map(declared, api.models))
    enums = _one_each(map(declared, api.enums))
    unions = _one_each(map(union, api.unions))
    if models is None or enums is None or unions is None:
        return None
    operations = tuple(map(operation, api.operations))
    return attrs.evolve(api, models=models, enums=enums, unions=unions, operations=operations)


_Named = TypeVar("_Named", ir.Model, ir.Enum, ir.UnionDef)


def _one_each(things: Iterable[_Named]) -> tuple[_Named, ...] | None:
    """The things in name order, each name once; None when two of one name differ."""
    by_name: dict[str, _Named] = {}
    for thing in things:
        if by_name.setdefault(thing.name, thing) != thing:
            return None
    return tuple(by_name[name] for name in sorted(by_name))


def _same(new: tuple[object, ...], old: tuple[object, ...]) -> bool:
    """Whether a rebuilt tuple holds the very objects it was rebuilt from."""
    return all(a is b for a, b in zip(new, old, strict=True))
