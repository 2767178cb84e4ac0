"""On-demand check: the official SDK's README examples type-check against the whole-API client.

Not part of the test suite (it needs the network for the SDK's sdist and ``../shared``):

1. generates the whole OpenAI client (``python -m generator generate
   ../shared/reference/openai.openapi.yaml --config spec/openai.client.yaml -o DIR``);
2. fetches the SDK's README at run time (``pip download openai==3.51.0 --no-binary :all:
   --no-deps`` into a temporary folder; nothing is kept or committed) and takes its
   ``python`` code blocks;
3. adapts the imports only: ``from openai import X`` → ``from openai_client import X``,
   ``import openai`` → ``import openai_client as openai``. A block that imports what the
   client does not have (``openai.auth``, ``DefaultHttpx2Client``, a module that is not
   installed, such as ``flask``) cannot be adapted by its import and is skipped, with why;
4. runs ``mypy --strict`` once over all the blocks, each a module of its own. README
   fragments are completed as their prose says: one that uses ``client`` without making it
   gets ``client = OpenAI()`` (``AsyncOpenAI()`` when it awaits), one that awaits at the top
   level runs inside an ``async def``, and a name a fragment never defines (``audio_bytes``)
   is not an error (``--disable-error-code name-defined``);
5. does the same against the SDK itself (``bench/.work/sdk-venv``, made by
   ``bench_whole_api.py``), so that a block that fails on both is told apart from one that
   fails on ours only.

Run from the repository root: ``python bench/check_sdk_readme.py [--out DIR]``. Exit 0 when
every block the SDK's own types accept type-checks against ours; 1 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from pathlib import Path

from bench_whole_api import CONFIG, SDK_VERSION, SPEC, ensure_sdk_venv

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "openai_client"
MYPY = ["--strict", "--no-incremental", "--disable-error-code", "name-defined"]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_ERROR = re.compile(r"^(example_\d+)\.py:(\d+): error: (.*)$", re.MULTILINE)


def readme_blocks(folder: Path) -> list[str]:
    """The README's python blocks, from the SDK's sdist (fetched with pip, not kept)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", f"openai=={SDK_VERSION}",
         "--no-binary", ":all:", "--no-deps", "-d", str(folder)],
        check=True,
    )  # fmt: skip
    (sdist,) = folder.glob(f"openai-{SDK_VERSION}.tar.gz")
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(f"openai-{SDK_VERSION}/README.md")
        assert member is not None
        readme = io.TextIOWrapper(member, encoding="utf-8").read()
    return _BLOCK.findall(readme)


def generate(out: Path) -> None:
    command = [sys.executable, "-m", "generator", "generate", str(SPEC), "--config",
               str(CONFIG), "-o", str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"generation failed: {done.stderr[-2000:]}")


def our_names(out: Path) -> set[str]:
    code = f"import {PACKAGE}; print(' '.join(dir({PACKAGE})))"
    done = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return set(done.stdout.split())


