"""The fast check (jsonschema-rs) never says yes where jsonschema says no: on instances
drawn from the schemas of several specs, valid and not, its yes always agrees with
jsonschema's findings; and a NaN or an infinity never reaches it."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from conform_support import ROOT, SPEC
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pipeline.load import iter_schema_objects, load_document
from generator.tools.conform.fastcheck import parse_json
from generator.tools.conform.schemas import DISCRIMINATOR, SchemaSet, _fragment

pytest.importorskip("jsonschema_rs", reason="the fast check needs jsonschema-rs")

KEYWORDS: dict[str, Any] = {
    "Pet": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"},
                  {"$ref": "#/components/schemas/Bird"}],
        "discriminator": {"propertyName": "kind",
                          "mapping": {"cat": "#/components/schemas/Cat",
                                      "dog": "#/components/schemas/Dog"}},
    },
    "Cat": {"type": "object", "required": ["kind", "lives"],
            "properties": {"kind": {"type": "string"},
                           "lives": {"type": "integer", "minimum": 0, "maximum": 9},
                           "weight": {"type": "number", "multipleOf": 0.1,
                                      "exclusiveMinimum": 0}}},
    "Dog": {"type": "object", "required": ["kind"], "additionalProperties": False,
            "properties": {"kind": {"type": "string"},
                           "tag": {"type": "string", "pattern": "^[0-9]+$", "maxLength": 4},
                           "tricks": {"type": "array", "uniqueItems": True, "maxItems": 3,
                                      "items": {"type": "string", "enum": ["sit", "roll"]}}}},
    "Bird": {"type": "object", "required": ["kind"],
             "properties": {"kind": {"type": "string"}, "song": {"type": "string",
                                                                 "nullable": True},
                            "color": {"type": "string", "enum": ["red", "blue"],
                                      "nullable": True}}},
    "Owner": {"type": "object", "required": ["name"],
              "properties": {"name": {"type": "string", "minLength": 1},
                             "pets": {"type": "array",
                                      "items": {"$ref": "#/components/schemas/Pet"}},
                             "score": {"type": "number", "multipleOf": 0.01},
                             "id": {"type": "integer", "multipleOf": 3},
                             "note": {"allOf": [{"type": "string"}, {"maxLength": 5}]},
                             "either": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]}}},
}  # fmt: skip


def keyword_spec(tmp: Path, version: str) -> Path:
    document = {
        "openapi": version,
        "info": {"title": "Keywords", "version": "1"},
        "paths": {},
        "components": {"schemas": KEYWORDS},
    }
    path = tmp / f"keywords-{version}.json"
    path.write_text(json.dumps(document))
    return path


@pytest.fixture(scope="module")
def schema_sets(tmp_path_factory: pytest.TempPathFactory) -> list[SchemaSet]:
    tmp = tmp_path_factory.mktemp("fastcheck")
    paths = [SPEC, *sorted((ROOT / "tests" / "specs").glob("*.yaml"))]
    paths += [keyword_spec(tmp, "3.0.3"), keyword_spec(tmp, "3.1.0")]
    sets = [SchemaSet(load_document(str(path))) for path in paths]
    assert all(s.fast.available for s in sets)
    return sets


scalars = (
    st.none() | st.booleans() | st.integers(-20, 20) | st.floats(-20, 20, allow_nan=False)
    | st.sampled_from(["", "7", "123", "12345", "cat", "dog", "bird", "sit", "red", "x1"])
)  # fmt: skip
any_json = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                          max_size=3),
    max_leaves=8,
)  # fmt: skip


def instance(draw: Any, schemas: SchemaSet, schema: Any, depth: int = 0) -> Any:
    """A value shaped by ``schema`` most of the time, and anything now and then."""
    schema = schemas.deref(schema)
    if depth > 4 or not isinstance(schema, dict) or draw(st.integers(0, 7)) == 0:
        return draw(any_json)
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return instance(draw, schemas, draw(st.sampled_from(schema[key])), depth + 1)
    spec = schema.get(DISCRIMINATOR)
    if isinstance(spec, dict):
        value = instance(draw, schemas, draw(st.sampled_from(spec["branches"])), depth + 1)
        if isinstance(value, dict) and draw(st.booleans()):
            tags = [*spec["cases"], "unknown"]
            value[spec["propertyName"]] = draw(st.sampled_from(tags))
        return value
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return draw(st.sampled_from(schema["enum"]))
    if isinstance(schema.get("allOf"), list) and schema["allOf"]:
        merged: Any = None
        for member in schema["allOf"]:
            part = instance(draw, schemas, member, depth + 1)
            merged = (
                {**merged, **part} if isinstance(merged, dict) and isinstance(part, dict) else part
            )
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = draw(st.sampled_from(kind)) if kind else None
    if kind == "object" or isinstance(schema.get("properties"), dict):
        properties = schema.get("properties") or {}
        names = (
            draw(st.lists(st.sampled_from(sorted(properties)), unique=True)) if properties else []
        )
        required = [n for n in schema.get("required", []) if isinstance(n, str)]
        out = {
            n: instance(draw, schemas, properties.get(n, {}), depth + 1)
            for n in {*names, *required}
            if draw(st.integers(0, 9))
        }
        if draw(st.integers(0, 5)) == 0:
            out["extra"] = draw(scalars)
        return out
    if kind == "array":
        return [
            instance(draw, schemas, schema.get("items", {}), depth + 1)
            for _ in range(draw(st.integers(0, 3)))
        ]
    if kind == "integer":
        return draw(st.integers(-3, 30) | st.sampled_from([2**70, -(2**70), 0.0, 3.0, 1.5]))
    if kind == "number":
        return draw(st.floats(-2, 30, allow_nan=False) | st.sampled_from([0.3, 0.7, 1e300, 0]))
    if kind == "string":
        return draw(st.sampled_from(["", "1", "1234", "12345", "abc", "٣", "x" * 300]))
    if kind == "boolean":
        return draw(st.booleans())
    return draw(any_json)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_fast_yes_is_always_jsonschemas_yes(
    data: st.DataObject, schema_sets: list[SchemaSet]
) -> None:
    schemas = data.draw(st.sampled_from(schema_sets))
    pointers = [pointer for pointer, _ in iter_schema_objects(schemas.document.data)]
    pointer = data.draw(st.sampled_from(pointers))
    value = instance(data.draw, schemas, schemas.at(pointer))
    value, finite = parse_json(json.dumps(value))  # as an exchange's body arrives
    issues = schemas.issues(pointer, value)  # jsonschema alone
    if finite and schemas.fast.conforms(_fragment(pointer), value):
        assert issues == [], (pointer, value)


def test_both_verdicts_are_drawn(schema_sets: list[SchemaSet]) -> None:
    """The property above sees conforming and non-conforming instances alike."""
    owner = schema_sets[-1]  # the 3.1 keyword spec
    pointer = "/components/schemas/Owner"
    good = {"name": "a", "pets": [{"kind": "cat", "lives": 3}, {"kind": "dog", "tag": "12"}]}
    bad = {"name": "a", "pets": [{"kind": "dog", "tag": "12a"}]}
    assert owner.fast.conforms(_fragment(pointer), good) and not owner.issues(pointer, good)
    assert not owner.fast.conforms(_fragment(pointer), bad) and owner.issues(pointer, bad)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e999", "[1, -1e400]"])
def test_nan_and_infinity_are_never_given_to_the_fast_check(text: str) -> None:
    value, finite = parse_json(text)
    assert not finite
    assert json.dumps(value) == json.dumps(json.loads(text))


def test_finite_numbers_are_read_as_json_reads_them() -> None:
    value, finite = parse_json('{"a": [1, 2.5, -0.0, 1e308, 12345678901234567890]}')
    assert finite and value == json.loads('{"a": [1, 2.5, -0.0, 1e308, 12345678901234567890]}')
    assert math.copysign(1, value["a"][2]) == -1


def test_a_float_multiple_of_follows_jsonschema_rounding(schema_sets: list[SchemaSet]) -> None:
    schemas = schema_sets[-1]
    pointer = "/components/schemas/Owner"
    instance = {"name": "a", "score": 0.07}  # 0.07 / 0.01 is 7.000000000000001 in floats
    fast_yes = schemas.fast.conforms(_fragment(pointer), instance)
    assert fast_yes == (schemas.issues(pointer, instance) == [])


@pytest.mark.parametrize(
    "keyword",
    [
        {"patternProperties": {"^x-": {"type": "string"}}},
        {"unevaluatedProperties": False},
    ],
    ids=["patternProperties", "unevaluatedProperties"],
)
def test_a_document_with_keywords_the_fast_check_could_read_otherwise_gets_none(
    tmp_path: Path, keyword: dict[str, Any]
) -> None:
    schemas = {"Thing": {"type": "object", "properties": {"a": {"type": "string"}}, **keyword}}
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": schemas}}  # fmt: skip
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document))
    schema_set = SchemaSet(load_document(str(path)))
    assert not schema_set.fast.available
    assert schema_set.issues("/components/schemas/Thing", {"a": 1}, finite=True)  # jsonschema


def test_a_schema_whose_ref_points_to_nothing_is_an_issue_not_a_crash() -> None:
    sets = SchemaSet(load_document(str(ROOT / "tests" / "specs" / "recoverable-3.1.yaml")))
    pointer = "/paths/~1a/get/responses/200/content/application~1json/schema"
    (issue,) = sets.issues(pointer, {"anything": 1})
    assert issue.rule == "$ref" and "points to nothing" in issue.message
