"""Render the IR into the files of a package (path → text), all in memory.

The views (:mod:`.views`) decide every name, annotation and piece of escaped spec text; the
Jinja templates only print them. The runtime modules are copied verbatim.
"""

from __future__ import annotations

import textwrap
from typing import Any

import attrs
import jinja2

from .. import __version__
from ..errors import GeneratorError, Problem
from . import apidesc, ir, runtime
from .escape import comment, docstring, literal
from .names import CALL_OPTIONS, resource_module
from .runtime_options import HeaderOption, RuntimeOptions
from .templates import RUNTIME_DIR, templates_dir
from .views import WRAPPERS, ChildView, Export, Views, models_imports


@attrs.frozen
class PackageView:
    name: str
    title: str  # escaped for a docstring
    version: str  # a literal
    sha256: str  # a literal
    exports: tuple[Any, ...]

    @property
    def index(self) -> str:
        """The exports as text: each module, then its names, wrapped (identifiers only)."""
        lines = []
        for export in self.exports:
            lines += textwrap.wrap(" ".join((export.module, *export.names)), 96,
                                   subsequent_indent="    ", break_on_hyphens=False)  # fmt: skip
        return "\n".join(lines)


@attrs.frozen
class SettingsView:
    """The ``ClientSettings(...)`` of a package: facts the template prints as literals."""

    default_base_url: str
    api_key_env: str
    base_url_env: str
    schemes: tuple[ir.SecurityScheme, ...]
    security: tuple[tuple[str, ...], ...]
    username_env: str | None  # with a basic scheme only
    password_env: str | None
    user_agent: str
    array_format: str
    client_headers: tuple[HeaderOption, ...]
    log_env: str | None
    idempotency_header: str | None
    retry_count_header: str
    platform_headers: str | None


@attrs.frozen
class ClientView:
    title: str
    doc: str
    settings: SettingsView
    resources: tuple[ChildView, ...]
    headers: tuple[str, ...] = ()  # client arguments sent as headers
    aliases: tuple[tuple[str, str, str], ...] = ()  # (alias, class, docstring) from the config

    @property
    def imports_error(self) -> bool:
        """Whether an alias names the root error class, which ``client.py`` then imports."""
        return any(target == "ClientError" for _, target, _ in self.aliases)


