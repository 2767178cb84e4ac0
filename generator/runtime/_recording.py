"""Record the HTTP exchanges of a client to a JSON file, and replay them.

Pass a recorder as the transport of the ``httpx.Client`` given to this package's client::

    http_client = httpx.Client(
        transport=RecordingTransport(httpx.HTTPTransport(), "exchanges.json")
    )
    client = Client(api_key=..., http_client=http_client)

(``AsyncRecordingTransport(httpx.AsyncHTTPTransport(), path)`` for ``httpx.AsyncClient``.)
Each exchange is appended to the file when its response is closed, which httpx does once
the body has been read, or when a stream is closed or left.

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
``Content-Encoding``; only when the coding could not be undone are the bytes stored as
received, and ``content_encoding`` names the coding still applied. An exchange whose
transport failed has ``"response": null`` and ``"error": "<exception>"``.

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
import contextlib
import json
import os
import re
import threading
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, cast

import httpx

__all__ = [
    "FORMAT",
    "REDACTED",
    "AsyncRecordingTransport",
    "RecordingTransport",
    "ReplayError",
    "ReplayTransport",
    "response_of",
]

FORMAT = "http-recording/1"
"""The ``format`` value of recordings this module writes."""

REDACTED = "[REDACTED]"
"""What replaces a secret in a recording."""

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
_CRLF = b"\r\n"


def _text(text: str) -> dict[str, Any]:
    if "\n" in text and "\r" not in text:
        return {"lines": text.split("\n")}
    return {"text": text}


def _content_json(data: bytes) -> dict[str, Any]:
    """``{"text"}``, ``{"lines"}`` or ``{"base64"}`` for some bytes."""
    try:
        return _text(data.decode("utf-8"))
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def _boundary(content_type: str | None) -> str | None:
    if not content_type or not content_type.lower().startswith("multipart/"):
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "boundary":
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            return value or None
    return None


def _multipart_json(data: bytes, boundary: str) -> dict[str, Any] | None:
    """The parts of a multipart body, or None when they would not rebuild it exactly."""
    delimiter = b"--" + boundary.encode("latin-1")
    closing = delimiter + b"--" + _CRLF
    if not data.startswith(delimiter + _CRLF) or not data.endswith(closing):
        return None
    separator = _CRLF + delimiter + _CRLF
    inner = data[len(delimiter) + 2 : len(data) - len(closing)]
    if inner:
        if not inner.endswith(_CRLF):
            return None
        chunks = inner[:-2].split(separator)
    else:
        chunks = []
    parts: list[dict[str, Any]] = []
    for chunk in chunks:
        head, found, content = chunk.partition(_CRLF + _CRLF)
        if chunk.startswith(_CRLF):  # a part without headers
            head, found, content = b"", b"\r\n", chunk[2:]
        if not found or b"\r\n" + delimiter in content:
            return None
        headers: list[list[str]] = []
        for line in head.split(_CRLF) if head else []:
            name, colon, value = line.partition(b": ")
            if not colon or not name:
                return None
            try:
                headers.append([name.decode("utf-8"), value.decode("utf-8")])
            except UnicodeDecodeError:
                return None
        parts.append({"headers": headers, **_content_json(content)})
    result = {"boundary": boundary, "parts": parts}
    return result if _join_multipart(result) == data else None


def _join_multipart(multipart: dict[str, Any]) -> bytes:
    delimiter = b"--" + str(multipart["boundary"]).encode("latin-1")
    out: list[bytes] = []
    for part in multipart["parts"]:
        out.append(delimiter + _CRLF)
        for name, value in part["headers"]:
            out.append(f"{name}: {value}".encode() + _CRLF)
        out.append(_CRLF)
        out.append(_content_bytes(part))
        out.append(_CRLF)
    out.append(delimiter + b"--" + _CRLF)
    return b"".join(out)


def _content_bytes(body: dict[str, Any]) -> bytes:
    if "multipart" in body:
        return _join_multipart(body["multipart"])
    if "base64" in body:
        return base64.b64decode(body["base64"])
    if "lines" in body:
        return "\n".join(body["lines"]).encode("utf-8")
    return str(body.get("text", "")).encode("utf-8")


def _body_json(data: bytes, content_type: str | None) -> dict[str, Any]:
    boundary = _boundary(content_type)
    if boundary is not None:
        multipart = _multipart_json(data, boundary)
        if multipart is not None:
            return {"multipart": multipart}
    return _content_json(data)


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

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[list[str]]:
        out: list[list[str]] = []
        for name, value in headers:
            if name.lower() in self._names:
                match = _SCHEME_VALUE.fullmatch(value.strip())
                is_auth = name.lower() in ("authorization", "proxy-authorization")
                value = f"{match.group(1)} {REDACTED}" if match and is_auth else REDACTED
            else:
                value = self.text(value)
            out.append([name, value])
        return out

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
            with open(self.path, encoding="utf-8") as file:
                document = json.load(file)
            if not isinstance(document, dict) or document.get("format") != FORMAT:
                raise ValueError(f"{self.path} is not an {FORMAT} recording; cannot append")
            existing = list(document.get("exchanges") or [])
            source = document.get("source", source)
        head: dict[str, Any] = {"format": FORMAT}
        if source is not None:
            head["source"] = source
        text = _dump(head, "")
        out = [text[:-2] + ',\n  "exchanges": [']
        out.append(",".join("\n    " + _dump(item, "    ") for item in existing))
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
        request_json = _body_json(redactor.data(request_body), self._content_type)
        if not self._body_complete:
            request_json["incomplete"] = True
        exchange: dict[str, Any] = {
            "request": {
                "method": self._method,
                "url": redactor.url(self._url),
                "headers": redactor.headers(self._headers),
                "body": request_json,
            }
        }
        if response is None or body is None:
            exchange["response"] = None
            exchange["error"] = redactor.text(error or "no response")
        else:
            raw, complete = body
            coding = None if decoded else response.headers.get("content-encoding")
            data, still_encoded = _decode(raw, coding)
            response_json = _body_json(redactor.data(data), response.headers.get("content-type"))
            if still_encoded:
                response_json["content_encoding"] = still_encoded
            if not complete:
                response_json["incomplete"] = True
            exchange["response"] = {
                "status": response.status_code,
                "reason": response.reason_phrase,
                "http_version": response.http_version,
                "headers": redactor.headers(response_headers),
                "body": response_json,
            }
        self._recorder.append(exchange)


def _raw_headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    encoding = headers.encoding
    return [(name.decode(encoding), value.decode(encoding)) for name, value in headers.raw]


def _decode(raw: bytes, coding: str | None) -> tuple[bytes, str | None]:
    """Undo Content-Encoding as httpx does; on failure, the raw bytes and the coding."""
    if not coding or coding.strip().lower() in ("", "identity"):
        return raw, None
    try:
        return httpx.Response(200, headers={"content-encoding": coding}, content=raw).content, None
    except httpx.DecodingError:
        return raw, coding


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


class ReplayError(LookupError):
    """A request that the recording being replayed has no (more) answers for."""


_NOT_REPLAYED = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class ReplayTransport(httpx.MockTransport):
    """Answers requests with the recorded responses of an ``http-recording/1`` file.

    Each request gets the response of the first exchange not yet replayed with the same
    method and URL path; :class:`ReplayError` is raised when there is none. Works for both
    ``httpx.Client`` and ``httpx.AsyncClient``. ``requests`` lists what was asked.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError(f"{os.fspath(path)} is not an {FORMAT} recording")
        self._exchanges: list[dict[str, Any]] = [
            item for item in document.get("exchanges") or [] if item.get("response")
        ]
        self._used = [False] * len(self._exchanges)
        self._lock = threading.Lock()
        self.requests: list[httpx.Request] = []
        super().__init__(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            for index, exchange in enumerate(self._exchanges):
                recorded = exchange["request"]
                url = httpx.URL(recorded["url"])
                if self._used[index] or recorded["method"] != request.method:
                    continue
                if url.path != request.url.path:
                    continue
                self._used[index] = True
                return response_of(exchange)
        raise ReplayError(f"no recorded answer left for {request.method} {request.url.path}")


def response_of(exchange: dict[str, Any]) -> httpx.Response:
    """The ``httpx.Response`` that an exchange of a recording holds."""
    recorded = exchange["response"]
    body = recorded["body"]
    encoded = body.get("content_encoding")
    headers = [
        (name, value)
        for name, value in recorded["headers"]
        if encoded or name.lower() not in _NOT_REPLAYED
    ]
    extensions: dict[str, Any] = {}
    if recorded.get("reason"):
        extensions["reason_phrase"] = str(recorded["reason"]).encode("ascii", "replace")
    if recorded.get("http_version"):
        extensions["http_version"] = str(recorded["http_version"]).encode("ascii", "replace")
    return httpx.Response(
        int(recorded["status"]),
        headers=headers,
        content=_content_bytes(body),
        extensions=extensions,
    )
