"""One set of values, one enum type.

Specs repeat an enum inline wherever it is used: the ``size`` of a request, of its answer
and of each stream event, each with its own description. Mapped one by one they would be as
many classes with the same members, and a value read from one would not type-check where
another is expected. After mapping, the enums with one set of values under one name of
property, on one side of the calls, become one:

* component enums stay as they are: their names are the spec author's;
* an inline enum is the component enum with its values that is named like its property
  or parameter (``input_fidelity``: ``InputFidelity``);
* inline enums with one set of values under properties (or parameters) of one name, all
  used by requests only or all used by answers, are one enum: the one of them with the
  shortest name (the least qualified; the first by spelling of those as short), with its
  members. Its description is kept only when every place gives the same one, as a
  description speaks of its place, not of the values.

What stays apart, and why:

* the same values under properties of other names: they may mean other things (an
  ``eagerness`` of ``low``, ``medium``, ``high``, ``auto`` is not a ``quality``);
* an enum only requests use and one that answers carry: the first is a ``Literal`` alias
  (callers pass strings, as with the official SDK), the second an ``enum.StrEnum`` class
  read as ``Enum | str``. One type for both would turn the alias into a class that every
  argument spells ``Enum | Literal[...]``, and gain nothing: a value read from an answer is
  open (``| str``), so it is narrowed before it is sent anyway.

Names stay stable across spec versions: a change elsewhere renames nothing, and one more
such property renames the shared enum only when its own name is shorter still. (Naming the
shared enum after the property, ``Size``, would read better, but would rename an enum as
soon as one more place with its values appeared, or a property of that name with other
values, anywhere in the spec: ``diff`` would report that as breaking.)
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from . import ir
from .usage import Usage
from .walk import retype

__all__ = ["share_enums"]


def share_enums(api: ir.Api, own_names: Mapping[str, str]) -> ir.Api:
    """``api`` with one enum for each set of values under one name of property on one side
    of the calls, and every reference renamed. ``own_names``: the property (or parameter)
    name of each inline enum (:attr:`.namer.Namer.own_names`)."""
    usage = Usage(api)
    components: dict[frozenset[str], set[str]] = {}
    groups: dict[tuple[frozenset[str], str | None, bool], list[ir.Enum]] = {}
    for enum in api.enums:
        values = frozenset(m.value for m in enum.members)
        if _is_component(enum):
            components.setdefault(values, set()).add(enum.name)
        else:
            key = (values, own_names.get(enum.name), usage.request_only(enum.name))
            groups.setdefault(key, []).append(enum)
    renamed: dict[str, str] = {}
    enums = {e.name: e for e in api.enums}
    for (values, place, _), group in groups.items():
        if place is not None and place in components.get(values, ()):
            renamed.update({e.name: place for e in group})
        elif len(group) > 1:
            first = min(group, key=lambda e: _plainest(e.name))
            enums[first.name] = _merged(first, group)
            renamed.update({e.name: first.name for e in group if e is not first})
    if not renamed:
        return api
    for name in renamed:
        del enums[name]
    shared_api = attrs.evolve(api, enums=tuple(enums[name] for name in sorted(enums)))
    return retype(shared_api, lambda t: _renamed(t, renamed))


def _plainest(name: str) -> tuple[int, str]:
    """The order in which names of one set of values are preferred: shorter (the less
    qualified: ``ToolChoiceOptions`` before ``BetaToolChoiceOptions``), then by spelling."""
    return len(name), name


def _merged(first: ir.Enum, group: list[ir.Enum]) -> ir.Enum:
    """``first`` standing for the group: its description only when every place gives it."""
    if all(e.doc.description == first.doc.description for e in group):
        return first
    return attrs.evolve(first, doc=attrs.evolve(first.doc, description=""))


def _is_component(enum: ir.Enum) -> bool:
    """Whether the enum is a component schema itself (``/components/schemas/<key>``)."""
    parts = enum.pointer.split("/")
    return len(parts) == 4 and parts[1:3] == ["components", "schemas"]


def _renamed(type_: ir.TypeRef, renamed: Mapping[str, str]) -> ir.TypeRef:
    if isinstance(type_, ir.EnumRef) and type_.name in renamed:
        return attrs.evolve(type_, name=renamed[type_.name])
    return type_
