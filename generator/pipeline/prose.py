"""The bound on one piece of spec prose: a ``description``, ``summary`` or ``title``.

Prose becomes docstrings, so its size is the generated code's size: a 24 MB description
would make the formatter run out of memory. Longer prose is cut to :data:`MAX_PROSE`
characters when the document is loaded, with a located warning naming the limit (so
``--strict`` refuses it). Data is never cut: extensions (``x-...``), examples, defaults,
enums and constants are skipped.
"""

from __future__ import annotations

from typing import Any

from ..errors import pointer_join

__all__ = ["MAX_PROSE", "cut_long_prose"]

MAX_PROSE = 65_536
"""Characters of one description, summary or title (the longest in OpenAI's spec: 1,380)."""

_PROSE = frozenset({"description", "summary", "title"})
_DATA = frozenset({"example", "examples", "default", "enum", "const"})


def cut_long_prose(data: Any) -> list[tuple[str, str]]:
    """Cut, in place, every piece of prose longer than :data:`MAX_PROSE`; a (pointer,
    message) warning for each."""
    if not _has_long_prose(data):  # the usual case, found without building pointers
        return []
    found: list[tuple[str, str]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(key, str) and (key.startswith("x-") or key in _DATA):
                continue
            where = pointer_join(pointer, key)
            if isinstance(value, dict | list):
                stack.append((value, where))
            elif key in _PROSE and isinstance(value, str) and len(value) > MAX_PROSE:
                node[key] = value[:MAX_PROSE]
                found.append(
                    (
                        where,
                        f"{key} of {len(value):,} characters cut to its first {MAX_PROSE:,} "
                        "(the limit on one description, summary or title)",
                    )
                )
    return sorted(found)


def _has_long_prose(data: Any) -> bool:
    seen: set[int] = set()
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
            continue
        for key, value in node.items():
            if isinstance(value, dict | list):
                if not (isinstance(key, str) and (key.startswith("x-") or key in _DATA)):
                    stack.append(value)
            elif key in _PROSE and isinstance(value, str) and len(value) > MAX_PROSE:
                return True
    return False
