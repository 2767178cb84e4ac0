"""Retries of the generated clients: which failures, how long the waits, what each attempt
sends. Waits are recorded by a fake sleep, never taken."""

from __future__ import annotations

import email.utils
import io
import time
from pathlib import Path
from typing import Any

import anyio
import httpx
import openai_images as oi
import pytest
from clientutil import (
    SSE,
    STREAM,
    Sent,
    answers,
    async_client,
    client,
    ok,
    status,
    stream_ok,
)
from pngs import png_bytes

BACKOFF = [(0.375, 0.5), (0.75, 1.0), (1.5, 2.0), (3.0, 4.0), (6.0, 8.0), (6.0, 8.0)]


def edit(made: oi.Client, **arguments: Any) -> Any:
    return made.images.edit(image=arguments.pop("image", png_bytes()), prompt="p", **arguments)


async def aedit(made: oi.AsyncClient, **arguments: Any) -> Any:
    image = arguments.pop("image", png_bytes())
    return await made.images.edit(image=image, prompt="p", **arguments)


def assert_backoff(waits: list[float]) -> None:
    assert len(waits) <= len(BACKOFF)
    for wait, (low, high) in zip(waits, BACKOFF, strict=False):
        assert low <= wait <= high, waits


@pytest.mark.parametrize("code", [408, 409, 429, 500, 502, 503, 504])
def test_retried_statuses_are_tried_three_times_with_backoff(code: int) -> None:
    sent = Sent()
    made, waits = client(answers(status(code), sent=sent))
    with pytest.raises(oi.APIStatusError) as caught:
        edit(made)
    assert caught.value.status_code == code
    assert len(sent) == 3
    assert len(waits) == 2
    assert_backoff(waits)


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(code: int) -> None:
    sent = Sent()
    made, waits = client(answers(status(code), sent=sent))
    with pytest.raises(oi.APIStatusError):
        edit(made)
    assert (len(sent), waits) == (1, [])


def test_a_retry_that_succeeds_returns_the_answer() -> None:
    sent = Sent()
    made, waits = client(answers(status(503), status(429), ok(), sent=sent))
    assert isinstance(edit(made), oi.ImagesResponse)
    assert len(sent) == 3 and len(waits) == 2


def test_each_attempt_sends_its_retry_count() -> None:
    sent = Sent()
    made, _ = client(answers(status(500), status(500), ok(), sent=sent))
    edit(made)
    assert sent.header("x-stainless-retry-count") == ["0", "1", "2"]


def test_a_retry_count_set_by_the_caller_is_kept() -> None:
    sent = Sent()
    made, _ = client(answers(status(500), ok(), sent=sent))
    edit(made, extra_headers={"x-stainless-retry-count": "42"})
    assert sent.header("x-stainless-retry-count") == ["42", "42"]


def test_the_idempotency_key_is_kept_across_retries_and_new_per_call() -> None:
    sent = Sent()
    made, _ = client(answers(status(500), ok(), status(500), ok(), sent=sent))
    edit(made)
    edit(made)
    keys = sent.header("idempotency-key")
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[0] != keys[2]
    assert all(keys)


def test_a_callers_idempotency_key_is_used() -> None:
    sent = Sent()
    made, _ = client(answers(status(500), ok(), sent=sent))
    edit(made, extra_headers={"Idempotency-Key": "mine"})
    assert sent.header("idempotency-key") == ["mine", "mine"]


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "2000", "retry-after": "9"}, 2.0),
    ],
)
def test_the_servers_wait_is_honoured(headers: dict[str, str], wait: float) -> None:
    made, waits = client(answers(httpx.Response(429, headers=headers), ok()))
    edit(made)
    assert waits == [wait]


def test_retry_after_as_an_http_date() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    made, waits = client(answers(httpx.Response(503, headers={"retry-after": when}), ok()))
    edit(made)
    assert 27 <= waits[0] <= 31


