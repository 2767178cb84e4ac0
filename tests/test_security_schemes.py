"""A generated client authenticates as the spec's security schemes and requirements say:
the API's default, an operation's own, none; schemes it cannot use are left out, with a
warning."""

from __future__ import annotations

import base64
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import generate_package, write_spec

from generator.pipeline import generate

OK = {"200": {"description": "ok"}}


def operation(operation_id: str, **extra: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "tags": ["things"], "responses": OK, **extra}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Secured", "version": "1"},
    "servers": [{"url": "https://secured.test"}],
    "security": [{"HeaderKey": []}],
    "paths": {
        "/default": {"get": operation("usesDefault")},
        "/public": {"get": operation("isPublic", security=[])},
        "/login": {"get": operation("byLogin", security=[{"Login": []}])},
        "/query": {"get": operation("byQuery", security=[{"Digest": []}, {"QueryKey": []}])},
        "/oauth": {"get": operation("byOauth", security=[{"OAuth": ["read"]}])},
        "/cookie": {"get": operation("byCookie", security=[{"CookieKey": [], "HeaderKey": []}])},
    },
    "components": {
        "securitySchemes": {
            "HeaderKey": {"type": "apiKey", "in": "header", "name": "X-Secured-Key"},
            "QueryKey": {"type": "apiKey", "in": "query", "name": "key"},
            "CookieKey": {"type": "apiKey", "in": "cookie", "name": "sid"},
            "Login": {"type": "http", "scheme": "Basic"},
            "Digest": {"type": "http", "scheme": "digest"},
            "OAuth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {"tokenUrl": "https://secured.test/token", "scopes": {}}
                },
            },
        }
    },
}


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = tmp_path_factory.mktemp("secured")
    return generate_package(write_spec(folder, SPEC), folder / "out", "secured")


def sent(package: ModuleType, call: str, **options: Any) -> httpx.Request:
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200))
    client = package.Client(http_client=httpx.Client(transport=transport), **options)
    getattr(client.things, call)()
    return seen[0]


def test_operations_use_the_apis_default_security(secured: ModuleType) -> None:
    assert sent(secured, "uses_default", api_key="k1").headers["X-Secured-Key"] == "k1"


def test_an_operation_with_empty_security_sends_no_credentials(secured: ModuleType) -> None:
    request = sent(secured, "is_public", api_key="k2")
    assert "X-Secured-Key" not in request.headers and "Authorization" not in request.headers


def test_an_operation_requiring_basic_sends_username_and_password(secured: ModuleType) -> None:
    request = sent(secured, "by_login", api_key="k3", username="u", password="p")
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"u:p").decode()
    assert "X-Secured-Key" not in request.headers


def test_an_alternative_the_client_cannot_use_is_skipped(secured: ModuleType) -> None:
    request = sent(secured, "by_query", api_key="k4")
    assert request.url.params["key"] == "k4"


def test_oauth2_sends_the_key_as_a_bearer_token(secured: ModuleType) -> None:
    assert sent(secured, "by_oauth", api_key="tok").headers["Authorization"] == "Bearer tok"


def test_schemes_required_together_are_all_sent(secured: ModuleType) -> None:
    request = sent(secured, "by_cookie", api_key="k5")
    assert request.headers["Cookie"] == "sid=k5" and request.headers["X-Secured-Key"] == "k5"


def test_the_client_without_credentials_names_the_environment_variable(
    secured: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECURED_API_KEY", raising=False)
    with pytest.raises(secured.ClientError, match="SECURED_API_KEY"):
        secured.Client()


def test_a_scheme_the_client_cannot_use_is_left_out_with_a_warning(tmp_path: Path) -> None:
    result = generate(write_spec(tmp_path, SPEC), None, "secured")
    (warning,) = [w for w in result.warnings if "securitySchemes" in w.pointer]
    assert warning.pointer == "/components/securitySchemes/Digest"
    assert "http digest" in warning.message


# -- what the generated package's recorder redacts -------------------------------------------

PROBE_SPEC: dict[str, Any] = {
    **SPEC,
    "components": {
        "securitySchemes": {
            **SPEC["components"]["securitySchemes"],
            "HeaderKey": {"type": "apiKey", "in": "header", "name": "X-Probe-Cred"},
            "QueryKey": {"type": "apiKey", "in": "query", "name": "k"},
        }
    },
}
PROBE_KEY = "probe-value-0123456789"


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = tmp_path_factory.mktemp("probe")
    return generate_package(write_spec(folder, PROBE_SPEC), folder / "out", "probe_pkg")


@pytest.mark.parametrize(
    "call", ["uses_default", "by_login", "by_query", "by_oauth", "by_cookie"]
)  # apiKey in a header, basic, apiKey in a query, oauth2, a cookie with a header key
def test_the_generated_recorder_redacts_what_each_scheme_sends(
    probe: ModuleType, tmp_path: Path, call: str
) -> None:
    path = tmp_path / "rec.json"
    recorder = probe.RecordingTransport(httpx.MockTransport(lambda r: httpx.Response(200)), path)
    client = probe.Client(
        http_client=httpx.Client(transport=recorder),
        api_key=PROBE_KEY, username="ann", password=PROBE_KEY,
    )  # fmt: skip
    getattr(client.things, call)()
    text = path.read_text(encoding="utf-8")
    assert PROBE_KEY not in text
    assert base64.b64encode(f"ann:{PROBE_KEY}".encode()).decode() not in text
    assert "[REDACTED]" in text or "=REDACTED" in text
