"""The protocol rules that the runtime, the generator and ``conform`` share, each decided
here once: the methods of an OpenAPI path item, response status keys, server URLs and
their base paths, which media type is read and written how, the ``[DONE]`` event that ends
a stream and the type each event has. Pure functions of text; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

__all__ = [
    "ADDITIONAL_OPERATIONS",
    "DONE",
    "METHODS",
    "QUERY",
    "base_path",
    "declared_media",
    "event_type",
    "is_done",
    "is_http_status",
    "is_json",
    "is_success_key",
    "media_kind",
    "media_type",
    "path_item_methods",
    "path_pattern",
    "response_key",
    "server_url",
    "status_class",
    "status_matches",
]

# ---------------------------------------------------------------- operations

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The operations of a path item in OpenAPI 3.0 and 3.1, in the specification's order."""
QUERY = "query"
"""OpenAPI 3.2's QUERY method, a fixed field of its path items."""
ADDITIONAL_OPERATIONS = "additionalOperations"
"""OpenAPI 3.2: a path item's operations with other methods, by method name."""


def path_item_methods(version: str) -> tuple[str, ...]:
    """The fixed method fields of a path item in this OpenAPI version (``"3.1"``)."""
    return (*METHODS, QUERY) if version == "3.2" else METHODS


# ---------------------------------------------------------------- statuses


def is_http_status(status: int) -> bool:
    """Whether ``status`` is an HTTP status code (100 to 599)."""
    return 100 <= status <= 599


def status_class(key: str) -> int | None:
    """The class (1 to 5) a range key of a Responses Object covers: ``2XX`` is 2.

    OpenAPI writes ranges with an uppercase ``X``; a lowercase one (``2xx``) is read the
    same, as many specs write it (the validator warns about it). None: not a range.
    """
    if len(key) == 3 and key[0] in "12345" and key[1:] in ("XX", "xx"):
        return int(key[0])
    return None


def status_matches(key: str, status: int) -> bool:
    """Whether a status key (``201``, ``2XX``) covers ``status``; ``default`` is no match."""
    return key == str(status) or status_class(key) == status // 100


def response_key(status: int, keys: Iterable[str]) -> str | None:
    """The key of a Responses Object that answers ``status``: the status itself, else its
    range, else ``default``; None when none of them is declared."""
    declared = list(keys)
    for wanted in (str(status), None, "default"):
        for key in declared:
            if key == wanted or (wanted is None and status_class(key) == status // 100):
                return key
    return None


def is_success_key(key: str) -> bool:
    """Whether a status key (``200``, ``2XX``, ``2xx``, ``default``) is a 2xx answer."""
    if status_class(key) is not None:
        return status_class(key) == 2
    return len(key) == 3 and key.isdigit() and key[0] == "2"


# ---------------------------------------------------------------- servers

_VARIABLE = re.compile(r"(\{[^{}/]*\})")


def server_url(url: str, defaults: Mapping[str, str]) -> str:
    """A Server Object's URL with each of its variables given its default, without a
    trailing slash. A ``{name}`` that is no variable of the server stays as written."""
    for name, default in defaults.items():
        url = url.replace("{" + name + "}", default)
    return url.rstrip("/")


def base_path(url: str) -> str:
    """The path of a server URL: after the scheme and host (a proxy may change those),
    without query, fragment or trailing slash; ``""`` for none. Variables stay as written."""
    path = url.partition("?")[0].partition("#")[0]
    if "://" in path:
        path = "/" + path.partition("://")[2].partition("/")[2]
    return path.rstrip("/")


def path_pattern(template: str, values: Mapping[str, Sequence[str]] | None = None) -> str:
    """A regular expression for the paths a template stands for: each ``{name}`` is one of
    ``values[name]`` when given, else one path segment (``[^/]+``), or, with ``values``
    given (a server's variables), any text within a segment."""
    pieces = []
    for piece in _VARIABLE.split(template):
        if not (piece.startswith("{") and piece.endswith("}")):
            pieces.append(re.escape(piece))
        elif values is None:
            pieces.append("[^/]+")
        elif values.get(piece[1:-1]):
            pieces.append("(?:" + "|".join(re.escape(v) for v in values[piece[1:-1]]) + ")")
        else:
            pieces.append("[^/]*")
    return "".join(pieces)


# ---------------------------------------------------------------- media types

MediaKind = Literal["json", "multipart", "form", "text", "event-stream", "binary"]


def media_type(content_type: str | None) -> str:
    """``type/subtype`` of a Content-Type value or a Media Types key, lower-cased, without
    parameters; ``""`` for none."""
    return (content_type or "").partition(";")[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    """Whether the media type is JSON: ``application/json`` or a ``+json`` suffix."""
    media = media_type(content_type)
    return media == "application/json" or media.endswith("+json")


def media_kind(content_type: str | None) -> MediaKind | None:
    """How a body of this media type is written and read; None when there is no rule for
    it. A spec's ``*/*`` (anything) is written and read as JSON."""
    media = media_type(content_type)
    if is_json(media) or media == "*/*":
        return "json"
    if media == "text/event-stream":
        return "event-stream"
    if media == "multipart/form-data":
        return "multipart"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media.startswith("text/"):
        return "text"  # plain, markdown, csv, html...
    if media == "application/octet-stream" or media.split("/")[0] in ("image", "audio", "video"):
        return "binary"
    return None


def declared_media(content_type: str | None, keys: Iterable[str]) -> str | None:
    """The key of a ``content`` map that a message's media type falls under: the type
    itself, else its ``type/*`` range, else ``*/*``; None when none is declared."""
    media = media_type(content_type)
    if not media:
        return None
    lowered = {media_type(key): key for key in reversed(list(keys))}
    for candidate in (media, media.split("/", 1)[0] + "/*", "*/*"):
        if candidate in lowered:
            return lowered[candidate]
    return None


# ---------------------------------------------------------------- event streams

DONE = b"[DONE]"
"""The data of the event that ends a stream (OpenAI's sentinel); nothing after it is read."""


def is_done(data: bytes) -> bool:
    """Whether an event's data is the ``[DONE]`` sentinel."""
    return len(data) <= 16 and data.strip() == DONE


def event_type(discriminator: str | None, name: str | None, payload: object) -> str | None:
    """The type of an event, as terminal events are named: the payload's ``discriminator``
    property when it has one and it is a string, else the SSE ``event:`` name."""
    if discriminator is not None and isinstance(payload, dict):
        kind = payload.get(discriminator)
        if isinstance(kind, str):
            return kind
    return name
