"""Benchmark: generating a client from ``spec/images-edit.yaml``, ours vs openapi-python-client.

Both generators run end to end as subprocesses on the same machine, interleaved (the order
alternates each round), after one untimed warm-up run each:

* ours:   ``python -m generator generate SPEC -o OUT --package-name bench_pkg``
          (load + validate, build the IR, render the Jinja templates, format with ruff, write);
* theirs: openapi-python-client 0.29.1, ``openapi-python-client generate --path SPEC
          --output-path OUT --overwrite`` (its defaults: ``--meta poetry``, post hooks
          ``ruff check --fix-only .`` and ``ruff format .``).

openapi-python-client is never installed into this environment: on first run a venv is made
at ``bench/.work/opc-venv`` (``python -m venv`` + ``pip install openapi-python-client==0.29.1``)
and reused afterwards. Its ``bin/`` is put first on PATH for its runs, so its post hooks use
the ruff it pins (not a pyenv shim).

Reported: wall time of the whole command (best and median of N runs), the ratio ours/theirs,
the exit code (and the first error lines if it failed), openapi-python-client's warning and
error count (from one extra, untimed run that counts what its CLI would print), the size of
the output, and whether the output imports -- the top-level package, and then every module of
it (``pkgutil.walk_packages``), with this interpreter and PYTHONPATH set to the output folder.

If openapi-python-client fails on the fragment, or its output does not fully import, that is
reported as it is, and both generators are also timed on a reduced, upstream-style copy of
the fragment (only the ``multipart/form-data`` request body, no ``text/event-stream``
response), written to ``bench/.work/fallback/``. ``--also-fallback`` runs that case regardless.

Unless ``--skip-stages``, our pipeline is also timed stage by stage, in-process, in N fresh
interpreters (imports; load; validate; config; build IR; render; format with ruff; write): the
first pass in each interpreter (cold) and 3 warm passes after it. The fixed cost of a
subprocess (``python -c pass``, importing our CLI) is shown beside it.

Run from anywhere: ``python bench/bench_generate.py [--runs N] [--spec PATH]``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
OPC_VENV = WORK / "opc-venv"
OPC_VERSION = "0.29.1"
OUR_PACKAGE = "bench_pkg"
DEFAULT_SPEC = ROOT / "spec" / "images-edit.yaml"
ERROR_LINES = 8


# ----------------------------------------------------------------------------- helpers


def _venv_bin(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def ensure_opc_venv() -> Path:
    """The openapi-python-client executable in its own venv, created on first use."""
    exe = _venv_bin(OPC_VENV) / "openapi-python-client"
    if exe.exists():
        done = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and OPC_VERSION in done.stdout:
            return exe
        print(
            f"[setup] {OPC_VENV} holds {done.stdout.strip() or 'a broken install'}; rebuilding",
            file=sys.stderr,
        )
        shutil.rmtree(OPC_VENV)
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"[setup] creating {OPC_VENV} with openapi-python-client=={OPC_VERSION}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(OPC_VENV)], check=True)
    pip = [
        str(_venv_bin(OPC_VENV) / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, f"openapi-python-client=={OPC_VERSION}"], check=True)
    return exe


def opc_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(_venv_bin(OPC_VENV)) + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(OPC_VENV)
    env.pop("PYTHONPATH", None)
    env["NO_COLOR"] = "1"
    env["TERM"] = "dumb"
    return env


def our_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def first_lines(text: str, count: int = ERROR_LINES) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines() if line.strip()][:count]


def fresh_dir(tag: str) -> Path:
    """A path under bench/.work/runs that does not exist yet (its parent does)."""
    runs = WORK / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    parent = Path(tempfile.mkdtemp(prefix=f"{tag}-", dir=runs))
    return parent / "out"


class Tool:
    """One generator, as a command line run from the repository root."""

    def __init__(self, name: str, env: dict[str, str], command: Any) -> None:
        self.name = name
        self.env = env
        self.command = command  # (spec, out) -> list[str]

    def run(self, spec: Path, keep: bool = False) -> dict[str, Any]:
        out = fresh_dir(self.name)
        argv = self.command(spec, out)
        start = time.perf_counter()
        done = subprocess.run(
            argv, cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - start
        result = {
            "seconds": elapsed,
            "returncode": done.returncode,
            "stdout": done.stdout,
            "stderr": done.stderr,
            "out": out,
            "argv": argv,
        }
        if not keep:
            shutil.rmtree(out.parent, ignore_errors=True)
        return result


def make_tools(opc_exe: Path) -> tuple[Tool, Tool]:
    ours = Tool(
        "ours",
        our_env(),
        lambda spec, out: [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "-o",
            str(out),
            "--package-name",
            OUR_PACKAGE,
        ],
    )
    theirs = Tool(
        "opc",
        opc_env(),
        lambda spec, out: [
            str(opc_exe),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(out),
            "--overwrite",
        ],
    )
    return ours, theirs


# ----------------------------------------------------------------------------- checks

_IMPORT_CHECK = r"""
import importlib, json, pkgutil, sys, traceback
name = sys.argv[1]
report = {"top": None, "modules": 0, "failed": []}
try:
    package = importlib.import_module(name)
    report["top"] = "ok"
