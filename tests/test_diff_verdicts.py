"""``diff`` verdicts: planted changes, named unions of the same shape, removed enum values
and parameters, each judged breaking or not for a client generated from the old spec."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from genutil import ROOT, generate_package
from planted_changes import PLANTED, Expected, Planted, Spec, base_spec

from generator.pipeline import ir
from generator.pipeline.load import resolve_pointer
from generator.tools.diff import Change, diff_apis
from generator.tools.diff.changes import KINDS
from generator.tools.diff.cli import load_api
from generator.tools.diff.types import Normalizer, relation


def write(folder: Path, spec: Spec, stem: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def diff_specs(tmp_path: Path, old: Spec, change: Callable[[Spec], None]) -> list[Change]:
    new = copy.deepcopy(old)
    change(new)
    return diff_apis(load_api(write(tmp_path, old, "old")), load_api(write(tmp_path, new, "new")))


def verdicts(changes: list[Change]) -> set[Expected]:
    return {(c.kind, c.location, c.breaking) for c in changes}


def one(changes: list[Change], kind: str, location: str) -> Change:
    found = [c for c in changes if c.kind == kind and c.location == location]
    assert len(found) == 1, f"no single {kind} at {location}: {changes}"
    return found[0]


# ---------------------------------------------------------------- planted changes


def test_there_are_at_least_20_planted_changes() -> None:
    assert len(PLANTED) >= 20


def test_every_planted_change_gets_its_verdict_when_all_are_applied(tmp_path: Path) -> None:
    def plant_all(spec: Spec) -> None:
        for planted in PLANTED:
            planted.change(spec)

    expected = {e for planted in PLANTED for e in planted.expected}
    assert verdicts(diff_specs(tmp_path, base_spec(), plant_all)) == expected


@pytest.mark.parametrize("planted", PLANTED, ids=[p.name for p in PLANTED])
def test_planted_change_alone_gets_its_verdict(tmp_path: Path, planted: Planted) -> None:
    assert verdicts(diff_specs(tmp_path, base_spec(), planted.change)) == set(planted.expected)


def test_planted_changes_are_breaking_and_not_breaking_on_both_sides() -> None:
    """The set is not one-sided: each side has changes that break and changes that do not."""
    found = {(e[1].split(".")[0], e[2]) for p in PLANTED for e in p.expected}
    for owner in ("NoteCreate", "Note", "listNotes"):
        assert {(owner, True), (owner, False)} <= found


def readme_diff_table() -> list[tuple[set[str], str]]:
    """The rows of README.md's table of diff rules: (kinds, the rest of the row)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### What `diff` calls breaking", 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 2:
            rows.append((set(re.findall(r"`([a-z_]+)`", cells[0])), " | ".join(cells[1:])))
    return rows


def test_readme_table_has_a_row_for_every_kind_the_engine_reports() -> None:
    tabled = {kind for kinds, _ in readme_diff_table() for kind in kinds}
    assert tabled == KINDS


def test_readme_table_covers_every_planted_kind() -> None:
    tabled = {kind for kinds, _ in readme_diff_table() for kind in kinds}
    planted = {kind for p in PLANTED for kind, _, _ in p.expected}
    assert planted <= tabled


# ---------------------------------------------------------------- a named union of the same shape


def strings(nullable_text: bool = False) -> dict[str, Any]:
    text: dict[str, Any] = {"type": ["string", "null"] if nullable_text else "string"}
    return {"oneOf": [text, {"type": "array", "items": {"type": "string"}}]}


