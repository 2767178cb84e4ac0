"""Derive spec/openai.client.yaml: the official SDK's name for every operation of the OpenAI spec.

Each operation is placed at ``client.<resource>.<method>``, named as in the ``openai`` Python
SDK, from the first of these that applies:

1. ``OVERRIDES`` below (hand-checked, each with its reason);
2. the call in the operation's ``x-oaiMeta`` python example, when the SDK method of that name
   requests the operation's HTTP method and path;
3. the SDK method that requests them (ties: not deprecated, then fewest dots, then by name).

``page`` comes from the page class that SDK method returns (``PAGE_KINDS``). Operations with
more than one request content type name the extra ones in ``variants``.

Run from the repository root, with the project's venv (PyYAML) and a venv that has the SDK
installed (only imported, never changed; this script re-runs itself there with ``--dump-sdk``)::

    .venv/bin/python spec/derive_openai_config.py \\
        /work/shared/reference/openai.openapi.yaml bench/.work/sdk-venv/bin/python \\
        -o spec/openai.client.yaml

The same inputs give the same bytes. It exits 1, naming the operations, when an operation finds
no SDK method and no override, or when two operations would share a name.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import re
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HTTP_VERBS = ("get", "put", "post", "delete", "patch")

# The SDK's page class -> the config's ``page``. A class missing here means no ``page``.
PAGE_KINDS = {
    "SyncCursorPage": "cursor",  # data, has_more; next page: after=<id of the last item>
    "SyncPage": "single",  # data; never a next page
    # data, has_more; next page: after=<the answer's last_id>, documented as the last item's
    # id; ``cursor`` only where every item of the spec's list schema requires ``id``.
    "SyncConversationCursorPage": "cursor",
}
ID_CHECKED_PAGES = frozenset({"SyncConversationCursorPage"})

# operationId -> (resource, method, reason): hand-checked; wins over the example and the SDK.
OVERRIDES: dict[str, tuple[str, str, str]] = {
    "cancelEvalRun": (
        "evals.runs",
        "cancel",
        "the example and the SDK name it, but the SDK sends POST .../{run_id}/cancel",
    ),
}

# Request content type -> suffix of the extra method that sends it (the generator's own
# default for JSON is ``<method>_json`` too; the SDK has one method per operation).
VARIANT_SUFFIXES = {"application/json": "json", "application/sdp": "sdp"}
PRIMARY_CONTENT_TYPE = "multipart/form-data"  # the generator gives this one the method's name

_CALL = re.compile(r"\b(?:client|openai)((?:\.[A-Za-z_]\w*)+)\(")
_WRAPPERS = frozenset({"with_raw_response", "with_streaming_response"})
_PARAMETER = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class SdkMethod:
    """One SDK method that sends one HTTP request."""

    name: str  # dotted, from the client: "chat.completions.create"
    verb: str
    path: str
    page: str | None
    deprecated: bool


@dataclass(frozen=True)
class Operation:
    """One operation of the spec, with what its x-oaiMeta python examples call."""

    operation_id: str
    verb: str
    path: str
    content_types: tuple[str, ...]
    example_calls: tuple[str, ...]
    list_item: Any  # the schema of ``data`` items in the 200 JSON answer, or None


@dataclass
class Placement:
    """Where one operation lands, and why."""

    operation_id: str
    name: str  # dotted: resource path + method
    source: str  # "example", "sdk" or "hand"
    page_class: str | None = None  # what the SDK method returns, without its item type
    page: str | None = None  # the config's page kind
    variants: dict[str, str] = field(default_factory=dict)
    note: str = ""
    deprecated: bool = False  # the SDK method warns that it is deprecated


# --- the SDK (runs in the SDK's venv) -------------------------------------------------------


def dump_sdk() -> None:
    """Print the SDK's version and every method that sends a request, as JSON."""
    openai = importlib.import_module("openai")
    resource = importlib.import_module("openai._resource").SyncAPIResource
    client = openai.OpenAI(api_key="unused", base_url="http://localhost")
    found = sorted(_sdk_methods(client, (), resource), key=lambda m: m["name"])
    json.dump({"version": openai.__version__, "methods": found}, sys.stdout, sort_keys=True)


