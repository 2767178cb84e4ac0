"""Where generation spends its time, stage by stage, for one spec (default: the full OpenAI
spec with ``spec/openai.client.yaml``), in this process.

Stages as ``generator.pipeline.generate`` runs them: read (YAML + ``$ref`` checks), build
the IR, render the templates, and ruff (the scratch tree written, ``ruff check --fix`` for
imports, which also reports invalid Python, and ``ruff format``, read back). Validation runs
in a forked child meanwhile and is not on this path. Each stage is timed with the cyclic
garbage collector on (``--gc on``, how Python runs by default) or off (``--gc off``, what
``generate`` does since issue 19); with it on, the time spent in collections is counted too
(``gc.callbacks``). ``--profile N`` adds the N functions with the most own time (cProfile)
over the whole run.

Run from the repository root: ``python bench/profile_generate.py [--gc on|off] [--profile 25]``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SPEC = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"
DEFAULT_CONFIG = ROOT / "spec" / "openai.client.yaml"


class GcClock:
    """Seconds spent in cyclic collections, and how many of each generation."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.count[info["generation"]] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--gc", choices=("on", "off"), default="on")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()

    started = time.perf_counter()
    from generator.pipeline.build import build_api
    from generator.pipeline.config import load_config, package_name_from_title
    from generator.pipeline.load import read_document
    from generator.pipeline.render import Renderer
    from generator.pipeline.write import _format

    stages: list[tuple[str, float, float]] = []
    clock = GcClock()
    gc.callbacks.append(clock)
    if args.gc == "off":
        gc.disable()
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()

    def stage(name: str, since: float, gc_before: float) -> float:
        now = time.perf_counter()
        stages.append((name, now - since, clock.seconds - gc_before))
        return now

    mark = stage("import the generator", started, 0.0)
    document = read_document(args.spec)
    mark = stage("read (YAML, $refs)", mark, gc_seen := clock.seconds)
    info = document.data.get("info") or {}
    settings = load_config(args.config, None, fallback_name=package_name_from_title(
        str(info.get("title", ""))))  # fmt: skip
    gc_seen = clock.seconds
    api = build_api(document, settings, [])
    mark = stage("build the IR", mark, gc_seen)
    gc_seen = clock.seconds
    files = Renderer(api, args.spec.name, settings.runtime).render()
    mark = stage("render (Jinja)", mark, gc_seen)
    gc_seen = clock.seconds
    _format(files)
    stage("ruff (scratch tree, 2 runs, read back)", mark, gc_seen)
    if profiler is not None:
        profiler.disable()
    gc.callbacks.remove(clock)

    total = sum(seconds for _, seconds, _ in stages)
    print(f"{args.spec.name}: {len(files)} files; cyclic GC {args.gc}\n")
    print("| stage | seconds | share | of which cyclic GC |")
    print("| --- | ---: | ---: | ---: |")
    for name, seconds, in_gc in stages:
        print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} | {in_gc:.2f} |")
    print(f"| **total** | {total:.2f} | | {clock.seconds:.2f} ({sum(clock.count)} collections, "
          f"{clock.count[2]} full) |")  # fmt: skip
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print("\n" + out.getvalue())


if __name__ == "__main__":
    main()
