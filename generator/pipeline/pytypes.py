"""IR types → Python source: annotations, and expressions that decode JSON into them.

Two sides: ``model`` (attributes of parsed models: enums tolerate unknown values) and
``input`` (arguments callers pass: closed enums also take their literal strings).
"""

from __future__ import annotations

from typing import Literal

from . import ir
from .names import snake_name

Side = Literal["model", "input"]


class TypeWriter:
    def __init__(self, enums: dict[str, ir.Enum]) -> None:
        self.enums = enums

    def annotation(self, type_: ir.TypeRef, side: Side = "model") -> str:
        match type_:
            case ir.Primitive(kind=kind):
                return kind
            case ir.AnyValue():
                return "Any"
            case ir.File():
                return "FileTypes"
            case ir.ListOf(item=item):
                container = "Sequence" if side == "input" else "list"
                return f"{container}[{self.annotation(item, side)}]"
            case ir.MapOf(value=value):
                container = "Mapping" if side == "input" else "dict"
                return f"{container}[str, {self.annotation(value, side)}]"
            case ir.ModelRef(name=name) | ir.UnionRef(name=name):
                return name
            case ir.EnumRef(name=name, open=is_open):
                if side == "input" and not is_open:
                    values = ", ".join(repr(m.value) for m in self.enums[name].members)
                    return f"{name} | Literal[{values}]"
                return f"{name} | str"
            case ir.Const(value=value):
                return f"Literal[{value!r}]"
            case ir.Union(variants=variants):
                return " | ".join(self.annotation(v, side) for v in variants)
        raise AssertionError(type_)

    def decoder(self, type_: ir.TypeRef, var: str, depth: int = 0) -> str | None:
        """An expression turning the JSON value ``var`` into ``type_``; None when it is as-is."""
        match type_:
            case ir.ModelRef(name=name):
                return f"{name}.from_dict({var}, strict=strict)"
            case ir.UnionRef(name=name):
                return f"parse_{snake_name(name)}({var}, strict=strict)"
            case ir.EnumRef(name=name):
                return f"enum_or_str({name}, {var})"
            case ir.ListOf(item=item):
                loop = f"i{depth}"
                inner = self.decoder(item, loop, depth + 1)
                return None if inner is None else f"[{inner} for {loop} in {var}]"
            case ir.MapOf(value=value):
                key, loop = f"k{depth}", f"i{depth}"
                inner = self.decoder(value, loop, depth + 1)
                if inner is None:
                    return None
                return f"{{{key}: {inner} for {key}, {loop} in {var}.items()}}"
            case ir.Union(variants=variants):
                return self._union_decoder(variants, var, depth)
        return None

    def _union_decoder(self, variants: tuple[ir.TypeRef, ...], var: str, depth: int) -> str | None:
        rest = [v for v in variants if v != ir.NONE]
        decoded = [(v, self.decoder(v, var, depth)) for v in rest]
        if all(code is None for _, code in decoded):
            return None
        models = [v.name for v in rest if isinstance(v, ir.ModelRef)]
        if len(models) > 1:
            # Several object variants and no discriminator: the best-fitting model parses it.
            best = f"parse_best_match({var}, ({', '.join(models)},), strict)"
            decoded = [(v, best if isinstance(v, ir.ModelRef) else c) for v, c in decoded]
        if len(decoded) == 1:
            chain = decoded[0][1] or var
        else:
            # Choose by the JSON kind of the value; the first variant of a kind wins.
            chain = var
            checks = [(_json_check(v, var), code) for v, code in decoded]
            first_of_kind = {check: code for check, code in reversed(checks) if check}
            for check, code in reversed(first_of_kind.items()):
                chain = f"{code or var} if {check} else {chain}"
        if len(rest) < len(variants):
            chain = f"None if {var} is None else {chain}"
        return f"({chain})"


def _json_check(type_: ir.TypeRef, var: str) -> str | None:
    match type_:
        case ir.ModelRef() | ir.MapOf() | ir.UnionRef():
            return f"isinstance({var}, dict)"
        case ir.ListOf():
            return f"isinstance({var}, list)"
        case ir.EnumRef():
            return f"isinstance({var}, str)"
        case ir.Primitive(kind="str") | ir.Const(value=str()):
            return f"isinstance({var}, str)"
        case ir.Primitive(kind="bool"):
            return f"isinstance({var}, bool)"
        case ir.Primitive(kind="int") | ir.Primitive(kind="float"):
            return f"isinstance({var}, int | float)"
    return None


def file_shape(type_: ir.TypeRef) -> Literal["one", "many", "one_or_many"] | None:
    """How a multipart file field is sent: one part, ``name[]`` parts, or either by value."""
    bare = ir.without_none(type_)
    if bare == ir.File():
        return "one"
    if bare == ir.ListOf(ir.File()):
        return "many"
    if isinstance(bare, ir.Union) and set(bare.variants) == {ir.File(), ir.ListOf(ir.File())}:
        return "one_or_many"
    return None


def referenced_names(type_: ir.TypeRef) -> set[str]:
    """The models, enums and unions a type mentions (for imports)."""
    match type_:
        case ir.ModelRef(name=name) | ir.EnumRef(name=name) | ir.UnionRef(name=name):
            return {name}
        case ir.ListOf(item=inner) | ir.MapOf(value=inner):
            return referenced_names(inner)
        case ir.Union(variants=variants):
            return set().union(*(referenced_names(v) for v in variants))
    return set()
