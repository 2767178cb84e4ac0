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

import asyncio
import functools
import inspect
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Literal, Self, TypeVar, cast, overload

import anyio
import anyio.to_thread
import httpx

from ._build import Endpoint
from ._client_core import (
    DEFAULT_CONNECTION_LIMITS,
    DEFAULT_TIMEOUT,
    AuthScheme,
    Body,
    ClientHeader,
    ClientSettings,
    Headers,
    Query,
    Timeout,
    _Call,
    _client_timeout,
    _ClientCore,
    _closed_error,
    _connection_error,
    _http_defaults,
    _status_error,
)
from ._errors import TRANSPORT_ERRORS
from ._pagination import AsyncCursorPage, AsyncPage, AsyncPaginator, SyncCursorPage, SyncPage
from ._response import APIResponse, AsyncAPIResponse, RawAPIResponse, response_mode
from ._retries import DEFAULT_MAX_RETRIES
from ._streaming import AsyncStream, Stream
from ._types import UNSET, Unset

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AuthScheme",
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


# ---------------------------------------------------------------- sync


class SyncAPIClient(_ClientCore):
    """Sends requests with an ``httpx.Client``, retrying as configured, and maps failures to
    typed errors.

    Options (the official SDK's names): ``api_key`` (a string, or a callable returning one,
    called for each attempt; or ``username`` and ``password`` where the API uses basic
    authentication), ``base_url``, ``timeout`` (seconds or ``httpx.Timeout``),
    ``max_retries`` (0 turns retries off), ``default_headers``, ``default_query``,
    ``http_client``; for event streams, ``event_timeout`` (the longest wait for the next
    event; default: the read timeout) and ``stream_timeout`` (a whole stream; default: none).
    The client config may add arguments that become headers
    (``organization=`` → ``OpenAI-Organization``). An ``Authorization`` header set by the
    caller (``default_headers`` or per call ``extra_headers``) is sent instead of the key.

    An ``http_client`` passed in stays the caller's: :meth:`close` leaves it open.
    """

    _sleep: Callable[[float], object]

    def __init__(
        self,
        *,
        api_key: str | Callable[[], str] | None = None,
        username: str | None = None,
        password: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        strict: bool = False,
        event_timeout: float | Unset | None = UNSET,
        stream_timeout: float | None = None,
        **client_headers: str | None,
    ) -> None:
        timeout = _client_timeout(timeout, http_client)
        self._configure(api_key=api_key, username=username, password=password,
                        base_url=base_url, timeout=timeout,
                        max_retries=max_retries, default_headers=default_headers,
                        default_query=default_query, strict=strict,
                        event_timeout=event_timeout, stream_timeout=stream_timeout,
                        client_headers=client_headers)  # fmt: skip
        self._owns_http = http_client is None
        self._closed = False
        self._http = http_client or httpx.Client(**_http_defaults(timeout))
        self._sleep = time.sleep

    def copy(
        self,
        *,
        api_key: str | Callable[[], str] | None = None,
        username: str | None = None,
        password: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        strict: bool | None = None,
        event_timeout: float | Unset | None = UNSET,
        stream_timeout: float | Unset | None = UNSET,
        **client_headers: str | None,
    ) -> Self:
        """A client with these options changed and the rest kept, sharing the connection
        pool (unless ``http_client`` is given). Closing the copy leaves the pool open."""
        options = self._options(api_key=api_key, username=username, password=password,
                                base_url=base_url, timeout=timeout,
                                max_retries=max_retries, default_headers=default_headers,
                                set_default_headers=set_default_headers,
                                default_query=default_query, set_default_query=set_default_query,
                                strict=strict, event_timeout=event_timeout,
                                stream_timeout=stream_timeout,
                                client_headers=client_headers)  # fmt: skip
        clone = object.__new__(type(self))
        clone._configure(client_headers=options.pop("client_headers"), **options)
        clone._owns_http = False
        clone._closed = False
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

        Inside ``with_raw_response`` the result is a :class:`~._response.RawAPIResponse`,
        inside ``with_streaming_response`` an :class:`~._response.APIResponse`; the
        ``parse()`` of each gives that value.
        """
        self._warn_deprecated(endpoint, path, query, headers, body)
        mode = response_mode()
        call = self._call(endpoint, path, query, headers, body, extra_headers, extra_query,
                          extra_body, timeout, max_retries)  # fmt: skip
        if stream:
            self._prepare_stream(call)
        response = self._send(call, stream=stream or mode == "stream")
        result = functools.partial(self._result, endpoint, call, response, stream)
        if mode == "parse":
            return cast(R, result())
        answer = RawAPIResponse if mode == "raw" else APIResponse
        return cast(R, answer(response, result, call.retries_taken))

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
        self._warn_deprecated(endpoint, path, query, headers, body)
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
        answer = RawAPIResponse if mode == "raw" else APIResponse
        return cast(SyncCursorPage[T], answer(response, result, call.retries_taken))

    def _result(
        self, endpoint: Endpoint[Any, Any], call: _Call, response: httpx.Response, stream: bool
    ) -> Any:
        if stream:
            reconnect = functools.partial(self._reconnect, call)
            event_timeout, stream_timeout = call.stream_bounds
            return Stream(response, self._events(endpoint), strict=self.strict,
                          reconnect=reconnect, event_timeout=event_timeout,
                          stream_timeout=stream_timeout)  # fmt: skip
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
            self._check_open()
            try:
                response = self._http.send(request, stream=True)
                if response.is_success and not stream:
                    try:
                        response.read()
                    finally:
                        response.close()
            except TRANSPORT_ERRORS as exc:
                failure = exc
            except RuntimeError as exc:
                raise _closed_error(exc) from exc
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
        """Whether :meth:`close` was called, or the connection pool is closed."""
        return self._closed or self._http.is_closed

    def close(self) -> None:
        """Close the client, and its HTTP connection pool unless it was passed in as
        ``http_client`` (or this client is a copy). Calls made afterwards raise
        :class:`ClientClosedError`."""
        self._closed = True
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

    @staticmethod
    def _async_library() -> str:
        try:
            asyncio.get_running_loop()
            return "async:asyncio"
        except RuntimeError:  # trio, or headers read outside an event loop
            return "async:trio" if "trio" in sys.modules else "async:unknown"

    def __init__(
        self,
        *,
        api_key: str | Callable[[], str | Awaitable[str]] | None = None,
        username: str | None = None,
        password: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        strict: bool = False,
        event_timeout: float | Unset | None = UNSET,
        stream_timeout: float | None = None,
        **client_headers: str | None,
    ) -> None:
        timeout = _client_timeout(timeout, http_client)
        self._configure(api_key=api_key, username=username, password=password,
                        base_url=base_url, timeout=timeout,
                        max_retries=max_retries, default_headers=default_headers,
                        default_query=default_query, strict=strict,
                        event_timeout=event_timeout, stream_timeout=stream_timeout,
                        client_headers=client_headers)  # fmt: skip
        self._owns_http = http_client is None
        self._closed = False
        self._http = http_client or httpx.AsyncClient(**_http_defaults(timeout))
        self._sleep = anyio.sleep

    def copy(
        self,
        *,
        api_key: str | Callable[[], str | Awaitable[str]] | None = None,
        username: str | None = None,
        password: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        strict: bool | None = None,
        event_timeout: float | Unset | None = UNSET,
        stream_timeout: float | Unset | None = UNSET,
        **client_headers: str | None,
    ) -> Self:
        """A client with these options changed and the rest kept, sharing the connection
        pool (unless ``http_client`` is given). Closing the copy leaves the pool open."""
        options = self._options(api_key=api_key, username=username, password=password,
                                base_url=base_url, timeout=timeout,
                                max_retries=max_retries, default_headers=default_headers,
                                set_default_headers=set_default_headers,
                                default_query=default_query, set_default_query=set_default_query,
                                strict=strict, event_timeout=event_timeout,
                                stream_timeout=stream_timeout,
                                client_headers=client_headers)  # fmt: skip
        clone = object.__new__(type(self))
        clone._configure(client_headers=options.pop("client_headers"), **options)
        clone._owns_http = False
        clone._closed = False
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

        Inside ``with_raw_response`` the result is a :class:`~._response.RawAPIResponse`
        (its ``parse()`` is not awaited), inside ``with_streaming_response`` an
        :class:`~._response.AsyncAPIResponse`; the ``parse()`` of each gives that value.
        """
        self._warn_deprecated(endpoint, path, query, headers, body)
        mode = response_mode()
        call = await self._acall(endpoint, path, query, headers, body, extra_headers,
                                 extra_query, extra_body, timeout, max_retries)  # fmt: skip
        if stream:
            self._prepare_stream(call)
        response = await self._send(call, stream=stream or mode == "stream")
        if mode == "raw":  # the body is read: parse() needs no await, as in the SDK
            read = functools.partial(self._read_result, endpoint, call, response, stream)
            return cast(R, RawAPIResponse(response, read, call.retries_taken))
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
        self._warn_deprecated(endpoint, path, query, headers, body)

        async def first(extra: Mapping[str, object] | None = None) -> Any:
            mode = response_mode()
            query_extra = {**(extra_query or {}), **(extra or {})}
            call = await self._acall(endpoint, path, query, headers, body, extra_headers,
                                     query_extra, extra_body, timeout, max_retries)  # fmt: skip
            response = await self._send(call, stream=mode == "stream")

            async def result() -> Any:
                await self._aread(response)
                return self._make_page(endpoint, page, response, first)

            if mode == "raw":  # the body is read
                read = functools.partial(self._make_page, endpoint, page, response, first)
                return RawAPIResponse(response, read, call.retries_taken)
            if mode == "parse":
                return await result()
            return AsyncAPIResponse(response, result, call.retries_taken)

        return AsyncPaginator(first)

    async def _result(
        self, endpoint: Endpoint[Any, Any], call: _Call, response: httpx.Response, stream: bool
    ) -> Any:
        if stream:
            reconnect = functools.partial(self._reconnect, call)
            event_timeout, stream_timeout = call.stream_bounds
            return AsyncStream(response, self._events(endpoint), strict=self.strict,
                               reconnect=reconnect, event_timeout=event_timeout,
                               stream_timeout=stream_timeout)  # fmt: skip
        await self._aread(response)
        return self._parse(endpoint, response)

    def _read_result(
        self, endpoint: Endpoint[Any, Any], call: _Call, response: httpx.Response, stream: bool
    ) -> Any:
        """:meth:`_result` for an answer whose body is read (or a stream): no await."""
        if stream:
            reconnect = functools.partial(self._reconnect, call)
            return AsyncStream(response, self._events(endpoint), strict=self.strict,
                               reconnect=reconnect)  # fmt: skip
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
            self._check_open()
            try:
                response = await self._http.send(request, stream=True)
                if response.is_success and not stream:
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
            except TRANSPORT_ERRORS as exc:
                failure = exc
            except RuntimeError as exc:
                raise _closed_error(exc) from exc
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
        """Whether :meth:`close` was called, or the connection pool is closed."""
        return self._closed or self._http.is_closed

    async def close(self) -> None:
        """Close the client, and its HTTP connection pool unless it was passed in as
        ``http_client`` (or this client is a copy). Calls made afterwards raise
        :class:`ClientClosedError`."""
        self._closed = True
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