@pytest.mark.parametrize("value", ["0", "-5", "soon", ""])
def test_an_unusable_retry_after_falls_back_to_backoff(value: str) -> None:
    made, waits = client(answers(httpx.Response(503, headers={"retry-after": value}), ok()))
    edit(made)
    assert_backoff(waits)


def test_a_retry_after_beyond_the_cap_is_not_retried() -> None:
    sent = Sent()
    made, waits = client(answers(httpx.Response(429, headers={"retry-after": "121"}), sent=sent))
    with pytest.raises(oi.RateLimitError):
        edit(made)
    assert (len(sent), waits) == (1, [])


def test_x_should_retry_overrides_the_status_rule() -> None:
    sent = Sent()
    made, _ = client(answers(status(500, x_should_retry="false"), sent=sent))
    with pytest.raises(oi.InternalServerError):
        edit(made)
    assert len(sent) == 1
    sent = Sent()
    made, _ = client(answers(status(400, x_should_retry="true"), ok(), sent=sent))
    edit(made)
    assert len(sent) == 2


def test_connection_errors_and_timeouts_are_retried() -> None:
    sent = Sent()
    failures = (httpx.ConnectError("refused"), httpx.ReadTimeout("slow"))
    made, waits = client(answers(*failures, ok(), sent=sent))
    assert isinstance(edit(made), oi.ImagesResponse)
    assert len(sent) == 3
    assert_backoff(waits)


def test_a_timeout_on_every_attempt_is_an_api_timeout_error() -> None:
    sent = Sent()
    made, waits = client(answers(httpx.ReadTimeout("slow"), sent=sent))
    with pytest.raises(oi.APITimeoutError):
        edit(made)
    assert len(sent) == 3 and len(waits) == 2


def test_max_retries_zero_turns_retries_off() -> None:
    sent = Sent()
    made, waits = client(answers(status(503), sent=sent), max_retries=0)
    with pytest.raises(oi.InternalServerError):
        edit(made)
    assert (len(sent), waits) == (1, [])


def test_with_options_sets_max_retries_and_keeps_the_fake_sleep() -> None:
    sent = Sent()
    made, waits = client(answers(status(503), sent=sent))
    with pytest.raises(oi.InternalServerError):
        edit(made.with_options(max_retries=5))
    assert len(sent) == 6
    assert_backoff(waits)
    assert waits[-1] <= 8.0  # the backoff is capped


def test_max_retries_must_be_a_non_negative_int() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        client(answers(ok()), max_retries=-1)
    with pytest.raises(TypeError, match="max_retries"):  # as the SDK says of None
        client(answers(ok()), max_retries=None)


def test_a_multipart_body_is_replayed_byte_identically(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(png_bytes())
    seekable = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"x" * 100_000)
    sent = Sent()
    made, _ = client(answers(status(500), httpx.ConnectError("reset"), ok(), sent=sent))
    made.images.edit(image=[path, seekable], prompt="p", mask=("mask.png", png_bytes()))
    assert len(sent) == 3
    assert sent.bodies[0] == sent.bodies[1] == sent.bodies[2]
    assert len(sent.bodies[0]) > 100_000


