"""The typed views templates print: every name, annotation, default and (escaped) piece of
spec text a template shows is decided here, from the IR.

The package a view describes:

* ``models/<resource>.py``: the enums, models, request dicts (``TypedDict`` params, see
  :mod:`.params`) and unions that one client resource uses (``images``);
  ``models/shared/<name>.py``: one that several resources (or none) use, with the inline
  schemas it owns;
* ``resources/<resource>.py``: one resource class (and its async twin), its operations as
  :class:`~generator.runtime._build.Endpoint` declarations and methods;
* ``client.py`` and the lazy ``__init__.py``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import keyword
from collections.abc import Iterable, Iterator

import attrs

from ..runtime._protocol import status_class
from . import ir
from .escape import docstring, literal
from .names import endpoint_constant, resource_class, resource_module, snake_name
from .params import param_names
from .pytypes import Role, TypeWriter, file_shape, files_as_text
from .runtime import reserved_names
from .usage import Usage
from .walk import named

SHARED = "shared"  # the models package of what several resources (or none) use
WEBHOOKS = "webhooks"  # the resource that checks and parses webhook requests

# ---------------------------------------------------------------- models


@attrs.frozen
class FieldView:
    name: str
    annotation: str
    default: str | None
    doc: str


@attrs.frozen
class RuleView:
    any_of: str  # literals
    not_all: str
    message: str


@attrs.frozen
class ModelView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    wire_names: str | None  # a dict literal, when a Python name differs from its wire name
    rules: tuple[RuleView, ...]
    extra: str | None  # the annotation of unknown properties, when the spec types them


@attrs.frozen
class KeyView:
    name: str
    annotation: str


@attrs.frozen
class ParamsView:
    """A ``TypedDict``: a model as a dict (keyed by wire names), or a request body's
    arguments (``client.images.edit(**params)``). ``functional``: a key cannot be a class
    attribute (``from``, ``a-b``), so it is written ``TypedDict("Name", {...})``, its keys
    and annotations literals."""

    name: str
    doc: str
    keys: tuple[KeyView, ...]
    functional: bool = False


@attrs.frozen
class ParamAliasView:
    """A union's param: its branches as dicts (a string, for type checkers)."""

    name: str
    doc: str
    alias: str  # a literal: the annotation, as a string


@attrs.frozen
class MemberView:
    name: str
    value: str  # a literal


@attrs.frozen
class EnumView:
    name: str
    doc: str
    members: tuple[MemberView, ...]
    values: str  # the literals, comma-separated, for a Literal alias
    literal: bool  # written as a Literal[...] alias (only requests use it)


@attrs.frozen
class UnionView:
    name: str
    doc: str
    alias: str  # the right-hand side of the alias
    parser: str
    returns: str
    parsed: str  # the annotation parsed (with UnknownEvent where the union is open)


@attrs.frozen
class Import:
    module: str  # relative to the importing module's package: ".shared"
    names: tuple[str, ...]


@attrs.frozen
class ModelsModule:
    name: str  # relative to ``models``: ``images``, ``shared.image_ref``
    runtime: str  # the relative package of the runtime modules: ``..`` or ``...``
    doc: str
    enums: tuple[EnumView, ...]
    models: tuple[ModelView, ...]
    params: tuple[ParamsView, ...]  # defined for type checkers only
    param_aliases: tuple[ParamAliasView, ...]
    unions: tuple[UnionView, ...]
    imports: tuple[Import, ...]  # from sibling modules, for type checkers only
    exports: tuple[str, ...]  # the module's ``__all__``

    @property
    def plain_dicts(self) -> list[str]:
        """``A = B = dict`` lines (of at most 96 characters, or one name): at run time a
        ``TypedDict`` is a plain dict."""
        lines: list[list[str]] = []
        for name in (p.name for p in self.params):
            if lines and len(" = ".join([*lines[-1], name, "dict"])) <= 96:
                lines[-1].append(name)
            else:
                lines.append([name])
        return [" = ".join([*names, "dict"]) for names in lines]


# What a models module may import besides its sibling modules, in isort's groups and order
# (standard library, attrs, the runtime). A name is imported when the rest of the module's
# text mentions it: a mention in prose keeps an import that ruff's F401 fix drops, and a
# name the code uses is never left out. Printing only these spares ruff about 16,000 fixes
# on a whole API.
_MODELS_IMPORTS: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    (
        ("enum", ()),
        ("collections.abc", ("Mapping", "Sequence")),
        ("typing", ("TYPE_CHECKING", "Annotated", "Any", "ClassVar", "Literal", "Required",
                    "TypeAlias", "TypedDict")),
    ),
    (("attrs", ()),),
    (
        ("{runtime}_files", ("FileTypes",)),
        ("{runtime}_models", ("Discriminator", "FieldRule", "Model", "OneOf", "decode",
                              "decode_event")),
        ("{runtime}_types", ("UNSET", "UnknownEvent", "Unset")),
    ),
)  # fmt: skip


