"""Stream / AsyncStream: typed events, errors that are never silent, closing, images."""

from __future__ import annotations

import asyncio
import base64
import gzip
import http.server
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from sse_helpers import COMPLETED_PAYLOAD, EXAMPLE_STREAM, PARTIAL_PAYLOAD, compact

from generator.runtime._async_client import AsyncStream
from generator.runtime._errors import (
    APIResponseValidationError,
    APIStreamError,
    StreamDecodeError,
    StreamEventMismatchError,
    StreamIncompleteError,
)
from generator.runtime._images import asave_images, save_images
from generator.runtime._streaming import EventSchema
from generator.runtime._sync_client import Stream

# -- fake typed events --------------------------------------------------------------------


@attrs.frozen
class Partial:
    type: str
    b64_json: str
    partial_image_index: int
    output_format: str | None = None


@attrs.frozen
class Completed:
    type: str
    b64_json: str
    output_format: str | None = None


@attrs.frozen
class Unknown:
    name: str | None
    payload: Any


Event = Partial | Completed | Unknown

PARSE_CALLS: list[tuple[str | None, Any]] = []


def parse(name: str | None, payload: Any) -> Event:
    PARSE_CALLS.append((name, payload))
    kind = payload.get("type") if isinstance(payload, dict) else None
    if kind == "image_edit.partial_image":
        return Partial(
            kind,
            payload["b64_json"],
            payload["partial_image_index"],
            payload.get("output_format"),
        )
    if kind == "image_edit.completed":
        return Completed(kind, payload["b64_json"], payload.get("output_format"))
    return Unknown(name, payload)


def parse_by_name(name: str | None, payload: Any) -> Event:
    return Unknown(name, payload)


SCHEMA = EventSchema(parse=parse, discriminator="type", terminal=("image_edit.completed",))
OPEN_SCHEMA = EventSchema(parse=parse, discriminator="type", terminal=())
ENVELOPE_SCHEMA = EventSchema(parse=parse_by_name, discriminator=None, terminal=("done",))

PARTIAL = Partial("image_edit.partial_image", "iVBORw0KGgo=", 0)
COMPLETED = Completed("image_edit.completed", "iVBORw0KGgoAAAANSUhEUg==")


def sse(payload: object, event: str | None = None) -> bytes:
    head = f"event: {event}\n".encode() if event else b""
    data = payload if isinstance(payload, bytes) else compact(payload)
    return head + b"data: " + data + b"\n\n"


COMPLETED_SSE = sse(COMPLETED_PAYLOAD, "image_edit.completed")


