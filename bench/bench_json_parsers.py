"""Which fast JSON parser the runtime uses, by measurement: ``json.loads`` against orjson,
jiter and msgspec on the two payloads that matter to a client: an image event (a 4 MiB
base64 string in a small object) and a large answer (a list of 100,000 small objects,
about 18 MB). Each parser that is installed is checked to give ``json.loads``'s value, then
timed (best of ``--runs``).

Run: ``python bench/bench_json_parsers.py [--runs 7]`` (``pip install orjson jiter msgspec``
first; a missing one is reported as such).
"""

from __future__ import annotations

import argparse
import base64
import importlib
import json
import os
import time
from collections.abc import Callable
from typing import Any


def payloads() -> dict[str, bytes]:
    b64 = base64.b64encode(os.urandom(3 * 1024 * 1024)).decode()
    event = {"type": "image_edit.partial_image", "b64_json": b64, "partial_image_index": 1,
             "created_at": 1, "size": "1024x1024"}  # fmt: skip
    items = [
        {"id": f"obj-{i}", "object": "file", "bytes": i * 1000, "created_at": 1_700_000_000 + i,
         "filename": f"f{i}.jsonl", "purpose": "batch", "status": "processed", "score": i / 7}
        for i in range(100_000)
    ]  # fmt: skip
    return {
        "4 MiB image event": json.dumps(event).encode(),
        "18 MB list": json.dumps(items).encode(),
    }


def parsers() -> dict[str, Callable[[bytes], Any] | str]:
    found: dict[str, Callable[[bytes], Any] | str] = {"json.loads": json.loads}

    def jiter(module: Any) -> Callable[[bytes], Any]:
        return lambda data: module.from_json(data, cache_mode="keys")

    for name, make in (
        ("orjson", lambda m: m.loads),
        ("jiter (keys cached, as the runtime)", jiter),
        ("msgspec", lambda m: m.json.Decoder().decode),
    ):  # fmt: skip
        module = name.split(" ")[0]
        try:
            found[name] = make(importlib.import_module(module))
        except ImportError:
            found[name] = "not installed"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print("| payload | parser | best ms | x json.loads |")
    print("| --- | --- | ---: | ---: |")
    for label, data in payloads().items():
        expected = json.loads(data)
        floor = 0.0
        for name, parse in parsers().items():
            if isinstance(parse, str):
                print(f"| {label} | {name} | {parse} | |")
                continue
            assert parse(data) == expected, name
            best = float("inf")
            for _ in range(args.runs):
                started = time.perf_counter()
                parse(data)
                best = min(best, time.perf_counter() - started)
            floor = floor or best
            print(f"| {label} | {name} | {best * 1e3:.2f} | {best / floor:.2f} |")


if __name__ == "__main__":
    main()
