"""What checking an exchange reports: located findings, and the report of one exchange."""

from __future__ import annotations

from typing import Any

import attrs

from .exchanges import Exchange, RecordedResponse
from .routes import OperationMatch

__all__ = ["ExchangeReport", "Finding", "Findings"]


@attrs.frozen
class Finding:
    """One way an exchange breaks the spec.

    ``subject`` is the message it is about: ``request``, ``response`` or ``exchange``.
    """

    file: str
    exchange: int
    label: str
    subject: str
    location: str
    rule: str
    message: str
    severity: str = "error"
    pointer: str | None = None
    """JSON pointer into the validated JSON (the body, an event's data, the form fields)."""
    event: int | None = None
    part: str | None = None

    def __str__(self) -> str:
        where = f"{self.subject} {self.location}".strip()
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}: {self.label}: {where}: {tag}{self.message} [{self.rule}]"

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class ExchangeReport:
    exchange: Exchange
    findings: tuple[Finding, ...]
    operation: OperationMatch | None = None
    response: RecordedResponse | None = None
    events: int | None = None
    """How many server-sent events the response had, for an event stream."""

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        request = self.exchange.request
        response = self.response
        return {
            "file": self.exchange.file,
            "index": self.exchange.index,
            "kind": self.exchange.kind,
            "label": self.exchange.label,
            "method": request.method,
            "url": request.url,
            "operation": self.operation.operation_id if self.operation else None,
            "status": response.status if response else None,
            "content_type": response.header("content-type") if response else None,
            "events": self.events,
            "conforms": self.ok,
            "findings": [finding.to_json() for finding in self.findings],
        }


class Findings:
    """The findings of one exchange, as they are made."""

    def __init__(self, exchange: Exchange) -> None:
        self.exchange = exchange
        self.found: list[Finding] = []

    def add(self, subject: str, location: str, rule: str, message: str, **extra: Any) -> None:
        self.found.append(
            Finding(
                file=self.exchange.file,
                exchange=self.exchange.index,
                label=self.exchange.label,
                subject=subject,
                location=location,
                rule=rule,
                message=message,
                **extra,
            )
        )
