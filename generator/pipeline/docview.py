"""One resolved view of a loaded document, for everything that reads it raw.

The IR builder, validation, ``slice`` and ``conform`` all read the document through these,
so they agree on what it says:

* :func:`follow` and :func:`resolve`: where a chain of local ``$ref`` s leads;
* :func:`iter_operations` and :func:`item_operations`: the operations of a document or of one
  path item, by the rules of its OpenAPI version (``query`` and ``additionalOperations``
  from 3.2 on);
* :func:`is_object_schema`: whether a schema describes JSON objects.

It reads only: the document is never changed here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import unquote

from ..errors import MISSING, lookup, pointer_join, pointer_parts
from ..runtime._protocol import ADDITIONAL_OPERATIONS, path_item_methods

__all__ = [
    "MAX_HOPS",
    "OperationAt",
    "Trace",
    "follow",
    "is_object_schema",
    "item_operations",
    "iter_operations",
    "parts_of",
    "path_item_pointer",
    "resolve",
    "trace",
]

MAX_HOPS = 64
"""The longest chain of ``$ref`` s followed (and the deepest ``allOf`` looked into)."""


# Keywords that only objects have: a schema without ``type`` that uses one describes objects.
_OBJECT_KEYWORDS = ("properties", "additionalProperties", "patternProperties")


# ---------------------------------------------------------------- references


@functools.lru_cache(maxsize=65536)
def parts_of(pointer: str) -> tuple[str, ...]:
    """The unescaped parts of a JSON pointer (``#`` or not), cached: building the IR of a
    large spec resolves the same pointers tens of thousands of times."""
    return tuple(pointer_parts(pointer))


class Trace(NamedTuple):
    """Where a chain of ``$ref`` s leads: ``node`` at ``pointer`` (None when it leads nowhere,
    ``pointer`` then the node whose ``$ref`` broke it), the pointers of the nodes whose
    ``$ref`` was read, in order (``links``), and why it broke (``why``: ``missing``,
    ``external`` or ``circle``; ``ref``, the reference that did)."""

    node: Any
    pointer: str
    links: tuple[str, ...] = ()
    why: str = ""
    ref: str = ""


def trace(data: Any, node: Any, pointer: str = "", *, base: str = "") -> Trace:
    """Follow the chain of local ``$ref`` s from ``node`` (found at ``pointer``). It breaks
    at a target that is not there, a reference to another document, a circle, or after
    :data:`MAX_HOPS` references. ``base``: an absolute URI that also stands for this
    document (a ``$ref`` of ``base#/a%20b`` is read as ``#/a b``)."""
    links: list[str] = []
    seen: set[str] = set()
    while isinstance(node, dict):
        ref = node.get("$ref")
        if not isinstance(ref, str):
            break
        if base and ref.startswith(base + "#"):
            ref = unquote(ref[len(base) :])
        links.append(pointer)
        if not ref.startswith("#"):
            return Trace(None, pointer, tuple(links), "external", ref)
        if ref in seen or len(seen) >= MAX_HOPS:
            return Trace(None, pointer, tuple(links), "circle", ref)
        seen.add(ref)
        target = lookup(data, parts_of(ref))
        if target is MISSING:
            return Trace(None, pointer, tuple(links), "missing", ref)
        node, pointer = target, ref[1:]
    return Trace(node, pointer, tuple(links))


def follow(data: Any, node: Any, pointer: str = "", *, base: str = "") -> tuple[Any, str]:
    """What ``node`` (found at ``pointer``) is through its chain of local ``$ref`` s, and the
    pointer of that; the node is None when the chain leads nowhere (see :func:`trace`)."""
    found = trace(data, node, pointer, base=base)
    return found.node, found.pointer


def resolve(data: Any, node: Any) -> Any:
    """What ``node`` is through its chain of local ``$ref`` s (None when it leads nowhere)."""
    if not (isinstance(node, dict) and "$ref" in node):
        return node  # most nodes: keep this quick
    return follow(data, node)[0]


# ---------------------------------------------------------------- operations


class OperationAt(NamedTuple):
    """An operation and where it is: ``method`` in lower case, ``path`` its path item's key
    (a path template, or a webhook's name)."""

    pointer: str
    method: str
    path: str
    operation: dict[str, Any]


def item_operations(item: Any, version: str) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """``(keys, operation)`` for each operation of a path item: ``keys`` lead to it from the
    item (``("get",)``, ``("additionalOperations", "COPY")``). In method order: those of each
    HTTP method, then in 3.2 ``query`` and the ``additionalOperations`` in their order."""
    if not isinstance(item, dict):
        return
    for method in path_item_methods(version):
        operation = item.get(method)
        if isinstance(operation, dict):
            yield (method,), operation
    more = item.get(ADDITIONAL_OPERATIONS) if version == "3.2" else None
    for method, operation in (more if isinstance(more, dict) else {}).items():
        if isinstance(operation, dict):
            yield (ADDITIONAL_OPERATIONS, str(method)), operation


def iter_operations(data: dict[str, Any], version: str, home: str = "paths") -> list[OperationAt]:
    """Every operation under ``home`` (``paths``, or ``webhooks``), in document order. A path
    item given by ``$ref`` is read where it leads; the pointers are where it is written."""
    found = []
    items = data.get(home)
    for path, item in (items if isinstance(items, dict) else {}).items():
        item_pointer = pointer_join("", home, path)
        for keys, operation in item_operations(resolve(data, item), version):
            pointer = pointer_join(item_pointer, *keys)
            found.append(OperationAt(pointer, keys[-1].lower(), str(path), operation))
    return found


def path_item_pointer(pointer: str) -> str:
    """The pointer of the path item an operation is in."""
    item = pointer.rsplit("/", 1)[0]
    return item.removesuffix("/" + ADDITIONAL_OPERATIONS)


# ---------------------------------------------------------------- schemas


def is_object_schema(data: Any, schema: Any) -> bool:
    """Whether ``schema`` (through its ``$ref`` s) describes JSON objects.

    Its ``type`` decides when it has one: ``object``, or a list that includes it. Without
    one, a schema describes objects when it uses a keyword only objects have
    (``properties``, ``additionalProperties``, ``patternProperties``), or when it is an
    ``allOf`` with a part that describes objects (every value is then one). A ``oneOf`` or
    ``anyOf`` is not an object schema itself: its branches may be.
    """
    return _is_object(data, schema, 0)


def _is_object(data: Any, schema: Any, depth: int) -> bool:
    schema = resolve(data, schema)
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if kind is not None:
        return kind == "object" or (isinstance(kind, list) and "object" in kind)
    if any(keyword in schema for keyword in _OBJECT_KEYWORDS):
        return True
    parts = schema.get("allOf")
    return (
        isinstance(parts, list)
        and depth < MAX_HOPS
        and any(_is_object(data, part, depth + 1) for part in parts)
    )
