"""The runtime clients with settings of their own (nothing OpenAI-specific): generic
retry-count header, no idempotency key unless configured, client headers from settings,
per-call max_retries, safe logging, closing request bodies."""

from __future__ import annotations

import logging
from typing import Never

import httpx
import pytest

from generator.runtime._async_client import AsyncAPIClient
from generator.runtime._build import Content, Endpoint
from generator.runtime._client_core import AuthScheme, ClientHeader, ClientSettings
from generator.runtime._errors import ClientError, InternalServerError
from generator.runtime._logs import safe_headers
from generator.runtime._sync_client import SyncAPIClient

SETTINGS = ClientSettings(
    default_base_url="https://api.test/v1",
    api_key_env="TEST_API_KEY",
    base_url_env="TEST_BASE_URL",
    schemes=(AuthScheme("ApiKey", "api_key", "header", "api-key"),),
    security=(("ApiKey",),),
    user_agent="test/1",
)
CREATE: Endpoint[None, Never] = Endpoint(
    "POST", "/things", content=Content("json", "application/json")
)


class Client(SyncAPIClient):
    _settings = SETTINGS


class AsyncClient(AsyncAPIClient):
    _settings = SETTINGS


class Tenant(SyncAPIClient):
    _settings = ClientSettings(
        default_base_url="https://api.test/v1",
        api_key_env="TEST_API_KEY",
        base_url_env="TEST_BASE_URL",
        schemes=(AuthScheme("Bearer", "bearer"),),
        security=(("Bearer",),),
        user_agent="test/1",
        client_headers=(ClientHeader("tenant", "X-Tenant", "TEST_TENANT"),),
        idempotency_header="X-Idempotency",
        retry_count_header="X-Attempt",
    )
    tenant: str | None


def recording(*codes: int) -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []
    answers = list(codes)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(answers.pop(0) if len(answers) > 1 else answers[0])

    return seen, httpx.MockTransport(handler)


def test_generic_settings_count_retries_in_x_retry_count_and_send_no_idempotency_key() -> None:
    seen, transport = recording(500, 200)
    made = Client(api_key="secret-key", http_client=httpx.Client(transport=transport))
    made._sleep = lambda seconds: None
    made.request(CREATE, body={"a": 1})
    assert [r.headers["x-retry-count"] for r in seen] == ["0", "1"]
    assert all("idempotency-key" not in r.headers for r in seen)
    assert [r.headers["api-key"] for r in seen] == ["secret-key", "secret-key"]
    assert all("authorization" not in r.headers for r in seen)


def test_configured_names_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_TENANT", "t-env")
    seen, transport = recording(503, 200)
    made = Tenant(api_key="k", http_client=httpx.Client(transport=transport))
    made._sleep = lambda seconds: None
    made.request(CREATE, body={})
    assert [r.headers["x-attempt"] for r in seen] == ["0", "1"]
    assert seen[0].headers["x-idempotency"] == seen[1].headers["x-idempotency"]
    assert [r.headers["x-tenant"] for r in seen] == ["t-env", "t-env"]
    assert made.tenant == "t-env"
    assert made.with_options(tenant="t-2").tenant == "t-2"


def test_per_call_max_retries_overrides_the_clients() -> None:
    seen, transport = recording(500)
    made = Client(api_key="k", http_client=httpx.Client(transport=transport), max_retries=5)
    made._sleep = lambda seconds: None
    with pytest.raises(InternalServerError):
        made.request(CREATE, body={}, max_retries=1)
    assert len(seen) == 2
    with pytest.raises(ValueError, match="max_retries"):
        made.request(CREATE, body={}, max_retries=-2)


async def test_async_per_call_max_retries() -> None:
    seen, transport = recording(502)
    made = AsyncClient(api_key="k", http_client=httpx.AsyncClient(transport=transport))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    made._sleep = sleep
    with pytest.raises(InternalServerError):
        await made.request(CREATE, body={}, max_retries=3)
    assert len(seen) == 4 and len(waits) == 3


def test_a_missing_key_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_API_KEY", raising=False)
    with pytest.raises(ClientError, match="TEST_API_KEY"):
        Client()
    Client(default_headers={"API-Key": "given"})  # the caller authenticates: no key needed


def test_a_client_header_may_not_hide_a_member() -> None:
    class Broken(SyncAPIClient):
        _settings = ClientSettings(
            default_base_url="https://x", api_key_env="K", base_url_env="U",
            user_agent="t",
            client_headers=(ClientHeader("close", "X-Close"),),
        )  # fmt: skip

    with pytest.raises(TypeError, match="close"):
        Broken()


def test_safe_headers_hide_secrets() -> None:
    shown = safe_headers(
        [("Authorization", "Bearer sk-1"), ("X-Api-Key", "k"), ("Cookie", "c"),
         ("X-Custom-Token", "t"), ("Api-Key", "a"), ("OpenAI-Project", "proj")],
        secret=("api-key",),
    )  # fmt: skip
    assert shown["OpenAI-Project"] == "proj"
    assert {k for k, v in shown.items() if v == "<redacted>"} == {
        "Authorization", "X-Api-Key", "Cookie", "X-Custom-Token", "Api-Key"
    }  # fmt: skip


def test_debug_logs_never_show_the_key(caplog: pytest.LogCaptureFixture) -> None:
    _seen, transport = recording(200)
    made = Client(api_key="very-secret-key", http_client=httpx.Client(transport=transport))
    with caplog.at_level(logging.DEBUG, logger="generator.runtime"):
        made.request(CREATE, body={"prompt": "hello"})
    assert "POST https://api.test/v1/things" in caplog.text
    assert "very-secret-key" not in caplog.text
    assert "hello" not in caplog.text  # bodies are not logged
