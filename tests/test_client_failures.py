"""Every failure of the generated clients is typed, sync and async, streamed or not: nothing
from httpx, ssl, anyio or json escapes raw."""

from __future__ import annotations

import asyncio
import gzip
import ssl
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import openai_images as oi
import pytest
from clientutil import IMAGES_RESPONSE, SSE, STREAM, async_client, client
from pngs import png_bytes

Handler = Callable[[httpx.Request], httpx.Response]
FIRST_EVENT = STREAM.split(b"\n\n")[0] + b"\n\n"
DEEP = b"[" * 200_000 + b"]" * 200_000


class Runner:
    """One call of ``images.edit`` through the sync or the async client."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.waits: list[float] = []

    def call(self, handler: Handler, **options: Any) -> Any:
        if self.mode == "sync":
            made, self.waits = client(handler, **options)
            return made.images.edit(image=png_bytes(), prompt="p")

        async def run() -> Any:
            made, self.waits = async_client(handler, **options)
            return await made.images.edit(image=png_bytes(), prompt="p")

        return asyncio.run(run())

    def events(self, handler: Handler, **options: Any) -> list[Any]:
        if self.mode == "sync":
            made, self.waits = client(handler, **options)
            with made.images.edit(image=png_bytes(), prompt="p", stream=True) as stream:
                return list(stream)

        async def run() -> list[Any]:
            made, self.waits = async_client(handler, **options)
            stream = await made.images.edit(image=png_bytes(), prompt="p", stream=True)
            async with stream:
                return [event async for event in stream]

        return asyncio.run(run())


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Runner:
    return Runner(request.param)


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body: these chunks, then ``fail`` raised (if given)."""

    def __init__(self, chunks: list[bytes], fail: BaseException | None = None) -> None:
        self.chunks = chunks
        self.fail = fail

    def __iter__(self) -> Any:
        yield from self.chunks
        if self.fail is not None:
            raise self.fail

    async def __aiter__(self) -> Any:
        for chunk in self.chunks:
            yield chunk
        if self.fail is not None:
            raise self.fail


def raising(exc: BaseException) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def answering(code: int, headers: dict[str, str], body: httpx.SyncByteStream) -> Handler:
    return lambda request: httpx.Response(code, headers=headers, stream=body)


GZIP_JSON = {"content-type": "application/json", "content-encoding": "gzip"}


def test_a_corrupt_gzip_body_on_a_2xx_is_a_connection_error_after_retries(run: Runner) -> None:
    with pytest.raises(oi.APIConnectionError, match="decompressing") as caught:
        run.call(answering(200, GZIP_JSON, Body([b"this is not gzip"])))
    assert isinstance(caught.value.__cause__, httpx.DecodingError)
    assert len(run.waits) == 2


def test_a_corrupt_gzip_body_on_a_500_is_still_the_status_error(run: Runner) -> None:
    with pytest.raises(oi.InternalServerError) as caught:
        run.call(answering(500, GZIP_JSON, Body([b"this is not gzip"])), max_retries=0)
    assert caught.value.body is None
    assert "500" in str(caught.value)


def test_a_gzipped_answer_is_decoded(run: Runner) -> None:
    import json

    packed = gzip.compress(json.dumps(IMAGES_RESPONSE).encode())
    assert isinstance(run.call(answering(200, GZIP_JSON, Body([packed]))), oi.ImagesResponse)


