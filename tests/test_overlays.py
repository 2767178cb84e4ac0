"""OpenAPI Overlay 1.0: patch a spec without forking it, in every command that reads specs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from regen_specs import OVERLAY, V1, v2, write_yaml

from generator.__main__ import main
from generator.errors import GeneratorError
from generator.pipeline.overlay import apply_overlays, read_overlay

PACKAGE = "pet_store"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    said = capsys.readouterr()
    return code, said.out, said.err


def overlay(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


def applied(tmp_path: Path, document: dict[str, Any], *actions: dict[str, Any]) -> dict[str, Any]:
    path = write_yaml(tmp_path / "o.yaml", overlay(*actions))
    data = copy.deepcopy(document)
    assert apply_overlays(data, [read_overlay(path)], "spec.yaml") == []
    return data


# ---------------------------------------------------------------- the actions


def test_an_update_is_merged_into_each_selected_object(tmp_path: Path) -> None:
    data = applied(tmp_path, V1, {"target": "$.paths.*.*", "update": {"x-safe": True}})
    assert data["paths"]["/pets"]["get"]["x-safe"] is True
    assert data["paths"]["/pets"]["post"]["x-safe"] is True
    assert data["paths"]["/pets"]["get"]["operationId"] == "listPets"


def test_an_update_merges_objects_recursively_and_replaces_values(tmp_path: Path) -> None:
    target = {
        "target": "$.components.schemas.Pet",
        "update": {"properties": {"id": {"type": "string"}}},
    }
    data = applied(tmp_path, V1, target)
    properties = data["components"]["schemas"]["Pet"]["properties"]
    assert properties["id"] == {"type": "string"}
    assert set(properties) == {"id", "name", "tag"}


def test_an_update_of_an_array_appends_to_it(tmp_path: Path) -> None:
    data = applied(
        tmp_path,
        V1,
        {"target": "$.components.schemas.Pet.required", "update": "tag"},
        {"target": "$.components.schemas.Pet.required", "update": ["age"]},
    )
    assert data["components"]["schemas"]["Pet"]["required"] == ["id", "name", "tag", "age"]


def test_remove_takes_out_the_selected_array_items_and_keys(tmp_path: Path) -> None:
    data = applied(
        tmp_path,
        V1,
        {"target": "$.paths['/pets'].get.parameters[?@.name == 'limit']", "remove": True},
        {"target": "$.components.schemas.Pet.properties.tag", "remove": True},
    )
    assert data["paths"]["/pets"]["get"]["parameters"] == []
    assert set(data["components"]["schemas"]["Pet"]["properties"]) == {"id", "name"}


def test_actions_apply_in_order_to_the_result_of_the_one_before(tmp_path: Path) -> None:
    data = applied(
        tmp_path,
        V1,
        {"target": "$.components.schemas.Pet.properties.tag", "remove": True},
        {"target": "$.components.schemas.Pet.properties", "update": {"tag": {"type": "integer"}}},
    )
    assert data["components"]["schemas"]["Pet"]["properties"]["tag"] == {"type": "integer"}


# ---------------------------------------------------------------- problems, located


def test_a_target_that_matches_nothing_is_a_located_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    stale = write_yaml(
        tmp_path / "stale.yaml", overlay({"target": "$.paths['/cats']", "update": {}})
    )
    code, _, err = run(capsys, "generate", spec, "-o", tmp_path / "out", "--overlay", stale)
    assert code == 0
    assert f"warning: {stale}:6: /actions/0/target: matches nothing in pets.yaml" in err


def test_strict_makes_a_target_that_matches_nothing_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    stale = write_yaml(tmp_path / "stale.yaml", overlay({"target": "$.nothing", "update": {}}))
    out = tmp_path / "out"
    code, _, err = run(capsys, "generate", spec, "-o", out, "--overlay", stale, "--strict")
    assert code == 2
    assert f"error: {stale}:6: /actions/0/target: matches nothing" in err
    assert not out.exists()


def test_a_query_that_is_not_rfc_9535_jsonpath_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    bad = write_yaml(tmp_path / "bad.yaml", overlay({"target": "$.paths[?(", "update": {}}))
    code, _, err = run(capsys, "generate", spec, "-o", tmp_path / "out", "--overlay", bad)
    assert code == 2
    assert f"error: {bad}:6: /actions/0/target: not an RFC 9535 JSONPath query" in err


def test_an_overlay_of_another_version_is_refused(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "o.yaml", {**overlay({"target": "$", "update": {}}), "overlay": "2.0.0"}
    )
    with pytest.raises(GeneratorError) as caught:
        read_overlay(path)
    assert "/overlay: unsupported Overlay version '2.0.0' (need 1.0.x)" in str(caught.value)


def test_an_update_of_a_string_is_an_error_naming_what_to_select(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "o.yaml", overlay({"target": "$.info.title", "update": "x"}))
    with pytest.raises(GeneratorError) as caught:
        apply_overlays(copy.deepcopy(V1), [read_overlay(path)], "spec.yaml")
    assert "selects $['info']['title'], a string: an update needs an object or an array" in str(
        caught.value
    )


def test_removing_a_schema_still_referenced_leaves_out_what_needs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    cut = write_yaml(
        tmp_path / "cut.yaml", overlay({"target": "$.components.schemas.Pet", "remove": True})
    )
    code, _, err = run(capsys, "generate", spec, "-o", tmp_path / "out", "--overlay", cut)
    assert code == 0
    assert "left out: $ref '#/components/schemas/Pet' points to nothing" in err
    strict = ("generate", spec, "-o", tmp_path / "out2", "--overlay", cut, "--strict")
    assert run(capsys, *strict)[0] == 2


# ---------------------------------------------------------------- every command honours them


def test_overlays_apply_before_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_data = copy.deepcopy(V1)
    spec_data["components"]["schemas"]["Pet"]["properties"]["tag"]["nullable"] = True  # 3.0 idiom
    spec = write_yaml(tmp_path / "pets.yaml", spec_data)
    out = tmp_path / "out"
    assert "nullable is not a keyword" in run(capsys, "generate", spec, "-o", out)[2]
    fix = write_yaml(
        tmp_path / "fix.yaml",
        overlay(
            {"target": "$.components.schemas.Pet.properties.tag.nullable", "remove": True},
            {
                "target": "$.components.schemas.Pet.properties.tag",
                "update": {"type": ["string", "null"]},
            },
        ),
    )
    code, _, err = run(capsys, "generate", spec, "-o", out, "--overlay", fix)
    assert code == 0
    assert "nullable" not in err


def test_repeated_overlays_apply_in_the_order_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    first = write_yaml(
        tmp_path / "1.yaml", overlay({"target": "$.info", "update": {"title": "First"}})
    )
    second = write_yaml(
        tmp_path / "2.yaml", overlay({"target": "$.info", "update": {"title": "Second"}})
    )
    out = tmp_path / "out"
    argv = [
        "generate",
        spec,
        "-o",
        out,
        "--package-name",
        "p",
        "--overlay",
        first,
        "--overlay",
        second,
    ]
    assert run(capsys, *argv)[0] == 0
    assert "Asynchronous client of Second." in (out / "p" / "client.py").read_text(encoding="utf-8")


def test_the_client_config_lists_overlays_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    write_yaml(tmp_path / "patches" / "fix-limit.yaml", OVERLAY)
    write_yaml(tmp_path / "pets.client.yaml", {"overlays": ["patches/fix-limit.yaml"]})
    out = tmp_path / "out"
    assert run(capsys, "generate", spec, "-o", out)[0] == 0
    resource = (out / PACKAGE / "resources" / "pets.py").read_text(encoding="utf-8")
    assert "limit: int | Unset = UNSET" in resource
    record = json.loads((out / ".openapi-images-generator" / "manifest.json").read_text())
    assert [(o["path"], o["origin"]) for o in record["overlays"]] == [
        ("../patches/fix-limit.yaml", "config")
    ]


def test_a_missing_overlay_in_the_config_is_located_in_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    config = write_yaml(tmp_path / "pets.client.yaml", {"overlays": ["gone.yaml"]})
    code, _, err = run(capsys, "generate", spec, "-o", tmp_path / "out")
    assert code == 2
    assert f"error: {config}:2: /overlays/0: overlay file" in err and "does not exist" in err


def test_check_applies_the_recorded_overlays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    fix = write_yaml(tmp_path / "fix.yaml", OVERLAY)
    out = tmp_path / "out"
    assert run(capsys, "generate", spec, "-o", out, "--overlay", fix)[0] == 0
    assert run(capsys, "check", out)[0] == 0
    changed = copy.deepcopy(OVERLAY)
    changed["actions"][0]["update"]["schema"]["maximum"] = 50
    write_yaml(fix, changed)
    code, _, err = run(capsys, "check", out)
    assert code == 1
    assert "the overlays changed" in err


def test_slice_applies_overlays_before_cutting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    fix = write_yaml(tmp_path / "fix.yaml", OVERLAY)
    code, out, _ = run(capsys, "slice", spec, "--operation", "listPets", "--overlay", fix)
    assert code == 0
    sliced = yaml.safe_load(out)
    assert sliced["paths"]["/pets"]["get"]["parameters"][0]["schema"] == {
        "type": "integer",
        "maximum": 100,
    }


def test_diff_applies_overlays_to_spec_sides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write_yaml(tmp_path / "v1.yaml", V1)
    new = write_yaml(tmp_path / "v2.yaml", v2())
    fix = write_yaml(tmp_path / "fix.yaml", OVERLAY)
    code, out, _ = run(capsys, "diff", old, new, "--overlay", fix, "--format", "json")
    assert code == 0
    assert [c["location"] for c in json.loads(out)["changes"]] == ["Pet.age"]


def test_the_changelog_lists_what_an_overlay_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    fix = write_yaml(tmp_path / "fix.yaml", OVERLAY)
    out, changes = tmp_path / "out", tmp_path / "CHANGES.md"
    assert run(capsys, "generate", spec, "-o", out)[0] == 0
    assert run(capsys, "generate", out, "--overlay", fix, "--changelog", changes)[0] == 0
    assert "`listPets.query.limit` (type changed)" in changes.read_text(encoding="utf-8")
