"""Client options of the generated clients, under the official SDK's names: with_options and
copy, default headers and query, client headers from the config, api_key callables, explicit
Authorization, base_url, timeouts, lifetime, logging."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import openai_images as oi
import pytest
from clientutil import KEY, Sent, answers, async_client, client, ok, status
from pngs import png_bytes


def edit(made: oi.Client, **arguments: Any) -> Any:
    return made.images.edit(image=png_bytes(), prompt="p", **arguments)


@pytest.fixture(autouse=True)
def _no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_BASE_URL", "OPENAI_LOG"):
        monkeypatch.delenv(name, raising=False)


# -- with_options / copy ---------------------------------------------------------------------


def test_with_options_changes_only_what_it_is_given() -> None:
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent), default_headers={"X-A": "1"}, organization="org-1")
    copy = made.with_options(timeout=7.0, default_headers={"X-B": "2"})
    edit(copy)
    request = sent.requests[0]
    assert request.extensions["timeout"] == {"connect": 7.0, "read": 7.0, "write": 7.0, "pool": 7.0}
    assert (request.headers["x-a"], request.headers["x-b"]) == ("1", "2")
    assert request.headers["openai-organization"] == "org-1"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert (copy.max_retries, copy.base_url, copy.strict) == (2, made.base_url, False)
    assert made.timeout != 7.0  # the original is untouched


def test_copy_is_with_options_and_shares_the_connection_pool() -> None:
    made, _ = client(answers(ok()))
    copy = made.copy(max_retries=0)
    assert type(copy) is oi.Client
    assert copy._http is made._http
    copy.close()
    assert copy.is_closed() and not made.is_closed()  # a copy's close leaves the pool open
    assert not made._http.is_closed
    made.close()
    assert made.is_closed() and not made._http.is_closed  # the caller's pool stays open


def test_a_client_closes_the_pool_it_made() -> None:
    with oi.Client(api_key=KEY) as made:
        assert not made.is_closed()
    assert made.is_closed()


def test_set_default_headers_replaces_default_headers_merges() -> None:
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent), default_headers={"X-A": "1"})
    edit(made.with_options(set_default_headers={"X-B": "2"}))
    edit(made.with_options(default_headers={"X-B": "2"}))
    assert ("x-a" in sent.requests[0].headers, "x-a" in sent.requests[1].headers) == (False, True)
    with pytest.raises(ValueError, match="not both"):
        made.with_options(default_headers={}, set_default_headers={})


def test_default_query_is_sent_and_a_per_call_query_wins() -> None:
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent), default_query={"api-version": "1", "a": "x"})
    edit(made, extra_query={"a": "y"})
    assert dict(sent.requests[0].url.params) == {"api-version": "1", "a": "y"}
    assert made.default_query == {"api-version": "1", "a": "x"}
    edit(made.with_options(set_default_query={}))
    assert dict(sent.requests[1].url.params) == {}


def test_with_options_can_switch_off_the_timeout() -> None:
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent))
    edit(made.with_options(timeout=None))
    assert set(sent.requests[0].extensions["timeout"].values()) == {None}


def test_with_options_on_the_async_client() -> None:
    import asyncio

    sent = Sent()
    made, waits = async_client(answers(status(503), sent=sent))
    copy = made.with_options(max_retries=1, organization="org-2")
    assert type(copy) is oi.AsyncClient and copy._http is made._http

    async def run() -> None:
        with pytest.raises(oi.InternalServerError):
            await copy.images.edit(image=png_bytes(), prompt="p")

    asyncio.run(run())
    assert len(sent) == 2 and len(waits) == 1
    assert sent.header("openai-organization") == ["org-2", "org-2"]


# -- client headers, keys, authorization -----------------------------------------------------


def test_organization_and_project_become_headers() -> None:
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent), organization="org-1", project="proj-1")
    edit(made)
    headers = sent.requests[0].headers
    assert (headers["openai-organization"], headers["openai-project"]) == ("org-1", "proj-1")
    assert (made.organization, made.project) == ("org-1", "proj-1")


def test_organization_and_project_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-env")
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent), project="proj-arg")
    edit(made)
    assert sent.header("openai-organization") == ["org-env"]
    assert sent.header("openai-project") == ["proj-arg"]


def test_without_organization_no_header_is_sent() -> None:
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent))
    edit(made)
    assert "openai-organization" not in sent.requests[0].headers
    assert made.organization is None


def test_an_unknown_client_argument_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="organisation"):
        oi.Client(api_key=KEY, organisation="typo")


def test_a_callable_api_key_is_called_for_every_request() -> None:
    keys = iter(["sk-one", "sk-two", "sk-three"])
    sent = Sent()
    made, _ = client(answers(status(500), ok(), sent=sent), api_key=lambda: next(keys))
    edit(made)
    edit(made)
    assert sent.header("authorization") == ["Bearer sk-one", "Bearer sk-two", "Bearer sk-three"]
    assert made.api_key is None  # a callable is never shown as the key


async def test_an_async_api_key_callable_may_be_awaited() -> None:
    async def key() -> str:
        return "sk-async"

    sent = Sent()
    made, _ = async_client(answers(ok(), sent=sent), api_key=key)
    await made.images.edit(image=png_bytes(), prompt="p")
    assert sent.header("authorization") == ["Bearer sk-async"]


@pytest.mark.parametrize("where", ["default_headers", "extra_headers"])
def test_an_explicit_authorization_header_is_honoured(where: str) -> None:
    sent = Sent()
    options = (
        {"default_headers": {"Authorization": "Bearer mine"}} if where == "default_headers" else {}
    )
    made, _ = client(answers(ok(), sent=sent), **options)
    edit(made, **({"extra_headers": {"Authorization": "Bearer mine"}} if options == {} else {}))
    assert sent.header("authorization") == ["Bearer mine"]


def test_no_api_key_is_needed_when_authorization_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    sent = Sent()
    http = httpx.Client(transport=httpx.MockTransport(answers(ok(), sent=sent)))
    made = oi.Client(http_client=http, default_headers={"authorization": "Basic abc"})
    edit(made)
    assert sent.header("authorization") == ["Basic abc"]


@pytest.mark.parametrize("base_url", ["http://proxy.test/v9", "http://proxy.test/v9/"])
def test_a_base_url_with_or_without_a_trailing_slash(base_url: str) -> None:
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent), base_url=base_url)
    edit(made)
    assert str(sent.requests[0].url) == "http://proxy.test/v9/images/edits"


def test_a_timeout_object_per_call_reaches_the_transport() -> None:
    sent = Sent()
    made, _ = client(answers(ok(), sent=sent))
    edit(made, timeout=httpx.Timeout(20.0, connect=2.0))
    assert sent.requests[0].extensions["timeout"] == {
        "connect": 2.0, "read": 20.0, "write": 20.0, "pool": 20.0
    }  # fmt: skip


def test_the_default_headers_property_shows_what_is_sent() -> None:
    made, _ = client(answers(ok()), organization="org-1", default_headers={"X-A": "1"})
    headers = made.default_headers
    assert headers["OpenAI-Organization"] == "org-1" and headers["X-A"] == "1"
    assert KEY not in str(headers) and KEY not in repr(made)


# -- names ---------------------------------------------------------------------------------


def test_openai_error_is_the_root_error() -> None:
    assert oi.OpenAIError is oi.ClientError
    for name in ("APIError", "APIStatusError", "APIConnectionError", "StreamError"):
        assert issubclass(getattr(oi, name), oi.OpenAIError)


def test_the_sdks_client_names_are_the_clients() -> None:
    assert oi.OpenAI is oi.Client and oi.AsyncOpenAI is oi.AsyncClient
    assert {"OpenAI", "AsyncOpenAI"} <= set(oi.__all__)


def test_a_model_called_error_is_a_model_not_an_exception() -> None:
    assert not issubclass(oi.Error, BaseException)
    assert issubclass(oi.Error, oi.models.images.Model)  # type: ignore[attr-defined]
    assert "OpenAIError" in oi.__all__ and "Error" in oi.__all__


# -- logging ----------------------------------------------------------------------------------


def test_logging_reports_requests_retries_and_timings_without_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    made, _ = client(
        answers(status(503), ok()),
        default_headers={"X-Api-Key": "sk-header-secret"},
        organization="org-1",
    )
    with caplog.at_level(logging.DEBUG, logger="openai_images"):
        edit(made)
    text = caplog.text
    assert "POST https://api.openai.com/v1/images/edits" in text
    assert "Retrying" in text and "503" in text
    assert '"200 OK" in ' in text and "request_id=req_ok" in text
    assert KEY not in text and "sk-header-secret" not in text
    assert "org-1" in text  # other headers are shown at debug level


def test_openai_log_switches_logging_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from openai_images import _logs

    monkeypatch.setenv("OPENAI_LOG", "debug")
    monkeypatch.setattr(_logs, "_configured", set())
    logger, httpx_logger = logging.getLogger("openai_images"), logging.getLogger("httpx")
    saved = [(target, list(target.handlers), target.level) for target in (logger, httpx_logger)]
    try:
        oi.Client(api_key=KEY)
        assert logger.level == logging.DEBUG == httpx_logger.level
        assert any(isinstance(h, logging.StreamHandler) for h in logger.handlers)
        assert httpx_logger.handlers
    finally:
        for target, handlers, level in saved:
            target.handlers[:] = handlers
            target.setLevel(level)


def test_a_pool_the_client_makes_follows_redirects_as_the_sdks_does() -> None:
    with oi.Client(api_key=KEY) as made:
        assert made._http.follow_redirects is True
    made, _ = client(answers(ok()))
    assert made._http.follow_redirects is False  # a pool passed in is used as it is


def test_base_url_is_a_url_ending_in_a_slash_as_in_the_sdk() -> None:
    made = oi.Client(api_key=KEY, base_url="https://example.test/from_init")
    assert made.base_url == httpx.URL("https://example.test/from_init/")
    made.base_url = "https://example.test/from_setter"
    assert str(made.base_url) == "https://example.test/from_setter/"


def test_the_timeout_of_a_callers_http_client_is_kept_unless_one_is_given() -> None:
    theirs = httpx.Client(timeout=httpx.Timeout(7.0))
    assert oi.Client(api_key=KEY, http_client=theirs).timeout == httpx.Timeout(7.0)
    assert oi.Client(api_key=KEY, http_client=theirs, timeout=3.0).timeout == 3.0
    plain = httpx.Client()  # httpx's own default: the client's default applies
    assert oi.Client(api_key=KEY, http_client=plain).timeout == oi.DEFAULT_TIMEOUT
