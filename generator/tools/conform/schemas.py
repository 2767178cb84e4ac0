"""The schemas of an OpenAPI document as compiled JSON Schema validators.

* Dialect: OpenAPI 3.0 documents are validated as JSON Schema Draft 4, 3.1 and 3.2 ones as
  Draft 2020-12.
* ``nullable: true`` (OpenAPI 3.0) is honoured in every version, since real 3.1 documents
  (OpenAI's among them) still use it: ``null`` is added to ``type`` (and to ``enum``), or
  the schema is wrapped as ``anyOf: [{type: "null"}, schema]`` when it composes others.
* ``$ref`` s resolve against the whole document, through a ``referencing`` registry.
* A ``discriminator`` over ``anyOf`` / ``oneOf`` branches is resolved by
  :func:`generator.pipeline.discriminators.discriminator_mapping`, the function ``generate``
  uses, so both read a union the same way: the explicit ``mapping`` (``$ref`` s or bare
  names), each branch's constant tag, then the branch's component name. An instance is
  validated against exactly the branch (or branches) its tag selects, for precise errors;
  an unknown tag is one ``discriminator`` error instead of one error per branch. A
  discriminator the function rejects is a warning, and its union is checked as a plain
  ``anyOf`` / ``oneOf``, as ``generate`` tells it apart by fit.

The document is rewritten once (its schemas are small); instances are never copied, and
each validator is compiled once per schema location. :meth:`SchemaSet.issues` turns
jsonschema's errors into :class:`Issue` objects: a rule (the keyword broken), a path into
the instance and a short message that never quotes a long value in full.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
import jsonschema
import jsonschema.validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT202012

from ...errors import Problem, pointer_join, pointer_parts
from ...pipeline.discriminators import DiscriminatorError, discriminator_mapping, union_branches
from ...pipeline.docview import follow
from ...pipeline.load import Document, iter_schema_objects, line_of, resolve_pointer
from ...runtime._types import json_type
from .fastcheck import FastCheck

__all__ = ["Issue", "SchemaSet", "short"]

BASE_URI = "urn:conform:openapi-document"
DISCRIMINATOR = "x-conform-discriminator"

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_COMPOSING = ("$ref", "anyOf", "oneOf", "allOf", "not", "const", DISCRIMINATOR)
_JSON_TYPES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})


@attrs.frozen
class Issue:
    """One way an instance breaks its schema."""

    rule: str
    """The JSON Schema keyword broken (``type``, ``enum``, ``required``...) or ``discriminator``."""
    path: tuple[str | int, ...]
    """Where in the instance; for ``required`` and ``additionalProperties``, the property."""
    message: str

    @property
    def pointer(self) -> str:
        return pointer_join("", *self.path) if self.path else ""


def short(value: Any, limit: int = 60) -> str:
    """A value for a message: JSON, cut short, never the whole of a long string."""
    if isinstance(value, str):
        if len(value) <= limit:
            return json.dumps(value, ensure_ascii=False)
        return json.dumps(value[:limit], ensure_ascii=False)[:-1] + f'..." ({len(value)} chars)'
    if isinstance(value, dict):
        keys = ", ".join(json.dumps(k, ensure_ascii=False) for k in list(value)[:5])
        more = ", ..." if len(value) > 5 else ""
        return f"an object {{{keys}{more}}}" if value else "an empty object"
    if isinstance(value, list | tuple):
        return f"an array of {len(value)} items"
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return json.dumps(value)
    return repr(value)[:limit]


class SchemaSet:
    """Validators for the schemas of one document, compiled on first use and kept."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.draft4 = document.version == "3.0"
        self._original = document.data
        self.warnings: list[Problem] = []  # what the checks go on without
        data = copy.deepcopy(document.data)
        for pointer, schema in iter_schema_objects(document.data):
            _set_pointer(data, pointer, self._rewrite(schema, pointer))
        self.data: dict[str, Any] = data
        specification = DRAFT4 if self.draft4 else DRAFT202012
        resource: Resource[Any] = specification.create_resource(data)
        self.registry: Registry[Any] = Registry().with_resource(BASE_URI, resource)
        base = jsonschema.Draft4Validator if self.draft4 else jsonschema.Draft202012Validator
        self.validator_class: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
            base,
            {
                "required": _required,
                "additionalProperties": _additional_properties,
                DISCRIMINATOR: _discriminator,
            },
        )
        self._validators: dict[str, Any] = {}
        self.fast = FastCheck(data, BASE_URI, self.draft4, base)

    # -- compiled validators ------------------------------------------------------------

    def validator(self, pointer: str) -> Any:
        """The validator of the schema at ``pointer`` in the document (compiled once)."""
        validator = self._validators.get(pointer)
        if validator is None:
            ref = BASE_URI + "#" + _fragment(pointer)
            validator = self.validator_class({"$ref": ref}, registry=self.registry)
            self._validators[pointer] = validator
        return validator

    def issues(self, pointer: str, instance: Any, *, finite: bool = False) -> list[Issue]:
        """How ``instance`` breaks the schema at ``pointer``; empty when it conforms.

        ``finite``: the instance holds no NaN or infinity (:func:`.fastcheck.parse_json`
        tells), so the fast check may answer first (see :mod:`.fastcheck`).
        """
        if finite and self.fast.conforms(_fragment(pointer), instance):
            return []
        found: list[Issue] = []
        try:
            for error in _relevant(self.validator(pointer).iter_errors(instance)):
                found.extend(_flatten(error))
        except Unresolvable as exc:  # the spec is broken there (generate left it out)
            reason = f"the spec's schema cannot be checked: a $ref points to nothing ({exc})"
            return [Issue("$ref", (), reason[:300])]
        return found

    # -- reading schemas (after rewriting) ----------------------------------------------

    def at(self, pointer: str) -> Any:
        return self.deref(resolve_pointer(self.data, pointer))

    def deref(self, schema: Any) -> Any:
        """Follow a chain of local ``$ref`` s to the schema they name (None when it leads
        nowhere)."""
        return follow(self.data, schema, base=BASE_URI)[0]

    def discriminator_property(self, pointer: str) -> str | None:
        """The tag property of the discriminated union at ``pointer``, if it is one."""
        schema = self.at(pointer)
        for candidate in _branches(schema, self):
            spec = candidate.get(DISCRIMINATOR) if isinstance(candidate, dict) else None
            if isinstance(spec, dict):
                return str(spec["propertyName"])
        return None

    def types_of(self, schema: Any, depth: int = 0) -> frozenset[str] | None:
        """The JSON types a schema admits, or None when it does not constrain them."""
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > 20:
            return None
        constraints: list[frozenset[str]] = []
        kind = schema.get("type")
        if isinstance(kind, str):
            constraints.append(frozenset({kind}))
        elif isinstance(kind, list):
            constraints.append(frozenset(k for k in kind if isinstance(k, str)))
        if "const" in schema:
            constraints.append(frozenset({json_type(schema["const"])}))
        elif isinstance(schema.get("enum"), list):
            constraints.append(frozenset(json_type(v) for v in schema["enum"]))
        unions: list[Any] = []
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                unions.append(schema[key])
        spec = schema.get(DISCRIMINATOR)
        if isinstance(spec, dict):
            unions.append(spec["branches"])
        for branches in unions:
            union: set[str] = set()
            for branch in branches:
                types = self.types_of(branch, depth + 1)
                if types is None:
                    break
                union |= types
            else:
                constraints.append(frozenset(union))
        for member in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
            types = self.types_of(member, depth + 1)
            if types is not None:
                constraints.append(types)
        if "$ref" in schema and len(schema) > 1:
            types = self.types_of({"$ref": schema["$ref"]}, depth + 1)
            if types is not None:
                constraints.append(types)
        if not constraints:
            return None
        result = set(_JSON_TYPES)
        for allowed in constraints:
            if "number" in allowed:
                allowed = allowed | {"integer"}
            result &= allowed
        return frozenset(result)

    def property_schema(self, schema: Any, name: str, depth: int = 0) -> Any:
        """The schema of property ``name`` of an object schema, or None if unknown."""
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > 20:
            return None
        properties = schema.get("properties")
        if isinstance(properties, dict) and name in properties:
            return properties[name]
        for member in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
            found = self.property_schema(member, name, depth + 1)
            if found is not None:
                return found
        if "$ref" in schema and len(schema) > 1:
            return self.property_schema({"$ref": schema["$ref"]}, name, depth + 1)
        additional = schema.get("additionalProperties")
        return additional if isinstance(additional, dict) else None

    def array_items(self, schema: Any, depth: int = 0) -> Any:
        """The item schema of an array schema, or of the array branch of a union."""
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > 20:
            return None
        if isinstance(schema.get("items"), dict | bool):
            return schema["items"]
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in schema.get(key, []) if isinstance(schema.get(key), list) else []:
                found = self.array_items(branch, depth + 1)
                if found is not None:
                    return found
        return None

    # -- rewriting ----------------------------------------------------------------------

    def _rewrite(self, schema: Any, pointer: str) -> Any:
        if not isinstance(schema, dict):
            return schema
        out: dict[str, Any] = {}
        for key, value in schema.items():
            where = pointer_join(pointer, key)
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {
                    name: self._rewrite(item, pointer_join(where, name))
                    for name, item in value.items()
                }
            elif key in (*_SCHEMA_LISTS, *_SCHEMA_ONE) and isinstance(value, list):
                # (a list under a single-schema keyword is Draft 4's tuple ``items``)
                out[key] = [
                    self._rewrite(item, pointer_join(where, i)) for i, item in enumerate(value)
                ]
            elif key in _SCHEMA_ONE:
                out[key] = self._rewrite(value, where)
            else:
                out[key] = value
        if isinstance(schema.get("discriminator"), dict):
            self._rewrite_discriminator(schema, out, pointer)
        nullable = out.pop("nullable", None)
        if nullable is True:
            if any(key in out for key in _COMPOSING):
                return {"anyOf": [{"type": "null"}, out]}
            kind = out.get("type")
            if isinstance(kind, str) and kind != "null":
                out["type"] = [kind, "null"]
            elif isinstance(kind, list) and "null" not in kind:
                out["type"] = [*kind, "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        return out

    def _rewrite_discriminator(
        self, original: dict[str, Any], schema: dict[str, Any], pointer: str
    ) -> None:
        """Replace the union of ``schema`` by the keyword that selects branches by tag."""
        try:
            mapping = discriminator_mapping(self._original, original, pointer)
        except DiscriminatorError as exc:  # as generate does: warned, then told apart by fit
            line = line_of(self.document.source, exc.pointer)
            message = f"{exc}: the union is told apart by fit instead"
            self.warnings.append(
                Problem(str(self.document.path), exc.pointer, message, line, "warning")
            )
            return
        found = union_branches(schema)
        if found is None:  # pragma: no cover - discriminator_mapping requires a union
            return
        key, branches = found
        del schema[key]
        schema[DISCRIMINATOR] = {
            "propertyName": mapping.property,
            "branches": [_absolute_ref(branch) for branch in branches],
            "cases": {value: list(indexes) for value, indexes in mapping.cases},
            "unmapped": list(mapping.unmapped),
        }


@functools.lru_cache(maxsize=4096)
def _fragment(pointer: str) -> str:
    return urllib.parse.quote(pointer, safe="/~!$&'()*+,;=:@")


def _absolute_ref(branch: Any) -> Any:
    """A branch that is a local ``$ref``, made absolute: the keyword's subschemas are
    validated away from the document's root."""
    ref = branch.get("$ref") if isinstance(branch, dict) else None
    if isinstance(ref, str) and ref.startswith("#"):
        return {**branch, "$ref": BASE_URI + ref}
    return branch


def _branches(schema: Any, schemas: SchemaSet) -> Iterator[Any]:
    """A schema and, through a nullable wrapper, the schema it wraps."""
    yield schema
    if isinstance(schema, dict) and isinstance(schema.get("anyOf"), list):
        for branch in schema["anyOf"]:
            yield schemas.deref(branch)


def _set_pointer(data: Any, pointer: str, value: Any) -> None:
    parts = pointer_parts(pointer)
    node = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value


# -- keywords -----------------------------------------------------------------------------
# ``required`` and ``additionalProperties`` report one error per property, located at the
# property, so each finding can point at what is missing or unexpected.


def _required(validator: Any, required: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for name in required:
        if name not in instance:
            yield ValidationError(f"required property {short(name)} is missing", path=(name,))


def _additional_properties(
    validator: Any, additional: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extras = [
        name
        for name in instance
        if name not in properties and not any(re.search(p, name) for p in patterns)
    ]
    if validator.is_type(additional, "object"):
        for name in extras:
            yield from validator.descend(instance[name], additional, path=name)
    elif additional is False:
        for name in extras:
            message = f"property {short(name)} is not allowed (additionalProperties is false)"
            yield ValidationError(message, path=(name,))


def _discriminator(validator: Any, spec: Any, instance: Any, schema: Any) -> Iterator[Any]:
    branches: list[Any] = spec["branches"]
    if not validator.is_type(instance, "object"):
        yield from validator.descend(instance, {"anyOf": branches})
        return
    prop = spec["propertyName"]
    if prop not in instance:
        message = f"required property {short(prop)} is missing"
        yield ValidationError(message, validator="required", validator_value=[prop], path=(prop,))
        return
    tag = instance[prop]
    cases: dict[str, list[int]] = spec["cases"]
    selected = cases.get(tag) if isinstance(tag, str) else None
    if not selected:
        selected = spec["unmapped"]  # branches no value names may still take it
    if not selected:
        known = ", ".join(short(t) for t in cases)
        message = f"unknown {prop} {short(tag)} (known: {known})"
        yield ValidationError(
            message, validator="discriminator", validator_value=spec, path=(prop,)
        )
        return
    targets = [branches[i] for i in selected]
    yield from validator.descend(instance, targets[0] if len(targets) == 1 else {"anyOf": targets})


# -- errors into issues -------------------------------------------------------------------


def _relevant(errors: Iterable[Any]) -> list[Any]:
    """Errors less those that a wrong type makes moot (an enum miss of a number, say)."""
    errors = list(errors)
    mistyped = {(tuple(e.absolute_path), id(e.schema)) for e in errors if e.validator == "type"}
    return [
        e
        for e in errors
        if e.validator == "type" or (tuple(e.absolute_path), id(e.schema)) not in mistyped
    ]


def _flatten(error: Any) -> Iterator[Issue]:
    """Issues of one jsonschema error; a failed union is narrowed to the branch that fits."""
    path = tuple(error.absolute_path)
    if error.validator in ("anyOf", "oneOf") and error.context:
        by_branch: dict[Any, list[Any]] = {}
        for sub in error.context:
            key = sub.relative_schema_path[0] if sub.relative_schema_path else 0
            by_branch.setdefault(key, []).append(sub)
        wrong_kind = {
            key
            for key, errors in by_branch.items()
            if any(e.validator == "type" and not e.relative_path for e in errors)
        }
        fitting = [key for key in by_branch if key not in wrong_kind]
        if len(fitting) == 1:
            for sub in _relevant(by_branch[fitting[0]]):
                yield from _flatten(sub)
            return
        if not fitting:
            types: list[str] = []
            for errors in by_branch.values():
                for e in errors:
                    if e.validator == "type" and not e.relative_path:
                        value = e.validator_value
                        for kind in [value] if isinstance(value, str) else value:
                            if kind not in types:
                                types.append(kind)
            yield Issue("type", path, f"{short(error.instance)} is not of type {_or(types)}")
            return
        missing = [
            [str(e.relative_path[-1]) for e in by_branch[key]]
            for key in fitting
            if all(e.validator == "required" and len(e.relative_path) == 1 for e in by_branch[key])
        ]
        if len(missing) == len(fitting) and all(len(names) == 1 for names in missing):
            names = _or([names[0] for names in missing])
            yield Issue(error.validator, path, f"one of the properties {names} is required")
            return
        first = []
        for key in fitting:
            issue = next(_flatten(by_branch[key][0]))
            first.append(f"{issue.message} at {issue.pointer or '/'}")
        message = f"{short(error.instance)} matches none of {len(by_branch)} alternatives: "
        yield Issue(error.validator, path, message + "; ".join(first))
        return
    yield Issue(str(error.validator), path, _message(error))


def _or(types: list[str]) -> str:
    quoted = [json.dumps(t) for t in types]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _message(error: Any) -> str:
    rule = error.validator
    value = error.validator_value
    instance = error.instance
    if rule == "type":
        return (
            f"{short(instance)} is not of type {_or([value] if isinstance(value, str) else value)}"
        )
    if rule == "enum":
        allowed = ", ".join(short(v) for v in value[:12]) + (", ..." if len(value) > 12 else "")
        return f"{short(instance)} is not one of {allowed}"
    if rule == "const":
        return f"{short(instance)} is not {short(value)}"
    if rule == "not" and isinstance(value, dict) and set(value) == {"required"}:
        names = [short(n) for n in value["required"]]
        if len(names) == 2:
            return f"{names[0]} and {names[1]} must not both be present"
        return f"properties {', '.join(names)} must not all be present"
    if rule in ("minimum", "exclusiveMinimum") and isinstance(instance, int | float):
        return f"{short(instance)} is below the minimum of {value}"
    if rule in ("maximum", "exclusiveMaximum") and isinstance(instance, int | float):
        return f"{short(instance)} is above the maximum of {value}"
    if rule in ("minLength", "maxLength") and isinstance(instance, str):
        side = "fewer" if rule == "minLength" else "more"
        bound = "minimum" if rule == "minLength" else "maximum"
        return f"a string of {len(instance)} characters, {side} than the {bound} of {value}"
    if rule in ("minItems", "maxItems") and isinstance(instance, list):
        side = "fewer" if rule == "minItems" else "more"
        bound = "minimum" if rule == "minItems" else "maximum"
        return f"an array of {len(instance)} items, {side} than the {bound} of {value}"
    if rule == "pattern":
        return f"{short(instance)} does not match the pattern {short(value)}"
    if rule == "format":
        return f"{short(instance)} is not a valid {value}"
    if rule == "not":
        return f"{short(instance)} must not be valid under the schema of 'not'"
    text = str(error.message)
    return text if len(text) <= 300 else text[:297] + "..."
