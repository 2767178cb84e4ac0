"""Located problems: what went wrong, in which file, at which JSON pointer."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Literal, TextIO

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


def print_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    """Each problem on its own line: ``warning: <file>:<line>: <pointer>: <message>``."""
    out = stream if stream is not None else sys.stderr
    for problem in problems:
        print(f"{problem.severity}: {problem}", file=out)


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
