"""Send a recorded request to a live server and capture its answer (``--base-url``).

The request goes to ``BASE_URL`` + the path the operation's template matched (the
recorded server's base path removed) + the recorded query, with the recorded method, body
and headers, less every credential: a replay sends only the credentials given for the run,
never recorded ones (a browser's HAR holds real ``Authorization`` and ``Cookie`` headers).
Left out, by one rule (the runtime's :mod:`._credentials`):

* ``Authorization``, ``Proxy-Authorization`` and ``Cookie``;
* the headers and query parameters the spec's security schemes name;
* headers and query parameters whose names say they hold a secret (``X-Api-Key``,
  ``access_token``...), and any value the recorder redacted.

Credentials for the run: ``--header 'Name: value'`` (repeatable), and the environment
variable ``CONFORM_AUTHORIZATION`` for a full ``Authorization`` value (``Bearer ...``),
which keeps it off the command line. Hop-by-hop and length headers are recomputed by httpx.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Sequence
from typing import Any

import attrs
import httpx

from ...errors import GeneratorError, Problem
from ...pipeline.docview import resolve
from ...pipeline.load import Document
from ...runtime._credentials import CredentialNames
from .exchanges import Exchange, RecordedResponse
from .routes import OperationMatch

__all__ = ["AUTHORIZATION_ENV", "Replay", "fetch", "parse_header"]

AUTHORIZATION_ENV = "CONFORM_AUTHORIZATION"
_REDACTED = "REDACTED"  # also matches the recorder's "[REDACTED]" and its URL form
_NOT_SENT = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "accept-encoding", "keep-alive"}
)


@attrs.frozen
class Replay:
    """Where requests are replayed, what is never sent, and the credentials of the run."""

    base_url: str
    names: CredentialNames
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def for_document(
        cls, document: Document, base_url: str, headers: Sequence[tuple[str, str]] = ()
    ) -> Replay:
        given = list(headers)
        authorization = os.environ.get(AUTHORIZATION_ENV)
        if authorization and not any(n.lower() == "authorization" for n, _ in given):
            given.append(("Authorization", authorization))
        return cls(base_url, _scheme_names(document), tuple(given))


def parse_header(text: str) -> tuple[str, str]:
    """``"Name: value"`` as a pair; ValueError when it is not one."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip() or name != name.strip():
        raise ValueError(f"expected 'Name: value', got {text!r}")
    return name, value.strip()


def fetch(
    client: httpx.Client, replay: Replay, exchange: Exchange, match: OperationMatch | None
) -> RecordedResponse:
    """The live answer to an exchange's request."""
    request = exchange.request
    names = replay.names
    path = match.relative_path if match is not None else request.path
    query = "&".join(
        piece
        for piece in request.query.split("&")
        if piece
        and not names.secret_query(urllib.parse.unquote_plus(piece.partition("=")[0]))
        and _REDACTED not in piece
    )
    url = replay.base_url.rstrip("/") + path + (f"?{query}" if query else "")
    given = {name.lower() for name, _ in replay.headers}
    headers = [
        (name, value)
        for name, value in request.headers
        if name.lower() not in _NOT_SENT
        and name.lower() not in given
        and not names.secret_header(name)
        and _REDACTED not in value
    ]
    headers.extend(replay.headers)
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


def _scheme_names(document: Document) -> CredentialNames:
    """The header and query names of the spec's API-key schemes (the others use
    ``Authorization`` or ``Cookie``, which are never replayed anyway)."""
    components = document.data.get("components")
    schemes: Any = components.get("securitySchemes") if isinstance(components, dict) else None
    headers: list[str] = []
    query: list[str] = []
    for raw in (schemes or {}).values() if isinstance(schemes, dict) else ():
        scheme = resolve(document.data, raw)
        if not isinstance(scheme, dict) or scheme.get("type") != "apiKey":
            continue
        where, parameter = scheme.get("in"), scheme.get("name")
        if isinstance(parameter, str):
            (headers if where == "header" else query if where == "query" else []).append(parameter)
    return CredentialNames.of(headers, query)