except BaseException as exc:
    report["top"] = f"{type(exc).__name__}: {exc}"
    print(json.dumps(report)); sys.exit(0)
names = [name] + [m.name for m in pkgutil.walk_packages(package.__path__, name + ".")]
for module in names:
    report["modules"] += 1
    try:
        importlib.import_module(module)
    except BaseException as exc:
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{tb.filename.rsplit('/', 1)[-1]}:{tb.lineno}"
        report["failed"].append(f"{module}: {type(exc).__name__}: {exc} ({where})")
print(json.dumps(report))
"""


def find_package(out: Path, preferred: str | None = None) -> str | None:
    if preferred and (out / preferred / "__init__.py").exists():
        return preferred
    found = sorted(p.parent.name for p in out.glob("*/__init__.py"))
    return found[0] if found else None


def import_check(out: Path, package: str | None) -> dict[str, Any]:
    if package is None:
        return {"top": "no package in the output", "modules": 0, "failed": []}
    env = our_env()
    env["PYTHONPATH"] = str(out)
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHECK, package],
        cwd=tempfile.gettempdir(),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {
            "top": "import check crashed: " + " | ".join(first_lines(done.stderr, 3)),
            "modules": 0,
            "failed": [],
        }


def output_size(out: Path) -> dict[str, int]:
    files = [p for p in out.rglob("*.py") if p.is_file()]
    lines = sum(len(p.read_text(encoding="utf-8", errors="replace").splitlines()) for p in files)
    return {"py_files": len(files), "py_lines": lines}


_OPC_COUNT = r"""
import json, sys
from openapi_python_client import cli
from openapi_python_client.parser.errors import ErrorLevel
counted = {"warnings": 0, "errors": 0, "headers": []}
report = sys.argv[1]
original = cli.handle_errors
def counting(errors, fail_on_warning=False):
    for err in errors:
        key = "errors" if err.level == ErrorLevel.ERROR else "warnings"
        counted[key] += 1
        counted["headers"].append(f"{err.level.name}: {err.header} {err.detail or ''}".strip())
    with open(report, "w") as fh:
        json.dump(counted, fh)
    return original(errors, fail_on_warning)
cli.handle_errors = counting
with open(report, "w") as fh:
    json.dump(counted, fh)
sys.argv = ["openapi-python-client", *sys.argv[2:]]
cli.app()
"""


def opc_diagnostics(spec: Path) -> dict[str, Any]:
    """openapi-python-client's own count of warnings and errors, from one untimed run."""
    out = fresh_dir("opc-diag")
    report = out.parent / "count.json"
    argv = [
        str(_venv_bin(OPC_VENV) / "python"),
        "-c",
        _OPC_COUNT,
        str(report),
        "generate",
        "--path",
        str(spec),
        "--output-path",
        str(out),
        "--overwrite",
    ]
    done = subprocess.run(
        argv, cwd=ROOT, env=opc_env(), capture_output=True, text=True, check=False
    )
    try:
        counted = json.loads(report.read_text())
    except (OSError, json.JSONDecodeError):
        counted = {"warnings": None, "errors": None, "headers": first_lines(done.stderr)}
    counted["returncode"] = done.returncode
    shutil.rmtree(out.parent, ignore_errors=True)
    return counted


# ----------------------------------------------------------------------------- timing


