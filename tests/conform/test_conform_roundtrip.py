"""Replay every recording in ``tests/recordings/`` through the generated client.

The client talks to an ``httpx.MockTransport`` that answers with the recorded response.
The call is made with the arguments the recorded request carried; the request the client
sends must carry the same fields, and every model it returns must serialise back to the
recorded JSON (the JSON answer, and each event of a stream); an error answer must raise
the ``APIStatusError`` subclass of its status, with the server's message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conform_support import RECORDINGS

from generator.runtime import _sse
from generator.runtime._multipart import header_param, parse_multipart
from generator.runtime._protocol import media_type
from generator.tools.conform.exchanges import Exchange, RecordedRequest
from generator.tools.conform.recordings import read_recording

oi = pytest.importorskip("openai_images")

INTEGER_FIELDS = {"n", "partial_images", "output_compression"}
NOT_REPLAYED = {"content-encoding", "content-length", "transfer-encoding"}


def exchanges() -> Iterator[Any]:
    for path in sorted(RECORDINGS.iterdir()):
        if path.suffix in (".json", ".har"):
            for exchange in read_recording(path):
                yield pytest.param(exchange, id=f"{path.name}#{exchange.index}")


def fields_of(request: RecordedRequest) -> list[tuple[str, bytes]]:
    """The (name, bytes) fields of a request body, in a comparable order."""
    content_type = request.header("content-type")
    if media_type(content_type) == "multipart/form-data":
        parts = parse_multipart(request.body, header_param(content_type, "boundary") or "")
        return sorted((part.name or "", part.data) for part in parts)
    data = json.loads(request.body)
    return sorted((key, json.dumps(value, sort_keys=True).encode()) for key, value in data.items())


def arguments(request: RecordedRequest) -> tuple[str, dict[str, Any]]:
    """Which client method, with which arguments, sends this recorded request."""
    content_type = request.header("content-type")
    if media_type(content_type) == "multipart/form-data":
        kwargs: dict[str, Any] = {}
        images: list[bytes] = []
        for name, data in fields_of(request):
            if name in ("image", "image[]"):
                images.append(data)
            elif name == "mask":
                kwargs["mask"] = data
            elif name in INTEGER_FIELDS:
                kwargs[name] = int(data)
            elif name == "stream":
                kwargs[name] = data == b"true"
            else:
                kwargs[name] = data.decode()
        recorded_names = {name for name, _ in fields_of(request)}
        kwargs["image"] = images if "image[]" in recorded_names else images[0]
        return "edit", kwargs
    body = json.loads(request.body)
    body["images"] = [oi.ImageRefParam.from_dict(item) for item in body["images"]]
    if "mask" in body:
        body["mask"] = oi.ImageRefParam.from_dict(body["mask"])
    return "edit_json", body


def replaying_client(exchange: Exchange, sent: list[RecordedRequest]) -> Any:
    recorded = exchange.response
    assert recorded is not None and recorded.body is not None

    def handler(request: httpx.Request) -> httpx.Response:
        # A streamed multipart request keeps an empty ``content``: read the stream itself.
        body = request.content or b"".join(request.stream)  # type: ignore[arg-type]
        sent.append(
            RecordedRequest(request.method, str(request.url), tuple(request.headers.items()), body)
        )
        headers = [(k, v) for k, v in recorded.headers if k.lower() not in NOT_REPLAYED]
        return httpx.Response(recorded.status, headers=headers, content=recorded.body)

    http_client = httpx.Client(transport=httpx.MockTransport(handler))
    return oi.Client(api_key="sk-replay-test", http_client=http_client)


def recorded_events(body: bytes) -> list[Any]:
    reader = _sse.SSEReader()
    events = reader.feed(body)
    assert not reader.finish()
    return [json.loads(event.data) for event in events]


@pytest.mark.parametrize("exchange", list(exchanges()))
def test_replayed_answer_round_trips_through_the_generated_client(exchange: Exchange) -> None:
    sent: list[RecordedRequest] = []
    client = replaying_client(exchange, sent)
    method, kwargs = arguments(exchange.request)
    response = exchange.response
    assert response is not None and response.body is not None
    call = getattr(client.images, method)

    if response.status >= 400:
        error_class = oi.APIStatusError
        with pytest.raises(error_class) as caught:
            call(**kwargs)
        error = json.loads(response.body)["error"]
        assert type(caught.value) is oi.BadRequestError
        assert caught.value.status_code == response.status == 400
        assert caught.value.message == error["message"]
        assert caught.value.request_id == response.header("x-request-id")
    elif media_type(response.header("content-type")) == "text/event-stream":
        events = list(call(**kwargs))
        assert [event.to_dict() for event in events] == recorded_events(response.body)
        assert not any(isinstance(event, oi.UnknownEvent) for event in events)
    else:
        result = call(**kwargs)
        assert isinstance(result, oi.ImagesResponse)
        assert result.to_dict() == json.loads(response.body)

    (request,) = sent
    assert request.path == "/v1/images/edits"
    assert fields_of(request) == fields_of(exchange.request)


def test_every_recording_is_replayed() -> None:
    names = {Path(p.id.split("#")[0]).name for p in exchanges()}
    assert names == {p.name for p in RECORDINGS.iterdir() if p.suffix in (".json", ".har")}
