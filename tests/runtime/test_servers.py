"""An operation served elsewhere (``Endpoint.base_url``) goes to its own server unless the
caller chose the client's base URL: by argument, environment variable or assignment."""

from __future__ import annotations

from typing import Never

import httpx
import pytest
from runtime_clients import AsyncOpenClient as AsyncClient
from runtime_clients import OpenClient as Client

from generator.runtime._build import Endpoint

HOME: Endpoint[None, Never] = Endpoint("GET", "/home")
AWAY: Endpoint[None, Never] = Endpoint("GET", "/away", base_url="https://away.test/v2")


@pytest.fixture(autouse=True)
def no_base_url_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_BASE_URL", raising=False)


def urls(client: Client) -> list[str]:
    """The URLs of a call of each endpoint."""
    seen: list[str] = []
    client._http = httpx.Client(
        transport=httpx.MockTransport(lambda r: seen.append(str(r.url)) or httpx.Response(200))
    )
    client.request(HOME)
    client.request(AWAY)
    return seen


def test_an_operation_served_elsewhere_goes_to_its_server() -> None:
    assert urls(Client()) == ["https://api.test/home", "https://away.test/v2/away"]


def test_the_callers_base_url_wins_for_every_operation() -> None:
    client = Client(base_url="http://proxy.test/")
    assert client.base_url == "http://proxy.test/"
    assert urls(client) == ["http://proxy.test/home", "http://proxy.test/away"]


def test_the_environment_variable_wins_for_every_operation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEST_BASE_URL", "http://env.test")
    assert urls(Client()) == ["http://env.test/home", "http://env.test/away"]


def test_an_assigned_base_url_wins_for_every_operation() -> None:
    client = Client()
    client.base_url = "http://later.test/"
    assert urls(client) == ["http://later.test/home", "http://later.test/away"]


def test_copies_keep_whether_the_base_url_was_chosen() -> None:
    default = Client()
    assert urls(default.copy(max_retries=0)) == [
        "https://api.test/home",
        "https://away.test/v2/away",
    ]
    chosen = default.copy(base_url="http://proxy.test")
    assert urls(chosen) == ["http://proxy.test/home", "http://proxy.test/away"]
    assert urls(chosen.copy(max_retries=0)) == ["http://proxy.test/home", "http://proxy.test/away"]
    assert default.copy().base_url == "https://api.test/"


async def test_async_an_operation_served_elsewhere_goes_to_its_server() -> None:
    seen: list[str] = []
    transport = httpx.MockTransport(lambda r: seen.append(str(r.url)) or httpx.Response(200))
    client = AsyncClient(http_client=httpx.AsyncClient(transport=transport))
    await client.request(AWAY)
    await client.with_options(base_url="http://proxy.test").request(AWAY)
    assert seen == ["https://away.test/v2/away", "http://proxy.test/away"]
