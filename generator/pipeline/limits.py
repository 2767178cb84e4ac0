"""Bounds on what the generator reads, so that hostile input ends quickly with a located error.

Each limit has a default, an environment variable, and a command-line flag that overrides
both for one run (``--max-input-size``, ``--max-depth``, ``--max-alias-nodes``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from ..errors import GeneratorError, Problem

MiB = 1 << 20


@attrs.frozen
class Limits:
    """What one input may hold; every reader of specs and configs checks these."""

    #: Bytes of one input file, and of all the files one spec refers to together.
    max_input_bytes: int = 64 * MiB
    #: Nesting of mappings and lists, counted from the document's top level.
    max_depth: int = 256
    #: Nodes that YAML aliases may add to the document when they are expanded.
    max_alias_nodes: int = 1_000_000
    #: The folder whose files a spec's external ``$ref`` s may read (``--ref-root``); None:
    #: the spec's own folder.
    ref_root: str | None = None


ENVIRONMENT = {
    "max_input_bytes": "GENERATOR_MAX_INPUT_BYTES",
    "max_depth": "GENERATOR_MAX_DEPTH",
    "max_alias_nodes": "GENERATOR_MAX_ALIAS_NODES",
}
FLAGS = {
    "max_input_bytes": "--max-input-size",
    "max_depth": "--max-depth",
    "max_alias_nodes": "--max-alias-nodes",
}

_override: Limits | None = None


def current() -> Limits:
    """The limits in force: those set for this run, else the environment's, else defaults."""
    if _override is not None:
        return _override
    return from_environment()


def from_environment() -> Limits:
    """Defaults, replaced by any ``GENERATOR_MAX_*`` variable that is set."""
    values: dict[str, Any] = {}
    for field, variable in ENVIRONMENT.items():
        text = os.environ.get(variable)
        if text is not None and text.strip():
            values[field] = parse_size(text, variable)
    return Limits(**values)


def parse_size(text: str, where: str) -> int:
    """A positive count; sizes may end in K, M or G (powers of 1024)."""
    cleaned = text.strip().upper().removesuffix("B").removesuffix("I")
    factor = 1
    for suffix, power in (("K", 1), ("M", 2), ("G", 3)):
        if cleaned.endswith(suffix):
            cleaned, factor = cleaned[:-1], 1024**power
            break
    if not cleaned.isdigit() or len(cleaned) > 18 or int(cleaned) * factor < 1:
        message = f"{text!r} is not a positive number (like 1000, 64M or 1G)"
        raise GeneratorError([Problem(where, "", message)])
    return int(cleaned) * factor


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Put ``limits`` in force for the duration of a ``with`` block."""
    global _override
    saved, _override = _override, limits
    try:
        yield limits
    finally:
        _override = saved


_UNITS = {"max_input_bytes": "bytes", "max_depth": "levels", "max_alias_nodes": "nodes"}


def describe(field: str, value: int) -> str:
    """``"64 MiB (--max-input-size or GENERATOR_MAX_INPUT_BYTES)"``: a limit, how to change it."""
    if field == "max_input_bytes" and value % MiB == 0:
        shown = f"{value // MiB} MiB"
    else:
        shown = f"{value:,} {_UNITS[field]}"
    return f"{shown} ({FLAGS[field]} or {ENVIRONMENT[field]})"
