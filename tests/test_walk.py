"""The one walk over IR types (``generator/pipeline/walk.py``)."""

from __future__ import annotations

from generator.pipeline import ir
from generator.pipeline.walk import api_types, held_types, named, walk

STR = ir.Primitive("str")
PET = ir.ModelRef("Pet")
SIZE = ir.EnumRef("Size")


def test_a_type_is_walked_depth_first_in_order() -> None:
    type_ = ir.Union((ir.ListOf(PET), ir.MapOf(SIZE), STR))
    assert list(walk(type_)) == [type_, ir.ListOf(PET), PET, ir.MapOf(SIZE), SIZE, STR]


def test_named_things_are_mentioned_at_any_depth_but_not_opened() -> None:
    assert named([ir.ListOf(ir.Union((PET, ir.MapOf(SIZE)))), ir.UnionRef("Event")]) == {
        "Pet",
        "Size",
        "Event",
    }


def test_a_union_holds_its_variants_and_the_models_its_tags_select() -> None:
    union = ir.UnionDef(
        "Event",
        "/e",
        ir.Doc(),
        (PET,),
        ir.Discriminator("type", (("cat", "Cat"),)),
        None,
        by_event=(("dog", "Dog"),),
    )
    assert held_types(union) == [PET, ir.ModelRef("Cat"), ir.ModelRef("Dog")]


def test_an_api_holds_the_types_of_its_streams_pages_and_webhooks() -> None:
    stream = ir.EventStream(ir.UnionRef("Event"), "type", ())
    op = ir.Operation(
        "listPets", "GET", "/pets", "pets", "list", ir.Doc(), "", (), (),
        (ir.Response("200", "text/event-stream", "event-stream", None, stream),),
        None, "/paths/~1pets/get", page=ir.Pagination(ir.ListOf(PET)),
    )  # fmt: skip
    api = ir.Api("p", "", "", "", "", (), (), "", "", "", "", (), (), (), (op,), webhook_event=SIZE)
    assert set(api_types(api)) == {ir.UnionRef("Event"), ir.ListOf(PET), PET, SIZE}
