"""Regenerating across an evolving spec: ``generate --changelog``, and every step stays clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from genutil import generate_package
from spec_evolution import STEPS, write_step

from generator.__main__ import main
from generator.tools.changelog import read_package, render

LAST = len(STEPS)


@pytest.fixture(scope="module")
def changelogs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    """Each step generated over the one before it in one output folder: step -> changelog."""
    folder = tmp_path_factory.mktemp("regenerate")
    out = folder / "out"
    found = {}
    for step in range(1, LAST + 1):
        spec = write_step(folder, step)
        markdown = folder / f"CHANGES-{step}.md"
        argv = ["generate", str(spec), "-o", str(out), "--package-name", "x"]
        assert main([*argv, "--changelog", str(markdown)]) == 0
        found[step] = markdown.read_text(encoding="utf-8")
    return found


def section(markdown: str, name: str) -> str:
    """The text of one ``## name`` section."""
    start = markdown.index(f"## {name}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


def test_first_generation_says_so(changelogs: dict[int, str]) -> None:
    assert "First generation of `x`" in changelogs[1]
    assert "## Removed" not in changelogs[1]


def test_added_model_is_listed_under_added(changelogs: dict[int, str]) -> None:
    added = section(changelogs[2], "Added")
    assert "- Model `ImagesUsage`." in added
    assert "Field `ImagesResponse.usage`" in added
    assert "No breaking change" in changelogs[2]


def test_added_enum_values_are_listed_under_added(changelogs: dict[int, str]) -> None:
    added = section(changelogs[3], "Added")
    assert "- Enum value `ImagesResponseQuality.AUTO` = `auto`." in added
    assert "- Enum value `CreateImageEditRequestQuality.STANDARD` = `standard`." in added


def test_wider_argument_type_is_a_non_breaking_change(changelogs: dict[int, str]) -> None:
    changed = section(changelogs[3], "Changed")
    assert "Type of argument `quality` of `client.images.edit` widened" in changed
    assert "**Breaking:**" not in changed


def test_removed_field_is_listed_as_breaking(changelogs: dict[int, str]) -> None:
    removed = section(changelogs[4], "Removed")
    assert "- **Breaking:** Field `CreateImageEditRequest.user`." in removed
    assert "- **Breaking:** Argument `user` of `client.images.edit`." in removed
    assert "**2 breaking changes**" in changelogs[4]


def test_added_client_method_is_listed_under_added(changelogs: dict[int, str]) -> None:
    added = section(changelogs[5], "Added")
    assert (
        "- Client method `client.images.edit_json` (required arguments: `images`, `prompt`)."
        in added
    )
    assert "- Model `EditImageBodyJsonParam`." in added


def test_streaming_adds_an_optional_argument_and_keeps_the_return_type(
    changelogs: dict[int, str],
) -> None:
    assert "- Optional argument `stream` of `client.images.edit`" in section(changelogs[6], "Added")
    assert "Return type" not in changelogs[6]  # a call without stream= still returns ImagesResponse


def test_added_event_variant_is_not_breaking(changelogs: dict[int, str]) -> None:
    added = section(changelogs[7], "Added")
    assert "- Variant `ImageEditFailedEvent` of `ImageEditStreamEvent`" in added
    assert "No breaking change" in changelogs[7]


def test_argument_made_required_is_breaking(changelogs: dict[int, str]) -> None:
    changed = section(changelogs[8], "Changed")
    assert "- **Breaking:** Argument `n` of `client.images.edit` is now required." in changed


def test_narrowed_argument_type_is_breaking(changelogs: dict[int, str]) -> None:
    changed = section(changelogs[9], "Changed")
    assert "- **Breaking:** Type of argument `image` of `client.images.edit` narrowed" in changed


def test_regenerating_the_same_spec_reports_no_change(tmp_path: Path) -> None:
    spec = write_step(tmp_path, 5)
    argv = ["generate", str(spec), "-o", str(tmp_path / "out"), "--package-name", "x"]
    assert main(argv) == 0
    assert main([*argv, "--changelog", str(tmp_path / "CHANGES.md")]) == 0
    markdown = (tmp_path / "CHANGES.md").read_text(encoding="utf-8")
    assert "No change to the public API" in markdown


def test_renamed_package_is_breaking(tmp_path: Path) -> None:
    spec = write_step(tmp_path, 1)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out), "--package-name", "old_name"]) == 0
    changelog = tmp_path / "CHANGES.md"
    argv = ["generate", str(spec), "-o", str(out), "--package-name", "new_name"]
    assert main([*argv, "--changelog", str(changelog)]) == 0
    markdown = changelog.read_text(encoding="utf-8")
    assert "**Breaking:** Package renamed: `old_name` is now `new_name`" in markdown


def test_client_methods_are_read_from_the_implementation_not_the_overloads() -> None:
    client = """
from typing import overload
class ImagesResource:
    @overload
    def edit(self, *, prompt: str, stream: Literal[False] = False) -> Result: ...
    @overload
    def edit(self, *, prompt: str, stream: Literal[True]) -> Stream: ...
    def edit(self, *, prompt: str, stream: bool = False, n: int | None = None) -> Result | Stream:
        pass
    def _private(self) -> None: ...
class Client:
    images: ImagesResource
"""
    api = read_package("p", "", client)
    (name,) = api.methods
    method = api.methods[name]
    assert name == "client.images.edit"
    assert list(method.arguments) == ["prompt", "stream", "n"]
    assert method.arguments["prompt"].required
    assert not method.arguments["n"].required
    assert method.returns == "Result"  # what a call passing no new argument returns


def test_spec_text_with_backticks_stays_inside_code_spans() -> None:
    models = """
import enum
class Weird(enum.StrEnum):
    TICK = "a`b"
"""
    old = read_package("p", "", "")
    new = read_package("p", models, "")
    markdown = render(old, new)
    assert "``a`b``" in markdown


# ---------------------------------------------------------------- every step stays clean


def test_every_step_generates_an_importable_type_clean_package(tmp_path: Path) -> None:
    outputs = []
    for step in range(1, LAST + 1):
        spec = write_step(tmp_path / "specs", step)
        out = tmp_path / f"out{step}"
        package = generate_package(spec, out, f"evo_step{step}")
        assert package.__name__ == f"evo_step{step}"
        assert hasattr(package.client.ImagesResource, "edit")
        assert hasattr(package.client.ImagesResource, "edit_json") == (step >= 5)
        assert hasattr(package.models, "ImageEditFailedEvent") == (step >= 7)
        outputs.append(str(out / f"evo_step{step}"))
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            *outputs,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *outputs],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
