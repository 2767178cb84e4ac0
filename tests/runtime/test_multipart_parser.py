"""The runtime's multipart parser: the inverse of ``MultipartBody``, strict about framing,
and never failing on a part's text except with a ``MultipartError`` that says where."""

from __future__ import annotations

import pytest

from generator.runtime._files import to_file_part
from generator.runtime._multipart import (
    MultipartBody,
    MultipartError,
    header_param,
    join_parts,
    parse_multipart,
)

BOUNDARY = "b0undary"


def body(*parts: bytes) -> bytes:
    framed = b"".join(b"--" + BOUNDARY.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return framed + b"--" + BOUNDARY.encode() + b"--\r\n"


def test_parses_what_multipart_body_writes() -> None:
    image = to_file_part(("a.png", b"\x89PNG data", "image/png"))
    written = b"".join(
        MultipartBody([("prompt", 'say "hi"')], [("image[]", image)], boundary=BOUNDARY)
    )
    prompt, file = parse_multipart(written, BOUNDARY)
    assert (prompt.name, prompt.filename, prompt.data) == ("prompt", None, b'say "hi"')
    assert (file.name, file.filename, file.content_type) == ("image[]", "a.png", "image/png")
    assert file.data == b"\x89PNG data" and file.is_file


def test_join_parts_rebuilds_the_parsed_body() -> None:
    written = body(
        b'Content-Disposition: form-data; name="a"\r\n\r\nline one\r\nline two',
        b"\r\nno headers at all",
    )
    parts = parse_multipart(written, BOUNDARY)
    assert join_parts(BOUNDARY, ((p.headers, p.data) for p in parts)) == written
    assert parts[1].headers == () and parts[1].data == b"no headers at all"


def test_preamble_and_epilogue_are_skipped() -> None:
    written = b"preamble\r\n" + body(b'Content-Disposition: form-data; name="a"\r\n\r\nx') + b"tail"
    (part,) = parse_multipart(written, BOUNDARY)
    assert (part.name, part.data) == ("a", b"x")


def test_extended_filename_is_decoded() -> None:
    head = b"Content-Disposition: form-data; name=\"f\"; filename*=utf-8''%C3%A9t%C3%A9.png"
    (part,) = parse_multipart(body(head + b"\r\n\r\nx"), BOUNDARY)
    assert part.filename == "été.png"


@pytest.mark.parametrize(
    "value",
    ["x-bogus-charset''a.png", "rot13''a.png", "utf-8''%FF.png", "no-quotes.png"],
)
def test_undecodable_extended_filename_is_a_multipart_error(value: str) -> None:
    head = b'Content-Disposition: form-data; name="f"; filename*=' + value.encode()
    with pytest.raises(MultipartError, match="part 0"):
        parse_multipart(body(head + b"\r\n\r\nx"), BOUNDARY)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (b"no boundary here", "does not occur"),
        (b"--" + BOUNDARY.encode() + b"\r\nContent-Type: x\r\n\r\nunclosed", "closing boundary"),
        (body(b"Content-Type: x\r\nno blank line"), "no blank line"),
        (body(b"not a header\r\n\r\nx"), "malformed header line"),
    ],
)
def test_broken_framing_is_a_multipart_error(written: bytes, message: str) -> None:
    with pytest.raises(MultipartError, match=message):
        parse_multipart(written, BOUNDARY)


def test_header_params_are_unquoted() -> None:
    value = 'multipart/form-data; charset=utf-8; boundary="a \\"b\\" c"'
    assert header_param(value, "boundary") == 'a "b" c'
    assert header_param(value, "charset") == "utf-8"
    assert header_param(value, "missing") is None
    assert header_param(None, "boundary") is None
