"""JSON Schema → IR types: the one place where each construct becomes a Python type.

``SchemaMapper.map`` is the entry point. Every construct gets the type a careful hand-writer
would choose:

* ``nullable`` (3.0), ``type: [.., null]``, a null branch, ``enum: [.., null]``: ``X | None``;
* ``$ref``: the component's type. In 3.1 keywords beside a ``$ref`` apply too (an ``allOf``
  of the two); in 3.0 they are ignored, as the spec says. ``$recursiveRef`` and
  ``$dynamicRef`` refer to the component they sit in;
* objects with properties, ``allOf`` of objects: models; an object of
  ``additionalProperties`` (or ``patternProperties``) only: ``dict[str, X]``;
* ``allOf`` of non-objects: the merged keywords; ``oneOf``/``anyOf``: unions, named when
  discriminated; a string plus an enum of strings: an open enum;
* string enums: enums; other enums and ``const``: their values (``Literal``/types);
* ``prefixItems``: a list of the union of its items.

What cannot be typed exactly is typed as closely as possible, with a warning at its pointer
(constraint keywords such as ``if``/``then``/``not`` are documented nowhere in the types and
not checked). What cannot be typed at all is left out with a warning: a component that fails
is typed ``Any`` wherever it is used, and the caller (an operation) decides what else to leave
out. Nothing raises past this module but :class:`Aborted`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import attrs

from ..errors import Problem, pointer_join
from . import ir
from .discriminators import DiscriminatorError, discriminator_mapping
from .docview import is_object_schema, parts_of, resolve
from .load import Document, resolve_pointer
from .namer import Namer, NameTaken
from .names import enum_member_names, enum_prefix, unique_field_names

_COMPONENTS = "/components/schemas"
_COMPONENT_PREFIX = "#/components/schemas/"
# Keywords that constrain values without changing their Python shape: not checked.
_IGNORED = (
    "if",
    "then",
    "else",
    "not",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contains",
    "propertyNames",
)
# Keywords that only annotate: they may sit beside a $ref without changing its type.
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "default",
        "example",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "nullable",
        "$comment",
        "externalDocs",
        "xml",
    }
)
_IGNORED_SET = frozenset(_IGNORED)
_UNKNOWN: Any = object()
_REF_ALONE = _ANNOTATIONS | {"$ref", "type"}  # a $ref with only these keywords is the $ref
MAX_DEPTH = 128
"""How deeply schemas may nest (objects in arrays in objects, ...); deeper is left out."""


class Aborted(Exception):
    """Raised after a problem is recorded, to leave out what is being mapped."""


@attrs.frozen
class Built:
    """An inline named thing built in a first pass (:attr:`SchemaMapper.built`): ``name``,
    built while the namer gave its names ``start`` (the first after its own) to ``end``;
    ``ok`` unless it was left out; whether building it added problems, or mapped a
    component first."""

    name: str
    start: int
    end: int
    ok: bool
    new_problems: bool
    new_components: bool


class SchemaMapper:
    """Maps the schemas of one document, registering the models, enums and unions it names.

    Names come from its :class:`.namer.Namer`: ``inline_names`` (pointer → class name)
    fixes the names of inline schemas, as the namer settled them after a first pass.
    """

    def __init__(self, document: Document, inline_names: dict[str, str] | None = None) -> None:
        self.document = document
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self.unions: dict[str, ir.UnionDef] = {}
        self.problems: list[Problem] = []
        self.context: tuple[str, ...] = ()  # the operation being mapped, for qualified names
        self._components: dict[str, ir.TypeRef] = {}
        self._in_progress: set[str] = set()
        self._building: set[str] = set()  # inline named things being built
        self._stack: list[str] = []  # components being mapped, innermost last
        self._depth = 0
        self._warned: set[tuple[str, str]] = set()
        self._docs: dict[int, tuple[dict[str, Any], ir.Doc]] = {}  # by id of the schema
        self._targets: dict[str, Any] = {}  # what each $ref leads to
        self.built: list[Built] = []
        """In a first pass (no ``inline_names``): each inline named thing built, in order."""
        schemas = (document.data.get("components") or {}).get("schemas") or {}
        self._schemas: dict[str, Any] = schemas if isinstance(schemas, dict) else {}
        self.namer = Namer(document.data, self._schemas, inline_names)

    # ------------------------------------------------------------ entry points

    def map_all_components(self) -> None:
        """Map every component schema, so unused ones are generated too."""
        for key in self.namer.components:
            self.component(key)

    def component(self, key: str) -> ir.TypeRef:
        """The type of ``#/components/schemas/<key>``; named things are registered. A
        component that cannot be mapped is left out (a warning) and typed ``Any``."""
        if key in self._components:
            return self._components[key]
        pointer = pointer_join(_COMPONENTS, key)
        try:
            return self._component(key, pointer)
        except Aborted:
            self._components[key] = ir.AnyValue()
            return ir.AnyValue()

    def _component(self, key: str, pointer: str) -> ir.TypeRef:
        schema = self._normalise(self._schemas[key], pointer)
        name = self.namer.components[key]
        kind = self._named_kind(schema)
        self._stack.append(key)
        try:
            if kind is not None:
                # Registered first: a model or union may refer to itself.
                ref: ir.TypeRef = ir.UnionRef(name) if kind == "union" else ir.ModelRef(name)
                if kind == "enum":
                    ref = ir.EnumRef(name, open=self._is_open_enum(self._branches(schema)[0]))
                if schema.get("nullable") is True or self._branches(schema)[1]:
                    ref = ir.make_union([ref, ir.NONE])
                self._components[key] = ref
                try:
                    self._build(schema, pointer, name, kind)
                except Aborted:
                    self._forget(name)
                    raise
                return ref
            if pointer in self._in_progress:
                self.fail(
                    pointer,
                    "a schema that is neither an object nor a union contains "
                    "itself, so it has no finite Python type",
                )
            self._in_progress.add(pointer)
            try:
                mapped = self.map(schema, pointer, (name,))
            finally:
                self._in_progress.discard(pointer)
            self._components[key] = mapped
            return mapped
        finally:
            self._stack.pop()

    def map(self, schema: Any, pointer: str, hint: tuple[str, ...]) -> ir.TypeRef:
        """The IR type of ``schema`` at ``pointer``; inline named things are named from ``hint``."""
        if self._depth >= MAX_DEPTH:
            self.fail(pointer, f"schemas nest deeper than {MAX_DEPTH} levels (the limit)")
        self._depth += 1
        try:
            return self._map(schema, pointer, hint)
        finally:
            self._depth -= 1

    def _map(self, schema: Any, pointer: str, hint: tuple[str, ...]) -> ir.TypeRef:
        if schema is True or schema == {}:
            return ir.AnyValue()
        if not isinstance(schema, dict):
            self.fail(pointer, "this schema allows no value (false), so it has no Python type")
        schema = self._normalise(schema, pointer)
        ref = _reference(schema)
        if ref is not None:
            return self._nullable(self._map_ref(ref, pointer, hint), schema)
        if "allOf" in schema:
            return self._map_all_of(schema, pointer, hint)
        branches, nullable = self._branches(schema)
        if branches is not None:
            mapped = self._map_branches(schema, branches, pointer, hint)
            return ir.make_union([mapped, ir.NONE]) if nullable else mapped
        return self._map_typed(schema, pointer, hint)

    def doc(self, schema: Any) -> ir.Doc:
        """Description, default and bounds of a schema, looking through refs and null unions."""
        if not isinstance(schema, dict):
            return ir.Doc()
        # Once per schema object (a component's, for every property that refers to it); the
        # schema is kept with its doc, so that its id is not another object's meanwhile.
        found = self._docs.get(id(schema))
        if found is None:
            found = self._docs[id(schema)] = (schema, self._doc(schema))
        return found[1]

    def _doc(self, schema: dict[str, Any]) -> ir.Doc:
        description = schema.get("description")
        has_default = "default" in schema
        default = schema.get("default")
        bounds = read_bounds(schema)
        inner = self._doc_target(schema)
        if inner is not None and inner is not schema:
            inner_doc = self.doc(inner)
            description = description or inner_doc.description
            if not has_default and inner_doc.has_default:
                has_default, default = True, inner_doc.default
            bounds = bounds or inner_doc.bounds
        return ir.Doc(
            description=description if isinstance(description, str) else "",
            default=default,
            has_default=has_default,
            bounds=bounds,
            deprecated=schema.get("deprecated") is True,
        )

    def resolve(self, schema: Any) -> Any:
        """Follow ``$ref`` s to the schema they name (None when they lead nowhere)."""
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not isinstance(ref, str):
            return resolve(self.document.data, schema)
        # Where a reference leads depends on the reference alone: followed once per run.
        found = self._targets.get(ref, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._targets[ref] = resolve(self.document.data, {"$ref": ref})
        return found

    # ------------------------------------------------------------ problems

    def fail(self, pointer: str, message: str) -> NoReturn:
        """Leave out what is being mapped: record why (a warning) and abort it."""
        self.warn(pointer, f"left out: {message}")
        raise Aborted

    def warn(self, pointer: str, message: str) -> None:
        if (pointer, message) not in self._warned:
            self._warned.add((pointer, message))
            self.problems.append(self.document.problem(pointer, message).as_warning())

    def _registered(self, name: str) -> bool:
        return name in self.models or name in self.enums or name in self.unions

    def _forget(self, name: str) -> None:
        for registry in (self.models, self.enums, self.unions):
            registry.pop(name, None)

    # ------------------------------------------------------------ normal forms

    def _normalise(self, schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        """The schema with ``$ref`` siblings applied (3.1) or dropped (3.0), and a warning
        for each keyword whose constraint the client does not model."""
        if not isinstance(schema, dict):
            return schema
        if not _IGNORED_SET.isdisjoint(schema):
            for keyword in _IGNORED:
                if keyword in schema and not (keyword == "not" and _field_rule_only(schema)):
                    self.warn(
                        pointer_join(pointer, keyword),
                        f"{keyword!r} is not checked by the client (a constraint only)",
                    )
        if "$dynamicRef" in schema or "$recursiveRef" in schema:
            return {**schema, "$ref": self._anchor_ref(schema, pointer)}
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return schema
        keywords = {k for k in schema if not str(k).startswith("x-")}  # extensions annotate
        if keywords <= _REF_ALONE:
            return schema  # a ``type`` beside a $ref only repeats what the target says
        if self.document.version == "3.0":
            return {"$ref": ref}
        siblings = {k: v for k, v in schema.items() if k != "$ref" and not str(k).startswith("x-")}
        return {"allOf": [{"$ref": ref}], **siblings}

    def _anchor_ref(self, schema: dict[str, Any], pointer: str) -> str:
        """``$recursiveRef: '#'`` and ``$dynamicRef``: the enclosing component with the
        anchor (the innermost being mapped)."""
        anchor = schema.get("$dynamicRef")
        for key in reversed(self._stack):
            component = self._schemas.get(key)
            if not isinstance(component, dict):
                continue
            if anchor is None and component.get("$recursiveAnchor") is True:
                return _COMPONENT_PREFIX + _escape(key)
            if isinstance(anchor, str) and component.get("$dynamicAnchor") == anchor.lstrip("#"):
                return _COMPONENT_PREFIX + _escape(key)
        if self._stack:
            return _COMPONENT_PREFIX + _escape(self._stack[0])
        self.fail(pointer, "a recursive reference outside any component schema")

    # ------------------------------------------------------------ kinds of named things

    def _named_kind(self, schema: Any) -> str | None:
        """``"model"``, ``"enum"`` or ``"union"`` for component schemas that become a class."""
        if not isinstance(schema, dict) or _reference(schema) is not None:
            return None
        if "allOf" in schema:
            return "model" if self._all_of_objects(schema) else None
        branches, _ = self._branches(schema)
        if branches is not None:
            if self._is_object(schema) and _only_required(branches):
                return "model"
            if self._is_open_enum(branches) or (
                len(branches) == 1
                and _is_string_enum(self.resolve(branches[0]))
                and _reference(branches[0]) is None
            ):
                return "enum"
            return "union" if len(branches) > 1 else None
        if _is_string_enum(schema) and len(schema["enum"]) > 1:
            return "enum"
        if self._is_object(schema) and _is_model(schema):
            return "model"
        return None

    def _build(self, schema: dict[str, Any], pointer: str, name: str, kind: str) -> None:
        if kind == "model":
            self._build_model(schema, pointer, name)
        elif kind == "enum":
            self._build_enum(schema, pointer, name)
        else:
            branches, _ = self._branches(schema)
            assert branches is not None
            self._build_union(schema, branches, pointer, name)

    def named_inline(
        self,
        schema: dict[str, Any],
        pointer: str,
        hint: tuple[str, ...],
        build: Callable[[str], None],
    ) -> str:
        """The name of an inline named thing, built once: copies of one schema that want the
        same name share it (see :class:`.namer.Namer`)."""
        try:
            name, content = self.namer.inline(schema, pointer, hint, self.context)
        except NameTaken as exc:
            self.fail(pointer, str(exc))
        if name in self._building or self._registered(name):
            return name  # a copy of a schema named already (or being built)
        self._building.add(name)
        start, problems = len(self.namer.given), len(self.problems)
        components = len(self._components)
        ok = False
        try:
            build(name)
            ok = True
        except Aborted:
            self._forget(name)
            self.namer.release(name, content)
            raise
        finally:
            self._building.discard(name)
            if self.namer.first_pass:
                self.built.append(Built(
                    name, start, len(self.namer.given), ok, len(self.problems) > problems,
                    len(self._components) > components,
                ))  # fmt: skip
        return name

    # ------------------------------------------------------------ constructs

    def _map_ref(self, ref: str, pointer: str, hint: tuple[str, ...]) -> ir.TypeRef:
        if ref.startswith(_COMPONENT_PREFIX):
            parts = parts_of(ref)
            if len(parts) == 3 and parts[2] in self._schemas:
                return self.component(parts[2])
        try:
            target = resolve_pointer(self.document.data, ref)
        except KeyError:
            self.fail(pointer, f"$ref {ref!r} points to nothing")
        if ref in self._in_progress:
            self.fail(pointer, f"$ref {ref!r} contains itself outside a component schema")
        self._in_progress.add(ref)
        try:
            return self.map(target, ref.removeprefix("#"), hint)
        finally:
            self._in_progress.discard(ref)

    def _map_all_of(
        self, schema: dict[str, Any], pointer: str, hint: tuple[str, ...]
    ) -> ir.TypeRef:
        parts = schema["allOf"]
        if not isinstance(parts, list):
            self.fail(pointer_join(pointer, "allOf"), "allOf must be a list of schemas")
        siblings = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and k != "allOf"}
        # Parts that only annotate (``{nullable: true}``, a description) change no type.
        typed = [
            i for i, p in enumerate(parts) if not (isinstance(p, dict) and set(p) <= _ANNOTATIONS)
        ]
        nullable = schema.get("nullable") is True or any(
            isinstance(p, dict) and p.get("nullable") is True for p in parts
        )
        if "enum" in siblings or "const" in siblings:
            # The values are given here: ``{enum: [2], allOf: [$ref: ComponentType]}`` is
            # ``Literal[2]``, whatever else the parts allow.
            return self.map(self._restricted(schema, parts), pointer, hint)
        if len(typed) == 1 and not siblings:
            inner = self.map(parts[typed[0]], pointer_join(pointer, "allOf", typed[0]), hint)
            return ir.make_union([inner, ir.NONE]) if nullable else inner
        unions = [i for i, part in enumerate(parts) if self._is_union(self.resolve(part))]
        if len(unions) == 1:
            # An object part beside a union adds its properties to every variant: each
            # variant keeps them as additional properties, and the value is the union's.
            index = unions[0]
            added = [
                str(name)
                for i, part in enumerate(parts)
                if i != index
                for p in [self.resolve(part)]
                if isinstance(p, dict) and isinstance(p.get("properties"), dict)
                for name in p["properties"]
            ]
            added += [str(n) for n in siblings.get("properties") or {}]
            if added:
                shown = ", ".join(repr(n) for n in dict.fromkeys(added))
                self.warn(
                    pointer,
                    f"a union with other allOf parts is typed as the union; the properties "
                    f"those parts add ({shown}) are kept in each variant's additional_properties",
                )
            inner = self.map(parts[index], pointer_join(pointer, "allOf", index), hint)
            return self._nullable(inner, schema)
        if self._all_of_objects(schema):
            name = self.named_inline(
                schema, pointer, hint, lambda n: self._build_model(schema, pointer, n)
            )
            return self._nullable(ir.ModelRef(name), schema)
        # Parts that are not objects (a string and its enum, a ref and a format): one schema
        # with every part's keywords.
        merged: dict[str, Any] = {}
        for i, part in enumerate(parts):
            resolved = self.resolve(part)
            if not isinstance(resolved, dict):
                self.fail(pointer_join(pointer, "allOf", i), "allOf part is not a schema")
            merged.update({k: v for k, v in resolved.items() if k not in _ANNOTATIONS})
        merged.update({k: v for k, v in schema.items() if k != "allOf"})
        return self.map(merged, pointer, hint)

    def _restricted(self, schema: dict[str, Any], parts: list[Any]) -> dict[str, Any]:
        """An ``allOf`` with its own ``enum`` or ``const``: those values, of the type the
        schema or its first typed part gives."""
        kept: dict[str, Any] = {
            k: schema[k] for k in ("enum", "const", "type", "nullable") if k in schema
        }
        for part in parts:
            resolved = self.resolve(part)
            if "type" not in kept and isinstance(resolved, dict) and "type" in resolved:
                kept["type"] = resolved["type"]
        return kept

    def _is_union(self, schema: Any) -> bool:
        """A oneOf/anyOf of several non-null branches that is more than field rules."""
        branches, _ = self._branches(schema)
        return branches is not None and len(branches) > 1 and not _only_required(branches)

    def _all_of_objects(self, schema: dict[str, Any]) -> bool:
        """Whether every part of an ``allOf`` (and what sits beside it) describes objects."""
        parts = [self.resolve(p) for p in schema.get("allOf") or []]
        return any(
            self._is_object(p) or (isinstance(p, dict) and "allOf" in p) for p in parts
        ) and all(
            isinstance(p, dict)
            and not self._is_union(p)
            and (
                self._is_object(p)
                or "allOf" in p
                or set(p) <= _ANNOTATIONS | {"required"}
                or self._branches(p)[0] is not None
            )
            for p in parts
        )

    def _branches(self, schema: Any) -> tuple[list[Any] | None, bool]:
        """The non-null branches of an ``anyOf``/``oneOf``, and whether null was one of them."""
        if not isinstance(schema, dict):
            return None, False
        key = "anyOf" if "anyOf" in schema else "oneOf" if "oneOf" in schema else None
        if key is None or not isinstance(schema[key], list):
            return None, False
        nullable = schema.get("nullable") is True
        branches = []
        for branch in schema[key]:
            if _is_null_schema(self.resolve(branch)):
                nullable = True
            else:
                branches.append(branch)
        return branches, nullable

    def _map_branches(
        self, schema: dict[str, Any], branches: list[Any], pointer: str, hint: tuple[str, ...]
    ) -> ir.TypeRef:
        key = "anyOf" if "anyOf" in schema else "oneOf"
        if self._is_object(schema) and _only_required(branches):
            return self._map_typed(schema, pointer, hint)  # a field rule, built with the model
        if not branches:
            return ir.NONE
        if self._is_open_enum(branches):
            name = self.named_inline(
                schema, pointer, hint, lambda n: self._build_enum(schema, pointer, n)
            )
            return ir.EnumRef(name, open=True)
        if len(branches) == 1:
            return self.map(branches[0], pointer_join(pointer, key, 0), hint)
        if isinstance(schema.get("discriminator"), dict):
            name = self.named_inline(
                schema, pointer, hint, lambda n: self._build_union(schema, branches, pointer, n)
            )
            return ir.UnionRef(name)
        hints = self.namer.branch_hints(branches)
        variants = [
            self._variant(branch, pointer_join(pointer, key, i), (*hint, hints[i]))
            for i, branch in enumerate(branches)
        ]
        return ir.make_union([v for v in variants if v is not None] or [ir.AnyValue()])

    def _variant(self, branch: Any, pointer: str, hint: tuple[str, ...]) -> ir.TypeRef | None:
        """One branch of a union; a branch that allows nothing (``false``) is no variant."""
        if branch is False:
            return None
        return self.map(branch, pointer, hint)

    def _map_typed(self, schema: dict[str, Any], pointer: str, hint: tuple[str, ...]) -> ir.TypeRef:
        types = schema.get("type")
        type_list = types if isinstance(types, list) else [types] if types is not None else []
        nullable = schema.get("nullable") is True or "null" in type_list
        type_list = [t for t in type_list if t != "null"]
        if "const" in schema:
            return self._nullable(self._const(schema["const"], pointer), schema)
        if "enum" in schema:
            return self._map_enum(schema, pointer, hint, nullable)
        if not type_list:
            if self._is_object(schema):
                type_list = ["object"]
            elif "items" in schema or "prefixItems" in schema:
                type_list = ["array"]
            elif types is not None:
                return ir.NONE  # type: null
            else:
                return ir.make_union([ir.AnyValue(), ir.NONE]) if nullable else ir.AnyValue()
        mapped = [self._map_single_type(t, schema, pointer, hint) for t in type_list]
        return ir.make_union([*mapped, ir.NONE] if nullable else mapped)

    def _map_single_type(
        self, type_: Any, schema: dict[str, Any], pointer: str, hint: tuple[str, ...]
    ) -> ir.TypeRef:
        if type_ == "string":
            binary = schema.get("format") == "binary" or (
                "contentMediaType" in schema
                and schema.get("contentEncoding") != "base64"
                and not str(schema["contentMediaType"]).startswith("text/")
            )
            return ir.File() if binary else ir.Primitive("str")
        if type_ == "integer":
            return ir.Primitive("int")
        if type_ == "number":
            return ir.Primitive("float")
        if type_ == "boolean":
            return ir.Primitive("bool")
        if type_ == "array":
            return ir.ListOf(self._items(schema, pointer, hint))
        if type_ == "object":
            if _is_model(schema):
                name = self.named_inline(
                    schema, pointer, hint, lambda n: self._build_model(schema, pointer, n)
                )
                return ir.ModelRef(name)
            return ir.MapOf(self._extra(schema, pointer, hint) or ir.AnyValue())
        self.fail(pointer_join(pointer, "type"), f"unknown schema type {type_!r}")

    def _items(self, schema: dict[str, Any], pointer: str, hint: tuple[str, ...]) -> ir.TypeRef:
        """The item type of an array: ``items``, or every ``prefixItems`` entry besides."""
        variants = []
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            rest = "" if schema.get("items") is False else ", then more of any of them"
            self.warn(
                pointer_join(pointer, "prefixItems"),
                f"prefixItems (a tuple of {len(prefix)} items{rest}) is typed as a list whose "
                "items may be any of them: the position of each item is not checked",
            )
            for i, item in enumerate(prefix):
                found = self._variant(
                    item, pointer_join(pointer, "prefixItems", i), (*hint, "Item", str(i))
                )
                if found is not None:
                    variants.append(found)
        items = schema.get("items", not variants)
        if items is not False:
            variants.append(self.map(items, pointer_join(pointer, "items"), (*hint, "Item")))
        return ir.make_union(variants) if variants else ir.AnyValue()

    def _extra(
        self, schema: dict[str, Any], pointer: str, hint: tuple[str, ...]
    ) -> ir.TypeRef | None:
        """The type of properties the schema does not name; None when there may be none."""
        variants = []
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern, value in patterns.items():
                where = pointer_join(pointer, "patternProperties", str(pattern))
                found = self._variant(value, where, (*hint, "Value"))
                if found is not None:
                    variants.append(found)
        extra = schema.get("additionalProperties", not variants)
        if extra is not False:
            where = pointer_join(pointer, "additionalProperties")
            variants.append(self.map(extra, where, (*hint, "Value")))
        return ir.make_union(variants) if variants else None

    def _map_enum(
        self, schema: dict[str, Any], pointer: str, hint: tuple[str, ...], nullable: bool
    ) -> ir.TypeRef:
        values = schema["enum"]
        if not isinstance(values, list) or not values:
            self.fail(pointer_join(pointer, "enum"), "enum must be a non-empty list")
        nullable = nullable or None in values
        values = [v for v in values if v is not None]
        mapped: ir.TypeRef
        if not values:
            return ir.NONE
        if len(values) == 1:
            mapped = self._const(values[0], pointer)
        elif all(isinstance(v, str) for v in values):
            name = self.named_inline(
                schema, pointer, hint, lambda n: self._build_enum(schema, pointer, n)
            )
            mapped = ir.EnumRef(name)
        else:
            # Values of other kinds: their types; the values themselves are documented.
            mapped = ir.make_union([_kind_of(v) for v in values])
        return ir.make_union([mapped, ir.NONE]) if nullable else mapped

    def _const(self, value: Any, pointer: str) -> ir.TypeRef:
        if value is None:
            return ir.NONE
        if isinstance(value, str | int | bool):
            return ir.Const(value)
        return _kind_of(value)  # a float, list or object constant: its type

    # ------------------------------------------------------------ builders of named things

    def _build_model(self, schema: dict[str, Any], pointer: str, name: str) -> None:
        properties, required, extra, rules = self._object_parts(schema, pointer, name)
        names = unique_field_names(properties)
        fields = []
        for wire, (prop_pointer, prop) in properties.items():
            try:
                prop_type = self.map(
                    prop, prop_pointer, (self.namer.definer(prop_pointer, name), wire)
                )
            except Aborted:
                prop_type = ir.AnyValue()  # left out: the value is kept as it comes
            fields.append(
                ir.Field(
                    wire_name=wire,
                    py_name=names[wire],
                    type=prop_type,
                    required=wire in required,
                    doc=self.doc(prop),
                    pointer=prop_pointer,
                )
            )
        self.models[name] = ir.Model(
            name, pointer, self.doc(schema), tuple(fields), extra, tuple(rules), _examples(schema)
        )

    def _object_parts(
        self, schema: dict[str, Any], pointer: str, name: str
    ) -> tuple[dict[str, tuple[str, Any]], set[str], ir.TypeRef | None, list[ir.FieldRule]]:
        """Properties (with pointers), required names, the type of other properties (None
        when there may be none) and field rules, merged across ``allOf`` parts."""
        properties: dict[str, tuple[str, Any]] = {}
        required: set[str] = set()
        extra: ir.TypeRef | None = ir.AnyValue()
        rules: list[ir.FieldRule] = []
        for part_pointer, part in self._parts(schema, pointer):
            for wire, prop in (part.get("properties") or {}).items():
                if prop is not False:  # a property that may not appear is no field
                    properties[str(wire)] = (pointer_join(part_pointer, "properties", wire), prop)
            required |= {r for r in part.get("required", []) if isinstance(r, str)}
            if "additionalProperties" in part or "patternProperties" in part:
                extra = self._extra(part, part_pointer, (name,))
            rule = _field_rule(part)
            if rule is not None:
                rules.append(rule)
            branches, _ = self._branches(part)
            if branches and len(branches) == 1 and not _only_required(branches):
                # A part that is one object (``anyOf: [X, null]``): its properties count.
                ref = _reference(branches[0]) if isinstance(branches[0], dict) else None
                key = "anyOf" if "anyOf" in part else "oneOf"
                where = ref.removeprefix("#") if ref else pointer_join(part_pointer, key, 0)
                for wire, prop in (
                    (self.resolve(branches[0]) or {}).get("properties") or {}
                ).items():
                    properties.setdefault(
                        str(wire), (pointer_join(where, "properties", wire), prop)
                    )
        return properties, required, extra, rules

    def _parts(self, schema: dict[str, Any], pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """The schema and, recursively, each of its ``allOf`` parts (refs followed)."""
        yield pointer, schema
        for i, part in enumerate(schema.get("allOf") or []):
            part_pointer = pointer_join(pointer, "allOf", i)
            ref = _reference(part) if isinstance(part, dict) else None
            target = self.resolve(part)
            if not isinstance(target, dict):
                self.fail(part_pointer, "an allOf part that is not a schema")
            target_pointer = ref.removeprefix("#") if isinstance(ref, str) else part_pointer
            yield from self._parts(self._normalise(target, target_pointer), target_pointer)

    def _build_enum(self, schema: dict[str, Any], pointer: str, name: str) -> None:
        values: list[str] = []
        for branch in [schema, *(self._branches(schema)[0] or [])]:
            branch = self.resolve(branch)
            if isinstance(branch, dict) and isinstance(branch.get("enum"), list):
                values += [v for v in branch["enum"] if isinstance(v, str) and v not in values]
        try:
            members = enum_member_names(values, enum_prefix(pointer, name))
        except ValueError as exc:
            self.fail(pointer, str(exc))
        self.enums[name] = ir.Enum(
            name, pointer, self.doc(schema), tuple(ir.EnumMember(members[v], v) for v in values)
        )

    def _build_union(
        self, schema: dict[str, Any], branches: list[Any], pointer: str, name: str
    ) -> None:
        key = "anyOf" if "anyOf" in schema else "oneOf"
        raw = schema.get("discriminator")
        prop = raw.get("propertyName") if isinstance(raw, dict) else None
        prop = prop if isinstance(prop, str) else None
        variants: list[ir.TypeRef] = []
        hints = self.namer.branch_hints(branches, prop)
        for i, branch in enumerate(branches):
            found = self._variant(branch, pointer_join(pointer, key, i), (name, hints[i]))
            variants.append(found if found is not None else ir.AnyValue())
        discriminator = None
        if isinstance(schema.get("discriminator"), dict):
            discriminator = self._discriminator(schema, tuple(variants), pointer)
        self.unions[name] = ir.UnionDef(
            name=name,
            pointer=pointer,
            doc=self.doc(schema),
            variants=tuple(dict.fromkeys(variants)),
            discriminator=discriminator,
            fallback="UnknownEvent" if discriminator else None,
            examples=_examples(schema),
        )

    def _discriminator(
        self, schema: dict[str, Any], variants: tuple[ir.TypeRef, ...], pointer: str
    ) -> ir.Discriminator | None:
        """The value → model mapping; one value may name several models (told apart by
        fit). A branch no value selects, or one that is not an object, is told apart by
        its JSON kind."""
        try:
            found = discriminator_mapping(self.document.data, schema, pointer)
        except DiscriminatorError as exc:
            self.warn(exc.pointer, f"{exc}: the union is told apart by fit instead")
            return None
        key = "anyOf" if "anyOf" in schema else "oneOf"
        nulls = [i for i, b in enumerate(schema[key]) if _is_null_schema(self.resolve(b))]
        index = _without(nulls)  # branch index in the schema -> index among non-null variants
        for branch in found.unmapped:
            self.warn(
                pointer_join(pointer, key, branch),
                f"no value of {found.property!r} selects this branch",
            )
        mapping: list[tuple[str, str]] = []
        for value, branches in found.cases:
            for branch in branches:
                position = index(branch)
                if position is None:
                    continue
                bare = ir.without_none(variants[position])
                if isinstance(bare, ir.ModelRef) and (value, bare.name) not in mapping:
                    mapping.append((value, bare.name))
        if not mapping:
            self.warn(
                pointer_join(pointer, "discriminator"),
                "no branch is an object "
                "schema that a value selects: the union is told apart by fit",
            )
            return None
        return ir.Discriminator(found.property, tuple(mapping))

    # ------------------------------------------------------------ helpers

    def _nullable(self, mapped: ir.TypeRef, schema: dict[str, Any]) -> ir.TypeRef:
        return ir.make_union([mapped, ir.NONE]) if schema.get("nullable") is True else mapped

    def _doc_target(self, schema: dict[str, Any]) -> Any:
        if _reference(schema) is not None:
            return self.resolve(schema)
        branches, _ = self._branches(schema)
        if branches is not None and len(branches) == 1:
            return branches[0]
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            return all_of[0]
        return None

    def _is_object(self, schema: Any) -> bool:
        return is_object_schema(self.document.data, schema)

    def _is_open_enum(self, branches: list[Any] | None) -> bool:
        """``anyOf: [{type: string}, {type: string, enum: [...]}]``: known values, any string."""
        if not branches or len(branches) < 2:
            return False
        resolved = [self.resolve(b) for b in branches]
        if not all(isinstance(b, dict) for b in resolved):
            return False
        plain = [
            b
            for b in resolved
            if b.get("type") == "string"
            and "enum" not in b
            and b.get("format") != "binary"
            and "const" not in b
        ]
        enums = [b for b in resolved if _is_string_enum(b)]
        return len(plain) == 1 and len(plain) + len(enums) == len(resolved) and bool(enums)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


# ---------------------------------------------------------------- schema predicates


def _reference(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref if isinstance(ref, str) else None


def _is_null_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null"
        or schema.get("enum") == [None]
        or ("const" in schema and schema["const"] is None)
    )


def _is_model(schema: dict[str, Any]) -> bool:
    """Whether an object schema is a model: it names properties (or rules between them),
    or allows none at all (``{}`` is then its only value)."""
    no_others = schema.get("additionalProperties") is False and not schema.get("patternProperties")
    return bool(schema.get("properties")) or _has_rules(schema) or no_others


def _is_string_enum(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("enum"), list)
        and any(isinstance(v, str) for v in schema["enum"])
        and all(isinstance(v, str) or v is None for v in schema["enum"])
    )


def _only_required(branches: list[Any]) -> bool:
    return bool(branches) and all(
        isinstance(b, dict) and set(b) <= {"required", "description"} for b in branches
    )


def _field_rule_only(schema: dict[str, Any]) -> bool:
    not_ = schema.get("not")
    return isinstance(not_, dict) and set(not_) == {"required"}


def _has_rules(schema: dict[str, Any]) -> bool:
    branches = schema.get("anyOf") or schema.get("oneOf")
    return isinstance(branches, list) and _only_required(branches)


def _field_rule(schema: dict[str, Any]) -> ir.FieldRule | None:
    key = "anyOf" if "anyOf" in schema else "oneOf" if "oneOf" in schema else None
    groups: tuple[tuple[str, ...], ...] = ()
    if key and _only_required(schema[key]):
        groups = tuple(tuple(b.get("required", [])) for b in schema[key])
    not_all: tuple[str, ...] = ()
    if _field_rule_only(schema):
        not_all = tuple(schema["not"]["required"])
    if not groups and not not_all:
        return None
    return ir.FieldRule(any_of=groups, not_all=not_all)


def _kind_of(value: Any) -> ir.TypeRef:
    """The IR type of a JSON value's kind."""
    if isinstance(value, bool):
        return ir.Primitive("bool")
    if isinstance(value, int):
        return ir.Primitive("int")
    if isinstance(value, float):
        return ir.Primitive("float")
    if isinstance(value, str):
        return ir.Primitive("str")
    if isinstance(value, list):
        return ir.ListOf(ir.AnyValue())
    if isinstance(value, dict):
        return ir.MapOf(ir.AnyValue())
    return ir.NONE


