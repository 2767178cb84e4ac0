"""Render the IR through Jinja templates into files (path → text), all in memory.

Templates only lay out what the views here decided: names, annotations, defaults and
decode/encode expressions are computed in Python. Spec text reaches code only through
``docstring`` (escaped, wrapped) or ``literal`` (``repr``).
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import attrs
import jinja2

from .. import __version__
from . import apidesc, ir
from .names import builder_name, snake_name
from .pytypes import TypeWriter, file_shape, referenced_names
from .templates import RUNTIME_DIR, templates_dir

DOC_WIDTH = 88
RUNTIME_MODULES = ("_base_client", "_errors", "_files", "_multipart", "_recording", "_requests",
                   "_sse", "_streaming", "_types")  # fmt: skip


# ---------------------------------------------------------------- escaping


def escape_docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring: backslashes, quotes and controls escaped."""
    out = []
    for char in text.replace("\\", "\\\\"):
        if char == "\n" or char.isprintable():
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")  # fmt: skip
    # Only a run of three quotes can end the docstring early; a lone quote is fine.
    return re.sub(r'"{3,}', lambda m: '\\"' * len(m.group()), "".join(out))


def docstring(text: str, indent: int = 0, width: int = DOC_WIDTH) -> str:
    """A docstring body, wrapped to fit, every line escaped, without the quotes."""
    paragraphs = [p for p in text.strip().replace("\r\n", "\n").split("\n\n") if p.strip()]
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        flat = " ".join(paragraph.split())
        wrapped = textwrap.wrap(
            escape_docstring(flat),
            max(width - indent, 40),
            break_on_hyphens=False,
            break_long_words=False,  # never split a URL or an escape sequence
        )
        lines.extend(_keep_escapes_whole(wrapped))
    if not lines:
        return ""
    pad = " " * indent
    body = "\n".join([lines[0], *[(pad + line) if line else "" for line in lines[1:]]])
    # A quote right before the closing quotes would merge with them.
    stripped = body.rstrip('"')
    return stripped + '\\"' * (len(body) - len(stripped))


def _keep_escapes_whole(lines: list[str]) -> list[str]:
    """Move a trailing odd backslash to the next line, so no line ends in an escape."""
    fixed = list(lines)
    for i in range(len(fixed) - 1):
        stripped = fixed[i].rstrip("\\")
        if (len(fixed[i]) - len(stripped)) % 2:
            fixed[i], fixed[i + 1] = fixed[i][:-1], "\\" + fixed[i + 1]
    return fixed


def _comment_safe(text: str) -> str:
    """Text for a ``#`` comment: one line, printable."""
    return "".join(c if c.isprintable() else "?" for c in text)


def literal(value: Any) -> str:
    """A Python literal for a JSON value (strings via ``repr``: never code)."""
    if isinstance(value, str | bool | int | float) or value is None:
        return repr(value)
    if isinstance(value, tuple):
        return "(" + "".join(f"{literal(item)}, " for item in value).rstrip(" ") + ")"
    return repr(json.loads(json.dumps(value)))


# ---------------------------------------------------------------- views


@attrs.frozen
class FieldView:
    name: str
    wire: str  # a string literal
    annotation: str
    default: str | None
    doc: str
    decode: str  # expression over ``data``
    encode: str  # expression over ``self.<name>``
    required: bool


@attrs.frozen
class ArgView:
    name: str
    wire: str
    annotation: str
    default: str | None
    doc: str
    send: str  # how the builder sends it: json, form, file_one, file_many, file_one_or_many
    location: str = "body"


@attrs.frozen
class BodyView:
    """One client method + request builder pair."""

    method: str
    builder: str
    encoding: str
    content_type: str
    args: tuple[ArgView, ...]
    stream_arg: str | None  # the argument that switches to a stream
    # Its annotation in the overloads answering JSON, a stream, and either.
    stream_overloads: tuple[str, str, str] = ("", "", "")


_BOUND_PHRASES = (
    ("minimum", "minimum {}"),
    ("maximum", "maximum {}"),
    ("exclusive_minimum", "greater than {}"),
    ("exclusive_maximum", "less than {}"),
    ("min_length", "at least {} characters"),
    ("max_length", "at most {} characters"),
    ("min_items", "at least {} items"),
    ("max_items", "at most {} items"),
    ("pattern", "matches {}"),
    ("multiple_of", "a multiple of {}"),
    ("format", "format: {}"),
)


