"""The namer: the naming rules of ``names.py`` applied to one document's schemas."""

from __future__ import annotations

import pytest

from generator.pipeline.namer import Namer, NameTaken

ORDER = {"type": "string", "enum": ["asc", "desc"]}
KIND = {"type": "string", "enum": ["a", "b"]}


def test_copies_of_one_inline_schema_share_its_name() -> None:
    namer = Namer({}, {})
    first = namer.inline(ORDER, "/paths/~1a/get/parameters/0/schema", ("Order",), ("ListA",))
    second = namer.inline(
        {**ORDER, "description": "Sort order."}, "/paths/~1b/get/parameters/0/schema", ("Order",),
        ("ListB",),
    )  # fmt: skip
    assert first[0] == second[0] == "Order"
    assert namer.settled() is None


def test_different_schemas_that_want_one_name_are_settled_by_their_operation() -> None:
    namer = Namer({}, {})
    namer.inline(ORDER, "/paths/~1a/get/parameters/0/schema", ("Order",), ("ListA",))
    provisional, _ = namer.inline(
        KIND, "/paths/~1b/get/parameters/0/schema", ("Order",), ("ListB",)
    )
    assert provisional == "Order_"
    assert namer.settled() == {
        "/paths/~1a/get/parameters/0/schema": "ListAOrder",
        "/paths/~1b/get/parameters/0/schema": "ListBOrder",
    }


def test_a_settled_name_another_schema_has_is_refused() -> None:
    namer = Namer({}, {}, {"/a": "Order", "/b": "Order"})
    namer.inline(ORDER, "/a", ("Order",), ())
    with pytest.raises(NameTaken):
        namer.inline(KIND, "/b", ("Order",), ())


def test_a_components_class_name_comes_from_its_key() -> None:
    namer = Namer({}, {"image-ref": {}, "Model": {}})
    assert namer.components == {"image-ref": "ImageRef", "Model": "ModelModel"}
