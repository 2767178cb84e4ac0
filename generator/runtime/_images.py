"""Saving the base64 images of an event stream to files as they arrive.

Only packages whose spec streams image payloads (events with a ``b64_json`` property) carry
this module::

    with client.images.edit(image=..., prompt="...", stream=True) as stream:
        paths = save_images(stream, "out/")
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio.to_thread

from ._errors import StreamDecodeError
from ._events import _excerpt_text

if TYPE_CHECKING:
    from ._async_client import AsyncStream
    from ._sync_client import Stream

__all__ = ["asave_images", "save_images"]

_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"WEBP", 8, "webp"),
)


def save_images(stream: Stream[Any], directory: str | Path, *, prefix: str = "image") -> list[Path]:
    """Read the whole stream, writing each event's ``b64_json`` image as it arrives.

    Files are named ``{prefix}-{n}.{ext}`` with ``n`` counting images from 0 and ``ext``
    the event's ``output_format`` (else sniffed: png, jpeg, webp, else ``bin``). Returns
    the paths in order of arrival. Bad base64 raises ``StreamDecodeError``.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with stream:
        for event in stream:
            image = _image_of(event)
            if image is not None:
                name = f"{prefix}-{len(paths)}"
                index = stream.events_received - 1
                paths.append(_write_image(folder, name, *image, index, stream))
    return paths


async def asave_images(
    stream: AsyncStream[Any], directory: str | Path, *, prefix: str = "image"
) -> list[Path]:
    """:func:`save_images` for an ``AsyncStream``: decoding and writing run in worker
    threads, never on the event loop."""
    folder = Path(directory)
    await anyio.to_thread.run_sync(functools.partial(folder.mkdir, parents=True, exist_ok=True))
    paths: list[Path] = []
    async with stream:
        async for event in stream:
            image = _image_of(event)
            if image is not None:
                name = f"{prefix}-{len(paths)}"
                index = stream.events_received - 1
                write = functools.partial(_write_image, folder, name, *image, index, stream)
                paths.append(await anyio.to_thread.run_sync(write))
    return paths


def _image_of(event: object) -> tuple[str, object] | None:
    b64 = getattr(event, "b64_json", None)
    if not isinstance(b64, str):
        return None
    return b64, getattr(event, "output_format", None)


def _write_image(
    directory: Path,
    name: str,
    b64: str,
    output_format: object,
    event_index: int,
    stream: Stream[Any] | AsyncStream[Any],
) -> Path:
    try:
        blob = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        bad = _NOT_BASE64.search(b64)
        excerpt = _excerpt_text(b64, bad.start() if bad else max(0, len(b64) - 8))
        raise StreamDecodeError(
            f"Event {event_index} (0-based): b64_json is not valid base64: {excerpt}",
            event_index=event_index,
            excerpt=excerpt,
            response=stream.response,
        ) from exc
    path = directory / f"{name}.{_extension(output_format, blob)}"
    path.write_bytes(blob)
    return path


def _extension(output_format: object, blob: bytes) -> str:
    # The enum's value, or the string a newer server sent; only a short alphanumeric word
    # can become a file extension.
    value = getattr(output_format, "value", output_format)
    if isinstance(value, str) and 0 < len(value) <= 8 and value.isascii() and value.isalnum():
        return value.lower()
    for magic, offset, extension in _MAGIC:
        if blob[offset : offset + len(magic)] == magic and (offset == 0 or blob[:4] == b"RIFF"):
            return extension
    return "bin"
