"""Media types and content codings of recorded messages."""

from __future__ import annotations

from typing import Any

from ...runtime._recording_format import REGISTERED_CODINGS, content_codings

__all__ = ["is_json", "media_key", "media_type", "unknown_codings"]


def media_type(content_type: str | None) -> str | None:
    """``type/subtype`` of a Content-Type value, lower-cased, without parameters."""
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    return value or None


def is_json(media: str | None) -> bool:
    return media is not None and (media == "application/json" or media.endswith("+json"))


def media_key(media: str | None, content: dict[str, Any]) -> str | None:
    """The key of ``content`` that a media type falls under (exact, then ranges)."""
    if media is None:
        return None
    lowered = {key.split(";", 1)[0].strip().lower(): key for key in content}
    for candidate in (media, media.split("/", 1)[0] + "/*", "*/*"):
        if candidate in lowered:
            return lowered[candidate]
    return None


def unknown_codings(content_encoding: str | None) -> list[str]:
    """The codings of a Content-Encoding value that HTTP does not define."""
    return [c for c in content_codings(content_encoding) if c not in REGISTERED_CODINGS]
