"""Regenerating across an evolving spec: ``generate --changelog``, and every step stays clean."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from genutil import generate_package
from spec_evolution import STEPS, write_step

from generator.__main__ import main
from generator.pipeline import apidesc, ir
from generator.tools.changelog import Previous, render
from generator.tools.diff.cli import load_api

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
    assert "- `ImagesUsage` (model added): new model ImagesUsage." in added
    assert "`ImagesResponse.usage` (field added)" in added
    assert "No breaking change" in changelogs[2]


def test_added_enum_values_are_listed_under_added(changelogs: dict[int, str]) -> None:
    added = section(changelogs[3], "Added")
    assert "- `ImagesResponseQuality.AUTO` (enum value added): value 'auto' added" in added
    assert "- `CreateImageEditRequestQuality.STANDARD` (enum value added)" in added


def test_value_added_to_a_request_enum_is_not_breaking(changelogs: dict[int, str]) -> None:
    added = section(changelogs[3], "Added")
    assert "callers may now send it" in added
    assert "**Breaking:**" not in changelogs[3]


def test_removed_field_is_listed_as_breaking(changelogs: dict[int, str]) -> None:
    removed = section(changelogs[4], "Removed")
    assert "- **Breaking:** `CreateImageEditRequest.user` (field removed)" in removed
    assert "calls to client.images.edit passing user= fail with a TypeError" in removed
    assert "**1 breaking change**" in changelogs[4]


def test_added_client_method_is_listed_under_added(changelogs: dict[int, str]) -> None:
    added = section(changelogs[5], "Added")
    assert "new client method client.images.edit_json." in added
    assert "- `EditImageBodyJsonParam` (model added)" in added


def test_streaming_adds_an_optional_argument_and_keeps_the_return_type(
    changelogs: dict[int, str],
) -> None:
    added = section(changelogs[6], "Added")
    assert "calls to client.images.edit may pass stream=." in added
    assert "calls without it return what they did" in added
    assert "**Breaking:**" not in changelogs[6]


def test_added_event_variant_is_not_breaking(changelogs: dict[int, str]) -> None:
    added = section(changelogs[7], "Added")
    assert "- `ImageEditStreamEvent[image_edit.failed]` (event type added)" in added
    assert "No breaking change" in changelogs[7]


def test_argument_made_required_is_breaking(changelogs: dict[int, str]) -> None:
    changed = section(changelogs[8], "Changed")
    assert "- **Breaking:** `CreateImageEditRequest.n` (required added)" in changed
    assert "calls to client.images.edit must now pass n=" in changed


def test_narrowed_argument_type_is_breaking(changelogs: dict[int, str]) -> None:
    changed = section(changelogs[9], "Changed")
    assert "- **Breaking:** `CreateImageEditRequest.image` (type narrowed)" in changed


def reported(markdown: str) -> set[tuple[str, str, bool]]:
    """(kind, location, breaking) of each entry of a changelog."""
    entries = re.findall(r"^- (\*\*Breaking:\*\* )?`([^`]+)` \(([a-z ]+)\):", markdown, re.M)
    return {(kind.replace(" ", "_"), location, bool(mark)) for mark, location, kind in entries}


@pytest.mark.parametrize("step", range(2, LAST + 1))
def test_diff_and_changelog_report_the_same_changes(
    changelogs: dict[int, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    step: int,
) -> None:
    old, new = write_step(tmp_path, step - 1), write_step(tmp_path, step)
    code = main(["diff", str(old), str(new), "--format", "json"])
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert code == (1 if any(c["breaking"] for c in changes) else 0)
    assert changes
    assert reported(changelogs[step]) == {
        (c["kind"], c["location"], c["breaking"]) for c in changes
    }


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
    assert "- **Breaking:** `new_name` (package renamed): package old_name is now new_name" in (
        markdown
    )


def regenerate_over(tmp_path: Path, spoil: Callable[[Path], None]) -> str:
    """Generate step 1, spoil its API description, regenerate step 2: the changelog."""
    out = tmp_path / "out"
    argv = ["-o", str(out), "--package-name", "x"]
    assert main(["generate", str(write_step(tmp_path, 1)), *argv]) == 0
    spoil(out / "x" / "_api.json")
    changelog = tmp_path / "CHANGES.md"
    assert (
        main(["generate", str(write_step(tmp_path, 2)), *argv, "--changelog", str(changelog)]) == 0
    )
    return changelog.read_text(encoding="utf-8")


def test_previous_package_without_a_description_is_not_compared(tmp_path: Path) -> None:
    markdown = regenerate_over(tmp_path, Path.unlink)
    assert "has no API description" in markdown
    assert "No changes are listed." in markdown
    assert "## Added" not in markdown


def test_description_of_an_unknown_format_version_is_not_compared(tmp_path: Path) -> None:
    def newer(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(apidesc.FORMAT, "api-description/99"), encoding="utf-8")

    markdown = regenerate_over(tmp_path, newer)
    assert "cannot be read: unknown API description format 'api-description/99'" in markdown
    assert "No changes are listed." in markdown


def test_spec_text_cannot_break_the_markdown(tmp_path: Path) -> None:
    api = load_api(write_step(tmp_path, 1))
    empty = ir.Enum("Weird", "/components/schemas/Weird", ir.Doc(), ())
    members = (ir.EnumMember("TICK", "a`b"), ir.EnumMember("LINK", "*[x](y)*"))
    old = attrs.evolve(api, enums=(empty,))
    new = attrs.evolve(api, enums=(attrs.evolve(empty, members=members),))
    markdown = render(Previous(tmp_path, old), new)
    assert "value 'a\\`b' added to Weird" in markdown
    assert "value '\\*\\[x\\](y)\\*' added to Weird" in markdown
    assert "*[x](y)*" not in markdown


# ---------------------------------------------------------------- every step stays clean


def test_every_step_generates_an_importable_type_clean_package(tmp_path: Path) -> None:
    outputs = []
    for step in range(1, LAST + 1):
        spec = write_step(tmp_path / "specs", step)
        out = tmp_path / f"out{step}"
        package = generate_package(spec, out, f"evo_step{step}")
        assert package.__name__ == f"evo_step{step}"
        images = type(package.Client(api_key="k").images)
        assert hasattr(images, "edit")
        assert hasattr(images, "edit_json") == (step >= 5)
        assert hasattr(package, "ImageEditFailedEvent") == (step >= 7)
        outputs.append(str(out / f"evo_step{step}"))
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
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
