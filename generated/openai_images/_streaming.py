"""Typed iteration over ``text/event-stream`` responses (:class:`Stream`, :class:`AsyncStream`)."""

from __future__ import annotations

import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from types import TracebackType
from typing import Generic, Self, TypeVar, cast

import httpx

from ._errors import TRANSPORT_ERRORS, StreamTimeoutError
from ._events import _END, EventSchema, _Decoder, _Marker
from ._sse import SSEReader
from ._types import UnknownEvent

__all__ = ["AsyncStream", "EventSchema", "Stream"]

T = TypeVar("T")

_ERROR_BODY_LIMIT = 64 * 1024  # how much of a non-event-stream body is read for its message
_READ_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, *TRANSPORT_ERRORS)

Reconnect = Callable[[Exception], httpx.Response | None]
AsyncReconnect = Callable[[Exception], Awaitable[httpx.Response | None]]

try:  # the client's layer over the transport's stream: only sets ``response.elapsed``
    from httpx._client import BoundAsyncStream, BoundSyncStream

    _BOUND: tuple[type, ...] = (BoundSyncStream, BoundAsyncStream)
except ImportError:  # another httpx layout: go through its public layers
    _BOUND = ()

_DOC = """

    Iterate to get typed events; the response is closed when iteration ends (normally or by
    an exception), on ``close()``, and when a ``with`` block exits (also on ``break``).

    Only the event types the spec knows are yielded, so the event type narrows; others are
    skipped unless you iterate :meth:`with_unknown`, which adds them as ``UnknownEvent``.

    Which class an event becomes is decided by the payload's discriminator property (the
    schema's ``parse`` does that). When the SSE ``event:`` name is present, is not
    ``"message"``, and disagrees with the payload's discriminator, the default (lenient) mode
    follows the payload; ``strict=True`` raises :class:`StreamEventMismatchError` instead.

    Errors (all subclasses of the package's root error):

    * an event named ``error``, a payload ``{"error": {...}}``, or a flat payload
      ``{"type": "error", "message": ...}`` raise :class:`APIStreamError` with the server's
      message;
    * a response that is not ``text/event-stream`` raises
      :class:`APIResponseValidationError` on first use (with the server's message when the
      body is a JSON error);
    * a timeout or a connection failure mid-body raise :class:`StreamTimeoutError` /
      :class:`StreamConnectionError` (an ``APITimeoutError`` / ``APIConnectionError``); the
      body ending inside an event block, or without one of the schema's terminal events,
      raise :class:`StreamIncompleteError`; all three say how many events arrived
      (``events_received``). Before the first event, a failed connection is retried when the
      client allows it (``reconnect``);
    * data that is not UTF-8, not JSON, or not of the event's type raise
      :class:`StreamDecodeError` (an ``APIResponseValidationError``) naming the 0-based event
      index, with an excerpt of at most 80 characters; the original exception is chained.

    Events with empty data (``data:`` alone) are keep-alives and are skipped (an empty
    event named ``error`` still raises). ``data: [DONE]`` ends the stream: nothing after it
    is read, and the terminal-event check still applies.

    Time bounds (seconds; None: none): ``event_timeout`` is the longest wait for the next
    event the stream delivers, counted from the stream's start and then from each event
    (comments, keep-alives and events skipped as unknown do not count); ``stream_timeout``
    bounds the whole stream from its start. Both are checked whenever bytes arrive (a
    silent server is ended by the read timeout) and raise :class:`StreamTimeoutError`.
    """


