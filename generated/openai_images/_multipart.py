"""A streaming ``multipart/form-data`` request body (RFC 7578 on RFC 2046's framing).

Text fields come first, then files, each in the order given. File contents are read in
chunks of at most :data:`~._files.CHUNK_SIZE` bytes while the body is sent, so memory use
does not grow with file size.

Sync: ``httpx.Request(..., headers={**body.headers}, content=body)`` (the body is an
``Iterable[bytes]``). Async: ``content=body.aiter()``, whose iteration opens, reads and
closes files in worker threads (``anyio.to_thread.run_sync``), never on the event loop.

Replay: each iteration produces the whole body again, so httpx can resend it on a
307/308 redirect and a client can retry it. Bytes and paths (re-opened) always replay;
a seekable file object is rewound to the position it had when it was normalised; a
non-seekable file object can be read only once, so a second iteration raises
:class:`~._files.FileUploadError` before yielding anything (see :attr:`can_replay`).
Two iterations of one body must not run at the same time.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterable, Iterator

import httpx

from ._errors import ClientError, InvalidArgumentError, InvalidArgumentTypeError
from ._files import CHUNK_SIZE, FilePart, FileUploadError

__all__ = ["AsyncMultipartStream", "BodyStream", "MultipartBody", "MultipartStream"]

_CRLF = b"\r\n"
# RFC 2046 section 5.1.1: 1-70 of these characters, not ending in a space.
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
# Characters that force the boundary parameter to be quoted (RFC 2045 tspecials + space).
_NEEDS_QUOTES = re.compile(r"[()<>@,;:\\\"/\[\]?= ]")


class MultipartBody:
    """A ``multipart/form-data`` body that streams its files.

    ``fields`` are ``(name, value)`` pairs of already-serialised text, sent UTF-8 encoded;
    ``files`` are ``(name, FilePart)`` pairs from :func:`~._files.to_file_part`. A name may
    repeat (e.g. ``image[]`` once per image). ``boundary`` is random unless given.
    """

    def __init__(
        self,
        fields: Iterable[tuple[str, str]] = (),
        files: Iterable[tuple[str, FilePart]] = (),
        *,
        boundary: str | None = None,
    ) -> None:
        if boundary is None:
            boundary = secrets.token_hex(16)
        elif not isinstance(boundary, str) or not _BOUNDARY.fullmatch(boundary):
            raise InvalidArgumentError(
                f"invalid multipart boundary {boundary!r}: use 1-70 letters, digits or "
                "'()+_,-./:=? (spaces allowed, but not at the end)"
            )
        self._boundary = boundary
        delimiter = b"--" + boundary.encode("ascii")

        self._fields: list[bytes] = []
        for name, value in fields:
            _check_name(name, "field")
            if not isinstance(value, str):
                raise InvalidArgumentTypeError(
                    f"multipart field {name!r} must be a str, not {type(value).__name__}; "
                    "convert values to their wire strings before building the body"
                )
            self._fields.append(
                delimiter
                + _CRLF
                + _disposition(name, None)
                + _CRLF
                + _CRLF
                + value.encode("utf-8")
                + _CRLF
            )

        self._files: list[tuple[bytes, FilePart]] = []
        for name, part in files:
            _check_name(name, "file")
            if not isinstance(part, FilePart):
                raise InvalidArgumentTypeError(
                    f"multipart file {name!r} must be a FilePart (use to_file_part()), "
                    f"not {type(part).__name__}"
                )
            head = (
                delimiter
                + _CRLF
                + _disposition(name, part.filename)
                + _CRLF
                + b"Content-Type: "
                + part.content_type.encode("utf-8")
                + _CRLF
                + _CRLF
            )
            self._files.append((head, part))

        self._closing = delimiter + b"--" + _CRLF

        length: int | None = sum(map(len, self._fields)) + len(self._closing)
        for head, part in self._files:
            if part.size is None or length is None:
                length = None
            else:
                length += len(head) + part.size + len(_CRLF)
        self._content_length = length

    @property
    def boundary(self) -> str:
        return self._boundary

    @property
    def content_type(self) -> str:
        """``multipart/form-data; boundary=...``, for the request's Content-Type header."""
        boundary = self._boundary
        if _NEEDS_QUOTES.search(boundary):
            boundary = f'"{boundary}"'
        return f"multipart/form-data; boundary={boundary}"

    @property
    def content_length(self) -> int | None:
        """The exact body size, or ``None`` if a file's size is unknown (a stream)."""
        return self._content_length

    @property
    def headers(self) -> dict[str, str]:
        """Content-Type, plus Content-Length when known (else httpx sends it chunked)."""
        headers = {"Content-Type": self.content_type}
        if self._content_length is not None:
            headers["Content-Length"] = str(self._content_length)
        return headers

    @property
    def can_replay(self) -> bool:
        """Whether iterating (again) will work: False once a single-use file was read."""
        return all(part.can_open() for _, part in self._files)

    def __iter__(self) -> Iterator[bytes]:
        """The body's bytes; files are opened and read in the calling thread."""
        return self._iter_chunks()

    def _iter_chunks(self) -> Generator[bytes, None, None]:
        self._check_replay()
        yield from self._fields
        for head, part in self._files:
            yield head
            yield from part.iter_chunks(CHUNK_SIZE)
            yield _CRLF
        yield self._closing

    def aiter(self) -> AsyncMultipartStream:
        """An async iterable of the body's bytes for ``httpx.AsyncClient`` (``content=``)."""
        return AsyncMultipartStream(self)

    async def _aiter_chunks(self) -> AsyncGenerator[bytes, None]:
        self._check_replay()
        for chunk in self._fields:
            yield chunk
        for head, part in self._files:
            yield head
            # Closed explicitly: an abandoned body must close its file now, not at GC time.
            async with contextlib.aclosing(part.aiter_chunks(CHUNK_SIZE)) as chunks:
                async for chunk in chunks:
                    yield chunk
            yield _CRLF
        yield self._closing

    def _check_replay(self) -> None:
        for _, part in self._files:
            if not part.can_open():
                raise FileUploadError(
                    f"file {part.filename!r} (a non-seekable file object) was already "
                    "sent and cannot be read again, so this request body cannot be "
                    "replayed (e.g. for a redirect or retry); pass a path, bytes, or a "
                    "seekable file instead"
                )

    def __repr__(self) -> str:
        return (
            f"<MultipartBody fields={len(self._fields)} files={len(self._files)} "
            f"content_length={self._content_length}>"
        )


