"""The vendoring loop, as a user runs it, on two versions of a spec.

1. generate v1 (under a package name the user chose);
2. add files of their own, and edit two generated files: one where v2 changes nothing,
   one exactly where v2 adds a field;
3. add an overlay that fixes a bug the upstream spec has;
4. regenerate with v2 (and the overlay), writing a changelog into the output folder.

Each test pins one thing the loop must leave behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from regen_specs import OVERLAY, V1, v2, write_yaml

from generator.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "petshop"
HELPER = "\n\ndef my_helper() -> str:\n    return 'mine'\n"
NULLABLE_TAG = "    tag: str | None | Unset = UNSET  # the server sends null\n"


def cli(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, argv)],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


class Loop:
    """What the four steps left, and what the regeneration said."""

    def __init__(self, folder: Path) -> None:
        self.out = folder / "vendor" / "petshop_client"
        self.v1 = write_yaml(folder / "specs" / "v1.yaml", V1)
        self.v2 = write_yaml(folder / "specs" / "v2.yaml", v2())
        self.overlay = write_yaml(folder / "specs" / "fix-limit.overlay.yaml", OVERLAY)
        # 1. generate v1
        first = cli("generate", self.v1, "-o", self.out, "--package-name", PACKAGE)
        assert first.returncode == 0, first.stderr
        self.v1_package = folder / "v1-copy"
        shutil.copytree(self.out, self.v1_package)
        # 2. the user's files and edits
        (self.out / ".git").mkdir()
        (self.out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
        (self.out / "NOTES.md").write_text("# Why we vendor\n", encoding="utf-8")
        (self.out / PACKAGE / "custom_helpers.py").write_text("X = 1\n", encoding="utf-8")
        self.client = self.out / PACKAGE / "client.py"
        self.client.write_text(self.client.read_text(encoding="utf-8") + HELPER, "utf-8")
        self.models = self.out / PACKAGE / "models" / "pets.py"
        text = self.models.read_text(encoding="utf-8")
        assert "    tag: str | Unset = UNSET\n" in text
        self.models.write_text(text.replace("    tag: str | Unset = UNSET\n", NULLABLE_TAG, 1))
        # 3. + 4. regenerate with v2 and the overlay
        self.changelog = self.out / "CHANGES.md"
        self.done = cli("generate", self.v2, "-o", self.out, "--overlay", self.overlay,
                        "--changelog", self.changelog)  # fmt: skip


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Loop:
    return Loop(tmp_path_factory.mktemp("loop"))


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    said = capsys.readouterr()
    return code, said.out, said.err


def test_the_users_files_are_intact(loop: Loop) -> None:
    assert (loop.out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (loop.out / "NOTES.md").read_text(encoding="utf-8") == "# Why we vendor\n"
    assert (loop.out / PACKAGE / "custom_helpers.py").read_text(encoding="utf-8") == "X = 1\n"


def test_the_changelog_written_into_the_output_folder_is_kept(loop: Loop) -> None:
    assert "- `Pet.age` (field added)" in loop.changelog.read_text(encoding="utf-8")


def test_the_edit_v2_did_not_touch_is_kept_in_the_new_generation(loop: Loop) -> None:
    text = loop.client.read_text(encoding="utf-8")
    assert text.endswith(HELPER)
    assert "# Spec: v2.yaml" in text  # and the file is v2's


def test_the_overlapping_edit_is_left_between_conflict_markers(loop: Loop) -> None:
    text = loop.models.read_text(encoding="utf-8")
    ours = text.index("<<<<<<< your edit\n")
    middle = text.index("=======\n", ours)
    theirs = text.index(">>>>>>> generated\n", middle)
    assert NULLABLE_TAG in text[ours:middle]  # the user's line is not lost
    assert "    age: int | Unset = UNSET\n" in text[middle:theirs]


def test_the_regeneration_exits_1_naming_the_conflicted_file(loop: Loop) -> None:
    assert loop.done.returncode == 1
    assert f"conflict: {loop.models}\n" in loop.done.stderr
    assert f"kept your edits in {loop.client}" in loop.done.stdout


def test_the_overlay_is_applied(loop: Loop) -> None:
    resource = (loop.out / PACKAGE / "resources" / "pets.py").read_text(encoding="utf-8")
    assert "limit: int | Unset = UNSET" in resource
    record = json.loads((loop.out / ".openapi-images-generator" / "manifest.json").read_text())
    assert [Path(o["path"]).name for o in record["overlays"]] == ["fix-limit.overlay.yaml"]


def test_check_names_the_hand_edited_file_and_the_unresolved_conflict(
    loop: Loop, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", loop.out)
    assert code == 1
    assert "edited by hand (the edits still apply; regenerating keeps them): " in out
    assert f"{PACKAGE}/client.py" in out
    assert f"unresolved conflict markers in: {PACKAGE}/models/pets.py" in err


def test_check_passes_once_the_conflict_is_resolved(
    loop: Loop, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "resolved"
    shutil.copytree(loop.out, out)
    models = out / PACKAGE / "models" / "pets.py"
    text = models.read_text(encoding="utf-8")
    start, end = text.index("<<<<<<< "), text.index(">>>>>>> generated\n")
    resolved = NULLABLE_TAG + '    age: int | Unset = UNSET\n    """Age in years."""\n'
    models.write_text(text[:start] + resolved + text[end + len(">>>>>>> generated\n") :])
    code, said, _ = run(capsys, "check", loop.v2, "-o", out, "--overlay", loop.overlay)
    assert code == 0
    assert "client.py" in said and "models/pets.py" in said
    assert "is up to date" in said


def test_diff_of_v1_and_the_new_package_shows_only_the_specs_change(
    loop: Loop, capsys: pytest.CaptureFixture[str]
) -> None:
    """The v1 spec is built like the package: its name (no env var noise), its overlay."""
    code, out, _ = run(capsys, "diff", loop.v1, loop.out, "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert [(c["kind"], c["location"]) for c in report["changes"]] == [("field_added", "Pet.age")]


def test_diff_of_the_old_package_and_the_new_spec_shows_only_the_specs_change(
    loop: Loop, capsys: pytest.CaptureFixture[str]
) -> None:
    """The v2 spec is built like the v1 package was: its name, and no overlay."""
    code, out, _ = run(capsys, "diff", loop.v1_package, loop.v2, "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert [(c["kind"], c["location"]) for c in report["changes"]] == [("field_added", "Pet.age")]
