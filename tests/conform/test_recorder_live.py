"""The recorder against a real HTTP server on 127.0.0.1: what it writes replays byte for
byte, the recorded request is what the server received, and no secret reaches the file."""

from __future__ import annotations

import gzip
import json
import secrets
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from conform_support import LocalServer
from make_png import png
from make_recordings import BOUNDARY, multipart
from replay import ReplayTransport

from generator.tools.conform.checker import Checker
from generator.tools.conform.recordings import read_recording

API_KEY = "sk-proj-" + secrets.token_hex(24)
UPLOAD = multipart(
    [("prompt", "Add snow"), ("model", "gpt-image-1.5")], [("image", "a.png", png(16, 16))]
)
UPLOAD_HEADERS = {
    "Authorization": f"Bearer {API_KEY}",
    "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
}
JSON_ANSWER = b'{"created": 1713833628,\n "data": [{"b64_json": "aGk="}], "quality": "high"}'
EVENTS = [
    b'event: image_edit.partial_image\ndata: {"type":"image_edit.partial_image",',
    b'"b64_json":"aGk=","created_at":1,"size":"1024x1024","quality":"high",'
    b'"background":"opaque","output_format":"png","partial_image_index":0}\n\n',
    b'event: image_edit.completed\ndata: {"type":"image_edit.completed","b64_json":"aGk=",'
    b'"created_at":2,"size":"1024x1024","quality":"high","background":"opaque",'
    b'"output_format":"png","usage":{"total_tokens":3,"input_tokens":1,"output_tokens":2,'
    b'"input_tokens_details":{"text_tokens":1,"image_tokens":0}}}\n\n',
]


def replay(recorder: ModuleType, path: Path, url: str) -> httpx.Response:
    with httpx.Client(transport=ReplayTransport(path)) as client:
        return client.post(url, content=UPLOAD, headers=UPLOAD_HEADERS)


def assert_secret_free(path: Path) -> None:
    data = path.read_bytes()
    assert API_KEY.encode() not in data
    assert API_KEY[8:].encode() not in data  # not even the random part
    assert b"[REDACTED]" in data


# -- sync ---------------------------------------------------------------------------------


