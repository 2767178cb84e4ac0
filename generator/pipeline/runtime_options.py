"""The ``client:`` section of a client config: names the generated client's runtime uses.

Everything specific to one API's conventions comes from here, so the runtime stays
generic. For OpenAI (``spec/images-edit.client.yaml``)::

    client:
      headers:                      # extra client arguments sent as headers
        organization: {header: OpenAI-Organization, env: OPENAI_ORG_ID}
        project: {header: OpenAI-Project, env: OPENAI_PROJECT_ID}
      error_alias: OpenAIError      # another name for the root error class
      client_alias: OpenAI          # another name for Client
      async_client_alias: AsyncOpenAI   # another name for AsyncClient
      log_env: OPENAI_LOG           # info|debug switches logging on
      idempotency_header: Idempotency-Key   # a key per call, kept across its retries
      retry_count_header: x-stainless-retry-count
      platform_headers: X-Stainless-   # X-Stainless-Lang: python, -OS, -Arch, -Runtime...

Every key is optional; without them a client has no extra headers, no aliases, no logging
variable, no idempotency key, no platform headers, and counts retries in
``X-Retry-Count``.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import pointer_join

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # an RFC 9110 token
# Arguments and members of the runtime's clients that a header argument must not hide.
_TAKEN = frozenset(
    ("api_key", "base_url", "timeout", "max_retries", "http_client", "default_headers",
     "default_query", "strict", "copy", "with_options", "close", "request", "request_page",
     "is_closed", "set_default_headers", "set_default_query", "settings")
)  # fmt: skip
_KEYS = (
    "headers", "error_alias", "client_alias", "async_client_alias", "log_env",
    "idempotency_header", "retry_count_header", "platform_headers",
)  # fmt: skip
# The alias keys, and the class each gives another name.
_ALIASES = {
    "error_alias": "ClientError",
    "client_alias": "Client",
    "async_client_alias": "AsyncClient",
}


@attrs.frozen
class HeaderOption:
    """A client argument sent as ``header``, read from ``$env`` when not given."""

    argument: str
    header: str
    env: str | None = None


@attrs.frozen
class RuntimeOptions:
    headers: tuple[HeaderOption, ...] = ()
    error_alias: str | None = None
    client_alias: str | None = None
    async_client_alias: str | None = None
    log_env: str | None = None
    idempotency_header: str | None = None
    retry_count_header: str = "X-Retry-Count"
    platform_headers: str | None = None  # the prefix of the platform headers

    def arguments(self) -> frozenset[str]:
        """The client constructor arguments these options add (``organization``...)."""
        return frozenset(h.argument for h in self.headers)

    def aliases(self) -> tuple[tuple[str, str], ...]:
        """``(alias, class)`` pairs: other names for the root error and the clients."""
        given = (self.error_alias, self.client_alias, self.async_client_alias)
        return tuple((a, c) for a, c in zip(given, _ALIASES.values(), strict=True) if a)


def read_runtime_options(section: Any, problem: Callable[[str, str], None]) -> RuntimeOptions:
    """The ``client:`` section, every problem reported through ``problem(pointer, text)``."""
    if section is None:
        return RuntimeOptions()
    if not isinstance(section, dict):
        problem("/client", "must be a mapping")
        return RuntimeOptions()
    for key in section:
        if key not in _KEYS:
            problem(pointer_join("/client", str(key)), f"unknown key (known: {', '.join(_KEYS)})")

    def name(key: str, pattern: re.Pattern[str], what: str) -> str | None:
        value = section.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not pattern.match(value):
            problem(f"/client/{key}", f"{value!r} is not {what}")
            return None
        return value

    aliases: dict[str, str | None] = {}
    for key in _ALIASES:
        alias = section.get(key)
        if alias is not None and not (
            isinstance(alias, str) and alias.isidentifier() and not keyword.iskeyword(alias)
            and alias not in ("Client", "AsyncClient", "ClientError") and not alias.startswith("_")
        ):  # fmt: skip
            problem(f"/client/{key}", f"{alias!r} is not a public Python class name")
            alias = None
        elif alias is not None and alias in aliases.values():
            problem(f"/client/{key}", f"{alias!r} already names another class")
            alias = None
        aliases[key] = alias
    return RuntimeOptions(
        headers=_headers(section.get("headers"), problem),
        error_alias=aliases["error_alias"],
        client_alias=aliases["client_alias"],
        async_client_alias=aliases["async_client_alias"],
        log_env=name("log_env", _ENV_NAME, "an environment variable name"),
        idempotency_header=name("idempotency_header", _HEADER_NAME, "a header name"),
        retry_count_header=name("retry_count_header", _HEADER_NAME, "a header name")
        or "X-Retry-Count",
        platform_headers=name("platform_headers", _HEADER_NAME, "a header name prefix"),
    )


def _headers(entries: Any, problem: Callable[[str, str], None]) -> tuple[HeaderOption, ...]:
    if entries is None:
        return ()
    if not isinstance(entries, dict):
        problem("/client/headers", "must map client arguments to {header, env}")
        return ()
    found = []
    for argument, entry in entries.items():
        where = pointer_join("/client/headers", str(argument))
        if not (isinstance(argument, str) and argument.isidentifier()) or (
            keyword.iskeyword(argument) or argument.startswith("_") or argument in _TAKEN
        ):
            problem(where, f"{argument!r} cannot be a client argument")
            continue
        header = entry.get("header") if isinstance(entry, dict) else None
        env = entry.get("env") if isinstance(entry, dict) else None
        if not isinstance(header, str) or not _HEADER_NAME.match(header):
            problem(where, "needs 'header': a header name")
            continue
        if env is not None and not (isinstance(env, str) and _ENV_NAME.match(env)):
            problem(f"{where}/env", f"{env!r} is not an environment variable name")
            env = None
        found.append(HeaderOption(argument, header, env))
    return tuple(found)