# -- a mock HTTP layer ------------------------------------------------------------------------


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body given as chunks; may fail after them; records whether it was closed."""

    def __init__(
        self,
        chunks: list[bytes],
        fail: Exception | None = None,
        on_chunk: Callable[[int], None] | None = None,
    ) -> None:
        self.chunks = chunks
        self.fail = fail
        self.on_chunk = on_chunk
        self.closed = False
        self.sent = 0

    def _next_chunks(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            if self.on_chunk is not None:
                self.on_chunk(index)
            self.sent = index + 1
            yield chunk
        if self.fail is not None:
            raise self.fail

    def __iter__(self) -> Iterator[bytes]:
        yield from self._next_chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._next_chunks():
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def chunked(body: bytes, size: int = 7) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def respond(
    body: Body,
    content_type: str | None = "text/event-stream",
    status: int = 200,
    gzipped: bool = False,
) -> httpx.MockTransport:
    headers = {"content-type": content_type} if content_type else {}
    if gzipped:
        headers["content-encoding"] = "gzip"
    return httpx.MockTransport(lambda request: httpx.Response(status, headers=headers, stream=body))


class Runner:
    """Runs one scenario through Stream (sync) or AsyncStream (async) with the same API."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def events(
        self,
        body: Body,
        schema: EventSchema[Event] = SCHEMA,
        *,
        strict: bool = False,
        content_type: str | None = "text/event-stream",
        status: int = 200,
        gzipped: bool = False,
    ) -> list[Event]:
        transport = respond(body, content_type=content_type, status=status, gzipped=gzipped)
        if self.mode == "sync":
            with httpx.Client(transport=transport) as client:
                response = client.send(client.build_request("POST", "http://t/x"), stream=True)
                with Stream(response, schema, strict=strict) as stream:
                    return list(stream)

        async def run() -> list[Event]:
            async with httpx.AsyncClient(transport=transport) as client:
                request = client.build_request("POST", "http://t/x")
                response = await client.send(request, stream=True)
                async with AsyncStream(response, schema, strict=strict) as stream:
                    return [event async for event in stream]

        return asyncio.run(run())

    def until_done(self, body: Body, schema: EventSchema[Event] = SCHEMA) -> Event:
        transport = respond(body)
        if self.mode == "sync":
            with httpx.Client(transport=transport) as client:
                response = client.send(client.build_request("POST", "http://t/x"), stream=True)
                return Stream(response, schema).until_done()

        async def run() -> Event:
            async with httpx.AsyncClient(transport=transport) as client:
                request = client.build_request("POST", "http://t/x")
                response = await client.send(request, stream=True)
                return await AsyncStream(response, schema).until_done()

        return asyncio.run(run())

    def save_images(self, body: Body, directory: Path) -> list[Path]:
        transport = respond(body)
        if self.mode == "sync":
            with httpx.Client(transport=transport) as client:
                response = client.send(client.build_request("POST", "http://t/x"), stream=True)
                return save_images(Stream(response, SCHEMA), directory, prefix="img")

        async def run() -> list[Path]:
            async with httpx.AsyncClient(transport=transport) as client:
                request = client.build_request("POST", "http://t/x")
                response = await client.send(request, stream=True)
                return await asave_images(AsyncStream(response, SCHEMA), directory, prefix="img")

        return asyncio.run(run())


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Runner:
    PARSE_CALLS.clear()
    return Runner(request.param)


# -- typed events -------------------------------------------------------------------------------


def test_documented_example_yields_typed_events(run: Runner) -> None:
    assert run.events(Body(chunked(EXAMPLE_STREAM))) == [PARTIAL, COMPLETED]


def test_until_done_returns_the_terminal_event(run: Runner) -> None:
    assert run.until_done(Body(chunked(EXAMPLE_STREAM))) == COMPLETED


def test_until_done_without_terminal_types_returns_the_last_event(run: Runner) -> None:
    body = Body([sse(PARTIAL_PAYLOAD), sse(PARTIAL_PAYLOAD)])
    assert run.until_done(body, OPEN_SCHEMA) == PARTIAL


def test_parse_receives_the_sse_event_name(run: Runner) -> None:
    run.events(Body([EXAMPLE_STREAM]))
    assert [name for name, _ in PARSE_CALLS] == ["image_edit.partial_image", "image_edit.completed"]


def test_unknown_event_types_are_passed_to_parse(run: Runner) -> None:
    body = Body([sse({"type": "image_edit.future", "x": 1}), COMPLETED_SSE])
    assert run.events(body) == [Unknown(None, {"type": "image_edit.future", "x": 1}), COMPLETED]


def test_envelope_dialect_uses_the_event_name_for_the_terminal_check(run: Runner) -> None:
    body = Body([sse({"n": 1}, "progress"), sse({"n": 2}, "done")])
    events = run.events(body, ENVELOPE_SCHEMA)
    assert events == [Unknown("progress", {"n": 1}), Unknown("done", {"n": 2})]


def test_envelope_dialect_without_terminal_event_is_incomplete(run: Runner) -> None:
    with pytest.raises(StreamIncompleteError):
        run.events(Body([sse({"n": 1}, "progress")]), ENVELOPE_SCHEMA)


# -- event name vs discriminator ----------------------------------------------------------------


