"""``with_raw_response`` / ``with_streaming_response`` reach nested resources, as in the SDK
(``client.chat.with_raw_response.completions.create``), typed precisely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from genutil import generate_package, minimal_spec, write_spec

CONFIG = """
package_name: nested_pkg
operations:
  createThing:
    resource: chat.completions
    method: create
"""
THING = {"type": "object", "properties": {"id": {"type": "string"}}}
USAGE = """
import nested_pkg

client = nested_pkg.Client(api_key="k")
raw = client.chat.with_raw_response.completions.create()
thing: nested_pkg.Thing = raw.parse()
status: int = raw.status_code
with client.chat.completions.with_streaming_response.create() as response:
    body: bytes = response.read()


async def use() -> None:
    async_client = nested_pkg.AsyncClient(api_key="k")
    answer = await async_client.chat.with_raw_response.completions.create()
    other: nested_pkg.Thing = answer.parse()
    async with async_client.chat.completions.with_streaming_response.create() as streamed:
        again: nested_pkg.Thing = await streamed.parse()
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    folder = tmp_path_factory.mktemp("nested")
    spec = write_spec(folder, minimal_spec({"Thing": THING}))
    config = folder / "spec.client.yaml"
    config.write_text(CONFIG)
    out = folder / "out"
    return generate_package(spec, out, "nested_pkg", config), out


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"id": "t1"}, headers={"x-request-id": "req_n"})


def test_nested_raw_response_from_the_parent(generated: tuple[ModuleType, Path]) -> None:
    package, _ = generated
    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(api_key="k", http_client=http)
    response = client.chat.with_raw_response.completions.create()
    assert isinstance(response, package.RawAPIResponse) and response.status_code == 200
    thing = response.parse()
    assert thing.id == "t1" and thing._request_id == "req_n"
    assert client.chat.with_raw_response.completions is client.chat.with_raw_response.completions


def test_nested_streaming_response_from_the_child(generated: tuple[ModuleType, Path]) -> None:
    package, _ = generated
    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(api_key="k", http_client=http)
    with client.chat.with_streaming_response.completions.create() as response:
        assert response.json() == {"id": "t1"}


async def test_nested_async_wrappers(generated: tuple[ModuleType, Path]) -> None:
    package, _ = generated
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    client = package.AsyncClient(api_key="k", http_client=http)
    response = await client.chat.with_raw_response.completions.create()
    assert response.parse().id == "t1"
    async with client.chat.completions.with_streaming_response.create() as streamed:
        assert (await streamed.parse()).id == "t1"


def test_nested_wrappers_type_check(generated: tuple[ModuleType, Path]) -> None:
    _, out = generated
    usage = out / "usage.py"
    usage.write_text(USAGE)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "nested_pkg", "usage.py"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "MYPYPATH": str(out)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
