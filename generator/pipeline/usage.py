"""Which side of a call reaches each named model, enum and union: the request (values the
caller sends) or the response (values it reads); and which client resources reach it. A named
thing no operation reaches is exported all the same, so it counts as both sides.

The renderer reads this to choose how an enum is written (a ``Literal`` alias when only
requests use it) and which module a model lives in; ``diff`` reads it to judge whether a
change breaks callers or readers.
"""

from __future__ import annotations

from . import ir
from .walk import Side, held_types, named, operation_types

__all__ = ["BOTH", "Side", "Usage"]

BOTH: frozenset[Side] = frozenset(("request", "response"))


class Usage:
    """The sides reaching each named thing of one ``ir.Api``."""

    def __init__(self, api: ir.Api) -> None:
        self._things: dict[str, ir.Model | ir.UnionDef] = {
            **{m.name: m for m in api.models},
            **{u.name: u for u in api.unions},
        }
        self._reached: dict[str, set[tuple[Side, str]]] = {}
        self._mentioned: dict[str, set[str]] = {}
        for op in api.operations:
            for side, type_ in operation_types(op):
                self._reach(type_, (side, op.resource))

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

    def mentioned(self, name: str) -> set[str]:
        """The named things the declaration of ``name`` mentions (none for an enum)."""
        found = self._mentioned.get(name)
        if found is None:
            thing = self._things.get(name)
            found = self._mentioned[name] = named(held_types(thing)) if thing else set()
        return found

    def _reach(self, type_: ir.TypeRef, by: tuple[Side, str]) -> None:
        pending = list(named([type_]))
        while pending:
            name = pending.pop()
            seen = self._reached.setdefault(name, set())
            if by not in seen:
                seen.add(by)
                pending += self.mentioned(name)
