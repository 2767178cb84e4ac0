"""What every generated client shares: settings and options, authentication, sending with
retries, decoding answers, and mapping every failure to a typed error.

A generated ``Client`` is a :class:`SyncAPIClient` with its :class:`ClientSettings` as the
class attribute ``_settings``, plus one cached property per resource. Its methods call
:meth:`SyncAPIClient.request` (or :meth:`SyncAPIClient.request_page` for list operations)
with an :class:`~._build.Endpoint` and the caller's arguments by wire name.

Retries (see :mod:`._retries` for the policy): each call is tried up to ``max_retries + 1``
times; every attempt sends the same body (paths reopened, seekable files rewound; a body
holding a non-seekable file object is sent once and never retried), the retry-count header
and, when the settings name one, the same idempotency key. Waits go through the client's
``_sleep`` (``time.sleep`` / ``anyio.sleep``), which tests may replace. An event stream is
retried only before its first event.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, ClassVar, Literal, Self, TypeVar, cast, overload

import anyio
import anyio.to_thread
import attrs
import httpx

from ._build import ArrayFormat, Endpoint, Pagination, build_request
from ._errors import (
    TRANSPORT_ERRORS,
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    ClientError,
    error_message,
    status_error_class,
)
from ._logs import logger, safe_headers, setup_logging
from ._models import DecodeError, Model, decode, decode_event
from ._pagination import AsyncCursorPage, AsyncPage, AsyncPaginator, SyncCursorPage, SyncPage
from ._response import APIResponse, AsyncAPIResponse, response_mode
from ._retries import DEFAULT_MAX_RETRIES, retry_delay, should_retry
from ._streaming import AsyncStream, EventSchema, Stream
from ._types import UNSET, Unset

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "Body",
    "ClientHeader",
    "ClientSettings",
    "Headers",
    "Query",
    "SyncAPIClient",
    "SyncAPIResource",
    "Timeout",
]

R = TypeVar("R")
E = TypeVar("E")
T = TypeVar("T")
Timeout = float | httpx.Timeout | None
Headers = Mapping[str, str]
Query = Mapping[str, object]
Body = Mapping[str, object]
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
_REQUEST_ID = "x-request-id"


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

    ``client_headers`` are the extra client arguments that become headers; ``log_env`` names
    the environment variable that switches logging on; ``idempotency_header`` (when set)
    carries a key generated per call and kept across its retries; ``retry_count_header``
    carries the attempt's retry count (0 for the first).
    """

    default_base_url: str
    api_key_env: str
    base_url_env: str
    auth: Literal["bearer", "header", "none"]
    auth_header: str
    user_agent: str
    array_format: ArrayFormat = "repeat"
    client_headers: tuple[ClientHeader, ...] = ()
    log_env: str | None = None
    idempotency_header: str | None = None
    retry_count_header: str | None = "X-Retry-Count"


@attrs.define
class _Call:
    """One call of an operation: its request (sent again on each attempt) and options."""

    request: httpx.Request
    timeout: Timeout
    max_retries: int
    retries_taken: int = 0


