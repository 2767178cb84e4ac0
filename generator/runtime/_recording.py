"""Record the HTTP exchanges of a client to an ``http-recording/1`` file.

Pass a recorder as the transport of the ``httpx.Client`` given to this package's client::

    http_client = httpx.Client(
        transport=RecordingTransport(httpx.HTTPTransport(), "exchanges.json")
    )
    client = Client(api_key=..., http_client=http_client)

(``AsyncRecordingTransport(httpx.AsyncHTTPTransport(), path)`` for ``httpx.AsyncClient``.)
Each exchange is appended to the file when its response is closed, which httpx does once
the body has been read, or when a stream is closed or left. The format, and the codec that
writes and reads it (:func:`load_recording` reads a file back), are in
:mod:`._recording_format`.

Secrets never reach the file. Redacted (replaced by ``[REDACTED]``, keeping an auth scheme
such as ``Bearer``):

* the headers and query parameters the package's security schemes name (its client passes
  them along with each request), and those given in ``redact_headers`` / ``redact_query``;
* ``Authorization``, ``Proxy-Authorization``, ``Cookie`` and ``Set-Cookie``, whole;
* any header or query parameter whose name says it holds a secret (a word ending in key,
  token, secret, password...; see :mod:`._credentials`);
* a URL's password, and anything shaped like an API key (``sk-...``) in a header or the URL.

Each value found this way (8 characters or more) is also removed wherever else it appears,
request and response bodies included. Other secrets inside bodies are not searched for.

Memory: a request body that httpx already holds as bytes is recorded without a copy; a
streamed upload is kept (by reference, chunk by chunk) as it is sent. A response body is
kept while it is read, and serialised when it is closed. Writes are serialised with a
lock; an async client writes from the event loop thread (it blocks for the write).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import httpx

from ._credentials import CredentialNames
from ._errors import InvalidArgumentError
from ._recording_format import (
    FORMAT,
    Headers,
    RecordedExchange,
    RecordedRequest,
    RecordedResponse,
    RecordingError,
    as_text,
    encode_exchange,
    exchanges_of,
    load_recording,
    read_document,
    undo_content_encoding,
)

__all__ = [
    "FORMAT",
    "REDACTED",
    "AsyncRecordingTransport",
    "RecordedExchange",
    "RecordedRequest",
    "RecordedResponse",
    "RecordingError",
    "RecordingTransport",
    "load_recording",
]

REDACTED = "[REDACTED]"
"""What replaces a secret in a recording."""

_KEY_SHAPE = re.compile(r"sk-[A-Za-z0-9_\-]{8,}")
_SCHEME_VALUE = re.compile(r"([A-Za-z][A-Za-z0-9_\-]*) +(\S.*)")
_MIN_SECRET = 8  # shorter values are not searched for elsewhere: too likely to be common
_TAIL = b"\n  ]\n}\n"


class _Redactor:
    """Finds the secrets of one exchange and removes them from what is written."""

    def __init__(self, names: CredentialNames) -> None:
        self._names = names
        self.secrets: set[str] = set()

    def collect_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        for name, value in headers:
            if self._names.secret_header(name):
                self._add(value)
                match = _SCHEME_VALUE.fullmatch(value.strip())
                if match:
                    self._add(match.group(2))
                lower = name.lower()
                if lower == "cookie":
                    for crumb in value.split(";"):
                        self._add(crumb.partition("=")[2].strip())
                elif lower == "set-cookie":  # its value; the attributes after it are not secret
                    self._add(value.partition(";")[0].partition("=")[2].strip())
            self.secrets.update(_KEY_SHAPE.findall(value))

    def collect_url(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.password:
            self._add(parts.password)
            self._add(urllib.parse.unquote(parts.password))
        for piece in parts.query.split("&"):
            name, _, value = piece.partition("=")
            plain = urllib.parse.unquote_plus(value)
            if self._names.secret_query(urllib.parse.unquote_plus(name)):
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
            if self._names.secret_header(name):
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
            secret = self._names.secret_query(urllib.parse.unquote_plus(name))
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
                    message = f"{self.path} cannot be appended to: {exc}"
                    raise InvalidArgumentError(message) from None
            source = document.get("source", source)
        head: dict[str, Any] = {"format": FORMAT}
        if source is not None:
            head["source"] = source
        text = as_text(head, "")
        out = [text[:-2] + ',\n  "exchanges": [']
        try:
            out.append(",".join("\n    " + as_text(item, "    ") for item in existing))
        except RecursionError:
            raise InvalidArgumentError(f"{self.path} is nested too deeply to append to") from None
        with open(self.path, "wb") as file:
            file.write("".join(out).encode("utf-8") + _TAIL)
        self._count = len(existing)

    def append(self, exchange: dict[str, Any]) -> None:
        data = as_text(exchange, "    ").encode("utf-8") + _TAIL
        with self._lock, open(self.path, "r+b") as file:
            data = (b"\n    " if self._count == 0 else b",\n    ") + data
            file.seek(-len(_TAIL), os.SEEK_END)
            if file.read(len(_TAIL)) != _TAIL:
                message = f"{self.path} was changed by someone else while recording"
                raise InvalidArgumentError(message)
            file.seek(-len(_TAIL), os.SEEK_END)
            file.write(data)
            self._count += 1


class _Exchange:
    """One request on its way: what is known of it, written once its response is closed."""

    def __init__(self, request: httpx.Request, recorder: _RecordingFile, names: CredentialNames):
        self._recorder = recorder
        self._redactor = _Redactor(names | CredentialNames.of_request(request.extensions))
        self._method = request.method
        self._url = str(request.url)
        self._headers = _raw_headers(request.headers)
        self._content_type = request.headers.get("content-type")
        self._body: bytes | None = None
        self.request_body = _Capture()  # a streamed upload, as it is sent
        self._written = False
        if isinstance(request.stream, httpx.ByteStream):
            # Already in memory: recorded without a copy. (A request built without content
            # whose stream was attached later has a stale, empty ``content``: it is teed.)
            with contextlib.suppress(httpx.RequestNotRead):
                self._body = request.content

    @property
    def body_in_memory(self) -> bool:
        return self._body is not None

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

        streamed = self.request_body
        request = RecordedRequest(
            method=self._method,
            url=redactor.url(self._url),
            headers=redactor.headers(self._headers),
            body=redactor.data(self._body if self._body is not None else streamed.data()),
            body_incomplete=self._body is None and not streamed.complete,
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


class _Capture:
    """The bytes of a body as they pass: a request's as it is sent (again on a retry, which
    starts over), a response's as the caller reads it. ``on_close`` gets them, and whether
    the body was read to its end, once when the body is closed."""

    def __init__(self, on_close: Callable[[bytes, bool], None] | None = None) -> None:
        self._chunks: list[bytes] = []
        self.complete = False
        self._on_close = on_close

    def start(self) -> None:
        self._chunks = []
        self.complete = False

    def add(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    def end(self) -> None:
        self.complete = True

    def data(self) -> bytes:
        return b"".join(self._chunks)

    def close(self) -> None:
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            chunks, self._chunks = self._chunks, []
            on_close(b"".join(chunks), self.complete)


class _Tee(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body stream, sync or async, whose chunks are shown to a :class:`_Capture` as they
    pass; closing it closes the stream, then the capture."""

    def __init__(self, stream: Any, capture: _Capture) -> None:
        self._stream = stream
        self._capture = capture

    def __iter__(self) -> Iterator[bytes]:
        self._capture.start()
        for chunk in self._stream:
            self._capture.add(chunk)
            yield chunk
        self._capture.end()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self._capture.start()
        async for chunk in self._stream:
            self._capture.add(chunk)
            yield chunk
        self._capture.end()

    def close(self) -> None:
        try:
            if hasattr(self._stream, "close"):
                self._stream.close()
        finally:
            self._capture.close()

    async def aclose(self) -> None:
        try:
            if hasattr(self._stream, "aclose"):
                await self._stream.aclose()
        finally:
            self._capture.close()


