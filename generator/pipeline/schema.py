"""JSON Schema → IR types. Every construct the generator understands is mapped here.

``SchemaMapper.map`` is the single entry point; a construct it cannot turn into a Python
type is reported as a problem at its JSON pointer, never silently mapped to ``Any``.
"""

from __future__ import annotations

import contextlib
from typing import Any, NoReturn

from ..errors import GeneratorError, Problem, pointer_join, pointer_parts
from . import ir
from .discriminators import DiscriminatorError, discriminator_mapping
from .load import Document, resolve_pointer
from .names import class_name, enum_member_names, unique_field_names
from .runtime import reserved_names

# Keywords that would change the Python shape of a value and that we do not model.
_UNSUPPORTED = ("if", "then", "else", "patternProperties", "prefixItems", "$dynamicRef",
                "dependentSchemas", "unevaluatedItems")  # fmt: skip
_COMPONENT_PREFIX = "#/components/schemas/"


class Aborted(Exception):
    """Raised by ``SchemaMapper.fail`` after recording a problem; callers catch it to go on
    with the next operation, so that every problem is reported at once."""


class SchemaMapper:
    """Maps the schemas of one document, registering the models, enums and unions it names."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self.unions: dict[str, ir.UnionDef] = {}
        self.problems: list[Problem] = []
        self._components: dict[str, ir.TypeRef] = {}
        self._in_progress: set[str] = set()
        self._owners: dict[str, str] = {}  # python name -> pointer that claimed it
        schemas = document.data.get("components", {}).get("schemas", {}) or {}
        self._component_names = {
            key: _avoid_reserved(class_name(key)) for key in schemas if isinstance(key, str)
        }
        for key, name in self._component_names.items():
            pointer = pointer_join("/components/schemas", key)
            if name in self._owners:
                other = self._owners[name].rsplit("/", 1)[-1]
                self.fail(pointer, f"component name {key!r} and {other!r} both become {name!r}")
            self._owners[name] = pointer

    # ------------------------------------------------------------ entry points

    def map_all_components(self) -> None:
        """Map every component schema, so unused ones are generated too."""
        for key in self._component_names:
            self._guard(lambda key=key: self.component(key))

    def component(self, key: str) -> ir.TypeRef:
        """The type of ``#/components/schemas/<key>``; named things are registered."""
        if key in self._components:
            return self._components[key]
        pointer = pointer_join("/components/schemas", key)
        schema = self.document.data["components"]["schemas"][key]
        name = self._component_names[key]
        if isinstance(schema, dict):
            self._check_supported(schema, pointer)  # named kinds do not pass through ``map``
        kind = self._named_kind(schema, pointer)
        if kind is not None:
            # Register the reference first: a model may refer to itself.
            ref: ir.TypeRef = ir.UnionRef(name) if kind == "union" else ir.ModelRef(name)
            if kind == "enum":
                ref = ir.EnumRef(name, open=_is_open_enum(self._branches(schema), self))
            if schema.get("nullable") is True or self._branches(schema)[1]:
                ref = ir.make_union([ref, ir.NONE])
            self._components[key] = ref
            self._map_named(schema, pointer, name, kind)
            return ref
        if pointer in self._in_progress:
            self.fail(pointer, "a schema that is neither an object nor a union refers to itself")
        self._in_progress.add(pointer)
        try:
            mapped = self.map(schema, pointer, (name,))
        finally:
            self._in_progress.discard(pointer)
        self._components[key] = mapped
        return mapped

    def map(self, schema: Any, pointer: str, hint: tuple[str, ...]) -> ir.TypeRef:
        """The IR type of ``schema`` at ``pointer``; inline named things are named from ``hint``."""
        if schema is True or schema == {}:
            return ir.AnyValue()
        if not isinstance(schema, dict):
            self.fail(pointer, "a schema must be an object (false schemas are not supported)")
        self._check_supported(schema, pointer)
        ref = schema.get("$ref")
        if isinstance(ref, str):
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
        description = schema.get("description")
        has_default = "default" in schema
        default = schema.get("default")
        bounds = read_bounds(schema)
        inner = self._doc_target(schema)
        if inner is not None:
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
        """Follow ``$ref`` s to the schema they name."""
        seen = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                return schema
            seen.add(ref)
            schema = resolve_pointer(self.document.data, ref)
        return schema

    # ------------------------------------------------------------ kinds of named things

    def _named_kind(self, schema: Any, pointer: str) -> str | None:
        """``"model"``, ``"enum"`` or ``"union"`` for schemas that become a named class."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return None
        if "allOf" in schema:
            return "model" if len(schema["allOf"]) > 1 or _is_object(schema) else None
        branches, _ = self._branches(schema)
        if branches is not None:
            if _is_object(schema) and _only_required(branches):
                return "model"
            if _is_open_enum((branches, False), self) or (
                len(branches) == 1 and _is_string_enum(self.resolve(branches[0]))
                and "$ref" not in branches[0]
            ):  # fmt: skip
                return "enum"
            return "union" if len(branches) > 1 else None
        if _is_string_enum(schema) and len(schema["enum"]) > 1:
            return "enum"
        if _is_object(schema):
            return "model"
        return None

    def _map_named(self, schema: dict[str, Any], pointer: str, name: str, kind: str) -> None:
        if kind == "model":
            self._build_model(schema, pointer, name)
        elif kind == "enum":
            self._build_enum(schema, pointer, name)
        else:
            branches, _ = self._branches(schema)
            assert branches is not None
            self._build_union(schema, branches, pointer, name)

    def _claim(self, name: str, pointer: str) -> str:
        """Reserve a generated name for an inline schema; components keep theirs."""
        name = _avoid_reserved(name)
        if self._owners.get(name, pointer) != pointer:
            for suffix in ("Model", "Type", "Schema"):
                if self._owners.get(name + suffix, pointer) == pointer:
                    name += suffix
                    break
            else:
                self.fail(pointer, f"the generated name {name!r} is already taken")
        self._owners[name] = pointer
        return name

    # ------------------------------------------------------------ constructs

    def _map_ref(self, ref: str, pointer: str, hint: tuple[str, ...]) -> ir.TypeRef:
        if ref.startswith(_COMPONENT_PREFIX):
            parts = pointer_parts(ref)
            if len(parts) == 3:
                return self.component(parts[2])
        try:
            target = resolve_pointer(self.document.data, ref)
        except KeyError:
            self.fail(pointer, f"$ref {ref!r} points to nothing")
        if ref in self._in_progress:
            self.fail(pointer, f"$ref {ref!r} refers to itself outside components")
        self._in_progress.add(ref)
        try:
            return self.map(target, ref.removeprefix("#"), hint)
        finally:
            self._in_progress.discard(ref)

    def _map_all_of(
        self, schema: dict[str, Any], pointer: str, hint: tuple[str, ...]
    ) -> ir.TypeRef:
        parts = schema["allOf"]
        siblings = {k: v for k, v in schema.items() if k not in ("allOf", "description", "title")}
        if len(parts) == 1 and not _is_object(siblings):
            return self._nullable(
                self.map(parts[0], pointer_join(pointer, "allOf", 0), hint), schema
            )
        name = self._claim(class_name(*hint), pointer)
        self._build_model(schema, pointer, name)
        return self._nullable(ir.ModelRef(name), schema)

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
            if _is_null_schema(branch):
                nullable = True
            else:
                branches.append(branch)
        return branches, nullable

    def _map_branches(
        self, schema: dict[str, Any], branches: list[Any], pointer: str, hint: tuple[str, ...]
    ) -> ir.TypeRef:
        key = "anyOf" if "anyOf" in schema else "oneOf"
        if _is_object(schema) and _only_required(branches):
            return self._map_typed(schema, pointer, hint)  # a field rule, built with the model
        if not branches:
            return ir.NONE
        if _is_open_enum((branches, False), self):
            name = self._claim(class_name(*hint), pointer)
            self._build_enum(schema, pointer, name)
            return ir.EnumRef(name, open=True)
        if len(branches) == 1:
            return self.map(branches[0], pointer_join(pointer, key, 0), hint)
        if isinstance(schema.get("discriminator"), dict):
            name = self._claim(class_name(*hint), pointer)
            self._build_union(schema, branches, pointer, name)
            return ir.UnionRef(name)
        variants = [
            self.map(branch, pointer_join(pointer, key, i), (*hint, _branch_hint(branch)))
            for i, branch in enumerate(branches)
        ]
        return ir.make_union(variants)

    def _map_typed(self, schema: dict[str, Any], pointer: str, hint: tuple[str, ...]) -> ir.TypeRef:
        types = schema.get("type")
        type_list = types if isinstance(types, list) else [types] if types is not None else []
        nullable = schema.get("nullable") is True or "null" in type_list
        type_list = [t for t in type_list if t != "null"]
        if "const" in schema:
            return self._nullable(_const(schema["const"], pointer, self), schema)
        if "enum" in schema:
            return self._map_enum(schema, pointer, hint, nullable)
        if not type_list:
            if _is_object(schema):
                type_list = ["object"]
            elif "items" in schema:
                type_list = ["array"]
            elif type_list == [] and types is not None:
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
                "contentMediaType" in schema and schema.get("contentEncoding") != "base64"
                and not str(schema["contentMediaType"]).startswith("text/")
            )  # fmt: skip
            return ir.File() if binary else ir.Primitive("str")
        if type_ == "integer":
            return ir.Primitive("int")
        if type_ == "number":
            return ir.Primitive("float")
        if type_ == "boolean":
            return ir.Primitive("bool")
        if type_ == "array":
            items = schema.get("items", True)
            item_pointer = pointer_join(pointer, "items")
            return ir.ListOf(self.map(items, item_pointer, (*hint, "Item")))
        if type_ == "object":
            if schema.get("properties") or _has_rules(schema):
                name = self._claim(class_name(*hint), pointer)
                self._build_model(schema, pointer, name)
                return ir.ModelRef(name)
            extra = schema.get("additionalProperties", True)
            value = self.map(extra, pointer_join(pointer, "additionalProperties"), (*hint, "Value"))
            return ir.MapOf(value if extra is not False else ir.AnyValue())
        self.fail(pointer_join(pointer, "type"), f"unknown schema type {type_!r}")

    def _map_enum(
        self, schema: dict[str, Any], pointer: str, hint: tuple[str, ...], nullable: bool
    ) -> ir.TypeRef:
        values = schema["enum"]
        if not isinstance(values, list) or not values:
            self.fail(pointer_join(pointer, "enum"), "enum must be a non-empty list")
        nullable = nullable or None in values
        values = [v for v in values if v is not None]
        if len(values) == 1:
            mapped = _const(values[0], pointer, self)
        elif all(isinstance(v, str) for v in values):
            name = self._claim(class_name(*hint), pointer)
            self._build_enum(schema, pointer, name)
            mapped = ir.EnumRef(name)
        elif all(isinstance(v, bool) for v in values):
            mapped = ir.Primitive("bool")
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            mapped = ir.Primitive("int")  # allowed values are listed in the docstring
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            mapped = ir.Primitive("float")
        else:
            self.fail(pointer_join(pointer, "enum"), "enum values of mixed types are not supported")
        return ir.make_union([mapped, ir.NONE]) if nullable else mapped

    # ------------------------------------------------------------ builders of named things

    def _build_model(self, schema: dict[str, Any], pointer: str, name: str) -> None:
        properties, required, extra_schema, rules = self._object_parts(schema, pointer)
        names = unique_field_names(properties)
        fields = []
        for wire, (prop_pointer, prop) in properties.items():
            prop_type = self.map(prop, prop_pointer, (name, wire))
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
        extra: ir.TypeRef | None
        if extra_schema is False:
            extra = None
        else:
            extra_pointer = pointer_join(pointer, "additionalProperties")
            extra = self.map(extra_schema, extra_pointer, (name, "Value"))
        examples = _examples(schema)
        self.models[name] = ir.Model(
            name, pointer, self.doc(schema), tuple(fields), extra, tuple(rules), examples
        )

    def _object_parts(
        self, schema: dict[str, Any], pointer: str
    ) -> tuple[dict[str, tuple[str, Any]], set[str], Any, list[ir.FieldRule]]:
        """Properties (with pointers), required names, additionalProperties and field rules,
        merged across ``allOf`` parts."""
        properties: dict[str, tuple[str, Any]] = {}
        required: set[str] = set()
        extra: Any = True
        rules: list[ir.FieldRule] = []
        parts: list[tuple[str, Any]] = [(pointer, schema)]
        for i, part in enumerate(schema.get("allOf", [])):
            part_pointer = pointer_join(pointer, "allOf", i)
            target = self.resolve(part)
            ref = part.get("$ref") if isinstance(part, dict) else None
            if not isinstance(target, dict) or not (_is_object(target) or "allOf" in target):
                self.fail(part_pointer, "allOf can only combine object schemas")
            target_pointer = ref.removeprefix("#") if isinstance(ref, str) else part_pointer
            self._check_supported(target, target_pointer)
            parts.append((target_pointer, target))
        for part_pointer, part in parts:
            if part is not schema and "allOf" in part:
                sub = self._object_parts(part, part_pointer)
                properties.update(sub[0])
                required |= sub[1]
                rules += sub[3]
                continue
            for wire, prop in (part.get("properties") or {}).items():
                properties[wire] = (pointer_join(part_pointer, "properties", wire), prop)
            required |= {r for r in part.get("required", []) if isinstance(r, str)}
            if "additionalProperties" in part:
                extra = part["additionalProperties"]
            rule = _field_rule(part)
            if rule is not None:
                rules.append(rule)
        return properties, required, extra, rules

    def _build_enum(self, schema: dict[str, Any], pointer: str, name: str) -> None:
        values: list[str] = []
        for branch in [schema, *(self._branches(schema)[0] or [])]:
            branch = self.resolve(branch)
            if isinstance(branch, dict) and isinstance(branch.get("enum"), list):
                values += [v for v in branch["enum"] if isinstance(v, str) and v not in values]
        hint_word = _enum_prefix(pointer, name)
        try:
            members = enum_member_names(values, hint_word)
        except ValueError as exc:
            self.fail(pointer, str(exc))
        self.enums[name] = ir.Enum(
            name,
            pointer,
            self.doc(schema),
            tuple(ir.EnumMember(members[v], v) for v in values),
        )

    def _build_union(
        self, schema: dict[str, Any], branches: list[Any], pointer: str, name: str
    ) -> None:
        key = "anyOf" if "anyOf" in schema else "oneOf"
        variants = tuple(
            self.map(b, pointer_join(pointer, key, i), (name, _branch_hint(b)))
            for i, b in enumerate(branches)
        )
        discriminator = None
        if isinstance(schema.get("discriminator"), dict):
            discriminator = self._discriminator(schema, variants, pointer)
        self.unions[name] = ir.UnionDef(
            name=name,
            pointer=pointer,
            doc=self.doc(schema),
            variants=variants,
            discriminator=discriminator,
            fallback="UnknownEvent" if discriminator else None,
            examples=_examples(schema),
        )

    def _discriminator(
        self, schema: dict[str, Any], variants: tuple[ir.TypeRef, ...], pointer: str
    ) -> ir.Discriminator:
        try:
            found = discriminator_mapping(self.document.data, schema, pointer)
        except DiscriminatorError as exc:
            self.fail(exc.pointer, str(exc))
        where = pointer_join(pointer, "discriminator")
        for variant in variants:
            if not isinstance(variant, ir.ModelRef):
                self.fail(where, "every branch of a discriminated union must be an object schema")
        if found.unmapped:
            key = "oneOf" if "oneOf" in schema else "anyOf"
            self.fail(
                pointer_join(pointer, key, found.unmapped[0]),
                f"this branch has no constant {found.property!r} to be selected by",
            )
        mapping: list[tuple[str, str]] = []
        for value, indexes in found.cases:
            models = {variants[i] for i in indexes}
            if len(models) > 1:
                self.fail(where, f"discriminator value {value!r} maps to two schemas")
            model = variants[indexes[0]]
            assert isinstance(model, ir.ModelRef)
            mapping.append((value, model.name))
        return ir.Discriminator(found.property, tuple(mapping))

    # ------------------------------------------------------------ helpers

    def _nullable(self, mapped: ir.TypeRef, schema: dict[str, Any]) -> ir.TypeRef:
        return ir.make_union([mapped, ir.NONE]) if schema.get("nullable") is True else mapped

    def _doc_target(self, schema: dict[str, Any]) -> Any:
        if isinstance(schema.get("$ref"), str):
            try:
                return resolve_pointer(self.document.data, schema["$ref"])
            except KeyError:
                return None
        branches, _ = self._branches(schema)
        if branches is not None and len(branches) == 1:
            return branches[0]
        if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            return schema["allOf"][0]
        return None

    def _check_supported(self, schema: dict[str, Any], pointer: str) -> None:
        for keyword in _UNSUPPORTED:
            if keyword in schema:
                self.fail(pointer_join(pointer, keyword), f"{keyword!r} is not supported")
        if "not" in schema and not _field_rule_only(schema):
            self.fail(pointer_join(pointer, "not"), "'not' is supported only as 'not: {required}'")

    def fail(self, pointer: str, message: str) -> NoReturn:
        self.problems.append(self.document.problem(pointer, message))
        raise Aborted

    def _guard(self, action: Any) -> None:
        with contextlib.suppress(Aborted):  # recorded; go on to report every problem
            action()

    def raise_problems(self) -> None:
        if self.problems:
            raise GeneratorError(dict.fromkeys(self.problems))


# ---------------------------------------------------------------- schema predicates


def _is_null_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("enum") == [None] or (
            "const" in schema and schema["const"] is None
        )
    )  # fmt: skip


def _is_object(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "object"
        or (isinstance(schema.get("type"), list) and "object" in schema["type"])
        or ("properties" in schema and "type" not in schema)
    )


def _is_string_enum(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("enum"), list)
        and any(isinstance(v, str) for v in schema["enum"])
        and all(isinstance(v, str) or v is None for v in schema["enum"])
    )


def _is_open_enum(branches: tuple[list[Any] | None, bool], mapper: SchemaMapper) -> bool:
    """``anyOf: [{type: string}, {type: string, enum: [...]}]``: known values, any string."""
    items = branches[0]
    if not items or len(items) < 2:
        return False
    resolved = [mapper.resolve(b) for b in items]
    plain = [b for b in resolved if b.get("type") == "string" and "enum" not in b]
    enums = [b for b in resolved if _is_string_enum(b)]
    return len(plain) == 1 and len(plain) + len(enums) == len(resolved) and bool(enums)


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


def _const(value: Any, pointer: str, mapper: SchemaMapper) -> ir.TypeRef:
    if value is None:
        return ir.NONE
    if isinstance(value, str | int | bool) and not isinstance(value, float):
        return ir.Const(value)
    return mapper.fail(pointer, f"constant {value!r} is not a string, integer or boolean")


def _branch_hint(branch: Any) -> str:
    """A name part for an inline union branch, from its content rather than its position."""
    if not isinstance(branch, dict):
        return "Value"
    if isinstance(branch.get("type"), str) and branch["type"] not in ("object",):
        return "Array" if branch["type"] == "array" else str(branch["type"]).capitalize()
    required = branch.get("required") or list(branch.get("properties") or {})
    return f"With {required[0]}" if required else "Object"


_STRUCTURAL = {"properties", "items", "anyOf", "oneOf", "allOf", "additionalProperties", "schema",
               "content", "contentSchema", "itemSchema"}  # fmt: skip


def _enum_prefix(pointer: str, name: str) -> str:
    """The word for enum members that start with a digit: the property (``size``) the enum
    belongs to, or the component's own name."""
    parts = pointer_parts(pointer)
    if len(parts) == 3 and parts[:2] == ["components", "schemas"]:
        return name
    for part in reversed(parts):
        if part not in _STRUCTURAL and not part.isdigit():
            return part
    return name


def _avoid_reserved(name: str) -> str:
    return name + "Model" if name in reserved_names() else name


def read_bounds(schema: dict[str, Any]) -> ir.Bounds:
    """The value constraints of one schema object (not of what it refers to)."""

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
