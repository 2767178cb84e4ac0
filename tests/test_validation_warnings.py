"""Validation informs instead of blocking: findings are located warnings, ``--strict`` blocks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import GeneratorError
from generator.pipeline import generate
from generator.pipeline.load import load_document, read_document
from generator.pipeline.validate import ParallelValidation, validate_document

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "images-edit.yaml"
OPENAI = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"
needs_openai = pytest.mark.skipif(
    not OPENAI.exists(), reason="needs the full OpenAI spec in ../shared/reference"
)

BASE = """\
openapi: 3.1.0
info:
  title: Test API
  version: 1.0.0
paths:
  /things/{id}:
    post:
      operationId: createThing
      parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        a: {type: string}
"""
PROPERTY = "/components/schemas/Thing/properties/a"
PROPERTY_LINE = BASE.splitlines().index("        a: {type: string}") + 1


def run_cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def write(folder: Path, text: str, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def with_property(schema: str) -> str:
    return BASE.replace("        a: {type: string}", f"        a: {schema}")


def warnings_of(folder: Path, text: str) -> list[tuple[str, int | None, str]]:
    """(pointer, line, message) of each warning loading ``text`` gives."""
    document = load_document(write(folder, text))
    assert all(w.severity == "warning" for w in document.warnings)
    return [(w.pointer, w.line, w.message) for w in document.warnings]


# ---------------------------------------------------------------- evident meanings: warnings


@pytest.mark.parametrize(
    ("schema", "keyword", "words"),
    [
        ("{type: number, minimum: 0, exclusiveMinimum: true}", "exclusiveMinimum", "3.0 idiom"),
        ("{type: string, nullable: true}", "nullable", "3.0 idiom"),
        ("{type: object, required: [x, y, x]}", "required", "duplicate entries in required: 'x'"),
        ("{type: object, $recursiveAnchor: true}", "$recursiveAnchor", "2019-09"),
        ("{type: string, default: 3}", "default", "does not match its schema"),
        ("{type: 42}", "type", "invalid schema: type must be"),
        ("{type: array, items: [{type: string}]}", "items", "prefixItems"),
    ],
    ids=["exclusive-minimum-true", "nullable", "duplicate-required", "recursive-anchor",
         "default-mismatch", "type-number", "items-list"],
)  # fmt: skip
def test_a_schema_finding_is_one_warning_at_its_keyword(
    tmp_path: Path, schema: str, keyword: str, words: str
) -> None:
    [(pointer, line, message)] = warnings_of(tmp_path, with_property(schema))
    assert pointer == f"{PROPERTY}/{keyword}"
    assert line == PROPERTY_LINE
    assert words in message


def test_30_idioms_of_31_in_a_30_document_are_warnings(tmp_path: Path) -> None:
    text = with_property("{type: [string, 'null'], const: x}").replace("3.1.0", "3.0.3")
    found = warnings_of(tmp_path, text)
    assert [(p, m.split(":")[0]) for p, _, m in found] == [
        (f"{PROPERTY}/type", "3.1 idiom in an OpenAPI 3.0 document"),
        (f"{PROPERTY}/const", "const is not a schema keyword in OpenAPI 3.0 (it is JSON Schema "
                              "2020-12, allowed since OpenAPI 3.1); it is ignored"),
    ]  # fmt: skip


def test_a_structure_finding_is_a_warning_at_its_object(tmp_path: Path) -> None:
    text = BASE.replace("      responses:", "      responsez:")
    [(pointer, line, message)] = warnings_of(tmp_path, text)
    assert pointer == "/paths/~1things~1{id}/post"
    assert line == BASE.splitlines().index("    post:") + 2
    assert "'responsez' was unexpected" in message


def test_semantic_findings_are_warnings(tmp_path: Path) -> None:
    text = BASE.replace(
        "      - {name: id, in: path, required: true, schema: {type: string}}\n",
        "      - {name: id, in: path, required: true, schema: {type: string}}\n"
        "      - {name: id, in: path, required: true, schema: {type: string}}\n"
        "      - {name: other, in: path, required: true, schema: {type: string}}\n",
    )
    text = text.replace(
        "components:\n", "  /again:\n    get:\n      operationId: createThing\ncomponents:\n"
    )
    messages = [m for _, _, m in warnings_of(tmp_path, text)]
    first = "/paths/~1things~1{id}/post/parameters/0"
    assert f"parameter 'id' in path is listed twice (also at {first})" in messages
    assert "path parameter 'other' does not appear in '/things/{id}'" in messages
    assert "operationId 'createThing' is not unique: also at /paths/~1things~1{id}/post" in messages


def test_a_path_parameter_that_is_not_declared_is_a_warning(tmp_path: Path) -> None:
    text = BASE.replace(
        "      parameters:\n      - {name: id, in: path, required: true, schema: {type: string}}\n",
        "",
    )
    [(pointer, _, message)] = warnings_of(tmp_path, text)
    assert pointer == "/paths/~1things~1{id}/post"
    assert message == "path parameter 'id' of '/things/{id}' is not declared for post"


def test_a_valid_spec_has_no_warnings(tmp_path: Path) -> None:
    assert warnings_of(tmp_path, BASE) == []


# ---------------------------------------------------------------- the command line


def test_generation_goes_on_and_prints_each_warning_located(tmp_path: Path) -> None:
    spec = write(tmp_path, with_property("{type: number, exclusiveMinimum: true}"))
    done = run_cli("generate", spec, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    expected = f"warning: {spec}:{PROPERTY_LINE}: {PROPERTY}/exclusiveMinimum: 3.0 idiom"
    assert done.stderr.startswith(expected), done.stderr
    assert (tmp_path / "out" / "pyproject.toml").exists()


def test_strict_makes_every_warning_an_error_and_writes_nothing(tmp_path: Path) -> None:
    spec = write(tmp_path, with_property("{type: string, nullable: true}"))
    out = tmp_path / "out"
    done = run_cli("generate", spec, "-o", out, "--strict")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {spec}:{PROPERTY_LINE}: {PROPERTY}/nullable: ")
    assert "warning:" not in done.stderr
    assert not out.exists()


def test_check_prints_warnings_and_fails_on_them_with_strict(tmp_path: Path) -> None:
    spec = write(tmp_path, with_property("{type: string, nullable: true}"))
    out = tmp_path / "out"
    assert run_cli("generate", spec, "-o", out).returncode == 0
    done = run_cli("check", spec, "-o", out)
    assert done.returncode == 0 and f"warning: {spec}:{PROPERTY_LINE}:" in done.stderr
    assert run_cli("check", spec, "-o", out, "--strict").returncode == 2


def test_errors_are_printed_after_the_warnings_that_explain_them(tmp_path: Path) -> None:
    text = with_property("{type: string, nullable: true}").replace(
        "#/components/schemas/Thing", "#/components/schemas/Nope"
    )
    done = run_cli("generate", write(tmp_path, text), "-o", tmp_path / "out", "--strict")
    assert done.returncode == 2
    assert {line.split(":")[0] for line in done.stderr.splitlines()} == {"error"}
    assert "points to nothing" in done.stderr


def test_a_dangling_ref_is_a_warning_and_what_needs_it_is_left_out(tmp_path: Path) -> None:
    text = with_property("{$ref: '#/components/schemas/Nope'}")
    done = run_cli("generate", write(tmp_path, text), "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "warning: " in done.stderr
    assert "left out: $ref '#/components/schemas/Nope' points to nothing" in done.stderr


def test_a_relative_spec_path_works_from_any_working_directory(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    shutil.copy(SPEC, folder / SPEC.name)
    shutil.copy(SPEC.with_name("images-edit.client.yaml"), folder / "images-edit.client.yaml")
    done = run_cli("generate", f"specs/{SPEC.name}", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "openai_images").is_dir()


# ---------------------------------------------------------------- the document is unusable


@pytest.mark.parametrize(
    ("text", "pointer", "words"),
    [
        (BASE.replace("openapi: 3.1.0\n", ""), "", "no 'openapi' field"),
        (BASE.replace("info:\n  title: Test API\n  version: 1.0.0\n", ""), "", "no 'info'"),
        (BASE.replace("info:\n  title: Test API\n  version: 1.0.0\n", "info: [x]\n"), "/info",
         "'info' must be a mapping"),
        (BASE.replace("3.1.0", "3.9.0"), "/openapi", "unsupported OpenAPI version '3.9.0'"),
    ],
    ids=["no-openapi", "no-info", "info-not-a-mapping", "version"],
)  # fmt: skip
def test_an_unusable_document_is_a_located_error(
    tmp_path: Path, text: str, pointer: str, words: str
) -> None:
    with pytest.raises(GeneratorError) as caught:
        load_document(write(tmp_path, text))
    [problem] = caught.value.problems
    assert (problem.severity, problem.pointer) == ("error", pointer)
    assert problem.line is not None
    assert words in problem.message


# ---------------------------------------------------------------- in parallel or not


def test_the_forked_validation_finds_what_validation_in_process_finds(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, with_property("{type: string, nullable: true}")))
    forked = ParallelValidation(document).problems()
    assert forked == validate_document(document)
    assert len(forked) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="validation runs in a child where fork is")
def test_generate_takes_the_childs_findings_and_never_validates_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_parent: list[object] = []
    monkeypatch.setattr(
        "generator.pipeline.validate.validate_document", lambda d: in_parent.append(d) or []
    )
    spec = write(tmp_path, with_property("{type: string, nullable: true}"))
    result = generate(spec, package_name="warned")
    assert in_parent == []
    assert [w.pointer for w in result.warnings] == [f"{PROPERTY}/nullable"]


def test_generate_returns_the_warnings_with_the_files(tmp_path: Path) -> None:
    spec = write(tmp_path, with_property("{type: string, nullable: true}"))
    result = generate(spec, package_name="warned")
    assert [w.pointer for w in result.warnings] == [f"{PROPERTY}/nullable"]
    assert "pyproject.toml" in result.files


# ---------------------------------------------------------------- the full OpenAI spec


@needs_openai
def test_the_openai_specs_validator_findings_are_warnings() -> None:
    document = load_document(OPENAI)
    found = {w.pointer.rsplit("/", 1)[-1] for w in document.warnings}
    assert {"exclusiveMinimum", "$recursiveAnchor", "required", "default"} <= found
    assert all(w.line is not None and w.pointer for w in document.warnings)


@needs_openai
def test_slicing_chat_completions_gives_a_slice_with_warnings(tmp_path: Path) -> None:
    out = tmp_path / "chat.yaml"
    done = run_cli("slice", OPENAI, "--operation", "createChatCompletion", "-o", out)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "default null does not match its schema" in done.stderr
    assert all(line.startswith(f"warning: {OPENAI}:") for line in done.stderr.splitlines()[:-1])
    assert load_document(out).data["paths"]
