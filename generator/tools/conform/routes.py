"""Which operation of the spec a recorded request is for: method and path template, after
the base path of one of the operation's servers.

The servers are the operation's own, else its path item's, else the document's; a server
variable in the path stands for one of its ``enum`` values, or for any text without one. A
prefix before the base path is allowed (a proxy, a deployment prefix). A request whose path
ends with a template but not after one of those base paths (``/v2/images/edits`` when the
server is ``.../v1``) is still matched, so that the rest can be checked, and
:attr:`OperationMatch.base_path_mismatch` says why it does not conform. A spec without a
base path (no servers, or ``/``) accepts any prefix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs

from ...errors import pointer_join
from ...pipeline.docview import follow, item_operations
from ...pipeline.load import Document

__all__ = ["OperationMatch", "Routes"]


@attrs.frozen
class OperationMatch:
    method: str
    template: str
    pointer: str
    operation: dict[str, Any]
    relative_path: str
    """The request path with the server's base path removed: what the template matched."""
    base_path_mismatch: str | None = None
    """The base paths the operation's servers have, when the request is under none of them."""

    @property
    def operation_id(self) -> str | None:
        value = self.operation.get("operationId")
        return value if isinstance(value, str) else None


@attrs.frozen
class _Route:
    method: str
    template: str
    pointer: str
    operation: dict[str, Any]
    bases: tuple[str, ...]  # the servers' base paths, as shown
    exact: re.Pattern[str]  # base path + template
    prefixed: re.Pattern[str]  # anything + base path + template
    anywhere: re.Pattern[str]  # a path ending in the template


class Routes:
    """The operations of one document, by method and path template."""

    def __init__(self, document: Document) -> None:
        self._data = document.data
        self._version = document.version
        self._routes = list(self._collect())

    def match(self, method: str, path: str) -> OperationMatch | None:
        """The operation a request is for, or None: the first whose base path and template
        fit the path, else one whose template ends it (with the base path mismatch)."""
        routes = [r for r in self._routes if r.method == method]
        for kind in ("exact", "prefixed"):
            for route in routes:
                found = getattr(route, kind).fullmatch(path)
                if found:
                    return self._matched(route, found.group("rest"))
        for route in routes:
            found = route.anywhere.search(path)
            if found:
                shown = " or ".join(route.bases)
                return self._matched(route, found.group("rest"), shown)
        return None

    def methods_for(self, path: str) -> list[str]:
        """The methods of the operations whose template occurs in ``path``."""
        return sorted({r.method for r in self._routes if r.anywhere.search(path)})

    @staticmethod
    def _matched(route: _Route, relative: str, mismatch: str | None = None) -> OperationMatch:
        return OperationMatch(
            route.method, route.template, route.pointer, route.operation, relative, mismatch
        )

    def _collect(self) -> Iterator[_Route]:
        paths = self._data.get("paths") or {}
        top = _base_paths(self._data.get("servers"))
        for template, item in paths.items():
            item, pointer = follow(self._data, item, pointer_join("/paths", template))
            if not isinstance(item, dict):
                continue
            pattern = "".join(
                "[^/]+" if piece.startswith("{") else re.escape(piece)
                for piece in re.split(r"(\{[^}/]*\})", template)
            )
            in_item = _base_paths(item.get("servers")) or top
            for keys, operation in item_operations(item, self._version):
                method = keys[-1]
                bases = _base_paths(operation.get("servers")) or in_item or [("", "")]
                either = "|".join(regex for regex, _ in bases)
                rest = f"(?P<rest>{pattern})"
                yield _Route(
                    method=method.upper(),
                    template=template,
                    pointer=pointer_join(pointer, *keys),
                    operation=operation,
                    bases=tuple(shown or "/" for _, shown in bases),
                    exact=re.compile(f"(?:{either}){rest}"),
                    prefixed=re.compile(f".*?(?:{either}){rest}"),
                    anywhere=re.compile(f"{rest}$"),
                )


def _base_paths(servers: Any) -> list[tuple[str, str]]:
    """(regex, as shown) for the path of each server URL, without its trailing slash."""
    found: list[tuple[str, str]] = []
    for server in servers if isinstance(servers, list) else ():
        url = server.get("url") if isinstance(server, dict) else None
        if not isinstance(url, str):
            continue
        variables = server.get("variables")
        variables = variables if isinstance(variables, dict) else {}
        path = url.partition("?")[0].partition("#")[0]
        if "://" in path:  # scheme and host are not the path: a proxy may change them
            path = "/" + path.partition("://")[2].partition("/")[2]
        path = path.rstrip("/")
        regex = "".join(
            _variable(variables.get(piece[1:-1])) if piece.startswith("{") else re.escape(piece)
            for piece in re.split(r"(\{[^}/]*\})", path)
        )
        if (regex, path) not in found:
            found.append((regex, path))
    return found


def _variable(variable: Any) -> str:
    values = variable.get("enum") if isinstance(variable, dict) else None
    if isinstance(values, list) and values:
        return "(?:" + "|".join(re.escape(str(v)) for v in values) + ")"
    return "[^/]*"
