"""Derive the runtime's sync client from its async source, as httpcore's ``unasync`` does.

``generator/runtime/_async_client.py`` is written by hand. ``_sync_client.py`` is derived
from it here and committed (the runtime is copied verbatim into every package), never
edited by hand: ``python -m generator.tools.unasync`` rewrites it, ``--check`` exits 1
when it differs from what the source gives. The test suite runs the check.

The derivation, statement by statement:

1. Markers, a comment at the end of a source line. ``# async only``: the statement is left
   out, with the block it opens (a decorator takes the definition it decorates).
   ``# sync: CODE``: the line becomes ``CODE``, indented as it was.
2. The rules of :data:`RULES`, in order, on whole words of every other line (code,
   comments and docstrings alike): ``async def`` -> ``def``, ``await x`` -> ``x``,
   ``__aenter__`` -> ``__enter__``, ``aclose`` -> ``close``, ``AsyncIterator`` ->
   ``Iterator``, ``Awaitable[X]`` -> ``X``, ``AsyncStream`` -> ``Stream``, ``AsyncPage`` ->
   ``SyncPage``...
3. The source's leading comment gives way to a note saying where the file comes from, and
   the result is tidied and formatted as the rest of the code is (``ruff check --fix-only``
   drops the imports the sync code does not use and sorts names, then ``ruff format``),
   with the repository's configuration.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Sequence
from pathlib import Path

from ..pipeline.templates import RUNTIME_DIR
from ..pipeline.write import _ruff_command

__all__ = ["RULES", "SOURCE", "TARGET", "derive", "main", "unasync_lines"]

SOURCE = RUNTIME_DIR / "_async_client.py"
TARGET = RUNTIME_DIR / "_sync_client.py"
_FORMATTED_AS = TARGET  # ruff finds the configuration that applies to it

ASYNC_ONLY = "# async only"
SYNC_AS = "# sync: "
_UNWRAP = "<the generic's argument>"

RULES: tuple[tuple[str, str], ...] = (
    # the keywords
    (r"\basync (def|with|for)\b", r"\1"),
    (r"\bawait ", ""),
    # the protocols
    (r"\b__a(enter|exit|iter|next)__\b", r"__\1__"),
    # methods and helpers named after their sync twins: aclose, aiter_bytes, _aread_some...
    (r"\b(_?)a(close|read|iter|call|chunks|timed)(?=\w*\b)", r"\1\2"),
    # types
    (r"\bAsync(Iterator|Iterable)\b", r"\1"),
    (r"\bAsyncGenerator\[(\w+), None\]", r"Generator[\1, None, None]"),
    (r"\bAsyncByteStream\b", "SyncByteStream"),
    (r"\bhttpx\.AsyncClient\b", "httpx.Client"),
    (r"\b(\w+) \| Awaitable\[\1\]", r"\1"),
    # Awaitable[X] -> X; AsyncPaginator[T, Page[T]] -> Page[T]: a sync list call returns
    # its first page
    (r"\b(Awaitable|AsyncPaginator)\[", _UNWRAP),
    # what sync code uses instead of anyio's
    (r"\banyio\.sleep\b", "time.sleep"),
    (r"\banyio\.open_file\b", "open"),
    # names: a sync name keeps a ``Sync`` prefix where the SDK's does, else has none
    (r"\b(_?)Async(APIClient|APIResource|CursorPage|Page|BasePage)\b", r"\1Sync\2"),
    (r"\b(_?)Async(?=[A-Z])", r"\1"),
    (r"\basync_(?=\w)", ""),
)
"""The rules of step 2: a regular expression and its replacement, applied in this order."""

_COMPILED = [(re.compile(pattern), replacement) for pattern, replacement in RULES]


def _unwrap(line: str, match: re.Match[str]) -> str:
    """``line`` with the generic at ``match`` replaced by its (last) argument."""
    depth, last = 1, match.end()
    for index in range(match.end(), len(line)):
        char = line[index]
        if char == "[":
            depth += 1
        elif char == "," and depth == 1:
            last = index + 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                start = last if match.group(1) == "AsyncPaginator" else match.end()
                return line[: match.start()] + line[start:index].strip() + line[index + 1 :]
    raise ValueError(f"unbalanced brackets after {match.group(0)!r}: {line!r}")


def _apply_rules(line: str) -> str:
    for pattern, replacement in _COMPILED:
        if replacement == _UNWRAP:
            while (match := pattern.search(line)) is not None:
                line = _unwrap(line, match)
        else:
            line = pattern.sub(replacement, line)
    return line


def _statement_ends(text: str) -> dict[int, int]:
    """For each line (0-based) on which a statement or a comment starts, its last line."""
    ends: dict[int, int] = {}
    start: int | None = None
    depth = 0
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    with contextlib.suppress(tokenize.TokenError):  # a fragment: its statements so far
        for token in tokens:
            if token.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                continue
            if token.type == tokenize.NEWLINE or (token.type == tokenize.NL and depth == 0):
                if start is not None:
                    ends[start] = token.start[0] - 1
                start = None
                continue
            if token.type == tokenize.OP:
                depth += token.string in "([{"
                depth -= token.string in ")]}"
            if start is None and token.type != tokenize.NL:
                start = token.start[0] - 1
    return ends


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block_end(lines: Sequence[str], ends: dict[int, int], start: int) -> int:
    """The index after the statement at ``start`` and the block it opens."""
    indent = _indent(lines[start])
    end = ends.get(start, start) + 1
    if lines[start].lstrip().startswith("@"):  # the other decorators, then the definition
        while end < len(lines) and lines[end].lstrip().startswith("@"):
            end = ends.get(end, end) + 1
        end = ends.get(end, end) + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end = ends.get(end, end) + 1
    while end > start + 1 and not lines[end - 1].strip():  # blank lines after it stay
        end -= 1
    return end


def unasync_lines(lines: Sequence[str]) -> list[str]:
    """Steps 1 and 2: the sync twin of each line of async code."""
    ends = _statement_ends("\n".join(lines) + "\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.endswith(ASYNC_ONLY) and line[: -len(ASYNC_ONLY)].strip():
            index = _block_end(lines, ends, index)
            continue
        at = line.find(SYNC_AS)
        if at >= 0 and line[:at].strip():
            out.append(" " * _indent(line) + line[at + len(SYNC_AS) :].strip())
        else:
            out.append(_apply_rules(line))
        index += 1
    return out


def derive(source: Path = SOURCE) -> str:
    """The text :data:`TARGET` should have: the sync twin of ``source``, tidied and formatted
    with the configuration that applies to :data:`TARGET`."""
    lines = source.read_text(encoding="utf-8").splitlines()
    while lines and lines[0].startswith("#"):  # the source's own note
        lines.pop(0)
    header = [
        f"# Derived from {source.name} by generator/tools/unasync.py: do not edit this file.",
        f"# Edit {source.name}, then run `python -m generator.tools.unasync`.",
    ]
    text = "\n".join([*header, *unasync_lines(lines)]) + "\n"
    for step in (["check", "--fix-only", "--select", "I,F401,RUF022", "--quiet"], ["format"]):
        command = [*_ruff_command(), *step, "--stdin-filename", str(_FORMATTED_AS), "-"]
        done = subprocess.run(command, input=text, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"ruff {step[0]} failed on the derived code: {done.stderr.strip()}")
        text = done.stdout
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.tools.unasync",
        description=f"Write {TARGET.name}, derived from {SOURCE.name}.",
        epilog="exit codes: 0 written, or up to date; 1 (with --check) it is stale",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when the file is stale"
    )
    args = parser.parse_args(argv)
    derived = derive(SOURCE)
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if current == derived:
        return 0
    if args.check:
        print(f"{TARGET} is stale: run `python -m generator.tools.unasync`", file=sys.stderr)
        return 1
    TARGET.write_text(derived, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
