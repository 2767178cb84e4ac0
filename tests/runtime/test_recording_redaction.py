"""What the recorder redacts is driven by the package's security schemes: the header, query
parameter or cookie each scheme names, whatever it is called; plus Authorization, Cookie,
Set-Cookie and names that say they hold a secret."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

import httpx
import pytest

from generator.runtime._build import Endpoint
from generator.runtime._client_core import AuthScheme, ClientSettings
from generator.runtime._credentials import says_secret
from generator.runtime._recording import RecordingTransport
from generator.runtime._sync_client import SyncAPIClient

KEY = "probe-" + secrets.token_hex(12)


def client_for(scheme: AuthScheme, transport: httpx.BaseTransport) -> SyncAPIClient:
    settings = ClientSettings(
        default_base_url="https://api.test/v1",
        api_key_env="TEST_REDACTION_KEY",
        base_url_env="TEST_REDACTION_URL",
        user_agent="test/1",
        schemes=(scheme,),
        security=((scheme.name,),),
    )
    client_type = type("Client", (SyncAPIClient,), {"_settings": settings})
    credentials: dict[str, str] = (
        {"username": "ann", "password": KEY} if scheme.kind == "basic" else {"api_key": KEY}
    )
    return client_type(http_client=httpx.Client(transport=transport), **credentials)


def echo(request: httpx.Request) -> httpx.Response:
    """A server that echoes what it received, credentials included, in its body and headers."""
    seen = {"url": str(request.url), "headers": dict(request.headers)}
    return httpx.Response(
        200,
        json=seen,
        headers={"Set-Cookie": f"sid={KEY}; Path=/; HttpOnly", "X-Echo-Url": str(request.url)},
    )


def record(scheme: AuthScheme, tmp_path: Path) -> tuple[httpx.Request, str]:
    """Send one call through a recorder; the request the server saw and the file's text."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return echo(request)

    path = tmp_path / "rec.json"
    recorder = RecordingTransport(httpx.MockTransport(handler), path)
    client_for(scheme, recorder).request(Endpoint("GET", "/things"))
    return seen[0], path.read_text(encoding="utf-8")


SCHEMES = {
    "http bearer": AuthScheme("Bearer", "bearer"),
    "oauth2": AuthScheme("OAuth", "bearer"),
    "openIdConnect": AuthScheme("Oidc", "bearer"),
    "http basic": AuthScheme("Basic", "basic"),
    "apiKey in an unusual header": AuthScheme("Probe", "api_key", "header", "X-Probe-Cred"),
    "apiKey in a query parameter": AuthScheme("Q", "api_key", "query", "k"),
    "apiKey in a cookie": AuthScheme("C", "api_key", "cookie", "pref"),
}


@pytest.mark.parametrize("scheme", SCHEMES.values(), ids=SCHEMES.keys())
def test_the_credential_of_every_kind_of_scheme_never_reaches_the_file(
    scheme: AuthScheme, tmp_path: Path
) -> None:
    request, text = record(scheme, tmp_path)
    sent = str(request.url) + json.dumps(dict(request.headers))
    encoded = base64.b64encode(f"ann:{KEY}".encode()).decode()
    assert KEY in sent or encoded in sent  # the server did get it
    assert KEY not in text
    assert encoded not in text
    assert "[REDACTED]" in text


def test_a_header_is_redacted_because_the_scheme_names_it(tmp_path: Path) -> None:
    scheme = SCHEMES["apiKey in an unusual header"]
    _, text = record(scheme, tmp_path)
    (exchange,) = json.loads(text)["exchanges"]
    assert ["X-Probe-Cred", "[REDACTED]"] in exchange["request"]["headers"]
    assert not says_secret("X-Probe-Cred")  # no name rule would have caught it


def test_a_query_parameter_is_redacted_because_the_scheme_names_it(tmp_path: Path) -> None:
    _, text = record(SCHEMES["apiKey in a query parameter"], tmp_path)
    (exchange,) = json.loads(text)["exchanges"]
    assert exchange["request"]["url"] == "https://api.test/v1/things?k=REDACTED"
    assert ["X-Echo-Url", "https://api.test/v1/things?k=[REDACTED]"] in exchange["response"][
        "headers"
    ]


def test_the_same_header_from_a_client_without_that_scheme_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "rec.json"
    recorder = RecordingTransport(httpx.MockTransport(echo), path)
    with httpx.Client(transport=recorder) as plain:
        plain.get("https://api.test/v1/things", headers={"X-Probe-Cred": "not-a-secret-here"})
    (exchange,) = json.loads(path.read_text(encoding="utf-8"))["exchanges"]
    assert ["X-Probe-Cred", "not-a-secret-here"] in exchange["request"]["headers"]


def test_cookie_and_set_cookie_are_redacted_whole(tmp_path: Path) -> None:
    _, text = record(SCHEMES["apiKey in a cookie"], tmp_path)
    (exchange,) = json.loads(text)["exchanges"]
    assert ["Cookie", "[REDACTED]"] in exchange["request"]["headers"]
    assert ["Set-Cookie", "[REDACTED]"] in exchange["response"]["headers"]


def test_names_given_to_the_recorder_are_redacted_too(tmp_path: Path) -> None:
    path = tmp_path / "rec.json"
    recorder = RecordingTransport(
        httpx.MockTransport(echo), path, redact_headers=["X-Mine"], redact_query=["q"]
    )
    with httpx.Client(transport=recorder) as plain:
        plain.get("https://api.test/x?q=hidden-value-1", headers={"X-Mine": "hidden-value-2"})
    text = path.read_text(encoding="utf-8")
    assert "hidden-value-1" not in text and "hidden-value-2" not in text


@pytest.mark.parametrize(
    "name",
    ["X-Api-Key", "apiKey", "api_key", "access_token", "X-Auth-Token", "client_secret",
     "X-Amz-Security-Token", "password", "db_passwd", "sig", "X-Goog-Api-Key", "apikey",
     "Idempotency-Key"],
)  # fmt: skip
def test_names_that_say_they_hold_a_secret_are_secret(name: str) -> None:
    assert says_secret(name)


@pytest.mark.parametrize(
    "name", ["max_tokens", "x-ratelimit-remaining-tokens", "Content-Type", "X-Request-Id",
             "keep-alive", "author", "monkeys"],
)  # fmt: skip
def test_names_that_only_look_alike_are_not_secret(name: str) -> None:
    assert not says_secret(name)


def test_a_secret_named_header_is_redacted_without_any_scheme(tmp_path: Path) -> None:
    path = tmp_path / "rec.json"
    with httpx.Client(transport=RecordingTransport(httpx.MockTransport(echo), path)) as plain:
        plain.get("https://api.test/x?session_token=tok-1234567890", headers={"X-My-Secret": "s3"})
    text = path.read_text(encoding="utf-8")
    assert "tok-1234567890" not in text
    assert '["X-My-Secret", "[REDACTED]"]' in text
