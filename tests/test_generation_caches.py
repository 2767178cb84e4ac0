"""``check`` answers from its cache when nothing changed, with the full check's words; any
change (spec, hand edit, the generator itself) goes to the full check."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.__main__ import main
from generator.pipeline import checkcache
from generator.pipeline import cli as pipeline_cli

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "images-edit.yaml"
CONFIG = ROOT / "spec" / "images-edit.client.yaml"


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package generated from a copy of the repository spec, with a cache of its own."""
    monkeypatch.setenv(checkcache.CACHE_ENV, str(tmp_path / "cache"))
    shutil.copy(CONFIG, tmp_path / CONFIG.name)
    shutil.copy(SPEC, tmp_path / SPEC.name)
    out = tmp_path / "out"
    assert main(["generate", str(tmp_path / SPEC.name), "-o", str(out)]) == 0
    return out


def check(out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["check", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def count_generations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = pipeline_cli.generate

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline_cli, "generate", counted)
    return calls


def test_an_unchanged_folder_is_checked_without_generating_and_says_the_same(
    package: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_generations(monkeypatch)
    cached = check(package, capsys)
    assert calls == []
    monkeypatch.setenv(checkcache.CACHE_ENV, "off")
    full = check(package, capsys)
    assert calls == [1]
    assert cached == full
    assert cached[0] == 0 and "is up to date" in cached[1]


def test_a_changed_spec_is_checked_in_full_and_found_stale(
    package: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = package.parent / SPEC.name
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# a comment changes the hash\n")
    calls = count_generations(monkeypatch)
    code, _, err = check(package, capsys)
    assert calls == [1]
    assert code == 1 and "the spec changed" in err


def test_a_hand_edit_is_checked_in_full(
    package: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = next((package / "openai_images").glob("_types.py"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# mine\n", encoding="utf-8")
    calls = count_generations(monkeypatch)
    code, out, _ = check(package, capsys)
    assert calls == [1]
    assert code == 0 and "edited by hand" in out and "_types.py" in out


def test_another_generator_does_not_use_this_ones_cache(
    package: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkcache, "fingerprint", lambda: "a different generator")
    calls = count_generations(monkeypatch)
    code, _, _ = check(package, capsys)
    assert calls == [1] and code == 0


def test_the_cache_can_be_turned_off(
    package: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(checkcache.CACHE_ENV, "off")
    calls = count_generations(monkeypatch)
    assert check(package, capsys)[0] == 0
    assert calls == [1]


# -- the format cache ------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_a_regeneration_from_the_format_cache_is_byte_for_byte_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(checkcache.CACHE_ENV, str(tmp_path / "cache"))
    shutil.copy(CONFIG, tmp_path / CONFIG.name)
    spec = Path(shutil.copy(SPEC, tmp_path / SPEC.name))
    assert main(["generate", str(spec), "-o", str(tmp_path / "first")]) == 0
    assert list((tmp_path / "cache").glob("format-*.json.gz"))
    text = spec.read_text(encoding="utf-8")  # a change that touches some files, not all
    changed = text.replace("Text describing the wanted edit.", "What to change.")
    assert changed != text
    spec.write_text(changed)
    formatted: list[int] = []
    from generator.pipeline import write

    original = write._format
    monkeypatch.setattr(
        write, "_format", lambda files: formatted.append(len(files)) or original(files)
    )
    assert main(["generate", str(spec), "-o", str(tmp_path / "cached")]) == 0
    monkeypatch.setenv(checkcache.CACHE_ENV, "off")
    assert main(["generate", str(spec), "-o", str(tmp_path / "fresh")]) == 0
    assert tree(tmp_path / "cached") == tree(tmp_path / "fresh")
    assert formatted[0] < formatted[1]  # from the cache, fewer files went through ruff


def test_a_regeneration_reports_the_validation_warnings_of_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.pipeline import validate

    monkeypatch.setenv(checkcache.CACHE_ENV, str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    text = SPEC.read_text(encoding="utf-8")
    # a default that breaks its schema: a validation finding, located by line
    prompt = "          type: string\n          example: A cute baby sea otter"
    changed = text.replace(prompt, prompt.replace("string\n", "string\n          default: 7\n"))
    assert changed != text
    spec.write_text(changed)
    shutil.copy(CONFIG, tmp_path / "spec.client.yaml")
    runs: list[int] = []
    original = validate.ParallelValidation.__init__

    def counted(self: Any, document: Any) -> None:
        runs.append(1)
        original(self, document)

    monkeypatch.setattr(validate.ParallelValidation, "__init__", counted)
    outputs = []
    for name in ("first", "second"):
        capsys.readouterr()
        assert main(["generate", str(spec), "-o", str(tmp_path / name)]) == 0
        outputs.append(capsys.readouterr().err)
    assert runs == [1]  # the second run took the findings from the cache
    assert outputs[0] == outputs[1]
    assert "default 7 does not match its schema" in outputs[1]
