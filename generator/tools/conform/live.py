"""Send a recorded request to a live server and capture its answer (``--base-url``).

The request goes to ``BASE_URL`` + the path the operation's template matched (the
recorded server's base path removed) + the recorded query, with the recorded method,
body and headers. Headers the recorder redacted are left out; set the environment
variable ``CONFORM_AUTHORIZATION`` to a full ``Authorization`` value (e.g. ``Bearer ...``)
to authenticate. Hop-by-hop and length headers are recomputed by httpx.
"""

from __future__ import annotations

import os

import httpx

from ...errors import GeneratorError, Problem
from .exchanges import Exchange, RecordedResponse
from .routes import OperationMatch

__all__ = ["AUTHORIZATION_ENV", "fetch"]

AUTHORIZATION_ENV = "CONFORM_AUTHORIZATION"
_REDACTED = "[REDACTED]"
_NOT_SENT = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "accept-encoding", "keep-alive"}
)


def fetch(
    client: httpx.Client, base_url: str, exchange: Exchange, match: OperationMatch | None
) -> RecordedResponse:
    """The live answer to an exchange's request."""
    request = exchange.request
    path = match.relative_path if match is not None else request.path
    url = base_url.rstrip("/") + path + (f"?{request.query}" if request.query else "")
    headers = [
        (name, value)
        for name, value in request.headers
        if name.lower() not in _NOT_SENT and _REDACTED not in value
    ]
    authorization = os.environ.get(AUTHORIZATION_ENV)
    if authorization:
        headers = [(n, v) for n, v in headers if n.lower() != "authorization"]
        headers.append(("Authorization", authorization))
    try:
        response = client.request(request.method, url, headers=headers, content=request.body)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        problem = Problem(exchange.file, exchange.pointer, f"cannot replay to {url}: {exc}")
        raise GeneratorError([problem]) from None
    return RecordedResponse(
        status=response.status_code,
        headers=tuple(response.headers.multi_items()),
        body=response.content,
        reason=response.reason_phrase,
    )
