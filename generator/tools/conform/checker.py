"""Check recorded exchanges against an OpenAPI document.

For each exchange: the operation (method + path template, after a server's base path);
the request's content type and body (JSON against its schema; ``multipart/form-data`` and
``application/x-www-form-urlencoded`` fields coerced to the types the schema wants, with
``name[]`` fields read as the array ``name``); the response status (declared, ``NXX``,
else ``default``) and content type; the JSON body, or every event of a
``text/event-stream`` body (each ``data:`` parsed as JSON) against the media type's
``itemSchema`` or ``schema``; and whether a request that set ``stream`` got the kind of
answer it asked for.

Findings are located: the exchange (file, index, method, path), the side (request or
response), a location (``body /data/0/size``, ``part 'n'``, ``event 2 /type``,
``header Content-Type``, ``status``) and the rule broken (a JSON Schema keyword, or one
of ``operation``, ``content-type``, ``status``, ``json``, ``multipart``, ``sse``,
``stream``, ``discriminator``, ``body``). Warnings (``severity="warning"``) do not make
an exchange non-conforming.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

import attrs

from ...errors import pointer_join
from ...pipeline.load import Document, resolve_pointer
from ...runtime import _sse
from .multipart import FormPart, MultipartError, media_type, media_type_param, parse_multipart
from .recording import Exchange, RecordedRequest, RecordedResponse
from .validators import Issue, SchemaSet, short

__all__ = ["Checker", "ExchangeReport", "Finding", "OperationMatch"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_EVENT_STREAM = "text/event-stream"
_INTEGER = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@attrs.frozen
class Finding:
    """One way an exchange breaks the spec."""

    file: str
    exchange: int
    label: str
    side: str  # "request", "response" or "exchange"
    location: str
    rule: str
    message: str
    severity: str = "error"
    pointer: str | None = None
    """JSON pointer into the validated JSON (the body, an event's data, the form fields)."""
    event: int | None = None
    part: str | None = None

    def __str__(self) -> str:
        where = f"{self.side} {self.location}".strip()
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}: {self.label}: {where}: {tag}{self.message} [{self.rule}]"

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class OperationMatch:
    method: str
    template: str
    pointer: str
    operation: dict[str, Any]
    relative_path: str
    """The request path with the server's base path removed: what the template matched."""

    @property
    def operation_id(self) -> str | None:
        value = self.operation.get("operationId")
        return value if isinstance(value, str) else None


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


class _Report:
    """Findings of one exchange as they are made."""

    def __init__(self, exchange: Exchange) -> None:
        self.exchange = exchange
        self.findings: list[Finding] = []

    def add(self, side: str, location: str, rule: str, message: str, **extra: Any) -> None:
        self.findings.append(
            Finding(
                file=self.exchange.file,
                exchange=self.exchange.index,
                label=self.exchange.label,
                side=side,
                location=location,
                rule=rule,
                message=message,
                **extra,
            )
        )


