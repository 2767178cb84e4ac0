"""Build the ``ir.Api`` of a document: operations, bodies, responses, event streams, auth.

Nothing is all-or-nothing. An operation that cannot be mapped is left out with a warning
naming its pointer and the reason; so is a request content type when the operation offers
another; a schema that cannot be mapped is typed ``Any`` where it is used. The warnings go
to the caller's list, the result is always a usable ``ir.Api``.
"""

from __future__ import annotations

import contextlib
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import attrs

from ..errors import Problem, pointer_join
from ..runtime._protocol import (
    is_success_key,
    media_kind,
    server_url,
)
from . import ir
from .config import ClientConfig, Placement
from .discriminators import constant_values
from .docview import OperationAt, follow, is_object_schema, iter_operations, path_item_pointer
from .enumsets import share_enums
from .events import read_event_stream
from .load import Document, resolve_pointer
from .names import (
    RESERVED_ARGUMENT_NAMES,
    RESERVED_METHOD_NAMES,
    class_name,
    field_name,
    operation_method,
    snake_name,
    unique_field_names,
    words,
)
from .pytypes import files_as_text
from .renaming import renaming
from .runtime import client_attributes
from .schema import Aborted, SchemaMapper
from .walk import rename

Encoding = Literal["multipart", "json", "form", "binary", "text"]
# Request encodings in the order their methods are offered: the first is the main method.
_ORDER: tuple[Encoding, ...] = ("multipart", "json", "form", "binary", "text")


def build_api(
    document: Document, config: ClientConfig, warnings: list[Problem] | None = None
) -> ir.Api:
    """The intermediate model of ``document``; what had to be left out, and why, is added
    to ``warnings``.

    Inline schemas are named in two passes when needed: the first finds which names two
    different schemas want, the second gives those their qualified names. When that second
    pass is certain to change nothing but names (:mod:`.renaming`), the first pass's model
    is renamed instead of mapped again. Enums with the same values are then one type
    (:mod:`.enumsets`).
    """
    mapper, operations, webhook_event = _map(document, config, None)
    names = mapper.namer.settled()
    api: ir.Api | None = None
    own_names = mapper.namer.own_names
    if names is None:
        api = _api(document, config, mapper, operations, webhook_event)
    else:
        namer = mapper.namer
        found = renaming(namer.given, mapper.built, names, namer.components)
        if found is not None:  # else a second pass might change more than the names
            # None when things renamed to one name differ: the second pass tells them apart.
            api = rename(_api(document, config, mapper, operations, webhook_event), found.names)
            own_names = found.own_names
        if api is None:
            mapper, operations, webhook_event = _map(document, config, names)
            api = _api(document, config, mapper, operations, webhook_event)
            own_names = mapper.namer.own_names
    if warnings is not None:
        warnings.extend(mapper.problems)
    return share_enums(api, own_names)


def _api(
    document: Document,
    config: ClientConfig,
    mapper: SchemaMapper,
    operations: list[ir.Operation],
    webhook_event: ir.TypeRef | None,
) -> ir.Api:
    """The model of what one pass mapped, with each operation's own methods, security and
    servers (what does not fit is reported to the mapper)."""
    operations = _distinct_methods(mapper, operations)
    schemes = security_schemes(mapper)
    default = requirements(document.data.get("security"), schemes) or ()
    operations = [_with_security(op, document, schemes, default) for op in operations]
    operations, servers, base_url = _with_servers(mapper, operations)
    found = document.data.get("info")
    info: dict[str, Any] = found if isinstance(found, dict) else {}
    return ir.Api(
        package_name=config.package_name,
        title=str(info.get("title", "")),
        spec_version=str(info.get("version", "")),
        spec_sha256=document.sha256,
        base_url=base_url,
        schemes=schemes,
        security=default,
        api_key_env=config.api_key_env,
        username_env=config.username_env,
        password_env=config.password_env,
        base_url_env=config.base_url_env,
        array_format=config.array_format,
        webhook_event=webhook_event,
        webhook_secret_env=config.webhook_secret_env,
        servers=servers,
        models=tuple(mapper.models[k] for k in sorted(mapper.models)),
        enums=tuple(mapper.enums[k] for k in sorted(mapper.enums)),
        unions=tuple(mapper.unions[k] for k in sorted(mapper.unions)),
        operations=tuple(operations),
    )


