"""Property: whatever the server sends, a generated client returns a result or raises its own
base error, and nothing else.

Recorded answers (``tests/recordings``) are mutated (status, headers, body bytes, how the body
is chunked, a transport failure before or inside the body) and replayed to the sync and async
clients, plain and streamed."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ssl
from pathlib import Path
from typing import Any

import anyio
import httpx
import openai_images as oi
from clientutil import async_client, client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pngs import png_bytes

from generator.runtime._recording import load_recording

RECORDINGS = Path(__file__).parent / "recordings"
NAMES = ["images_response.json", "edit_stream.json", "edit_stream_documented_example.json",
         "error_400.json"]  # fmt: skip


def _answer(name: str) -> tuple[int, list[tuple[str, str]], bytes]:
    response = load_recording(RECORDINGS / name)[0].response
    assert response is not None
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
    return response.status, headers, response.body or b""


ANSWERS = {name: _answer(name) for name in NAMES}

FAILURES: list[Exception | None] = [
    None,
    httpx.ReadTimeout("slow"),
    httpx.ConnectError("refused"),
    httpx.RemoteProtocolError("peer closed"),
    httpx.ReadError("reset"),
    ssl.SSLError(1, "bad record mac"),
    anyio.EndOfStream(),
]
CONTENT_TYPES = [None, "application/json", "text/event-stream", "text/plain", "",
                 "application/json; charset=utf-8", "text/event-stream;charset=utf-8",
                 "application/problem+json", "\x00garbage"]  # fmt: skip


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes], fail: Exception | None, fail_at: int) -> None:
        self.chunks, self.fail, self.fail_at = chunks, fail, fail_at

    def _parts(self) -> Any:
        for index, chunk in enumerate(self.chunks):
            if self.fail is not None and index == self.fail_at:
                raise self.fail
            yield chunk
        if self.fail is not None and self.fail_at >= len(self.chunks):
            raise self.fail

    def __iter__(self) -> Any:
        yield from self._parts()

    async def __aiter__(self) -> Any:
        for chunk in self._parts():
            yield chunk


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(NAMES))
    code, headers, body = ANSWERS[name]
    code = draw(st.one_of(st.just(code), st.integers(200, 599)))
    headers = [h for h in headers if draw(st.booleans()) or h[0].lower() != "content-type"]
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    if content_type is not None:
        headers = [h for h in headers if h[0].lower() != "content-type"]
        headers.append(("Content-Type", content_type))
    for name_, values in (
        ("retry-after", ["0", "1", "-1", "nan", "1e999", "Wed, 21 Oct 2015 07:28:00 GMT", "x"]),
        ("x-should-retry", ["true", "false", "maybe"]),
        ("content-encoding", ["gzip", "deflate", "identity", "x-unknown", "gzip, gzip"]),
    ):
        if draw(st.booleans()):
            headers.append((name_, draw(st.sampled_from(values))))
    if ("content-encoding", "gzip") in headers and draw(st.booleans()):
        body = gzip.compress(body)
    edits = draw(st.lists(st.tuples(st.integers(0, max(len(body), 1)), st.binary(max_size=8),
                                    st.integers(0, 8)), max_size=4))  # fmt: skip
    for position, insert, remove in edits:
        body = body[:position] + insert + body[position + remove :]
    if draw(st.booleans()):
        body = body[: draw(st.integers(0, len(body)))]
    sizes = draw(st.lists(st.integers(1, 64), min_size=1, max_size=6))
    chunks, position, turn = [], 0, 0
    while position < len(body):
        size = sizes[turn % len(sizes)]
        chunks.append(body[position : position + size])
        position += size
        turn += 1
    failure = draw(st.sampled_from(FAILURES))
    return {
        "status": code,
        "headers": headers,
        "chunks": chunks,
        "failure": failure,
        "fail_at": draw(st.integers(0, len(chunks))),
        "before_headers": failure is not None and draw(st.booleans()),
        "stream": draw(st.booleans()),
        "strict": draw(st.booleans()),
        "unknown": draw(st.booleans()),
    }


def handler_for(case: dict[str, Any]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if case["before_headers"]:
            raise case["failure"]
        body = Body(case["chunks"], case["failure"], case["fail_at"])
        return httpx.Response(case["status"], headers=case["headers"], stream=body)

    return handler


def call_sync(case: dict[str, Any]) -> None:
    made, _ = client(handler_for(case), max_retries=1, strict=case["strict"])
    result = made.images.edit(image=png_bytes(), prompt="p", stream=case["stream"])
    if isinstance(result, oi.Stream):
        with result:
            for _ in result.with_unknown() if case["unknown"] else result:
                pass
        return
    assert isinstance(result, oi.ImagesResponse)


async def call_async(case: dict[str, Any]) -> None:
    made, _ = async_client(handler_for(case), max_retries=1, strict=case["strict"])
    result = await made.images.edit(image=png_bytes(), prompt="p", stream=case["stream"])
    if isinstance(result, oi.AsyncStream):
        async with result:
            async for _ in result:
                pass
        return
    assert isinstance(result, oi.ImagesResponse)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mutated())
def test_the_sync_client_returns_or_raises_its_own_errors(case: dict[str, Any]) -> None:
    with contextlib.suppress(oi.ClientError):
        call_sync(case)


@FUZZ
@given(mutated())
def test_the_async_client_returns_or_raises_its_own_errors(case: dict[str, Any]) -> None:
    with contextlib.suppress(oi.ClientError):
        asyncio.run(call_async(case))
