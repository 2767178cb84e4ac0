"""The constructs real specs use, each generated, imported and exercised: the request on the
wire, the answer parsed (``tests/specs/constructs-3.1.yaml``, one operation per construct)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import (
    ROOT,
    Wire,
    generate_package,
    import_fresh,
    lint_problems,
    minimal_spec,
    write_spec,
)

from generator.pipeline import generate

SPEC = ROOT / "tests" / "specs" / "constructs-3.1.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("constructs") / "out"
    generate_package(SPEC, folder, "cons")
    return folder


@pytest.fixture
def cons(out: Path) -> ModuleType:
    return import_fresh(out, "cons")


def json_answer(value: Any) -> httpx.Response:
    return httpx.Response(200, json=value)


def test_the_constructs_package_is_ruff_and_mypy_clean(out: Path) -> None:
    assert lint_problems(out, "cons") == ""


def test_the_base_url_comes_from_the_servers_with_their_variables(cons: ModuleType) -> None:
    assert cons.Client(api_key="k").base_url == "https://eu.example.test/v2/"


# ---------------------------------------------------------------- request bodies of any schema


def test_an_array_body_is_one_argument_sent_as_a_json_array(cons: ModuleType) -> None:
    wire = Wire(cons, json_answer(["b", "a"]))
    assert wire.client.bodies.replace_tags(body=["a", "b"]) == ["b", "a"]
    assert json.loads(wire.request.content) == ["a", "b"]


def test_a_body_that_refers_to_an_enum_is_sent_as_its_string(cons: ModuleType) -> None:
    wire = Wire(cons, json_answer("safe"))
    assert wire.client.bodies.set_mode(body="fast") == cons.Mode.SAFE
    assert wire.request.content == b'"fast"'


def test_an_object_body_that_allows_no_properties_takes_no_arguments(cons: ModuleType) -> None:
    wire = Wire(cons, httpx.Response(204))
    assert wire.client.bodies.ping() is None
    assert wire.request.content == b"{}"


def test_a_boolean_schema_body_takes_any_json(cons: ModuleType) -> None:
    wire = Wire(cons, json_answer({"echo": [1, None]}))
    assert wire.client.bodies.send_anything(body={"x": [1, None]}) == {"echo": [1, None]}
    assert json.loads(wire.request.content) == {"x": [1, None]}


# ---------------------------------------------------------------- content types


def test_an_octet_stream_body_streams_a_file_and_the_answer_is_binary_content(
    cons: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01" * 70_000)
    answer = httpx.Response(
        200, content=b"\x02", headers={"content-type": "application/octet-stream"}
    )
    wire = Wire(cons, answer)
    assert wire.client.content.upload_blob(body=path).content == b"\x02"
    assert wire.request.headers["content-type"] == "application/octet-stream"
    assert wire.request.headers["content-length"] == str(140_000)
    assert wire.request.content == path.read_bytes()


def test_a_text_plain_body_and_answer_are_str(cons: ModuleType) -> None:
    answer = httpx.Response(200, text="noted: é", headers={"content-type": "text/plain"})
    wire = Wire(cons, answer)
    assert wire.client.content.add_note(body="é") == "noted: é"
    assert wire.request.content == "é".encode()
    assert wire.request.headers["content-type"] == "text/plain"


def test_a_urlencoded_form_repeats_arrays_nests_objects_and_leaves_out_none(
    cons: ModuleType,
) -> None:
    wire = Wire(cons, httpx.Response(204))
    wire.client.content.submit_form(note=None, tags=["a", "b"], meta=cons.FormMeta(a="x"))
    assert wire.request.headers["content-type"] == "application/x-www-form-urlencoded"
    pairs = urllib.parse.parse_qsl(wire.request.content.decode())
    assert pairs == [("tags", "a"), ("tags", "b"), ("meta[a]", "x")]


def test_a_content_type_without_a_python_mapping_is_left_out_with_a_warning() -> None:
    result = generate(SPEC, None, "cons")
    (warning,) = [w for w in result.warnings if "application/xml" in w.message]
    assert warning.pointer == "/paths/~1forms/post/requestBody/content/application~1xml"
    assert warning.severity == "warning"


def test_multipart_nests_objects_as_brackets_and_sends_the_file(cons: ModuleType) -> None:
    wire = Wire(cons, json_answer({"id": "u1"}))
    upload = wire.client.content.create_upload(
        file=("a.jsonl", b"{}"),
        purpose="batch",
        expires_after={"anchor": "created_at", "seconds": 3600},
        labels=["x", "y"],
    )
    assert upload.id == "u1"
    body = wire.request.content
    for name, value in (("purpose", b"batch"), ("expires_after[anchor]", b"created_at"),
                        ("expires_after[seconds]", b"3600"), ("labels", b"x"),
                        ("labels", b"y")):  # fmt: skip
        assert f'name="{name}"\r\n\r\n'.encode() + value + b"\r\n" in body, name
    assert b'name="file"; filename="a.jsonl"' in body


# ---------------------------------------------------------------- parameters


def test_query_styles_deep_objects_and_cookies_reach_the_wire(cons: ModuleType) -> None:
    wire = Wire(cons, json_answer("plain"))
    wire.client.params.search(
        ids=[1, 2], names=["a", "b"], filter={"kind": "k", "min": 3}, order="asc", session="s1"
    )
    assert wire.request.url.params.multi_items() == [
        ("ids", "1"), ("ids", "2"), ("names", "a,b"), ("filter[kind]", "k"),
        ("filter[min]", "3"), ("order", "asc"),
    ]  # fmt: skip
    assert wire.request.headers["cookie"] == "session=s1"


def test_identical_inline_enums_share_a_name_and_different_ones_are_qualified(
    cons: ModuleType,
) -> None:
    import typing

    assert typing.get_args(cons.ListThingsOrder) == ("asc", "desc")
    assert typing.get_args(cons.ListOthersOrder) == ("newest", "oldest")
    assert not hasattr(cons, "SearchOrder") and not hasattr(cons, "Order")


# ---------------------------------------------------------------- schemas


def test_all_of_of_non_objects_merges_into_one_type(cons: ModuleType) -> None:
    square = cons.parse_shape({"kind": "square", "side": 2, "level": "high"})
    assert square.level == cons.Level.HIGH


def test_one_discriminator_value_may_name_several_schemas_and_fit_decides(
    cons: ModuleType,
) -> None:
    big = cons.parse_shape({"kind": "big", "side": 1, "scale": 2.0})
    assert type(big) is cons.BigSquare
    assert type(cons.parse_shape({"kind": "square", "side": 1})) is cons.Square


def test_a_discriminated_union_keeps_non_object_branches(cons: ModuleType) -> None:
    assert cons.parse_shape("a plain shape") == "a plain shape"


def test_implicit_mapping_selects_by_component_name(cons: ModuleType) -> None:
    wire = Wire(cons, json_answer({"pet_type": "Dog", "good": True}))
    pet = wire.client.params.list_others()
    assert type(pet) is cons.Dog and pet.good is True


def test_recursive_schemas_parse_to_any_depth(cons: ModuleType) -> None:
    data = {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    node = Wire(cons, json_answer(data)).client.params.list_things()
    assert node.children[0].children[0].name == "c"
    assert node.to_dict() == data


def test_a_strict_client_refuses_a_field_of_the_wrong_json_type_naming_it(
    cons: ModuleType,
) -> None:
    wire = Wire(cons, json_answer({"name": "a", "children": [{"name": 7}]}))
    client = wire.client.with_options(strict=True)
    with pytest.raises(cons.APIResponseValidationError, match=r"children\[0\]\.name"):
        client.params.list_things()


def test_a_lenient_client_reads_a_field_of_the_wrong_json_type_as_absent_and_keeps_it(
    cons: ModuleType,
) -> None:
    data = {"name": "a", "children": [{"name": 7}]}
    wire = Wire(cons, json_answer(data))
    node = wire.client.params.list_things()
    [child] = node.children
    assert child.name is cons.UNSET
    assert child.additional_properties == {"name": 7}
    assert node.to_dict() == data


# ---------------------------------------------------------------- streams and webhooks


def stream_answer(*events: dict[str, Any], done: bool = False) -> httpx.Response:
    text = "".join(f"data: {json.dumps(e)}\n\n" for e in events)
    text += "data: [DONE]\n\n" if done else ""
    return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})


def test_done_events_that_are_parts_of_a_stream_do_not_end_it(cons: ModuleType) -> None:
    answer = stream_answer(
        {"type": "job.step.done"}, {"type": "job.progress.done", "percent": 50},
        {"type": "job.completed", "job": {"id": "j", "status": "ok"}},
    )  # fmt: skip
    with Wire(cons, answer).client.streams.stream_events(stream=True) as stream:
        kinds = [event.type for event in stream]
    assert kinds == ["job.step.done", "job.progress.done", "job.completed"]


def test_a_stream_cut_after_a_done_part_is_incomplete(cons: ModuleType) -> None:
    answer = stream_answer({"type": "job.step.done"})
    stream = Wire(cons, answer).client.streams.stream_events(stream=True)
    with pytest.raises(cons.StreamIncompleteError):
        list(stream)


def test_a_stream_ends_at_the_done_sentinel(cons: ModuleType) -> None:
    answer = stream_answer({"type": "job.completed", "job": {"id": "j", "status": "ok"}}, done=True)
    events = list(Wire(cons, answer).client.streams.stream_events(stream=True))
    assert [type(e) for e in events] == [cons.JobCompleted]


def test_a_webhook_body_parses_into_its_typed_event(cons: ModuleType) -> None:
    webhooks = cons.Client(api_key="k").webhooks
    event = webhooks.parse_event(json.dumps({"type": "job.failed", "reason": "boom"}))
    assert type(event) is cons.WebhookJobFailed and event.reason == "boom"
    unknown = webhooks.parse_event(b'{"type": "job.renamed"}')
    assert isinstance(unknown, cons.UnknownEvent) and unknown.type == "job.renamed"


# ---------------------------------------------------------------- specs of other shapes


def test_a_spec_without_components_generates_and_calls(tmp_path: Path) -> None:
    spec = minimal_spec({})
    del spec["components"]["schemas"]
    spec["paths"]["/things"]["post"]["responses"] = {"204": {"description": "done"}}
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "bare")
    wire = Wire(package, httpx.Response(204))
    assert wire.client.things.create_thing() is None


def test_a_model_without_description_or_properties_is_an_empty_class(tmp_path: Path) -> None:
    spec = minimal_spec({"Thing": {"type": "object", "additionalProperties": False}})
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "empty")
    wire = Wire(package, json_answer({}))
    assert wire.client.things.create_thing() == package.Thing()
    assert package.Thing.__doc__ is None


def test_environment_variables_are_named_after_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = minimal_spec({"Thing": {"type": "object", "properties": {"a": {"type": "string"}}}})
    package = generate_package(write_spec(tmp_path, spec), tmp_path / "out", "pet_store")
    monkeypatch.setenv("PET_STORE_API_KEY", "from-env")
    monkeypatch.setenv("PET_STORE_BASE_URL", "https://env.example.test")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    client = package.Client()
    assert client.base_url == "https://env.example.test/"