def _check_max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be a non-negative int, not {value!r}")
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
            body = json.loads(content)
        except (ValueError, RecursionError):
            body = content.decode("utf-8", "replace")
    default = response.reason_phrase or f"HTTP {response.status_code}"
    message = error_message(body, body.strip() if isinstance(body, str) and body.strip()
                            else default)  # fmt: skip
    return status_error_class(response.status_code)(message, response=response, body=body)


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
    base_url: str
    timeout: Timeout
    max_retries: int
    strict: bool

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
    ) -> None:
        settings = self._settings
        setup_logging(settings.log_env)
        known = {h.argument: h for h in settings.client_headers}
        unknown = sorted(set(client_headers) - set(known))
        if unknown:
            takes = ", ".join(known) or "no other arguments"
            raise TypeError(f"unexpected keyword argument {unknown[0]!r} (also taken: {takes})")
        self._custom_headers = dict(default_headers or {})
        if api_key is None:
            api_key = os.environ.get(settings.api_key_env)
        if settings.auth != "none" and not api_key and not self._caller_sets_auth():
            raise ClientError(
                f"No API key: pass api_key= or set the {settings.api_key_env} environment variable."
            )
        self._api_key = api_key
        url = base_url or os.environ.get(settings.base_url_env) or settings.default_base_url
        self.base_url = str(url).rstrip("/")
        self.timeout = timeout
        self.max_retries = _check_max_retries(max_retries)
        self._custom_query = dict(default_query or {})
        self.strict = strict
        self._client_headers: dict[str, str | None] = {}
        for argument, header in known.items():
            if argument.startswith("_") or hasattr(type(self), argument):
                raise TypeError(f"client header argument {argument!r} would hide a client member")
            value = client_headers.get(argument)
            if value is None and header.env:
                value = os.environ.get(header.env)
            self._client_headers[argument] = value
            setattr(self, argument, value)

    def _caller_sets_auth(self) -> bool:
        name = self._settings.auth_header.lower()
        return any(key.lower() == name for key in self._custom_headers)

    def _options(self, **changes: Any) -> dict[str, Any]:
        """The configuration of a copy of this client, with ``changes`` applied."""
        headers, set_headers = changes.pop("default_headers"), changes.pop("set_default_headers")
        query, set_query = changes.pop("default_query"), changes.pop("set_default_query")
        if (headers is not None and set_headers is not None) or (
            query is not None and set_query is not None
        ):
            raise ValueError("pass default_X= (merged) or set_default_X= (replacing), not both")
        given = {k: v for k, v in changes.pop("client_headers").items() if v is not None}
        options: dict[str, Any] = {
            "api_key": self._api_key,
            "base_url": self.base_url,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "strict": self.strict,
            "default_headers": {**self._custom_headers, **(headers or {})}
            if set_headers is None
            else set_headers,
            "default_query": {**self._custom_query, **(query or {})}
            if set_query is None
            else set_query,
            "client_headers": {**self._client_headers, **given},
        }
        timeout = changes.pop("timeout")
        options.update({k: v for k, v in changes.items() if v is not None})
        if not isinstance(timeout, Unset):  # None is a choice: no timeout
            options["timeout"] = timeout
        return options

    @property
    def default_headers(self) -> dict[str, str]:
        """Headers every request carries unless the call sets them (not the API key)."""
        headers = {"User-Agent": self._settings.user_agent}
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
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # -- building ------------------------------------------------------------------------

    def _call(
        self,
        endpoint: Endpoint[Any, Any],
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        body: Any,
        extra_headers: Headers | None,
        extra_query: Query | None,
        extra_body: Body | None,
        timeout: Timeout | Unset,
        max_retries: int | Unset,
    ) -> _Call:
        """Build the request once: every attempt of the call sends it again."""
        request = build_request(
            endpoint,
            base_url=self.base_url,
            path=path,
            query={**self._custom_query, **(query or {}), **(extra_query or {})},
            headers=headers,
            body=body,
            extra_body=extra_body,
            array_format=self._settings.array_format,
        )
        accept = "text/event-stream" if endpoint.events and not endpoint.returns else None
        request.headers.setdefault("Accept", accept or "application/json")
        request.headers.update(extra_headers or {})
        for name, value in self.default_headers.items():
            request.headers.setdefault(name, value)
        idempotency = self._settings.idempotency_header
        if idempotency and request.method != "GET" and idempotency not in request.headers:
            request.headers[idempotency] = str(uuid.uuid4())
        retries = self.max_retries if isinstance(max_retries, Unset) else max_retries
        chosen = self.timeout if isinstance(timeout, Unset) else timeout
        return _Call(request, chosen, _check_max_retries(retries))

    def _attempt(self, call: _Call, api_key: str | None) -> httpx.Request:
        """The request of the call's next attempt, with its retry count and credentials."""
        base = call.request
        headers = base.headers.copy()
        counter = self._settings.retry_count_header
        if counter and counter not in base.headers:
            headers[counter] = str(call.retries_taken)
        auth = self._settings.auth
        if api_key and auth == "bearer":
            headers.setdefault("Authorization", f"Bearer {api_key}")
        elif api_key and auth == "header":
            headers.setdefault(self._settings.auth_header, api_key)
        extensions = {**base.extensions, "timeout": httpx.Timeout(call.timeout).as_dict()}
        request = httpx.Request(
            base.method, base.url, headers=headers, stream=base.stream, extensions=extensions
        )
        if logger.isEnabledFor(logging.DEBUG):  # headers are worth building only when shown
            secret = (self._settings.auth_header,)
            logger.debug(
                "Request %s %s (attempt %d of %d), headers %s",
                request.method,
                _url_for_log(request),
                call.retries_taken + 1,
                call.max_retries + 1,
                safe_headers(request.headers.items(), secret),
            )
        return request

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
            "Retrying %s %s in %.2f s (retry %d of %d): %s",
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
        bytes. A model result carries the answer's ``x-request-id`` as ``_request_id``."""
        returns = endpoint.returns
        if returns is None:
            return None
        if returns is bytes:
            return response.content
        media = response.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media != "application/json" and not media.endswith("+json"):
            if returns is str:
                return response.text
            raise APIResponseValidationError(
                f"expected a JSON answer, got {media or 'no content type'!r}", response=response
            )
        try:
            body = json.loads(response.content)
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


