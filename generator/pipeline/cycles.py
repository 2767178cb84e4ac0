"""Schemas that include themselves, which no validator or generator can resolve.

A schema *includes* what its ``$ref`` names and each of its ``allOf`` parts: its meaning is
theirs, merged. When following inclusions comes back to where it started, the schema is
defined by itself alone:

* a pure ``$ref`` cycle: ``A: {$ref: B}``, ``B: {$ref: A}``;
* a cycle through ``allOf``: ``A: {allOf: [{$ref: B}]}``, ``B: {allOf: [{$ref: A}]}``.

(Recursion through ``properties``, ``items`` or a union is fine: a tree is finite.)
Each cycle is reported once, at its first member, with every pointer on it. Nodes shared
through YAML aliases are followed as the same node, so an alias cannot hide a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import lookup, pointer_join, pointer_parts
from .docview import parts_of

__all__ = ["inclusion_cycles"]

Finding = tuple[str, str]


def inclusion_cycles(data: Any) -> Iterator[Finding]:
    """(pointer, message) for each cycle of inclusions in a bundled document whose local
    ``$ref`` s all resolve."""
    starts: list[dict[str, Any]] = []  # the nodes that include something
    seen: set[int] = set()
    stack: list[Any] = [data]
    while stack:  # no pointers yet: they are worked out only for a cycle found
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if "$ref" in node or "allOf" in node:
                starts.append(node)
            stack.extend(reversed([v for v in node.values() if isinstance(v, dict | list)]))
        else:
            stack.extend(reversed([v for v in node if isinstance(v, dict | list)]))

    def included(node: Any) -> Iterator[Any]:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            target = lookup(data, parts_of(ref))
            if isinstance(target, dict | list):
                yield target
        parts = node.get("allOf")
        if isinstance(parts, list):
            yield from (part for part in parts if isinstance(part, dict))

    cycles: list[list[int]] = []
    state: dict[int, int] = {}  # 1: on the trail being followed, 2: every way out followed
    for first in starts:
        if id(first) in state:
            continue
        trail = [first]
        state[id(first)] = 1
        pending = [included(first)]
        while pending:
            step = next(pending[-1], None)
            if step is None:
                pending.pop()
                state[id(trail.pop())] = 2
                continue
            seen_as = state.get(id(step))
            if seen_as == 1:
                ids = [id(n) for n in trail]
                cycles.append(ids[ids.index(id(step)) :])
            elif seen_as is None:
                state[id(step)] = 1
                trail.append(step)
                pending.append(included(step))
    if cycles:
        where = _pointers(data)
        for cycle in cycles:
            yield _finding([where[n] for n in cycle])


def _pointers(data: Any) -> dict[int, str]:
    """The first pointer of every node, in document order."""
    where: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if id(node) in where:
            continue
        where[id(node)] = pointer
        items = node.items() if isinstance(node, dict) else enumerate(node)
        children = [(v, pointer_join(pointer, k)) for k, v in items if isinstance(v, dict | list)]
        stack.extend(reversed(children))  # document order
    return where


def _finding(cycle: list[str]) -> Finding:
    shown = " -> ".join([*cycle, cycle[0]])
    if any(pointer_parts(p)[-2:-1] == ["allOf"] for p in cycle):
        return cycle[0], f"a schema that includes itself through allOf: {shown}"
    return cycle[0], f"$ref cycle that never reaches a schema: {shown}"
