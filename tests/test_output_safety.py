"""Where output goes and what it is named: failures exit 2 with a clear message, no traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from genutil import minimal_spec, write_spec

from generator.errors import GeneratorError
from generator.pipeline import generate_files, write
from generator.pipeline.config import load_config
from generator.pipeline.write import MARKER, write_atomically

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "images-edit.yaml"
FILES = {"pyproject.toml": MARKER + "\n", "pkg/__init__.py": "X = 1\n"}


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def errors_of(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stderr.splitlines() if line.startswith("error: ")]


# ---------------------------------------------------------------- where output goes


@pytest.mark.parametrize("out", ["/proc/generated-out", "/proc/self/nowhere/out"])
def test_an_output_under_proc_exits_2_with_a_clear_message(out: str) -> None:
    if not Path("/proc/self").exists():
        pytest.skip("needs /proc")
    done = run_cli("generate", SPEC, "-o", out)
    assert done.returncode == 2, done.stderr
    [error] = errors_of(done)
    assert "cannot" in error and "/proc" in error
    assert "Traceback" not in done.stderr


def test_a_parent_folder_that_cannot_be_written_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(write.tempfile, "mkdtemp", refuse)  # root may write anywhere
    with pytest.raises(GeneratorError) as caught:
        write_atomically(tmp_path / "out", FILES)
    [problem] = caught.value.problems
    assert problem.file == str(tmp_path)
    assert problem.message == "cannot write into this folder: Permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_parent_folder_exits_2(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        done = run_cli("generate", SPEC, "-o", parent / "out")
    finally:
        parent.chmod(0o700)
    assert done.returncode == 2
    assert "Permission denied" in done.stderr and "Traceback" not in done.stderr


def test_a_failure_while_swapping_in_leaves_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_atomically(out, FILES)
    real_replace = os.replace
    calls: list[str] = []

    def fail_on_swap(src: str | Path, dst: str | Path) -> None:
        calls.append(str(src))
        if len(calls) == 2:  # the new folder into place, after the old one moved aside
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", fail_on_swap)
    with pytest.raises(GeneratorError) as caught:
        write_atomically(out, {**FILES, "pkg/__init__.py": "X = 2\n"})
    assert "No space left on device" in str(caught.value)
    assert (out / "pkg" / "__init__.py").read_text(encoding="utf-8") == "X = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging or retired folder


def test_regenerating_keeps_the_output_folders_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_atomically(out, FILES)
    out.chmod(0o751)
    write_atomically(out, {**FILES, "pkg/__init__.py": "X = 2\n"})
    assert stat.S_IMODE(out.stat().st_mode) == 0o751
    assert (out / "pkg" / "__init__.py").read_text(encoding="utf-8") == "X = 2\n"


def test_a_new_output_folder_gets_the_usual_mode_not_0700(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "out", FILES)
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755


# ---------------------------------------------------------------- package names


@pytest.mark.parametrize("name", ["os", "json", "typing", "httpx", "attrs", "attr", "anyio",
                                  "h11", "httpcore", "certifi", "idna", "sniffio",
                                  "typing_extensions"])  # fmt: skip
def test_a_package_name_that_shadows_a_needed_module_exits_2_at_the_flag(
    name: str, tmp_path: Path
) -> None:
    done = run_cli("generate", SPEC, "-o", tmp_path / "out", "--package-name", name)
    assert done.returncode == 2
    assert errors_of(done) == [
        f"error: <command line>: --package-name: {name!r} would shadow "
        + (
            "the standard library module of that name"
            if name in sys.stdlib_module_names
            else "a module the generated package needs at run time"
        )
    ]
    assert not (tmp_path / "out").exists()


def test_a_package_name_that_shadows_the_standard_library_is_located_in_the_config(
    tmp_path: Path,
) -> None:
    config = tmp_path / "client.yaml"
    config.write_text("# client\npackage_name: json\n", encoding="utf-8")
    with pytest.raises(GeneratorError) as caught:
        load_config(config)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.pointer) == (str(config), 2, "/package_name")


# ---------------------------------------------------------------- the client config


@pytest.mark.parametrize(
    ("text", "pointer", "words"),
    [
        ("api_key_env: 42\n", "/api_key_env", "must be a non-empty string, not 42"),
        ("base_url_env: ''\n", "/base_url_env", "must be a non-empty string"),
        ("api_key_env: 'MY KEY'\n", "/api_key_env", "is not an environment variable name"),
        ("operations: [createImageEdit]\n", "/operations", "must be a mapping"),
        ("operations:\n  x: {resource: a, method: b, variants: [c]}\n",
         "/operations/x/variants", "must map content types to method names"),
        ("client:\n  client_alias: Client\n", "/client/client_alias",
         "is not a public Python class name"),
        ("client:\n  error_alias: Api\n  async_client_alias: Api\n",
         "/client/async_client_alias", "already names another class"),
    ],
    ids=["api-key-env-number", "base-url-env-empty", "env-name-with-space",
         "operations-list", "variants-list", "alias-of-a-runtime-name", "alias-twice"],
)  # fmt: skip
def test_a_bad_config_value_is_reported_at_its_line(
    tmp_path: Path, text: str, pointer: str, words: str
) -> None:
    config = tmp_path / "client.yaml"
    config.write_text("package_name: fine\n" + text, encoding="utf-8")
    with pytest.raises(GeneratorError) as caught:
        load_config(config)
    [problem] = caught.value.problems
    line = 1 + len(text.splitlines())  # each bad value is on the text's last line
    assert (problem.file, problem.pointer, problem.line) == (str(config), pointer, line)
    assert words in problem.message


def test_an_alias_that_is_also_a_schema_name_is_an_error(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path, minimal_spec({"OpenAI": {"properties": {"a": {"type": "string"}}}, "Thing": {}})
    )
    config = tmp_path / "client.yaml"
    config.write_text("client:\n  client_alias: OpenAI\n", encoding="utf-8")
    with pytest.raises(GeneratorError) as caught:
        generate_files(spec, config, "aliased")
    [problem] = caught.value.problems
    assert (
        problem.pointer == "/client" and "'OpenAI' is also the name of a schema" in problem.message
    )


def test_a_bad_config_exits_2_with_every_problem_at_once(tmp_path: Path) -> None:
    config = tmp_path / "client.yaml"
    config.write_text("api_key_env: 42\nbase_url_env: [x]\n", encoding="utf-8")
    done = run_cli("generate", SPEC, "-o", tmp_path / "out", "--config", config)
    assert done.returncode == 2
    assert [e.split(": ")[2] for e in errors_of(done)] == ["/api_key_env", "/base_url_env"]


def test_a_config_that_does_not_exist_is_an_error_when_named(tmp_path: Path) -> None:
    done = run_cli("generate", SPEC, "-o", tmp_path / "out", "--config", tmp_path / "nope.yaml")
    assert done.returncode == 2
    assert errors_of(done) == [
        f"error: {tmp_path / 'nope.yaml'}: /: cannot read file: it does not exist"
    ]


def test_a_config_that_is_a_folder_is_an_error(tmp_path: Path) -> None:
    done = run_cli("generate", SPEC, "-o", tmp_path / "out", "--config", tmp_path)
    assert done.returncode == 2
    assert f"error: {tmp_path}: /: cannot read file" in done.stderr
    assert "Traceback" not in done.stderr


# A generated package carries its ruff settings in its pyproject.toml.
RUFF_CONFIG = {"pyproject.toml": "[tool.ruff]\nline-length = 100\n", "pkg/__init__.py": ""}


def test_generated_python_that_does_not_parse_is_an_internal_error_at_its_file_and_line() -> None:
    files = {**RUFF_CONFIG, "pkg/broken.py": "x = 1\ndef f(:\n    pass\n"}
    with pytest.raises(GeneratorError) as caught:
        write.format_files(files)
    problem = caught.value.problems[0]
    assert problem.file == "pkg/broken.py"
    assert "internal error: invalid generated Python at pkg/broken.py:2:" in problem.message


def test_generated_python_the_compiler_would_refuse_is_an_internal_error() -> None:
    files = {**RUFF_CONFIG, "pkg/misplaced.py": "x = 1\nreturn x\n"}
    with pytest.raises(GeneratorError) as caught:
        write.format_files(files)
    assert caught.value.problems[0].file == "pkg/misplaced.py"
    assert "F706" in caught.value.problems[0].message


def test_valid_files_are_formatted_and_unused_imports_dropped() -> None:
    files = {**RUFF_CONFIG, "pkg/ok.py": "import sys\nimport os\nx=os.sep\n"}
    assert write.format_files(files)["pkg/ok.py"] == "import os\n\nx = os.sep\n"