def measure(spec: Path, ours: Tool, theirs: Tool, runs: int) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for tool, preferred in ((ours, OUR_PACKAGE), (theirs, None)):
        # warm-up (.pyc files, page cache); its output is the one we check
        warm = tool.run(spec, keep=True)
        entry: dict[str, Any] = {
            "returncode": warm["returncode"],
            "times": [],
            "failed_runs": 0,
            "errors": [],
        }
        if warm["returncode"]:
            entry["errors"] = first_lines(warm["stderr"] + "\n" + warm["stdout"])
        if warm["returncode"] == 0:
            package = find_package(warm["out"], preferred)
            entry["package"] = package
            entry["imports"] = import_check(warm["out"], package)
            entry.update(output_size(warm["out"]))
        shutil.rmtree(warm["out"].parent, ignore_errors=True)
        results[tool.name] = entry
    for round_no in range(runs):
        order = (ours, theirs) if round_no % 2 == 0 else (theirs, ours)
        for tool in order:
            run = tool.run(spec)
            results[tool.name]["times"].append(run["seconds"])
            if run["returncode"] != 0:
                results[tool.name]["failed_runs"] += 1
                results[tool.name]["returncode"] = run["returncode"]
                if not results[tool.name]["errors"]:
                    results[tool.name]["errors"] = first_lines(run["stderr"] + "\n" + run["stdout"])
    return results


def interpreter_floor(runs: int) -> dict[str, float]:
    """Wall time of ``python -c pass`` and of importing our CLI: the fixed cost of any run."""
    floors: dict[str, list[float]] = {"python -c pass": [], "import generator.pipeline": []}
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import generator.pipeline": [
            sys.executable,
            "-c",
            "import generator.__main__, generator.pipeline",
        ],
    }
    for _ in range(runs + 1):
        for label, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, env=our_env(), check=True)
            floors[label].append(time.perf_counter() - start)
    return {label: min(times[1:]) for label, times in floors.items()}


def stages_worker(spec: Path, warm_runs: int) -> None:
    """Runs in a fresh interpreter (``--stages-worker``): prints per-stage times as JSON.

    The first pass is cold (lazy imports, Jinja template compilation, first ruff spawn);
    the ``warm_runs`` passes after it reuse this interpreter.
    """
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from generator.pipeline.build import build_api, spec_config_path
    from generator.pipeline.config import load_config
    from generator.pipeline.load import load_document
    from generator.pipeline.render import Renderer
    from generator.pipeline.write import format_files, write_atomically

    # finer split of load + validate, while the loader keeps this shape
    check_document = getattr(sys.modules["generator.pipeline.load"], "check_document", None)

    imports = time.perf_counter() - t0
    rows: list[dict[str, float]] = []
    for _ in range(warm_runs + 1):
        row: dict[str, float] = {}
        t = time.perf_counter()
        if check_document is not None:
            document = load_document(spec, validate=False)
            row["load (YAML + $refs)"] = time.perf_counter() - t
            t = time.perf_counter()
            problems = list(check_document(document, validate=True))
            if problems:
                raise SystemExit(f"spec has problems: {problems[:3]}")
            row["validate (OpenAPI schema)"] = time.perf_counter() - t
        else:
            document = load_document(spec)
            row["load + validate"] = time.perf_counter() - t
        t = time.perf_counter()
        settings = load_config(spec_config_path(spec), OUR_PACKAGE)
        row["load config"] = time.perf_counter() - t
        t = time.perf_counter()
        api = build_api(document, settings)
        row["build IR"] = time.perf_counter() - t
        t = time.perf_counter()
        rendered = Renderer(api, spec.name).render()
        row["render (Jinja)"] = time.perf_counter() - t
        t = time.perf_counter()
        files = format_files(rendered)
        row["format (2 ruff subprocesses)"] = time.perf_counter() - t
        out = fresh_dir("stages")
        t = time.perf_counter()
        write_atomically(out, files)
        row["write"] = time.perf_counter() - t
        shutil.rmtree(out.parent, ignore_errors=True)
        rows.append(row)
    print(json.dumps({"imports": imports, "rows": rows}))


def measure_stages(spec: Path, runs: int, warm_runs: int = 3) -> dict[str, Any] | str:
    """``runs`` fresh interpreters, each doing one cold pass and ``warm_runs`` warm ones."""
    merged: dict[str, Any] = {"imports": [], "cold": [], "warm": []}
    for _ in range(runs):
        done = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--stages-worker",
                "--runs",
                str(warm_runs),
                "--spec",
                str(spec),
            ],
            cwd=ROOT,
            env=our_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return "stage timing failed: " + " | ".join(first_lines(done.stderr, 5))
        one = json.loads(done.stdout.strip().splitlines()[-1])
        merged["imports"].append(one["imports"])
        merged["cold"].append(one["rows"][0])
        merged["warm"].extend(one["rows"][1:])
    return merged


