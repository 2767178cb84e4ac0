"""Regenerate ``tests/recordings/`` deterministically: ``python -m tests.make_recordings``.

Every ``http-recording/1`` file is written by the package's own recorder
(``generator/runtime/_recording.py``'s ``RecordingTransport``) around an
``httpx.MockTransport`` that answers with the spec's documented examples, so the files
are also a check that the recorder writes what the reader reads. Request bodies carry
real PNG bytes from :mod:`make_png`, in multipart bodies with a fixed boundary; the
request's ``Authorization`` header holds a made-up key that the recorder redacts.

``browser_export.har`` is built here in the shape browsers export (HAR 1.2, response
bodies base64-encoded, the multipart request as ``postData.text``); it was not captured
from a browser. ``--check`` compares instead of writing (exit 1 when a file is stale).
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from make_png import mask_png, png  # noqa: E402 - after the sys.path setup above

from generator.runtime import _recording  # noqa: E402 - after the sys.path setup above

RECORDINGS = HERE / "recordings"
SPEC = ROOT / "spec" / "images-edit.yaml"
URL = "https://api.openai.com/v1/images/edits"
BOUNDARY = "recording-fixture-boundary-7f3a"
FAKE_KEY = "sk-fixture-" + "0" * 32  # made up; the recorder must never write it
USER_AGENT = "openai_images/0.1.0 (recording fixture)"
SPEC_POINTER = "spec/images-edit.yaml#/paths/~1images~1edits/post"


def spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return data


def operation(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = data["paths"]["/images/edits"]["post"]
    return result


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> bytes:
    """A multipart body as the generated client sends it: text fields first, then files."""
    delimiter = f"--{BOUNDARY}\r\n".encode()
    out = []
    for name, value in fields:
        out.append(delimiter)
        out.append(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.append(value.encode() + b"\r\n")
    for name, filename, data in files:
        out.append(delimiter)
        out.append(
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/png\r\n\r\n".encode()
        )
        out.append(data + b"\r\n")
    out.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(out)


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def sse(events: list[dict[str, Any]]) -> str:
    """Events framed as the spec's ``edit_stream`` example frames them."""
    return "".join(f"event: {event['type']}\ndata: {compact(event)}\n\n" for event in events)


def multipart_request(fields: list[tuple[str, str]], accept: str) -> httpx.Request:
    body = multipart(fields, [("image", "image.png", png(8, 8))])
    return httpx.Request(
        "POST",
        URL,
        headers={
            "Authorization": f"Bearer {FAKE_KEY}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Accept": accept,
            "User-Agent": USER_AGENT,
        },
        content=body,
    )


def json_request(body: dict[str, Any], accept: str) -> httpx.Request:
    return httpx.Request(
        "POST",
        URL,
        headers={
            "Authorization": f"Bearer {FAKE_KEY}",
            "Content-Type": "application/json",
            "Accept": accept,
            "User-Agent": USER_AGENT,
        },
        content=json.dumps(body).encode(),
    )


def answer(status: int, content_type: str, body: str, request_id: str) -> httpx.Response:
    return httpx.Response(
        status,
        headers={
            "Content-Type": content_type,
            "x-request-id": request_id,
            "openai-processing-ms": "1234",
        },
        content=body.encode(),
    )


def record(path: Path, source: str, request: httpx.Request, response: httpx.Response) -> None:
    recorder = _recording

    def handler(_: httpx.Request) -> httpx.Response:
        return response

    transport = recorder.RecordingTransport(httpx.MockTransport(handler), path, source=source)
    with httpx.Client(transport=transport) as client:
        client.send(request).read()


