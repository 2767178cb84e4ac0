"""CPU time of two generation stages for the full OpenAI spec: build the IR (``build_api``)
and render (``Renderer(...).render()``), each measured with ``time.process_time()``.

Each run is a fresh interpreter, as ``generate`` is: it reads the spec (not timed), then
builds and renders once with the cyclic garbage collector off (as ``generate`` runs). The
best of ``--runs`` runs is shown per stage. ``--against REV`` also measures the generator
of a git revision (extracted with ``git archive`` to a temporary folder), its runs
interleaved with this tree's, and prints the ratio this tree / REV. Every run's rendered
files are compared with the first one's: a difference is reported, and exits 1.

CPU time, not wall time, because the machine is shared. Run from the repository root:
``python bench/bench_build_render.py [--runs 5] [--against REV] [--spec PATH]``. Skips,
with a message, when the spec (``../shared/reference/openai.openapi.yaml``) is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"
CONFIG = ROOT / "spec" / "openai.client.yaml"

# One measured run, in a fresh interpreter, of the generator found at argv[1].
CHILD = """
import gc, hashlib, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generator.pipeline.build import build_api
from generator.pipeline.config import load_config, package_name_from_title
from generator.pipeline.load import read_document
from generator.pipeline.render import Renderer
spec, config = Path(sys.argv[2]), Path(sys.argv[3])
gc.disable()
document = read_document(spec)
info = document.data.get("info") or {}
settings = load_config(config, None, fallback_name=package_name_from_title(
    str(info.get("title", ""))))
warnings = []
started = time.process_time()
api = build_api(document, settings, warnings)
built = time.process_time()
files = Renderer(api, spec.name, settings.runtime).render()
rendered = time.process_time()
digest = hashlib.sha256()
for path in sorted(files):
    digest.update(path.encode() + b"\\0" + files[path].encode() + b"\\0")
for warning in warnings:
    digest.update(str(warning).encode() + b"\\0")
print(json.dumps({"build": built - started, "render": rendered - built,
                  "files": len(files), "digest": digest.hexdigest()}))
"""


def run_once(root: Path, spec: Path, config: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), str(spec), str(config)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def extract(revision: str, into: Path) -> Path:
    """The tree of ``revision`` (its ``generator/`` and ``templates/``) under ``into``."""
    archive = into / "tree.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "-o", str(archive), revision, "generator",
         "templates"], check=True,
    )  # fmt: skip
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", metavar="REV", help="also measure this git revision")
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--config", type=Path, default=CONFIG)
    options = parser.parse_args()
    if not options.spec.is_file():
        print(f"skipped: the spec is absent ({options.spec})")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        trees = {"this tree": ROOT}
        if options.against:
            trees[options.against] = extract(options.against, Path(scratch))
        runs: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        for _ in range(options.runs):
            for name, root in trees.items():
                runs[name].append(run_once(root, options.spec, options.config))
    digests = {str(r["digest"]) for results in runs.values() for r in results}
    print(f"{options.spec.name}, best of {options.runs} runs, CPU seconds (process_time)\n")
    print("| generator | build | render | build + render | files |")
    print("| --- | ---: | ---: | ---: | ---: |")
    best: dict[str, dict[str, float]] = {}
    for name, results in runs.items():
        stages = {
            stage: min(float(str(r[stage])) for r in results) for stage in ("build", "render")
        }
        stages["total"] = min(float(str(r["build"])) + float(str(r["render"])) for r in results)
        best[name] = stages
        print(f"| {name} | {stages['build']:.3f} | {stages['render']:.3f} | "
              f"{stages['total']:.3f} | {results[0]['files']} |")  # fmt: skip
    if options.against:
        ours, theirs = best["this tree"], best[options.against]
        print(f"| ratio | {ours['build'] / theirs['build']:.2f}x | "
              f"{ours['render'] / theirs['render']:.2f}x | "
              f"{ours['total'] / theirs['total']:.2f}x | |")  # fmt: skip
    if len(digests) != 1:
        print("\nthe rendered files or warnings differ between runs or trees")
        return 1
    print("\nrendered files and warnings: identical in every run"
          + (" and both trees" if options.against else ""))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
