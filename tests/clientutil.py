"""Test helpers: the generated clients over ``httpx.MockTransport``, with waits recorded.

Retries wait through the client's ``_sleep``: these helpers replace it, so a test runs
instantly and can assert the waits the client would have taken.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import openai_images as oi

KEY = "sk-test-secret-value"
IMAGES_RESPONSE = {"created": 1713833628, "data": [{"b64_json": "AAAA"}], "size": "1024x1024"}
STREAM = (
    b'event: image_edit.partial_image\ndata: {"type":"image_edit.partial_image","b64_json":"AA==",'
    b'"partial_image_index":0}\n\n'
    b'event: image_edit.completed\ndata: {"type":"image_edit.completed","b64_json":"AAAA",'
    b'"usage":{"total_tokens":100,"input_tokens":50,"output_tokens":50,'
    b'"input_tokens_details":{"text_tokens":10,"image_tokens":40}}}\n\n'
)
SSE = {"content-type": "text/event-stream"}

Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]


class Sent:
    """The requests a handler received, with their bodies read."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __len__(self) -> int:
        return len(self.requests)

    def header(self, name: str) -> list[str | None]:
        return [request.headers.get(name) for request in self.requests]


def client(handler: Handler, **options: Any) -> tuple[oi.Client, list[float]]:
    """A ``Client`` answering through ``handler``, and the list its waits go to."""
    waits: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    made = oi.Client(**{"api_key": KEY, "http_client": http, **options})
    made._sleep = waits.append
    return made, waits


def async_client(handler: Handler, **options: Any) -> tuple[oi.AsyncClient, list[float]]:
    """An ``AsyncClient`` answering through ``handler``, and the list its waits go to."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    made = oi.AsyncClient(**{"api_key": KEY, "http_client": http, **options})
    made._sleep = sleep
    return made, waits


def answers(*responses: httpx.Response | Exception, sent: Sent | None = None) -> Handler:
    """A handler giving these answers in turn (an exception is raised with the request);
    the last one repeats."""
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        body = request.read()
        if sent is not None:
            sent.requests.append(request)
            sent.bodies.append(body)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, httpx.RequestError):
            answer.request = request
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(
            answer.status_code,
            headers=answer.headers,
            content=answer.content,
            extensions=answer.extensions,
        )

    return handler


def ok() -> httpx.Response:
    return httpx.Response(200, json=IMAGES_RESPONSE, headers={"x-request-id": "req_ok"})


def status(code: int, **headers: str) -> httpx.Response:
    body = {"error": {"message": f"status {code}", "type": "server_error", "code": None}}
    return httpx.Response(
        code, json=body, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )


def stream_ok() -> httpx.Response:
    return httpx.Response(200, content=STREAM, headers=SSE)
