"""Helpers the generated request builders use to put typed values on the wire."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import quote

import httpx

from ._files import FilePart, to_file_part
from ._multipart import MultipartBody, MultipartStream
from ._types import Unset, form_value, to_json

__all__ = [
    "file_parts",
    "form_fields",
    "json_body",
    "multipart_request",
    "path_segment",
    "query_params",
]


def _given(value: Any) -> bool:
    return value is not None and not isinstance(value, Unset)


def form_fields(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    """Multipart text parts. Unset and ``None`` values are left out (a form has no null);
    a list becomes one ``name[]`` part per item."""
    fields: list[tuple[str, str]] = []
    for name, value in pairs:
        if not _given(value):
            continue
        if isinstance(value, list | tuple):
            fields.extend((f"{name}[]", form_value(item)) for item in value)
        else:
            fields.append((name, form_value(value)))
    return fields


def file_parts(
    name: str, value: Any, shape: Literal["one", "many", "one_or_many"]
) -> list[tuple[str, FilePart]]:
    """Multipart file parts: one part ``name``, or a ``name[]`` part per file of a list."""
    if not _given(value):
        return []
    if isinstance(value, list) and shape != "one":
        return [(f"{name}[]", to_file_part(item)) for item in value]
    if shape == "many":
        raise TypeError(f"{name} takes a list of files")
    return [(name, to_file_part(value))]


def json_body(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object of the values the caller gave; ``None`` is sent as ``null``."""
    return {name: to_json(value) for name, value in pairs if not isinstance(value, Unset)}


def query_params(pairs: Iterable[tuple[str, Any]]) -> httpx.QueryParams:
    """Query parameters; lists repeat the name, booleans are ``true``/``false``."""
    params: list[tuple[str, str | int | float | bool | None]] = []
    for name, value in pairs:
        if not _given(value):
            continue
        items = value if isinstance(value, list | tuple) else [value]
        params.extend((name, form_value(item)) for item in items)
    return httpx.QueryParams(params)


def path_segment(value: Any) -> str:
    """A path parameter, percent-encoded so it cannot change the path."""
    return quote(form_value(value), safe="")


def multipart_request(
    method: str,
    url: str,
    *,
    params: httpx.QueryParams,
    headers: dict[str, str],
    body: MultipartBody,
) -> httpx.Request:
    """A request that streams ``body`` with either kind of client.

    httpx fills in ``Host`` only for requests whose body it encodes itself, so it is set
    here; a body of unknown size goes chunked.
    """
    headers = {**body.headers, **headers}
    if "Content-Length" not in headers:
        headers["Transfer-Encoding"] = "chunked"
    request = httpx.Request(
        method, url, params=params, headers=headers, stream=MultipartStream(body)
    )
    request.headers.setdefault("Host", request.url.netloc.decode("ascii"))
    return request