class _Pipe(io.RawIOBase):
    """A readable file object that cannot seek, like a pipe or a socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_non_seekable_upload_is_sent_once_and_not_retried() -> None:
    sent = Sent()
    made, waits = client(answers(status(503), ok(), sent=sent))
    with pytest.raises(oi.InternalServerError):
        made.images.edit(image=("a.png", _Pipe(png_bytes())), prompt="p")  # type: ignore[arg-type]
    assert (len(sent), waits) == (1, [])


def test_a_stream_is_retried_before_its_first_event() -> None:
    sent = Sent()
    calls = iter([True, None])

    def handler(request: httpx.Request) -> httpx.Response:
        sent.requests.append(request)
        first = next(calls, None)
        if first is not None:
            return httpx.Response(200, headers=SSE, stream=_FailingBody([b": keep-alive\n\n"]))
        return stream_ok()

    made, waits = client(handler)
    with edit(made, stream=True) as stream:
        events = list(stream)
    assert [type(e) for e in events] == [oi.ImageEditPartialImageEvent, oi.ImageEditCompletedEvent]
    assert len(sent) == 2 and len(waits) == 1
    assert sent.header("x-stainless-retry-count") == ["0", "1"]


def test_a_stream_that_fails_after_an_event_is_not_retried() -> None:
    sent = Sent()

    def handler(request: httpx.Request) -> httpx.Response:
        sent.requests.append(request)
        return httpx.Response(
            200, headers=SSE, stream=_FailingBody([STREAM.split(b"\n\n")[0] + b"\n\n"])
        )

    made, waits = client(handler)
    stream = edit(made, stream=True)
    assert isinstance(next(stream), oi.ImageEditPartialImageEvent)
    with pytest.raises(oi.APIConnectionError) as caught:
        next(stream)
    assert isinstance(caught.value, oi.StreamIncompleteError)
    assert caught.value.events_received == 1
    assert (len(sent), waits) == (1, [])


class _FailingBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that sends its chunks, then the connection drops."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Any:
        yield from self.chunks
        raise httpx.RemoteProtocolError("peer closed connection")

    async def __aiter__(self) -> Any:
        for chunk in self.chunks:
            yield chunk
        raise httpx.RemoteProtocolError("peer closed connection")


# -- async -------------------------------------------------------------------------------


async def test_async_retries_wait_and_resend() -> None:
    sent = Sent()
    made, waits = async_client(answers(status(503), httpx.ConnectError("x"), ok(), sent=sent))
    assert isinstance(await aedit(made), oi.ImagesResponse)
    assert len(sent) == 3
    assert_backoff(waits)
    assert sent.header("x-stainless-retry-count") == ["0", "1", "2"]
    assert len(set(sent.header("idempotency-key"))) == 1


async def test_async_retries_honour_retry_after_and_give_up() -> None:
    sent = Sent()
    made, waits = async_client(answers(status(429, retry_after_ms="10"), sent=sent))
    with pytest.raises(oi.RateLimitError):
        await aedit(made)
    assert waits == [0.01, 0.01] and len(sent) == 3


async def test_async_multipart_paths_replay_byte_identically(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(png_bytes() * 50)
    sent = Sent()
    made, _ = async_client(answers(status(500), ok(), sent=sent))
    await aedit(made, image=[path, path])
    assert len(sent) == 2 and sent.bodies[0] == sent.bodies[1]


async def test_async_stream_is_retried_before_its_first_event() -> None:
    bodies = iter([_FailingBody([b": ping\n\n"]), None])

    def handler(request: httpx.Request) -> httpx.Response:
        body = next(bodies, None)
        if body is not None:
            return httpx.Response(200, headers=SSE, stream=body)
        return stream_ok()

    made, waits = async_client(handler)
    stream = await aedit(made, stream=True)
    events = [event async for event in stream]
    assert len(events) == 2 and len(waits) == 1


async def test_async_waits_never_block_the_event_loop() -> None:
    # The default sleep is anyio's: other tasks run while a retry waits.
    made = oi.AsyncClient(api_key="k", http_client=httpx.AsyncClient())
    assert made._sleep is anyio.sleep
    ticks: list[int] = []
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503, headers={"retry-after-ms": "50"}) if calls == 1 else ok()

    made = oi.AsyncClient(
        api_key="k", http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )

    async def ticker() -> None:
        for n in range(5):
            ticks.append(n)
            await anyio.sleep(0.005)

    async with anyio.create_task_group() as group:
        group.start_soon(ticker)
        await aedit(made)
    assert ticks == [0, 1, 2, 3, 4] and calls == 2


def test_the_sync_default_sleep_is_time_sleep() -> None:
    assert oi.Client(api_key="k")._sleep is time.sleep


def test_a_path_deleted_before_a_retry_is_a_typed_upload_error(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(png_bytes())

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        path.unlink()
        return httpx.Response(503)

    made, _ = client(handler)
    with pytest.raises(oi.ClientError, match="could not be opened"):
        made.images.edit(image=path, prompt="p")
