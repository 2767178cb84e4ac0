"""The intermediate model: what the templates render, decided entirely in Python.

Types form a small closed algebra (``TypeRef``). Named things (models, enums, unions)
live in ``Api`` and are referred to by their Python name.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..runtime._protocol import is_success_key
from .names import union_parser

# ---------------------------------------------------------------- types


@attrs.frozen
class Primitive:
    """A JSON scalar: ``str``, ``int``, ``float``, ``bool`` or ``None``."""

    kind: Literal["str", "int", "float", "bool", "None"]


@attrs.frozen
class AnyValue:
    """A schema that says nothing about its value (``{}`` or ``true``)."""


@attrs.frozen
class File:
    """Binary content uploaded as a multipart file part."""


@attrs.frozen
class ListOf:
    item: TypeRef


@attrs.frozen
class MapOf:
    """A JSON object used as a dictionary (``additionalProperties`` only)."""

    value: TypeRef


@attrs.frozen
class ModelRef:
    name: str


@attrs.frozen
class EnumRef:
    """A string enum; ``open`` when the schema also admits any other string."""

    name: str
    open: bool = False


@attrs.frozen
class Const:
    """A single allowed value (``const``, or an ``enum`` of one value in a discriminator)."""

    value: str | int | bool


@attrs.frozen
class UnionRef:
    """A named union (a component, or an inline one the builder named)."""

    name: str


@attrs.frozen
class Union:
    """An anonymous union of several types (``anyOf``/``oneOf``/``type: [..]``)."""

    variants: tuple[TypeRef, ...]


TypeRef = (
    Primitive | AnyValue | File | ListOf | MapOf | ModelRef | EnumRef | Const | UnionRef | Union
)

NONE = Primitive("None")


def is_nullable(type_: TypeRef) -> bool:
    return type_ == NONE or (isinstance(type_, Union) and NONE in type_.variants)


def without_none(type_: TypeRef) -> TypeRef:
    """The type with ``None`` taken out of it."""
    if not isinstance(type_, Union):
        return type_
    rest = tuple(v for v in type_.variants if v != NONE)
    return rest[0] if len(rest) == 1 else Union(rest)


def make_union(variants: list[TypeRef]) -> TypeRef:
    """A flattened, de-duplicated union with ``None`` last; a single variant stands alone."""
    flat: list[TypeRef] = []
    for variant in variants:
        for v in variant.variants if isinstance(variant, Union) else (variant,):
            if v not in flat:
                flat.append(v)
    if NONE in flat:
        flat.remove(NONE)
        flat.append(NONE)
    if len(flat) == 1:
        return flat[0]
    return Union(tuple(flat))


# ---------------------------------------------------------------- named things


Number = int | float


@attrs.frozen
class Bounds:
    """What a schema allows beyond its type: documented, checked by the server, compared by
    ``diff``. Exclusive bounds are values (the 3.0 boolean form is converted when read)."""

    minimum: Number | None = None
    maximum: Number | None = None
    exclusive_minimum: Number | None = None
    exclusive_maximum: Number | None = None
    multiple_of: Number | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    pattern: str | None = None
    format: str | None = None
    values: tuple[Any, ...] | None = None  # the allowed values of a non-string enum

    def __bool__(self) -> bool:
        return self != NO_BOUNDS


NO_BOUNDS = Bounds()


@attrs.frozen
class Doc:
    """Documentation taken from the spec (untrusted text: rendered through an escaping filter)."""

    description: str = ""
    default: Any = None
    has_default: bool = False
    bounds: Bounds = NO_BOUNDS
    deprecated: bool = False


@attrs.frozen
class Field:
    wire_name: str
    py_name: str
    type: TypeRef  # includes None when the field is nullable
    required: bool
    doc: Doc
    pointer: str


@attrs.frozen
class FieldRule:
    """A constraint between fields: one ``any_of`` group fully present, not all of ``not_all``."""

    any_of: tuple[tuple[str, ...], ...]  # wire-name groups, one of which must be fully present
    not_all: tuple[str, ...]  # wire names that must not all be present together


@attrs.frozen
class Model:
    name: str
    pointer: str
    doc: Doc
    fields: tuple[Field, ...]
    extra: TypeRef | None  # type of unknown properties; None when additionalProperties is false
    rules: tuple[FieldRule, ...] = ()
    examples: tuple[Any, ...] = ()


@attrs.frozen
class EnumMember:
    name: str
    value: str


@attrs.frozen
class Enum:
    name: str
    pointer: str
    doc: Doc
    members: tuple[EnumMember, ...]


@attrs.frozen
class Discriminator:
    property: str  # wire name
    mapping: tuple[tuple[str, str], ...]  # (value, model name), in spec order


@attrs.frozen
class UnionDef:
    """A named union. ``parser`` is the name of the function that parses one value."""

    name: str
    pointer: str
    doc: Doc
    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None
    fallback: str | None  # class for unknown discriminator values (``UnknownEvent``)
    examples: tuple[Any, ...] = ()
    by_event: tuple[tuple[str, str], ...] = ()  # (SSE event name, model): chosen by event name

    @property
    def parser(self) -> str:
        return union_parser(self.name)


# ---------------------------------------------------------------- operations


@attrs.frozen
class Parameter:
    """A path, query, header or cookie parameter, with how OpenAPI serialises it (``style``
    empty and ``explode`` None: the defaults of its location). ``pointer`` is its entry in
    the path item's or the operation's ``parameters`` (empty in descriptions written before
    it was kept)."""

    wire_name: str
    py_name: str
    location: Literal["path", "query", "header", "cookie"]
    type: TypeRef
    required: bool
    doc: Doc
    style: str = ""
    explode: bool | None = None
    pointer: str = ""


@attrs.frozen
class RequestBody:
    """One content type of an operation's request body.

    An object body is flattened into method arguments: ``fields``, from the schema's model
    ``model``. Any other body (an array, a string, a file) is one argument, ``body``:
    ``whole`` is set and ``fields`` holds that one argument (its wire name empty).
    """

    content_type: str
    encoding: Literal["multipart", "json", "form", "binary", "text"]
    model: str | None
    fields: tuple[Field, ...]
    method_name: str  # the client method that sends this variant
    whole: bool = False


@attrs.frozen
class EventStream:
    """A ``text/event-stream`` answer: which JSON type each event's data has."""

    type: TypeRef  # the event union (or single model)
    discriminator: str | None  # JSON property naming the event; None: the SSE event name does
    terminal: tuple[str, ...]  # event names that end a successful stream


