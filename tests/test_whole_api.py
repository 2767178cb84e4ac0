"""The whole OpenAI API: the full public spec generates with every operation, at the official
SDK's names (``spec/openai.client.yaml``), is clean under ruff and ``mypy --strict``, imports
lazily, and calls a server on 127.0.0.1 the way the SDK would.

Slow (the package has about a thousand modules): marked ``slow``; skipped when the spec is
absent (``../shared/reference/openai.openapi.yaml``). The package is generated into a
temporary folder: its docstrings are upstream prose and are never committed.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import ROOT, import_fresh

from generator.pipeline import generate
from generator.pipeline.docview import iter_operations
from generator.pipeline.load import load_document
from generator.pipeline.write import write_atomically

SPEC = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"
CONFIG = ROOT / "spec" / "openai.client.yaml"
PACKAGE = "openai_client"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SPEC.exists(), reason="the full OpenAI spec is not in ../shared"),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("whole-api") / "out"
    result = generate(SPEC, CONFIG)
    write_atomically(folder, result.files)
    return folder


@pytest.fixture(scope="module")
def oa(out: Path) -> ModuleType:
    return import_fresh(out, PACKAGE)


def test_every_operation_of_the_spec_is_generated() -> None:
    result = generate(SPEC, CONFIG)
    document = load_document(SPEC, validate=False)
    total = len(iter_operations(document.data, document.version))
    assert total == 288
    assert (result.operations, result.total) == (total, total)


def test_the_package_is_ruff_clean(out: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."],
                          cwd=out, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_package_is_mypy_strict_clean(out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", PACKAGE],
        cwd=out, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]


def test_no_module_is_huge(out: Path) -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in out.rglob("*.py")}
    largest = max(sizes, key=sizes.__getitem__)
    assert sizes[largest] < 5_000, largest


def test_importing_the_package_loads_no_resource_or_model(out: Path) -> None:
    code = (
        f"import sys, {PACKAGE}; "
        f"print(sorted(m for m in sys.modules if m.startswith('{PACKAGE}.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_first_call_loads_only_its_resource_and_what_it_returns(out: Path) -> None:
    code = (
        f"import sys, {PACKAGE} as oa; oa.Client(api_key='k').embeddings; "
        f"print(sorted(m for m in sys.modules if m.startswith('{PACKAGE}.resources.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"['{PACKAGE}.resources.embeddings']"


def test_the_sdk_names_are_where_the_sdk_has_them(oa: ModuleType) -> None:
    client = oa.Client(api_key="k")
    for path in ("chat.completions.create", "embeddings.create", "files.create", "files.list",
                 "models.list", "images.edit", "responses.create",
                 "audio.transcriptions.create", "beta.threads.runs.create",
                 "vector_stores.files.list", "webhooks.unwrap"):  # fmt: skip
        target: Any = client
        for part in path.split("."):
            target = getattr(target, part)
        assert callable(target), path


# ---------------------------------------------------------------- calls on 127.0.0.1


class Server:
    """A local stand-in for the API: canned answers per path, every request kept."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.answer()

            def do_POST(self) -> None:
                self.answer()

            def answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if self.headers.get("transfer-encoding") == "chunked":
                    body = self.read_chunked()
                else:
                    body = self.rfile.read(length)
                server.requests.append((self.command, self.path, dict(self.headers), body))
                status, content_type, payload = server.route(self.command, self.path, body)
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(payload)))
                self.send_header("x-request-id", "req_local")
                self.end_headers()
                self.wfile.write(payload)

            def read_chunked(self) -> bytes:
                data = b""
                while True:
                    size = int(self.rfile.readline().strip(), 16)
                    if size == 0:
                        self.rfile.readline()
                        return data
                    data += self.rfile.read(size)
                    self.rfile.readline()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        endpoint = path.split("?")[0].removeprefix("/v1")
        streamed = body.startswith(b"{") and json.loads(body).get("stream") is True
        if endpoint == "/chat/completions":
            return sse(CHAT_CHUNKS) if streamed else as_json(CHAT_COMPLETION)
        if endpoint == "/responses":
            return sse(RESPONSE_EVENTS) if streamed else as_json(RESPONSE)
        if endpoint == "/embeddings":
            return as_json(EMBEDDINGS)
        if endpoint == "/files" and method == "POST":
            return as_json(file_object("file-new", "upload.jsonl"))
        if endpoint == "/files":
            after = path.partition("after=")[2].split("&")[0]
            return as_json(FILE_PAGES[after])
        if endpoint == "/images/edits":
            return as_json({"created": 7, "data": [{"b64_json": "aGk="}]})
        return 404, "application/json", b'{"error": {"message": "no route"}}'