def _map(
    document: Document, config: ClientConfig, names: dict[str, str] | None
) -> tuple[SchemaMapper, list[ir.Operation], ir.TypeRef | None]:
    mapper = SchemaMapper(document, names)
    mapper.map_all_components()
    found = iter_operations(document.data, document.version)
    placed = operation_names(document, config, found, mapper.warn)
    operations = []
    for pointer, method, path, operation in found:
        with contextlib.suppress(Aborted):  # recorded as left out; go on with the next
            operations.append(
                _build_operation(mapper, config, pointer, method, path, operation, placed[pointer])
            )
    return mapper, operations, _webhook_event(mapper)


def _webhook_event(mapper: SchemaMapper) -> ir.TypeRef | None:
    """The union of the JSON payloads of the spec's webhooks (3.1 ``webhooks``), told apart
    by their constant ``type`` when every payload has one; None without webhooks."""
    document = mapper.document
    payloads: list[dict[str, str]] = []
    for at, _, _, operation in iter_operations(document.data, document.version, "webhooks"):
        where = pointer_join(at, "requestBody")
        pointer = _json_body_pointer(mapper, operation.get("requestBody"), where)
        if pointer is None:
            mapper.warn(where, "left out: a webhook without a JSON body")
        else:
            payloads.append({"$ref": "#" + pointer})
    if not payloads:
        return None
    union: dict[str, Any] = {"oneOf": payloads}
    if all(constant_values(mapper.document.data, p, "type") for p in payloads):
        union["discriminator"] = {"propertyName": "type"}
    try:
        return mapper.map(union, "/webhooks", ("WebhookEvent",))
    except Aborted:
        return None


def _json_body_pointer(mapper: SchemaMapper, body: Any, where: str) -> str | None:
    """The pointer of a request body's JSON schema (looking through ``$ref`` s)."""
    body, where = follow(mapper.document.data, body, where)
    content = body.get("content") if isinstance(body, dict) else None
    for content_type in content if isinstance(content, dict) else ():
        if encoding_of(content_type) == "json":
            return pointer_join(where, "content", content_type, "schema")
    return None


@attrs.frozen
class OperationName:
    """Where an operation's method is: ``client.<resource>.<method>``; ``prefix`` starts the
    names of its inline types."""

    operation_id: str
    resource: str
    method: str
    prefix: str


def operation_names(
    document: Document,
    config: ClientConfig,
    operations: list[OperationAt],
    warn: Callable[[str, str], None],
) -> dict[str, OperationName]:
    """Each operation's resource and method (by pointer), every one its own.

    Operations whose names would be the same (``getPet``, ``GetPet``, ``get_pet``,
    ``get-pet`` are all ``get_pet``) keep them apart by what differs: the one the client
    config names, else the one whose operationId is spelled like the method, else the
    first, keeps the name; each other one is named after the words of its path the
    keeper's lacks (``get_pet_v2``), else its HTTP method, else its whole route, with a
    warning. Tags without Latin letters are transliterated (``日本`` -> ``ri_ben``).
    """
    reserved = client_attributes() | config.runtime.arguments()
    names: dict[str, OperationName] = {}
    tags_warned: set[str] = set()
    for pointer, method, path, operation in operations:
        operation_id = str(operation.get("operationId") or snake_name(f"{method} {path}"))
        placement = config.operations.get(operation_id)
        tags = operation.get("tags") or ["default"]
        if placement:
            resource = placement.resource
        else:
            tag = str(tags[0])
            resource = field_name(tag if words(tag) else f"tag {tag.encode().hex()}", reserved)
            if not _LATIN.search(tag) and tag not in tags_warned:
                tags_warned.add(tag)
                warn(
                    pointer_join(pointer, "tags", 0),
                    f"tag {tag!r} has no Latin letters: its resource is client.{resource} "
                    "(transliterated)",
                )
        method_name = placement.method if placement else operation_method(operation_id, resource)
        names[pointer] = OperationName(
            operation_id, resource, method_name, class_name(operation_id)
        )
    groups: dict[tuple[str, str], list[str]] = {}
    for pointer, name in names.items():
        groups.setdefault((name.resource, name.method), []).append(pointer)
    taken = set(groups)
    routes = {pointer: (method, path) for pointer, method, path, _ in operations}
    for (resource, method_name), pointers in groups.items():
        if len(pointers) < 2:
            continue
        placed = [p for p in pointers if names[p].operation_id in config.operations]
        spelled = [p for p in pointers if names[p].operation_id == method_name]
        keeper = (placed or spelled or pointers)[0]
        for pointer in pointers:
            if pointer == keeper:
                continue
            new = _distinct_method(method_name, routes[pointer], routes[keeper], resource, taken)
            taken.add((resource, new))
            names[pointer] = attrs.evolve(names[pointer], method=new, prefix=class_name(new))
            warn(
                pointer,
                f"operationId {names[pointer].operation_id!r} gives the same method as "
                f"{names[keeper].operation_id!r} ({keeper}): it is client.{resource}.{new}",
            )
    return names


