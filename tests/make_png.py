"""Real, deterministic PNG files for recordings and tests, built with zlib and struct.

``png(width, height)`` is an RGBA image with a colour gradient; ``mask_png`` has a fully
transparent square in the middle (what an edit mask looks like). Both decode in any PNG
reader: the signature, IHDR, one zlib-compressed IDAT of filter-0 scanlines, and IEND,
each chunk with its CRC-32.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

__all__ = ["mask_png", "png", "read_png_size"]

SIGNATURE = b"\x89PNG\r\n\x1a\n"
Pixel = tuple[int, int, int, int]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 8, height: int = 8, pixel: Callable[[int, int], Pixel] | None = None) -> bytes:
    """A ``width`` x ``height`` 8-bit RGBA PNG; ``pixel(x, y)`` gives each colour."""
    if pixel is None:

        def pixel(x: int, y: int) -> Pixel:
            return (x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), 128, 255)

    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def mask_png(size: int = 8) -> bytes:
    """A square mask: opaque black, with a transparent square in the middle."""
    low, high = size // 4, size - size // 4

    def pixel(x: int, y: int) -> Pixel:
        inside = low <= x < high and low <= y < high
        return (0, 0, 0, 0 if inside else 255)

    return png(size, size, pixel)


def read_png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR, checking the signature and the CRC."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG")
    length, kind = struct.unpack(">I4s", data[8:16])
    body = data[12 : 16 + length]
    (crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    if kind != b"IHDR" or zlib.crc32(body) != crc:
        raise ValueError("bad IHDR chunk")
    width, height = struct.unpack(">II", data[16:24])
    return width, height
