"""Test helpers: generate a package from a spec into a temporary folder and import it."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import yaml

from generator.pipeline import generate_files, ir
from generator.pipeline.build import build_api
from generator.pipeline.config import load_config
from generator.pipeline.load import Document
from generator.pipeline.write import write_atomically

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "images-edit.yaml"
UPSTREAM = ROOT.parent / "shared" / "reference" / "openai-images-edit.upstream.yaml"


def write_spec(folder: Path, spec: dict[str, Any] | str, name: str = "spec.yaml") -> Path:
    path = folder / name
    text = spec if isinstance(spec, str) else yaml.safe_dump(spec, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def generate_package(
    spec: Path, out: Path, package_name: str, config: Path | None = None
) -> ModuleType:
    """Generate ``package_name`` from ``spec`` into ``out`` and import it fresh."""
    files = generate_files(spec, config, package_name)
    write_atomically(out, files)
    return import_fresh(out, package_name)


def import_fresh(out: Path, package_name: str) -> ModuleType:
    for name in [m for m in sys.modules if m == package_name or m.startswith(package_name + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(package_name)
    finally:
        sys.path.remove(str(out))


def minimal_spec(schemas: dict[str, Any], **operation: Any) -> dict[str, Any]:
    """A valid OpenAPI 3.1 document with one POST /things answering ``Thing``."""
    op = {
        "operationId": "createThing",
        "tags": ["things"],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        },
        **operation,
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Test API", "version": "1.0.0"},
        "servers": [{"url": "https://example.test/v1"}],
        "paths": {"/things": {"post": op}},
        "components": {
            "schemas": schemas,
            "securitySchemes": {"Key": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"Key": []}],
    }


def build_ir(data: dict[str, Any]) -> ir.Api:
    """The IR of an in-memory spec, built with the default client config."""
    document = Document(Path("inline.yaml"), data, yaml.safe_dump(data, sort_keys=False).encode())
    return build_api(document, load_config(None))


def lint_problems(out: Path, package_name: str) -> str:
    """What ``ruff check`` and ``mypy --strict`` say of a generated package ("" when clean)."""
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."],
                          cwd=out, capture_output=True, text=True, timeout=60)  # fmt: skip
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", package_name],
        cwd=out, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    return "" if (ruff.returncode, mypy.returncode) == (0, 0) else ruff.stdout + mypy.stdout


class Wire:
    """A client of a generated ``package`` whose requests get ``answer`` and are kept."""

    def __init__(
        self, package: ModuleType, answer: httpx.Response, base_url: str = "https://api.test"
    ) -> None:
        self.sent: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            request.read()
            self.sent.append(request)
            return answer

        http = httpx.Client(transport=httpx.MockTransport(handler))
        self.client = package.Client(api_key="k", base_url=base_url, http_client=http)

    @property
    def request(self) -> httpx.Request:
        (request,) = self.sent
        return request
