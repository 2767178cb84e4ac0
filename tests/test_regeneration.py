"""Regeneration owns only what it wrote: the record, ownership, merges, and ``generate OUT``."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from regen_specs import V1, v2, write_yaml

from generator.__main__ import main
from generator.pipeline import write
from generator.pipeline.record import MANIFEST, PRISTINE, read_pristine, read_record, sha256
from generator.pipeline.regenerate import has_conflict_markers, merge

PACKAGE = "pet_store"  # from the spec's title, "Pet Store API"


def generate(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["generate", *map(str, argv)])
    said = capsys.readouterr()
    return code, said.out, said.err


def check(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["check", *map(str, argv)])
    said = capsys.readouterr()
    return code, said.out, said.err


@pytest.fixture
def v1_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    spec = write_yaml(tmp_path / "spec" / "pets.yaml", V1)
    out = tmp_path / "out"
    assert generate(capsys, spec, "-o", out)[0] == 0
    return out


def replace_spec(out: Path, spec: dict[str, Any]) -> None:
    """Rewrite the spec the output folder records (an upstream update in place)."""
    write_yaml(out.parent / "spec" / "pets.yaml", spec)


# ---------------------------------------------------------------- the record


def test_the_record_lists_every_generated_file_with_its_sha256(v1_out: Path) -> None:
    record = read_record(v1_out)
    assert record is not None
    on_disk = {
        p.relative_to(v1_out).as_posix()
        for p in v1_out.rglob("*")
        if p.is_file() and ".openapi-images-generator" not in p.parts
    }
    assert set(record.files) == on_disk
    for name, digest in record.files.items():
        assert sha256((v1_out / name).read_bytes()) == digest


def test_the_record_says_how_the_package_was_made(v1_out: Path) -> None:
    document = json.loads((v1_out / MANIFEST).read_text(encoding="utf-8"))
    spec = v1_out.parent / "spec" / "pets.yaml"
    assert document["spec"] == {
        "name": "pets.yaml",
        "path": "../spec/pets.yaml",
        "sha256": sha256(spec.read_bytes()),
    }
    assert document["package_name"] == PACKAGE
    assert document["config"] is None
    assert document["overlays"] == []
    assert document["generator"] == {"name": "openapi-images-generator", "version": "0.1.0"}


def test_the_pristine_copy_holds_every_file_as_generated(v1_out: Path) -> None:
    record = read_record(v1_out)
    assert record is not None
    pristine = read_pristine(v1_out, record)
    assert set(pristine) == set(record.files)
    assert pristine[f"{PACKAGE}/client.py"] == (v1_out / PACKAGE / "client.py").read_bytes()
    assert (v1_out / PRISTINE).stat().st_size < sum(len(v) for v in pristine.values()) / 2


def test_a_record_listing_a_path_outside_the_folder_is_refused(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = v1_out.parent / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    document = json.loads((v1_out / MANIFEST).read_text(encoding="utf-8"))
    document["files"]["../victim.txt"] = sha256(b"keep me\n")
    (v1_out / MANIFEST).write_text(json.dumps(document), encoding="utf-8")
    code, _, err = generate(capsys, v1_out)
    assert code == 2
    assert "'../victim.txt' is not a path inside the folder" in err
    assert victim.read_text(encoding="utf-8") == "keep me\n"


# ---------------------------------------------------------------- ownership


def test_regeneration_keeps_every_file_the_generator_did_not_write(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (v1_out / ".git").mkdir()
    (v1_out / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (v1_out / "NOTES.md").write_text("notes\n", encoding="utf-8")
    (v1_out / PACKAGE / "custom_helpers.py").write_text("X = 1\n", encoding="utf-8")
    replace_spec(v1_out, v2())
    assert generate(capsys, v1_out)[0] == 0
    assert (v1_out / ".git" / "config").read_text(encoding="utf-8") == "[core]\n"
    assert (v1_out / "NOTES.md").read_text(encoding="utf-8") == "notes\n"
    assert (v1_out / PACKAGE / "custom_helpers.py").read_text(encoding="utf-8") == "X = 1\n"


def test_regeneration_removes_a_listed_file_it_no_longer_generates(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = v2()
    spec["paths"]["/pets"]["get"]["tags"] = ["animals"]
    spec["paths"]["/pets"]["post"]["tags"] = ["animals"]
    replace_spec(v1_out, spec)
    (v1_out / PACKAGE / "resources" / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert generate(capsys, v1_out)[0] == 0
    assert not (v1_out / PACKAGE / "resources" / "pets.py").exists()
    assert (v1_out / PACKAGE / "resources" / "animals.py").is_file()
    assert (v1_out / PACKAGE / "resources" / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_hand_edited_file_no_longer_generated_is_left_in_place_with_a_warning(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = v2()
    spec["paths"]["/pets"]["get"]["tags"] = ["animals"]
    spec["paths"]["/pets"]["post"]["tags"] = ["animals"]
    replace_spec(v1_out, spec)
    pets = v1_out / PACKAGE / "resources" / "pets.py"
    pets.write_text(pets.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    code, _, err = generate(capsys, v1_out)
    assert code == 0
    assert pets.read_text(encoding="utf-8").endswith("# mine\n")
    assert f"{pets}: no longer generated, but edited by hand: left in place" in err
    record = read_record(v1_out)
    assert record is not None and f"{PACKAGE}/resources/pets.py" not in record.files


def test_a_folder_the_generator_did_not_write_is_still_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    out = tmp_path / "src"
    out.mkdir()
    (out / "app.py").write_text("print('mine')\n", encoding="utf-8")
    code, _, err = generate(capsys, spec, "-o", out)
    assert code == 2
    assert "exists and was not written by this generator; not replacing it" in err
    assert sorted(p.name for p in out.iterdir()) == ["app.py"]


def test_a_folder_from_before_records_keeps_the_users_files(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(v1_out / ".openapi-images-generator")  # as an older generator left it
    (v1_out / "NOTES.md").write_text("notes\n", encoding="utf-8")
    spec = v1_out.parent / "spec" / "pets.yaml"
    assert generate(capsys, spec, "-o", v1_out)[0] == 0
    assert (v1_out / "NOTES.md").read_text(encoding="utf-8") == "notes\n"
    assert read_record(v1_out) is not None


# ---------------------------------------------------------------- hand edits


def test_a_users_file_where_the_generator_now_writes_one_keeps_both_between_markers(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = v2()
    spec["paths"]["/pets"]["get"]["tags"] = ["animals"]
    replace_spec(v1_out, spec)
    mine = v1_out / PACKAGE / "resources" / "animals.py"
    mine.write_text("ANIMALS = 'mine'\n", encoding="utf-8")
    code, _, err = generate(capsys, v1_out)
    assert code == 1
    text = mine.read_text(encoding="utf-8")
    assert text.startswith("<<<<<<< your edit\nANIMALS = 'mine'\n=======\n")
    assert "class AnimalsResource" in text
    assert f"conflict: {mine}" in err


def test_discard_edits_overwrites_hand_edits_but_keeps_the_users_files(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = v1_out / PACKAGE / "client.py"
    generated = client.read_text(encoding="utf-8")
    client.write_text(generated + "# mine\n", encoding="utf-8")
    (v1_out / "NOTES.md").write_text("notes\n", encoding="utf-8")
    code, out, _ = generate(capsys, v1_out, "--discard-edits")
    assert code == 0
    assert client.read_text(encoding="utf-8") == generated
    assert f"discarded your edits in {client}" in out
    assert (v1_out / "NOTES.md").read_text(encoding="utf-8") == "notes\n"


def test_an_edit_far_from_the_generators_changes_survives_regeneration(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = v1_out / PACKAGE / "models" / "pets.py"
    text = models.read_text(encoding="utf-8")
    docstring = '    """A pet we know."""\n\n'
    edited = text.replace("class Pet(Model):\n", "class Pet(Model):\n" + docstring, 1)
    models.write_text(edited, "utf-8")
    replace_spec(v1_out, v2())
    assert generate(capsys, v1_out)[0] == 0
    merged = models.read_text(encoding="utf-8")
    assert '"""A pet we know.' in merged
    assert "    age: int | Unset = UNSET\n" in merged
    assert not has_conflict_markers(merged.encode())


