"""Spec text is data: hostile names, descriptions and values never become code.

One combined hostile spec is generated once per module; every test reads that package.
"""

from __future__ import annotations

import ast
import email.parser
import email.policy
import enum
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import generate_package, minimal_spec, write_spec

from generator.pipeline import ir
from generator.pipeline.build import build_api
from generator.pipeline.config import load_config
from generator.pipeline.load import load_document

PACKAGE = "hostile_pkg"
BASE = "https://api.example.test/v1"


def _pieces(marker: Path) -> list[str]:
    """Hostile fragments; each one would touch ``marker`` if it were ever executed."""
    target = str(marker)
    return [
        '"""',
        "'''",
        "\\",
        "back\\slash \\n \\x00 \\u2028 C:\\new\\table",
        "{{7*7}} {%print(7*7)%} {#comment#}",
        "{{ self.__init__.__globals__.__builtins__.__import__('pathlib').Path("
        + repr(target)
        + ").touch() }}",
        '"""; import pathlib; pathlib.Path(' + repr(target) + ").touch() #",
        "'''; import pathlib; pathlib.Path(" + repr(target) + ").touch() #",
        '"); import os; os.system("touch ' + target + '") #',
        "line1\nline2\r\nline3\rline4",
        "NUL\x00here U+2028\u2028here U+2029\u2029here tab\there bell\x07",
        'ends with a quote"',
    ]


def nasty(marker: Path, last: str) -> str:
    """All hostile fragments, ending with ``last`` (a trailing quote or backslash)."""
    return " | ".join(_pieces(marker)) + last


ENUM_VALUES = [
    'say "hi"',
    "it's",
    "back\\slash",
    "trailing\\",
    "with space",
    "ünïcödé",
    "日本語",
    '"""',
    "'''",
    "a-b",
    "a_b",
    "",
    "new\nline",
    "{{x}}",
]

BODY_NAMES = [
    "class", "from", "self", "to_dict", "from_dict", "additional_properties", "1024x1024",
    "dall-e-2", "dall_e_2", "timeout", "timeout_", "extra_headers", "base_url", "url", "headers",
    "params", "body", "fields", "content", "form", "json", "httpx", "request", "requests",
    "response", "str", "int", "dict", "list", "bool", "float", "attrs", "frozenset",
    "classmethod", "cls", "none", "None", "type", "@type", "", "with space", "ünï",
]  # fmt: skip
UPLOAD_NAMES = ["class", "dall-e-2", "dall_e_2", "timeout", "url", "body", "headers", "json"]
PARAMETERS = [("item id", "path"), ("dall-e-2", "query"), ("dall_e_2", "header"),
              ("timeout", "query"), ("class", "query"), ("url", "query")]  # fmt: skip


def server_url(marker: Path) -> str:
    return (
        'https://example.test/v1/"""; import pathlib; pathlib.Path('
        + repr(str(marker))
        + ").touch() #\\"
    )


def hostile_spec(marker: Path) -> dict[str, Any]:
    quote_end = nasty(marker, '"')
    slash_end = nasty(marker, "\\")
    properties: dict[str, Any] = {
        name: {"type": "string", "description": quote_end if i % 2 else slash_end}
        for i, name in enumerate(BODY_NAMES)
    }
    properties["mode"] = {"type": "string", "enum": ENUM_VALUES, "description": slash_end}
    properties["shared_mode"] = {"$ref": "#/components/schemas/Mode"}
    properties["client"] = {"$ref": "#/components/schemas/Client"}
    properties["nothing"] = {"$ref": "#/components/schemas/None"}
    schemas: dict[str, Any] = {
        "Thing": {
            "type": "object",
            "description": quote_end,
            "required": ["class", "dall-e-2"],
            "properties": properties,
        },
        "Mode": {"type": "string", "enum": ENUM_VALUES, "description": quote_end},
        "Client": {
            "type": "object",
            "description": slash_end,
            "properties": {"x": {"type": "integer", "description": quote_end}},
        },
        "None": {"type": "object", "properties": {"y": {"type": "integer"}}},
        "Upload": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary"},
                **{name: {"type": "string"} for name in UPLOAD_NAMES},
            },
        },
    }
    parameters = [
        {
            "name": name,
            "in": where,
            "required": where == "path",
            "description": quote_end,
            "schema": {"type": "string"},
        }
        for name, where in PARAMETERS
    ]
    spec = minimal_spec(
        schemas,
        operationId="create/Thing!!-odd op",
        summary=slash_end,
        description=quote_end,
        requestBody={
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
        },
    )
    spec["info"]["title"] = slash_end
    spec["servers"] = [{"url": server_url(marker)}]
    spec["info"]["description"] = quote_end
    spec["paths"]["/things"]["post"]["parameters"] = parameters
    spec["paths"] = {"/things/{item id}": spec["paths"]["/things"]}
    spec["paths"]["/uploads"] = {
        "post": {
            "operationId": "1st upload",
            "tags": ["class"],
            "summary": quote_end,
            "requestBody": {
                "content": {
                    "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Upload"}}
                }
            },
            "responses": {"204": {"description": "done"}},
        }
    }
    return spec