def as_json(value: Any) -> tuple[int, str, bytes]:
    return 200, "application/json", json.dumps(value).encode()


def sse(events: list[Any]) -> tuple[int, str, bytes]:
    text = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    return 200, "text/event-stream", text.encode()


def file_object(file_id: str, filename: str) -> dict[str, Any]:
    return {"id": file_id, "object": "file", "bytes": 3, "created_at": 1, "filename": filename,
            "purpose": "batch", "status": "processed"}  # fmt: skip


CHAT_COMPLETION = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-x",
    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                 "message": {"role": "assistant", "content": "Hello!", "refusal": None}}],
}  # fmt: skip
CHAT_CHUNKS = [
    {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "gpt-x",
     "choices": [{"index": 0, "delta": {"content": part}, "finish_reason": None}]}
    for part in ("Hel", "lo")
]  # fmt: skip
RESPONSE = {"id": "resp_1", "object": "response", "created_at": 1, "status": "completed",
            "model": "gpt-x", "output": [], "parallel_tool_calls": True, "tools": []}  # fmt: skip
RESPONSE_EVENTS = [
    {"type": "response.created", "sequence_number": 0, "response": RESPONSE},
    {"type": "response.output_text.delta", "sequence_number": 1, "item_id": "m", "output_index": 0,
     "content_index": 0, "delta": "Hi", "logprobs": []},
    {"type": "response.output_text.done", "sequence_number": 2, "item_id": "m", "output_index": 0,
     "content_index": 0, "text": "Hi", "logprobs": []},
    {"type": "response.completed", "sequence_number": 3, "response": RESPONSE},
]  # fmt: skip
EMBEDDINGS = {"object": "list", "model": "emb", "usage": {"prompt_tokens": 1, "total_tokens": 1},
              "data": [{"object": "embedding", "index": 0, "embedding": [0.5, -1.0]}]}  # fmt: skip
FILE_PAGES = {
    "": {"object": "list", "data": [file_object("file-1", "a"), file_object("file-2", "b")],
         "first_id": "file-1", "last_id": "file-2", "has_more": True},
    "file-2": {"object": "list", "data": [file_object("file-3", "c")],
               "first_id": "file-3", "last_id": "file-3", "has_more": False},
}  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    local = Server()
    local.thread.start()
    try:
        yield local
    finally:
        local.httpd.shutdown()
        local.httpd.server_close()


@pytest.fixture
def client(oa: ModuleType, server: Server) -> Iterator[Any]:
    with oa.Client(api_key="sk-local", base_url=server.base_url) as local:
        yield local


def test_a_chat_completion(oa: ModuleType, client: Any) -> None:
    completion = client.chat.completions.create(
        model="gpt-x", messages=[oa.ChatCompletionRequestUserMessage(role="user", content="Hi")]
    )
    assert isinstance(completion, oa.CreateChatCompletionResponse)
    assert completion.choices[0].message.content == "Hello!"


def test_a_streamed_chat_completion(oa: ModuleType, client: Any, server: Server) -> None:
    user = oa.ChatCompletionRequestUserMessage(role="user", content="Hi")
    with client.chat.completions.create(model="gpt-x", messages=[user], stream=True) as stream:
        parts = [chunk.choices[0].delta.content for chunk in stream]
    assert parts == ["Hel", "lo"]
    sent = json.loads(server.requests[-1][3])
    assert sent["stream"] is True and sent["messages"] == [{"role": "user", "content": "Hi"}]


def test_an_embedding(oa: ModuleType, client: Any) -> None:
    embeddings = client.embeddings.create(model="emb", input="hello")
    assert isinstance(embeddings, oa.CreateEmbeddingResponse)
    assert embeddings.data[0].embedding == [0.5, -1.0]


