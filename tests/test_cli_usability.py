"""Things a new user tripped on: help text, flag forms, pipes, names, the README's promises."""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from regen_specs import V1, v2, write_yaml

from generator.__main__ import build_parser, main
from generator.pipeline.config import package_name_from_title
from generator.runtime import _recording

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = ("generate", "check", "slice", "diff", "conform")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    said = capsys.readouterr()
    return code, said.out, said.err


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


# ---------------------------------------------------------------- --help


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_shows_no_raw_rst_markup(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(capsys, *([command] if command else []))
    assert "``" not in text


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_lists_the_exit_codes(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(capsys, *([command] if command else []))
    assert "exit codes:\n  0  " in text
    assert "\n  2  bad input" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_positional_argument_is_described(command: str) -> None:
    parser = subcommands()[command]
    positionals = [a for a in parser._actions if not a.option_strings]
    assert positionals
    for action in positionals:
        assert action.help and len(action.help) > 10, (command, action.dest)


def test_generate_help_shows_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    text = " ".join(help_text(capsys, "generate").split())
    assert "(default: the spec OUT records, else spec/images-edit.yaml)" in text
    assert "(default: SPEC when it is a folder, else generated)" in text
    assert "default: the config's package_name, else the name OUT records" in text


# ---------------------------------------------------------------- slice --operation a b


@pytest.mark.parametrize(
    "flags",
    [
        ["--operation", "listPets", "createPet"],
        ["--operation", "listPets", "--operation", "createPet"],
    ],
)
def test_slice_takes_several_operations_after_one_flag_or_repeated(
    flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    code, out, _ = run(capsys, "slice", spec, *flags)
    assert code == 0
    operations = yaml.safe_load(out)["paths"]["/pets"]
    assert [operations[m]["operationId"] for m in ("get", "post")] == ["listPets", "createPet"]


# ---------------------------------------------------------------- a closed pipe


def test_diff_into_a_closed_pipe_exits_quietly_like_sigpipe(tmp_path: Path) -> None:
    """``diff --format json | head``: the reader left; that is no bug to report."""
    old = write_yaml(tmp_path / "v1.yaml", V1)
    new = write_yaml(tmp_path / "v2.yaml", v2())
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "diff", str(old), str(new), "--format", "json"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=write_end,
            stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141


# ---------------------------------------------------------------- package names


def test_a_spec_without_a_config_names_its_package_after_its_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "pets.yaml", V1)  # title: Pet Store API
    out = tmp_path / "out"
    assert run(capsys, "generate", spec, "-o", out)[0] == 0
    assert (out / "pet_store" / "client.py").is_file()
    assert not (out / "openai_images").exists()
    client = (out / "pet_store" / "client.py").read_text(encoding="utf-8")
    assert "$PET_STORE_API_KEY" in client


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Swagger Petstore - OpenAPI 3.0", "petstore"),
        ("OpenAI API", "openai"),
        ("Email API", "email_client"),  # email is a standard library module
        ("HTTPX", "httpx_client"),  # the generated package imports httpx
        ("3D Printing API v2", "api_3d_printing"),
        ("Café Orders", "cafe_orders"),
        ("", "api_client"),
        ("日本語", "api_client"),
    ],
)
def test_the_name_from_a_title_is_a_usable_package_name(title: str, name: str) -> None:
    assert package_name_from_title(title) == name


# ---------------------------------------------------------------- diff of output folders


def test_diff_accepts_an_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_yaml(tmp_path / "v1.yaml", V1)
    out = tmp_path / "out"
    assert run(capsys, "generate", spec, "-o", out, "--package-name", "petshop")[0] == 0
    code, said, err = run(capsys, "diff", out, write_yaml(tmp_path / "v2.yaml", v2()))
    assert (code, err) == (0, "")
    assert said.splitlines()[0].startswith("ok       field_added Pet.age:")


def test_diff_of_a_folder_holding_no_package_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "diff", tmp_path, write_yaml(tmp_path / "v1.yaml", V1))
    assert code == 2
    assert "is a folder without a generated package" in err
    assert "Errno" not in err


def test_diff_of_two_specs_titled_differently_reports_no_package_rename(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = v2()
    renamed["info"]["title"] = "Pet Store API, second edition"
    old, new = write_yaml(tmp_path / "v1.yaml", V1), write_yaml(tmp_path / "v2.yaml", renamed)
    code, said, _ = run(capsys, "diff", old, new, "--format", "json")
    assert code == 0
    assert [c["location"] for c in json.loads(said)["changes"]] == ["Pet.age"]


# ---------------------------------------------------------------- the README's promises


def test_the_readme_shows_recording_transport_with_its_real_arguments() -> None:
    # Mentions that state the signature: names only (examples pass values).
    mentions = re.findall(r"\b(?:Async)?RecordingTransport\(([\w\s,]*)\)", README)
    assert mentions
    for cls in (_recording.RecordingTransport, _recording.AsyncRecordingTransport):
        required = [
            p.name
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.name != "self" and p.default is inspect.Parameter.empty
            and p.kind is not inspect.Parameter.KEYWORD_ONLY
        ]  # fmt: skip
        assert required == ["transport", "path"]
    for arguments in mentions:
        assert [a.strip() for a in arguments.split(",")][:2] == ["transport", "path"], arguments


def test_the_readme_says_which_tests_are_skipped_without_shared_and_why() -> None:
    opening = README[: README.index("\n## ")]
    assert "../shared" in opening
    assert "skipped" in opening
    assert "the full OpenAI spec" in opening


# ---------------------------------------------------------------- pre-commit


def test_the_pre_commit_hook_runs_check_through_the_installed_script() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["openapi-client-check"]
    hook = hooks[0]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    script, command = hook["entry"].split()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"][script] == "generator.__main__:main"
    assert command == "check"


def test_the_hook_fails_a_commit_whose_vendored_package_is_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What pre-commit runs: the entry, then the args the README shows (the folder)."""
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    spec = write_yaml(tmp_path / "pets.yaml", V1)
    out = tmp_path / "vendor" / "petstore_client"
    assert run(capsys, "generate", spec, "-o", out)[0] == 0
    argv = [*hook["entry"].split()[1:], str(out)]
    assert run(capsys, *argv)[0] == 0
    write_yaml(spec, v2())
    assert run(capsys, *argv)[0] == 1


def test_the_readme_shows_the_hook_and_a_ci_step() -> None:
    section = README[README.index("## Vendoring and regenerating") :]
    assert "- id: openapi-client-check\n        args: [vendor/petstore_client]" in section
    assert "- run: python -m generator check vendor/petstore_client" in section
