"""Check recorded exchanges against an OpenAPI document.

For each exchange: the operation (:mod:`.routes`); the request's content type and body
(JSON against its schema; form bodies through :mod:`.forms`); the response status (an HTTP
status, 100-599: declared, ``NXX`` or ``Nxx``, else ``default``), its content coding and
content type; the JSON body, or every event of a ``text/event-stream`` body (each
``data:`` parsed as JSON) against the media type's ``itemSchema`` or ``schema``, up to a
``data: [DONE]`` event, and whether the stream ends with one of its terminal events; and
whether a request that set the operation's stream switch got the kind of answer it asked
for.

What the generated client sees comes from the IR (``ir.Api``, built from the document as
``generate`` builds it): the operations and their servers, the response statuses and media
types, event streams' terminal events and the stream switch. The protocol rules (status
ranges, media kinds, ``[DONE]``, an event's type) are the runtime's :mod:`._protocol`, so
the client and this checker read an exchange alike. The document gives what the IR does
not keep: the JSON Schemas that bodies are validated against, and each request body's
declared content types (the IR keeps only those a client can send) and ``required``.

Findings are located: the exchange (file, index, method, path), the subject (request,
response or exchange), a location (``body /data/0/size``, ``part 'n'``, ``event 2 /type``,
``header Content-Type``, ``status``) and the rule broken (a JSON Schema keyword, or one of
``operation``, ``server`` (the path is not under the servers' base path), ``content-type``,
``content-encoding``, ``status``, ``json``, ``multipart``, ``sse``, ``stream``,
``discriminator``, ``body``, ``checker``). Warnings (``severity="warning"``) do not make
an exchange non-conforming: among them an operation the generator left out (not checked),
events after ``[DONE]``, and a stream without a terminal event (the client raises
``StreamIncompleteError``; which events are terminal is the generator's reading of the
spec, or the client config's ``terminal_events``).

Nothing raised while checking one exchange escapes :meth:`Checker.check`: input no rule
foresaw becomes a ``checker`` finding naming the exchange.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from ...errors import Problem, pointer_join
from ...pipeline import ir
from ...pipeline.build import build_api, spec_config_path
from ...pipeline.config import ClientConfig, load_config
from ...pipeline.docview import follow, iter_operations
from ...pipeline.load import Document, load_document, resolve_pointer
from ...runtime import _sse
from ...runtime._multipart import FormPart, MultipartError, header_param, parse_multipart
from ...runtime._protocol import (
    declared_media,
    event_type,
    is_done,
    is_http_status,
    media_kind,
    media_type,
    response_key,
)
from ...runtime._recording_format import undo_content_encoding
from .exchanges import Exchange, RecordedRequest, RecordedResponse
from .fastcheck import parse_json
from .findings import ExchangeReport, Finding, Findings
from .forms import check_form
from .media import unknown_codings
from .routes import OperationMatch, Routes, left_out_operations
from .schemas import Issue, SchemaSet, short

__all__ = ["Checker", "ExchangeReport", "Finding", "OperationMatch"]


class Checker:
    """Checks exchanges against one document; build once, then :meth:`check` many.

    ``config`` is the client config the IR is built with (its ``terminal_events``
    matter here); by default, the defaults.
    """

    def __init__(self, document: Document, config: ClientConfig | None = None) -> None:
        self.document = document
        self.schemas = SchemaSet(document)
        built: list[Problem] = []
        self.api = build_api(document, config or ClientConfig(), built)
        operations = iter_operations(document.data, document.version)
        left_out = left_out_operations(self.api, operations, built)
        self.routes = Routes(self.api, left_out)

    @classmethod
    def for_spec(cls, spec: str | Path) -> Checker:
        """The checker of a spec file, with the client config beside it when there is one
        (as ``generate`` finds it: ``x.yaml`` -> ``x.client.yaml``)."""
        document = load_document(str(spec))
        beside = spec_config_path(Path(spec))
        return cls(document, load_config(beside) if beside.is_file() else None)

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
        left_out = self.routes.left_out(request.method, request.path) if match is None else None
        if left_out is not None:
            findings.add(
                "request",
                "path",
                "operation",
                f"{left_out.method} {left_out.template} ({left_out.pointer}) is not in the "
                f"client: the generator left it out ({left_out.reason}); not checked",
                severity="warning",
            )
            return ExchangeReport(exchange, tuple(findings.found), None, answer)
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
        operation = resolve_pointer(self.document.data, match.pointer)
        body_node = operation.get("requestBody") if isinstance(operation, dict) else None
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
        key = declared_media(media, content)
        if key is None:
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
        kind = media_kind(media)
        if kind == "json":
            data, error, finite = _parse_json(request.body)
            if error is not None:
                findings.add("request", "body", "json", f"the body is not valid JSON: {error}")
                return None
            self._report_issues(findings, "request", "body", schema_pointer, data, finite)
            return data
        if kind == "multipart":
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
        if kind == "form":
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
        if not is_http_status(response.status):
            findings.add(
                "response",
                "status",
                "status",
                f"status {response.status} is not an HTTP status (they go from 100 to 599)",
            )
            return None
        responses = match.operation.responses
        keys = list(dict.fromkeys(r.status for r in responses))
        key = response_key(response.status, keys)
        if key is None:
            findings.add(
                "response",
                "status",
                "status",
                f"status {response.status} is not documented (documented: {', '.join(keys)})",
            )
            return None
        answers = [r for r in responses if r.status == key and r.kind != "empty"]
        body = self._decoded_body(findings, response)
        if body is None:
            return None
        media = media_type(response.header("content-type"))
        if not answers:
            if body:
                findings.add(
                    "response",
                    "body",
                    "body",
                    f"status {response.status} documents no body, but the answer has "
                    f"{len(body)} bytes",
                    severity="warning",
                )
            return None
        found_key = declared_media(media, [r.content_type for r in answers])
        if found_key is None:
            findings.add(
                "response",
                "header Content-Type",
                "content-type",
                f"response content type {media or '(missing)'} is not documented for status "
                f"{key} (documented: {', '.join(r.content_type for r in answers)})",
            )
        if response.status < 300 and isinstance(request_data, dict):
            self._check_stream_choice(findings, match.operation, request_data, media, answers)
        if found_key is None:
            return None
        answer = next(r for r in answers if r.content_type == found_key)
        media_node, pointer = self._media_node(match.pointer, key, found_key)
        kind = media_kind(media)
        if kind == "event-stream":
            field = "itemSchema" if "itemSchema" in media_node else "schema"
            schema_pointer = pointer_join(pointer, field) if field in media_node else None
            return self._check_events(
                findings, schema_pointer, answer.stream, body, response.body_incomplete
            )
        if "schema" not in media_node or kind != "json":
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
        schema_pointer = pointer_join(pointer, "schema")
        self._report_issues(findings, "response", "body", schema_pointer, data, finite)
        return None

    def _media_node(self, operation: str, status: str, content_type: str) -> tuple[Any, str]:
        """The document's Media Type Object of a response (through ``$ref`` s), and its
        pointer; ``{}`` when the document has none there."""
        where = pointer_join(operation, "responses", status)
        data = self.document.data
        try:
            node, pointer = follow(data, resolve_pointer(data, where), where)
        except KeyError:
            return {}, where
        if node is None:  # a $ref that leads nowhere
            return {}, where
        content = node.get("content") if isinstance(node, dict) else None
        media = content.get(content_type) if isinstance(content, dict) else None
        found = media if isinstance(media, dict) else {}
        return found, pointer_join(pointer, "content", content_type)

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
        operation: ir.Operation,
        request_data: dict[str, Any],
        media: str,
        answers: list[ir.Response],
    ) -> None:
        """The operation's stream switch (``stream: true``) asks for an event stream; false
        or absent for a single body."""
        switch = operation.stream_field
        if switch is None:  # no choice: the operation answers one way
            return
        wanted = request_data.get(switch) is True
        streams = any(r.kind == "event-stream" for r in answers)
        other = any(r.kind != "event-stream" for r in answers)
        got_stream = media_kind(media) == "event-stream"
        if wanted and streams and not got_stream:
            findings.add(
                "response",
                "header Content-Type",
                "stream",
                f"the request set {switch}=true, but the answer is {media or 'untyped'}, "
                "not text/event-stream",
            )
        elif not wanted and other and got_stream:
            said = f"set {switch}=false" if switch in request_data else f"did not set {switch}=true"
            findings.add(
                "response",
                "header Content-Type",
                "stream",
                f"the request {said}, but the answer is an event stream",
            )

    def _check_events(
        self,
        findings: Findings,
        schema_pointer: str | None,
        stream: ir.EventStream | None,
        body: bytes,
        incomplete: bool,
    ) -> int:
        """Each event's data against the schema, as the client reads them: keep-alives
        (empty data) skipped, nothing read after ``[DONE]``, and the stream complete only
        with one of its terminal events. Returns how many events were read."""
        reader = _sse.SSEReader()
        events = reader.feed(body)
        pending = reader.finish()
        tag = self.schemas.discriminator_property(schema_pointer) if schema_pointer else None
        discriminator = stream.discriminator if stream is not None else tag
        types: list[str | None] = []
        read = len(events)
        for index, event in enumerate(events):
            where = f"event {index}"
            if is_done(event.data):
                read = index
                self._after_done(findings, index, len(events) - index - 1, pending)
                pending = False  # a client stops reading at [DONE]
                break
            if not event.data:  # a keep-alive, unless it reports an error
                if event.event == "error":
                    findings.add(
                        "response",
                        where,
                        "sse",
                        "the server reported an error (an empty event named 'error'): the "
                        "client raises APIStreamError",
                        severity="warning",
                        event=index,
                    )
                continue
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
            types.append(event_type(discriminator, event.event, data))
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
        self._stream_end(findings, len(events), read, pending, incomplete, stream, types)
        return read

    @staticmethod
    def _stream_end(
        findings: Findings,
        count: int,
        read: int,
        pending: bool,
        incomplete: bool,
        stream: ir.EventStream | None,
        types: list[str | None],
    ) -> None:
        """How the stream ended: inside an event, or without a terminal event."""
        if pending and incomplete:
            findings.add(
                "response",
                f"event {count}",
                "sse",
                "the recording stops inside this event (the stream was closed early)",
                severity="warning",
                event=count,
            )
        elif pending:
            findings.add(
                "response",
                f"event {count}",
                "sse",
                "the stream ends inside an event (no blank line after it)",
                event=count,
            )
        elif (
            not incomplete
            and stream is not None
            and stream.terminal
            and not any(name in stream.terminal for name in types)
        ):
            findings.add(
                "response",
                f"event {read}",
                "sse",
                f"the stream ends without a final event (one of: "
                f"{', '.join(stream.terminal)}): the client raises StreamIncompleteError",
                severity="warning",
                event=read,
            )

    @staticmethod
    def _after_done(findings: Findings, index: int, after: int, pending: bool) -> None:
        if after or pending:
            count = after + pending
            findings.add(
                "response",
                f"event {index + 1}",
                "sse",
                f"{count} event{'s' if count != 1 else ''} after data: [DONE], which no client "
                "reads",
                severity="warning",
                event=index + 1,
            )

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
