"""How two IR types relate: the same, equivalent, widened, narrowed or changed.

Types are compared by the values they accept, not by how they are spelled. They are first
normalized for one side (request or response) by a :class:`Normalizer`: string enums become
:class:`EnumAtom` values that carry their values with them, named unions become
:class:`UnionAtom` values that carry their variants (a named union is an alias in Python,
so it accepts what its variants accept), and names of the old API are mapped to the names
they were renamed to. Models are classes, so they are compared by name. A type kind this
module has no rule for is compared by equality: equal is ``same``, anything else is
``changed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, Literal

import attrs

from ...pipeline import ir
from ...pipeline.usage import Side

Relation = Literal["same", "equivalent", "widened", "narrowed", "changed"]


@attrs.frozen
class EnumAtom:
    """A string enum inside a compared type: its values travel with it.

    Two atoms of the same enum compare equal whatever their values: value changes are
    reported once, by the enum comparison, not again by every field that uses the enum.
    """

    name: str
    open: bool
    values: frozenset[str] = attrs.field(eq=False)


@attrs.frozen
class UnionAtom:
    """A named union inside a compared type: its variants come with it, flattened, when
    asked for (a union may contain itself).

    Two atoms of the same union compare equal whatever their variants (changes inside it are
    reported once, by the union comparison); atoms of different unions, or a union and an
    inline type, are compared by what they accept. ``leaves`` is None for a union the API
    does not define, or one met again while its own variants are flattened.
    """

    name: str
    expand: Callable[[], tuple[Any, ...] | None] = attrs.field(eq=False, repr=False)

    @property
    def leaves(self) -> tuple[Any, ...] | None:
        return self.expand()


@attrs.frozen
class Unknown:
    """What a tag-chosen union gives readers for a tag it does not know (``UnknownEvent``)."""

    name: str


class Normalizer:
    """Normalizes the types of one API for one side.

    On the response side every enum is read as ``Enum | str``, so openness does not matter,
    and a union with a fallback may also give its fallback. ``renames`` maps names of this
    API to the names of the API it is compared with (empty for the new API).
    """

    def __init__(
        self,
        enums: dict[str, ir.Enum],
        unions: dict[str, ir.UnionDef],
        renames: dict[str, str],
        side: Side,
    ) -> None:
        self.enums, self.unions, self.renames, self.side = enums, unions, renames, side
        self._leaves: dict[str, tuple[Any, ...] | None] = {}
        self._flattening: set[str] = set()

    def __call__(self, type_: ir.TypeRef) -> Any:
        match type_:
            case ir.EnumRef(name=name, open=is_open):
                enum = self.enums.get(name)
                values = frozenset(m.value for m in enum.members) if enum else frozenset()
                is_open = is_open or self.side == "response"
                return EnumAtom(self.renames.get(name, name), is_open, values)
            case ir.ModelRef(name=name):
                return ir.ModelRef(self.renames.get(name, name))
            case ir.UnionRef(name=name):
                return UnionAtom(self.renames.get(name, name), partial(self._union_leaves, name))
            case ir.ListOf(item=item):
                return ir.ListOf(self(item))
            case ir.MapOf(value=value):
                return ir.MapOf(self(value))
            case ir.Union(variants=variants):
                return ir.Union(tuple(self(v) for v in variants))
        return type_

    def _union_leaves(self, name: str) -> tuple[Any, ...] | None:
        """The union's variants, normalized and flattened (a union in a union opened up)."""
        if name in self._leaves:
            return self._leaves[name]
        union = self.unions.get(name)
        if union is None or name in self._flattening:
            return None
        self._flattening.add(name)
        itself = self.renames.get(name, name)
        found = [
            leaf
            for variant in union.variants
            for leaf in leaves(self(variant))
            if not (isinstance(leaf, UnionAtom) and leaf.name == itself)
        ]
        if union.fallback is not None and self.side == "response":
            found.append(Unknown(union.fallback))
        self._flattening.discard(name)
        self._leaves[name] = tuple(dict.fromkeys(found))
        return self._leaves[name]


def _atoms(type_: Any) -> tuple[Any, ...]:
    return type_.variants if isinstance(type_, ir.Union) else (type_,)


