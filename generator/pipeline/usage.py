"""Which side of a call reaches each named model, enum and union: the request (values the
caller sends) or the response (values it reads); and which client resources reach it. A named
thing no operation reaches is exported all the same, so it counts as both sides.

The renderer reads this to choose how an enum is written (a ``Literal`` alias when only
requests use it) and which module a model lives in; ``diff`` reads it to judge whether a
change breaks callers or readers.
"""

from __future__ import annotations

from typing import Literal

from . import ir

Side = Literal["request", "response"]
BOTH: frozenset[Side] = frozenset(("request", "response"))


class Usage:
    """The sides reaching each named thing of one ``ir.Api``."""

    def __init__(self, api: ir.Api) -> None:
        self._models = {m.name: m for m in api.models}
        self._unions = {u.name: u for u in api.unions}
        self._reached: dict[str, set[tuple[Side, str]]] = {}
        for op in api.operations:
            resource = op.resource
            for body in op.bodies:
                for field in body.fields:
                    self._walk(field.type, ("request", resource))
                if body.model is not None:
                    self._walk(ir.ModelRef(body.model), ("request", resource))
            for param in op.parameters:
                self._walk(param.type, ("request", resource))
            for response in op.responses:
                if response.type is not None:
                    self._walk(response.type, ("response", resource))

    def sides(self, name: str) -> frozenset[Side]:
        """The sides reaching ``name``; both when no operation reaches it."""
        return frozenset(side for side, _ in self._reached.get(name, ())) or BOTH

    def request_only(self, name: str) -> bool:
        return self.sides(name) == {"request"}

    def requested(self, name: str) -> bool:
        """Whether a request (an argument, or what one holds) reaches ``name``."""
        return any(side == "request" for side, _ in self._reached.get(name, ()))

    def resources(self, name: str) -> frozenset[str]:
        """The client resources (``images``, ``chat.completions``) whose operations reach
        ``name``; empty when none does."""
        return frozenset(resource for _, resource in self._reached.get(name, ()))

    def _walk(self, type_: ir.TypeRef, by: tuple[Side, str]) -> None:
        match type_:
            case ir.EnumRef(name=name):
                self._reached.setdefault(name, set()).add(by)
            case ir.ModelRef(name=name) | ir.UnionRef(name=name):
                seen = self._reached.setdefault(name, set())
                if by in seen:
                    return
                seen.add(by)
                for inner in self._parts(name):
                    self._walk(inner, by)
            case ir.ListOf(item=inner) | ir.MapOf(value=inner):
                self._walk(inner, by)
            case ir.Union(variants=variants):
                for variant in variants:
                    self._walk(variant, by)

    def _parts(self, name: str) -> list[ir.TypeRef]:
        if name in self._models:
            model = self._models[name]
            extra = [model.extra] if model.extra is not None else []
            return [*(f.type for f in model.fields), *extra]
        if name in self._unions:
            union = self._unions[name]
            mapped = union.discriminator.mapping if union.discriminator else ()
            named = [ir.ModelRef(m) for _, m in (*mapped, *union.by_event)]
            return [*union.variants, *named]
        return []
