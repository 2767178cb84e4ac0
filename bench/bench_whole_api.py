"""Benchmark: the whole OpenAI API, side by side with the named peers.

1. **Generation** of the full public OpenAI spec (``../shared/reference/openai.openapi.yaml``,
   288 operations), end to end as subprocesses, interleaved, after one untimed warm-up each:

   * ours: ``python -m generator generate SPEC --config spec/openai.client.yaml -o OUT``,
     cold (``OPENAPI_IMAGES_GENERATOR_CACHE=off``: nothing cached) and regenerating (the
     format cache of the previous run, in ``bench/.work/generator-cache``);
   * openapi-python-client 0.29.1: ``openapi-python-client generate --path SPEC
     --output-path OUT --overwrite`` (its venv is made by ``bench_generate.py``'s
     ``ensure_opc_venv`` at ``bench/.work/opc-venv``).

   Reported: median and best wall time, the ratio ours / theirs, how many operations each
   output has, and whether it imports. Then ``python -m generator check`` of our unchanged
   output (it answers from its cache), against the 1 s target.

2. **Import time** of the generated package (``import openai_client``) against the official
   SDK (``import openai``, 3.51, from ``bench/.work/sdk-venv``, made on first run with
   ``pip install openai==3.51.0``): each in N fresh interpreters, timed inside the
   interpreter around the import only; median and the ratio.

Run from the repository root: ``python bench/bench_whole_api.py [--runs 3] [--imports 15]``.
Figures are ratios measured in one run of this script on one machine; they vary by a few
percent with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_generate import WORK, _venv_bin, ensure_opc_venv, opc_env

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"
CONFIG = ROOT / "spec" / "openai.client.yaml"
SDK_VENV = WORK / "sdk-venv"
SDK_VERSION = "3.51.0"
IMPORT_TIMER = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def ensure_sdk_venv() -> Path:
    python = _venv_bin(SDK_VENV) / "python"
    if python.exists():
        return python
    print(f"[setup] creating {SDK_VENV} with openai=={SDK_VERSION}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(SDK_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", f"openai=={SDK_VERSION}"],
                   check=True)  # fmt: skip
    return python


CACHE = WORK / "generator-cache"  # ours, warm: the format cache of the previous run


def run_ours(out: Path, cache: str = str(CACHE)) -> float:
    """One generation into a fresh folder; ``cache="off"``: a cold run, nothing cached."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "OPENAPI_IMAGES_GENERATOR_CACHE": cache}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "--config", str(CONFIG),
         "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"ours failed: {done.stderr[-2000:]}")
    return elapsed


def run_theirs(exe: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started = time.perf_counter()
    done = subprocess.run(
        [str(exe), "generate", "--path", str(SPEC), "--output-path", str(out / "client"),
         "--overwrite"],
        cwd=out, env=opc_env(), capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # opc exits 1 when it skipped operations with warnings
        raise SystemExit(f"openapi-python-client failed: {done.stderr[-2000:]}")
    return elapsed


def count_operations(out: Path, ours: bool) -> int:
    if ours:  # the API description the package carries lists its operations
        description = json.loads((out / "openai_client" / "_api.json").read_text())
        return len(description["api"]["operations"])
    return sum(1 for p in out.rglob("api/**/*.py") if p.name != "__init__.py")


def generation(runs: int) -> None:
    exe = ensure_opc_venv()
    ours_out, theirs_out = WORK / "whole-ours", WORK / "whole-theirs"
    run_ours(ours_out)
    run_theirs(exe, theirs_out)  # warm-ups (ours: fills the format cache)
    times: dict[str, list[float]] = {"cold": [], "warm": [], "theirs": []}
    order = ["cold", "warm", "theirs"]
    for round_ in range(runs):
        for which in order[round_ % 3 :] + order[: round_ % 3]:  # rotate who goes first
            if which == "theirs":
                times[which].append(run_theirs(exe, theirs_out))
            else:
                times[which].append(run_ours(ours_out, "off" if which == "cold" else str(CACHE)))
    theirs = statistics.median(times["theirs"])
    print("| generator | operations | best (s) | median (s) | ours / theirs (median) |")
    print("| --- | --- | --- | --- | --- |")
    for label, key in (
        ("ours, cold (no cache)", "cold"),
        ("ours, regenerating (format cache of the last run)", "warm"),
    ):
        median = statistics.median(times[key])
        print(f"| {label} | {count_operations(ours_out, True)} | {min(times[key]):.2f} | "
              f"{median:.2f} | **{median / theirs:.2f}x** |")  # fmt: skip
    print(f"| openapi-python-client 0.29.1 | {count_operations(theirs_out, False)} | "
          f"{min(times['theirs']):.2f} | {theirs:.2f} | |")  # fmt: skip
    cold = statistics.median(times["cold"]) / theirs
    warm = statistics.median(times["warm"]) / theirs
    print(f"\nGeneration, ours / theirs (median): **{cold:.2f}x** cold, **{warm:.2f}x** "
          "regenerating (target: at most 0.25x)\n")  # fmt: skip
    run_ours(ours_out)  # a generation whose record check can find in the cache
    checks = []
    env = {**os.environ, "OPENAPI_IMAGES_GENERATOR_CACHE": str(CACHE)}
    for _ in range(runs):  # the package just generated, unchanged: check answers from its cache
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "generator", "check", str(ours_out)],
                              cwd=ROOT, capture_output=True, text=True,
                              env=env)  # fmt: skip
        checks.append(time.perf_counter() - started)
        if done.returncode != 0 or "up to date" not in done.stdout:
            raise SystemExit(f"check failed: {done.stdout[-500:]} {done.stderr[-1500:]}")
    seconds = statistics.median(checks)
    print(f"`check` of the unchanged whole-API package (median of {runs}): {seconds:.2f} s, "
          f"**{seconds:.2f}x** the 1 s target\n")  # fmt: skip


def import_seconds(python: Path, module: str, cwd: Path, runs: int) -> list[float]:
    times = []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for _ in range(runs):
        done = subprocess.run([str(python), "-c", IMPORT_TIMER.format(module)], cwd=cwd,
                              env=env, capture_output=True, text=True, check=True)  # fmt: skip
        times.append(float(done.stdout))
    return times


def imports(runs: int) -> None:
    ours_out = WORK / "whole-ours"
    if not (ours_out / "openai_client").exists():
        run_ours(ours_out)
    sdk = ensure_sdk_venv()
    ours = import_seconds(Path(sys.executable), "openai_client", ours_out, runs)
    theirs = import_seconds(sdk, "openai", WORK, runs)
    print("| package | median (ms) | best (ms) |")
    print("| --- | --- | --- |")
    print(f"| openai_client (ours) | {statistics.median(ours) * 1000:.1f} | "
          f"{min(ours) * 1000:.1f} |")  # fmt: skip
    print(f"| openai {SDK_VERSION} | {statistics.median(theirs) * 1000:.1f} | "
          f"{min(theirs) * 1000:.1f} |")  # fmt: skip
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"\nImport, ours / openai (median): **{ratio:.3f}x** (target: at most 0.25x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed generations each")
    parser.add_argument("--imports", type=int, default=15, help="timed imports each")
    parser.add_argument("--skip-generation", action="store_true")
    args = parser.parse_args()
    if not SPEC.exists():
        raise SystemExit(f"the full spec is missing: {SPEC}")
    if not args.skip_generation:
        generation(args.runs)
    imports(args.imports)


if __name__ == "__main__":
    main()
