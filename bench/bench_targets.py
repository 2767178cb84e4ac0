"""Every speed target of issue 19, measured side by side in one run, as ratios.

Runs ``bench_sse.py``, ``bench_large_json.py``, ``bench_conform.py`` and
``bench_whole_api.py`` one after the other, each in its own interpreter, as documented in
``bench/README.md`` (the first two with ``GLIBC_TUNABLES`` pinned, as ``bench_sse.py``
advises); keeps their full output in ``bench/.work/targets/``, and prints one table: each
target, what was measured, and the ratio to the target's reference.

Run from the repository root: ``python bench/bench_targets.py [--quick]`` (``--quick``:
fewer runs and exchanges; the figures move more). The whole-API part needs
``../shared/reference/openai.openapi.yaml`` and makes ``bench/.work/opc-venv`` (PyPI) on
first use; it is left out, with a note, when the spec is absent.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / ".work" / "targets"
SPEC = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"


# Steadier allocation of multi-MB strings, as bench_sse.py's docstring explains (without it
# page faults move every number of the SSE and large-JSON runs by 10-40 %).
STEADY = "glibc.malloc.trim_threshold=2147483648:glibc.malloc.mmap_threshold=1073741824"


def run(script: str, *args: str, steady: bool = False) -> str:
    env = {**os.environ, **({"GLIBC_TUNABLES": STEADY} if steady else {})}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT, capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    text = done.stdout + done.stderr
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{script}.txt").write_text(text, encoding="utf-8")
    if done.returncode != 0:
        print(f"{script} failed (exit {done.returncode}); see {OUT / (script + '.txt')}")
    return text


def cell(text: str, label: str, column: int, after: str = "") -> str:
    """The ``column``-th cell of the table row starting with ``label`` (after ``after``)."""
    start = text.find(after) if after else 0
    for line in text[max(start, 0) :].splitlines():
        if line.startswith(f"| {label} |"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            return cells[column] if column < len(cells) else "?"
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = args.quick
    rows: list[tuple[str, str, str]] = []

    sse = run("bench_sse.py", "--runs", "5" if quick else "9", steady=True)
    for size in ("64 KiB", "1 KiB"):
        for label, name in (
            ("ours + jiter: generated Client", "with jiter"),
            ("ours: generated Client.images.edit(stream=True)", "default install"),
        ):
            ratio = cell(sse, label, 3, after=f"### {size}")
            target = "<= 0.6x" if "jiter" in name else "no slower than before"
            rows.append((f"SSE decode, {size} chunks, {name} ({target})", f"{ratio}x", "floor"))

    large = run("bench_large_json.py", "--runs", "3" if quick else "5", steady=True)
    for label in ("ours + jiter, parse only (_json.loads)", "ours + jiter: Client.images.edit_json",
                  "ours: Client.images.edit_json, default install"):  # fmt: skip
        rows.append((f"20 MB JSON answer: {label}", f"{cell(large, label, 3)}x", "json.loads"))

    small = "10000" if quick else "50000"
    conform = run("bench_conform.py", "--small", small, "--repeat", "3")
    for label in ("in process (cli.iter_reports), spec loaded", "CLI, 1 process, start-up included",
                  "CLI, --workers 2, start-up included"):  # fmt: skip
        rate = cell(conform, label, 1)
        rows.append((f"conform, {label} (>= 10,000/s)", f"{rate}/s", f"{cell(conform, label, 2)}x"))

    if SPEC.exists():
        whole = run("bench_whole_api.py", "--runs", "2" if quick else "3", "--imports", "9")
        found = re.search(r"\(median\): \*\*([0-9.]+)x\*\* cold, \*\*([0-9.]+)x", whole)
        cold, warm = (found[1], found[2]) if found else ("?", "?")
        rows.append(("Generate the full OpenAI spec, cold (<= 0.25x)", f"{cold}x",
                     "openapi-python-client"))  # fmt: skip
        rows.append(("Generate the full OpenAI spec, regenerating (<= 0.25x)", f"{warm}x",
                     "openapi-python-client"))  # fmt: skip
        found = re.search(r"check` of the unchanged whole-API package.*?: ([0-9.]+) s", whole)
        rows.append(("check, unchanged whole-API package (<= 1 s)",
                     f"{found[1] if found else '?'} s", "1 s"))  # fmt: skip
    else:
        rows.append(("Generate the full OpenAI spec", f"skipped: no {SPEC}", ""))

    print("| target | measured | relative to |")
    print("| --- | --- | --- |")
    for target, measured, reference in rows:
        print(f"| {target} | {measured} | {reference} |")
    print(f"\nfull outputs: {OUT}")


if __name__ == "__main__":
    main()