_LATIN = re.compile("[A-Za-z]")


def _distinct_method(
    base: str,
    route: tuple[str, str],
    keeper: tuple[str, str],
    resource: str,
    taken: set[tuple[str, str]],
) -> str:
    method, path = route
    theirs = set(words(keeper[1]))
    own = [w for w in words(path) if w not in theirs]
    candidates = []
    if own:
        candidates.append(f"{base}_{snake_name(' '.join(own))}")
    if method != keeper[0]:
        candidates.append(f"{base}_{method}")
    candidates.append(f"{base}_{snake_name(path)}")
    candidates.append(f"{base}_{snake_name(f'{method} {path}')}")
    candidates.append(snake_name(f"{method} {path}"))
    for candidate in candidates:
        name = field_name(candidate, RESERVED_METHOD_NAMES)
        if (resource, name) not in taken:
            return name
    route_hex = f"{method} {path}".encode().hex()
    return field_name(f"{base}_{route_hex}", RESERVED_METHOD_NAMES)


def _build_operation(
    mapper: SchemaMapper,
    config: ClientConfig,
    pointer: str,
    method: str,
    path: str,
    operation: dict[str, Any],
    name: OperationName,
) -> ir.Operation:
    operation_id = name.operation_id
    placement = config.operations.get(operation_id)
    resource, method_name, op_name = name.resource, name.method, name.prefix
    mapper.context = (op_name,)
    try:
        parameters = _parameters(mapper, pointer, path, operation, config.name_extensions)
        taken = {p.py_name for p in parameters}
        bodies = _bodies(mapper, pointer, operation, op_name, method_name, placement, taken)
        responses = _responses(mapper, pointer, operation, op_name, config)
    finally:
        mapper.context = ()
    return ir.Operation(
        operation_id=operation_id,
        http_method=method.upper(),
        path=path,
        resource=resource,
        method_name=method_name,
        doc=ir.Doc(
            description=str(operation.get("description") or ""),
            deprecated=operation.get("deprecated") is True
            or (placement is not None and placement.deprecated),
        ),
        summary=str(operation.get("summary") or ""),
        parameters=parameters,
        bodies=bodies,
        responses=responses,
        stream_field=_stream_field(mapper, pointer, parameters, bodies, responses),
        pointer=pointer,
        page=_pagination(mapper, pointer, placement, parameters, responses),
    )


def _pagination(
    mapper: SchemaMapper,
    pointer: str,
    placement: Placement | None,
    parameters: tuple[ir.Parameter, ...],
    responses: tuple[ir.Response, ...],
) -> ir.Pagination | None:
    """How a list operation pages: as its client config says, else detected from the common
    cursor shape (an ``after`` query parameter; an answer with a ``data`` list and a
    ``has_more`` flag). None: not a paged list."""
    answer = next((r for r in responses if r.is_success and r.kind == "json"), None)
    model = (
        mapper.models.get(answer.type.name)
        if answer and isinstance(answer.type, ir.ModelRef)
        else None
    )
    fields = {f.wire_name: f for f in model.fields} if model else {}
    data = fields.get("data")
    item = ir.without_none(data.type) if data else None
    kind = placement.page if placement else None
    cursor = next((p for p in parameters if p.location == "query" and p.wire_name == "after"), None)
    if kind is None and cursor is not None and "has_more" in fields:
        kind = "cursor"
    if kind is None:
        return None
    if data is None or not isinstance(item, ir.ListOf):
        mapper.warn(pointer, f"a {kind} page needs an answer with a 'data' list; not paged")
        return None
    if kind == "single":
        return ir.Pagination(item.item, data.py_name, None, None)
    has_more = fields["has_more"].py_name if "has_more" in fields else None
    return ir.Pagination(item.item, data.py_name, has_more, "after" if cursor else None)


