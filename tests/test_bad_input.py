"""Bad input: ``generate`` exits 2 with a located message, no traceback, and touches nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent

# A valid 3.1 document whose one property schema (on the last line) is replaced per case.
BASE = """\
openapi: 3.1.0
info:
  title: Test API
  version: 1.0.0
servers:
- url: https://example.test/v1
paths:
  /things:
    post:
      operationId: createThing
      tags: [things]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        a: {type: string}
"""
PROPERTY_LINE = BASE.splitlines().index("        a: {type: string}") + 1
PROPERTY = "/components/schemas/Thing/properties/a"


def with_property(schema: str) -> str:
    return BASE.replace("a: {type: string}", f"a: {schema}")


def with_component(schema: str) -> str:
    """``Thing`` refers to a component ``Bad`` (added on the last line) with ``schema``."""
    return with_property("{$ref: '#/components/schemas/Bad'}") + f"    Bad: {schema}\n"


COMPONENT_LINE = len(with_component("{}").splitlines())


@attrs.frozen
class Case:
    """A bad spec: its text (or None: no file), name, and the pointer and line to report."""

    id: str
    text: str | bytes | None
    pointer: str
    line: int | None
    filename: str = "spec.yaml"
    message: str = ""
    args: tuple[str, ...] = ()  # extra command-line arguments


def alias_bomb() -> str:
    """About 500 bytes that aliases would expand to 9**9 (387 million) nodes."""
    lines = ["  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return BASE + "x-bomb:\n" + "\n".join(lines) + "\n"


BOMB_LINE = len(BASE.splitlines()) + 8  # the first alias past the limit (a6's first)
DEEP = 5000


CASES = [
    # Validation findings are warnings; --strict makes them errors.
    Case("schema-violation-strict", with_property("{type: 42}"), f"{PROPERTY}/type",
         PROPERTY_LINE, message="invalid schema", args=("--strict",)),
    Case("openapi-violation-strict", BASE.replace("      responses:", "      responsez:"),
         "/paths/~1things/post", BASE.splitlines().index("    post:") + 2,
         message="responsez", args=("--strict",)),
    # A dangling $ref is recoverable (what depends on it is left out); --strict refuses it.
    Case("dangling-ref-strict", with_property("{$ref: '#/components/schemas/Nope'}"), PROPERTY,
         PROPERTY_LINE, message="#/components/schemas/Nope", args=("--strict",)),
    # Constraints the client does not check are warnings; --strict makes them errors.
    Case("if-then-else-strict",
         with_property("{type: object, if: {required: [x]}, then: {required: [y]}, "
                       "else: {required: [z]}}"),
         f"{PROPERTY}/if", PROPERTY_LINE, message="'if' is not checked", args=("--strict",)),
    Case("not-a-required-rule-strict", with_property("{type: string, not: {type: integer}}"),
         f"{PROPERTY}/not", PROPERTY_LINE, message="'not' is not checked", args=("--strict",)),
    Case("component-if-strict",
         with_component("{type: object, properties: {b: {type: string}}, "
                        "if: {required: [b]}, then: {required: [c]}}"),
         "/components/schemas/Bad/if", COMPONENT_LINE, message="not checked",
         args=("--strict",)),
    # What cannot be mapped is left out with a warning; --strict makes that an error.
    Case("self-containing-array-strict",
         with_component("{type: array, items: {$ref: '#/components/schemas/Bad'}}"),
         "/components/schemas/Bad", COMPONENT_LINE, message="left out", args=("--strict",)),
    Case("invalid-yaml-tab", BASE.replace("  title: Test API\n", "  title: Test API\n\tx: 1\n"),
         "/", 4, message="invalid YAML"),
    Case("invalid-json", '{"openapi": "3.1.0",\n "info": {"title": "x",\n "version": 1,}}',
         "/", 3, filename="spec.json", message="invalid JSON"),
    Case("not-utf8", BASE.encode() + b"# \xff\xfe\n", "/", None, message="UTF-8"),
    Case("not-a-mapping", "- just\n- a list\n", "/", None, message="mapping"),
    Case("empty-file", "", "/", None, message="mapping"),
    Case("missing-file", None, "/", None, message="cannot read"),
    Case("swagger-2", BASE.replace("openapi: 3.1.0", "openapi: '2.0'"), "/openapi", 1,
         message="2.0"),
    Case("openapi-4", BASE.replace("openapi: 3.1.0", "openapi: 4.0.0"), "/openapi", 1,
         message="4.0.0"),
    Case("no-openapi-field", BASE.replace("openapi: 3.1.0\n", ""), "/", 1,
         message="no 'openapi' field"),
    Case("no-info", BASE.replace("info:\n  title: Test API\n  version: 1.0.0\n", ""), "/", 1,
         message="no 'info' field"),
    Case("remote-ref", with_property("{$ref: 'https://example.test/s.yaml#/Thing'}"), PROPERTY,
         PROPERTY_LINE, message="remote $ref"),
    Case("alias-bomb", alias_bomb(), "/x-bomb/a6/0", BOMB_LINE, message="--max-alias-nodes"),
    Case("deep-json", '{"openapi": "3.1.0", "x": ' + "[" * DEEP + "]" * DEEP + "}", "/", 1,
         filename="spec.json", message="--max-depth"),
    Case("deep-yaml", BASE + "x-deep: " + "[" * DEEP + "]" * DEEP + "\n", "/x-deep/0",
         len(BASE.splitlines()) + 1, message="--max-depth"),
    Case("huge-integer-yaml", with_property("{type: integer, maximum: " + "9" * 5000 + "}"),
         f"{PROPERTY}/maximum", PROPERTY_LINE, message="4,300 digits"),
    Case("huge-integer-json", '{"openapi": "3.1.0",\n "x": ' + "9" * 5000 + "}", "/x", 2,
         filename="spec.json", message="4,300 digits"),
    Case("yaml-binary-tag", BASE + "x-data: !!binary aGVsbG8=\n", "/x-data",
         len(BASE.splitlines()) + 1, message="!!binary"),
]  # fmt: skip


def run_generate(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (folders as None) with its bytes, and the folder's siblings."""
    tree: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        tree[key] = path.read_bytes() if path.is_file() else None
    for sibling in sorted(folder.parent.iterdir()):
        tree[f"../{sibling.name}"] = None
    return tree


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good package, generated once; every bad case then targets the same folder."""
    root = tmp_path_factory.mktemp("bad-input")
    (root / "good").mkdir()
    good = root / "good" / "spec.yaml"
    good.write_text(BASE, encoding="utf-8")
    out = root / "work" / "out"
    done = run_generate(good, "-o", out)
    assert done.returncode == 0, done.stderr
    assert (out / "test" / "client.py").exists()  # named after its title, "Test API"
    return out


@attrs.frozen
class Outcome:
    spec: Path
    done: subprocess.CompletedProcess[str]
    before: dict[str, bytes | None]
    after: dict[str, bytes | None]


@pytest.fixture(scope="module")
def outcomes(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Each case is run once (into the good output folder); its tests share the outcome."""
    return {}


