"""Shapes met in public vendor specs that once tripped the generator, each in a small spec
written for the test: generated, and where it matters sent over ``httpx.MockTransport``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from genutil import Wire, generate_package, lint_problems, minimal_spec, write_spec

from generator.pipeline.build import build_api
from generator.pipeline.config import load_config
from generator.pipeline.load import load_document
from generator.pipeline.names import class_name, snake_name
from generator.pipeline.validate import validate_document

THING = {"type": "object", "properties": {"id": {"type": "string"}}}


def test_schemas_inside_extensions_and_examples_are_not_validated(tmp_path: Path) -> None:
    # A vendor extension may hold a patch of the spec whose schemas null out properties, and
    # an example value may have a property called `schema`: neither is a Schema Object.
    spec: dict[str, Any] = minimal_spec({"Thing": THING})
    operation = spec["paths"]["/things"]["post"]
    removed = {"schema": {"type": "object", "properties": {"gone": None}}}
    operation["x-breaking-changes"] = [{"patch": removed}]
    answer = operation["responses"]["200"]["content"]["application/json"]
    answer["examples"] = {"one": {"value": {"schema": {"type": 3}, "id": "a"}}}
    document = load_document(write_spec(tmp_path, spec))
    assert validate_document(document) == []


def test_a_text_body_of_any_text_type_is_sent_as_text(tmp_path: Path) -> None:
    body = {"required": True, "content": {"text/markdown": {"schema": {"type": "string"}}}}
    spec = minimal_spec({"Thing": THING}, requestBody=body)
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "mdbody")
    wire = Wire(package, httpx.Response(200, json={"id": "a"}))
    wire.client.things.create_thing(body="# Title")
    assert wire.request.headers["content-type"] == "text/markdown"
    assert wire.request.content == b"# Title"


def test_a_binary_string_in_a_json_body_is_sent_as_text(tmp_path: Path) -> None:
    # Only multipart has file parts: inside JSON `format: binary` can only be a string.
    blob = {"type": "object", "properties": {"data": {"type": "string", "format": "binary"}}}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Blob"}}}}
    spec = minimal_spec({"Thing": blob, "Blob": blob}, requestBody=body)
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "jsonblob")
    wire = Wire(package, httpx.Response(200, json={"data": "AAEC"}))
    answer = wire.client.things.create_thing(data="AAEC")
    assert json.loads(wire.request.content) == {"data": "AAEC"}
    assert answer.data == "AAEC"
    generated = tmp_path / "out" / "jsonblob"
    code = [
        p.read_text()
        for folder in ("models", "resources")
        for p in (generated / folder).rglob("*.py")
    ]
    assert not any(": FileTypes" in text for text in code)


def test_an_inline_name_qualified_by_its_operation_does_not_repeat_it(tmp_path: Path) -> None:
    # Two branches of a body's union both want the name of their first property; the
    # second pass qualifies them with the operation, whose name they already start with.
    def branch(kind: str) -> dict[str, Any]:
        return {"type": "object", "properties": {"value": {"type": kind}}, "required": ["value"]}

    schema = {"oneOf": [branch("string"), branch("integer")]}
    body = {"content": {"application/json": {"schema": schema}}}
    spec = minimal_spec({"Thing": THING}, requestBody=body)
    document = load_document(write_spec(tmp_path, spec))
    names = {m.name for m in build_api(document, load_config(None, "pkg")).models}
    assert any(n.startswith("CreateThingBodyWithValue") for n in names)
    assert not any(n.startswith("CreateThingCreateThing") for n in names)


def test_an_acronym_plural_is_one_word() -> None:
    # A tag `APIs` names the resource `client.apis`, not `client.ap_is`.
    assert snake_name("APIs") == "apis"
    assert snake_name("listUserIDs") == "list_user_ids"
    assert snake_name("HTTPServer") == "http_server"
    assert class_name("APIs") == "APIs"


def test_a_read_only_property_is_no_request_argument(tmp_path: Path) -> None:
    # `id` is required in answers, but the server sets it: creating a thing must not ask for it.
    thing = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
    }
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    spec = minimal_spec({"Thing": thing}, requestBody=body)
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "readonly")
    wire = Wire(package, httpx.Response(200, json={"id": "t1", "name": "a"}))
    answer = wire.client.things.create_thing(name="a")
    assert json.loads(wire.request.content) == {"name": "a"}
    assert answer.id == "t1"


def test_each_2xx_json_answer_is_parsed_as_its_own_schema(tmp_path: Path) -> None:
    # 200 answers an existing thing, 201 a receipt of another shape; 204 answers nothing.
    receipt = {
        "type": "object",
        "required": ["ticket"],
        "properties": {"ticket": {"type": "integer"}},
    }
    thing = {**THING, "required": ["id"]}
    spec = minimal_spec({"Thing": thing, "Receipt": receipt})
    responses = spec["paths"]["/things"]["post"]["responses"]
    responses["201"] = {
        "description": "queued",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Receipt"}}},
    }
    responses["204"] = {"description": "nothing to do"}
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "twoanswers")
    wire = Wire(package, httpx.Response(201, json={"ticket": 7}))
    assert wire.client.things.create_thing() == package.Receipt(ticket=7)
    resource = (tmp_path / "out" / "twoanswers" / "resources" / "things.py").read_text()
    assert "-> Thing | Receipt | None:" in resource


def test_a_binary_string_in_a_json_answer_or_named_union_is_text(tmp_path: Path) -> None:
    either = {"oneOf": [{"type": "string", "format": "binary"}, THING]}
    answer = {"200": {"description": "ok", "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Either"}}}}}  # fmt: skip
    spec = minimal_spec({"Thing": THING, "Either": either}, responses=answer)
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "binanswer")
    wire = Wire(package, httpx.Response(200, json="AAEC"))
    assert wire.client.things.create_thing() == "AAEC"
    models = (tmp_path / "out" / "binanswer" / "models" / "things.py").read_text()
    assert "FileTypes" not in models


def test_an_object_argument_may_be_a_plain_dict_as_in_the_sdk(tmp_path: Path) -> None:
    tag = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    ref = {"$ref": "#/components/schemas/Tag"}
    body_schema = {"properties": {"tags": {"type": "array", "items": ref}, "main": ref}}
    body = {"content": {"application/json": {"schema": body_schema}}}
    spec = minimal_spec({"Thing": THING, "Tag": tag}, requestBody=body)
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "dictargs")
    wire = Wire(package, httpx.Response(200, json={"id": "t1"}))
    wire.client.things.create_thing(tags=[{"name": "a"}, package.Tag(name="b")], main={"name": "c"})
    sent = json.loads(wire.request.content)
    assert sent == {"tags": [{"name": "a"}, {"name": "b"}], "main": {"name": "c"}}
    resource = (tmp_path / "out" / "dictargs" / "resources" / "things.py").read_text()
    assert "tags: Sequence[Tag | TagParam] | Unset = UNSET" in resource


def test_a_method_named_like_a_builtin_does_not_break_the_classs_annotations(
    tmp_path: Path,
) -> None:
    listing = {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
    answer = {"description": "ok", "content": {"application/json": {"schema": listing}}}
    text = {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}
    spec = minimal_spec({"Thing": THING})
    spec["paths"] = {
        "/things": {"get": {"operationId": "things/list", "tags": ["things"],
                            "responses": {"200": answer}}},
        "/things/names": {"get": {"operationId": "things/names", "tags": ["things"],
                                  "responses": {"200": answer}}},
        "/things/str": {"get": {"operationId": "things/str", "tags": ["things"],
                                "responses": {"200": text}}},
    }  # fmt: skip
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, spec), out, "shadowing")
    wire = Wire(package, httpx.Response(200, json=[{"id": "a"}]))
    assert [t.id for t in wire.client.things.names()] == ["a"]
    assert lint_problems(out, "shadowing") == ""
