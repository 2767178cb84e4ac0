"""Peak Python memory while uploading four large images in one multipart request.

Creates four 25 MB files (random bytes behind a PNG signature) in a temp dir, starts an
HTTP server on 127.0.0.1 in a thread (it reads and discards each body, counts its bytes
and answers 200 with ``{"created": 0, "data": []}``), then sends the files as one
``POST /v1/images/edits`` through:

  (a) ours, sync:   MultipartBody of paths via httpx.Client
  (b) ours, async:  MultipartBody.aiter() of paths via httpx.AsyncClient
  (c) httpx's own ``files=`` multipart with open file objects
  (d) the official SDK, ``client.images.edit(image=[open(...), ...])`` (if ``openai`` and
      ``httpx2`` are installed), and (e) the same with ``pathlib.Path`` inputs

Memory is the tracemalloc peak above the baseline taken just before each send (clients
are created before tracing starts). Times include tracemalloc's overhead.

Run from the repository root with the runtime modules importable as a package, e.g.::

    mkdir -p /tmp/mp_pkg/openai_images && touch /tmp/mp_pkg/openai_images/__init__.py
    ln -sf "$PWD"/generator/runtime/_*.py /tmp/mp_pkg/openai_images/
    PYTHONPATH=/tmp/mp_pkg python bench/bench_upload_memory.py

(or with the generated package on the path; ``--package`` names it).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import json
import os
import pathlib
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio.to_thread
import httpx

ROOT = pathlib.Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MB = 1024 * 1024
TARGET_MB = 10.0
RESPONSE = json.dumps({"created": 0, "data": []}).encode()
FIELDS = [("prompt", "Make it blue"), ("model", "gpt-image-1.5")]


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True
    received: list[int]


class CountingHandler(BaseHTTPRequestHandler):
    """Reads the body (Content-Length or chunked) in 64 KiB pieces, keeping only a count."""

    protocol_version = "HTTP/1.1"
    server: CountingServer

    def do_POST(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            count = self._drain_chunked()
        else:
            count = self._drain(int(self.headers.get("Content-Length", "0")))
        self.server.received.append(count)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(RESPONSE)))
        self.end_headers()
        self.wfile.write(RESPONSE)

    def _drain(self, length: int) -> int:
        left = length
        while left:
            data = self.rfile.read(min(left, 64 * 1024))
            if not data:
                break
            left -= len(data)
        return length - left

    def _drain_chunked(self) -> int:
        total = 0
        while size := int(self.rfile.readline().split(b";")[0] or b"0", 16):
            total += self._drain(size)
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        return total

    def log_message(self, format: str, *args: Any) -> None:
        pass


def make_files(directory: pathlib.Path, count: int, size: int) -> list[pathlib.Path]:
    paths = []
    for i in range(count):
        path = directory / f"image_{i}.png"
        with path.open("wb") as file:
            file.write(PNG_SIGNATURE)
            left = size - len(PNG_SIGNATURE)
            while left > 0:
                block = os.urandom(min(left, MB))
                file.write(block)
                left -= len(block)
        paths.append(path)
    return paths


class Measure:
    """Context manager: tracemalloc peak above the baseline at entry, and seconds."""

    peak_mb = 0.0
    seconds = 0.0

    def __enter__(self) -> Measure:
        tracemalloc.start()
        self._baseline, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.perf_counter() - self._started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.peak_mb = (peak - self._baseline) / MB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--size-mb", type=float, default=25.0)
    parser.add_argument("--package", default="openai_images")
    args = parser.parse_args()

    if importlib.util.find_spec(args.package) is None:
        sys.path.insert(0, str(ROOT / "generated"))
    files_module = importlib.import_module(f"{args.package}._files")
    multipart_module = importlib.import_module(f"{args.package}._multipart")
    to_file_part = files_module.to_file_part
    multipart_body = multipart_module.MultipartBody

    server = CountingServer(("127.0.0.1", 0), CountingHandler)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    url = f"{base}/images/edits"

    rows: list[tuple[str, float, int | None, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench_upload_") as tmp:
        paths = make_files(pathlib.Path(tmp), args.files, int(args.size_mb * MB))
        expected_file_bytes = sum(p.stat().st_size for p in paths)

        def record(name: str, measured: Measure) -> None:
            received = server.received[-1] if server.received else None
            rows.append((name, measured.peak_mb, received, measured.seconds))
            server.received.clear()

        def run(name: str, send: Callable[[], object]) -> None:
            with Measure() as measured:
                send()
            record(name, measured)

        # (a) ours, sync
        with httpx.Client(timeout=60) as client:

            def ours_sync() -> None:
                body = multipart_body(
                    fields=FIELDS, files=[("image[]", to_file_part(p)) for p in paths]
                )
                client.post(url, headers=body.headers, content=body).raise_for_status()

            run("ours: MultipartBody (paths), httpx.Client", ours_sync)

        # (b) ours, async (the client and loop exist before tracing starts)
        async def ours_async() -> None:
            async with httpx.AsyncClient(timeout=60) as client:
                # Warm up: the first to_thread call imports anyio's asyncio backend
                # (~1.5 MB of module objects, once per process), which is not upload cost.
                await anyio.to_thread.run_sync(lambda: None)
                with Measure() as measured:
                    parts = [("image[]", await files_module.ato_file_part(p)) for p in paths]
                    body = multipart_body(fields=FIELDS, files=parts)
                    response = await client.post(url, headers=body.headers, content=body.aiter())
                    response.raise_for_status()
            record("ours: MultipartBody.aiter() (paths), httpx.AsyncClient", measured)

        asyncio.run(ours_async())

        # (a') and (b'): the generated client itself, images given as paths
        package = importlib.import_module(args.package)
        with package.Client(api_key="sk-bench", base_url=base, timeout=60) as generated:
            assert generated.images  # its module loads on first use: not part of an upload

            def client_sync() -> None:
                generated.images.edit(
                    image=list(paths), prompt="Make it blue", model="gpt-image-1.5"
                )

            run("ours: Client.images.edit (paths)", client_sync)

        async def client_async() -> None:
            async with package.AsyncClient(api_key="sk-bench", base_url=base, timeout=60) as agen:
                await anyio.to_thread.run_sync(lambda: None)
                assert agen.images
                with Measure() as measured:
                    await agen.images.edit(
                        image=list(paths), prompt="Make it blue", model="gpt-image-1.5"
                    )
            record("ours: AsyncClient.images.edit (paths)", measured)

        asyncio.run(client_async())

        # (c) httpx's own files= with open file objects
        with httpx.Client(timeout=60) as client:

            def httpx_files() -> None:
                handles = [p.open("rb") for p in paths]
                try:
                    files = [
                        ("image[]", (p.name, f, "image/png"))
                        for p, f in zip(paths, handles, strict=True)
                    ]
                    client.post(url, data=dict(FIELDS), files=files).raise_for_status()
                finally:
                    for f in handles:
                        f.close()

            run("httpx files= (open files), httpx.Client", httpx_files)

        # (d)/(e) the official SDK
        if importlib.util.find_spec("openai") and importlib.util.find_spec("httpx2"):
            import openai

            sdk = openai.OpenAI(base_url=base, api_key="sk-test", max_retries=0, timeout=60)

            def sdk_open_files() -> None:
                handles = [p.open("rb") for p in paths]
                try:
                    sdk.images.edit(image=handles, prompt="Make it blue", model="gpt-image-1.5")
                finally:
                    for f in handles:
                        f.close()

            def sdk_paths() -> None:
                sdk.images.edit(image=list(paths), prompt="Make it blue", model="gpt-image-1.5")

            run(f"openai {openai.__version__} images.edit (open files)", sdk_open_files)
            run(f"openai {openai.__version__} images.edit (paths)", sdk_paths)
            sdk.close()
        else:
            print("(openai / httpx2 not installed: SDK rows skipped)", file=sys.stderr)

    server.shutdown()
    server.server_close()

    print(
        f"{args.files} files x {args.size_mb:g} MB = {expected_file_bytes / MB:.1f} MB of file "
        f"data per request; target for ours: < {TARGET_MB:g} MB above baseline\n"
    )
    print("| variant | peak MB above baseline | bytes received by server | seconds |")
    print("| --- | ---: | ---: | ---: |")
    for name, peak, received, seconds in rows:
        shown = f"{received:,}" if received is not None else "-"
        print(f"| {name} | {peak:.2f} | {shown} | {seconds:.2f} |")

    ours = [peak for name, peak, _, _ in rows if name.startswith("ours")]
    ok = all(peak < TARGET_MB for peak in ours)
    print(f"\nours within target: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
