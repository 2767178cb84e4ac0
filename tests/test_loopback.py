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

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Handler.received.append((self.headers["Authorization"], body))
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
