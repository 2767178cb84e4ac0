"""Checks a meta-schema cannot express: the ones openapi-spec-validator makes.

* a ``default`` that its own schema rejects;
* an operationId used twice, a parameter listed twice, a tag named twice (and, in 3.2, a tag
  whose parent is unknown);
* a path template parameter with no ``in: path`` parameter, or the other way round.

(``$ref`` cycles that never reach a schema are errors, found when loading: :mod:`.cycles`.)

Each finding is ``(pointer, message)``; all of them are warnings.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

from ..errors import pointer_join
from .docview import item_operations, resolve
from .schemacheck import schemas_with_defaults, show_json

Finding = tuple[str, str]

_BASE_URI = "urn:openapi-images-generator:document"


def check_semantics(data: dict[str, Any], version: str) -> Iterator[Finding]:
    yield from _operations(data, version)
    yield from _tags(data, version)


def _operations(data: dict[str, Any], version: str) -> Iterator[Finding]:
    seen_ids: dict[str, str] = {}
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return
    for template, item in paths.items():
        item_pointer = pointer_join("/paths", template)
        item = resolve(data, item)
        if not isinstance(item, dict):
            continue
        shared = list(
            _parameters(data, item.get("parameters"), pointer_join(item_pointer, "parameters"))
        )
        yield from _duplicate_parameters(shared)
        for keys, operation in item_operations(item, version):
            method, pointer = keys[-1], pointer_join(item_pointer, *keys)
            operation_id = operation.get("operationId")
            if isinstance(operation_id, str):
                first = seen_ids.setdefault(operation_id, pointer)
                if first != pointer:
                    yield (
                        pointer_join(pointer, "operationId"),
                        f"operationId {operation_id!r} is not unique: also at {first}",
                    )
            own = list(
                _parameters(data, operation.get("parameters"), pointer_join(pointer, "parameters"))
            )
            yield from _duplicate_parameters(own)
            yield from _path_parameters(template, method, pointer, shared, own)


def _parameters(
    data: dict[str, Any], parameters: Any, pointer: str
) -> Iterator[tuple[str, str, str]]:
    """(name, in, pointer) of each parameter that has both, through ``$ref`` s."""
    if not isinstance(parameters, list):
        return
    for index, parameter in enumerate(parameters):
        parameter = resolve(data, parameter)
        if isinstance(parameter, dict):
            name, where = parameter.get("name"), parameter.get("in")
            if isinstance(name, str) and isinstance(where, str):
                yield name, where, pointer_join(pointer, index)


def _duplicate_parameters(parameters: list[tuple[str, str, str]]) -> Iterator[Finding]:
    seen: dict[tuple[str, str], str] = {}
    for name, where, pointer in parameters:
        first = seen.setdefault((name, where), pointer)
        if first != pointer:
            yield pointer, f"parameter {name!r} in {where} is listed twice (also at {first})"


def _path_parameters(
    template: str,
    method: str,
    pointer: str,
    shared: list[tuple[str, str, str]],
    own: list[tuple[str, str, str]],
) -> Iterator[Finding]:
    try:
        in_template = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    except ValueError:  # unbalanced braces: the template itself is odd
        return
    declared = {name for name, where, _ in [*shared, *own] if where == "path"}
    for name in sorted(in_template - declared):
        yield pointer, f"path parameter {name!r} of {template!r} is not declared for {method}"
    for name, where, at in own:
        if where == "path" and name not in in_template:
            yield at, f"path parameter {name!r} does not appear in {template!r}"


def _tags(data: dict[str, Any], version: str) -> Iterator[Finding]:
    tags = data.get("tags")
    if not isinstance(tags, list):
        return
    names: dict[str, str] = {}
    parents: dict[str, tuple[str, str]] = {}
    for index, tag in enumerate(tags):
        if not isinstance(tag, dict) or not isinstance(tag.get("name"), str):
            continue
        pointer = pointer_join("/tags", index)
        first = names.setdefault(tag["name"], pointer)
        if first != pointer:
            yield pointer, f"tag {tag['name']!r} is named twice (also at {first})"
        if isinstance(tag.get("parent"), str):
            parents[tag["name"]] = (tag["parent"], pointer)
    if version == "3.2":
        for name, (parent, pointer) in parents.items():
            if parent not in names:
                yield pointer_join(pointer, "parent"), f"tag {name!r} has unknown parent {parent!r}"


# --------------------------------------------------------------------------------------------
# Defaults


def check_defaults(data: dict[str, Any], version: str, roots: Any) -> Iterator[Finding]:
    """Each ``default`` checked against the schema it sits in (``$ref`` s followed)."""
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT4, DRAFT202012

    v30 = version == "3.0"
    specification = DRAFT4 if v30 else DRAFT202012
    registry: Registry[Any] = Registry().with_resource(
        _BASE_URI, specification.create_resource(data)
    )
    validator_class: Any = jsonschema.Draft4Validator if v30 else jsonschema.Draft202012Validator
    for pointer, schema in schemas_with_defaults(roots):
        default = schema["default"]
        if v30 and default is None and schema.get("nullable") is True:
            continue
        validator = validator_class({"$ref": f"{_BASE_URI}#{pointer}"}, registry=registry)
        try:
            error = next(iter(validator.iter_errors(default)), None)
        except Exception:  # a malformed schema or a $ref cycle: reported by the other checks
            continue
        if error is not None:
            yield (
                pointer_join(pointer, "default"),
                f"default {show_json(default)} does not match its schema: "
                f"{_first_line(error.message)}",
            )


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "invalid"
    return line if len(line) <= limit else line[: limit - 3] + "..."
