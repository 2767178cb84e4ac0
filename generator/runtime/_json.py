"""Decoding JSON: with ``jiter`` when it is installed, else with :mod:`json`; the same
values and the same errors either way.

A package needs only attrs and httpx. When ``jiter`` (the parser the official SDK installs)
is importable, answers and events are parsed with it: about 5x faster than
:func:`json.loads` on multi-MB strings, 1.5-2x on large lists of objects
(``bench/bench_sse.py``, ``bench/bench_large_json.py``). Whatever ``jiter`` refuses (bad
JSON, nesting deeper than its limit of 200, text it will not read) is handed to
:func:`json.loads`, which decides: a value it accepts is returned, and its error (a
:class:`json.JSONDecodeError`, a ``RecursionError``) is the one raised. So a payload gives
the same value, or the same exception, with or without ``jiter``;
``tests/runtime/test_json_equivalence.py`` checks this against :func:`json.loads`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["FAST_PARSER", "loads", "loads_fast"]


def _fast_parser() -> tuple[str | None, Callable[[bytes], Any] | None]:
    try:
        from jiter import from_json  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None, None

    def parse(data: bytes) -> Any:
        # Keys are cached (they repeat across the items of a list); long values are not.
        return from_json(data, cache_mode="keys")

    return "jiter", parse


FAST_PARSER, _parse = _fast_parser()
"""The name of the fast parser in use (``"jiter"``), or None: :mod:`json` alone."""


def loads(data: bytes | bytearray | str) -> Any:
    """The value of a JSON document: :func:`json.loads`'s value and errors, faster."""
    if _parse is not None and not isinstance(data, str):
        try:
            return _parse(bytes(data) if isinstance(data, bytearray) else data)
        except ValueError:  # anything refused: json decides, and raises its own error
            pass
    return json.loads(data)


def loads_fast(data: bytes) -> tuple[bool, Any]:
    """``(True, value)`` when the fast parser reads ``data``; ``(False, None)`` when there is
    none or it refuses, so the caller can take its own (slower, precise) path."""
    if _parse is None:
        return False, None
    try:
        return True, _parse(data)
    except ValueError:
        return False, None
