"""Bundle ``$ref`` s to other local files into the document, so that only ``#/...`` refs remain.

``other.yaml#/components/schemas/Pet`` and ``./schemas/pet.json`` are read (relative to the
file that refers to them, with the same limits as the spec) and copied into the document's
``components``; the ``$ref`` is rewritten to point there. Rules:

* A target at ``#/components/<kind>/<Name>`` keeps its kind and name; a ref deeper into a
  component brings the whole component and points inside it. Any other target is named after
  the last part of its pointer, or after its file (``pet.json`` -> ``pet``), and its kind
  comes from where the ``$ref`` is (a ``schema``, a ``parameters`` entry, ...).
* A name already taken by a different component is an error at the ``$ref``; the same
  content under the same name is shared.
* Path items (``paths``, ``webhooks``, callbacks) are inlined where they are referred to.
* Refs inside a bundled file are relative to that file, and are bundled the same way; each
  (file, pointer) is bundled once, so cycles across files end.
* ``http://`` and other URLs are errors: nothing is fetched.
* A file outside the spec's folder (symlinks followed), or outside ``--ref-root`` when it is
  given, is an error: a spec cannot make the generator read the user's other files.

Problems in a bundled file are located in that file; :attr:`Document.origins` remembers where
each bundled component came from for the problems found later.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import attrs

from ..errors import GeneratorError, Problem, pointer_join, pointer_parts
from .inputfiles import check_reach, real_path
from .limits import Limits, describe

COMPONENT_KINDS = frozenset(
    (
        "schemas", "responses", "parameters", "examples", "requestBodies", "headers",
        "securitySchemes", "links", "callbacks", "pathItems", "mediaTypes",
    )
)  # fmt: skip
_SCHEMA_ONE = frozenset(
    (
        "schema", "itemSchema", "items", "additionalProperties", "not", "contains",
        "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties",
        "contentSchema", "additionalItems",
    )
)  # fmt: skip
_SCHEMA_MAPS = frozenset(
    ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
)
_SCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))
_MAP_KINDS = {
    "responses": "responses", "headers": "headers", "examples": "examples", "links": "links",
    "callbacks": "callbacks", "securitySchemes": "securitySchemes", "content": "mediaTypes",
}  # fmt: skip
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_CHAIN = 64


@attrs.frozen
class Origin:
    """Where a bundled part of the document came from: a file, a pointer in it, its text."""

    file: str
    pointer: str
    source: bytes = attrs.field(repr=False)


@attrs.define
class _File:
    path: Path  # resolved, to recognise the same file however it is named
    shown: str  # as messages show it
    data: Any
    source: bytes


@attrs.define
class _Entry:
    """A node to scan: which file it is from, its pointer there and in the bundled document."""

    node: Any
    file: _File
    pointer: str
    root_pointer: str
    unit_kind: str | None  # the kind of the bundled unit it starts, for a ref at its top


class Bundler:
    """Rewrites the external ``$ref`` s of a loaded document, in place."""

    def __init__(self, path: Path, data: dict[str, Any], source: bytes, limits: Limits) -> None:
        self.limits = limits
        self.root = _File(real_path(path), str(path), data, source)
        self.reach = Path(limits.ref_root) if limits.ref_root else self.root.path.parent
        self.files: dict[Path, _File] = {self.root.path: self.root}
        self.bytes_read = len(source)
        self.placed: dict[tuple[Path, str], str] = {}  # (file, pointer) -> "#/components/.."
        self.claimed: dict[tuple[str, str], tuple[Path, str]] = {}
        self.origins: dict[str, Origin] = {}
        self.warnings: list[Problem] = []
        self.pending: list[_Entry] = []
        self.seen: set[int] = set()

    def run(self) -> dict[str, Origin]:
        """Bundle everything the document refers to; the origins of what was bundled."""
        self.pending.append(_Entry(self.root.data, self.root, "", "", None))
        while self.pending:
            entry = self.pending.pop()
            if id(entry.node) in self.seen:
                continue
            self.seen.add(id(entry.node))
            if isinstance(entry.node, dict):
                entry = self._rewrite(entry)
                items: Any = entry.node.items()
            elif isinstance(entry.node, list):
                items = enumerate(entry.node)
            else:
                continue
            children = [
                _Entry(
                    value,
                    entry.file,
                    pointer_join(entry.pointer, key),
                    pointer_join(entry.root_pointer, key),
                    None,
                )
                for key, value in items
                if isinstance(value, dict | list)
            ]
            self.pending.extend(reversed(children))
        return self.origins

    # -- one $ref ----------------------------------------------------------------------------

    def _rewrite(self, entry: _Entry) -> _Entry:
        """Rewrite the ``$ref`` of ``entry.node``; a path item is replaced by its target."""
        for _ in range(_MAX_CHAIN):
            ref = entry.node.get("$ref")
            if not isinstance(ref, str) or (ref.startswith("#") and entry.file is self.root):
                return entry
            file, fragment = self._target(entry, ref)
            if file is self.root:
                entry.node["$ref"] = "#" + fragment
                return entry
            if self._is_path_item(entry):
                entry = self._inline(entry, file, fragment)
                continue
            entry.node["$ref"] = self._place(entry, file, fragment)
            return entry
        raise self._error(entry, f"$ref {entry.node.get('$ref')!r}: too many path item refs")

    def _target(self, entry: _Entry, ref: str) -> tuple[_File, str]:
        if ref.startswith("#"):
            return entry.file, _fragment(ref[1:], entry, self)
        if _URL.match(ref):
            kind = "remote" if ref.lower().startswith(("http:", "https:")) else "non-file"
            message = f"{kind} $ref {ref!r} is not supported: nothing is fetched; "
            message += "save the file beside the spec and refer to it by a relative path"
            raise self._error(entry, message)
        location, _, fragment = ref.partition("#")
        path = entry.file.path.parent / unquote(location)
        shown = os.path.normpath(Path(entry.file.shown).parent / unquote(location))
        return self._file(entry, path, shown), _fragment(fragment, entry, self)

    def _file(self, entry: _Entry, path: Path, shown: str) -> _File:
        from .load import read_source
        from .yamlread import parse

        resolved = real_path(path)
        known = self.files.get(resolved)
        if known is not None:
            return known
        refused = check_reach(resolved, self.reach)
        if refused is not None:
            message = f"$ref {entry.node['$ref']!r}: {shown}: not read: {refused} "
            raise self._error(entry, message + "(--ref-root widens it)")
        try:
            source = read_source(path, self.limits)
        except GeneratorError as error:
            reason = error.problems[0].message if error.problems else "cannot read it"
            raise self._error(entry, f"$ref {entry.node['$ref']!r}: {shown}: {reason}") from None
        self.bytes_read += len(source)
        if self.bytes_read > self.limits.max_input_bytes:
            limit = describe("max_input_bytes", self.limits.max_input_bytes)
            message = f"the files this spec refers to are more than the limit of {limit} together"
            raise self._error(entry, message)
        parsed = parse(source, shown, self.limits)
        self.warnings.extend(parsed.warnings)
        file = self.files[resolved] = _File(resolved, shown, parsed.data, source)
        return file

    def _place(self, entry: _Entry, file: _File, fragment: str) -> str:
        """The local ref for (file, fragment), bundling its component the first time."""
        parts = pointer_parts(fragment)
        rest: list[str] = []
        if len(parts) > 3 and parts[0] == "components" and parts[1] in COMPONENT_KINDS:
            parts, rest = parts[:3], parts[3:]
        unit = pointer_join("", *parts)
        local = self.placed.get((file.path, unit))
        if local is None:
            local = self._bundle_unit(entry, file, unit, parts)
        return pointer_join(local, *rest) if rest else local

    def _bundle_unit(self, entry: _Entry, file: _File, unit: str, parts: list[str]) -> str:
        target = _resolve_in(file.data, parts)
        if target is _MISSING:
            where = f"{file.shown}#{unit}" if unit else file.shown
            raise self._error(entry, f"$ref {entry.node['$ref']!r} points to nothing ({where})")
        if len(parts) == 3 and parts[0] == "components" and parts[1] in COMPONENT_KINDS:
            kind, name = parts[1], parts[2]
        else:
            found = self._kind_at(entry)
            name = parts[-1] if parts else Path(file.shown).name.split(".")[0]
            if found is None:
                message = f"cannot tell which kind of component $ref {entry.node['$ref']!r} is; "
                message += "refer to it from components/<kind>/<name> or from a schema"
                raise self._error(entry, message)
            kind = found
        name = _NAME_UNSAFE.sub("_", name) or "_"
        section = self._section(entry, kind)
        local = pointer_join("#/components", kind, name)
        claim = self.claimed.get((kind, name))
        existing = section.get(name, _MISSING)
        if existing is not _MISSING and existing is not target and existing != target:
            owner = f"{self.files[claim[0]].shown}#{claim[1]}" if claim else self.root.shown
            message = (
                f"$ref {entry.node['$ref']!r} would be bundled as {local}, which already holds "
                f"a different {kind[:-1] if kind.endswith('s') else kind} (from {owner}); "
                "rename one of them"
            )
            raise self._error(entry, message)
        self.placed[(file.path, unit)] = local
        if existing is _MISSING:
            section[name] = target
            self.claimed[(kind, name)] = (file.path, unit)
            root_pointer = local.removeprefix("#")
            self.origins[root_pointer] = Origin(file.shown, unit, file.source)
            self.pending.append(_Entry(target, file, unit, root_pointer, kind))
        return local

    def _inline(self, entry: _Entry, file: _File, fragment: str) -> _Entry:
        target = _resolve_in(file.data, pointer_parts(fragment))
        if not isinstance(target, dict):
            message = f"$ref {entry.node['$ref']!r} must lead to a path item (a mapping)"
            raise self._error(entry, message)
        siblings = {k: v for k, v in entry.node.items() if k in ("summary", "description")}
        entry.node.clear()
        entry.node.update(target)
        entry.node.update(siblings)
        self.origins[entry.root_pointer] = Origin(file.shown, fragment, file.source)
        return _Entry(entry.node, file, fragment, entry.root_pointer, "pathItems")

    # -- where a $ref is ---------------------------------------------------------------------

    def _kind_at(self, entry: _Entry) -> str | None:
        """The component kind a ``$ref`` at ``entry`` stands for, from the keys around it."""
        parts = pointer_parts(entry.pointer)
        if not parts or entry.unit_kind is not None:
            return entry.unit_kind
        last, parent = parts[-1], parts[-2] if len(parts) > 1 else None
        if last in _SCHEMA_ONE or parent in _SCHEMA_MAPS or parent in _SCHEMA_LISTS:
            return "schemas"
        if parent == "parameters":
            return "parameters"
        if last == "requestBody":
            return "requestBodies"
        if parent is not None and parent in _MAP_KINDS:
            return _MAP_KINDS[parent]
        return None

    def _is_path_item(self, entry: _Entry) -> bool:
        if entry.unit_kind == "pathItems":  # an inlined path item that is a $ref again
            return True
        parts = pointer_parts(entry.pointer)
        return (len(parts) == 2 and parts[0] in ("paths", "webhooks")) or (
            len(parts) >= 3 and parts[-3] == "callbacks"
        )

    def _section(self, entry: _Entry, kind: str) -> dict[str, Any]:
        components = self.root.data.setdefault("components", {})
        section = components.setdefault(kind, {}) if isinstance(components, dict) else None
        if not isinstance(section, dict):
            message = f"cannot bundle $ref {entry.node['$ref']!r}: components/{kind} "
            raise self._error(entry, message + "is not a mapping")
        return section

    def _error(self, entry: _Entry, message: str) -> GeneratorError:
        return GeneratorError([self.problem(entry, message)])

    def problem(self, entry: _Entry, message: str) -> Problem:
        from .load import line_of

        pointer = entry.pointer
        return Problem(entry.file.shown, pointer, message, line_of(entry.file.source, pointer))


_MISSING: Any = object()


def _fragment(fragment: str, entry: _Entry, bundler: Bundler) -> str:
    fragment = unquote(fragment)
    if fragment and not fragment.startswith("/"):
        message = f"$ref {entry.node['$ref']!r}: only JSON pointer fragments (#/...) are supported"
        raise bundler._error(entry, message)
    return fragment


def _resolve_in(data: Any, parts: list[str]) -> Any:
    node = data
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node
