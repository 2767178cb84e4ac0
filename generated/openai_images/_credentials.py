"""Which header and query parameter names carry credentials.

One rule, used by the recorder (to redact) and by ``conform``'s replay (to leave recorded
credentials out). A name carries a credential when

* it is ``Authorization``, ``Proxy-Authorization``, ``Cookie`` or ``Set-Cookie``;
* a security scheme of the package names it (the client passes its schemes' names along
  with every request it sends, as the request extension :data:`EXTENSION`);
* one of its words says so: a word (split at punctuation and camelCase) ending in ``key``,
  ``token``, ``secret``, ``password``, ``passwd``, ``auth``, ``authorization``,
  ``signature`` or ``credential``,
  or the word ``sig`` or ``pwd`` (``X-Api-Key``, ``apiKey``, ``access_token``,
  ``client_secret``, ``X-Amz-Security-Token``; not ``max_tokens``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = ["ALWAYS_SECRET_HEADERS", "EXTENSION", "CredentialNames", "says_secret"]

EXTENSION = "credential_names"
"""The request extension holding the :class:`CredentialNames` of the client that sent it."""

ALWAYS_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_ENDINGS = (
    "key", "token", "secret", "password", "passwd", "auth", "authorization", "signature",
    "credential",
)  # fmt: skip
_WORDS = frozenset({"sig", "pwd", "credentials"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1024)
def says_secret(name: str) -> bool:
    """Whether a header or parameter name says it carries a secret (see the module)."""
    words = _SPLIT.split(_CAMEL.sub("-", name).lower())
    return any(word in _WORDS or word.endswith(_ENDINGS) for word in words if word)


@attrs.frozen
class CredentialNames:
    """The header and query parameter names (lower-case) that carry credentials, beyond
    those every request treats as secret."""

    headers: frozenset[str] = frozenset()
    query: frozenset[str] = frozenset()

    @classmethod
    def of(cls, headers: Iterable[str] = (), query: Iterable[str] = ()) -> CredentialNames:
        return cls(frozenset(h.lower() for h in headers), frozenset(q.lower() for q in query))

    @classmethod
    def of_request(cls, extensions: dict[str, Any]) -> CredentialNames:
        """The names a request's client declared (none for a request made otherwise)."""
        names = extensions.get(EXTENSION)
        return names if isinstance(names, CredentialNames) else cls()

    def __or__(self, other: CredentialNames) -> CredentialNames:
        return CredentialNames(self.headers | other.headers, self.query | other.query)

    def secret_header(self, name: str) -> bool:
        lower = name.lower()
        return lower in ALWAYS_SECRET_HEADERS or lower in self.headers or says_secret(name)

    def secret_query(self, name: str) -> bool:
        return name.lower() in self.query or says_secret(name)
