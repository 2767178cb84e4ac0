"""When a failed request is tried again, and how long to wait first.

The policy is the official OpenAI SDK's:

* retried: connection errors and timeouts, and the statuses 408, 409, 429 and 5xx;
* ``x-should-retry: true`` or ``false`` from the server overrides the status rule;
* the wait is the server's ``retry-after-ms`` or ``Retry-After`` (seconds, or an HTTP date)
  when it is above 0 and at most :data:`MAX_RETRY_AFTER_DELAY` seconds; an answer asking for
  a longer wait is not retried at all;
* otherwise exponential backoff: ``INITIAL_RETRY_DELAY * 2 ** retries_taken``, at most
  :data:`MAX_RETRY_DELAY`, minus a random 0-25 % jitter.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Callable, Mapping

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER_DELAY",
    "MAX_RETRY_DELAY",
    "retry_after",
    "retry_delay",
    "should_retry",
]

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER_DELAY = 120.0
_RETRIED_STATUSES = frozenset((408, 409, 429))


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The wait the server asks for, in seconds (``retry-after-ms`` first), or None.

    A value too large to represent counts as longer than any cap.
    """
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            delay = float(value)
        except ValueError:
            continue
        if math.isnan(delay):
            continue
        if math.isinf(delay):
            return MAX_RETRY_AFTER_DELAY + 1 if delay > 0 else None
        return delay / divisor
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return float(email.utils.mktime_tz(parsed) - time.time())
    except (TypeError, ValueError, OverflowError):
        return None


def should_retry(status_code: int, headers: Mapping[str, str]) -> bool:
    """Whether an answer with this status (a non-2xx one) is worth trying again."""
    wait = retry_after(headers)
    if wait is not None and wait > MAX_RETRY_AFTER_DELAY:
        return False
    verdict = headers.get("x-should-retry")
    if verdict == "true":
        return True
    if verdict == "false":
        return False
    return status_code in _RETRIED_STATUSES or status_code >= 500


def retry_delay(
    retries_taken: int,
    headers: Mapping[str, str] | None = None,
    *,
    jitter: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number ``retries_taken + 1`` (``jitter()`` is in [0, 1))."""
    wait = retry_after(headers) if headers is not None else None
    if wait is not None and 0 < wait <= MAX_RETRY_AFTER_DELAY:
        return wait
    backoff = min(INITIAL_RETRY_DELAY * 2.0 ** min(retries_taken, 1000), MAX_RETRY_DELAY)
    return max(0.0, backoff * (1 - 0.25 * jitter()))