def _stream_field(
    mapper: SchemaMapper,
    pointer: str,
    parameters: tuple[ir.Parameter, ...],
    bodies: tuple[ir.RequestBody, ...],
    responses: tuple[ir.Response, ...],
) -> str | None:
    """The boolean body field (or query parameter) that switches a JSON answer to an event
    stream, if both."""
    has_json = any(r.kind == "json" and r.is_success for r in responses)
    has_stream = any(r.kind == "event-stream" and r.is_success for r in responses)
    if not (has_json and has_stream):
        return None
    switches: list[ir.Field | ir.Parameter] = [f for body in bodies for f in body.fields]
    switches += [p for p in parameters if p.location == "query"]
    for given in switches:
        if given.wire_name == "stream" and ir.without_none(given.type) == ir.Primitive("bool"):
            return given.wire_name
    mapper.warn(
        pointer,
        "JSON and event-stream answers but no boolean 'stream' field or query parameter to "
        "choose between them: the method returns the JSON answer",
    )
    return None


def _parameters(
    mapper: SchemaMapper,
    pointer: str,
    path: str,
    operation: dict[str, Any],
    extensions: tuple[str, ...],
) -> tuple[ir.Parameter, ...]:
    path_pointer = path_item_pointer(pointer)
    path_item = resolve_pointer(mapper.document.data, path_pointer)
    raw = [
        *((pointer_join(path_pointer, "parameters", i), p)
          for i, p in enumerate(path_item.get("parameters") or [])),
        *((pointer_join(pointer, "parameters", i), p)
          for i, p in enumerate(operation.get("parameters") or [])),
    ]  # fmt: skip
    by_key: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for where, param in raw:
        param = _follow(mapper, param, where)
        if not isinstance(param, dict) or not isinstance(param.get("name"), str):
            mapper.fail(where, "a parameter needs a name")
        location = param.get("in")
        if location not in ("path", "query", "header", "cookie"):
            mapper.fail(pointer_join(where, "in"), f"parameters in {location!r} are not supported")
        by_key[(param["name"], location)] = (where, param)
    _template_parameters(mapper, pointer, path, by_key)
    # Distinct argument names, also when two wire names map to one (``dall-e-2``, ``dall_e_2``)
    # or one name is in two places (path and query); a name an SDK generator's extension
    # gives (``x-stainless-param: betas``) is preferred to the wire name.
    preferred = {
        name: _extension_name(param, extensions) or name for (name, _), (_, param) in by_key.items()
    }
    py_names = unique_field_names(dict.fromkeys(preferred.values()), RESERVED_ARGUMENT_NAMES)
    used: set[str] = set()
    result = []
    for (name, location), (where, param) in by_key.items():
        py_name = py_names[preferred[name]]
        while py_name in used:
            py_name += "_"
        used.add(py_name)
        schema = _parameter_schema(param)
        try:
            type_ = mapper.map(schema, pointer_join(where, "schema"), (class_name(name),))
        except Aborted:
            type_ = ir.AnyValue()
        result.append(
            ir.Parameter(
                wire_name=name,
                py_name=py_name,
                location=location,  # type: ignore[arg-type]  # checked above
                type=type_,
                required=bool(param.get("required")) or location == "path",
                doc=_parameter_doc(mapper.doc(schema), param),
                style=param["style"] if isinstance(param.get("style"), str) else "",
                explode=param["explode"] if isinstance(param.get("explode"), bool) else None,
                pointer=where,
            )
        )
    return tuple(result)