class _Deadline(Generic[T]):
    """When a stream must have delivered its next event (``due``), from its two bounds."""

    __slots__ = ("decoder", "due", "event_timeout", "stream_timeout", "until")

    def __init__(
        self, decoder: _Decoder[T], event_timeout: float | None, stream_timeout: float | None
    ) -> None:
        self.decoder = decoder
        self.event_timeout = event_timeout
        self.stream_timeout = stream_timeout
        now = time.monotonic()
        self.until = now + stream_timeout if stream_timeout is not None else float("inf")
        self.due = self.until
        self.event(now)

    def event(self, now: float | None = None) -> None:
        """An event arrived: the wait for the next one starts now."""
        if self.event_timeout is not None:
            now = time.monotonic() if now is None else now
            self.due = min(now + self.event_timeout, self.until)

    def expired(self) -> StreamTimeoutError:
        decoder = self.decoder
        if time.monotonic() >= self.until:
            what = f"took longer than stream_timeout={self.stream_timeout} s"
        else:
            what = f"delivered no event for event_timeout={self.event_timeout} s"
        return StreamTimeoutError(
            f"The event stream {what}, after {decoder._events()}.",
            events_received=decoder.count,
            request=decoder.response.request,
        )


class _StreamBase(Generic[T]):
    response: httpx.Response

    def __init__(
        self,
        response: httpx.Response,
        schema: EventSchema[T],
        strict: bool,
        event_timeout: float | None = None,
        stream_timeout: float | None = None,
    ) -> None:
        self.response = response
        self._decoder = _Decoder(response, schema, strict)
        self._reader = SSEReader()
        self._deadline = _Deadline(self._decoder, event_timeout, stream_timeout)

    @property
    def events_received(self) -> int:
        """How many typed events this stream has produced so far."""
        return self._decoder.count

    @property
    def last_event_id(self) -> str | None:
        """The last event ID the server set, if any (for resuming)."""
        return self._reader.last_event_id

    @property
    def _request_id(self) -> str | None:
        request_id: str | None = self.response.headers.get("x-request-id")
        return request_id

    def _switch(self, response: httpx.Response) -> None:
        """Read ``response`` from now on (a retried request's answer)."""
        self.response = self._decoder.response = response
        self._reader = SSEReader()


