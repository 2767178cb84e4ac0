"""Normalise the file inputs a caller may pass into :class:`FilePart` objects.

Accepted shapes (the official SDK's ``FileTypes``, minus its 4-tuple with extra headers):

* ``bytes``: sent as is;
* an ``os.PathLike`` such as ``pathlib.Path``: opened when the body is sent and closed
  afterwards, read in chunks, never whole into memory;
* an open *binary* file object: read in chunks from the position it had when it was
  normalised; never closed by this package;
* ``(filename, content)`` or ``(filename, content, content_type)`` with one of the above
  as ``content``; a ``None`` filename or content type means "work it out".

A plain ``str`` is rejected: it could be a path or the file's content, and guessing wrong
would upload the wrong thing. Pass ``pathlib.Path(...)`` or bytes instead.

Normalising does a little I/O up front (``stat`` of a path; reading the first 16 bytes of
a path or seekable file to sniff its type, then restoring the position). Async code should
call :func:`ato_file_part`, which does that in a worker thread.
"""

from __future__ import annotations

import errno
import io
import mimetypes
import os
import stat
from collections.abc import AsyncGenerator, Callable, Generator
from typing import IO, TypeAlias, cast

import anyio
import anyio.to_thread
import attrs

from ._errors import ClientError, InvalidArgumentError, InvalidArgumentTypeError

__all__ = [
    "CHUNK_SIZE",
    "FileContent",
    "FilePart",
    "FileReader",
    "FileTypes",
    "FileUploadError",
    "ato_file_part",
    "is_file_input",
    "to_file_part",
]

FileContent: TypeAlias = IO[bytes] | bytes | os.PathLike[str]
FileTypes: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)

CHUNK_SIZE = 64 * 1024
"""Largest single read from a file while sending it."""

_SNIFF_SIZE = 16
_OCTET_STREAM = "application/octet-stream"
_GENERATED_NAMES = {
    "image/png": "image.png",
    "image/jpeg": "image.jpg",
    "image/webp": "image.webp",
}
_SHAPES = (
    "bytes, an os.PathLike such as pathlib.Path, an open binary file, "
    "or a (filename, content) / (filename, content, content_type) tuple of those"
)


class FileUploadError(ClientError, RuntimeError):
    """A file could not be sent as it was described when the request was built.

    Raised while the body is being sent: a file changed size since it was measured, could
    not be opened or read (deleted since, an I/O error), a file object's ``read`` returned
    something other than bytes, or a body holding a non-seekable file object was sent a
    second time (e.g. on a redirect or a retry).
    """


class FileReader:
    """One pass over a file part's bytes: ``read`` until it returns ``b""``, then ``close``.

    Checks the byte count against the size announced up front, so a file that changed in
    between fails with a clear error rather than a malformed request.
    """

    def __init__(
        self,
        read: Callable[[int], object],
        *,
        close: Callable[[], object] | None,
        expected_size: int | None,
        label: str,
    ) -> None:
        self._read = read
        self._close = close
        self._expected_size = expected_size
        self._label = label
        self._count = 0
        self._closed = False

    def read(self, size: int = CHUNK_SIZE) -> bytes:
        """Up to ``min(size, CHUNK_SIZE)`` bytes; ``b""`` once the file is exhausted."""
        if self._closed:
            raise FileUploadError(f"reader for {self._label} is closed")
        try:
            data = self._read(max(1, min(size, CHUNK_SIZE)))
        except OSError as exc:
            raise FileUploadError(f"{self._label} could not be read: {exc}") from exc
        if isinstance(data, str):
            raise InvalidArgumentTypeError(_text_mode_message(self._label))
        if isinstance(data, bytearray | memoryview):
            data = bytes(data)
        if not isinstance(data, bytes):
            raise FileUploadError(
                f"{self._label}: read() returned {type(data).__name__}, expected bytes "
                "(non-blocking file objects are not supported)"
            )
        self._count += len(data)
        expected = self._expected_size
        if expected is not None and (
            self._count > expected or (not data and self._count < expected)
        ):
            found = f"more than {expected}" if data else str(self._count)
            raise FileUploadError(
                f"{self._label} changed size after the request was built: "
                f"expected {expected} bytes, found {found}"
            )
        return data

    def close(self) -> None:
        """Close the file if this package opened it; a caller's file object stays open."""
        if self._closed:
            return
        self._closed = True
        if self._close is not None:
            self._close()


class _Source:
    """Where a part's bytes come from. Subclasses define ``open``."""

    label: str
    size: int | None
    in_memory = False

    def can_open(self) -> bool:
        return True

    def open(self) -> FileReader:
        raise NotImplementedError


class _BytesSource(_Source):
    in_memory = True

    def __init__(self, data: bytes) -> None:
        self._data = data
        self.size = len(data)
        self.label = f"<{len(data)} bytes>"

    def open(self) -> FileReader:
        view = memoryview(self._data)
        position = 0

        def read(size: int) -> bytes:
            nonlocal position
            chunk = bytes(view[position : position + size])
            position += len(chunk)
            return chunk

        return FileReader(read, close=None, expected_size=self.size, label=self.label)


