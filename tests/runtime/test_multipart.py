"""The streaming multipart/form-data body (generator.runtime._multipart)."""

from __future__ import annotations

import email.parser
import email.policy
import io
import os
import pathlib
import re
import struct
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from generator.runtime import _files
from generator.runtime._files import CHUNK_SIZE, FilePart, FileUploadError, to_file_part
from generator.runtime._multipart import MultipartBody

BOUNDARY = "test-boundary-1234"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
WEBP_HEAD = b"RIFF\x24\x00\x00\x00WEBPVP8 "


# --- helpers -----------------------------------------------------------------------


def make_png(width: int, height: int, seed: int) -> bytes:
    """A minimal valid RGB PNG (signature, IHDR, one IDAT, IEND)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + bytes((x * seed + y * 7) % 256 for x in range(width * 3)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass
class Part:
    headers: dict[str, str]
    data: bytes

    @property
    def _disposition(self) -> re.Match[str]:
        match = re.fullmatch(
            r'form-data; name="([^"]*)"(?:; filename="([^"]*)")?',
            self.headers["content-disposition"],
        )
        assert match, self.headers
        return match

    @property
    def name(self) -> str:
        return self._disposition.group(1)

    @property
    def filename(self) -> str | None:
        return self._disposition.group(2)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """A strict parser for what we produce: checks the framing byte for byte."""
    match = re.fullmatch(r'multipart/form-data; boundary=("?)(.+)\1', content_type)
    assert match, content_type
    delimiter = b"--" + match.group(2).encode("ascii")
    closing = delimiter + b"--\r\n"
    if body == closing:
        return []
    assert body.startswith(delimiter + b"\r\n"), body[:100]
    assert body.endswith(b"\r\n" + closing), body[-100:]
    inner = body[len(delimiter) + 2 : -(len(closing) + 2)]
    parts = []
    for raw in inner.split(b"\r\n" + delimiter + b"\r\n"):
        head, separator, data = raw.partition(b"\r\n\r\n")
        assert separator, raw[:200]
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, colon, value = line.partition(": ")
            assert colon, line
            headers[key.lower()] = value
        parts.append(Part(headers, data))
    return parts


def parse_body(body: MultipartBody) -> list[Part]:
    return parse_multipart(b"".join(body), body.content_type)


async def async_bytes(body: MultipartBody) -> bytes:
    return b"".join([chunk async for chunk in body.aiter()])


class RecordingFile:
    """A binary file object (duck-typed) recording the thread of every call."""

    def __init__(self, data: bytes, *, seekable: bool = True) -> None:
        self._inner = io.BytesIO(data)
        self._seekable = seekable
        self.threads: list[int] = []
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        self.threads.append(threading.get_ident())
        return self._inner.read(size)

    def seekable(self) -> bool:
        return self._seekable

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self._seekable:
            raise io.UnsupportedOperation("seek")
        self.threads.append(threading.get_ident())
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        if not self._seekable:
            raise io.UnsupportedOperation("tell")
        self.threads.append(threading.get_ident())
        return self._inner.tell()


class FileProxy:
    """Wraps a file we open, recording the threads of read and close."""

    def __init__(self, file: Any, threads: list[tuple[str, int]]) -> None:
        self._file = file
        self._threads = threads

    @property
    def closed(self) -> bool:
        return bool(self._file.closed)

    def read(self, size: int = -1) -> bytes:
        self._threads.append(("read", threading.get_ident()))
        return bytes(self._file.read(size))

    def close(self) -> None:
        self._threads.append(("close", threading.get_ident()))
        self._file.close()


def patch_open(monkeypatch: pytest.MonkeyPatch) -> tuple[list[FileProxy], list[tuple[str, int]]]:
    """Make ``_files`` open paths through FileProxy; returns (proxies, (call, thread) log)."""
    proxies: list[FileProxy] = []
    calls: list[tuple[str, int]] = []
    real_open: Callable[..., Any] = open

    def recording_open(*args: Any, **kwargs: Any) -> FileProxy:
        calls.append(("open", threading.get_ident()))
        proxy = FileProxy(real_open(*args, **kwargs), calls)
        proxies.append(proxy)
        return proxy

    monkeypatch.setattr(_files, "open", recording_open, raising=False)
    return proxies, calls


@pytest.fixture
def four_pngs(tmp_path: pathlib.Path) -> list[pathlib.Path]:
    paths = []
    for i in range(4):
        path = tmp_path / f"input_{i}.png"
        path.write_bytes(make_png(16 + i, 8 + i, seed=i + 1))
        paths.append(path)
    return paths


def image_edit_body(images: list[pathlib.Path], **kwargs: Any) -> MultipartBody:
    return MultipartBody(
        fields=[("prompt", "Make it blue"), ("model", "gpt-image-1.5"), ("stream", "true")],
        files=[("image[]", to_file_part(path)) for path in images],
        **kwargs,
    )


# --- body layout -------------------------------------------------------------------


def test_make_png_writes_a_decodable_png() -> None:
    data = make_png(4, 3, seed=1)
    assert data.startswith(PNG_SIGNATURE)
    idat_length = struct.unpack(">I", data[33:37])[0]
    rows = zlib.decompress(data[41 : 41 + idat_length])
    assert len(rows) == 3 * (1 + 4 * 3)


def test_four_png_paths_become_repeated_image_parts_after_the_fields(
    four_pngs: list[pathlib.Path],
) -> None:
    parts = parse_body(image_edit_body(four_pngs, boundary=BOUNDARY))
    assert [(p.name, p.filename, p.content_type) for p in parts] == [
        ("prompt", None, None),
        ("model", None, None),
        ("stream", None, None),
        *[("image[]", f"input_{i}.png", "image/png") for i in range(4)],
    ]
    assert [p.data for p in parts[:3]] == [b"Make it blue", b"gpt-image-1.5", b"true"]
    assert [p.data for p in parts[3:]] == [path.read_bytes() for path in four_pngs]


def test_stdlib_email_parser_reads_the_same_parts(four_pngs: list[pathlib.Path]) -> None:
    body = image_edit_body(four_pngs)
    raw = b"".join(body)
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {body.content_type}\r\n\r\n".encode() + raw
    )
    assert message.is_multipart()
    parts = list(message.iter_parts())
    assert [p.get_param("name", header="content-disposition") for p in parts] == [
        "prompt",
        "model",
        "stream",
        *["image[]"] * 4,
    ]
    assert [p.get_filename() for p in parts[3:]] == [path.name for path in four_pngs]
    assert [p.get_content_type() for p in parts[3:]] == ["image/png"] * 4
    assert parts[0].get_payload(decode=True) == b"Make it blue"
    assert [p.get_payload(decode=True) for p in parts[3:]] == [
        path.read_bytes() for path in four_pngs
    ]


def test_text_fields_are_utf8() -> None:
    body = MultipartBody(fields=[("prompt", "Mach es blau ☂ ü")], boundary=BOUNDARY)
    assert parse_body(body)[0].data == "Mach es blau ☂ ü".encode()


def test_text_fields_have_no_content_type_header() -> None:
    body = MultipartBody(fields=[("n", "2")], boundary=BOUNDARY)
    assert parse_body(body)[0].headers == {"content-disposition": 'form-data; name="n"'}


def test_bytes_part_gets_sniffed_name_and_type() -> None:
    data = make_png(2, 2, seed=3)
    parts = parse_body(MultipartBody(files=[("image", to_file_part(data))], boundary=BOUNDARY))
    assert (parts[0].filename, parts[0].content_type, parts[0].data) == (
        "image.png",
        "image/png",
        data,
    )


def test_jpeg_and_webp_bytes_are_sniffed() -> None:
    files = [("image[]", to_file_part(JPEG_HEAD + b"j")), ("image[]", to_file_part(WEBP_HEAD))]
    parts = parse_body(MultipartBody(files=files, boundary=BOUNDARY))
    assert [(p.filename, p.content_type) for p in parts] == [
        ("image.jpg", "image/jpeg"),
        ("image.webp", "image/webp"),
    ]


def test_open_binary_file_is_sent_and_left_open(four_pngs: list[pathlib.Path]) -> None:
    with four_pngs[0].open("rb") as file:
        parts = parse_body(MultipartBody(files=[("mask", to_file_part(file))], boundary=BOUNDARY))
        assert not file.closed
    assert (parts[0].name, parts[0].filename, parts[0].content_type) == (
        "mask",
        "input_0.png",
        "image/png",
    )
    assert parts[0].data == four_pngs[0].read_bytes()


def test_filename_content_tuple_uses_the_given_name() -> None:
    part = to_file_part(("edited.png", make_png(1, 1, seed=1)))
    parts = parse_body(MultipartBody(files=[("image", part)], boundary=BOUNDARY))
    assert (parts[0].filename, parts[0].content_type) == ("edited.png", "image/png")


def test_filename_content_type_tuple_uses_both() -> None:
    part = to_file_part(("blob", b"\x00\x01", "image/png"))
    parts = parse_body(MultipartBody(files=[("image", part)], boundary=BOUNDARY))
    assert (parts[0].filename, parts[0].content_type, parts[0].data) == (
        "blob",
        "image/png",
        b"\x00\x01",
    )


def test_file_contents_with_crlf_and_boundary_like_bytes_survive_exactly() -> None:
    data = b"\r\n--\r\n\r\n--test-boundary\r\n" + bytes(range(256))
    parts = parse_body(MultipartBody(files=[("image", to_file_part(data))], boundary=BOUNDARY))
    assert parts[0].data == data


def test_empty_body_is_just_the_closing_delimiter() -> None:
    assert b"".join(MultipartBody(boundary=BOUNDARY)) == b"--" + BOUNDARY.encode() + b"--\r\n"


def test_quotes_and_line_breaks_in_filenames_are_percent_encoded() -> None:
    part = to_file_part(('a"b\r\nc.png', b"x", "image/png"))
    body = MultipartBody(files=[("image", part)], boundary=BOUNDARY)
    raw = b"".join(body)
    assert b'filename="a%22b%0D%0Ac.png"' in raw
    assert parse_body(body)[0].filename == "a%22b%0D%0Ac.png"


def test_quotes_and_line_breaks_in_field_names_are_percent_encoded() -> None:
    body = MultipartBody(fields=[('x"\ny\r', "v")], boundary=BOUNDARY)
    assert parse_body(body)[0].name == "x%22%0Ay%0D"


def test_non_ascii_filename_is_sent_as_utf8() -> None:
    part = to_file_part(("blåbær.png", b"x", "image/png"))
    raw = b"".join(MultipartBody(files=[("image", part)], boundary=BOUNDARY))
    assert 'filename="blåbær.png"'.encode() in raw


def test_field_value_that_is_not_a_str_is_rejected() -> None:
    with pytest.raises(TypeError, match="field 'n' must be a str, not int"):
        MultipartBody(fields=[("n", 2)])  # type: ignore[list-item]


def test_file_that_is_not_a_file_part_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"to_file_part\(\)"):
        MultipartBody(files=[("image", b"raw")])  # type: ignore[list-item]


# --- headers -----------------------------------------------------------------------


def test_content_type_carries_the_given_boundary() -> None:
    assert MultipartBody(boundary=BOUNDARY).content_type == (
        f"multipart/form-data; boundary={BOUNDARY}"
    )


def test_default_boundary_is_random_hex() -> None:
    first, second = MultipartBody().boundary, MultipartBody().boundary
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_boundary_with_special_characters_is_quoted() -> None:
    body = MultipartBody(fields=[("a", "b")], boundary="a:b=c")
    assert body.content_type == 'multipart/form-data; boundary="a:b=c"'
    assert parse_body(body)[0].data == b"b"


@pytest.mark.parametrize("boundary", ["", "x" * 71, "ends with space ", "bad\r\n", "ü"])
def test_invalid_boundary_is_rejected(boundary: str) -> None:
    with pytest.raises(ValueError, match="invalid multipart boundary"):
        MultipartBody(boundary=boundary)


def test_content_length_equals_the_body_length(
    four_pngs: list[pathlib.Path], tmp_path: pathlib.Path
) -> None:
    with four_pngs[1].open("rb") as mask:
        body = MultipartBody(
            fields=[("prompt", "blå")],
            files=[
                ("image[]", to_file_part(four_pngs[0])),
                ("image[]", to_file_part(("x.webp", WEBP_HEAD))),
                ("mask", to_file_part(mask)),
            ],
        )
        assert body.headers["Content-Length"] == str(len(b"".join(body)))
        assert body.content_length == len(b"".join(body))


def test_headers_hold_content_type_and_length() -> None:
    body = MultipartBody(fields=[("a", "b")], boundary=BOUNDARY)
    assert body.headers == {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Length": str(len(b"".join(body))),
    }


def test_unknown_size_file_object_means_no_content_length() -> None:
    part = to_file_part(RecordingFile(b"data", seekable=False))  # type: ignore[arg-type]
    body = MultipartBody(fields=[("a", "b")], files=[("image", part)])
    assert body.content_length is None
    assert "Content-Length" not in body.headers


# --- streaming, closing, replay -----------------------------------------------------


def test_file_chunks_are_at_most_64_kib(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(PNG_SIGNATURE + os.urandom(5 * CHUNK_SIZE + 3))
    chunks = list(MultipartBody(files=[("image", to_file_part(path))]))
    assert max(map(len, chunks)) <= CHUNK_SIZE


def test_paths_are_opened_while_sending_and_closed_after(
    four_pngs: list[pathlib.Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = image_edit_body(four_pngs)
    proxies, _ = patch_open(monkeypatch)
    assert proxies == []
    b"".join(body)
    assert len(proxies) == 4
    assert all(proxy.closed for proxy in proxies)


def test_only_one_path_is_open_at_a_time(
    four_pngs: list[pathlib.Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = image_edit_body(four_pngs)
    proxies, _ = patch_open(monkeypatch)
    for _ in body:
        assert sum(not proxy.closed for proxy in proxies) <= 1


def test_abandoned_sync_iteration_closes_the_open_path(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(PNG_SIGNATURE + bytes(3 * CHUNK_SIZE))
    body = MultipartBody(files=[("image", to_file_part(path))])
    proxies, _ = patch_open(monkeypatch)
    chunks = iter(body)
    while not proxies:
        next(chunks)
    chunks.close()  # type: ignore[attr-defined]
    assert proxies[0].closed


def test_body_with_paths_and_bytes_replays_identically(four_pngs: list[pathlib.Path]) -> None:
    body = MultipartBody(
        fields=[("prompt", "p")],
        files=[("image[]", to_file_part(four_pngs[0])), ("mask", to_file_part(b"\x89PNG"))],
    )
    assert body.can_replay
    assert b"".join(body) == b"".join(body)


def test_body_with_seekable_file_object_replays_identically() -> None:
    file = io.BytesIO(b"--" + PNG_SIGNATURE + b"data")
    file.seek(2)
    body = MultipartBody(files=[("image", to_file_part(file))], boundary=BOUNDARY)
    first = b"".join(body)
    assert b"".join(body) == first
    assert parse_multipart(first, body.content_type)[0].data == PNG_SIGNATURE + b"data"


def test_body_with_non_seekable_file_refuses_a_second_pass_before_yielding() -> None:
    part = to_file_part(RecordingFile(b"data", seekable=False))  # type: ignore[arg-type]
    body = MultipartBody(fields=[("a", "b")], files=[("image", part)])
    b"".join(body)
    assert not body.can_replay
    chunks = iter(body)
    with pytest.raises(FileUploadError, match="cannot be replayed"):
        next(chunks)


def test_memory_stays_flat_while_streaming_large_files(tmp_path: pathlib.Path) -> None:
    paths = []
    for i in range(3):
        path = tmp_path / f"big_{i}.png"
        path.write_bytes(PNG_SIGNATURE + os.urandom(5 * 1024 * 1024))
        paths.append(path)
    tracemalloc.start()
    try:
        baseline, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        body = MultipartBody(
            fields=[("prompt", "p")], files=[("image[]", to_file_part(p)) for p in paths]
        )
        sent = sum(len(chunk) for chunk in body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sent == body.content_length
    assert peak - baseline < 2 * 1024 * 1024


# --- async -------------------------------------------------------------------------


async def test_async_iteration_yields_the_same_bytes_as_sync(
    four_pngs: list[pathlib.Path],
) -> None:
    with four_pngs[3].open("rb") as mask:
        body = MultipartBody(
            fields=[("prompt", "p")],
            files=[
                *[("image[]", to_file_part(p)) for p in four_pngs[:3]],
                ("image[]", to_file_part(JPEG_HEAD)),
                ("mask", to_file_part(mask)),
            ],
        )
        assert await async_bytes(body) == b"".join(body)


async def test_async_file_object_reads_happen_off_the_event_loop_thread() -> None:
    file = RecordingFile(PNG_SIGNATURE + bytes(3 * CHUNK_SIZE))
    body = MultipartBody(files=[("image", to_file_part(file))])  # type: ignore[arg-type]
    file.threads.clear()
    await async_bytes(body)
    assert len(file.threads) >= 4  # a seek, then several reads
    assert threading.get_ident() not in file.threads


async def test_async_path_open_read_and_close_happen_off_the_event_loop_thread(
    four_pngs: list[pathlib.Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = image_edit_body(four_pngs)
    proxies, calls = patch_open(monkeypatch)
    await async_bytes(body)
    assert {call for call, _ in calls} == {"open", "read", "close"}
    assert threading.get_ident() not in {thread for _, thread in calls}
    assert all(proxy.closed for proxy in proxies)


async def test_abandoned_async_iteration_closes_the_open_path(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(PNG_SIGNATURE + bytes(3 * CHUNK_SIZE))
    body = MultipartBody(files=[("image", to_file_part(path))])
    proxies, _ = patch_open(monkeypatch)
    chunks = body.aiter().__aiter__()
    while not proxies:
        await chunks.__anext__()
    await chunks.aclose()  # type: ignore[attr-defined]
    assert proxies[0].closed


async def test_async_stream_replays(four_pngs: list[pathlib.Path]) -> None:
    stream = image_edit_body(four_pngs).aiter()
    first = b"".join([chunk async for chunk in stream])
    assert b"".join([chunk async for chunk in stream]) == first


# --- through httpx -----------------------------------------------------------------


def test_sync_client_sends_the_body_through_a_mock_transport(
    four_pngs: list[pathlib.Path],
) -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200, json={"created": 0, "data": []})

    body = image_edit_body(four_pngs)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        request = client.build_request(
            "POST", "https://api.test/v1/images/edits", headers=body.headers, content=body
        )
        assert client.send(request).status_code == 200
    (sent,) = received
    assert sent.headers["content-type"] == body.content_type
    assert sent.headers["content-length"] == str(len(sent.content))
    assert "transfer-encoding" not in sent.headers
    parts = parse_multipart(sent.content, sent.headers["content-type"])
    assert [p.data for p in parts[3:]] == [p.read_bytes() for p in four_pngs]


async def test_async_client_sends_the_body_through_a_mock_transport(
    four_pngs: list[pathlib.Path],
) -> None:
    received: list[bytes] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        received.append(await request.aread())
        return httpx.Response(200)

    body = image_edit_body(four_pngs)
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        request = client.build_request(
            "POST", "https://api.test/v1/images/edits", headers=body.headers, content=body.aiter()
        )
        response = await client.send(request)
    assert response.status_code == 200
    assert request.headers["content-length"] == str(len(received[0]))
    parts = parse_multipart(received[0], body.content_type)
    assert [p.data for p in parts[3:]] == [p.read_bytes() for p in four_pngs]


def test_unknown_size_body_is_sent_chunked_by_httpx() -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        request.read()
        return httpx.Response(200)

    part = to_file_part(RecordingFile(PNG_SIGNATURE + b"x", seekable=False))  # type: ignore[arg-type]
    body = MultipartBody(files=[("image", part)])
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        client.post("https://api.test/", headers=body.headers, content=body)
    assert received[0].headers["transfer-encoding"] == "chunked"
    assert parse_multipart(received[0].content, body.content_type)[0].data == PNG_SIGNATURE + b"x"


class _RecordingServer(ThreadingHTTPServer):
    received: list[tuple[str, dict[str, str], bytes]]


class _RecordingHandler(BaseHTTPRequestHandler):
    """Reads the whole body (Content-Length or chunked); /redirect answers 307 to /echo."""

    protocol_version = "HTTP/1.1"
    server: _RecordingServer

    def do_POST(self) -> None:
        body = self._read_body()
        if body is None:  # the client gave up mid-body
            self.close_connection = True
            return
        self.server.received.append(
            (self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        if self.path == "/redirect":
            self.send_response(307)
            self.send_header("Location", "/echo")
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            length = int(self.headers.get("Content-Length", "0"))
            data = self.rfile.read(length)
            return data if len(data) == length else None
        body = bytearray()
        while True:
            line = self.rfile.readline()
            if not line.strip():
                return None
            size = int(line.split(b";")[0], 16)
            if size == 0:
                break
            chunk = self.rfile.read(size + 2)
            if len(chunk) != size + 2:
                return None
            body += chunk[:-2]
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        return bytes(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, dict[str, str], bytes]]]]:
    httpd = _RecordingServer(("127.0.0.1", 0), _RecordingHandler)
    httpd.received = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.received
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


async def test_async_client_streams_paths_to_a_real_loopback_server(
    four_pngs: list[pathlib.Path], server: tuple[str, list[tuple[str, dict[str, str], bytes]]]
) -> None:
    url, received = server
    body = image_edit_body(four_pngs)
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{url}/echo", headers=body.headers, content=body.aiter(), timeout=10
        )
    assert response.status_code == 200
    ((_, headers, raw),) = received
    assert headers["content-length"] == str(len(raw)) == str(body.content_length)
    parts = parse_multipart(raw, headers["content-type"])
    assert [p.data for p in parts[3:]] == [p.read_bytes() for p in four_pngs]


def test_sync_client_replays_the_body_on_a_307_redirect(
    four_pngs: list[pathlib.Path], server: tuple[str, list[tuple[str, dict[str, str], bytes]]]
) -> None:
    url, received = server
    body = image_edit_body(four_pngs)
    with httpx.Client(follow_redirects=True) as client:
        response = client.post(f"{url}/redirect", headers=body.headers, content=body, timeout=10)
    assert response.status_code == 200
    assert [path for path, _, _ in received] == ["/redirect", "/echo"]
    assert received[0][2] == received[1][2]
    assert len(received[1][2]) == body.content_length


def test_redirect_with_a_non_seekable_file_raises_instead_of_sending_an_empty_body(
    server: tuple[str, list[tuple[str, dict[str, str], bytes]]],
) -> None:
    url, received = server
    part = to_file_part(RecordingFile(PNG_SIGNATURE, seekable=False))  # type: ignore[arg-type]
    body = MultipartBody(files=[("image", part)])
    with (
        httpx.Client(follow_redirects=True) as client,
        pytest.raises(FileUploadError, match="cannot be replayed"),
    ):
        client.post(f"{url}/redirect", headers=body.headers, content=body, timeout=10)
    assert [path for path, _, _ in received] == ["/redirect"]


def test_sync_client_sends_an_unknown_size_body_chunked_to_a_real_server(
    server: tuple[str, list[tuple[str, dict[str, str], bytes]]],
) -> None:
    url, received = server
    data = PNG_SIGNATURE + os.urandom(3 * CHUNK_SIZE)
    part = to_file_part(RecordingFile(data, seekable=False))  # type: ignore[arg-type]
    body = MultipartBody(fields=[("prompt", "p")], files=[("image", part)])
    with httpx.Client() as client:
        client.post(f"{url}/echo", headers=body.headers, content=body, timeout=10)
    ((_, headers, raw),) = received
    assert headers["transfer-encoding"] == "chunked"
    assert parse_multipart(raw, body.content_type)[1].data == data


def test_file_part_type_is_exported() -> None:
    assert isinstance(to_file_part(b"x"), FilePart)