def _without(skipped: list[int]) -> Callable[[int], int | None]:
    def index(branch: int) -> int | None:
        return None if branch in skipped else branch - sum(1 for s in skipped if s < branch)

    return index


_BOUND_KEYWORDS = frozenset(
    ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
     "maxLength", "minItems", "maxItems", "pattern", "format", "enum")
)  # fmt: skip


def read_bounds(schema: dict[str, Any]) -> ir.Bounds:
    """The value constraints of one schema object (not of what it refers to)."""
    if _BOUND_KEYWORDS.isdisjoint(schema):  # most schemas: read for every doc, keep it quick
        return ir.NO_BOUNDS

    def number(key: str) -> ir.Number | None:
        value = schema.get(key)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return value if is_number else None

    def count(key: str) -> int | None:
        value = schema.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    minimum, maximum = number("minimum"), number("maximum")
    exclusive_minimum, exclusive_maximum = number("exclusiveMinimum"), number("exclusiveMaximum")
    # OpenAPI 3.0 (and 3.0 habits in 3.1 documents): a boolean that makes the bound exclusive.
    if schema.get("exclusiveMinimum") is True and minimum is not None:
        minimum, exclusive_minimum = None, minimum
    if schema.get("exclusiveMaximum") is True and maximum is not None:
        maximum, exclusive_maximum = None, maximum
    enum = schema.get("enum")
    values = tuple(enum) if isinstance(enum, list) and not _is_string_enum(schema) else None
    pattern, format_ = schema.get("pattern"), schema.get("format")
    return ir.Bounds(
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_minimum,
        exclusive_maximum=exclusive_maximum,
        multiple_of=number("multipleOf"),
        min_length=count("minLength"),
        max_length=count("maxLength"),
        min_items=count("minItems"),
        max_items=count("maxItems"),
        pattern=pattern if isinstance(pattern, str) else None,
        format=format_ if isinstance(format_, str) and format_ != "binary" else None,
        values=values,
    )


def _examples(schema: dict[str, Any]) -> tuple[Any, ...]:
    examples = schema.get("examples")
    if isinstance(examples, list):
        return tuple(examples)
    if "example" in schema:
        return (schema["example"],)
    return ()
