"""Cut operations, and everything they reach, out of a full OpenAPI document.

``python -m generator slice FULL_SPEC --operation ID [ID2 ...] [--overlay FILE] [-o OUT]``

The slice is a standalone document that validates on its own. It keeps:

* ``openapi``, ``$self``, ``info``, ``jsonSchemaDialect``, ``servers`` and ``externalDocs``;
* the requested operations, each at its own path (or webhook) with only its own method; the
  path item's shared fields (``parameters``, ``servers``, ``summary``, ...) come along;
* every component reached from them, transitively: through ``$ref`` (schemas, parameters,
  responses, requestBodies, headers, examples, links, callbacks, pathItems, ...), through
  ``discriminator.mapping`` values, and through security requirements (the operation's own
  ``security``, or the document's when the operation has none);
* the top-level ``security`` when a kept operation has no ``security`` of its own, and the
  top-level ``tags`` entries that kept operations name (with their 3.2 ``parent`` tags).

Top-level ``x-`` extensions and everything unreached are dropped. Keys keep their source
order, so the output is a pure function of the input.

Decisions:

* Only what is reachable is checked. The full input is never validated (openapi-spec-validator
  needs many seconds on a multi-megabyte document); a ``$ref`` that is reachable from the kept
  operations and points nowhere (or outside the document) is an error, the rest of the input is
  not looked at. The small result is then validated with :func:`generator.load.check_document`.
* A ``$ref`` into ``#/components/<kind>/<name>[/...]`` keeps that whole component.
* A ``$ref`` to any other place is left alone when its target is kept anyway (inside a kept
  operation, a kept path item's shared fields, ``info``, ...), and is otherwise **inlined**: the
  reference object is replaced by a copy of its target, itself sliced the same way. So the slice
  never grows operations nobody asked for. Siblings of an inlined ``$ref``: ``summary`` and
  ``description`` override the target's (the Reference Object rule); any other keyword means a
  JSON Schema with ``$ref`` beside keywords, which becomes ``allOf: [target]`` beside them
  (in OpenAPI 3.0 siblings of ``$ref`` are ignored, so they are dropped). A target that refers
  back to itself cannot be inlined: that is an error asking to move it to ``components``.
* A path item that is itself a ``$ref`` (to another path, a webhook or
  ``components/pathItems``) is kept as it is, and the path item it leads to is trimmed to the
  kept methods, like a plain one.
* ``links`` are kept as written; their ``operationId``/``operationRef`` are not followed (they
  name other operations, which a slice does not contain unless asked for).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import yaml

from ..errors import GeneratorError, Problem, pointer_join, pointer_parts, print_problems
from ..pipeline import limits as _limits
from ..pipeline.docview import item_operations, parts_of, trace
from ..pipeline.load import (
    Document,
    check_document,
    line_of,
    parse_source,
    read_source,
    resolve_pointer,
)
from ..pipeline.yamlread import parse

__all__ = ["main", "render", "slice_checked", "slice_document", "slice_file", "write_atomic"]

_TOP_LEVEL_KEPT = ("openapi", "$self", "info", "jsonSchemaDialect", "servers", "externalDocs")
_PATH_ITEM_HOMES = ("paths", "webhooks")
_MAX_PATH_ITEM_CHAIN = 32
_SHOWN_OPERATION_IDS = 10

Parts = tuple[Any, ...]  # JSON pointer parts as dictionary keys / list indexes

_COMPONENT = "component"  # the target lies in a component: keep the component
_KEPT = "kept"  # the target lies in the kept part anyway: leave the $ref alone
_INLINE = "inline"  # the target lies elsewhere: replace the reference by a copy


def slice_document(
    data: dict[str, Any], operation_ids: Sequence[str], *, filename: str = "<document>"
) -> dict[str, Any]:
    """The standalone part of ``data`` that the operations ``operation_ids`` need.

    Raises :class:`GeneratorError` (problems located in ``filename``) for an unknown or
    duplicated operationId, and for dangling, external or un-inlinable references reachable
    from the kept operations. The input is not modified and shares no containers with the
    result. The result is not validated here: :func:`slice_file` does that.
    """
    return _Slicer(data, filename).run(operation_ids)


def slice_file(
    path: str | Path, operation_ids: Sequence[str], *, validate: bool = True
) -> dict[str, Any]:
    """Read a spec file (YAML or JSON), slice it, and check the slice (warnings dropped)."""
    return slice_checked(path, operation_ids, validate=validate)[0]


def slice_checked(
    path: str | Path,
    operation_ids: Sequence[str],
    *,
    validate: bool = True,
    strict: bool = False,
    overlays: Sequence[Path] = (),
) -> tuple[dict[str, Any], list[Problem]]:
    """Read a spec file, apply ``overlays`` to it, slice it, and check the slice: the slice
    and its warnings.

    Errors (dangling references, an unusable slice) raise :class:`GeneratorError`; so do
    warnings with ``strict``. Problems are located in the source file: a pointer into a
    copy that was inlined is followed back to where the copy came from.
    """
    path = Path(path)
    limits = _limits.current()
    source = read_source(path, limits)
    parsed = parse(source, str(path), limits)
    if not isinstance(parsed.data, dict):
        parse_source(source, str(path))  # raises the located "must be a mapping" error
    patched: list[Problem] = []
    if overlays:
        from ..pipeline.overlay import apply_overlays, read_overlays

        patched = apply_overlays(parsed.data, read_overlays(overlays), path.name)
    slicer = _Slicer(parsed.data, str(path))
    try:
        result = slicer.run(operation_ids)
    except GeneratorError as error:
        raise GeneratorError(_with_lines(error.problems, source)) from None
    except RecursionError:
        message = "the slice nests too deeply to build (inlined references within references)"
        raise GeneratorError([Problem(str(path), "", message)]) from None
    warnings = [*_with_lines(parsed.warnings, source), *patched]
    if validate:
        sliced = Document(path, result, b"")
        found = [slicer.locate(p, source) for p in check_document(sliced)]
        errors = [p for p in found if p.severity == "error"]
        warnings.extend(p for p in found if p.severity == "warning")
        if errors:
            raise GeneratorError([*warnings, *errors])
    if strict and warnings:
        raise GeneratorError([w.as_error() for w in warnings])
    return result, warnings


def render(data: dict[str, Any], *, as_json: bool = False) -> str:
    """The document as YAML (block style, source key order, unicode) or as indented JSON."""
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_WIDE,
    )
    return text


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    directory = path.parent
    try:
        mode = _mode_for(path)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise GeneratorError([Problem(str(path), "", f"cannot write: {exc.strerror}")]) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise GeneratorError(
                [Problem(str(path), "", f"cannot write: {exc.strerror}")]
            ) from None
        raise


def main(args: argparse.Namespace) -> int:
    """``slice`` subcommand: slice, validate, write (or print) the result."""
    output: Path | None = args.output
    result, warnings = slice_checked(
        args.spec,
        args.operation,
        strict=getattr(args, "strict", False),
        overlays=getattr(args, "overlay", None) or (),
    )
    print_problems(warnings)
    text = render(result, as_json=output is not None and output.suffix.lower() == ".json")
    if output is None:
        sys.stdout.write(text)
        return 0
    write_atomic(output, text)
    components = result.get("components")
    count = sum(len(v) for v in components.values() if isinstance(v, dict)) if components else 0
    operations = len(dict.fromkeys(args.operation))
    print(f"wrote {output}: {operations} operation(s), {count} component(s)", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------------------------
# Slicing


class _Leaf:
    """A kept node of the output skeleton, copied (sliced) from the source when emitted."""

    __slots__ = ("node", "parts")

    def __init__(self, node: Any, parts: Parts) -> None:
        self.node = node
        self.parts = parts


class _Slicer:
    def __init__(self, data: dict[str, Any], filename: str) -> None:
        self.data = data
        self.filename = filename
        self.problems: list[Problem] = []
        components = data.get("components")
        self.components: dict[str, Any] = components if isinstance(components, dict) else {}
        # Output skeleton, as regions: pointer parts -> leaf.
        self.regions: dict[Parts, _Leaf] = {}
        # Non-component places that are kept: prefixes (everything below is kept) and exact
        # path items (only their shared fields and kept methods are kept).
        self.kept_prefixes: set[tuple[str, ...]] = set()
        self.kept_path_items: set[tuple[str, ...]] = set()
        self.kept_components: set[Parts] = set()
        self.followed: dict[str, str | None] = {}  # $ref -> kind, None when dangling
        self.kinds: dict[str, str] = {}
        self.pending: list[tuple[Any, Parts, bool]] = []
        self.version = ""
        # Where inlined copies sit (source pointer parts of the reference, or of its allOf
        # entry) -> the source parts of what was copied: to locate problems in the slice.
        self.inlined: dict[tuple[str, ...], tuple[str, ...]] = {}

    # -- entry point ---------------------------------------------------------------------

    def run(self, operation_ids: Sequence[str]) -> dict[str, Any]:
        if isinstance(operation_ids, str):
            operation_ids = [operation_ids]
        self._check_version()
        selected = self._select(operation_ids)
        self._keep(selected)
        while self.pending:
            node, parts, skip_ref = self.pending.pop()
            self._scan(node, parts, skip_ref=skip_ref)
        self._raise_problems()
        result = self._emit(self.data, self._skeleton())
        self._raise_problems()
        return result

    def _raise_problems(self) -> None:
        if self.problems:
            raise GeneratorError(self.problems)

    def _problem(self, parts: Parts, message: str) -> Problem:
        return Problem(self.filename, pointer_join("", *parts), message)

    def _check_version(self) -> None:
        version = self.data.get("openapi")
        self.version = ".".join(str(version).split(".")[:2])
        if not isinstance(version, str) or self.version not in ("3.0", "3.1", "3.2"):
            message = f"unsupported OpenAPI version {version!r} (need 3.0-3.2)"
            raise GeneratorError([self._problem(("openapi",), message)])

    # -- finding the operations ----------------------------------------------------------

    def _select(self, operation_ids: Sequence[str]) -> list[_Found]:
        index: dict[str, dict[Parts, list[_Found]]] = {}
        unresolved: list[Problem] = []
        for container in _PATH_ITEM_HOMES:
            items = self.data.get(container)
            if not isinstance(items, dict):
                continue
            for key, item in items.items():
                resolved = self._resolve_path_item((container, key), item)
                if isinstance(resolved, Problem):
                    unresolved.append(resolved)
                    continue
                home, home_node, chain = resolved
                for method, operation in item_operations(home_node, self.version):
                    operation_id = operation.get("operationId")
                    if isinstance(operation_id, str):
                        found = _Found(home, method, chain)
                        index.setdefault(operation_id, {}).setdefault((*home, *method), []).append(
                            found
                        )
        selected: list[_Found] = []
        if not operation_ids:
            self.problems.append(self._problem(("paths",), "no operationId to keep was given"))
        for operation_id in dict.fromkeys(operation_ids):
            places = index.get(operation_id)
            if places is None:
                self.problems.append(self._unknown(operation_id, sorted(index)))
                self.problems.extend(unresolved)
                unresolved = []
            elif len(places) > 1:
                where = ", ".join(pointer_join("", *parts) for parts in places)
                message = f"operationId {operation_id!r} is not unique: {where}"
                self.problems.append(self._problem(next(iter(places)), message))
            else:
                selected.extend(next(iter(places.values())))
        self._raise_problems()
        return selected

    def _unknown(self, operation_id: str, available: list[str]) -> Problem:
        message = f"no operation has operationId {operation_id!r}"
        close = difflib.get_close_matches(operation_id, available, n=3)
        if close:
            message += f"; did you mean {', '.join(close)}?"
        if not available:
            return self._problem(("paths",), message + "; the document has no operationIds")
        shown = ", ".join(available[:_SHOWN_OPERATION_IDS])
        more = ", ..." if len(available) > _SHOWN_OPERATION_IDS else ""
        return self._problem(("paths",), f"{message}; available ({len(available)}): {shown}{more}")

    def _resolve_path_item(
        self, parts: Parts, node: Any
    ) -> tuple[Parts, dict[str, Any], tuple[Parts, ...]] | Problem:
        """Follow a path item's ``$ref`` chain: the path item at its end, and the links."""
        found = trace(self.data, node, pointer_join("", *parts))
        links = tuple(parts_of(link) for link in found.links)
        # The references read, each from its node to its target (one that broke the chain
        # has a target only when it points to nothing).
        ends = [*links[1:], parts_of(found.ref if found.why else found.pointer)]
        hops = list(zip(links, ends, strict=True)) if links else []
        if found.why in ("external", "circle"):
            hops.pop()
        for link, target in hops:
            if not _is_path_item_place(target):
                message = f"path item $ref {self._node(link)['$ref']!r} must point into paths, "
                return self._problem((*link, "$ref"), message + "webhooks or components/pathItems")
        if found.why == "external":
            message = f"external $ref {found.ref!r} is not supported; inline it"
            return self._problem((*links[-1], "$ref"), message)
        if found.why == "circle":
            message = f"path item $ref {found.ref!r} goes round in a circle"
            return self._problem((*links[-1], "$ref"), message)
        if found.why == "missing":
            return self._problem(links[-1], f"$ref {found.ref!r} points to nothing")
        if not isinstance(found.node, dict):
            return self._problem(parts_of(found.pointer), "a path item must be a mapping")
        return parts_of(found.pointer), found.node, links

    # -- what is kept --------------------------------------------------------------------

    def _keep(self, selected: list[_Found]) -> None:
        for key in _TOP_LEVEL_KEPT:
            if key in self.data:
                self._keep_region((key,), self.data[key])

        relies_on_top_level_security = False
        used_tags: dict[str, None] = {}
        homes: dict[Parts, dict[Parts, None]] = {}  # ordered: problems come out in order
        for found in selected:
            for link in found.chain:
                self._keep_region(link, self._node(link), skip_ref=True)
            homes.setdefault(found.home, {})[found.method] = None
            operation = self._node(found.home + found.method)
            if "security" not in operation:
                relies_on_top_level_security = True
            tags = operation.get("tags")
            if isinstance(tags, list):
                used_tags.update((tag, None) for tag in tags if isinstance(tag, str))

        for home, methods in homes.items():
            home_node = self._node(home)
            self.kept_path_items.add(_strings(home))
            operation_keys = {keys[0] for keys, _ in item_operations(home_node, self.version)}
            for key, value in home_node.items():
                if key in operation_keys:
                    continue
                self._keep_region((*home, key), value)
            for method in methods:
                self._keep_region((*home, *method), self._node(home + method))

        if relies_on_top_level_security and "security" in self.data:
            self._keep_region(("security",), self.data["security"])
            self._follow_security(self.data["security"], ("security",))
        self._keep_tags(used_tags)

    def _keep_region(self, parts: Parts, node: Any, *, skip_ref: bool = False) -> None:
        self.regions[parts] = _Leaf(node, parts)
        self.kept_prefixes.add(_strings(parts))
        self.pending.append((node, parts, skip_ref))

    def _keep_tags(self, used: dict[str, None]) -> None:
        tags = self.data.get("tags")
        if not isinstance(tags, list) or not used:
            return
        by_name = {tag.get("name"): tag for tag in tags if isinstance(tag, dict)}
        wanted = dict(used)
        for name in list(wanted):  # OpenAPI 3.2: a kept tag's parents come along
            seen = {name}
            parent = by_name.get(name, {}).get("parent")
            while isinstance(parent, str) and parent not in seen:
                wanted[parent] = None
                seen.add(parent)
                parent = by_name.get(parent, {}).get("parent")
        kept = [tag for tag in tags if isinstance(tag, dict) and tag.get("name") in wanted]
        if kept:  # a filtered list: not a prefix of kept places, so refs into it get inlined
            self.regions[("tags",)] = _Leaf(kept, ("tags",))
            self.pending.append((kept, ("tags",), False))

    def _keep_component(self, parts: Parts) -> None:
        if parts in self.kept_components:
            return
        self.kept_components.add(parts)
        node = self.components[parts[1]][parts[2]]
        self.regions[parts] = _Leaf(node, parts)
        self.pending.append((node, parts, False))

    def _node(self, parts: Parts) -> Any:
        node: Any = self.data
        for part in parts:
            node = node[part]
        return node

    # -- reachability --------------------------------------------------------------------

    def _scan(self, node: Any, parts: Parts, *, skip_ref: bool = False) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not skip_ref:
                self._follow(ref, parts)
            discriminator = node.get("discriminator")
            if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
                self._follow_mapping(discriminator["mapping"], (*parts, "discriminator", "mapping"))
            security = node.get("security")
            if isinstance(security, list) and ("responses" in node or "operationId" in node):
                self._follow_security(security, (*parts, "security"))
            for key, value in node.items():
                if isinstance(value, dict | list):
                    self._scan(value, (*parts, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict | list):
                    self._scan(value, (*parts, index))

    def _follow(self, ref: str, where: Parts) -> str | None:
        """Keep what ``ref`` needs; its kind, or None (reported) when it cannot be followed."""
        if not ref.startswith("#"):
            self.problems.append(
                self._problem(where, f"external $ref {ref!r} is not supported; inline it")
            )
            return None
        if ref in self.followed:
            kind = self.followed[ref]
        else:
            kind = self.followed[ref] = self._reach(ref)
        if kind is None:
            self.problems.append(self._problem(where, f"$ref {ref!r} points to nothing"))
        return kind

    def _reach(self, ref: str) -> str | None:
        try:
            target = resolve_pointer(self.data, ref)
        except KeyError:
            return None
        parts = tuple(pointer_parts(ref))
        kind = self._kind(parts)
        if kind == _COMPONENT:
            self._keep_component(parts[:3])
        elif kind == _INLINE:
            self.pending.append((target, parts, False))
        return kind

    def _kind(self, parts: tuple[str, ...]) -> str:
        if len(parts) >= 3 and parts[0] == "components":
            return _COMPONENT
        if parts in self.kept_path_items:
            return _KEPT
        for end in range(len(parts), 0, -1):
            if parts[:end] in self.kept_prefixes:
                return _KEPT
        return _INLINE

    def _follow_security(self, requirements: Any, parts: Parts) -> None:
        if not isinstance(requirements, list):
            return
        schemes = self.components.get("securitySchemes")
        for index, requirement in enumerate(requirements):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if isinstance(name, str) and name.startswith("#"):  # OpenAPI 3.2 allows a URI
                    self._follow(name, (*parts, index))
                elif isinstance(schemes, dict) and name in schemes:
                    self._keep_component(("components", "securitySchemes", name))
                else:
                    message = (
                        f"security scheme {name!r} is not defined in /components/securitySchemes"
                    )
                    self.problems.append(self._problem((*parts, index), message))

    def _follow_mapping(self, mapping: dict[Any, Any], parts: Parts) -> None:
        schemas = self.components.get("schemas")
        for key, value in mapping.items():
            if not isinstance(value, str):
                continue
            if isinstance(schemas, dict) and value in schemas:  # a schema name
                self._keep_component(("components", "schemas", value))
            elif value.startswith("#") and self._follow(value, (*parts, key)) == _INLINE:
                message = (
                    f"discriminator mapping {value!r} points outside components and the kept "
                    "operations, so it cannot be kept; move its target to components"
                )
                self.problems.append(self._problem((*parts, key), message))
            # Other values are URIs into other documents: not ours to check.

    # -- building the output -------------------------------------------------------------

    def _skeleton(self) -> dict[Any, Any]:
        """The kept regions as a tree of mappings; a region inside a kept one is dropped."""
        tree: dict[Any, Any] = {}
        for parts in sorted(self.regions, key=len):
            node = tree
            for part in parts[:-1]:
                child = node.setdefault(part, {})
                if isinstance(child, _Leaf):
                    break
                node = child
            else:
                node.setdefault(parts[-1], self.regions[parts])
        if "paths" in self.data:
            tree.setdefault("paths", {})  # OpenAPI 3.0 needs it, even empty
        return tree

    def _emit(self, source: dict[Any, Any], tree: dict[Any, Any]) -> dict[str, Any]:
        out: dict[Any, Any] = {}
        for key, value in source.items():
            if key not in tree:
                continue
            selected = tree[key]
            if not isinstance(selected, _Leaf):
                out[key] = self._emit(value, selected) if isinstance(value, dict) else {}
            else:
                out[key] = self._copy(selected.node, selected.parts, ())
        return out

    def _copy(self, node: Any, parts: Parts, inlining: tuple[str, ...]) -> Any:
        """A deep copy of a kept node, with references that point outside the slice inlined."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#") and self._ref_kind(ref) == _INLINE:
                return self._inline(node, ref, parts, inlining)
            return {
                key: self._copy(value, (*parts, key), inlining)
                if isinstance(value, dict | list)
                else value
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [
                self._copy(value, (*parts, index), inlining)
                if isinstance(value, dict | list)
                else value
                for index, value in enumerate(node)
            ]
        return node

    def _ref_kind(self, ref: str) -> str:
        kind = self.kinds.get(ref)
        if kind is None:
            kind = self.kinds[ref] = self._kind(tuple(pointer_parts(ref)))
        return kind

    def _inline(
        self, node: dict[str, Any], ref: str, parts: Parts, inlining: tuple[str, ...]
    ) -> Any:
        if ref in inlining:
            message = (
                f"$ref {ref!r} is recursive and points outside the kept operations and "
                "components, so it cannot be inlined; move its target to components"
            )
            self.problems.append(self._problem(parts, message))
            return {"$ref": ref}
        try:
            target = resolve_pointer(self.data, ref)
        except KeyError:  # reported while following references
            return {"$ref": ref}
        target_parts = tuple(pointer_parts(ref))
        copied = self._copy(target, target_parts, (*inlining, ref))
        siblings = {
            key: self._copy(value, (*parts, key), inlining)
            for key, value in node.items()
            if key != "$ref"
        }
        here = _strings(parts)
        if not siblings or self.version == "3.0":  # 3.0 ignores the siblings of a $ref
            self.inlined[here] = target_parts
            return copied
        if isinstance(copied, dict) and set(siblings) <= {"summary", "description"}:
            self.inlined[here] = target_parts
            return {**copied, **siblings}
        all_of = siblings.get("allOf")
        siblings["allOf"] = [*all_of, copied] if isinstance(all_of, list) else [copied]
        self.inlined[(*here, "allOf", str(len(siblings["allOf"]) - 1))] = target_parts
        return siblings

    def locate(self, problem: Problem, source: bytes) -> Problem:
        """``problem`` (found in the slice) at the source pointer and line it comes from."""
        parts = tuple(pointer_parts(problem.pointer))
        for _ in range(_MAX_PATH_ITEM_CHAIN):  # follow copies within copies
            for end in range(len(parts), 0, -1):
                target = self.inlined.get(parts[:end])
                if target is not None:
                    parts = (*target, *parts[end:])
                    break
            else:
                break
        pointer = pointer_join("", *parts)
        message = f"in the slice: {problem.message}"
        if pointer != problem.pointer:
            message = f"in the slice at {problem.pointer}: {problem.message}"
        line = line_of(source, pointer)
        return attrs.evolve(
            problem, file=self.filename, pointer=pointer, message=message, line=line
        )


class _Found:
    """Where an operation is: its path item, its key there, and the path item $refs to it."""

    __slots__ = ("chain", "home", "method")

    def __init__(self, home: Parts, method: Parts, chain: tuple[Parts, ...]) -> None:
        self.home = home
        self.method = method
        self.chain = chain


def _is_path_item_place(parts: tuple[str, ...]) -> bool:
    return (len(parts) == 2 and parts[0] in _PATH_ITEM_HOMES) or (
        len(parts) == 3 and parts[:2] == ("components", "pathItems")
    )


def _strings(parts: Parts) -> tuple[str, ...]:
    return tuple(str(part) for part in parts)


# --------------------------------------------------------------------------------------------
# Output


_WIDE = 1 << 30  # never fold long lines
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Safe block-style dumper that never writes anchors and prints multi-line text as ``|``."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # the emitter falls back to quotes when it must
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ``0o666 & ~umask``."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _with_lines(problems: Iterable[Problem], source: bytes) -> list[Problem]:
    """The problems with their source lines (``line_of`` parses the source only once)."""
    return [
        p
        if p.line is not None
        else Problem(p.file, p.pointer, p.message, line_of(source, p.pointer))
        for p in problems
    ]
