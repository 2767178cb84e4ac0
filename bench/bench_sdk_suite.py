"""The official SDK's own API tests, run on the SDK and on our whole-API client, side by side.

What it does, all fetched at run time into ``bench/.work/sdk_suite/`` (never committed):

1. the ``openai==3.51.0`` sdist (``pip download --no-binary``), for ``tests/api_resources``;
2. the Prism mock server (``@stainless-api/prism-cli@5`` from npm), started on a free port on
   127.0.0.1 serving the spec (default ``../shared/reference/openai.openapi.yaml``) and
   stopped at the end;
3. **the SDK's run**: its tests as shipped, in a venv with ``openai==3.51.0`` and its test
   tools, against Prism;
4. **our run**: the client generated with ``spec/openai.client.yaml``, and a copy of the same
   tests ported only as the issue allows: imports (``openai`` names come from
   ``bench/sdk_suite/sdk_names.py``; ``httpx2``/``respx2`` are ``httpx``/``respx``) and the
   fixtures' option names (``bench/sdk_suite/conftest.py``). Test bodies are not touched.
   ``assert_matches_type`` is ``bench/sdk_suite/utils.py`` (its docstring says what it checks).

Reported: of the tests the SDK passes in the portable variants (sync and async, loose and
strict; the async ``aiohttp`` variant has no counterpart), how many ours passes; the same
without the tests of SDK methods whose request (verb and path, read from the SDK's code)
the spec has no operation for (they pass on the SDK when they check an argument before
sending, or against a respx mock); and our failures grouped by cause. Run from the repository root:

    python bench/bench_sdk_suite.py [--spec PATH] [--reuse-sdk-run] [-k EXPR] [--workers 2]

``--reuse-sdk-run`` keeps the SDK's last results (same spec) instead of running it again.
"""

from __future__ import annotations

import argparse
import ast
import collections
import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "sdk_suite"
SPEC = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"
CONFIG = ROOT / "spec" / "openai.client.yaml"
SUPPORT = ROOT / "bench" / "sdk_suite"
SDK_VERSION = "3.51.0"
PRISM = "@stainless-api/prism-cli@5"
PACKAGE = "openai_client"
SDK_TOOLS = ["pytest>=9", "pytest-asyncio>=1.4", "pytest-xdist", "rich", "inline-snapshot",
             "dirty-equals", "aiohttp"]  # fmt: skip
OUR_TOOLS = ["pytest>=9", "pytest-asyncio>=1.4", "pytest-xdist", "respx", "attrs", "httpx"]
# The SDK's own pytest settings (its pyproject), for both runs.
PYTEST_INI = """[pytest]
xfail_strict = true
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
filterwarnings =
    error
"""
# Import lines rewritten in the ported copy; nothing else in a test changes.
PORT_RULES = [
    (re.compile(r"^import httpx2$", re.M), "import httpx as httpx2"),
    (re.compile(r"^import openai\.[\w.]+ as (\w+)$", re.M), r"import tests.sdk_names as \1"),
    (re.compile(r"^from openai(\.[\w.]+)? import ", re.M), "from tests.sdk_names import "),
    (re.compile(r"^from tests\.respx2 import ", re.M), "from respx import "),
]


def log(message: str) -> None:
    print(f"[sdk-suite] {message}", file=sys.stderr, flush=True)


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=True, text=True, **kwargs)  # type: ignore[call-overload,no-any-return]


def venv(path: Path, packages: list[str]) -> Path:
    python = path / "bin" / "python"
    stamp = path / "installed.json"
    if stamp.exists() and json.loads(stamp.read_text()) == packages:
        return python
    log(f"creating {path.name} with {' '.join(packages)}")
    shutil.rmtree(path, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(path)])
    run([str(python), "-m", "pip", "install", "-q", *packages])
    stamp.write_text(json.dumps(packages))
    return python


def sdist() -> Path:
    tree = WORK / f"openai-{SDK_VERSION}"
    if not (tree / "tests" / "api_resources").is_dir():
        log(f"fetching the openai {SDK_VERSION} sdist")
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             "-d", str(WORK), f"openai=={SDK_VERSION}"])  # fmt: skip
        with tarfile.open(WORK / f"openai-{SDK_VERSION}.tar.gz") as archive:
            archive.extractall(WORK, filter="data")
    return tree


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def prism(spec: Path) -> Iterator[str]:
    prefix = WORK / "prism"
    binary = prefix / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        log(f"installing {PRISM} from npm")
        prefix.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--silent", "--prefix", str(prefix), PRISM])
    port = free_port()
    logfile = WORK / "prism.log"
    with logfile.open("w") as sink:
        server = subprocess.Popen(
            [str(binary), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)],
            stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 300
            while "Prism is listening" not in logfile.read_text(errors="replace"):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"Prism did not start; see {logfile}")
                time.sleep(0.5)
            log(f"Prism serves {spec.name} on 127.0.0.1:{port}")
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=30)


