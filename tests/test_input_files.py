"""What a spec can make the generator read: external ``$ref`` s stay under the spec's folder
(symlinks followed) unless ``--ref-root`` widens it, and only regular files are read: a FIFO,
a device or a folder given as a spec, a config, a referenced file or a recording is exit 2 at
once, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import GeneratorError
from generator.pipeline import limits
from generator.pipeline.inputfiles import check_reach, open_regular
from generator.pipeline.load import load_document

ROOT = Path(__file__).resolve().parent.parent
GUARD = 60  # seconds: only stops a hang from blocking the suite; never a measured bound

SPEC = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /x:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'REF'}
"""
SECRET = "components:\n  schemas:\n    Secret: {type: string, description: the user's secret}\n"


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=GUARD,
    )  # fmt: skip


def spec_referring_to(folder: Path, ref: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "api.yaml"
    path.write_text(SPEC.replace("REF", ref), encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(GeneratorError) as caught:
        load_document(path, validate=False)
    (problem,) = caught.value.problems
    return str(problem)


# -- the folder boundary ------------------------------------------------------------------


def test_a_ref_to_a_file_outside_the_spec_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "private.yaml").write_text(SECRET, encoding="utf-8")
    spec = spec_referring_to(tmp_path / "api", "../private.yaml#/components/schemas/Secret")
    message = load_error(spec)
    assert "/paths/~1x/get/responses/200/content/application~1json/schema" in message
    assert "not read: it is outside" in message and "--ref-root" in message


def test_a_symlink_inside_the_folder_that_leads_out_of_it_is_refused(tmp_path: Path) -> None:
    (tmp_path / "private.yaml").write_text(SECRET, encoding="utf-8")
    spec = spec_referring_to(tmp_path / "api", "models.yaml#/components/schemas/Secret")
    (tmp_path / "api" / "models.yaml").symlink_to(tmp_path / "private.yaml")
    assert "not read: it is outside" in load_error(spec)


def test_an_absolute_path_outside_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "private.yaml").write_text(SECRET, encoding="utf-8")
    ref = f"{tmp_path / 'private.yaml'}#/components/schemas/Secret"
    assert "not read: it is outside" in load_error(spec_referring_to(tmp_path / "api", ref))


def test_ref_root_widens_the_folder(tmp_path: Path) -> None:
    (tmp_path / "private.yaml").write_text(SECRET, encoding="utf-8")
    spec = spec_referring_to(tmp_path / "api", "../private.yaml#/components/schemas/Secret")
    with limits.using(limits.Limits(ref_root=str(tmp_path))):
        document = load_document(spec, validate=False)
    assert "Secret" in document.data["components"]["schemas"]


def test_a_subfolder_of_the_spec_folder_is_reachable(tmp_path: Path) -> None:
    (tmp_path / "api" / "models").mkdir(parents=True)
    (tmp_path / "api" / "models" / "m.yaml").write_text(SECRET, encoding="utf-8")
    spec = spec_referring_to(tmp_path / "api", "models/m.yaml#/components/schemas/Secret")
    assert "Secret" in load_document(spec, validate=False).data["components"]["schemas"]


def test_the_boundary_check_follows_symlinks_on_both_sides(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert check_reach(tmp_path / "link" / "a.yaml", tmp_path / "real") is None
    assert check_reach(tmp_path / "real" / "a.yaml", tmp_path / "link") is None
    assert check_reach(tmp_path / "real" / ".." / "a.yaml", tmp_path / "real") is not None


def test_generate_refuses_an_outside_ref_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "private.yaml").write_text(SECRET, encoding="utf-8")
    spec = spec_referring_to(tmp_path / "api", "../private.yaml#/components/schemas/Secret")
    done = run_cli("generate", spec, "-o", tmp_path / "out", "--package-name", "p")
    assert done.returncode == 2, done.stderr
    assert "outside" in done.stderr and not (tmp_path / "out").exists()
    widened = run_cli("check", spec, "-o", tmp_path / "out", "--ref-root", tmp_path)
    assert "outside" not in widened.stderr


# -- only regular files -------------------------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")


@needs_fifo
def test_a_fifo_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)  # no writer ever opens it: a plain open() would wait forever
    with pytest.raises(GeneratorError) as caught:
        open_regular(fifo)
    assert "it is a FIFO (named pipe), not a regular file" in str(caught.value)


@needs_fifo
@pytest.mark.parametrize("command", ["generate", "slice", "diff", "conform"])
def test_a_fifo_given_as_a_spec_exits_2(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    extra: dict[str, list[str | Path]] = {
        "generate": ["-o", tmp_path / "out"],
        "slice": ["--operation", "x"],
        "diff": [ROOT / "spec" / "images-edit.yaml"],
        "conform": [ROOT / "tests" / "recordings" / "images_response.json"],
    }
    done = run_cli(command, fifo, *extra[command])
    assert done.returncode == 2
    assert f"{fifo}: /: cannot read file: it is a FIFO" in done.stderr


@needs_fifo
def test_a_fifo_given_as_a_recording_exits_2(tmp_path: Path) -> None:
    fifo = tmp_path / "rec.json"
    os.mkfifo(fifo)
    done = run_cli("conform", ROOT / "spec" / "images-edit.yaml", fifo)
    assert done.returncode == 2
    assert f"{fifo}: /: cannot read file: it is a FIFO" in done.stderr


@needs_fifo
def test_a_fifo_behind_a_ref_is_an_error_at_the_ref(tmp_path: Path) -> None:
    spec = spec_referring_to(tmp_path, "models.yaml")
    os.mkfifo(tmp_path / "models.yaml")
    assert "models.yaml: cannot read file: it is a FIFO" in load_error(spec)


@needs_fifo
def test_a_fifo_given_as_a_config_exits_2(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "client.yaml")
    done = run_cli(
        "generate", ROOT / "spec" / "images-edit.yaml", "--config", tmp_path / "client.yaml",
        "-o", tmp_path / "out",
    )  # fmt: skip
    assert done.returncode == 2
    assert "cannot read file: it is a FIFO" in done.stderr


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GeneratorError) as caught:
        open_regular("/dev/null")
    assert "it is a character device, not a regular file" in str(caught.value)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GeneratorError) as caught:
        open_regular(tmp_path)
    assert "it is a folder, not a regular file" in str(caught.value)


def test_a_regular_file_opens_in_blocking_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 10)
    with open_regular(path) as stream:
        assert os.get_blocking(stream.fileno())
        assert stream.read() == b"x" * 10