# ----------------------------------------------------------------------------- fallback spec


def write_fallback_spec(spec: Path) -> Path:
    """An upstream-style copy: multipart request body only, no event-stream responses."""
    import yaml  # the generator depends on PyYAML, so it is here

    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    for item in data.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            content = operation.get("requestBody", {}).get("content")
            if isinstance(content, dict) and "multipart/form-data" in content:
                for media in list(content):
                    if media != "multipart/form-data":
                        del content[media]
            for response in operation.get("responses", {}).values():
                media_map = response.get("content") if isinstance(response, dict) else None
                if isinstance(media_map, dict):
                    media_map.pop("text/event-stream", None)
    folder = WORK / "fallback"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / spec.name
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    config = spec.with_name(spec.name.replace(".yaml", ".client.yaml"))
    if config.exists():
        shutil.copyfile(config, folder / config.name)
    return target


# ----------------------------------------------------------------------------- report


def _fmt(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.3f}"


def _import_cell(entry: dict[str, Any]) -> tuple[str, str]:
    check = entry.get("imports")
    if check is None:
        return "—", "—"
    top = "yes" if check["top"] == "ok" else f"**no**: {check['top']}"
    if check["top"] != "ok":
        return top, "—"
    failed = check["failed"]
    if not failed:
        return top, f"yes ({check['modules']}/{check['modules']})"
    passed = check["modules"] - len(failed)
    return top, f"**no** ({passed}/{check['modules']}): " + "; ".join(failed)