class Renderer:
    def __init__(self, api: ir.Api, spec_name: str, options: RuntimeOptions | None = None) -> None:
        self.api = api
        self.options = options or RuntimeOptions()  # the client config's ``client:`` section
        self.spec_name = spec_name
        self.views = Views(api)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir())),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["literal"] = literal

    def render(self) -> dict[str, str]:
        """Every file of the package, relative to the output folder."""
        package = self.api.package_name
        header = self.header()
        out: dict[str, str] = {}

        def write(path: str, template: str, **context: Any) -> None:
            out[path] = self.env.get_template(template).render(header=header, **context)

        package_view = self.package_view()
        write(f"{package}/__init__.py", "__init__.py.jinja", package=package_view)
        write(f"{package}/_exports.py", "exports.py.jinja", package=package_view)
        write(f"{package}/client.py", "client.py.jinja", client=self.client_view())
        out[f"{package}/models/__init__.py"] = f'{header}\n"""The API\'s schemas."""\n'
        for models in self.views.models_modules():
            path = f"{package}/models/{models.name.replace('.', '/')}.py"
            # The body first: the head imports the names the body uses.
            body = self.env.get_template("models.py.jinja").render(module=models)
            head = self.env.get_template("models_head.py.jinja").render(
                header=header, module=models, imports=models_imports(models.runtime, body)
            )
            out[path] = head + body
            if models.runtime == "...":
                out[f"{package}/models/shared/__init__.py"] = (
                    f'{header}\n"""Models several resources use, or none, one per module."""\n'
                )
        out[f"{package}/resources/__init__.py"] = f'{header}\n"""The client\'s resources."""\n'
        for resource in self.views.resources():
            path = f"{package}/resources/{resource.module}.py"
            write(path, "resource.py.jinja", resource=resource, wrappers=WRAPPERS,
                  options=CALL_OPTIONS)  # fmt: skip
        write("pyproject.toml", "pyproject.toml.jinja", package=package_view,
              version=__version__)  # fmt: skip
        for module in runtime.modules_for(self.views.optional_runtime()):
            source = RUNTIME_DIR / f"{module}.py"
            out[f"{package}/{module}.py"] = source.read_text(encoding="utf-8")
        out[f"{package}/py.typed"] = ""
        out[f"{package}/{apidesc.FILE_NAME}"] = apidesc.dump(self.api)
        return out

    def header(self) -> str:
        return (
            f"# Generated by openapi-images-generator {__version__}: do not edit, regenerate.\n"
            f"# Spec: {comment(self.spec_name)} (sha256 {self.api.spec_sha256})"
        )

    def package_view(self) -> PackageView:
        return PackageView(
            name=self.api.package_name,
            title=docstring(self.api.title or self.api.package_name),
            version=literal(__version__),
            sha256=literal(self.api.spec_sha256),
            exports=tuple(self.with_alias(self.views.exports(self.runtime_names()))),
        )

    def runtime_names(self) -> dict[str, str]:
        """The runtime's public names this package has (optional modules it needs only)."""
        copied = set(runtime.modules_for(self.views.optional_runtime()))
        return {name: m for name, m in runtime.public_names().items() if m in copied}

    def with_alias(self, exports: list[Export]) -> list[Export]:
        """``exports`` with the other names of the root error and the clients (from the
        client config) in ``client``; a schema of such a name is an error, not a shadow."""
        aliases = [alias for alias, _ in self.options.aliases()]
        for alias in aliases:
            if alias in self.views.taken:
                message = f"alias {alias!r} is also the name of a schema: choose another"
                raise GeneratorError([Problem("<client config>", "/client", message)])
        return [
            Export(e.module, tuple(sorted((*e.names, *aliases)))) if e.module == ".client" else e
            for e in exports
        ]

    def client_view(self) -> ClientView:
        api, options = self.api, self.options
        basic = any(s.kind == "basic" for s in api.schemes)
        settings = SettingsView(
            default_base_url=api.base_url,
            api_key_env=api.api_key_env,
            base_url_env=api.base_url_env,
            schemes=api.schemes,
            security=api.security,
            username_env=api.username_env if basic else None,
            password_env=api.password_env if basic else None,
            user_agent=f"{api.package_name}/{__version__}",
            array_format=api.array_format,
            client_headers=options.headers,
            log_env=options.log_env,
            idempotency_header=options.idempotency_header,
            retry_count_header=options.retry_count_header,
            platform_headers=options.platform_headers,
        )
        extra = "".join(
            f" ``{h.argument}`` (sent as ``{h.header}``)"
            + (f" defaults to ``${h.env}``." if h.env else ".")
            for h in options.headers
        )
        if any(op.base_url is not None for op in api.operations):
            extra = (
                " Operations the spec serves from another server are sent there, unless a "
                "base URL is given (argument or variable)." + extra
            )
        doc = docstring(
            f"{_credentials(api)}``base_url`` defaults to "
            f"``${api.base_url_env}``, then to {api.base_url}.{extra} Failed requests are "
            "retried ``max_retries`` times (2; 0 turns retries off). ``strict=True`` makes "
            "answers that miss required properties (or events whose SSE name disagrees with "
            "their type) raise.",
            4,
        )
        top = [p for p in self.views.resource_paths() if "." not in p]
        resources = tuple(ChildView(p, self.views.class_of(p), resource_module(p)) for p in top)
        return ClientView(
            docstring(api.title or api.package_name, 4),
            doc,
            settings,
            resources,
            tuple(h.argument for h in options.headers),
            tuple((alias, target, _ALIAS_DOCS[target]) for alias, target in options.aliases()),
        )


_ALIAS_DOCS = {
    "ClientError": "The root of every exception this package raises: another name for "
    "``ClientError``.",
    "Client": "Another name for :class:`Client`.",
    "AsyncClient": "Another name for :class:`AsyncClient`.",
}


def _credentials(api: ir.Api) -> str:
    """What the client docstring says about credentials: how each scheme sends them."""
    ways = []
    for scheme in api.schemes:
        if scheme.kind == "bearer":
            ways.append("as a bearer token")
        elif scheme.kind == "api_key":
            where = {"header": "header", "query": "query parameter", "cookie": "cookie"}
            ways.append(f"in the ``{scheme.parameter}`` {where[scheme.location]}")
    text = ""
    if ways:
        sent = ", or ".join(dict.fromkeys(ways))
        text += f"``api_key`` (sent {sent}) defaults to ``${api.api_key_env}``. "
    if any(scheme.kind == "basic" for scheme in api.schemes):
        text += (
            f"``username`` and ``password`` (basic authentication) default to "
            f"``${api.username_env}`` and ``${api.password_env}``. "
        )
    return text
