"""``$ref`` s to other local files are bundled: downstream sees only ``#/...`` references."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import GeneratorError, Problem
from generator.pipeline.load import Document, iter_refs, load_document

ROOT = Path(__file__).resolve().parent.parent

API = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'models.yaml#/components/schemas/Pet'}
"""
MODELS = """\
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
        tag: {$ref: '#/components/schemas/Tag'}
    Tag: {type: string}
"""


def tree(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` under ``folder``; the path of the first one."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / next(iter(files))


def load(folder: Path, files: dict[str, str]) -> Document:
    return load_document(tree(folder, files))


def error(folder: Path, files: dict[str, str]) -> Problem:
    with pytest.raises(GeneratorError) as caught:
        load(folder, files)
    [problem] = caught.value.problems
    return problem


def schema_ref(document: Document) -> str:
    content = document.data["paths"]["/pets"]["get"]["responses"]["200"]["content"]
    ref: str = content["application/json"]["schema"]["$ref"]
    return ref


def test_a_component_of_another_file_is_bundled_under_its_own_name(tmp_path: Path) -> None:
    document = load(tmp_path, {"api.yaml": API, "models.yaml": MODELS})
    assert schema_ref(document) == "#/components/schemas/Pet"
    schemas = document.data["components"]["schemas"]
    assert list(schemas) == ["Pet", "Tag"]
    assert schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/Tag"}
    assert all(ref.startswith("#/") for _, ref in iter_refs(document.data))


def test_a_whole_file_is_named_after_the_file(tmp_path: Path) -> None:
    api = API.replace("models.yaml#/components/schemas/Pet", "schemas/pet.json")
    document = load(tmp_path, {"api.yaml": api, "schemas/pet.json": '{"type": "string"}'})
    assert schema_ref(document) == "#/components/schemas/pet"
    assert document.data["components"]["schemas"]["pet"] == {"type": "string"}


def test_refs_inside_another_file_are_relative_to_that_file(tmp_path: Path) -> None:
    api = API.replace("models.yaml#", "models/models.yaml#")
    models = MODELS.replace("{$ref: '#/components/schemas/Tag'}", "{$ref: '../tags/tag.yaml'}")
    document = load(
        tmp_path,
        {"api.yaml": api, "models/models.yaml": models, "tags/tag.yaml": "type: integer\n"},
    )
    pet = document.data["components"]["schemas"]["Pet"]
    assert pet["properties"]["tag"] == {"$ref": "#/components/schemas/tag"}
    assert document.data["components"]["schemas"]["tag"] == {"type": "integer"}


def test_a_ref_cycle_across_files_ends(tmp_path: Path) -> None:
    models = MODELS.replace(
        "name: {type: string}", "owner: {$ref: 'owner.yaml#/components/schemas/Owner'}"
    )
    owner = (
        "components:\n  schemas:\n    Owner:\n      type: object\n      properties:\n"
        "        pets: {type: array, items: {$ref: 'models.yaml#/components/schemas/Pet'}}\n"
    )
    document = load(tmp_path, {"api.yaml": API, "models.yaml": models, "owner.yaml": owner})
    schemas = document.data["components"]["schemas"]
    assert schemas["Owner"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/Pet"}
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}


def test_a_ref_into_a_component_brings_the_component_and_points_inside_it(tmp_path: Path) -> None:
    api = API.replace("#/components/schemas/Pet", "#/components/schemas/Pet/properties/name")
    document = load(tmp_path, {"api.yaml": api, "models.yaml": MODELS})
    assert schema_ref(document) == "#/components/schemas/Pet/properties/name"
    assert "Pet" in document.data["components"]["schemas"]


def test_a_ref_to_the_spec_itself_by_file_name_becomes_local(tmp_path: Path) -> None:
    api = API.replace("models.yaml#/components/schemas/Pet", "api.yaml#/components/schemas/Own")
    api += "components:\n  schemas:\n    Own: {type: string}\n"
    document = load(tmp_path, {"api.yaml": api})
    assert schema_ref(document) == "#/components/schemas/Own"


def test_a_path_item_in_another_file_is_inlined(tmp_path: Path) -> None:
    api = "openapi: 3.1.0\ninfo: {title: P, version: '1'}\npaths:\n"
    api += "  /pets: {$ref: 'paths/pets.yaml'}\n"
    pets = API.split("    get:\n", 1)[1].replace("models.yaml#", "../models.yaml#")
    pets = "get:\n" + "\n".join(line[4:] for line in pets.splitlines()) + "\n"
    document = load(tmp_path, {"api.yaml": api, "paths/pets.yaml": pets, "models.yaml": MODELS})
    assert document.data["paths"]["/pets"]["get"]["operationId"] == "listPets"
    assert schema_ref(document) == "#/components/schemas/Pet"


def test_the_same_schema_under_the_same_name_is_shared(tmp_path: Path) -> None:
    api = API + "components:\n  schemas:\n    Tag: {type: string}\n"
    document = load(tmp_path, {"api.yaml": api, "models.yaml": MODELS})
    assert list(document.data["components"]["schemas"]) == ["Tag", "Pet"]


def test_a_name_clash_with_a_different_schema_is_bundled_under_its_file_name(
    tmp_path: Path,
) -> None:
    api = API + "components:\n  schemas:\n    Tag: {type: integer}\n"
    document = load(tmp_path, {"api.yaml": api, "models.yaml": MODELS})
    schemas = document.data["components"]["schemas"]
    assert schemas["Tag"] == {"type": "integer"}
    assert schemas["models_Tag"] == {"type": "string"}
    assert schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/models_Tag"}
    [warning] = document.warnings
    assert (warning.file, warning.line) == (str(tmp_path / "models.yaml"), 7)
    assert "is bundled as #/components/schemas/models_Tag" in warning.message
    assert "#/components/schemas/Tag already holds a different schema" in warning.message


@pytest.mark.parametrize("ref", ["https://example.test/pet.yaml", "http://x/p.json#/P"])
def test_a_remote_ref_is_a_located_error(tmp_path: Path, ref: str) -> None:
    problem = error(tmp_path, {"api.yaml": API.replace("models.yaml#/components/schemas/Pet", ref)})
    assert problem.file == str(tmp_path / "api.yaml")
    assert problem.line == 12
    assert problem.message.startswith(f"remote $ref {ref!r} is not supported")


def test_a_missing_file_is_a_warning_at_the_ref_and_the_ref_stays(tmp_path: Path) -> None:
    document = load(tmp_path, {"api.yaml": API})
    [warning] = document.warnings
    assert (warning.severity, warning.file, warning.line) == (
        "warning",
        str(tmp_path / "api.yaml"),
        12,
    )
    assert warning.message.startswith("left out: $ref 'models.yaml#/components/schemas/Pet'")
    assert warning.message.endswith("models.yaml does not exist)")
    assert schema_ref(document) == "models.yaml#/components/schemas/Pet"


def test_a_pointer_to_nothing_in_another_file_is_a_warning_at_the_ref(tmp_path: Path) -> None:
    document = load(tmp_path, {"api.yaml": API, "models.yaml": MODELS.replace("Pet:", "Cat:")})
    [warning] = document.warnings
    assert (warning.severity, warning.line) == ("warning", 12)
    assert f"points to nothing ({tmp_path}/models.yaml#/components/schemas/Pet)" in warning.message


def test_a_parse_error_in_another_file_is_located_in_that_file(tmp_path: Path) -> None:
    problem = error(tmp_path, {"api.yaml": API, "models.yaml": MODELS + "\tbad: tab\n"})
    assert problem.file == str(tmp_path / "models.yaml")
    assert problem.line == 9


def test_a_validation_warning_in_another_file_is_located_in_that_file(tmp_path: Path) -> None:
    models = MODELS.replace("name: {type: string}", "name: {type: string, nullable: true}")
    document = load(tmp_path, {"api.yaml": API, "models.yaml": models})
    [warning] = document.warnings
    assert (warning.file, warning.line) == (str(tmp_path / "models.yaml"), 6)
    assert warning.pointer == "/components/schemas/Pet/properties/name/nullable"


def test_generate_bundles_other_files(tmp_path: Path) -> None:
    spec = tree(tmp_path, {"api.yaml": API, "models.yaml": MODELS})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", spec, "-o", tmp_path / "out"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Pet" in "".join(p.read_text() for p in (tmp_path / "out").rglob("*.py"))


def test_a_ref_inside_a_file_bundled_whole_points_inside_it(tmp_path: Path) -> None:
    api = API.replace(
        "schema: {$ref: 'models.yaml#/components/schemas/Pet'}",
        "schema: {type: array, prefixItems: "
        "[{$ref: pet.yaml}, {$ref: 'pet.yaml#/properties/name'}]}",
    )
    pet = "type: object\nproperties:\n  name: {type: string}\n"
    document = load(tmp_path, {"api.yaml": api, "pet.yaml": pet})
    content = document.data["paths"]["/pets"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"]["prefixItems"] == [
        {"$ref": "#/components/schemas/pet"},
        {"$ref": "#/components/schemas/pet/properties/name"},
    ]
