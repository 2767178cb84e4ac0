"""Typed iteration over ``text/event-stream`` responses (:class:`Stream`, :class:`AsyncStream`)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, cast, final

import anyio.to_thread
import attrs
import httpx

from ._errors import (
    APIResponseValidationError,
    APIStreamError,
    StreamDecodeError,
    StreamEventMismatchError,
    StreamIncompleteError,
    error_message,
)
from ._sse import ServerSentEvent, SSEReader
from ._types import UnknownEvent

__all__ = ["AsyncStream", "EventSchema", "Stream"]

T = TypeVar("T")

_EXCERPT_CHARS = 80  # longest excerpt of a payload put in an error message
_ERROR_BODY_LIMIT = 64 * 1024  # how much of a non-event-stream body is read for its message


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
        self.count = 0  # typed events produced so far; also the 0-based index of the next
        self.has_terminal = False
        self.terminal: T | None = None
        self.last: T | None = None

    # -- the response as a whole --------------------------------------------------------

    def is_event_stream(self) -> bool:
        content_type: str = self.response.headers.get("content-type", "")
        return content_type.partition(";")[0].strip().lower() == "text/event-stream"

    def not_event_stream(self, body: bytes) -> APIResponseValidationError:
        response = self.response
        content_type = response.headers.get("content-type") or "no content-type"
        parsed: object | None = None
        with contextlib.suppress(ValueError, RecursionError):
            parsed = json.loads(body)
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

    def connection_failed(self, exc: httpx.TransportError) -> StreamIncompleteError:
        return StreamIncompleteError(
            f"The connection failed after {self._events()} of the event stream: "
            f"{type(exc).__name__}: {exc}",
            events_received=self.count,
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
        if len(data) <= 16 and data.strip() == b"[DONE]":
            return _END
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            excerpt = _excerpt_bytes(data, exc.start)
            if name == "error":
                raise APIStreamError(excerpt, body=excerpt) from exc
            raise StreamDecodeError(
                f"Event {index} (0-based) of the stream is not valid UTF-8 at byte "
                f"{exc.start}: {excerpt}",
                event_index=index,
                excerpt=excerpt,
            ) from exc
        del data
        try:
            payload = json.loads(text)
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
            ) from exc
        del text

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

        if discriminator is None:
            type_name = name
        elif isinstance(kind, str):
            type_name = kind
            if name is not None and name != "message" and name != kind:
                if self.strict:
                    raise StreamEventMismatchError(
                        f"Event {index} (0-based): the SSE event name {name!r} disagrees with "
                        f"the payload's {discriminator!r} {kind!r}",
                        event_index=index,
                    )
                name = kind  # lenient: the payload decides
        else:
            type_name = name

        item = self.schema.parse(name, payload)
        if isinstance(item, UnknownEvent) and not self.schema.include_unknown:
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


# -- images ---------------------------------------------------------------------------------

_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"WEBP", 8, "webp"),
)


def _extension(output_format: object, blob: bytes) -> str:
    if (
        isinstance(output_format, str)
        and 0 < len(output_format) <= 8
        and output_format.isascii()
        and output_format.isalnum()
    ):
        return output_format.lower()
    for magic, offset, extension in _MAGIC:
        if blob[offset : offset + len(magic)] == magic and (offset == 0 or blob[:4] == b"RIFF"):
            return extension
    return "bin"


def _image_of(event: object) -> tuple[str, object] | None:
    b64 = getattr(event, "b64_json", None)
    if not isinstance(b64, str):
        return None
    return b64, getattr(event, "output_format", None)


def _write_image(
    directory: Path, name: str, b64: str, output_format: object, event_index: int
) -> Path:
    try:
        blob = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        bad = _NOT_BASE64.search(b64)
        excerpt = _excerpt_text(b64, bad.start() if bad else max(0, len(b64) - 8))
        raise StreamDecodeError(
            f"Event {event_index} (0-based): b64_json is not valid base64: {excerpt}",
            event_index=event_index,
            excerpt=excerpt,
        ) from exc
    path = directory / f"{name}.{_extension(output_format, blob)}"
    path.write_bytes(blob)
    return path


# -- the streams ----------------------------------------------------------------------------


class Stream(Generic[T]):
    """A typed server-sent event stream over a streamed ``httpx.Response``.

    Iterate to get typed events; the response is closed when iteration ends (normally or by
    an exception), on :meth:`close`, and when a ``with`` block exits (also on ``break``).

    Which class an event becomes is decided by the payload's discriminator property (the
    schema's ``parse`` does that). When the SSE ``event:`` name is present, is not
    ``"message"``, and disagrees with the payload's discriminator, the default (lenient) mode
    follows the payload and passes the payload's type as the event name; ``strict=True``
    raises :class:`StreamEventMismatchError` instead.

    Errors:

    * an event named ``error``, a payload ``{"error": {...}}``, or a flat payload
      ``{"type": "error", "message": ...}`` raise :class:`APIStreamError` with the server's
      message;
    * a response that is not ``text/event-stream`` raises
      :class:`APIResponseValidationError` on first use (with the server's message when the
      body is a JSON error);
    * the body ending inside an event block, a transport error mid-body, or the body ending
      without one of the schema's terminal events raise :class:`StreamIncompleteError`
      (``events_received`` says how many events arrived);
    * data that is not UTF-8 or not JSON raises :class:`StreamDecodeError` naming the
      0-based event index, with an excerpt of at most 80 characters; the original exception
      is chained.

    Events with empty data (``data:`` alone) are keep-alives and are skipped (an empty
    event named ``error`` still raises). ``data: [DONE]`` ends the stream: nothing after it
    is read, and the terminal-event check still applies.
    """

    response: httpx.Response

    def __init__(
        self, response: httpx.Response, schema: EventSchema[T], *, strict: bool = False
    ) -> None:
        self.response = response
        self._decoder = _Decoder(response, schema, strict)
        self._reader = SSEReader()
        self._iterator = self._iterate()

    @property
    def events_received(self) -> int:
        """How many typed events this stream has produced so far."""
        return self._decoder.count

    @property
    def last_event_id(self) -> str | None:
        """The last event ID the server set, if any (for resuming)."""
        return self._reader.last_event_id

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._iterator)

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

    def save_images(self, directory: str | Path, *, prefix: str = "image") -> list[Path]:
        """Read the whole stream, writing each event's ``b64_json`` image as it arrives.

        Files are named ``{prefix}-{n}.{ext}`` with ``n`` counting images from 0 and ``ext``
        the event's ``output_format`` (else sniffed: png, jpeg, webp, else ``bin``).
        Returns the paths in order of arrival.
        """
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        for event in self:
            image = _image_of(event)
            if image is not None:
                name = f"{prefix}-{len(paths)}"
                index = self._decoder.count - 1
                paths.append(_write_image(folder, name, image[0], image[1], index))
        return paths

    def _iterate(self) -> Generator[T, None, None]:
        decoder = self._decoder
        response = self.response
        reader = self._reader
        try:
            if not decoder.is_event_stream():
                raise decoder.not_event_stream(_read_some(response))
            try:
                chunks = response.iter_raw() if _identity(response) else response.iter_bytes()
                for sse in reader.iter_events(chunks):
                    item = decoder.decode(sse)
                    if isinstance(item, _Marker):
                        if item is _END:
                            decoder.check_complete(pending=False)
                            return
                        continue
                    yield item
            except httpx.TransportError as exc:
                raise decoder.connection_failed(exc) from exc
            decoder.check_complete(reader.finish())
        finally:
            response.close()


class AsyncStream(Generic[T]):
    """A typed server-sent event stream over a streamed ``httpx.AsyncClient`` response.

    Iterate to get typed events; the response is closed when iteration ends (normally or by
    an exception), on :meth:`aclose`, and when a ``async with`` block exits (also on ``break``).

    Which class an event becomes is decided by the payload's discriminator property (the
    schema's ``parse`` does that). When the SSE ``event:`` name is present, is not
    ``"message"``, and disagrees with the payload's discriminator, the default (lenient) mode
    follows the payload and passes the payload's type as the event name; ``strict=True``
    raises :class:`StreamEventMismatchError` instead.

    Errors:

    * an event named ``error``, a payload ``{"error": {...}}``, or a flat payload
      ``{"type": "error", "message": ...}`` raise :class:`APIStreamError` with the server's
      message;
    * a response that is not ``text/event-stream`` raises
      :class:`APIResponseValidationError` on first use (with the server's message when the
      body is a JSON error);
    * the body ending inside an event block, a transport error mid-body, or the body ending
      without one of the schema's terminal events raise :class:`StreamIncompleteError`
      (``events_received`` says how many events arrived);
    * data that is not UTF-8 or not JSON raises :class:`StreamDecodeError` naming the
      0-based event index, with an excerpt of at most 80 characters; the original exception
      is chained.

    Events with empty data (``data:`` alone) are keep-alives and are skipped (an empty
    event named ``error`` still raises). ``data: [DONE]`` ends the stream: nothing after it
    is read, and the terminal-event check still applies.
    """

    response: httpx.Response

    def __init__(
        self, response: httpx.Response, schema: EventSchema[T], *, strict: bool = False
    ) -> None:
        self.response = response
        self._decoder = _Decoder(response, schema, strict)
        self._reader = SSEReader()
        self._iterator = self._iterate()

    @property
    def events_received(self) -> int:
        """How many typed events this stream has produced so far."""
        return self._decoder.count

    @property
    def last_event_id(self) -> str | None:
        """The last event ID the server set, if any (for resuming)."""
        return self._reader.last_event_id

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

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

    async def save_images(self, directory: str | Path, *, prefix: str = "image") -> list[Path]:
        """Read the whole stream, writing each event's ``b64_json`` image as it arrives.

        Same naming as :meth:`Stream.save_images`. Decoding and file writes run in a worker
        thread, never on the event loop.
        """
        folder = Path(directory)
        await anyio.to_thread.run_sync(functools.partial(folder.mkdir, parents=True, exist_ok=True))
        paths: list[Path] = []
        async for event in self:
            image = _image_of(event)
            if image is not None:
                write = functools.partial(
                    _write_image,
                    folder,
                    f"{prefix}-{len(paths)}",
                    image[0],
                    image[1],
                    self._decoder.count - 1,
                )
                paths.append(await anyio.to_thread.run_sync(write))
        return paths

    async def _iterate(self) -> AsyncGenerator[T, None]:
        decoder = self._decoder
        response = self.response
        reader = self._reader
        try:
            if not decoder.is_event_stream():
                raise decoder.not_event_stream(await _aread_some(response))
            try:
                chunks = response.aiter_raw() if _identity(response) else response.aiter_bytes()
                async for sse in reader.aiter_events(chunks):
                    item = decoder.decode(sse)
                    if isinstance(item, _Marker):
                        if item is _END:
                            decoder.check_complete(pending=False)
                            return
                        continue
                    yield item
            except httpx.TransportError as exc:
                raise decoder.connection_failed(exc) from exc
            decoder.check_complete(reader.finish())
        finally:
            await response.aclose()


def _identity(response: httpx.Response) -> bool:
    """True when the body is not content-encoded and not yet read, so the raw bytes are the
    content still to come.

    Reading raw bytes then skips httpx's no-op decoder layer (a measurable cost per chunk).
    A body that is already read (for example one a mock transport built from bytes) can only
    be replayed through ``iter_bytes``.
    """
    if response.is_stream_consumed:
        return False
    encoding: str = response.headers.get("content-encoding", "")
    return encoding.strip().lower() in ("", "identity")


def _read_some(response: httpx.Response) -> bytes:
    """Up to about ``_ERROR_BODY_LIMIT`` bytes of the body, for an error message."""
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) >= _ERROR_BODY_LIMIT:
                break
    except httpx.HTTPError:
        pass  # the message is best effort; the error raised is about the content-type
    return bytes(body[:_ERROR_BODY_LIMIT])


async def _aread_some(response: httpx.Response) -> bytes:
    body = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) >= _ERROR_BODY_LIMIT:
                break
    except httpx.HTTPError:
        pass
    return bytes(body[:_ERROR_BODY_LIMIT])