def test_lenient_mismatch_follows_the_payload(run: Runner) -> None:
    body = Body([sse(PARTIAL_PAYLOAD, "image_edit.completed"), COMPLETED_SSE])
    assert run.events(body) == [PARTIAL, COMPLETED]
    assert PARSE_CALLS[0][0] == "image_edit.partial_image"


def test_lenient_mismatch_does_not_count_as_terminal(run: Runner) -> None:
    # Named "completed" but the payload says partial: the payload wins, so no terminal event.
    with pytest.raises(StreamIncompleteError):
        run.events(Body([sse(PARTIAL_PAYLOAD, "image_edit.completed")]))


def test_strict_mismatch_raises(run: Runner) -> None:
    body = Body([COMPLETED_SSE, sse(PARTIAL_PAYLOAD, "image_edit.completed")])
    with pytest.raises(StreamEventMismatchError) as caught:
        run.events(body, strict=True)
    assert caught.value.event_index == 1
    assert "image_edit.partial_image" in str(caught.value)


def test_strict_accepts_the_default_message_name(run: Runner) -> None:
    body = Body([sse(PARTIAL_PAYLOAD, "message"), COMPLETED_SSE])
    assert run.events(body, strict=True) == [PARTIAL, COMPLETED]


def test_strict_accepts_events_without_a_name(run: Runner) -> None:
    body = Body([sse(PARTIAL_PAYLOAD), sse(COMPLETED_PAYLOAD)])
    assert run.events(body, strict=True) == [PARTIAL, COMPLETED]


# -- errors inside the stream -------------------------------------------------------------------


def test_event_named_error_raises_with_the_server_message(run: Runner) -> None:
    body = Body([sse(PARTIAL_PAYLOAD), sse({"message": "content policy"}, "error")])
    with pytest.raises(APIStreamError, match="content policy"):
        run.events(body)


def test_wrapped_error_payload_raises_with_the_server_message(run: Runner) -> None:
    error = {"error": {"message": "rate limited", "code": "rate_limit", "type": "requests"}}
    with pytest.raises(APIStreamError, match="rate limited") as caught:
        run.events(Body([sse(error)]))
    assert caught.value.code == "rate_limit"


def test_flat_error_payload_raises_with_the_server_message(run: Runner) -> None:
    error = {"type": "error", "message": "server overloaded", "code": "overloaded"}
    with pytest.raises(APIStreamError, match="server overloaded") as caught:
        run.events(Body([sse(error)]))
    assert caught.value.code == "overloaded"


def test_error_event_with_non_json_data_raises_with_that_text(run: Runner) -> None:
    with pytest.raises(APIStreamError, match="upstream died"):
        run.events(Body([b"event: error\ndata: upstream died\n\n"]))


def test_error_event_with_empty_data_raises(run: Runner) -> None:
    with pytest.raises(APIStreamError):
        run.events(Body([b"event: error\ndata:\n\n"]))


def test_null_error_property_is_not_an_error(run: Runner) -> None:
    body = Body([sse({**COMPLETED_PAYLOAD, "error": None})])
    assert run.events(body) == [COMPLETED]


# -- the response is not an event stream ---------------------------------------------------


def test_json_error_body_raises_validation_error_with_server_message(run: Runner) -> None:
    body = Body([b'{"error": {"message": "Invalid image format", "type": "invalid"}}'])
    with pytest.raises(APIResponseValidationError, match="Invalid image format") as caught:
        run.events(body, content_type="application/json")
    assert "application/json" in str(caught.value)
    assert caught.value.body == {"error": {"message": "Invalid image format", "type": "invalid"}}


def test_plain_text_body_raises_validation_error_with_excerpt(run: Runner) -> None:
    with pytest.raises(APIResponseValidationError, match="Bad Gateway"):
        run.events(Body([b"Bad Gateway"]), content_type="text/plain")


