"""Declarations of operations (:class:`Endpoint`), and the requests built from them.

A generated method declares its operation once, as an :class:`Endpoint`, and passes the
caller's arguments by wire name; :func:`build_request` puts them on the wire:

* parameters follow OpenAPI's ``style`` and ``explode``; path parameters are
  percent-encoded so they cannot change the path;
* bodies are JSON, ``multipart/form-data`` (streamed files), urlencoded forms, raw bytes or
  files, or text; an optional body of one value (``whole``) left out is not sent.

One rule writes form fields, for urlencoded bodies, multipart text parts and ``form``-style
query parameters alike: ``UNSET`` and ``None`` are left out (a form has no null), booleans are
``true``/``false``, objects become ``name[key]``, and arrays follow the client's array format
(``repeat``: ``name=a&name=b``; ``brackets``: ``name[]=a&name[]=b``; ``comma``: ``name=a,b``).
"""

from __future__ import annotations

import enum
import json
import urllib.parse
from collections.abc import AsyncGenerator, Callable, Generator, Iterator, Mapping
from typing import Any, Generic, Literal, TypeVar

import attrs
import httpx

from ._errors import InvalidArgumentError, InvalidArgumentTypeError
from ._files import FilePart, is_file_input, to_file_part
from ._multipart import BodyStream, MultipartBody, MultipartStream
from ._types import Unset, to_json

__all__ = [
    "ArrayFormat",
    "Content",
    "Endpoint",
    "Events",
    "FileShape",
    "Pagination",
    "Param",
    "build_request",
    "form_items",
]

R = TypeVar("R")
E = TypeVar("E")
ArrayFormat = Literal["repeat", "brackets", "comma"]
FileShape = Literal["one", "many", "one_or_many", "one_or_value"]
Location = Literal["path", "query", "header", "cookie"]


@attrs.frozen
class Param:
    """A path, query, header or cookie parameter, with OpenAPI's serialisation settings."""

    name: str
    location: Location
    style: str = ""  # empty: the location's default (simple for path and header, else form)
    explode: bool | None = None  # None: true for the form style, else false
    argument: str = ""  # a path parameter's argument, when its name is not ``name``

    @property
    def effective_style(self) -> str:
        return self.style or ("simple" if self.location in ("path", "header") else "form")

    @property
    def effective_explode(self) -> bool:
        return self.explode if self.explode is not None else self.effective_style == "form"


@attrs.frozen
class Content:
    """How a request body is sent.

    ``encoding`` is ``json``, ``multipart``, ``form`` (urlencoded), ``binary`` (bytes or a
    file) or ``text``. ``files`` names the multipart fields that carry files and how many
    each takes. With ``whole``, the body is one value (an array, a string, a file) rather
    than an object whose properties are the method's arguments.
    """

    encoding: Literal["json", "multipart", "form", "binary", "text"]
    content_type: str
    files: Mapping[str, FileShape] = attrs.field(factory=dict)
    whole: bool = False


@attrs.frozen
class Events:
    """A ``text/event-stream`` answer: the type of one event's JSON payload, the property that
    names the event (None: the SSE event name does), and the event types that end a
    successful stream."""

    type: Any
    discriminator: str | None
    terminal: tuple[str, ...] = ()


@attrs.frozen
class Pagination:
    """How a list operation's answer pages (see :mod:`._pagination`).

    ``items`` and ``has_more`` are attributes of the decoded answer (its Python field
    names): the list of items, and whether more pages follow (None: the answer does not
    say). The next page is requested with the query parameter ``cursor_param`` (a wire
    name) set to the ``cursor_from`` attribute of the last item; ``cursor_param=None``
    declares a single page.
    """

    items: str = "data"
    has_more: str | None = "has_more"
    cursor_param: str | None = "after"
    cursor_from: str = "id"


