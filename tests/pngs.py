"""Real PNG bytes for tests: a tiny RGBA image built with zlib and struct."""

from __future__ import annotations

import struct
import zlib


def png_bytes(width: int = 2, height: int = 2, seed: int = 0) -> bytes:
    """A valid PNG of ``width`` x ``height`` RGBA pixels whose colours depend on ``seed``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + bytes((seed + x + y) % 256 for x in range(width) for _ in range(4))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
