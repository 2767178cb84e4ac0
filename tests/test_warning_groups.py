"""Warnings a person can read: one line per distinct cause, with a count and the first few
places; a problem repeated at one place is reported once."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from genutil import ROOT, minimal_spec, write_spec

from generator.errors import Problem, cause, distinct, print_problems


def warning(pointer: str, message: str, line: int) -> Problem:
    return Problem("spec.yaml", pointer, message, line, "warning")


def printed(problems: list[Problem]) -> list[str]:
    out = io.StringIO()
    print_problems(problems, out)
    return out.getvalue().splitlines()


def test_one_cause_in_many_places_is_one_line_with_the_count_and_first_places() -> None:
    found = [
        warning(f"/paths/~1p{i}/get/responses/4xx", f"status '{i}xx' is odd", i) for i in range(6)
    ]
    assert printed(found) == [
        "warning: spec.yaml:0: /paths/~1p0/get/responses/4xx: status '0xx' is odd "
        "[6 places like it; also /paths/~1p1/get/responses/4xx (line 1), "
        "/paths/~1p2/get/responses/4xx (line 2), /paths/~1p3/get/responses/4xx (line 3) "
        "and 2 more]"
    ]


def test_different_causes_are_different_lines() -> None:
    found = [warning("/a", "'if' is not checked", 1), warning("/b", "unknown type 'x'", 2)]
    assert printed(found) == [
        "warning: spec.yaml:1: /a: 'if' is not checked",
        "warning: spec.yaml:2: /b: unknown type 'x'",
    ]


def test_the_cause_leaves_out_names_pointers_and_numbers() -> None:
    assert cause("left out: $ref '#/x' points to nothing") == "left out: $ref … points to nothing"
    assert cause("a/b.yaml#/c is bundled as #/d") == "… is bundled as …"


def test_a_problem_said_again_at_one_place_is_reported_once() -> None:
    short = warning("/a", "left out: $ref 'x.yaml' points to nothing", 1)
    full = warning("/a", "left out: $ref 'x.yaml' points to nothing (x.yaml does not exist)", 1)
    assert distinct([short, full, short]) == [full]


def test_generate_prints_one_line_for_a_cause_found_in_many_schemas(tmp_path: Path) -> None:
    properties = {
        f"p{i}": {"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}}
        for i in range(8)
    }
    spec = write_spec(
        tmp_path, minimal_spec({"Thing": {"type": "object", "properties": properties}})
    )
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", spec, "-o", tmp_path / "out"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "is not checked" in line]
    [line] = lines  # 'if' and 'then' alike: one cause, a keyword the client does not check
    assert "/components/schemas/Thing/properties/p0/if: 'if' is not checked" in line
    assert line.endswith(
        "[16 places like it; also /components/schemas/Thing/properties/p0/then (line 31), "
        "/components/schemas/Thing/properties/p1/if (line 36), "
        "/components/schemas/Thing/properties/p1/then (line 39) and 12 more]"
    )


def test_each_cause_of_the_warnings_construct_spec_is_one_line(tmp_path: Path) -> None:
    spec = ROOT / "tests" / "specs" / "warnings-3.1.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", spec, "-o", tmp_path / "out"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2
    assert "('4xx' was unexpected) [5 places like it; also /paths/~1b/get/responses" in lines[0]
    assert "nullable is not a keyword since 3.1" in lines[1]
    assert lines[1].endswith("and 1 more]")
