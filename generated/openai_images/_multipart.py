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
from collections.abc import AsyncIterator, Iterable, Iterator

import httpx

from ._files import CHUNK_SIZE, FilePart, FileUploadError

__all__ = ["AsyncMultipartStream", "MultipartBody", "MultipartStream"]

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
            raise ValueError(
                f"invalid multipart boundary {boundary!r}: use 1-70 letters, digits or "
                "'()+_,-./:=? (spaces allowed, but not at the end)"
            )
        self._boundary = boundary
        delimiter = b"--" + boundary.encode("ascii")

        self._fields: list[bytes] = []
        for name, value in fields:
            _check_name(name, "field")
            if not isinstance(value, str):
                raise TypeError(
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
                raise TypeError(
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

    async def _aiter_chunks(self) -> AsyncIterator[bytes]:
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


class MultipartStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A :class:`MultipartBody` as an httpx stream that both kinds of client can send.

    Pass it as ``httpx.Request(..., stream=...)``: the sync client iterates it in the
    calling thread, the async client reads files in worker threads.
    """

    def __init__(self, body: MultipartBody) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.body._aiter_chunks():
            yield chunk


def _check_name(name: object, kind: str) -> None:
    if not isinstance(name, str):
        raise TypeError(f"multipart {kind} name must be a str, not {type(name).__name__}")


def _escape(value: str) -> bytes:
    """Percent-encode ``"``, CR and LF as browsers do (WHATWG form-data), then UTF-8."""
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A").encode("utf-8")


def _disposition(name: str, filename: str | None) -> bytes:
    header = b'Content-Disposition: form-data; name="' + _escape(name) + b'"'
    if filename is not None:
        header += b'; filename="' + _escape(filename) + b'"'
    return header