class _PathSource(_Source):
    def __init__(self, path: str | bytes, *, size: int | None, regular: bool) -> None:
        self._path = path
        self.size = size
        self._regular = regular
        self._opened = False
        self.label = f"file {os.fsdecode(path)!r}"

    def can_open(self) -> bool:
        # A FIFO or device can't be read twice; a regular file can be reopened.
        return self._regular or not self._opened

    def open(self) -> FileReader:
        if not self.can_open():
            raise _consumed_error(self.label)
        self._opened = True
        try:
            file = open(self._path, "rb")  # noqa: SIM115 - the FileReader closes it
        except OSError as exc:  # gone or unreadable since the request was built
            raise FileUploadError(f"{self.label} could not be opened: {exc}") from exc
        return FileReader(file.read, close=file.close, expected_size=self.size, label=self.label)


class _StreamSource(_Source):
    def __init__(self, file: IO[bytes], *, start: int | None, size: int | None) -> None:
        self._file = file
        self._start = start
        self.size = size
        self._opened = False
        self.label = _describe(file)

    def can_open(self) -> bool:
        # A seekable file is rewound to where it was normalised; any other only once.
        return self._start is not None or not self._opened

    def open(self) -> FileReader:
        if not self.can_open():
            raise _consumed_error(self.label)
        self._opened = True
        if self._start is not None:
            self._file.seek(self._start)
        return FileReader(self._file.read, close=None, expected_size=self.size, label=self.label)


def _consumed_error(label: str) -> FileUploadError:
    return FileUploadError(
        f"{label} was already sent and cannot be read again (it is not seekable), so "
        "this request body cannot be replayed for a redirect or retry; pass a path, "
        "bytes, or a seekable file instead"
    )


@attrs.frozen(eq=False)
class FilePart:
    """A normalised file: its filename, content type, size, and how to read it.

    ``size`` is ``None`` when it can't be known before sending (a non-seekable stream).
    """

    filename: str
    content_type: str
    size: int | None
    _source: _Source = attrs.field(alias="source", repr=False)

    @property
    def in_memory(self) -> bool:
        """True when reading needs no I/O (the content was given as bytes)."""
        return self._source.in_memory

    def can_open(self) -> bool:
        """False once a single-use (non-seekable) source has been read."""
        return self._source.can_open()

    def open(self) -> FileReader:
        """Start one pass over the bytes; opens the file now if it was given as a path.

        Raises :class:`FileUploadError` if the source is single-use and already read.
        """
        return self._source.open()

    def iter_chunks(self, chunk_size: int = CHUNK_SIZE) -> Generator[bytes, None, None]:
        """The bytes in chunks of at most ``min(chunk_size, CHUNK_SIZE)``; closes what it opened."""
        reader = self.open()
        try:
            while chunk := reader.read(chunk_size):
                yield chunk
        finally:
            reader.close()

    async def aiter_chunks(self, chunk_size: int = CHUNK_SIZE) -> AsyncGenerator[bytes, None]:
        """:meth:`iter_chunks` for async code: opening, reading and closing a file run in
        worker threads, never on the event loop; the file is closed even on cancellation."""
        if self.in_memory:
            for chunk in self.iter_chunks(chunk_size):
                yield chunk
            return
        reader = await anyio.to_thread.run_sync(self.open)
        try:
            while chunk := await anyio.to_thread.run_sync(reader.read, chunk_size):
                yield chunk
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(reader.close)


def to_file_part(value: FileTypes) -> FilePart:
    """Normalise any accepted file input into a :class:`FilePart`.

    Filename: the tuple's, else the path's name, else the file object's ``.name`` (its
    basename, when it is a str), else a name like ``image.png`` from the content type.
    Content type: the tuple's, else sniffed from PNG/JPEG/WebP magic bytes, else guessed
    from the filename's extension, else ``application/octet-stream``.

    Raises :class:`InvalidArgumentTypeError` (a ``TypeError``) for a ``str``, a text-mode
    file, or any other unsupported shape, :class:`InvalidArgumentError` (a ``ValueError``)
    for a closed file or a content type containing line breaks, and the system's
    ``OSError`` (e.g. ``FileNotFoundError``) for a path that can't be read.
    """
    filename: str | None = None
    content_type: str | None = None
    content: object = value
    if isinstance(value, tuple):
        if len(value) not in (2, 3):
            raise InvalidArgumentTypeError(
                f"a file tuple must have 2 or 3 items, got {len(value)}; {_SHAPES}"
            )
        filename, content = value[0], value[1]
        content_type = value[2] if len(value) == 3 else None
        if filename is not None and not isinstance(filename, str):
            raise InvalidArgumentTypeError(
                f"a file tuple's filename must be a str or None, not {_kind(filename)}"
            )
        if content_type is not None and not isinstance(content_type, str):
            raise InvalidArgumentTypeError(
                f"a file tuple's content type must be a str or None, not {_kind(content_type)}"
            )
        if content_type is not None and any(c in content_type for c in "\r\n\0"):
            raise InvalidArgumentError(
                f"content type {content_type!r} contains a line break or NUL"
            )
        filename = filename or None
        content_type = content_type or None

    source, default_name, head = _source_for(content)
    filename = filename or default_name
    content_type = (
        content_type
        or _sniff(head)
        or (mimetypes.guess_type(filename)[0] if filename else None)
        or _OCTET_STREAM
    )
    if filename is None:
        filename = _generated_name(content_type)
    return FilePart(filename=filename, content_type=content_type, size=source.size, source=source)