def models_imports(runtime: str, text: str) -> tuple[tuple[str, ...], ...]:
    """The import lines, in groups, of a models module whose other text is ``text``."""
    groups = []
    for group in _MODELS_IMPORTS:
        lines = []
        for module, names in group:
            if not names:
                if module in text:
                    lines.append(f"import {module}")
                continue
            used = [name for name in names if name in text]
            if used:
                lines.append(f"from {module.format(runtime=runtime)} import {', '.join(used)}")
        if lines:
            groups.append(tuple(lines))
    return tuple(groups)


# ---------------------------------------------------------------- resources


@attrs.frozen
class ArgView:
    name: str
    annotation: str
    default: str | None
    doc: str
    positional: bool = False  # before the ``*``: path parameters, as in the SDK


@attrs.frozen
class OverloadView:
    stream: str  # the stream argument's annotation and default
    returns: str


@attrs.frozen
class MethodView:
    name: str
    summary: str
    description: str
    content_type: str  # shown when an operation has several bodies
    args: tuple[ArgView, ...]
    stream_arg: str | None
    returns: str
    overloads: tuple[OverloadView, ...]
    call: CallView  # what ``self._client.request(...)`` is given
    see: str = ""  # the sync method whose docstring has the arguments (async methods)
    deprecated: str = ""  # the warning, a literal, when the operation is deprecated
    target: str = "request"  # the client method called: ``request``, or ``request_page``
    awaits: bool = True  # an async method awaits its call (a page is awaited by the caller)


@attrs.frozen
class CallView:
    """What a method passes to the client: the Endpoint, then argument names by wire name."""

    endpoint: str  # the Endpoint constant
    page_class: str | None  # a paged list's page class
    path: tuple[tuple[str, str], ...]  # (wire name, argument)
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]  # header and cookie parameters
    body: tuple[tuple[str, str], ...]  # an object body's fields
    whole_body: str | None  # the argument that is the whole body
    stream_argument: str | None  # the boolean argument that switches to the event stream
    streams: bool  # the answer is always the event stream


@attrs.frozen
class ParamView:
    name: str  # the wire name
    location: str
    style: str
    explode: bool | None
    argument: str  # a path parameter's argument, when it is not ``name``


@attrs.frozen
class ContentView:
    encoding: str
    content_type: str
    files: tuple[tuple[str, str], ...]  # (multipart field, how many files it takes)
    whole: bool


@attrs.frozen
class EventsView:
    type: str  # the annotation of one event
    discriminator: str | None
    terminal: tuple[str, ...]


@attrs.frozen
class EndpointView:
    """One ``Endpoint(...)`` declaration; strings other than annotations are printed as
    literals by the template."""

    constant: str
    types: str  # the Endpoint's type arguments
    method: str
    path: str
    params: tuple[ParamView, ...]
    content: ContentView | None
    returns: str | None  # the annotation the answer is decoded into
    no_content: tuple[str, ...]
    events: EventsView | None
    binary: bool
    accept: str | None  # None: the runtime's default, application/json
    security: tuple[tuple[str, ...], ...] | None
    base_url: str | None
    deprecated: tuple[str, ...]
    page: ir.Pagination | None


@attrs.frozen
class ChildView:
    attribute: str
    class_name: str
    module: str


@attrs.frozen
class WebhooksView:
    """``client.webhooks`` also checks and parses the webhook requests the API sends."""

    event: str  # the annotation of one event (its names imported at run time)
    secret_env: str  # a literal


@attrs.frozen
class ResourceView:
    path: str  # "chat.completions"
    module: str
    class_name: str
    endpoints: tuple[EndpointView, ...]
    methods: tuple[MethodView, ...]  # sync
    async_methods: tuple[MethodView, ...]
    children: tuple[ChildView, ...]
    imports: tuple[Import, ...]  # model modules, at run time
    webhooks: WebhooksView | None = None
    param_imports: tuple[Import, ...] = ()  # the request dicts arguments take, for type checkers


@attrs.frozen
class WrapperView:
    """A class that wraps each method of a resource: ``ImagesResourceWithRawResponse``."""

    prefix: str  # "" or "Async": which resource class it wraps
    suffix: str  # "WithRawResponse": the class name after the resource's
    wrapper: str  # the runtime function applied to each method
    attribute: str  # the resource attribute that holds it: "with_raw_response"


