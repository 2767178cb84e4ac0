"""Bundle ``$ref`` s to other local files into the document, so that only ``#/...`` refs remain.

``other.yaml#/components/schemas/Pet`` and ``./schemas/pet.json`` are read (relative to the
file that refers to them, with the same limits as the spec) and copied into the document's
``components``; the ``$ref`` is rewritten to point there. Rules:

* A target at ``#/components/<kind>/<Name>`` keeps its kind and name; a ref deeper into a
  component brings the whole component and points inside it. Any other target is named after
  the last part of its pointer, or after its file (``pet.json`` -> ``pet``,
  ``goal.v1.schema.json`` -> ``goal.v1.schema``), and its kind comes from where the ``$ref``
  is (a ``schema``, a ``parameters`` entry, ...).
* A component that is only a ``$ref`` (``Pet: {$ref: pet.yaml}``, or ``BearerAuth`` referring
  to its twin of the same name in another file) takes what it refers to in its own place, under
  its own name, when that is not bundled yet.
* A name already taken: the same content (its references leading to the same things) is the
  same component, shared. Different content gets a distinct name from its file's path
  (``types.yaml``'s ``DateTime`` -> ``types_DateTime``, then with the folders above), with a
  warning; never an error.
* Path items (``paths``, ``webhooks``, callbacks), a whole ``components/<kind>`` map given by
  a ``$ref`` to an index file, and anything else that is no component are inlined where they
  are referred to.
* Text: a ``$ref`` where OpenAPI allows only text (a ``description`` or ``summary``) or inside
  an extension (``x-codeSamples[].source``) is replaced by the file's text (a YAML or JSON
  file's value at the fragment), with a warning; when it cannot be read it is dropped, with a
  warning.
* Refs inside a bundled file are relative to that file, and are bundled the same way; each
  (file, pointer) is bundled once, so cycles across files end.
* A file that does not exist, or a pointer to nothing in another file, is a warning: the
  ``$ref`` stays as written and what depends on it is left out when the client is built.
* Refused (an error at the ``$ref``): ``http://`` and other URLs (nothing is fetched); a file
  outside the spec's folder (symlinks followed), or outside ``--ref-root`` when it is given
  (a spec cannot make the generator read the user's other files); a file that is not a
  regular file, too large, or not YAML or JSON.

Problems in a bundled file are located in that file; :attr:`Document.origins` remembers where
each bundled component came from for the problems found later.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import attrs

from ..errors import MISSING, GeneratorError, Problem, lookup, pointer_join, pointer_parts
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
# Maps whose keys are names (of properties, components, media types, ...): a key there that
# reads ``description`` or ``x-...`` is a name, not prose or an extension.
_NAME_MAPS = (
    _SCHEMA_MAPS
    | COMPONENT_KINDS
    | frozenset(("paths", "webhooks", "content", "encoding", "variables", "mapping", "scopes"))
)
_PROSE = frozenset(("description", "summary"))
_STRUCTURED = (".yaml", ".yml", ".json")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_CHAIN = 64
_MAX_COMPARED = 100_000  # node pairs compared to tell whether two components are the same


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
    """A node to scan: which file it is from, its pointer there and in the bundled document,
    and the container that holds it (to replace it by text)."""

    node: Any
    file: _File
    pointer: str
    root_pointer: str
    unit_kind: str | None  # the kind of the bundled unit it starts, for a ref at its top
    parent: Any = None
    key: Any = None


class _Unresolved(Exception):
    """A ``$ref`` to a file that does not exist, or to nothing in a file: a warning."""


class _Refused(Exception):
    """A file that may not, or cannot, be read: an error at the ``$ref`` that names it."""


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
        self.rewritten: dict[int, tuple[Path, str]] = {}  # id of a ref node -> its target
        self.unresolved: set[int] = set()  # ids of ref nodes that lead nowhere (warned)
        self.variants: dict[tuple[str, str], list[str]] = {}  # (kind, name) -> names given
        self.origins: dict[str, Origin] = {}
        self.warnings: list[Problem] = []
        self.pending: list[_Entry] = []
        self.seen: set[int] = set()

    def run(self) -> dict[str, Origin]:
        """Bundle everything the document refers to; the origins of what was bundled."""
        self.pending.append(_Entry(self.root.data, self.root, "", "", None))
        # The root's components go first: a whole map given by a $ref to an index file, then
        # each component that is only a $ref, so that what they refer to is bundled under
        # the names the root gives it.
        for entry in reversed(list(self._root_component_refs())):
            found = self._rewrite(entry)
            if found is not None:
                self.pending.append(found)
        while self.pending:
            entry = self.pending.pop()
            if id(entry.node) in self.seen:
                continue
            if isinstance(entry.node, dict):
                found = self._rewrite(entry)
                if found is None:
                    continue
                entry = found
                if id(entry.node) in self.seen:
                    continue
                items: Any = entry.node.items()
            elif isinstance(entry.node, list):
                items = enumerate(entry.node)
            else:
                continue
            self.seen.add(id(entry.node))
            children = [
                _Entry(
                    value,
                    entry.file,
                    pointer_join(entry.pointer, key),
                    pointer_join(entry.root_pointer, key),
                    None,
                    entry.node,
                    key,
                )
                for key, value in items
                if isinstance(value, dict | list)
            ]
            self.pending.extend(reversed(children))
        return self.origins

    def _root_component_refs(self) -> Iterator[_Entry]:
        components = self.root.data.get("components")
        for kind, section in list((components if isinstance(components, dict) else {}).items()):
            if kind not in COMPONENT_KINDS or not isinstance(section, dict):
                continue
            where = pointer_join("/components", kind)
            entry = _Entry(section, self.root, where, where, None, components, kind)
            if isinstance(section.get("$ref"), str):
                found = self._rewrite(entry)
                if found is None or not isinstance(found.node, dict):
                    continue
                entry = found
                self.pending.append(entry)
            for name, node in list(entry.node.items()):
                ref = node.get("$ref") if isinstance(node, dict) else None
                if isinstance(ref, str) and (entry.file is not self.root or ref[:1] != "#"):
                    yield _Entry(
                        node,
                        entry.file,
                        pointer_join(entry.pointer, name),
                        pointer_join(where, name),
                        kind,
                        entry.node,
                        name,
                    )

    # -- one $ref ----------------------------------------------------------------------------

    def _rewrite(self, entry: _Entry) -> _Entry | None:
        """Rewrite the ``$ref`` of ``entry.node``; what it inlines is scanned in its place.
        None when the node was replaced by text (or dropped)."""
        for _ in range(_MAX_CHAIN):
            node = entry.node
            ref = node.get("$ref")
            if (
                not isinstance(ref, str)
                or id(node) in self.rewritten
                or id(node) in self.unresolved
            ):
                return entry
            if ref.startswith("#") and entry.file is self.root:
                return entry
            if self._text_place(entry):
                return self._text(entry, ref)
            try:
                file, fragment = self._target(entry, ref)
                if file is self.root:
                    node["$ref"] = "#" + fragment
                    self.rewritten[id(node)] = (file.path, fragment)
                    return entry
                if self._inlined_here(entry):
                    entry = self._inline(entry, file, fragment)
                    continue
                if self._takes_its_place(entry, file, fragment):
                    entry = self._inline(entry, file, fragment, place=True)
                    continue
                local = self._place(entry, file, fragment)
            except _Unresolved as unresolved:
                message = f"left out: {unresolved}"
                self.warnings.append(self.problem(entry, message).as_warning())
                self.unresolved.add(id(node))
                return entry
            if local == "#" + entry.root_pointer:  # it would refer to itself: take its place
                entry = self._inline(entry, file, fragment)
                continue
            node["$ref"] = local
            self.rewritten[id(node)] = (file.path, fragment)
            return entry
        raise self._error(entry, f"$ref {entry.node.get('$ref')!r}: too many $refs in a chain")

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
        ref = entry.node["$ref"]
        try:
            return self._load(path, shown)
        except _Unresolved as missing:
            raise _Unresolved(f"$ref {ref!r} points to nothing ({missing})") from None
        except _Refused as refused:
            raise self._error(entry, f"$ref {ref!r}: {shown}: {refused}") from None

    def _load(self, path: Path, shown: str) -> _File:
        """A referenced file, read and parsed once; :class:`_Unresolved` when it does not
        exist, :class:`_Refused` when it may not or cannot be read (a parse error is located
        in it)."""
        from .yamlread import parse

        resolved = real_path(path)
        known = self.files.get(resolved)
        if known is not None:
            return known
        source = self._read(resolved, path, shown)
        parsed = parse(source, shown, self.limits)
        self.warnings.extend(parsed.warnings)
        file = self.files[resolved] = _File(resolved, shown, parsed.data, source)
        return file

    def _read(self, resolved: Path, path: Path, shown: str) -> bytes:
        from .load import read_source

        refused = check_reach(resolved, self.reach)
        if refused is not None:
            raise _Refused(f"not read: {refused} (--ref-root widens it)")
        if not os.path.lexists(path) or not os.path.exists(resolved):
            raise _Unresolved(f"{shown} does not exist")
        try:
            source = read_source(path, self.limits)
        except GeneratorError as error:
            reason = error.problems[0].message if error.problems else "cannot read it"
            raise _Refused(reason) from None
        self.bytes_read += len(source)
        if self.bytes_read > self.limits.max_input_bytes:
            limit = describe("max_input_bytes", self.limits.max_input_bytes)
            raise _Refused(
                f"the files this spec refers to are more than the limit of {limit} together"
            )
        return source

    def _place(self, entry: _Entry, file: _File, fragment: str) -> str:
        """The local ref for (file, fragment), bundling its component the first time."""
        unit, rest = _unit(fragment)
        whole = self.placed.get((file.path, ""))
        if unit and not rest and whole is not None:  # inside a file bundled whole
            return pointer_join(whole, *pointer_parts(unit))
        local = self.placed.get((file.path, unit))
        if local is None:
            local = self._bundle_unit(entry, file, unit)
        return pointer_join(local, *rest) if rest else local

    def _bundle_unit(self, entry: _Entry, file: _File, unit: str) -> str:
        parts = pointer_parts(unit)
        target = lookup(file.data, parts)
        if target is MISSING:
            where = f"{file.shown}#{unit}" if unit else file.shown
            raise _Unresolved(f"$ref {entry.node['$ref']!r} points to nothing ({where})")
        if len(parts) == 3 and parts[0] == "components" and parts[1] in COMPONENT_KINDS:
            kind, name = parts[1], parts[2]
        else:
            found = self._kind_at(entry)
            if found is None:  # not a component: unreachable, _takes_its_place inlines it
                raise self._error(entry, f"cannot bundle $ref {entry.node['$ref']!r} here")
            kind = found
            name = parts[-1] if parts else _stem(file.shown)
        name = _NAME_UNSAFE.sub("_", name) or "_"
        section = self._section(entry, kind)
        wanted = name
        # Those bundled under this name before (renamed or not) first: identical content is
        # the same component, whichever name it got.
        earlier = self.variants.setdefault((kind, wanted), [])
        names = [*earlier, *self._names(file, unit, wanted, self._owner_file(kind, wanted))]
        for name in dict.fromkeys(names):
            existing = section.get(name, MISSING)
            if existing is MISSING or existing is target:
                break
            if self._same(existing, self._owner_file(kind, name), target, file):
                break
        else:
            raise self._error(entry, f"no free name to bundle $ref {entry.node['$ref']!r} as")
        local = pointer_join("#/components", kind, name)
        if name != wanted and name not in section:
            claim = self.claimed.get((kind, wanted))
            owner = f"{self.files[claim[0]].shown}#{claim[1]}" if claim else self.root.shown
            where = f"{file.shown}#{unit}" if unit else file.shown
            singular = kind[:-1] if kind.endswith("s") else kind
            message = (
                f"{where} is bundled as {local}: #/components/{kind}/{wanted} already holds "
                f"a different {singular} (from {owner})"
            )
            self.warnings.append(self.problem(entry, message).as_warning())
        self.placed[(file.path, unit)] = local
        if name not in earlier:
            earlier.append(name)
        if name not in section:
            section[name] = target
            self.claimed[(kind, name)] = (file.path, unit)
            root_pointer = local.removeprefix("#")
            self.origins[root_pointer] = Origin(file.shown, unit, file.source)
            self.pending.append(_Entry(target, file, unit, root_pointer, kind, section, name))
        return local

    def _names(self, file: _File, unit: str, name: str, owner: _File) -> list[str]:
        """The names a component may take, best first: its own; then qualified by a word of
        its file's path that the path of the owner of its name lacks (``legacy/types.yaml``'s
        ``DateTime`` beside ``common/types.yaml``'s: ``legacy_DateTime``); then by its file's
        path, nearest part first; then by a digest of its file and pointer."""
        words = self._path_words(file)
        theirs = set(self._path_words(owner))
        names = [name]
        names += [f"{word}_{name}" for word in reversed(words) if word not in theirs | {name}]
        for count in range(1, len(words) + 1):
            prefix = words[-count:]
            names.append("_".join(prefix if prefix[-1] == name else [*prefix, name]))
        relative = "/".join(words)
        digest = hashlib.sha256(f"{relative}#{unit}".encode()).hexdigest()[:8]
        names.append(f"{name}_{digest}")
        return list(dict.fromkeys(names))

    def _path_words(self, file: _File) -> list[str]:
        """A file's path relative to the spec's folder, as name parts without extension."""
        try:
            relative = file.path.relative_to(self.root.path.parent)
        except ValueError:
            relative = Path(*file.path.parts[1:])
        parts = [*relative.parent.parts, _stem(relative.name)]
        return [_NAME_UNSAFE.sub("_", part) for part in parts if part not in ("", ".", "..")]

    def _owner_file(self, kind: str, name: str) -> _File:
        claim = self.claimed.get((kind, name))
        return self.files[claim[0]] if claim else self.root

    def _takes_its_place(self, entry: _Entry, file: _File, fragment: str) -> bool:
        """Whether a ``$ref`` takes in what it refers to where it is: a component that is
        only a ``$ref`` to what is not bundled yet, or a ``$ref`` that is no component."""
        if self._kind_at(entry) is None:
            return True
        parts = pointer_parts(entry.root_pointer)
        own = len(parts) == 3 and parts[0] == "components" and parts[1] in COMPONENT_KINDS
        only_ref = set(entry.node) <= {"$ref", "description", "summary"}
        if not (own and only_ref and isinstance(entry.parent, dict)):
            return False
        unit, rest = _unit(fragment)
        return not rest and (file.path, unit) not in self.placed

    def _inline(self, entry: _Entry, file: _File, fragment: str, *, place: bool = False) -> _Entry:
        """The node replaced by what it refers to, which is then scanned as part of its file;
        with ``place``, that is where its unit is bundled from now on."""
        target = lookup(file.data, pointer_parts(fragment))
        if target is MISSING:
            where = f"{file.shown}#{fragment}" if fragment else file.shown
            raise _Unresolved(f"$ref {entry.node['$ref']!r} points to nothing ({where})")
        if not isinstance(target, dict):
            if isinstance(entry.parent, dict | list) and target is not None:
                entry.parent[entry.key] = target
                self.origins[entry.root_pointer] = Origin(file.shown, fragment, file.source)
                return _Entry(target, file, fragment, entry.root_pointer, None)
            message = f"$ref {entry.node['$ref']!r} must lead to a mapping here"
            raise self._error(entry, message)
        siblings = {k: v for k, v in entry.node.items() if k in _PROSE}
        entry.node.clear()
        entry.node.update(target)
        entry.node.update(siblings)
        self.origins[entry.root_pointer] = Origin(file.shown, fragment, file.source)
        kind = self._kind_at(entry) or entry.unit_kind
        if place:
            unit, _ = _unit(fragment)
            self.placed[(file.path, unit)] = "#" + entry.root_pointer
            parts = pointer_parts(entry.root_pointer)
            self.claimed[(parts[1], parts[2])] = (file.path, unit)
        if self._is_path_item(entry):
            kind = "pathItems"
        return _Entry(entry.node, file, fragment, entry.root_pointer, kind, entry.parent, entry.key)

    # -- text --------------------------------------------------------------------------------

    def _text_place(self, entry: _Entry) -> bool:
        """Whether a ``$ref`` sits where OpenAPI allows only text, or in an extension."""
        parts = pointer_parts(entry.root_pointer)
        for index, part in enumerate(parts):
            named = index > 0 and parts[index - 1] in _NAME_MAPS
            if part.startswith("x-") and not named:
                return True
        last = parts[-1] if parts else ""
        return last in _PROSE and not (len(parts) > 1 and parts[-2] in _NAME_MAPS)

    def _text(self, entry: _Entry, ref: str) -> _Entry | None:
        """The node replaced by the text (or value) it refers to; dropped when unreadable."""
        what = "where OpenAPI allows only text" if _PROSE & {entry.key} else "in an extension"
        try:
            value, file, fragment = self._text_of(entry, ref)
        except (_Unresolved, _Refused, GeneratorError) as failed:
            reason = failed.problems[0].message if isinstance(failed, GeneratorError) else failed
            message = f"$ref {ref!r} {what}: dropped ({reason})"
            self.warnings.append(self.problem(entry, message).as_warning())
            _drop(entry)
            return None
        if isinstance(entry.parent, dict | list):
            entry.parent[entry.key] = value
        shown = f"{file.shown}#{fragment}" if fragment else file.shown
        message = f"$ref {ref!r} {what}: the content of {shown} is inlined"
        self.warnings.append(self.problem(entry, message).as_warning())
        if isinstance(value, dict | list):
            return _Entry(value, file, fragment, entry.root_pointer, None, entry.parent, entry.key)
        return None

    def _text_of(self, entry: _Entry, ref: str) -> tuple[Any, _File, str]:
        if ref.startswith("#") or (Path(ref.partition("#")[0]).suffix.lower() in _STRUCTURED):
            file, fragment = self._target(entry, ref)
            value = lookup(file.data, pointer_parts(fragment))
            if value is MISSING:
                raise _Unresolved(f"points to nothing in {file.shown}")
            return value, file, fragment
        if _URL.match(ref):
            raise _Unresolved("nothing is fetched")
        location = unquote(ref.partition("#")[0])
        path = entry.file.path.parent / location
        shown = os.path.normpath(Path(entry.file.shown).parent / location)
        source = self._read(real_path(path), path, shown)
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _Unresolved(f"{shown} is not UTF-8 text") from None
        return text, _File(real_path(path), shown, text, source), ""

    # -- the same content --------------------------------------------------------------------

    def _same(self, a: Any, a_file: _File, b: Any, b_file: _File) -> bool:
        """Whether two nodes mean the same: equal, with each ``$ref`` leading to the same
        thing (compared the same way; a pair met again is taken as the same)."""
        pending = [(a, a_file, b, b_file)]
        assumed: set[tuple[int, int]] = set()
        while pending:
            x, x_file, y, y_file = pending.pop()
            x, x_file = self._follow(x, x_file)
            y, y_file = self._follow(y, y_file)
            if x is y:
                continue
            if (id(x), id(y)) in assumed:
                continue
            assumed.add((id(x), id(y)))
            if len(assumed) > _MAX_COMPARED:
                return False
            if isinstance(x, dict) and isinstance(y, dict):
                if x.keys() != y.keys():
                    return False
                for key in x:
                    if key == "$ref":
                        tx, ty = self._ref_target(x, x_file), self._ref_target(y, y_file)
                        if tx is None or ty is None:
                            if tx is not None or ty is not None or x[key] != y[key]:
                                return False
                            continue
                        pending.append((tx[0], tx[1], ty[0], ty[1]))
                    else:
                        pending.append((x[key], x_file, y[key], y_file))
            elif isinstance(x, list) and isinstance(y, list):
                if len(x) != len(y):
                    return False
                pending.extend((p, x_file, q, y_file) for p, q in zip(x, y, strict=True))
            elif type(x) is not type(y) or x != y:
                return False
        return True

    def _follow(self, node: Any, file: _File) -> tuple[Any, _File]:
        """What a node that is only a ``$ref`` leads to (the node itself when it leads nowhere)."""
        for _ in range(_MAX_CHAIN):
            if not (isinstance(node, dict) and set(node) == {"$ref"}):
                break
            found = self._ref_target(node, file)
            if found is None:
                break
            node, file = found
        return node, file

    def _ref_target(self, node: dict[str, Any], file: _File) -> tuple[Any, _File] | None:
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return None
        target = self.rewritten.get(id(node))
        if target is not None:
            known = self.files.get(target[0])
            if known is None:
                return None
            file, fragment = known, target[1]
        elif ref.startswith("#"):
            fragment = unquote(ref[1:])
        elif _URL.match(ref):
            return None
        else:
            location, _, fragment = ref.partition("#")
            path = file.path.parent / unquote(location)
            try:
                file = self._load(path, str(path))
            except (_Unresolved, _Refused, GeneratorError):
                return None
            fragment = unquote(fragment)
        value = lookup(file.data, pointer_parts(fragment))
        return None if value is MISSING else (value, file)

    # -- where a $ref is ---------------------------------------------------------------------

    def _kind_at(self, entry: _Entry) -> str | None:
        """The component kind a ``$ref`` at ``entry`` stands for, from the keys around it."""
        if entry.unit_kind is not None:
            return entry.unit_kind
        parts = pointer_parts(entry.root_pointer)
        if len(parts) == 3 and parts[0] == "components" and parts[1] in COMPONENT_KINDS:
            return parts[1]
        parts = pointer_parts(entry.pointer)
        if not parts:
            return None
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

    def _inlined_here(self, entry: _Entry) -> bool:
        """Path items, and a whole ``components/<kind>`` map, are inlined where they are."""
        if entry.unit_kind == "pathItems" and not self._is_component(entry):
            return True
        parts = pointer_parts(entry.root_pointer)
        if len(parts) == 2 and parts[0] == "components" and parts[1] in COMPONENT_KINDS:
            return True
        return self._is_path_item(entry)

    def _is_component(self, entry: _Entry) -> bool:
        parts = pointer_parts(entry.root_pointer)
        return len(parts) == 3 and parts[0] == "components"

    def _is_path_item(self, entry: _Entry) -> bool:
        parts = pointer_parts(entry.root_pointer)
        return (len(parts) == 2 and parts[0] in ("paths", "webhooks")) or (
            len(parts) >= 3 and parts[-3] == "callbacks"
        )

    def _section(self, entry: _Entry, kind: str) -> dict[str, Any]:
        if self.root.data.get("components") is None:  # absent, or null: a map to bundle into
            self.root.data["components"] = {}
        components = self.root.data["components"]
        if isinstance(components, dict) and components.get(kind) is None:
            components[kind] = {}
        section = components.get(kind) if isinstance(components, dict) else None
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


def _fragment(fragment: str, entry: _Entry, bundler: Bundler) -> str:
    fragment = unquote(fragment)
    if fragment and not fragment.startswith("/"):
        message = f"$ref {entry.node['$ref']!r}: only JSON pointer fragments (#/...) are supported"
        raise bundler._error(entry, message)
    return fragment


def _unit(fragment: str) -> tuple[str, list[str]]:
    """The bundled unit a fragment is in (a whole component, or the fragment itself), and
    the rest of the fragment inside it."""
    parts = pointer_parts(fragment)
    if len(parts) > 3 and parts[0] == "components" and parts[1] in COMPONENT_KINDS:
        return pointer_join("", *parts[:3]), parts[3:]
    return pointer_join("", *parts), []


def _stem(name: str) -> str:
    """A file's name without its YAML or JSON extension: ``goal.v1.schema.json`` ->
    ``goal.v1.schema``, ``game.json.yaml`` -> ``game.json``."""
    base = Path(name).name
    for suffix in _STRUCTURED:
        if base.lower().endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)]
    return base


def _drop(entry: _Entry) -> None:
    if isinstance(entry.parent, dict):
        entry.parent.pop(entry.key, None)
    elif isinstance(entry.parent, list):
        entry.parent[entry.key] = None
