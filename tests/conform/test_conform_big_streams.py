"""The checker reads big streams whole (its speed is measured by bench/bench_conform.py, as
a ratio: a test never asserts a time)."""

from __future__ import annotations

import json

import attrs
from conform_support import RECORDINGS

from generator.tools.conform.checker import Checker
from generator.tools.conform.exchanges import RecordedResponse
from generator.tools.conform.recordings import read_recording


def test_four_events_of_four_megabytes_are_checked(checker: Checker) -> None:
    (exchange,) = read_recording(RECORDINGS / "edit_stream.json")
    payload = "QUJD" * (1024 * 1024)  # 4 MiB of base64
    common = {
        "b64_json": payload,
        "created_at": 1,
        "size": "1024x1024",
        "quality": "high",
        "background": "opaque",
        "output_format": "png",
    }
    usage = {
        "total_tokens": 3,
        "input_tokens": 1,
        "output_tokens": 2,
        "input_tokens_details": {"text_tokens": 1, "image_tokens": 0},
    }
    events = [
        {"type": "image_edit.partial_image", **common, "partial_image_index": i} for i in range(3)
    ]
    events.append({"type": "image_edit.completed", **common, "usage": usage})
    body = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    answer = RecordedResponse(200, (("Content-Type", "text/event-stream"),), body)
    big = attrs.evolve(exchange, response=answer)
    report = checker.check(big)
    assert report.ok and report.events == 4, report.findings
