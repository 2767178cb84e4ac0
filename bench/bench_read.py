"""Benchmark: the "read" stage of generation, ``read_document``, on the full OpenAI spec.

``generator.pipeline.load.read_document`` reads the file, parses the YAML (with the lines
that problems are located by), checks the limits, normalises and bundles ``$ref`` s and
checks them. This measures its CPU time (``time.process_time``: the machine is shared, and
wall time is noisy) with the cyclic garbage collector off, as generation runs it; and, for
where the time goes, the parse alone (``yamlread.parse``) and the floor under it: libyaml
producing the parser events, with nothing done with them.

Each figure is the best of ``--runs`` (after one untimed run), measured in a fresh
interpreter; freeing what a run made is left out of its time, as a generation never frees
the document it read. ``--baseline DIR`` measures another checkout of the repository the same way
(``git worktree add /tmp/base <commit>``, or ``git archive <commit> | tar -x -C DIR``), in
alternating rounds, and prints the ratio. Run from the repository root:
``python bench/bench_read.py [--runs 5] [--rounds 2] [--spec PATH] [--baseline DIR]``.
Without the spec (``../shared/reference/openai.openapi.yaml``) it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"

# Run in a fresh interpreter with the checkout to measure first on sys.path; prints JSON.
_MEASURE = """
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
import yaml
from generator.pipeline import limits, yamlread
from generator.pipeline.load import read_document
spec, runs = sys.argv[2], int(sys.argv[3])
source = open(spec, "rb").read()

def events():
    loader = yaml.CSafeLoader(source)
    get_event = loader.get_event
    while type(get_event()) is not yaml.StreamEndEvent:
        pass
    loader.dispose()

def forget():  # the lines (or node graph) a parse keeps, by either name
    for name in ("_LINES_CACHE", "_NODE_CACHE"):
        getattr(yamlread, name, {}).clear()

def best(run):
    run()
    times = []
    for _ in range(runs):
        forget()
        started = time.process_time()
        result = run()
        times.append(time.process_time() - started)
        del result  # freeing it is not part of reading (a run never frees it)
    return min(times)

gc.disable()
print(json.dumps({
    "read_document": best(lambda: read_document(spec)),
    "parse": best(lambda: yamlread.parse(source, spec, limits.current())),
    "libyaml events": best(events),
}))
"""


def measure(checkout: Path, spec: Path, runs: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(checkout), str(spec), str(runs)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"measuring {checkout} failed:\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs in each interpreter")
    parser.add_argument("--rounds", type=int, default=2, help="interpreters per checkout")
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    options = parser.parse_args()
    if not options.spec.is_file():
        print(f"skipped: the spec {options.spec} is absent")
        return
    sides = {"this checkout": ROOT}
    if options.baseline is not None:
        sides["baseline"] = options.baseline.resolve()
    best: dict[str, dict[str, float]] = {}
    for _ in range(options.rounds):
        for name, checkout in sides.items():
            for stage, seconds in measure(checkout, options.spec, options.runs).items():
                kept = best.setdefault(name, {})
                kept[stage] = min(seconds, kept.get(stage, seconds))
    stages = list(best["this checkout"])
    print(f"CPU seconds, best of {options.runs} runs x {options.rounds} interpreters")
    print(f"spec: {options.spec}")
    print(f"{'':16}" + "".join(f"{stage:>16}" for stage in stages))
    for name, figures in best.items():
        print(f"{name:16}" + "".join(f"{figures[stage]:16.3f}" for stage in stages))
    if "baseline" in best:
        ratios = [best["this checkout"][s] / best["baseline"][s] for s in stages]
        print(f"{'this / baseline':16}" + "".join(f"{ratio:16.2f}" for ratio in ratios))


if __name__ == "__main__":
    main()