def _template_parameters(
    mapper: SchemaMapper,
    pointer: str,
    path: str,
    by_key: dict[tuple[str, str], tuple[str, dict[str, Any]]],
) -> None:
    """Each name in the path template as a path parameter: one declared elsewhere (``in:
    query``) is taken as the path's, and one not declared at all is a string, each with a
    warning (the method could not fill the path otherwise)."""
    declared = {name for name, location in by_key if location == "path"}
    for name in dict.fromkeys(_TEMPLATE_NAME.findall(path)):
        if name in declared:
            continue
        other = next((key for key in by_key if key[0] == name), None)
        if other is not None:
            where, param = by_key.pop(other)
            by_key[(name, "path")] = (where, {**param, "in": "path", "required": True})
            message = f"{name!r} is in the path template {path!r} but declared in {other[1]}"
        else:
            where, param = pointer, {"name": name, "in": "path", "schema": {"type": "string"}}
            by_key[(name, "path")] = (where, param)
            message = f"{name!r} is in the path template {path!r} but not declared"
        mapper.warn(where, f"{message}: it is taken as a path parameter")


_TEMPLATE_NAME = re.compile(r"\{([^{}]+)\}")


def _follow(mapper: SchemaMapper, raw: Any, where: str) -> Any:
    """What ``raw`` is, through its ``$ref`` s; what is being built is left out when one
    leads nowhere."""
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        found = mapper.resolve(raw)
        if found is None:
            mapper.fail(where, f"$ref {raw['$ref']!r} points to nothing")
        return found
    return raw


def _extension_name(param: dict[str, Any], extensions: tuple[str, ...]) -> str | None:
    """The argument name a naming extension gives a parameter, on it or on its schema."""
    schema = param.get("schema")
    for holder in (param, schema if isinstance(schema, dict) else {}):
        for key in extensions:
            name = holder.get(key)
            if isinstance(name, str) and name.isidentifier():
                return name
    return None


def _parameter_schema(param: dict[str, Any]) -> Any:
    """A parameter's schema, also when it is given by ``content`` instead."""
    if "schema" in param:
        return param["schema"]
    content = param.get("content")
    if isinstance(content, dict) and content:
        media = next(iter(content.values()))
        if isinstance(media, dict):
            return media.get("schema", {})
    return {}


def _bodies(
    mapper: SchemaMapper,
    pointer: str,
    operation: dict[str, Any],
    op_name: str,
    method_name: str,
    placement: Placement | None,
    taken: set[str],
) -> tuple[ir.RequestBody, ...]:
    raw = operation.get("requestBody")
    if raw is None:
        return ()
    where = pointer_join(pointer, "requestBody")
    body = _follow(mapper, raw, where)
    if not isinstance(body, dict):
        mapper.fail(where, "the request body is not an object")
    content = body.get("content") if isinstance(body.get("content"), dict) else {}
    if not content:
        return ()
    encodings = {ct: encoding_of(ct) for ct in content}
    known = [ct for ct in content if encodings[ct] is not None]
    for content_type in content:
        if encodings[content_type] is None and known:
            mapper.warn(
                pointer_join(where, "content", content_type),
                f"left out: no Python mapping for {content_type!r}; "
                "the operation's other content types are offered",
            )
    chosen = known or list(content)
    ordered = sorted(
        chosen, key=lambda ct: (_ORDER.index(encodings[ct] or "binary"), list(content).index(ct))
    )
    required = body.get("required") is True
    result: list[ir.RequestBody] = []
    failures = 0
    for content_type in ordered:
        media_pointer = pointer_join(where, "content", content_type)
        encoding: Encoding = encodings[content_type] or "binary"
        media = content[content_type] if isinstance(content[content_type], dict) else {}
        hint = (op_name, "Body") if len(ordered) == 1 else (op_name, encoding, "Body")
        try:
            variant = _body(mapper, media, media_pointer, encoding, hint, taken, required)
        except Aborted:
            failures += 1
            continue
        name = method_name
        if result:
            custom = placement.variants.get(content_type) if placement else None
            name = custom or f"{method_name}_{encoding}"
        result.append(attrs.evolve(variant, content_type=content_type, method_name=name))
    if failures and not result:
        mapper.fail(where, "no content type of the request body could be mapped")
    return tuple(result)