def bound_phrases(bounds: ir.Bounds) -> list[str]:
    """The bounds in words, for docstrings (the one place they are phrased)."""
    phrases = [
        text.format(getattr(bounds, key))
        for key, text in _BOUND_PHRASES
        if getattr(bounds, key) is not None
    ]
    if bounds.values is not None:
        phrases.append("one of " + ", ".join(repr(v) for v in bounds.values))
    return phrases


def doc_text(doc: ir.Doc, *, show_default: bool = True) -> str:
    parts = [doc.description.strip()] if doc.description.strip() else []
    facts = bound_phrases(doc.bounds)
    if show_default and doc.has_default:
        facts.append(f"server default: {json.dumps(doc.default)}")
    if doc.deprecated:
        facts.append("deprecated")
    if facts:
        parts.append("(" + "; ".join(facts) + ")")
    return " ".join(parts)


class Renderer:
    def __init__(self, api: ir.Api, spec_name: str) -> None:
        self.api = api
        self.spec_name = spec_name
        self.types = TypeWriter({e.name: e for e in api.enums})
        self.models = {m.name: m for m in api.models}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir())),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["docstring"] = docstring
        self.env.filters["literal"] = literal
        self.env.filters["snake"] = snake_name

    # ------------------------------------------------------------ files

    def render(self) -> dict[str, str]:
        """Every file of the package, relative to the output folder."""
        package = self.api.package_name
        runtime_modules = self.runtime_modules()
        context = {
            "api": self.api,
            "request_imports": self.request_imports(),
            "client_imports": self.client_imports(),
            "exported_models": self.exported_models(),
            "runtime_modules": runtime_modules,
            "header": self.header(),
            "models": [self.model_view(m) for m in self.api.models],
            "enums": self.api.enums,
            "unions": [self.union_view(u) for u in self.api.unions],
            "resources": self.resource_views(),
            "package": package,
            "version": __version__,
        }
        files = {
            f"{package}/__init__.py": "__init__.py.jinja",
            f"{package}/models.py": "models.py.jinja",
            f"{package}/requests.py": "requests.py.jinja",
            f"{package}/client.py": "client.py.jinja",
            "pyproject.toml": "pyproject.toml.jinja",
        }
        out = {path: self.env.get_template(name).render(context) for path, name in files.items()}
        for module in runtime_modules:
            out[f"{package}/{module}.py"] = (RUNTIME_DIR / f"{module}.py").read_text(
                encoding="utf-8"
            )
        out[f"{package}/py.typed"] = ""
        out[f"{package}/_api.json"] = apidesc.dump(self.api)
        return out

    def request_imports(self) -> list[str]:
        """Names of models, enums and unions that operation arguments mention."""
        names: set[str] = set()
        for op in self.api.operations:
            for body in op.bodies:
                for field in body.fields:
                    names |= referenced_names(field.type)
            for param in op.parameters:
                names |= referenced_names(param.type)
        return sorted(names)

    def client_imports(self) -> list[str]:
        """Names the client module mentions: arguments, answers and event parsers."""
        names = set(self.request_imports())
        unions = {u.name for u in self.api.unions}
        for op in self.api.operations:
            for response in op.responses:
                if response.is_success and response.type is not None:
                    answer = referenced_names(response.type)
                    names |= answer
                    names |= {f"parse_{snake_name(name)}" for name in answer & unions}
        return sorted(names)

    def exported_models(self) -> list[str]:
        names = [e.name for e in self.api.enums] + [m.name for m in self.api.models]
        for union in self.api.unions:
            names += [union.name, f"parse_{snake_name(union.name)}"]
        return sorted(names)

    @staticmethod
    def runtime_modules() -> list[str]:
        return [m for m in RUNTIME_MODULES if (RUNTIME_DIR / f"{m}.py").exists()]

    def header(self) -> str:
        return (
            f"# Generated by openapi-images-generator {__version__}: do not edit, regenerate.\n"
            f"# Spec: {_comment_safe(self.spec_name)} (sha256 {self.api.spec_sha256})"
        )

    # ------------------------------------------------------------ models

    def model_view(self, model: ir.Model) -> dict[str, Any]:
        fields = [self.field_view(f) for f in model.fields]
        rules = [
            {
                "any_of": [list(group) for group in rule.any_of],
                "not_all": list(rule.not_all),
                "message": _rule_message(model.name, rule),
            }
            for rule in model.rules
        ]
        py_names = {f.wire_name: f.py_name for f in model.fields}
        return {
            "name": model.name,
            "doc": docstring(doc_text(model.doc) or f"The {model.name} object.", 4),
            "fields": fields,
            "required": [literal(f.wire_name) for f in model.fields if f.required],
            "wire_names": [literal(f.wire_name) for f in model.fields],
            "extra_annotation": self.types.annotation(model.extra) if model.extra else "Any",
            "rules": rules,
            "py_names": py_names,
        }

    def field_view(self, field: ir.Field) -> FieldView:
        annotation = self.types.annotation(field.type)
        default = None
        if isinstance(field.type, ir.Const) and field.required:
            default = literal(field.type.value)
        elif not field.required:
            annotation += " | Unset"
            default = "UNSET"
        raw = f"data.get({literal(field.wire_name)}, UNSET)"
        decoder = self.types.decoder(ir.without_none(field.type), "v")
        decode = raw if decoder is None else f"if_set({raw}, lambda v: {decoder})"
        encode = f"self.{field.py_name}"
        if _needs_to_json(field.type):
            encode = f"to_json(self.{field.py_name})"
        return FieldView(
            name=field.py_name,
            wire=literal(field.wire_name),
            annotation=annotation,
            default=default,
            doc=docstring(doc_text(field.doc), 4),
            decode=decode,
            encode=encode,
            required=field.required,
        )

    # ------------------------------------------------------------ unions

    def union_view(self, union: ir.UnionDef) -> dict[str, Any]:
        variants = [self.types.annotation(v) for v in union.variants]
        if union.fallback:
            variants.append(union.fallback)
        cases: list[tuple[str, str]] = []
        if union.discriminator:
            cases = [(literal(v), m) for v, m in union.discriminator.mapping]
        by_event = [(literal(e), m) for e, m in union.by_event]
        decoder = None
        if not union.discriminator and not union.by_event:
            decoder = self.types.decoder(ir.Union(union.variants), "data")
        return {
            "name": union.name,
            "function": f"parse_{snake_name(union.name)}",
            "doc": docstring(doc_text(union.doc) or f"One of: {', '.join(variants)}.", 4),
            "annotation": " | ".join(variants),
            "property": literal(union.discriminator.property) if union.discriminator else None,
            "property_doc": docstring(union.discriminator.property) if union.discriminator else "",
            "cases": cases,
            "by_event": by_event,
            "fallback": union.fallback,
            "decoder": decoder or "data",
        }

    # ------------------------------------------------------------ operations

    def resource_views(self) -> list[dict[str, Any]]:
        views = []
        taken = {m.name for m in self.api.models} | {e.name for e in self.api.enums}
        taken |= {u.name for u in self.api.unions}
        for resource, operations in self.api.resources().items():
            views.append(
                {
                    "attribute": resource,
                    "class_name": _resource_class(resource, taken),
                    "operations": [self.operation_view(op) for op in operations],
                }
            )
        return views

    def operation_view(self, op: ir.Operation) -> dict[str, Any]:
        json_response = op.success_json
        stream_response = op.success_stream
        bodies = [self.body_view(op, body) for body in op.bodies]
        if not bodies:
            builder = builder_name(op.operation_id)
            bodies = [BodyView(op.method_name, builder, "none", "", (), None)]
        params = tuple(self.param_view(p) for p in op.parameters)
        raw_response = op.success_raw if json_response is None else None
        returns = self._return_type(json_response)
        body_attribute = None
        if raw_response is not None:
            returns, body_attribute = (
                ("str", "text") if raw_response.kind == "text" else ("bytes", "content")
            )
        events = None
        if stream_response is not None and stream_response.stream is not None:
            stream = stream_response.stream
            event_type = self.types.annotation(stream.type)
            if isinstance(stream.type, ir.UnionRef):
                union = next(u for u in self.api.unions if u.name == stream.type.name)
                event = ", event=event" if union.by_event else ""
                parse = f"parse_{snake_name(union.name)}(data, strict=strict{event})"
            else:  # a model, or plain JSON values
                parse = self.types.decoder(stream.type, "data") or "data"
            events = {
                "type": event_type,
                "constant": f"_{snake_name(op.operation_id).upper()}_EVENTS",
                "parse": parse,
                "discriminator": literal(stream.discriminator),
                "terminal": literal(stream.terminal),
            }
        return {
            "id": op.operation_id,
            "http_method": op.http_method,
            "path": op.path,
            "summary": docstring(op.summary or op.operation_id, 8),
            "description": docstring(op.doc.description, 8),
            "bodies": bodies,
            "params": params,
            "returns": returns,
            "decode": self._decode_function(json_response),
            "body_attribute": body_attribute,
            "events": events,
            "streams_only": events is not None and json_response is None,
            "accept": self._accept(op),
            "url": self._url_expression(op),
        }

    def body_view(self, op: ir.Operation, body: ir.RequestBody) -> BodyView:
        args = []
        for field in sorted(body.fields, key=lambda f: not f.required):
            annotation = self.types.annotation(field.type, "input")
            default = None
            if not field.required:
                annotation += " | Unset"
                default = "UNSET"
            shape = file_shape(field.type) if body.encoding == "multipart" else None
            send = f"file_{shape}" if shape else body.encoding
            if shape == "one_or_many":
                annotation = annotation.replace(
                    "Sequence[FileTypes] | FileTypes", "FileTypes | Sequence[FileTypes]"
                )
            args.append(
                ArgView(
                    field.py_name,
                    literal(field.wire_name),
                    annotation,
                    default,
                    docstring(doc_text(field.doc), 16),
                    send,
                )
            )
        stream_field = next((f for f in body.fields if f.wire_name == op.stream_field), None)
        stream_arg = stream_field.py_name if stream_field else None
        overloads = ("", "", "")
        if stream_field is not None:
            none = " | None" if ir.is_nullable(stream_field.type) else ""
            unset = "" if stream_field.required else " | Unset = UNSET"
            overloads = (f"Literal[False]{none}{unset}", "Literal[True]", f"bool{none}{unset}")
        return BodyView(
            body.method_name,
            body.builder_name,
            body.encoding,
            body.content_type,
            tuple(args),
            stream_arg,
            overloads,
        )

    def param_view(self, param: ir.Parameter) -> ArgView:
        annotation = self.types.annotation(param.type, "input")
        default = None
        if not param.required:
            annotation += " | Unset"
            default = "UNSET"
        return ArgView(param.py_name, literal(param.wire_name), annotation, default,
                       docstring(doc_text(param.doc), 16), "param", param.location)  # fmt: skip

    def _return_type(self, response: ir.Response | None) -> str:
        if response is None or response.type is None:
            return "None"
        return self.types.annotation(response.type)

    def _decode_function(self, response: ir.Response | None) -> str | None:
        """The decoder of a JSON answer, for ``request_json``; None when there is none."""
        if response is None or response.type is None:
            return None
        decoder = self.types.decoder(response.type, "data")
        return f"lambda data, strict: {decoder or 'data'}"

    def _url_expression(self, op: ir.Operation) -> str:
        """``base_url + "/items/" + path_segment(item_id)``: path text only as literals."""
        names = {p.wire_name: p.py_name for p in op.parameters if p.location == "path"}
        pieces = ["base_url"]
        for i, piece in enumerate(re.split(r"\{([^{}]+)\}", op.path)):
            if i % 2:
                pieces.append(f"path_segment({names[piece]})" if piece in names else literal(piece))
            elif piece:
                pieces.append(literal(piece))
        return " + ".join(pieces)

    def _accept(self, op: ir.Operation) -> str:
        types = [r.content_type for r in op.responses if r.is_success and r.content_type]
        return ", ".join(dict.fromkeys(types)) or "*/*"


