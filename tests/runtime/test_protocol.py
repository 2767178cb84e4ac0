"""The protocol rules the runtime, the generator and ``conform`` share (``_protocol``)."""

from __future__ import annotations

import re

import pytest

from generator.runtime._protocol import (
    base_path,
    declared_media,
    event_type,
    is_done,
    is_success_key,
    media_kind,
    path_item_methods,
    path_pattern,
    response_key,
    server_url,
    status_class,
    status_matches,
)


def test_query_is_a_path_item_method_in_openapi_32_only() -> None:
    assert "query" in path_item_methods("3.2")
    assert "query" not in path_item_methods("3.1")
    assert path_item_methods("3.0") == path_item_methods("3.1")


RANGES = [("2XX", 2), ("2xx", 2), ("5XX", 5), ("6XX", None), ("2Xx", None), ("200", None),
          ("default", None)]  # fmt: skip


@pytest.mark.parametrize(("key", "expected"), RANGES)
def test_a_range_key_is_a_digit_and_xx_in_either_case(key: str, expected: int | None) -> None:
    assert status_class(key) == expected


def test_a_status_is_answered_by_its_own_key_then_its_range_then_default() -> None:
    assert response_key(201, ["default", "2xx", "201"]) == "201"
    assert response_key(204, ["default", "2XX", "201"]) == "2XX"
    assert response_key(404, ["default", "2XX"]) == "default"
    assert response_key(404, ["2XX", "201"]) is None


def test_default_matches_no_status_by_itself() -> None:
    assert status_matches("2xx", 299) and status_matches("204", 204)
    assert not status_matches("default", 200) and not status_matches("2XX", 300)


SUCCESS = [("200", True), ("2XX", True), ("2xx", True), ("201", True), ("3XX", False),
           ("default", False)]  # fmt: skip


@pytest.mark.parametrize(("key", "success"), SUCCESS)
def test_success_keys(key: str, success: bool) -> None:
    assert is_success_key(key) is success


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/json; charset=utf-8", "json"),
        ("application/problem+json", "json"),
        ("*/*", "json"),
        ("Text/Event-Stream", "event-stream"),
        ("multipart/form-data; boundary=x", "multipart"),
        ("application/x-www-form-urlencoded", "form"),
        ("text/csv", "text"),
        ("image/png", "binary"),
        ("application/octet-stream", "binary"),
        ("application/xml", None),
        (None, None),
    ],
)
def test_each_media_type_has_one_kind(content_type: str | None, kind: str | None) -> None:
    assert media_kind(content_type) == kind


def test_a_media_type_falls_under_the_most_specific_declared_key() -> None:
    keys = ["*/*", "image/*", "image/png; q=1"]
    assert declared_media("image/png", keys) == "image/png; q=1"
    assert declared_media("IMAGE/webp", keys) == "image/*"
    assert declared_media("text/plain", keys) == "*/*"
    assert declared_media("text/plain", ["application/json"]) is None
    assert declared_media("", keys) is None


def test_a_server_url_takes_its_variables_defaults() -> None:
    url = "https://{region}.example.test/{version}/"
    assert server_url(url, {"region": "eu", "version": "v1"}) == "https://eu.example.test/v1"
    assert server_url("https://x.test/{other}", {}) == "https://x.test/{other}"


BASE_PATHS = [("https://x.test/v1/", "/v1"), ("https://x.test", ""), ("/api?x=1", "/api"),
              ("{scheme}://x.test/{v}", "/{v}")]  # fmt: skip


@pytest.mark.parametrize(("url", "path"), BASE_PATHS)
def test_the_base_path_of_a_server_url(url: str, path: str) -> None:
    assert base_path(url) == path


def test_a_server_variable_stands_for_its_enum_values_or_any_text() -> None:
    pattern = re.compile(path_pattern("/{version}/{tenant}", {"version": ("v1", "v2")}))
    assert pattern.fullmatch("/v2/acme") and pattern.fullmatch("/v1/")
    assert not pattern.fullmatch("/v3/acme")


def test_a_path_template_variable_is_one_non_empty_segment() -> None:
    pattern = re.compile(path_pattern("/things/{id}.json"))
    assert pattern.fullmatch("/things/a%20b.json")
    assert not pattern.fullmatch("/things/a/b.json") and not pattern.fullmatch("/things/.json")


DONE = [(b"[DONE]", True), (b" [DONE] ", True), (b"[DONE]x", False), (b'"[DONE]"', False)]


@pytest.mark.parametrize(("data", "done"), DONE)
def test_the_done_sentinel(data: bytes, done: bool) -> None:
    assert is_done(data) is done


def test_an_events_type_is_its_payloads_discriminator_else_its_sse_name() -> None:
    assert event_type("type", "message", {"type": "a.completed"}) == "a.completed"
    assert event_type("type", "a.completed", {"other": 1}) == "a.completed"
    assert event_type("type", "x", ["not", "an", "object"]) == "x"
    assert event_type(None, "a.completed", {"type": "b"}) == "a.completed"
