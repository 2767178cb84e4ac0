"""Time the conformance check of a large event stream: ``python bench/bench_conform.py``.

Builds an ``http-recording/1`` file (written by the package's recorder) of one exchange
whose answer is a 4-event stream, 3 ``image_edit.partial_image`` events and one
``image_edit.completed``, each with ``--mb`` MB (default 4) of base64 in ``b64_json``,
then reports the best of ``--repeat`` runs of:

* check: ``Checker.check`` of the exchange already read (spec loading and validator
  compilation excluded: the checker is built, and warmed up on a small stream, once);
* read + check: reading the recording file and checking it;
* end to end: ``generator.tools.conform.cli.run`` (spec loading and validation included).
"""

from __future__ import annotations

import argparse
import base64
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


if __name__ == "__main__":
    main()
