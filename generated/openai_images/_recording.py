"""Record the HTTP exchanges of a client to a JSON file, and read such files back.

Pass a recorder as the transport of the ``httpx.Client`` given to this package's client::

    http_client = httpx.Client(
        transport=RecordingTransport(httpx.HTTPTransport(), "exchanges.json")
    )
    client = Client(api_key=..., http_client=http_client)

(``AsyncRecordingTransport(httpx.AsyncHTTPTransport(), path)`` for ``httpx.AsyncClient``.)
Each exchange is appended to the file when its response is closed, which httpx does once
the body has been read, or when a stream is closed or left. :func:`load_recording` reads a
file back into :class:`RecordedExchange` values; the codec below (:func:`encode_exchange`,
:func:`decode_exchange`) is the one definition of the format, for the recorder and for
anything that reads recordings.

The file format, ``http-recording/1``, is JSON made to be read and diffed by people::

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
  recorded bytes exactly; otherwise the body is stored as base64.

A body may also carry ``"incomplete": true`` (the stream was closed before its end, so the
bytes are a prefix) and ``"content_encoding": "<coding>"``. Response bodies are stored
decoded, as ``httpx.Response.content`` gives them, while the headers keep the server's
``Content-Encoding``; only when the coding could not be undone (it failed, or this httpx
does not know it) are the bytes stored as received, and ``content_encoding`` names the
coding still applied. An exchange whose transport failed has ``"response": null`` and
``"error": "<exception>"``.

Secrets never reach the file: the values of ``Authorization``, ``Proxy-Authorization``,
``api-key``, ``x-api-key``, ``openai-api-key``, ``Cookie`` and ``Set-Cookie`` (plus the
names given in ``redact_headers``) are replaced by ``[REDACTED]`` (keeping an auth scheme
such as ``Bearer``); so are query parameters named like keys or tokens, a URL's password,
and anything shaped like an API key (``sk-...``) in a header or the URL. Each value found
this way is also removed wherever else it appears, request and response bodies included.
Other secrets inside bodies are not searched for.

Memory: a request body that httpx already holds as bytes is recorded without a copy; a
streamed upload is kept (by reference, chunk by chunk) as it is sent. A response body is
kept while it is read, and serialised when it is closed. Writes are serialised with a
lock; an async client writes from the event loop thread (it blocks for the write).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import re
import threading
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, cast

import attrs
import httpx

from ._multipart import MultipartError, header_param, join_parts, parse_multipart

__all__ = [
    "FORMAT",
    "REDACTED",
    "AsyncRecordingTransport",
    "RecordedExchange",
    "RecordedRequest",
    "RecordedResponse",
    "RecordingError",
    "RecordingTransport",
    "decode_exchange",
    "encode_exchange",
    "load_recording",
    "read_document",
]

FORMAT = "http-recording/1"
"""The ``format`` value of recordings this module writes and reads."""

REDACTED = "[REDACTED]"
"""What replaces a secret in a recording."""

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


class RecordingError(ValueError):
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


def _dump(value: object, indent: str) -> str:
    """JSON with objects and long arrays broken over lines, short scalar arrays inline."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        items = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {_dump(item, inner)}"
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
        items = [inner + _dump(item, inner) for item in value]
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


# ---------------------------------------------------------------- recording

_SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "api-key",
        "x-api-key",
        "openai-api-key",
        "cookie",
        "set-cookie",
    }
)
_SECRET_PARAMS = frozenset(
    {
        "api_key",
        "api-key",
        "apikey",
        "key",
        "access_token",
        "token",
        "auth",
        "secret",
        "client_secret",
        "password",
    }
)
_KEY_SHAPE = re.compile(r"sk-[A-Za-z0-9_\-]{8,}")
_SCHEME_VALUE = re.compile(r"([A-Za-z][A-Za-z0-9_\-]*) +(\S.*)")
_MIN_SECRET = 8  # shorter values are not searched for elsewhere: too likely to be common
_TAIL = b"\n  ]\n}\n"


