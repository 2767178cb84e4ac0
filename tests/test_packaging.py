"""``pip install .`` (not editable) gives a working generator: its templates travel with it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from generator.pipeline.runtime import modules as runtime_modules

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "images-edit.yaml"
TEMPLATES = ROOT / "templates"
JINJA = sorted(p.name for p in TEMPLATES.glob("*.jinja"))

needs_hatchling = pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None,
    reason="hatchling is not installed: add it to the test extras so the wheel can be built "
    "offline with `pip wheel --no-build-isolation`",
)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without PYTHONPATH, so only what a test puts on the path is importable."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(extra)
    return env


def generate_and_import(site: Path, workdir: Path) -> None:
    """From ``workdir`` (not the checkout), generate with the generator in ``site``; import it."""
    out = workdir / "out"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "-o", str(out)],
        cwd=workdir, env=clean_env(PYTHONPATH=str(site)), capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    code = "from generator.pipeline import templates; print(templates.templates_dir())"
    where = subprocess.run(
        [sys.executable, "-c", code],
        cwd=workdir, env=clean_env(PYTHONPATH=str(site)), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert Path(where.stdout.strip()) == site / "generator" / "templates", where.stderr
    imported = subprocess.run(
        [sys.executable, "-c", "import openai_images as p; print(p.Client.__module__)"],
        cwd=workdir, env=clean_env(PYTHONPATH=str(out)), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == "openai_images.client\n"


# ---------------------------------------------------------------- the project's build config


def test_pyproject_ships_the_templates_inside_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["generator"]
    assert wheel["force-include"] == {"templates": "generator/templates"}


def test_every_runtime_module_the_renderer_copies_is_in_the_runtime_package() -> None:
    for module in runtime_modules():
        assert (ROOT / "generator" / "runtime" / f"{module}.py").is_file(), module
    assert {"__init__.py.jinja", "models.py.jinja", "resource.py.jinja", "client.py.jinja",
            "pyproject.toml.jinja"} <= set(JINJA)  # fmt: skip


def test_installed_layout_generates_from_another_folder(tmp_path: Path) -> None:
    """The wheel's layout, built by hand from the hatch config: ``generator/`` with
    ``generator/templates`` inside and no checkout ``templates/`` beside it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    site = tmp_path / "site"
    for package in wheel["packages"]:
        shutil.copytree(
            ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    for source, target in wheel["force-include"].items():
        shutil.copytree(ROOT / source, site / target, ignore=shutil.ignore_patterns("__pycache__"))
    assert not (site / "templates").exists()
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    generate_and_import(site, workdir)


# ---------------------------------------------------------------- the real wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
         str(dist), "."],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (path,) = dist.glob("openapi_images_generator-*.whl")
    return path


@needs_hatchling
def test_wheel_contains_the_sse_runtime_and_the_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "generator/runtime/_sse.py" in names
    for module in runtime_modules():
        assert f"generator/runtime/{module}.py" in names, module
    for template in JINJA:
        assert f"generator/templates/{template}" in names, template
    assert "generator/__main__.py" in names


@needs_hatchling
def test_wheel_ships_no_tests_or_generated_output(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.startswith(("tests/", "generated/", "spec/"))]


@needs_hatchling
def test_unzipped_wheel_generates_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    generate_and_import(site, workdir)