def test_missing_content_type_raises_validation_error(run: Runner) -> None:
    with pytest.raises(APIResponseValidationError, match="no content-type"):
        run.events(Body([EXAMPLE_STREAM]), content_type=None)


def test_event_stream_content_type_with_parameters_is_accepted(run: Runner) -> None:
    body = Body([EXAMPLE_STREAM])
    assert run.events(body, content_type="Text/Event-Stream; charset=utf-8") == [PARTIAL, COMPLETED]


def test_gzip_encoded_event_stream_is_decoded(run: Runner) -> None:
    compressed = gzip.compress(EXAMPLE_STREAM)
    body = Body(chunked(compressed, 50))
    assert run.events(body, content_type="text/event-stream", gzipped=True) == [PARTIAL, COMPLETED]


def test_not_event_stream_error_reads_at_most_64_kib(run: Runner) -> None:
    body = Body([b"x" * 4096] * 64)
    with pytest.raises(APIResponseValidationError):
        run.events(body, content_type="text/html")
    assert body.sent == 16


# -- incomplete streams -------------------------------------------------------------------------


def test_body_ending_mid_event_raises_incomplete(run: Runner) -> None:
    cut = EXAMPLE_STREAM[: EXAMPLE_STREAM.index(b"event: image_edit.completed") + 40]
    with pytest.raises(StreamIncompleteError, match="middle of an event, after 1 complete") as e:
        run.events(Body(chunked(cut)))
    assert e.value.events_received == 1


def test_body_ending_after_data_line_without_blank_line_raises_incomplete(run: Runner) -> None:
    with pytest.raises(StreamIncompleteError, match="middle of an event"):
        run.events(Body([EXAMPLE_STREAM[:-1]]))


def test_transport_error_mid_body_raises_incomplete(run: Runner) -> None:
    error = httpx.RemoteProtocolError("peer closed connection without sending complete body")
    with pytest.raises(StreamIncompleteError, match="RemoteProtocolError") as caught:
        run.events(Body(chunked(EXAMPLE_STREAM[:200]), fail=error))
    assert caught.value.events_received == 1
    assert caught.value.__cause__ is error


def test_stream_without_terminal_event_raises_incomplete(run: Runner) -> None:
    with pytest.raises(StreamIncompleteError, match="after 2 complete events without") as caught:
        run.events(Body([sse(PARTIAL_PAYLOAD), sse(PARTIAL_PAYLOAD)]))
    assert caught.value.events_received == 2
    assert "image_edit.completed" in str(caught.value)


def test_empty_body_without_terminal_event_raises_incomplete(run: Runner) -> None:
    with pytest.raises(StreamIncompleteError, match="after 0 complete events"):
        run.events(Body([]))


def test_empty_body_is_fine_without_terminal_types(run: Runner) -> None:
    assert run.events(Body([]), OPEN_SCHEMA) == []


def test_trailing_keep_alive_comment_is_not_incomplete(run: Runner) -> None:
    assert run.events(Body([EXAMPLE_STREAM + b": keep-alive\n"])) == [PARTIAL, COMPLETED]


# -- undecodable data -----------------------------------------------------------------------


def test_malformed_json_raises_decode_error_naming_the_event(run: Runner) -> None:
    body = Body([sse(PARTIAL_PAYLOAD), sse(b'{"type": "image_edit.completed", oops}')])
    with pytest.raises(StreamDecodeError, match=r"Event 1 \(0-based\)") as caught:
        run.events(body)
    assert caught.value.event_index == 1
    assert "oops" in caught.value.excerpt
    assert isinstance(caught.value.__cause__, json.JSONDecodeError)


def test_decode_error_excerpt_of_a_huge_payload_is_short(run: Runner) -> None:
    huge = b'{"type": "image_edit.completed", "b64_json": "' + b"A" * 3_000_000 + b'"'
    with pytest.raises(StreamDecodeError) as caught:
        run.events(Body(chunked(sse(huge), 65536)))
    assert len(caught.value.excerpt) <= 80
    assert len(str(caught.value)) < 300


