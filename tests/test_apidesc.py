"""The API description a generated package carries: deterministic, prose-free, loadable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from genutil import ROOT, SPEC
from spec_evolution import STEPS, write_step

from generator.pipeline import apidesc, ir
from generator.tools.diff.cli import load_api

BROAD = ROOT / "tests" / "specs" / "broad-3.0.yaml"


def without_prose(value: Any) -> Any:
    """``value`` with descriptions, summaries and examples emptied, as a description keeps it."""
    if attrs.has(type(value)):
        changes = {
            f.name: apidesc.PROSE[f.name] if f.name in apidesc.PROSE else without_prose(v)
            for f in attrs.fields(type(value))
            for v in [getattr(value, f.name)]
        }
        return attrs.evolve(value, **changes)
    if isinstance(value, tuple):
        return tuple(without_prose(v) for v in value)
    return value


@pytest.mark.parametrize("spec", [SPEC, BROAD], ids=["images-edit", "broad-3.0"])
def test_load_is_the_inverse_of_dump(spec: Path) -> None:
    api = load_api(spec)
    assert apidesc.load(apidesc.dump(api)) == without_prose(api)


def test_every_evolution_step_round_trips(tmp_path: Path) -> None:
    for step in range(1, len(STEPS) + 1):
        api = load_api(write_step(tmp_path, step))
        assert apidesc.load(apidesc.dump(api)) == without_prose(api), step


def test_dump_is_deterministic_sorted_json() -> None:
    text = apidesc.dump(load_api(SPEC))
    assert text == apidesc.dump(load_api(SPEC))
    document = json.loads(text)
    assert (
        text
        == json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    )
    assert document["format"] == apidesc.FORMAT


def test_descriptions_and_examples_are_left_out(tmp_path: Path) -> None:
    text = apidesc.dump(load_api(write_step(tmp_path, 6)))
    assert "How many images." not in text  # a field description
    assert "Edit an image from a prompt." not in text  # the operation summary
    assert '"description"' not in text and '"examples"' not in text


def test_json_values_keep_their_kind() -> None:
    doc = ir.Doc(default=[1, {"a": (1.5, True)}, frozenset({"x", "y"})], has_default=True)
    bounds = ir.Bounds(maximum=float("inf"), values=(1, "x"))
    field = ir.Field("f", "f", ir.Const(1), True, attrs.evolve(doc, bounds=bounds), "/x")
    api = attrs.evolve(load_api(BROAD), models=(ir.Model("M", "/m", ir.Doc(), (field,), None),))
    assert apidesc.load(apidesc.dump(api)) == without_prose(api)


def test_unknown_format_version_is_a_clear_error() -> None:
    text = apidesc.dump(load_api(BROAD)).replace(apidesc.FORMAT, "api-description/99")
    with pytest.raises(apidesc.DescriptionError, match="unknown API description format"):
        apidesc.load(text)


def test_unknown_ir_class_is_a_clear_error() -> None:
    document = json.loads(apidesc.dump(load_api(BROAD)))
    document["api"]["operations"][0]["$"] = "Kerberos"
    with pytest.raises(apidesc.DescriptionError, match="unknown IR class 'Kerberos'"):
        apidesc.load(json.dumps(document))


def test_missing_required_attribute_is_a_clear_error() -> None:
    document = json.loads(apidesc.dump(load_api(BROAD)))
    del document["api"]["package_name"]
    with pytest.raises(apidesc.DescriptionError, match="lacks its field 'package_name'"):
        apidesc.load(json.dumps(document))


def test_text_that_is_not_json_is_a_clear_error() -> None:
    with pytest.raises(apidesc.DescriptionError, match="not an API description"):
        apidesc.load("[" * 100_000)


def test_committed_package_describes_its_spec() -> None:
    committed = ROOT / "generated" / "openai_images" / "_api.json"
    assert apidesc.load(committed.read_text(encoding="utf-8")) == without_prose(load_api(SPEC))
