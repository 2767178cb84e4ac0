"""Recoverable errors are not fatal (``tests/specs/recoverable-3.1.yaml``): what depends on a
dangling ``$ref`` or a null component map is left out and counted, the rest is generated;
``--strict`` refuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from genutil import ROOT, Wire, import_fresh

from generator.errors import GeneratorError
from generator.pipeline import Generated, generate
from generator.pipeline.write import write_atomically

SPEC = ROOT / "tests" / "specs" / "recoverable-3.1.yaml"


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate(SPEC, package_name="recov")


@pytest.fixture(scope="module")
def recov(tmp_path_factory: pytest.TempPathFactory, generated: Generated) -> ModuleType:
    folder = tmp_path_factory.mktemp("recoverable") / "out"
    write_atomically(folder, generated.files)
    return import_fresh(folder, "recov")


def left_out(generated: Generated) -> dict[str, str]:
    return {w.pointer: w.message for w in generated.warnings if w.message.startswith("left out:")}


def test_operations_that_need_a_broken_part_are_left_out_and_counted(generated: Generated) -> None:
    assert (generated.operations, generated.total) == (2, 4)
    assert generated.summary() == "generated 2 of 4 operations (6 parts left out, see the warnings)"


def test_each_dangling_ref_is_one_warning_at_it(generated: Generated) -> None:
    found = left_out(generated)
    assert found["/paths/~1b/get/parameters/0"] == (
        "left out: $ref '#/components/parameters/Nope' points to nothing"
    )
    assert found["/paths/~1c/post/requestBody"] == (
        "left out: $ref '#/components/requestBodies/Nope' points to nothing"
    )
    assert "/paths/~1e" in found
    assert len(found) == 6


def test_an_operation_whose_answer_schema_dangles_returns_the_json_as_is(
    recov: ModuleType,
) -> None:
    wire = Wire(recov, httpx.Response(200, json={"any": [1]}))
    assert wire.client.default.get_a() == {"any": [1]}


def test_a_field_whose_schema_dangles_takes_any_value_and_the_rest_is_typed(
    recov: ModuleType,
) -> None:
    wire = Wire(recov, httpx.Response(200, json={"a": "x", "b": {"free": True}}))
    fine = wire.client.default.get_d()
    assert (fine.a, fine.b) == ("x", {"free": True})


def test_a_null_component_map_is_a_warning(generated: Generated) -> None:
    found = {w.pointer: w.message for w in generated.warnings}
    assert found["/components/parameters"] == "invalid OpenAPI: None is not of type 'object'"


def test_strict_refuses_a_dangling_ref() -> None:
    with pytest.raises(GeneratorError) as caught:
        generate(SPEC, package_name="recov", strict=True)
    messages = [p.message for p in caught.value.errors]
    assert "left out: $ref '#/components/schemas/Missing' points to nothing" in messages


def test_the_command_line_exits_0_and_prints_the_summary(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", SPEC, "-o", tmp_path / "out"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "generated 2 of 4 operations (6 parts left out, see the warnings)" in done.stdout