def test_invalid_utf8_raises_decode_error(run: Runner) -> None:
    body = Body([sse(b'{"type": "image_edit.completed", "b64_json": "\xff\xfe"}')])
    with pytest.raises(StreamDecodeError, match="not valid UTF-8") as caught:
        run.events(body)
    assert caught.value.event_index == 0
    assert "\\xff" in caught.value.excerpt
    assert isinstance(caught.value.__cause__, UnicodeDecodeError)


def test_encoded_surrogate_is_invalid_utf8(run: Runner) -> None:
    # json.loads(bytes) would accept this ("surrogatepass"); strict UTF-8 does not.
    body = Body([sse(b'{"type": "x", "s": "\xed\xa0\x80"}')])
    with pytest.raises(StreamDecodeError, match="not valid UTF-8"):
        run.events(body)


def test_deeply_nested_json_raises_decode_error(run: Runner) -> None:
    with pytest.raises(StreamDecodeError):
        run.events(Body([sse(b"[" * 200_000 + b"]" * 200_000)]))


# -- empty data and [DONE] ------------------------------------------------------------------


def test_empty_data_events_are_skipped(run: Runner) -> None:
    body = Body([b"data:\n\n", sse(PARTIAL_PAYLOAD), b"data\n\n", COMPLETED_SSE])
    assert run.events(body) == [PARTIAL, COMPLETED]


def test_done_sentinel_ends_the_stream_without_reading_further(run: Runner) -> None:
    body = Body([EXAMPLE_STREAM, b"data: [DONE]\n\n", b"data: {not json\n\n"])
    assert run.events(body) == [PARTIAL, COMPLETED]
    assert body.sent == 2


def test_done_sentinel_before_terminal_event_raises_incomplete(run: Runner) -> None:
    with pytest.raises(StreamIncompleteError, match="without a final event"):
        run.events(Body([sse(PARTIAL_PAYLOAD), b"data: [DONE]\n\n"]))


def test_done_sentinel_without_terminal_types_is_clean(run: Runner) -> None:
    assert run.events(Body([sse(PARTIAL_PAYLOAD), b"data: [DONE]\n\n"]), OPEN_SCHEMA) == [PARTIAL]


# -- closing --------------------------------------------------------------------------------


def _sync_stream(body: Body) -> Stream[Event]:
    client = httpx.Client(transport=respond(body))
    return Stream(client.send(client.build_request("POST", "http://t/x"), stream=True), SCHEMA)


async def _async_stream(body: Body) -> AsyncStream[Event]:
    client = httpx.AsyncClient(transport=respond(body))
    response = await client.send(client.build_request("POST", "http://t/x"), stream=True)
    return AsyncStream(response, SCHEMA)


def test_break_inside_with_closes_the_response() -> None:
    body = Body(chunked(EXAMPLE_STREAM))
    with _sync_stream(body) as stream:
        for _ in stream:
            break
        assert not body.closed
    assert body.closed
    assert stream.response.is_closed


async def test_async_break_inside_async_with_closes_the_response() -> None:
    body = Body(chunked(EXAMPLE_STREAM))
    async with await _async_stream(body) as stream:
        async for _ in stream:
            break
        assert not body.closed
    assert body.closed
    assert stream.response.is_closed


def test_exception_in_loop_body_inside_with_closes_the_response() -> None:
    body = Body(chunked(EXAMPLE_STREAM))
    with pytest.raises(KeyError), _sync_stream(body) as stream:
        for _ in stream:
            raise KeyError("consumer failed")
    assert body.closed


def test_stream_error_closes_the_response_without_with() -> None:
    body = Body([b"data: {broken\n\n", EXAMPLE_STREAM])
    stream = _sync_stream(body)
    with pytest.raises(StreamDecodeError):
        list(stream)
    assert body.closed


