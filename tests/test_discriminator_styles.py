"""Every way a spec names its discriminator values is read the same by ``generate`` and by
``conform``: both go through ``pipeline/discriminators.py``."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from genutil import generate_package, minimal_spec, write_spec

from generator.__main__ import main
from generator.pipeline.load import load_document
from generator.tools.conform.checker import Checker
from generator.tools.conform.exchanges import Exchange, RecordedRequest, RecordedResponse
from generator.tools.conform.findings import ExchangeReport

CAT = "#/components/schemas/Cat"
DOG = "#/components/schemas/Dog"
PLAIN = {"type": "string"}

# style: (discriminator, Cat's kind schema, Dog's kind schema, Cat's tag, Dog's tag)
STYLES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any], str, str]] = {
    "mapping-refs": (
        {"propertyName": "kind", "mapping": {"meow": CAT, "woof": DOG}},
        PLAIN,
        PLAIN,
        "meow",
        "woof",
    ),
    "mapping-names": (
        {"propertyName": "kind", "mapping": {"meow": "Cat", "woof": "Dog"}},
        PLAIN,
        PLAIN,
        "meow",
        "woof",
    ),
    "branch-constants": (
        {"propertyName": "kind"},
        {"type": "string", "const": "cat"},
        {"type": "string", "enum": ["dog"]},
        "cat",
        "dog",
    ),
    "implicit-names": ({"propertyName": "kind"}, PLAIN, PLAIN, "Cat", "Dog"),
}


def spec_of(style: str) -> dict[str, Any]:
    discriminator, cat_kind, dog_kind, _, _ = STYLES[style]
    schemas = {
        "Thing": {"type": "object", "properties": {"pet": {"$ref": "#/components/schemas/Pet"}}},
        "Pet": {"oneOf": [{"$ref": CAT}, {"$ref": DOG}], "discriminator": discriminator},
        "Cat": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": cat_kind, "lives": {"type": "integer"}},
        },
        "Dog": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": dog_kind, "good": {"type": "boolean"}},
        },
    }
    return minimal_spec(schemas)


@pytest.fixture(scope="module", params=sorted(STYLES))
def style(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    name: str = request.param
    folder = tmp_path_factory.mktemp(name)
    return name, write_spec(folder, spec_of(name))


@pytest.fixture(scope="module")
def package(style: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    name, spec = style
    out = tmp_path_factory.mktemp(f"{name}-out")
    return generate_package(spec, out, f"pets_{name.replace('-', '_')}")


@pytest.fixture(scope="module")
def checker(style: tuple[str, Path]) -> Checker:
    return Checker(load_document(style[1]))


def tags(style: tuple[str, Path]) -> tuple[str, str]:
    _, _, _, cat, dog = STYLES[style[0]]
    return cat, dog


def answer(checker: Checker, pet: dict[str, Any]) -> ExchangeReport:
    request = RecordedRequest("POST", "https://example.test/v1/things")
    body = json.dumps({"pet": pet}).encode()
    response = RecordedResponse(200, (("Content-Type", "application/json"),), body)
    return checker.check(Exchange("t.json", 0, "recording", request, response))


def test_generate_reads_each_branch_by_its_tag(
    style: tuple[str, Path], package: ModuleType
) -> None:
    cat, dog = tags(style)
    assert type(package.Thing.from_dict({"pet": {"kind": cat, "lives": 9}}).pet) is package.Cat
    assert type(package.Thing.from_dict({"pet": {"kind": dog, "good": True}}).pet) is package.Dog


def test_conform_accepts_an_answer_of_each_branch(
    style: tuple[str, Path], checker: Checker
) -> None:
    cat, dog = tags(style)
    assert answer(checker, {"kind": cat, "lives": 9}).findings == ()
    assert answer(checker, {"kind": dog, "good": True}).findings == ()


def test_conform_checks_the_branch_its_tag_selects(
    style: tuple[str, Path], checker: Checker
) -> None:
    cat, _ = tags(style)
    (finding,) = answer(checker, {"kind": cat, "lives": "nine"}).findings
    assert (finding.location, finding.rule) == ("body /pet/lives", "type")


def test_conform_reports_an_unknown_tag(style: tuple[str, Path], checker: Checker) -> None:
    (finding,) = answer(checker, {"kind": "parrot"}).findings
    assert (finding.location, finding.rule) == ("body /pet/kind", "discriminator")
    assert finding.message.startswith('unknown kind "parrot"')


def test_generate_and_conform_both_warn_about_a_broken_mapping_and_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = spec_of("mapping-names")
    spec["components"]["schemas"]["Bird"] = {"type": "object"}
    spec["components"]["schemas"]["Pet"]["discriminator"]["mapping"]["tweet"] = "Bird"
    path = write_spec(tmp_path, spec)
    recording = tmp_path / "r.json"
    recording.write_text('{"format": "http-recording/1", "exchanges": []}', encoding="utf-8")
    warning = "/components/schemas/Pet/discriminator/mapping/tweet: mapping value 'Bird'"
    assert main(["generate", str(path), "-o", str(tmp_path / "out")]) == 0
    assert warning in capsys.readouterr().err
    assert main(["conform", str(path), str(recording)]) == 0
    assert warning in capsys.readouterr().err