def pytest_run(python: Path, cwd: Path, junit: Path, base_url: str, workers: int,
               select: str | None, env_extra: dict[str, str]) -> None:  # fmt: skip
    (cwd / "pytest.ini").write_text(PYTEST_INI)
    args = [str(python), "-m", "pytest", "tests/api_resources", "-q", "-p", "no:cacheprovider",
            "-c", "pytest.ini", "--rootdir", str(cwd), f"--junitxml={junit}",
            "-n", str(workers)]  # fmt: skip
    if select:
        args += ["-k", select]
    env = {**os.environ, "TEST_API_BASE_URL": base_url, **env_extra}
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    (junit.with_suffix(".log")).write_text(done.stdout + done.stderr)
    log(f"pytest in {cwd.name}: {done.stdout.strip().splitlines()[-1] if done.stdout else '?'}")


def port_tests(tree: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    tests = target / "tests"
    shutil.copytree(tree / "tests" / "api_resources", tests / "api_resources")
    (tests / "__init__.py").write_text("")
    for name in ("conftest.py", "utils.py", "sdk_names.py"):
        shutil.copy(SUPPORT / name, tests / name)
    for path in (tests / "api_resources").rglob("*.py"):
        text = path.read_text()
        for pattern, replacement in PORT_RULES:
            text = pattern.sub(replacement, text)
        path.write_text(text)


def outcomes(junit: Path) -> dict[str, tuple[str, str]]:
    """Test id -> (outcome, first line of the failure)."""
    results: dict[str, tuple[str, str]] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = "skipped" if child.tag == "skipped" else "failed"
                message = (child.get("message") or child.text or "").strip().splitlines()[:1]
                message = message[0] if message else ""
        results[test_id] = (outcome, message)
    return results


def portable(test_id: str) -> bool:
    return test_id.endswith(("[loose]", "[strict]"))


def cause(message: str) -> str:
    """A failure message with its specifics blanked, to group failures by cause."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    text = re.sub(r"\b[A-Z][A-Za-z]+(?:Param|Model|Response|Request)\w*", "<Type>", text)
    return re.sub(r"\d+", "N", text)[:160]


_WRAPPERS = frozenset(("with_raw_response", "with_streaming_response"))
DUMP_SDK = ROOT / "spec" / "derive_openai_config.py"  # its --dump-sdk lists the SDK's requests


def sdk_routes(sdk_python: Path) -> dict[str, str]:
    """SDK method (``beta.agents.create``) -> ``VERB /path`` it sends, read from the SDK's
    own code in its venv (``spec/derive_openai_config.py --dump-sdk``)."""
    done = run([str(sdk_python), str(DUMP_SDK), "--dump-sdk"], capture_output=True)
    methods = json.loads(done.stdout)["methods"]
    return {m["name"]: f"{m['verb'].upper()} {m['path']}" for m in methods if m["path"]}


def spec_routes(spec: Path) -> set[str]:
    """``VERB /path`` of every operation of the spec (path parameters blanked)."""
    data = yaml.load(spec.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    verbs = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    return {
        f"{verb.upper()} {_blank(path)}"
        for path, item in (data.get("paths") or {}).items()
        for verb in verbs
        if isinstance(item, dict) and verb in item
    }


def _blank(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def called_methods(tree: Path) -> dict[str, str]:
    """Test id -> the SDK method its body calls first (``beta.agents.create``)."""
    found: dict[str, str] = {}
    for path in (tree / "tests" / "api_resources").rglob("test_*.py"):
        module = ".".join(path.relative_to(tree).with_suffix("").parts)
        for cls in ast.parse(path.read_text()).body:
            if not isinstance(cls, ast.ClassDef):
                continue
            for function in cls.body:
                if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    method = _first_call(function)
                    if method:
                        found[f"{module}.{cls.name}::{function.name}"] = method
    return found


def _first_call(function: ast.AST) -> str | None:
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            parts, target = [], node.func
            while isinstance(target, ast.Attribute):
                parts.append(target.attr)
                target = target.value
            if isinstance(target, ast.Name) and target.id in ("client", "async_client"):
                return ".".join(p for p in reversed(parts) if p not in _WRAPPERS)
    return None


def outside_spec(tests: list[str], tree: Path, spec: Path, sdk_python: Path) -> set[str]:
    """The tests whose SDK method sends a request the spec has no operation for."""
    routes, known, methods = sdk_routes(sdk_python), spec_routes(spec), called_methods(tree)
    outside = set()
    for test in tests:
        method = methods.get(test.partition("[")[0])
        route = routes.get(method or "")
        if route is not None:
            verb, _, path = route.partition(" ")
            if f"{verb} {_blank(path)}" not in known:
                outside.add(test)
    return outside


def report(sdk: dict[str, tuple[str, str]], ours: dict[str, tuple[str, str]], top: int,
           outside: set[str]) -> dict[str, object]:  # fmt: skip
    bar = sorted(t for t, (o, _) in sdk.items() if portable(t) and o == "passed")
    passed = {t for t in bar if ours.get(t, ("missing", ""))[0] == "passed"}
    failed = [t for t in bar if t not in passed]
    print(f"SDK {SDK_VERSION}: {len(bar)} portable tests pass "
          f"(of {sum(portable(t) for t in sdk)} portable, {len(sdk)} in all)")  # fmt: skip
    ratio = len(passed) / len(bar) if bar else 0.0
    print(f"ours: {len(passed)} of those {len(bar)} pass = {ratio:.1%} (bar: 95 %)")
    in_spec = [t for t in bar if t not in outside]
    in_spec_passed = sum(t in passed for t in in_spec)
    in_spec_ratio = in_spec_passed / len(in_spec) if in_spec else 0.0
    print(f"  of them, {len(bar) - len(in_spec)} call SDK methods whose request the spec has "
          f"no operation for; without those: {in_spec_passed} of {len(in_spec)} = "
          f"{in_spec_ratio:.1%}")  # fmt: skip
    extra = [t for t, (o, _) in ours.items() if o == "passed" and t not in set(bar) and portable(t)]
    print(f"ours also passes {len(extra)} portable tests the SDK fails")
    groups = collections.Counter(
        cause(ours.get(t, ("missing", "not run"))[1]) for t in failed if t not in outside
    )
    print(f"\nour failures among the in-spec ones, by cause (top {top}):")
    for text, count in groups.most_common(top):
        print(f"{count:6d}  {text}")
    return {"sdk_passed": len(bar), "ours_passed": len(passed), "ratio": ratio,
            "in_spec": len(in_spec), "in_spec_passed": in_spec_passed,
            "in_spec_ratio": in_spec_ratio,
            "failed": {t: ours.get(t, ("missing", ""))[1] for t in failed},
            "outside_spec": sorted(outside & set(bar))}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--reuse-sdk-run", action="store_true")
    parser.add_argument("-k", dest="select", help="only tests matching this pytest -k expression")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--top", type=int, default=30)
    options = parser.parse_args()
    spec = options.spec.resolve()
    if not spec.is_file():
        raise SystemExit(f"no spec at {spec}")
    WORK.mkdir(parents=True, exist_ok=True)
    tree = sdist()
    digest = hashlib.sha256(spec.read_bytes()).hexdigest()[:12]
    sdk_junit = WORK / f"sdk-{digest}.xml"
    our_junit = WORK / "ours.xml"

    sdk_python = venv(WORK / "sdk-venv", [f"openai=={SDK_VERSION}", *SDK_TOOLS])
    our_python = venv(WORK / "ours-venv", OUR_TOOLS)
    log("generating our client")
    out = WORK / "ours-package"
    run([sys.executable, "-m", "generator", "generate", str(spec), "--config", str(CONFIG),
         "-o", str(out)], cwd=ROOT, capture_output=True)  # fmt: skip
    ported = WORK / "ported"
    port_tests(tree, ported)

    with prism(spec) as base_url:
        if not (options.reuse_sdk_run and sdk_junit.exists()):
            log("running the SDK's tests on the SDK")
            pytest_run(sdk_python, tree, sdk_junit, base_url, options.workers, options.select, {})
        log("running the ported tests on ours")
        pytest_run(our_python, ported, our_junit, base_url, options.workers, options.select,
                   {"PYTHONPATH": str(out), "SDK_SUITE_PACKAGE": PACKAGE})  # fmt: skip

    sdk_results = outcomes(sdk_junit)
    outside = outside_spec(list(sdk_results), tree, spec, sdk_python)
    summary = report(sdk_results, outcomes(our_junit), options.top, outside)
    (WORK / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True))
    log(f"details: {WORK / 'summary.json'}, logs beside the junit files")


if __name__ == "__main__":
    main()
