"""Read recorded HTTP exchanges: ``http-recording/1`` files and HAR 1.2 archives.

``http-recording/1`` is written by the generated package's ``RecordingTransport``
(``templates/runtime/_recording.py``, whose docstring is the format's definition); HAR 1.2
is what browsers, mitmproxy and most proxies export. The format is detected from the
content: a JSON object with ``"format": "http-recording/N"``, or one with ``"log"``.

Both become :class:`Exchange` objects whose bodies are plain bytes, as the application saw
them (after ``Content-Encoding`` was undone). Anything unusable raises
:class:`~generator.errors.GeneratorError` naming the file and the JSON pointer at fault.
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import attrs

from ...errors import GeneratorError, Problem, pointer_join
from ...pipeline.load import read_source

__all__ = [
    "FORMAT",
    "Exchange",
    "RecordedRequest",
    "RecordedResponse",
    "parse_recording",
    "read_recording",
]

FORMAT = "http-recording/1"
_FORMAT_PREFIX = "http-recording/"
_CRLF = b"\r\n"
_HAR_BOUNDARY = "har-params-boundary"

Headers = tuple[tuple[str, str], ...]


def _header(headers: Headers, name: str) -> str | None:
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


@attrs.frozen
class RecordedRequest:
    """A request as it was sent (secrets redacted by the recorder)."""

    method: str
    url: str
    headers: Headers = ()
    body: bytes = b""
    body_incomplete: bool = False

    def header(self, name: str) -> str | None:
        """The first value of a header, by case-insensitive name."""
        return _header(self.headers, name)

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path or "/"

    @property
    def query(self) -> str:
        return urllib.parse.urlsplit(self.url).query


@attrs.frozen
class RecordedResponse:
    """A response; ``body`` is None when the recording does not have it."""

    status: int
    headers: Headers = ()
    body: bytes | None = b""
    reason: str = ""
    body_incomplete: bool = False
    content_encoding: str | None = None
    """A Content-Encoding still applied to ``body`` (the recorder could not undo it)."""

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)


@attrs.frozen
class Exchange:
    """One request and its response (or the error that stopped it), from a file."""

    file: str
    index: int
    kind: str  # "recording" or "har"
    request: RecordedRequest
    response: RecordedResponse | None
    error: str | None = None

    @property
    def pointer(self) -> str:
        """Where the exchange is in its file."""
        if self.kind == "har":
            return pointer_join("/log/entries", self.index)
        return pointer_join("/exchanges", self.index)

    @property
    def label(self) -> str:
        what = "HAR entry" if self.kind == "har" else "exchange"
        return f"{what} {self.index} ({self.request.method} {self.request.path})"


def read_recording(path: str | Path) -> list[Exchange]:
    """The exchanges of a recording file, ours or HAR, detected by content."""
    path = Path(path)
    data = read_source(path)
    return parse_recording(data, str(path))


def parse_recording(data: bytes | str, filename: str) -> list[Exchange]:
    """The exchanges of a recording given as JSON text."""
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        problem = Problem(filename, "", f"not a recording: invalid JSON: {exc.msg}", exc.lineno)
        raise GeneratorError([problem]) from None
    except UnicodeDecodeError as exc:
        raise GeneratorError([Problem(filename, "", f"not UTF-8 text: {exc.reason}")]) from None
    reader = _Reader(filename)
    if isinstance(document, dict) and "format" in document:
        exchanges = list(reader.ours(document))
    elif isinstance(document, dict) and isinstance(document.get("log"), dict):
        exchanges = list(reader.har(document["log"]))
    else:
        reader.fail(
            "",
            f'unknown recording format: expected an object with "format": "{FORMAT}" '
            'or a HAR 1.2 archive (an object with "log")',
        )
    if reader.problems:
        raise GeneratorError(reader.problems)
    return exchanges


class _Invalid(Exception):
    """One exchange cannot be read; its problem is already recorded."""


class _Reader:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []

    def fail(self, pointer: str, message: str) -> NoReturn:
        self.problems.append(Problem(self.filename, pointer, message))
        raise GeneratorError(self.problems)

    def bad(self, pointer: str, message: str) -> _Invalid:
        self.problems.append(Problem(self.filename, pointer, message))
        return _Invalid()

    def typed(self, node: Any, key: str, kind: type | tuple[type, ...], pointer: str) -> Any:
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            names = " or ".join(k.__name__ for k in _tuple(kind))
            raise self.bad(pointer_join(pointer, key), f"expected {_json_kind(names)}")
        return value

    # -- http-recording/1 ---------------------------------------------------------------

    def ours(self, document: dict[str, Any]) -> Iterator[Exchange]:
        fmt = document.get("format")
        if not isinstance(fmt, str) or not fmt.startswith(_FORMAT_PREFIX):
            self.fail("/format", f"unknown recording format {fmt!r} (this tool reads {FORMAT})")
        if fmt != FORMAT:
            self.fail("/format", f"unsupported recording format version {fmt!r} (need {FORMAT})")
        exchanges = document.get("exchanges")
        if not isinstance(exchanges, list):
            self.fail("/exchanges", "expected an array of exchanges")
        for index, item in enumerate(exchanges):
            pointer = pointer_join("/exchanges", index)
            try:
                yield self._exchange(item, index, pointer)
            except _Invalid:
                continue

    def _exchange(self, item: Any, index: int, pointer: str) -> Exchange:
        if not isinstance(item, dict):
            raise self.bad(pointer, "expected an object with request and response")
        request = self.typed(item, "request", dict, pointer)
        where = pointer_join(pointer, "request")
        body, incomplete = self._body(request.get("body"), pointer_join(where, "body"))
        recorded_request = RecordedRequest(
            method=self.typed(request, "method", str, where).upper(),
            url=self.typed(request, "url", str, where),
            headers=self._pairs(request.get("headers", []), pointer_join(where, "headers")),
            body=body,
            body_incomplete=incomplete,
        )
        response = item.get("response")
        error = item.get("error")
        if error is not None and not isinstance(error, str):
            raise self.bad(pointer_join(pointer, "error"), "expected a string")
        if response is None:
            return Exchange(self.filename, index, "recording", recorded_request, None, error)
        if not isinstance(response, dict):
            raise self.bad(pointer_join(pointer, "response"), "expected an object or null")
        where = pointer_join(pointer, "response")
        status = self.typed(response, "status", int, where)
        body_node = response.get("body")
        content, incomplete = self._body(body_node, pointer_join(where, "body"))
        encoding = body_node.get("content_encoding") if isinstance(body_node, dict) else None
        recorded_response = RecordedResponse(
            status=status,
            headers=self._pairs(response.get("headers", []), pointer_join(where, "headers")),
            body=content,
            reason=str(response.get("reason") or ""),
            body_incomplete=incomplete,
            content_encoding=encoding if isinstance(encoding, str) and encoding else None,
        )
        return Exchange(
            self.filename, index, "recording", recorded_request, recorded_response, error
        )

    def _pairs(self, node: Any, pointer: str) -> Headers:
        if not isinstance(node, list):
            raise self.bad(pointer, "expected an array of [name, value] pairs")
        pairs = []
        for index, pair in enumerate(node):
            if (
                not isinstance(pair, list)
                or len(pair) != 2
                or not all(isinstance(p, str) for p in pair)
            ):
                raise self.bad(pointer_join(pointer, index), "expected a [name, value] pair")
            pairs.append((pair[0], pair[1]))
        return tuple(pairs)

    def _body(self, node: Any, pointer: str) -> tuple[bytes, bool]:
        if node is None:
            return b"", False
        if not isinstance(node, dict):
            raise self.bad(pointer, "expected a body object (text, lines, base64 or multipart)")
        return self._content(node, pointer, allow_multipart=True), node.get("incomplete") is True

    def _content(self, node: dict[str, Any], pointer: str, *, allow_multipart: bool) -> bytes:
        forms = [key for key in ("text", "lines", "base64", "multipart") if key in node]
        if len(forms) != 1 or (forms[0] == "multipart" and not allow_multipart):
            raise self.bad(pointer, "expected exactly one of text, lines, base64, multipart")
        form = forms[0]
        value = node[form]
        where = pointer_join(pointer, form)
        if form == "text":
            if not isinstance(value, str):
                raise self.bad(where, "expected a string")
            return _utf8(value)
        if form == "lines":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self.bad(where, "expected an array of strings")
            return _utf8("\n".join(value))
        if form == "base64":
            if not isinstance(value, str):
                raise self.bad(where, "expected a base64 string")
            try:
                return base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise self.bad(where, "invalid base64") from None
        return self._multipart(value, where)

    def _multipart(self, node: Any, pointer: str) -> bytes:
        boundary = self.typed(node, "boundary", str, pointer)
        parts = self.typed(node, "parts", list, pointer)
        delimiter = b"--" + boundary.encode("latin-1", "replace")
        out: list[bytes] = []
        for index, part in enumerate(parts):
            where = pointer_join(pointer, "parts", index)
            if not isinstance(part, dict):
                raise self.bad(where, "expected a part object")
            out.append(delimiter + _CRLF)
            for name, value in self._pairs(part.get("headers", []), pointer_join(where, "headers")):
                out.append(_utf8(f"{name}: {value}") + _CRLF)
            out.append(_CRLF)
            out.append(self._content(part, where, allow_multipart=False))
            out.append(_CRLF)
        out.append(delimiter + b"--" + _CRLF)
        return b"".join(out)

    # -- HAR 1.2 --------------------------------------------------------------------------

    def har(self, log: dict[str, Any]) -> Iterator[Exchange]:
        entries = log.get("entries")
        if not isinstance(entries, list):
            self.fail("/log/entries", "expected an array of HAR entries")
        for index, entry in enumerate(entries):
            pointer = pointer_join("/log/entries", index)
            try:
                yield self._har_entry(entry, index, pointer)
            except _Invalid:
                continue

    def _har_entry(self, entry: Any, index: int, pointer: str) -> Exchange:
        if not isinstance(entry, dict):
            raise self.bad(pointer, "expected a HAR entry object")
        request = self.typed(entry, "request", dict, pointer)
        where = pointer_join(pointer, "request")
        headers = self._har_headers(request.get("headers", []), pointer_join(where, "headers"))
        body, headers = self._har_post_data(request.get("postData"), headers, where)
        recorded_request = RecordedRequest(
            method=self.typed(request, "method", str, where).upper(),
            url=self.typed(request, "url", str, where),
            headers=headers,
            body=body,
        )
        response = entry.get("response")
        if response is None:
            return Exchange(self.filename, index, "har", recorded_request, None, "no response")
        if not isinstance(response, dict):
            raise self.bad(pointer_join(pointer, "response"), "expected a response object")
        where = pointer_join(pointer, "response")
        status = self.typed(response, "status", int, where)
        if status == 0:  # what browsers export for a failed or blocked request
            error = response.get("_error") or entry.get("_error") or "no response (status 0)"
            return Exchange(self.filename, index, "har", recorded_request, None, str(error))
        recorded_response = RecordedResponse(
            status=status,
            headers=self._har_headers(response.get("headers", []), pointer_join(where, "headers")),
            body=self._har_content(response.get("content"), pointer_join(where, "content")),
            reason=str(response.get("statusText") or ""),
        )
        return Exchange(self.filename, index, "har", recorded_request, recorded_response)

    def _har_headers(self, node: Any, pointer: str) -> Headers:
        if not isinstance(node, list):
            raise self.bad(pointer, "expected an array of {name, value} objects")
        pairs = []
        for index, item in enumerate(node):
            where = pointer_join(pointer, index)
            name = self.typed(item, "name", str, where)
            value = self.typed(item, "value", str, where)
            if not name.startswith(":"):  # HTTP/2 pseudo-headers are not headers
                pairs.append((name, value))
        return tuple(pairs)

    def _har_post_data(self, node: Any, headers: Headers, pointer: str) -> tuple[bytes, Headers]:
        if node is None:
            return b"", headers
        where = pointer_join(pointer, "postData")
        if not isinstance(node, dict):
            raise self.bad(where, "expected a postData object")
        mime = node.get("mimeType") if isinstance(node.get("mimeType"), str) else None
        if mime and _header(headers, "content-type") is None:
            headers = (*headers, ("Content-Type", mime))
        text = node.get("text")
        if isinstance(text, str):
            if node.get("encoding") == "base64":  # not in HAR 1.2, but some tools write it
                try:
                    return base64.b64decode(text, validate=True), headers
                except (binascii.Error, ValueError):
                    raise self.bad(pointer_join(where, "text"), "invalid base64") from None
            return _utf8(text), headers
        params = node.get("params")
        if params is None:
            return b"", headers
        if not isinstance(params, list):
            raise self.bad(pointer_join(where, "params"), "expected an array of params")
        fields = []
        for index, param in enumerate(params):
            at = pointer_join(where, "params", index)
            name = self.typed(param, "name", str, at)
            value = param.get("value", "") if isinstance(param.get("value", ""), str) else ""
            file_name = param.get("fileName")
            content_type = param.get("contentType")
            fields.append((name, value, file_name, content_type))
        content_type = _header(headers, "content-type") or mime or ""
        if content_type.lower().startswith("multipart/"):
            boundary = _param(content_type, "boundary")
            if boundary is None:
                boundary = _HAR_BOUNDARY
                headers = tuple(h for h in headers if h[0].lower() != "content-type")
                headers = (*headers, ("Content-Type", f"{content_type}; boundary={boundary}"))
            return _build_multipart(boundary, fields), headers
        encoded = urllib.parse.urlencode([(name, value) for name, value, _, _ in fields])
        return encoded.encode("ascii"), headers

    def _har_content(self, node: Any, pointer: str) -> bytes | None:
        if node is None:
            return None
        if not isinstance(node, dict):
            raise self.bad(pointer, "expected a content object")
        text = node.get("text")
        if text is None:
            # Browsers leave the text out when they did not keep the body.
            return b"" if node.get("size") == 0 else None
        if not isinstance(text, str):
            raise self.bad(pointer_join(pointer, "text"), "expected a string")
        if node.get("encoding") == "base64":
            try:
                return base64.b64decode("".join(text.split()), validate=True)
            except (binascii.Error, ValueError):
                raise self.bad(pointer_join(pointer, "text"), "invalid base64") from None
        return _utf8(text)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, as some tools write undecodable bytes
        return text.encode("utf-8", "surrogatepass")


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _json_kind(names: str) -> str:
    return {"str": "a string", "int": "an integer", "dict": "an object", "list": "an array"}.get(
        names, names
    )


def _param(content_type: str, name: str) -> str | None:
    """A parameter of a media type (``boundary``, ``charset``), unquoted."""
    for piece in content_type.split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.strip().lower() == name:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            return value or None
    return None


def _build_multipart(boundary: str, fields: list[tuple[str, str, Any, Any]]) -> bytes:
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    out: list[bytes] = []
    for name, value, file_name, content_type in fields:
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if isinstance(file_name, str):
            disposition += f'; filename="{file_name}"'
        out.append(delimiter + _CRLF + _utf8(disposition) + _CRLF)
        if isinstance(content_type, str) and content_type:
            out.append(_utf8(f"Content-Type: {content_type}") + _CRLF)
        out.append(_CRLF + _utf8(value) + _CRLF)
    out.append(delimiter + b"--" + _CRLF)
    return b"".join(out)