def recordings() -> dict[str, Callable[[Path], None]]:
    data = spec()
    op = operation(data)
    multipart_example = op["requestBody"]["content"]["multipart/form-data"]["examples"][
        "multipart_edit"
    ]["value"]
    json_examples = op["requestBody"]["content"]["application/json"]["examples"]
    ok = op["responses"]["200"]["content"]
    images_response = ok["application/json"]["examples"]["images_response"]["value"]
    stream_example = ok["text/event-stream"]["examples"]["edit_stream"]["value"]
    error = op["responses"]["default"]["content"]["application/json"]["examples"]
    error_body = error["invalid_size"]["value"]
    schemas = data["components"]["schemas"]
    partial_event = schemas["ImageEditPartialImageEvent"]["examples"][0]
    completed_event = schemas["ImageEditCompletedEvent"]["examples"][0]
    fields = [(k, str(v)) for k, v in multipart_example.items() if k != "image"]

    def json_answer(path: Path) -> None:
        record(
            path,
            "Request: the spec's multipart example 'multipart_edit' (image: a generated 8x8 "
            "PNG). Response: the spec's 200 application/json example 'images_response'. "
            f"Both from {SPEC_POINTER}; written by tests/make_recordings.py.",
            multipart_request(fields, "application/json"),
            answer(200, "application/json", json.dumps(images_response), "req_fixture_json"),
        )

    def event_stream(path: Path) -> None:
        body = {**json_examples["json_with_file_id"]["value"], "stream": True, "partial_images": 1}
        record(
            path,
            "Request: the spec's JSON example 'json_with_file_id' with stream=true and "
            "partial_images=1. Response: 200 text/event-stream framed as the spec's "
            "'edit_stream' example, whose two events are the schema examples of "
            "ImageEditPartialImageEvent and ImageEditCompletedEvent (the 'edit_stream' "
            f"example itself leaves out required fields). From {SPEC_POINTER} and "
            "#/components/schemas; written by tests/make_recordings.py.",
            json_request(body, "text/event-stream"),
            answer(
                200,
                "text/event-stream",
                sse([partial_event, completed_event]),
                "req_fixture_stream",
            ),
        )

    def documented_stream(path: Path) -> None:
        on_the_wire = stream_example if stream_example.endswith("\n\n") else stream_example + "\n"
        body = {**json_examples["json_with_url"]["value"], "stream": True}
        record(
            path,
            "Request: the spec's JSON example 'json_with_url' with stream=true. Response: "
            "the spec's 200 text/event-stream example 'edit_stream', verbatim except for "
            "the blank line that ends its last event on the wire (the YAML block drops "
            "it). Its events lack fields their schemas require (created_at, size, quality, "
            "background, output_format), so this exchange does NOT conform; the tests "
            f"expect exactly those findings. From {SPEC_POINTER}; written by "
            "tests/make_recordings.py.",
            json_request(body, "text/event-stream"),
            answer(200, "text/event-stream", on_the_wire, "req_fixture_documented"),
        )

    def error_answer(path: Path) -> None:
        record(
            path,
            "Request: the spec's multipart example 'multipart_edit' with size 4096x4096 "
            "(a string the multipart schema accepts). Response: HTTP 400 with the spec's "
            "error example 'invalid_size' (documented under 'default'). From "
            f"{SPEC_POINTER}; written by tests/make_recordings.py.",
            multipart_request(
                [(k, "4096x4096" if k == "size" else v) for k, v in fields], "application/json"
            ),
            answer(400, "application/json", json.dumps(error_body), "req_fixture_error"),
        )

    def har(path: Path) -> None:
        path.write_text(
            json.dumps(
                browser_har(fields, images_response, partial_event, completed_event), indent=2
            )
            + "\n",
            encoding="utf-8",
        )

    return {
        "images_response.json": json_answer,
        "edit_stream.json": event_stream,
        "edit_stream_documented_example.json": documented_stream,
        "error_400.json": error_answer,
        "browser_export.har": har,
    }


def _har_headers(headers: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers]


def browser_har(
    fields: list[tuple[str, str]],
    images_response: dict[str, Any],
    partial_event: dict[str, Any],
    completed_event: dict[str, Any],
) -> dict[str, Any]:
    """A HAR 1.2 archive shaped like a browser's export of two image edits."""
    upload = multipart(
        [*fields, ("partial_images", "0")],
        [("image[]", "first.png", png(8, 8)), ("image[]", "mask-like.png", mask_png(8))],
    )
    json_body = json.dumps(images_response).encode()
    stream_body = sse([partial_event, completed_event]).encode()
    stream_request = {"images": [{"file_id": "file-abc123"}], "prompt": "Add snow", "stream": True}

    def entry(
        started: str,
        headers: list[tuple[str, str]],
        post_data: dict[str, Any],
        body: bytes,
        content_type: str,
    ) -> dict[str, Any]:
        return {
            "startedDateTime": started,
            "time": 812.4,
            "request": {
                "method": "POST",
                "url": URL,
                "httpVersion": "http/2.0",
                "headers": _har_headers(
                    [
                        (":authority", "api.openai.com"),
                        (":method", "POST"),
                        (":path", "/v1/images/edits"),
                        (":scheme", "https"),
                        ("authorization", "Bearer [REDACTED]"),
                        *headers,
                    ]
                ),
                "queryString": [],
                "cookies": [],
                "headersSize": -1,
                "bodySize": len(post_data["text"]),
                "postData": post_data,
            },
            "response": {
                "status": 200,
                "statusText": "",
                "httpVersion": "http/2.0",
                "headers": _har_headers(
                    [
                        ("content-type", content_type),
                        ("content-encoding", "br"),
                        ("x-request-id", "req_fixture_har"),
                    ]
                ),
                "cookies": [],
                "content": {
                    "size": len(body),
                    "mimeType": content_type,
                    "text": base64.b64encode(body).decode("ascii"),
                    "encoding": "base64",
                },
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": 301,
                "_transferSize": 420,
            },
            "cache": {},
            "timings": {
                "blocked": 1.2,
                "dns": -1,
                "ssl": -1,
                "connect": -1,
                "send": 0.3,
                "wait": 790.0,
                "receive": 20.9,
            },
        }

    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "tests/make_recordings.py (browser-shaped)", "version": "1"},
            "pages": [],
            "entries": [
                entry(
                    "2026-01-01T00:00:00.000Z",
                    [("content-type", content_type), ("accept", "application/json")],
                    # Browsers write the multipart body as text; binary bytes come out as
                    # whatever text they decode to (here Latin-1), which keeps the framing.
                    {"mimeType": content_type, "text": upload.decode("latin-1")},
                    json_body,
                    "application/json",
                ),
                entry(
                    "2026-01-01T00:00:05.000Z",
                    [("content-type", "application/json"), ("accept", "text/event-stream")],
                    {"mimeType": "application/json", "text": json.dumps(stream_request)},
                    stream_body,
                    "text/event-stream",
                ),
            ],
        }
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    RECORDINGS.mkdir(exist_ok=True)
    stale = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, make in recordings().items():
            target = RECORDINGS / name
            fresh = Path(scratch) / name
            make(fresh)
            if check:
                if not target.exists() or target.read_bytes() != fresh.read_bytes():
                    stale.append(name)
            else:
                target.write_bytes(fresh.read_bytes())
                print(f"wrote {target.relative_to(ROOT)}")
    for name in stale:
        print(f"stale: tests/recordings/{name} (run python -m tests.make_recordings)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
