"""Operations beyond images/edits: parameters, empty and binary answers, apiKey auth, 3.0 idioms."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import ROOT, generate_package

SPEC = ROOT / "tests" / "specs" / "broad-3.0.yaml"
FILE = {
    "id": "f",
    "bytes": 1,
    "status": None,
    "parent": {"id": "p", "bytes": 2, "status": "archived-later"},
    "labels": {"a": {"name": "x", "color": "red"}},
    "score": "high",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broad") / "out"
    generate_package(SPEC, folder, "broad_pkg")
    return folder


@pytest.fixture
def package(out: Path) -> ModuleType:
    from genutil import import_fresh

    return import_fresh(out, "broad_pkg")


def client(package: ModuleType, seen: list[httpx.Request], answer: httpx.Response) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return answer

    return package.Client(
        api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )


def test_broad_package_is_type_clean(out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "broad_pkg"],
        cwd=out, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout


def test_path_query_and_header_parameters_reach_the_wire(package: ModuleType) -> None:
    seen: list[httpx.Request] = []
    api = client(package, seen, httpx.Response(200, json=FILE))
    api.files.retrieve_file(file_id="a/b c", include=["meta", "data"], limit=None, x_trace=False)
    request = seen[0]
    assert request.url.raw_path == b"/v1/files/a%2Fb%20c?include=meta&include=data"
    assert request.headers["x-trace"] == "false"


def test_api_key_header_auth_uses_the_scheme_header(package: ModuleType) -> None:
    seen: list[httpx.Request] = []
    client(package, seen, httpx.Response(200, json=FILE)).files.retrieve_file(file_id="x")
    assert seen[0].headers["api-key"] == "k"
    assert "authorization" not in seen[0].headers


def test_recursive_nullable_models_and_maps_round_trip(package: ModuleType) -> None:
    seen: list[httpx.Request] = []
    result = client(package, seen, httpx.Response(200, json=FILE)).files.retrieve_file(file_id="x")
    assert isinstance(result.parent, package.File)
    assert isinstance(result.labels["a"], package.Label)
    assert result.to_dict() == FILE


def test_an_empty_answer_returns_none(package: ModuleType) -> None:
    seen: list[httpx.Request] = []
    assert client(package, seen, httpx.Response(204)).files.delete_file(file_id="x") is None
    assert seen[0].method == "DELETE"


def test_a_binary_answer_returns_its_content(package: ModuleType) -> None:
    answer = httpx.Response(
        200, content=b"\x00\x01", headers={"content-type": "application/octet-stream"}
    )
    downloaded = client(package, [], answer).files.download_file(file_id="x")
    assert isinstance(downloaded, package.BinaryResponseContent)
    assert downloaded.content == b"\x00\x01"


def test_multipart_lists_repeat_their_name_and_objects_nest(package: ModuleType) -> None:
    seen: list[httpx.Request] = []
    client(package, seen, httpx.Response(200, json=FILE)).files.create_file(
        file=b"\x89PNG\r\n\x1a\n", purpose="vision", tags=["a", "b"], meta={"k": "v"}
    )
    body = seen[0].content
    assert b'name="tags"\r\n\r\na\r\n' in body and b'name="tags"\r\n\r\nb\r\n' in body
    assert b'name="meta[k]"\r\n\r\nv\r\n' in body