async def ato_file_part(value: FileTypes) -> FilePart:
    """:func:`to_file_part` run in a worker thread, so its ``stat``/sniff don't block the loop."""
    return await anyio.to_thread.run_sync(to_file_part, value)


def is_file_input(value: object) -> bool:
    """Whether ``value`` has one of the shapes of a file input (see :data:`FileTypes`)."""
    if isinstance(value, tuple) and len(value) in (2, 3):
        value = value[1] if value[0] is None or isinstance(value[0], str) else None
    return isinstance(value, bytes | bytearray | memoryview | os.PathLike) or callable(
        getattr(value, "read", None)
    )


def _source_for(content: object) -> tuple[_Source, str | None, bytes]:
    """The source, a default filename, and the first bytes (empty if they can't be peeked)."""
    if isinstance(content, str):
        raise InvalidArgumentTypeError(
            "a str file input is ambiguous (a path, or the file's content?): pass "
            "pathlib.Path(...) for a file on disk, or bytes for the content"
        )
    if isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
        return _BytesSource(data), None, data[:_SNIFF_SIZE]
    if isinstance(content, os.PathLike):
        return _path_source(content)
    if callable(getattr(content, "read", None)):
        return _stream_source(cast("IO[bytes]", content))
    raise InvalidArgumentTypeError(f"unsupported file input {_kind(content)}; expected {_SHAPES}")


def _path_source(value: os.PathLike[str] | os.PathLike[bytes]) -> tuple[_Source, str, bytes]:
    path = os.fspath(value)
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", os.fsdecode(path))
    regular = stat.S_ISREG(info.st_mode)
    head = b""
    if regular:  # sniffing a FIFO or device would consume (or block on) its data
        with open(path, "rb") as file:
            head = file.read(_SNIFF_SIZE)
    name = os.path.basename(os.fsdecode(path))
    size = info.st_size if regular else None
    return _PathSource(path, size=size, regular=regular), name, head


def _stream_source(file: IO[bytes]) -> tuple[_Source, str | None, bytes]:
    if isinstance(file, io.TextIOBase):
        raise InvalidArgumentTypeError(_text_mode_message(_describe(file)))
    if getattr(file, "closed", False) is True:
        raise InvalidArgumentError(f"{_describe(file)} is closed")
    start, end = _seekable_span(file)
    head = b""
    if start is not None:
        data: object = file.read(_SNIFF_SIZE)
        file.seek(start)
        if isinstance(data, str):
            raise InvalidArgumentTypeError(_text_mode_message(_describe(file)))
        if isinstance(data, bytes | bytearray | memoryview):
            head = bytes(data)
    size = end - start if start is not None and end is not None else None
    return _StreamSource(file, start=start, size=size), _name_of(file), head


def _seekable_span(file: IO[bytes]) -> tuple[int | None, int | None]:
    """(current position, end position) of a seekable file, or (None, None)."""
    try:
        seekable = getattr(file, "seekable", None)
        if callable(seekable) and not seekable():
            return None, None
        start = file.tell()
        file.seek(0, os.SEEK_END)
        end = file.tell()
        file.seek(start)
    except (AttributeError, OSError, ValueError):
        return None, None
    if not isinstance(start, int) or not isinstance(end, int):
        return None, None
    return start, max(end, start)


def _name_of(file: object) -> str | None:
    name = getattr(file, "name", None)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if not isinstance(name, str):  # e.g. the int file descriptor of a TemporaryFile
        return None
    base = os.path.basename(name)
    if not base or (base.startswith("<") and base.endswith(">")):  # "<stdin>"
        return None
    return base


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _generated_name(content_type: str) -> str:
    known = _GENERATED_NAMES.get(content_type)
    if known is not None:
        return known
    stem = "image" if content_type.startswith("image/") else "file"
    return stem + (mimetypes.guess_extension(content_type) or "")


def _describe(file: object) -> str:
    name = getattr(file, "name", None)
    return f"file object {name if isinstance(name, str) else type(file).__name__!r}"


def _text_mode_message(label: str) -> str:
    return f'{label} is open in text mode; open it in binary mode ("rb") or pass bytes'


def _kind(value: object) -> str:
    return type(value).__name__
