"""``python -m generator conform SPEC RECORDING... [--format text|json] [--workers N]
[--engine local|dask] [--scheduler ADDRESS] [--base-url URL] [--timeout SECONDS]
[--header 'Name: value']``.

A RECORDING is a file (ours, NDJSON of exchanges, HAR) or a folder of them. With
``--workers N`` or ``--engine dask`` the inputs are cut into shards (:mod:`.shards`),
checked elsewhere, and their rendered entries merged in input order: the report is the
one a single process writes.

Exit status: 0 when every exchange conforms, 1 when any does not, 2 when an input is
unusable (raised as :class:`~generator.errors.GeneratorError`; the CLI prints it). A file
that cannot be read for a reason no rule foresaw is unusable too; an exchange that cannot
be checked is a finding (see :meth:`~.checker.Checker.check`).

Recordings are streamed an exchange at a time, and each report is written to a spooled
temporary file as it is made (memory up to 8 MiB, then disk), so memory stays bounded by
the largest exchange however long the recording; the report reaches stdout only when the
run ends, so an unusable input (exit 2) prints none. With ``--base-url`` every recording is
read once first, so that nothing is sent when one of them is unusable.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from ...errors import GeneratorError, Problem, print_problems
from .checker import Checker
from .findings import ExchangeReport
from .shards import Shard, ShardResult, SpecRef, check_shard, exchanges, plan, remember, render

__all__ = ["DEFAULT_TIMEOUT", "iter_reports", "iter_results", "local_results", "main", "run"]

DEFAULT_TIMEOUT = 300.0
"""Seconds ``--base-url`` waits for an answer (``--timeout``); connecting waits at most 10 s."""
_SPOOL = 8 << 20


def main(args: argparse.Namespace) -> int:
    warnings: list[Problem] = []
    workers = getattr(args, "workers", None) or 1
    engine = getattr(args, "engine", None) or "local"
    scheduler = getattr(args, "scheduler", None)
    if args.base_url is not None and (workers > 1 or engine != "local"):
        raise GeneratorError([Problem("--base-url", "", "replays requests one at a time: "
                                      "use it without --workers and --engine")])  # fmt: skip
    if scheduler is not None and engine != "dask":
        raise GeneratorError([Problem("--scheduler", "", "is for --engine dask")])
    with _Report(args.format) as report:
        if args.base_url is None and (workers > 1 or engine != "local"):
            for result in iter_results(
                args.spec, args.recordings, workers=workers, engine=engine,
                scheduler=scheduler, form=args.format, warnings=warnings,
            ):  # fmt: skip
                report.add_entries(result)
        else:
            for item in iter_reports(
                args.spec, args.recordings, base_url=args.base_url,
                timeout=getattr(args, "timeout", None) or DEFAULT_TIMEOUT,
                headers=getattr(args, "header", None) or (), warnings=warnings,
            ):  # fmt: skip
                report.add(item)
        print_problems(warnings)
        report.write(sys.stdout)
        return 0 if report.failing == 0 else 1


def run(
    spec: object,
    recordings: Sequence[object],
    *,
    base_url: str | None = None,
    warnings: list[Problem] | None = None,
) -> list[ExchangeReport]:
    """Every report of :func:`iter_reports`, in a list (it holds every exchange)."""
    return list(iter_reports(spec, recordings, base_url=base_url, warnings=warnings))


def iter_reports(
    spec: object,
    recordings: Sequence[object],
    *,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    headers: Sequence[tuple[str, str]] = (),
    warnings: list[Problem] | None = None,
) -> Iterator[ExchangeReport]:
    """Check every exchange of the recordings (files, or folders of them; or, with
    ``base_url``, its live answer), one at a time. An unusable recording raises
    :class:`GeneratorError` once every recording has been read, with every problem.

    What the spec has that the checks go on without is added to ``warnings``.
    """
    checker = Checker.for_spec(str(spec))
    document = checker.document
    if warnings is not None:
        warnings.extend([*document.warnings, *checker.schemas.warnings])
    problems: list[Problem] = []
    files = plan([str(path) for path in recordings])
    if base_url is None:
        for shard in files:
            for exchange in exchanges(shard, problems):
                if not problems:  # once one is unusable the run ends in exit 2
                    yield checker.check(exchange)
        if problems:
            raise GeneratorError(problems)
        return

    for shard in files:  # all readable before anything is sent
        for _ in exchanges(shard, problems):
            pass
    if problems:
        raise GeneratorError(problems)

    import httpx

    from .live import Replay, fetch

    replay = Replay.for_document(document, base_url, headers)
    limits = httpx.Timeout(timeout, connect=min(10.0, timeout))
    with httpx.Client(timeout=limits, follow_redirects=False) as client:
        for shard in files:
            for exchange in exchanges(shard, problems):
                match = checker.operation_for(exchange.request)
                yield checker.check(exchange, fetch(client, replay, exchange, match))
    if problems:  # the file changed since it was read
        raise GeneratorError(problems)


def iter_results(
    spec: str | Path,
    recordings: Sequence[str | Path],
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    form: str = "text",
    warnings: list[Problem] | None = None,
) -> Iterator[ShardResult]:
    """The checked shards of the recordings, in input order, from ``workers`` processes
    (``engine="local"``) or from Dask (``engine="dask"``: the cluster at ``scheduler``, or
    ``workers`` local processes). An unusable recording raises :class:`GeneratorError`
    with every problem once every shard is checked, as :func:`iter_reports` does."""
    checker = Checker.for_spec(str(spec))  # here first: a bad spec stops the run at once
    if warnings is not None:
        warnings.extend([*checker.document.warnings, *checker.schemas.warnings])
    ref = SpecRef.of(spec)
    remember(ref, checker)
    shards = plan(recordings, pieces=workers)
    results: Iterator[ShardResult]
    if engine == "dask":
        from .engine_dask import dask_results

        results = dask_results(ref, shards, form, scheduler=scheduler, workers=workers)
    elif engine == "local":
        results = local_results(ref, shards, form, workers=workers)
    else:
        raise GeneratorError([Problem("--engine", "", f"unknown engine {engine!r}")])
    problems: list[Problem] = []
    for result in results:
        problems.extend(result.problems)
        if not problems:
            yield result
    if problems:
        raise GeneratorError(problems)


class _Report:
    """The report, written as exchanges are checked to a spooled file, then to ``out``."""

    def __init__(self, form: str) -> None:
        self.form = form
        self.total = self.failing = self.findings = 0
        self.spool: Any = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by __exit__
            max_size=_SPOOL, mode="w+", encoding="utf-8", newline=""
        )

    def __enter__(self) -> _Report:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.spool.close()

    def add(self, report: ExchangeReport) -> None:
        self.failing += not report.ok
        self.findings += len(report.findings)
        self._entry(render(report, self.form))

    def add_entries(self, result: ShardResult) -> None:
        """The entries of a checked shard, rendered in this report's form."""
        self.failing += result.failing
        self.findings += result.findings
        for entry in result.entries:
            self._entry(entry)

    def _entry(self, entry: str) -> None:
        if self.form == "json":
            self.spool.write(("," if self.total else "") + "\n" + entry)
        else:
            self.spool.write(entry)
        self.total += 1

    def write(self, out: TextIO) -> None:
        self.spool.seek(0)
        if self.form != "json":
            shutil.copyfileobj(self.spool, out)
            out.write(_summary(self.total, self.failing))
            return
        head = {
            "conforms": self.failing == 0,
            "summary": {
                "exchanges": self.total,
                "conforming": self.total - self.failing,
                "failing": self.failing,
                "findings": self.findings,
            },
        }
        text = json.dumps(head, indent=2, ensure_ascii=False)
        out.write(text[:-2] + ',\n  "exchanges": [')
        if self.total:
            shutil.copyfileobj(self.spool, out)
            out.write("\n  ")
        out.write("]\n}\n")


def _summary(total: int, failing: int) -> str:
    return (
        f"{total} exchange{'s' if total != 1 else ''} checked: "
        f"{total - failing} conform, {failing} do{'es' if failing == 1 else ''} not\n"
    )


def write_text(reports: Sequence[ExchangeReport], out: TextIO, *, summary: bool = True) -> None:
    failing = 0
    for report in reports:
        failing += not report.ok
        out.write(render(report, "text"))
    if summary:
        out.write(_summary(len(reports), failing))


def local_results(
    spec: SpecRef, shards: Sequence[Shard], form: str, *, workers: int
) -> Iterator[ShardResult]:
    """Each shard checked, in order, by ``workers`` processes (this one alone for 1)."""
    if workers <= 1:
        for shard in shards:
            yield check_shard(spec, shard, form)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked workers inherit the checker already built; elsewhere each builds its own.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        count = len(shards)
        yield from pool.map(check_shard, [spec] * count, shards, [form] * count)