class Stream(_StreamBase[T]):
    __doc__ = "A typed server-sent event stream over a streamed ``httpx.Response``." + _DOC

    def __init__(
        self,
        response: httpx.Response,
        schema: EventSchema[T],
        *,
        strict: bool = False,
        reconnect: Reconnect | None = None,
        event_timeout: float | None = None,
        stream_timeout: float | None = None,
    ) -> None:
        super().__init__(response, schema, strict, event_timeout, stream_timeout)
        self._reconnect = reconnect
        self._iterator = self._iterate()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._iterator)

    def with_unknown(self) -> Stream[T | UnknownEvent]:
        """This stream, also yielding events of types the spec does not know (as
        ``UnknownEvent``) from now on: ``for event in stream.with_unknown(): ...``."""
        self._decoder.include_unknown = True
        return cast("Stream[T | UnknownEvent]", self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading and close the response (idempotent)."""
        self._iterator.close()
        self.response.close()

    def until_done(self) -> T:
        """Read the whole stream and return its terminal event.

        With an empty ``terminal`` in the schema, returns the last event instead.
        """
        for _ in self:
            pass
        return self._decoder.result()

    def _iterate(self) -> Generator[T, None, None]:
        decoder = self._decoder
        try:
            while True:
                response = self.response
                if not decoder.is_event_stream():
                    raise decoder.not_event_stream(_read_some(response))
                reader = self._reader
                try:
                    for sse in reader.iter_events(_chunks(response), self._deadline):
                        item = decoder.decode(sse)
                        if isinstance(item, _Marker):
                            if item is _END:
                                decoder.check_complete(pending=False)
                                return
                            continue
                        self._deadline.event()
                        yield item
                except TRANSPORT_ERRORS as exc:
                    again = self._retry(exc)
                    if again is None:
                        raise decoder.connection_failed(exc) from exc
                    self._switch(again)
                    continue
                decoder.check_complete(reader.finish())
                return
        finally:
            self.response.close()

    def _retry(self, exc: Exception) -> httpx.Response | None:
        """A new answer when nothing was delivered yet and the client retries, else None."""
        if self._decoder.count or self._reconnect is None:
            return None
        self.response.close()
        return self._reconnect(exc)


class AsyncStream(_StreamBase[T]):
    __doc__ = "A typed server-sent event stream over an ``httpx.AsyncClient`` response." + _DOC

    def __init__(
        self,
        response: httpx.Response,
        schema: EventSchema[T],
        *,
        strict: bool = False,
        reconnect: AsyncReconnect | None = None,
        event_timeout: float | None = None,
        stream_timeout: float | None = None,
    ) -> None:
        super().__init__(response, schema, strict, event_timeout, stream_timeout)
        self._reconnect = reconnect
        self._iterator = self._iterate()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    def with_unknown(self) -> AsyncStream[T | UnknownEvent]:
        """This stream, also yielding events of types the spec does not know (as
        ``UnknownEvent``) from now on: ``async for event in stream.with_unknown(): ...``."""
        self._decoder.include_unknown = True
        return cast("AsyncStream[T | UnknownEvent]", self)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop reading and close the response (idempotent)."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def close(self) -> None:
        """Alias of :meth:`aclose`."""
        await self.aclose()

    async def until_done(self) -> T:
        """Read the whole stream and return its terminal event.

        With an empty ``terminal`` in the schema, returns the last event instead.
        """
        async for _ in self:
            pass
        return self._decoder.result()

    async def _iterate(self) -> AsyncGenerator[T, None]:
        decoder = self._decoder
        try:
            while True:
                response = self.response
                if not decoder.is_event_stream():
                    raise decoder.not_event_stream(await _aread_some(response))
                reader = self._reader
                try:
                    async for sse in reader.aiter_events(_achunks(response), self._deadline):
                        item = decoder.decode(sse)
                        if isinstance(item, _Marker):
                            if item is _END:
                                decoder.check_complete(pending=False)
                                return
                            continue
                        self._deadline.event()
                        yield item
                except TRANSPORT_ERRORS as exc:
                    again = await self._retry(exc)
                    if again is None:
                        raise decoder.connection_failed(exc) from exc
                    self._switch(again)
                    continue
                decoder.check_complete(reader.finish())
                return
        finally:
            await self.response.aclose()

    async def _retry(self, exc: Exception) -> httpx.Response | None:
        if self._decoder.count or self._reconnect is None:
            return None
        await self.response.aclose()
        return await self._reconnect(exc)


# -- the body's chunks ------------------------------------------------------------------------
# At small chunk sizes each layer of generators between the socket and the reader costs
# about as much as the reader itself. A body that is not content-encoded and not yet read is
# taken straight from the transport's stream, skipping httpx's ``iter_raw`` (a generator, a
# chunker and a byte counter per chunk) and the client's pass-through layer; the response is
# marked consumed, and closing it still closes (and times) every layer.


def _direct(response: httpx.Response) -> object | None:
    """The transport's stream of an unread, not content-encoded body, marked consumed."""
    if response.is_stream_consumed or response.is_closed:
        return None
    encoding: str = response.headers.get("content-encoding", "")
    if encoding.strip().lower() not in ("", "identity"):
        return None
    stream: object = response.stream
    if _BOUND and isinstance(stream, _BOUND):
        stream = getattr(stream, "_stream", stream)
    response.is_stream_consumed = True
    return stream


def _chunks(response: httpx.Response) -> Iterable[bytes]:
    stream = _direct(response) if isinstance(response.stream, httpx.SyncByteStream) else None
    if isinstance(stream, httpx.SyncByteStream):
        return stream
    return response.iter_bytes()


def _achunks(response: httpx.Response) -> AsyncIterable[bytes]:
    stream = _direct(response) if isinstance(response.stream, httpx.AsyncByteStream) else None
    if isinstance(stream, httpx.AsyncByteStream):
        return stream
    return response.aiter_bytes()


def _read_some(response: httpx.Response) -> bytes:
    """Up to about ``_ERROR_BODY_LIMIT`` bytes of the body, for an error message."""
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) >= _ERROR_BODY_LIMIT:
                break
    except _READ_ERRORS:
        pass  # the message is best effort; the error raised is about the content-type
    return bytes(body[:_ERROR_BODY_LIMIT])


async def _aread_some(response: httpx.Response) -> bytes:
    body = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) >= _ERROR_BODY_LIMIT:
                break
    except _READ_ERRORS:
        pass
    return bytes(body[:_ERROR_BODY_LIMIT])