async def test_async_stream_error_closes_the_response_without_with() -> None:
    body = Body([b"data: {broken\n\n", EXAMPLE_STREAM])
    stream = await _async_stream(body)
    with pytest.raises(StreamDecodeError):
        [event async for event in stream]
    assert body.closed


def test_reading_to_the_end_closes_the_response() -> None:
    body = Body(chunked(EXAMPLE_STREAM))
    assert list(_sync_stream(body)) == [PARTIAL, COMPLETED]
    assert body.closed


async def test_async_reading_to_the_end_closes_the_response() -> None:
    body = Body(chunked(EXAMPLE_STREAM))
    assert [event async for event in await _async_stream(body)] == [PARTIAL, COMPLETED]
    assert body.closed


def test_close_before_iterating_closes_the_response_and_ends_iteration() -> None:
    body = Body(chunked(EXAMPLE_STREAM))
    stream = _sync_stream(body)
    stream.close()
    assert body.closed
    assert list(stream) == []
    stream.close()  # idempotent


async def test_async_aclose_before_iterating_closes_the_response() -> None:
    body = Body(chunked(EXAMPLE_STREAM))
    stream = await _async_stream(body)
    await stream.aclose()
    assert body.closed
    assert [event async for event in stream] == []


def test_events_received_counts_typed_events() -> None:
    stream = _sync_stream(Body([EXAMPLE_STREAM]))
    next(stream)
    assert stream.events_received == 1


def test_last_event_id_is_exposed() -> None:
    stream = _sync_stream(Body([b"id: abc\n" + EXAMPLE_STREAM]))
    list(stream)
    assert stream.last_event_id == "abc"


# -- save_images ------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 8
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8


def _image_events(*blobs: bytes, output_format: str | None = None) -> list[bytes]:
    events = []
    for index, blob in enumerate(blobs):
        payload: dict[str, Any] = {
            "type": "image_edit.partial_image",
            "b64_json": base64.b64encode(blob).decode(),
            "partial_image_index": index,
        }
        if output_format:
            payload["output_format"] = output_format
        events.append(sse(payload, "image_edit.partial_image"))
    final = {"type": "image_edit.completed", "b64_json": base64.b64encode(blobs[-1]).decode()}
    if output_format:
        final["output_format"] = output_format
    events.append(sse(final, "image_edit.completed"))
    return events


def test_save_images_writes_one_file_per_image_event(run: Runner, tmp_path: Path) -> None:
    paths = run.save_images(Body(_image_events(PNG, PNG)), tmp_path / "out")
    assert [p.name for p in paths] == ["img-0.png", "img-1.png", "img-2.png"]
    assert all(p.read_bytes() == PNG for p in paths)


def test_save_images_sniffs_the_format(run: Runner, tmp_path: Path) -> None:
    paths = run.save_images(Body(_image_events(JPEG, WEBP, b"plain")), tmp_path)
    assert [p.name for p in paths] == ["img-0.jpeg", "img-1.webp", "img-2.bin", "img-3.bin"]
    assert paths[1].read_bytes() == WEBP


def test_save_images_prefers_output_format(run: Runner, tmp_path: Path) -> None:
    paths = run.save_images(Body(_image_events(PNG, output_format="webp")), tmp_path)
    assert [p.suffix for p in paths] == [".webp", ".webp"]


def test_save_images_writes_each_file_as_its_event_arrives(tmp_path: Path) -> None:
    seen_before_chunk: dict[int, list[str]] = {}

    def on_chunk(index: int) -> None:
        seen_before_chunk[index] = sorted(p.name for p in tmp_path.iterdir())

    body = Body(_image_events(PNG, JPEG), on_chunk=on_chunk)
    paths = save_images(_sync_stream(body), tmp_path)
    assert [p.name for p in paths] == ["image-0.png", "image-1.jpeg", "image-2.jpeg"]
    assert seen_before_chunk[1] == ["image-0.png"]
    assert seen_before_chunk[2] == ["image-0.png", "image-1.jpeg"]


