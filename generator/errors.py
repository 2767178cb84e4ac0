"""Located problems: what went wrong, in which file, at which JSON pointer."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import Any, Literal, TextIO

import attrs

Severity = Literal["error", "warning"]


@attrs.frozen
class Problem:
    """One thing wrong with an input, located by file, JSON pointer and (when known) line.

    An error stops the run. A warning is reported and the run goes on with the evident
    meaning, or without the part it names; ``--strict`` makes every warning an error.
    """

    file: str
    pointer: str
    message: str
    line: int | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.pointer or '/'}: {self.message}"

    def as_warning(self) -> Problem:
        return attrs.evolve(self, severity="warning")

    def as_error(self) -> Problem:
        return attrs.evolve(self, severity="error")


class GeneratorError(Exception):
    """One or more problems that stop the generator; reported together, exit code 2.

    ``problems`` may hold warnings too (what was found before the errors, for context).
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


SHOWN_PLACES = 3  # places named after the first when several problems have one cause
_PARTICULARS = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|[^\s(]*[/#][^\s)]*|\d+")


def distinct(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` in order, each once: a problem repeated at the same place, or at a place
    where another one says the same and more, is left out."""
    problems = list(problems)
    by_place: dict[tuple[str, str, str], list[str]] = {}
    for problem in problems:
        by_place.setdefault(_place(problem), []).append(problem.message)
    seen: set[tuple[tuple[str, str, str], str]] = set()
    result = []
    for problem in problems:
        key = (_place(problem), problem.message)
        others = by_place[key[0]]
        fuller = any(m != problem.message and m.startswith(problem.message) for m in others)
        if key in seen or fuller:
            continue
        seen.add(key)
        result.append(problem)
    return result


def cause(message: str) -> str:
    """What a message says without its particulars (quoted names, pointers, numbers): the
    problems of one cause are reported together."""
    return _PARTICULARS.sub("…", message)


def print_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    """One line per distinct cause: ``warning: <file>:<line>: <pointer>: <message>``, and
    when the same cause is found in several places, how many and the first few of them."""
    out = stream if stream is not None else sys.stderr
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in distinct(problems):
        groups.setdefault((problem.severity, cause(problem.message)), []).append(problem)
    for (severity, _), group in groups.items():
        first = group[0]
        line = f"{severity}: {first}"
        if len(group) > 1:
            places = ", ".join(_where(p, first) for p in group[1 : 1 + SHOWN_PLACES])
            more = len(group) - 1 - SHOWN_PLACES
            line += f" [{len(group)} places like it; also {places}"
            line += f" and {more} more]" if more > 0 else "]"
        print(line, file=out)


def _place(problem: Problem) -> tuple[str, str, str]:
    return (problem.file, problem.pointer, problem.severity)


def _where(problem: Problem, first: Problem) -> str:
    line = f":{problem.line}" if problem.line is not None else ""
    if problem.file == first.file:
        return f"{problem.pointer or '/'}" + (f" (line {problem.line})" if line else "")
    return f"{problem.file}{line} {problem.pointer or '/'}"


def pointer_join(pointer: str, *parts: str | int) -> str:
    """Extend a JSON pointer, escaping ``~`` and ``/`` in each new part (RFC 6901)."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/".join([pointer, *escaped])


def pointer_parts(pointer: str) -> list[str]:
    """Split a JSON pointer (with or without a leading ``#``) into unescaped parts."""
    pointer = pointer.removeprefix("#")
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


MISSING: Any = object()
"""What :func:`lookup` gives for a pointer that leads nowhere."""


def lookup(data: Any, parts: Iterable[str]) -> Any:
    """The value at a JSON pointer's (unescaped) parts in ``data``, or :data:`MISSING`."""
    node = data
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node
