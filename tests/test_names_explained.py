"""Names and types that explain themselves (``tests/specs/names-3.1.yaml``)."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from types import ModuleType

import pytest
from genutil import ROOT, import_fresh, lint_problems

from generator.pipeline import Generated, generate
from generator.pipeline.write import write_atomically

SPEC = ROOT / "tests" / "specs" / "names-3.1.yaml"


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate(SPEC, package_name="named")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, generated: Generated) -> Path:
    folder = tmp_path_factory.mktemp("names") / "out"
    write_atomically(folder, generated.files)
    return folder


@pytest.fixture
def named(out: Path) -> ModuleType:
    return import_fresh(out, "named")


def class_names(generated: Generated) -> list[str]:
    text = "\n".join(t for name, t in generated.files.items() if "/models/" in name)
    return re.findall(r"^class (\w+)\(", text, flags=re.MULTILINE)


def test_the_package_is_ruff_and_mypy_clean(out: Path) -> None:
    assert lint_problems(out, "named") == ""


def test_no_class_is_told_apart_by_underscores(generated: Generated) -> None:
    names = class_names(generated)
    assert names and not [n for n in names if n.endswith("_") or "__" in n]


def test_an_inline_schema_that_wants_a_components_name_is_told_apart_by_a_word(
    generated: Generated,
) -> None:
    assert {"ListThingsResponse", "ListThingsResponseSchema"} <= set(class_names(generated))


def test_alike_union_branches_are_named_by_their_titles(generated: Generated) -> None:
    assert {"ThingValuesValueMoney", "ThingValuesValueText"} <= set(class_names(generated))


def test_alike_branches_without_titles_are_named_by_where_they_differ(
    generated: Generated,
) -> None:
    assert {"ThingOtherWithValueOneOf0", "ThingOtherWithValueOneOf1"} <= set(class_names(generated))


def test_an_enum_narrowed_by_allof_is_the_literal_of_its_values(named: ModuleType) -> None:
    hints = typing.get_type_hints(named.Thing)
    assert hints["component_type"] == typing.Literal[2] | named.Unset
    assert hints["kind"] == typing.Literal["a"] | named.Unset


def test_prefix_items_say_what_was_approximated(generated: Generated) -> None:
    [warning] = [w for w in generated.warnings if w.pointer.endswith("/prefixItems")]
    assert warning.message.startswith("prefixItems (a tuple of 2 items, then more of any of them)")


def test_ambiguous_names_are_avoided(named: ModuleType) -> None:
    model = named.IModel.from_dict({"l": "x", "O": "y", "mode": "i"})
    assert (model.l_, model.o, model.mode) == ("x", "y", named.IModelMode.MODE_I)
    assert model.to_dict() == {"l": "x", "O": "y", "mode": "i"}


def test_names_in_other_scripts_are_transliterated() -> None:
    from generator.pipeline.names import class_name, field_name

    assert (field_name("名前"), field_name("Café"), class_name("한국")) == (
        "ming_qian",
        "cafe",
        "HanGug",
    )
