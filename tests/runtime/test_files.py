"""Normalising file inputs into FileParts (generator.runtime._files)."""

from __future__ import annotations

import io
import os
import pathlib
import tempfile
import threading
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.runtime import _files
from generator.runtime._files import (
    CHUNK_SIZE,
    FilePart,
    FileUploadError,
    ato_file_part,
    to_file_part,
)

PNG_HEAD = b"\x89PNG\r\n\x1a\n"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
WEBP_HEAD = b"RIFF\x24\x00\x00\x00WEBPVP8 "


def read_all(part: FilePart) -> bytes:
    return b"".join(part.iter_chunks())


class RecordingFile:
    """A binary file object (duck-typed) that records each call's thread and read size."""

    def __init__(self, data: bytes, *, seekable: bool = True, name: object = None) -> None:
        self._inner = io.BytesIO(data)
        self._seekable = seekable
        self.name = name
        self.closed = False
        self.read_sizes: list[int] = []
        self.threads: list[int] = []

    def read(self, size: int = -1) -> bytes:
        self.threads.append(threading.get_ident())
        self.read_sizes.append(size)
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

    def close(self) -> None:
        self.closed = True


# --- bytes -------------------------------------------------------------------------


def test_png_bytes_get_sniffed_name_and_type() -> None:
    part = to_file_part(PNG_HEAD + b"rest")
    assert (part.filename, part.content_type) == ("image.png", "image/png")


def test_jpeg_bytes_get_sniffed_name_and_type() -> None:
    part = to_file_part(JPEG_HEAD + b"rest")
    assert (part.filename, part.content_type) == ("image.jpg", "image/jpeg")


def test_webp_bytes_get_sniffed_name_and_type() -> None:
    part = to_file_part(WEBP_HEAD + b"rest")
    assert (part.filename, part.content_type) == ("image.webp", "image/webp")


def test_riff_without_webp_tag_is_not_sniffed_as_webp() -> None:
    part = to_file_part(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    assert part.content_type == "application/octet-stream"


def test_unrecognised_bytes_fall_back_to_octet_stream_and_a_generic_name() -> None:
    part = to_file_part(b"hello")
    assert (part.filename, part.content_type) == ("file.bin", "application/octet-stream")


def test_bytes_size_is_their_length_and_content_is_unchanged() -> None:
    data = PNG_HEAD + bytes(range(256)) * 1000
    part = to_file_part(data)
    assert part.size == len(data)
    assert read_all(part) == data


def test_bytes_are_in_memory_and_replay() -> None:
    part = to_file_part(b"abc")
    assert part.in_memory
    assert read_all(part) == read_all(part) == b"abc"


@given(st.binary(max_size=3 * CHUNK_SIZE))
def test_any_bytes_come_back_exactly_in_chunks_no_larger_than_chunk_size(data: bytes) -> None:
    chunks = list(to_file_part(data).iter_chunks())
    assert b"".join(chunks) == data
    assert all(0 < len(chunk) <= CHUNK_SIZE for chunk in chunks)


# --- tuples ------------------------------------------------------------------------


def test_two_tuple_filename_is_used_and_type_still_sniffed() -> None:
    part = to_file_part(("cat.bin", PNG_HEAD))
    assert (part.filename, part.content_type) == ("cat.bin", "image/png")


def test_three_tuple_content_type_wins_over_sniffing() -> None:
    part = to_file_part(("cat.png", PNG_HEAD, "image/x-custom"))
    assert (part.filename, part.content_type) == ("cat.png", "image/x-custom")


def test_tuple_with_none_filename_and_type_works_them_out() -> None:
    part = to_file_part((None, JPEG_HEAD, None))
    assert (part.filename, part.content_type) == ("image.jpg", "image/jpeg")


def test_tuple_filename_extension_gives_type_when_sniffing_fails() -> None:
    part = to_file_part(("notes.txt", b"plain words"))
    assert part.content_type == "text/plain"


def test_generated_name_follows_an_explicit_content_type() -> None:
    part = to_file_part((None, b"GIF89a...", "image/gif"))
    assert part.filename == "image.gif"


def test_four_tuple_is_rejected() -> None:
    with pytest.raises(TypeError, match="2 or 3 items"):
        to_file_part(("a.png", PNG_HEAD, "image/png", {"X-A": "b"}))  # type: ignore[arg-type]


def test_tuple_with_non_str_filename_is_rejected() -> None:
    with pytest.raises(TypeError, match="filename must be a str"):
        to_file_part((b"a.png", PNG_HEAD))  # type: ignore[arg-type]


def test_content_type_with_line_break_is_rejected() -> None:
    with pytest.raises(ValueError, match="line break"):
        to_file_part(("a.png", PNG_HEAD, "image/png\r\nX-Injected: 1"))


# --- str ---------------------------------------------------------------------------


def test_plain_str_is_rejected_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"pathlib\.Path\(\.\.\.\).*bytes"):
        to_file_part("image.png")  # type: ignore[arg-type]


