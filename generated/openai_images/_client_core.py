"""The configuration of a client and the pure steps of a call, shared by the async client
(:mod:`._async_client`) and the sync client derived from it: settings from the spec and its
config, options, building each attempt's request (credentials, retry count, idempotency
key), retry decisions, decoding answers, and the typed error for each failure."""

from __future__ import annotations

import base64
import functools
import logging
import os
import platform
import ssl
import time
import uuid
import warnings
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypedDict, TypeVar

import anyio
import attrs
import httpx

from ._build import ArrayFormat, Endpoint, Pagination, build_request
from ._credentials import EXTENSION as CREDENTIALS_EXTENSION
from ._credentials import CredentialNames
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    ClientClosedError,
    ClientError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    error_message,
    status_error_class,
)
from ._events import EventSchema
from ._json import loads as json_loads
from ._logs import hide_query_secrets, logger, safe_headers, setup_logging
from ._models import DecodeError, Model, decode, decode_event
from ._protocol import is_json, media_type, status_matches
from ._response import BinaryResponseContent
from ._retries import retry_delay, should_retry
from ._types import UNSET, Unset

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_TIMEOUT",
    "TRANSPORT_ERRORS",
    "AuthScheme",
    "Body",
    "ClientHeader",
    "ClientSettings",
    "Headers",
    "Query",
    "RequestOptions",
    "Timeout",
]

E = TypeVar("E")
Timeout = float | httpx.Timeout | None
Headers = Mapping[str, str]
Query = Mapping[str, object]
Body = Mapping[str, object]
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
_REQUEST_ID = "x-request-id"

TRANSPORT_ERRORS: tuple[type[Exception], ...] = (
    httpx.RequestError,  # connection, timeout, protocol, content decoding (corrupt gzip)
    ssl.SSLError,  # TLS failures httpx does not map
    anyio.EndOfStream,  # a connection closed under an async read
    anyio.BrokenResourceError,
)
"""Exceptions of the HTTP layers that mean the exchange failed: each becomes an
:class:`APIConnectionError` (:class:`APITimeoutError` for timeouts)."""
_MESSAGE_LIMIT = 300  # longest error message taken from a non-JSON error body


@attrs.frozen
class AuthScheme:
    """How one security scheme of the spec authenticates a request.

    ``bearer`` sends ``Authorization: Bearer <api_key>`` (also OAuth 2 and OpenID Connect
    access tokens); ``basic`` sends ``username``/``password``; ``api_key`` sends the API key
    in the header, query parameter or cookie (``location``) named ``parameter``.
    """

    name: str
    kind: Literal["bearer", "basic", "api_key"]
    location: Literal["header", "query", "cookie"] = "header"
    parameter: str = "Authorization"


Requirements = tuple[tuple[str, ...], ...]
"""Security requirements: alternatives, each naming the schemes that must all be met; an
empty alternative means no credentials are needed."""


@attrs.frozen
class ClientHeader:
    """A header sent with every request when its value is set: by the client argument
    ``argument``, else by the environment variable ``env``."""

    argument: str
    header: str
    env: str | None = None


@attrs.frozen
class ClientSettings:
    """Facts from the spec and its client config that a client needs at run time.

    ``schemes`` and ``security`` say how requests authenticate (see :class:`AuthScheme`).
    ``client_headers`` are the extra client arguments that become headers; ``log_env`` names
    the environment variable that switches logging on; ``idempotency_header`` (when set)
    carries a key generated per call and kept across its retries; ``retry_count_header``
    carries the attempt's retry count (0 for the first).
    """

    default_base_url: str
    api_key_env: str
    base_url_env: str
    user_agent: str
    schemes: tuple[AuthScheme, ...] = ()
    security: Requirements = ()  # what operations need unless they say otherwise
    username_env: str | None = None
    password_env: str | None = None
    array_format: ArrayFormat = "repeat"
    client_headers: tuple[ClientHeader, ...] = ()
    log_env: str | None = None
    idempotency_header: str | None = None
    retry_count_header: str | None = "X-Retry-Count"
    # The prefix of the platform headers every request carries (``X-Stainless-`` as the
    # OpenAI SDK: ``X-Stainless-Lang: python``...); None: none are sent.
    platform_headers: str | None = None


