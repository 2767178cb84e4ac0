"""The client config beside a spec: package name and where operations appear on the client."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from ..errors import GeneratorError, Problem, pointer_join
from .load import line_of, parse_source, read_source
from .names import module_safe
from .runtime_options import RuntimeOptions, read_runtime_options


@attrs.frozen
class Placement:
    """``client.<resource>.<method>`` for one operation (``resource`` may be a dotted path,
    ``chat.completions``), the names of its other body variants, and how its list pages."""

    resource: str
    method: str
    variants: dict[str, str] = attrs.field(factory=dict)  # content type -> method name
    page: str | None = None  # "cursor" or "single"; None: detected from the operation
    deprecated: bool = False  # deprecated, also where the spec does not say so


PAGE_KINDS = ("cursor", "single")


@attrs.frozen
class ClientConfig:
    package_name: str = "openai_images"
    operations: dict[str, Placement] = attrs.field(factory=dict)
    api_key_env: str = "OPENAI_API_KEY"
    base_url_env: str = "OPENAI_BASE_URL"
    terminal_events: tuple[str, ...] | None = None
    # How form fields and query parameters write arrays: ``repeat`` (``a=1&a=2``, OpenAPI's
    # default) or ``brackets`` (``a[]=1&a[]=2``, as the OpenAI API expects).
    array_format: str = "repeat"
    runtime: RuntimeOptions = attrs.field(factory=RuntimeOptions)  # the ``client:`` section
    webhook_secret_env: str = "OPENAI_WEBHOOK_SECRET"
    username_env: str = "OPENAI_USERNAME"
    password_env: str = "OPENAI_PASSWORD"
    # Vendor extensions whose value names a parameter's argument, as SDK generators read them.
    name_extensions: tuple[str, ...] = ("x-stainless-param",)

    # Overlay documents the config lists (``overlays:``), resolved beside the config.
    overlays: tuple[Path, ...] = ()


# Top-level modules the generated package imports at run time, directly or through httpx.
RUNTIME_MODULES = frozenset(
    (
        "attr", "attrs", "httpx", "httpcore", "h11", "h2", "anyio", "sniffio", "certifi",
        "idna", "typing_extensions", "exceptiongroup", "sitecustomize", "usercustomize",
    )
)  # fmt: skip
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FILLER_WORDS = frozenset({"api", "apis", "openapi", "swagger", "rest", "http", "spec"})
_TITLE_WORD = re.compile(r"[A-Za-z0-9]+")
_VERSION_WORD = re.compile(r"[vV]?\d+")
_MAX_DERIVED_NAME = 40


def load_config(
    path: Path | None, package_name: str | None = None, *, fallback_name: str = "openai_images"
) -> ClientConfig:
    """Read a client config (a missing file means defaults); ``package_name`` overrides it.

    The package is named by ``package_name``, else by the config's ``package_name``, else
    ``fallback_name`` (the generator passes the name derived from the spec's title, or the
    one an existing output folder records). Every problem is reported at once, located in
    the config (or at ``--package-name``).
    """
    data, source = _read(path)
    file = str(path)
    problems: list[Problem] = []

    def problem(pointer: str, message: str) -> None:
        problems.append(
            Problem(file, pointer, message, line_of(source, pointer) if source else None)
        )

    def text(key: str, default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value:
            problem(f"/{key}", f"must be a non-empty string, not {value!r}")
            return default
        return value

    def env_name(key: str, default: str) -> str:
        value = text(key, default)
        if value is not default and not _ENV_NAME.match(value):
            problem(f"/{key}", f"{value!r} is not an environment variable name")
        return value

    name = package_name if package_name is not None else text("package_name", fallback_name)
    name_problem = _package_name_problem(name)
    if name_problem and package_name is not None:
        problems.append(Problem("<command line>", "--package-name", name_problem))
    elif name_problem:
        problem("/package_name", name_problem)
    operations = _operations(data.get("operations"), problem)
    terminal = data.get("terminal_events")
    if terminal is not None and not (
        isinstance(terminal, list) and all(isinstance(t, str) for t in terminal)
    ):
        problem("/terminal_events", "must be a list of event names")
        terminal = None
    array_format = data.get("array_format", "repeat")
    if array_format not in ("repeat", "brackets", "comma"):
        problem("/array_format", "must be repeat, brackets or comma")
    # Environment variables are named after the package unless the config names them.
    prefix = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "CLIENT"
    api_key_env = env_name("api_key_env", f"{prefix}_API_KEY")
    base_url_env = env_name("base_url_env", f"{prefix}_BASE_URL")
    webhook_secret_env = env_name("webhook_secret_env", f"{prefix}_WEBHOOK_SECRET")
    username_env = env_name("username_env", f"{prefix}_USERNAME")
    password_env = env_name("password_env", f"{prefix}_PASSWORD")
    runtime = read_runtime_options(data.get("client"), problem)
    extensions = data.get("name_extensions", [])
    if not (isinstance(extensions, list) and all(_is_extension(e) for e in extensions)):
        problem("/name_extensions", "must be a list of extension names (x-...)")
        extensions = []

    overlays = _overlays(path, data.get("overlays"), problem)
    if problems:
        raise GeneratorError(problems)
    return ClientConfig(
        package_name=name,
        operations=operations,
        api_key_env=api_key_env,
        base_url_env=base_url_env,
        terminal_events=tuple(terminal) if terminal is not None else None,
        array_format=array_format,
        runtime=runtime,
        webhook_secret_env=webhook_secret_env,
        username_env=username_env,
        password_env=password_env,
        name_extensions=tuple(dict.fromkeys(["x-stainless-param", *extensions])),
        overlays=overlays,
    )


def _is_extension(name: Any) -> bool:
    return isinstance(name, str) and name.startswith("x-") and len(name) > 2


def config_overlays(path: Path | None) -> tuple[Path, ...]:
    """The overlay files a client config lists (``overlays:``), resolved beside it.

    Read before the spec is built, since overlays change the spec; a bad entry is a located
    error. :func:`load_config` reads the same list again with the rest of the config.
    """
    data, source = _read(path)
    problems: list[Problem] = []

    def problem(pointer: str, message: str) -> None:
        problems.append(Problem(str(path), pointer, message, line_of(source, pointer)))

    overlays = _overlays(path, data.get("overlays"), problem)
    if problems:
        raise GeneratorError(problems)
    return overlays


def _read(path: Path | None) -> tuple[dict[str, Any], bytes]:
    if path is None or not path.exists():
        return {}, b""
    source = read_source(path)
    return parse_source(source, str(path)), source


def _overlays(
    path: Path | None, entries: Any, problem: Callable[[str, str], None]
) -> tuple[Path, ...]:
    if entries is None:
        return ()
    if not isinstance(entries, list):
        problem("/overlays", "must be a list of overlay files (paths relative to this config)")
        return ()
    found = []
    home = path.parent if path is not None else Path()
    for index, entry in enumerate(entries):
        if not isinstance(entry, str) or not entry:
            problem(f"/overlays/{index}", f"must be a file path, not {entry!r}")
            continue
        overlay = home / entry
        if not overlay.is_file():
            problem(f"/overlays/{index}", f"overlay file {str(overlay)!r} does not exist")
            continue
        found.append(overlay)
    return tuple(found)


def package_name_from_title(title: str) -> str:
    """A package name for a spec whose config names none: its title's words in snake case.

    Words that say nothing about this API (``API``, ``OpenAPI``, ``Swagger``, versions such as
    ``v2`` or ``3.0``) are dropped: ``Swagger Petstore - OpenAPI 3.0`` → ``petstore``.
    A name that would shadow a module, or a title with no usable word, gets ``_client``
    appended (``Email API`` → ``email_client``; no title → ``api_client``).
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    kept = [
        word.lower()
        for word in _TITLE_WORD.findall(ascii_title)
        if word.lower() not in _FILLER_WORDS and not _VERSION_WORD.fullmatch(word)
    ]
    name = ""
    for word in kept:  # at most 40 characters, cut between words
        if name and len(name) + 1 + len(word) > _MAX_DERIVED_NAME:
            break
        name = f"{name}_{word}" if name else word[:_MAX_DERIVED_NAME]
    if not name:
        return "api_client"
    if name[0].isdigit():
        name = f"api_{name}"
    if _package_name_problem(name):
        name = f"{name}_client"
    return name if not _package_name_problem(name) else "api_client"