def leaves(type_: Any) -> Iterator[Any]:
    """The atoms of a normalized type, with named unions replaced by their variants."""
    for atom in _atoms(type_):
        found = atom.leaves if isinstance(atom, UnionAtom) else None
        if found is not None:
            yield from found
        else:
            yield atom


def nullable(type_: Any) -> bool:
    """Whether a normalized type admits ``None``, also through a named union."""
    return any(atom == ir.NONE for atom in leaves(type_))


def without_none(type_: Any) -> Any:
    """A normalized type without ``None``; a named union that admits it is opened up."""
    kept: list[Any] = []
    for atom in _atoms(type_):
        found = atom.leaves if isinstance(atom, UnionAtom) else None
        if atom == ir.NONE:
            continue
        if found is not None and ir.NONE in found:
            kept += [leaf for leaf in found if leaf != ir.NONE]
        else:
            kept.append(atom)
    if not kept:
        return ir.NONE
    return kept[0] if len(kept) == 1 else ir.Union(tuple(kept))


Assumed = frozenset[tuple[Any, Any]]


def covers(wide: Any, narrow: Any, assumed: Assumed = frozenset()) -> bool:
    """Whether every value of ``narrow`` is also a value of ``wide`` (normalized types).

    A pair met again inside itself (through a union that contains itself) is assumed to
    hold, which is what makes recursive unions of the same shape compare equal.
    """
    if (wide, narrow) in assumed:
        return True
    assumed = assumed | {(wide, narrow)}
    wide_atoms = [*_atoms(wide), *leaves(wide)]
    return all(_covered(atom, wide_atoms, assumed) for atom in _atoms(narrow))


def _covered(narrow: Any, wide_atoms: list[Any], assumed: Assumed) -> bool:
    if any(_atom_covers(w, narrow, assumed) for w in wide_atoms):
        return True
    found = narrow.leaves if isinstance(narrow, UnionAtom) else None
    return found is not None and all(_covered(leaf, wide_atoms, assumed) for leaf in found)


def _atom_covers(wide: Any, narrow: Any, assumed: Assumed) -> bool:
    if wide == narrow or isinstance(wide, ir.AnyValue):
        return True
    match wide, narrow:
        case ir.Primitive(kind="float"), ir.Primitive(kind="int"):
            return True  # a JSON number accepts integers
        case ir.Primitive(kind=kind), ir.Const(value=value):
            return _const_kind(value) == kind or (kind == "float" and _const_kind(value) == "int")
        case ir.Primitive(kind="str"), EnumAtom():
            return True
        case EnumAtom(open=True), ir.Primitive(kind="str"):
            return True
        case EnumAtom(), ir.Const(value=str() as value):
            return wide.open or value in wide.values
        case EnumAtom(), EnumAtom():
            if wide.open:
                return True
            if narrow.open:
                return False
            return wide.name == narrow.name or narrow.values <= wide.values
        case ir.ListOf(item=w), ir.ListOf(item=n):
            return covers(w, n, assumed)
        case ir.MapOf(value=w), ir.MapOf(value=n):
            return covers(w, n, assumed)
    return False


def _const_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "float" if isinstance(value, float) else "str"


def relation(old: Any, new: Any) -> Relation:
    """How the normalized type ``new`` relates to ``old``."""
    if old == new:
        return "same"
    wider, narrower = covers(new, old), covers(old, new)
    if wider and narrower:
        return "equivalent"
    if wider:
        return "widened"
    return "narrowed" if narrower else "changed"


def show(type_: Any) -> str:
    """A short Python-like spelling of an IR type, for messages."""
    match type_:
        case ir.Primitive(kind=kind):
            return str(kind)
        case ir.AnyValue():
            return "Any"
        case ir.File():
            return "file"
        case ir.ListOf(item=item):
            return f"list[{show(item)}]"
        case ir.MapOf(value=value):
            return f"dict[str, {show(value)}]"
        case ir.ModelRef(name=name) | ir.UnionRef(name=name):
            return str(name)
        case ir.EnumRef(name=name, open=is_open):
            return f"{name} | str" if is_open else str(name)
        case ir.Const(value=value):
            return f"Literal[{value!r}]"
        case ir.Union(variants=variants):
            return " | ".join(show(v) for v in variants)
    return repr(type_)  # a type kind without a spelling here
