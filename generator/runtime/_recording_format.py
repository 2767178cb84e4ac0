"""The ``http-recording/1`` format: the one codec, for the recorder and for every reader.

:func:`encode_exchange` makes the JSON object of one exchange (the recorder in
:mod:`._recording` writes it); :func:`load_recording`, :func:`read_document`,
:func:`exchanges_of` and :func:`decode_exchange` read files back, raising
:class:`RecordingError` at a JSON pointer for anything that does not follow the format.

The format is JSON made to be read and diffed by people::

    {
      "format": "http-recording/1",
      "source": "free text: where the exchanges came from",
      "exchanges": [
        {
          "request": {"method": "POST", "url": "https://...", "headers": [[name, value], ...],
                      "body": BODY},
          "response": {"status": 200, "reason": "OK", "http_version": "HTTP/1.1",
                       "headers": [[name, value], ...], "body": BODY}
        }
      ]
    }

Headers are ``[name, value]`` pairs in the order they were sent. ``BODY`` is one of:

* ``{"text": "..."}``: the bytes are this text in UTF-8;
* ``{"lines": ["...", ...]}``: the bytes are these lines joined with ``"\\n"``, in UTF-8
  (used for text that has line feeds and no carriage returns, e.g. an event stream);
* ``{"base64": "..."}``: any bytes;
* ``{"multipart": {"boundary": "...", "parts": [{"headers": [[name, value], ...], ...BODY}]}}``:
  a ``multipart/form-data`` body, each part's content given as text, lines or base64. The
  bytes are ``--boundary CRLF``, each header as ``name: value CRLF``, ``CRLF``, the content,
  ``CRLF`` for each part, then ``--boundary-- CRLF``. Used only when that rebuilds the
  recorded bytes exactly; otherwise the body is stored as text or base64.

A body may also carry ``"incomplete": true`` (the stream was closed before its end, so the
bytes are a prefix) and ``"content_encoding": "<coding>"``. Response bodies are stored
decoded, as ``httpx.Response.content`` gives them, while the headers keep the server's
``Content-Encoding``; only when the coding could not be undone (it failed, or this httpx
does not know it) are the bytes stored as received, and ``content_encoding`` names the
coding still applied. An exchange whose transport failed has ``"response": null`` and
``"error": "<exception>"``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import urllib.parse
from typing import Any

import attrs
import httpx

from ._errors import ClientError
from ._multipart import MultipartError, header_param, join_parts, parse_multipart

__all__ = [
    "FORMAT",
    "REGISTERED_CODINGS",
    "RecordedExchange",
    "RecordedRequest",
    "RecordedResponse",
    "RecordingError",
    "as_text",
    "content_codings",
    "decode_body",
    "decode_exchange",
    "decode_headers",
    "encode_body",
    "encode_exchange",
    "exchanges_of",
    "load_recording",
    "read_document",
    "undo_content_encoding",
]

FORMAT = "http-recording/1"
"""The ``format`` value of the recordings this codec writes and reads."""

Headers = tuple[tuple[str, str], ...]

# ---------------------------------------------------------------- the recorded values


def _header(headers: Headers, name: str) -> str | None:
    name = name.lower()
    return next((value for key, value in headers if key.lower() == name), None)


@attrs.frozen
class RecordedRequest:
    """A request as it was sent (secrets redacted). ``url`` is a valid URL."""

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
    http_version: str = ""
    body_incomplete: bool = False
    content_encoding: str | None = None
    """A Content-Encoding still applied to ``body`` (the recorder could not undo it)."""

    def header(self, name: str) -> str | None:
        """The first value of a header, by case-insensitive name."""
        return _header(self.headers, name)


@attrs.frozen
class RecordedExchange:
    """One request and its response, or the error that stopped it."""

    request: RecordedRequest
    response: RecordedResponse | None
    error: str | None = None


class RecordingError(ClientError, ValueError):
    """Part of a document that does not follow the format, located by a JSON pointer (and,
    for text that is not JSON, a line)."""

    def __init__(self, pointer: str, reason: str, line: int | None = None) -> None:
        super().__init__(f"{pointer or '/'}: {reason}")
        self.pointer = pointer
        self.reason = reason
        self.line = line


# ---------------------------------------------------------------- encoding


def encode_exchange(exchange: RecordedExchange) -> dict[str, Any]:
    """The JSON object of one exchange."""
    request = exchange.request
    request_body = encode_body(request.body, request.header("content-type"))
    if request.body_incomplete:
        request_body["incomplete"] = True
    encoded: dict[str, Any] = {
        "request": {
            "method": request.method,
            "url": request.url,
            "headers": [[name, value] for name, value in request.headers],
            "body": request_body,
        }
    }
    response = exchange.response
    if response is None:
        encoded["response"] = None
        encoded["error"] = exchange.error or "no response"
        return encoded
    response_body = encode_body(response.body or b"", response.header("content-type"))
    if response.content_encoding:
        response_body["content_encoding"] = response.content_encoding
    if response.body_incomplete:
        response_body["incomplete"] = True
    encoded["response"] = {
        "status": response.status,
        "reason": response.reason,
        "http_version": response.http_version,
        "headers": [[name, value] for name, value in response.headers],
        "body": response_body,
    }
    return encoded


def encode_body(data: bytes, content_type: str | None) -> dict[str, Any]:
    """A ``BODY``: multipart parts when they rebuild ``data`` exactly, else its content."""
    boundary = header_param(content_type, "boundary")
    if boundary and (content_type or "").lower().startswith("multipart/"):
        multipart = _multipart_json(data, boundary)
        if multipart is not None:
            return {"multipart": multipart}
    return _content_json(data)


def _content_json(data: bytes) -> dict[str, Any]:
    """``{"text"}``, ``{"lines"}`` or ``{"base64"}`` for some bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}
    if "\n" in text and "\r" not in text:
        return {"lines": text.split("\n")}
    return {"text": text}


