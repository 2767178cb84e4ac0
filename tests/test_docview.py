"""The one resolved view of a document: where references lead, which operations there are,
and which schemas describe objects (``generator/pipeline/docview.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.pipeline.discriminators import discriminator_mapping
from generator.pipeline.docview import follow, is_object_schema, iter_operations, trace

DATA: dict[str, Any] = {
    "components": {
        "schemas": {
            "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Alias": {"$ref": "#/components/schemas/Pet"},
            "Twice": {"$ref": "#/components/schemas/Alias"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "Gone": {"$ref": "#/components/schemas/Nothing"},
            "Away": {"$ref": "other.yaml#/Pet"},
            "Spaced name": {"type": "string"},
        }
    }
}


# ---------------------------------------------------------------- references


def test_a_chain_of_refs_leads_to_its_target_and_its_pointer() -> None:
    node, pointer = follow(DATA, {"$ref": "#/components/schemas/Twice"}, "/here")
    assert node is DATA["components"]["schemas"]["Pet"]
    assert pointer == "/components/schemas/Pet"


def test_a_node_without_a_ref_is_itself() -> None:
    node = {"type": "string"}
    assert follow(DATA, node, "/here") == (node, "/here")


@pytest.mark.parametrize(
    ("name", "why"), [("Gone", "missing"), ("Away", "external"), ("Loop", "circle")]
)
def test_a_chain_that_leads_nowhere_says_where_and_why_it_broke(name: str, why: str) -> None:
    start = f"/components/schemas/{name}"
    found = trace(DATA, DATA["components"]["schemas"][name], start)
    assert (found.node, found.why, found.pointer) == (None, why, start)
    assert found.ref == DATA["components"]["schemas"][name]["$ref"]


def test_a_ref_by_the_documents_own_uri_is_read_as_a_local_one() -> None:
    ref = {"$ref": "urn:doc#/components/schemas/Spaced%20name"}
    assert follow(DATA, ref, base="urn:doc") == (
        {"type": "string"},
        "/components/schemas/Spaced name",
    )


# ---------------------------------------------------------------- operations


def _paths(version: str) -> dict[str, Any]:
    return {
        "openapi": version,
        "paths": {
            "/pets": {
                "post": {"operationId": "addPet"},
                "get": {"operationId": "listPets"},
                "query": {"operationId": "searchPets"},
                "additionalOperations": {"COPY": {"operationId": "copyPets"}},
                "parameters": [],
            }
        },
    }


def test_operations_come_in_method_order_with_their_pointers() -> None:
    found = iter_operations(_paths("3.1.0"), "3.1")
    assert [(op.pointer, op.method, op.path) for op in found] == [
        ("/paths/~1pets/get", "get", "/pets"),
        ("/paths/~1pets/post", "post", "/pets"),
    ]


def test_query_and_additional_operations_are_operations_from_3_2_on() -> None:
    found = iter_operations(_paths("3.2.0"), "3.2")
    assert [(op.pointer, op.method) for op in found][2:] == [
        ("/paths/~1pets/query", "query"),
        ("/paths/~1pets/additionalOperations/COPY", "copy"),
    ]


# ---------------------------------------------------------------- object schemas


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object"}, True),
        ({"type": ["object", "null"]}, True),
        ({"properties": {"a": {}}}, True),
        ({"additionalProperties": {"type": "integer"}}, True),
        ({"patternProperties": {"^x": {}}}, True),
        ({"allOf": [{"$ref": "#/components/schemas/Pet"}, {"required": ["name"]}]}, True),
        ({"$ref": "#/components/schemas/Twice"}, True),
        ({"type": "string", "properties": {"a": {}}}, False),  # the type decides
        ({"allOf": [{"type": "string"}, {"minLength": 1}]}, False),
        ({"oneOf": [{"$ref": "#/components/schemas/Pet"}]}, False),  # its branches may be
        ({"required": ["a"]}, False),  # a rule between fields, not a shape
        ({"$ref": "#/components/schemas/Gone"}, False),
        (True, False),
    ],
)
def test_what_describes_objects(schema: Any, expected: bool) -> None:
    assert is_object_schema(DATA, schema) is expected


def test_a_branch_that_extends_an_object_by_allof_is_selected_by_its_name() -> None:
    data = {
        "components": {
            "schemas": {
                "Pet": DATA["components"]["schemas"]["Pet"],
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
                "Tag": {"type": "string", "properties": {"kind": {"const": "tag"}}},
            }
        }
    }
    union = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Tag"}],
        "discriminator": {"propertyName": "kind"},
    }
    mapping = discriminator_mapping(data, union, "/u")
    assert mapping.cases == (("Cat", (0,)),)  # a string is never selected by a value
