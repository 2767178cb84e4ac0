"""Whether the second naming pass may be a renaming of the first.

When two different inline schemas want one class name, the schema mapper maps the document
twice (:func:`.build.build_api`): the first pass gives provisional names and records who
wanted which (:class:`.namer.Namer`), the second maps again with the settled names. That
second pass asks for the same names in the same order, and what it does with a name
depends only on whether the name is taken, and by what. So it differs from the first in
the names only, and in the builds it skips (a schema claimed under two provisional names
whose settled names are one is built once), unless a rename changes a decision. This
module tells from the first pass's records whether that is certain, and if so gives the
renaming and what the second pass's namer would know; otherwise the second pass is run.

What makes it certain:

* the settled name of each first-pass name is one name, whatever schema had it, and no
  component's (a component keeps its own name);
* names merged into one belong to schemas of one content (the second pass would refuse
  the name to the second), none of them was left out (a failed build is built again), and
  each build the second pass skips added no problem and mapped no component first (the
  second pass would do that later, in another order); what it built has a twin built
  outside skipped builds, so that the renamed declarations are the same ones (the caller
  checks they are equal);
* a schema without a settled name (a component's own type) had the name it wanted, and
  wanted it from a hint that names nothing renamed; a hint that does name something
  renamed wants another name in the second pass, which must decide nothing else: not the
  owner of a component's name that such a schema wants, nor an enum member's prefix (a
  pointer of at most three parts, ``/components/schemas/<key>``, may take its name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from .docview import parts_of
from .namer import Given
from .names import component_key
from .schema import Built

__all__ = ["Renaming", "renaming"]


@attrs.frozen
class Renaming:
    """First-pass names → settled names (every name given, renamed or not), and the own
    name of each settled name (:attr:`.namer.Namer.own_names` of the second pass)."""

    names: dict[str, str]
    own_names: dict[str, str]


def renaming(
    given: Sequence[Given],
    built: Iterable[Built],
    settled: dict[str, str],
    components: dict[str, str],
) -> Renaming | None:
    """The renaming that stands for a second pass with ``settled`` names (pointer → name)
    after a first pass that gave the names ``given`` and built ``built``; None when a second
    pass might differ in more than that. ``components``: class names by component key."""
    names: dict[str, str] = {}
    contents: dict[str, str] = {}
    for claim in given:
        new = settled.get(claim.pointer, claim.name)
        if names.setdefault(claim.name, new) != new:
            return None
        if contents.setdefault(new, claim.content) != claim.content:
            return None
    changed = {old for old, new in names.items() if old != new}
    component_names = set(components.values())
    if any(names[old] in component_names for old in changed):
        return None
    if not _hints_decide_nothing(given, settled, changed, components):
        return None
    return _second_pass(given, list(built), names)


def _hints_decide_nothing(
    given: Sequence[Given], settled: dict[str, str], changed: set[str], components: dict[str, str]
) -> bool:
    unsettled = {claim.wanted for claim in given if claim.pointer not in settled}
    for claim in given:
        renamed_hint = not changed.isdisjoint(claim.hint)
        if claim.pointer not in settled and (claim.name != claim.wanted or renamed_hint):
            return False
        if claim.name in changed and len(parts_of(claim.pointer)) <= 3:
            return False
        key = component_key(claim.pointer)
        if renamed_hint and key is not None and components.get(key) in unsettled:
            return False
    return True


def _second_pass(
    given: Sequence[Given], built: list[Built], names: dict[str, str]
) -> Renaming | None:
    """Replay the first pass's claims as the second pass makes them: it builds where the
    settled name is not there yet, which must be where the first pass built; it skips the
    first pass's other builds (with what they hold), which must have changed nothing but
    the registries. None when they differ."""
    builds = {b.start - 1: b for b in built}  # by the claim that started each
    there: dict[str, Built] = {}  # settled name -> its latest build
    skipped_until = 0  # claims before it are inside a skipped build: not made again
    own_names: dict[str, str] = {}
    kept: set[str] = set()
    gone: set[str] = set()
    for index, claim in enumerate(given):
        build = builds.get(index)
        if index < skipped_until:
            if build is not None and build.ok:
                gone.add(names[build.name])
            continue
        new = names[claim.name]
        if claim.own is not None:
            own_names.setdefault(new, claim.own)
        latest = there.get(new)
        if latest is not None and (latest.ok or index < latest.end):
            if build is not None:  # the second pass has the name already: no build
                if not build.ok or build.new_problems or build.new_components:
                    return None
                gone.add(new)
                skipped_until = max(skipped_until, build.end)
        elif build is None:
            return None  # the second pass builds where the first did not
        else:
            there[new] = build
            if build.ok:
                kept.add(new)
    if not gone <= kept:  # a declaration only skipped builds made
        return None
    return Renaming(names, own_names)
