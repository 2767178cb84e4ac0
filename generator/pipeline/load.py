"""Read an OpenAPI document from YAML or JSON, check its references, and validate it."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import yaml

from ..errors import GeneratorError, Problem, pointer_join, pointer_parts

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML loader for JSON-shaped documents: dates stay strings and mapping keys are
    always strings (an unquoted ``200:`` status code is the key ``"200"``)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if all(isinstance(key, str) for key in mapping):
            return mapping
        return {_json_key(key): value for key, value in mapping.items()}


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@attrs.frozen
class Document:
    """A loaded OpenAPI document and where it came from."""

    path: Path
    data: dict[str, Any]
    source: bytes = attrs.field(repr=False)

    @property
    def version(self) -> str:
        """``"3.0"``, ``"3.1"`` or ``"3.2"``: the OpenAPI minor version."""
        return ".".join(str(self.data.get("openapi", "")).split(".")[:2])

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source).hexdigest()

    def problem(self, pointer: str, message: str) -> Problem:
        """A problem located in this document, with its line when the source is YAML."""
        return Problem(str(self.path), pointer, message, line_of(self.source, pointer))


def load_document(path: str | Path, *, validate: bool = True) -> Document:
    """Load, check references of, and (by default) validate an OpenAPI document."""
    path = Path(path)
    source = read_source(path)
    document = Document(path, parse_source(source, str(path)), source)
    problems = list(check_document(document, validate=validate))
    if problems:
        raise GeneratorError(problems)
    return document


def read_source(path: Path) -> bytes:
    """The bytes of an input file, or a located error saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise GeneratorError([Problem(str(path), "", f"cannot read file: {reason}")]) from None


def parse_source(source: bytes, filename: str) -> dict[str, Any]:
    """Parse JSON or YAML text into a mapping, or raise a located error."""
    try:
        if filename.endswith(".json"):
            data = json.loads(source)
        else:
            data = yaml.load(source, Loader=_SpecLoader)
    except json.JSONDecodeError as exc:
        raise GeneratorError(
            [Problem(filename, "", f"invalid JSON: {exc.msg}", exc.lineno)]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise GeneratorError([Problem(filename, "", f"invalid YAML: {reason}", line)]) from None
    except UnicodeDecodeError as exc:
        raise GeneratorError([Problem(filename, "", f"not UTF-8 text: {exc.reason}")]) from None
    if not isinstance(data, dict):
        raise GeneratorError([Problem(filename, "", "an OpenAPI document must be a mapping")])
    return data


def check_document(document: Document, *, validate: bool = True) -> Iterator[Problem]:
    """Problems with the document: version, dangling ``$ref`` s, then schema validation."""
    version = document.data.get("openapi")
    if not isinstance(version, str) or document.version not in ("3.0", "3.1", "3.2"):
        yield document.problem(
            "/openapi", f"unsupported OpenAPI version {version!r} (need 3.0-3.2)"
        )
        return
    dangling = list(_dangling_refs(document))
    yield from dangling
    if dangling or not validate:
        return
    yield from _validate(document)


def resolve_pointer(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or raise ``KeyError`` naming the pointer."""
    node = data
    for part in pointer_parts(pointer):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(pointer)
    return node


def iter_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in a document, with the pointer of the object holding it."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield pointer, ref
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from iter_refs(value, pointer_join(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from iter_refs(value, pointer_join(pointer, index))


def _dangling_refs(document: Document) -> Iterator[Problem]:
    for where, ref in iter_refs(document.data):
        if not ref.startswith("#"):
            yield document.problem(where, f"external $ref {ref!r} is not supported; inline it")
            continue
        try:
            resolve_pointer(document.data, ref)
        except KeyError:
            yield document.problem(where, f"$ref {ref!r} points to nothing")


def _validate(document: Document) -> Iterator[Problem]:
    from openapi_spec_validator import (
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
        OpenAPIV32SpecValidator,
    )

    validator_class = {
        "3.0": OpenAPIV30SpecValidator,
        "3.1": OpenAPIV31SpecValidator,
        "3.2": OpenAPIV32SpecValidator,
    }[document.version]
    found: list[Problem] = []
    try:
        for error in validator_class(document.data).iter_errors():
            path = [str(p) for p in getattr(error, "path", ()) or ()]
            pointer = pointer_join("", *path) if path else ""
            found.append(
                document.problem(pointer, f"invalid OpenAPI: {_first_line(error.message)}")
            )
    except Exception as exc:  # the validator raises on some malformed input instead of reporting
        found.append(document.problem("", f"invalid OpenAPI: {_first_line(str(exc))}"))
    if found:
        # openapi-spec-validator locates schema errors relative to the schema they are in;
        # checking each schema object on its own gives their full JSON pointers.
        yield from list(_validate_schema_objects(document)) or found


def _validate_schema_objects(document: Document) -> Iterator[Problem]:
    import jsonschema
    from openapi_spec_validator.schemas import schema_v30

    if document.version == "3.0":
        meta: dict[str, Any] = {
            "$ref": "#/definitions/Schema",
            "definitions": schema_v30["definitions"],
        }
        validator: Any = jsonschema.Draft4Validator(meta)
    else:
        validator = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
    for pointer, schema in iter_schema_objects(document.data):
        for error in validator.iter_errors(schema):
            where = pointer_join(pointer, *[str(p) for p in error.absolute_path])
            yield document.problem(where, f"invalid schema: {_first_line(error.message)}")


def iter_schema_objects(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The top-level schema objects of a document: component schemas and every ``schema``."""
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            yield pointer_join("/components/schemas", name), schema

    def walk(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
        if isinstance(node, dict):
            for key, value in node.items():
                child = pointer_join(pointer, key)
                if key in ("schema", "itemSchema") and isinstance(value, dict | bool):
                    yield child, value
                elif key != "schemas":
                    yield from walk(value, child)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, pointer_join(pointer, index))

    yield from walk(data.get("paths"), "/paths")
    yield from walk(components, "/components")


def _first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return line if len(line) <= limit else line[: limit - 3] + "..."


@functools.lru_cache(maxsize=2)
def _compose(source: bytes) -> yaml.Node | None:
    """The YAML node tree of a source, parsed once however many problems it has."""
    try:
        node: yaml.Node | None = yaml.compose(source, Loader=_SpecLoader)
    except yaml.YAMLError:
        return None
    return node


def line_of(source: bytes, pointer: str) -> int | None:
    """The 1-based line where ``pointer`` starts in YAML/JSON source, when it can be found."""
    node: yaml.Node | None = _compose(source)
    for part in pointer_parts(pointer):
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            node = None
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None
