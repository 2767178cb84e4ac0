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

from ..errors import pointer_join, pointer_parts

__all__ = ["inclusion_cycles"]

Finding = tuple[str, str]


def inclusion_cycles(data: Any) -> Iterator[Finding]:
    """(pointer, message) for each cycle of inclusions in a bundled document whose local
    ``$ref`` s all resolve."""
    where: dict[int, str] = {}  # a node's first pointer
    nodes: dict[int, Any] = {}
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if id(node) in where:
            continue
        where[id(node)] = pointer
        nodes[id(node)] = node
        items = node.items() if isinstance(node, dict) else enumerate(node)
        children = [(v, pointer_join(pointer, k)) for k, v in items if isinstance(v, dict | list)]
        stack.extend(reversed(children))  # document order

    def included(node: Any) -> Iterator[Any]:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            target = _resolve(data, ref)
            if isinstance(target, dict | list):
                yield target
        parts = node.get("allOf")
        if isinstance(parts, list):
            yield from (part for part in parts if isinstance(part, dict))

    state: dict[int, int] = {}  # 1: on the trail being followed, 2: every way out followed
    for start, node in nodes.items():
        if start in state or not (isinstance(node, dict) and ("$ref" in node or "allOf" in node)):
            continue
        trail = [start]
        state[start] = 1
        pending = [included(node)]
        while pending:
            step = next(pending[-1], None)
            if step is None:
                pending.pop()
                state[trail.pop()] = 2
                continue
            key = id(step)
            seen = state.get(key)
            if seen == 1:
                yield _finding([where[n] for n in trail[trail.index(key) :]])
            elif seen is None and key in nodes:
                state[key] = 1
                trail.append(key)
                pending.append(included(step))


def _finding(cycle: list[str]) -> Finding:
    shown = " -> ".join([*cycle, cycle[0]])
    if any(pointer_parts(p)[-2:-1] == ["allOf"] for p in cycle):
        return cycle[0], f"a schema that includes itself through allOf: {shown}"
    return cycle[0], f"$ref cycle that never reaches a schema: {shown}"


def _resolve(data: Any, ref: str) -> Any:
    node = data
    for part in pointer_parts(ref):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node
