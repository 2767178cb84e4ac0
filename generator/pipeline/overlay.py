"""OpenAPI Overlay 1.0 documents: patch a spec without forking it.

An overlay is a list of actions, applied in order, each selecting nodes of the spec with an
RFC 9535 JSONPath query (the ``jsonpath-rfc9535`` library evaluates them) and either
merging ``update`` into each of them or removing them (``remove: true``). Overlays are
applied after the spec is read and bundled and before it is validated and built, so that
every command sees the patched document.

Decisions where Overlay 1.0 is loose (its 1.1 text settles each the same way):

* ``update`` is merged recursively into an object: a property only in the update is
  added, an object is merged into an object, an array is appended to an array, and any
  other value replaces the target's. A ``null`` update of an object or array leaves it
  as it is (the specification's own structured example writes ``components:`` so) and
  says so in a warning; other kinds that do not fit (an object onto a string) are errors.
* When the target is an array, an array ``update`` is appended item by item; any other
  value is appended as one item.
* A target selecting a string, number, boolean or ``null`` with ``update`` is an error
  (1.0 allows objects and arrays only); ``remove`` may remove any node but the root.
* A target that selects nothing is a warning located at the action's ``target``, so a
  patch made stale by an upstream fix is noticed; ``--strict`` makes it an error.
* ``extends`` is not followed: the spec is the one given to the command.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import jsonpath_rfc9535

from ..errors import GeneratorError, Problem
from ..runtime._types import json_type
from .load import line_of, parse_source, read_source

_VERSION = re.compile(r"1\.0\.\d+")
_ACTION_FIELDS = frozenset({"target", "description", "update", "remove"})
_TOP_FIELDS = frozenset({"overlay", "info", "extends", "actions"})


@attrs.frozen
class Action:
    target: str
    query: jsonpath_rfc9535.JSONPathQuery = attrs.field(eq=False, repr=False)
    update: Any
    remove: bool
    pointer: str  # of the action in its overlay file


@attrs.frozen
class Overlay:
    """One overlay document, read and checked: its actions and where it came from."""

    path: Path
    source: bytes = attrs.field(repr=False)
    actions: tuple[Action, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source).hexdigest()

    def problem(self, pointer: str, message: str, *, warning: bool = False) -> Problem:
        found = Problem(str(self.path), pointer, message, line_of(self.source, pointer))
        return found.as_warning() if warning else found


def read_overlay(path: Path) -> Overlay:
    """Read an overlay file and check its structure; every problem is a located error."""
    source = read_source(path)
    data = parse_source(source, str(path))
    problems: list[Problem] = []

    def problem(pointer: str, message: str) -> None:
        problems.append(Problem(str(path), pointer, message, line_of(source, pointer)))

    version = data.get("overlay")
    if "overlay" not in data:
        problem("", "no 'overlay' field: is this an Overlay document?")
    elif not isinstance(version, str) or not _VERSION.fullmatch(version):
        problem("/overlay", f"unsupported Overlay version {version!r} (need 1.0.x)")
    info = data.get("info")
    if not isinstance(info, dict) or not all(
        isinstance(info.get(key), str) for key in ("title", "version")
    ):
        problem("/info" if "info" in data else "", "'info' needs a 'title' and a 'version'")
    for key in sorted(set(data) - _TOP_FIELDS):
        if not str(key).startswith("x-"):
            problem(f"/{key}", "unknown field (an Overlay has overlay, info, extends, actions)")
    actions = data.get("actions")
    found: list[Action] = []
    if not isinstance(actions, list) or not actions:
        problem("/actions" if "actions" in data else "", "'actions' must be a non-empty list")
    else:
        for index, entry in enumerate(actions):
            action = _action(entry, f"/actions/{index}", problem)
            if action is not None:
                found.append(action)
    if problems:
        raise GeneratorError(problems)
    return Overlay(path, source, tuple(found))


def _action(entry: Any, where: str, problem: Any) -> Action | None:
    if not isinstance(entry, dict):
        problem(where, "an action must be a mapping with a 'target'")
        return None
    for key in sorted(set(entry) - _ACTION_FIELDS):
        if not str(key).startswith("x-"):
            problem(
                f"{where}/{key}",
                "unknown field (an action has target, description, update, remove)",
            )
    target = entry.get("target")
    if not isinstance(target, str) or not target.startswith("$"):
        problem(f"{where}/target", "needs a JSONPath query starting with '$'")
        return None
    try:
        query = jsonpath_rfc9535.compile(target)
    except jsonpath_rfc9535.JSONPathError as exc:
        problem(f"{where}/target", f"not an RFC 9535 JSONPath query: {_reason(exc)}")
        return None
    remove = entry.get("remove", False)
    if not isinstance(remove, bool):
        problem(f"{where}/remove", f"must be true or false, not {remove!r}")
        return None
    if not remove and "update" not in entry:
        problem(where, "an action needs 'update' or 'remove: true'")
        return None
    return Action(target, query, entry.get("update"), remove, where)


def apply_overlays(data: dict[str, Any], overlays: Iterable[Overlay], spec: str) -> list[Problem]:
    """Apply each overlay's actions in order to ``data`` (changed in place): the warnings.

    Errors (an update that does not fit its target, removing the root) raise
    :class:`GeneratorError`, located at the action.
    """
    warnings: list[Problem] = []
    for overlay in overlays:
        for action in overlay.actions:
            warnings += _apply(data, overlay, action, spec)
    return warnings


def read_overlays(paths: Sequence[Path]) -> list[Overlay]:
    """Read and check every overlay file (all their problems reported at once)."""
    overlays: list[Overlay] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            overlays.append(read_overlay(path))
        except GeneratorError as error:
            problems += error.problems
    if problems:
        raise GeneratorError(problems)
    return overlays


def _apply(data: dict[str, Any], overlay: Overlay, action: Action, spec: str) -> list[Problem]:
    try:
        nodes = list(action.query.finditer(data))
    except (jsonpath_rfc9535.JSONPathError, RecursionError) as exc:
        message = f"cannot evaluate this query: {_reason(exc)}"
        raise GeneratorError([overlay.problem(f"{action.pointer}/target", message)]) from None
    if not nodes:
        message = f"matches nothing in {spec}; the action changes nothing"
        return [overlay.problem(f"{action.pointer}/target", message, warning=True)]
    if action.remove:
        _remove(data, [node.location for node in nodes], overlay, action)
        return []
    warnings: list[Problem] = []
    for node in nodes:
        target = node.value
        if not isinstance(target, dict | list):
            message = (
                f"selects {node.path()}, a {json_type(target)}: an update needs an object or an "
                "array (select the object that holds it)"
            )
            raise GeneratorError([overlay.problem(f"{action.pointer}/target", message)])
        update = copy.deepcopy(action.update)  # each target gets its own copy
        warnings += _merge(target, update, node.path(), overlay, f"{action.pointer}/update")
    return warnings


def _merge(target: Any, update: Any, where: str, overlay: Overlay, pointer: str) -> list[Problem]:
    """Merge ``update`` into the object or array ``target`` (in place): the warnings."""
    if isinstance(target, list):
        if isinstance(update, list):
            target.extend(update)
        else:
            target.append(update)
        return []
    if not isinstance(update, dict):
        message = f"{where} is an object; the update must be an object, not a {json_type(update)}"
        raise GeneratorError([overlay.problem(pointer, message)])
    warnings: list[Problem] = []
    for key, value in update.items():
        here = f"{where}[{key!r}]"
        current = target.get(key)
        if key not in target or not isinstance(current, dict | list):
            target[key] = value
        elif value is None:
            message = f"null cannot replace the {json_type(current)} at {here}; left as it is"
            warnings.append(overlay.problem(f"{pointer}/{_escape(key)}", message, warning=True))
        elif isinstance(current, dict) != isinstance(value, dict) or not isinstance(
            value, dict | list
        ):
            kinds = json_type(value), json_type(current)
            message = f"a {kinds[0]} cannot be merged into the {kinds[1]} at {here}"
            raise GeneratorError([overlay.problem(f"{pointer}/{_escape(key)}", message)])
        else:
            warnings += _merge(current, value, here, overlay, f"{pointer}/{_escape(key)}")
    return warnings


def _remove(
    data: dict[str, Any],
    locations: list[tuple[int | str, ...]],
    overlay: Overlay,
    action: Action,
) -> None:
    if any(not location for location in locations):
        message = "selects the whole document, which cannot be removed"
        raise GeneratorError([overlay.problem(f"{action.pointer}/target", message)])
    # Deepest and last first, so that removing one node never moves another that is due.
    for location in sorted(set(locations), key=_removal_order, reverse=True):
        parent: Any = data
        try:
            for part in location[:-1]:
                parent = parent[part]
            del parent[location[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # inside a node this action already removed


def _removal_order(location: tuple[int | str, ...]) -> tuple[int, tuple[tuple[int, Any], ...]]:
    return len(location), tuple((0, p) if isinstance(p, int) else (1, p) for p in location)


def _escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__