def _package_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name the generated package, or None."""
    if not module_safe(name):
        return f"{name!r} is not a Python package name"
    if name in sys.stdlib_module_names:
        return f"{name!r} would shadow the standard library module of that name"
    if name in RUNTIME_MODULES:
        return f"{name!r} would shadow a module the generated package needs at run time"
    return None


def _operations(entries: Any, problem: Callable[[str, str], None]) -> dict[str, Placement]:
    if entries is None:
        return {}
    if not isinstance(entries, dict):
        problem("/operations", "must be a mapping of operationIds")
        return {}
    operations = {}
    for operation_id, entry in entries.items():
        where = pointer_join("/operations", operation_id)
        if not isinstance(entry, dict) or not (
            _attribute_path(entry.get("resource")) and _attribute_path(entry.get("method"), 1)
        ):
            problem(where, "needs a 'resource' (a dotted path of identifiers) and a 'method'")
            continue
        page = entry.get("page")
        if page is not None and page not in PAGE_KINDS:
            problem(f"{where}/page", f"must be one of {', '.join(PAGE_KINDS)}")
            page = None
        variants = entry.get("variants") or {}
        if not isinstance(variants, dict) or not all(
            isinstance(v, str) and v.isidentifier() for v in variants.values()
        ):
            problem(f"{where}/variants", "must map content types to method names (identifiers)")
            variants = {}
        deprecated = entry.get("deprecated", False)
        if not isinstance(deprecated, bool):
            problem(f"{where}/deprecated", "must be true or false")
            deprecated = False
        operations[str(operation_id)] = Placement(
            entry["resource"], entry["method"], dict(variants), page, deprecated
        )
    return operations


def _attribute_path(value: Any, parts: int | None = None) -> bool:
    """Whether ``value`` is a dotted path of Python attribute names (of ``parts`` parts)."""
    if not isinstance(value, str):
        return False
    names = value.split(".")
    if parts is not None and len(names) != parts:
        return False
    return all(module_safe(n) for n in names)
