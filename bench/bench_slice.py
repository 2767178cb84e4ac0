"""Time ``python -m generator slice`` on a large synthetic spec, end to end.

Builds a multi-megabyte OpenAPI 3.1 document (thousands of schemas, hundreds of operations,
see ``tests/spec_factory.py``) with ``spec/images-edit.yaml`` embedded in it, writes it as
YAML to a temporary folder, then runs the real command line a few times in a fresh
interpreter (start-up + load + slice + validate + write) and checks that the slice equals
the slice of the small fragment.

    python bench/bench_slice.py [--schemas 4000] [--operations 400] [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from spec_factory import embed_fragment, make_large_spec, operation_ids  # noqa: E402 - after the sys.path setup above

from generator.pipeline.load import Document, check_document, load_document, parse_source  # noqa: E402 - after the sys.path setup above
from generator.tools.slicing import render, slice_document  # noqa: E402 - after the sys.path setup above

FRAGMENT = ROOT / "spec" / "images-edit.yaml"
OPERATION = "createImageEdit"
TARGET_SECONDS = 5.0


def build(path: Path, *, schemas: int, operations: int, seed: int) -> dict[str, int]:
    small = load_document(FRAGMENT).data
    big = embed_fragment(
        make_large_spec(n_operations=operations, n_schemas=schemas, seed=seed),
        small,
        seed=seed,
        reuse_schemas=["ErrorResponse", "Image", "ImagesUsage"],
    )
    big["info"], big["servers"] = small["info"], small["servers"]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(big, stream, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1 << 30)
    return {"schemas": len(big["components"]["schemas"]), "operations": len(operation_ids(big))}


def run_cli(spec: Path, out: Path) -> float:
    command = [sys.executable, "-m", "generator", "slice", str(spec), "--operation", OPERATION]
    start = time.perf_counter()
    subprocess.run([*command, "-o", str(out)], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", type=int, default=4000)
    parser.add_argument("--operations", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-slice-") as folder:
        spec = Path(folder) / "big.yaml"
        out = Path(folder) / "out.yaml"
        sizes = build(spec, schemas=args.schemas, operations=args.operations, seed=args.seed)
        megabytes = spec.stat().st_size / 1e6
        print(
            f"input: {megabytes:.1f} MB YAML, {sizes['schemas']} schemas, "
            f"{sizes['operations']} operations"
        )

        times = [run_cli(spec, out) for _ in range(args.runs)]
        best, median = min(times), statistics.median(times)
        verdict = (
            "ok" if median < TARGET_SECONDS else f"SLOWER than the {TARGET_SECONDS:.0f} s target"
        )
        print(
            f"python -m generator slice --operation {OPERATION} -o out.yaml, {args.runs} runs: "
            f"best {best:.2f} s, median {median:.2f} s ({verdict})"
        )

        # Where the time goes, in this process (no interpreter start-up, imports warmed).
        list(check_document(load_document(FRAGMENT, validate=False)))
        marks = [time.perf_counter()]
        source = spec.read_bytes()
        marks.append(time.perf_counter())
        gc.disable()  # as slice_file does while parsing
        data = parse_source(source, str(spec))
        gc.enable()
        marks.append(time.perf_counter())
        result = slice_document(data, [OPERATION])
        marks.append(time.perf_counter())
        problems = list(check_document(Document(spec, result, b"")))
        marks.append(time.perf_counter())
        render(result)
        marks.append(time.perf_counter())
        read, parse, cut, check, write = (b - a for a, b in itertools.pairwise(marks))
        print(
            f"in process: read {read:.2f} s, parse {parse:.2f} s, slice {cut:.3f} s, "
            f"validate the slice {check:.2f} s ({len(problems)} problems), render {write:.3f} s"
        )

        expected = slice_document(load_document(FRAGMENT).data, [OPERATION])
        written = load_document(out).data
        same = written == expected
        print(f"slice equals the slice of {FRAGMENT.relative_to(ROOT)}: {'yes' if same else 'NO'}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
