"""Traffic in pieces: the recording files of the inputs (folders walked), cut into shards
that can be checked anywhere, and the check of one shard, rendered as report entries.

A shard is a whole file, or, for a large NDJSON file, the lines that start in a byte range
of it (cut at line ends; its first line number is known, so each exchange keeps its line).
Checking a shard gives its report entries already rendered (text lines or JSON items),
in input order, with its counts and the problems of unusable input: the report is these
pieces joined in shard order, so it is the same however many processes (or machines) did
the checking, and whatever the shards' sizes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from ...errors import GeneratorError, Problem
from ...pipeline.inputfiles import open_regular
from .checker import Checker
from .exchanges import Exchange
from .findings import ExchangeReport
from .recordings import NDJSON_SUFFIXES, is_ndjson, iter_recording, iter_recording_range

__all__ = [
    "RECORDING_SUFFIXES",
    "Shard",
    "ShardResult",
    "SpecRef",
    "check_shard",
    "expand",
    "plan",
    "render",
]

RECORDING_SUFFIXES = (".json", ".har", *NDJSON_SUFFIXES)
"""The files taken from a folder (a file named on the command line is taken whatever its name)."""

_BLOCK = 1 << 20
_MIN_SHARD = 256 << 10  # smaller pieces cost more to send than to check
_MAX_SHARD = 16 << 20


@attrs.frozen
class SpecRef:
    """The spec a shard is checked against: where to read it, and its bytes' hash (a
    worker refuses a spec that is not the one the run was started with)."""

    path: str
    digest: str

    @classmethod
    def of(cls, path: str | Path) -> SpecRef:
        with open_regular(path) as file:
            digest = hashlib.sha256(file.read()).hexdigest()
        return cls(os.path.abspath(path), digest)


@attrs.frozen
class Shard:
    """A file (``end`` None), or its NDJSON lines starting in bytes ``[start, end)``."""

    path: str  # absolute, to be opened anywhere
    shown: str  # as the user named it: what the report says
    start: int = 0
    end: int | None = None
    line: int = 1
    problem: str | None = None  # an input that is no recording (an empty folder)


@attrs.frozen
class ShardResult:
    entries: tuple[str, ...]
    total: int
    failing: int
    findings: int
    problems: tuple[Problem, ...]


def expand(paths: Sequence[str | Path]) -> list[Shard]:
    """The recording files of the inputs, each a whole-file shard: a folder gives the files
    in it and below with a recording's suffix (hidden ones left out), in name order;
    anything else is taken as a file. A folder without one is a shard with a problem."""
    files: list[Shard] = []
    for given in paths:
        shown = str(given)
        if not os.path.isdir(given):
            files.append(Shard(os.path.abspath(given), shown))
            continue
        found: list[str] = []
        for folder, subfolders, names in os.walk(given):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith(".") and name.lower().endswith(RECORDING_SUFFIXES):
                    found.append(os.path.join(folder, name))
        found.sort(key=lambda path: Path(path).parts)
        if not found:
            suffixes = ", ".join(RECORDING_SUFFIXES)
            problem = f"this folder holds no recordings ({suffixes})"
            files.append(Shard(os.path.abspath(given), shown, problem=problem))
        files.extend(Shard(os.path.abspath(path), path) for path in found)
    return files


def plan(paths: Sequence[str | Path], pieces: int = 1, smallest: int = _MIN_SHARD) -> list[Shard]:
    """The shards of the inputs, in input order. An NDJSON file is cut into about
    ``pieces`` x 4 parts (each between ``smallest``, 256 KiB, and 16 MiB) so that a single
    large file keeps every worker busy. A file that cannot be read stays whole: checking it
    reports why, in its turn."""
    shards: list[Shard] = []
    for whole in expand(paths):
        if whole.problem is not None:
            shards.append(whole)
            continue
        try:
            shards.extend(_cut(whole.path, whole.shown, pieces, smallest))
        except (GeneratorError, OSError):
            shards.append(whole)
    return shards


def _cut(path: str, shown: str, pieces: int, smallest: int) -> list[Shard]:
    with open_regular(path, shown) as file:
        size = os.fstat(file.fileno()).st_size
        target = min(_MAX_SHARD, max(smallest, size // max(1, 4 * pieces)))
        if size <= target or not is_ndjson(shown, file):
            return [Shard(path, shown)]
        shards: list[Shard] = []
        start, line = 0, 1  # the current shard's first byte and line
        offset = 0  # of ``block`` in the file
        lines = 0  # line feeds before ``offset``
        cut_after = target  # the next cut is at the first line start at or after this
        while block := file.read(_BLOCK):
            search = max(0, cut_after - offset - 1)
            while search < len(block):
                feed = block.find(b"\n", search)
                if feed < 0:
                    break
                boundary = offset + feed + 1
                shards.append(Shard(path, shown, start, boundary, line))
                line = lines + block.count(b"\n", 0, feed + 1) + 1
                start = boundary
                cut_after = boundary + target
                search = max(feed + 1, cut_after - offset - 1)
            lines += block.count(b"\n")
            offset += len(block)
        if start < offset:
            shards.append(Shard(path, shown, start, offset, line))
        return shards


# -- checking -----------------------------------------------------------------------------

_CHECKERS: dict[SpecRef, Checker] = {}


def checker_for(spec: SpecRef) -> Checker:
    """The checker of ``spec``, built once per process."""
    checker = _CHECKERS.get(spec)
    if checker is None:
        if SpecRef.of(spec.path).digest != spec.digest:
            raise GeneratorError([Problem(spec.path, "", "the spec changed during the run")])
        checker = Checker.for_spec(spec.path)
        _CHECKERS[spec] = checker
    return checker


def remember(spec: SpecRef, checker: Checker) -> None:
    """Use ``checker`` for ``spec`` in this process (and in processes forked from it)."""
    _CHECKERS[spec] = checker


def exchanges(shard: Shard, problems: list[Problem]) -> Iterator[Exchange]:
    """The exchanges of a shard; what is unusable is added to ``problems``."""
    if shard.problem is not None:
        problems.append(Problem(shard.shown, "", shard.problem))
        return
    try:
        if shard.end is None:
            yield from iter_recording(shard.path, problems, shard.shown)
        else:
            yield from iter_recording_range(
                shard.path, shard.start, shard.end, shard.line, problems, shard.shown
            )
    except GeneratorError as error:
        problems.extend(error.problems)
    except Exception as exc:  # unreadable for a reason no rule foresaw: still exit 2
        reason = f"cannot read this recording: {type(exc).__name__}: {exc}"
        problems.append(Problem(shard.shown, "", reason))


def check_shard(spec: SpecRef, shard: Shard, form: str) -> ShardResult:
    """Check every exchange of a shard; its report entries rendered in ``form``."""
    checker = checker_for(spec)
    problems: list[Problem] = []
    entries: list[str] = []
    failing = findings = 0
    for exchange in exchanges(shard, problems):
        if problems:  # the run ends in exit 2: keep reading only to name every problem
            continue
        report = checker.check(exchange)
        entries.append(render(report, form))
        failing += not report.ok
        findings += len(report.findings)
    if problems:
        return ShardResult((), 0, 0, 0, tuple(problems))
    return ShardResult(tuple(entries), len(entries), failing, findings, ())


def render(report: ExchangeReport, form: str) -> str:
    """One exchange's entry: text lines, or an item of the JSON report (indented)."""
    if form == "json":
        item = json.dumps(report.to_json(), indent=2, ensure_ascii=False)
        return "\n".join("    " + line for line in item.split("\n"))
    out = io.StringIO()
    exchange = report.exchange
    response = report.response
    answer = "no response"
    if response is not None:
        answer = f"{response.status} {response.header('content-type') or '(no content type)'}"
        if report.events is not None:
            answer += f", {report.events} event{'s' if report.events != 1 else ''}"
    status = "ok  " if report.ok else "FAIL"
    out.write(f"{status} {exchange.file}: {exchange.label} -> {answer}\n")
    for finding in report.findings:
        tag = "" if finding.severity == "error" else f"{finding.severity}: "
        where = f"{finding.subject} {finding.location}".strip()
        out.write(f"     {where}: {tag}{finding.message} [{finding.rule}]\n")
    return out.getvalue()
