"""Which value of a discriminator property selects which branch of a union.

OpenAPI gives three sources, tried for each branch in this order:

1. the explicit ``mapping``, whose values are ``$ref`` s (``#/components/schemas/Cat``) or
   bare component names (``Cat``);
2. the branch's own constant for the property: ``const``, or the values of its ``enum``,
   looking through ``$ref`` s and ``allOf`` parts;
3. the implicit mapping: a branch that is a ``$ref`` to ``#/components/schemas/<Name>`` is
   selected by ``<Name>``.

One value may select several branches (the caller tells them apart by fit). A branch that is
not an object schema is never selected by a value: JSON kind tells it apart. ``generate`` and
``conform`` both read unions through :func:`discriminator_mapping`, so they agree on every
spec.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..errors import pointer_join, pointer_parts
from .docview import MAX_HOPS, is_object_schema, resolve

_COMPONENTS = "#/components/schemas/"


class DiscriminatorError(ValueError):
    """The discriminator cannot be read; ``pointer`` says where."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer


@attrs.frozen
class Mapping:
    """The values of ``property`` and the branches (indexes into ``oneOf``/``anyOf``) each one
    selects, in the order the spec gives them."""

    property: str
    cases: tuple[tuple[str, tuple[int, ...]], ...]
    unmapped: tuple[int, ...] = ()  # object branches that no value selects

    def branches_of(self, value: str) -> tuple[int, ...]:
        return next((branches for v, branches in self.cases if v == value), ())


def union_branches(schema: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """``("oneOf", [...])`` or ``("anyOf", [...])`` for a union schema, else None."""
    for key in ("oneOf", "anyOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            return key, branches
    return None


def discriminator_mapping(data: Any, schema: dict[str, Any], pointer: str) -> Mapping:
    """The mapping of the union ``schema`` found at ``pointer`` in the document ``data``.

    Raises :class:`DiscriminatorError` when the discriminator has no ``propertyName``, when
    the explicit mapping names something that is not a branch, or when the schema is not a
    union.
    """
    raw = schema.get("discriminator")
    where = pointer_join(pointer, "discriminator")
    prop = raw.get("propertyName") if isinstance(raw, dict) else None
    if not isinstance(prop, str):
        raise DiscriminatorError(where, "a discriminator needs a string propertyName")
    found = union_branches(schema)
    if found is None:
        raise DiscriminatorError(where, "a discriminator needs oneOf or anyOf branches")
    _, branches = found
    refs = [_branch_ref(branch) for branch in branches]

    cases: dict[str, list[int]] = {}
    explicit_branches: set[int] = set()
    explicit = raw.get("mapping") if isinstance(raw, dict) else None
    for value, target in (explicit or {}).items():
        target_ref = _normalise(target)
        indexes = [i for i, ref in enumerate(refs) if ref is not None and ref == target_ref]
        if not indexes:
            raise DiscriminatorError(
                pointer_join(where, "mapping", str(value)),
                f"mapping value {target!r} is not one of the union's branches",
            )
        cases.setdefault(str(value), []).extend(indexes)
        explicit_branches.update(indexes)

    unmapped: list[int] = []
    for index, branch in enumerate(branches):
        if index in explicit_branches or not is_object_schema(data, branch):
            continue
        values = constant_values(data, branch, prop)
        ref = refs[index]
        if not values and ref is not None and ref.startswith(_COMPONENTS):
            values = [pointer_parts(ref)[-1]]  # OpenAPI's implicit mapping
        if not values:
            unmapped.append(index)
        for value in values:
            if index not in cases.setdefault(value, []):
                cases[value].append(index)
    return Mapping(prop, tuple((v, tuple(b)) for v, b in cases.items()), tuple(unmapped))


def constant_values(data: Any, schema: Any, prop: str) -> list[str]:
    """The string values ``prop`` can take in ``schema``: its ``const`` or ``enum``, looking
    through ``$ref`` s and ``allOf`` parts (empty when the property is not constant)."""
    found: list[str] = []
    pending: list[tuple[Any, int]] = [(schema, 0)]
    while pending:
        node, hops = pending.pop(0)
        node = resolve(data, node)
        if not isinstance(node, dict) or hops > MAX_HOPS:
            continue
        properties = node.get("properties")
        prop_schema = resolve(data, properties.get(prop)) if isinstance(properties, dict) else None
        if isinstance(prop_schema, dict):
            if isinstance(prop_schema.get("const"), str):
                found.append(prop_schema["const"])
            elif isinstance(prop_schema.get("enum"), list):
                found += [v for v in prop_schema["enum"] if isinstance(v, str)]
        all_of = node.get("allOf")
        if isinstance(all_of, list):
            pending += [(part, hops + 1) for part in all_of]
    return list(dict.fromkeys(found))


def _branch_ref(branch: Any) -> str | None:
    ref = branch.get("$ref") if isinstance(branch, dict) else None
    return _normalise(ref) if isinstance(ref, str) else None


def _normalise(target: Any) -> str:
    """A mapping value or ``$ref`` as a local ``#/...`` reference."""
    text = str(target)
    if text.startswith("#"):
        return text
    if "/" not in text and "#" not in text:
        return _COMPONENTS + text.replace("~", "~0")  # a bare component name
    return text