async def test_async_save_images_writes_files_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop_thread = threading.get_ident()
    writer_threads: list[int] = []
    original = Path.write_bytes

    def recording_write_bytes(self: Path, data: bytes) -> int:
        writer_threads.append(threading.get_ident())
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", recording_write_bytes)
    paths = await asave_images(await _async_stream(Body(_image_events(PNG))), tmp_path)
    assert len(paths) == 2
    assert writer_threads
    assert loop_thread not in writer_threads


def test_save_images_rejects_invalid_base64(run: Runner, tmp_path: Path) -> None:
    payload = {"type": "image_edit.completed", "b64_json": "not*base64"}
    with pytest.raises(StreamDecodeError, match="not valid base64") as caught:
        run.save_images(Body([sse(payload)]), tmp_path)
    assert caught.value.event_index == 0


def test_save_images_ignores_events_without_an_image(run: Runner, tmp_path: Path) -> None:
    body = Body([sse({"type": "image_edit.future"}), *_image_events(PNG)])
    assert len(run.save_images(body, tmp_path)) == 2


# -- a real HTTP server -------------------------------------------------------------------------

UNEVEN = [1, 6, 2, 31, 5, 17, 3, 64, 9, 1, 1, 40, 11, 7, 90, 2, 23]


def _uneven_chunks(body: bytes) -> list[bytes]:
    chunks, position, turn = [], 0, 0
    while position < len(body):
        size = UNEVEN[turn % len(UNEVEN)]
        chunks.append(body[position : position + size])
        position += size
        turn += 1
    return chunks


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/close-delimited-cut":
            # HTTP/1.0-style body that ends at connection close, mid-event: a clean EOF.
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(EXAMPLE_STREAM[:-30])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        cut = self.path == "/cut"
        body = EXAMPLE_STREAM[: len(EXAMPLE_STREAM) - 50] if cut else EXAMPLE_STREAM
        for index, chunk in enumerate(_uneven_chunks(body)):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
            if index % 4 == 0:
                time.sleep(0.001)  # let some chunks arrive in separate reads
        if cut:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_real_server_chunked_example_with_stream(server: str) -> None:
    with httpx.Client(timeout=5) as client, client.stream("GET", f"{server}/example") as response:
        assert response.headers["transfer-encoding"] == "chunked"
        with Stream(response, SCHEMA) as stream:
            assert list(stream) == [PARTIAL, COMPLETED]
        assert response.is_closed


async def test_real_server_chunked_example_with_async_stream(server: str) -> None:
    async with (
        httpx.AsyncClient(timeout=5) as client,
        client.stream("GET", f"{server}/example") as response,
    ):
        async with AsyncStream(response, SCHEMA) as stream:
            assert await stream.until_done() == COMPLETED
        assert response.is_closed


def test_real_server_cutting_the_connection_mid_event(server: str) -> None:
    with httpx.Client(timeout=5) as client, client.stream("GET", f"{server}/cut") as response:
        stream = Stream(response, SCHEMA)
        with pytest.raises(StreamIncompleteError, match="after 1 complete event") as caught:
            list(stream)
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert caught.value.events_received == 1


async def test_real_server_cutting_the_connection_mid_event_async(server: str) -> None:
    async with (
        httpx.AsyncClient(timeout=5) as client,
        client.stream("GET", f"{server}/cut") as response,
    ):
        with pytest.raises(StreamIncompleteError) as caught:
            await AsyncStream(response, SCHEMA).until_done()
    assert isinstance(caught.value.__cause__, httpx.TransportError)


def test_real_server_clean_close_mid_event(server: str) -> None:
    url = f"{server}/close-delimited-cut"
    with (
        httpx.Client(timeout=5) as client,
        client.stream("GET", url) as response,
        pytest.raises(StreamIncompleteError, match="middle of an event") as caught,
    ):
        list(Stream(response, SCHEMA))
    assert caught.value.__cause__ is None