def test_check_passes_a_hand_edit_that_still_applies_and_names_it(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = v1_out / PACKAGE / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    code, out, _ = check(capsys, v1_out)
    assert code == 0
    assert f"regenerating keeps them): {PACKAGE}/client.py\n" in out


def test_check_fails_on_unresolved_conflict_markers(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = v1_out / PACKAGE / "client.py"
    text = client.read_text(encoding="utf-8")
    client.write_text(text + "<<<<<<< your edit\nA = 1\n=======\nA = 2\n>>>>>>> generated\n")
    code, _, err = check(capsys, v1_out)
    assert code == 1
    assert f"unresolved conflict markers in: {PACKAGE}/client.py" in err


def test_check_says_why_the_folder_is_stale_and_the_command_that_fixes_it(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_spec(v1_out, v2())
    code, out, err = check(capsys, v1_out)
    assert code == 1
    assert f"+++ out/{PACKAGE}/models/pets.py" in out
    assert "the spec changed since it was generated" in err
    assert f"is stale: run `python -m generator generate {v1_out}`" in err


def test_the_merge_keeps_edits_that_do_not_overlap() -> None:
    base = b"a\nb\nc\nd\ne\n"
    result = merge(base, b"a\nB\nc\nd\ne\n", b"a\nb\nc\nd\nE\n")
    assert (result.data, result.conflict) == (b"a\nB\nc\nd\nE\n", False)


def test_the_merge_marks_edits_that_overlap() -> None:
    result = merge(b"a\nb\nc\n", b"a\nmine\nc\n", b"a\ntheirs\nc\n")
    assert result.conflict
    assert result.data == b"a\n<<<<<<< your edit\nmine\n=======\ntheirs\n>>>>>>> generated\nc\n"


def test_the_merge_without_a_base_keeps_both_sides() -> None:
    result = merge(None, b"mine\n", b"theirs\n")
    assert result.conflict
    assert b"mine\n" in result.data and b"theirs\n" in result.data


# ---------------------------------------------------------------- generate OUT


def test_generate_on_an_output_folder_alone_regenerates_it_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_yaml(tmp_path / "spec" / "pets.yaml", V1)
    out = tmp_path / "vendor" / "client"
    assert generate(capsys, spec, "-o", out, "--package-name", "petshop")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, said, _ = generate(capsys, os.path.relpath(out, elsewhere))
    assert code == 0
    assert "wrote 0 of" in said
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_check_compares_with_the_recorded_package_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "spec" / "pets.yaml", V1)
    out = tmp_path / "out"
    assert generate(capsys, spec, "-o", out, "--package-name", "petshop")[0] == 0
    code, said, _ = check(capsys, spec, "-o", out)
    assert code == 0
    assert said.endswith("is up to date\n")


def test_a_new_spec_into_a_recorded_folder_keeps_the_recorded_package_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    first = write_yaml(tmp_path / "v1.yaml", V1)
    assert generate(capsys, first, "-o", out, "--package-name", "petshop")[0] == 0
    renamed = v2()
    renamed["info"]["title"] = "Pet Store API, second edition"
    assert generate(capsys, write_yaml(tmp_path / "v2.yaml", renamed), "-o", out)[0] == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "petshop",
        "pyproject.toml",
    ]


def test_a_missing_recorded_spec_is_a_located_error(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (v1_out.parent / "spec" / "pets.yaml").unlink()
    code, _, err = generate(capsys, v1_out)
    assert code == 2
    assert f"{v1_out / MANIFEST}: /spec: the spec this folder was generated from" in err


def test_a_folder_without_a_record_is_no_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = generate(capsys, tmp_path)
    assert code == 2
    assert "is a folder without a generation record" in err


# ---------------------------------------------------------------- writing in place


def test_a_failure_while_updating_in_place_leaves_every_file_as_it_was(
    v1_out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (v1_out / "NOTES.md").write_text("notes\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in v1_out.rglob("*") if p.is_file()}
    replace_spec(v1_out, v2())
    real_replace = os.replace
    calls: list[str] = []

    def fail_midway(src: str | Path, dst: str | Path) -> None:
        calls.append(str(src))
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", fail_midway)
    code, _, err = generate(capsys, v1_out)
    assert code == 2
    assert "No space left on device" in err
    assert {p: p.read_bytes() for p in v1_out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in v1_out.parent.iterdir()) == ["out", "spec"]


def test_discard_edits_still_keeps_a_users_file_where_the_generator_now_writes_one(
    v1_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = v2()
    spec["paths"]["/pets"]["get"]["tags"] = ["animals"]
    replace_spec(v1_out, spec)
    mine = v1_out / PACKAGE / "resources" / "animals.py"
    mine.write_text("ANIMALS = 'mine'\n", encoding="utf-8")
    assert generate(capsys, v1_out, "--discard-edits")[0] == 1
    assert "ANIMALS = 'mine'\n" in mine.read_text(encoding="utf-8")
