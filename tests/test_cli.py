"""The command line: ``check`` is the golden test, output is deterministic and relocatable."""

from __future__ import annotations

import ast
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline.record import FOLDER, MANIFEST, PRISTINE

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "images-edit.yaml"
CONFIG = ROOT / "spec" / "images-edit.client.yaml"
GENERATED = ROOT / "generated"
VENDOR = "myapp_vendor_images"


def run_cli(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        and not any(part in (".mypy_cache", ".ruff_cache") for part in p.parts)
    }  # fmt: skip


def spec_copy(folder: Path) -> Path:
    """The repository spec and its client config, copied side by side into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG, folder / CONFIG.name)
    return Path(shutil.copy(SPEC, folder / SPEC.name))


@pytest.fixture(scope="module")
def generated_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pristine copy of the committed ``generated/``; tests copy it again before editing."""
    copy = tmp_path_factory.mktemp("committed") / "generated"
    shutil.copytree(GENERATED, copy, ignore=shutil.ignore_patterns("__pycache__", ".*_cache"))
    return copy


# ---------------------------------------------------------------- the golden test


def test_check_passes_on_the_repository_as_committed() -> None:
    """``generated/`` is exactly what the generator produces from ``spec/``."""
    done = run_cli("check", env={"OPENAPI_IMAGES_GENERATOR_CACHE": "off"})  # in full
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    assert "\n+++ " not in done.stdout, done.stdout[-4000:]  # no diff
    assert "up to date" in done.stdout


def test_check_passes_a_hand_edit_and_names_the_file(generated_copy: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(generated_copy, tmp_path / "gen_copy"))
    client = copy / "openai_images" / "client.py"
    client.write_text(
        client.read_text(encoding="utf-8") + "\nHAND_EDIT = 1  # a hand edit\n", encoding="utf-8"
    )
    done = run_cli("check", SPEC, "-o", copy)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    assert "edited by hand (the edits still apply; regenerating keeps them): " in done.stdout
    assert "openai_images/client.py" in done.stdout
    assert "\n+++ " not in done.stdout  # a hand edit is no diff to report
    assert "Traceback" not in done.stderr


def test_check_of_a_stale_file_exits_1_with_a_diff_naming_it(tmp_path: Path) -> None:
    spec = spec_copy(tmp_path / "spec")
    out = tmp_path / "gen_copy"
    assert run_cli("generate", spec, "-o", out).returncode == 0
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("Text describing the wanted edit.", "Text, CHANGED.", 1))
    done = run_cli("check", "-o", out)
    assert done.returncode == 1, done.stdout[-4000:] + done.stderr
    assert "--- gen_copy/openai_images/resources/images.py\n" in done.stdout
    assert "+++ gen_copy/openai_images/resources/images.py\n" in done.stdout
    assert "stale: " in done.stderr and "openai_images/resources/images.py" in done.stderr
    assert "the spec changed since it was generated" in done.stderr


