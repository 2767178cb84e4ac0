"""Benchmark: a large JSON answer (a 20 MB list), with and without the fast parser.

The answer is an ``ImagesResponse`` whose ``data`` list holds ``--items`` images (default
100,000: about 20 MB of JSON), served by an ``httpx.MockTransport``. Compared, in one
process, best of ``--runs``:

* floor: ``json.loads`` of the body;
* ``jiter.from_json`` of the body (the fast parser alone, when installed);
* ours, parse only: the package's ``_json.loads``, default install (``json``) and with jiter;
* ours end to end: ``client.images.edit_json(...)`` (parse, then decode into attrs models),
  default install and with jiter.

Run: ``python bench/bench_large_json.py [--items N] [--runs N]``. Times relative to the floor.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated"))

import httpx  # noqa: E402
import openai_images  # noqa: E402 - the committed package, from generated/
import openai_images._json as package_json  # noqa: E402

FAST = package_json._fast_parser()[1]


def body(items: int) -> bytes:
    data = [
        {
            "url": f"https://images.example/{i:08d}.png?signature={'s' * 80}",
            "revised_prompt": f"A watercolor of a gift basket, variant {i}, in soft light",
        }
        for i in range(items)
    ]
    answer: dict[str, Any] = {
        "created": 1_713_833_628,
        "data": data,
        "background": "opaque",
        "output_format": "png",
        "size": "1024x1024",
        "quality": "high",
        "usage": {
            "total_tokens": 100,
            "input_tokens": 50,
            "output_tokens": 50,
            "input_tokens_details": {"text_tokens": 10, "image_tokens": 40},
        },
    }
    return json.dumps(answer, separators=(",", ":")).encode()


def client_call(content: bytes, parser: str) -> Callable[[], object]:
    headers = {"content-type": "application/json"}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, headers=headers,
                                                                   content=content))  # fmt: skip
    client = openai_images.Client(
        api_key="sk-bench", base_url="http://bench/v1",
        http_client=httpx.Client(transport=transport), max_retries=0,
    )  # fmt: skip
    ref = openai_images.ImageRefParam(file_id="file-abc123")

    def run() -> object:
        package_json._parse = FAST if parser == "fast" else None
        return client.images.edit_json(images=[ref], prompt="p")

    return run


def parse_only(content: bytes, parser: str) -> Callable[[], object]:
    def run() -> object:
        package_json._parse = FAST if parser == "fast" else None
        return package_json.loads(content)

    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    content = body(args.items)
    variants: dict[str, Callable[[], object] | str] = {
        "floor: json.loads": lambda: json.loads(content),
        "jiter.from_json (the fast parser alone)": (
            (lambda: FAST(content)) if FAST else "jiter not installed"
        ),
        "ours, parse only (_json.loads), default install": parse_only(content, "json"),
        "ours + jiter, parse only (_json.loads)": (
            parse_only(content, "fast") if FAST else "jiter not installed"
        ),
        "ours: Client.images.edit_json, default install": client_call(content, "json"),
        "ours + jiter: Client.images.edit_json": (
            client_call(content, "fast") if FAST else "jiter not installed"
        ),
    }
    runs = {label: run for label, run in variants.items() if not isinstance(run, str)}
    expected = json.loads(content)
    for label, run in runs.items():  # every variant reads the same answer
        result = run()
        items = result["data"] if isinstance(result, dict) else result.data  # type: ignore[attr-defined]
        assert len(items) == len(expected["data"]), label
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.runs):
        for label, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            result = run()
            best[label] = min(best[label], time.perf_counter() - start)
            del result
    floor = best["floor: json.loads"]
    megabytes = len(content) / 1e6
    print(f"answer: {args.items:,} images, {megabytes:.1f} MB of JSON; best of {args.runs} runs\n")
    print("| variant | best ms | MB/s | x floor |")
    print("|---|---:|---:|---:|")
    for label, run in variants.items():
        if isinstance(run, str):
            print(f"| {label} | {run} | | |")
            continue
        seconds = best[label]
        print(
            f"| {label} | {seconds * 1e3:.1f} | {megabytes / seconds:,.0f} | "
            f"{seconds / floor:.2f} |"
        )


if __name__ == "__main__":
    main()
