"""What the engine needs to know about how an API uses its named things.

Which side (request, response or both) reaches each model, enum and union comes from
:mod:`generator.pipeline.usage`, the reachability the renderer uses too. Added here: the
enums that requests use closed, the enums written without member constants, the client
methods that send each body model, and the unions that are event streams.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...pipeline import ir
from ...pipeline.usage import Usage as Reach
from ...pipeline.walk import api_types


def targets(value: Any) -> tuple[str, ...]:
    """The model names a discriminator or event mapping entry selects (one, or several)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def tags_of(union: ir.UnionDef) -> dict[str, tuple[str, ...]] | None:
    """Discriminator values (or SSE event names) of a tag-chosen union, to model names."""
    pairs: Iterable[tuple[Any, Any]]
    if union.discriminator is not None:
        pairs = union.discriminator.mapping
    elif union.by_event:
        pairs = union.by_event
    else:
        return None
    return {str(tag): targets(selected) for tag, selected in pairs}


class Usage:
    """How one ``ir.Api`` uses its named things."""

    def __init__(self, api: ir.Api) -> None:
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}
        self.unions = {u.name: u for u in api.unions}
        self._reach = Reach(api)
        self.body_methods: dict[str, list[str]] = {}  # body model -> client methods sending it
        self.stream_unions: set[str] = set()
        for op in api.operations:
            for body in op.bodies:
                if body.model is not None:
                    method = f"client.{op.resource}.{body.method_name}"
                    self.body_methods.setdefault(body.model, []).append(method)
            for response in op.responses:
                if response.stream is not None and isinstance(response.stream.type, ir.UnionRef):
                    self.stream_unions.add(response.stream.type.name)
        closed = {t.name for t in api_types(api) if isinstance(t, ir.EnumRef) and not t.open}
        # Enums a request may only send listed values of.
        self.closed_in_request = {name for name in closed if "request" in self.sides(name)}
        # Enums the renderer writes as ``Literal[...]`` aliases, without member constants
        # (only requests use them); every other enum is a class with one constant a value.
        self.literal_enums = {name for name in self.enums if self._reach.request_only(name)}

    def sides(self, name: str) -> frozenset[str]:
        """The sides reaching ``name``; both when no operation reaches it."""
        return frozenset(self._reach.sides(name))
