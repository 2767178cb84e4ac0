"""Which operation of the spec a recorded request is for: method and path template, after
one of the servers' base paths (or any prefix, for a proxy or a deployment prefix)."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

import attrs

from ...errors import pointer_join
from ...pipeline.load import Document, resolve_pointer

__all__ = ["OperationMatch", "Routes"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@attrs.frozen
class OperationMatch:
    method: str
    template: str
    pointer: str
    operation: dict[str, Any]
    relative_path: str
    """The request path with the server's base path removed: what the template matched."""

    @property
    def operation_id(self) -> str | None:
        value = self.operation.get("operationId")
        return value if isinstance(value, str) else None


@attrs.frozen
class _Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    pointer: str
    operation: dict[str, Any]


class Routes:
    """The operations of one document, by method and path template."""

    def __init__(self, document: Document) -> None:
        self._data = document.data
        self._routes = list(self._collect())
        self._server_paths = self._collect_server_paths()

    def match(self, method: str, path: str) -> OperationMatch | None:
        """The operation a request is for, or None."""
        candidates = [path[len(p) :] or "/" for p in self._server_paths if path.startswith(p + "/")]
        candidates.append(path)
        for candidate in candidates:
            for route in self._routes:
                if route.method == method and route.pattern.fullmatch(candidate):
                    return self._matched(route, candidate)
        for route in self._routes:
            # A base path that the spec's servers do not list (a proxy, a deployment prefix):
            # the template may match the end of the path.
            found = re.search("(?:" + route.pattern.pattern + ")$", path)
            if route.method == method and found:
                return self._matched(route, found.group(0))
        return None

    def methods_for(self, path: str) -> list[str]:
        """The methods of the operations whose template occurs in ``path``."""
        return sorted({r.method for r in self._routes if r.pattern.search(path)})

    @staticmethod
    def _matched(route: _Route, relative: str) -> OperationMatch:
        return OperationMatch(
            route.method, route.template, route.pointer, route.operation, relative
        )

    def _collect(self) -> Iterator[_Route]:
        paths = self._data.get("paths") or {}
        for template, item in paths.items():
            pointer = pointer_join("/paths", template)
            item, pointer = deref(self._data, item, pointer)
            if not isinstance(item, dict):
                continue
            pattern = re.compile(
                "".join(
                    "[^/]+" if piece.startswith("{") else re.escape(piece)
                    for piece in re.split(r"(\{[^}/]*\})", template)
                )
            )
            for method in _METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    yield _Route(
                        method.upper(), template, pattern, pointer_join(pointer, method), operation
                    )

    def _collect_server_paths(self) -> list[str]:
        prefixes = set()
        for server in self._data.get("servers") or []:
            url = server.get("url") if isinstance(server, dict) else None
            if not isinstance(url, str):
                continue
            for name, variable in (server.get("variables") or {}).items():
                default = variable.get("default", "") if isinstance(variable, dict) else ""
                url = url.replace("{" + name + "}", str(default))
            try:
                path = urllib.parse.urlsplit(url).path.rstrip("/")
            except ValueError:  # a server URL that does not parse names no base path
                continue
            if path:
                prefixes.add(path)
        return sorted(prefixes, key=len, reverse=True)


def deref(data: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow a chain of local ``$ref`` s: the node they name, and its pointer."""
    for _ in range(50):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        target = node["$ref"].removeprefix("#")
        try:
            node = resolve_pointer(data, target)
        except KeyError:
            break
        pointer = target
    return node, pointer
