"""The generated Client/AsyncClient: configuration, authentication, answers and typed errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import clientutil
import httpx
import openai_images as oi
import pytest
from clientutil import IMAGES_RESPONSE, KEY, STREAM
from pngs import png_bytes

Handler = Callable[[httpx.Request], httpx.Response]


def client_with(handler: Handler, **options: Any) -> oi.Client:
    return clientutil.client(handler, **options)[0]


def async_client_with(handler: Handler, **options: Any) -> oi.AsyncClient:
    return clientutil.async_client(handler, **options)[0]


def json_answer(request: httpx.Request) -> httpx.Response:
    request.read()
    return httpx.Response(200, json=IMAGES_RESPONSE)


def test_edit_returns_a_typed_images_response() -> None:
    result = client_with(json_answer).images.edit(image=png_bytes(), prompt="p")
    assert isinstance(result, oi.ImagesResponse)
    assert result.data[0].b64_json == "AAAA"  # type: ignore[index]
    assert result.to_dict() == IMAGES_RESPONSE


def test_requests_carry_the_bearer_key_and_a_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_answer(request)

    client_with(handler).images.edit(image=png_bytes(), prompt="p")
    assert seen[0].headers["authorization"] == f"Bearer {KEY}"
    assert seen[0].headers["user-agent"].startswith("openai_images/")
    assert str(seen[0].url) == "https://api.openai.com/v1/images/edits"


def test_api_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v2/")
    client = oi.Client()
    assert client.base_url == "http://127.0.0.1:9/v2/"
    assert client._api_key == "sk-from-env"


def test_explicit_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.invalid")
    client = oi.Client(api_key=KEY, base_url="http://arg.invalid/v1")
    assert client.base_url == "http://arg.invalid/v1/"


def test_a_missing_api_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(oi.ClientError, match="OPENAI_API_KEY"):
        oi.Client()


def test_the_api_key_never_shows_in_repr() -> None:
    assert KEY not in repr(oi.Client(api_key=KEY))


def test_a_per_call_timeout_reaches_the_transport() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_answer(request)

    client_with(handler).images.edit(image=png_bytes(), prompt="p", timeout=3.5)
    assert seen[0].extensions["timeout"] == {"connect": 3.5, "read": 3.5, "write": 3.5, "pool": 3.5}


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, oi.BadRequestError),
        (401, oi.AuthenticationError),
        (403, oi.PermissionDeniedError),
        (404, oi.NotFoundError),
        (409, oi.ConflictError),
        (422, oi.UnprocessableEntityError),
        (429, oi.RateLimitError),
        (500, oi.InternalServerError),
        (503, oi.InternalServerError),
        (418, oi.APIStatusError),
    ],
)
def test_non_2xx_answers_raise_typed_errors_with_the_server_message(
    status: int, error_class: type[oi.APIStatusError]
) -> None:
    body = {"error": {"message": "Invalid size.", "type": "invalid_request_error",
                      "param": "size", "code": "invalid_value"}}  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body, headers={"x-request-id": "req_123"})

    with pytest.raises(error_class) as caught:
        client_with(handler).images.edit(image=png_bytes(), prompt="p")
    error = caught.value
    assert type(error) is error_class
    assert (error.status_code, error.message, error.request_id) == (
        status,
        "Invalid size.",
        "req_123",
    )
    assert (error.code, error.param) == ("invalid_value", "size")


def test_a_non_json_error_body_still_gives_a_status_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>bad gateway</html>")

    with pytest.raises(oi.InternalServerError) as caught:
        client_with(handler).images.edit(image=png_bytes(), prompt="p")
    assert caught.value.status_code == 502


def test_connection_failures_raise_api_connection_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(oi.APIConnectionError):
        client_with(handler).images.edit(image=png_bytes(), prompt="p")


def test_timeouts_raise_api_timeout_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(oi.APITimeoutError):
        client_with(handler).images.edit(image=png_bytes(), prompt="p")


def test_invalid_json_in_a_2xx_answer_is_a_validation_error_not_a_json_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=b"{not json", headers={"content-type": "application/json"}
        )

    with pytest.raises(oi.APIResponseValidationError):
        client_with(handler).images.edit(image=png_bytes(), prompt="p")


def test_an_event_stream_where_json_was_expected_is_a_validation_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=STREAM, headers={"content-type": "text/event-stream"})

    with pytest.raises(oi.APIResponseValidationError, match="expected a JSON answer"):
        client_with(handler).images.edit(image=png_bytes(), prompt="p")


def test_strict_client_rejects_an_answer_missing_a_required_property() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": []})

    assert isinstance(
        client_with(handler).images.edit(image=png_bytes(), prompt="p"), oi.ImagesResponse
    )
    with pytest.raises(oi.APIResponseValidationError, match="created"):
        client_with(handler, strict=True).images.edit(image=png_bytes(), prompt="p")


def stream_answer(request: httpx.Request) -> httpx.Response:
    assert request.headers["accept"].startswith("application/json")
    return httpx.Response(200, content=STREAM, headers={"content-type": "text/event-stream"})


def test_stream_true_yields_typed_events() -> None:
    with client_with(stream_answer).images.edit(
        image=png_bytes(), prompt="p", stream=True
    ) as stream:
        events = list(stream)
    assert [type(e) for e in events] == [oi.ImageEditPartialImageEvent, oi.ImageEditCompletedEvent]
    assert events[1].usage.total_tokens == 100  # type: ignore[union-attr]


def test_stream_until_done_returns_the_completed_event() -> None:
    stream = client_with(stream_answer).images.edit(image=png_bytes(), prompt="p", stream=True)
    assert isinstance(stream.until_done(), oi.ImageEditCompletedEvent)


def test_json_variant_is_reachable_from_the_client() -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.read())
        return httpx.Response(200, json=IMAGES_RESPONSE)

    result = client_with(handler).images.edit_json(
        images=[oi.ImageRefParam(file_id="file-1")], prompt="p"
    )
    assert result.created == IMAGES_RESPONSE["created"]
    assert seen == [b'{"images":[{"file_id":"file-1"}],"prompt":"p"}']


async def test_async_client_returns_a_typed_response() -> None:
    async with async_client_with(json_answer) as client:
        result = await client.images.edit(image=png_bytes(), prompt="p")
    assert result.to_dict() == IMAGES_RESPONSE


async def test_async_stream_yields_typed_events() -> None:
    async with async_client_with(stream_answer) as client:
        stream = await client.images.edit(image=png_bytes(), prompt="p", stream=True)
        events = [event async for event in stream]
    assert [type(e) for e in events] == [oi.ImageEditPartialImageEvent, oi.ImageEditCompletedEvent]


async def test_async_errors_are_typed_too() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"error": {"message": "Slow down."}})

    async with async_client_with(handler) as client:
        with pytest.raises(oi.RateLimitError, match="Slow down"):
            await client.images.edit(image=png_bytes(), prompt="p")


def test_save_images_writes_the_streamed_images(tmp_path: Any) -> None:
    with client_with(stream_answer).images.edit(image=png_bytes(), prompt="p", stream=True) as s:
        paths = oi.save_images(s, tmp_path / "out", prefix="gift")
    assert [p.name for p in paths] == ["gift-0.bin", "gift-1.bin"]
    assert paths[1].read_bytes() == b"\x00\x00\x00"


async def test_asave_images_writes_the_streamed_images(tmp_path: Any) -> None:
    async with async_client_with(stream_answer) as client:
        stream = await client.images.edit(image=png_bytes(), prompt="p", stream=True)
        paths = await oi.asave_images(stream, tmp_path)
    assert [p.name for p in paths] == ["image-0.bin", "image-1.bin"]


def test_streams_no_longer_carry_save_images() -> None:
    assert not hasattr(oi.Stream, "save_images") and not hasattr(oi.AsyncStream, "save_images")
