"""A 2xx answer the spec declares without content (``Endpoint.no_content``) is None, beside
the operation's JSON answers; the status decides, not the content type."""

from __future__ import annotations

from typing import Never

import httpx
import pytest
from runtime_clients import AsyncOpenClient as AsyncClient
from runtime_clients import OpenClient as Client

from generator.runtime._build import Endpoint
from generator.runtime._errors import APIResponseValidationError

UPSERT: Endpoint[dict[str, int] | None, Never] = Endpoint(
    "PUT", "/things/1", returns=dict[str, int] | None, no_content=("204",)
)
ACCEPT: Endpoint[dict[str, int] | None, Never] = Endpoint(
    "POST", "/jobs", returns=dict[str, int] | None, no_content=("2XX",)
)
TOUCH: Endpoint[dict[str, int] | None, Never] = Endpoint(
    "POST", "/touch", returns=dict[str, int] | None, no_content=("200",)
)
STRICT: Endpoint[dict[str, int], Never] = Endpoint("GET", "/things/1", returns=dict[str, int])


def answering(response: httpx.Response) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: response)


def sync_client(response: httpx.Response) -> Client:
    return Client(http_client=httpx.Client(transport=answering(response)), max_retries=0)


def test_a_declared_204_is_none_and_a_json_200_is_decoded() -> None:
    assert sync_client(httpx.Response(204)).request(UPSERT) is None
    assert sync_client(httpx.Response(200, json={"n": 1})).request(UPSERT) == {"n": 1}


def test_a_status_in_a_declared_range_is_none() -> None:
    assert sync_client(httpx.Response(202)).request(ACCEPT) is None


def test_a_status_declared_empty_is_none_whatever_the_body() -> None:
    # A 200 the spec declares without content: an empty body without a content type.
    assert sync_client(httpx.Response(200, content=b"")).request(TOUCH) is None
    assert sync_client(httpx.Response(200, text="ok")).request(TOUCH) is None
    assert sync_client(httpx.Response(201, json={"n": 2})).request(TOUCH) == {"n": 2}


def test_an_undeclared_empty_answer_still_raises() -> None:
    with pytest.raises(APIResponseValidationError, match="no content type"):
        sync_client(httpx.Response(204)).request(STRICT)
    with pytest.raises(APIResponseValidationError, match="no content type"):
        sync_client(httpx.Response(200)).request(UPSERT)  # 200 is the JSON answer


async def test_async_a_declared_204_is_none() -> None:
    http = httpx.AsyncClient(transport=answering(httpx.Response(204)))
    assert await AsyncClient(http_client=http).request(UPSERT) is None
    http = httpx.AsyncClient(transport=answering(httpx.Response(200, json={"n": 3})))
    assert await AsyncClient(http_client=http).request(UPSERT) == {"n": 3}
