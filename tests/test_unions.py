"""Unions without a discriminator: the variant is chosen from the value, never silently wrong."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from genutil import generate_package, minimal_spec, write_spec

SCHEMAS = {
    "Thing": {
        "type": "object",
        "properties": {
            "shape": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Circle"},
                    {"$ref": "#/components/schemas/Square"},
                ]
            },
            "value": {
                "anyOf": [
                    {"type": "integer"},
                    {"type": "string"},
                    {"$ref": "#/components/schemas/Circle"},
                ]
            },
        },
    },
    "Circle": {
        "type": "object",
        "required": ["radius"],
        "properties": {"radius": {"type": "number"}},
    },
    "Square": {
        "type": "object",
        "required": ["side"],
        "properties": {"side": {"type": "number"}, "label": {"type": "string"}},
    },
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder: Path = tmp_path_factory.mktemp("unions")
    return generate_package(write_spec(folder, minimal_spec(SCHEMAS)), folder / "out", "unions_pkg")


def test_the_model_whose_required_properties_are_present_is_chosen(package: ModuleType) -> None:
    thing = package.Thing.from_dict({"shape": {"side": 2}})
    assert isinstance(thing.shape, package.Square)


def test_the_first_model_wins_when_both_fit_equally(package: ModuleType) -> None:
    thing = package.Thing.from_dict({"shape": {}})
    assert isinstance(thing.shape, package.Circle)


def test_scalars_and_objects_in_one_union_are_told_apart_by_json_kind(package: ModuleType) -> None:
    assert package.Thing.from_dict({"value": 3}).value == 3
    assert package.Thing.from_dict({"value": "x"}).value == "x"
    assert isinstance(package.Thing.from_dict({"value": {"radius": 1}}).value, package.Circle)


def test_any_choice_round_trips(package: ModuleType) -> None:
    data = {"shape": {"side": 2, "label": "s", "extra": True}, "value": {"radius": 1.5}}
    assert package.Thing.from_dict(data).to_dict() == data