@pytest.mark.parametrize(
    "exc",
    [
        ssl.SSLError(1, "[SSL: DECRYPTION_FAILED_OR_BAD_RECORD_MAC] bad record mac"),
        anyio.EndOfStream(),
        anyio.BrokenResourceError(),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=["ssl", "end-of-stream", "broken-resource", "protocol"],
)
def test_transport_exceptions_become_connection_errors(run: Runner, exc: Exception) -> None:
    with pytest.raises(oi.APIConnectionError) as caught:
        run.call(raising(exc))
    assert not isinstance(caught.value, oi.APITimeoutError)
    assert caught.value.__cause__ is exc
    assert len(run.waits) == 2


def test_timeouts_become_api_timeout_errors(run: Runner) -> None:
    with pytest.raises(oi.APITimeoutError, match="timed out"):
        run.call(raising(httpx.ConnectTimeout("slow")))


def test_absurdly_deep_json_on_a_2xx_is_a_validation_error(run: Runner) -> None:
    headers = {"content-type": "application/json"}
    with pytest.raises(oi.APIResponseValidationError) as caught:
        run.call(answering(200, headers, Body([DEEP])))
    assert caught.value.status_code == 200


def test_absurdly_deep_json_on_a_500_is_still_the_status_error(run: Runner) -> None:
    headers = {"content-type": "application/json"}
    with pytest.raises(oi.InternalServerError):
        run.call(answering(500, headers, Body([DEEP])), max_retries=0)


def test_a_strict_client_refuses_a_known_field_of_the_wrong_type_naming_it(run: Runner) -> None:
    answer = {**IMAGES_RESPONSE, "created": "yesterday"}
    handler: Handler = lambda request: httpx.Response(200, json=answer)  # noqa: E731
    with pytest.raises(oi.APIResponseValidationError, match="created") as caught:
        run.call(handler, strict=True)
    assert caught.value.body == answer


def test_a_lenient_client_reads_a_known_field_of_the_wrong_type_as_unset(run: Runner) -> None:
    answer = {**IMAGES_RESPONSE, "created": "yesterday"}
    handler: Handler = lambda request: httpx.Response(200, json=answer)  # noqa: E731
    result = run.call(handler)
    assert result.created is oi.UNSET
    assert result.additional_properties["created"] == "yesterday"
    assert result.to_dict() == answer


WRONG_INDEX = (
    b'data: {"type":"image_edit.partial_image","b64_json":"AA==","partial_image_index":"first"}\n\n'
)


def test_a_strict_stream_refuses_an_event_field_of_the_wrong_type_naming_it(run: Runner) -> None:
    handler: Handler = lambda request: httpx.Response(200, headers=SSE, content=WRONG_INDEX)  # noqa: E731
    with pytest.raises(oi.APIResponseValidationError, match="partial_image_index") as caught:
        run.events(handler, strict=True)
    assert isinstance(caught.value, oi.StreamDecodeError)
    assert caught.value.event_index == 0


def test_a_lenient_stream_reads_an_event_field_of_the_wrong_type_as_unset(run: Runner) -> None:
    wire = WRONG_INDEX + STREAM.split(b"\n\n", 1)[1]  # then the rest of a complete stream
    handler: Handler = lambda request: httpx.Response(200, headers=SSE, content=wire)  # noqa: E731
    event = run.events(handler)[0]
    assert event.partial_image_index is oi.UNSET
    assert event.additional_properties == {"partial_image_index": "first"}


def test_a_timeout_mid_stream_is_an_api_timeout_error(run: Runner) -> None:
    body = Body([FIRST_EVENT], fail=httpx.ReadTimeout("slow"))
    with pytest.raises(oi.APITimeoutError) as caught:
        run.events(lambda request: httpx.Response(200, headers=SSE, stream=body))
    assert isinstance(caught.value, oi.StreamIncompleteError)
    assert isinstance(caught.value, oi.StreamTimeoutError)
    assert caught.value.events_received == 1
    assert caught.value.request is not None


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadError("reset"), ssl.SSLError(1, "bad record mac"), anyio.EndOfStream()],
    ids=["read-error", "ssl", "end-of-stream"],
)
def test_a_dropped_connection_mid_stream_is_a_connection_error(run: Runner, exc: Exception) -> None:
    body = Body([FIRST_EVENT], fail=exc)
    with pytest.raises(oi.APIConnectionError) as caught:
        run.events(lambda request: httpx.Response(200, headers=SSE, stream=body))
    assert isinstance(caught.value, oi.StreamConnectionError)
    assert caught.value.events_received == 1
    assert run.waits == []  # after an event, a stream is not retried


def test_a_corrupt_gzip_event_stream_is_a_connection_error(run: Runner) -> None:
    headers = {**SSE, "content-encoding": "gzip"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, stream=Body([b"not gzip at all"]))

    with pytest.raises(oi.APIConnectionError) as caught:
        run.events(handler)
    assert isinstance(caught.value, oi.StreamIncompleteError)
    assert len(run.waits) == 2  # nothing was delivered: the stream was tried again


def test_deeply_nested_event_data_is_a_stream_decode_error(run: Runner) -> None:
    wire = b"data: " + DEEP + b"\n\n"
    with pytest.raises(oi.APIResponseValidationError) as caught:
        run.events(lambda request: httpx.Response(200, headers=SSE, content=wire))
    assert isinstance(caught.value, oi.StreamDecodeError)


def test_status_errors_carry_the_error_object(run: Runner) -> None:
    error = {"message": "Invalid size.", "type": "invalid_request_error", "param": "size",
             "code": "invalid_value"}  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": error}, headers={"x-request-id": "req_9"})

    with pytest.raises(oi.BadRequestError) as caught:
        run.call(handler)
    raised = caught.value
    assert raised.body == error
    assert (raised.code, raised.param, raised.type) == ("invalid_value", "size",
                                                         "invalid_request_error")  # fmt: skip
    assert str(raised) == "Error code: 400 - Invalid size. (request_id=req_9)"
    assert raised.message == "Invalid size."
    assert isinstance(raised, oi.OpenAIError) and isinstance(raised, oi.ClientError)


def test_a_plain_text_error_body_is_the_message(run: Runner) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="upstream unavailable")

    with pytest.raises(oi.InternalServerError, match="upstream unavailable") as caught:
        run.call(handler, max_retries=0)
    assert caught.value.body == "upstream unavailable"


def test_an_error_event_in_a_stream_carries_its_error_object(run: Runner) -> None:
    wire = b'event: error\ndata: {"error":{"message":"Moderation blocked","code":"blocked"}}\n\n'
    with pytest.raises(oi.APIStreamError, match="Moderation blocked") as caught:
        run.events(lambda request: httpx.Response(200, headers=SSE, content=wire))
    assert caught.value.code == "blocked"
    assert caught.value.body == {"message": "Moderation blocked", "code": "blocked"}


def test_a_long_html_error_page_makes_a_short_message(run: Runner) -> None:
    page = "<html>\n<body>" + "Bad gateway. " * 200 + "</body></html>"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text=page)

    with pytest.raises(oi.InternalServerError) as caught:
        run.call(handler, max_retries=0)
    assert len(caught.value.message) == 300 and "\n" not in caught.value.message
    assert caught.value.body == page
