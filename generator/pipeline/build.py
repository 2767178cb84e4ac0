"""Build the ``ir.Api`` of a document: operations, bodies, responses, event streams, auth."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import attrs

from ..errors import pointer_join
from . import ir
from .config import ClientConfig
from .events import read_event_stream
from .load import Document, resolve_pointer
from .names import (
    RESERVED_ARGUMENT_NAMES,
    RESERVED_RESOURCE_NAMES,
    builder_name,
    class_name,
    field_name,
    snake_name,
    unique_field_names,
)
from .schema import Aborted, SchemaMapper

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_ENCODINGS = {
    "multipart/form-data": "multipart",
    "application/x-www-form-urlencoded": "form",
}


def build_api(document: Document, config: ClientConfig) -> ir.Api:
    """The whole intermediate model of ``document``; every problem is reported at once."""
    mapper = SchemaMapper(document)
    mapper.map_all_components()
    operations = []
    for pointer, method, path, operation in _iter_operations(document):
        with contextlib.suppress(Aborted):  # recorded; go on to report every problem
            operations.append(_build_operation(mapper, config, pointer, method, path, operation))
    _check_method_names(document, mapper, operations)
    mapper.raise_problems()
    return ir.Api(
        package_name=config.package_name,
        title=str(document.data.get("info", {}).get("title", "")),
        spec_version=str(document.data.get("info", {}).get("version", "")),
        spec_sha256=document.sha256,
        base_url=_base_url(document),
        auth=_auth(document),
        api_key_env=config.api_key_env,
        base_url_env=config.base_url_env,
        array_format=config.array_format,
        models=tuple(mapper.models[k] for k in sorted(mapper.models)),
        enums=tuple(mapper.enums[k] for k in sorted(mapper.enums)),
        unions=tuple(mapper.unions[k] for k in sorted(mapper.unions)),
        operations=tuple(operations),
    )


def _iter_operations(document: Document) -> list[tuple[str, str, str, dict[str, Any]]]:
    found = []
    for path, item in (document.data.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                pointer = pointer_join("/paths", path, method)
                found.append((pointer, method, path, operation))
    return found


def _build_operation(
    mapper: SchemaMapper,
    config: ClientConfig,
    pointer: str,
    method: str,
    path: str,
    operation: dict[str, Any],
) -> ir.Operation:
    operation_id = operation.get("operationId") or snake_name(f"{method} {path}")
    placement = config.operations.get(operation_id)
    tags = operation.get("tags") or ["default"]
    resource = (
        placement.resource if placement else field_name(str(tags[0]), RESERVED_RESOURCE_NAMES)
    )
    method_name = placement.method if placement else field_name(str(operation_id), ())
    op_name = class_name(operation_id)

    parameters = _parameters(mapper, pointer, operation, path)
    taken = {p.py_name for p in parameters}
    bodies = _bodies(mapper, pointer, operation, op_name, method_name, placement, taken)
    responses = _responses(mapper, pointer, operation, op_name, config)
    stream_field = None
    has_json = any(r.kind == "json" and r.is_success for r in responses)
    has_stream = any(r.kind == "event-stream" and r.is_success for r in responses)
    if has_json and has_stream:
        for body in bodies:
            field = next((f for f in body.fields if f.wire_name == "stream"), None)
            if field is not None and ir.without_none(field.type) == ir.Primitive("bool"):
                stream_field = field.wire_name
        if stream_field is None:
            mapper.fail(pointer, "JSON and event-stream answers but no boolean 'stream' field")
    return ir.Operation(
        operation_id=str(operation_id),
        http_method=method.upper(),
        path=path,
        resource=resource,
        method_name=method_name,
        doc=ir.Doc(description=str(operation.get("description") or "")),
        summary=str(operation.get("summary") or ""),
        parameters=parameters,
        bodies=bodies,
        responses=responses,
        stream_field=stream_field,
        pointer=pointer,
    )


def _parameters(
    mapper: SchemaMapper, pointer: str, operation: dict[str, Any], path: str
) -> tuple[ir.Parameter, ...]:
    path_item = resolve_pointer(mapper.document.data, pointer.rsplit("/", 1)[0])
    raw = [*(path_item.get("parameters") or []), *(operation.get("parameters") or [])]
    by_key: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for index, param in enumerate(raw):
        where = pointer_join(pointer, "parameters", index)
        param = mapper.resolve(param)
        if not isinstance(param, dict) or "name" not in param:
            mapper.fail(where, "a parameter needs a name")
        by_key[(param["name"], param.get("in", ""))] = (where, param)
    # Distinct argument names, also when two wire names map to one (``dall-e-2``, ``dall_e_2``)
    # or one name is in two places (path and query).
    py_names = unique_field_names(dict.fromkeys(n for n, _ in by_key), RESERVED_ARGUMENT_NAMES)
    used: set[str] = set()
    result = []
    for (name, location), (where, param) in by_key.items():
        py_name = py_names[name]
        while py_name in used:
            py_name += "_"
        used.add(py_name)
        if location not in ("path", "query", "header", "cookie"):
            mapper.fail(pointer_join(where, "in"), f"parameters in {location!r} are not supported")
        schema = param.get("schema", {})
        type_ = mapper.map(schema, pointer_join(where, "schema"), (class_name(name),))
        result.append(
            ir.Parameter(
                wire_name=name,
                py_name=py_name,
                location=location,  # type: ignore[arg-type]  # checked just above
                type=type_,
                required=bool(param.get("required")) or location == "path",
                doc=_with_description(mapper.doc(schema), param.get("description")),
                style=param["style"] if isinstance(param.get("style"), str) else "",
                explode=param["explode"] if isinstance(param.get("explode"), bool) else None,
            )
        )
    return tuple(result)


def _bodies(
    mapper: SchemaMapper,
    pointer: str,
    operation: dict[str, Any],
    op_name: str,
    method_name: str,
    placement: Any,
    taken: set[str],
) -> tuple[ir.RequestBody, ...]:
    raw = operation.get("requestBody")
    if raw is None:
        return ()
    where = pointer_join(pointer, "requestBody")
    body = mapper.resolve(raw)
    content = body.get("content") or {}
    ordered = sorted(
        content, key=lambda ct: (_encoding(ct) != "multipart", list(content).index(ct))
    )
    result = []
    for position, content_type in enumerate(ordered):
        media_pointer = pointer_join(where, "content", content_type)
        encoding = _encoding(content_type)
        if encoding is None:
            mapper.fail(media_pointer, f"request content type {content_type!r} is not supported")
        schema = content[content_type].get("schema", {})
        hint = (op_name, "Body") if len(ordered) == 1 else (op_name, encoding, "Body")
        mapped = mapper.map(schema, pointer_join(media_pointer, "schema"), hint)
        if not isinstance(mapped, ir.ModelRef):
            mapper.fail(media_pointer, "a request body must be an object schema")
        model = mapper.models[mapped.name]
        own = {f.py_name for f in model.fields}
        used = set(taken)
        arguments = []
        for model_field in model.fields:
            argument = _argument_field(model_field, used, own)
            used.add(argument.py_name)
            arguments.append(argument)
        fields = tuple(arguments)
        name = method_name
        if position > 0:
            custom = placement.variants.get(content_type) if placement else None
            name = custom or f"{method_name}_{encoding}"
        result.append(
            ir.RequestBody(
                content_type=content_type,
                encoding=encoding,  # type: ignore[arg-type]
                model=model.name,
                fields=fields,
                method_name=name,
                builder_name=builder_name(f"{op_name} {encoding}" if len(ordered) > 1 else op_name),
            )
        )
    return tuple(result)


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
    return ir.Field(field.wire_name, name, field.type, field.required, field.doc, field.pointer)


def _encoding(content_type: str) -> str | None:
    base = content_type.split(";")[0].strip().lower()
    if base in _ENCODINGS:
        return _ENCODINGS[base]
    if base == "application/json" or base.endswith("+json"):
        return "json"
    return None


def _responses(
    mapper: SchemaMapper,
    pointer: str,
    operation: dict[str, Any],
    op_name: str,
    config: ClientConfig,
) -> tuple[ir.Response, ...]:
    result = []
    for status, raw in (operation.get("responses") or {}).items():
        where = pointer_join(pointer, "responses", str(status))
        response = mapper.resolve(raw)
        content = (response or {}).get("content") or {}
        if not content:
            result.append(ir.Response(str(status), "", "empty", None))
            continue
        for content_type, media in content.items():
            media_pointer = pointer_join(where, "content", content_type)
            base = content_type.split(";")[0].strip().lower()
            hint = (
                op_name,
                "Response" if ir.is_success_status(str(status)) else f"{status} Response",
            )
            if base == "text/event-stream":
                stream = read_event_stream(
                    mapper, media, media_pointer, op_name, config.terminal_events
                )
                result.append(ir.Response(str(status), content_type, "event-stream", stream.type,
                                          stream, _media_examples(media)))  # fmt: skip
            elif _encoding(base) == "json":
                schema = media.get("schema", {})
                type_ = mapper.map(schema, pointer_join(media_pointer, "schema"), hint)
                result.append(ir.Response(str(status), content_type, "json", type_, None,
                                          _media_examples(media)))  # fmt: skip
            elif base.startswith("text/"):
                result.append(ir.Response(str(status), content_type, "text", ir.Primitive("str")))
            else:
                result.append(ir.Response(str(status), content_type, "binary", None))
    return tuple(result)


def _media_examples(media: dict[str, Any]) -> tuple[Any, ...]:
    examples = media.get("examples")
    if isinstance(examples, dict):
        return tuple(e["value"] for e in examples.values() if isinstance(e, dict) and "value" in e)
    if "example" in media:
        return (media["example"],)
    return ()


def _with_description(doc: ir.Doc, description: Any) -> ir.Doc:
    if isinstance(description, str) and description:
        return attrs.evolve(doc, description=description)
    return doc


def _check_method_names(
    document: Document, mapper: SchemaMapper, operations: list[ir.Operation]
) -> None:
    seen: dict[tuple[str, str], str] = {}
    for operation in operations:
        for body_method in [b.method_name for b in operation.bodies] or [operation.method_name]:
            key = (operation.resource, body_method)
            if key in seen and seen[key] != operation.pointer:
                mapper.problems.append(
                    document.problem(
                        operation.pointer,
                        f"client.{key[0]}.{key[1]} is also used by {seen[key]}; "
                        "set another method in the client config",
                    )
                )
            seen[key] = operation.pointer


def _base_url(document: Document) -> str:
    servers = document.data.get("servers") or []
    if not servers or not isinstance(servers[0], dict):
        return "http://localhost"
    url = str(servers[0].get("url", ""))
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return url.rstrip("/")


def _auth(document: Document) -> ir.Auth:
    schemes = (document.data.get("components") or {}).get("securitySchemes") or {}
    for requirement in document.data.get("security") or []:
        for name in requirement:
            scheme = schemes.get(name)
            if not isinstance(scheme, dict):
                continue
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                return ir.Auth("header", str(scheme.get("name", "Authorization")))
            if scheme.get("type") in ("http", "oauth2", "openIdConnect"):
                return ir.Auth("bearer")
    return ir.Auth("none")


def spec_config_path(spec: Path) -> Path:
    """The client config beside a spec: ``images-edit.yaml`` → ``images-edit.client.yaml``."""
    return spec.with_name(spec.name.split(".")[0] + ".client.yaml")