# ---------------------------------------------------------------- shared generation


class Generated:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.marker = root / "pwned"
        spec_dir = root / "spec"
        spec_dir.mkdir()
        self.spec = write_spec(spec_dir, hostile_spec(self.marker))
        self.out = root / "out"
        self.package: ModuleType = generate_package(self.spec, self.out, PACKAGE)
        self.api = build_api(load_document(self.spec), load_config(None, PACKAGE))

    @property
    def source_dir(self) -> Path:
        return self.out / PACKAGE

    def module(self, name: str) -> ModuleType:
        import importlib

        return importlib.import_module(f"{PACKAGE}.{name}")

    @property
    def models(self) -> ModuleType:
        """The package: every model is importable from its top level."""
        return self.package

    def api_modules(self) -> list[Path]:
        """The generated modules, without the verbatim runtime."""
        return sorted(p for p in self.source_dir.rglob("*.py") if not p.name.startswith("_"))

    def sent(self, operation_id: str, **kwargs: Any) -> httpx.Request:
        """The request the client method of an operation sends with these arguments."""
        captured: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            request.read()
            captured.append(request)
            return httpx.Response(200, json={"class": "c", "dall-e-2": "d"})

        op = self.operation(operation_id)
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = self.package.Client(api_key="k", base_url=BASE, http_client=http)
        getattr(getattr(client, op.resource), op.method_name)(**kwargs)
        (request,) = captured
        return request

    def operation(self, operation_id: str) -> ir.Operation:
        return next(op for op in self.api.operations if op.operation_id == operation_id)