def test_str_inside_a_tuple_is_rejected_too() -> None:
    with pytest.raises(TypeError, match=r"pathlib\.Path"):
        to_file_part(("image.png", "image.png"))  # type: ignore[arg-type]


def test_unsupported_object_is_rejected() -> None:
    with pytest.raises(TypeError, match="unsupported file input int"):
        to_file_part(42)  # type: ignore[arg-type]


# --- paths -------------------------------------------------------------------------


def test_path_gives_its_name_size_sniffed_type_and_content(tmp_path: pathlib.Path) -> None:
    data = PNG_HEAD + os.urandom(1000)
    path = tmp_path / "picture.data"
    path.write_bytes(data)
    part = to_file_part(path)
    assert (part.filename, part.content_type, part.size) == ("picture.data", "image/png", 1000 + 8)
    assert read_all(part) == data


def test_sniffed_type_wins_over_a_misleading_extension(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(PNG_HEAD + b"x")
    assert to_file_part(path).content_type == "image/png"


def test_path_extension_gives_type_when_sniffing_fails(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    assert to_file_part(path).content_type == "text/plain"


def test_path_is_opened_only_when_read_and_closed_after(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_HEAD + b"data")
    part = to_file_part(path)
    opened = record_opens(monkeypatch)
    chunks = part.iter_chunks()
    assert opened == []
    assert next(chunks) == PNG_HEAD + b"data"
    assert len(opened) == 1 and not opened[0].closed
    assert list(chunks) == []
    assert opened[0].closed


def test_path_is_closed_when_reading_is_abandoned(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_HEAD + bytes(3 * CHUNK_SIZE))
    part = to_file_part(path)
    opened = record_opens(monkeypatch)
    chunks = part.iter_chunks()
    next(chunks)
    chunks.close()
    assert opened[0].closed


def test_normalising_a_path_leaves_no_file_open(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_HEAD)
    opened = record_opens(monkeypatch)
    to_file_part(path)
    assert all(f.closed for f in opened)


def test_path_part_replays_by_reopening(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_HEAD + b"abc")
    part = to_file_part(path)
    assert read_all(part) == read_all(part) == PNG_HEAD + b"abc"


def test_path_reads_are_at_most_chunk_size(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(PNG_HEAD + bytes(5 * CHUNK_SIZE))
    part = to_file_part(path)
    chunks = list(part.iter_chunks(10 * CHUNK_SIZE))
    assert max(map(len, chunks)) <= CHUNK_SIZE


def test_missing_path_fails_when_normalised(tmp_path: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError):
        to_file_part(tmp_path / "missing.png")


def test_directory_path_is_rejected(tmp_path: pathlib.Path) -> None:
    with pytest.raises(IsADirectoryError):
        to_file_part(tmp_path)


def test_file_that_grew_after_normalising_fails_instead_of_sending_extra(
    tmp_path: pathlib.Path,
) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_HEAD)
    part = to_file_part(path)
    path.write_bytes(PNG_HEAD + b"more")
    with pytest.raises(FileUploadError, match=r"changed size.*expected 8 bytes"):
        read_all(part)


def test_file_that_shrank_after_normalising_fails(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_HEAD + b"more")
    part = to_file_part(path)
    path.write_bytes(PNG_HEAD)
    with pytest.raises(FileUploadError, match=r"changed size.*found 8"):
        read_all(part)


# --- file objects ------------------------------------------------------------------


def test_binary_file_object_gives_basename_type_size_and_content(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "mask.png"
    data = PNG_HEAD + os.urandom(500)
    path.write_bytes(data)
    with path.open("rb") as file:
        part = to_file_part(file)
        assert (part.filename, part.content_type, part.size) == ("mask.png", "image/png", 508)
        assert read_all(part) == data


def test_file_object_is_read_from_its_current_position() -> None:
    file = io.BytesIO(b"skip" + JPEG_HEAD + b"tail")
    file.seek(4)
    part = to_file_part(file)
    assert part.size == len(JPEG_HEAD) + 4
    assert part.content_type == "image/jpeg"
    assert read_all(part) == JPEG_HEAD + b"tail"


def test_sniffing_a_file_object_restores_its_position() -> None:
    file = io.BytesIO(b"xx" + PNG_HEAD)
    file.seek(2)
    to_file_part(file)
    assert file.tell() == 2


def test_sniffing_reads_only_the_first_few_bytes() -> None:
    file = RecordingFile(PNG_HEAD + bytes(CHUNK_SIZE))
    to_file_part(file)  # type: ignore[arg-type]
    assert file.read_sizes == [16]


def test_seekable_file_object_replays_from_its_start_position() -> None:
    file = io.BytesIO(b"ab" + PNG_HEAD)
    file.seek(2)
    part = to_file_part(file)
    assert read_all(part) == read_all(part) == PNG_HEAD


def test_file_object_is_never_closed() -> None:
    file = io.BytesIO(PNG_HEAD)
    read_all(to_file_part(file))
    assert not file.closed


def test_file_object_reads_are_at_most_chunk_size() -> None:
    file = RecordingFile(PNG_HEAD + bytes(3 * CHUNK_SIZE))
    part = to_file_part(file)  # type: ignore[arg-type]
    file.read_sizes.clear()
    read_all(part)
    assert max(file.read_sizes) <= CHUNK_SIZE


def test_file_object_without_a_str_name_gets_a_generated_name() -> None:
    with tempfile.TemporaryFile() as file:  # .name is an int file descriptor on POSIX
        file.write(WEBP_HEAD)
        file.seek(0)
        assert to_file_part(file).filename == "image.webp"


def test_stdin_like_name_is_ignored() -> None:
    file = RecordingFile(PNG_HEAD, name="<stdin>")
    assert to_file_part(file).filename == "image.png"  # type: ignore[arg-type]


def test_non_seekable_file_object_has_unknown_size_and_is_not_sniffed() -> None:
    file = RecordingFile(PNG_HEAD + b"data", seekable=False, name="/x/stream.png")
    part = to_file_part(file)  # type: ignore[arg-type]
    assert part.size is None
    assert file.read_sizes == []  # nothing consumed before sending
    assert (part.filename, part.content_type) == ("stream.png", "image/png")  # from the name
    assert read_all(part) == PNG_HEAD + b"data"


def test_non_seekable_file_object_cannot_be_read_twice() -> None:
    part = to_file_part(RecordingFile(b"data", seekable=False))  # type: ignore[arg-type]
    read_all(part)
    assert not part.can_open()
    with pytest.raises(FileUploadError, match="cannot be read again"):
        read_all(part)


def test_text_mode_file_is_rejected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello")
    with path.open("r") as file, pytest.raises(TypeError, match="text mode"):
        to_file_part(file)  # type: ignore[arg-type]


def test_stringio_is_rejected() -> None:
    with pytest.raises(TypeError, match="text mode"):
        to_file_part(io.StringIO("hello"))  # type: ignore[arg-type]


def test_duck_typed_file_returning_str_is_rejected() -> None:
    class StrReader:
        def read(self, size: int = -1) -> str:
            return "text"

    part = to_file_part(StrReader())  # type: ignore[arg-type]  # not seekable: found on read
    with pytest.raises(TypeError, match="text mode"):
        read_all(part)


def test_closed_file_is_rejected() -> None:
    file = io.BytesIO(PNG_HEAD)
    file.close()
    with pytest.raises(ValueError, match="closed"):
        to_file_part(file)


# --- async -------------------------------------------------------------------------


async def test_ato_file_part_does_its_io_in_a_worker_thread() -> None:
    file = RecordingFile(PNG_HEAD)
    part = await ato_file_part(file)  # type: ignore[arg-type]
    assert part.content_type == "image/png"
    assert file.threads and threading.get_ident() not in file.threads


# --- helpers -----------------------------------------------------------------------


def record_opens(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Patch the module's ``open`` to remember every file it opens."""
    opened: list[Any] = []
    real_open: Callable[..., Any] = open

    def recording_open(*args: Any, **kwargs: Any) -> Any:
        file = real_open(*args, **kwargs)
        opened.append(file)
        return file

    monkeypatch.setattr(_files, "open", recording_open, raising=False)
    return opened
