"""Content codings of recorded messages. (Media types, and how each is read, are the
runtime's :mod:`._protocol`, shared with the client.)"""

from __future__ import annotations

from ...runtime._recording_format import REGISTERED_CODINGS, content_codings

__all__ = ["unknown_codings"]


def unknown_codings(content_encoding: str | None) -> list[str]:
    """The codings of a Content-Encoding value that HTTP does not define."""
    return [c for c in content_codings(content_encoding) if c not in REGISTERED_CODINGS]