def test_a_file_upload_from_a_path(client: Any, server: Server, tmp_path: Path) -> None:
    path = tmp_path / "upload.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    uploaded = client.files.create(file=path, purpose="batch")
    assert uploaded.id == "file-new"
    _, _, headers, body = server.requests[-1]
    head = f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode()
    parts = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    found = {p.get_param("name", header="content-disposition"): p for p in parts.iter_parts()}
    assert found["file"].get_filename() == "upload.jsonl"
    assert found["file"].get_payload(decode=True) == b'{"a": 1}\n'
    assert found["purpose"].get_payload(decode=True) == b"batch"


def test_an_image_edit(oa: ModuleType, client: Any) -> None:
    edited = client.images.edit(image=b"\x89PNG\r\n\x1a\n", prompt="A hat")
    assert isinstance(edited, oa.ImagesResponse) and edited.created == 7


def test_a_response(oa: ModuleType, client: Any) -> None:
    response = client.responses.create(model="gpt-x", input="Hi")
    assert isinstance(response, oa.Response) and response.id == "resp_1"


def test_a_streamed_response_reads_past_done_parts_to_the_end(oa: ModuleType, client: Any) -> None:
    with client.responses.create(model="gpt-x", input="Hi", stream=True) as stream:
        kinds = [event.type for event in stream]
    assert kinds == [
        "response.created", "response.output_text.delta", "response.output_text.done",
        "response.completed",
    ]  # fmt: skip


def test_a_paginated_list_iterates_across_pages(client: Any, server: Server) -> None:
    first = client.files.list(limit=2)
    assert [f.id for f in first.data] == ["file-1", "file-2"]
    assert [f.id for f in first] == ["file-1", "file-2", "file-3"]
    asked = [path for method, path, _, _ in server.requests if path.startswith("/v1/files?")]
    assert asked[-1].endswith("after=file-2") or "after=file-2&" in asked[-1]


async def test_an_async_paginated_list_iterates_across_pages(
    oa: ModuleType, server: Server
) -> None:
    async with oa.AsyncClient(api_key="sk-local", base_url=server.base_url) as client:
        page = await client.files.list(limit=2)
        assert [f.id for f in page.data] == ["file-1", "file-2"]
        assert [f.id async for f in client.files.list(limit=2)] == ["file-1", "file-2", "file-3"]


# ---------------------------------------------------------------- the tools on the whole API


def test_diff_of_a_3_0_rendering_against_the_3_1_spec_completes(tmp_path: Path) -> None:
    from openapi30 import to_openapi_30

    old = tmp_path / "openai-3.0.json"
    old.write_text(json.dumps(to_openapi_30(load_document(SPEC, validate=False).data)))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(old), str(SPEC), "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-2000:]
    report = json.loads(done.stdout)
    kinds = {change["kind"] for change in report["changes"]}
    assert kinds == {"webhooks_added", "union_added"}  # 3.0 has no webhooks; all else equal


def test_recorded_traffic_conforms_to_the_whole_spec(
    oa: ModuleType, server: Server, tmp_path: Path
) -> None:
    recording = tmp_path / "chat.json"
    transport = oa.RecordingTransport(httpx.HTTPTransport(), recording)
    http = httpx.Client(transport=transport)
    client = oa.Client(api_key="sk-local", base_url=server.base_url, http_client=http)
    user = oa.ChatCompletionRequestUserMessage(role="user", content="Hi")
    client.chat.completions.create(model="gpt-x", messages=[user])
    with client.chat.completions.create(model="gpt-x", messages=[user], stream=True) as stream:
        list(stream)  # ends at data: [DONE], which conform reads as the client does
    client.embeddings.create(model="emb", input="hello")
    http.close()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "conform", str(SPEC), str(recording)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_slicing_two_operations_gives_a_spec_that_generates(tmp_path: Path) -> None:
    sliced = tmp_path / "slice.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "slice", str(SPEC), "--operation",
         "createChatCompletion", "--operation", "createResponse", "-o", str(sliced)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = generate(sliced, None, "sliced")
    assert (result.operations, result.total) == (2, 2)
