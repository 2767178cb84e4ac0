"""No operation lost, none miscounted (``tests/specs/operations-3.2.yaml``): path items by
``$ref``, QUERY and ``additionalOperations``, operationIds that give one method name, tags
without Latin letters, and a path template parameter declared in the query."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from genutil import ROOT, Wire, import_fresh, lint_problems

from generator.pipeline import Generated, generate
from generator.pipeline.write import write_atomically

SPEC = ROOT / "tests" / "specs" / "operations-3.2.yaml"


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate(SPEC, package_name="ops")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, generated: Generated) -> Path:
    folder = tmp_path_factory.mktemp("operations") / "out"
    write_atomically(folder, generated.files)
    return folder


@pytest.fixture
def ops(out: Path) -> ModuleType:
    return import_fresh(out, "ops")


def messages(generated: Generated) -> list[str]:
    return [w.message for w in generated.warnings]


def test_every_operation_is_counted_and_generated(generated: Generated) -> None:
    assert (generated.operations, generated.total) == (10, 10)
    assert generated.summary() == "generated 10 of 10 operations"


def test_the_package_is_ruff_and_mypy_clean(out: Path) -> None:
    assert lint_problems(out, "ops") == ""


def test_a_path_item_given_by_ref_to_components_path_items_is_an_operation(
    ops: ModuleType,
) -> None:
    wire = Wire(ops, httpx.Response(200, json={"name": "Rex"}))
    assert wire.client.pets.get_pet_pets_id("7").name == "Rex"
    assert (wire.request.method, wire.request.url.path) == ("GET", "/pets/7")


def test_operation_ids_that_give_one_method_each_get_their_own(ops: ModuleType) -> None:
    wire = Wire(ops, httpx.Response(200, json={"name": "Rex"}))
    wire.client.pets.get_pet("1")  # 'get_pet' is spelled like the method: it keeps it
    wire.client.pets.get_pet_v2("2")  # 'GetPet': the word of its path the keeper's lacks
    wire.client.pets.get_pet_delete("3")  # 'get-pet': its HTTP method
    routes = [(r.method, r.url.path) for r in wire.sent]
    assert routes == [("GET", "/pets/1/photo"), ("GET", "/v2/pets/2"), ("DELETE", "/pets/3/photo")]


def test_each_renamed_method_is_a_warning_naming_both_operations(generated: Generated) -> None:
    found = [m for m in messages(generated) if "gives the same method as 'get_pet'" in m]
    assert len(found) == 3
    assert "operationId 'GetPet' gives the same method as 'get_pet'" in "\n".join(found)
    assert any(m.endswith("it is client.pets.get_pet_v2") for m in found)


def test_a_query_operation_is_sent_with_the_query_method(ops: ModuleType) -> None:
    wire = Wire(ops, httpx.Response(200, json={"name": "Rex"}))
    assert wire.client.pets.search_pets(name="R").name == "Rex"
    assert wire.request.method == "QUERY"
    assert json.loads(wire.request.content) == {"name": "R"}


def test_an_additional_operation_is_sent_with_its_method(ops: ModuleType) -> None:
    wire = Wire(ops, httpx.Response(204))
    assert wire.client.pets.link_pets() is None
    assert (wire.request.method, wire.request.url.path) == ("LINK", "/search")


def test_tags_without_latin_letters_are_transliterated_resources(ops: ModuleType) -> None:
    wire = Wire(ops, httpx.Response(204))
    wire.client.ri_ben.list_japan()
    wire.client.han_gug.list_korea()
    wire.client.vryt.list_hebrew()
    assert [r.url.path for r in wire.sent] == ["/japan", "/korea", "/hebrew"]


def test_a_transliterated_tag_is_a_warning(generated: Generated) -> None:
    assert (
        "tag '日本' has no Latin letters: its resource is client.ri_ben (transliterated)"
        in messages(generated)
    )


def test_a_path_template_parameter_declared_in_the_query_is_sent_in_the_path(
    ops: ModuleType, generated: Generated
) -> None:
    wire = Wire(ops, httpx.Response(204))
    wire.client.owners.get_owner(5)
    assert wire.request.url.path == "/owners/5"
    assert wire.request.url.query == b""
    assert (
        "'ownerId' is in the path template '/owners/{ownerId}' but declared in query: it is "
        "taken as a path parameter" in messages(generated)
    )


def test_a_path_template_parameter_not_declared_is_a_string_argument(tmp_path: Path) -> None:
    spec = SPEC.read_text(encoding="utf-8").replace(
        "parameters: [{name: ownerId, in: query, required: true, schema: {type: integer}}]",
        "parameters: []",
    )
    path = tmp_path / "spec.yaml"
    path.write_text(spec, encoding="utf-8")
    result = generate(path, package_name="ops2")
    write_atomically(tmp_path / "out", result.files)
    wire = Wire(import_fresh(tmp_path / "out", "ops2"), httpx.Response(204))
    wire.client.owners.get_owner("ann")
    assert wire.request.url.path == "/owners/ann"
