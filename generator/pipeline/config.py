"""The client config beside a spec: package name and where operations appear on the client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from ..errors import GeneratorError, Problem
from .load import parse_source
from .names import module_safe


@attrs.frozen
class Placement:
    """``client.<resource>.<method>`` for one operation, and names of its other body variants."""

    resource: str
    method: str
    variants: dict[str, str] = attrs.field(factory=dict)  # content type -> method name


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


def load_config(path: Path | None, package_name: str | None = None) -> ClientConfig:
    """Read a client config (a missing file means defaults); ``package_name`` overrides it."""
    data: dict[str, Any] = {}
    if path is not None and path.exists():
        data = parse_source(path.read_bytes(), str(path))
    file = str(path)
    problems = []

    def text(key: str, default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value:
            problems.append(Problem(file, f"/{key}", "must be a non-empty string"))
            return default
        return value

    name = package_name if package_name is not None else text("package_name", "openai_images")
    if not module_safe(name):
        problems.append(Problem(file, "/package_name", f"{name!r} is not a Python package name"))
    operations = {}
    for operation_id, entry in (data.get("operations") or {}).items():
        where = f"/operations/{operation_id}"
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) and entry[k].isidentifier()
            for k in ("resource", "method")
        ):
            problems.append(Problem(file, where, "needs 'resource' and 'method' identifiers"))
            continue
        variants = entry.get("variants") or {}
        if not all(isinstance(v, str) and v.isidentifier() for v in variants.values()):
            problems.append(Problem(file, f"{where}/variants", "method names must be identifiers"))
            variants = {}
        operations[str(operation_id)] = Placement(
            entry["resource"], entry["method"], dict(variants)
        )
    terminal = data.get("terminal_events")
    if terminal is not None and not (
        isinstance(terminal, list) and all(isinstance(t, str) for t in terminal)
    ):
        problems.append(Problem(file, "/terminal_events", "must be a list of event names"))
        terminal = None
    array_format = data.get("array_format", "repeat")
    if array_format not in ("repeat", "brackets", "comma"):
        problems.append(Problem(file, "/array_format", "must be repeat, brackets or comma"))
    if problems:
        raise GeneratorError(problems)
    return ClientConfig(
        package_name=name,
        operations=operations,
        api_key_env=text("api_key_env", "OPENAI_API_KEY"),
        base_url_env=text("base_url_env", "OPENAI_BASE_URL"),
        terminal_events=tuple(terminal) if terminal is not None else None,
        array_format=array_format,
    )
