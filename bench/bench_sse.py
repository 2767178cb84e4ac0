"""Benchmark: decoding a streamed POST /images/edits response.

The stream holds 3 ``image_edit.partial_image`` events and 1 ``image_edit.completed`` event,
each with a 4 MiB base64 ``b64_json``, delivered in 64 KiB and in 1 KiB chunks. Compared,
in one process:

* floor -- ``json.loads`` of the four payloads (no SSE at all);
* our ``_sse`` reader + ``json.loads``, fed chunk by chunk (``feed``) and via ``iter_events``;
* our full ``Stream`` over an ``httpx.MockTransport`` response (typed events);
* the generated ``Client`` and ``AsyncClient``: ``client.images.edit(stream=True)`` end to end;
* the official ``openai`` SDK: ``client.images.edit(stream=True)`` over ``httpx2.MockTransport``,
  in this process when importable, else in its own virtual environment (``--sdk-python``,
  default ``bench/.work/sdk-venv``), where it is timed against that process's own floor;
* ``httpx-sse`` (``EventSource.iter_sse``) over ``httpx.MockTransport`` + ``json.loads``.

At 1 KiB chunks each layer between the transport and the reader costs about as much per
chunk as the reader itself: the stream reads an unread, not content-encoded body straight
from the transport's stream (see ``_streaming._direct``), skipping httpx's ``iter_raw``.

Reported per variant: throughput of the raw stream in MB/s, time relative to the floor, and
peak memory traced by ``tracemalloc`` during one run (separate from the timed runs; the input
chunks exist before tracing starts). Times are the best of N runs.

Run: ``python bench/bench_sse.py [--runs N] [--size MiB] [--sdk-python PATH]``. Variants run
round-robin.

Allocator noise: each run allocates and frees several 4 MiB blocks, and glibc's heap trimming
can turn that into thousands of page faults in some runs and none in others (the floor
included), which moves every number by 10-40 %. For steadier numbers pin the thresholds:
``GLIBC_TUNABLES=glibc.malloc.trim_threshold=2147483648:glibc.malloc.mmap_threshold=1073741824``.
"""

from __future__ import annotations

import argparse
import base64
import gc
import importlib.machinery
import importlib.util
import json
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _load_runtime() -> tuple[ModuleType, ModuleType, str]:
    """Our ``_sse`` and ``_streaming``: installed, generated/, or straight from templates/."""
    try:
        import openai_images._sse as sse_module
        import openai_images._streaming as streaming_module

        return sse_module, streaming_module, "openai_images (importable)"
    except ImportError:
        pass
    generated = ROOT / "generated"
    if (generated / "openai_images" / "_sse.py").exists():
        sys.path.insert(0, str(generated))
        import openai_images._sse as sse_module
        import openai_images._streaming as streaming_module

        return sse_module, streaming_module, "generated/openai_images"
    # No generated package yet: serve generator/runtime as the package.
    spec = importlib.machinery.ModuleSpec("openai_images", None, is_package=True)
    package = importlib.util.module_from_spec(spec)
    package.__path__ = [str(ROOT / "generator" / "runtime")]
    sys.modules["openai_images"] = package
    import openai_images._sse as sse_module
    import openai_images._streaming as streaming_module

    return sse_module, streaming_module, "generator/runtime"


sse, streaming, RUNTIME_SOURCE = _load_runtime()
import httpx  # noqa: E402 - after the sys.path setup above
import openai_images._sync_client as sync_client  # noqa: E402 - the package is set up above

# -- the stream -----------------------------------------------------------------------------


