"""An upload the HTTP layer abandons (a write timeout, a dropped connection) closes the files
it opened before the error reaches the caller: multipart and binary bodies, sync and async."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Never

import httpx
import pytest
from runtime_clients import AsyncClient, Client

from generator.runtime import _files
from generator.runtime._build import Content, Endpoint
from generator.runtime._errors import APIConnectionError, APITimeoutError

UPLOAD: Endpoint[None, Never] = Endpoint(
    "POST", "/uploads", content=Content("multipart", "multipart/form-data", files={"file": "one"})
)
BINARY: Endpoint[None, Never] = Endpoint(
    "PUT", "/blobs", content=Content("binary", "application/octet-stream", whole=True)
)


class AbandonsUpload(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Reads the first chunks of the request body, then fails as a timed-out write does."""

    def __init__(self, fail: Exception, chunks: int = 2) -> None:
        self.fail = fail
        self.chunks = chunks
        self.attempts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        stream: Any = request.stream
        for index, _chunk in enumerate(stream):
            if index + 1 >= self.chunks:
                break
        raise self.fail

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        stream: Any = request.stream
        index = 0
        async for _chunk in stream:
            index += 1
            if index >= self.chunks:
                break
        raise self.fail


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[IO[bytes]]]:
    """Every file the runtime opens to send it."""
    files: list[IO[bytes]] = []

    def tracking_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        file = open(path, mode, *args, **kwargs)  # noqa: SIM115 - the runtime closes it
        files.append(file)
        return file

    monkeypatch.setattr(_files, "open", tracking_open, raising=False)
    yield files


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * (4 * _files.CHUNK_SIZE))
    return path


CASES = [
    (UPLOAD, "multipart"),
    (BINARY, "binary"),
]


def _arguments(endpoint: Endpoint[None, Never], path: Path) -> dict[str, Any]:
    return {"body": {"file": path}} if endpoint is UPLOAD else {"body": path}


@pytest.mark.parametrize(("endpoint", "kind"), CASES, ids=[kind for _, kind in CASES])
async def test_async_upload_that_times_out_closes_its_file_first(
    endpoint: Endpoint[None, Never], kind: str, big_file: Path, opened: list[IO[bytes]]
) -> None:
    transport = AbandonsUpload(httpx.WriteTimeout("write timed out"))
    made = AsyncClient(
        api_key="k", max_retries=0, http_client=httpx.AsyncClient(transport=transport)
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(APITimeoutError):
            await made.request(endpoint, **_arguments(endpoint, big_file))
        # Checked before any garbage collection could close it.
        sent_files = [f for f in opened if f.name == str(big_file) and "b" in f.mode]
        assert sent_files and all(f.closed for f in sent_files)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize(("endpoint", "kind"), CASES, ids=[kind for _, kind in CASES])
def test_sync_upload_that_fails_closes_its_file_first(
    endpoint: Endpoint[None, Never], kind: str, big_file: Path, opened: list[IO[bytes]]
) -> None:
    transport = AbandonsUpload(httpx.WriteError("connection reset"))
    made = Client(api_key="k", http_client=httpx.Client(transport=transport))
    waits: list[float] = []
    made._sleep = waits.append
    with pytest.raises(APIConnectionError):
        made.request(endpoint, **_arguments(endpoint, big_file))
    assert transport.attempts == 3 and len(waits) == 2  # a path is reopened for each retry
    sent_files = [f for f in opened if f.name == str(big_file) and "b" in f.mode]
    assert len(sent_files) >= 3 and all(f.closed for f in sent_files)


async def test_async_retries_reopen_the_path(big_file: Path, opened: list[IO[bytes]]) -> None:
    transport = AbandonsUpload(httpx.WriteTimeout("slow"))
    made = AsyncClient(api_key="k", http_client=httpx.AsyncClient(transport=transport))

    async def sleep(seconds: float) -> None:
        pass

    made._sleep = sleep
    with pytest.raises(APITimeoutError):
        await made.request(UPLOAD, body={"file": big_file})
    assert transport.attempts == 3
    assert all(f.closed for f in opened)
