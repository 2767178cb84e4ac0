"""``str(error)`` stays short whatever the server sends; the whole body stays on the error."""

from __future__ import annotations

import json

import httpx
import pytest
from runtime_clients import Client

from generator.runtime._build import Endpoint
from generator.runtime._errors import MAX_MESSAGE, APIStatusError, APIStreamError

HUGE = "m" * 10_000_000


def failing(body: bytes, content_type: str) -> Client:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=body, headers={"content-type": content_type})

    return Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_a_ten_megabyte_error_message_is_cut_in_str_and_kept_in_the_body() -> None:
    body = json.dumps({"error": {"message": HUGE, "code": "big"}}).encode()
    with pytest.raises(APIStatusError) as caught:
        failing(body, "application/json").request(Endpoint("GET", "/x"))
    error = caught.value
    assert len(str(error)) <= MAX_MESSAGE + 100
    assert len(error.message) <= MAX_MESSAGE
    assert "more characters; see .body" in error.message
    assert isinstance(error.body, dict) and error.body["message"] == HUGE
    assert error.code == "big"


def test_a_ten_megabyte_text_error_body_is_kept_whole() -> None:
    with pytest.raises(APIStatusError) as caught:
        failing(HUGE.encode(), "text/plain").request(Endpoint("GET", "/x"))
    assert len(str(caught.value)) <= MAX_MESSAGE + 100
    assert caught.value.body == HUGE


def test_an_error_event_with_a_huge_message_is_cut_too() -> None:
    error = APIStreamError(HUGE, body={"error": {"message": HUGE}})
    assert len(str(error)) <= MAX_MESSAGE
    assert isinstance(error.body, dict) and error.body["message"] == HUGE


def test_a_short_message_is_unchanged() -> None:
    assert str(APIStreamError("quota exceeded", body=None)) == "quota exceeded"