def _sdk_methods(obj: Any, prefix: tuple[str, ...], resource: type) -> Iterator[dict[str, Any]]:
    """The request-sending methods of ``obj`` and of the resources below it."""
    from functools import cached_property

    cls = type(obj)
    for name in sorted(dir(cls)):
        if name.startswith("_") or name in _WRAPPERS:
            continue
        attr = inspect.getattr_static(cls, name)
        if isinstance(attr, cached_property):
            child = getattr(obj, name)
            if isinstance(child, resource):
                yield from _sdk_methods(child, (*prefix, name), resource)
        elif inspect.isfunction(attr) and attr.__module__.startswith("openai.resources."):
            request = _request_of(attr)
            if request is not None:
                deprecated = getattr(attr, "__deprecated__", None) is not None
                yield {"name": ".".join((*prefix, name)), "deprecated": deprecated, **request}


def _request_of(function: Any) -> dict[str, Any] | None:
    """HTTP verb, path template and page class of the one request ``function`` sends."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "self"
            and node.func.attr in {f"_{verb}" for verb in (*HTTP_VERBS, "get_api_list")}
            and node.args
        ):
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        verb: Any = node.func.attr.removeprefix("_")
        if verb == "get_api_list":
            method = keywords.get("method")
            verb = method.value if isinstance(method, ast.Constant) else "get"
        page = keywords.get("page")
        page_class = ast.unparse(page.value) if isinstance(page, ast.Subscript) else None
        return {"verb": verb, "path": _path_literal(node.args[0]), "page": page_class}
    return None


def _path_literal(node: ast.expr) -> str | None:
    """The path template in ``"/x"`` or ``path_template("/x/{id}", ...)``."""
    if isinstance(node, ast.Call) and node.args:
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def read_sdk(sdk_python: str) -> tuple[str, list[SdkMethod]]:
    """The SDK's version and methods: this script run with ``--dump-sdk`` by ``sdk_python``."""
    out = subprocess.run(
        [sdk_python, str(Path(__file__).resolve()), "--dump-sdk"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    dump = json.loads(out)
    return dump["version"], [SdkMethod(**m) for m in dump["methods"] if m["path"] is not None]


# --- the spec -------------------------------------------------------------------------------


def read_spec(path: Path) -> dict[str, Any]:
    """The parsed spec (PyYAML's C loader when present: the file is large)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as f:
        document: dict[str, Any] = yaml.load(f, Loader=loader)
    return document


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation of the spec, in the spec's order."""
    result = []
    for path, item in spec["paths"].items():
        for verb in HTTP_VERBS:
            op = item.get(verb)
            if isinstance(op, dict) and "operationId" in op:
                content = (op.get("requestBody") or {}).get("content") or {}
                result.append(
                    Operation(
                        op["operationId"],
                        verb,
                        path,
                        tuple(content),
                        tuple(example_calls(op)),
                        _list_item(spec, op),
                    )
                )
    return result


def example_calls(op: dict[str, Any]) -> list[str]:
    """Dotted SDK calls (``chat.completions.create``) in the x-oaiMeta python examples."""
    examples = (op.get("x-oaiMeta") or {}).get("examples") or []
    calls: list[str] = []
    for example in examples if isinstance(examples, list) else [examples]:
        request = example.get("request") if isinstance(example, dict) else None
        source = request.get("python") if isinstance(request, dict) else None
        for match in _CALL.finditer(source or ""):
            parts = [p for p in match.group(1).split(".")[1:] if p not in _WRAPPERS]
            if len(parts) > 1 and ".".join(parts) not in calls:  # resource.method
                calls.append(".".join(parts))
    return calls


def _list_item(spec: dict[str, Any], op: dict[str, Any]) -> Any:
    """The item schema of ``data`` in the operation's 200 JSON answer, or None."""
    answer = _resolve(spec, (op.get("responses") or {}).get("200") or {})
    media = (answer.get("content") or {}).get("application/json") or {}
    data = (_resolve(spec, media.get("schema") or {}).get("properties") or {}).get("data")
    return _resolve(spec, data or {}).get("items")


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    """``node`` with local ``$ref``s followed."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def items_require_id(spec: dict[str, Any], schema: Any) -> bool:
    """Whether every item shape (through anyOf/oneOf/allOf) requires ``id``."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict):
        return False
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        return all(items_require_id(spec, b) for b in branches)
    if "allOf" in schema:
        return any(items_require_id(spec, b) for b in schema["allOf"])
    return "id" in (schema.get("required") or [])


# --- placing --------------------------------------------------------------------------------


def _route(verb: str, path: str) -> tuple[str, str]:
    """A verb and path with parameter names blanked, to compare the SDK's with the spec's."""
    return verb.lower(), _PARAMETER.sub("{}", path)


def place(
    op: Operation, by_route: dict[tuple[str, str], list[SdkMethod]], sdk_names: dict[str, SdkMethod]
) -> Placement:
    """Where ``op`` lands: an override, its confirmed example call, or the SDK's method."""
    if op.operation_id in OVERRIDES:
        resource, method, reason = OVERRIDES[op.operation_id]
        return Placement(op.operation_id, f"{resource}.{method}", "hand", note=reason)
    candidates = by_route.get(_route(op.verb, op.path), [])
    named = {m.name: m for m in candidates}
    for call in op.example_calls:
        if call in named:
            return Placement(op.operation_id, call, "example", _page(named[call]))
    if not candidates:
        raise LookupError(op.operation_id)
    best = min(candidates, key=lambda m: (m.deprecated, m.name.count("."), m.name))
    notes = [*_rejected_examples(op, sdk_names), *_passed_over(best, candidates)]
    return Placement(op.operation_id, best.name, "sdk", _page(best), note="; ".join(notes))


def _page(method: SdkMethod) -> str | None:
    """The SDK page class's name, without its item type."""
    return method.page.split("[")[0] if method.page else None


def _rejected_examples(op: Operation, sdk_names: dict[str, SdkMethod]) -> list[str]:
    """Why each example call was not used."""
    notes = []
    for call in op.example_calls:
        method = sdk_names.get(call)
        sends = f"sends {method.verb.upper()} {method.path}" if method else "is not in the SDK"
        notes.append(f"example {call} {sends}")
    return notes


def _passed_over(best: SdkMethod, candidates: list[SdkMethod]) -> list[str]:
    """The other SDK methods that send the same request."""
    return [
        f"not {m.name}" + (" (deprecated)" if m.deprecated else "")
        for m in sorted(candidates, key=lambda m: m.name)
        if m is not best
    ]


def page_kind(
    spec: dict[str, Any], op: Operation, page_class: str | None
) -> tuple[str | None, str]:
    """The config's ``page`` for an SDK page class (see PAGE_KINDS), and a note when none fits."""
    if page_class is None:
        return None, ""
    if page_class not in PAGE_KINDS:
        return None, f"SDK returns {page_class}: no page kind for it"
    if page_class in ID_CHECKED_PAGES and not items_require_id(spec, op.list_item):
        return None, f"SDK returns {page_class}; not every item shape requires id"
    return PAGE_KINDS[page_class], ""


def variants(op: Operation, method: str) -> dict[str, str]:
    """Names for the request content types after the first (multipart first, as generated)."""
    ordered = sorted(op.content_types, key=lambda ct: ct != PRIMARY_CONTENT_TYPE)
    return {ct: f"{method}_{VARIANT_SUFFIXES[ct]}" for ct in ordered[1:]}


def derive(spec: dict[str, Any], sdk: list[SdkMethod]) -> list[Placement]:
    """Place every operation; exits 1 naming what has no SDK method or collides."""
    sdk_names = {method.name: method for method in sdk}
    by_route: dict[tuple[str, str], list[SdkMethod]] = {}
    for method in sdk:
        by_route.setdefault(_route(method.verb, method.path), []).append(method)
    placements, missing = [], []
    for op in operations(spec):
        try:
            placement = place(op, by_route, sdk_names)
        except LookupError:
            missing.append(f"{op.operation_id} ({op.verb.upper()} {op.path})")
            continue
        placement.page, page_note = page_kind(spec, op, placement.page_class)
        placement.note = "; ".join(filter(None, (placement.note, page_note)))
        placement.variants = variants(op, placement.name.rsplit(".", 1)[1])
        method = sdk_names.get(placement.name)
        placement.deprecated = method is not None and method.deprecated
        placements.append(placement)
    if missing:
        sys.exit("no SDK method and no override for: " + ", ".join(missing))
    clashes = _clashes(placements)
    if clashes:
        sys.exit("several operations would be client." + ", client.".join(clashes))
    return placements


def _clashes(placements: list[Placement]) -> list[str]:
    """Dotted names (methods and variants) taken more than once."""
    names = Counter(
        name
        for p in placements
        for name in (p.name, *(f"{p.name.rsplit('.', 1)[0]}.{v}" for v in p.variants.values()))
    )
    return sorted(name for name, count in names.items() if count > 1)


# --- writing --------------------------------------------------------------------------------

HEADER = """\
# Where each operation of the OpenAI spec (openai.openapi.yaml) sits on the client:
# client.<resource>.<method>(...), named as in the official `openai` Python SDK {version}.
# Written by spec/derive_openai_config.py from the spec and the SDK; re-run it, do not edit.
package_name: openai_client
# The official SDK's environment variables.
api_key_env: OPENAI_API_KEY
base_url_env: OPENAI_BASE_URL
webhook_secret_env: OPENAI_WEBHOOK_SECRET
# What the generated client's runtime names after OpenAI's conventions (the official SDK's).
client:
  headers:
    organization: {{header: OpenAI-Organization, env: OPENAI_ORG_ID}}
    project: {{header: OpenAI-Project, env: OPENAI_PROJECT_ID}}
  error_alias: OpenAIError
  client_alias: OpenAI
  async_client_alias: AsyncOpenAI
  log_env: OPENAI_LOG
  idempotency_header: Idempotency-Key
  retry_count_header: x-stainless-retry-count
  platform_headers: X-Stainless-
# The OpenAI API reads arrays in forms and queries as name[].
array_format: brackets
# Answers the SDK reads that the spec does not declare (binary file content, event streams).
overlays: [openai.overlay.yaml]
# page: cursor - the SDK returns a SyncCursorPage: items in `data`, `has_more`, next page
#   with after=<id of the last item>. Also where it returns a SyncConversationCursorPage
#   (next page with after=<the answer's `last_id`>, the last item's id) and every item
#   shape in the spec requires `id`.
# page: single - the SDK returns a SyncPage: items in `data`, never a next page.
# Not paged here: SyncNextCursorPage lists (next page with after=<the answer's `next`>).
# deprecated: the SDK method warns that it is deprecated, although the spec may not say so.
# variants: the SDK has one method per operation. The generator gives multipart the
#   method's name; each other request content type is named here: <method>_json
#   (application/json), <method>_sdp (application/sdp).
operations:
"""

GROUPS = {
    "example": "From x-oaiMeta python examples; the SDK method of that name sends the request.",
    "sdk": "From the SDK: the method that sends the operation's HTTP method and path.",
    "hand": "By hand (OVERRIDES in spec/derive_openai_config.py).",
}


def render(placements: list[Placement], sdk_version: str) -> str:
    """The config as YAML text, grouped by where each name comes from."""
    lines = [HEADER.format(version=sdk_version).rstrip("\n")]
    for source, title in GROUPS.items():
        group = [p for p in placements if p.source == source]
        if group:
            lines.append(f"  # {title} ({len(group)})")
            lines.extend(_entry(p) for p in group)
    return "\n".join(lines) + "\n"


def _entry(p: Placement) -> str:
    """One operation as a flow mapping, after its note as a comment line."""
    resource, method = p.name.rsplit(".", 1)
    fields = [f"resource: {resource}", f"method: {method}"]
    if p.page:
        fields.append(f"page: {p.page}")
    if p.variants:
        inner = ", ".join(f"{ct}: {name}" for ct, name in p.variants.items())
        fields.append(f"variants: {{{inner}}}")
    if p.deprecated:
        fields.append("deprecated: true")
    comment = f"  # {p.note}\n" if p.note else ""
    return f"{comment}  {p.operation_id}: {{{', '.join(fields)}}}"


def check_round_trip(text: str, placements: list[Placement]) -> None:
    """Fail unless the YAML reads back as the placements."""
    import yaml

    read = yaml.safe_load(text)["operations"]
    for p in placements:
        resource, method = p.name.rsplit(".", 1)
        expected: dict[str, Any] = {"resource": resource, "method": method}
        if p.page:
            expected["page"] = p.page
        if p.variants:
            expected["variants"] = p.variants
        if p.deprecated:
            expected["deprecated"] = True
        if read.get(p.operation_id) != expected:
            sys.exit(f"{p.operation_id} does not read back: {read.get(p.operation_id)!r}")


def summary(placements: list[Placement]) -> str:
    """Counts by source and by page, for the terminal."""
    sources = Counter(p.source for p in placements)
    pages = Counter(p.page or "-" for p in placements)
    return (
        f"{len(placements)} operations; sources {dict(sources)}; page {dict(sorted(pages.items()))}"
    )


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", type=Path, nargs="?", help="the full OpenAI spec (YAML)")
    parser.add_argument("sdk_python", nargs="?", help="a Python that can import openai")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    parser.add_argument("--dump-sdk", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump_sdk:
        dump_sdk()
        return
    if args.spec is None or args.sdk_python is None:
        parser.error("needs SPEC and SDK_PYTHON")
    sdk_version, sdk = read_sdk(args.sdk_python)
    placements = derive(read_spec(args.spec), sdk)
    text = render(placements, sdk_version)
    check_round_trip(text, placements)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(summary(placements), file=sys.stderr)


if __name__ == "__main__":
    main()