@attrs.frozen
class Endpoint(Generic[R, E]):
    """One operation: method, path template, parameters, body, and what it answers.

    ``returns`` is the annotation of a 2xx JSON answer (``str`` for text, ``None`` for
    none); ``binary`` hands other answers over as they are; ``events`` describes an
    event-stream answer. The type parameters carry what a call returns for type checkers.

    A paginated list operation also declares ``page`` and is typed ``Endpoint[Item, Never]``
    (its first type argument is the item type), while ``returns`` stays the list answer's
    model at run time. Its generated methods call::

        return self._client.request_page(_LIST_FILES, SyncCursorPage, query={...}, <options>)

    (``AsyncCursorPage`` in the async class, from a plain ``def`` returning
    ``AsyncPaginator[Item, AsyncCursorPage[Item]]``; ``SyncPage``/``AsyncPage`` for a list
    that is not paginated).
    """

    method: str
    path: str
    params: tuple[Param, ...] = ()
    content: Content | None = None
    returns: Any = None
    events: Events | None = None
    page: Pagination | None = None
    # Security requirement alternatives, when the operation's differ from the client's.
    security: tuple[tuple[str, ...], ...] | None = None
    # 2xx statuses (``204``, ``2XX``) the spec declares without content: answered None.
    no_content: tuple[str, ...] = ()
    # The operation's own server, when it is not the client's default: used unless the
    # caller chose the client's base URL.
    base_url: str | None = None
    # Wire names of the deprecated parameters and body properties: giving one warns.
    deprecated: tuple[str, ...] = ()
    # A 2xx answer that is not JSON (or a JSON answer ``returns`` does not type) is handed
    # over as a ``BinaryResponseContent``.
    binary: bool = False
    # The media types the operation answers with, in the spec's order: its ``Accept``.
    accept: str = "application/json"


# ---------------------------------------------------------------- values as wire text


def scalar_text(value: Any) -> str:
    """The text of one value: ``true``/``false``, numbers as written, enums by value, other
    structured values as compact JSON."""
    value = to_json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _given(value: Any) -> bool:
    return value is not None and not isinstance(value, Unset)


def form_items(name: str, value: Any, array_format: ArrayFormat) -> Iterator[tuple[str, str]]:
    """The form fields of one named value (see the module docstring for the rule)."""
    if not _given(value):
        return
    if isinstance(value, enum.Enum):
        value = value.value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, Mapping):
        value = to_dict()
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from form_items(f"{name}[{key}]", item, array_format)
    elif isinstance(value, list | tuple):
        items = [item for item in value if _given(item)]
        if array_format == "comma" and not any(_structured(item) for item in items):
            yield name, ",".join(scalar_text(item) for item in items)
            return
        for index, item in enumerate(items):
            if _structured(item):  # an object in an array needs its index to stay together
                yield from form_items(f"{name}[{index}]", item, array_format)
            else:
                key = f"{name}[]" if array_format == "brackets" else name
                yield key, scalar_text(item)
    else:
        yield name, scalar_text(value)


def _structured(value: Any) -> bool:
    return isinstance(value, Mapping | list | tuple) or callable(getattr(value, "to_dict", None))


def _query_items(param: Param, value: Any, array_format: ArrayFormat) -> Iterator[tuple[str, str]]:
    """A query or cookie parameter as name/value pairs, by its style."""
    style, explode = param.effective_style, param.effective_explode
    value = to_json(value)
    if style == "deepObject" and isinstance(value, Mapping):
        yield from form_items(param.name, value, array_format)
    elif isinstance(value, list) and style in ("spaceDelimited", "pipeDelimited") and not explode:
        separator = " " if style == "spaceDelimited" else "|"
        yield param.name, separator.join(scalar_text(v) for v in value if _given(v))
    elif isinstance(value, list):
        formatting: ArrayFormat = array_format if explode else "comma"
        yield from form_items(param.name, value, formatting)
    elif isinstance(value, Mapping):
        if explode:
            for key, item in value.items():
                if _given(item):
                    yield str(key), scalar_text(item)
        else:
            flat = [text for k, v in value.items() if _given(v) for text in (k, scalar_text(v))]
            yield param.name, ",".join(flat)
    else:
        yield param.name, scalar_text(value)


