"""How two IR types relate: the same, equivalent, widened, narrowed or changed.

Types are first normalized for one side (request or response): string enums become
:class:`EnumAtom` values that carry their values with them, and names of the old API are
mapped to the names they were renamed to. A type kind this module has no rule for is
compared by equality: equal is ``same``, anything else is ``changed``.
"""

from __future__ import annotations

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


def normalize(
    type_: ir.TypeRef, enums: dict[str, ir.Enum], renames: dict[str, str], side: Side
) -> Any:
    """The type with enums made self-contained and old names mapped to their new names.

    On the response side every enum is read as ``Enum | str``, so openness does not matter.
    """
    match type_:
        case ir.EnumRef(name=name, open=is_open):
            values = (
                frozenset(m.value for m in enums[name].members) if name in enums else frozenset()
            )
            return EnumAtom(renames.get(name, name), is_open or side == "response", values)
        case ir.ModelRef(name=name):
            return ir.ModelRef(renames.get(name, name))
        case ir.UnionRef(name=name):
            return ir.UnionRef(renames.get(name, name))
        case ir.ListOf(item=item):
            return ir.ListOf(normalize(item, enums, renames, side))
        case ir.MapOf(value=value):
            return ir.MapOf(normalize(value, enums, renames, side))
        case ir.Union(variants=variants):
            return ir.Union(tuple(normalize(v, enums, renames, side) for v in variants))
    return type_


def _atoms(type_: Any) -> tuple[Any, ...]:
    return type_.variants if isinstance(type_, ir.Union) else (type_,)


def covers(wide: Any, narrow: Any) -> bool:
    """Whether every value of ``narrow`` is also a value of ``wide`` (normalized types)."""
    return all(any(_atom_covers(w, n) for w in _atoms(wide)) for n in _atoms(narrow))


def _atom_covers(wide: Any, narrow: Any) -> bool:
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
            return covers(w, n)
        case ir.MapOf(value=w), ir.MapOf(value=n):
            return covers(w, n)
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
