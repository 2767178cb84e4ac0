"""References within one document (``tests/specs/refs-3.1.yaml``, ``self-3.2.yaml``): by
``$id`` and ``$anchor`` as JSON Schema 2020-12 resolves them, relative to a schema resource,
against ``$self``, and percent-encoded pointers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from genutil import ROOT, Wire, generate_package

from generator.pipeline.load import Document, load_document

SPECS = ROOT / "tests" / "specs"


@pytest.fixture(scope="module")
def document() -> Document:
    return load_document(SPECS / "refs-3.1.yaml")


def schema(document: Document, name: str) -> dict[str, Any]:
    found: dict[str, Any] = document.data["components"]["schemas"][name]
    return found


def test_a_ref_by_id_and_anchor_leads_to_the_schema_with_that_anchor(document: Document) -> None:
    prop = schema(document, "Pet-Item")["properties"]["petDetailsId"]
    assert prop == {"$ref": "#/components/schemas/PetDetails/properties/id"}


def test_a_ref_by_id_leads_to_the_schema_with_that_id(document: Document) -> None:
    prop = schema(document, "Pet-Item")["properties"]["petDetails"]
    assert prop == {"$ref": "#/components/schemas/PetDetails"}


def test_refs_inside_an_id_resource_are_relative_to_it(document: Document) -> None:
    props = schema(document, "PetDetails")["properties"]
    assert props["self"] == {"$ref": "#/components/schemas/PetDetails"}
    assert props["own"] == {"$ref": "#/components/schemas/PetDetails/properties/id"}
    assert props["category"] == {"$ref": "#/components/schemas/Category"}


def test_a_document_pointer_inside_an_id_resource_still_leads_into_the_document(
    document: Document,
) -> None:
    tagged = schema(document, "PetDetails")["properties"]["tagged"]
    assert tagged == {"$ref": "#/components/schemas/Tagged"}


def test_a_plain_name_fragment_is_an_anchor(document: Document) -> None:
    assert schema(document, "Tagged")["properties"]["label"] == {
        "$ref": "#/components/schemas/Label"
    }


def test_a_percent_encoded_component_name_is_decoded(document: Document) -> None:
    content = document.data["paths"]["/pets/{id}"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet-Item"}


def test_a_percent_encoded_path_in_a_pointer_is_decoded(document: Document) -> None:
    response = document.data["paths"]["/items/{id}"]["get"]["responses"]["200"]
    assert response == {"$ref": "#/paths/~1pets~1{id}/get/responses/200"}


def test_resolving_by_id_leaves_no_warning(document: Document) -> None:
    assert document.warnings == []


def test_the_petstore_3_1_shape_generates_typed_fields(tmp_path: Path) -> None:
    package = generate_package(SPECS / "refs-3.1.yaml", tmp_path / "out", "refs31")
    answer = {"petDetailsId": 7, "petDetails": {"id": 7, "category": {"name": "dogs"}}}
    wire = Wire(package, httpx.Response(200, json=answer))
    item = wire.client.default.get_pet(7)
    assert item.pet_details_id == 7
    assert item.pet_details.category.name == "dogs"


def test_refs_resolve_against_self(tmp_path: Path) -> None:
    document = load_document(SPECS / "self-3.2.yaml")
    content = document.data["paths"]["/pets"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    owner = document.data["components"]["schemas"]["Pet"]["properties"]["owner"]
    assert owner == {"$ref": "#/components/schemas/Owner"}


def test_a_pointer_that_resolves_as_written_is_not_decoded(tmp_path: Path) -> None:
    spec = (SPECS / "self-3.2.yaml").read_text(encoding="utf-8")
    spec = spec.replace("    Owner:", "    Odd%41:").replace(
        "openapi.yaml#/components/schemas/Owner", "#/components/schemas/Odd%41"
    )
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    document = load_document(tmp_path / "spec.yaml")
    owner = document.data["components"]["schemas"]["Pet"]["properties"]["owner"]
    assert owner == {"$ref": "#/components/schemas/Odd%41"}