def build_payloads(b64_size: int) -> list[bytes]:
    b64 = base64.b64encode(os.urandom(b64_size * 3 // 4)).decode()
    common = {
        "background": "opaque",
        "created_at": 1_700_000_000,
        "output_format": "png",
        "quality": "high",
        "size": "1024x1024",
    }
    payloads: list[dict[str, Any]] = [
        {"type": "image_edit.partial_image", "b64_json": b64, "partial_image_index": i, **common}
        for i in range(3)
    ]
    payloads.append(
        {
            "type": "image_edit.completed",
            "b64_json": b64,
            **common,
            "usage": {
                "total_tokens": 100,
                "input_tokens": 50,
                "output_tokens": 50,
                "input_tokens_details": {"text_tokens": 10, "image_tokens": 40},
            },
        }
    )
    return [json.dumps(p, separators=(",", ":")).encode() for p in payloads]


def build_stream(payloads: list[bytes]) -> bytes:
    return b"".join(
        b"event: " + _kind(payload) + b"\ndata: " + payload + b"\n\n" for payload in payloads
    )


def _kind(payload: bytes) -> bytes:
    start = payload.index(b'"type":"') + len(b'"type":"')
    return payload[start : payload.index(b'"', start)]


# -- typed events for our Stream (stand-ins for the generated models) ----------------------------


class PartialImage:
    __slots__ = ("b64_json", "output_format", "partial_image_index", "type")

    def __init__(self, payload: dict[str, Any]) -> None:
        self.type = payload["type"]
        self.b64_json = payload["b64_json"]
        self.partial_image_index = payload["partial_image_index"]
        self.output_format = payload.get("output_format")


class Completed:
    __slots__ = ("b64_json", "output_format", "type", "usage")

    def __init__(self, payload: dict[str, Any]) -> None:
        self.type = payload["type"]
        self.b64_json = payload["b64_json"]
        self.output_format = payload.get("output_format")
        self.usage = payload.get("usage")


def parse_event(name: str | None, payload: Any) -> object:
    kind = payload.get("type") if isinstance(payload, dict) else None
    if kind == "image_edit.partial_image":
        return PartialImage(payload)
    if kind == "image_edit.completed":
        return Completed(payload)
    return payload


SCHEMA = streaming.EventSchema(
    parse=parse_event, discriminator="type", terminal=("image_edit.completed",)
)

# -- variants: each returns a callable that decodes the whole stream once ---------------------

Variant = Callable[[], object]


def floor(payloads: list[bytes], chunks: list[bytes]) -> Variant:
    def run() -> object:
        return [json.loads(p) for p in payloads]

    return run


def ours_feed(payloads: list[bytes], chunks: list[bytes]) -> Variant:
    def run() -> object:
        reader = sse.SSEReader()
        out = []
        for chunk in chunks:
            for event in reader.feed(chunk):
                out.append(json.loads(event.data))
        assert not reader.finish()
        return out

    return run


def ours_iter(payloads: list[bytes], chunks: list[bytes]) -> Variant:
    def run() -> object:
        reader = sse.SSEReader()
        out = [json.loads(event.data) for event in reader.iter_events(chunks)]
        assert not reader.finish()
        return out

    return run


def ours_stream(payloads: list[bytes], chunks: list[bytes]) -> Variant:
    headers = {"content-type": "text/event-stream"}
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, headers=headers, content=iter(chunks))
    )
    client = httpx.Client(transport=transport)

    def run() -> object:
        request = client.build_request("POST", "http://bench/v1/images/edits")
        with sync_client.Stream(client.send(request, stream=True), SCHEMA) as stream:
            return list(stream)

    return run


def with_parser(parser: str, run: Variant) -> Variant:
    """``run`` with the generated package's JSON parser set: ``"json"`` (the default install)
    or ``"fast"`` (jiter, when installed)."""
    import openai_images._json as package_json

    fast = package_json._fast_parser()[1]

    def wrapped() -> object:
        package_json._parse = fast if parser == "fast" else None
        return run()

    return wrapped


def fast_parser_missing() -> str | None:
    try:
        import openai_images._json as package_json
    except ImportError:
        return "generated package not importable"
    return None if package_json._fast_parser()[0] else "jiter not installed"


def generated_client(
    keep: bool, parser: str = "json"
) -> Callable[[list[bytes], list[bytes]], Variant | str]:
    """The generated ``Client.images.edit(stream=True)``: typed events, end to end.

    ``keep=False`` handles each event and lets it go, as a consumer saving images would: its
    peak memory shows the stream holds about one event at a time. ``parser``: ``"json"``
    (the default install) or ``"fast"`` (jiter installed).
    """

    def make(payloads: list[bytes], chunks: list[bytes]) -> Variant | str:
        try:
            import openai_images
        except ImportError:
            return "generated package not importable"
        if parser == "fast" and fast_parser_missing():
            return str(fast_parser_missing())
        headers = {"content-type": "text/event-stream"}
        transport = httpx.MockTransport(
            lambda request: httpx.Response(200, headers=headers, content=iter(chunks))
        )
        client = openai_images.Client(
            api_key="sk-bench",
            base_url="http://bench/v1",
            http_client=httpx.Client(transport=transport),
        )

        def run() -> object:
            with client.images.edit(image=b"\x89PNG\r\n\x1a\n", prompt="p", stream=True) as stream:
                if keep:
                    return list(stream)
                return sum(len(event.b64_json) for event in stream)  # type: ignore[union-attr]

        return with_parser(parser, run)

    return make


def generated_async_client(parser: str) -> Callable[[list[bytes], list[bytes]], Variant | str]:
    def make(payloads: list[bytes], chunks: list[bytes]) -> Variant | str:
        missing = fast_parser_missing() if parser == "fast" else None
        if missing:
            return missing
        run = _generated_async_client(payloads, chunks)
        return run if isinstance(run, str) else with_parser(parser, run)

    return make