class AsyncMultipartStream:
    """Async view of a :class:`MultipartBody`; each ``async for`` sends the body anew.

    File opens, reads and closes run in worker threads, so disk I/O never blocks the loop.
    """

    def __init__(self, body: MultipartBody) -> None:
        self._body = body

    @property
    def body(self) -> MultipartBody:
        return self._body

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._body._aiter_chunks()


class BodyStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A request body that both kinds of client can send, again on each retry.

    Each iteration produces the whole body anew. :meth:`close` / :meth:`aclose` end an
    iteration the HTTP client abandoned (a timeout or a dropped connection mid-upload), so
    a file it opened is closed at once rather than when the garbage collector finds it.
    Subclasses define ``_chunks``, ``_achunks`` and ``can_replay``.
    """

    def __init__(self) -> None:
        self._sync: Generator[bytes, None, None] | None = None
        self._async: AsyncGenerator[bytes, None] | None = None

    @property
    def can_replay(self) -> bool:
        """Whether (another) iteration will work: False once a single-use file was read."""
        return True

    def _chunks(self) -> Generator[bytes, None, None]:
        raise NotImplementedError

    def _achunks(self) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[bytes]:
        self.close()
        self._sync = self._chunks()
        return self._sync

    def __aiter__(self) -> AsyncIterator[bytes]:
        self._async = self._achunks()
        return self._async

    def close(self) -> None:
        """End an unfinished sync iteration (closes what it opened)."""
        iteration, self._sync = self._sync, None
        if iteration is not None:
            iteration.close()

    async def aclose(self) -> None:
        """End an unfinished async iteration (closes what it opened)."""
        iteration, self._async = self._async, None
        if iteration is not None:
            await iteration.aclose()


class MultipartStream(BodyStream):
    """A :class:`MultipartBody` as an httpx stream that both kinds of client can send.

    Pass it as ``httpx.Request(..., stream=...)``: the sync client iterates it in the
    calling thread, the async client reads files in worker threads.
    """

    def __init__(self, body: MultipartBody) -> None:
        super().__init__()
        self.body = body

    @property
    def can_replay(self) -> bool:
        return self.body.can_replay

    def _chunks(self) -> Generator[bytes, None, None]:
        return self.body._iter_chunks()

    def _achunks(self) -> AsyncGenerator[bytes, None]:
        return self.body._aiter_chunks()


def _check_name(name: object, kind: str) -> None:
    if not isinstance(name, str):
        raise InvalidArgumentTypeError(
            f"multipart {kind} name must be a str, not {type(name).__name__}"
        )


def _escape(value: str) -> bytes:
    """Percent-encode ``"``, CR and LF as browsers do (WHATWG form-data), then UTF-8."""
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A").encode("utf-8")


def _disposition(name: str, filename: str | None) -> bytes:
    header = b'Content-Disposition: form-data; name="' + _escape(name) + b'"'
    if filename is not None:
        header += b'; filename="' + _escape(filename) + b'"'
    return header


# ---------------------------------------------------------------- parsing
# The other direction, for bodies this package did not build: the recorder stores the parts
# of a recorded body readably, and the generator's ``conform`` checks them.

_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")


class MultipartError(ClientError, ValueError):
    """A body that is not well-formed ``multipart/form-data``; the message says where."""


