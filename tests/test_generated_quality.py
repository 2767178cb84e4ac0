"""The committed package is formatted, lint-clean, type-clean, and stands on its own."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from genutil import ROOT

from generator.pipeline.runtime import modules
from generator.pipeline.usage import Usage
from generator.runtime._models import Model
from generator.tools.diff.cli import build_spec

GENERATED = ROOT / "generated"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=GENERATED, capture_output=True, text=True, timeout=240
    )


def test_generated_package_passes_ruff_check() -> None:
    done = run("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_generated_package_is_ruff_formatted() -> None:
    done = run("ruff", "format", "--check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_generated_package_passes_mypy_strict() -> None:
    done = run("mypy", "--strict", "openai_images")
    assert done.returncode == 0, done.stdout + done.stderr


def test_generated_package_imports_without_the_generator_or_its_dependencies() -> None:
    # Block the generator and every dependency the runtime must not need, then import.
    probe = (
        "import sys\n"
        "for name in ('generator', 'jinja2', 'yaml', 'openapi_spec_validator', 'jsonschema'):\n"
        "    sys.modules[name] = None\n"
        "import openai_images\n"
        "loaded = [m for m, v in sys.modules.items() if v is not None]\n"
        "print(sorted(m for m in loaded if m.split('.')[0] in ('generator', 'jinja2', 'yaml')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=GENERATED,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(GENERATED), "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_project_code_passes_ruff_check() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "generator", "tests", "bench"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_project_code_is_formatted() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "generator", "tests",
         "bench"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_generator_passes_mypy_strict() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "generator"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_fragments_api_modules_stay_within_1500_lines() -> None:
    runtime = set(modules())
    package = GENERATED / "openai_images"
    api_modules = [p for p in package.rglob("*.py") if p.stem not in runtime]
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in api_modules)
    assert {p.name for p in api_modules} >= {"client.py", "images.py", "__init__.py"}
    assert lines <= 1500, f"{lines} lines in {len(api_modules)} API modules"


def test_each_set_of_enum_values_in_the_fragment_is_one_type_on_each_side() -> None:
    api = build_spec(ROOT / "spec" / "images-edit.yaml", None, (), None)
    usage = Usage(api)
    counted = Counter(
        (frozenset(m.value for m in e.members), usage.request_only(e.name)) for e in api.enums
    )
    assert [sorted(values) for (values, _), n in counted.items() if n > 1] == []
    assert len(api.enums) < 25  # 25 before one set of values became one type


def test_the_fragments_models_have_no_placeholder_or_repeated_docstrings() -> None:
    text = (GENERATED / "openai_images" / "models" / "images.py").read_text(encoding="utf-8")
    assert "Values of" not in text
    assert "Read leniently" not in text
    assert "read leniently" in (Model.__doc__ or "")  # said once, by the base class