def _styled_text(param: Param, value: Any, escape: Callable[[str], str]) -> str:
    """A path or header parameter by its style (``simple``, ``label``, ``matrix``) and
    ``explode``. ``escape`` applies to each name and value, not to the delimiters."""
    style, explode = param.effective_style, param.effective_explode
    value = to_json(value)

    def pair(key: str, text: str) -> str:
        # The matrix style writes a name whose value is empty alone (";color").
        return key if style == "matrix" and not text else f"{key}={text}"

    exploded_object = explode and isinstance(value, Mapping)
    if isinstance(value, Mapping):
        items = [(escape(str(k)), escape(scalar_text(v))) for k, v in value.items() if _given(v)]
        parts = [pair(k, t) for k, t in items] if explode else [x for kv in items for x in kv]
    elif isinstance(value, list):
        parts = [escape(scalar_text(v)) for v in value if _given(v)]
    else:
        parts = [escape(scalar_text(value))]
    if style == "label":
        return "." + ("." if explode else ",").join(parts)
    if style == "matrix":
        name = escape(param.name)
        if exploded_object:
            return "".join(f";{part}" for part in parts)
        if explode:  # each item under the parameter's name
            return "".join(f";{pair(name, part)}" for part in parts)
        return ";" + pair(name, ",".join(parts))
    return ",".join(parts)


def _path_escape(text: str) -> str:
    # Reserved characters in a value are escaped too, so only the style's own delimiters
    # separate items, and no value can add a path segment.
    return urllib.parse.quote(text, safe="")


# ---------------------------------------------------------------- the request


def build_request(
    endpoint: Endpoint[Any, Any],
    *,
    base_url: str,
    path: Mapping[str, Any] | None = None,
    query: Mapping[str, Any] | None = None,
    headers: Mapping[str, Any] | None = None,
    body: Any = None,
    extra_body: Any = None,
    array_format: ArrayFormat = "repeat",
) -> httpx.Request:
    """The request for ``endpoint`` with these arguments (keyed by wire name).

    ``base_url`` has no trailing slash. ``extra_body`` is merged into a JSON object body
    (its keys win), or added as form fields.
    """
    by_name = {(p.location, p.name): p for p in endpoint.params}
    url = base_url + _path(endpoint.path, path or {}, by_name)
    params: list[tuple[str, str | int | float | bool | None]] = []
    cookies: list[str] = []
    for name, value in (query or {}).items():
        if _given(value):
            param = by_name.get(("query", name), Param(name, "query"))
            params.extend(_query_items(param, value, array_format))
    sent_headers: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not _given(value):
            continue
        if ("cookie", name) in by_name:
            pairs = _query_items(by_name[("cookie", name)], value, array_format)
            cookies.extend(f"{k}={urllib.parse.quote(v, safe='')}" for k, v in pairs)
        else:
            param = by_name.get(("header", name), Param(name, "header"))
            sent_headers[name] = _styled_text(param, value, str)
    if cookies:
        sent_headers["Cookie"] = "; ".join(cookies)
    content = endpoint.content
    query_params = httpx.QueryParams(params)
    if content is None:
        return httpx.Request(endpoint.method, url, params=query_params, headers=sent_headers)
    return _with_body(endpoint.method, url, query_params, sent_headers, content, body, extra_body,
                      array_format)  # fmt: skip


def _path(template: str, values: Mapping[str, Any], by_name: Mapping[Any, Param]) -> str:
    def segment(name: str) -> str:
        param = by_name.get(("path", name), Param(name, "path"))
        if name not in values or not _given(values[name]):
            raise InvalidArgumentTypeError(f"missing a value for the path parameter {name!r}")
        text = _styled_text(param, values[name], _path_escape)
        if not text:  # an empty segment changes the path: ``/models/`` is another operation
            argument = param.argument or name
            raise InvalidArgumentError(
                f"Expected a non-empty value for `{argument}` but received {values[name]!r}"
            )
        return text

    pieces = template.split("{")
    out = [pieces[0]]
    for piece in pieces[1:]:
        name, _, rest = piece.partition("}")
        out.append(segment(name) + rest)
    return "".join(out)


