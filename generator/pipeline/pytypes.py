"""IR types → Python annotations: the one place where an IR type becomes annotation text.

Three roles: ``model`` (attributes of parsed models, honest about what a newer server may
send: ``Enum | str``, discriminated unions ``| UnknownEvent``), ``input`` (values callers
build: closed enums take their literal strings, containers are read-only views) and
``argument`` (a method's arguments: as ``input``, and an object may also be a plain dict, as
the official SDK's calls pass them; the runtime sends either).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from . import ir

Role = Literal["model", "input", "argument"]
# The builtins annotations name, which a member of a class may shadow.
_BUILTINS = frozenset(("str", "int", "float", "bool", "bytes", "list", "dict"))
_DICT = "Mapping[str, object]"  # an object given as a dict, in the ``argument`` role


class TypeWriter:
    """Writes annotations for one API.

    ``literal_enums`` are the enums written as ``Literal[...]`` aliases (those only requests
    use); the others are ``enum.StrEnum`` classes. ``open_unions`` are the discriminated
    unions whose parsed values may be an ``UnknownEvent``; ``object_unions`` those with an
    object branch, which a dict may stand for in an argument. ``shadowed`` are builtins a
    class body redefines (a method named ``list``): annotations there say ``builtins.list``.
    """

    def __init__(
        self,
        enums: dict[str, ir.Enum],
        literal_enums: Collection[str] = (),
        open_unions: Collection[str] = (),
        object_unions: Collection[str] = (),
    ) -> None:
        self.enums = enums
        self.literal_enums = frozenset(literal_enums)
        self.open_unions = frozenset(open_unions)
        self.object_unions = frozenset(object_unions)
        self.shadowed: frozenset[str] = frozenset()

    def shadowing(self, names: Collection[str]) -> TypeWriter:
        """This writer, for a class body where ``names`` are taken by its own members."""
        writer = TypeWriter(self.enums, self.literal_enums, self.open_unions, self.object_unions)
        writer.shadowed = frozenset(names) & _BUILTINS
        return writer

    def builtin(self, name: str) -> str:
        """A builtin's name as an annotation in this class body."""
        return f"builtins.{name}" if name in self.shadowed else name

    def annotation(self, type_: ir.TypeRef, role: Role = "model") -> str:
        return " | ".join(dict.fromkeys(self._atoms(type_, role)))

    def _atoms(self, type_: ir.TypeRef, role: Role) -> list[str]:
        match type_:
            case ir.Primitive(kind=kind):
                return [self.builtin(kind)]
            case ir.AnyValue():
                return ["Any"]
            case ir.File():
                return ["FileTypes"]
            case ir.ListOf(item=item):
                container = self.builtin("list") if role == "model" else "Sequence"
                return [f"{container}[{self.annotation(item, role)}]"]
            case ir.MapOf(value=value):
                container = self.builtin("dict") if role == "model" else "Mapping"
                return [f"{container}[str, {self.annotation(value, role)}]"]
            case ir.ModelRef(name=name):
                return [name, _DICT] if role == "argument" else [name]
            case ir.UnionRef(name=name):
                if role == "model" and name in self.open_unions:
                    return [name, "UnknownEvent"]
                if role == "argument" and name in self.object_unions:
                    return [name, _DICT]
                return [name]
            case ir.EnumRef(name=name, open=is_open):
                return self._enum(name, is_open, role)
            case ir.Const(value=value):
                return [f"Literal[{value!r}]"]
            case ir.Union(variants=variants):
                return [atom for v in variants for atom in self._atoms(v, role)]
        raise AssertionError(type_)

    def _enum(self, name: str, is_open: bool, role: Role) -> list[str]:
        if name in self.literal_enums:
            return [name, self.builtin("str")] if is_open else [name]
        if role != "model" and not is_open:
            values = ", ".join(repr(m.value) for m in self.enums[name].members)
            return [name, f"Literal[{values}]"]
        return [name, self.builtin("str")]  # a value a newer server sends is kept as it came


def file_shape(
    type_: ir.TypeRef,
) -> Literal["one", "many", "one_or_many", "one_or_value"] | None:
    """How a multipart file field is sent: one part, a part per file, either by value, or
    (a file or another value) a file part only when the value is a file."""
    bare = ir.without_none(type_)
    if bare == ir.File():
        return "one"
    if bare == ir.ListOf(ir.File()):
        return "many"
    if isinstance(bare, ir.Union) and set(bare.variants) == {ir.File(), ir.ListOf(ir.File())}:
        return "one_or_many"
    if isinstance(bare, ir.Union) and ir.File() in bare.variants:
        return "one_or_value"
    return None


def files_as_text(type_: ir.TypeRef) -> ir.TypeRef:
    """The type with each ``File`` (a ``format: binary`` string) typed ``str``: only the
    top-level fields of a multipart or raw body are sent as file content; JSON, forms and
    the models they hold carry such a string as text."""
    match type_:
        case ir.File():
            return ir.Primitive("str")
        case ir.ListOf(item=item):
            return ir.ListOf(files_as_text(item))
        case ir.MapOf(value=value):
            return ir.MapOf(files_as_text(value))
        case ir.Union(variants=variants):
            return ir.make_union([files_as_text(v) for v in variants])
    return type_


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