def table(title: str, spec: Path, results: dict[str, dict[str, Any]], diag: dict[str, Any]) -> str:
    lines = [
        f"### {title}",
        "",
        f"Spec: `{spec.relative_to(ROOT) if spec.is_relative_to(ROOT) else spec}`",
        "",
    ]
    lines.append(
        "| generator | exit | best (s) | median (s) | runs | warnings / errors | .py files / lines "
        "| top-level imports | every module imports |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    stats: dict[str, tuple[float | None, float | None]] = {}
    for name, label in (
        ("ours", "ours (`python -m generator generate`)"),
        ("opc", f"openapi-python-client {OPC_VERSION}"),
    ):
        entry = results[name]
        ok_times = entry["times"] if entry["failed_runs"] == 0 else []
        best = min(ok_times) if ok_times else None
        median = statistics.median(ok_times) if ok_times else None
        stats[name] = (best, median)
        warn = "—"
        if name == "opc" and diag:
            warn = f"{diag.get('warnings')} / {diag.get('errors')}"
        size = f"{entry['py_files']} / {entry['py_lines']}" if "py_files" in entry else "—"
        top, every = _import_cell(entry)
        runs = f"{len(entry['times']) - entry['failed_runs']}/{len(entry['times'])} ok"
        lines.append(
            f"| {label} | {entry['returncode']} | {_fmt(best)} | {_fmt(median)} | {runs} "
            f"| {warn} | {size} | {top} | {every} |"
        )
    (ob, om), (tb, tm) = stats["ours"], stats["opc"]
    if None not in (ob, om, tb, tm):
        lines.append("")
        lines.append(f"Ratio ours / theirs: best {ob / tb:.2f}x, median {om / tm:.2f}x")  # type: ignore[operator]
    else:
        lines.append("")
        lines.append(
            "Ratio ours / theirs: not computed (a generator failed; no number is made up)."
        )
    for name in ("ours", "opc"):
        if results[name]["errors"]:
            lines.append("")
            lines.append(f"First error lines of {name} (exit {results[name]['returncode']}):")
            lines.append("```")
            lines.extend(results[name]["errors"])
            lines.append("```")
    if diag and diag.get("headers"):
        lines.append("")
        lines.append("openapi-python-client reported:")
        lines.extend(f"- {' '.join(h.split())[:300]}" for h in diag["headers"][:ERROR_LINES])
    lines.append("")
    lines.append(
        "All times: "
        + ", ".join(
            name + " [" + " ".join(f"{t:.3f}" for t in results[name]["times"]) + "]"
            for name in ("ours", "opc")
        )
    )
    return "\n".join(lines)


def stages_table(stages: dict[str, Any] | str, floor: dict[str, float]) -> str:
    lines = ["### Where our time goes (in-process, stage by stage)", ""]
    if isinstance(stages, str):
        return "\n".join([*lines, stages])
    cold, warm = stages["cold"], stages["warm"] or stages["cold"]

    def cells(values: list[float]) -> str:
        return f"{min(values):.3f} | {statistics.median(values):.3f}"

    lines.append(
        f"{len(cold)} fresh interpreters; each timed one cold pass (its first: lazy imports, "
        f"template compilation, ...) and then {len(warm) // max(len(cold), 1)} warm passes."
    )
    lines.append("")
    lines.append("| stage | cold best (s) | cold median (s) | warm best (s) | warm median (s) |")
    lines.append("| --- | --- | --- | --- | --- |")
    lines.append(f"| import generator modules | {cells(stages['imports'])} | — | — |")
    for stage in cold[0]:
        cold_cells, warm_cells = cells([r[stage] for r in cold]), cells([r[stage] for r in warm])
        lines.append(f"| {stage} | {cold_cells} | {warm_cells} |")
    cold_sum, warm_sum = (
        cells([sum(r.values()) for r in cold]),
        cells([sum(r.values()) for r in warm]),
    )
    lines.append(f"| **sum of stages** | {cold_sum} | {warm_sum} |")
    lines.append("")
    lines.append(
        "Fixed cost of a subprocess run (best wall time): "
        + ", ".join(f"`{label}` {value:.3f} s" for label, value in floor.items())
    )
    return "\n".join(lines)


def header(runs: int) -> str:
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "--version"], capture_output=True, text=True, check=False
    )
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "generator", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    rev = head.stdout.strip() + (
        " + uncommitted changes in generator/ or templates/" if dirty.stdout.strip() else ""
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join(
        [
            "## bench_generate",
            "",
            f"- date: {_dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
            f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"{platform.system()} {platform.release()}; load average at start {load}",
            f"- python {platform.python_version()} ({sys.executable}); {ruff.stdout.strip()}",
            f"- generator at {rev}; openapi-python-client {OPC_VERSION} "
            f"in {OPC_VENV.relative_to(ROOT)}",
            f"- wall time of the whole command, N={runs} interleaved runs each "
            "(order alternating), after 1 untimed warm-up each",
        ]
    )


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per generator (default 5)")
    parser.add_argument(
        "--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document (default: the fragment)"
    )
    parser.add_argument(
        "--skip-stages", action="store_true", help="skip the in-process stage timing"
    )
    parser.add_argument(
        "--also-fallback", action="store_true", help="also time the reduced upstream-style spec"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--stages-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    spec = args.spec.resolve()

    if args.stages_worker:
        stages_worker(spec, args.runs)
        return 0

    opc_exe = ensure_opc_venv()
    ours, theirs = make_tools(opc_exe)
    sections = [header(args.runs)]
    raw: dict[str, Any] = {}

    print(f"[run] {spec.name}: {args.runs} interleaved runs each ...", file=sys.stderr)
    results = measure(spec, ours, theirs, args.runs)
    diag = opc_diagnostics(spec)
    raw["main"] = {"results": results, "opc_diagnostics": diag}
    sections.append(table("End to end, as subprocesses", spec, results, diag))

    opc = results["opc"]
    opc_failed = opc["returncode"] != 0 or opc["failed_runs"]
    opc_broken = not opc_failed and (
        opc.get("imports", {}).get("top") != "ok" or bool(opc.get("imports", {}).get("failed"))
    )
    if opc_failed or opc_broken or args.also_fallback:
        fallback = write_fallback_spec(spec)
        print(f"[run] fallback {fallback.relative_to(ROOT)} ...", file=sys.stderr)
        if opc_failed:
            why = f"openapi-python-client failed on {spec.name}, so"
        elif opc_broken:
            why = f"openapi-python-client's output for {spec.name} does not fully import, so"
        else:
            why = "On request,"
        fb_results = measure(fallback, ours, theirs, args.runs)
        fb_diag = opc_diagnostics(fallback)
        raw["fallback"] = {"results": fb_results, "opc_diagnostics": fb_diag}
        sections.append(
            f"{why} both were also timed on an upstream-style reduction of it "
            "(multipart request body only, no event-stream response):\n\n"
            + table("End to end, reduced spec", fallback, fb_results, fb_diag)
        )

    if not args.skip_stages:
        print("[run] stage timing ...", file=sys.stderr)
        stages = measure_stages(spec, args.runs)
        floor = interpreter_floor(args.runs)
        raw["stages"], raw["floor"] = stages, floor
        sections.append(stages_table(stages, floor))

    print("\n\n".join(sections))
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2, default=str), encoding="utf-8")
    shutil.rmtree(WORK / "runs", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