def _body(
    mapper: SchemaMapper,
    media: dict[str, Any],
    pointer: str,
    encoding: Encoding,
    hint: tuple[str, ...],
    taken: set[str],
    required: bool,
) -> ir.RequestBody:
    """One content type: an object flattened into arguments, or one ``body`` argument."""
    schema = media.get("schema", {})
    if encoding == "binary" and not is_object_schema(mapper.document.data, schema):
        return _whole(ir.File(), pointer, encoding, required, mapper.doc(schema), taken)
    if encoding == "text":
        return _whole(ir.Primitive("str"), pointer, encoding, required, mapper.doc(schema), taken)
    mapped = mapper.map(schema, pointer_join(pointer, "schema"), hint)
    model = mapper.models.get(mapped.name) if isinstance(mapped, ir.ModelRef) else None
    # Only multipart sends file parts: in JSON or a form a binary string is text.
    sendable = (lambda t: t) if encoding == "multipart" else files_as_text
    if model is None:  # an array, a scalar, a map, a union: one argument
        return _whole(sendable(mapped), pointer, encoding, required, mapper.doc(schema), taken)
    own = {f.py_name for f in model.fields}
    used = set(taken)
    arguments = []
    for model_field in model.fields:
        if _read_only(mapper, model_field):
            continue  # set by the server: OpenAPI says it is not sent (nor required) in requests
        model_field = attrs.evolve(model_field, type=sendable(model_field.type))
        argument = _argument_field(model_field, used, own)
        used.add(argument.py_name)
        arguments.append(argument)
    return ir.RequestBody("", encoding, model.name, tuple(arguments), "")


def _whole(
    type_: ir.TypeRef,
    pointer: str,
    encoding: Encoding,
    required: bool,
    doc: ir.Doc,
    taken: set[str],
) -> ir.RequestBody:
    """A body that is one value (an array, a string, a file): the ``body`` argument (``body_``
    when a parameter already has that name)."""
    name = "body"
    while name in taken:
        name += "_"
    field = ir.Field("", name, type_, required, doc, pointer)
    return ir.RequestBody("", encoding, None, (field,), "", whole=True)


def _read_only(mapper: SchemaMapper, field: ir.Field) -> bool:
    """Whether a model field's property is ``readOnly`` (beside a ``$ref`` or in its target)."""
    try:
        prop = resolve_pointer(mapper.document.data, field.pointer)
    except KeyError:
        return False
    target = mapper.resolve(prop)
    return any(isinstance(s, dict) and s.get("readOnly") is True for s in (prop, target))


def _argument_field(field: ir.Field, taken: set[str], siblings: set[str]) -> ir.Field:
    """The model field as a method argument: names the client reserves get a trailing ``_``,
    without landing on a name already taken or on another field's own name."""
    name = field.py_name
    while (
        name in RESERVED_ARGUMENT_NAMES
        or name in taken
        or (name != field.py_name and name in siblings)
    ):
        name += "_"
    return attrs.evolve(field, py_name=name)


def encoding_of(content_type: str) -> Encoding | None:
    """How a request content type is sent (its media kind; an event stream is sent as the
    text the caller passes); None when Python has no mapping for it."""
    kind = media_kind(content_type)
    return "text" if kind == "event-stream" else kind


def _responses(
    mapper: SchemaMapper,
    pointer: str,
    operation: dict[str, Any],
    op_name: str,
    config: ClientConfig,
) -> tuple[ir.Response, ...]:
    result = []
    responses = operation.get("responses")
    for status, raw in (responses if isinstance(responses, dict) else {}).items():
        where = pointer_join(pointer, "responses", str(status))
        try:
            response = _follow(mapper, raw, where)
        except Aborted:  # an answer that leads nowhere: a success is read untyped
            if is_success_key(str(status)):
                result.append(ir.Response(str(status), "application/json", "json", ir.AnyValue()))
            else:  # still a declared status, of unknown content
                result.append(ir.Response(str(status), "", "empty", None))
            continue
        content = response.get("content") if isinstance(response, dict) else None
        if not isinstance(content, dict) or not content:
            result.append(ir.Response(str(status), "", "empty", None))
            continue
        success = is_success_key(str(status))
        for content_type, media in content.items():
            media = media if isinstance(media, dict) else {}
            media_pointer = pointer_join(where, "content", content_type)
            try:
                result.append(
                    _response(
                        mapper,
                        str(status),
                        str(content_type),
                        media,
                        media_pointer,
                        op_name,
                        success,
                        config,
                    )
                )
            except Aborted:
                if success:
                    result.append(ir.Response(str(status), content_type, "json", ir.AnyValue()))
    return tuple(result)