def fast_floor(payloads: list[bytes], chunks: list[bytes]) -> Variant | str:
    try:
        from jiter import from_json
    except ImportError:
        return "jiter not installed"

    def run() -> object:
        return [from_json(p, cache_mode="keys") for p in payloads]

    return run


def _generated_async_client(payloads: list[bytes], chunks: list[bytes]) -> Variant | str:
    """The generated ``AsyncClient``, one event loop per run (its start-up is timed too)."""
    try:
        import openai_images
    except ImportError:
        return "generated package not importable"
    import asyncio

    headers = {"content-type": "text/event-stream"}

    async def body() -> Any:
        for piece in chunks:
            yield piece

    def run() -> object:
        events: list[object] = []

        async def consume() -> None:  # returns nothing: Python 3.11's asyncio.run may repr it
            transport = httpx.MockTransport(
                lambda request: httpx.Response(200, headers=headers, content=body())
            )
            client = openai_images.AsyncClient(
                api_key="sk-bench",
                base_url="http://bench/v1",
                http_client=httpx.AsyncClient(transport=transport),
            )
            stream = await client.images.edit(image=b"\x89PNG\r\n\x1a\n", prompt="p", stream=True)
            async with stream:
                events.extend([event async for event in stream])

        asyncio.run(consume())
        return events

    return run


def openai_sdk(payloads: list[bytes], chunks: list[bytes]) -> Variant | str:
    try:
        import httpx2
        import openai
    except ImportError:
        return "not installed"
    headers = {"content-type": "text/event-stream"}
    transport = httpx2.MockTransport(
        lambda request: httpx2.Response(200, headers=headers, content=iter(chunks))
    )
    client = openai.OpenAI(
        api_key="sk-bench",
        base_url="http://bench/v1",
        http_client=httpx2.Client(transport=transport),
        max_retries=0,
    )

    def run() -> object:
        with client.images.edit(image=b"\x89PNG", prompt="p", stream=True) as stream:
            return list(stream)

    return run


def httpx_sse_variant(payloads: list[bytes], chunks: list[bytes]) -> Variant | str:
    try:
        from httpx_sse import EventSource
    except ImportError:
        return "not installed"
    headers = {"content-type": "text/event-stream"}
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, headers=headers, content=iter(chunks))
    )
    client = httpx.Client(transport=transport)

    def run() -> object:
        request = client.build_request("POST", "http://bench/v1/images/edits")
        response = client.send(request, stream=True)
        try:
            return [json.loads(event.data) for event in EventSource(response).iter_sse()]
        finally:
            response.close()

    return run


VARIANTS: list[tuple[str, Callable[[list[bytes], list[bytes]], Variant | str]]] = [
    ("floor: json.loads of the 4 payloads", floor),
    ("ours: _sse feed() + json.loads", ours_feed),
    ("ours: _sse iter_events() + json.loads", ours_iter),
    ("ours: Stream over httpx.MockTransport", ours_stream),
    ("jiter.from_json of the 4 payloads (not a floor: the fast parser alone)", fast_floor),
    ("ours: generated Client.images.edit(stream=True)", generated_client(keep=True)),
    ("ours: generated client, each event dropped after use", generated_client(keep=False)),
    ("ours: generated AsyncClient.images.edit(stream=True)", generated_async_client("json")),
    ("ours + jiter: generated Client", generated_client(keep=True, parser="fast")),
    ("ours + jiter: generated client, each event dropped", generated_client(False, "fast")),
    ("ours + jiter: generated AsyncClient", generated_async_client("fast")),
    ("openai SDK: images.edit(stream=True), httpx2 mock", openai_sdk),
    ("httpx-sse: iter_sse + json.loads", httpx_sse_variant),
]

# -- the SDK in its own environment ---------------------------------------------------------

SDK_VENV_PYTHON = ROOT / "bench" / ".work" / "sdk-venv" / "bin" / "python"