def test_json_exchange_replays_byte_identically(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(JSON_ANSWER, headers=[("x-request-id", "req_1")])
    path = tmp_path / "rec.json"
    transport = recorder.RecordingTransport(httpx.HTTPTransport(), path)
    url = http_server.url + "/v1/images/edits"
    with httpx.Client(transport=transport) as client:
        live = client.post(url, content=UPLOAD, headers=UPLOAD_HEADERS)
    assert live.content == JSON_ANSWER

    replayed = replay(recorder, path, url)
    assert replayed.content == JSON_ANSWER
    assert replayed.status_code == 200
    assert replayed.headers["x-request-id"] == "req_1"
    (exchange,) = read_recording(path)
    assert exchange.request.body == http_server.received[0].body == UPLOAD
    assert_secret_free(path)


def test_streamed_answer_replays_byte_identically_and_streams_through(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(EVENTS, content_type="text/event-stream", chunked=True)
    path = tmp_path / "rec.json"
    transport = recorder.RecordingTransport(httpx.HTTPTransport(), path)
    url = http_server.url + "/v1/images/edits"
    with (
        httpx.Client(transport=transport) as client,
        client.stream("POST", url, content=UPLOAD, headers=UPLOAD_HEADERS) as response,
    ):
        raw = response.iter_raw()
        chunks = [next(raw)]
        assert json.loads(path.read_text())["exchanges"] == []  # not before the end
        chunks.extend(raw)
    assert b"".join(chunks) == b"".join(EVENTS)

    assert replay(recorder, path, url).content == b"".join(EVENTS)
    (exchange,) = read_recording(path)
    assert exchange.request.body == http_server.received[0].body
    assert_secret_free(path)


def test_streamed_upload_is_recorded_as_it_is_sent(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(JSON_ANSWER)
    path = tmp_path / "rec.json"
    pieces = [UPLOAD[:100], UPLOAD[100:400], UPLOAD[400:]]

    def upload() -> Iterator[bytes]:
        yield from pieces  # no length: sent chunked, read once

    transport = recorder.RecordingTransport(httpx.HTTPTransport(), path)
    with httpx.Client(transport=transport) as client:
        client.post(http_server.url + "/v1/images/edits", content=upload(), headers=UPLOAD_HEADERS)
    assert http_server.received[0].headers.get("transfer-encoding") == "chunked"
    (exchange,) = read_recording(path)
    assert exchange.request.body == http_server.received[0].body == UPLOAD
    assert not exchange.request.body_incomplete


def test_no_secret_is_written(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    other_key = secrets.token_urlsafe(24)
    cookie = secrets.token_hex(16)
    # The server echoes the key back, as an "incorrect API key" error would.
    echo = json.dumps({"error": {"message": f"Incorrect API key provided: {API_KEY}"}}).encode()
    http_server.answer(echo, status=401, headers=[("Set-Cookie", f"session={cookie}; Path=/")])
    path = tmp_path / "rec.json"
    transport = recorder.RecordingTransport(httpx.HTTPTransport(), path)
    headers = {
        **UPLOAD_HEADERS,
        "api-key": other_key,
        "x-api-key": other_key,
        "OpenAI-Api-Key": other_key,
        "Cookie": f"session={cookie}",
        "X-Debug": f"key={API_KEY}",
    }
    with httpx.Client(transport=transport) as client:
        client.post(
            http_server.url + f"/v1/images/edits?api_key={other_key}&user=bob",
            content=UPLOAD,
            headers=headers,
        )
    data = path.read_bytes()
    for secret in (API_KEY, other_key, cookie, f"Bearer {API_KEY}"):
        assert secret.encode() not in data, secret
    (exchange,) = read_recording(path)
    assert exchange.request.header("authorization") == "Bearer [REDACTED]"
    assert exchange.request.header("x-api-key") == "[REDACTED]"
    assert exchange.request.url.endswith("?api_key=REDACTED&user=bob")
    assert exchange.response is not None
    assert b"Incorrect API key provided: [REDACTED]" in (exchange.response.body or b"")


def test_stream_closed_early_is_recorded_as_incomplete(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(EVENTS, content_type="text/event-stream", chunked=True)
    path = tmp_path / "rec.json"
    transport = recorder.RecordingTransport(httpx.HTTPTransport(), path)
    with (
        httpx.Client(transport=transport) as client,
        client.stream("POST", http_server.url + "/v1/images/edits", content=b"{}") as response,
    ):
        next(response.iter_raw())
    (exchange,) = read_recording(path)
    assert exchange.response is not None
    assert exchange.response.body_incomplete
    assert b"".join(EVENTS).startswith(exchange.response.body or b"-")


def test_compressed_answer_is_recorded_decoded(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(gzip.compress(JSON_ANSWER), headers=[("Content-Encoding", "gzip")])
    path = tmp_path / "rec.json"
    transport = recorder.RecordingTransport(httpx.HTTPTransport(), path)
    url = http_server.url + "/v1/images/edits"
    with httpx.Client(transport=transport) as client:
        assert client.post(url, content=b"{}").content == JSON_ANSWER
    stored = json.loads(path.read_text())["exchanges"][0]["response"]
    assert stored["body"] == {"lines": JSON_ANSWER.decode().split("\n")}
    assert ["Content-Encoding", "gzip"] in stored["headers"]
    assert replay(recorder, path, url).content == JSON_ANSWER


def test_transport_failure_is_recorded_without_a_response(
    recorder: ModuleType, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = tmp_path / "rec.json"
    transport = recorder.RecordingTransport(httpx.HTTPTransport(), path)
    with httpx.Client(transport=transport) as client, pytest.raises(httpx.ConnectError):
        client.post(f"http://127.0.0.1:{port}/v1/images/edits", content=b"{}")
    (exchange,) = read_recording(path)
    assert exchange.response is None
    assert exchange.error is not None and exchange.error.startswith("ConnectError")


def test_exchanges_are_appended_to_one_valid_document(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(JSON_ANSWER)
    path = tmp_path / "rec.json"
    url = http_server.url + "/v1/images/edits"
    transport = recorder.RecordingTransport(httpx.HTTPTransport(), path, source="test")
    with httpx.Client(transport=transport) as client:
        for count in (1, 2):
            client.post(url, content=b"{}")
            assert len(json.loads(path.read_text())["exchanges"]) == count
    again = recorder.RecordingTransport(httpx.HTTPTransport(), path, append=True)
    with httpx.Client(transport=again) as client:
        client.post(url, content=b"{}")
    document = json.loads(path.read_text())
    assert (document["source"], len(document["exchanges"])) == ("test", 3)


# -- async --------------------------------------------------------------------------------


async def test_async_json_exchange_replays_byte_identically(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(JSON_ANSWER)
    path = tmp_path / "rec.json"
    transport = recorder.AsyncRecordingTransport(httpx.AsyncHTTPTransport(), path)
    url = http_server.url + "/v1/images/edits"
    async with httpx.AsyncClient(transport=transport) as client:
        live = await client.post(url, content=UPLOAD, headers=UPLOAD_HEADERS)
    assert live.content == JSON_ANSWER
    async with httpx.AsyncClient(transport=ReplayTransport(path)) as client:
        replayed = await client.post(url, content=UPLOAD)
    assert replayed.content == JSON_ANSWER
    (exchange,) = read_recording(path)
    assert exchange.request.body == http_server.received[0].body
    assert_secret_free(path)


async def test_async_stream_and_streamed_upload_replay_byte_identically(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(EVENTS, content_type="text/event-stream", chunked=True)
    path = tmp_path / "rec.json"
    transport = recorder.AsyncRecordingTransport(httpx.AsyncHTTPTransport(), path)
    url = http_server.url + "/v1/images/edits"

    async def upload() -> AsyncIterator[bytes]:
        yield UPLOAD[:200]
        yield UPLOAD[200:]

    async with (
        httpx.AsyncClient(transport=transport) as client,
        client.stream("POST", url, content=upload(), headers=UPLOAD_HEADERS) as response,
    ):
        received = b"".join([chunk async for chunk in response.aiter_raw()])
    assert received == b"".join(EVENTS)
    async with httpx.AsyncClient(transport=ReplayTransport(path)) as client:
        replayed = await client.post(url, content=UPLOAD)
    assert replayed.content == received
    (exchange,) = read_recording(path)
    assert exchange.request.body == http_server.received[0].body == UPLOAD
    assert_secret_free(path)


# -- with the generated client --------------------------------------------------------------


def test_generated_client_stream_recording_conforms(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path, checker: Checker
) -> None:
    oi = pytest.importorskip("openai_images")
    http_server.answer(EVENTS, content_type="text/event-stream", chunked=True)
    path = tmp_path / "rec.json"
    http_client = httpx.Client(transport=recorder.RecordingTransport(httpx.HTTPTransport(), path))
    client = oi.Client(api_key=API_KEY, base_url=http_server.url + "/v1", http_client=http_client)
    with http_client:
        events = list(client.images.edit(image=png(8, 8), prompt="Add snow", stream=True))
    assert [type(e).__name__ for e in events] == [
        "ImageEditPartialImageEvent",
        "ImageEditCompletedEvent",
    ]
    (exchange,) = read_recording(path)
    report = checker.check(exchange)
    assert report.ok and report.events == 2, report.findings
    assert_secret_free(path)


async def test_generated_async_client_upload_recording_conforms(
    recorder: ModuleType, http_server: LocalServer, tmp_path: Path, checker: Checker
) -> None:
    oi = pytest.importorskip("openai_images")
    http_server.answer(JSON_ANSWER)
    path = tmp_path / "rec.json"
    transport = recorder.AsyncRecordingTransport(httpx.AsyncHTTPTransport(), path)
    async with httpx.AsyncClient(transport=transport) as http_client:
        client = oi.AsyncClient(
            api_key=API_KEY, base_url=http_server.url + "/v1", http_client=http_client
        )
        result = await client.images.edit(image=[png(8, 8), png(4, 4)], prompt="Add snow", n=2)
    assert result.created == 1713833628
    (exchange,) = read_recording(path)
    assert exchange.request.body == http_server.received[0].body
    assert b'name="n"\r\n\r\n2\r\n' in exchange.request.body
    report = checker.check(exchange)
    assert report.ok and report.findings == (), report.findings
    assert_secret_free(path)