def _response(
    mapper: SchemaMapper,
    status: str,
    content_type: str,
    media: dict[str, Any],
    pointer: str,
    op_name: str,
    success: bool,
    config: ClientConfig,
) -> ir.Response:
    kind = media_kind(content_type)
    hint = (op_name, "Response" if success else f"{status} Response")
    examples = _media_examples(media)
    if kind == "event-stream":
        stream = read_event_stream(mapper, media, pointer, op_name, config.terminal_events)
        return ir.Response(status, content_type, "event-stream", stream.type, stream, examples)
    if kind == "json":
        type_ = mapper.map(media.get("schema", {}), pointer_join(pointer, "schema"), hint)
        return ir.Response(status, content_type, "json", type_, None, examples)
    if kind == "text":
        return ir.Response(status, content_type, "text", ir.Primitive("str"))
    return ir.Response(status, content_type, "binary", None)


def _media_examples(media: dict[str, Any]) -> tuple[Any, ...]:
    examples = media.get("examples")
    if isinstance(examples, dict):
        return tuple(e["value"] for e in examples.values() if isinstance(e, dict) and "value" in e)
    if "example" in media:
        return (media["example"],)
    return ()


def _parameter_doc(doc: ir.Doc, param: dict[str, Any]) -> ir.Doc:
    """A parameter's schema's doc, with the parameter's own description and deprecation."""
    if param.get("deprecated") is True:
        doc = attrs.evolve(doc, deprecated=True)
    return _with_description(doc, param.get("description"))


def _with_description(doc: ir.Doc, description: Any) -> ir.Doc:
    if isinstance(description, str) and description:
        return attrs.evolve(doc, description=description)
    return doc


def _with_security(
    operation: ir.Operation,
    document: Document,
    schemes: tuple[ir.SecurityScheme, ...],
    default: ir.Requirements,
) -> ir.Operation:
    """The operation with its own security requirements, when they differ from the API's."""
    raw = resolve_pointer(document.data, operation.pointer)
    own = requirements(raw.get("security"), schemes) if isinstance(raw, dict) else None
    return operation if own is None or own == default else attrs.evolve(operation, security=own)


def _distinct_methods(mapper: SchemaMapper, operations: list[ir.Operation]) -> list[ir.Operation]:
    """Each method once per resource: an operation whose method (or a body variant's) another
    one already has is named after what differs in its route, with a warning."""
    seen: dict[tuple[str, str], ir.Operation] = {}
    result = []
    for operation in operations:
        methods = [b.method_name for b in operation.bodies] or [operation.method_name]
        clash = next(
            (seen[(operation.resource, m)] for m in methods if (operation.resource, m) in seen),
            None,
        )
        if clash is not None:
            new = _distinct_method(
                operation.method_name,
                (operation.http_method.lower(), operation.path),
                (clash.http_method.lower(), clash.path),
                operation.resource,
                set(seen),
            )
            old = operation.method_name
            bodies = tuple(
                attrs.evolve(b, method_name=new + b.method_name.removeprefix(old))
                for b in operation.bodies
            )
            mapper.warn(
                operation.pointer,
                f"client.{operation.resource}.{methods[0]} is already {clash.pointer}: this "
                f"operation is client.{operation.resource}.{new}",
            )
            operation = attrs.evolve(operation, method_name=new, bodies=bodies)
            methods = [b.method_name for b in operation.bodies] or [operation.method_name]
        for method in methods:
            seen[(operation.resource, method)] = operation
        result.append(operation)
    return result


def _with_servers(
    mapper: SchemaMapper, operations: list[ir.Operation]
) -> tuple[list[ir.Operation], tuple[ir.Server, ...], str]:
    """The operations with their own servers, the document's servers, and the API's
    default base URL.

    The default is the document's first server; without one, the server most operations
    declare (the first declared, on a tie); without any, ``http://localhost``. An operation
    keeps its own servers where they differ from the document's, and its own base URL
    where it differs from the default.
    """
    top = servers_of(mapper.document.data.get("servers"))
    own = [_own_servers(mapper, op) for op in operations]
    default = url_of(top[0]) if top else None
    if default is None:
        counts = Counter(url for _, url in own if url is not None)
        # max() keeps the first of equal counts, and the Counter is in document order.
        default = max(counts, key=counts.__getitem__) if counts else "http://localhost"
    result = []
    for op, (servers, url) in zip(operations, own, strict=True):
        if servers and servers != top:
            op = attrs.evolve(op, servers=servers)
        if url is not None and url != default:
            op = attrs.evolve(op, base_url=url)
        result.append(op)
    return result, top, default