class RequestOptions(TypedDict, total=False):
    """What a call sends besides its endpoint: its parameters by wire name (``path``,
    ``query``, ``headers``), its ``body``, and the per-call options (``extra_headers``,
    ``extra_query``, ``extra_body`` added to and winning over what the call builds;
    ``timeout`` and ``max_retries`` instead of the client's)."""

    path: Mapping[str, Any] | None
    query: Mapping[str, Any] | None
    headers: Mapping[str, Any] | None
    body: Any
    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: Timeout | Unset
    max_retries: int | Unset


_REQUEST_OPTIONS = RequestOptions.__optional_keys__


@attrs.define
class _Call:
    """One call of an operation: its request (sent again on each attempt) and options."""

    request: httpx.Request
    timeout: Timeout
    max_retries: int
    security: Requirements | None = None  # the operation's own, else the client's
    retries_taken: int = 0
    stream_bounds: tuple[float | None, float | None] = (None, None)  # event, whole stream


@functools.cache
def platform_headers(prefix: str, version: str) -> dict[str, str]:
    """Where the client runs, named as the OpenAI SDK names it: language, package version,
    operating system, architecture, Python implementation and version."""
    system = platform.system()
    systems = {"Darwin": "MacOS", "Linux": "Linux", "Windows": "Windows", "FreeBSD": "FreeBSD",
               "OpenBSD": "OpenBSD", "iOS": "iOS", "Android": "Android"}  # fmt: skip
    machine = platform.machine().lower()
    arches = {"x86_64": "x64", "amd64": "x64", "arm64": "arm64", "aarch64": "arm64"}
    arch = arches.get(machine) or ("arm" if machine.startswith("arm") else f"other:{machine}")
    return {
        f"{prefix}Lang": "python",
        f"{prefix}Package-Version": version,
        f"{prefix}OS": systems.get(system) or f"Other:{system.lower() or 'unknown'}",
        f"{prefix}Arch": arch if machine else "unknown",
        f"{prefix}Runtime": platform.python_implementation(),
        f"{prefix}Runtime-Version": platform.python_version(),
    }


def _closed_error(exc: RuntimeError) -> Exception:
    """What a ``RuntimeError`` from the HTTP layer means: the connection pool is closed, or
    (async) the event loop its connections belong to has ended. Our own errors pass."""
    if isinstance(exc, ClientError):
        return exc
    return ClientClosedError(f"the client cannot send any more: {exc}")


def _is_given(value: object) -> bool:
    return value is not None and not isinstance(value, Unset)


def _env(name: str | None) -> str | None:
    return os.environ.get(name) if name else None


def _check_seconds(name: str, value: Any) -> Any:
    if isinstance(value, Unset) or value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        message = f"{name} must be a non-negative number of seconds or None, not {value!r}"
        raise InvalidArgumentError(message)
    return value


def _credential_names(settings: ClientSettings) -> CredentialNames:
    """The header and query names the security schemes send credentials in (a cookie
    scheme's cookie travels in ``Cookie``, which is always secret)."""
    schemes = settings.schemes
    return CredentialNames.of(
        headers=[s.parameter for s in schemes if s.kind == "api_key" and s.location == "header"],
        query=[s.parameter for s in schemes if s.kind == "api_key" and s.location == "query"],
    )


def _check_max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):  # None too, as in the SDK
        raise InvalidArgumentTypeError(f"max_retries must be a non-negative int, not {value!r}")
    if value < 0:
        raise InvalidArgumentError(f"max_retries must be a non-negative int, not {value!r}")
    return value


def _connection_error(exc: Exception, request: httpx.Request) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request)
    detail = str(exc) or type(exc).__name__
    return APIConnectionError(f"Connection error: {detail}", request=request)


def _status_error(response: httpx.Response, content: bytes | None) -> ClientError:
    """The typed error for a non-2xx answer (``content`` None: the body could not be read)."""
    body: object = None
    if content:
        try:
            body = json_loads(content)
        except (ValueError, RecursionError):
            body = content.decode("utf-8", "replace")
    default = response.reason_phrase or f"HTTP {response.status_code}"
    if isinstance(body, str) and body.strip():
        text = " ".join(body.split())  # an HTML page or a proxy's text: one short line
        default = text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 3] + "..."
    message = error_message(body, default)
    return status_error_class(response.status_code)(message, response=response, body=body)


