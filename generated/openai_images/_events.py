"""Turning the events of a ``text/event-stream`` answer into typed objects, and the errors a
stream can raise (everything but the I/O, which :mod:`._streaming` does)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast, final

import attrs
import httpx

from ._errors import (
    APIResponseValidationError,
    APIStreamError,
    StreamConnectionError,
    StreamDecodeError,
    StreamEventMismatchError,
    StreamIncompleteError,
    StreamTimeoutError,
    error_message,
)
from ._json import loads, loads_fast
from ._models import DecodeError
from ._protocol import event_type, is_done, media_kind
from ._sse import ServerSentEvent
from ._types import UnknownEvent

__all__ = ["EventSchema"]

T = TypeVar("T")

_EXCERPT_CHARS = 80  # longest excerpt of a payload put in an error message


@attrs.frozen
class EventSchema(Generic[T]):
    """How to turn the events of one streaming operation into typed objects.

    ``parse(event_name, payload)`` builds the typed event from the SSE ``event:`` name (None
    when absent) and the decoded JSON payload. ``discriminator`` is the JSON property whose
    value names the event type (``"type"``), or None when the SSE ``event:`` name decides
    (envelope dialect). ``terminal`` lists the event types that end a successful stream;
    when it is empty, no completion check is made.
    """

    parse: Callable[[str | None, Any], T]
    discriminator: str | None
    terminal: tuple[str, ...]
    include_unknown: bool = False  # yield UnknownEvent for event types the spec does not know


@final
class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


_SKIP = _Marker("skip")  # an event that carries nothing (empty data)
_END = _Marker("end")  # the ``[DONE]`` sentinel


class _Decoder(Generic[T]):
    """What :class:`Stream` and :class:`AsyncStream` share: everything but the I/O."""

    __slots__ = (
        "count",
        "has_terminal",
        "include_unknown",
        "last",
        "response",
        "schema",
        "strict",
        "terminal",
    )

    def __init__(self, response: httpx.Response, schema: EventSchema[T], strict: bool) -> None:
        self.response = response
        self.schema = schema
        self.strict = strict
        self.include_unknown = schema.include_unknown
        self.count = 0  # typed events produced so far; also the 0-based index of the next
        self.has_terminal = False
        self.terminal: T | None = None
        self.last: T | None = None

    # -- the response as a whole --------------------------------------------------------

    def is_event_stream(self) -> bool:
        return media_kind(self.response.headers.get("content-type")) == "event-stream"

    def not_event_stream(self, body: bytes) -> APIResponseValidationError:
        response = self.response
        content_type = response.headers.get("content-type") or "no content-type"
        parsed: object | None = None
        with contextlib.suppress(ValueError, RecursionError):
            parsed = loads(body)
        detail = error_message(parsed, "")
        if not detail and body:
            detail = _excerpt_bytes(body, 0)
        message = (
            f"Expected a text/event-stream response, got {content_type!r} "
            f"(HTTP {response.status_code})"
        )
        if detail:
            message = f"{message}: {detail}"
        return APIResponseValidationError(
            message, response=response, body=parsed if parsed is not None else detail or None
        )

    def connection_failed(self, exc: Exception) -> StreamConnectionError:
        """The error for a transport failure mid-stream: a timeout or a connection error."""
        timed_out = isinstance(exc, httpx.TimeoutException)
        kind = StreamTimeoutError if timed_out else StreamConnectionError
        what = "timed out" if timed_out else "failed"
        return kind(
            f"The connection {what} after {self._events()} of the event stream: "
            f"{type(exc).__name__}: {exc}",
            events_received=self.count,
            request=self.response.request,
        )

    def check_complete(self, pending: bool) -> None:
        """The body ended (``pending``: inside an event block) or ``[DONE]`` arrived."""
        if pending:
            raise StreamIncompleteError(
                f"The event stream ended in the middle of an event, after {self._events()}.",
                events_received=self.count,
            )
        if self.schema.terminal and not self.has_terminal:
            raise StreamIncompleteError(
                f"The event stream ended after {self._events()} without a final event "
                f"(expected one of: {', '.join(self.schema.terminal)}).",
                events_received=self.count,
            )

    def result(self) -> T:
        """The terminal event (or, with no terminal types, the last event)."""
        if self.has_terminal:
            return cast(T, self.terminal)  # set together with has_terminal
        if self.count and not self.schema.terminal:
            return cast(T, self.last)  # set together with count
        raise StreamIncompleteError(
            f"The event stream ended after {self._events()} without a final event.",
            events_received=self.count,
        )

    def _events(self) -> str:
        return "1 complete event" if self.count == 1 else f"{self.count} complete events"

    # -- one event ------------------------------------------------------------------------

    def decode(self, sse: ServerSentEvent) -> T | _Marker:
        index = self.count
        name = sse.event
        data = sse.data
        # This stream is the event's only consumer: drop its reference to the (possibly
        # multi-MB) data so that the bytes are freed as soon as they are decoded to text.
        sse.data = b""
        if not data:
            if name == "error":
                raise APIStreamError("The server reported an error in the event stream.", body=None)
            return _SKIP
        if is_done(data):
            return _END
        parsed, payload = loads_fast(data)  # the fast parser, when installed, reads most
        if not parsed:  # json reads the rest, and words every error
            text = self._text(data, name, index)
            del data
            payload = self._json(text, name, index)
            del text
        else:
            del data
        return self._typed(payload, name, index)

    def _text(self, data: bytes, name: str | None, index: int) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            excerpt = _excerpt_bytes(data, exc.start)
            if name == "error":
                raise APIStreamError(excerpt, body=excerpt) from exc
            raise StreamDecodeError(
                f"Event {index} (0-based) of the stream is not valid UTF-8 at byte "
                f"{exc.start}: {excerpt}",
                event_index=index,
                excerpt=excerpt,
                response=self.response,
            ) from exc

    def _json(self, text: str, name: str | None, index: int) -> Any:
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as exc:
            position = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
            excerpt = _excerpt_text(text, position)
            if name == "error":
                raise APIStreamError(_excerpt_text(text, 0), body=excerpt) from exc
            raise StreamDecodeError(
                f"Event {index} (0-based) of the stream is not valid JSON "
                f"({type(exc).__name__}: {_first_line(exc)}): {excerpt}",
                event_index=index,
                excerpt=excerpt,
                response=self.response,
            ) from exc

    def _typed(self, payload: Any, name: str | None, index: int) -> T | _Marker:
        discriminator = self.schema.discriminator
        kind: object = None
        if isinstance(payload, dict):
            kind = payload.get(discriminator or "type")
            if name == "error" or _is_error_payload(payload, kind):
                raise APIStreamError(
                    error_message(payload, "The server reported an error in the event stream."),
                    body=payload,
                )
        elif name == "error":
            raise APIStreamError("The server reported an error in the event stream.", body=payload)

        type_name = event_type(discriminator, name, payload)
        if name is not None and name not in ("message", type_name):  # the payload named it
            if self.strict:
                raise StreamEventMismatchError(
                    f"Event {index} (0-based): the SSE event name {name!r} disagrees with "
                    f"the payload's {discriminator!r} {type_name!r}",
                    event_index=index,
                )
            name = type_name  # lenient: the payload decides

        try:
            item = self.schema.parse(name, payload)
        except DecodeError as exc:
            excerpt = _excerpt_text(str(exc), 0)
            raise StreamDecodeError(
                f"Event {index} (0-based) of the stream does not match the spec: {exc}",
                event_index=index,
                excerpt=excerpt,
                response=self.response,
            ) from exc
        if isinstance(item, UnknownEvent) and not self.include_unknown:
            return _SKIP  # a type this client does not know yet: not one of T
        self.count = index + 1
        self.last = item
        if type_name is not None and type_name in self.schema.terminal:
            self.terminal = item
            self.has_terminal = True
        return item


def _is_error_payload(payload: dict[str, Any], kind: object) -> bool:
    """``{"error": {...}}`` (wrapped) or ``{"type": "error", ...}`` (flat)."""
    if kind == "error" or payload.get("type") == "error":
        return True
    return kind is None and bool(payload.get("error"))


def _first_line(exc: BaseException) -> str:
    return str(exc).partition("\n")[0][:60]


def _excerpt_text(text: str, position: int) -> str:
    """At most ``_EXCERPT_CHARS`` characters of ``text`` near ``position``, escaped."""
    width = _EXCERPT_CHARS - 6  # room for the "..." on both sides
    start = max(0, position - width // 3)
    snippet = text[start : start + width].encode("unicode_escape").decode("ascii")
    prefix = "..." if start > 0 else ""
    suffix = "..." if start + width < len(text) or len(snippet) > width else ""
    return f"{prefix}{snippet[:width]}{suffix}"


def _excerpt_bytes(data: bytes, position: int) -> str:
    """At most ``_EXCERPT_CHARS`` characters showing ``data`` near ``position``."""
    width = _EXCERPT_CHARS - 6
    start = max(0, position - width // 3)
    snippet = repr(data[start : start + width])[2:-1]  # bytes repr: non-ASCII shown as \\xNN
    prefix = "..." if start > 0 else ""
    suffix = "..." if start + width < len(data) or len(snippet) > width else ""
    return f"{prefix}{snippet[:width]}{suffix}"
