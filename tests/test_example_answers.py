"""Answers whose spec example breaks its own schema (``tests/specs/examples-3.1.yaml``): a
lenient client returns the typed answer, the fields that do not fit their types read as
``UNSET`` and keep the value received; a strict client refuses it, naming the field."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from genutil import ROOT, Wire, generate_package

SPEC = ROOT / "tests" / "specs" / "examples-3.1.yaml"


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generate_package(SPEC, tmp_path_factory.mktemp("examples") / "out", "apps")


def spec_example() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    example: dict[str, Any] = spec["paths"]["/apps"]["post"]["responses"]["201"]["content"][
        "application/json"
    ]["example"]
    return example


def test_a_lenient_client_returns_the_answer_with_the_misfit_fields_unset(
    apps: ModuleType,
) -> None:
    wire = Wire(apps, httpx.Response(201, json=spec_example()))
    app = wire.client.apps.create_app(name="x")
    assert app.id == "app_1"
    assert app.audience is apps.UNSET
    assert app.setting.key == "env"
    assert app.setting.default_value is apps.UNSET


def test_the_misfit_values_are_kept_as_received(apps: ModuleType) -> None:
    wire = Wire(apps, httpx.Response(201, json=spec_example()))
    app = wire.client.apps.create_app(name="x")
    assert app.additional_properties == {"audience": "https://api.example.test"}
    assert app.setting.additional_properties == {"default_value": "staging"}
    assert app.to_dict() == spec_example()


def test_a_strict_client_refuses_the_answer_naming_the_field(apps: ModuleType) -> None:
    wire = Wire(apps, httpx.Response(201, json=spec_example()))
    with pytest.raises(apps.APIResponseValidationError, match="audience"):
        wire.client.with_options(strict=True).apps.create_app(name="x")


def test_fields_that_fit_are_typed_as_before(apps: ModuleType) -> None:
    answer = {"id": "a", "audience": ["x"], "setting": {"default_value": {"k": "v"}}}
    wire = Wire(apps, httpx.Response(201, json=answer))
    app = wire.client.apps.create_app(name="x")
    assert (app.audience, app.setting.default_value) == (["x"], {"k": "v"})
    assert app.additional_properties == {}