def _declared_empty(statuses: tuple[str, ...], status: int) -> bool:
    """Whether the spec declares this 2xx status (or its range) without content."""
    return any(status_matches(key, status) for key in statuses)


_HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)  # what an httpx client has unless told otherwise


def _client_timeout(timeout: Timeout | Unset, http_client: httpx.Client | httpx.AsyncClient | None,
                   ) -> Timeout:  # fmt: skip
    """The client's timeout: the one given, else that of the caller's ``http_client`` when
    they set one (as the SDK does), else :data:`DEFAULT_TIMEOUT`."""
    if not isinstance(timeout, Unset):
        return timeout
    if http_client is not None and http_client.timeout != _HTTPX_DEFAULT_TIMEOUT:
        return http_client.timeout
    return DEFAULT_TIMEOUT


def _http_defaults(timeout: Timeout) -> dict[str, Any]:
    """How a client makes its own connection pool: as the official SDK does (redirects are
    followed; a 307/308 resends the body, which replays)."""
    return {"timeout": timeout, "follow_redirects": True, "limits": DEFAULT_CONNECTION_LIMITS}


def _replayable(request: httpx.Request) -> bool:
    return bool(getattr(request.stream, "can_replay", True))


def _url_for_log(request: httpx.Request) -> str:
    return str(request.url.copy_with(query=None))


