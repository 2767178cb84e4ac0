"""The ``http-recording/1`` codec: decode is the inverse of encode, and everything it
cannot read is a ``RecordingError`` at a JSON pointer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.runtime._recording_format import (
    FORMAT,
    RecordedExchange,
    RecordedRequest,
    RecordedResponse,
    RecordingError,
    decode_exchange,
    encode_exchange,
    exchanges_of,
    read_document,
    undo_content_encoding,
)

URL = "https://api.example.test/v1/things"
MULTIPART = "multipart/form-data; boundary=xyz"
FORM = b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nline\nline\r\n--xyz--\r\n'


def exchange(request_body: bytes, content_type: str, response_body: bytes) -> RecordedExchange:
    request = RecordedRequest("POST", URL, (("Content-Type", content_type),), request_body)
    response = RecordedResponse(
        201, (("Content-Type", content_type),), response_body, "Created", "HTTP/1.1"
    )
    return RecordedExchange(request, response)


@pytest.mark.parametrize(
    ("content_type", "data", "form"),
    [
        ("application/json", b'{"a": "\xc3\xa9"}', "text"),
        ("text/event-stream", b"data: 1\n\n", "lines"),
        ("image/png", b"\x89PNG\x00\xff", "base64"),
        (MULTIPART, FORM, "multipart"),
        (MULTIPART, b"preamble\r\n" + FORM, "text"),  # would not rebuild: kept whole
    ],
)
def test_decode_is_the_inverse_of_encode(content_type: str, data: bytes, form: str) -> None:
    original = exchange(data, content_type, data)
    encoded = json.loads(json.dumps(encode_exchange(original)))
    assert form in encoded["request"]["body"]
    assert decode_exchange(encoded, "/exchanges/0") == original


def test_incomplete_and_still_encoded_bodies_round_trip() -> None:
    original = RecordedExchange(
        RecordedRequest("POST", URL, body=b"abc", body_incomplete=True),
        RecordedResponse(200, body=b"\x1f\x8b", body_incomplete=True, content_encoding="br"),
    )
    assert decode_exchange(encode_exchange(original), "") == original


def test_failed_exchange_round_trips() -> None:
    original = RecordedExchange(RecordedRequest("GET", URL), None, "ConnectError: refused")
    encoded = encode_exchange(original)
    assert encoded["response"] is None
    assert decode_exchange(encoded, "") == original


def bad(node: Any) -> RecordingError:
    with pytest.raises(RecordingError) as caught:
        decode_exchange(node, "/exchanges/3")
    return caught.value


def test_invalid_url_is_located() -> None:
    for url in ("http://[::1", "http://[zz]/"):
        error = bad({"request": {"method": "GET", "url": url}, "response": None})
        assert error.pointer == "/exchanges/3/request/url"
        assert error.reason.startswith("invalid URL")


def test_bad_base64_is_located() -> None:
    request = {"method": "GET", "url": URL}
    error = bad({"request": request, "response": {"status": 200, "body": {"base64": "%%"}}})
    assert (error.pointer, error.reason) == ("/exchanges/3/response/body/base64", "invalid base64")


def test_boolean_status_is_not_an_integer() -> None:
    request = {"method": "GET", "url": URL}
    error = bad({"request": request, "response": {"status": True}})
    assert (error.pointer, error.reason) == ("/exchanges/3/response/status", "expected an integer")


def test_deeply_nested_text_is_an_error_with_its_line() -> None:
    text = '{"format": "http-recording/1",\n"exchanges": ' + "[" * 100_000
    with pytest.raises(RecordingError) as caught:
        read_document(text)
    assert caught.value.reason == "JSON nested too deeply to read"
    assert caught.value.line == 2


def test_other_format_versions_are_refused() -> None:
    with pytest.raises(RecordingError, match="unsupported recording format version"):
        exchanges_of({"format": "http-recording/2", "exchanges": []})
    assert exchanges_of({"format": FORMAT, "exchanges": []}) == []


def test_a_coding_httpx_does_not_know_stays_applied() -> None:
    assert undo_content_encoding(b"raw", "x-bogus") == (b"raw", "x-bogus")
    assert undo_content_encoding(b"raw", "identity") == (b"raw", None)
    assert undo_content_encoding(b"not gzip", "gzip") == (b"not gzip", "gzip")