class _Redactor:
    """Finds the secrets of one exchange and removes them from what is written."""

    def __init__(self, extra_headers: frozenset[str]) -> None:
        self._names = _SECRET_HEADERS | extra_headers
        self.secrets: set[str] = set()

    def collect_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        for name, value in headers:
            if name.lower() in self._names:
                self._add(value)
                match = _SCHEME_VALUE.fullmatch(value.strip())
                if match:
                    self._add(match.group(2))
                if name.lower() in ("cookie", "set-cookie"):
                    for crumb in value.split(";"):
                        self._add(crumb.partition("=")[2].strip())
            self.secrets.update(_KEY_SHAPE.findall(value))

    def collect_url(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.password:
            self._add(parts.password)
            self._add(urllib.parse.unquote(parts.password))
        for piece in parts.query.split("&"):
            name, _, value = piece.partition("=")
            plain = urllib.parse.unquote_plus(value)
            if urllib.parse.unquote_plus(name).lower() in _SECRET_PARAMS:
                self._add(value)
                self._add(plain)
            self.secrets.update(_KEY_SHAPE.findall(plain))
        self.secrets.update(_KEY_SHAPE.findall(url))

    def _add(self, value: str) -> None:
        if len(value) >= _MIN_SECRET and value != REDACTED:
            self.secrets.add(value)

    def headers(self, headers: Iterable[tuple[str, str]]) -> Headers:
        out: list[tuple[str, str]] = []
        for name, value in headers:
            if name.lower() in self._names:
                match = _SCHEME_VALUE.fullmatch(value.strip())
                is_auth = name.lower() in ("authorization", "proxy-authorization")
                value = f"{match.group(1)} {REDACTED}" if match and is_auth else REDACTED
            else:
                value = self.text(value)
            out.append((name, value))
        return tuple(out)

    def url(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        netloc = parts.netloc
        if parts.password is not None:
            userinfo, _, host = netloc.rpartition("@")
            netloc = f"{userinfo.partition(':')[0]}:{urllib.parse.quote(REDACTED)}@{host}"
        pieces = []
        for piece in parts.query.split("&") if parts.query else []:
            name, eq, value = piece.partition("=")
            secret = urllib.parse.unquote_plus(name).lower() in _SECRET_PARAMS
            if eq and (secret or _KEY_SHAPE.search(urllib.parse.unquote_plus(value))):
                piece = f"{name}=REDACTED"
            pieces.append(piece)
        rebuilt = urllib.parse.urlunsplit(
            (parts.scheme, netloc, parts.path, "&".join(pieces), parts.fragment)
        )
        return self.text(rebuilt)

    def text(self, text: str) -> str:
        for secret in self._ordered():
            if secret in text:
                text = text.replace(secret, REDACTED)
                quoted = urllib.parse.quote(secret, safe="")
                text = text.replace(quoted, REDACTED) if quoted != secret else text
        return _KEY_SHAPE.sub(REDACTED, text)

    def data(self, data: bytes) -> bytes:
        for secret in self._ordered():
            encoded = secret.encode("utf-8")
            if encoded in data:
                data = data.replace(encoded, REDACTED.encode("ascii"))
        return data

    def _ordered(self) -> list[str]:
        # Longest first, so a secret containing another is replaced whole.
        return sorted(self.secrets, key=len, reverse=True)


class _RecordingFile:
    """A recording on disk that exchanges are appended to, one JSON document at all times."""

    def __init__(self, path: str | os.PathLike[str], *, append: bool, source: str | None) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        existing: list[Any] = []
        if append and os.path.exists(self.path):
            with open(self.path, "rb") as file:
                try:
                    document = read_document(file.read())
                    existing = exchanges_of(document)
                except RecordingError as exc:
                    raise ValueError(f"{self.path} cannot be appended to: {exc}") from None
            source = document.get("source", source)
        head: dict[str, Any] = {"format": FORMAT}
        if source is not None:
            head["source"] = source
        text = _dump(head, "")
        out = [text[:-2] + ',\n  "exchanges": [']
        try:
            out.append(",".join("\n    " + _dump(item, "    ") for item in existing))
        except RecursionError:
            raise ValueError(f"{self.path} is nested too deeply to append to") from None
        with open(self.path, "wb") as file:
            file.write("".join(out).encode("utf-8") + _TAIL)
        self._count = len(existing)

    def append(self, exchange: dict[str, Any]) -> None:
        data = _dump(exchange, "    ").encode("utf-8") + _TAIL
        with self._lock, open(self.path, "r+b") as file:
            data = (b"\n    " if self._count == 0 else b",\n    ") + data
            file.seek(-len(_TAIL), os.SEEK_END)
            if file.read(len(_TAIL)) != _TAIL:
                raise ValueError(f"{self.path} was changed by someone else while recording")
            file.seek(-len(_TAIL), os.SEEK_END)
            file.write(data)
            self._count += 1


class _Exchange:
    """One request on its way: what is known of it, written once its response is closed."""

    def __init__(self, request: httpx.Request, recorder: _RecordingFile, names: frozenset[str]):
        self._recorder = recorder
        self._redactor = _Redactor(names)
        self._method = request.method
        self._url = str(request.url)
        self._headers = _raw_headers(request.headers)
        self._content_type = request.headers.get("content-type")
        self._body: bytes | None = None
        self._chunks: list[bytes] = []
        self._body_complete = False
        self._written = False
        if isinstance(request.stream, httpx.ByteStream):
            # Already in memory: recorded without a copy. (A request built without content
            # whose stream was attached later has a stale, empty ``content``: it is teed.)
            try:
                self._body = request.content
                self._body_complete = True
            except httpx.RequestNotRead:
                pass

    @property
    def body_in_memory(self) -> bool:
        return self._body is not None

    def restart_body(self) -> None:
        self._chunks = []
        self._body_complete = False

    def add_body(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    def end_body(self) -> None:
        self._body_complete = True

    def failed(self, error: BaseException) -> None:
        # The transport's exception matters more than a failure to record it.
        with contextlib.suppress(Exception):
            self._write(None, None, f"{type(error).__name__}: {error}")

    def finished(
        self, response: httpx.Response, raw: bytes, complete: bool, *, decoded: bool = False
    ) -> None:
        self._write(response, (raw, complete), None, decoded=decoded)

    def _write(
        self,
        response: httpx.Response | None,
        body: tuple[bytes, bool] | None,
        error: str | None,
        *,
        decoded: bool = False,
    ) -> None:
        if self._written:
            return
        self._written = True
        redactor = self._redactor
        redactor.collect_headers(self._headers)
        redactor.collect_url(self._url)
        response_headers = _raw_headers(response.headers) if response is not None else []
        redactor.collect_headers(response_headers)

        request_body = self._body if self._body is not None else b"".join(self._chunks)
        request = RecordedRequest(
            method=self._method,
            url=redactor.url(self._url),
            headers=redactor.headers(self._headers),
            body=redactor.data(request_body),
            body_incomplete=not self._body_complete,
        )
        if response is None or body is None:
            exchange = RecordedExchange(request, None, redactor.text(error or "no response"))
        else:
            raw, complete = body
            coding = None if decoded else response.headers.get("content-encoding")
            data, still_encoded = undo_content_encoding(raw, coding)
            recorded = RecordedResponse(
                status=response.status_code,
                headers=redactor.headers(response_headers),
                body=redactor.data(data),
                reason=response.reason_phrase,
                http_version=response.http_version,
                body_incomplete=not complete,
                content_encoding=still_encoded,
            )
            exchange = RecordedExchange(request, recorded)
        self._recorder.append(encode_exchange(exchange))


def _raw_headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    encoding = headers.encoding
    return [(name.decode(encoding), value.decode(encoding)) for name, value in headers.raw]


def _preloaded(response: httpx.Response, exchange: _Exchange) -> bool:
    """Record a response whose body is already in memory (e.g. from ``MockTransport``).

    httpx reads (and closes) a response built from ``content=`` at once, so its stream
    will not be read again: the exchange is written now, from the decoded content.
    """
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return False
    exchange.finished(response, content, True, decoded=True)
    return True


class _SyncRequestTee(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes], exchange: _Exchange) -> None:
        self._stream = stream
        self._exchange = exchange

    def __iter__(self) -> Iterator[bytes]:
        self._exchange.restart_body()
        for chunk in self._stream:
            self._exchange.add_body(chunk)
            yield chunk
        self._exchange.end_body()


class _AsyncRequestTee(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, exchange: _Exchange) -> None:
        self._stream = stream
        self._exchange = exchange

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self._exchange.restart_body()
        async for chunk in self._stream:
            self._exchange.add_body(chunk)
            yield chunk
        self._exchange.end_body()

    async def aclose(self) -> None:
        await self._stream.aclose()


class _Capture:
    """The raw bytes of a response body as the caller reads them."""

    def __init__(self, on_close: Callable[[bytes, bool], None]) -> None:
        self._chunks: list[bytes] = []
        self._complete = False
        self._closed = False
        self._on_close = on_close

    def add(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    def end(self) -> None:
        self._complete = True

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            chunks, self._chunks = self._chunks, []
            self._on_close(b"".join(chunks), self._complete)


class _SyncResponseTee(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, capture: _Capture) -> None:
        self._stream = stream
        self._capture = capture

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self._capture.add(chunk)
            yield chunk
        self._capture.end()

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._capture.close()


class _AsyncResponseTee(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, capture: _Capture) -> None:
        self._stream = stream
        self._capture = capture

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            self._capture.add(chunk)
            yield chunk
        self._capture.end()

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            self._capture.close()


class RecordingTransport(httpx.BaseTransport):
    """Wraps a transport and appends every exchange through it to a recording file.

    The file is created (or, with ``append=False``, emptied) at once. ``source`` is stored
    as the recording's ``source`` text; ``redact_headers`` names more headers whose values
    are secrets.
    """

    def __init__(
        self,
        transport: httpx.BaseTransport,
        path: str | os.PathLike[str],
        *,
        append: bool = False,
        source: str | None = None,
        redact_headers: Iterable[str] = (),
    ) -> None:
        self._transport = transport
        self._file = _RecordingFile(path, append=append, source=source)
        self._names = frozenset(name.lower() for name in redact_headers)

    @property
    def path(self) -> str:
        return self._file.path

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _Exchange(request, self._file, self._names)
        if not exchange.body_in_memory:
            request.stream = _SyncRequestTee(cast(Iterable[bytes], request.stream), exchange)
        try:
            response = self._transport.handle_request(request)
        except BaseException as error:
            exchange.failed(error)
            raise
        if _preloaded(response, exchange):
            return response
        stream = response.stream
        if not isinstance(stream, httpx.SyncByteStream):  # pragma: no cover - httpx invariant
            raise TypeError("the wrapped transport returned an async response stream")
        capture = _Capture(lambda raw, complete: exchange.finished(response, raw, complete))
        response.stream = _SyncResponseTee(stream, capture)
        return response

    def close(self) -> None:
        self._transport.close()


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    """The :class:`RecordingTransport` of an ``httpx.AsyncClient``."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        path: str | os.PathLike[str],
        *,
        append: bool = False,
        source: str | None = None,
        redact_headers: Iterable[str] = (),
    ) -> None:
        self._transport = transport
        self._file = _RecordingFile(path, append=append, source=source)
        self._names = frozenset(name.lower() for name in redact_headers)

    @property
    def path(self) -> str:
        return self._file.path

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _Exchange(request, self._file, self._names)
        if not exchange.body_in_memory:
            stream = cast(httpx.AsyncByteStream, request.stream)
            request.stream = _AsyncRequestTee(stream, exchange)
        try:
            response = await self._transport.handle_async_request(request)
        except BaseException as error:
            exchange.failed(error)
            raise
        if _preloaded(response, exchange):
            return response
        body = response.stream
        if not isinstance(body, httpx.AsyncByteStream):  # pragma: no cover - httpx invariant
            raise TypeError("the wrapped transport returned a sync response stream")
        capture = _Capture(lambda raw, complete: exchange.finished(response, raw, complete))
        response.stream = _AsyncResponseTee(body, capture)
        return response

    async def aclose(self) -> None:
        await self._transport.aclose()
