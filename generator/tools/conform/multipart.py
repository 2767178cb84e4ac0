"""Split a ``multipart/form-data`` body into its parts (RFC 7578 on RFC 2046's framing)."""

from __future__ import annotations

import re
import urllib.parse

import attrs

__all__ = ["FormPart", "MultipartError", "media_type", "media_type_param", "parse_multipart"]

_CRLF = b"\r\n"
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


class MultipartError(ValueError):
    """The body is not well-formed multipart data."""


@attrs.frozen
class FormPart:
    """One part: its field name, file name (for a file), content type and raw bytes."""

    name: str | None
    filename: str | None
    content_type: str | None
    data: bytes = attrs.field(repr=lambda d: f"<{len(d)} bytes>")

    @property
    def is_file(self) -> bool:
        return self.filename is not None


def media_type(content_type: str | None) -> str | None:
    """``type/subtype`` of a Content-Type value, lower-cased, without parameters."""
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    return value or None


def media_type_param(content_type: str | None, name: str) -> str | None:
    """A parameter of a Content-Type value (``boundary``, ``charset``), unquoted."""
    if not content_type:
        return None
    params = content_type.partition(";")[2]
    for match in _PARAM.finditer(";" + params):
        if match.group(1).lower() == name:
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            return value
    return None


def parse_multipart(body: bytes, boundary: str) -> list[FormPart]:
    """The parts of ``body``; raises :class:`MultipartError` saying what is wrong."""
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    if body.startswith(delimiter):
        position = 0
    else:
        position = body.find(_CRLF + delimiter)  # skip a preamble
        if position < 0:
            raise MultipartError(f"the boundary {boundary!r} does not occur in the body")
        position += 2
    parts: list[FormPart] = []
    while True:
        position += len(delimiter)
        if body.startswith(b"--", position):
            return parts  # the closing delimiter; anything after it is an epilogue
        line_end = body.find(_CRLF, position)
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise MultipartError(f"part {len(parts)}: no line break after the boundary")
        start = line_end + 2
        end = body.find(_CRLF + delimiter, start)
        if end < 0:
            raise MultipartError(f"part {len(parts)}: the body ends without a closing boundary")
        parts.append(_part(body, start, end, len(parts)))
        position = end + 2


def _part(body: bytes, start: int, end: int, index: int) -> FormPart:
    if body.startswith(_CRLF, start):
        head, content_start = b"", start + 2
    else:
        head_end = body.find(_CRLF + _CRLF, start, end + 2)
        if head_end < 0:
            raise MultipartError(f"part {index}: no blank line after its headers")
        head, content_start = body[start:head_end], head_end + 4
    name = filename = content_type = None
    for raw in head.split(_CRLF) if head else []:
        key, colon, value = raw.partition(b":")
        if not colon:
            raise MultipartError(f"part {index}: malformed header line {raw[:60]!r}")
        text = value.decode("utf-8", "replace").strip()
        lowered = key.strip().lower()
        if lowered == b"content-disposition":
            name = media_type_param(text, "name")
            filename = media_type_param(text, "filename")
            extended = media_type_param(text, "filename*")
            if extended and "''" in extended:
                charset, _, encoded = extended.partition("''")
                filename = urllib.parse.unquote(encoded, encoding=charset or "utf-8")
        elif lowered == b"content-type":
            content_type = text
    return FormPart(name, filename, content_type, body[content_start:end])
