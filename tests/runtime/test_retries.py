"""The retry policy alone (``_retries``): which answers are retried, and the waits."""

from __future__ import annotations

import email.utils
import time

import pytest

from generator.runtime._retries import (
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER_DELAY,
    MAX_RETRY_DELAY,
    retry_after,
    retry_delay,
    should_retry,
)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after-ms": "100", "retry-after": "9"}, 0.1),
        ({"retry-after-ms": "nope", "retry-after": "4"}, 4.0),
        ({}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "1e999"}, MAX_RETRY_AFTER_DELAY + 1),
        ({"retry-after": "-inf"}, None),
    ],
)
def test_retry_after_reads_milliseconds_then_seconds(
    headers: dict[str, str], seconds: float | None
) -> None:
    assert retry_after(headers) == seconds


def test_retry_after_reads_an_http_date() -> None:
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    found = retry_after({"retry-after": when})
    assert found is not None and 8 <= found <= 11


@pytest.mark.parametrize("code", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retried_statuses(code: int) -> None:
    assert should_retry(code, {})


@pytest.mark.parametrize("code", [400, 401, 403, 404, 410, 422])
def test_statuses_not_retried(code: int) -> None:
    assert not should_retry(code, {})


def test_x_should_retry_overrides_the_status() -> None:
    assert should_retry(400, {"x-should-retry": "true"})
    assert not should_retry(503, {"x-should-retry": "false"})
    assert should_retry(503, {"x-should-retry": "maybe"})


def test_a_wait_beyond_the_cap_is_not_retried() -> None:
    assert not should_retry(429, {"retry-after": str(MAX_RETRY_AFTER_DELAY + 1)})
    assert should_retry(429, {"retry-after": str(MAX_RETRY_AFTER_DELAY)})
    assert not should_retry(429, {"retry-after": "1e999", "x-should-retry": "true"})


def test_backoff_doubles_from_half_a_second_up_to_eight() -> None:
    no_jitter = [retry_delay(n, jitter=lambda: 0.0) for n in range(7)]
    assert no_jitter == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert no_jitter[0] == INITIAL_RETRY_DELAY and no_jitter[-1] == MAX_RETRY_DELAY


def test_jitter_takes_off_up_to_a_quarter() -> None:
    assert retry_delay(0, jitter=lambda: 0.999999) == pytest.approx(0.375, abs=1e-6)
    for n in range(5):
        wait = retry_delay(n)
        base = min(0.5 * 2**n, 8.0)
        assert 0.75 * base <= wait <= base


def test_the_servers_wait_wins_within_the_cap() -> None:
    assert retry_delay(3, {"retry-after": "12"}) == 12.0
    assert retry_delay(0, {"retry-after-ms": "5"}) == 0.005
    assert retry_delay(0, {"retry-after": "0"}, jitter=lambda: 0.0) == 0.5  # 0: use backoff
    assert retry_delay(0, {"retry-after": "500"}, jitter=lambda: 0.0) == 0.5


def test_a_huge_retry_count_does_not_overflow() -> None:
    assert retry_delay(10**9, jitter=lambda: 0.0) == MAX_RETRY_DELAY