@attrs.frozen
class Response:
    status: str  # the spec's key: "200", "2XX", "default", ...
    content_type: str
    kind: Literal["json", "event-stream", "text", "binary", "empty"]
    type: TypeRef | None
    stream: EventStream | None = None
    examples: tuple[Any, ...] = ()

    @property
    def is_success(self) -> bool:
        """A 2xx status, exact (``201``) or as a range (``2XX``, ``2xx``)."""
        return is_success_key(self.status)


@attrs.frozen
class Pagination:
    """How a list operation pages: its answer's list of items (``items``, a Python field
    name, of ``item`` type), whether more follow (``has_more``), and the query parameter
    (``cursor_param``, a wire name) that asks for the page after the last item's
    ``cursor_from`` field. ``cursor_param`` None: the list is one page."""

    item: TypeRef
    items: str = "data"
    has_more: str | None = "has_more"
    cursor_param: str | None = "after"
    cursor_from: str = "id"


@attrs.frozen
class Operation:
    operation_id: str
    http_method: str
    path: str
    resource: str
    method_name: str
    doc: Doc
    summary: str
    parameters: tuple[Parameter, ...]
    bodies: tuple[RequestBody, ...]
    responses: tuple[Response, ...]
    stream_field: str | None  # the boolean body field (or query parameter) that streams
    pointer: str
    page: Pagination | None = None
    security: Requirements | None = None  # its own requirements; None: the API's
    base_url: str | None = None  # its own server (path item's or its own); None: the API's
    servers: tuple[Server, ...] = ()  # its own servers, else its path item's; (): the API's

    def success(self, *kinds: str) -> Response | None:
        """The first 2xx answer of one of these kinds (``json``, ``event-stream``, ...)."""
        return next((r for r in self.responses if r.is_success and r.kind in kinds), None)

    @property
    def success_json(self) -> Response | None:
        return self.success("json")

    @property
    def success_raw(self) -> Response | None:
        """A 2xx answer that is not JSON or a stream: plain text or bytes."""
        return self.success("text", "binary")

    @property
    def success_stream(self) -> Response | None:
        return self.success("event-stream")

    @property
    def answers_binary(self) -> bool:
        """Whether a 2xx answer is bytes to hand over as they are: a binary media type, or
        a GET whose 2xx answers declare no content (a GET's body is never dropped)."""
        success = [r for r in self.responses if r.is_success]
        if any(r.kind == "binary" for r in success):
            return True
        return (
            self.http_method == "GET" and bool(success) and all(r.kind == "empty" for r in success)
        )

    @property
    def accept(self) -> str:
        """The media types of the 2xx answers in the spec's order, for ``Accept`` (the same
        for a streamed call: the request's own switch asks for the stream)."""
        types = [r.content_type for r in self.responses if r.is_success and r.content_type]
        return ", ".join(dict.fromkeys(types)) or "*/*"


@attrs.frozen
class ServerVariable:
    """A variable of a server URL: its default, and the values it may take (``()``: any)."""

    name: str
    default: str
    values: tuple[str, ...] = ()


@attrs.frozen
class Server:
    """A Server Object: its URL as written (``https://{region}.example.com/v1``), with its
    variables."""

    url: str
    variables: tuple[ServerVariable, ...] = ()


@attrs.frozen
class SecurityScheme:
    """One way the API authenticates: ``bearer`` (http bearer, OAuth 2, OpenID Connect),
    ``basic`` (http basic), or ``api_key`` in the header, query parameter or cookie
    (``location``) named ``parameter``."""

    name: str  # its key in components.securitySchemes
    kind: Literal["bearer", "basic", "api_key"]
    location: Literal["header", "query", "cookie"] = "header"
    parameter: str = "Authorization"


Requirements = tuple[tuple[str, ...], ...]
"""Security requirement alternatives: each names the schemes that must all be met; an empty
alternative means none is needed."""


@attrs.frozen
class Api:
    package_name: str
    title: str
    spec_version: str
    spec_sha256: str
    base_url: str
    schemes: tuple[SecurityScheme, ...]
    security: Requirements  # what operations need unless they say otherwise
    api_key_env: str
    username_env: str
    password_env: str
    base_url_env: str
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    unions: tuple[UnionDef, ...]
    operations: tuple[Operation, ...]
    array_format: str = "repeat"  # how forms and queries write arrays
    webhook_event: TypeRef | None = None  # the union of the spec's webhook payloads
    webhook_secret_env: str = ""
    servers: tuple[Server, ...] = ()  # the document's own (``base_url`` is the first's)

    def resources(self) -> dict[str, tuple[Operation, ...]]:
        """Operations grouped by client resource, in spec order."""
        grouped: dict[str, list[Operation]] = {}
        for operation in self.operations:
            grouped.setdefault(operation.resource, []).append(operation)
        return {name: tuple(ops) for name, ops in grouped.items()}