# ``client.<resource>.with_raw_response`` / ``with_streaming_response``, as in the SDK.
WRAPPERS = tuple(
    WrapperView(
        prefix, suffix, f"{'async_' if prefix else ''}to_{kind}_response_wrapper", attribute
    )
    for prefix in ("", "Async")
    for suffix, kind, attribute in (
        ("WithRawResponse", "raw", "with_raw_response"),
        ("WithStreamingResponse", "streamed", "with_streaming_response"),
    )
)


@attrs.frozen
class Export:
    module: str  # relative: "._errors", ".models.images"
    names: tuple[str, ...]
    star: bool = False  # a module of models: its ``__all__`` is exactly ``names``


# ---------------------------------------------------------------- building


def doc_text(doc: ir.Doc, *, show_default: bool = True) -> str:
    """A description followed by its facts in words: bounds, server default, deprecation."""
    parts = [doc.description.strip()] if doc.description.strip() else []
    facts = bound_phrases(doc.bounds)
    if show_default and doc.has_default:
        facts.append(f"server default: {json.dumps(doc.default)}")
    if doc.deprecated:
        facts.append("deprecated")
    if facts:
        parts.append("(" + "; ".join(facts) + ")")
    return " ".join(parts)


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
    if bounds is ir.NO_BOUNDS:  # most schemas
        return []
    phrases = [
        text.format(getattr(bounds, key))
        for key, text in _BOUND_PHRASES
        if getattr(bounds, key) is not None
    ]
    if bounds.values is not None:
        phrases.append("one of " + ", ".join(repr(v) for v in bounds.values))
    return phrases


