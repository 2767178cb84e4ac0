"""A models module imports the names its text uses, grouped and ordered as isort would."""

from __future__ import annotations

from generator.pipeline.views import models_imports


def test_only_the_names_the_text_uses_are_imported() -> None:
    text = "class Pet(Model):\n    name: str | Unset = UNSET\n"
    assert models_imports("..", text) == (
        ("from .._models import Model", "from .._types import UNSET, Unset"),
    )


def test_groups_come_in_isort_order_standard_library_attrs_then_the_runtime() -> None:
    text = (
        "@attrs.define\nclass Pet(Model):\n    tags: Sequence[str]\n"
        "Kind: TypeAlias = Literal['a']\nclass Colour(enum.StrEnum): ...\n"
    )
    assert models_imports("...", text) == (
        (
            "import enum",
            "from collections.abc import Sequence",
            "from typing import Literal, TypeAlias",
        ),
        ("import attrs",),
        ("from ..._models import Model",),
    )


def test_a_module_that_uses_none_of_them_imports_nothing() -> None:
    assert models_imports("..", "__all__ = []\n") == ()
