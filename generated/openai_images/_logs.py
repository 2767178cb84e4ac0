"""Logging of requests, retries and timings through the standard :mod:`logging` module.

Messages go to the logger named after this package. An environment variable named in the
client config (``OPENAI_LOG`` for OpenAI) set to ``info`` or ``debug`` attaches a stderr
handler at that level; without it, logging is left to the application.

Never logged: the API key, or the value of any header that may carry a secret (see
:func:`safe_headers`), or of a query parameter that carries credentials, also in httpx's
own lines (see :func:`hide_query_secrets`). Bodies are not logged.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

import httpx

__all__ = ["hide_query_secrets", "logger", "safe_headers", "setup_logging"]

logger = logging.getLogger(__name__.rpartition(".")[0] or __name__)

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_SECRET_HEADERS = frozenset(
    ("authorization", "proxy-authorization", "cookie", "set-cookie", "api-key", "x-api-key")
)
_SECRET_WORDS = ("key", "token", "secret", "auth", "password", "signature")
_configured: set[str] = set()


def setup_logging(env_var: str | None) -> None:
    """Honour ``$env_var`` (``info`` or ``debug``) once per process and variable."""
    if not env_var or env_var in _configured:
        return
    _configured.add(env_var)
    level = _LEVELS.get(os.environ.get(env_var, "").strip().lower())
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s")
    )
    # httpx's own line per request too, as the SDK shows it.
    for target in (logger, logging.getLogger("httpx")):
        if not target.handlers:
            target.addHandler(handler)
        target.setLevel(level)


def safe_headers(headers: Iterable[tuple[str, str]], secret: Iterable[str] = ()) -> dict[str, str]:
    """Headers fit for a log: values of secret-looking names (and of ``secret``) hidden."""
    hidden = _SECRET_HEADERS | {name.lower() for name in secret}
    shown: dict[str, str] = {}
    for name, value in headers:
        lower = name.lower()
        if lower in hidden or any(word in lower for word in _SECRET_WORDS):
            value = "<redacted>"
        shown[name] = value
    return shown


class _QuerySecrets(logging.Filter):
    """Hides the values of credential query parameters in the URLs httpx logs."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._hidden(arg) for arg in record.args)
        return True

    def _hidden(self, arg: object) -> object:
        if not isinstance(arg, httpx.URL):
            return arg
        for name in self.names & set(arg.params.keys()):
            arg = arg.copy_set_param(name, "REDACTED")
        return arg


_query_secrets = _QuerySecrets()


def hide_query_secrets(names: Iterable[str]) -> None:
    """Keep the values of the query parameters ``names`` out of httpx's log lines."""
    _query_secrets.names.update(names)
    target = logging.getLogger("httpx")
    if _query_secrets.names and _query_secrets not in target.filters:
        target.addFilter(_query_secrets)