class Views:
    """Builds every view of one API."""

    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.usage = Usage(api)
        self.enums = {e.name: e for e in api.enums}
        self.models = {m.name: m for m in api.models}
        self.unions = {u.name: u for u in api.unions}
        literal_enums = {e.name for e in api.enums if self.usage.request_only(e.name)}
        open_unions = {u.name for u in api.unions if u.discriminator or u.by_event}
        self.params_models = _body_only_models(api, self.usage)
        self.taken = {*self.models, *self.enums, *self.unions}
        # The request dicts: model or union -> its param (see ``params``).
        self.params = param_names(api, self.usage, self.taken | reserved_names(),
                                  self.params_models)  # fmt: skip
        self.types = TypeWriter(self.enums, literal_enums, open_unions, self.params)
        self.owners = _owners(api)
        self._groups: dict[str, str] = {}
        self._docstrings: dict[tuple[str, int], str] = {}

    # ------------------------------------------------------------ grouping

    def group(self, name: str) -> str:
        """The models module of a named thing, relative to ``models``: its one resource's
        (``images``), else its own (``shared.image_ref``). An inline schema lives with the
        component that owns it."""
        found = self._groups.get(name)
        if found is None:
            found = self._groups[name] = self._group(self.owners.get(name, name))
        return found

    def _group(self, owner: str) -> str:
        resources = self.usage.resources(owner)
        if len(resources) == 1:
            module = resource_module(next(iter(resources)))
            return module + "_" if module == SHARED else module
        return f"{SHARED}.{snake_name(owner)}"

    def docstring(self, text: str, indent: int) -> str:
        """:func:`.escape.docstring`, once per text and indent (descriptions repeat: a
        field's is its model's and its request dict's, an argument's in both methods)."""
        found = self._docstrings.get((text, indent))
        if found is None:
            found = self._docstrings[(text, indent)] = docstring(text, indent)
        return found

    @functools.cached_property
    def _grouped(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name in sorted(self.taken):
            found.setdefault(self.group(name), []).append(name)
        return dict(sorted(found.items()))

    def groups(self) -> dict[str, list[str]]:
        """The named things of each models module, by module."""
        return {group: list(names) for group, names in self._grouped.items()}

    def module_of(self, name: str) -> str:
        """The models module that defines a named thing or a param (its owner's)."""
        return self.group(self.param_owners.get(name, name))

    @functools.cached_property
    def param_owners(self) -> dict[str, str]:
        """Each param's model or union."""
        return {param: name for name, param in self.params.items()}

    # ------------------------------------------------------------ models modules

    def models_modules(self) -> list[ModelsModule]:
        modules = []
        for group, names in self.groups().items():
            members = {*names, *(self.params[n] for n in names if n in self.params)}
            enums = [self.enum_view(self.enums[n]) for n in names if n in self.enums]
            models = [
                self.model_view(self.models[n])
                for n in names
                if n in self.models and n not in self.params_models
            ]
            params = [
                self.params_view(self.models[n])
                if n in self.params_models
                else self.param_dict_view(self.models[n])
                for n in names
                if n in self.params_models or (n in self.models and n in self.params)
            ]
            aliases = [
                self.param_alias_view(self.unions[n])
                for n in names
                if n in self.unions and n in self.params
            ]
            unions = [self.union_view(self.unions[n]) for n in names if n in self.unions]
            mentioned: set[str] = set()
            for name in names:
                mentioned |= self.usage.mentioned(name) | self._param_mentions(name)
            imports = tuple(
                Import(_relative(group, module), found.names)
                for found in _imports(
                    ((self.module_of(n), n) for n in mentioned - members), skip=group
                )
                for module in (found.module,)
            )
            title = (
                f"The ``{names[0]}`` model and what it owns."
                if group.startswith(f"{SHARED}.")
                else f"Models of ``client.{group.replace('_', '.')}``."
            )
            modules.append(
                ModelsModule(
                    name=group,
                    runtime=".." if "." not in group else "...",
                    doc=title,
                    enums=tuple(enums),
                    models=tuple(models),
                    params=tuple(params),
                    param_aliases=tuple(aliases),
                    unions=tuple(unions),
                    imports=imports,
                    exports=tuple(sorted([*members, *(u.parser for u in unions)])),
                )
            )
        return modules

    def _param_mentions(self, name: str) -> set[str]:
        """Named things and params the request dict of ``name`` mentions."""
        if name in self.params_models:
            body = _body_of(self.api, name)
            return set().union(*(self.types.mentions(f.type, "argument") for f in body.fields))
        if name not in self.params:
            return set()
        if name in self.models:
            fields = self.models[name].fields
            return set().union(
                *(self.types.mentions(files_as_text(f.type), "argument") for f in fields)
            )
        variants = ir.Union(tuple(files_as_text(v) for v in self.unions[name].variants))
        return self.types.mentions(variants, "param")

    def role_of(self, name: str) -> Role:
        return "input" if self.usage.request_only(name) else "model"

    def enum_view(self, enum: ir.Enum) -> EnumView:
        members = tuple(MemberView(m.name, literal(m.value)) for m in enum.members)
        is_literal = enum.name in self.types.literal_enums
        text = doc_text(enum.doc, show_default=False)
        return EnumView(
            name=enum.name,
            doc=self.docstring(text, 0 if is_literal else 4),
            members=members,
            values=", ".join(m.value for m in members),
            literal=is_literal,
        )

    def model_view(self, model: ir.Model) -> ModelView:
        role = self.role_of(model.name)
        fields = tuple(self.field_view(f, role) for f in model.fields)
        wire = {f.py_name: f.wire_name for f in model.fields if f.py_name != f.wire_name}
        rules = tuple(
            RuleView(literal(r.any_of), literal(r.not_all), literal(_rule_message(model.name, r)))
            for r in model.rules
        )
        extra = None
        if model.extra is not None and model.extra != ir.AnyValue():
            extra = self.types.annotation(model.extra, role)
        return ModelView(
            name=model.name,
            doc=self.docstring(doc_text(model.doc), 4),
            fields=fields,
            wire_names=literal(wire) if wire else None,
            rules=rules,
            extra=extra,
        )

    def field_view(self, field: ir.Field, role: Role) -> FieldView:
        # A model is JSON on the wire (also as a part of a multipart body): no file content.
        annotation = self.types.annotation(files_as_text(field.type), role)
        default = None
        if isinstance(field.type, ir.Const) and field.required:
            default = literal(field.type.value)
        elif not field.required:
            annotation += " | Unset"
            default = "UNSET"
        return FieldView(field.py_name, annotation, default, self.docstring(doc_text(field.doc), 4))

    def params_view(self, model: ir.Model) -> ParamsView:
        body = _body_of(self.api, model.name)
        keys = []
        for field in body.fields:
            annotation = self.types.annotation(field.type, "argument")
            keys.append(KeyView(field.py_name, f"Required[{annotation}]" if field.required
                                else annotation))  # fmt: skip
        text = doc_text(model.doc)
        text += f"\n\nThe arguments of ``client.{body_method(self.api, model.name)}``, as a dict."
        return ParamsView(model.name, self.docstring(text, 8), tuple(keys))

    def param_dict_view(self, model: ir.Model) -> ParamsView:
        """A model as a dict: its wire names, each required as the spec says."""
        keys = []
        for field in model.fields:
            # A model is JSON (also as a part of a multipart body): no file content.
            annotation = self.types.annotation(files_as_text(field.type), "argument")
            if field.required:
                annotation = f"Required[{annotation}]"
            keys.append(KeyView(field.wire_name, annotation))
        functional = not all(_attribute(k.name) for k in keys)
        if functional:
            keys = [KeyView(literal(k.name), literal(k.annotation)) for k in keys]
        text = f"``{model.name}`` as a dict. {doc_text(model.doc)}".strip()
        doc = self.docstring(text, 4 if functional else 8)
        return ParamsView(self.params[model.name], doc, tuple(keys), functional)

    def param_alias_view(self, union: ir.UnionDef) -> ParamAliasView:
        """A union as dicts: each branch's param (the union itself stands for its models)."""
        variants = ir.Union(tuple(files_as_text(v) for v in union.variants))  # JSON: no files
        text = f"``{union.name}`` as dicts. {doc_text(union.doc)}".strip()
        annotation = self.types.annotation(variants, "param")
        return ParamAliasView(self.params[union.name], self.docstring(text, 0), literal(annotation))

    def union_view(self, union: ir.UnionDef) -> UnionView:
        # A named union is JSON (never a file part): a binary string in it is text.
        variants = " | ".join(self.types.annotation(files_as_text(v)) for v in union.variants)
        if union.discriminator is not None:
            models: dict[str, list[str]] = {}
            for value, model in union.discriminator.mapping:
                models.setdefault(value, []).append(model)
            mapping = ", ".join(
                f"{literal(value)}: {literal(names[0] if len(names) == 1 else tuple(names))}"
                for value, names in models.items()
            )  # one value may select several models: told apart by fit
            marker = f"Discriminator({literal(union.discriminator.property)}, {{{mapping}}})"
        elif union.by_event:
            marker = f"Discriminator(None, {literal(dict(union.by_event))})"
        else:
            marker = "OneOf()"
        parsed = self.types.annotation(ir.UnionRef(union.name))
        doc = doc_text(union.doc) or f"One of: {variants}."
        return UnionView(
            name=union.name,
            doc=self.docstring(doc, 0),
            alias=f"Annotated[{literal(variants)}, {marker}]",
            parser=union.parser,
            returns=parsed,
            parsed=parsed,
        )

    # ------------------------------------------------------------ resources

    def resource_paths(self) -> list[str]:
        """Every resource path, parents before children, in the order the spec gives
        (``webhooks`` last, when the spec has webhooks and no such resource)."""
        paths: dict[str, None] = {}
        for op in self.api.operations:
            parts = op.resource.split(".")
            for i in range(1, len(parts) + 1):
                paths[".".join(parts[:i])] = None
        if self.api.webhook_event is not None:
            paths[WEBHOOKS] = None
        return list(paths)

    def class_of(self, path: str) -> str:
        return resource_class(path, self.taken)

    def resources(self) -> list[ResourceView]:
        paths = self.resource_paths()
        views = []
        for path in paths:
            operations = [op for op in self.api.operations if op.resource == path]
            with self._members(operations):
                views.append(self._resource(path, paths, operations))
        return views

    @contextlib.contextmanager
    def _members(self, operations: list[ir.Operation]) -> Iterator[None]:
        """Annotations written meanwhile sit in a class body whose methods are these
        operations': a method named ``list`` makes them say ``builtins.list``."""
        names = {b.method_name for op in operations for b in op.bodies}
        names |= {op.method_name for op in operations}
        writer = self.types
        self.types = writer.shadowing(names)
        try:
            yield
        finally:
            self.types = writer

    def _resource(
        self, path: str, paths: list[str], operations: list[ir.Operation]
    ) -> ResourceView:
        children = tuple(
            ChildView(p.rsplit(".", 1)[1], self.class_of(p), resource_module(p))
            for p in paths
            if p.rpartition(".")[0] == path
        )
        endpoints: list[EndpointView] = []
        methods: list[MethodView] = []
        async_methods: list[MethodView] = []
        used: set[str] = set()
        class_name = self.class_of(path)
        for op in operations:
            for body in op.bodies or (None,):
                endpoint = self.endpoint_view(op, body)
                endpoints.append(endpoint)
                args = self._args(op, body)  # the same for both methods
                method = self.method_view(op, body, endpoint.constant, "Stream", args)
                methods.append(method)
                see = f"{class_name}.{method.name}"
                async_method = self.method_view(op, body, endpoint.constant, "AsyncStream", args)
                async_methods.append(attrs.evolve(async_method, see=see))
                used |= self._operation_names(op, body)
        webhooks = None
        event = self.api.webhook_event
        if path == WEBHOOKS and event is not None:
            used |= named([event])
            secret_env = literal(self.api.webhook_secret_env)
            webhooks = WebhooksView(self.types.annotation(event, "input"), secret_env)
        return ResourceView(
            path=path,
            module=resource_module(path),
            class_name=class_name,
            endpoints=tuple(endpoints),
            methods=tuple(methods),
            async_methods=tuple(async_methods),
            children=children,
            imports=tuple(
                Import(f"..models.{found.module}", found.names)
                for found in _imports((self.group(n), n) for n in used)
            ),
            webhooks=webhooks,
            param_imports=self._param_imports(operations),
        )

    def _param_imports(self, operations: list[ir.Operation]) -> tuple[Import, ...]:
        """The params the arguments of these operations name, by their modules."""
        arguments = [p.type for op in operations for p in op.parameters]
        arguments += [f.type for op in operations for b in op.bodies for f in b.fields]
        named = set().union(*(self.types.mentions(t, "argument") for t in arguments))
        params = named & set(self.param_owners)
        return tuple(
            Import(f"..models.{found.module}", found.names)
            for found in _imports((self.module_of(n), n) for n in params)
        )

    def _operation_names(self, op: ir.Operation, body: ir.RequestBody | None) -> set[str]:
        """Named things one method of ``op`` names: its arguments, answers and page items."""
        types = [p.type for p in op.parameters] + [f.type for f in (body.fields if body else ())]
        types += [r.type for r in op.responses if r.is_success and r.type is not None]
        types += [op.page.item] if op.page is not None else []
        return named(types)

    def endpoint_view(self, op: ir.Operation, body: ir.RequestBody | None) -> EndpointView:
        # Named after the method, which is unique in its module (operationIds may differ
        # only in case or punctuation).
        constant = endpoint_constant(body.method_name if body else op.method_name)
        content = None
        if body is not None:
            files = tuple(
                (f.wire_name, shape)
                for f in body.fields
                if body.encoding == "multipart" and (shape := file_shape(f.type)) is not None
            )
            content = ContentView(body.encoding, body.content_type, files, body.whole)
        stream = op.success_stream
        events, event_type = None, "Never"
        if stream is not None and stream.stream is not None:
            event_type = self._event_type(stream.stream)
            events = EventsView(event_type, stream.stream.discriminator, stream.stream.terminal)
        answer = "Never"
        if op.success_json or op.success_raw or op.answers_binary:
            answer = self._returns(op)
        if stream is None and answer == "Never":
            answer = "None"
        if op.page is not None:
            answer = self.types.annotation(op.page.item)  # a page's type argument is its item
        given: list[ir.Parameter | ir.Field] = [*op.parameters]
        given += body.fields if body is not None and not body.whole else ()
        decoded = self._decoded(op)
        return EndpointView(
            constant=constant,
            types=f"{answer}, {event_type}",
            method=op.http_method,
            path=op.path,
            params=tuple(_param_view(p) for p in op.parameters),
            content=content,
            returns=decoded if decoded != "None" else None,
            no_content=_no_content(op),
            events=events,
            binary=op.answers_binary,
            accept=op.accept if op.accept != "application/json" else None,
            security=op.security,
            base_url=op.base_url,
            deprecated=tuple(g.wire_name for g in given if g.doc.deprecated),
            page=op.page,
        )

    def _decoded(self, op: ir.Operation) -> str:
        """The type the runtime decodes a 2xx answer into (its Endpoint's ``returns``)."""
        # Every 2xx JSON answer (``200`` and ``201`` may differ), and None when another 2xx
        # answer has no content (``201`` or ``204``). Beside a binary answer, a JSON string
        # adds nothing: the binary content reads as text and JSON too.
        binary = op.answers_binary
        answers = [
            r.type
            for r in op.responses
            if r.is_success and r.kind == "json" and r.type
            and not (binary and r.type == ir.Primitive("str"))
        ]  # fmt: skip
        if answers:
            if any(r.is_success and r.kind == "empty" for r in op.responses):
                answers.append(ir.NONE)
            return self.types.annotation(files_as_text(ir.make_union(answers)))  # JSON: no files
        if not binary and op.success("text") is not None:
            return self.types.builtin("str")
        return "None"

    def _returns(self, op: ir.Operation) -> str:
        """The annotation of what a call returns (not streaming)."""
        decoded = self._decoded(op)
        if not op.answers_binary:
            return decoded
        binary = "BinaryResponseContent"
        return binary if decoded == "None" else f"{decoded} | {binary}"

    def _event_type(self, stream: ir.EventStream) -> str:
        if isinstance(stream.type, ir.UnionRef):
            return stream.type.name  # only the event types the spec knows: they narrow
        return self.types.annotation(stream.type)

    def _args(self, op: ir.Operation, body: ir.RequestBody | None) -> tuple[ArgView, ...]:
        """The arguments of one method of ``op``: path parameters first and positional, in
        the path's order; then keywords, the required ones first."""
        in_path = sorted(
            (p for p in op.parameters if p.location == "path"),
            key=lambda p: op.path.find("{" + p.wire_name + "}"),
        )
        args = [self._arg(p, positional=True) for p in in_path]
        keywords = [self._arg(p) for p in op.parameters if p.location != "path"]
        keywords += [self._arg(f) for f in body.fields] if body else []
        args += sorted(keywords, key=lambda a: a.default is not None)
        return tuple(args)

    def method_view(
        self,
        op: ir.Operation,
        body: ir.RequestBody | None,
        constant: str,
        stream_class: str,
        args: tuple[ArgView, ...],
    ) -> MethodView:
        stream_field: ir.Field | ir.Parameter | None = None
        if op.stream_field is not None:
            switches: list[ir.Field | ir.Parameter] = [*(body.fields if body else ())]
            switches += op.parameters
            stream_field = next((s for s in switches if s.wire_name == op.stream_field), None)
        stream = op.success_stream
        event_type = self._event_type(stream.stream) if stream and stream.stream else None
        answer = self._returns(op)
        streamed = f"{stream_class}[{event_type}]" if event_type else None
        overloads: tuple[OverloadView, ...] = ()

        def pairs(*locations: str) -> tuple[tuple[str, str], ...]:
            return tuple((p.wire_name, p.py_name) for p in op.parameters if p.location in locations)

        whole = body.fields[0].py_name if body is not None and body.whole else None
        fields = body.fields if body is not None and not body.whole else ()
        switch, streams = None, False
        if streamed is not None and stream_field is not None and op.success_json is not None:
            none = " | None" if ir.is_nullable(stream_field.type) else ""
            unset = "" if stream_field.required else " | Unset = UNSET"
            overloads = (
                OverloadView(f"Literal[False]{none}{unset}", answer),
                OverloadView("Literal[True]", streamed),
                OverloadView(f"bool{none}{unset}", f"{answer} | {streamed}"),
            )
            returns = f"{answer} | {streamed}"
            switch = stream_field.py_name
        elif streamed is not None and op.success_json is None and not op.answers_binary:
            returns = streamed  # its only answer is the stream (beside bytes, bytes win)
            streams = True
        else:
            returns = answer
        target, awaits, page_class = "request", True, None
        if op.page is not None:
            returns, page_class = self._page_types(op.page, stream_class == "AsyncStream")
            target, awaits = "request_page", False
        call = CallView(
            endpoint=constant,
            page_class=page_class,
            path=pairs("path"),
            query=pairs("query"),
            headers=pairs("header", "cookie"),
            body=tuple((f.wire_name, f.py_name) for f in fields),
            whole_body=whole,
            stream_argument=switch,
            streams=streams,
        )
        name = body.method_name if body else op.method_name
        deprecated = ""
        if op.doc.deprecated:
            deprecated = literal(f"{op.resource}.{name}() is deprecated ({op.operation_id})")
        return MethodView(
            name=name,
            summary=self.docstring(op.summary or op.operation_id, 8),
            description=self.docstring(op.doc.description, 8),
            content_type=self.docstring(body.content_type, 8)
            if body and len(op.bodies) > 1
            else "",
            args=args,
            stream_arg=stream_field.py_name if stream_field else None,
            returns=returns,
            overloads=overloads,
            call=call,
            target=target,
            awaits=awaits,
            deprecated=deprecated,
        )

    def _page_types(self, page: ir.Pagination, is_async: bool) -> tuple[str, str]:
        """The return annotation of a paged list method, and the page class it passes."""
        item = self.types.annotation(page.item)
        kind = "CursorPage" if page.cursor_param else "Page"
        if is_async:
            return f"AsyncPaginator[{item}, Async{kind}[{item}]]", f"Async{kind}"
        return f"Sync{kind}[{item}]", f"Sync{kind}"

    def _arg(self, given: ir.Parameter | ir.Field, *, positional: bool = False) -> ArgView:
        """An argument; a positional one (a path parameter) is always required."""
        annotation = self.types.annotation(given.type, "argument")
        default = None
        if not given.required and not positional:
            annotation += " | Unset"
            default = "UNSET"
        doc = self.docstring(doc_text(given.doc), 16)
        return ArgView(given.py_name, annotation, default, doc, positional)

    # ------------------------------------------------------------ the package

    def optional_runtime(self) -> set[str]:
        """The optional runtime modules this package needs (see ``runtime.OPTIONAL``)."""
        needed = set()
        if self.api.webhook_event is not None:
            needed.add("_webhooks")
        if any(f.wire_name == "b64_json" for m in self.api.models for f in m.fields):
            needed.add("_images")  # base64 images the client can save as files
        return needed

    def exports(self, runtime: dict[str, str]) -> list[Export]:
        """Every public name of the package and the module it comes from."""
        by_module: dict[str, list[str]] = {}
        for name, module in runtime.items():
            by_module.setdefault(f".{module}", []).append(name)
        by_module[".client"] = ["AsyncClient", "Client"]
        for group, names in self.groups().items():
            found = by_module.setdefault(f".models.{group}", [])
            for name in names:
                found.append(name)
                if name in self.unions:
                    found.append(self.unions[name].parser)
                if name in self.params:
                    found.append(self.params[name])
        return [
            Export(m, tuple(sorted(n)), star=m.startswith(".models."))
            for m, n in sorted(by_module.items())
        ]


def body_method(api: ir.Api, model: str) -> str:
    """``images.edit``: where a body model's arguments are passed."""
    for op in api.operations:
        for body in op.bodies:
            if body.model == model:
                return f"{op.resource}.{body.method_name}"
    raise KeyError(model)


def _body_of(api: ir.Api, model: str) -> ir.RequestBody:
    return next(b for op in api.operations for b in op.bodies if b.model == model)


def _attribute(key: str) -> bool:
    """Whether a key can be a ``TypedDict`` class attribute as it is (not a keyword, and not
    ``__x``, which a class body would rename)."""
    return key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("__")


def _body_only_models(api: ir.Api, usage: Usage) -> set[str]:
    """Request bodies no other type mentions: their arguments are a ``TypedDict``."""
    bodies = {b.model for op in api.operations for b in op.bodies if b.model is not None}
    things: list[ir.Model | ir.UnionDef] = [*api.models, *api.unions]
    types = [p.type for op in api.operations for p in op.parameters]
    types += [r.type for op in api.operations for r in op.responses if r.type is not None]
    return bodies - named(types) - set().union(*(usage.mentioned(t.name) for t in things))


def _imports(pairs: Iterable[tuple[str, str]], *, skip: str = "") -> tuple[Import, ...]:
    """``(module, name)`` pairs grouped by module, without those of ``skip``."""
    grouped: dict[str, set[str]] = {}
    for module, name in pairs:
        if module != skip:
            grouped.setdefault(module, set()).add(name)
    return tuple(Import(m, tuple(sorted(n))) for m, n in sorted(grouped.items()))


def _relative(importer: str, target: str) -> str:
    """A relative import from one models module to another (both relative to ``models``)."""
    up = "." * (importer.count(".") + 1)
    return up + target


def _owners(api: ir.Api) -> dict[str, str]:
    """Inline named things and the component that owns them (whose pointer they are under)."""
    named: list[ir.Model | ir.Enum | ir.UnionDef] = [*api.models, *api.enums, *api.unions]
    by_pointer = {t.pointer: t.name for t in named}
    owners = {}
    for pointer, name in by_pointer.items():
        parts = pointer.split("/")
        if len(parts) > 4 and parts[1:3] == ["components", "schemas"]:
            owner = by_pointer.get("/".join(parts[:4]))
            if owner is not None and owner != name:
                owners[name] = owner
    return owners


def _no_content(op: ir.Operation) -> tuple[str, ...]:
    """The 2xx statuses answered without content beside a JSON answer: the method returns
    None for them. A range (``2XX``) is left out when an exact 2xx status has content, as
    that status wins over the range and the runtime matches an exact status, then a range."""
    if op.success_json is None:
        return ()
    empty = [r.status for r in op.responses if r.is_success and r.kind == "empty"]
    exact = [r for r in op.responses if status_class(r.status) is None]
    if any(r.is_success and r.kind != "empty" for r in exact):
        empty = [status for status in empty if status_class(status) is None]
    return tuple(dict.fromkeys(empty))


def _param_view(param: ir.Parameter) -> ParamView:
    # A path parameter's argument is named in the error an empty value raises.
    renamed = param.location == "path" and param.py_name != param.wire_name
    return ParamView(
        param.wire_name,
        param.location,
        param.style,
        param.explode,
        param.py_name if renamed else "",
    )


def _rule_message(model: str, rule: ir.FieldRule) -> str:
    groups = [" and ".join(group) for group in rule.any_of]
    if rule.not_all and all(len(g) == 1 for g in rule.any_of):
        return f"{model} needs exactly one of: {', '.join(groups)}"
    if rule.not_all:
        return f"{model} needs one of: {', '.join(groups)}; not all of {', '.join(rule.not_all)}"
    return f"{model} needs one of: {', '.join(groups)}"
