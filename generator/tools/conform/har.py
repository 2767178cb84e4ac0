"""Read the entries of a HAR 1.2 archive (browsers, mitmproxy and most proxies export it).

Request bodies come from ``postData``: its ``text``, or its ``params`` built into a body
(``multipart/form-data`` by the runtime's :class:`MultipartBody`, else URL-encoded).
Response bodies come from ``content`` (``text``, base64 when ``encoding`` says so); a body
the archive left out is None. An entry with status 0 is a request that got no answer.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from typing import Any

from ...errors import Problem, pointer_join
from ...runtime._files import to_file_part
from ...runtime._multipart import MultipartBody, header_param
from .exchanges import Exchange, RecordedRequest, RecordedResponse

__all__ = ["HarReader", "read_har"]

Headers = tuple[tuple[str, str], ...]


class _Invalid(Exception):
    """One entry cannot be read; its problem is already recorded."""


def read_har(log: dict[str, Any], filename: str) -> tuple[list[Exchange], list[Problem]]:
    """The exchanges of a HAR ``log``, and the problems of the entries that are unusable."""
    reader = HarReader(filename)
    entries = log.get("entries")
    if not isinstance(entries, list):
        return [], [Problem(filename, "/log/entries", "expected an array of HAR entries")]
    exchanges = []
    for index, entry in enumerate(entries):
        try:
            exchanges.append(reader.entry(entry, index, pointer_join("/log/entries", index)))
        except _Invalid:
            continue
    return exchanges, reader.problems


class HarReader:
    """Reads the entries of one archive; the problems of unusable ones go to ``problems``."""

    def __init__(self, filename: str, problems: list[Problem] | None = None) -> None:
        self.filename = filename
        self.problems: list[Problem] = [] if problems is None else problems

    def entry_or_none(self, entry: Any, index: int) -> Exchange | None:
        """The exchange of entry ``index``, or None when it is unusable (a problem added)."""
        try:
            return self.entry(entry, index, pointer_join("/log/entries", index))
        except _Invalid:
            return None

    def bad(self, pointer: str, message: str) -> _Invalid:
        self.problems.append(Problem(self.filename, pointer, message))
        return _Invalid()

    def typed(self, node: Any, key: str, kind: type, pointer: str) -> Any:
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            names = {str: "a string", int: "an integer", dict: "an object", list: "an array"}
            raise self.bad(pointer_join(pointer, key), f"expected {names.get(kind, str(kind))}")
        return value

    def entry(self, entry: Any, index: int, pointer: str) -> Exchange:
        if not isinstance(entry, dict):
            raise self.bad(pointer, "expected a HAR entry object")
        request = self.typed(entry, "request", dict, pointer)
        where = pointer_join(pointer, "request")
        headers = self.headers(request.get("headers", []), pointer_join(where, "headers"))
        body, headers = self.post_data(request.get("postData"), headers, where)
        recorded_request = RecordedRequest(
            method=self.typed(request, "method", str, where).upper(),
            url=self.url(self.typed(request, "url", str, where), pointer_join(where, "url")),
            headers=headers,
            body=body,
        )
        response = entry.get("response")
        if response is None:
            return Exchange(self.filename, index, "har", recorded_request, None, "no response")
        if not isinstance(response, dict):
            raise self.bad(pointer_join(pointer, "response"), "expected a response object")
        where = pointer_join(pointer, "response")
        status = self.typed(response, "status", int, where)
        if status == 0:  # what browsers export for a failed or blocked request
            error = response.get("_error") or entry.get("_error") or "no response (status 0)"
            return Exchange(self.filename, index, "har", recorded_request, None, str(error))
        recorded_response = RecordedResponse(
            status=status,
            headers=self.headers(response.get("headers", []), pointer_join(where, "headers")),
            body=self.content(response.get("content"), pointer_join(where, "content")),
            reason=str(response.get("statusText") or ""),
        )
        return Exchange(self.filename, index, "har", recorded_request, recorded_response)

    def url(self, url: str, pointer: str) -> str:
        try:
            urllib.parse.urlsplit(url)
        except ValueError as exc:
            raise self.bad(pointer, f"invalid URL: {exc}") from None
        return url

    def headers(self, node: Any, pointer: str) -> Headers:
        if not isinstance(node, list):
            raise self.bad(pointer, "expected an array of {name, value} objects")
        pairs = []
        for index, item in enumerate(node):
            where = pointer_join(pointer, index)
            name = self.typed(item, "name", str, where)
            value = self.typed(item, "value", str, where)
            if not name.startswith(":"):  # HTTP/2 pseudo-headers are not headers
                pairs.append((name, value))
        return tuple(pairs)

    def post_data(self, node: Any, headers: Headers, pointer: str) -> tuple[bytes, Headers]:
        if node is None:
            return b"", headers
        where = pointer_join(pointer, "postData")
        if not isinstance(node, dict):
            raise self.bad(where, "expected a postData object")
        mime = node.get("mimeType") if isinstance(node.get("mimeType"), str) else None
        if mime and _header(headers, "content-type") is None:
            headers = (*headers, ("Content-Type", mime))
        text = node.get("text")
        if isinstance(text, str):
            if node.get("encoding") == "base64":  # not in HAR 1.2, but some tools write it
                return self.base64(text, pointer_join(where, "text")), headers
            return _utf8(text), headers
        params = node.get("params")
        if params is None:
            return b"", headers
        if not isinstance(params, list):
            raise self.bad(pointer_join(where, "params"), "expected an array of params")
        content_type = _header(headers, "content-type") or mime or ""
        if content_type.lower().startswith("multipart/"):
            body = self.multipart(params, header_param(content_type, "boundary"), where)
            headers = tuple(h for h in headers if h[0].lower() != "content-type")
            return b"".join(body), (*headers, ("Content-Type", body.content_type))
        fields = []
        for index, param in enumerate(params):
            name = self.typed(param, "name", str, pointer_join(where, "params", index))
            fields.append((name, _text_value(param)))
        return urllib.parse.urlencode(fields).encode("ascii"), headers

    def multipart(self, params: list[Any], boundary: str | None, pointer: str) -> MultipartBody:
        """The params as a form body, with the archive's boundary when it is a valid one."""
        fields: list[tuple[str, str]] = []
        files = []
        for index, param in enumerate(params):
            at = pointer_join(pointer, "params", index)
            name = _clean(self.typed(param, "name", str, at))
            file_name, kind = param.get("fileName"), param.get("contentType")
            if not isinstance(file_name, str):
                fields.append((name, _clean(_text_value(param))))
                continue
            content_type = _clean(kind) if isinstance(kind, str) and kind else None
            try:
                part = to_file_part((_clean(file_name), _utf8(_text_value(param)), content_type))
            except (TypeError, ValueError) as exc:
                raise self.bad(at, f"unusable file param: {exc}") from None
            files.append((name, part))
        try:
            return MultipartBody(fields, files, boundary=boundary)
        except ValueError:  # a boundary MultipartBody would not write: use its own
            return MultipartBody(fields, files)

    def content(self, node: Any, pointer: str) -> bytes | None:
        if node is None:
            return None
        if not isinstance(node, dict):
            raise self.bad(pointer, "expected a content object")
        text = node.get("text")
        if text is None:
            # Browsers leave the text out when they did not keep the body.
            return b"" if node.get("size") == 0 else None
        if not isinstance(text, str):
            raise self.bad(pointer_join(pointer, "text"), "expected a string")
        if node.get("encoding") == "base64":
            return self.base64("".join(text.split()), pointer_join(pointer, "text"))
        return _utf8(text)

    def base64(self, text: str, pointer: str) -> bytes:
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise self.bad(pointer, "invalid base64") from None


def _header(headers: Headers, name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _text_value(param: Any) -> str:
    value = param.get("value", "") if isinstance(param, dict) else ""
    return value if isinstance(value, str) else ""


def _clean(text: str) -> str:
    """Text that encodes as UTF-8: lone surrogates (undecodable bytes some tools write)
    become U+FFFD."""
    return _utf8(text).decode("utf-8", "replace")


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, as some tools write undecodable bytes
        return text.encode("utf-8", "surrogatepass")
