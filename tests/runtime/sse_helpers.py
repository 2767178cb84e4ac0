"""Shared helpers for the event-stream tests."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator

from generator.runtime._sse import ServerSentEvent, SSEReader

# The documented example stream of POST /images/edits with stream=true (with short images).
PARTIAL_PAYLOAD = {
    "type": "image_edit.partial_image",
    "b64_json": "iVBORw0KGgo=",
    "partial_image_index": 0,
}
COMPLETED_PAYLOAD = {
    "type": "image_edit.completed",
    "b64_json": "iVBORw0KGgoAAAANSUhEUg==",
    "usage": {
        "total_tokens": 100,
        "input_tokens": 50,
        "output_tokens": 50,
        "input_tokens_details": {"text_tokens": 10, "image_tokens": 40},
    },
}


def compact(payload: object) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


EXAMPLE_STREAM = (
    b"event: image_edit.partial_image\n"
    b"data: " + compact(PARTIAL_PAYLOAD) + b"\n"
    b"\n"
    b"event: image_edit.completed\n"
    b"data: " + compact(COMPLETED_PAYLOAD) + b"\n"
    b"\n"
)

Result = tuple[list[tuple[str | None, bytes, str | None, int | None]], bool, str | None, int | None]


def read(chunks: Iterable[bytes]) -> Result:
    """Run a fresh reader over ``chunks``: (events, pending-at-end, last_event_id, retry)."""
    reader = SSEReader()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(reader.feed(chunk))
    pending = reader.finish()
    return (
        [(e.event, e.data, e.id, e.retry) for e in events],
        pending,
        reader.last_event_id,
        reader.retry,
    )


def split_at(body: bytes, cuts: Iterable[int]) -> list[bytes]:
    points = [0, *sorted(set(cuts)), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(points)]


def two_way_splits(body: bytes) -> Iterator[list[bytes]]:
    for i in range(len(body) + 1):
        yield [body[:i], body[i:]]


def three_way_splits(body: bytes) -> Iterator[list[bytes]]:
    for i in range(len(body) + 1):
        for j in range(i, len(body) + 1):
            yield [body[:i], body[i:j], body[j:]]


def single_bytes(body: bytes) -> list[bytes]:
    return [body[i : i + 1] for i in range(len(body))]


class WorkCounter:
    """Totals of the work done on :class:`CountingBytes` chunks."""

    def __init__(self) -> None:
        self.find_calls = 0
        self.bytes_scanned = 0
        self.bytes_sliced = 0


class CountingBytes(bytes):
    """A chunk that records how many bytes the reader scans and copies out of it.

    ``find`` and ``in`` (with one byte's value) are the only searches the reader may use; the
    other searching methods fail loudly so that a scan cannot go uncounted. Slices count the
    bytes they copy; a ``memoryview`` of the chunk copies nothing.
    """

    counter: WorkCounter

    def __new__(cls, value: bytes, counter: WorkCounter) -> CountingBytes:
        self = super().__new__(cls, value)
        self.counter = counter
        return self

    def find(self, sub: object, start: object = None, end: object = None) -> int:
        assert isinstance(sub, bytes)
        size = len(self)
        lo = 0 if start is None else int(start)  # type: ignore[call-overload]
        hi = size if end is None else min(int(end), size)  # type: ignore[call-overload]
        index = bytes.find(self, sub, lo, hi)
        self.counter.find_calls += 1
        self.counter.bytes_scanned += (index + len(sub) - lo) if index >= 0 else max(0, hi - lo)
        return index

    def __contains__(self, key: object) -> bool:
        assert isinstance(key, int), "the reader tests membership of one byte's value"
        index = bytes.find(self, key)
        self.counter.find_calls += 1
        self.counter.bytes_scanned += index + 1 if index >= 0 else len(self)
        return index >= 0

    def __getitem__(self, key: object) -> object:  # type: ignore[override]
        result = bytes.__getitem__(self, key)  # type: ignore[call-overload]
        if isinstance(result, bytes):
            self.counter.bytes_sliced += len(result)
        return result

    def _forbidden(self, *args: object, **kwargs: object) -> object:
        raise AssertionError("the reader must locate bytes with find() only")

    index = _forbidden  # type: ignore[assignment]
    rfind = _forbidden  # type: ignore[assignment]
    rindex = _forbidden  # type: ignore[assignment]
    count = _forbidden  # type: ignore[assignment]
    split = _forbidden  # type: ignore[assignment]
    splitlines = _forbidden  # type: ignore[assignment]
    partition = _forbidden  # type: ignore[assignment]
    __add__ = _forbidden  # type: ignore[assignment]
