"""References within one document, made plain JSON pointers before anything follows them.

Two things a ``$ref`` may be besides ``#/a/b``, both resolved here, in place:

* **Percent-encoded** (``#/components/schemas/Pet%2DItem``, ``#/paths/~1items~1%7Bid%7D``):
  a fragment is a URI fragment (RFC 3986), so it is percent-decoded before it is read as a
  JSON pointer (RFC 6901). A pointer that already resolves as written is kept as written.
* **By ``$id`` and ``$anchor``** (OpenAPI 3.1 and later): as JSON Schema 2020-12 resolves
  them within one document. The document's base URI is its ``$self`` (3.2), resolved against
  the file's own URI, else the file's URI; a schema's ``$id`` sets the base of everything in
  it; ``$anchor`` (and ``$dynamicAnchor``) names a schema in its resource. A ``$ref`` is
  resolved against its base: ``/api/v31/components/schemas/petdetails#pet_details_id``
  becomes ``#/components/schemas/PetDetails/properties/id`` when that is where it leads.
  A pointer fragment inside a resource (``#/properties/a`` under an ``$id``) is read in that
  resource, and, when nothing is there, in the document (as OpenAPI authors mean it).

A reference this module cannot place in the document is left as written: another file is
the bundler's (:mod:`.bundle`); a pointer to nothing is reported by the loader.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from ..errors import MISSING, lookup, pointer_join, pointer_parts

__all__ = ["normalise_refs"]

# Keys whose values are data, not OpenAPI or Schema objects: an ``$id`` in them is no id.
_DATA_KEYS = frozenset(("example", "examples", "default", "enum", "const"))
# Keys whose values are maps of names (a property called ``example`` is a schema).
_NAME_MAPS = frozenset(
    ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas")
)
# Any of ``$id``, ``$anchor``, ``$dynamicAnchor``, ``$self``: one scan of the source, not four.
_MARKERS = re.compile(rb"\$(?:id|anchor|dynamicAnchor|self)")
# A $ref whose value has a percent sign, in YAML or JSON (a cheap test before any walk).
_ENCODED_REF = re.compile(rb"\$ref[\"']?\s*:\s*[\"']?[^\"'\n,}]*%")


def normalise_refs(data: dict[str, Any], path: Path, source: bytes, version: str) -> None:
    """Rewrite, in place, each ``$ref`` of ``data`` that leads into the document by an id,
    an anchor or a percent-encoded pointer into a plain ``#/...`` pointer."""
    ids = version != "3.0" and _MARKERS.search(source) is not None
    if not ids and not (b"%" in source and _ENCODED_REF.search(source)):
        return  # nothing to do: most documents
    file_uri = path.absolute().as_uri()
    self_uri = data.get("$self")
    base = urljoin(file_uri, self_uri) if isinstance(self_uri, str) and ids else file_uri
    base = urldefrag(base).url
    resources: dict[str, str] = {base: ""}  # resource URI -> pointer
    anchors: dict[str, str] = {}  # resource URI#anchor -> pointer
    refs: list[tuple[dict[str, Any], str, str]] = []  # (node, its base, its resource pointer)
    seen: set[int] = set()
    stack: list[tuple[Any, str, str, str, bool]] = [(data, "", base, "", False)]
    while stack:
        node, pointer, node_base, resource, names = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if ids and not names:
                own = node.get("$id")
                if isinstance(own, str) and pointer:
                    node_base = urldefrag(urljoin(node_base, own)).url
                    resources.setdefault(node_base, pointer)
                    resource = pointer
                for key in ("$anchor", "$dynamicAnchor"):
                    anchor = node.get(key)
                    if isinstance(anchor, str):
                        anchors.setdefault(f"{node_base}#{anchor}", pointer)
            if not names and isinstance(node.get("$ref"), str):
                refs.append((node, node_base, resource))
            for key, value in node.items():
                if not isinstance(value, dict | list):
                    continue
                if not names and (key in _DATA_KEYS or str(key).startswith("x-")):
                    continue
                child = pointer_join(pointer, key)
                stack.append((value, child, node_base, resource, not names and key in _NAME_MAPS))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict | list):
                    stack.append((value, pointer_join(pointer, index), node_base, resource, False))
    for node, node_base, resource in refs:
        found = _place(data, node["$ref"], node_base, resource, base, resources, anchors)
        if found is not None:
            node["$ref"] = found


def _place(
    data: Any,
    ref: str,
    node_base: str,
    resource: str,
    base: str,
    resources: dict[str, str],
    anchors: dict[str, str],
) -> str | None:
    """``#`` and the document pointer ``ref`` leads to (or a path beside the spec, for a
    document in the folder of ``$self``); None to leave it as written."""
    if ref.startswith("#/") and node_base == base and "%" not in ref:
        return None  # already a plain pointer into the document
    target, fragment = urldefrag(urljoin(node_base, ref))
    start = resources.get(target)
    if start is None:
        if ref.startswith("#"):
            start = resource
        else:
            return _relative_to_self(ref, target, fragment, base)
    if not fragment:
        return "#" + start
    if fragment.startswith("/"):
        raw = ref.partition("#")[2]
        for candidate in dict.fromkeys((raw, unquote(fragment))):
            for origin in dict.fromkeys((start, "")):
                pointer = origin + candidate
                if _resolves(data, pointer):
                    return "#" + pointer
        return None
    anchor = anchors.get(f"{target}#{unquote(fragment)}")
    return None if anchor is None else "#" + anchor


def _relative_to_self(ref: str, target: str, fragment: str, base: str) -> str | None:
    """An absolute reference to another document in the folder of the document's own URI
    (its ``$self``) becomes a path relative to it, which the bundler reads beside the spec;
    anything else is left as written."""
    if not urlsplit(ref).scheme and not ref.startswith("/"):
        return None  # relative already: the bundler reads it beside the spec
    if not _is_under(target, base):
        return None
    folder = urlsplit(base).path.rsplit("/", 1)[0] + "/"
    relative = urlsplit(target).path.removeprefix(folder)
    return relative + ("#" + fragment if fragment else "")


def _resolves(data: Any, pointer: str) -> bool:
    return lookup(data, pointer_parts(pointer)) is not MISSING


def _is_under(uri: str, base: str) -> bool:
    """Whether ``uri`` is in the folder of ``base`` (same scheme and host, path below)."""
    a, b = urlsplit(uri), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc) and a.path.startswith(
        b.path.rsplit("/", 1)[0] + "/"
    )
