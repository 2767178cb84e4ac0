"""Read an OpenAPI document from YAML or JSON within limits, bundle it, check it, validate it.

Errors (the document cannot be used): unreadable, too large, too deep, not a mapping, no
``openapi`` or ``info``, an unsupported version, a remote ``$ref``, a schema that includes
itself (:mod:`.cycles`). A ``$ref`` that points to nothing is a warning (what depends on it
is left out when the client is built), and so is everything validation finds
(:mod:`.validate`); both are kept in :attr:`Document.warnings`. References within the
document are made plain pointers first (:mod:`.refs`), other files are bundled
(:mod:`.bundle`), and path items given by ``$ref`` are inlined where OpenAPI puts them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from ..errors import (
    MISSING,
    GeneratorError,
    Problem,
    lookup,
    pointer_join,
    pointer_parts,
)
from ..runtime._types import json_type
from . import limits as _limits
from .bundle import Bundler, Origin
from .cycles import inclusion_cycles
from .docview import follow, parts_of
from .inputfiles import open_regular
from .prose import MAX_PROSE, cut_long_prose
from .refs import normalise_refs
from .yamlread import SpecLoader, lines_of, parse

__all__ = [
    "Document",
    "SpecLoader",
    "check_document",
    "iter_refs",
    "iter_schema_objects",
    "line_of",
    "load_document",
    "parse_source",
    "read_source",
    "resolve_pointer",
]

_VERSIONS = ("3.0", "3.1", "3.2")


@attrs.frozen
class Document:
    """A loaded OpenAPI document and where it came from.

    ``warnings`` holds what was found while loading and validating (duplicate keys,
    validation findings); ``origins`` maps the pointers of bundled components to the file
    and pointer they came from, so that problems in them are located in that file.
    """

    path: Path
    data: dict[str, Any]
    source: bytes = attrs.field(repr=False)
    warnings: list[Problem] = attrs.field(factory=list, eq=False, repr=False)
    origins: dict[str, Origin] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def version(self) -> str:
        """``"3.0"``, ``"3.1"`` or ``"3.2"``: the OpenAPI minor version."""
        return ".".join(str(self.data.get("openapi", "")).split(".")[:2])

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source).hexdigest()

    def problem(self, pointer: str, message: str) -> Problem:
        """A problem located in this document (or in the file a bundled part came from),
        with its line where the source can tell."""
        origin = self.origin_of(pointer)
        return Problem(origin.file, origin.pointer, message, line_of(origin.source, origin.pointer))

    def origin_of(self, pointer: str) -> Origin:
        """The file, and the pointer in it, that the part at ``pointer`` was read from."""
        if self.origins:
            parts = pointer_parts(pointer)
            for end in range(len(parts), 0, -1):
                origin = self.origins.get(pointer_join("", *parts[:end]))
                if origin is not None:
                    inner = pointer_join(origin.pointer, *parts[end:])
                    return Origin(origin.file, inner, origin.source)
        return Origin(str(self.path), pointer, self.source)


def load_document(path: str | Path, *, validate: bool = True) -> Document:
    """Load, bundle, check the references of, and (by default) validate an OpenAPI document.

    Raises :class:`GeneratorError` for a document that cannot be used; validation findings
    are warnings, in the returned document's ``warnings``.
    """
    document = read_document(path)
    if validate:
        from .validate import validate_document

        document.warnings.extend(validate_document(document))
    return document


def read_document(path: str | Path) -> Document:
    """Everything :func:`load_document` does but validation (which may then run in parallel)."""
    path = Path(path)
    limits = _limits.current()
    source = read_source(path, limits)
    parsed = parse(source, str(path), limits)
    data = _require_mapping(parsed.data, str(path))
    document = Document(path, data, source, list(parsed.warnings))
    problems = list(_check_header(document))
    if problems:
        raise GeneratorError(problems)
    normalise_refs(data, path, source, document.version)
    if parsed.refs is not None:  # the reader met them: no walk of the data needed
        refs = [(where, m["$ref"]) for where, m in parsed.refs if isinstance(m["$ref"], str)]
    else:
        refs = list(iter_refs(data))
    bundled = any(not ref.startswith("#") for _, ref in refs)
    if bundled:
        bundler = Bundler(path, data, source, limits)
        document.origins.update(bundler.run())
        document.warnings.extend(bundler.warnings)
        refs = [(where, ref) for where, ref in iter_refs(data) if ref.startswith("#")]
    if _inline_path_items(document):
        refs = [(where, ref) for where, ref in iter_refs(data) if not bundled or ref[:1] == "#"]
    document.warnings.extend(_dangling_refs(document, refs))
    problems = [document.problem(p, m) for p, m in inclusion_cycles(data)]
    if problems:
        raise GeneratorError(problems)
    if bundled or parsed.longest is None or parsed.longest > MAX_PROSE:  # else none is cut
        cut = cut_long_prose(data)
        document.warnings.extend(document.problem(p, m).as_warning() for p, m in cut)
    return document


def read_source(path: Path, limits: _limits.Limits | None = None) -> bytes:
    """The bytes of an input file, or a located error saying why it cannot be read.

    Only a regular file is read (:func:`.inputfiles.open_regular`), and at most the input
    size limit (plus one byte, to tell that it is over).
    """
    limit = (limits or _limits.current()).max_input_bytes
    over = f"more than the limit of {_limits.describe('max_input_bytes', limit)}"
    with open_regular(path) as stream:
        try:
            size = os.fstat(stream.fileno()).st_size
            if size > limit:
                raise GeneratorError([Problem(str(path), "", f"is {size:,} bytes, {over}")])
            data = stream.read(limit + 1)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise GeneratorError([Problem(str(path), "", f"cannot read file: {reason}")]) from None
    if len(data) > limit:
        raise GeneratorError([Problem(str(path), "", f"is {over}")])
    return data


def parse_source(source: bytes, filename: str) -> dict[str, Any]:
    """Parse JSON or YAML text into a mapping, or raise a located error (warnings dropped)."""
    return _require_mapping(parse(source, filename, _limits.current()).data, filename)


def _require_mapping(data: Any, filename: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {json_type(data)}"
        message = f"an OpenAPI document must be a mapping, and this one is {what}"
        raise GeneratorError([Problem(filename, "", message)])
    return data


def check_document(document: Document, *, validate: bool = True) -> Iterator[Problem]:
    """Problems with the document: errors (version, ``info``, dangling ``$ref`` s), then,
    when there are none and ``validate`` is set, the validation warnings."""
    errors = list(_check_header(document))
    if not errors:
        errors = list(_dangling_refs(document, iter_refs(document.data)))
    yield from errors
    if errors or not validate:
        return
    from .validate import validate_document

    yield from validate_document(document)


def _check_header(document: Document) -> Iterator[Problem]:
    version = document.data.get("openapi")
    if "openapi" not in document.data:
        yield document.problem("", "no 'openapi' field: is this an OpenAPI document?")
        return
    if not isinstance(version, str) or document.version not in _VERSIONS:
        yield document.problem(
            "/openapi", f"unsupported OpenAPI version {version!r} (need 3.0-3.2)"
        )
        return
    info = document.data.get("info")
    if info is None:
        yield document.problem("", "no 'info' field: an OpenAPI document needs one")
    elif not isinstance(info, dict):
        yield document.problem("/info", f"'info' must be a mapping, not {json_type(info)}")


def resolve_pointer(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or raise ``KeyError`` naming the pointer."""
    node = lookup(data, parts_of(pointer))
    if node is MISSING:
        raise KeyError(pointer)
    return node


