"""JSON Schema → IR: each construct the mapper understands, on small inline documents."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from genutil import SPEC, minimal_spec

from generator.errors import GeneratorError
from generator.pipeline import ir
from generator.pipeline.build import build_api
from generator.pipeline.config import load_config
from generator.pipeline.load import Document, load_document
from generator.pipeline.pytypes import TypeWriter
from generator.pipeline.schema import SchemaMapper

STR = ir.Primitive("str")


def document(schemas: dict[str, Any], version: str = "3.1.0") -> Document:
    data = minimal_spec(schemas)
    data["openapi"] = version
    source = yaml.safe_dump(data, sort_keys=False).encode()
    return Document(Path("inline.yaml"), data, source)


def mapper_for(schemas: dict[str, Any], version: str = "3.1.0") -> SchemaMapper:
    """The mapper after mapping ``schemas``; raises with its warnings if it had any."""
    mapper = SchemaMapper(document(schemas, version))
    mapper.map_all_components()
    if mapper.problems:
        raise GeneratorError(mapper.problems)
    return mapper


def property_type(prop: dict[str, Any], version: str = "3.1.0", **others: Any) -> ir.TypeRef:
    """The IR type of property ``p`` of a model ``Thing``."""
    schemas = {"Thing": {"type": "object", "properties": {"p": prop}}, **others}
    mapper = mapper_for(schemas, version)
    (field,) = mapper.models["Thing"].fields
    return field.type


def annotation(type_: ir.TypeRef, mapper: SchemaMapper | None = None) -> str:
    return TypeWriter(dict(mapper.enums) if mapper else {}).annotation(type_)


# ---------------------------------------------------------------- nullable


NULLABLE_STRINGS = {
    "3.0-nullable": ({"type": "string", "nullable": True}, "3.0.3"),
    "anyOf-null": ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "3.1.0"),
    "oneOf-null": ({"oneOf": [{"type": "string"}, {"type": "null"}]}, "3.1.0"),
    "type-list": ({"type": ["string", "null"]}, "3.1.0"),
    "null-first": ({"anyOf": [{"type": "null"}, {"type": "string"}]}, "3.1.0"),
}


@pytest.mark.parametrize("style", list(NULLABLE_STRINGS))
def test_every_nullable_style_gives_x_or_none(style: str) -> None:
    prop, version = NULLABLE_STRINGS[style]
    mapped = property_type(prop, version)
    assert mapped == ir.Union((STR, ir.NONE))
    assert annotation(mapped) == "str | None"


OTHER = {"Other": {"type": "object", "properties": {"x": {"type": "integer"}}}}
NULLABLE_REFS = {
    "3.0-allOf-nullable": (
        {"allOf": [{"$ref": "#/components/schemas/Other"}], "nullable": True}, "3.0.3"),
    "anyOf-ref-null": (
        {"anyOf": [{"$ref": "#/components/schemas/Other"}, {"type": "null"}]}, "3.1.0"),
    "oneOf-ref-null": (
        {"oneOf": [{"$ref": "#/components/schemas/Other"}, {"type": "null"}]}, "3.1.0"),
}  # fmt: skip


@pytest.mark.parametrize("style", list(NULLABLE_REFS))
def test_every_nullable_reference_style_gives_model_or_none(style: str) -> None:
    prop, version = NULLABLE_REFS[style]
    mapped = property_type(prop, version, **OTHER)
    assert mapped == ir.Union((ir.ModelRef("Other"), ir.NONE))
    assert annotation(mapped) == "Other | None"


def test_nullable_enum_gives_enum_or_none() -> None:
    a = property_type({"type": "string", "enum": ["a", "b"], "nullable": True}, "3.0.3")
    b = property_type({"type": ["string", "null"], "enum": ["a", "b", None]})
    assert a == b == ir.Union((ir.EnumRef("ThingP"), ir.NONE))


def test_not_nullable_stays_bare() -> None:
    assert property_type({"type": "string"}) == STR
    assert property_type({"anyOf": [{"type": "string"}]}) == STR


# ---------------------------------------------------------------- enums


def test_closed_enum_is_a_closed_enum_ref() -> None:
    assert property_type({"type": "string", "enum": ["a", "b"]}) == ir.EnumRef("ThingP")


@pytest.mark.parametrize("enum_first", [False, True])
def test_open_enum_is_an_open_enum_ref(enum_first: bool) -> None:
    branches = [{"type": "string"}, {"type": "string", "enum": ["a", "b"]}]
    if enum_first:
        branches.reverse()
    mapper = mapper_for({"Thing": {"type": "object", "properties": {"p": {"anyOf": branches}}}})
    (field,) = mapper.models["Thing"].fields
    assert field.type == ir.EnumRef("ThingP", open=True)
    assert [m.value for m in mapper.enums["ThingP"].members] == ["a", "b"]
    assert annotation(field.type, mapper) == "ThingP | str"


def test_open_enum_component_is_open() -> None:
    schemas = {
        "Size": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["1024x1024", "auto"]}]},
        "Thing": {"type": "object", "properties": {"size": {"$ref": "#/components/schemas/Size"}}},
    }
    mapper = mapper_for(schemas)
    assert mapper.models["Thing"].fields[0].type == ir.EnumRef("Size", open=True)
    assert {m.name for m in mapper.enums["Size"].members} == {"SIZE_1024X1024", "AUTO"}


def test_open_enum_with_null_is_open_enum_or_none() -> None:
    branches = [{"type": "string"}, {"type": "string", "enum": ["a", "b"]}, {"type": "null"}]
    assert property_type({"anyOf": branches}) == ir.Union(
        (ir.EnumRef("ThingP", open=True), ir.NONE)
    )


# ---------------------------------------------------------------- discriminated unions


def _pets(discriminator: dict[str, Any], dog_type: dict[str, Any] | None = None) -> SchemaMapper:
    schemas = {
        "Cat": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"type": "string", "enum": ["cat"]},
                "lives": {"type": "integer"},
            },
        },
        "Dog": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": dog_type or {"const": "dog"}, "good": {"type": "boolean"}},
        },
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": discriminator,
        },
    }
    return mapper_for(schemas)


def test_discriminator_mapping_is_derived_from_enum_of_one_and_const() -> None:
    union = _pets({"propertyName": "type"}).unions["Pet"]
    assert union.discriminator == ir.Discriminator("type", (("cat", "Cat"), ("dog", "Dog")))
    assert union.variants == (ir.ModelRef("Cat"), ir.ModelRef("Dog"))


def test_explicit_discriminator_mapping_is_honoured() -> None:
    mapping = {"kitty": "#/components/schemas/Cat", "puppy": "#/components/schemas/Dog"}
    union = _pets({"propertyName": "type", "mapping": mapping}).unions["Pet"]
    assert union.discriminator is not None
    assert union.discriminator.mapping == (("kitty", "Cat"), ("puppy", "Dog"))


def test_partial_explicit_mapping_derives_the_rest() -> None:
    mapping = {"kitty": "#/components/schemas/Cat"}
    union = _pets({"propertyName": "type", "mapping": mapping}).unions["Pet"]
    assert union.discriminator is not None
    assert union.discriminator.mapping == (("kitty", "Cat"), ("dog", "Dog"))


def test_an_inline_branch_without_a_constant_is_a_located_problem() -> None:
    schemas = {
        "Pet": {
            "oneOf": [
                {"type": "object", "properties": {"type": {"const": "cat"}}},
                {"type": "object", "properties": {"type": {"type": "string"}}},
            ],
            "discriminator": {"propertyName": "type"},
        }
    }
    with pytest.raises(GeneratorError) as caught:
        mapper_for(schemas)
    (problem,) = caught.value.problems
    assert problem.pointer == "/components/schemas/Pet/oneOf/1"


def test_a_component_branch_without_a_constant_is_selected_by_its_name() -> None:
    union = _pets({"propertyName": "type"}, dog_type={"type": "string"}).unions["Pet"]
    assert union.discriminator is not None
    assert union.discriminator.mapping == (("cat", "Cat"), ("Dog", "Dog"))


def test_discriminated_union_is_a_union_ref_from_its_users() -> None:
    mapper = _pets({"propertyName": "type"})
    assert mapper.component("Pet") == ir.UnionRef("Pet")


# ---------------------------------------------------------------- allOf


def test_all_of_merges_properties_and_required() -> None:
    schemas = {
        "Base": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
        },
        "Middle": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"size": {"type": "integer"}}},
            ]
        },
        "Leaf": {
            "allOf": [
                {"$ref": "#/components/schemas/Middle"},
                {
                    "type": "object",
                    "required": ["size", "leaf"],
                    "properties": {"leaf": {"type": "boolean"}},
                },
            ]
        },
    }
    mapper = mapper_for(schemas)
    leaf = {f.wire_name: f for f in mapper.models["Leaf"].fields}
    assert list(leaf) == ["id", "note", "size", "leaf"]
    assert {name for name, f in leaf.items() if f.required} == {"id", "size", "leaf"}
    assert leaf["size"].type == ir.Primitive("int")
    assert [f.wire_name for f in mapper.models["Middle"].fields] == ["id", "note", "size"]


def test_all_of_of_one_reference_is_that_reference() -> None:
    assert property_type({"allOf": [{"$ref": "#/components/schemas/Other"}]}, **OTHER) == (
        ir.ModelRef("Other")
    )


# ---------------------------------------------------------------- naming


def test_inline_object_is_named_by_its_path() -> None:
    schemas = {
        "ImagesUsage": {
            "type": "object",
            "properties": {
                "input_tokens_details": {
                    "type": "object",
                    "properties": {"text_tokens": {"type": "integer"}},
                }
            },
        }
    }
    mapper = mapper_for(schemas)
    assert mapper.models["ImagesUsage"].fields[0].type == ir.ModelRef(
        "ImagesUsageInputTokensDetails"
    )
    assert "ImagesUsageInputTokensDetails" in mapper.models


def test_inline_things_in_arrays_and_enums_are_named_by_path() -> None:
    schemas = {
        "Thing": {
            "type": "object",
            "properties": {
                "parts": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"a": {"type": "string"}}},
                },
                "output_format": {"type": "string", "enum": ["png", "webp"]},
            },
        }
    }
    mapper = mapper_for(schemas)
    parts, output_format = mapper.models["Thing"].fields
    assert parts.type == ir.ListOf(ir.ModelRef("ThingPartsItem"))
    assert output_format.type == ir.EnumRef("ThingOutputFormat")


def test_class_names_come_from_component_keys_never_title() -> None:
    schemas = {
        "image_response": {
            "type": "object",
            "title": "Image generation response",
            "properties": {
                "inner": {
                    "type": "object",
                    "title": "Fancy Title",
                    "properties": {"x": {"type": "integer"}},
                }
            },
        },
        "size-choice": {"type": "string", "title": "Size Title", "enum": ["a", "b"]},
    }
    mapper = mapper_for(schemas)
    assert set(mapper.models) == {"ImageResponse", "ImageResponseInner"}
    assert set(mapper.enums) == {"SizeChoice"}


def test_renaming_a_title_does_not_change_any_name() -> None:
    schemas = {
        "Thing": {
            "type": "object",
            "title": "One",
            "properties": {"p": {"type": "string", "enum": ["a", "b"], "title": "X"}},
        }
    }
    first = mapper_for(schemas)
    renamed = copy.deepcopy(schemas)
    renamed["Thing"]["title"] = "Two"
    renamed["Thing"]["properties"]["p"]["title"] = "Y"
    second = mapper_for(renamed)
    assert first.models == second.models
    assert first.enums == second.enums


# ---------------------------------------------------------------- field rules


IMAGE_REF = {
    "type": "object",
    "properties": {"image_url": {"type": "string"}, "file_id": {"type": "string"}},
    "anyOf": [{"required": ["image_url"]}, {"required": ["file_id"]}],
    "not": {"required": ["image_url", "file_id"]},
    "additionalProperties": False,
}


def test_any_of_required_and_not_become_a_field_rule() -> None:
    mapper = mapper_for({"ImageRefParam": IMAGE_REF})
    model = mapper.models["ImageRefParam"]
    assert model.rules == (
        ir.FieldRule(any_of=(("image_url",), ("file_id",)), not_all=("image_url", "file_id")),
    )
    assert [(f.wire_name, f.required) for f in model.fields] == [
        ("image_url", False),
        ("file_id", False),
    ]
    assert model.extra is None


def test_repository_image_ref_param_has_the_field_rule() -> None:
    api = build_api(load_document(SPEC), load_config(SPEC.with_name("images-edit.client.yaml")))
    model = next(m for m in api.models if m.name == "ImageRefParam")
    assert model.rules == (
        ir.FieldRule(any_of=(("image_url",), ("file_id",)), not_all=("image_url", "file_id")),
    )


def test_generated_image_ref_param_needs_exactly_one_of_url_and_file_id() -> None:
    from openai_images import ImageRefParam

    assert ImageRefParam(image_url="https://example.test/a.png").to_dict() == {
        "image_url": "https://example.test/a.png"
    }
    assert ImageRefParam(file_id="file-1").to_dict() == {"file_id": "file-1"}
    with pytest.raises(ValueError, match="image_url"):
        ImageRefParam(image_url="https://example.test/a.png", file_id="file-1")
    with pytest.raises(ValueError, match="image_url"):
        ImageRefParam()
    with pytest.raises(ValueError):
        ImageRefParam.from_dict({})


# ---------------------------------------------------------------- OpenAPI 3.0 and 3.1 agree


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    """The same API written as OpenAPI 3.0 (``nullable``) and as 3.1 (null types)."""

    def schemas(v30: bool) -> dict[str, Any]:
        def nullable(schema: dict[str, Any]) -> dict[str, Any]:
            if v30:
                return {**schema, "nullable": True}
            if "$ref" in schema:
                return {"anyOf": [schema, {"type": "null"}]}
            return {**schema, "type": [schema["type"], "null"]}

        return {
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "name": nullable({"type": "string"}),
                    "count": nullable({"type": "integer", "minimum": 0}),
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "size": {"type": "string", "enum": ["small", "large"], "default": "small"},
                    "mode": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["x", "y"]}]},
                    "other": (
                        {"allOf": [{"$ref": "#/components/schemas/Other"}], "nullable": True}
                        if v30
                        else nullable({"$ref": "#/components/schemas/Other"})
                    ),
                },
            },
            **OTHER,
        }

    paths = []
    for version, v30 in (("3.0.3", True), ("3.1.0", False)):
        spec = minimal_spec(
            schemas(v30),
            requestBody={
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
            },
        )
        spec["openapi"] = version
        folder = tmp_path / version
        folder.mkdir()
        path = folder / "spec.yaml"
        path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def test_openapi_30_document_loads_and_validates(tmp_path: Path) -> None:
    v30, _ = _pair(tmp_path)
    assert load_document(v30).version == "3.0"


def test_openapi_30_and_31_map_to_the_same_ir(tmp_path: Path) -> None:
    v30, v31 = _pair(tmp_path)
    config = load_config(None, "pkg")
    api30 = build_api(load_document(v30), config)
    api31 = build_api(load_document(v31), config)
    assert api30.models == api31.models
    assert api30.enums == api31.enums
    assert api30.unions == api31.unions
    assert api30.operations == api31.operations
    thing = next(m for m in api30.models if m.name == "Thing")
    fields = {f.wire_name: f.type for f in thing.fields}
    assert fields["name"] == ir.Union((STR, ir.NONE))
    assert fields["other"] == ir.Union((ir.ModelRef("Other"), ir.NONE))


def test_inline_branches_that_share_a_first_property_are_named_by_one_only_they_have() -> None:
    by_id = {"type": "object", "required": ["name", "id"], "properties": {"name": {}, "id": {}}}
    by_url = {"type": "object", "required": ["name", "url"], "properties": {"name": {}, "url": {}}}
    mapper = mapper_for({"Thing": {"type": "object", "properties": {"p": {
        "oneOf": [by_id, by_url]}}}})  # fmt: skip
    assert {"ThingPWithId", "ThingPWithUrl"} <= set(mapper.models)


def test_an_untyped_schema_of_other_properties_is_a_dict_of_them() -> None:
    # The one object rule (docview.is_object_schema): ``additionalProperties`` is an
    # object keyword, so the schema describes objects even without ``type``.
    assert property_type({"additionalProperties": {"type": "integer"}}) == ir.MapOf(
        ir.Primitive("int")
    )