class Checker:
    """Checks exchanges against one document; build once, then :meth:`check` many."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.schemas = SchemaSet(document)
        self._sse = _sse
        self._operations = list(self._collect_operations())
        self._server_paths = self._collect_server_paths()

    # -- operations ---------------------------------------------------------------------

    def _collect_operations(
        self,
    ) -> Iterator[tuple[str, str, re.Pattern[str], str, dict[str, Any]]]:
        paths = self.document.data.get("paths") or {}
        for template, item in paths.items():
            pointer = pointer_join("/paths", template)
            item, pointer = self._deref(item, pointer)
            if not isinstance(item, dict):
                continue
            pattern = re.compile(
                "".join(
                    "[^/]+" if piece.startswith("{") else re.escape(piece)
                    for piece in re.split(r"(\{[^}/]*\})", template)
                )
            )
            for method in _METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    yield (
                        method.upper(),
                        template,
                        pattern,
                        pointer_join(pointer, method),
                        operation,
                    )

    def _collect_server_paths(self) -> list[str]:
        prefixes = set()
        for server in self.document.data.get("servers") or []:
            url = server.get("url") if isinstance(server, dict) else None
            if not isinstance(url, str):
                continue
            for name, variable in (server.get("variables") or {}).items():
                default = variable.get("default", "") if isinstance(variable, dict) else ""
                url = url.replace("{" + name + "}", str(default))
            path = urllib.parse.urlsplit(url).path.rstrip("/")
            if path:
                prefixes.add(path)
        return sorted(prefixes, key=len, reverse=True)

    def operation_for(self, request: RecordedRequest) -> OperationMatch | None:
        """The operation a request is for: by method and path template."""
        path = request.path
        candidates = [path[len(p) :] or "/" for p in self._server_paths if path.startswith(p + "/")]
        candidates.append(path)
        for candidate in candidates:
            for method, template, pattern, pointer, operation in self._operations:
                if method == request.method and pattern.fullmatch(candidate):
                    return OperationMatch(method, template, pointer, operation, candidate)
        for method, template, pattern, pointer, operation in self._operations:
            # A base path that the spec's servers do not list (a proxy, a deployment prefix):
            # the template may match the end of the path.
            found = re.search("(?:" + pattern.pattern + ")$", path)
            if method == request.method and found:
                return OperationMatch(method, template, pointer, operation, found.group(0))
        return None

    # -- checking -----------------------------------------------------------------------

    def check(self, exchange: Exchange, response: RecordedResponse | None = None) -> ExchangeReport:
        """Check an exchange; ``response`` replaces the recorded one (a live answer)."""
        report = _Report(exchange)
        answer = response if response is not None else exchange.response
        match = self.operation_for(exchange.request)
        if match is None:
            methods = [
                m
                for m, _, pattern, _, _ in self._operations
                if pattern.search(exchange.request.path)
            ]
            known = f" (it has {', '.join(sorted(set(methods)))})" if methods else ""
            report.add(
                "request",
                "path",
                "operation",
                f"the spec has no operation for {exchange.request.method} "
                f"{exchange.request.path}{known}",
            )
            return ExchangeReport(exchange, tuple(report.findings), None, answer)
        request_data = self._check_request(report, match, exchange.request)
        events = None
        if answer is None:
            report.add(
                "response",
                "",
                "body",
                f"no response was recorded ({exchange.error or 'unknown reason'}); not checked",
                severity="warning",
            )
        else:
            events = self._check_response(report, match, answer, request_data)
        return ExchangeReport(exchange, tuple(report.findings), match, answer, events)

    def _check_request(
        self, report: _Report, match: OperationMatch, request: RecordedRequest
    ) -> Any:
        body_node = match.operation.get("requestBody")
        if body_node is None:
            return None
        body_node, body_pointer = self._deref(body_node, pointer_join(match.pointer, "requestBody"))
        content = body_node.get("content") or {}
        if not request.body:
            if body_node.get("required") is True:
                report.add(
                    "request",
                    "body",
                    "body",
                    "the request has no body, but the operation requires one",
                )
            return None
        header = request.header("content-type")
        media = media_type(header)
        key = _media_key(media, content)
        if media is None or key is None:
            declared = ", ".join(content) or "none"
            report.add(
                "request",
                "header Content-Type",
                "content-type",
                f"request content type {media or '(missing)'} is not documented "
                f"(documented: {declared})",
            )
            return None
        if request.body_incomplete:
            report.add(
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
        if _is_json(media):
            try:
                data = json.loads(request.body)
            except (ValueError, UnicodeDecodeError) as exc:
                report.add("request", "body", "json", f"the body is not valid JSON: {exc}")
                return None
            for issue in self.schemas.issues(schema_pointer, data):
                report.add(
                    "request", _at("body", issue), issue.rule, issue.message, pointer=issue.pointer
                )
            return data
        if media == "multipart/form-data":
            boundary = media_type_param(header, "boundary")
            if not boundary:
                report.add(
                    "request",
                    "header Content-Type",
                    "multipart",
                    "multipart/form-data without a boundary",
                )
                return None
            try:
                parts = parse_multipart(request.body, boundary)
            except MultipartError as exc:
                report.add("request", "body", "multipart", str(exc))
                return None
            return self._check_form(report, schema_pointer, [(p.name or "", p) for p in parts])
        if media == "application/x-www-form-urlencoded":
            text = request.body.decode("utf-8", "replace")
            pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
            fields = [(name, FormPart(name, None, None, value.encode())) for name, value in pairs]
            return self._check_form(report, schema_pointer, fields)
        return None

    def _check_form(
        self, report: _Report, schema_pointer: str, fields: list[tuple[str, FormPart]]
    ) -> dict[str, Any]:
        """Validate form fields as the object the schema describes, coercing text."""
        schemas = self.schemas
        root = schemas.at(schema_pointer)
        groups: dict[str, list[tuple[str, FormPart]]] = {}
        for name, part in fields:
            key = name[:-2] if name.endswith("[]") else name
            groups.setdefault(key, []).append((name, part))
        instance: dict[str, Any] = {}
        names: dict[str, str] = {}
        for key, items in groups.items():
            names[key] = items[0][0]
            schema = schemas.property_schema(root, key)
            types = schemas.types_of(schema) if schema is not None else None
            as_array = len(items) > 1 or items[0][0].endswith("[]")
            if not as_array and types is not None and "array" in types and "string" not in types:
                single = _coerce(items[0][1], schema, schemas)
                instance[key] = single if isinstance(single, list) else [single]
            elif as_array:
                item_schema = schemas.array_items(schema) if schema is not None else None
                instance[key] = [_coerce(part, item_schema, schemas) for _, part in items]
            else:
                instance[key] = _coerce(items[0][1], schema, schemas)
        for issue in schemas.issues(schema_pointer, instance):
            first = str(issue.path[0]) if issue.path else None
            part_name = names.get(first, first) if first is not None else None
            rest = pointer_join("", *issue.path[1:]) if len(issue.path) > 1 else ""
            location = f"part {part_name!r}" + (f" {rest}" if rest else "") if part_name else "body"
            message = issue.message
            if issue.rule == "required" and len(issue.path) == 1:
                message = f"required part {part_name!r} is missing"
            report.add(
                "request", location, issue.rule, message, pointer=issue.pointer, part=part_name
            )
        return instance

    def _check_response(
        self,
        report: _Report,
        match: OperationMatch,
        response: RecordedResponse,
        request_data: Any,
    ) -> int | None:
        responses = match.operation.get("responses") or {}
        status = str(response.status)
        key = next(
            (k for k in (status, status[0] + "XX", status[0] + "xx", "default") if k in responses),
            None,
        )
        if key is None:
            report.add(
                "response",
                "status",
                "status",
                f"status {status} is not documented (documented: {', '.join(responses)})",
            )
            return None
        node, pointer = self._deref(responses[key], pointer_join(match.pointer, "responses", key))
        content = node.get("content") or {} if isinstance(node, dict) else {}
        body = response.body
        if body is None:
            report.add(
                "response",
                "body",
                "body",
                "the recording has no response body; not checked",
                severity="warning",
            )
            return None
        if response.content_encoding:
            body = _decode(body, response.content_encoding)
            if body is None:
                report.add(
                    "response",
                    "body",
                    "body",
                    f"the body is still {response.content_encoding}-encoded and cannot be "
                    "decoded here; not checked",
                    severity="warning",
                )
                return None
        header = response.header("content-type")
        media = media_type(header)
        if not content:
            if body:
                report.add(
                    "response",
                    "body",
                    "body",
                    f"status {status} documents no body, but the answer has {len(body)} bytes",
                    severity="warning",
                )
            return None
        media_key = _media_key(media, content)
        if media is None or media_key is None:
            report.add(
                "response",
                "header Content-Type",
                "content-type",
                f"response content type {media or '(missing)'} is not documented for status "
                f"{key} (documented: {', '.join(content)})",
            )
        if response.status < 300 and isinstance(request_data, dict):
            self._check_stream_choice(report, request_data, media, content)
        if media_key is None:
            return None
        media_node = content[media_key] if isinstance(content[media_key], dict) else {}
        if media == _EVENT_STREAM:
            field = "itemSchema" if "itemSchema" in media_node else "schema"
            schema_pointer = (
                pointer_join(pointer, "content", media_key, field) if field in media_node else None
            )
            return self._check_events(report, schema_pointer, body, response.body_incomplete)
        if "schema" not in media_node or not _is_json(media):
            return None
        if response.body_incomplete:
            report.add(
                "response",
                "body",
                "body",
                "the recorded body is incomplete; not checked",
                severity="warning",
            )
            return None
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            report.add("response", "body", "json", f"the body is not valid JSON: {exc}")
            return None
        schema_pointer = pointer_join(pointer, "content", media_key, "schema")
        for issue in self.schemas.issues(schema_pointer, data):
            report.add(
                "response", _at("body", issue), issue.rule, issue.message, pointer=issue.pointer
            )
        return None

    def _check_stream_choice(
        self,
        report: _Report,
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
            report.add(
                "response",
                "header Content-Type",
                "stream",
                f"the request set stream=true, but the answer is {media or 'untyped'}, "
                f"not {_EVENT_STREAM}",
            )
        elif not wanted and other and media == _EVENT_STREAM:
            said = "set stream=false" if "stream" in request_data else "did not set stream=true"
            report.add(
                "response",
                "header Content-Type",
                "stream",
                f"the request {said}, but the answer is an event stream",
            )

    def _check_events(
        self, report: _Report, schema_pointer: str | None, body: bytes, incomplete: bool
    ) -> int:
        reader = self._sse.SSEReader()
        events = reader.feed(body)
        pending = reader.finish()
        tag = self.schemas.discriminator_property(schema_pointer) if schema_pointer else None
        for index, event in enumerate(events):
            where = f"event {index}"
            try:
                data = json.loads(event.data)
            except (ValueError, UnicodeDecodeError) as exc:
                excerpt = short(event.data[:80].decode("utf-8", "replace"), 40)
                report.add(
                    "response",
                    where,
                    "json",
                    f"the event's data is not valid JSON ({exc}); it starts {excerpt}",
                    event=index,
                )
                continue
            if schema_pointer is None:
                continue
            for issue in self.schemas.issues(schema_pointer, data):
                message = issue.message
                if issue.rule == "discriminator" and message.startswith("unknown "):
                    message = "unknown event " + message[len("unknown ") :]
                report.add(
                    "response",
                    _at(where, issue),
                    issue.rule,
                    message,
                    pointer=issue.pointer,
                    event=index,
                )
            named = data.get(tag) if tag and isinstance(data, dict) else None
            if event.event and isinstance(named, str) and named != event.event:
                report.add(
                    "response",
                    where,
                    "event-name",
                    f"the SSE event name {event.event!r} differs from its {tag} {named!r}",
                    severity="warning",
                    event=index,
                )
        if pending:
            if incomplete:
                report.add(
                    "response",
                    f"event {len(events)}",
                    "sse",
                    "the recording stops inside this event (the stream was closed early)",
                    severity="warning",
                    event=len(events),
                )
            else:
                report.add(
                    "response",
                    f"event {len(events)}",
                    "sse",
                    "the stream ends inside an event (no blank line after it)",
                    event=len(events),
                )
        return len(events)

    # -- helpers ------------------------------------------------------------------------

    def _deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        for _ in range(50):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                break
            pointer = node["$ref"].removeprefix("#")
            try:
                node = resolve_pointer(self.document.data, pointer)
            except KeyError:
                break
        return node, pointer


def _at(prefix: str, issue: Issue) -> str:
    return f"{prefix} {issue.pointer}" if issue.pointer else prefix


def _is_json(media: str | None) -> bool:
    return media is not None and (media == "application/json" or media.endswith("+json"))


def _media_key(media: str | None, content: dict[str, Any]) -> str | None:
    """The key of ``content`` that a media type falls under (exact, then ranges)."""
    if media is None:
        return None
    lowered = {key.split(";", 1)[0].strip().lower(): key for key in content}
    for candidate in (media, media.split("/", 1)[0] + "/*", "*/*"):
        if candidate in lowered:
            return lowered[candidate]
    return None


def _decode(body: bytes, coding: str) -> bytes | None:
    import httpx

    try:
        return httpx.Response(200, headers={"content-encoding": coding}, content=body).content
    except httpx.DecodingError:
        return None


def _coerce(part: FormPart, schema: Any, schemas: SchemaSet) -> Any:
    """A form field's value as the schema wants it: text to boolean, number, JSON."""
    if part.is_file:
        kind = part.content_type or "no content type"
        return f"<file {part.filename!r}, {kind}, {len(part.data)} bytes>"
    text = part.data.decode("utf-8", "replace")
    types = schemas.types_of(schema) if schema is not None else None
    if types is None or "string" in types:
        return text
    if "integer" in types and _INTEGER.fullmatch(text):
        return int(text)
    if "number" in types and _NUMBER.fullmatch(text):
        number = float(text)
        return (
            int(number)
            if number.is_integer() and "." not in text and "e" not in text.lower()
            else number
        )
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "null" in types and text in ("null", ""):
        return None
    if types & {"object", "array"} and text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text
