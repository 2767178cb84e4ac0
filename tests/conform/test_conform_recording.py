"""The recording format: what the recorder writes, the generator's reader reads back
byte for byte; HAR 1.2 archives read the same way; unusable files are located errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import make_recordings
import pytest
from conform_support import RECORDINGS
from make_png import png, read_png_size
from make_recordings import BOUNDARY, multipart
from replay import ReplayError, ReplayTransport

from generator.errors import GeneratorError
from generator.runtime._multipart import parse_multipart
from generator.tools.conform.recordings import parse_recording, read_recording

URL = "https://api.openai.com/v1/images/edits"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
UPLOAD = multipart([("prompt", "a line\nand another")], [("image", "a.png", png(4, 4))])

BODIES: dict[str, tuple[str, bytes]] = {
    "json": ("application/json", b'{"created": 1, "data": [{"b64_json": "\\u00e9"}]}'),
    "text-with-lines": ("text/event-stream", b"event: a\ndata: {}\n\ndata: \xc3\xa9\n\n"),
    "crlf-text": ("text/event-stream", b"data: 1\r\n\r\n"),
    "binary": ("image/png", png(3, 3)),
    "multipart": (MULTIPART, UPLOAD),
    "multipart-not-canonical": (MULTIPART, b"preamble\r\n" + UPLOAD),
    "empty": ("application/json", b""),
}


def record_one(
    recorder: ModuleType, path: Path, content_type: str, request_body: bytes, answer: bytes
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": content_type}, content=answer)

    transport = recorder.RecordingTransport(httpx.MockTransport(handler), path)
    with httpx.Client(transport=transport) as client:
        client.post(URL, content=request_body, headers={"Content-Type": content_type})


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_reader_returns_the_bytes_the_recorder_saw(
    recorder: ModuleType, tmp_path: Path, kind: str
) -> None:
    content_type, body = BODIES[kind]
    path = tmp_path / "r.json"
    record_one(recorder, path, content_type, body, body)
    (exchange,) = read_recording(path)
    assert exchange.request.body == body
    assert exchange.response is not None
    assert exchange.response.body == body
    assert exchange.request.header("content-type") == content_type


def test_multipart_body_is_stored_as_readable_parts(recorder: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    record_one(recorder, path, MULTIPART, UPLOAD, b"{}")
    body = json.loads(path.read_text())["exchanges"][0]["request"]["body"]
    prompt, image = body["multipart"]["parts"]
    assert body["multipart"]["boundary"] == BOUNDARY
    assert prompt == {
        "headers": [["Content-Disposition", 'form-data; name="prompt"']],
        "lines": ["a line", "and another"],
    }
    assert read_png_size(base64.b64decode(image["base64"])) == (4, 4)


def test_multipart_that_would_not_rebuild_exactly_is_stored_as_base64(
    recorder: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "r.json"
    record_one(recorder, path, MULTIPART, b"preamble\r\n" + UPLOAD, b"{}")
    body = json.loads(path.read_text())["exchanges"][0]["request"]["body"]
    assert set(body) == {"base64"}


def test_event_stream_is_stored_as_lines(recorder: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    record_one(recorder, path, "text/event-stream", b"{}", b"event: a\ndata: {}\n\n")
    body = json.loads(path.read_text())["exchanges"][0]["response"]["body"]
    assert body == {"lines": ["event: a", "data: {}", "", ""]}


def test_replay_transport_serves_the_recorded_responses_in_order(
    recorder: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "r.json"
    answers = iter([b"first", b"second"])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, headers={"X-Id": "1"}, content=next(answers))

    transport = recorder.RecordingTransport(httpx.MockTransport(handler), path)
    with httpx.Client(transport=transport) as client:
        client.post(URL)
        client.post(URL)
    with httpx.Client(transport=ReplayTransport(path)) as client:
        replies = [client.post(URL), client.post(URL)]
        with pytest.raises(ReplayError):
            client.post(URL)
    assert [(r.status_code, r.content, r.headers["x-id"]) for r in replies] == [
        (201, b"first", "1"),
        (201, b"second", "1"),
    ]


def test_checked_in_recordings_are_what_the_script_makes() -> None:
    assert make_recordings.main(["--check"]) == 0


def test_recordings_hold_real_png_uploads() -> None:
    (exchange,) = read_recording(RECORDINGS / "images_response.json")
    boundary = BOUNDARY
    parts = {p.name: p for p in parse_multipart(exchange.request.body, boundary)}
    assert read_png_size(parts["image"].data) == (8, 8)
    assert parts["image"].content_type == "image/png"


# -- HAR ----------------------------------------------------------------------------------


def test_har_base64_bodies_and_text_post_data_are_read() -> None:
    json_entry, stream_entry = read_recording(RECORDINGS / "browser_export.har")
    assert json_entry.kind == "har"
    assert json_entry.label == "HAR entry 0 (POST /v1/images/edits)"
    assert json_entry.response is not None and stream_entry.response is not None
    assert json.loads(json_entry.response.body or b"")["created"] == 1713833628
    assert (stream_entry.response.body or b"").startswith(b"event: image_edit.partial_image\n")
    names = [p.name for p in parse_multipart(json_entry.request.body, BOUNDARY)]
    assert names.count("image[]") == 2
    assert not any(name.startswith(":") for name, _ in json_entry.request.headers)


def har(entries: list[dict[str, Any]]) -> str:
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "t"}, "entries": entries}})


def entry(
    post_data: dict[str, Any] | None = None,
    content: dict[str, Any] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "post", "url": URL, "headers": []}
    if post_data is not None:
        request["postData"] = post_data
    response = {"status": status, "headers": [], "content": content or {"size": 0}}
    return {"request": request, "response": response}


def test_har_params_post_data_becomes_a_multipart_body() -> None:
    post = {
        "mimeType": "multipart/form-data",
        "params": [
            {"name": "prompt", "value": "snow"},
            {"name": "image", "fileName": "a.png", "contentType": "image/png", "value": "x"},
        ],
    }
    (exchange,) = parse_recording(har([entry(post)]), "t.har")
    content_type = exchange.request.header("content-type") or ""
    boundary = content_type.split("boundary=")[1]
    parts = parse_multipart(exchange.request.body, boundary)
    assert [(p.name, p.filename, p.data) for p in parts] == [
        ("prompt", None, b"snow"),
        ("image", "a.png", b"x"),
    ]
    assert exchange.request.method == "POST"


def test_har_text_content_is_utf8_and_missing_text_is_unknown() -> None:
    entries = [entry(content={"text": "é", "mimeType": "text/plain"}), entry(content={"size": 9})]
    first, second = parse_recording(har(entries), "t.har")
    assert first.response is not None and first.response.body == "é".encode()
    assert second.response is not None and second.response.body is None


def test_har_entry_without_an_answer_has_no_response() -> None:
    (exchange,) = parse_recording(har([entry(status=0)]), "t.har")
    assert exchange.response is None
    assert exchange.error


# -- unusable files -----------------------------------------------------------------------


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(GeneratorError) as caught:
        parse_recording(text, "bad.json")
    return [(p.pointer, p.message) for p in caught.value.problems]


def test_non_json_file_is_unusable() -> None:
    ((_pointer, message),) = problems_of("event: x\n")
    assert "invalid JSON" in message


def test_unknown_format_is_unusable() -> None:
    ((_pointer, message),) = problems_of('{"exchanges": []}')
    assert message.startswith("unknown recording format")


def test_newer_format_version_is_unusable() -> None:
    ((pointer, message),) = problems_of('{"format": "http-recording/2", "exchanges": []}')
    assert pointer == "/format"
    assert "unsupported recording format version" in message


def test_bad_body_is_located_by_json_pointer() -> None:
    document = {
        "format": "http-recording/1",
        "exchanges": [
            {
                "request": {"method": "POST", "url": URL, "headers": [], "body": {"text": ""}},
                "response": {"status": 200, "headers": [], "body": {"base64": "%%%"}},
            }
        ],
    }
    ((pointer, message),) = problems_of(json.dumps(document))
    assert pointer == "/exchanges/0/response/body/base64"
    assert message == "invalid base64"


def test_bad_har_entry_is_located_by_json_pointer() -> None:
    ((pointer, _message),) = problems_of(har([{"request": {"method": "GET"}}]))
    assert pointer == "/log/entries/0/request/url"


def test_exchanges_from_many_threads_make_one_valid_document(
    recorder: ModuleType, tmp_path: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "r.json"
    transport = recorder.RecordingTransport(
        httpx.MockTransport(lambda request: httpx.Response(200, content=request.content)), path
    )
    with httpx.Client(transport=transport) as client, ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: client.post(URL, content=str(i).encode()), range(32)))
    bodies = sorted(int(e.request.body) for e in read_recording(path))
    assert bodies == list(range(32))