def _with_body(
    method: str,
    url: str,
    params: httpx.QueryParams,
    headers: dict[str, str],
    content: Content,
    body: Any,
    extra_body: Any,
    array_format: ArrayFormat,
) -> httpx.Request:
    if content.whole and isinstance(body, Unset):
        # An optional body left out is not sent (nor its Content-Type), unless extra_body
        # gives the fields of an object-like one.
        extra_fields = isinstance(extra_body, Mapping) and bool(extra_body)
        if content.encoding in ("text", "binary") or not extra_fields:
            return httpx.Request(method, url, params=params, headers=headers)
        body = {}
    headers["Content-Type"] = content.content_type
    if content.encoding == "json":
        value = to_json(body) if content.whole else _object(body)
        if isinstance(extra_body, Mapping) and isinstance(value, dict):
            value.update(to_json(extra_body))
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return httpx.Request(method, url, params=params, headers=headers, content=data)
    if content.encoding == "text":
        text = body if isinstance(body, str) else scalar_text(body)
        return httpx.Request(method, url, params=params, headers=headers, content=text.encode())
    if content.encoding == "binary":
        part = to_file_part(body)
        headers["Content-Length"] = str(part.size) if part.size is not None else ""
        if part.size is None:
            del headers["Content-Length"]
            headers["Transfer-Encoding"] = "chunked"
        return _streamed(method, url, params, headers, _FileStream(part))
    fields = [
        item
        for name, value in _fields(body, extra_body)
        if not _sent_as_file(content, name, value)
        for item in form_items(name, value, array_format)
    ]
    if content.encoding == "form":
        data = urllib.parse.urlencode(fields).encode()
        return httpx.Request(method, url, params=params, headers=headers, content=data)
    files = [
        (key, part)
        for name, value in _fields(body, None)
        if _sent_as_file(content, name, value)
        for key, part in file_parts(name, value, content.files[name], array_format)
    ]
    multipart = MultipartBody(fields, files)
    del headers["Content-Type"]  # the body's own carries the boundary
    headers.update(multipart.headers)
    if "Content-Length" not in headers:
        headers["Transfer-Encoding"] = "chunked"
    return _streamed(method, url, params, headers, MultipartStream(multipart))


def _sent_as_file(content: Content, name: str, value: Any) -> bool:
    """Whether a multipart field goes as a file part (a file-or-value field: when a file)."""
    shape = content.files.get(name)
    return shape is not None and (shape != "one_or_value" or is_file_input(value))


def _object(body: Any) -> dict[str, Any]:
    return {k: to_json(v) for k, v in (body or {}).items() if not isinstance(v, Unset)}


def _fields(body: Any, extra_body: Any) -> list[tuple[str, Any]]:
    fields = list((body or {}).items())
    if isinstance(extra_body, Mapping):
        fields += list(extra_body.items())
    return fields


def file_parts(
    name: str, value: Any, shape: FileShape, array_format: ArrayFormat = "brackets"
) -> list[tuple[str, FilePart]]:
    """Multipart file parts: one part ``name``, or one part per file of a list or tuple of
    files (named ``name[]`` with the ``brackets`` array format, else ``name``).

    A tuple whose first item is a filename (``str`` or ``None``) is one file
    (``(filename, content[, content_type])``); any other tuple is several files.
    """
    if not _given(value):
        return []
    several = isinstance(value, list) or (isinstance(value, tuple) and not _is_file_tuple(value))
    if several and shape != "one":
        key = f"{name}[]" if array_format == "brackets" else name
        return [(key, to_file_part(item)) for item in value]
    if shape == "many":
        raise InvalidArgumentTypeError(
            f"{name} takes a list of files"
        )  # "one_or_value" is sent as one
    return [(name, to_file_part(value))]


def _is_file_tuple(value: tuple[Any, ...]) -> bool:
    return len(value) in (2, 3) and (value[0] is None or isinstance(value[0], str))


def _streamed(
    method: str,
    url: str,
    params: httpx.QueryParams,
    headers: dict[str, str],
    stream: httpx.SyncByteStream | httpx.AsyncByteStream,
) -> httpx.Request:
    request = httpx.Request(method, url, params=params, headers=headers, stream=stream)
    # httpx fills in Host only for bodies it encodes itself.
    request.headers.setdefault("Host", request.url.netloc.decode("ascii"))
    return request


class _FileStream(BodyStream):
    """One file as a request body, read in chunks each time it is sent."""

    def __init__(self, part: FilePart) -> None:
        super().__init__()
        self.part = part

    @property
    def can_replay(self) -> bool:
        return self.part.can_open()

    def _chunks(self) -> Generator[bytes, None, None]:
        return self.part.iter_chunks()

    def _achunks(self) -> AsyncGenerator[bytes, None]:
        return self.part.aiter_chunks()