def _multipart_json(data: bytes, boundary: str) -> dict[str, Any] | None:
    """The parts of a multipart body, or None when they would not rebuild it exactly."""
    try:
        parts = parse_multipart(data, boundary)
    except MultipartError:
        return None
    if join_parts(boundary, ((p.headers, p.data) for p in parts)) != data:
        return None  # a preamble, an epilogue, or headers not written "Name: value"
    texts = [text for p in parts for header in p.headers for text in header]
    if any(not _is_json_text(text) for text in texts):
        return None
    return {
        "boundary": boundary,
        "parts": [
            {"headers": [[n, v] for n, v in p.headers], **_content_json(p.data)} for p in parts
        ],
    }


def _is_json_text(text: str) -> bool:
    """Whether ``text`` survives a trip through UTF-8 JSON (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_text(value: object, indent: str = "") -> str:
    """JSON laid out as recordings are: objects and long arrays broken over lines, short
    scalar arrays inline; ``indent`` is the indentation the value starts at."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        items = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {as_text(item, inner)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if not any(isinstance(item, dict | list | tuple) for item in value):
            dumped = [json.dumps(item, ensure_ascii=False) for item in value]
            if sum(map(len, dumped)) <= 100:
                return "[" + ", ".join(dumped) + "]"
        inner = indent + "  "
        items = [inner + as_text(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- decoding


def load_recording(path: str | os.PathLike[str]) -> list[RecordedExchange]:
    """The exchanges of a recording file; :class:`RecordingError` at the first problem."""
    with open(path, "rb") as file:
        document = read_document(file.read())
    return [
        decode_exchange(item, f"/exchanges/{index}")
        for index, item in enumerate(exchanges_of(document))
    ]


def read_document(data: bytes | str) -> Any:
    """The JSON value of a file's text; :class:`RecordingError` (with a line) if it is not
    JSON, or is nested too deeply to read."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise RecordingError("", f"invalid JSON: {exc.msg}", exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise RecordingError("", f"not UTF-8 text: {exc.reason}") from None
    except RecursionError:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        raise RecordingError("", "JSON nested too deeply to read", _deep_line(text)) from None


def _deep_line(text: str, limit: int = 500) -> int | None:
    """The line where arrays and objects first nest ``limit`` levels deep."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth >= limit:
                return text.count("\n", 0, match.start()) + 1
        elif token in "]}":
            depth -= 1
    return None


def exchanges_of(document: Any) -> list[Any]:
    """The ``exchanges`` array of an ``http-recording/1`` document, its format checked."""
    found = document.get("format") if isinstance(document, dict) else None
    if not isinstance(found, str) or not found.startswith("http-recording/"):
        raise RecordingError("/format", f"unknown recording format {found!r} (need {FORMAT})")
    if found != FORMAT:
        raise RecordingError(
            "/format", f"unsupported recording format version {found!r} (need {FORMAT})"
        )
    exchanges = document.get("exchanges")
    if not isinstance(exchanges, list):
        raise RecordingError("/exchanges", "expected an array of exchanges")
    return exchanges


def decode_exchange(node: Any, pointer: str) -> RecordedExchange:
    """The exchange a JSON object at ``pointer`` holds; :class:`RecordingError` if it is not
    one."""
    if not isinstance(node, dict):
        raise RecordingError(pointer, "expected an object with request and response")
    request = _typed(node, "request", dict, pointer)
    where = f"{pointer}/request"
    body, incomplete, _ = decode_body(request.get("body"), f"{where}/body")
    recorded_request = RecordedRequest(
        method=_typed(request, "method", str, where).upper(),
        url=_url(_typed(request, "url", str, where), f"{where}/url"),
        headers=decode_headers(request.get("headers", []), f"{where}/headers"),
        body=body,
        body_incomplete=incomplete,
    )
    error = node.get("error")
    if error is not None and not isinstance(error, str):
        raise RecordingError(f"{pointer}/error", "expected a string")
    response = node.get("response")
    if response is None:
        return RecordedExchange(recorded_request, None, error)
    if not isinstance(response, dict):
        raise RecordingError(f"{pointer}/response", "expected an object or null")
    where = f"{pointer}/response"
    content, incomplete, coding = decode_body(response.get("body"), f"{where}/body")
    recorded_response = RecordedResponse(
        status=_typed(response, "status", int, where),
        headers=decode_headers(response.get("headers", []), f"{where}/headers"),
        body=content,
        reason=str(response.get("reason") or ""),
        http_version=str(response.get("http_version") or ""),
        body_incomplete=incomplete,
        content_encoding=coding,
    )
    return RecordedExchange(recorded_request, recorded_response, error)


def decode_headers(node: Any, pointer: str) -> Headers:
    """``[[name, value], ...]`` as pairs."""
    if not isinstance(node, list):
        raise RecordingError(pointer, "expected an array of [name, value] pairs")
    pairs = []
    for index, pair in enumerate(node):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise RecordingError(f"{pointer}/{index}", "expected a [name, value] pair")
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def decode_body(node: Any, pointer: str) -> tuple[bytes, bool, str | None]:
    """A ``BODY``'s bytes, whether they are incomplete, and the coding still applied."""
    if node is None:
        return b"", False, None
    if not isinstance(node, dict):
        raise RecordingError(pointer, "expected a body object (text, lines, base64 or multipart)")
    coding = node.get("content_encoding")
    if coding is not None and not isinstance(coding, str):
        raise RecordingError(f"{pointer}/content_encoding", "expected a string")
    data = _content(node, pointer, allow_multipart=True)
    return data, node.get("incomplete") is True, coding or None


def _content(node: dict[str, Any], pointer: str, *, allow_multipart: bool) -> bytes:
    forms = [key for key in ("text", "lines", "base64", "multipart") if key in node]
    if len(forms) != 1 or (forms[0] == "multipart" and not allow_multipart):
        raise RecordingError(pointer, "expected exactly one of text, lines, base64, multipart")
    form = forms[0]
    value = node[form]
    where = f"{pointer}/{form}"
    if form == "text":
        if not isinstance(value, str):
            raise RecordingError(where, "expected a string")
        return _utf8(value)
    if form == "lines":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RecordingError(where, "expected an array of strings")
        return _utf8("\n".join(value))
    if form == "base64":
        if not isinstance(value, str):
            raise RecordingError(where, "expected a base64 string")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise RecordingError(where, "invalid base64") from None
    boundary = _typed(value, "boundary", str, where)
    parts = _typed(value, "parts", list, where)
    decoded: list[tuple[Headers, bytes]] = []
    for index, part in enumerate(parts):
        at = f"{where}/parts/{index}"
        if not isinstance(part, dict):
            raise RecordingError(at, "expected a part object")
        headers = decode_headers(part.get("headers", []), f"{at}/headers")
        decoded.append((headers, _content(part, at, allow_multipart=False)))
    return join_parts(boundary, decoded)


def _typed(node: Any, key: str, kind: type, pointer: str) -> Any:
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = {str: "a string", int: "an integer", dict: "an object", list: "an array"}
        raise RecordingError(f"{pointer}/{key}", f"expected {names.get(kind, kind.__name__)}")
    return value


def _url(url: str, pointer: str) -> str:
    try:
        urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise RecordingError(pointer, f"invalid URL: {exc}") from None
    return url


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, as some tools write undecodable bytes
        return text.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------- content codings

REGISTERED_CODINGS = frozenset(
    {"identity", "gzip", "x-gzip", "deflate", "br", "zstd", "compress", "x-compress"}
)
"""The content codings HTTP defines (an answer in another one is unreadable to clients)."""


def content_codings(value: str | None) -> list[str]:
    """The codings of a Content-Encoding value, in the order they were applied."""
    codings = (c.strip().lower() for c in (value or "").split(","))
    return [c for c in codings if c and c != "identity"]


def undo_content_encoding(raw: bytes, coding: str | None) -> tuple[bytes, str | None]:
    """The bytes with ``coding`` undone as httpx does; when httpx cannot (a coding it does
    not know, or bytes it cannot decode), the raw bytes and the coding still applied."""
    codings = content_codings(coding)
    if not codings:
        return raw, None
    if any(c not in _httpx_decoders() for c in codings):
        return raw, coding  # httpx would pass these bytes through untouched
    try:
        return httpx.Response(
            200, headers={"content-encoding": coding or ""}, content=raw
        ).content, None
    except httpx.DecodingError:
        return raw, coding


def _httpx_decoders() -> frozenset[str]:
    try:
        from httpx._decoders import SUPPORTED_DECODERS
    except ImportError:  # pragma: no cover - a future httpx
        return frozenset({"gzip", "deflate"})
    return frozenset(SUPPORTED_DECODERS)