_SDK_SCRIPT = """
import gc, json, sys, time
import httpx2, openai
path, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
body = open(path, "rb").read()
payloads = [line[6:] for block in body.split(b"\\n\\n") for line in block.split(b"\\n")
            if line.startswith(b"data: ")]
chunks = [body[i : i + size] for i in range(0, len(body), size)]
headers = {"content-type": "text/event-stream"}
transport = httpx2.MockTransport(
    lambda request: httpx2.Response(200, headers=headers, content=iter(chunks)))
client = openai.OpenAI(api_key="sk-bench", base_url="http://bench/v1",
                       http_client=httpx2.Client(transport=transport), max_retries=0)
def floor():
    return [json.loads(p) for p in payloads]
def sdk():
    with client.images.edit(image=b"\\x89PNG", prompt="p", stream=True) as stream:
        return list(stream)
assert len(sdk()) == 4
best = {"floor": float("inf"), "sdk": float("inf")}
for _ in range(runs):
    for name, run in (("floor", floor), ("sdk", sdk)):
        gc.collect()
        start = time.perf_counter()
        run()
        best[name] = min(best[name], time.perf_counter() - start)
print(json.dumps(best))
"""


def sdk_elsewhere(python: Path, body: bytes, size: int, runs: int) -> dict[str, float] | str:
    """Best times of the SDK and of that process's own floor, from ``python`` (a venv)."""
    import subprocess
    import tempfile

    if not python.exists():
        return f"not installed (no {python})"
    with tempfile.NamedTemporaryFile(suffix=".sse") as file:
        file.write(body)
        file.flush()
        done = subprocess.run(
            [str(python), "-c", _SDK_SCRIPT, file.name, str(size), str(runs)],
            capture_output=True,
            text=True,
            timeout=900,
        )
    if done.returncode != 0:
        return "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:80]
    times: dict[str, float] = json.loads(done.stdout)
    return times


# -- measuring ------------------------------------------------------------------------------


def peak_memory(run: Variant) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        result = run()
        del result
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def best_times(runs: dict[str, Variant], rounds: int) -> dict[str, float]:
    """Best time of each variant, running them round-robin so drift hits all alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for label, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            result = run()
            elapsed = time.perf_counter() - start
            del result
            best[label] = min(best[label], elapsed)
    return best


def check(run: Variant, payloads: list[bytes]) -> None:
    """Every variant must decode the same four events (or typed events with the same images)."""
    result = run()
    if isinstance(result, int):  # a variant that drops events reports the image bytes it saw
        assert result == sum(len(json.loads(p)["b64_json"]) for p in payloads)
        return
    assert isinstance(result, list) and len(result) == 4, result
    expected = json.loads(payloads[-1])["b64_json"]
    last = result[-1]
    b64 = last["b64_json"] if isinstance(last, dict) else last.b64_json
    assert b64 == expected


def chunk(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per variant (best wins)")
    parser.add_argument("--size", type=float, default=4.0, help="b64_json size in MiB")
    parser.add_argument(
        "--sdk-python",
        type=Path,
        default=SDK_VENV_PYTHON,
        help="Python of a venv with openai + httpx2, used when the SDK is not importable here",
    )
    args = parser.parse_args(argv)

    payloads = build_payloads(int(args.size * 1024 * 1024))
    body = build_stream(payloads)
    total_mb = len(body) / 1e6
    print(
        f"Python {platform.python_version()} on {platform.machine()}; runtime from "
        f"{RUNTIME_SOURCE}; stream: 4 events, {len(body):,} bytes; best of {args.runs} runs\n"
    )
    for size in (64 * 1024, 1024):
        chunks = chunk(body, size)
        print(f"### {size // 1024} KiB chunks ({len(chunks):,} chunks)\n")
        runs: dict[str, Variant] = {}
        missing: dict[str, str] = {}
        for label, make in VARIANTS:
            run = make(payloads, chunks)
            if isinstance(run, str):
                missing[label] = run
            else:
                check(run, payloads)
                runs[label] = run
        best = best_times(runs, args.runs)
        floor_time = best[VARIANTS[0][0]]
        print("| variant | best ms | MB/s | x floor | peak traced MB |")
        print("|---|---:|---:|---:|---:|")
        for label, _ in VARIANTS:
            if label in missing:
                print(f"| {label} | {missing[label]} | | | |")
                continue
            elapsed = best[label]
            peak = peak_memory(runs[label])
            print(
                f"| {label} | {elapsed * 1e3:.1f} | {total_mb / elapsed:,.0f} | "
                f"{elapsed / floor_time:.2f} | {peak / 1e6:.1f} |",
                flush=True,
            )
        if "openai SDK" in " ".join(missing):
            times = sdk_elsewhere(args.sdk_python, body, size, args.runs)
            label = "openai SDK in its own venv (x its own floor)"
            if isinstance(times, str):
                print(f"| {label} | {times} | | | |")
            else:
                sdk, own_floor = times["sdk"], times["floor"]
                print(
                    f"| {label} | {sdk * 1e3:.1f} | {total_mb / sdk:,.0f} | "
                    f"{sdk / own_floor:.2f} | |"
                )
        print()


if __name__ == "__main__":
    main()
