"""Which operation of the API a recorded request is for: method and path template, after
the base path of one of the operation's servers. Read from the IR (``ir.Api``), as the
generated client sees the API.

The servers are the operation's own, else its path item's, else the document's; a server
variable in the path stands for one of its ``enum`` values, or for any text without one
(the runtime's :mod:`._protocol` says what path a server URL and a template stand for). A
prefix before the base path is allowed (a proxy, a deployment prefix). A request whose
path ends with a template but not after one of those base paths (``/v2/images/edits``
when the server is ``.../v1``) is still matched, so that the rest can be checked, and
:attr:`OperationMatch.base_path_mismatch` says why it does not conform. A spec without a
base path (no servers, or ``/``) accepts any prefix.

An operation of the document the generator left out (it could not map it; ``generate``
warns why) has no IR: :meth:`Routes.left_out` finds it by its template, so that the report
can say so instead of "no operation"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ...errors import Problem
from ...pipeline import ir
from ...runtime._protocol import base_path, path_pattern

__all__ = ["LeftOut", "OperationMatch", "Routes", "left_out_operations"]


@attrs.frozen
class OperationMatch:
    operation: ir.Operation
    relative_path: str
    """The request path with the server's base path removed: what the template matched."""
    base_path_mismatch: str | None = None
    """The base paths the operation's servers have, when the request is under none of them."""

    @property
    def method(self) -> str:
        return self.operation.http_method

    @property
    def template(self) -> str:
        return self.operation.path

    @property
    def pointer(self) -> str:
        return self.operation.pointer

    @property
    def operation_id(self) -> str:
        """The operationId (or, without one, the name the generator gives the operation)."""
        return self.operation.operation_id


@attrs.frozen
class LeftOut:
    """An operation of the document that is not in the IR, and why."""

    method: str
    template: str
    pointer: str
    reason: str


@attrs.frozen
class _Route:
    operation: ir.Operation
    bases: tuple[str, ...]  # the servers' base paths, as shown
    exact: re.Pattern[str]  # base path + template
    prefixed: re.Pattern[str]  # anything + base path + template
    anywhere: re.Pattern[str]  # a path ending in the template


class Routes:
    """The operations of one API, by method and path template."""

    def __init__(self, api: ir.Api, left_out: Iterable[LeftOut] = ()) -> None:
        self._routes = [_route(op, op.servers or api.servers) for op in api.operations]
        self._left_out = [(item, _ending(item.template)) for item in left_out]

    def match(self, method: str, path: str) -> OperationMatch | None:
        """The operation a request is for, or None: the first whose base path and template
        fit the path, else one whose template ends it (with the base path mismatch)."""
        routes = [r for r in self._routes if r.operation.http_method == method]
        for kind in ("exact", "prefixed"):
            for route in routes:
                found = getattr(route, kind).fullmatch(path)
                if found:
                    return OperationMatch(route.operation, found.group("rest"))
        for route in routes:
            found = route.anywhere.search(path)
            if found:
                shown = " or ".join(route.bases)
                return OperationMatch(route.operation, found.group("rest"), shown)
        return None

    def left_out(self, method: str, path: str) -> LeftOut | None:
        """The left-out operation whose method is ``method`` and whose template ends
        ``path``, if any."""
        return next(
            (i for i, ending in self._left_out if i.method == method and ending.search(path)),
            None,
        )

    def methods_for(self, path: str) -> list[str]:
        """The methods of the operations whose template occurs in ``path``."""
        return sorted(
            {r.operation.http_method for r in self._routes if r.anywhere.search(path)}
            | {i.method for i, ending in self._left_out if ending.search(path)}
        )


def left_out_operations(
    api: ir.Api, operations: Iterable[tuple[str, str, str, Any]], warnings: Iterable[Problem]
) -> Iterator[LeftOut]:
    """The operations (``(pointer, method, template, operation)``, as
    :func:`~generator.pipeline.docview.iter_operations` gives them) that ``api`` lacks, each
    with the first "left out" warning the builder gave under its pointer."""
    kept = {op.pointer for op in api.operations}
    reasons: dict[str, str] = {}
    for problem in warnings:
        if problem.message.startswith(_LEFT_OUT):
            reasons.setdefault(problem.pointer, problem.message.removeprefix(_LEFT_OUT))
    for pointer, method, template, _ in operations:
        if pointer not in kept:
            reason = next(
                (m for p, m in reasons.items() if p == pointer or p.startswith(pointer + "/")),
                "the generator could not map it",
            )
            yield LeftOut(method.upper(), template, pointer, reason)


_LEFT_OUT = "left out: "  # how the builder's warnings begin (SchemaMapper.fail)


def _route(operation: ir.Operation, servers: tuple[ir.Server, ...]) -> _Route:
    bases = _base_paths(servers) or {"": ""}
    either = "|".join(bases)
    rest = f"(?P<rest>{path_pattern(operation.path)})"
    return _Route(
        operation=operation,
        bases=tuple(shown or "/" for shown in bases.values()),
        exact=re.compile(f"(?:{either}){rest}"),
        prefixed=re.compile(f".*?(?:{either}){rest}"),
        anywhere=re.compile(f"{rest}$"),
    )


def _ending(template: str) -> re.Pattern[str]:
    return re.compile(f"{path_pattern(template)}$")


def _base_paths(servers: tuple[ir.Server, ...]) -> dict[str, str]:
    """A regex for the base path of each server, and the base path as shown."""
    found: dict[str, str] = {}
    for server in servers:
        path = base_path(server.url)
        values: Mapping[str, tuple[str, ...]] = {v.name: v.values for v in server.variables}
        found.setdefault(path_pattern(path, values), path)
    return found
