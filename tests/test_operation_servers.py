"""Servers declared per path item or per operation (Twilio's shape: no top-level servers,
each path on one of several hosts): the client's default is the server most operations
use, the others go to their own, and a base URL the caller chooses wins for all."""

from __future__ import annotations

import copy
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import generate_package, import_fresh, lint_problems, write_spec

from generator.pipeline import apidesc, generate
from generator.tools.diff import diff_apis
from generator.tools.diff.cli import load_api

API = [{"url": "https://api.twilio.com"}]
MESSAGING = [{"url": "https://messaging.twilio.com"}]
EDGE = [
    {"url": "https://{region}.messaging.twilio.com/", "variables": {"region": {"default": "edge"}}}
]
ACCOUNT = {"name": "AccountSid", "in": "path", "required": True, "schema": {"type": "string"}}
SID = {"name": "Sid", "in": "path", "required": True, "schema": {"type": "string"}}


def operation(operation_id: str, tag: str, **extra: Any) -> dict[str, Any]:
    answer = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    return {
        "operationId": operation_id,
        "tags": [tag],
        "responses": {"200": {"description": "ok", **answer}},
        **extra,
    }


SPEC: dict[str, Any] = {
    "openapi": "3.0.1",
    "info": {"title": "Twilio-shaped", "version": "1.0"},
    "security": [{"accountSid_authToken": []}],
    "paths": {
        "/2010-04-01/Accounts/{AccountSid}/Messages.json": {
            "servers": API,
            "parameters": [ACCOUNT],
            "get": operation("ListMessage", "messages"),
            "post": operation("CreateMessage", "messages"),
        },
        "/2010-04-01/Accounts/{AccountSid}/Calls.json": {
            "servers": API,
            "parameters": [ACCOUNT],
            "post": operation("CreateCall", "calls"),
        },
        "/v1/Services": {"servers": MESSAGING, "get": operation("ListService", "services")},
        "/v1/Services/{Sid}": {
            "servers": MESSAGING,
            "parameters": [SID],
            "delete": {
                "operationId": "DeleteService",
                "tags": ["services"],
                "responses": {"204": {"description": "deleted"}},
            },
            # An operation's servers override its path item's.
            "get": operation("FetchService", "services", servers=EDGE),
        },
    },
    "components": {
        "schemas": {"Thing": {"type": "object", "properties": {"sid": {"type": "string"}}}},
        "securitySchemes": {"accountSid_authToken": {"type": "http", "scheme": "basic"}},
    },
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("twilio")
    generate_package(write_spec(folder, SPEC), folder / "out", "twilio_shaped")
    return folder / "out"


@pytest.fixture
def twilio(out: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.delenv("TWILIO_SHAPED_BASE_URL", raising=False)
    return import_fresh(out, "twilio_shaped")


def calls(package: ModuleType, **options: Any) -> list[str]:
    """The URL of a call of every operation."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(204 if request.method == "DELETE" else 200, json={"sid": "x"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(username="AC1", password="t", http_client=http, **options)
    client.messages.list_message(account_sid="AC1")
    client.messages.create_message(account_sid="AC1")
    client.calls.create_call(account_sid="AC1")
    client.services.list_service()
    client.services.fetch_service(sid="MG1")
    assert client.services.delete_service(sid="MG1") is None
    return seen


def test_the_default_is_the_server_most_operations_declare(twilio: ModuleType) -> None:
    assert twilio.Client(username="AC1", password="t").base_url == "https://api.twilio.com/"


def test_each_call_goes_to_its_operations_server(twilio: ModuleType) -> None:
    assert calls(twilio) == [
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json",
        "https://messaging.twilio.com/v1/Services",
        "https://edge.messaging.twilio.com/v1/Services/MG1",
        "https://messaging.twilio.com/v1/Services/MG1",
    ]


def test_a_chosen_base_url_wins_for_every_operation(
    twilio: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxied = calls(twilio, base_url="http://proxy.test/")
    assert {url.split("/", 3)[2] for url in proxied} == {"proxy.test"}
    monkeypatch.setenv("TWILIO_SHAPED_BASE_URL", "http://mock.test")
    assert {url.split("/", 3)[2] for url in calls(twilio)} == {"mock.test"}


async def test_async_calls_go_to_their_servers(twilio: ModuleType) -> None:
    seen: list[str] = []
    transport = httpx.MockTransport(lambda r: seen.append(str(r.url)) or httpx.Response(204))
    http = httpx.AsyncClient(transport=transport)
    client = twilio.AsyncClient(username="AC1", password="t", http_client=http)
    await client.services.delete_service(sid="MG1")
    await client.with_options(base_url="http://proxy.test").services.delete_service(sid="MG1")
    assert seen == [
        "https://messaging.twilio.com/v1/Services/MG1",
        "http://proxy.test/v1/Services/MG1",
    ]


def test_only_operations_served_elsewhere_declare_a_server(out: Path) -> None:
    messages = (out / "twilio_shaped" / "resources" / "messages.py").read_text()
    services = (out / "twilio_shaped" / "resources" / "services.py").read_text()
    assert "base_url=" not in messages
    assert services.count('base_url="https://messaging.twilio.com"') == 2
    assert 'base_url="https://edge.messaging.twilio.com"' in services


def test_the_api_description_records_each_operations_server(out: Path) -> None:
    api = apidesc.load((out / "twilio_shaped" / "_api.json").read_text())
    servers = {op.operation_id: op.base_url for op in api.operations}
    assert api.base_url == "https://api.twilio.com"
    assert servers == {
        "ListMessage": None,
        "CreateMessage": None,
        "CreateCall": None,
        "ListService": "https://messaging.twilio.com",
        "DeleteService": "https://messaging.twilio.com",
        "FetchService": "https://edge.messaging.twilio.com",
    }


def test_the_package_is_ruff_and_mypy_clean(out: Path) -> None:
    assert lint_problems(out, "twilio_shaped") == ""


# ---------------------------------------------------------------- choosing the default


def spec_with(paths: dict[str, list[dict[str, str]] | None], **top: Any) -> dict[str, Any]:
    """One GET per path, on the servers given (None: none declared)."""
    items: dict[str, Any] = {}
    for index, (path, servers) in enumerate(paths.items()):
        item: dict[str, Any] = {"get": operation(f"op{index}", "things")}
        if servers is not None:
            item["servers"] = servers
        items[path] = item
    return {**SPEC, "paths": items, **top}


def build(tmp_path: Path, spec: dict[str, Any]) -> tuple[str, dict[str, str | None], list[str]]:
    """The default base URL, each operation's own server, and the warnings."""
    path = write_spec(tmp_path, spec)
    result = generate(path, None, "built")
    api = load_api(path)
    servers = {op.operation_id: op.base_url for op in api.operations}
    return api.base_url, servers, [w.message for w in result.warnings]


def test_a_tie_goes_to_the_first_server_in_document_order(tmp_path: Path) -> None:
    spec = spec_with({"/a": MESSAGING, "/b": API, "/c": API, "/d": MESSAGING, "/e": None})
    default, servers, _ = build(tmp_path, spec)
    assert default == "https://messaging.twilio.com"
    assert servers == {"op0": None, "op1": API[0]["url"], "op2": API[0]["url"], "op3": None,
                       "op4": None}  # fmt: skip


def test_top_level_servers_stay_the_default(tmp_path: Path) -> None:
    spec = spec_with({"/a": MESSAGING, "/b": MESSAGING, "/c": None}, servers=API)
    default, servers, _ = build(tmp_path, spec)
    assert default == "https://api.twilio.com"
    assert servers == {"op0": MESSAGING[0]["url"], "op1": MESSAGING[0]["url"], "op2": None}


def test_a_relative_server_is_left_out_with_a_warning(tmp_path: Path) -> None:
    spec = spec_with({"/a": [{"url": "/v2"}], "/b": None})
    default, servers, warnings = build(tmp_path, spec)
    assert default == "http://localhost"  # as without any server
    assert servers == {"op0": None, "op1": None}
    assert any("relative server URL ('/v2')" in w for w in warnings)


def test_diff_reports_an_operation_moving_to_another_server(tmp_path: Path) -> None:
    old = write_spec(tmp_path, SPEC, "old.yaml")
    moved = copy.deepcopy(SPEC)
    moved["paths"]["/v1/Services"]["servers"] = [{"url": "https://messaging.twilio.test"}]
    changes = diff_apis(load_api(old), load_api(write_spec(tmp_path, moved, "new.yaml")))
    assert [(c.kind, c.location, c.breaking) for c in changes] == [
        ("server_changed", "ListService", False)
    ]
    assert "https://messaging.twilio.test" in changes[0].message
