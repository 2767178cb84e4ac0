"""Specs no generator can map get a located message: a schema that includes itself (a pure
``$ref`` cycle, or one through ``allOf``) is an error naming every pointer on the cycle, and
prose longer than the limit is cut with a warning naming the limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import GeneratorError
from generator.pipeline.load import load_document
from generator.pipeline.prose import MAX_PROSE

ROOT = Path(__file__).resolve().parent.parent

HEADER = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /x:
    get:
      operationId: getX
      description: DESCRIPTION
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
"""


def write(tmp_path: Path, schemas: str, description: str = "Get x.") -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(HEADER.replace("DESCRIPTION", description) + schemas, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(GeneratorError) as caught:
        load_document(path)
    (problem,) = caught.value.problems
    return str(problem)


def test_a_pure_ref_cycle_is_an_error_naming_its_pointers(tmp_path: Path) -> None:
    spec = write(tmp_path, "    A: {$ref: '#/components/schemas/B'}\n"
                           "    B: {$ref: '#/components/schemas/A'}\n")  # fmt: skip
    assert load_error(spec) == (
        f"{spec}:16: /components/schemas/A: $ref cycle that never reaches a schema: "
        "/components/schemas/A -> /components/schemas/B -> /components/schemas/A"
    )


def test_a_schema_referring_to_itself_is_an_error(tmp_path: Path) -> None:
    spec = write(tmp_path, "    A: {$ref: '#/components/schemas/A'}\n")
    assert "/components/schemas/A -> /components/schemas/A" in load_error(spec)


def test_a_cycle_through_all_of_is_an_error_naming_its_pointers(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "    A:\n      allOf: [{$ref: '#/components/schemas/B'}, {type: object}]\n"
        "    B:\n      allOf: [{$ref: '#/components/schemas/A'}]\n",
    )
    assert load_error(spec).endswith(
        "a schema that includes itself through allOf: /components/schemas/A -> "
        "/components/schemas/A/allOf/0 -> /components/schemas/B -> "
        "/components/schemas/B/allOf/0 -> /components/schemas/A"
    )


def test_a_cycle_hidden_behind_a_yaml_alias_is_found(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "    A: &a\n      allOf: [{$ref: '#/components/schemas/B'}]\n"
        "    B:\n      allOf: [{$ref: '#/components/schemas/C'}]\n"
        "    C: *a\n",
    )
    assert "includes itself through allOf" in load_error(spec)


def test_recursion_through_properties_is_no_cycle(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "    A:\n      allOf:\n        - {$ref: '#/components/schemas/B'}\n"
        "        - {type: object, properties: {child: {$ref: '#/components/schemas/A'}}}\n"
        "    B: {type: object, properties: {name: {type: string}}}\n",
    )
    assert not [w for w in load_document(spec).warnings if "cycle" in w.message]


def test_the_generate_command_exits_2_on_an_all_of_cycle(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "    A:\n      allOf: [{$ref: '#/components/schemas/B'}]\n"
        "    B:\n      allOf: [{$ref: '#/components/schemas/A'}]\n",
    )
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", spec, "-o", tmp_path / "out",
         "--package-name", "p"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "includes itself through allOf" in done.stderr
    assert "RecursionError" not in done.stderr and "recursion" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_description_over_the_limit_is_cut_with_a_warning_naming_the_limit(
    tmp_path: Path,
) -> None:
    spec = write(tmp_path, "    A: {type: string}\n", description="y" * (MAX_PROSE + 10))
    document = load_document(spec)
    assert document.data["paths"]["/x"]["get"]["description"] == "y" * MAX_PROSE
    (warning,) = [w for w in document.warnings if "cut" in w.message]
    assert (warning.pointer, warning.line) == ("/paths/~1x/get/description", 7)
    assert f"{MAX_PROSE + 10:,} characters cut to its first {MAX_PROSE:,}" in warning.message
    assert "the limit on one description, summary or title" in warning.message


def test_a_long_default_or_example_is_data_and_never_cut(tmp_path: Path) -> None:
    long = "z" * (MAX_PROSE + 1)
    spec = write(
        tmp_path, f"    A: {{type: object, default: {{description: {long}}}, example: {long}}}\n"
    )
    schema = load_document(spec).data["components"]["schemas"]["A"]
    assert schema["default"]["description"] == long and schema["example"] == long