@pytest.fixture
def outcome(
    request: pytest.FixtureRequest,
    generated: Path,
    outcomes: dict[str, Outcome],
    tmp_path_factory: pytest.TempPathFactory,
) -> Outcome:
    case: Case = request.param
    if case.id not in outcomes:
        spec = tmp_path_factory.mktemp(case.id) / case.filename
        if isinstance(case.text, bytes):
            spec.write_bytes(case.text)
        elif case.text is not None:
            spec.write_text(case.text, encoding="utf-8")
        before = snapshot(generated)
        done = run_generate(spec, "-o", generated, *case.args)
        outcomes[case.id] = Outcome(spec, done, before, snapshot(generated))
    return outcomes[case.id]


def each_case(test: Callable[..., None]) -> Callable[..., None]:
    return pytest.mark.parametrize(
        ("case", "outcome"),
        [(c, c) for c in CASES],
        ids=[c.id for c in CASES],
        indirect=["outcome"],
    )(test)


@each_case
def test_bad_spec_exits_2(case: Case, outcome: Outcome) -> None:
    assert outcome.done.returncode == 2, outcome.done.stdout + outcome.done.stderr


@each_case
def test_bad_spec_message_names_file_pointer_and_line(case: Case, outcome: Outcome) -> None:
    stderr = outcome.done.stderr
    where = f"{outcome.spec}:{case.line}" if case.line is not None else f"{outcome.spec}"
    located = [line for line in stderr.splitlines() if line.startswith(f"error: {where}: ")]
    assert located, stderr
    assert any(f": {case.pointer}: " in line for line in located), stderr
    assert case.message in stderr


@each_case
def test_bad_spec_prints_no_traceback(case: Case, outcome: Outcome) -> None:
    assert "Traceback" not in outcome.done.stderr + outcome.done.stdout


@each_case
def test_bad_spec_leaves_the_previous_output_untouched(case: Case, outcome: Outcome) -> None:
    assert outcome.after == outcome.before
    assert any(name.endswith(".py") for name in outcome.before)


def test_supported_not_required_rule_is_accepted(tmp_path: Path) -> None:
    """The control case: ``not: {required: [...]}`` is a field rule, not an error."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        with_property("{type: object, properties: {x: {type: string}}, not: {required: [x]}}"),
        encoding="utf-8",
    )
    done = run_generate(spec, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------- folders that are not ours


def _good_spec(folder: Path) -> Path:
    spec = folder / "good.yaml"
    spec.write_text(BASE, encoding="utf-8")
    return spec


@pytest.mark.parametrize(
    "contents",
    [
        {"notes.txt": b"mine\n"},
        {"pyproject.toml": b"[project]\nname = 'mine'\n", "mine/__init__.py": b""},
        {"test/models.py": b"# hand written\n"},
    ],
    ids=["other-files", "other-project", "package-without-marker"],
)
def test_refuses_to_overwrite_a_folder_it_did_not_write(
    tmp_path: Path, contents: dict[str, bytes]
) -> None:
    out = tmp_path / "work" / "mine"
    for name, data in contents.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    before = snapshot(out)
    done = run_generate(_good_spec(tmp_path), "-o", out)
    assert done.returncode == 2, done.stdout + done.stderr
    assert str(out) in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(out) == before


def test_refuses_an_output_path_that_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "work" / "file.txt"
    out.parent.mkdir()
    out.write_bytes(b"keep me\n")
    done = run_generate(_good_spec(tmp_path), "-o", out)
    assert done.returncode == 2, done.stdout + done.stderr
    assert str(out) in done.stderr
    assert "Traceback" not in done.stderr
    assert out.read_bytes() == b"keep me\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["file.txt"]


def test_refuses_an_output_path_below_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "work" / "file.txt"
    blocker.parent.mkdir()
    blocker.write_bytes(b"keep me\n")
    done = run_generate(_good_spec(tmp_path), "-o", blocker / "out")
    assert done.returncode == 2, done.stdout + done.stderr
    assert str(blocker) in done.stderr
    assert "Traceback" not in done.stderr
    assert blocker.read_bytes() == b"keep me\n"


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    done = run_generate(_good_spec(tmp_path), "-o", out)
    assert done.returncode == 0, done.stderr
    assert (out / "test" / "__init__.py").exists()