class FormPart:
    """One part of a parsed body: its headers as sent, its content, and what they name."""

    __slots__ = ("content_type", "data", "filename", "headers", "name")

    def __init__(
        self,
        headers: tuple[tuple[str, str], ...],
        data: bytes,
        name: str | None,
        filename: str | None,
        content_type: str | None,
    ) -> None:
        self.headers = headers
        self.data = data
        self.name = name
        self.filename = filename
        self.content_type = content_type

    @property
    def is_file(self) -> bool:
        return self.filename is not None

    def __repr__(self) -> str:
        return (
            f"<FormPart name={self.name!r} filename={self.filename!r} "
            f"content_type={self.content_type!r} data=<{len(self.data)} bytes>>"
        )


def header_param(value: str | None, name: str) -> str | None:
    """A parameter of a header value (``boundary`` of a Content-Type, ``name`` of a
    Content-Disposition), unquoted; None when it is not there."""
    if not value:
        return None
    for match in _PARAM.finditer(";" + value.partition(";")[2]):
        if match.group(1).lower() == name:
            found = match.group(2).strip()
            if len(found) >= 2 and found[0] == found[-1] == '"':
                found = re.sub(r"\\(.)", r"\1", found[1:-1])
            return found
    return None


def parse_multipart(body: bytes, boundary: str) -> list[FormPart]:
    """The parts of ``body``; raises :class:`MultipartError` saying what is wrong.

    A preamble before the first boundary and an epilogue after the last are skipped.
    """
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    if body.startswith(delimiter):
        position = 0
    else:
        position = body.find(_CRLF + delimiter)  # after a preamble
        if position < 0:
            raise MultipartError(f"the boundary {boundary!r} does not occur in the body")
        position += 2
    parts: list[FormPart] = []
    while True:
        position += len(delimiter)
        if body.startswith(b"--", position):
            return parts  # the closing delimiter
        line_end = body.find(_CRLF, position)
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise MultipartError(f"part {len(parts)}: no line break after the boundary")
        start = line_end + 2
        end = body.find(_CRLF + delimiter, start)
        if end < 0:
            raise MultipartError(f"part {len(parts)}: the body ends without a closing boundary")
        parts.append(_parsed_part(body, start, end, len(parts)))
        position = end + 2


def join_parts(boundary: str, parts: Iterable[tuple[Iterable[tuple[str, str]], bytes]]) -> bytes:
    """The body made of these ``(headers, content)`` parts, each header written
    ``Name: value``: :func:`parse_multipart` read backwards, for parts kept as they were
    received. Request bodies are built by :class:`MultipartBody`."""
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    out: list[bytes] = []
    for headers, content in parts:
        out.append(delimiter + _CRLF)
        for name, value in headers:
            out.append(f"{name}: {value}".encode("utf-8", "surrogateescape") + _CRLF)
        out += [_CRLF, content, _CRLF]
    out.append(delimiter + b"--" + _CRLF)
    return b"".join(out)


def _parsed_part(body: bytes, start: int, end: int, index: int) -> FormPart:
    if body.startswith(_CRLF, start):
        head, content_start = b"", start + 2
    else:
        head_end = body.find(_CRLF + _CRLF, start, end + 2)
        if head_end < 0:
            raise MultipartError(f"part {index}: no blank line after its headers")
        head, content_start = body[start:head_end], head_end + 4
    headers: list[tuple[str, str]] = []
    for line in head.split(_CRLF) if head else []:
        key, colon, value = line.partition(b":")
        if not colon or not key.strip():
            raise MultipartError(f"part {index}: malformed header line {line[:60]!r}")
        text = value.strip(b" \t").decode("utf-8", "surrogateescape")
        headers.append((key.decode("utf-8", "surrogateescape").strip(), text))
    found = {name.lower(): value for name, value in reversed(headers)}  # first one wins
    disposition = found.get("content-disposition")
    filename = header_param(disposition, "filename")
    extended = header_param(disposition, "filename*")
    if extended is not None:
        filename = _extended_value(extended, index)
    return FormPart(
        tuple(headers),
        body[content_start:end],
        header_param(disposition, "name"),
        filename,
        found.get("content-type"),
    )


def _extended_value(value: str, index: int) -> str:
    """An RFC 8187 ``charset'language'percent-encoded`` parameter value, decoded."""
    charset, quote, rest = value.partition("'")
    _language, quote_two, encoded = rest.partition("'")
    if not quote or not quote_two:
        raise MultipartError(f"part {index}: malformed filename* value {value[:60]!r}")
    raw = _PERCENT.sub(
        lambda m: bytes.fromhex(m.group(1).decode("ascii")),
        encoded.encode("utf-8", "surrogateescape"),
    )
    try:
        return raw.decode(charset or "utf-8")
    except (LookupError, ValueError):  # an unknown charset, or bytes it cannot decode
        raise MultipartError(
            f"part {index}: its filename* cannot be decoded as {charset[:40]!r}"
        ) from None


__all__ += ["FormPart", "MultipartError", "header_param", "join_parts", "parse_multipart"]