@pytest.fixture(scope="module")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    generated = Generated(tmp_path_factory.mktemp("hostile"))
    sys.path.insert(0, str(generated.out))
    try:
        yield generated
    finally:
        sys.path.remove(str(generated.out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def squash(text: str) -> str:
    """Whitespace-normalised text (docstrings are re-wrapped)."""
    return " ".join(text.split())


# ---------------------------------------------------------------- compiles, imports, is clean


def test_every_generated_module_compiles(gen: Generated) -> None:
    files = sorted(gen.source_dir.rglob("*.py"))
    assert len(files) >= 5
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)


def test_generation_did_not_execute_any_spec_text(gen: Generated) -> None:
    assert not gen.marker.exists()


def test_import_in_a_fresh_interpreter_has_no_side_effects(gen: Generated) -> None:
    modules = [".".join(p.relative_to(gen.out).with_suffix("").parts) for p in gen.api_modules()]
    code = "; ".join(f"import {m.removesuffix('.__init__')}" for m in modules)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=gen.out, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == ""
    assert not gen.marker.exists()
    assert sorted(p.name for p in gen.root.iterdir()) == ["out", "spec"]


def test_ruff_check_is_clean_on_the_hostile_package(gen: Generated) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=gen.out, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean_on_the_hostile_package(gen: Generated, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", PACKAGE],
        cwd=gen.out, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------- text stays text


def test_model_docstring_keeps_the_description_verbatim(gen: Generated) -> None:
    thing = gen.models.Thing
    assert squash(thing.__doc__) == squash(nasty(gen.marker, '"'))


def test_jinja_syntax_in_descriptions_is_not_evaluated(gen: Generated) -> None:
    doc = gen.models.Thing.__doc__
    assert "{{7*7}}" in doc
    assert "{%print(7*7)%}" in doc
    assert "{#comment#}" in doc
    assert "49" not in doc


def test_component_enum_docstring_keeps_the_description(gen: Generated) -> None:
    mode = gen.models.Mode
    assert squash(mode.__doc__) == squash(nasty(gen.marker, '"'))


def test_field_docstrings_keep_the_description(gen: Generated) -> None:
    path = gen.source_dir / "models" / f"{gen.models.Thing.__module__.rsplit('.', 1)[1]}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    thing = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Thing")
    docs: dict[str, str] = {}
    for before, after in zip(thing.body, thing.body[1:], strict=False):
        if (
            isinstance(before, ast.AnnAssign)
            and isinstance(before.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
        ):
            docs[before.target.id] = after.value.value
    fields = {f.wire_name: f for f in gen.api.models[_model_index(gen, "Thing")].fields}
    for i, wire in enumerate(BODY_NAMES):
        expected = nasty(gen.marker, '"' if i % 2 else "\\")
        assert squash(docs[fields[wire].py_name]) == squash(expected), wire


def _model_index(gen: Generated, name: str) -> int:
    return next(i for i, m in enumerate(gen.api.models) if m.name == name)


def test_operation_summary_and_description_reach_the_method_docstring(gen: Generated) -> None:
    client_module = gen.module("client")
    op = gen.operation("create/Thing!!-odd op")
    resource = getattr(client_module.Client(api_key="k"), op.resource)
    doc = squash(getattr(resource, op.method_name).__doc__)
    assert squash(nasty(gen.marker, "\\")) in doc
    assert squash(nasty(gen.marker, '"')) in doc


def test_info_title_is_the_package_docstring(gen: Generated) -> None:
    assert squash(nasty(gen.marker, "\\")) in squash(gen.package.__doc__)
    assert squash(nasty(gen.marker, "\\")) in squash(gen.package.Client.__doc__)


def test_descriptions_are_never_python_statements(gen: Generated) -> None:
    """No statement of any generated module imports or calls what the descriptions mention."""
    for path in gen.api_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                assert all(a.name not in ("os", "pathlib") for a in node.names), path.name
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("system", "touch"), path.name


def test_server_url_is_the_default_base_url_verbatim(
    gen: Generated, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert gen.package.Client(api_key="k").base_url == server_url(gen.marker) + "/"
    assert not gen.marker.exists()


# ---------------------------------------------------------------- enum values


def test_enum_values_survive_exactly(gen: Generated) -> None:
    assert [m.value for m in gen.models.Mode] == ENUM_VALUES
    assert all(m.name.isidentifier() for m in gen.models.Mode)


def test_an_inline_enum_of_a_components_values_under_its_name_is_that_enum(gen: Generated) -> None:
    thing = gen.models.Thing.from_dict({"mode": ENUM_VALUES[0]})
    assert type(thing.mode) is gen.models.Mode


def test_enum_values_round_trip_through_the_model(gen: Generated) -> None:
    thing_class = gen.models.Thing
    for value in ENUM_VALUES:
        data = {"class": "c", "dall-e-2": "d", "mode": value, "shared_mode": value}
        thing = thing_class.from_dict(data)
        assert isinstance(thing.mode, enum.Enum)
        out = thing.to_dict()
        assert out == data
        assert type(out["mode"]) is str


# ---------------------------------------------------------------- names


def test_python_names_are_distinct_valid_identifiers(gen: Generated) -> None:
    fields = gen.api.models[_model_index(gen, "Thing")].fields
    names = [f.py_name for f in fields]
    assert len(set(names)) == len(names)
    assert all(n.isidentifier() for n in names)
    assert {f.wire_name for f in fields} >= set(BODY_NAMES)


def test_keywords_and_model_methods_get_a_trailing_underscore(gen: Generated) -> None:
    py = {f.wire_name: f.py_name for f in gen.api.models[_model_index(gen, "Thing")].fields}
    for wire in ("class", "from", "self", "to_dict", "from_dict", "additional_properties"):
        assert py[wire] == wire + "_"
    assert callable(gen.models.Thing.from_dict)
    assert callable(gen.models.Thing.to_dict)


def test_dall_e_2_and_dall_e_2_underscore_get_different_names(gen: Generated) -> None:
    py = {f.wire_name: f.py_name for f in gen.api.models[_model_index(gen, "Thing")].fields}
    assert py["dall_e_2"] == "dall_e_2"
    assert py["dall-e-2"] == "dall_e_2_"


def test_components_named_client_and_none_do_not_shadow(gen: Generated) -> None:
    models = gen.models
    assert gen.package.Client.__module__ == f"{PACKAGE}.client"
    assert hasattr(models, "ClientModel")
    assert hasattr(models, "NoneModel")
    thing = models.Thing.from_dict(
        {"class": "c", "dall-e-2": "d", "client": {"x": 1}, "nothing": {"y": 2}}
    )
    assert isinstance(thing.client, models.ClientModel)
    assert isinstance(thing.nothing, models.NoneModel)


def test_odd_operation_ids_and_tags_become_valid_methods(gen: Generated) -> None:
    client = gen.package.Client(api_key="k")
    for op in gen.api.operations:
        assert op.resource.isidentifier() and op.method_name.isidentifier()
        resource = getattr(client, op.resource)
        assert callable(getattr(resource, op.method_name))
    assert callable(client.close)


# ---------------------------------------------------------------- wire names


def _round_trip_document() -> dict[str, Any]:
    data: dict[str, Any] = {name: f"v:{name}" for name in BODY_NAMES}
    data.update({"mode": 'say "hi"', "shared_mode": "日本語", "client": {"x": 1, "extra": [1]}})
    data["nothing"] = {"y": 2}
    data["not in the spec"] = {"kept": True}
    return data


def test_fields_round_trip_under_their_exact_wire_names(gen: Generated) -> None:
    data = _round_trip_document()
    thing = gen.models.Thing.from_dict(data, strict=True)
    assert thing.to_dict() == data


def test_each_field_reads_its_own_wire_name(gen: Generated) -> None:
    data = _round_trip_document()
    thing = gen.models.Thing.from_dict(data)
    for field in gen.api.models[_model_index(gen, "Thing")].fields:
        if field.wire_name in BODY_NAMES:
            assert getattr(thing, field.py_name) == f"v:{field.wire_name}", field.wire_name


def _json_arguments(gen: Generated) -> dict[str, Any]:
    op = gen.operation("create/Thing!!-odd op")
    (body,) = op.bodies
    kwargs: dict[str, Any] = {p.py_name: f"p:{p.wire_name}" for p in op.parameters}
    kwargs.update({f.py_name: f"v:{f.wire_name}" for f in body.fields if f.wire_name in BODY_NAMES})
    return kwargs


def test_json_body_sends_every_field_under_its_wire_name(gen: Generated) -> None:
    request = gen.sent("create/Thing!!-odd op", **_json_arguments(gen))
    assert json.loads(request.content) == {name: f"v:{name}" for name in BODY_NAMES}


def test_parameters_go_out_under_their_wire_names(gen: Generated) -> None:
    request = gen.sent("create/Thing!!-odd op", **_json_arguments(gen))
    assert str(request.url).split("?")[0] == f"{BASE}/things/p%3Aitem%20id"
    assert sorted(request.url.params.multi_items()) == sorted(
        (name, f"p:{name}") for name, where in PARAMETERS if where == "query"
    )
    assert request.headers["dall_e_2"] == "p:dall_e_2"


def test_method_arguments_are_distinct_from_its_own(gen: Generated) -> None:
    import inspect

    op = gen.operation("create/Thing!!-odd op")
    method = getattr(getattr(gen.package.Client(api_key="k"), op.resource), op.method_name)
    names = list(inspect.signature(method).parameters)
    assert len(names) == len(set(names))
    options = ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")
    assert all(names.count(option) == 1 for option in options)
    assert len(names) == len(options) + len(op.parameters) + len(op.bodies[0].fields)


def test_multipart_body_sends_every_part_under_its_wire_name(gen: Generated) -> None:
    op = gen.operation("1st upload")
    (body,) = op.bodies
    kwargs: dict[str, Any] = {f.py_name: f"v:{f.wire_name}" for f in body.fields}
    kwargs[next(f.py_name for f in body.fields if f.wire_name == "file")] = ("a.bin", b"\x00\x01")
    request = gen.sent("1st upload", **kwargs)
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    parts = {
        part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
        for part in message.iter_parts()
    }
    assert parts == {"file": b"\x00\x01", **{n: f"v:{n}".encode() for n in UPLOAD_NAMES}}


def test_a_body_field_named_like_an_option_does_not_replace_it(gen: Generated) -> None:
    """A body field named like a client argument (``timeout``) does not replace it."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"class": "c", "dall-e-2": "d"})

    op = gen.operation("create/Thing!!-odd op")
    kwargs = _json_arguments(gen)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = gen.package.Client(api_key="k", base_url=BASE, http_client=http)
    method = getattr(getattr(client, op.resource), op.method_name)
    result = method(**kwargs, timeout=5.0)
    assert json.loads(sent[0].content) == {name: f"v:{name}" for name in BODY_NAMES}
    assert result.to_dict() == {"class": "c", "dall-e-2": "d"}


# ---------------------------------------------------------------- more hostile names, separately


def test_model_named_like_a_resource_class_does_not_collide(tmp_path: Path) -> None:
    schemas = {
        "Thing": {
            "type": "object",
            "properties": {"r": {"$ref": "#/components/schemas/ThingsResource"}},
        },
        "ThingsResource": {"type": "object", "properties": {"b": {"type": "string"}}},
    }
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    spec = write_spec(tmp_path, minimal_spec(schemas, requestBody=body))
    out = tmp_path / "out"
    generate_package(spec, out, "resource_clash")
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=out, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "resource_clash"],
        cwd=out, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (ruff.returncode, mypy.returncode) == (0, 0), ruff.stdout + mypy.stdout