def _own_servers(
    mapper: SchemaMapper, operation: ir.Operation
) -> tuple[tuple[ir.Server, ...], str | None]:
    """The servers an operation declares, else its path item's (OpenAPI's order), and the
    URL of the first; ``()`` and None when neither declares any.

    A relative URL is relative to where the document is, which the client does not know:
    its URL is None, with a warning, and the operation uses the client's base URL.
    """
    for pointer in (operation.pointer, path_item_pointer(operation.pointer)):
        node = resolve_pointer(mapper.document.data, pointer)
        servers = servers_of(node.get("servers") if isinstance(node, dict) else None)
        if not servers:
            continue
        url = url_of(servers[0])
        parts = urllib.parse.urlsplit(url)
        if parts.scheme and parts.netloc:
            return servers, url
        mapper.warn(
            pointer_join(pointer, "servers"),
            f"a relative server URL ({url!r}) cannot be resolved without the document's "
            "location: the operation uses the client's base URL",
        )
        return servers, None
    return (), None


def servers_of(raw: Any) -> tuple[ir.Server, ...]:
    """The Server Objects of a ``servers`` list that have a URL, with their variables."""
    found = []
    for server in raw if isinstance(raw, list) else ():
        url = server.get("url") if isinstance(server, dict) else None
        if not isinstance(url, str):
            continue
        variables = server.get("variables")
        found.append(
            ir.Server(
                url,
                tuple(
                    _server_variable(str(name), variable)
                    for name, variable in (variables if isinstance(variables, dict) else {}).items()
                ),
            )
        )
    return tuple(found)


def _server_variable(name: str, variable: Any) -> ir.ServerVariable:
    if not isinstance(variable, dict):
        return ir.ServerVariable(name, "")
    values = variable.get("enum")
    return ir.ServerVariable(
        name,
        str(variable.get("default", "")),
        tuple(str(v) for v in values) if isinstance(values, list) else (),
    )


def url_of(server: ir.Server) -> str:
    """A server's URL with its variables' defaults, without a trailing slash."""
    return server_url(server.url, {v.name: v.default for v in server.variables})


def security_schemes(mapper: SchemaMapper) -> tuple[ir.SecurityScheme, ...]:
    """The spec's security schemes the client can use; others are left out (a warning)."""
    components = mapper.document.data.get("components")
    found = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes = []
    for name, raw in (found if isinstance(found, dict) else {}).items():
        where = pointer_join("/components/securitySchemes", str(name))
        scheme = mapper.resolve(raw)
        kind = scheme.get("type") if isinstance(scheme, dict) else None
        http = str(scheme.get("scheme", "")).lower() if isinstance(scheme, dict) else ""
        if kind in ("oauth2", "openIdConnect") or (kind == "http" and http == "bearer"):
            schemes.append(ir.SecurityScheme(str(name), "bearer"))
        elif kind == "http" and http == "basic":
            schemes.append(ir.SecurityScheme(str(name), "basic"))
        elif kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
            parameter = str(scheme.get("name") or "Authorization")
            schemes.append(ir.SecurityScheme(str(name), "api_key", scheme["in"], parameter))
        else:
            what = f"{kind} {http}".strip() if kind else "a scheme without a type"
            mapper.warn(where, f"left out: the client cannot authenticate with {what}")
    return tuple(schemes)


def requirements(raw: Any, schemes: tuple[ir.SecurityScheme, ...]) -> ir.Requirements | None:
    """Security requirement alternatives the client can meet (None: ``raw`` is not a list).

    An alternative naming a scheme the client cannot use is left out; when none is left of
    a list that asked for some, the client sends no credentials for it.
    """
    if not isinstance(raw, list):
        return None
    known = {s.name for s in schemes}
    found = []
    for requirement in raw:
        names = tuple(str(n) for n in requirement) if isinstance(requirement, dict) else None
        if names is not None and all(n in known for n in names):
            found.append(names)
    return tuple(dict.fromkeys(found))


def spec_config_path(spec: Path) -> Path:
    """The client config beside a spec: ``images-edit.yaml`` → ``images-edit.client.yaml``."""
    return spec.with_name(spec.name.split(".")[0] + ".client.yaml")
