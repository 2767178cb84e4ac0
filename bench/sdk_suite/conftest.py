"""Fixtures of the ported SDK tests: the SDK's, with the generated client's option names.

``client`` / ``async_client`` take the same parameters as the SDK's fixtures (``False`` loose,
``True`` strict); the SDK's ``_strict_response_validation`` is the client's ``strict``. The
``aiohttp`` variant has no counterpart and is skipped. ``respx2_mock`` (the SDK's respx fork
for httpx2) is ``respx``'s router for httpx, configured by the same ``respx2`` marker.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import respx
from pytest_asyncio import is_async_test
from tests.sdk_names import _PACKAGE

base_url = os.environ.get("TEST_API_BASE_URL", "http://127.0.0.1:4010")
api_key = "My API Key"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "respx2(**kwargs): respx router settings")


def pytest_collection_modifyitems(items: list[pytest.Function]) -> None:
    session_scope = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item):
            item.add_marker(session_scope, append=False)
        params = getattr(item, "callspec", None)
        if params is not None and isinstance(params.params.get("async_client"), dict):
            item.add_marker(pytest.mark.skip(reason="aiohttp variant: no counterpart"))


@pytest.fixture(scope="session")
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    strict = getattr(request, "param", True)
    with _PACKAGE.OpenAI(base_url=base_url, api_key=api_key, strict=strict) as client:
        yield client


@pytest.fixture(scope="session")
async def async_client(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    param = getattr(request, "param", True)
    strict = param if isinstance(param, bool) else True
    async with _PACKAGE.AsyncOpenAI(base_url=base_url, api_key=api_key, strict=strict) as client:
        yield client


@pytest.fixture
def respx2_mock(request: pytest.FixtureRequest) -> Iterator[respx.MockRouter]:
    marker = request.node.get_closest_marker("respx2")
    settings = dict(marker.kwargs) if marker is not None else {}
    with respx.mock(**settings) as router:
        yield router