T = TypeVar("T")


class _Recorder(Generic[T]):
    """What the sync and async recording transports share: the file, the names to redact,
    and teeing each exchange's bodies."""

    def __init__(
        self,
        transport: T,
        path: str | os.PathLike[str],
        *,
        append: bool = False,
        source: str | None = None,
        redact_headers: Iterable[str] = (),
        redact_query: Iterable[str] = (),
    ) -> None:
        self._transport = transport
        self._file = _RecordingFile(path, append=append, source=source)
        self._names = CredentialNames.of(redact_headers, redact_query)

    @property
    def path(self) -> str:
        return self._file.path

    def _begin(self, request: httpx.Request) -> _Exchange:
        exchange = _Exchange(request, self._file, self._names)
        if not exchange.body_in_memory:
            request.stream = _Tee(request.stream, exchange.request_body)
        return exchange

    @staticmethod
    def _answered(exchange: _Exchange, response: httpx.Response) -> httpx.Response:
        if not _preloaded(response, exchange):
            capture = _Capture(lambda raw, complete: exchange.finished(response, raw, complete))
            response.stream = _Tee(response.stream, capture)
        return response


class RecordingTransport(_Recorder[httpx.BaseTransport], httpx.BaseTransport):
    """Wraps a transport and appends every exchange through it to a recording file.

    The file is created (or, with ``append=False``, emptied) at once. ``source`` is stored
    as the recording's ``source`` text; ``redact_headers`` and ``redact_query`` name more
    headers and query parameters whose values are secrets.
    """

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._begin(request)
        try:
            response = self._transport.handle_request(request)
        except BaseException as error:
            exchange.failed(error)
            raise
        return self._answered(exchange, response)

    def close(self) -> None:
        self._transport.close()


class AsyncRecordingTransport(_Recorder[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport):
    """The :class:`RecordingTransport` of an ``httpx.AsyncClient``."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._begin(request)
        try:
            response = await self._transport.handle_async_request(request)
        except BaseException as error:
            exchange.failed(error)
            raise
        return self._answered(exchange, response)

    async def aclose(self) -> None:
        await self._transport.aclose()
