"""How the runtime client authenticates from the spec's security schemes: bearer, basic and
API keys in a header, query parameter or cookie; alternatives; per-operation requirements."""

from __future__ import annotations

import base64
import logging
from typing import Never

import httpx
import pytest

from generator.runtime._async_client import AsyncAPIClient
from generator.runtime._build import Endpoint
from generator.runtime._client_core import AuthScheme, ClientSettings, Requirements
from generator.runtime._errors import ClientError
from generator.runtime._sync_client import SyncAPIClient

BEARER = AuthScheme("Token", "bearer")
BASIC = AuthScheme("Login", "basic")
HEADER_KEY = AuthScheme("HeaderKey", "api_key", "header", "X-Api-Key")
QUERY_KEY = AuthScheme("QueryKey", "api_key", "query", "api_key")
COOKIE_KEY = AuthScheme("CookieKey", "api_key", "cookie", "session")


def client_class(
    security: Requirements, *schemes: AuthScheme, asynchronous: bool = False
) -> type[SyncAPIClient] | type[AsyncAPIClient]:
    settings = ClientSettings(
        default_base_url="https://api.test",
        api_key_env="TEST_AUTH_KEY",
        base_url_env="TEST_AUTH_URL",
        user_agent="test/1",
        schemes=schemes,
        security=security,
        username_env="TEST_AUTH_USER",
        password_env="TEST_AUTH_PASSWORD",
    )
    base: type[SyncAPIClient] | type[AsyncAPIClient] = (
        AsyncAPIClient if asynchronous else SyncAPIClient
    )
    return type("Client", (base,), {"_settings": settings})


def sent(client_type: type[SyncAPIClient], endpoint: Endpoint[None, Never] | None = None,
         **options: object) -> httpx.Request:  # fmt: skip
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    made = client_type(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options)
    made.request(endpoint or Endpoint("GET", "/things"))
    return seen[0]


@pytest.fixture(autouse=True)
def no_credentials_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TEST_AUTH_KEY", "TEST_AUTH_USER", "TEST_AUTH_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def test_a_bearer_scheme_sends_the_key_as_a_bearer_token() -> None:
    request = sent(client_class((("Token",),), BEARER), api_key="k-1")
    assert request.headers["Authorization"] == "Bearer k-1"


def test_basic_authentication_sends_username_and_password() -> None:
    request = sent(client_class((("Login",),), BASIC), username="ann", password="p:w")
    expected = "Basic " + base64.b64encode(b"ann:p:w").decode()
    assert request.headers["Authorization"] == expected


def test_basic_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_AUTH_USER", "env-user")
    monkeypatch.setenv("TEST_AUTH_PASSWORD", "env-pass")
    request = sent(client_class((("Login",),), BASIC))
    assert base64.b64decode(request.headers["Authorization"][6:]) == b"env-user:env-pass"


def test_an_api_key_goes_in_the_header_the_scheme_names() -> None:
    request = sent(client_class((("HeaderKey",),), HEADER_KEY), api_key="k-2")
    assert request.headers["X-Api-Key"] == "k-2"
    assert "Authorization" not in request.headers


def test_an_api_key_goes_in_the_query_parameter_the_scheme_names() -> None:
    request = sent(client_class((("QueryKey",),), QUERY_KEY), api_key="k-3")
    assert request.url.params["api_key"] == "k-3"


def test_an_api_key_goes_in_the_cookie_the_scheme_names() -> None:
    request = sent(client_class((("CookieKey",),), COOKIE_KEY), api_key="k-4")
    assert request.headers["Cookie"] == "session=k-4"


def test_schemes_required_together_are_all_sent() -> None:
    both = client_class((("HeaderKey", "CookieKey"),), HEADER_KEY, COOKIE_KEY)
    request = sent(both, api_key="k-5")
    assert request.headers["X-Api-Key"] == "k-5"
    assert request.headers["Cookie"] == "session=k-5"


def test_the_first_alternative_the_credentials_meet_is_used() -> None:
    either = client_class((("Login",), ("Token",)), BASIC, BEARER)
    assert sent(either, api_key="k-6").headers["Authorization"] == "Bearer k-6"
    by_login = sent(either, username="u", password="p").headers["Authorization"]
    assert by_login.startswith("Basic ")


def test_optional_authentication_still_sends_the_credentials_it_has() -> None:
    optional = client_class(((), ("Token",)), BEARER)
    assert sent(optional, api_key="k-7").headers["Authorization"] == "Bearer k-7"
    assert "Authorization" not in sent(optional).headers  # no key: none needed


def test_an_operation_without_security_sends_no_credentials() -> None:
    public: Endpoint[None, Never] = Endpoint("GET", "/health", security=())
    request = sent(client_class((("Token",),), BEARER), public, api_key="k-8")
    assert "Authorization" not in request.headers


def test_an_operation_with_its_own_scheme_uses_it() -> None:
    own: Endpoint[None, Never] = Endpoint("GET", "/admin", security=(("HeaderKey",),))
    request = sent(client_class((("Token",),), BEARER, HEADER_KEY), own, api_key="k-9")
    assert request.headers["X-Api-Key"] == "k-9"
    assert "Authorization" not in request.headers


def test_missing_credentials_name_every_way_to_give_them() -> None:
    either = client_class((("Login",), ("Token",)), BASIC, BEARER)
    with pytest.raises(ClientError) as raised:
        either()
    message = str(raised.value)
    assert "TEST_AUTH_KEY" in message and "username=" in message
    assert "TEST_AUTH_USER" in message and "TEST_AUTH_PASSWORD" in message


def test_a_caller_header_for_the_scheme_replaces_the_key() -> None:
    keyed = client_class((("HeaderKey",),), HEADER_KEY)
    request = sent(keyed, default_headers={"x-api-key": "callers"})
    assert request.headers["X-Api-Key"] == "callers"


def test_a_callable_key_is_asked_for_each_request() -> None:
    keys = iter(["first", "second"])
    made = client_class((("QueryKey",),), QUERY_KEY)
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204))
    client = made(api_key=lambda: next(keys), http_client=httpx.Client(transport=transport))
    client.request(Endpoint("GET", "/a"))
    client.request(Endpoint("GET", "/a"))
    assert [r.url.params["api_key"] for r in seen] == ["first", "second"]


async def test_the_async_client_authenticates_the_same_way() -> None:
    made = client_class((("CookieKey",),), COOKIE_KEY, asynchronous=True)
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204))
    client = made(api_key="k-10", http_client=httpx.AsyncClient(transport=transport))
    await client.request(Endpoint("GET", "/a"))
    assert seen[0].headers["Cookie"] == "session=k-10"


@pytest.mark.parametrize("scheme", [HEADER_KEY, QUERY_KEY, COOKIE_KEY, BASIC, BEARER])
def test_credentials_never_reach_the_debug_log(
    scheme: AuthScheme, caplog: pytest.LogCaptureFixture
) -> None:
    made = client_class(((scheme.name,),), scheme)
    with caplog.at_level(logging.DEBUG):
        sent(made, api_key="secret-key-1", username="user", password="secret-pass-2")
    assert "Request GET" in caplog.text
    assert "secret-key-1" not in caplog.text
    assert "secret-pass-2" not in caplog.text
    encoded = base64.b64encode(b"user:secret-pass-2").decode()
    assert encoded not in caplog.text
