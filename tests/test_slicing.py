"""``generator.slicing``: cutting operations and what they reach out of a full document."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from spec_factory import (
    embed_fragment,
    iter_operations,
    json_content,
    make_large_spec,
    make_spec,
    operation,
    operation_ids,
    ref,
)

from generator.__main__ import main as cli
from generator.errors import GeneratorError
from generator.pipeline.load import load_document
from generator.tools.slicing import render, slice_document, write_atomic

ROOT = Path(__file__).resolve().parent.parent
IMAGES_EDIT = ROOT / "spec" / "images-edit.yaml"

# Operations of make_large_spec chosen to cover callbacks and pathItems (createResource0000),
# an operation's own security (createResource0000, updateResource0001, getResource0011),
# requestBodies and examples components, path-level parameters and servers, and webhooks.
SAMPLE = [
    "createResource0000",
    "updateResource0001",
    "listResource0002",
    "deleteResource0003",
    "getResource0011",
    "createResource0013",
    "onResourceEvent0",
]


@pytest.fixture(scope="module")
def large() -> dict[str, Any]:
    return make_large_spec(n_operations=300, n_schemas=3000, seed=7)


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    return load_document(IMAGES_EDIT, validate=False).data


def brute_force_closure(spec: dict[str, Any], wanted: list[str]) -> set[tuple[str, str]]:
    """The components ``wanted`` reach, found as text: ``$ref`` strings in JSON, to a fixpoint."""
    pattern = re.compile(r'"\$ref": "#/components/([^/"]+)/([^/"]+)')
    texts: list[str] = []
    found: set[tuple[str, str]] = set()
    for container, key, _, op in iter_operations(spec):
        if op.get("operationId") not in wanted:
            continue
        item = spec[container][key]
        texts.append(json.dumps(op))
        texts.append(json.dumps({k: v for k, v in item.items() if not isinstance(v, dict)}))
        for requirement in op.get("security", spec.get("security", [])):
            found.update(("securitySchemes", name) for name in requirement)
    while True:
        names = {
            (kind, name.replace("~1", "/").replace("~0", "~"))
            for text in texts
            for kind, name in pattern.findall(text)
        }
        new = names - found
        if not new:
            return found
        found |= new
        texts = [json.dumps(spec["components"][kind][name]) for kind, name in new]


def kept_components(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (kind, name) for kind, entries in result.get("components", {}).items() for name in entries
    }


def problems_of(excinfo: pytest.ExceptionInfo[GeneratorError]) -> list[tuple[str, str]]:
    return [(p.pointer, p.message) for p in excinfo.value.problems]


def cycle_spec() -> dict[str, Any]:
    return make_spec(
        paths={
            "/nodes": {
                "get": operation(
                    "getNode",
                    responses={
                        "200": {
                            "description": "A node.",
                            "content": json_content(ref("schemas", "A")),
                        }
                    },
                ),
                "post": operation("postNode", requestBody=ref("requestBodies", "Other")),
            }
        },
        components={
            "schemas": {
                "A": {"type": "object", "properties": {"b": ref("schemas", "B")}},
                "B": {
                    "type": "object",
                    "properties": {"a": ref("schemas", "A"), "self": ref("schemas", "B")},
                },
                "C": {"type": "string"},
            },
            "requestBodies": {"Other": {"content": json_content(ref("schemas", "C"))}},
        },
    )


def spec_with_schema(op_schema: Any, **components: Any) -> dict[str, Any]:
    """One operation ``only`` whose 200 response has ``op_schema``, and one ``other``."""
    return make_spec(
        paths={
            "/only": {
                "get": operation(
                    "only",
                    responses={"200": {"description": "OK", "content": json_content(op_schema)}},
                )
            },
            "/other": {
                "post": operation(
                    "other",
                    responses={
                        "200": {
                            "description": "OK",
                            "content": json_content(
                                {"type": "object", "properties": {"x": {"type": "integer"}}}
                            ),
                        }
                    },
                )
            },
        },
        components=components or None,
    )


OTHER_SCHEMA = "#/paths/~1other/post/responses/200/content/application~1json/schema"


# -- what is kept ---------------------------------------------------------------------------


@pytest.mark.parametrize("operation_id", SAMPLE)
def test_keeps_exactly_the_components_one_operation_reaches(
    large: dict[str, Any], operation_id: str
) -> None:
    result = slice_document(large, [operation_id])
    assert kept_components(result) == brute_force_closure(large, [operation_id])


def test_keeps_exactly_the_components_several_operations_reach(large: dict[str, Any]) -> None:
    result = slice_document(large, SAMPLE)
    assert kept_components(result) == brute_force_closure(large, SAMPLE)
    assert sorted(operation_ids(result)) == sorted(SAMPLE)


def test_drops_components_no_kept_operation_reaches(large: dict[str, Any]) -> None:
    result = slice_document(large, SAMPLE)
    kept = kept_components(result)
    assert not {(kind, name) for kind, name in kept if name.startswith("Unused")}
    assert len(result["components"]["schemas"]) < len(large["components"]["schemas"]) / 5


def test_keeps_only_the_requested_method_with_the_path_level_fields(large: dict[str, Any]) -> None:
    result = slice_document(large, ["getResource0000"])
    source = large["paths"]["/resources0000/{id}"]
    assert result["paths"] == {
        "/resources0000/{id}": {
            "parameters": source["parameters"],
            "servers": source["servers"],
            "get": source["get"],
        }
    }
    assert "webhooks" not in result


def test_follows_a_reference_cycle_and_keeps_each_member_once() -> None:
    result = slice_document(cycle_spec(), ["getNode"])
    assert list(result["components"]) == ["schemas"]
    assert list(result["components"]["schemas"]) == ["A", "B"]


def test_keeps_the_top_level_security_an_operation_relies_on(large: dict[str, Any]) -> None:
    result = slice_document(large, ["listResource0002"])
    assert result["security"] == [{"ApiKeyAuth": []}]
    assert list(result["components"]["securitySchemes"]) == ["ApiKeyAuth"]


def test_drops_the_top_level_security_when_operations_have_their_own(large: dict[str, Any]) -> None:
    result = slice_document(large, ["updateResource0001"])
    assert "security" not in result
    assert list(result["components"]["securitySchemes"]) == ["OAuth2", "HeaderKey"]


def test_keeps_only_the_tags_kept_operations_use(large: dict[str, Any]) -> None:
    result = slice_document(large, ["listResource0002", "getResource0011"])
    assert [tag["name"] for tag in result["tags"]] == ["Tag2", "Tag3"]
    assert "tags" not in slice_document(large, ["onResourceEvent0"])


def test_keeps_a_webhook_operation_under_webhooks(large: dict[str, Any]) -> None:
    result = slice_document(large, ["onResourceEvent1"])
    assert list(result["webhooks"]) == ["resourceEvent1"]
    assert result["paths"] == {}


def test_keeps_the_kinds_of_components_that_discriminator_mappings_name() -> None:
    spec = spec_with_schema(
        ref("schemas", "Pet"),
        schemas={
            "Pet": {
                "oneOf": [ref("schemas", "Cat")],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
                },
            },
            "Cat": {"type": "object"},
            "Dog": {"type": "object"},
            "Cow": {"type": "object"},
        },
    )
    result = slice_document(spec, ["only"])
    assert list(result["components"]["schemas"]) == ["Pet", "Cat", "Dog"]


def test_path_item_ref_is_kept_and_its_target_trimmed_to_the_kept_method() -> None:
    spec = make_spec(
        paths={"/shared": ref("pathItems", "Shared")},
        components={
            "pathItems": {
                "Shared": {
                    "summary": "Shared item",
                    "get": operation("readShared", responses={"200": ref("responses", "Ok")}),
                    "delete": operation("dropShared", responses={"204": ref("responses", "Gone")}),
                }
            },
            "responses": {"Ok": {"description": "OK"}, "Gone": {"description": "Gone"}},
        },
    )
    result = slice_document(spec, ["readShared"])
    assert result["paths"] == {"/shared": ref("pathItems", "Shared")}
    assert result["components"]["pathItems"] == {
        "Shared": {
            "summary": "Shared item",
            "get": spec["components"]["pathItems"]["Shared"]["get"],
        }
    }
    assert list(result["components"]["responses"]) == ["Ok"]


# -- references outside components -----------------------------------------------------------


def test_ref_into_a_kept_operation_is_left_as_written() -> None:
    inner = "#/paths/~1only/get/responses/200/content/application~1json/schema/properties/a"
    spec = spec_with_schema(
        {"type": "object", "properties": {"a": {"type": "string"}, "b": {"$ref": inner}}}
    )
    result = slice_document(spec, ["only"])
    schema = result["paths"]["/only"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema["properties"]["b"] == {"$ref": inner}


def test_ref_into_a_dropped_operation_is_replaced_by_a_copy_of_its_target() -> None:
    spec = spec_with_schema({"$ref": OTHER_SCHEMA})
    result = slice_document(spec, ["only"])
    schema = result["paths"]["/only"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema == {"type": "object", "properties": {"x": {"type": "integer"}}}
    assert list(result["paths"]) == ["/only"]


def test_inlined_ref_with_schema_keywords_beside_it_becomes_all_of() -> None:
    spec = spec_with_schema({"$ref": OTHER_SCHEMA, "required": ["x"]})
    result = slice_document(spec, ["only"])
    schema = result["paths"]["/only"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema == {
        "required": ["x"],
        "allOf": [{"type": "object", "properties": {"x": {"type": "integer"}}}],
    }


def test_recursive_ref_outside_the_slice_is_an_error_with_its_pointer() -> None:
    spec = spec_with_schema({"$ref": OTHER_SCHEMA})
    spec["paths"]["/other"]["post"]["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"
    ]["again"] = {"$ref": OTHER_SCHEMA}
    with pytest.raises(GeneratorError) as excinfo:
        slice_document(spec, ["only"])
    [(pointer, message)] = problems_of(excinfo)
    assert pointer == OTHER_SCHEMA.removeprefix("#") + "/properties/again"
    assert "recursive" in message
    assert "move its target to components" in message


# -- errors ---------------------------------------------------------------------------------


def test_unknown_operation_id_is_an_error_naming_the_available_ones(large: dict[str, Any]) -> None:
    with pytest.raises(GeneratorError) as excinfo:
        slice_document(large, ["listResource0002", "lisResource0002"], filename="big.yaml")
    [problem] = excinfo.value.problems
    assert problem.file == "big.yaml"
    assert "'lisResource0002'" in problem.message
    assert "did you mean listResource0002" in problem.message
    assert f"available ({len(operation_ids(large))}): createResource0000, " in problem.message
    assert len(problem.message) < 400


def test_dangling_ref_reachable_from_the_kept_operation_is_an_error_with_its_pointer() -> None:
    spec = cycle_spec()
    spec["components"]["schemas"]["B"]["properties"]["c"] = ref("schemas", "Missing")
    with pytest.raises(GeneratorError) as excinfo:
        slice_document(spec, ["getNode"])
    assert problems_of(excinfo) == [
        (
            "/components/schemas/B/properties/c",
            "$ref '#/components/schemas/Missing' points to nothing",
        )
    ]


def test_dangling_ref_the_kept_operations_do_not_reach_is_ignored() -> None:
    spec = cycle_spec()
    spec["components"]["schemas"]["C"] = ref("schemas", "Missing")
    assert list(slice_document(spec, ["getNode"])["components"]["schemas"]) == ["A", "B"]


def test_external_ref_reachable_from_the_kept_operation_is_an_error() -> None:
    spec = spec_with_schema({"$ref": "other.yaml#/Thing"})
    with pytest.raises(GeneratorError) as excinfo:
        slice_document(spec, ["only"])
    [(pointer, message)] = problems_of(excinfo)
    assert pointer == "/paths/~1only/get/responses/200/content/application~1json/schema"
    assert "external $ref" in message


def test_undefined_security_scheme_is_an_error() -> None:
    spec = spec_with_schema({"type": "string"})
    spec["paths"]["/only"]["get"]["security"] = [{"Nope": []}]
    with pytest.raises(GeneratorError) as excinfo:
        slice_document(spec, ["only"])
    assert problems_of(excinfo) == [
        (
            "/paths/~1only/get/security/0",
            "security scheme 'Nope' is not defined in /components/securitySchemes",
        )
    ]


# -- the result -----------------------------------------------------------------------------


def test_slice_validates_with_openapi_spec_validator(large: dict[str, Any]) -> None:
    validate(slice_document(large, SAMPLE))


def test_input_is_left_unchanged_and_shares_nothing_with_the_slice() -> None:
    spec = spec_with_schema({"$ref": OTHER_SCHEMA, "description": "inlined"})
    before = copy.deepcopy(spec)
    result = slice_document(spec, ["only"])
    assert spec == before
    result["paths"]["/only"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "type"
    ] = "x"
    result["info"]["title"] = "changed"
    assert spec == before


def test_keys_keep_the_source_order(large: dict[str, Any]) -> None:
    result = slice_document(large, list(reversed(SAMPLE)))
    assert list(result) == [key for key in large if key in result]
    assert list(result["paths"]) == [key for key in large["paths"] if key in result["paths"]]
    for kind, entries in result["components"].items():
        assert list(entries) == [name for name in large["components"][kind] if name in entries]


def test_output_is_the_same_bytes_every_time() -> None:
    first = render(
        slice_document(make_large_spec(n_operations=60, n_schemas=600, seed=3), SAMPLE[:4])
    )
    again = render(
        slice_document(make_large_spec(n_operations=60, n_schemas=600, seed=3), SAMPLE[:4])
    )
    assert first.encode() == again.encode()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.text(), json_values, max_size=4))
def test_yaml_and_json_output_read_back_as_the_same_data(data: dict[str, Any]) -> None:
    assert yaml.safe_load(render(data)) == data
    assert json.loads(render(data, as_json=True)) == data


# -- the acceptance case: the project's operation out of a large document -------------------------


def test_image_edit_slice_of_a_large_spec_equals_the_slice_of_the_fragment(
    small: dict[str, Any],
) -> None:
    big = embed_fragment(
        make_large_spec(n_operations=300, n_schemas=3000, seed=11),
        small,
        seed=5,
        reuse_schemas=["ErrorResponse", "Image", "ImagesUsage"],
    )
    big["info"], big["servers"] = small["info"], small["servers"]
    assert len(big["components"]["schemas"]) > 3000
    assert len(operation_ids(big)) > 300

    expected = slice_document(small, ["createImageEdit"])
    result = slice_document(big, ["createImageEdit"])
    assert result == expected
    assert list(result["components"]["schemas"]) == list(expected["components"]["schemas"])


# -- command line ---------------------------------------------------------------------------


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_cli_writes_the_yaml_slice_and_returns_0(tmp_path: Path) -> None:
    out = tmp_path / "slice.yaml"
    assert cli(["slice", str(IMAGES_EDIT), "--operation", "createImageEdit", "-o", str(out)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == slice_document(
        load_document(IMAGES_EDIT).data, ["createImageEdit"]
    )
    assert (
        load_document(out).data["paths"]["/images/edits"]["post"]["operationId"]
        == "createImageEdit"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slice.yaml"]


def test_cli_writes_json_when_the_output_ends_in_json(tmp_path: Path) -> None:
    spec = write_yaml(tmp_path / "spec.yaml", cycle_spec())
    out = tmp_path / "slice.json"
    assert cli(["slice", str(spec), "--operation", "getNode", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == slice_document(cycle_spec(), ["getNode"])


def test_cli_prints_the_slice_without_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "spec.yaml", cycle_spec())
    assert cli(["slice", str(spec), "--operation", "getNode", "--operation", "postNode"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert operation_ids(printed) == ["getNode", "postNode"]


def test_cli_returns_2_and_names_file_and_line_of_a_dangling_ref(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = cycle_spec()
    broken["components"]["schemas"]["A"]["properties"]["b"] = ref("schemas", "Missing")
    spec = write_yaml(tmp_path / "spec.yaml", broken)
    out = tmp_path / "slice.yaml"
    assert cli(["slice", str(spec), "--operation", "getNode", "-o", str(out)]) == 2
    line = next(n for n, text in enumerate(spec.read_text().splitlines(), 1) if "Missing" in text)
    assert (
        f"error: {spec}:{line}: /components/schemas/A/properties/b: $ref" in capsys.readouterr().err
    )
    assert not out.exists()


def test_cli_returns_2_for_an_unknown_operation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "slice.yaml"
    assert cli(["slice", str(IMAGES_EDIT), "--operation", "nope", "-o", str(out)]) == 2
    assert (
        "no operation has operationId 'nope'; available (1): createImageEdit"
        in capsys.readouterr().err
    )
    assert not out.exists()


def test_cli_returns_2_with_strict_when_the_slice_does_not_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = cycle_spec()
    broken["paths"]["/nodes"]["get"]["responses"]["200"]["description"] = 42
    spec = write_yaml(tmp_path / "spec.yaml", broken)
    assert cli(["slice", str(spec), "--operation", "getNode", "--strict"]) == 2
    assert "in the slice: invalid OpenAPI" in capsys.readouterr().err


def test_cli_slices_with_a_warning_located_in_the_source_when_the_slice_does_not_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = cycle_spec()
    broken["paths"]["/nodes"]["get"]["responses"]["200"]["description"] = 42
    spec = write_yaml(tmp_path / "spec.yaml", broken)
    out = tmp_path / "slice.yaml"
    assert cli(["slice", str(spec), "--operation", "getNode", "-o", str(out)]) == 0
    line = next(n for n, text in enumerate(spec.read_text().splitlines(), 1) if "42" in text)
    pointer = "/paths/~1nodes/get/responses/200/description"
    assert f"warning: {spec}:{line}: {pointer}: in the slice: invalid OpenAPI" in (
        capsys.readouterr().err
    )
    assert out.exists()


def test_warning_inside_an_inlined_copy_is_located_where_the_copy_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = spec_with_schema({"$ref": OTHER_SCHEMA})
    other = spec["paths"]["/other"]["post"]["responses"]["200"]["content"]["application/json"]
    other["schema"]["properties"]["x"]["nullable"] = True  # a 3.0 idiom: a warning in 3.1
    path = write_yaml(tmp_path / "spec.yaml", spec)
    assert cli(["slice", str(path), "--operation", "only"]) == 0
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "nullable" in text)
    source_pointer = OTHER_SCHEMA.removeprefix("#") + "/properties/x/nullable"
    assert f"warning: {path}:{line}: {source_pointer}: in the slice at /paths/~1only/" in err


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "slice.yaml"
    out.write_text("old\n", encoding="utf-8")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(GeneratorError) as excinfo:
        write_atomic(out, "new\n")
    assert "cannot write: No space left on device" in str(excinfo.value)
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["slice.yaml"]


def test_large_factory_spec_is_valid_openapi() -> None:
    validate(make_large_spec(n_operations=12, n_schemas=80, seed=2))