def adapt(source: str, names: set[str]) -> tuple[str, str] | str:
    """``(ours, theirs)``: the block against our client and against the SDK, completed as a
    fragment; or why it cannot be adapted by its imports alone."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in sorted(_imports(tree), key=lambda n: -n.lineno):
        if isinstance(node, ast.ImportFrom) and node.module == "openai":
            missing = [a.name for a in node.names if a.name not in names]
            if missing:
                return f"ours has no {', '.join(missing)}"
            text = f"from {PACKAGE} import " + ", ".join(_alias(a) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.startswith("openai."):
                return f"ours has no module {module}"
            if importlib.util.find_spec(module.split(".")[0]) is None:
                return f"needs {module}, not installed"
            continue
        else:
            parts = []
            for alias in node.names:
                if alias.name == "openai":
                    parts.append(f"import {PACKAGE} as {alias.asname or 'openai'}")
                elif alias.name.startswith("openai."):
                    return f"ours has no module {alias.name}"
                elif importlib.util.find_spec(alias.name.split(".")[0]) is None:
                    return f"needs {alias.name}, not installed"
                else:
                    parts.append(f"import {_alias(alias)}")
            text = "; ".join(parts)
        end = node.end_lineno or node.lineno
        lines[node.lineno - 1 : end] = [" " * node.col_offset + text]
    ours = _complete("\n".join(lines), tree, PACKAGE)
    theirs = _complete(source, tree, "openai")
    return ours, theirs


def _imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def _alias(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _complete(source: str, tree: ast.Module, package: str) -> str:
    """A README fragment made a module: ``client`` made when it is used but never made, a
    top-level ``await`` run inside an ``async def``."""
    awaits = _top_level_await(tree)
    if awaits:
        source = "async def _example() -> None:\n" + textwrap.indent(source, "    ")
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "client"]
    made = any(isinstance(n.ctx, ast.Store) for n in uses)
    if uses and not made:
        kind = "AsyncOpenAI" if awaits or "async " in source else "OpenAI"
        source = f"from {package} import {kind}\n\nclient = {kind}()\n\n{source}"
    return source


def _top_level_await(tree: ast.Module) -> bool:
    def visit(node: ast.AST) -> bool:
        if isinstance(node, ast.Await):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
        return any(visit(child) for child in ast.iter_child_nodes(node))

    return visit(tree)


def mypy(
    folder: Path, files: dict[str, str], python: Path | None, path: Path | None
) -> dict[str, list[str]]:
    """One ``mypy --strict`` run over every block: the errors of each."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", *MYPY]
    if python is not None:
        command += ["--python-executable", str(python)]
    env = {**os.environ, "MYPYPATH": str(path)} if path is not None else None
    done = subprocess.run([*command, *(f"{n}.py" for n in files)], cwd=folder,
                          capture_output=True, text=True, env=env)  # fmt: skip
    errors: dict[str, list[str]] = {name: [] for name in files}
    for found in _ERROR.finditer(done.stdout):
        errors[found[1]].append(f"line {found[2]}: {found[3]}")
    if done.returncode not in (0, 1) or (done.returncode == 1 and not any(errors.values())):
        raise SystemExit(f"mypy failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="generate into (or reuse) this folder")
    args = parser.parse_args()
    if not SPEC.exists():
        raise SystemExit(f"the full spec is missing: {SPEC}")
    with tempfile.TemporaryDirectory(prefix="sdk-readme-") as scratch:
        work = Path(scratch)
        out = args.out or work / "client"
        if not (out / PACKAGE).exists():
            generate(out)
        blocks = readme_blocks(work / "sdist")
        names = our_names(out)
        ours: dict[str, str] = {}
        theirs: dict[str, str] = {}
        skipped: dict[str, str] = {}
        firsts: dict[str, str] = {}
        for index, block in enumerate(blocks):
            name = f"example_{index:02d}"
            firsts[name] = next((line for line in block.splitlines() if line.strip()), "")
            adapted = adapt(block, names)
            if isinstance(adapted, str):
                skipped[name] = adapted
            else:
                ours[name], theirs[name] = adapted
        our_errors = mypy(work / "ours", ours, None, out)
        their_errors = mypy(work / "theirs", theirs, ensure_sdk_venv(), None)
    print("| block | first line | ours | SDK |")
    print("| --- | --- | --- | --- |")
    for name in firsts:
        if name in skipped:
            print(f"| {name} | `{firsts[name][:50]}` | skipped: {skipped[name]} | |")
            continue
        mine, sdk = our_errors[name], their_errors[name]
        print(f"| {name} | `{firsts[name][:50]}` | {'ok' if not mine else 'ERRORS'} | "
              f"{'ok' if not sdk else 'ERRORS'} |")  # fmt: skip
    for name in ours:
        for side, errors in (("ours", our_errors[name]), ("SDK", their_errors[name])):
            for error in errors:
                print(f"{name} ({side}): {error}")
    passed = [n for n in ours if not our_errors[n]]
    sdk_passed = [n for n in ours if not their_errors[n]]
    regressions = [n for n in sdk_passed if our_errors[n]]
    print(
        f"\n{len(blocks)} python blocks in the SDK {SDK_VERSION} README; {len(skipped)} skipped "
        f"(they import what the client does not have); of the {len(ours)} checked, "
        f"{len(passed)} type-check against ours and {len(sdk_passed)} against the SDK; "
        f"failing on ours only: {', '.join(regressions) or 'none'}."
    )
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
