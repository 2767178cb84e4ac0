"""``with_raw_response`` and ``with_streaming_response`` on the generated resources, and the
``_request_id`` every parsed result carries."""

from __future__ import annotations

import httpx
import openai_images as oi
import pytest
from clientutil import IMAGES_RESPONSE, SSE, STREAM, Sent, answers, async_client, client, ok
from pngs import png_bytes


def test_a_plain_call_result_carries_its_request_id() -> None:
    made, _ = client(answers(ok()))
    result = made.images.edit(image=png_bytes(), prompt="p")
    assert result._request_id == "req_ok"
    assert result.to_dict() == IMAGES_RESPONSE  # not a field: never written back


def test_with_raw_response_gives_status_headers_and_parse() -> None:
    sent = Sent()
    made, _ = client(answers(httpx.Response(500), ok(), sent=sent))
    response = made.images.with_raw_response.edit(image=png_bytes(), prompt="p")
    assert isinstance(response, oi.RawAPIResponse)
    assert (response.status_code, response.headers["x-request-id"]) == (200, "req_ok")
    assert response.request_id == "req_ok" and response.retries_taken == 1
    assert response.http_response.status_code == 200
    assert response.http_request.method == response.method == "POST"
    assert str(response.url) == "https://api.openai.com/v1/images/edits"
    assert response.json() == IMAGES_RESPONSE and response.content == response.http_response.content
    parsed = response.parse()
    assert isinstance(parsed, oi.ImagesResponse) and parsed._request_id == "req_ok"
    assert response.parse() is parsed  # parsed once
    assert response.is_closed


def test_with_raw_response_of_a_stream_parses_to_the_stream() -> None:
    made, _ = client(answers(httpx.Response(200, headers=SSE, content=STREAM)))
    response = made.images.with_raw_response.edit(image=png_bytes(), prompt="p", stream=True)  # type: ignore[arg-type]
    with response.parse() as stream:
        events = list(stream)
    assert [type(e) for e in events] == [oi.ImageEditPartialImageEvent, oi.ImageEditCompletedEvent]


def test_with_raw_response_still_raises_status_errors() -> None:
    made, _ = client(answers(httpx.Response(404, json={"error": {"message": "nope"}})))
    with pytest.raises(oi.NotFoundError, match="nope"):
        made.images.with_raw_response.edit(image=png_bytes(), prompt="p")


def test_with_streaming_response_reads_the_body_only_when_asked() -> None:
    body = httpx.Response(200, json=IMAGES_RESPONSE).content
    headers = {"content-type": "application/json"}
    made, _ = client(
        lambda request: httpx.Response(200, headers=headers, stream=httpx.ByteStream(body))
    )
    with made.images.with_streaming_response.edit(image=png_bytes(), prompt="p") as response:
        assert not response.is_closed
        body = b"".join(response.iter_bytes())
        assert body == httpx.Response(200, json=IMAGES_RESPONSE).content
    assert response.is_closed


def test_with_streaming_response_parse_reads_then_parses() -> None:
    made, _ = client(answers(ok()))
    with made.images.with_streaming_response.edit(image=png_bytes(), prompt="p") as response:
        parsed = response.parse()
    assert isinstance(parsed, oi.ImagesResponse) and parsed._request_id == "req_ok"


def test_with_streaming_response_of_an_event_stream_gives_the_raw_events() -> None:
    made, _ = client(answers(httpx.Response(200, headers=SSE, content=STREAM)))
    edit = made.images.with_streaming_response.edit
    with edit(image=png_bytes(), prompt="p", stream=True) as response:  # type: ignore[arg-type]
        lines = list(response.iter_lines())
    assert lines[0] == "event: image_edit.partial_image"


def test_the_json_variant_is_wrapped_too() -> None:
    made, _ = client(answers(ok()))
    response = made.images.with_raw_response.edit_json(
        images=[oi.ImageRefParam(file_id="file-1")], prompt="p"
    )
    assert response.parse().created == IMAGES_RESPONSE["created"]


def test_the_wrappers_are_cached_per_resource() -> None:
    made, _ = client(answers(ok()))
    assert made.images.with_raw_response is made.images.with_raw_response
    assert made.images.with_streaming_response is made.images.with_streaming_response


def test_a_stream_carries_the_request_id() -> None:
    answer = httpx.Response(200, headers={**SSE, "x-request-id": "req_s"}, content=STREAM)
    made, _ = client(answers(answer))
    with made.images.edit(image=png_bytes(), prompt="p", stream=True) as stream:
        assert stream._request_id == "req_s"


# -- async -------------------------------------------------------------------------------------


async def test_async_with_raw_response_parses_without_await() -> None:
    made, _ = async_client(answers(ok()))
    response = await made.images.with_raw_response.edit(image=png_bytes(), prompt="p")
    assert isinstance(response, oi.RawAPIResponse) and response.is_closed
    assert response.status_code == 200 and response.request_id == "req_ok"
    parsed = response.parse()
    assert isinstance(parsed, oi.ImagesResponse) and parsed._request_id == "req_ok"
    assert response.json() == IMAGES_RESPONSE


async def test_async_with_streaming_response() -> None:
    made, _ = async_client(answers(ok()))
    edit = made.images.with_streaming_response.edit
    async with edit(image=png_bytes(), prompt="p") as response:
        chunks = [chunk async for chunk in response.iter_bytes()]
        assert b"".join(chunks) == httpx.Response(200, json=IMAGES_RESPONSE).content
    assert response.is_closed


async def test_async_with_streaming_response_parse() -> None:
    made, _ = async_client(answers(ok()))
    async with made.images.with_streaming_response.edit(image=png_bytes(), prompt="p") as response:
        parsed = await response.parse()
    assert parsed.data is not None


async def test_async_with_raw_response_of_a_stream() -> None:
    made, _ = async_client(answers(httpx.Response(200, headers=SSE, content=STREAM)))
    edit = made.images.with_raw_response.edit
    response = await edit(image=png_bytes(), prompt="p", stream=True)  # type: ignore[arg-type]
    stream = response.parse()
    assert len([event async for event in stream]) == 2
