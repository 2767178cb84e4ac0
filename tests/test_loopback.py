"""The generated client against a real HTTP server on 127.0.0.1: upload in, event stream out."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import openai_images as oi
import pytest
from pngs import png_bytes

STREAM = (
    b'event: image_edit.partial_image\ndata: {"type":"image_edit.partial_image","b64_json":"...",'
    b'"partial_image_index":0}\n\n'
    b'event: image_edit.completed\ndata: {"type":"image_edit.completed","b64_json":"...","usage":'
    b'{"total_tokens":100,"input_tokens":50,"output_tokens":50,"input_tokens_details":'
    b'{"text_tokens":10,"image_tokens":40}}}\n\n'
)
SIZES = [1, 7, 3, 29, 2, 64, 5, 13]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received: ClassVar[list[tuple[str, bytes]]] = []
    attempts: ClassVar[list[tuple[str, dict[str, str], bytes]]] = []
    seen_keys: ClassVar[set[str]] = set()
    release = threading.Event()

    def _answer(self, code: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(code)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client went away (the timeout test)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Handler.received.append((self.headers["Authorization"], body))
        Handler.attempts.append((self.path, dict(self.headers.items()), body))
        key = self.headers.get("Idempotency-Key", "")
        if self.path.endswith("/flaky/images/edits") and key not in Handler.seen_keys:
            Handler.seen_keys.add(key)  # the first attempt of each call fails
            self._answer(503, b'{"error":{"message":"overloaded"}}', {"retry-after-ms": "20"})
            return
        if self.path.endswith("/moved/images/edits"):
            self._answer(307, b"", {"Location": "/v1/images/edits"})
            return
        if self.path.endswith("/slow/images/edits"):
            Handler.release.wait(timeout=5)  # answer only after the client gave up
            self._answer(200, b"{}", {})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        cut = self.path.endswith("/cut/images/edits")
        payload = STREAM[:-40] if cut else STREAM
        position = 0
        for turn in range(len(payload)):
            if position >= len(payload):
                break
            chunk = payload[position : position + SIZES[turn % len(SIZES)]]
            position += len(chunk)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        if cut:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(b"0\r\n\r\n")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        Handler.release.set()
        thread.join(timeout=5)


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "soap.png"
    path.write_bytes(png_bytes(8, 8))
    return path


def test_sync_client_uploads_and_reads_the_chunked_stream(server: str, image: Path) -> None:
    with (
        oi.Client(api_key="sk-loop", base_url=f"{server}/v1") as client,
        client.images.edit(image=[image], prompt="p", stream=True) as stream,
    ):
        events = list(stream)
    assert [type(e) for e in events] == [oi.ImageEditPartialImageEvent, oi.ImageEditCompletedEvent]
    authorization, body = Handler.received[-1]
    assert authorization == "Bearer sk-loop"
    assert image.read_bytes() in body and b'name="stream"\r\n\r\ntrue' in body


async def test_async_client_uploads_and_reads_the_chunked_stream(server: str, image: Path) -> None:
    async with oi.AsyncClient(api_key="sk-loop", base_url=f"{server}/v1") as client:
        stream = await client.images.edit(image=image, prompt="p", stream=True)
        final = await stream.until_done()
    assert isinstance(final, oi.ImageEditCompletedEvent)
    assert image.read_bytes() in Handler.received[-1][1]


def test_a_connection_cut_mid_event_raises_stream_incomplete(server: str, image: Path) -> None:
    with oi.Client(api_key="sk-loop", base_url=f"{server}/cut") as client:
        stream = client.images.edit(image=image, prompt="p", stream=True)
        with pytest.raises(oi.StreamIncompleteError) as caught:
            list(stream)
    assert caught.value.events_received == 1
    assert isinstance(caught.value.__cause__, httpx.TransportError)


async def test_async_connection_cut_mid_event_raises_stream_incomplete(
    server: str, image: Path
) -> None:
    async with oi.AsyncClient(api_key="sk-loop", base_url=f"{server}/cut") as client:
        stream = await client.images.edit(image=image, prompt="p", stream=True)
        with pytest.raises(oi.StreamIncompleteError):
            await stream.until_done()


def test_a_connection_cut_mid_stream_is_a_connection_error(server: str, image: Path) -> None:
    with oi.Client(api_key="sk-loop", base_url=f"{server}/cut") as client:
        stream = client.images.edit(image=image, prompt="p", stream=True)
        with pytest.raises(oi.APIConnectionError) as caught:
            list(stream)
    assert isinstance(caught.value, oi.StreamConnectionError)


def test_a_503_is_retried_over_a_real_socket_with_the_same_body(server: str, image: Path) -> None:
    waits: list[float] = []
    with oi.Client(api_key="sk-loop", base_url=f"{server}/flaky") as client:
        client._sleep = waits.append
        start = len(Handler.attempts)
        with client.images.edit(image=[image, image], prompt="p", stream=True) as stream:
            events = list(stream)
    assert len(events) == 2 and waits == [0.02]
    (_, first, body_one), (_, second, body_two) = Handler.attempts[start:]
    assert body_one == body_two and image.read_bytes() in body_one
    assert (first["x-stainless-retry-count"], second["x-stainless-retry-count"]) == ("0", "1")
    assert first["Idempotency-Key"] == second["Idempotency-Key"]


async def test_async_retry_over_a_real_socket(server: str, image: Path) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async with oi.AsyncClient(api_key="sk-loop", base_url=f"{server}/flaky") as client:
        client._sleep = sleep
        stream = await client.images.edit(image=image, prompt="p", stream=True)
        assert isinstance(await stream.until_done(), oi.ImageEditCompletedEvent)
    assert waits == [0.02]


def test_a_read_timeout_is_retried_then_an_api_timeout_error(server: str, image: Path) -> None:
    waits: list[float] = []
    with oi.Client(api_key="sk-loop", base_url=f"{server}/slow", timeout=0.2,
                   max_retries=1) as client:  # fmt: skip
        client._sleep = waits.append
        start = len(Handler.attempts)
        with pytest.raises(oi.APITimeoutError):
            client.images.edit(image=image, prompt="p")
    assert len(Handler.attempts) - start == 2 and len(waits) == 1


def test_a_307_redirect_resends_the_same_body(server: str, image: Path) -> None:
    with oi.Client(api_key="sk-loop", base_url=f"{server}/moved") as client:
        start = len(Handler.attempts)
        with client.images.edit(image=image, prompt="p", stream=True) as stream:
            assert len(list(stream)) == 2
    (moved, _, body_one), (final, _, body_two) = Handler.attempts[start:]
    assert moved.startswith("/moved") and final == "/v1/images/edits"
    assert body_one == body_two and image.read_bytes() in body_two
