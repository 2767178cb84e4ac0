"""``python -m generator conform SPEC RECORDING... [--format text|json] [--base-url URL]
[--timeout SECONDS] [--header 'Name: value']``.

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
from typing import Any, TextIO

from ...errors import GeneratorError, Problem, print_problems
from ...pipeline.load import load_document
from .checker import Checker
from .exchanges import Exchange
from .findings import ExchangeReport
from .recordings import iter_recording

__all__ = ["DEFAULT_TIMEOUT", "iter_reports", "main", "run"]

DEFAULT_TIMEOUT = 300.0
"""Seconds ``--base-url`` waits for an answer (``--timeout``); connecting waits at most 10 s."""
_SPOOL = 8 << 20


def main(args: argparse.Namespace) -> int:
    warnings: list[Problem] = []
    with _Report(args.format) as report:
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
    """Check every exchange of the recordings (or, with ``base_url``, its live answer), one
    at a time. An unusable recording raises :class:`GeneratorError` once every recording
    has been read, with every problem.

    What the spec has that the checks go on without is added to ``warnings``.
    """
    document = load_document(str(spec))
    checker = Checker(document)
    if warnings is not None:
        warnings.extend([*document.warnings, *checker.schemas.warnings])
    problems: list[Problem] = []
    if base_url is None:
        for path in recordings:
            for exchange in _exchanges(path, problems):
                if not problems:  # once one is unusable the run ends in exit 2
                    yield checker.check(exchange)
        if problems:
            raise GeneratorError(problems)
        return

    for path in recordings:  # all readable before anything is sent
        for _ in _exchanges(path, problems):
            pass
    if problems:
        raise GeneratorError(problems)

    import httpx

    from .live import Replay, fetch

    replay = Replay.for_document(document, base_url, headers)
    limits = httpx.Timeout(timeout, connect=min(10.0, timeout))
    with httpx.Client(timeout=limits, follow_redirects=False) as client:
        for path in recordings:
            for exchange in _exchanges(path, problems):
                match = checker.operation_for(exchange.request)
                yield checker.check(exchange, fetch(client, replay, exchange, match))
    if problems:  # the file changed since it was read
        raise GeneratorError(problems)


def _exchanges(path: object, problems: list[Problem]) -> Iterator[Exchange]:
    try:
        yield from iter_recording(str(path), problems)
    except GeneratorError as error:
        problems.extend(error.problems)
    except Exception as exc:  # unreadable for a reason no rule foresaw: still exit 2
        reason = f"cannot read this recording: {type(exc).__name__}: {exc}"
        problems.append(Problem(str(path), "", reason))


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
        if self.form == "json":
            item = json.dumps(report.to_json(), indent=2, ensure_ascii=False)
            self.spool.write(("," if self.total else "") + "\n" + _indent(item, "    "))
        else:
            write_text([report], self.spool, summary=False)
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


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + line for line in text.split("\n"))


def _summary(total: int, failing: int) -> str:
    return (
        f"{total} exchange{'s' if total != 1 else ''} checked: "
        f"{total - failing} conform, {failing} do{'es' if failing == 1 else ''} not\n"
    )


def write_text(reports: Sequence[ExchangeReport], out: TextIO, *, summary: bool = True) -> None:
    failing = 0
    for report in reports:
        exchange = report.exchange
        response = report.response
        answer = "no response"
        if response is not None:
            answer = f"{response.status} {response.header('content-type') or '(no content type)'}"
            if report.events is not None:
                answer += f", {report.events} event{'s' if report.events != 1 else ''}"
        status = "ok  " if report.ok else "FAIL"
        failing += not report.ok
        out.write(f"{status} {exchange.file}: {exchange.label} -> {answer}\n")
        for finding in report.findings:
            tag = "" if finding.severity == "error" else f"{finding.severity}: "
            where = f"{finding.subject} {finding.location}".strip()
            out.write(f"     {where}: {tag}{finding.message} [{finding.rule}]\n")
    if summary:
        out.write(_summary(len(reports), failing))
