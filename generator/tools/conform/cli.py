"""``python -m generator conform SPEC RECORDING... [--format text|json] [--base-url URL]``.

Exit status: 0 when every exchange conforms, 1 when any does not, 2 when an input is
unusable (raised as :class:`~generator.errors.GeneratorError`; the CLI prints it). A file
that cannot be read for a reason no rule foresaw is unusable too; an exchange that cannot
be checked is a finding (see :meth:`~.checker.Checker.check`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from ...errors import GeneratorError, Problem, print_problems
from ...pipeline.load import load_document
from .checker import Checker
from .exchanges import Exchange
from .findings import ExchangeReport
from .recordings import read_recording

__all__ = ["main", "run"]


def main(args: argparse.Namespace) -> int:
    warnings: list[Problem] = []
    reports = run(args.spec, args.recordings, base_url=args.base_url, warnings=warnings)
    print_problems(warnings)
    if args.format == "json":
        write_json(reports, sys.stdout)
    else:
        write_text(reports, sys.stdout)
    return 0 if all(report.ok for report in reports) else 1


def run(
    spec: object,
    recordings: Sequence[object],
    *,
    base_url: str | None = None,
    warnings: list[Problem] | None = None,
) -> list[ExchangeReport]:
    """Check every exchange of the recordings (or, with ``base_url``, its live answer).

    What the spec has that the checks go on without is added to ``warnings``.
    """
    document = load_document(str(spec))
    exchanges: list[Exchange] = []
    problems: list[Problem] = []
    for path in recordings:
        try:
            exchanges.extend(read_recording(str(path)))
        except GeneratorError as error:
            problems.extend(error.problems)
        except Exception as exc:  # unreadable for a reason no rule foresaw: still exit 2
            reason = f"cannot read this recording: {type(exc).__name__}: {exc}"
            problems.append(Problem(str(path), "", reason))
    if problems:
        raise GeneratorError(problems)
    checker = Checker(document)
    if warnings is not None:
        warnings.extend([*document.warnings, *checker.schemas.warnings])
    if base_url is None:
        return [checker.check(exchange) for exchange in exchanges]

    import httpx

    from .live import fetch

    reports = []
    timeout = httpx.Timeout(300.0, connect=10.0)
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for exchange in exchanges:
            match = checker.operation_for(exchange.request)
            response = fetch(client, base_url, exchange, match)
            reports.append(checker.check(exchange, response))
    return reports


def write_text(reports: Sequence[ExchangeReport], out: TextIO) -> None:
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
    total = len(reports)
    out.write(
        f"{total} exchange{'s' if total != 1 else ''} checked: "
        f"{total - failing} conform, {failing} do{'es' if failing == 1 else ''} not\n"
    )


def write_json(reports: Sequence[ExchangeReport], out: TextIO) -> None:
    failing = sum(not report.ok for report in reports)
    document = {
        "conforms": failing == 0,
        "summary": {
            "exchanges": len(reports),
            "conforming": len(reports) - failing,
            "failing": failing,
            "findings": sum(len(report.findings) for report in reports),
        },
        "exchanges": [report.to_json() for report in reports],
    }
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")
