"""What the typed event streams (``Stream``, ``AsyncStream``) share: their time bounds, their
state, their documentation, and the body's chunks taken straight from the transport."""

from __future__ import annotations

import time
from typing import Generic, TypeVar

import httpx

from ._client_core import TRANSPORT_ERRORS
from ._errors import StreamTimeoutError
from ._events import EventSchema, _Decoder
from ._sse import SSEReader

__all__ = ["EventSchema"]

T = TypeVar("T")

_ERROR_BODY_LIMIT = 64 * 1024  # how much of a non-event-stream body is read for its message
_READ_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, *TRANSPORT_ERRORS)

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