class _ClientCore:
    """Configuration and the pure steps of a call, shared by the sync and async clients."""

    _settings: ClassVar[ClientSettings]
    _base_url: str
    _base_url_chosen: bool  # by the caller or the environment: then every operation uses it
    timeout: Timeout
    max_retries: int
    strict: bool
    event_timeout: float | Unset | None
    stream_timeout: float | None
    _closed: bool

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError("this client is closed: make a new one to send requests")

    @staticmethod
    def _async_library() -> str:
        """The platform headers' ``Async`` value: ``false`` for the sync client."""
        return "false"

    def _configure(
        self,
        *,
        api_key: object,
        base_url: str | httpx.URL | None,
        timeout: Timeout,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        strict: bool,
        client_headers: Mapping[str, str | None],
        username: str | None = None,
        password: str | None = None,
        event_timeout: float | Unset | None = UNSET,
        stream_timeout: float | None = None,
    ) -> None:
        settings = self._settings
        setup_logging(settings.log_env)
        hide_query_secrets(s.parameter for s in settings.schemes if s.location == "query")
        self._credential_names = _credential_names(settings)
        known = {h.argument: h for h in settings.client_headers}
        unknown = sorted(set(client_headers) - set(known))
        if unknown:
            takes = ", ".join(known) or "no other arguments"
            message = f"unexpected keyword argument {unknown[0]!r} (also taken: {takes})"
            raise InvalidArgumentTypeError(message)
        self._custom_headers = dict(default_headers or {})
        if api_key is None:
            api_key = os.environ.get(settings.api_key_env)
        self._api_key = api_key
        self._username = username or _env(settings.username_env)
        self._password = password or _env(settings.password_env)
        if settings.security and self._alternative(settings.security, api_key) is None:
            raise ClientError(self._missing_credentials())
        chosen = base_url or os.environ.get(settings.base_url_env)
        self._base_url = str(chosen or settings.default_base_url).rstrip("/")
        self._base_url_chosen = bool(chosen)
        self.timeout = timeout
        self.max_retries = _check_max_retries(max_retries)
        self._custom_query = dict(default_query or {})
        self.strict = strict
        self.event_timeout = _check_seconds("event_timeout", event_timeout)
        self.stream_timeout = _check_seconds("stream_timeout", stream_timeout)
        self._client_headers: dict[str, str | None] = {}
        for argument, header in known.items():
            if argument.startswith("_") or hasattr(type(self), argument):
                message = f"client header argument {argument!r} would hide a client member"
                raise InvalidArgumentTypeError(message)
            value = client_headers.get(argument)
            if value is None and header.env:
                value = os.environ.get(header.env)
            self._client_headers[argument] = value
            setattr(self, argument, value)

    # -- credentials ---------------------------------------------------------------------

    def _alternative(self, requirements: Requirements, api_key: object) -> tuple[str, ...] | None:
        """The first alternative of ``requirements`` these credentials meet, or None.

        One that needs credentials comes first: when authentication is optional (an empty
        alternative), credentials the client has are still sent.
        """
        schemes = {scheme.name: scheme for scheme in self._settings.schemes}
        for alternative in sorted(requirements, key=lambda names: not names):
            if all(n in schemes and self._meets(schemes[n], api_key) for n in alternative):
                return alternative
        return None

    def _meets(self, scheme: AuthScheme, api_key: object) -> bool:
        if scheme.location == "header" and self._caller_sets(scheme.parameter):
            return True  # the caller authenticates with their own header
        if scheme.kind == "basic":
            return bool(self._username) and self._password is not None
        return bool(api_key)

    def _caller_sets(self, header: str) -> bool:
        return any(key.lower() == header.lower() for key in self._custom_headers)

    def _missing_credentials(self) -> str:
        settings = self._settings
        kinds = {s.kind for s in settings.schemes}
        wanted = []
        if kinds & {"bearer", "api_key"}:
            wanted.append(f"pass api_key= or set the {settings.api_key_env} environment variable")
        if "basic" in kinds:
            envs = f" (or set {settings.username_env} and {settings.password_env})"
            wanted.append("pass username= and password=" + (envs if settings.username_env else ""))
        return "No credentials: " + "; or ".join(wanted) + "."

    def _authenticate(
        self, headers: httpx.Headers, url: httpx.URL, security: Requirements, api_key: str | None
    ) -> httpx.URL:
        """Add the credentials of the first alternative of ``security`` they meet; the
        caller's own header for a scheme wins. Returns the URL (a query key may join it)."""
        alternative = self._alternative(security, api_key) or ()
        schemes = {scheme.name: scheme for scheme in self._settings.schemes}
        for scheme in (schemes[name] for name in alternative):
            if scheme.kind == "basic" and self._username:
                pair = f"{self._username}:{self._password or ''}".encode()
                headers.setdefault("Authorization", "Basic " + base64.b64encode(pair).decode())
            elif not api_key:
                continue
            elif scheme.kind == "bearer":
                headers.setdefault("Authorization", f"Bearer {api_key}")
            elif scheme.location == "header":
                headers.setdefault(scheme.parameter, api_key)
            elif scheme.location == "query" and scheme.parameter not in url.params:
                url = url.copy_add_param(scheme.parameter, api_key)
            elif scheme.location == "cookie":
                cookie = f"{scheme.parameter}={api_key}"
                headers["Cookie"] = (
                    f"{headers['Cookie']}; {cookie}" if "Cookie" in headers else cookie
                )
        return url

    def _secret_headers(self) -> tuple[str, ...]:
        """Headers that carry credentials: never logged."""
        names = {"Authorization", "Cookie"}
        names |= {s.parameter for s in self._settings.schemes if s.location == "header"}
        return tuple(sorted(names))

    def _options(self, **changes: Any) -> dict[str, Any]:
        """The configuration of a copy of this client, with ``changes`` applied."""
        headers, set_headers = changes.pop("default_headers"), changes.pop("set_default_headers")
        query, set_query = changes.pop("default_query"), changes.pop("set_default_query")
        if (headers is not None and set_headers is not None) or (
            query is not None and set_query is not None
        ):
            message = "pass default_X= (merged) or set_default_X= (replacing), not both"
            raise InvalidArgumentError(message)
        given = {k: v for k, v in changes.pop("client_headers").items() if v is not None}
        options: dict[str, Any] = {
            "api_key": self._api_key,
            "username": self._username,
            "password": self._password,
            "base_url": self.base_url if self._base_url_chosen else None,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "strict": self.strict,
            "event_timeout": self.event_timeout,
            "stream_timeout": self.stream_timeout,
            "default_headers": {**self._custom_headers, **(headers or {})}
            if set_headers is None
            else set_headers,
            "default_query": {**self._custom_query, **(query or {})}
            if set_query is None
            else set_query,
            "client_headers": {**self._client_headers, **given},
        }
        # None is a choice for these (no bound); UNSET keeps this client's.
        chosen = {k: changes.pop(k) for k in ("timeout", "event_timeout", "stream_timeout")}
        options.update({k: v for k, v in changes.items() if v is not None})
        options.update({k: v for k, v in chosen.items() if not isinstance(v, Unset)})
        return options

    @property
    def base_url(self) -> httpx.URL:
        """The URL requests go to, ending in ``/`` as in the SDK: the caller's, else the
        spec's (where the spec serves an operation elsewhere, that operation goes there unless
        the caller chose this URL)."""
        return httpx.URL(self._base_url + "/")

    @base_url.setter
    def base_url(self, url: str | httpx.URL) -> None:
        self._base_url = str(url).rstrip("/")
        self._base_url_chosen = True

    @property
    def default_headers(self) -> dict[str, str]:
        """Headers every request carries unless the call sets them (not the API key)."""
        settings = self._settings
        headers = {"User-Agent": settings.user_agent}
        if settings.platform_headers:
            version = settings.user_agent.rpartition("/")[2]
            headers.update(platform_headers(settings.platform_headers, version))
            headers[f"{settings.platform_headers}Async"] = self._async_library()
        for header in self._settings.client_headers:
            value = self._client_headers.get(header.argument)
            if value is not None:
                headers[header.header] = value
        headers.update(self._custom_headers)
        return headers

    @property
    def default_query(self) -> dict[str, object]:
        """Query parameters every request carries unless the call sets them."""
        return dict(self._custom_query)

    @property
    def api_key(self) -> str | None:
        """The API key given or found in the environment (None when it is a callable)."""
        return self._api_key if isinstance(self._api_key, str) else None

    def __repr__(self) -> str:  # never show the API key
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    # -- building ------------------------------------------------------------------------

    @staticmethod
    def _warn_deprecated(endpoint: Endpoint[Any, Any], options: RequestOptions) -> None:
        """Warn about each deprecated parameter or body property the call gives a value."""
        given = [options.get(part) for part in ("path", "query", "headers", "body")]
        for name in endpoint.deprecated:
            if any(isinstance(g, Mapping) and _is_given(g.get(name)) for g in given):
                warnings.warn(
                    f"`{name}` is deprecated ({endpoint.method} {endpoint.path})",
                    DeprecationWarning,
                    stacklevel=4,  # the caller of the generated method
                )

    def _call(
        self,
        endpoint: Endpoint[Any, Any],
        options: RequestOptions,
        more_query: Mapping[str, object] | None = None,
    ) -> _Call:
        """Build the request once: every attempt of the call sends it again. ``more_query``
        (a later page's cursor) is added to the query last."""
        unknown = options.keys() - _REQUEST_OPTIONS
        if unknown:
            message = f"unexpected keyword argument {sorted(unknown)[0]!r}"
            raise InvalidArgumentTypeError(message)
        own = endpoint.base_url
        query = {**self._custom_query, **(options.get("query") or {})}
        request = build_request(
            endpoint,
            base_url=self._base_url if self._base_url_chosen or own is None else own,
            path=options.get("path"),
            query={**query, **(options.get("extra_query") or {}), **(more_query or {})},
            headers=options.get("headers"),
            body=options.get("body"),
            extra_body=options.get("extra_body"),
            array_format=self._settings.array_format,
        )
        request.headers.setdefault("Accept", endpoint.accept)
        request.headers.update(options.get("extra_headers") or {})
        for name, value in self.default_headers.items():
            request.headers.setdefault(name, value)
        idempotency = self._settings.idempotency_header
        if idempotency and request.method != "GET" and idempotency not in request.headers:
            request.headers[idempotency] = str(uuid.uuid4())
        retries = options.get("max_retries", UNSET)
        timeout = options.get("timeout", UNSET)
        retries = self.max_retries if isinstance(retries, Unset) else retries
        chosen = self.timeout if isinstance(timeout, Unset) else timeout
        return _Call(request, chosen, _check_max_retries(retries), endpoint.security)

    def _attempt(self, call: _Call, api_key: str | None) -> httpx.Request:
        """The request of the call's next attempt, with its retry count and credentials."""
        base = call.request
        headers = base.headers.copy()
        counter = self._settings.retry_count_header
        if counter and counter not in base.headers:
            headers[counter] = str(call.retries_taken)
        security = self._settings.security if call.security is None else call.security
        url = self._authenticate(headers, base.url, security, api_key)
        extensions = {
            **base.extensions,
            "timeout": httpx.Timeout(call.timeout).as_dict(),
            CREDENTIALS_EXTENSION: self._credential_names,  # what a recorder redacts
        }
        request = httpx.Request(
            base.method, url, headers=headers, stream=base.stream, extensions=extensions
        )
        if logger.isEnabledFor(logging.DEBUG):  # headers are worth building only when shown
            secret = self._secret_headers()
            logger.debug(
                "Request %s %s (attempt %d of %d), headers %s",
                request.method,
                _url_for_log(request),
                call.retries_taken + 1,
                call.max_retries + 1,
                safe_headers(request.headers.items(), secret),
            )
        return request

    def _prepare_stream(self, call: _Call) -> None:
        """Fix an event stream's time bounds (``event_timeout`` defaults to the read
        timeout), and let no single read wait longer than they allow."""
        timeout = httpx.Timeout(call.timeout)
        event = self.event_timeout
        if isinstance(event, Unset):
            event = timeout.read
        call.stream_bounds = (event, self.stream_timeout)
        bounds = [t for t in (timeout.read, event, self.stream_timeout) if t is not None]
        if bounds:
            call.timeout = httpx.Timeout(
                None, connect=timeout.connect, read=min(bounds), write=timeout.write,
                pool=timeout.pool,
            )  # fmt: skip

    def _retry_delay(self, call: _Call, response: httpx.Response | None) -> float | None:
        """The wait before trying the call again after this failure, or None: it is final."""
        if call.retries_taken >= call.max_retries or not _replayable(call.request):
            return None
        if response is not None and not should_retry(response.status_code, response.headers):
            return None
        return retry_delay(call.retries_taken, response.headers if response is not None else None)

    def _log_retry(self, call: _Call, delay: float, reason: str) -> None:
        call.retries_taken += 1
        logger.info(
            "Retrying %s %s in %.3f s (retry %d of %d): %s",
            call.request.method,
            _url_for_log(call.request),
            delay,
            call.retries_taken,
            call.max_retries,
            reason,
        )

    @staticmethod
    def _log_answer(request: httpx.Request, response: httpx.Response, started: float) -> None:
        logger.info(
            '%s %s "%d %s" in %.3f s (request_id=%s)',
            request.method,
            _url_for_log(request),
            response.status_code,
            response.reason_phrase,
            time.monotonic() - started,
            response.headers.get(_REQUEST_ID),
        )

    # -- answers ----------------------------------------------------------------------------

    def _events(self, endpoint: Endpoint[Any, E]) -> EventSchema[E]:
        events = endpoint.events
        assert events is not None, "the operation does not answer with an event stream"
        strict = self.strict
        return EventSchema(
            parse=lambda name, data: decode_event(events.type, data, event=name, strict=strict),
            discriminator=events.discriminator,
            terminal=events.terminal,
        )

    def _parse(self, endpoint: Endpoint[Any, Any], response: httpx.Response) -> Any:
        """The read answer as the operation's type: JSON decoded and checked, else text or
        a :class:`BinaryResponseContent`; None for a status the spec declares without
        content. A model result carries the answer's ``x-request-id`` as ``_request_id``."""
        returns = endpoint.returns
        if _declared_empty(endpoint.no_content, response.status_code):
            return None
        media = media_type(response.headers.get("content-type"))
        json_answer = is_json(media)
        if endpoint.binary and not (json_answer and returns is not None):
            return BinaryResponseContent(response)
        if returns is None:
            return None
        if not json_answer:
            if returns is str:
                return response.text
            raise APIResponseValidationError(
                f"expected a JSON answer, got {media or 'no content type'!r}", response=response
            )
        try:
            body = json_loads(response.content)
        except (ValueError, RecursionError) as exc:
            raise APIResponseValidationError(
                f"invalid JSON in answer: {type(exc).__name__}: {str(exc)[:200]}",
                response=response,
            ) from exc
        try:
            result = decode(returns, body, strict=self.strict)
        except DecodeError as exc:
            raise APIResponseValidationError(
                f"answer does not match the spec: {exc}", response=response, body=body
            ) from exc
        except RecursionError as exc:
            raise APIResponseValidationError(
                "answer nests too deeply to decode", response=response
            ) from exc
        if isinstance(result, Model):
            result._request_id = response.headers.get(_REQUEST_ID)
        return result

    def _make_page(
        self, endpoint: Endpoint[Any, Any], page: type[Any], response: httpx.Response, fetch: Any
    ) -> Any:
        result = self._parse(endpoint, response)
        return page(result, endpoint.page or Pagination(), response.headers.get(_REQUEST_ID), fetch)
