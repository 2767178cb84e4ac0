"""Unions without a discriminator: the variant is chosen from the value, never silently wrong."""

from __future__ import annotations

import subprocess
import sys
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


HOSTILE_PROPERTY = 'ty"""pe\\'
DISCRIMINATED = {
    "Thing": {
        "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
        "discriminator": {"propertyName": HOSTILE_PROPERTY},
    },
    "A": {"type": "object", "properties": {HOSTILE_PROPERTY: {"const": 'a"""'}}},
    "B": {"type": "object", "properties": {HOSTILE_PROPERTY: {"enum": ["b'\n"]}}},
}


@pytest.fixture(scope="module")
def discriminated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    folder: Path = tmp_path_factory.mktemp("discriminated")
    out = folder / "out"
    spec = write_spec(folder, minimal_spec(DISCRIMINATED))
    return generate_package(spec, out, "discriminated_pkg"), out


def test_a_union_answer_with_a_hostile_discriminator_is_type_clean(
    discriminated: tuple[ModuleType, Path],
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "discriminated_pkg"],
        cwd=discriminated[1],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout


def test_the_hostile_discriminator_value_chooses_the_class(
    discriminated: tuple[ModuleType, Path],
) -> None:
    package = discriminated[0]
    assert isinstance(package.parse_thing({HOSTILE_PROPERTY: 'a"""'}), package.A)
    assert isinstance(package.parse_thing({HOSTILE_PROPERTY: "b'\n"}), package.B)
    unknown = package.parse_thing({HOSTILE_PROPERTY: "c"})
    assert isinstance(unknown, package.UnknownEvent) and unknown.type == "c"
