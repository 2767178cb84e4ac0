"""Check recorded exchanges against an OpenAPI document.

For each exchange: the operation (:mod:`.routes`); the request's content type and body
(JSON against its schema; form bodies through :mod:`.forms`); the response status (an HTTP
status, 100-599: declared, ``NXX``, else ``default``), its content coding and content
type; the JSON body, or every event of a ``text/event-stream`` body (each ``data:`` parsed
as JSON) against the media type's ``itemSchema`` or ``schema``; and whether a request that
set ``stream`` got the kind of answer it asked for.

Findings are located: the exchange (file, index, method, path), the subject (request,
response or exchange), a location (``body /data/0/size``, ``part 'n'``, ``event 2 /type``,
``header Content-Type``, ``status``) and the rule broken (a JSON Schema keyword, or one of
``operation``, ``server`` (the path is not under the servers' base path), ``content-type``,
``content-encoding``, ``status``, ``json``, ``multipart``, ``sse``, ``stream``,
``discriminator``, ``body``, ``checker``). Warnings
(``severity="warning"``) do not make an exchange non-conforming.

Nothing raised while checking one exchange escapes :meth:`Checker.check`: input no rule
foresaw becomes a ``checker`` finding naming the exchange.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from ...errors import pointer_join
from ...pipeline.docview import follow
from ...pipeline.load import Document
from ...runtime import _sse
from ...runtime._multipart import FormPart, MultipartError, header_param, parse_multipart
from ...runtime._recording_format import undo_content_encoding
from .exchanges import Exchange, RecordedRequest, RecordedResponse
from .fastcheck import parse_json
from .findings import ExchangeReport, Finding, Findings
from .forms import check_form
from .media import is_json, media_key, media_type, unknown_codings
from .routes import OperationMatch, Routes
from .schemas import Issue, SchemaSet, short

__all__ = ["Checker", "ExchangeReport", "Finding", "OperationMatch"]

_EVENT_STREAM = "text/event-stream"


class Checker:
    """Checks exchanges against one document; build once, then :meth:`check` many."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.schemas = SchemaSet(document)
        self.routes = Routes(document)

    def operation_for(self, request: RecordedRequest) -> OperationMatch | None:
        """The operation a request is for: by method and path template."""
        return self.routes.match(request.method, request.path)

    def check(self, exchange: Exchange, response: RecordedResponse | None = None) -> ExchangeReport:
        """Check an exchange; ``response`` replaces the recorded one (a live answer)."""
        answer = response if response is not None else exchange.response
        try:
            return self._check(exchange, answer)
        except Exception as exc:  # input no rule foresaw: reported, never raised
            findings = Findings(exchange)
            detail = short(f"{type(exc).__name__}: {exc}", 120)
            findings.add("exchange", "", "checker", f"this exchange could not be checked: {detail}")
            return ExchangeReport(exchange, tuple(findings.found), None, answer)

    def _check(self, exchange: Exchange, answer: RecordedResponse | None) -> ExchangeReport:
        findings = Findings(exchange)
        request = exchange.request
        match = self.operation_for(request)
        if match is None:
            methods = self.routes.methods_for(request.path)
            known = f" (it has {', '.join(methods)})" if methods else ""
            findings.add(
                "request",
                "path",
                "operation",
                f"the spec has no operation for {request.method} {request.path}{known}",
            )
            return ExchangeReport(exchange, tuple(findings.found), None, answer)
        if match.base_path_mismatch is not None:
            findings.add(
                "request",
                "path",
                "server",
                f"{request.path} is not under the base path of the operation's servers "
                f"({match.base_path_mismatch})",
            )
        request_data = self._check_request(findings, match, request)
        events = None
        if answer is None:
            findings.add(
                "response",
                "",
                "body",
                f"no response was recorded ({exchange.error or 'unknown reason'}); not checked",
                severity="warning",
            )
        else:
            events = self._check_response(findings, match, answer, request_data)
        return ExchangeReport(exchange, tuple(findings.found), match, answer, events)

    # -- requests -----------------------------------------------------------------------

    def _check_request(
        self, findings: Findings, match: OperationMatch, request: RecordedRequest
    ) -> Any:
        body_node = match.operation.get("requestBody")
        if body_node is None:
            return None
        where = pointer_join(match.pointer, "requestBody")
        body_node, body_pointer = follow(self.document.data, body_node, where)
        content = body_node.get("content") or {} if isinstance(body_node, dict) else {}
        if not request.body:
            if isinstance(body_node, dict) and body_node.get("required") is True:
                findings.add(
                    "request",
                    "body",
                    "body",
                    "the request has no body, but the operation requires one",
                )
            return None
        header = request.header("content-type")
        media = media_type(header)
        key = media_key(media, content)
        if media is None or key is None:
            declared = ", ".join(content) or "none"
            findings.add(
                "request",
                "header Content-Type",
                "content-type",
                f"request content type {media or '(missing)'} is not documented "
                f"(documented: {declared})",
            )
            return None
        if request.body_incomplete:
            findings.add(
                "request",
                "body",
                "body",
                "the recorded request body is incomplete; not checked",
                severity="warning",
            )
            return None
        media_node = content[key] if isinstance(content[key], dict) else {}
        if "schema" not in media_node:
            return None
        schema_pointer = pointer_join(body_pointer, "content", key, "schema")
        if is_json(media):
            data, error, finite = _parse_json(request.body)
            if error is not None:
                findings.add("request", "body", "json", f"the body is not valid JSON: {error}")
                return None
            self._report_issues(findings, "request", "body", schema_pointer, data, finite)
            return data
        if media == "multipart/form-data":
            boundary = header_param(header, "boundary")
            if not boundary:
                findings.add(
                    "request",
                    "header Content-Type",
                    "multipart",
                    "multipart/form-data without a boundary",
                )
                return None
            try:
                parts = parse_multipart(request.body, boundary)
            except MultipartError as exc:
                findings.add("request", "body", "multipart", str(exc))
                return None
            return check_form(findings, self.schemas, schema_pointer, parts)
        if media == "application/x-www-form-urlencoded":
            text = request.body.decode("utf-8", "replace")
            pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
            fields = [FormPart((), value.encode(), name, None, None) for name, value in pairs]
            return check_form(findings, self.schemas, schema_pointer, fields)
        return None

    # -- responses ----------------------------------------------------------------------

    def _check_response(
        self,
        findings: Findings,
        match: OperationMatch,
        response: RecordedResponse,
        request_data: Any,
    ) -> int | None:
        if not 100 <= response.status <= 599:
            findings.add(
                "response",
                "status",
                "status",
                f"status {response.status} is not an HTTP status (they go from 100 to 599)",
            )
            return None
        responses = match.operation.get("responses") or {}
        status = str(response.status)
        key = next(
            (k for k in (status, status[0] + "XX", status[0] + "xx", "default") if k in responses),
            None,
        )
        if key is None:
            findings.add(
                "response",
                "status",
                "status",
                f"status {status} is not documented (documented: {', '.join(responses)})",
            )
            return None
        where = pointer_join(match.pointer, "responses", key)
        node, pointer = follow(self.document.data, responses[key], where)
        content = node.get("content") or {} if isinstance(node, dict) else {}
        body = self._decoded_body(findings, response)
        if body is None:
            return None
        media = media_type(response.header("content-type"))
        if not content:
            if body:
                findings.add(
                    "response",
                    "body",
                    "body",
                    f"status {status} documents no body, but the answer has {len(body)} bytes",
                    severity="warning",
                )
            return None
        found_key = media_key(media, content)
        if media is None or found_key is None:
            findings.add(
                "response",
                "header Content-Type",
                "content-type",
                f"response content type {media or '(missing)'} is not documented for status "
                f"{key} (documented: {', '.join(content)})",
            )
        if response.status < 300 and isinstance(request_data, dict):
            self._check_stream_choice(findings, request_data, media, content)
        if found_key is None:
            return None
        media_node = content[found_key] if isinstance(content[found_key], dict) else {}
        if media == _EVENT_STREAM:
            field = "itemSchema" if "itemSchema" in media_node else "schema"
            schema_pointer = (
                pointer_join(pointer, "content", found_key, field) if field in media_node else None
            )
            return self._check_events(findings, schema_pointer, body, response.body_incomplete)
        if "schema" not in media_node or not is_json(media):
            return None
        if response.body_incomplete:
            findings.add(
                "response",
                "body",
                "body",
                "the recorded body is incomplete; not checked",
                severity="warning",
            )
            return None
        data, error, finite = _parse_json(body)
        if error is not None:
            findings.add("response", "body", "json", f"the body is not valid JSON: {error}")
            return None
        schema_pointer = pointer_join(pointer, "content", found_key, "schema")
        self._report_issues(findings, "response", "body", schema_pointer, data, finite)
        return None

    def _decoded_body(self, findings: Findings, response: RecordedResponse) -> bytes | None:
        """The body as the application reads it; None (with a finding) when it cannot be."""
        if response.body is None:
            findings.add(
                "response",
                "body",
                "body",
                "the recording has no response body; not checked",
                severity="warning",
            )
            return None
        coding = response.content_encoding or response.header("content-encoding")
        unknown = unknown_codings(coding)
        if unknown:
            findings.add(
                "response",
                "header Content-Encoding",
                "content-encoding",
                f"the body is encoded with {short(unknown[0])}, which is not an HTTP content "
                "coding, so no client can read it; not checked",
            )
            return None
        if not response.content_encoding:
            return response.body  # stored decoded
        body, still = undo_content_encoding(response.body, response.content_encoding)
        if still:
            findings.add(
                "response",
                "body",
                "body",
                f"the body is still {short(still)}-encoded and cannot be decoded here; not checked",
                severity="warning",
            )
            return None
        return body

    def _check_stream_choice(
        self,
        findings: Findings,
        request_data: dict[str, Any],
        media: str | None,
        content: dict[str, Any],
    ) -> None:
        """``stream: true`` asks for an event stream; false or absent for a single body."""
        if "stream" not in request_data and _EVENT_STREAM not in content:
            return
        wanted = request_data.get("stream") is True
        streams = _EVENT_STREAM in content
        other = [k for k in content if k != _EVENT_STREAM]
        if wanted and streams and media != _EVENT_STREAM:
            findings.add(
                "response",
                "header Content-Type",
                "stream",
                f"the request set stream=true, but the answer is {media or 'untyped'}, "
                f"not {_EVENT_STREAM}",
            )
        elif not wanted and other and media == _EVENT_STREAM:
            said = "set stream=false" if "stream" in request_data else "did not set stream=true"
            findings.add(
                "response",
                "header Content-Type",
                "stream",
                f"the request {said}, but the answer is an event stream",
            )

    def _check_events(
        self, findings: Findings, schema_pointer: str | None, body: bytes, incomplete: bool
    ) -> int:
        reader = _sse.SSEReader()
        events = reader.feed(body)
        pending = reader.finish()
        tag = self.schemas.discriminator_property(schema_pointer) if schema_pointer else None
        for index, event in enumerate(events):
            where = f"event {index}"
            data, error, finite = _parse_json(event.data)
            if error is not None:
                excerpt = short(event.data[:80].decode("utf-8", "replace"), 40)
                findings.add(
                    "response",
                    where,
                    "json",
                    f"the event's data is not valid JSON ({error}); it starts {excerpt}",
                    event=index,
                )
                continue
            if schema_pointer is None:
                continue
            self._report_issues(
                findings, "response", where, schema_pointer, data, finite, event=index
            )
            named = data.get(tag) if tag and isinstance(data, dict) else None
            if event.event and isinstance(named, str) and named != event.event:
                findings.add(
                    "response",
                    where,
                    "event-name",
                    f"the SSE event name {event.event!r} differs from its {tag} {named!r}",
                    severity="warning",
                    event=index,
                )
        if pending:
            if incomplete:
                findings.add(
                    "response",
                    f"event {len(events)}",
                    "sse",
                    "the recording stops inside this event (the stream was closed early)",
                    severity="warning",
                    event=len(events),
                )
            else:
                findings.add(
                    "response",
                    f"event {len(events)}",
                    "sse",
                    "the stream ends inside an event (no blank line after it)",
                    event=len(events),
                )
        return len(events)

    # -- helpers ------------------------------------------------------------------------

    def _report_issues(
        self,
        findings: Findings,
        subject: str,
        prefix: str,
        schema_pointer: str,
        data: Any,
        finite: bool,
        **extra: Any,
    ) -> None:
        """A finding for each way ``data`` breaks the schema at ``schema_pointer``."""
        try:
            issues = self.schemas.issues(schema_pointer, data, finite=finite)
        except RecursionError:
            findings.add(
                subject, prefix, "json", "the value is nested too deeply to check", **extra
            )
            return
        for issue in issues:
            message = issue.message
            if prefix.startswith("event") and issue.rule == "discriminator":
                message = message.replace("unknown ", "unknown event ", 1)  # "unknown type ..."
            findings.add(
                subject, _at(prefix, issue), issue.rule, message, pointer=issue.pointer, **extra
            )


def _parse_json(data: bytes) -> tuple[Any, str | None, bool]:
    """The JSON value of ``data`` or why there is none, and whether its numbers are finite."""
    try:
        value, finite = parse_json(data)
    except RecursionError:
        return None, "it is nested too deeply to read", False
    except ValueError as exc:  # UnicodeDecodeError included
        return None, str(exc), False
    return value, None, finite


def _at(prefix: str, issue: Issue) -> str:
    return f"{prefix} {issue.pointer}" if issue.pointer else prefix
