"""Property: however the fragment spec is mutated, ``generate`` ends quickly with exit 0 or 2,
never a traceback, and an exit 2 leaves the previous output byte for byte as it was.

Mutations delete, replace, duplicate and retype nodes, and inject huge, deep and odd values.
Each example runs the real command (``main``), including the atomic write.
"""

from __future__ import annotations

import contextlib
import copy
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "images-edit.yaml"
CONFIG = ROOT / "spec" / "images-edit.client.yaml"
BASE: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
HUGE = "__HUGE_INTEGER__"  # replaced in the YAML text by an integer of 5,000 digits


def paths_of(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in ``node`` (keys and indexes from the top), the top itself excluded."""
    found: list[tuple[Any, ...]] = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        found.append((*path, key))
        found.extend(paths_of(value, (*path, key)))
    return found


PLACES = paths_of(BASE)


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


ODD_VALUES = st.sampled_from(
    [
        None, True, False, 0, -1, 2**63, -(2**63) - 1, 1e308, 1.5, "", "x" * 100_000,
        "'\"\\\x00\u2028{{ 7*7 }}{% raw %}", "ünïcödé 日本", [], {}, [None], {"": None},
        {"$ref": "#/nope"}, {"$ref": "other.yaml#/X"}, {"$ref": "https://example.test/x"},
        {"$ref": "#/components/schemas/ImagesResponse"}, {"$ref": "#"}, {"$ref": 42},
        {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/ImageFile"}}},
        {"type": ["string", "null"], "nullable": True, "exclusiveMinimum": True},
        {"allOf": [{"$ref": "#/components/schemas/ImagesResponse"}, {"type": "string"}]},
        nested(40), nested(300), HUGE, [HUGE],
    ]
)  # fmt: skip


@st.composite
def mutations(draw: st.DrawFn) -> dict[str, Any]:
    """The base spec with one to three mutations."""
    spec = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        place = draw(st.sampled_from(PLACES))
        kind = draw(st.sampled_from(["delete", "replace", "duplicate", "retype"]))
        parent = _at(spec, place[:-1])
        key = place[-1]
        if parent is None or not _has(parent, key):
            continue
        if kind == "delete":
            del parent[key]
        elif kind == "replace":
            parent[key] = draw(ODD_VALUES)
        elif kind == "duplicate":
            source = _at(spec, draw(st.sampled_from(PLACES)))
            parent[key] = copy.deepcopy(source)
        else:
            parent[key] = _retyped(parent[key])
    return spec


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        if not _has(node, key):
            return None
        node = node[key]
    return node


def _has(node: Any, key: Any) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and key < len(node)


def _retyped(value: Any) -> Any:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, str):
        return len(value)
    return str(value)


def render(spec: dict[str, Any]) -> str:
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=1 << 20)
    return text.replace(HUGE, "9" * 5000)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the spec's client config and a good package generated into ``out``."""
    folder = tmp_path_factory.mktemp("hostile-property")
    shutil.copy(CONFIG, folder / CONFIG.name)
    shutil.copy(SPEC, folder / SPEC.name)
    code, err = run(folder)
    assert code == 0, err
    return folder


def run(folder: Path) -> tuple[int, str]:
    """``generate`` on ``folder``'s spec into ``folder/out``: the exit code and stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["generate", str(folder / SPEC.name), "-o", str(folder / "out")])
    return code, err.getvalue()


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=mutations())
def test_generate_on_a_mutated_spec_exits_0_or_2_without_a_traceback(
    workspace: Path, spec: dict[str, Any]
) -> None:
    (workspace / SPEC.name).write_text(render(spec), encoding="utf-8")
    before = snapshot(workspace / "out")
    code, err = run(workspace)
    assert code in (0, 2), err
    assert "Traceback" not in err
    # The last-resort handlers: reaching them is a bug in reading or checking the input.
    assert "please report it" not in err and "validation gave up" not in err, err
    if code == 2:
        assert snapshot(workspace / "out") == before
        assert any(line.startswith("error: ") for line in err.splitlines()), err
