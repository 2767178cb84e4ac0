"""The names of one document's schemas, as the schema mapper asks for them.

The rules are in :mod:`.names`; a :class:`Namer` applies them to one document and keeps
what naming needs to remember: which class name each component has, which schema owns each
name given so far, and which names inline schemas wanted.

* A component schema is named by its key (:func:`.names.component_names`).
* An inline schema that becomes a class is named from its nearest names: the model and
  property it belongs to, the operation for its body and answers. Copies of one schema share
  the name. When two different schemas want one name, the first pass of the mapper gives a
  provisional name and records the claims; :meth:`Namer.settled` then settles every name
  (:func:`.names.settle_inline_names`) for a second pass. It also records each name it gave
  (:attr:`Namer.given`), so that the second pass may be a renaming of the first
  (:mod:`.renaming`).
* A union's inline branches are named by what they hold, never by their position.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from ..errors import lookup, pointer_join, pointer_parts
from .discriminators import constant_values
from .docview import parts_of, resolve
from .names import (
    Claim,
    avoid_reserved,
    class_name,
    component_key,
    component_names,
    kind_hint,
    property_names,
    settle_inline_names,
    words,
)

__all__ = ["Given", "NameTaken", "Namer"]

_COMPONENTS = "/components/schemas"
_COMPONENT_PREFIX = "#/components/schemas/"


class NameTaken(Exception):
    """A name that a different schema already has."""


@attrs.frozen
class Given:
    """An inline name given in a first pass: to the schema at ``pointer`` of ``content``,
    which wanted ``wanted`` from ``hint``; ``own`` is its own name (:attr:`Namer.own_names`),
    None without a place."""

    pointer: str
    hint: tuple[str, ...]
    wanted: str
    name: str
    content: str
    own: str | None


class Namer:
    """Names the schemas of one document (``data``, whose component ``schemas`` are given).

    ``settled`` (pointer → class name) fixes the names of inline schemas, as
    :meth:`settled` gave them after a first pass; without it each takes the name it wants.
    """

    def __init__(
        self, data: Any, schemas: dict[str, Any], settled: dict[str, str] | None = None
    ) -> None:
        self.data = data
        self.components = component_names(schemas)
        """Each component's class name, by key."""
        self.claims: list[Claim] = []
        self.own_names: dict[str, str] = {}
        """Inline class names, and the name of their place alone: the property or parameter
        they are the type of (or are in), without the model or operation around it
        (``Size`` for the ``size`` of ``ImagesResponse``)."""
        self.renamed = False  # whether a name was taken: a second pass settles the names
        self.given: list[Given] = []
        """Without ``settled``: each inline name given, in order."""
        self._settled = settled
        # Each class name, and what claimed it: a component, or an inline schema's content.
        self._owners = {name: f"component {key}" for key, name in self.components.items()}

    def inline(
        self, schema: Any, pointer: str, hint: tuple[str, ...], context: tuple[str, ...]
    ) -> tuple[str, str]:
        """The class name of the inline schema at ``pointer``, wanted from ``hint`` (its
        nearest names) and qualified by ``context`` (the operation being mapped) when two
        schemas want one name; and the content that owns the name. Raises
        :class:`NameTaken` when a different schema has the name."""
        plain = class_name(*hint)
        wanted = avoid_reserved(plain)
        content = _content(schema)
        if self._owners.get(wanted) == f"component {component_key(pointer)}":
            self._owners[wanted] = content  # the component's own type: it has its name
        if self._settled is not None:
            name = self._settled.get(pointer, wanted)
        else:
            # Qualified with the operation, unless the name starts with it already (its
            # body, its answer, and what they hold): not ``ListFilesListFilesBody``.
            repeats = bool(context) and plain.startswith(class_name(*context))
            qualified = avoid_reserved(plain if repeats else class_name(*context, *hint))
            self.claims.append(Claim(pointer, wanted, qualified, content))
            name = wanted
            while self._owners.get(name, content) != content:
                name += "_"  # provisional: the second pass settles the names
                self.renamed = True
        if self._owners.setdefault(name, content) != content:
            raise NameTaken(f"the generated name {name!r} is already taken")
        place = self._place_name(pointer)
        own = avoid_reserved(class_name(place)) if place is not None else None
        if own is not None:
            self.own_names.setdefault(name, own)
        if self.first_pass:
            self.given.append(Given(pointer, hint, wanted, name, content, own))
        return name, content

    @property
    def first_pass(self) -> bool:
        """Whether names are given as wanted (no settled names yet)."""
        return self._settled is None

    def _place_name(self, pointer: str) -> str | None:
        """The property or parameter a schema at ``pointer`` belongs to: the innermost
        ``properties/<name>``, or the ``name`` of the parameter it is the schema of."""
        parts = parts_of(pointer)
        for i in range(len(parts) - 1, 0, -1):
            if parts[i - 1] == "properties":
                return parts[i]
            if parts[i - 1] == "parameters" and i + 1 < len(parts) and parts[i + 1] == "schema":
                found = resolve(self.data, lookup(self.data, parts[: i + 1]))
                named = found.get("name") if isinstance(found, dict) else None
                return named if isinstance(named, str) else None
        return None

    def release(self, name: str, content: str) -> None:
        """Give up a name :meth:`inline` gave (what it names was left out)."""
        if self._owners.get(name) == content:
            del self._owners[name]

    def settled(self) -> dict[str, str] | None:
        """The names of inline schemas for a second pass, when two different schemas wanted
        one name in this one; None when every schema could take the name it wanted."""
        wanted = {c.wanted for c in self.claims}
        if not self.renamed and len(wanted) == len({(c.wanted, c.content) for c in self.claims}):
            return None
        pointers = {name: pointer_join(_COMPONENTS, key) for key, name in self.components.items()}
        return settle_inline_names(self.claims, pointers)

    def definer(self, pointer: str, name: str) -> str:
        """The class a property's inline schema is named after: the component whose own
        ``properties`` declare it (a base that several models include), else the model
        ``name`` being built."""
        parts = parts_of(pointer)
        if len(parts) == 5 and parts[:2] == ("components", "schemas"):
            return self.components.get(parts[2], name)
        return name

    def branch_hints(self, branches: list[Any], prop: str | None = None) -> list[str]:
        """A name part for each inline branch of one union; branches whose parts would be the
        same are told apart by a property only they have (``WithName``, ``WithUrl``), else by
        their ``title``. ``prop``: the union's discriminator property."""
        hints = [self._branch_hint(branch, prop) for branch in branches]
        for hint in {h for h in hints if hints.count(h) > 1}:
            alike = [i for i, h in enumerate(hints) if h == hint]
            keys = {i: property_names(resolve(self.data, branches[i])) for i in alike}
            for i in alike:
                others = set().union(*(keys[j] for j in alike if j != i))
                own = [k for k in keys[i] if k not in others]
                if own and hint.startswith("With "):
                    hints[i] = f"With {own[0]}"
        for hint in {h for h in hints if hints.count(h) > 1}:
            for i in [i for i, h in enumerate(hints) if h == hint]:
                title = branches[i].get("title") if isinstance(branches[i], dict) else None
                if isinstance(title, str) and words(title):
                    hints[i] = title
        return hints

    def _branch_hint(self, branch: Any, prop: str | None = None) -> str:
        """A name part for an inline union branch, from its content rather than its position:
        its constant discriminator (``type``, ``event``, ...) value, else the one component
        its ``allOf`` extends, else its JSON kind and first property."""
        for name in (prop, "type", "event", "kind", "object"):
            values = constant_values(self.data, branch, name) if name else []
            if len(values) == 1:
                return values[0]
        parts = branch.get("allOf") if isinstance(branch, dict) else None
        refs = [p["$ref"] for p in parts or [] if isinstance(p, dict) and "$ref" in p]
        refs = [ref for ref in refs if isinstance(ref, str)]
        if len(refs) == 1 and refs[0].startswith(_COMPONENT_PREFIX):
            return pointer_parts(refs[0])[-1]
        return kind_hint(branch)


def _content(schema: Any) -> str:
    """What tells two copies of an inline schema apart: its JSON without prose."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: strip(v)
                for k, v in node.items()
                if k not in ("description", "title", "example", "examples")
                and not str(k).startswith("x-")
            }
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    try:
        return json.dumps(strip(schema), sort_keys=True, default=str)
    except (ValueError, RecursionError):
        return repr(id(schema))