# ---------------------------------------------------------------- sync


class SyncAPIClient(_ClientCore):
    """Sends requests with an ``httpx.Client``, retrying as configured, and maps failures to
    typed errors.

    Options (the official SDK's names): ``api_key`` (a string, or a callable returning one,
    called for each attempt), ``base_url``, ``timeout`` (seconds or ``httpx.Timeout``),
    ``max_retries`` (0 turns retries off), ``default_headers``, ``default_query``,
    ``http_client``. The client config may add arguments that become headers
    (``organization=`` → ``OpenAI-Organization``). An ``Authorization`` header set by the
    caller (``default_headers`` or per call ``extra_headers``) is sent instead of the key.

    An ``http_client`` passed in stays the caller's: :meth:`close` leaves it open.
    """

    _sleep: Callable[[float], object]

    def __init__(
        self,
        *,
        api_key: str | Callable[[], str] | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        strict: bool = False,
        **client_headers: str | None,
    ) -> None:
        self._configure(api_key=api_key, base_url=base_url, timeout=timeout,
                        max_retries=max_retries, default_headers=default_headers,
                        default_query=default_query, strict=strict,
                        client_headers=client_headers)  # fmt: skip
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(**_http_defaults(timeout))
        self._sleep = time.sleep

    def copy(
        self,
        *,
        api_key: str | Callable[[], str] | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        strict: bool | None = None,
        **client_headers: str | None,
    ) -> Self:
        """A client with these options changed and the rest kept, sharing the connection
        pool (unless ``http_client`` is given). Closing the copy leaves the pool open."""
        options = self._options(api_key=api_key, base_url=base_url, timeout=timeout,
                                max_retries=max_retries, default_headers=default_headers,
                                set_default_headers=set_default_headers,
                                default_query=default_query, set_default_query=set_default_query,
                                strict=strict, client_headers=client_headers)  # fmt: skip
        clone = object.__new__(type(self))
        clone._configure(client_headers=options.pop("client_headers"), **options)
        clone._owns_http = False
        clone._http = http_client if http_client is not None else self._http
        clone._sleep = self._sleep
        return clone

    with_options = copy

    # -- calls ---------------------------------------------------------------------------

    @overload
    def request(
        self,
        endpoint: Endpoint[R, E],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        stream: Literal[False] = False,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> R: ...

    @overload
    def request(
        self,
        endpoint: Endpoint[R, E],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        stream: Literal[True],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> Stream[E]: ...

    @overload
    def request(
        self,
        endpoint: Endpoint[R, E],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        stream: bool,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> R | Stream[E]: ...

    def request(
        self,
        endpoint: Endpoint[R, E],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        stream: bool = False,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> R | Stream[E]:
        """Send one call of ``endpoint``: its answer parsed, or its event stream.

        Inside ``with_raw_response`` / ``with_streaming_response`` the result is an
        :class:`~._response.APIResponse` whose ``parse()`` gives that value.
        """
        mode = response_mode()
        call = self._call(endpoint, path, query, headers, body, extra_headers, extra_query,
                          extra_body, timeout, max_retries)  # fmt: skip
        response = self._send(call, stream=stream or mode == "stream")
        result = functools.partial(self._result, endpoint, call, response, stream)
        if mode == "parse":
            return cast(R, result())
        return cast(R, APIResponse(response, result, call.retries_taken))

    @overload
    def request_page(
        self,
        endpoint: Endpoint[T, Any],
        page: type[SyncCursorPage[Any]],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> SyncCursorPage[T]: ...

    @overload
    def request_page(
        self,
        endpoint: Endpoint[T, Any],
        page: type[SyncPage[Any]],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> SyncPage[T]: ...

    def request_page(
        self,
        endpoint: Endpoint[T, Any],
        page: type[SyncCursorPage[Any]] | type[SyncPage[Any]],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> SyncCursorPage[T] | SyncPage[T]:
        """Send one call of a list operation (``endpoint.page`` says how it pages): its first
        page, of class ``page``. Later pages repeat the call with the cursor parameter added
        to the query. A generated list method (its Endpoint typed ``Endpoint[Item, Never]``)::

            def list(self, *, after: str | Unset = UNSET, ..., extra_headers=..., timeout=...)
                    -> SyncCursorPage[Item]:
                return self._client.request_page(_LIST, SyncCursorPage, query={"after": after},
                                                 extra_headers=extra_headers, ...)
        """
        mode = response_mode()
        call = self._call(endpoint, path, query, headers, body, extra_headers, extra_query,
                          extra_body, timeout, max_retries)  # fmt: skip
        response = self._send(call, stream=mode == "stream")

        def fetch(params: Mapping[str, object]) -> Any:
            return self.request_page(endpoint, page, path=path, query=query, headers=headers,
                                     body=body, extra_headers=extra_headers,
                                     extra_query={**(extra_query or {}), **params},
                                     extra_body=extra_body, timeout=timeout,
                                     max_retries=max_retries)  # fmt: skip

        def result() -> Any:
            self._read(response)
            return self._make_page(endpoint, page, response, fetch)

        if mode == "parse":
            return cast(SyncCursorPage[T], result())
        return cast(SyncCursorPage[T], APIResponse(response, result, call.retries_taken))

    def _result(
        self, endpoint: Endpoint[Any, Any], call: _Call, response: httpx.Response, stream: bool
    ) -> Any:
        if stream:
            reconnect = functools.partial(self._reconnect, call)
            return Stream(response, self._events(endpoint), strict=self.strict,
                          reconnect=reconnect)  # fmt: skip
        self._read(response)
        return self._parse(endpoint, response)

    # -- sending -------------------------------------------------------------------------

    def _key(self) -> str | None:
        key = self._api_key
        if callable(key):
            key = key()
        return key if isinstance(key, str) else None

    def _send(self, call: _Call, *, stream: bool) -> httpx.Response:
        """The answer of the call's first successful attempt: read, unless ``stream``.

        Raises the typed error of the last attempt when no attempt succeeds.
        """
        while True:
            request = self._attempt(call, self._key())
            started = time.monotonic()
            failure: Exception | None = None
            try:
                response = self._http.send(request, stream=True)
                if response.is_success and not stream:
                    try:
                        response.read()
                    finally:
                        response.close()
            except TRANSPORT_ERRORS as exc:
                failure = exc
            finally:
                _close_body(request)
            if failure is not None:
                error = _connection_error(failure, request)
                delay = self._retry_delay(call, None)
                if delay is None:
                    raise error from failure
                self._log_retry(call, delay, str(error))
                self._sleep(delay)
                continue
            self._log_answer(request, response, started)
            if response.is_success:
                return response
            delay = self._retry_delay(call, response)
            if delay is None:
                raise _status_error(response, _read_error_body(response))
            response.close()
            self._log_retry(call, delay, f"{response.status_code} {response.reason_phrase}")
            self._sleep(delay)

    def _reconnect(self, call: _Call, failure: Exception) -> httpx.Response | None:
        """A new answer for a stream that failed before its first event, or None."""
        delay = self._retry_delay(call, None)
        if delay is None:
            return None
        self._log_retry(call, delay, str(_connection_error(failure, call.request)))
        self._sleep(delay)
        return self._send(call, stream=True)

    @staticmethod
    def _read(response: httpx.Response) -> None:
        """Read a body that was left unread (``with_streaming_response``)."""
        try:
            response.read()
        except TRANSPORT_ERRORS as exc:
            raise _connection_error(exc, response.request) from exc
        finally:
            response.close()

    # -- lifetime ------------------------------------------------------------------------

    def is_closed(self) -> bool:
        return self._http.is_closed

    def close(self) -> None:
        """Close the HTTP connection pool, unless it was passed in as ``http_client`` (or
        this client is a copy)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _read_error_body(response: httpx.Response) -> bytes | None:
    try:
        return response.read()
    except TRANSPORT_ERRORS:
        return None  # the status error is raised without the body
    finally:
        response.close()


def _close_body(request: httpx.Request) -> None:
    close = getattr(request.stream, "close", None)
    if close is not None:
        close()


# ---------------------------------------------------------------- async


class AsyncAPIClient(_ClientCore):
    """:class:`SyncAPIClient` for ``asyncio``/``trio``: sends with an ``httpx.AsyncClient``.

    ``api_key`` may also be a callable returning an awaitable. Waits between attempts use
    ``anyio.sleep`` and never block the event loop; request bodies are built, and files
    read, in worker threads.
    """

    _sleep: Callable[[float], Awaitable[object]]

    def __init__(
        self,
        *,
        api_key: str | Callable[[], str | Awaitable[str]] | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        strict: bool = False,
        **client_headers: str | None,
    ) -> None:
        self._configure(api_key=api_key, base_url=base_url, timeout=timeout,
                        max_retries=max_retries, default_headers=default_headers,
                        default_query=default_query, strict=strict,
                        client_headers=client_headers)  # fmt: skip
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(**_http_defaults(timeout))
        self._sleep = anyio.sleep

    def copy(
        self,
        *,
        api_key: str | Callable[[], str | Awaitable[str]] | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        strict: bool | None = None,
        **client_headers: str | None,
    ) -> Self:
        """A client with these options changed and the rest kept, sharing the connection
        pool (unless ``http_client`` is given). Closing the copy leaves the pool open."""
        options = self._options(api_key=api_key, base_url=base_url, timeout=timeout,
                                max_retries=max_retries, default_headers=default_headers,
                                set_default_headers=set_default_headers,
                                default_query=default_query, set_default_query=set_default_query,
                                strict=strict, client_headers=client_headers)  # fmt: skip
        clone = object.__new__(type(self))
        clone._configure(client_headers=options.pop("client_headers"), **options)
        clone._owns_http = False
        clone._http = http_client if http_client is not None else self._http
        clone._sleep = self._sleep
        return clone

    with_options = copy

    # -- calls ---------------------------------------------------------------------------

    @overload
    async def request(
        self,
        endpoint: Endpoint[R, E],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        stream: Literal[False] = False,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> R: ...

    @overload
    async def request(
        self,
        endpoint: Endpoint[R, E],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        stream: Literal[True],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> AsyncStream[E]: ...

    @overload
    async def request(
        self,
        endpoint: Endpoint[R, E],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        stream: bool,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> R | AsyncStream[E]: ...

    async def request(
        self,
        endpoint: Endpoint[R, E],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        stream: bool = False,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> R | AsyncStream[E]:
        """Send one call of ``endpoint``: its answer parsed, or its event stream.

        Inside ``with_raw_response`` / ``with_streaming_response`` the result is an
        :class:`~._response.AsyncAPIResponse` whose ``parse()`` gives that value.
        """
        mode = response_mode()
        call = await self._acall(endpoint, path, query, headers, body, extra_headers,
                                 extra_query, extra_body, timeout, max_retries)  # fmt: skip
        response = await self._send(call, stream=stream or mode == "stream")
        result = functools.partial(self._result, endpoint, call, response, stream)
        if mode == "parse":
            return cast(R, await result())
        return cast(R, AsyncAPIResponse(response, result, call.retries_taken))

    @overload
    def request_page(
        self,
        endpoint: Endpoint[T, Any],
        page: type[AsyncCursorPage[Any]],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> AsyncPaginator[T, AsyncCursorPage[T]]: ...

    @overload
    def request_page(
        self,
        endpoint: Endpoint[T, Any],
        page: type[AsyncPage[Any]],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> AsyncPaginator[T, AsyncPage[T]]: ...

    def request_page(
        self,
        endpoint: Endpoint[T, Any],
        page: type[AsyncCursorPage[Any]] | type[AsyncPage[Any]],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
    ) -> AsyncPaginator[T, AsyncCursorPage[T]] | AsyncPaginator[T, AsyncPage[T]]:
        """A list call, made when awaited: ``await`` gives the first page (of class
        ``page``), ``async for`` every item of every page. Not a coroutine function, so
        that ``async for item in client.things.list()`` works; the generated async list
        method is a plain ``def`` too::

            def list(self, *, ...) -> AsyncPaginator[Item, AsyncCursorPage[Item]]:
                return self._client.request_page(_LIST, AsyncCursorPage, query={...}, ...)
        """

        async def first(extra: Mapping[str, object] | None = None) -> Any:
            mode = response_mode()
            query_extra = {**(extra_query or {}), **(extra or {})}
            call = await self._acall(endpoint, path, query, headers, body, extra_headers,
                                     query_extra, extra_body, timeout, max_retries)  # fmt: skip
            response = await self._send(call, stream=mode == "stream")

            async def result() -> Any:
                await self._aread(response)
                return self._make_page(endpoint, page, response, first)

            if mode == "parse":
                return await result()
            return AsyncAPIResponse(response, result, call.retries_taken)

        return AsyncPaginator(first)

    async def _result(
        self, endpoint: Endpoint[Any, Any], call: _Call, response: httpx.Response, stream: bool
    ) -> Any:
        if stream:
            reconnect = functools.partial(self._reconnect, call)
            return AsyncStream(response, self._events(endpoint), strict=self.strict,
                               reconnect=reconnect)  # fmt: skip
        await self._aread(response)
        return self._parse(endpoint, response)

    async def _acall(self, *arguments: Any) -> _Call:
        # Building touches the disk for files (stat, sniffing): keep it off the event loop.
        return await anyio.to_thread.run_sync(functools.partial(self._call, *arguments))

    # -- sending -------------------------------------------------------------------------

    async def _key(self) -> str | None:
        key = self._api_key
        if callable(key):
            key = key()
            if inspect.isawaitable(key):
                key = await key
        return key if isinstance(key, str) else None

    async def _send(self, call: _Call, *, stream: bool) -> httpx.Response:
        """The answer of the call's first successful attempt: read, unless ``stream``.

        Raises the typed error of the last attempt when no attempt succeeds.
        """
        while True:
            request = self._attempt(call, await self._key())
            started = time.monotonic()
            failure: Exception | None = None
            try:
                response = await self._http.send(request, stream=True)
                if response.is_success and not stream:
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
            except TRANSPORT_ERRORS as exc:
                failure = exc
            finally:
                await _aclose_body(request)
            if failure is not None:
                error = _connection_error(failure, request)
                delay = self._retry_delay(call, None)
                if delay is None:
                    raise error from failure
                self._log_retry(call, delay, str(error))
                await self._sleep(delay)
                continue
            self._log_answer(request, response, started)
            if response.is_success:
                return response
            delay = self._retry_delay(call, response)
            if delay is None:
                raise _status_error(response, await _aread_error_body(response))
            await response.aclose()
            self._log_retry(call, delay, f"{response.status_code} {response.reason_phrase}")
            await self._sleep(delay)

    async def _reconnect(self, call: _Call, failure: Exception) -> httpx.Response | None:
        """A new answer for a stream that failed before its first event, or None."""
        delay = self._retry_delay(call, None)
        if delay is None:
            return None
        self._log_retry(call, delay, str(_connection_error(failure, call.request)))
        await self._sleep(delay)
        return await self._send(call, stream=True)

    @staticmethod
    async def _aread(response: httpx.Response) -> None:
        try:
            await response.aread()
        except TRANSPORT_ERRORS as exc:
            raise _connection_error(exc, response.request) from exc
        finally:
            await response.aclose()

    # -- lifetime ------------------------------------------------------------------------

    def is_closed(self) -> bool:
        return self._http.is_closed

    async def close(self) -> None:
        """Close the HTTP connection pool, unless it was passed in as ``http_client`` (or
        this client is a copy)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


async def _aread_error_body(response: httpx.Response) -> bytes | None:
    try:
        return await response.aread()
    except TRANSPORT_ERRORS:
        return None
    finally:
        await response.aclose()


async def _aclose_body(request: httpx.Request) -> None:
    aclose = getattr(request.stream, "aclose", None)
    if aclose is not None:
        # Shielded: a cancelled call must still close the file its body opened.
        with anyio.CancelScope(shield=True):
            await aclose()


# ---------------------------------------------------------------- resources


class SyncAPIResource:
    """Base of the generated resource classes of :class:`SyncAPIClient`."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    """Base of the generated resource classes of :class:`AsyncAPIClient`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
