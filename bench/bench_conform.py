"""Time the conformance check: a large event stream, and production-like traffic of many
small JSON exchanges: ``python bench/bench_conform.py``.

Builds an ``http-recording/1`` file (written by the package's recorder) of one exchange
whose answer is a 4-event stream, 3 ``image_edit.partial_image`` events and one
``image_edit.completed``, each with ``--mb`` MB (default 4) of base64 in ``b64_json``,
then reports the best of ``--repeat`` runs of:

* check: ``Checker.check`` of the exchange already read (spec loading and validator
  compilation excluded: the checker is built, and warmed up on a small stream, once);
* read + check: reading the recording file and checking it;
* end to end: ``generator.tools.conform.cli.run`` (spec loading and validation included).

Then ``--small`` (default 50,000) small JSON exchanges (a JSON request and a JSON answer,
about 700 bytes a line; one in ``--broken-every`` (100) breaks the spec, and its findings
are worded by jsonschema, at about 2,000 a second) in one NDJSON file, in exchanges a
second:

* in process: ``cli.iter_reports`` over the file (spec loaded once, before timing);
* the same with the fast check off (jsonschema alone: the speed before jsonschema-rs), on
  a tenth of the exchanges;
* the CLI end to end, ``python -m generator conform SPEC FILE`` (start-up included), with
  one process, ``--workers 2``, and ``--engine dask --workers 2`` when Dask is installed;
  the reports of the three must be byte for byte the same.

The target is 10,000 exchanges a second on one core.
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline.load import load_document  # noqa: E402 - after the sys.path setup above
from generator.runtime import _recording  # noqa: E402 - after the sys.path setup above
from generator.tools.conform.checker import Checker  # noqa: E402 - after the sys.path setup above
from generator.tools.conform.cli import run  # noqa: E402 - after the sys.path setup above
from generator.tools.conform.recordings import read_recording  # noqa: E402 - after the sys.path setup above

SPEC = ROOT / "spec" / "images-edit.yaml"
URL = "https://api.openai.com/v1/images/edits"


def stream_body(megabytes: float) -> bytes:
    payload = base64.b64encode(os.urandom(int(megabytes * 1024 * 1024 * 3 / 4))).decode()
    common: dict[str, Any] = {
        "b64_json": payload,
        "created_at": 1713833628,
        "size": "1024x1024",
        "quality": "high",
        "background": "opaque",
        "output_format": "png",
    }
    events = [
        {"type": "image_edit.partial_image", **common, "partial_image_index": i} for i in range(3)
    ]
    usage = {
        "total_tokens": 100,
        "input_tokens": 50,
        "output_tokens": 50,
        "input_tokens_details": {"text_tokens": 10, "image_tokens": 40},
    }
    events.append({"type": "image_edit.completed", **common, "usage": usage})
    return "".join(
        f"event: {e['type']}\ndata: {json.dumps(e, separators=(',', ':'))}\n\n" for e in events
    ).encode()


def write_recording(path: Path, body: bytes) -> None:
    recorder = _recording

    def handler(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    transport = recorder.RecordingTransport(httpx.MockTransport(handler), path)
    request_body = json.dumps(
        {"images": [{"file_id": "file-abc123"}], "prompt": "snow", "stream": True}
    )
    with httpx.Client(transport=transport) as client:
        client.post(URL, content=request_body, headers={"content-type": "application/json"})


def best(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="MB of base64 per event")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--small", type=int, default=50_000, help="small exchanges (0: skip)")
    parser.add_argument(
        "--broken-every", type=int, default=100, help="one small exchange in N breaks the spec"
    )
    args = parser.parse_args()

    body = stream_body(args.mb)
    megabytes = len(body) / 1e6
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "stream.json"
        write_recording(path, body)
        file_mb = path.stat().st_size / 1e6

        start = time.perf_counter()
        checker = Checker(load_document(SPEC))
        setup = time.perf_counter() - start
        small = Path(scratch) / "small.json"
        write_recording(small, stream_body(0.01))
        checker.check(read_recording(small)[0])  # compile the validators once

        (exchange,) = read_recording(path)
        check_time, report = best(args.repeat, lambda: checker.check(exchange))
        assert report.ok and report.events == 4, report.findings
        read_time, _ = best(args.repeat, lambda: checker.check(read_recording(path)[0]))
        e2e_time, reports = best(max(args.repeat // 2, 1), lambda: run(SPEC, [path]))
        assert all(r.ok for r in reports)

    small_traffic(args.small, args.broken_every)
    print(
        f"stream: 4 events x {args.mb:g} MB b64_json = {megabytes:.1f} MB body "
        f"({file_mb:.1f} MB file)"
    )
    print(f"spec load + checker build (once): {setup:.3f} s")
    for name, seconds in (
        ("check", check_time),
        ("read + check", read_time),
        ("end to end (cli.run)", e2e_time),
    ):
        print(f"{name:22} {seconds:.3f} s  {megabytes / seconds:8.0f} MB/s")


def small_exchange(index: int, broken_every: int = 100) -> str:
    """A small JSON exchange; one in ``broken_every`` breaks the spec (a number as the
    prompt, or an answer without its required ``created``)."""
    from generator.runtime._recording_format import (
        RecordedExchange,
        RecordedRequest,
        RecordedResponse,
        encode_exchange,
    )

    headers = (("Content-Type", "application/json"), ("Accept", "application/json"))
    broken = broken_every > 0 and index % broken_every == 0
    prompt: object = index if broken and index % 2 else f"A gift basket, take {index}"
    request = {"images": [{"file_id": f"file-{index:08d}"}], "prompt": prompt,
               "model": "gpt-image-1.5", "size": "1024x1024", "quality": "high"}  # fmt: skip
    answer: dict[str, Any] = {
        "created": 1_713_833_628 + index,
        "data": [{"url": f"https://images.example/{index:08d}.png", "revised_prompt": "A basket"}],
        "usage": {"total_tokens": 100, "input_tokens": 50, "output_tokens": 50,
                  "input_tokens_details": {"text_tokens": 10, "image_tokens": 40}},
    }  # fmt: skip
    if broken and not index % 2:
        del answer["created"]
    exchange = RecordedExchange(
        RecordedRequest("POST", URL, headers, json.dumps(request).encode()),
        RecordedResponse(200, (("Content-Type", "application/json"),), json.dumps(answer).encode()),
    )
    return json.dumps(encode_exchange(exchange), separators=(",", ":"))


def cli_run(path: Path, *options: str) -> tuple[float, bytes]:
    import subprocess

    command = [sys.executable, "-m", "generator", "conform", str(SPEC), str(path), *options]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return elapsed, done.stdout


def small_traffic(count: int, broken_every: int) -> None:
    if count <= 0:
        return
    from generator.tools.conform import cli

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "traffic.ndjson"
        with path.open("w", encoding="utf-8") as file:
            for index in range(count):
                file.write(small_exchange(index, broken_every) + "\n")
        size = path.stat().st_size
        broken = f"1 in {broken_every} breaks the spec" if broken_every > 0 else "all conform"
        print(f"small exchanges: {count:,} ({broken}) in one NDJSON file of {size / 1e6:.1f} MB\n")
        rows: list[tuple[str, float]] = []

        reports = cli.iter_reports(SPEC, [path])
        first = next(reports)  # the spec loaded and the validators compiled before timing
        start = time.perf_counter()
        checked = 1 + sum(1 for _ in reports)
        rows.append(
            (
                "in process (cli.iter_reports), spec loaded",
                (checked - 1) / (time.perf_counter() - start),
            )
        )
        assert checked == count and first is not None

        tenth = Path(scratch) / "tenth.ndjson"
        with path.open("rb") as source, tenth.open("wb") as target:
            for _ in range(max(1, count // 10)):
                target.write(source.readline())
        from generator.tools.conform import fastcheck

        saved = fastcheck.FastCheck.conforms
        fastcheck.FastCheck.conforms = lambda self, ref, instance: False  # type: ignore[method-assign]
        try:
            reports = cli.iter_reports(SPEC, [tenth])
            next(reports)
            start = time.perf_counter()
            slow = sum(1 for _ in reports)
            rows.append(
                ("in process, jsonschema alone (before)", slow / (time.perf_counter() - start))
            )
        finally:
            fastcheck.FastCheck.conforms = saved  # type: ignore[method-assign]

        outputs = {}
        for label, options in (
            ("CLI, 1 process", ()),
            ("CLI, --workers 2", ("--workers", "2")),
            ("CLI, --engine dask --workers 2", ("--engine", "dask", "--workers", "2")),
        ):
            if "dask" in options and importlib.util.find_spec("dask") is None:
                print(f"| {label} | dask not installed |")
                continue
            seconds, output = cli_run(path, *options)
            outputs[label] = output
            rows.append((label + ", start-up included", count / seconds))
        assert len(set(outputs.values())) == 1, "the reports differ"
        print("| run | exchanges/s | x target (10,000/s) |")
        print("|---|---:|---:|")
        for label, rate in rows:
            print(f"| {label} | {rate:,.0f} | {rate / 10_000:.2f} |")
        print(f"\nreports of the {len(outputs)} CLI runs: byte for byte the same\n")


if __name__ == "__main__":
    main()
