"""Incremental reader for ``text/event-stream`` bodies.

Implements the parsing rules of the WHATWG HTML standard, section "Server-sent events",
subsection "Interpreting an event stream", over raw bytes that arrive in arbitrary chunks:

* a single leading UTF-8 byte order mark is stripped (also when split across chunks);
* lines end with CRLF, LF or CR; a CR that ends one chunk and an LF that starts the next
  are one line ending;
* a line starting with ``:`` is a comment; a line without a colon is a field name with an
  empty value; one space after the colon is removed;
* ``data`` lines are joined with ``\\n``; ``event`` sets the event type; ``id`` sets the last
  event ID unless the value contains NUL; ``retry`` sets the reconnection time when the value
  is all ASCII digits; other fields are ignored;
* a blank line dispatches an event only when at least one ``data`` line was seen; the event
  type and the data are reset at every blank line, the last event ID is kept;
* an event block that is not ended by a blank line is never dispatched.

Deviation, on purpose: ``data`` stays raw bytes (the spec decodes the whole stream as UTF-8
with replacement characters). JSON decoders accept bytes, and invalid UTF-8 stays detectable.
``event`` and ``id`` values are decoded as UTF-8 with replacement, as the spec says.

Performance: line ends are located with ``bytes.find`` and each chunk is scanned for each
line-ending byte at most once. Inside a long line, a chunk is first tested with ``in`` and a
byte's value (``10 in chunk``: a bare ``memchr``, several times cheaper per call than ``find``
or ``b"\n" in chunk``, which matters at 1 KiB chunks). A line that spans chunks is kept as a
list of references to (views of) the chunks and joined once when the event is dispatched, so
a payload is copied a single time and never re-scanned or re-concatenated.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Protocol

__all__ = ["Deadline", "SSEReader", "ServerSentEvent"]


class Deadline(Protocol):
    """When reading must stop: ``due`` (a :func:`time.monotonic` time), and the error then."""

    @property
    def due(self) -> float: ...

    def expired(self) -> BaseException: ...


_NEVER = float("inf")
_LF = 0x0A
_CR = 0x0D
_SPACE = 0x20
_BOM = b"\xef\xbb\xbf"

# Field names that matter; any other field is ignored. None is longer than 5 bytes, so the
# colon of a field worth reading is always within the first 6 bytes of its line.
_FIELDS = frozenset((b"data", b"event", b"id", b"retry"))
_MAX_NAME = 5

# States of a line that continues past the end of a chunk.
_NAME = 0  # no colon seen yet; the bytes so far (at most 6) are in ``_name``
_VALUE = 1  # colon seen, field is relevant; value pieces are in ``_value``
_SKIP = 2  # comment or ignored field: wait for the end of the line

_Piece = bytes | memoryview


class ServerSentEvent:
    """One dispatched event.

    ``event`` is None when the block had no (or an empty) ``event`` field, which means the
    default type ``"message"``. ``data`` is the raw bytes of the ``data`` lines joined with
    ``\\n``. ``id`` is the last event ID at dispatch time (it persists across events; None if
    the stream never set one). ``retry`` is the reconnection time set inside this event's
    block, or None.
    """

    __slots__ = ("data", "event", "id", "retry")

    data: bytes
    event: str | None
    id: str | None
    retry: int | None

    def __init__(
        self,
        data: bytes,
        event: str | None = None,
        id: str | None = None,
        retry: int | None = None,
    ) -> None:
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry

    def _key(self) -> tuple[bytes, str | None, str | None, int | None]:
        return (self.data, self.event, self.id, self.retry)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return self._key() == other._key()

    def __repr__(self) -> str:
        data = self.data
        shown = repr(data[:60]) + (f"...<{len(data)} bytes>" if len(data) > 60 else "")
        return (
            f"ServerSentEvent(event={self.event!r}, data={shown}, id={self.id!r}, "
            f"retry={self.retry!r})"
        )


class SSEReader:
    """Turns chunks of an event-stream body into :class:`ServerSentEvent` objects.

    Call :meth:`feed` with every chunk, in order, then :meth:`finish` once at the end of the
    body. ``last_event_id`` and ``retry`` (the reconnection time in milliseconds) reflect
    what the stream set so far; both survive :meth:`finish`, so one reader can follow a
    reconnection.

    Chunks are kept by reference until their event is dispatched: do not mutate a chunk
    after feeding it (``bytes`` cannot be mutated; other buffers are copied on entry).
    """

    __slots__ = (
        "_after_cr",
        "_block",
        "_bom",
        "_comment",
        "_data",
        "_event",
        "_fast",
        "_has_data",
        "_id",
        "_in_line",
        "_mode",
        "_name",
        "_start",
        "_value",
        "_value_retry",
        "last_event_id",
        "retry",
    )

    def __init__(self) -> None:
        self.last_event_id: str | None = None
        self.retry: int | None = None
        self._id: str | None = None  # the spec's "last event ID buffer"
        self._reset()

    def _reset(self) -> None:
        # Start of stream: the BOM is not decided yet; ``_bom`` holds a split BOM prefix.
        self._start = True
        self._bom = b""
        self._after_cr = False
        # The line in progress (one that continues past the end of the last chunk).
        self._in_line = False
        self._fast = False  # in a relevant value, past the optional space
        self._comment = False
        self._mode = _NAME
        self._name = b""
        self._value: list[_Piece] = []
        # The event block in progress.
        self._block = False  # a non-comment line was seen since the last blank line
        self._has_data = False
        self._data: list[_Piece] = []
        self._event: str | None = None
        self._value_retry: int | None = None

    @property
    def pending(self) -> bool:
        """True while an event block (or a line) has started and not been ended."""
        return bool(self._bom) or self._block or (self._in_line and not self._comment)

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[ServerSentEvent]:
        """Consume one chunk; return the events it completed (often none).

        ``bytes`` are kept by reference; other buffers are copied first.
        """
        if self._fast and isinstance(chunk, bytes):
            # Middle of a long value line: no line end in this chunk means keep a reference.
            if _LF not in chunk and _CR not in chunk:
                self._value.append(chunk)
                return []
        elif not isinstance(chunk, bytes):
            chunk = bytes(chunk)
        if self._start:
            chunk = self._strip_bom(chunk)
        events: list[ServerSentEvent] = []
        n = len(chunk)
        if n == 0:
            return events
        pos = 0
        if self._after_cr:
            self._after_cr = False
            if chunk[0] == _LF:
                pos = 1
        find = chunk.find
        lf = find(b"\n", pos)
        if lf < 0:
            lf = n
        cr = find(b"\r", pos)
        if cr < 0:
            cr = n
        # ``lf`` and ``cr`` are the next LF / CR at or after ``pos`` (``n`` when none). Each
        # is searched again only once ``pos`` has moved past it, so every byte of the chunk
        # is scanned at most once per line-ending byte.
        while lf != cr:
            if lf < cr:
                end = lf
                nxt = lf + 1
            else:
                end = cr
                nxt = cr + 1
                if nxt == n:
                    self._after_cr = True
                elif chunk[nxt] == _LF:
                    nxt += 1
            if self._in_line:
                self._end_line(chunk, pos, end, events)
            elif pos == end:
                self._dispatch(events)
            else:
                self._line(chunk, pos, end)
            pos = nxt
            if lf < pos:
                lf = find(b"\n", pos)
                if lf < 0:
                    lf = n
            if cr < pos:
                cr = find(b"\r", pos)
                if cr < 0:
                    cr = n
        if pos < n:
            if not self._in_line:
                self._in_line = True
                self._comment = chunk[pos] == 0x3A
                self._mode = _SKIP if self._comment else _NAME
                self._name = b""
            self._take(chunk, pos, n)
        return events

    def iter_events(
        self, chunks: Iterable[bytes], deadline: Deadline | None = None
    ) -> Iterator[ServerSentEvent]:
        """Feed every chunk of ``chunks`` and yield the events as they complete.

        Same result as calling :meth:`feed` per chunk, with less overhead per chunk while a
        long line streams in. Does not call :meth:`finish`. With a ``deadline``, the clock is
        read as each chunk arrives, and ``deadline.expired()`` is raised once it is due (here
        rather than in a layer of its own: at small chunks each layer costs as much as this).
        """
        fast = False
        append = self._value.append
        clock = time.monotonic
        # The deadline moves only when an event is delivered (after a yield): read it then.
        due = deadline.due if deadline is not None else _NEVER
        for chunk in chunks:
            if due < _NEVER and clock() >= due and deadline is not None:
                raise deadline.expired()
            if fast and type(chunk) is bytes and _LF not in chunk and _CR not in chunk:
                append(chunk)
                continue
            events = self.feed(chunk)
            fast = self._fast
            append = self._value.append
            if events:
                yield from events
                if deadline is not None:
                    due = deadline.due

    async def aiter_events(
        self, chunks: AsyncIterable[bytes], deadline: Deadline | None = None
    ) -> AsyncIterator[ServerSentEvent]:
        """Async twin of :meth:`iter_events`."""
        fast = False
        append = self._value.append
        clock = time.monotonic
        due = deadline.due if deadline is not None else _NEVER
        async for chunk in chunks:
            if due < _NEVER and clock() >= due and deadline is not None:
                raise deadline.expired()
            if fast and type(chunk) is bytes and _LF not in chunk and _CR not in chunk:
                append(chunk)
                continue
            events = self.feed(chunk)
            fast = self._fast
            append = self._value.append
            for event in events:
                yield event
            if events and deadline is not None:
                due = deadline.due

    def finish(self) -> bool:
        """End of input. Discards an unterminated block; return True if there was one.

        The reader is then ready for a new connection's stream; ``last_event_id`` and
        ``retry`` are kept.
        """
        pending = self.pending
        # The last event ID only changes when a blank line is processed, so an ``id`` in
        # the discarded block is discarded with it.
        self._id = self.last_event_id
        self._reset()
        return pending

    # -- internals ---------------------------------------------------------------------

    def _strip_bom(self, chunk: bytes) -> bytes:
        if self._bom:
            chunk = self._bom + chunk
            self._bom = b""
        if len(chunk) < len(_BOM) and _BOM.startswith(chunk):
            self._bom = chunk  # could still become a BOM: wait for more bytes
            return b""
        self._start = False
        if chunk.startswith(_BOM):
            return chunk[len(_BOM) :]
        return chunk

    def _line(self, chunk: bytes, start: int, end: int) -> None:
        """A complete, non-empty line ``chunk[start:end]`` with nothing pending before it."""
        if chunk[start] == 0x3A:  # ':' -- comment
            return
        self._block = True
        limit = start + _MAX_NAME + 1
        if limit > end:
            limit = end
        colon = chunk.find(b":", start, limit)
        if colon < 0:
            if end - start <= _MAX_NAME:  # the whole line is the field name
                self._field(chunk[start:end], b"")
            return
        name = chunk[start:colon]
        if name not in _FIELDS:
            return
        vstart = colon + 1
        if vstart < end and chunk[vstart] == _SPACE:
            vstart += 1
        if name == b"data":
            if self._has_data:
                self._data.append(b"\n")
            else:
                self._has_data = True
            self._data.append(chunk[vstart:end])
        else:
            self._field(name, chunk[vstart:end])

    def _take(self, chunk: bytes, start: int, end: int) -> None:
        """Add ``chunk[start:end]`` (no line end inside) to the line in progress."""
        mode = self._mode
        if mode == _SKIP:
            return
        if mode == _NAME:
            # At most _MAX_NAME + 1 name bytes are kept: enough to tell a relevant field.
            limit = start + _MAX_NAME + 1 - len(self._name)
            if limit > end:
                limit = end
            colon = chunk.find(b":", start, limit)
            if colon < 0:
                self._name += chunk[start:limit]
                if len(self._name) > _MAX_NAME:
                    self._mode = _SKIP
                return
            name = self._name + chunk[start:colon]
            if name not in _FIELDS:
                self._mode = _SKIP
                return
            self._name = name
            self._mode = _VALUE
            self._value = []
            start = colon + 1
        if start == end:
            return
        if not self._fast:
            # First byte after the colon: drop it if it is the optional space.
            self._fast = True
            if chunk[start] == _SPACE:
                start += 1
                if start == end:
                    return
        if start == 0 and end == len(chunk):
            self._value.append(chunk)
        else:
            self._value.append(memoryview(chunk)[start:end])

    def _end_line(self, chunk: bytes, start: int, end: int, events: list[ServerSentEvent]) -> None:
        """The line in progress ends at ``chunk[end]``; ``chunk[start:end]`` is its tail."""
        if start < end:
            self._take(chunk, start, end)
        self._in_line = False
        self._fast = False
        mode = self._mode
        if mode == _SKIP:
            if not self._comment:
                self._block = True
            return
        self._block = True
        if mode == _NAME:
            self._field(self._name, b"")  # no colon: the whole line is the name
            return
        value = self._value
        self._value = []
        if self._name == b"data":
            if self._has_data:
                self._data.append(b"\n")
            else:
                self._has_data = True
            self._data.extend(value)
        else:
            self._field(self._name, b"".join(value))

    def _field(self, name: bytes, value: bytes) -> None:
        if name == b"data":
            if self._has_data:
                self._data.append(b"\n")
            else:
                self._has_data = True
            self._data.append(value)
        elif name == b"event":
            self._event = value.decode("utf-8", "replace") or None
        elif name == b"id":
            if b"\x00" not in value:
                self._id = value.decode("utf-8", "replace")
        elif name == b"retry" and value.isdigit():  # bytes.isdigit: ASCII digits, non-empty
            try:
                retry = int(value)
            except ValueError:  # more digits than int() accepts: ignore the field
                return
            self.retry = retry
            self._value_retry = retry

    def _dispatch(self, events: list[ServerSentEvent]) -> None:
        """A blank line: dispatch the block's event if it had data, then reset the block."""
        self.last_event_id = self._id
        if self._has_data:
            events.append(
                ServerSentEvent(b"".join(self._data), self._event, self._id, self._value_retry)
            )
            self._data = []
            self._has_data = False
        self._event = None
        self._value_retry = None
        self._block = False
