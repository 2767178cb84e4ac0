"""IR types → Python annotations: the one place where an IR type becomes annotation text.

Four roles: ``model`` (attributes of parsed models, honest about what a newer server may
send: ``Enum | str``, discriminated unions ``| UnknownEvent``), ``input`` (values callers
build: closed enums take their literal strings, containers are read-only views),
``argument`` (a method's arguments and the keys of request dicts: as ``input``, and at every
depth an object may also be its ``TypedDict`` param, as the official SDK's calls pass it; the
runtime sends either) and ``param`` (the body of a union's param alias: its branches as
dicts only, the union itself standing for its models).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Literal

from . import ir

Role = Literal["model", "input", "argument", "param"]
# The builtins annotations name, which a member of a class may shadow.
_BUILTINS = frozenset(("str", "int", "float", "bool", "bytes", "list", "dict"))


class TypeWriter:
    """Writes annotations for one API.

    ``literal_enums`` are the enums written as ``Literal[...]`` aliases (those only requests
    use); the others are ``enum.StrEnum`` classes. ``open_unions`` are the discriminated
    unions whose parsed values may be an ``UnknownEvent``. ``params`` names the ``TypedDict``
    (of a model) or param alias (of a union that holds objects) each request-side named
    thing has, which a dict stands for in an argument. ``shadowed`` are builtins a class
    body redefines (a method named ``list``): annotations there say ``builtins.list``.
    """

    def __init__(
        self,
        enums: dict[str, ir.Enum],
        literal_enums: Collection[str] = (),
        open_unions: Collection[str] = (),
        params: Mapping[str, str] | None = None,
    ) -> None:
        self.enums = enums
        self.literal_enums = frozenset(literal_enums)
        self.open_unions = frozenset(open_unions)
        self.params: Mapping[str, str] = params or {}
        self.shadowed: frozenset[str] = frozenset()

    def shadowing(self, names: Collection[str]) -> TypeWriter:
        """This writer, for a class body where ``names`` are taken by its own members."""
        writer = TypeWriter(self.enums, self.literal_enums, self.open_unions, self.params)
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
                return [f"{container}[{self.annotation(item, _inner(role))}]"]
            case ir.MapOf(value=value):
                container = self.builtin("dict") if role == "model" else "Mapping"
                return [f"{container}[str, {self.annotation(value, _inner(role))}]"]
            case ir.ModelRef(name=name) | ir.UnionRef(name=name) if role in ("argument", "param"):
                param = self.params.get(name)
                if param is None:
                    return [name]
                return [param] if role == "param" else [name, param]
            case ir.ModelRef(name=name):
                return [name]
            case ir.UnionRef(name=name):
                if role == "model" and name in self.open_unions:
                    return [name, "UnknownEvent"]
                return [name]
            case ir.EnumRef(name=name, open=is_open):
                return self._enum(name, is_open, role)
            case ir.Const(value=value):
                return [f"Literal[{value!r}]"]
            case ir.Union(variants=variants):
                return [atom for v in variants for atom in self._atoms(v, role)]
        raise AssertionError(type_)

    def mentions(self, type_: ir.TypeRef, role: Role) -> set[str]:
        """The named things and params the annotation of ``type_`` in ``role`` names (for
        imports; ``UnknownEvent`` aside)."""
        match type_:
            case ir.ListOf(item=inner) | ir.MapOf(value=inner):
                return self.mentions(inner, _inner(role))
            case ir.Union(variants=variants):
                return set().union(*(self.mentions(v, role) for v in variants))
            case ir.ModelRef(name=name) | ir.UnionRef(name=name) if role in ("argument", "param"):
                param = self.params.get(name)
                if param is None:
                    return {name}
                return {param} if role == "param" else {name, param}
            case ir.ModelRef(name=name) | ir.UnionRef(name=name) | ir.EnumRef(name=name):
                return {name}
        return set()

    def _enum(self, name: str, is_open: bool, role: Role) -> list[str]:
        if name in self.literal_enums:
            return [name, self.builtin("str")] if is_open else [name]
        if role != "model" and not is_open:
            values = ", ".join(repr(m.value) for m in self.enums[name].members)
            return [name, f"Literal[{values}]"]
        return [name, self.builtin("str")]  # a value a newer server sends is kept as it came


def _inner(role: Role) -> Role:
    """The role of what a container holds: a union's param alias takes models inside."""
    return "argument" if role == "param" else role


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
