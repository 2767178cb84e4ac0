"""Shared enums (one type for one set of values under one name of property) and ``diff``:
a change elsewhere in the spec renames no enum, so ``diff`` reports no false breaking
change."""

from __future__ import annotations

import copy
from typing import Any

from genutil import build_ir, minimal_spec

from generator.tools.diff import Change, diff_apis

SIZE = {"type": "string", "enum": ["auto", "1024x1024", "1536x1024"]}


def spec(**models: dict[str, Any]) -> dict[str, Any]:
    """A spec whose answer ``Thing`` holds an answer and an event with the same ``size``
    enum inline, and the other ``models``."""
    schemas: dict[str, Any] = {
        "Answer": {"type": "object", "properties": {"size": copy.deepcopy(SIZE)}},
        "Event": {"type": "object", "properties": {"size": copy.deepcopy(SIZE)}},
        **models,
    }
    refs = {name.lower(): {"$ref": f"#/components/schemas/{name}"} for name in schemas}
    return minimal_spec({"Thing": {"type": "object", "properties": refs}, **schemas})


def enum_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = diff_apis(build_ir(old), build_ir(new))
    return [c for c in changes if c.kind.startswith("enum_") or c.kind.startswith("type_")]


def test_a_model_added_elsewhere_renames_no_shared_enum() -> None:
    other = {"type": "object", "properties": {"status": {"type": "string", "enum": ["a", "b"]}}}
    changes = diff_apis(build_ir(spec()), build_ir(spec(Job=other)))
    assert [c.kind for c in changes if c.breaking] == []
    assert [c.kind for c in changes if c.kind == "enum_added"] == ["enum_added"]


def test_one_more_property_of_that_name_and_values_keeps_the_shared_name() -> None:
    more = {"type": "object", "properties": {"size": copy.deepcopy(SIZE)}}
    old, new = build_ir(spec()), build_ir(spec(Preview=more))
    assert [e.name for e in old.enums] == [e.name for e in new.enums] == ["EventSize"]
    assert [c for c in diff_apis(old, new) if c.breaking] == []


def test_a_second_place_with_the_values_of_an_enum_keeps_its_name() -> None:
    old = minimal_spec({"Thing": {"type": "object", "properties": {"size": copy.deepcopy(SIZE)}}})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["ThingPreview"] = {
        "type": "object", "properties": {"size": copy.deepcopy(SIZE)}
    }  # fmt: skip
    new["components"]["schemas"]["Thing"]["properties"]["preview"] = {
        "$ref": "#/components/schemas/ThingPreview"
    }
    assert [e.name for e in build_ir(new).enums] == ["ThingSize"]
    assert [c.kind for c in diff_apis(build_ir(old), build_ir(new)) if c.breaking] == []


def test_a_description_changed_elsewhere_changes_no_enum() -> None:
    new = spec()
    new["components"]["schemas"]["Event"]["description"] = "An event of the stream."
    assert enum_changes(spec(), new) == []