def _resource_class(resource: str, taken: set[str]) -> str:
    """``images`` → ``ImagesResource``; another suffix when a schema already has that name
    (the async class adds an ``Async`` prefix, so both names are checked)."""
    base = "".join(w.capitalize() for w in resource.split("_"))
    for suffix in ("Resource", "Operations", "Endpoints", "ResourceOperations"):
        name = base + suffix
        if name not in taken and f"Async{name}" not in taken:
            return name
    raise AssertionError(f"no free class name for resource {resource!r}")


def _needs_to_json(type_: ir.TypeRef) -> bool:
    """Whether a value of this type must go through ``to_json`` to become JSON."""
    match type_:
        case ir.Primitive() | ir.AnyValue() | ir.Const() | ir.File():
            return False
        case ir.Union(variants=variants):
            return any(_needs_to_json(v) for v in variants)
    return True


def _rule_message(model: str, rule: ir.FieldRule) -> str:
    groups = [" and ".join(group) for group in rule.any_of]
    if rule.not_all and all(len(g) == 1 for g in rule.any_of):
        return f"{model} needs exactly one of: {', '.join(groups)}"
    if rule.not_all:
        return f"{model} needs one of: {', '.join(groups)}; not all of {', '.join(rule.not_all)}"
    return f"{model} needs one of: {', '.join(groups)}"
