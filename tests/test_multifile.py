"""Specs split over many files are bundled and never stopped by a name
(``tests/specs/multifile/``), and a generated tree of 500 files with clashing names,
documentation references and path items in other files generates every operation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from genutil import ROOT, Wire, import_fresh, lint_problems

from generator.pipeline import Generated, generate
from generator.pipeline.load import Document, iter_refs, load_document
from generator.pipeline.write import write_atomically

SPEC = ROOT / "tests" / "specs" / "multifile" / "openapi.yaml"


@pytest.fixture(scope="module")
def document() -> Document:
    return load_document(SPEC)


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate(SPEC, package_name="multi")


def schemas(document: Document) -> dict[str, Any]:
    found: dict[str, Any] = document.data["components"]["schemas"]
    return found


def messages(document: Document) -> list[str]:
    return [w.message for w in document.warnings]


def test_only_local_refs_remain(document: Document) -> None:
    assert all(ref.startswith("#/") for _, ref in iter_refs(document.data))


def test_a_different_component_of_the_same_name_gets_the_word_that_sets_its_file_apart(
    document: Document,
) -> None:
    assert schemas(document)["legacy_DateTime"]["type"] == "integer"
    assert schemas(document)["DateTime"] == {"type": "string", "format": "date-time"}
    [clash] = [m for m in messages(document) if "is bundled as" in m]
    assert clash.startswith(f"{SPEC.parent}/legacy/types.yaml#/components/schemas/DateTime")
    assert "#/components/schemas/DateTime already holds a different schema" in clash


def test_identical_components_of_one_name_in_two_files_are_one(document: Document) -> None:
    answer = document.data["paths"]["/pets"]["get"]["responses"]["200"]["content"]
    props = answer["application/json"]["schema"]["properties"]
    assert props["checked"] == {"$ref": "#/components/schemas/DateTime"}
    assert schemas(document)["Pet"]["properties"]["born"] == {
        "$ref": "#/components/schemas/DateTime"
    }


def test_file_stems_keep_every_dot_but_the_extension(document: Document) -> None:
    assert "goal.v2.schema" in schemas(document)
    examples = document.data["components"]["examples"]
    assert {"game.json", "game.pgn"} <= set(examples)
    assert examples["game.json"]["value"] != examples["game.pgn"]["value"]


def test_a_component_that_is_only_a_ref_takes_its_targets_place(document: Document) -> None:
    assert document.data["components"]["securitySchemes"]["BearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert schemas(document)["Pet"]["required"] == ["id"]
    assert schemas(document)["GoalV1"]["properties"]["goal"] == {"type": "string"}


def test_a_whole_component_map_from_an_index_file_is_bundled(document: Document) -> None:
    assert {"Pet", "DateTime", "GoalV1"} <= set(schemas(document))


def test_text_references_are_inlined_with_a_warning(document: Document) -> None:
    assert document.data["tags"][0]["description"] == "Pets live here.\n\nEach has an **id**.\n"
    assert document.data["info"]["description"] == "An API split over many files.\n"
    sample = document.data["paths"]["/pets"]["get"]["x-codeSamples"][0]
    assert sample == {"lang": "C#", "source": "var pets = client.Pets.List();\n"}
    assert any(m.endswith("docs/pets.md is inlined") for m in messages(document))


def test_a_text_reference_that_cannot_be_read_is_dropped_with_a_warning(
    document: Document,
) -> None:
    assert document.data["tags"][1] == {"name": "games"}
    assert (
        "$ref 'docs/missing.md' where OpenAPI allows only text: dropped "
        f"({SPEC.parent}/docs/missing.md does not exist)" in messages(document)
    )


def test_path_items_in_other_files_and_in_components_are_all_operations(
    generated: Generated,
) -> None:
    assert generated.summary() == "generated 3 of 3 operations"


def test_the_bundled_package_is_clean_and_calls_each_operation(
    generated: Generated, tmp_path: Path
) -> None:
    write_atomically(tmp_path / "out", generated.files)
    assert lint_problems(tmp_path / "out", "multi") == ""
    multi = import_fresh(tmp_path / "out", "multi")
    wire = Wire(multi, httpx.Response(200, json={"id": "p1", "born": "2020-01-01T00:00:00Z"}))
    assert wire.client.pets.get_pet("p1").id == "p1"
    assert wire.request.headers["authorization"] == "Bearer k"


# ---------------------------------------------------------------- a tree of 500 files

GROUPS = 125  # four files each: a path item, its types, a tag's description, a code sample


def write_tree(root: Path) -> Path:
    """A spec over 501 files: each path item in its own file, referring to an ``Item`` of
    its own (all different, one name) and to one of three ``DateTime`` s (alike in pairs)."""
    paths, tags = [], []
    for i in range(GROUPS):
        (root / "paths").mkdir(parents=True, exist_ok=True)
        (root / f"models/g{i}").mkdir(parents=True, exist_ok=True)
        (root / "docs").mkdir(exist_ok=True)
        (root / "code").mkdir(exist_ok=True)
        paths.append(f"  /items{i}/{{id}}: {{$ref: 'paths/items{i}.yaml'}}")
        tags.append(f"  - {{name: t{i}, description: {{$ref: 'docs/t{i}.md'}}}}")
        (root / f"docs/t{i}.md").write_text(f"Items of group {i}.\n", encoding="utf-8")
        (root / f"code/s{i}.py").write_text(f"client.t{i}.get('x')\n", encoding="utf-8")
        (root / f"models/g{i}/types.yaml").write_text(
            "components:\n  schemas:\n"
            f"    DateTime: {{type: string, format: {['date-time', 'date', 'time'][i % 3]}}}\n"
            "    Item:\n      type: object\n      required: [id]\n      properties:\n"
            f"        id: {{type: string}}\n        field{i}: {{type: integer}}\n"
            "        at: {$ref: '#/components/schemas/DateTime'}\n",
            encoding="utf-8",
        )
        (root / f"paths/items{i}.yaml").write_text(
            f"get:\n  operationId: getItem{i}\n  tags: [t{i}]\n"
            f"  x-codeSamples: [{{lang: Python, source: {{$ref: '../code/s{i}.py'}}}}]\n"
            "  parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
            "  responses:\n    '200':\n      description: ok\n      content:\n"
            "        application/json:\n"
            f"          schema: {{$ref: '../models/g{i}/types.yaml#/components/schemas/Item'}}\n",
            encoding="utf-8",
        )
    spec = root / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Tree, version: '1'}\n"
        "tags:\n" + "\n".join(tags) + "\npaths:\n" + "\n".join(paths) + "\n",
        encoding="utf-8",
    )
    return spec


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("tree"))


def test_the_tree_has_at_least_500_files(tree: Path) -> None:
    assert sum(1 for p in tree.parent.rglob("*") if p.is_file()) >= 500


def test_a_tree_of_500_files_generates_every_operation(tree: Path) -> None:
    result = generate(tree, package_name="tree")
    assert result.summary() == f"generated {GROUPS} of {GROUPS} operations"


def test_every_clashing_item_gets_its_own_component_and_alike_ones_share(tree: Path) -> None:
    document = load_document(tree)
    names = document.data["components"]["schemas"]
    items = [n for n in names if n == "Item" or n.endswith("_Item")]
    assert len(items) == GROUPS
    assert sorted(n for n in names if "DateTime" in n) == ["DateTime", "g1_DateTime", "g2_DateTime"]
    assert all(t["description"].startswith("Items of group") for t in document.data["tags"])


def test_the_clashes_are_one_line_of_warnings(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.errors import print_problems

    print_problems(load_document(tree).warnings)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3  # renamed components, inlined text, inlined code samples
    assert any(f"[{GROUPS - 1 + 2} places like it" in line for line in lines)
