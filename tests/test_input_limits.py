"""Hostile input ends in seconds with exit 2 and a located error naming the limit it broke."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import GeneratorError, Problem
from generator.pipeline.limits import Limits, from_environment, parse_size
from generator.pipeline.load import load_document
from generator.pipeline.yamlread import parse

ROOT = Path(__file__).resolve().parent.parent
HEADER = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
HANG = 300.0  # seconds: only a guard against hanging forever; limits are shown by messages


def run_cli(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=HANG,
    )  # fmt: skip


def problems(text: str | bytes, filename: str = "spec.yaml", **limits: int) -> list[Problem]:
    """The problems of parsing ``text``; fails the test when it parses."""
    source = text.encode() if isinstance(text, str) else text
    with pytest.raises(GeneratorError) as caught:
        parse(source, filename, Limits(**limits))
    return list(caught.value.problems)


def alias_bomb(levels: int = 9) -> str:
    """Each level is a list of nine aliases to the one before: 9**levels nodes expanded."""
    lines = ["x-bomb:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return HEADER + "\n".join(lines) + "\n"


# ---------------------------------------------------------------- size


def test_a_200_mb_spec_is_refused_before_it_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "huge.yaml"
    with spec.open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)  # sparse: no 200 MB written to disk
    done = run_cli("generate", spec, "-o", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert f"error: {spec}: /: is 209,715,200 bytes, more than the limit of 64 MiB" in done.stderr
    assert "--max-input-size" in done.stderr and "GENERATOR_MAX_INPUT_BYTES" in done.stderr
    assert not (tmp_path / "out").exists()


def test_max_input_size_flag_lowers_the_limit() -> None:
    done = run_cli(
        "generate", "spec/images-edit.yaml", "--max-input-size", "1K", "-o", "/nonexistent"
    )
    assert done.returncode == 2
    assert "more than the limit of 1,024 bytes" in done.stderr


def test_input_size_environment_variable_sets_the_limit() -> None:
    env = {"GENERATOR_MAX_INPUT_BYTES": "2k"}
    done = run_cli("generate", "spec/images-edit.yaml", "-o", "/nonexistent", env=env)
    assert done.returncode == 2
    assert "more than the limit of 2,048 bytes" in done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_before_reading(tmp_path: Path) -> None:
    done = run_cli("generate", "/dev/zero", "--max-input-size", "1M", "-o", tmp_path / "out")
    assert done.returncode == 2
    assert "error: /dev/zero: /: cannot read file: it is a character device" in done.stderr


def test_a_bad_limit_in_the_environment_exits_2_naming_the_variable() -> None:
    done = run_cli("generate", "-o", "/nonexistent", env={"GENERATOR_MAX_DEPTH": "deep"})
    assert done.returncode == 2
    assert "GENERATOR_MAX_DEPTH" in done.stderr and "Traceback" not in done.stderr


def test_sizes_take_binary_suffixes() -> None:
    assert [parse_size(t, "x") for t in ("10", "2K", "64M", "1G", "3MiB")] == [
        10, 2048, 64 << 20, 1 << 30, 3 << 20,
    ]  # fmt: skip


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_MAX_ALIAS_NODES", "7")
    assert from_environment() == Limits(max_alias_nodes=7)


# ---------------------------------------------------------------- aliases


def test_alias_bomb_ends_at_once_with_exit_2_naming_the_limit(tmp_path: Path) -> None:
    spec = tmp_path / "bomb.yaml"
    spec.write_text(alias_bomb(), encoding="utf-8")
    assert spec.stat().st_size < 1300
    done = run_cli("generate", spec, "-o", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert "aliases expand the document by more than the limit of 1,000,000 nodes" in done.stderr
    assert "--max-alias-nodes" in done.stderr and "Traceback" not in done.stderr


def test_alias_bomb_error_names_the_alias_line_and_pointer() -> None:
    [problem] = problems(alias_bomb(), max_alias_nodes=1000)
    assert (problem.pointer, problem.line) == ("/x-bomb/a3/0", 8)  # 90 + 819 + 820 > 1000


def test_aliases_within_the_limit_are_expanded() -> None:
    text = HEADER + "x-a: &a {k: [1, 2]}\nx-b: *a\nx-c: *a\n"
    data = parse(text.encode(), "spec.yaml", Limits(max_alias_nodes=10)).data  # 2 x 5 nodes
    assert data["x-b"] == data["x-c"] == {"k": [1, 2]}


def test_an_alias_inside_the_node_it_names_is_an_error() -> None:
    [problem] = problems(HEADER + "x-loop: &a [1, *a]\n")
    assert problem.pointer == "/x-loop/1"
    assert "cycle" in problem.message


def test_an_anchor_defined_twice_is_allowed_and_the_later_one_wins() -> None:
    text = HEADER + "x-a: &v 1\nx-b: *v\nx-c: &v 2\nx-d: *v\n"
    parsed = parse(text.encode(), "spec.yaml", Limits())
    assert [parsed.data[k] for k in ("x-b", "x-d")] == [1, 2]
    assert parsed.warnings == []


# ---------------------------------------------------------------- depth


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_spec_5000_levels_deep_exits_2_naming_the_depth_limit(
    tmp_path: Path, suffix: str
) -> None:
    deep = "[" * 5000 + "]" * 5000
    spec = tmp_path / f"deep{suffix}"
    if suffix == ".json":
        spec.write_text(f'{{"openapi": "3.1.0", "x": {deep}}}', encoding="utf-8")
    else:
        spec.write_text(HEADER + f"x: {deep}\n", encoding="utf-8")
    done = run_cli("generate", spec, "-o", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert (
        "nested deeper than the limit of 256 levels (--max-depth or GENERATOR_MAX_DEPTH)"
        in done.stderr
    )
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr


def test_yaml_deeper_than_the_limit_is_located_at_the_first_level_too_deep() -> None:
    [problem] = problems(HEADER + "x: " + "[" * 30 + "]" * 30 + "\n", max_depth=20)
    assert problem.pointer == "/x" + "/0" * 19
    assert problem.line == 4
    assert "limit of 20 levels" in problem.message


def test_json_deeper_than_the_limit_is_located_by_pointer_and_line() -> None:
    text = '{"openapi": "3.1.0",\n "x": ' + "[" * 30 + "]" * 30 + "}"
    [problem] = problems(text, "spec.json", max_depth=20)
    assert problem.pointer == "/x" + "/0" * 19
    assert problem.line == 2


def test_depth_limit_is_configurable(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(HEADER + "x-deep: " + "[" * 300 + "]" * 300 + "\n", encoding="utf-8")
    done = run_cli("slice", spec, "--operation", "x", "--max-depth", "400")
    assert "nested deeper" not in done.stderr  # read fine; it fails later for other reasons
    assert done.returncode == 2 and "no operation has operationId 'x'" in done.stderr


# ---------------------------------------------------------------- values Python refuses


@pytest.mark.parametrize(
    ("text", "filename", "pointer"),
    [
        (HEADER + "x-n: " + "9" * 5000 + "\n", "spec.yaml", "/x-n"),
        ('{"openapi": "3.1.0", "x-n": [-' + "9" * 5000 + "]}", "spec.json", "/x-n/0"),
    ],
    ids=["yaml", "json"],
)
def test_an_integer_python_cannot_convert_is_a_located_error(
    text: str, filename: str, pointer: str
) -> None:
    [problem] = problems(text, filename)
    assert problem.pointer == pointer
    assert problem.line is not None
    assert "5,000 digits" in problem.message and "4,300" in problem.message


@pytest.mark.parametrize(
    "value", ["!!binary aGVsbG8=", "!!set {a}", "!custom x", "!!timestamp 2020-01-01"]
)
def test_a_yaml_tag_with_no_json_meaning_is_a_located_error(value: str) -> None:
    [problem] = problems(HEADER + f"x-v: {value}\n")
    assert (problem.pointer, problem.line) == ("/x-v", 4)
    assert "has no JSON equivalent" in problem.message


def test_python_object_tags_are_refused() -> None:
    [problem] = problems(HEADER + "x-v: !!python/object/apply:os.system ['true']\n")
    assert "has no JSON equivalent" in problem.message


def test_a_mapping_as_a_key_is_a_located_error() -> None:
    [problem] = problems(HEADER + "x-v:\n  ? [a, b]\n  : c\n")
    assert problem.pointer == "/x-v"
    assert "key must be a string or a number" in problem.message


def test_more_than_one_yaml_document_is_an_error() -> None:
    [problem] = problems(HEADER + "---\nopenapi: 3.0.0\n")
    assert problem.line == 4 and "more than one YAML document" in problem.message


# ---------------------------------------------------------------- duplicate keys


def test_a_duplicate_yaml_key_is_a_located_warning_and_the_later_value_wins() -> None:
    parsed = parse((HEADER + "x-v:\n  a: 1\n  a: 2\n").encode(), "spec.yaml", Limits())
    assert parsed.data["x-v"] == {"a": 2}
    [warning] = parsed.warnings
    assert (warning.pointer, warning.line, warning.severity) == ("/x-v/a", 6, "warning")
    assert "first on line 5" in warning.message


def test_a_duplicate_json_key_is_a_located_warning_and_the_later_value_wins() -> None:
    text = '{"openapi": "3.1.0",\n "x": {"a": 1,\n  "a": 2}}'
    parsed = parse(text.encode(), "spec.json", Limits())
    assert parsed.data["x"] == {"a": 2}
    [warning] = parsed.warnings
    assert (warning.pointer, warning.severity) == ("/x/a", "warning")
    assert warning.line == 3


def test_duplicate_keys_reach_the_command_line_as_warnings(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    text = (ROOT / "spec" / "images-edit.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("info:\n", "info:\n  title: first\n", 1), encoding="utf-8")
    done = run_cli("slice", spec, "--operation", "createImageEdit")
    assert done.returncode == 0, done.stderr
    assert f"warning: {spec}:" in done.stderr and "/info/title: duplicate key 'title'" in (
        done.stderr
    )
    assert run_cli("slice", spec, "--operation", "createImageEdit", "--strict").returncode == 2


# ---------------------------------------------------------------- validation copes


def nested_schema(levels: int) -> str:
    """A valid spec whose one component nests ``levels`` objects in one another."""
    schema = "{type: string}"
    for _ in range(levels):
        schema = f"{{type: object, properties: {{a: {schema}}}}}"
    return HEADER + f"components:\n  schemas:\n    Deep: {schema}\n"


def test_a_valid_schema_80_levels_deep_loads_and_validates_without_findings(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(nested_schema(80), encoding="utf-8")
    document = load_document(spec)
    assert document.warnings == []


def test_a_ref_cycle_is_an_error_at_the_pointers_on_the_cycle(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        HEADER
        + "components:\n  schemas:\n"
        + "    A: {$ref: '#/components/schemas/B'}\n"
        + "    B: {$ref: '#/components/schemas/C'}\n"
        + "    C: {$ref: '#/components/schemas/A'}\n",
        encoding="utf-8",
    )
    with pytest.raises(GeneratorError) as caught:
        load_document(spec)
    [error] = caught.value.problems
    assert (error.pointer, error.line) == ("/components/schemas/A", 6)
    assert (
        "/components/schemas/A -> /components/schemas/B -> /components/schemas/C -> "
        "/components/schemas/A" in error.message
    )