def iter_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in a document, with the pointer of the object holding it.

    Depth first, in document order, without recursion. A node shared by several places
    (a YAML alias) is walked once, at the first of them. A pointer is made only for an
    object with a ``$ref``: the walk keeps each node's path as (key, parent's path) links.
    """
    seen: set[int] = set()
    stack: list[tuple[Any, Any]] = [(node, None)]
    while stack:
        current, path = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield _path_pointer(pointer, path), ref
            items: Any = current.items()
        else:
            items = enumerate(current)
        children = [(value, (key, path)) for key, value in items if isinstance(value, dict | list)]
        children.reverse()
        stack += children


def _path_pointer(pointer: str, path: Any) -> str:
    parts: list[Any] = []
    while path is not None:
        key, path = path
        parts.append(key)
    parts.reverse()
    return pointer_join(pointer, *parts)


def _dangling_refs(document: Document, refs: Iterable[tuple[str, str]]) -> Iterator[Problem]:
    """A warning for each ``$ref`` that leads nowhere: it is left out, and so is what
    depends on it when the client is built (``--strict`` makes it an error)."""
    for where, ref in refs:
        if not ref.startswith("#"):  # left by the bundler, which said why, or by an overlay
            message = f"left out: $ref {ref!r} points to nothing (it is not bundled)"
            yield document.problem(where, message).as_warning()
            continue
        try:
            resolve_pointer(document.data, ref)
        except KeyError:
            yield document.problem(where, f"left out: $ref {ref!r} points to nothing").as_warning()


def _inline_path_items(document: Document) -> bool:
    """Replace each path item given by a local ``$ref`` (3.1: ``#/components/pathItems/X``)
    with what it refers to, so that its operations are where OpenAPI says they are: under
    ``paths`` (and ``webhooks``, and callbacks). Problems in one are located where it is
    written. Whether any was replaced."""
    data = document.data
    slots: list[tuple[dict[str, Any], str, str]] = []  # (map of path items, key, its pointer)
    for top in ("paths", "webhooks"):
        items = data.get(top)
        if isinstance(items, dict):
            slots += [(items, key, pointer_join("", top, key)) for key in items]
    replaced = False
    while slots:
        holder, key, pointer = slots.pop()
        item = holder[key]
        target, where = follow(data, item, pointer)
        if target is not item and isinstance(target, dict):
            siblings = {k: v for k, v in item.items() if k in ("summary", "description")}
            holder[key] = {**target, **siblings}
            document.origins[pointer] = document.origin_of(where)
            replaced = True
        for operation_key, operation in list(
            (holder[key] if isinstance(holder[key], dict) else {}).items()
        ):
            callbacks = operation.get("callbacks") if isinstance(operation, dict) else None
            for name, callback in (callbacks if isinstance(callbacks, dict) else {}).items():
                if isinstance(callback, dict):
                    at = pointer_join(pointer, operation_key, "callbacks", name)
                    slots += [(callback, k, pointer_join(at, k)) for k in callback if k != "$ref"]
    return replaced


def iter_schema_objects(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The top-level schema objects of a document: component schemas and every ``schema``.

    Each place is yielded, even where YAML aliases make places share a node; the walk stops
    at schemas and the alias limit bounds the rest. Vendor extensions (``x-...``) and
    examples are skipped: what they hold is free-form data, not OpenAPI objects, so a
    ``schema`` key in them is no Schema Object.
    """
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            yield pointer_join("/components/schemas", name), schema

    def walk(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
        stack: list[tuple[Any, str]] = [(node, pointer)]
        while stack:
            current, where = stack.pop()
            found: list[tuple[Any, str]] = []
            if isinstance(current, dict):
                for key, value in current.items():
                    if _free_form(key):
                        continue
                    child = pointer_join(where, key)
                    if key in ("schema", "itemSchema") and isinstance(value, dict | bool):
                        found.append(((value,), child))  # a tuple marks a schema to yield
                    elif key != "schemas" and isinstance(value, dict | list):
                        found.append((value, child))
            elif isinstance(current, list):
                for index, value in enumerate(current):
                    if isinstance(value, dict | list):
                        found.append((value, pointer_join(where, index)))
            elif isinstance(current, tuple):
                yield where, current[0]
                continue
            stack.extend(reversed(found))

    yield from walk(data.get("paths"), "/paths")
    yield from walk(components, "/components")
    if isinstance(data.get("webhooks"), dict):
        yield from walk(data["webhooks"], "/webhooks")


def _free_form(key: Any) -> bool:
    """Whether a key outside schemas holds data rather than OpenAPI objects: an extension,
    or examples (``example`` values and ``examples`` maps of Example Objects)."""
    return isinstance(key, str) and (key.startswith("x-") or key in ("example", "examples"))


def line_of(source: bytes, pointer: str) -> int | None:
    """The 1-based line where ``pointer`` starts in YAML/JSON source, when it can be found.

    A key that appears twice is found at its last appearance: its value is the one used.
    """
    entry = lines_of(source)
    for part in pointer_parts(pointer):
        children = entry[1] if isinstance(entry, tuple) else None
        if isinstance(children, dict):
            entry = children.get(part)
        elif isinstance(children, list) and part.isdigit() and int(part) < len(children):
            entry = children[int(part)]
        else:
            entry = None
        if entry is None:
            return None
    if entry is None:
        return None
    return (entry if isinstance(entry, int) else entry[0]) + 1
