"""Which named models, enums and unions are on the request side, the response side, or both.

Reachability from the operations decides: request bodies and parameters reach the request
side, answers (JSON and event streams) the response side. A named thing no operation
reaches is exported all the same, so it counts as both sides.
"""

from __future__ import annotations

from typing import Any

import attrs

from ...pipeline import ir
from .types import Side

BOTH: frozenset[str] = frozenset({"request", "response"})


def targets(value: Any) -> tuple[str, ...]:
    """The model names a discriminator or event mapping entry selects (one, or several)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


class Usage:
    """Which side (request, response) reaches each named model, enum and union of an API."""

    def __init__(self, api: ir.Api) -> None:
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}
        self.unions = {u.name: u for u in api.unions}
        self._sides: dict[str, set[str]] = {}
        self.closed_in_request: set[str] = set()  # enums some request value uses closed
        self.body_methods: dict[str, list[str]] = {}  # body model -> client methods sending it
        self.stream_unions: set[str] = set()
        for op in api.operations:
            for body in op.bodies:
                method = f"client.{op.resource}.{body.method_name}"
                self.body_methods.setdefault(body.model, []).append(method)
                self._walk(ir.ModelRef(body.model), "request")
            for param in op.parameters:
                self._walk(param.type, "request")
            for response in op.responses:
                if response.type is not None:
                    self._walk(response.type, "response")
                if response.stream is not None:
                    self._walk(response.stream.type, "response")
                    if isinstance(response.stream.type, ir.UnionRef):
                        self.stream_unions.add(response.stream.type.name)

    def sides(self, name: str) -> frozenset[str]:
        """The sides reaching ``name``; both when no operation reaches it."""
        return frozenset(self._sides.get(name) or BOTH)

    def _walk(self, type_: Any, side: Side) -> None:
        match type_:
            case ir.EnumRef(name=name, open=is_open):
                if side == "request" and not is_open:
                    self.closed_in_request.add(name)
                self._sides.setdefault(name, set()).add(side)
            case ir.ModelRef(name=name) | ir.UnionRef(name=name):
                seen = self._sides.setdefault(name, set())
                if side in seen:
                    return
                seen.add(side)
                if name in self.models:
                    model = self.models[name]
                    for field in model.fields:
                        self._walk(field.type, side)
                    if model.extra is not None:
                        self._walk(model.extra, side)
                elif name in self.unions:
                    union = self.unions[name]
                    for variant in union.variants:
                        self._walk(variant, side)
                    mapped = union.discriminator.mapping if union.discriminator else ()
                    for _, selected in (*mapped, *union.by_event):
                        for model_name in targets(selected):
                            self._walk(ir.ModelRef(model_name), side)
            case tuple() | list():
                for item in type_:
                    self._walk(item, side)
            case _ if attrs.has(type(type_)):
                # A type kind without a rule here: whatever it holds is reached through it.
                for field in attrs.fields(type(type_)):
                    self._walk(getattr(type_, field.name), side)
