"""One set of enum values under one name of property is one type (``pipeline/enumsets.py``)."""

from __future__ import annotations

from typing import Any

from genutil import build_ir, minimal_spec

from generator.pipeline import ir

SIZES = ["auto", "1024x1024", "1536x1024"]


def api_of(models: dict[str, dict[str, Any]], **others: Any) -> ir.Api:
    """The IR of a spec whose answer ``Thing`` holds one property per model of ``models``
    (each a model of the given properties), beside the other component schemas."""
    thing = {"type": "object", "properties": {m.lower(): {"$ref": f"#/components/schemas/{m}"}
                                               for m in models}}  # fmt: skip
    schemas = {
        "Thing": thing,
        **{name: {"type": "object", "properties": props} for name, props in models.items()},
        **others,
    }
    return build_ir(minimal_spec(schemas))


def enum(values: list[str], description: str = "") -> dict[str, Any]:
    return {
        "type": "string",
        "enum": values,
        **({"description": description} if description else {}),
    }


def field_type(api: ir.Api, model: str, wire: str) -> ir.TypeRef:
    found = next(m for m in api.models if m.name == model)
    return next(f.type for f in found.fields if f.wire_name == wire)


def test_inline_enums_of_one_property_with_one_set_of_values_are_the_shortest_named() -> None:
    api = api_of({"ImagesResponse": {"size": enum(SIZES)}, "Event": {"size": enum(SIZES[::-1])}})
    assert [e.name for e in api.enums] == ["EventSize"]
    assert field_type(api, "ImagesResponse", "size") == ir.EnumRef("EventSize")


def test_the_shared_enum_is_its_shortest_named_place_members_and_all() -> None:
    api = api_of({"ImagesResponse": {"size": enum(SIZES)}, "Event": {"size": enum(SIZES[::-1])}})
    assert [m.value for m in api.enums[0].members] == SIZES[::-1]
    assert api.enums[0].pointer == "/components/schemas/Event/properties/size"


def test_names_of_one_length_are_told_apart_by_spelling() -> None:
    api = api_of({"Answer": {"size": enum(SIZES)}, "Report": {"size": enum(SIZES)}})
    assert [e.name for e in api.enums] == ["AnswerSize"]


def test_one_set_of_values_under_properties_of_other_names_stays_apart() -> None:
    api = api_of({"Answer": {"size": enum(SIZES)}, "Event": {"dimensions": enum(SIZES)}})
    assert [e.name for e in api.enums] == ["AnswerSize", "EventDimensions"]


def test_other_values_under_one_property_name_stay_apart() -> None:
    api = api_of({"Answer": {"size": enum(SIZES)}, "Event": {"size": enum(["small", "large"])}})
    assert [e.name for e in api.enums] == ["AnswerSize", "EventSize"]


def test_an_enum_only_requests_use_stays_apart_from_one_answers_carry() -> None:
    body = {"type": "object", "properties": {"size": enum(SIZES)}}
    json_body = {"content": {"application/json": {"schema": body}}}
    data = minimal_spec(
        {"Thing": {"type": "object", "properties": {"size": enum(SIZES)}}}, requestBody=json_body
    )
    api = build_ir(data)
    assert [e.name for e in api.enums] == ["CreateThingBodySize", "ThingSize"]


def test_an_inline_enum_named_like_a_component_enum_of_its_values_is_that_component() -> None:
    api = api_of(
        {"Request": {"input_fidelity": enum(["low", "high"])}},
        InputFidelity=enum(["high", "low"]),
    )
    assert [e.name for e in api.enums] == ["InputFidelity"]
    assert field_type(api, "Request", "input_fidelity") == ir.EnumRef("InputFidelity")


def test_a_component_enum_of_another_name_does_not_take_inline_ones() -> None:
    api = api_of(
        {"Request": {"fidelity": enum(["low", "high"])}}, InputFidelity=enum(["high", "low"])
    )
    assert [e.name for e in api.enums] == ["InputFidelity", "RequestFidelity"]


def test_a_description_every_place_gives_is_kept() -> None:
    api = api_of(
        {"A": {"size": enum(SIZES, "Dimensions.")}, "B": {"size": enum(SIZES, "Dimensions.")}}
    )
    assert api.enums[0].doc.description == "Dimensions."


def test_descriptions_that_differ_are_left_out() -> None:
    api = api_of({"A": {"size": enum(SIZES, "Requested.")}, "B": {"size": enum(SIZES, "Applied.")}})
    assert api.enums[0].doc.description == ""


def test_parameters_of_one_name_share_one_enum() -> None:
    def listing(operation_id: str, values: list[str]) -> dict[str, Any]:
        order = {"name": "order", "in": "query", "schema": enum(values)}
        return {"get": {"operationId": operation_id, "parameters": [order],
                        "responses": {"204": {"description": "none"}}}}  # fmt: skip

    data = minimal_spec({"Thing": {"type": "object"}})
    data["paths"] = {
        "/a": listing("listA", ["asc", "desc"]),
        "/b": listing("listB", ["desc", "asc"]),
    }
    api = build_ir(data)
    assert [e.name for e in api.enums] == ["ListAOrder"]
    assert {p.type for op in api.operations for p in op.parameters} == {ir.EnumRef("ListAOrder")}
