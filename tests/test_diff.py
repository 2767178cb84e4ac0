"""``python -m generator diff``: which spec changes matter to a client, and which break it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from spec_evolution import STEPS, base_spec, step_spec, write_spec, write_step

from generator.__main__ import main
from generator.pipeline import apidesc, ir
from generator.pipeline.load import parse_source, resolve_pointer
from generator.pipeline.schema import read_bounds
from generator.tools.diff import Change, diff_apis
from generator.tools.diff.bounds import bounds
from generator.tools.diff.cli import load_api
from generator.tools.diff.types import relation
from generator.tools.diff.usage import Usage

Spec = dict[str, Any]


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> dict[int, ir.Api]:
    folder = tmp_path_factory.mktemp("evolution")
    return {n: load_api(write_step(folder, n)) for n in range(1, len(STEPS) + 1)}


def between(steps: dict[int, ir.Api], old: int, new: int) -> list[Change]:
    return diff_apis(steps[old], steps[new])


def one(changes: list[Change], kind: str, location: str) -> Change:
    found = [c for c in changes if c.kind == kind and c.location == location]
    assert len(found) == 1, f"no single {kind} at {location}: {changes}"
    return found[0]


def diff_specs(
    tmp_path: Path, change: Callable[[Spec], None], base: Spec | None = None
) -> list[Change]:
    """The changes from ``base`` (the step 1 spec by default) to ``base`` after ``change``."""
    old = base if base is not None else base_spec()
    new = json.loads(json.dumps(old))
    change(new)
    return diff_apis(
        load_api(write_spec(tmp_path, old, "old")), load_api(write_spec(tmp_path, new, "new"))
    )


def request_schema(spec: Spec) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"]["CreateImageEditRequest"]
    return schema


def response_schema(spec: Spec) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"]["ImagesResponse"]
    return schema


# ---------------------------------------------------------------- the evolution, step by step


def test_same_spec_has_no_changes(steps: dict[int, ir.Api]) -> None:
    assert between(steps, 6, 6) == []


def test_step2_added_model_is_not_breaking(steps: dict[int, ir.Api]) -> None:
    changes = between(steps, 1, 2)
    assert one(changes, "model_added", "ImagesUsage").breaking is False
    assert one(changes, "field_added", "ImagesResponse.usage").breaking is False
    assert not any(c.breaking for c in changes)


def test_step3_value_added_to_closed_response_enum_is_not_breaking(
    steps: dict[int, ir.Api],
) -> None:
    change = one(between(steps, 2, 3), "enum_value_added", "ImagesResponseQuality.AUTO")
    assert change.breaking is False
    assert change.sides == ("response",)
    assert "tolerate unknown values" in change.message


def test_step3_value_added_to_request_enum_is_not_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(between(steps, 2, 3), "enum_value_added", "CreateImageEditRequestQuality.STANDARD")
    assert change.breaking is False
    assert change.sides == ("request",)


def test_step4_removed_request_field_is_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(between(steps, 3, 4), "field_removed", "CreateImageEditRequest.user")
    assert change.breaking is True
    assert "client.images.edit" in change.message
    assert change.where_in == "old"


def test_step5_json_request_variant_added_is_not_breaking(steps: dict[int, ir.Api]) -> None:
    changes = between(steps, 4, 5)
    change = one(changes, "content_type_added", "createImageEdit request application/json")
    assert change.breaking is False
    assert "client.images.edit_json" in change.message
    assert not any(c.breaking for c in changes)


def test_step6_streaming_response_added_is_not_breaking(steps: dict[int, ir.Api]) -> None:
    changes = between(steps, 5, 6)
    change = one(changes, "content_type_added", "createImageEdit 200 text/event-stream")
    assert change.breaking is False
    assert one(changes, "union_added", "ImageEditStreamEvent").breaking is False


def test_step6_optional_stream_field_added_is_not_breaking(steps: dict[int, ir.Api]) -> None:
    changes = between(steps, 5, 6)
    assert one(changes, "field_added", "CreateImageEditRequest.stream").breaking is False
    assert one(changes, "field_added", "EditImageBodyJsonParam.stream").breaking is False


def test_step7_event_type_added_is_not_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(
        between(steps, 6, 7), "event_type_added", "ImageEditStreamEvent[image_edit.failed]"
    )
    assert change.breaking is False
    assert "UnknownEvent" in change.message


def test_step8_request_field_made_required_is_breaking(steps: dict[int, ir.Api]) -> None:
    changes = between(steps, 7, 8)
    change = one(changes, "required_added", "CreateImageEditRequest.n")
    assert change.breaking is True
    assert len(changes) == 1


def test_step9_request_type_narrowed_is_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(between(steps, 8, 9), "type_narrowed", "CreateImageEditRequest.image")
    assert change.breaking is True


# ---------------------------------------------------------------- the same steps, undone


def test_event_type_removed_is_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(
        between(steps, 7, 6), "event_type_removed", "ImageEditStreamEvent[image_edit.failed]"
    )
    assert change.breaking is True


def test_request_content_type_removed_is_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(
        between(steps, 5, 4), "content_type_removed", "createImageEdit request application/json"
    )
    assert change.breaking is True
    assert "client.images.edit_json disappears" in change.message


def test_streaming_response_removed_is_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(
        between(steps, 6, 5), "content_type_removed", "createImageEdit 200 text/event-stream"
    )
    assert change.breaking is True


def test_removed_model_is_breaking(steps: dict[int, ir.Api]) -> None:
    assert one(between(steps, 2, 1), "model_removed", "ImagesUsage").breaking is True


def test_request_field_made_optional_is_not_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(between(steps, 8, 7), "required_removed", "CreateImageEditRequest.n")
    assert change.breaking is False


def test_request_type_widened_is_not_breaking(steps: dict[int, ir.Api]) -> None:
    change = one(between(steps, 9, 8), "type_widened", "CreateImageEditRequest.image")
    assert change.breaking is False


# ---------------------------------------------------------------- request and response sides


def test_sides_come_from_reachability(steps: dict[int, ir.Api]) -> None:
    usage = Usage(steps[6])
    assert usage.sides("CreateImageEditRequest") == {"request"}
    assert usage.sides("CreateImageEditRequestQuality") == {"request"}
    assert usage.sides("ImagesResponse") == {"response"}
    assert usage.sides("ImagesUsage") == {"response"}  # via ImagesResponse and the events
    assert usage.sides("ImageEditCompletedEvent") == {"response"}  # via the stream union
    assert usage.sides("Error") == {"response"}  # via the default answer


def test_unreachable_component_counts_as_both_sides(tmp_path: Path) -> None:
    spec = base_spec()
    spec["components"]["schemas"]["Orphan"] = {"type": "object", "properties": {"a": {}}}
    api = load_api(write_spec(tmp_path, spec, "orphan"))
    assert Usage(api).sides("Orphan") == {"request", "response"}


def test_new_required_field_on_model_used_by_both_sides_is_breaking(tmp_path: Path) -> None:
    base = step_spec(5)
    base["components"]["schemas"]["EditImageBodyJsonParam"]["properties"]["example"] = {
        "$ref": "#/components/schemas/Image"
    }

    def change(spec: Spec) -> None:
        image = spec["components"]["schemas"]["Image"]
        image["properties"]["id"] = {"type": "string"}
        image["required"] = ["id"]

    found = one(diff_specs(tmp_path, change, base), "field_added", "Image.id")
    assert found.sides == ("request", "response")
    assert found.breaking is True
    assert "in requests" in found.message


def test_new_required_request_field_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["style"] = {"type": "string"}
        request_schema(spec)["required"].append("style")

    assert one(diff_specs(tmp_path, change), "field_added", "CreateImageEditRequest.style").breaking


def test_new_optional_request_field_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["style"] = {"type": "string"}

    found = one(diff_specs(tmp_path, change), "field_added", "CreateImageEditRequest.style")
    assert found.breaking is False


def test_new_required_response_field_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        response_schema(spec)["properties"]["model"] = {"type": "string"}
        response_schema(spec)["required"].append("model")

    found = one(diff_specs(tmp_path, change), "field_added", "ImagesResponse.model")
    assert found.breaking is False


def test_removed_response_field_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        del spec["components"]["schemas"]["Image"]["properties"]["revised_prompt"]

    found = one(diff_specs(tmp_path, change), "field_removed", "Image.revised_prompt")
    assert found.breaking is True
    assert found.sides == ("response",)


def test_response_field_made_optional_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        response_schema(spec)["required"] = []

    found = one(diff_specs(tmp_path, change), "required_removed", "ImagesResponse.created")
    assert found.breaking is True


def test_response_field_made_required_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        response_schema(spec)["required"].append("data")

    found = one(diff_specs(tmp_path, change), "required_added", "ImagesResponse.data")
    assert found.breaking is False


def test_request_field_made_non_nullable_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        del request_schema(spec)["properties"]["n"]["nullable"]

    found = one(diff_specs(tmp_path, change), "nullable_removed", "CreateImageEditRequest.n")
    assert found.breaking is True


def test_request_field_made_nullable_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["user"]["nullable"] = True

    found = one(diff_specs(tmp_path, change), "nullable_added", "CreateImageEditRequest.user")
    assert found.breaking is False


def test_response_field_made_nullable_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        response_schema(spec)["properties"]["created"]["type"] = ["integer", "null"]

    found = one(diff_specs(tmp_path, change), "nullable_added", "ImagesResponse.created")
    assert found.breaking is True


def test_response_type_widened_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        response_schema(spec)["properties"]["created"]["type"] = "number"

    found = one(diff_specs(tmp_path, change), "type_widened", "ImagesResponse.created")
    assert found.breaking is True


def test_response_type_narrowed_is_not_breaking(tmp_path: Path) -> None:
    base = base_spec()
    response_schema(base)["properties"]["created"]["type"] = "number"

    def change(spec: Spec) -> None:
        response_schema(spec)["properties"]["created"]["type"] = "integer"

    found = one(diff_specs(tmp_path, change, base), "type_narrowed", "ImagesResponse.created")
    assert found.breaking is False


def test_incomparable_type_change_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["user"] = {"type": "integer"}

    found = one(diff_specs(tmp_path, change), "type_changed", "CreateImageEditRequest.user")
    assert found.breaking is True


def test_value_removed_from_closed_request_enum_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["quality"]["enum"].remove("low")

    found = one(
        diff_specs(tmp_path, change), "enum_value_removed", "CreateImageEditRequestQuality.LOW"
    )
    assert found.breaking is True


def test_value_removed_from_open_request_enum_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["size"]["anyOf"][1]["enum"].remove("256x256")

    found = one(
        diff_specs(tmp_path, change),
        "enum_value_removed",
        "CreateImageEditRequestSize.SIZE_256X256",
    )
    assert found.breaking is False
    assert "any string is still accepted" in found.message


def test_value_removed_from_response_enum_is_breaking_as_its_constant_goes(
    tmp_path: Path,
) -> None:
    def change(spec: Spec) -> None:
        response_schema(spec)["properties"]["quality"]["enum"].remove("low")

    found = one(diff_specs(tmp_path, change), "enum_value_removed", "ImagesResponseQuality.LOW")
    assert found.breaking is True
    assert "readers no longer receive it" in found.message
    assert "ImagesResponseQuality.LOW goes away" in found.message


def test_request_enum_made_open_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        closed = request_schema(spec)["properties"]["quality"]
        request_schema(spec)["properties"]["quality"] = {"anyOf": [{"type": "string"}, closed]}

    found = one(diff_specs(tmp_path, change), "type_widened", "CreateImageEditRequest.quality")
    assert found.breaking is False


def test_new_required_query_parameter_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        operation = spec["paths"]["/images/edits"]["post"]
        operation["parameters"] = [
            {"name": "version", "in": "query", "required": True, "schema": {"type": "string"}}
        ]

    found = one(diff_specs(tmp_path, change), "parameter_added", "createImageEdit.query.version")
    assert found.breaking is True
    assert "client.images.edit must now pass version=" in found.message


def test_request_bound_tightened_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["n"]["maximum"] = 4

    found = one(diff_specs(tmp_path, change), "bounds_tightened", "CreateImageEditRequest.n")
    assert found.breaking is True
    assert "maximum 10 -> 4" in found.message


def test_request_bound_added_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["user"]["maxLength"] = 64

    found = one(diff_specs(tmp_path, change), "bounds_tightened", "CreateImageEditRequest.user")
    assert found.breaking is True


def test_request_bound_loosened_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        request_schema(spec)["properties"]["n"]["minimum"] = 0
        del request_schema(spec)["properties"]["prompt"]["maxLength"]

    changes = diff_specs(tmp_path, change)
    assert one(changes, "bounds_loosened", "CreateImageEditRequest.n").breaking is False
    assert one(changes, "bounds_loosened", "CreateImageEditRequest.prompt").breaking is False


def test_response_bound_change_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        response_schema(spec)["properties"]["data"]["maxItems"] = 10

    found = one(diff_specs(tmp_path, change), "bounds_tightened", "ImagesResponse.data")
    assert found.breaking is False


def test_operation_added_is_not_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        spec["paths"]["/images/variations"] = {
            "post": {
                "operationId": "createImageVariation",
                "tags": ["Images"],
                "responses": {"200": {"description": "ok"}},
            }
        }

    found = one(diff_specs(tmp_path, change), "operation_added", "createImageVariation")
    assert found.breaking is False
    assert "client.images.create_image_variation" in found.message


def test_operation_removed_is_breaking(tmp_path: Path) -> None:
    base = base_spec()
    base["paths"]["/images/variations"] = {
        "post": {"operationId": "createImageVariation", "responses": {"200": {"description": "ok"}}}
    }

    def change(spec: Spec) -> None:
        del spec["paths"]["/images/variations"]

    found = one(diff_specs(tmp_path, change, base), "operation_removed", "createImageVariation")
    assert found.breaking is True


def test_client_method_renamed_by_config_is_breaking(tmp_path: Path) -> None:
    old = load_api(write_step(tmp_path, 1, "old"))
    new_spec = write_step(tmp_path, 1, "new")
    config = {"operations": {"createImageEdit": {"resource": "images", "method": "modify"}}}
    (tmp_path / "new.client.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    changes = diff_apis(old, load_api(new_spec))
    found = one(changes, "method_renamed", "createImageEdit request multipart/form-data")
    assert found.breaking is True
    assert "client.images.edit is now client.images.modify" in found.message


def test_inline_model_renamed_is_reported_as_rename(tmp_path: Path) -> None:
    base = base_spec()
    content = base["paths"]["/images/edits"]["post"]["requestBody"]["content"]
    content["multipart/form-data"]["schema"] = {
        "type": "object",
        "properties": {"prompt": {"type": "string"}},
    }

    def change(spec: Spec) -> None:
        body = spec["paths"]["/images/edits"]["post"]["requestBody"]["content"]
        body["application/json"] = {
            "schema": {"type": "object", "properties": {"prompt": {"type": "string"}}}
        }

    changes = diff_specs(tmp_path, change, base)
    found = one(changes, "model_renamed", "CreateImageEditBody")
    assert "CreateImageEditMultipartBody" in found.message
    assert found.breaking is True
    assert not [c for c in changes if c.kind == "model_removed"]


def test_bounds_are_compared_as_values() -> None:
    found = read_bounds({"minimum": 1, "maxItems": 4, "pattern": "^a$", "enum": [1, 2]})
    assert bounds(found) == {
        "minimum": 1,
        "max_items": 4,
        "pattern": "^a$",
        "values": frozenset({1, 2}),
    }


def test_a_3_0_exclusive_minimum_becomes_an_exclusive_bound() -> None:
    assert bounds(read_bounds({"minimum": 0, "exclusiveMinimum": True})) == {"exclusive_minimum": 0}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (ir.Primitive("int"), ir.Primitive("float"), "widened"),
        (ir.Primitive("float"), ir.Primitive("int"), "narrowed"),
        (ir.Primitive("str"), ir.Primitive("int"), "changed"),
        (ir.Const("a"), ir.Primitive("str"), "widened"),
        (ir.ListOf(ir.Primitive("int")), ir.ListOf(ir.AnyValue()), "widened"),
        (ir.Union((ir.Primitive("int"), ir.Primitive("str"))), ir.Primitive("str"), "narrowed"),
        (ir.ModelRef("A"), ir.ModelRef("A"), "same"),
    ],
)
def test_type_relation(old: ir.TypeRef, new: ir.TypeRef, expected: str) -> None:
    assert relation(old, new) == expected


# ---------------------------------------------------------------- command line


@pytest.fixture(scope="module")
def spec_files(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("cli")
    return {n: write_step(folder, n) for n in range(1, len(STEPS) + 1)}


def test_cli_exits_0_without_breaking_changes(
    spec_files: dict[int, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(spec_files[1]), str(spec_files[2])]) == 0
    out = capsys.readouterr().out
    assert "model_added ImagesUsage" in out
    assert "BREAKING" not in out


def test_cli_exits_1_with_a_breaking_change(
    spec_files: dict[int, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(spec_files[3]), str(spec_files[4])]) == 1
    out = capsys.readouterr().out
    assert "BREAKING field_removed CreateImageEditRequest.user" in out
    assert out.endswith("1 change, 1 breaking\n")


def test_cli_exits_0_for_identical_specs(
    spec_files: dict[int, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(spec_files[5]), str(spec_files[5])]) == 0
    assert "no changes" in capsys.readouterr().out


def test_cli_exits_2_for_a_missing_spec(
    spec_files: dict[int, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(spec_files[1]), str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read file" in capsys.readouterr().err


def test_cli_exits_2_for_an_invalid_spec(
    spec_files: dict[int, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\npaths: {}\n", encoding="utf-8")  # no info
    assert main(["diff", str(broken), str(spec_files[1])]) == 2
    assert "broken.yaml" in capsys.readouterr().err


def test_cli_json_output_shape(
    spec_files: dict[int, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(spec_files[7]), str(spec_files[8]), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"old", "new", "breaking", "summary", "changes"}
    assert report["breaking"] is True
    assert report["summary"] == {"changes": 1, "breaking": 1}
    (change,) = report["changes"]
    assert change == {
        "kind": "required_added",
        "location": "CreateImageEditRequest.n",
        "breaking": True,
        "message": change["message"],
        "where": "/components/schemas/CreateImageEditRequest/properties/n",
        "where_in": "new",
        "sides": ["request"],
    }


@pytest.mark.parametrize("step", range(2, len(STEPS) + 1))
def test_where_points_into_the_spec_it_names(spec_files: dict[int, Path], step: int) -> None:
    for old, new in [
        (spec_files[step - 1], spec_files[step]),
        (spec_files[step], spec_files[step - 1]),
    ]:
        documents = {
            "old": parse_source(old.read_bytes(), str(old)),
            "new": parse_source(new.read_bytes(), str(new)),
        }
        changes = diff_apis(load_api(old), load_api(new))
        assert changes
        for change in changes:
            assert change.where, change
            resolve_pointer(documents[change.where_in], change.where)  # raises if it is not there


# ---------------------------------------------------------------- IR the engine has no rule for


@attrs.frozen
class TupleOf:
    """A type kind the engine has no rule for."""

    items: tuple[ir.TypeRef, ...]


@attrs.frozen
class TaggedField(ir.Field):
    """A field with an attribute the engine has no rule for."""

    read_only: bool = False


def with_field(
    api: ir.Api, model: str, wire: str, change: Callable[[ir.Field], ir.Field]
) -> ir.Api:
    models = tuple(
        attrs.evolve(m, fields=tuple(change(f) if f.wire_name == wire else f for f in m.fields))
        if m.name == model
        else m
        for m in api.models
    )
    return attrs.evolve(api, models=models)


@pytest.fixture(scope="module")
def api6(steps: dict[int, ir.Api]) -> ir.Api:
    return steps[6]


def test_unknown_type_kind_is_compared_by_equality(api6: ir.Api) -> None:
    def retype(items: tuple[ir.TypeRef, ...]) -> Callable[[ir.Field], ir.Field]:
        return lambda f: attrs.evolve(f, type=TupleOf(items))  # type: ignore[arg-type]

    old = with_field(api6, "Image", "url", retype((ir.Primitive("str"),)))
    same = with_field(api6, "Image", "url", retype((ir.Primitive("str"),)))
    new = with_field(api6, "Image", "url", retype((ir.Primitive("int"),)))
    assert diff_apis(old, same) == []
    found = one(diff_apis(old, new), "type_changed", "Image.url")
    assert found.breaking is True
    assert "TupleOf" in found.message


def test_attribute_without_a_rule_is_reported_as_a_breaking_change(api6: ir.Api) -> None:
    def tag(read_only: bool) -> Callable[[ir.Field], ir.Field]:
        return lambda f: TaggedField(**attrs.asdict(f, recurse=False), read_only=read_only)

    old = with_field(api6, "Image", "url", tag(False))
    new = with_field(api6, "Image", "url", tag(True))
    (found,) = diff_apis(old, new)
    assert (found.kind, found.location, found.breaking) == ("changed", "Image.url", True)
    assert "read_only" in found.message


def test_discriminator_value_with_several_targets_is_compared_whole(api6: ir.Api) -> None:
    def mapping(*targets: str) -> ir.Api:
        unions = []
        for union in api6.unions:
            if union.discriminator is not None:
                mapped = tuple(
                    (v, targets) if v == "image_edit.completed" else (v, m)
                    for v, m in union.discriminator.mapping
                )
                union = attrs.evolve(
                    union, discriminator=attrs.evolve(union.discriminator, mapping=mapped)
                )
            unions.append(union)
        return attrs.evolve(api6, unions=tuple(unions))

    old = mapping("ImageEditCompletedEvent")
    new = mapping("ImageEditCompletedEvent", "ImagesUsage")
    found = one(
        diff_apis(old, new), "event_type_changed", "ImageEditStreamEvent[image_edit.completed]"
    )
    assert found.breaking is True
    assert "ImageEditCompletedEvent | ImagesUsage" in found.message
    assert Usage(new).sides("ImagesUsage") == {"response"}


# ---------------------------------------------------------------- rules beyond fields


def test_enum_constant_renamed_is_breaking(api6: ir.Api) -> None:
    enums = tuple(
        attrs.evolve(e, members=tuple(attrs.evolve(m, name=m.name + "_") for m in e.members))
        if e.name == "ImagesResponseQuality"
        else e
        for e in api6.enums
    )
    changes = diff_apis(api6, attrs.evolve(api6, enums=enums))
    found = one(changes, "enum_member_renamed", "ImagesResponseQuality.LOW_")
    assert found.breaking is True
    assert "ImagesResponseQuality.LOW" in found.message


def test_package_renamed_is_breaking(api6: ir.Api) -> None:
    (found,) = diff_apis(api6, attrs.evolve(api6, package_name="other"))
    assert (found.kind, found.breaking) == ("package_renamed", True)


def test_api_key_environment_variable_renamed_is_breaking(api6: ir.Api) -> None:
    (found,) = diff_apis(api6, attrs.evolve(api6, api_key_env="IMAGES_KEY"))
    assert (found.kind, found.breaking) == ("environment_renamed", True)
    assert "$IMAGES_KEY" in found.message


def test_default_base_url_changed_is_not_breaking(api6: ir.Api) -> None:
    (found,) = diff_apis(api6, attrs.evolve(api6, base_url="https://elsewhere.test/v1"))
    assert (found.kind, found.breaking) == ("base_url_changed", False)


def test_whole_body_argument_is_compared(tmp_path: Path) -> None:
    base = base_spec()
    schema = {"type": "array", "items": {"type": "string"}}
    base["paths"]["/tags"] = {
        "post": {
            "operationId": "createTags",
            "tags": ["Images"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "ok"}},
        }
    }

    def change(spec: Spec) -> None:
        content = spec["paths"]["/tags"]["post"]["requestBody"]["content"]
        content["application/json"]["schema"]["items"] = {"type": "integer"}

    found = one(
        diff_specs(tmp_path, change, base),
        "type_changed",
        "createTags request application/json.body",
    )
    assert found.breaking is True
    assert "list[str] -> list[int]" in found.message


def test_parameter_style_changed_is_not_breaking(tmp_path: Path) -> None:
    base = base_spec()
    operation = base["paths"]["/images/edits"]["post"]
    operation["parameters"] = [
        {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
    ]

    def change(spec: Spec) -> None:
        spec["paths"]["/images/edits"]["post"]["parameters"][0]["explode"] = False

    changes = diff_specs(tmp_path, change, base)
    found = one(changes, "parameter_serialization_changed", "createImageEdit.query.ids")
    assert found.breaking is False
    assert len(changes) == 1


def test_webhook_events_added_are_not_breaking_and_removed_are(api6: ir.Api) -> None:
    events = attrs.evolve(api6, webhook_event=ir.ModelRef("ImagesUsage"))
    (added,) = diff_apis(api6, events)
    (removed,) = diff_apis(events, api6)
    assert (added.kind, added.breaking) == ("webhooks_added", False)
    assert (removed.kind, removed.breaking) == ("webhooks_removed", True)


def test_list_method_that_now_pages_is_breaking_and_page_items_are_compared(
    api6: ir.Api,
) -> None:
    def paged(item: ir.TypeRef | None) -> ir.Api:
        page = ir.Pagination(item) if item is not None else None
        ops = tuple(attrs.evolve(op, page=page) for op in api6.operations)
        return attrs.evolve(api6, operations=ops)

    (added,) = diff_apis(paged(None), paged(ir.ModelRef("Image")))
    assert (added.kind, added.breaking) == ("pagination_added", True)
    (retyped,) = diff_apis(paged(ir.ModelRef("Image")), paged(ir.ModelRef("ImagesUsage")))
    assert (retyped.kind, retyped.location, retyped.breaking) == (
        "type_changed",
        "createImageEdit pages",
        True,
    )


def test_cli_compares_a_generated_package_with_a_new_spec(
    spec_files: dict[int, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "out" / "evolving"
    package.mkdir(parents=True)
    description = apidesc.dump(load_api(spec_files[3]))
    (package / "_api.json").write_text(description, encoding="utf-8")
    assert main(["diff", str(package), str(spec_files[4])]) == 1
    from_package = capsys.readouterr().out
    assert main(["diff", str(spec_files[3]), str(spec_files[4])]) == 1
    assert from_package == capsys.readouterr().out


def test_cli_exits_2_for_a_description_it_cannot_read(
    spec_files: dict[int, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    description = tmp_path / "_api.json"
    description.write_text('{"format": "api-description/0"}', encoding="utf-8")
    assert main(["diff", str(description), str(spec_files[1])]) == 2
    assert "unknown API description format" in capsys.readouterr().err