def test_check_keeps_quiet_about_a_users_file_and_names_a_missing_one(
    generated_copy: Path, tmp_path: Path
) -> None:
    copy = Path(shutil.copytree(generated_copy, tmp_path / "gen_copy"))
    (copy / "openai_images" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    (copy / "openai_images" / "client.py").unlink()
    done = run_cli("check", SPEC, "-o", copy)
    assert done.returncode == 1
    assert "extra.py" not in done.stdout + done.stderr
    assert "--- /dev/null\n+++ gen_copy/openai_images/client.py\n" in done.stdout


def test_check_after_a_spec_change_exits_1(tmp_path: Path) -> None:
    spec = spec_copy(tmp_path / "spec")
    out = tmp_path / "out"
    assert run_cli("generate", spec, "-o", out).returncode == 0
    assert run_cli("check", spec, "-o", out).returncode == 0
    text = spec.read_text(encoding="utf-8")
    changed = text.replace("Text describing the wanted edit.", "Text describing THE CHANGE.", 1)
    assert changed != text
    spec.write_text(changed, encoding="utf-8")
    done = run_cli("check", spec, "-o", out)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr
    assert "+" in done.stdout and "THE CHANGE" in done.stdout


def test_check_does_not_write(generated_copy: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(generated_copy, tmp_path / "gen_copy"))
    (copy / "openai_images" / "client.py").write_text("# replaced by hand\n", encoding="utf-8")
    spec = spec_copy(tmp_path / "spec")
    spec.write_text(spec.read_text(encoding="utf-8").replace("edit.", "EDIT.", 1))
    before = tree_bytes(copy)
    assert run_cli("check", spec, "-o", copy).returncode == 1
    assert tree_bytes(copy) == before


# ---------------------------------------------------------------- determinism


def test_generation_is_deterministic_across_processes(tmp_path: Path) -> None:
    """Two runs (with different hash seeds, from different folders) give identical bytes,
    but for where the record says the spec and config were."""
    first, second = tmp_path / "first", tmp_path / "second"
    spec_second = spec_copy(tmp_path / "elsewhere" / "spec")
    a = run_cli("generate", SPEC, "-o", first, env={"PYTHONHASHSEED": "1"})
    b = run_cli("generate", spec_second, "-o", second, env={"PYTHONHASHSEED": "2"}, cwd=tmp_path)
    assert (a.returncode, b.returncode) == (0, 0), a.stderr + b.stderr
    one, two = tree_bytes(first), tree_bytes(second)
    assert sorted(one) == sorted(two)
    different = [name for name in one if one[name] != two[name]]
    assert different == [MANIFEST]
    assert without_paths(one[MANIFEST]) == without_paths(two[MANIFEST])
    assert len(one) > 5


def without_paths(manifest: bytes) -> dict[str, object]:
    record = json.loads(manifest)
    for source in (record["spec"], record["config"]):
        source.pop("path")
    return dict(record)


def test_generated_files_end_with_one_newline_and_use_lf(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("generate", SPEC, "-o", out).returncode == 0
    for name, data in tree_bytes(out).items():
        if name.endswith("py.typed") or name == PRISTINE:  # empty; compressed
            continue
        assert b"\r" not in data, name
        assert data.endswith(b"\n") and not data.endswith(b"\n\n"), name


# ---------------------------------------------------------------- --package-name


@pytest.fixture(scope="module")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vendored") / "out"
    done = run_cli("generate", SPEC, "-o", out, "--package-name", VENDOR)
    assert done.returncode == 0, done.stderr
    return out


def test_package_name_sets_the_package_folder(vendored: Path) -> None:
    assert sorted(p.name for p in vendored.iterdir()) == [FOLDER, VENDOR, "pyproject.toml"]
    pyproject = (vendored / "pyproject.toml").read_text(encoding="utf-8")
    assert f'packages = ["{VENDOR}"]' in pyproject
    assert 'name = "myapp-vendor-images"' in pyproject


def test_vendored_package_never_imports_the_default_package_or_the_generator(
    vendored: Path,
) -> None:
    for path in sorted((vendored / VENDOR).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("openai_images", "generator"), path.name


def test_vendored_source_never_mentions_openai_images(vendored: Path) -> None:
    pattern = re.compile(r"\bopenai_images\b")
    for path in sorted(vendored.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            text = gzip.decompress(data) if path.suffix == ".gz" else data
            assert not pattern.search(text.decode("utf-8")), path.name


def test_vendored_package_imports_alone(vendored: Path, tmp_path: Path) -> None:
    """In a fresh interpreter whose path holds only the output: no generator, no openai_images."""
    code = f"""
import sys
sys.path[:0] = [{str(vendored)!r}]
import {VENDOR}, {VENDOR}.client, {VENDOR}.models, {VENDOR}.resources.images
assert {VENDOR}.Client.__module__ == "{VENDOR}.client", {VENDOR}.Client.__module__
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("generator", "openai_images"))
assert not leaked, leaked
client = {VENDOR}.Client(api_key="k")
assert client.images.edit.__qualname__ == "ImagesResource.edit"
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"


def test_vendored_user_agent_names_the_vendored_package(vendored: Path) -> None:
    client = (vendored / VENDOR / "client.py").read_text(encoding="utf-8")
    assert f'user_agent="{VENDOR}/' in client


@pytest.mark.parametrize("name", ["my-pkg", "class", "1abc", "my.pkg", "", "None"])
def test_invalid_package_name_exits_2(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("generate", SPEC, "-o", out, "--package-name", name)
    assert done.returncode == 2, done.stdout + done.stderr
    assert repr(name) in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_cli_without_a_command_exits_2() -> None:
    done = run_cli()
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_spec_hash_in_the_output_is_the_spec_files_sha256(vendored: Path) -> None:
    digest = hashlib.sha256(SPEC.read_bytes()).hexdigest()
    init = (vendored / VENDOR / "__init__.py").read_text(encoding="utf-8")
    assert f'SPEC_SHA256 = "{digest}"' in init