def stop_spec(stop: dict[str, Any], **schemas: Any) -> Spec:
    """One operation sending ``Settings`` (with ``stop``) and answering ``Echo`` (with it too)."""

    def model(field: str) -> dict[str, Any]:
        return {"type": "object", "properties": {field: copy.deepcopy(stop)}}

    return {
        "openapi": "3.1.0",
        "info": {"title": "Stops", "version": "1"},
        "paths": {
            "/complete": {
                "post": {
                    "operationId": "complete",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Settings"}
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Echo"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Settings": model("stop"), "Echo": model("stop"), **schemas}},
    }


def use_named(name: str, schema: dict[str, Any]) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        schemas = spec["components"]["schemas"]
        schemas[name] = schema
        for model in ("Settings", "Echo"):
            schemas[model]["properties"]["stop"] = {"$ref": f"#/components/schemas/{name}"}

    return change


def test_inline_union_now_a_named_union_of_the_same_shape_is_not_breaking(
    tmp_path: Path,
) -> None:
    changes = diff_specs(tmp_path, stop_spec(strings()), use_named("Stop", strings()))
    assert verdicts(changes) == {
        ("union_added", "Stop", False),
        ("type_equivalent", "Settings.stop", False),
        ("type_equivalent", "Echo.stop", False),
    }
    assert "str | list[str] -> Stop" in one(changes, "type_equivalent", "Settings.stop").message


def test_nullable_inline_union_now_a_named_union_with_a_nullable_branch_is_not_breaking(
    tmp_path: Path,
) -> None:
    """The shape of OpenAI's ``stop`` moving to ``StopConfiguration``: ``null`` allowed by
    the field before, by a branch of the named union after."""
    old = stop_spec({**strings(), "nullable": True})
    old["openapi"] = "3.0.3"
    named = strings()
    named["oneOf"][0] = {"type": "string", "nullable": True}

    def change(spec: Spec) -> None:
        use_named("StopConfiguration", named)(spec)
        for model in ("Settings", "Echo"):
            properties = spec["components"]["schemas"][model]["properties"]
            properties["stop"] = {
                "allOf": [properties["stop"]],
                "nullable": True,
            }

    changes = diff_specs(tmp_path, old, change)
    assert not [c for c in changes if c.breaking]
    assert not [c for c in changes if c.kind.startswith("nullable")]


def test_named_union_of_another_shape_is_still_a_type_change(tmp_path: Path) -> None:
    numbers = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer"}}]}
    changes = diff_specs(tmp_path, stop_spec(strings()), use_named("Stop", numbers))
    assert one(changes, "type_changed", "Settings.stop").breaking is True
    assert one(changes, "type_changed", "Echo.stop").breaking is True


def test_named_union_that_accepts_more_is_a_widening(tmp_path: Path) -> None:
    wider = strings()
    wider["oneOf"].append({"type": "integer"})
    changes = diff_specs(tmp_path, stop_spec(strings()), use_named("Stop", wider))
    found = one(changes, "type_widened", "Settings.stop")
    assert found.breaking is False  # a request: callers may pass more
    assert one(changes, "type_widened", "Echo.stop").breaking is True  # a response


def test_change_inside_a_named_union_is_reported_once_with_the_union(tmp_path: Path) -> None:
    base = stop_spec({"$ref": "#/components/schemas/Stop"}, Stop=strings())

    def change(spec: Spec) -> None:
        spec["components"]["schemas"]["Stop"]["oneOf"].append({"type": "integer"})

    (found,) = diff_specs(tmp_path, base, change)
    assert (found.kind, found.location, found.breaking) == ("type_widened", "Stop", True)


def test_recursive_named_unions_of_the_same_shape_are_equivalent() -> None:
    def tree(name: str) -> ir.UnionDef:
        branches = (ir.Primitive("str"), ir.ListOf(ir.UnionRef(name)))
        return ir.UnionDef(name, f"/{name}", ir.Doc(), branches, None, None)

    def normalized(name: str) -> Any:
        return Normalizer({}, {name: tree(name)}, {}, "request")(ir.UnionRef(name))

    assert relation(normalized("Tree"), normalized("Node")) == "equivalent"


# ---------------------------------------------------------------- removed enum values


def enums_spec() -> Spec:
    """``Ask.model`` is an open enum only requests use (a ``Literal`` alias); ``Tag.kind`` an
    open enum requests and answers use (a class with constants)."""
    open_enum = {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["old-1", "new-1"]}]}
    tag = {"$ref": "#/components/schemas/Tag"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Enums", "version": "1"},
        "paths": {
            "/ask": {
                "post": {
                    "operationId": "ask",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Ask"}}
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": tag}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Ask": {"type": "object", "properties": {"model": open_enum, "tag": tag}},
                "Tag": {"type": "object", "properties": {"kind": copy.deepcopy(open_enum)}},
            }
        },
    }


def remove_old_1(model: str, field: str) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        spec["components"]["schemas"][model]["properties"][field]["anyOf"][1]["enum"].remove(
            "old-1"
        )

    return change


def test_value_removed_from_an_open_request_only_enum_is_not_breaking(tmp_path: Path) -> None:
    (found,) = diff_specs(tmp_path, enums_spec(), remove_old_1("Ask", "model"))
    assert (found.kind, found.location, found.breaking) == (
        "enum_value_removed",
        "AskModel.OLD_1",
        False,
    )
    assert "AskModel is a Literal alias, so no constant goes away" in found.message


def test_value_removed_from_an_enum_with_constants_is_breaking(tmp_path: Path) -> None:
    (found,) = diff_specs(tmp_path, enums_spec(), remove_old_1("Tag", "kind"))
    assert (found.kind, found.location, found.breaking) == (
        "enum_value_removed",
        "TagKind.OLD_1",
        True,
    )
    assert found.sides == ("request", "response")
    assert "the constant TagKind.OLD_1 goes away" in found.message
    assert "AttributeError" in found.message


def test_the_enum_rule_matches_what_the_generated_package_names(tmp_path: Path) -> None:
    """The rule's premise: the request-only enum has no constant to lose; the other has."""
    package = generate_package(write(tmp_path, enums_spec(), "spec"), tmp_path / "out", "enums")
    assert not hasattr(package.AskModel, "OLD_1")
    assert package.TagKind.OLD_1 == "old-1"


def with_constants_renamed(api: ir.Api, enum: str) -> ir.Api:
    def rename(e: ir.Enum) -> ir.Enum:
        members = tuple(attrs.evolve(m, name=m.name + "_") for m in e.members)
        return attrs.evolve(e, members=members) if e.name == enum else e

    return attrs.evolve(api, enums=tuple(rename(e) for e in api.enums))


def test_renamed_constant_of_an_enum_class_is_breaking(tmp_path: Path) -> None:
    api = load_api(write(tmp_path, enums_spec(), "spec"))
    changes = diff_apis(api, with_constants_renamed(api, "TagKind"))
    assert verdicts(changes) == {
        ("enum_member_renamed", "TagKind.OLD_1_", True),
        ("enum_member_renamed", "TagKind.NEW_1_", True),
    }


def test_member_names_of_a_literal_alias_are_not_a_change(tmp_path: Path) -> None:
    api = load_api(write(tmp_path, enums_spec(), "spec"))
    assert diff_apis(api, with_constants_renamed(api, "AskModel")) == []


# ---------------------------------------------------------------- parameters


def parameters_spec() -> Spec:
    integer = {"type": "integer"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Params", "version": "1"},
        "paths": {
            "/items/{item_id}": {
                "parameters": [
                    {"name": "item_id", "in": "path", "required": True, "schema": integer}
                ],
                "get": {
                    "operationId": "getItem",
                    "parameters": [
                        {"name": "expand", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "limit", "in": "query", "schema": integer},
                    ],
                    "responses": {"200": {"description": "ok"}},
                },
            }
        },
    }


def test_parameter_type_change_names_the_parameter_and_points_at_it(tmp_path: Path) -> None:
    old = parameters_spec()

    def change(spec: Spec) -> None:
        spec["paths"]["/items/{item_id}"]["get"]["parameters"][1]["schema"] = {"type": "string"}

    found = one(diff_specs(tmp_path, old, change), "type_changed", "getItem.query.limit")
    assert found.breaking is True
    assert found.message.startswith("query parameter limit type int -> str")
    assert found.where == "/paths/~1items~1{item_id}/get/parameters/1"
    assert resolve_pointer(old, found.where)["name"] == "limit"


def test_path_level_parameter_change_points_at_the_path_item(tmp_path: Path) -> None:
    old = parameters_spec()

    def change(spec: Spec) -> None:
        spec["paths"]["/items/{item_id}"]["parameters"][0]["schema"] = {"type": "string"}

    found = one(diff_specs(tmp_path, old, change), "type_changed", "getItem.path.item_id")
    assert "path parameter item_id" in found.message
    assert found.where == "/paths/~1items~1{item_id}/parameters/0"
    assert resolve_pointer(old, found.where)["name"] == "item_id"


def test_removed_parameter_points_at_it_in_the_old_spec(tmp_path: Path) -> None:
    old = parameters_spec()

    def change(spec: Spec) -> None:
        del spec["paths"]["/items/{item_id}"]["get"]["parameters"][0]

    (found,) = diff_specs(tmp_path, old, change)  # the parameter after it moved up: no change
    assert (found.kind, found.location) == ("parameter_removed", "getItem.query.expand")
    assert (found.where_in, found.where) == ("old", "/paths/~1items~1{item_id}/get/parameters/0")
    assert "query parameter expand removed" in found.message


def test_parameter_without_a_pointer_points_at_its_operations_list(tmp_path: Path) -> None:
    """A package description written before parameters kept their pointer."""
    old = load_api(write(tmp_path, parameters_spec(), "old"))
    (operation,) = old.operations
    bare = tuple(attrs.evolve(p, pointer="") for p in operation.parameters)
    old = attrs.evolve(old, operations=(attrs.evolve(operation, parameters=bare),))
    new_spec = parameters_spec()
    del new_spec["paths"]["/items/{item_id}"]["get"]["parameters"][0]
    (found,) = diff_apis(old, load_api(write(tmp_path, new_spec, "new")))
    assert (found.kind, found.where) == (
        "parameter_removed",
        "/paths/~1items~1{item_id}/get/parameters",
    )
