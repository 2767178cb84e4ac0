"""Fixtures of the conformance and recorder tests: the spec's checker, the recorder
module, and a real HTTP server on 127.0.0.1 (see :mod:`conform_support`)."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest
from conform_support import SPEC, LocalServer, RunningServer

from generator.pipeline.load import load_document
from generator.runtime import _recording
from generator.tools.conform.checker import Checker


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker(load_document(SPEC))


@pytest.fixture(scope="session")
def recorder() -> ModuleType:
    """The recorder as shipped in the generated package (``generator/runtime``)."""
    return _recording


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = RunningServer()
    try:
        yield server.state
    finally:
        server.stop()
