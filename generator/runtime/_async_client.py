# The source of _sync_client.py, which generator/tools/unasync.py derives from this file: the
# sync client is never written by hand. A line ending in "# async only" (with the block it
# opens) is left out of it; one ending in "# sync: CODE" becomes CODE there.
""":class:`AsyncAPIClient` and what its calls return: sending with retries, event streams,
pages, raw and streaming responses.

A generated ``AsyncClient`` subclasses :class:`AsyncAPIClient`, with its
:class:`~._client_core.ClientSettings` as the class attribute ``_settings``, plus one cached
property per resource. Its methods call :meth:`AsyncAPIClient.request` (or
:meth:`AsyncAPIClient.request_page` for list operations) with an :class:`~._build.Endpoint`
and the caller's arguments by wire name. What a call returns: the parsed answer, typed
events (:class:`AsyncStream`), pages (:class:`AsyncCursorPage`, :class:`AsyncPage`), or,
inside ``with_raw_response`` / ``with_streaming_response``, the answer itself
(:class:`~._response.RawAPIResponse`, :class:`AsyncAPIResponse`).

Retries (see :mod:`._retries` for the policy): each call is tried up to ``max_retries + 1``
times; every attempt sends the same body (paths reopened, seekable files rewound; a body
holding a non-seekable file object is sent once and never retried), the retry-count header
and, when the settings name one, the same idempotency key. Waits go through the client's
``_sleep`` (``anyio.sleep``), which tests may replace. An event stream is retried only before
its first event.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import os
import sys
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from types import TracebackType
from typing import Any, Generic, Literal, ParamSpec, Self, TypeVar, Unpack, cast, overload

import anyio
import anyio.to_thread
import httpx

from ._build import Endpoint
from ._client_core import (
    TRANSPORT_ERRORS,
    RequestOptions,
    Timeout,
    _Call,
    _client_timeout,
    _ClientCore,
    _closed_error,
    _connection_error,
    _http_defaults,
    _status_error,
)
from ._errors import ResponseBodyError
from ._events import _END, EventSchema, _Marker
from ._pagination import _BasePage, _CursorMixin
from ._response import (
    _MODE,
    RawAPIResponse,
    _BaseResponse,
    _unwrap_binary,
    answer_json,
    response_mode,
)
from ._retries import DEFAULT_MAX_RETRIES
from ._streaming import _DOC, _ERROR_BODY_LIMIT, _READ_ERRORS, _direct, _StreamBase
from ._types import UNSET, UnknownEvent, Unset

__all__ = [
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AsyncAPIResponse",
    "AsyncCursorPage",
    "AsyncPage",
    "AsyncPaginator",  # async only
    "AsyncResponseContextManager",
    "AsyncStream",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")
E = TypeVar("E")
T = TypeVar("T")

AsyncReconnect = Callable[[Exception], Awaitable[httpx.Response | None]]


# ---------------------------------------------------------------- the client


class _AsyncClosing:
    """``async with`` closes what it opened: a client, a stream."""

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class AsyncAPIClient(_AsyncClosing, _ClientCore):
    """Sends requests with an ``httpx.AsyncClient``, retrying as configured, and maps
    failures to typed errors.

    Options (the official SDK's names): ``api_key`` (a string, or a callable returning one,
    called for each attempt; for the async client also an awaitable one; or ``username``
    and ``password`` where the API uses basic authentication), ``base_url``,
    ``timeout`` (seconds or ``httpx.Timeout``), ``max_retries`` (0 turns retries off),
    ``default_headers``, ``default_query``, ``http_client``; for event streams,
    ``event_timeout`` (the longest wait for the next event; default: the read timeout) and
    ``stream_timeout`` (a whole stream; default: none). The client config may add arguments
    that become headers (``organization=`` → ``OpenAI-Organization``). An ``Authorization``
    header set by the caller (``default_headers`` or per call ``extra_headers``) is sent
    instead of the key.

    An ``http_client`` passed in stays the caller's: :meth:`close` leaves it open. Waits
    between attempts use ``anyio.sleep``.
    """

    _sleep: Callable[[float], Awaitable[object]]

    @staticmethod  # async only
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
        stream: Literal[False] = False,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    async def request(
        self, endpoint: Endpoint[R, E], *, stream: Literal[True], **options: Unpack[RequestOptions]
    ) -> AsyncStream[E]: ...

    @overload
    async def request(
        self, endpoint: Endpoint[R, E], *, stream: bool, **options: Unpack[RequestOptions]
    ) -> R | AsyncStream[E]: ...

    async def request(
        self, endpoint: Endpoint[R, E], *, stream: bool = False, **options: Unpack[RequestOptions]
    ) -> R | AsyncStream[E]:
        """Send one call of ``endpoint`` (its parameters, body and per-call options as
        :class:`~._client_core.RequestOptions` says): its answer parsed, or its event stream.

        Inside ``with_raw_response`` the result is a :class:`~._response.RawAPIResponse`
        (its ``parse()`` is a plain method, as in the SDK), inside
        ``with_streaming_response`` an :class:`AsyncAPIResponse`; the ``parse()`` of each
        gives that value.
        """
        self._warn_deprecated(endpoint, options)
        mode = response_mode()
        call = await self._acall(endpoint, options)
        if stream:
            self._prepare_stream(call)
        response = await self._send(call, stream=stream or mode == "stream")
        if mode == "raw":  # the body is read
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
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[T, AsyncCursorPage[T]]: ...

    @overload
    def request_page(
        self,
        endpoint: Endpoint[T, Any],
        page: type[AsyncPage[Any]],
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[T, AsyncPage[T]]: ...

    def request_page(
        self,
        endpoint: Endpoint[T, Any],
        page: type[AsyncCursorPage[Any]] | type[AsyncPage[Any]],
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[T, AsyncCursorPage[T]] | AsyncPaginator[T, AsyncPage[T]]:
        """Send one call of a list operation (``endpoint.page`` says how it pages): its first
        page, of class ``page``. Later pages repeat the call with the cursor parameter added
        to the query. A generated list method (its Endpoint typed ``Endpoint[Item, Never]``)::

            def list(self, *, after: str | Unset = UNSET, ..., extra_headers=..., timeout=...)
                    -> AsyncPaginator[Item, AsyncCursorPage[Item]]:
                return self._client.request_page(_LIST, AsyncCursorPage, query={"after": after},
                                                 extra_headers=extra_headers, ...)
        """
        self._warn_deprecated(endpoint, options)

        async def first(more: Mapping[str, object] | None = None) -> Any:
            mode = response_mode()
            call = await self._acall(endpoint, options, more)
            response = await self._send(call, stream=mode == "stream")
            if mode == "raw":  # the body is read
                read = functools.partial(self._make_page, endpoint, page, response, first)
                return RawAPIResponse(response, read, call.retries_taken)
            result = functools.partial(self._page_result, endpoint, page, response, first)
            if mode == "parse":
                return await result()
            return AsyncAPIResponse(response, result, call.retries_taken)

        return AsyncPaginator(first)  # sync: return cast(SyncCursorPage[T], first())

    async def _result(
        self, endpoint: Endpoint[Any, Any], call: _Call, response: httpx.Response, stream: bool
    ) -> Any:
        if stream:
            return self._stream(endpoint, call, response)
        await self._aread(response)
        return self._parse(endpoint, response)

    def _read_result(
        self, endpoint: Endpoint[Any, Any], call: _Call, response: httpx.Response, stream: bool
    ) -> Any:
        """:meth:`_result` for an answer whose body is read (or a stream)."""
        if stream:
            return self._stream(endpoint, call, response)
        return self._parse(endpoint, response)

    async def _page_result(
        self, endpoint: Endpoint[Any, Any], page: type[Any], response: httpx.Response, fetch: Any
    ) -> Any:
        await self._aread(response)
        return self._make_page(endpoint, page, response, fetch)

    def _stream(
        self, endpoint: Endpoint[Any, E], call: _Call, response: httpx.Response
    ) -> AsyncStream[E]:
        event_timeout, stream_timeout = call.stream_bounds
        return AsyncStream(
            response,
            self._events(endpoint),
            strict=self.strict,
            reconnect=functools.partial(self._reconnect, call),
            event_timeout=event_timeout,
            stream_timeout=stream_timeout,
        )

    async def _acall(self, *arguments: Any) -> _Call:  # async only
        # Building touches the disk for files (stat, sniffing): keep it off the event loop.
        return await anyio.to_thread.run_sync(functools.partial(self._call, *arguments))

    # -- sending -------------------------------------------------------------------------

    async def _key(self) -> str | None:
        key = self._api_key
        if callable(key):
            key = key()
            if inspect.isawaitable(key):  # async only
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
        """Read a body that was left unread (``with_streaming_response``)."""
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


async def _aread_error_body(response: httpx.Response) -> bytes | None:
    try:
        return await response.aread()
    except TRANSPORT_ERRORS:
        return None  # the status error is raised without the body
    finally:
        await response.aclose()


async def _aclose_body(request: httpx.Request) -> None:
    aclose = getattr(request.stream, "aclose", None)
    if aclose is not None:
        # Shielded: a cancelled call must still close the file its body opened.  # async only
        with anyio.CancelScope(shield=True):  # sync: close()
            await aclose()  # async only


class AsyncAPIResource:
    """Base of the generated resource classes of :class:`AsyncAPIClient`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client


# ---------------------------------------------------------------- event streams


class AsyncStream(_AsyncClosing, _StreamBase[T]):
    __doc__ = "A typed server-sent event stream over an ``httpx.AsyncClient`` response." + _DOC

    def __init__(
        self,
        response: httpx.Response,
        schema: EventSchema[T],
        *,
        strict: bool = False,
        reconnect: AsyncReconnect | None = None,
        event_timeout: float | None = None,
        stream_timeout: float | None = None,
    ) -> None:
        super().__init__(response, schema, strict, event_timeout, stream_timeout)
        self._reconnect = reconnect
        self._iterator = self._iterate()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    def with_unknown(self) -> AsyncStream[T | UnknownEvent]:
        """This stream, also yielding events of types the spec does not know (as
        ``UnknownEvent``) from now on: ``async for event in stream.with_unknown(): ...``."""
        self._decoder.include_unknown = True
        return cast("AsyncStream[T | UnknownEvent]", self)

    async def aclose(self) -> None:
        """Stop reading and close the response (idempotent)."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def close(self) -> None:  # async only
        """Alias of :meth:`aclose`."""
        await self.aclose()

    async def until_done(self) -> T:
        """Read the whole stream and return its terminal event.

        With an empty ``terminal`` in the schema, returns the last event instead.
        """
        async for _ in self:
            pass
        return self._decoder.result()

    async def _iterate(self) -> AsyncGenerator[T, None]:
        decoder = self._decoder
        try:
            while True:
                response = self.response
                if not decoder.is_event_stream():
                    raise decoder.not_event_stream(await _aread_some(response))
                reader = self._reader
                try:
                    async for sse in reader.aiter_events(_achunks(response), self._deadline):
                        item = decoder.decode(sse)
                        if isinstance(item, _Marker):
                            if item is _END:
                                decoder.check_complete(pending=False)
                                return
                            continue
                        self._deadline.event()
                        yield item
                except TRANSPORT_ERRORS as exc:
                    again = await self._retry(exc)
                    if again is None:
                        raise decoder.connection_failed(exc) from exc
                    self._switch(again)
                    continue
                decoder.check_complete(reader.finish())
                return
        finally:
            await self.response.aclose()

    async def _retry(self, exc: Exception) -> httpx.Response | None:
        """A new answer when nothing was delivered yet and the client retries, else None."""
        if self._decoder.count or self._reconnect is None:
            return None
        await self.response.aclose()
        return await self._reconnect(exc)


def _achunks(response: httpx.Response) -> AsyncIterable[bytes]:
    """The body's chunks, straight from the transport's stream where it can be (see
    :func:`~._streaming._direct`)."""
    stream = _direct(response) if isinstance(response.stream, httpx.AsyncByteStream) else None
    if isinstance(stream, httpx.AsyncByteStream):
        return stream
    return response.aiter_bytes()


async def _aread_some(response: httpx.Response) -> bytes:
    """Up to about ``_ERROR_BODY_LIMIT`` bytes of the body, for an error message."""
    body = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) >= _ERROR_BODY_LIMIT:
                break
    except _READ_ERRORS:
        pass  # the message is best effort; the error raised is about the content-type
    return bytes(body[:_ERROR_BODY_LIMIT])


# ---------------------------------------------------------------- pages


class _AsyncBasePage(_BasePage[T]):
    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:  # sync: yield from page.data
                yield item  # async only

    async def iter_pages(self) -> AsyncIterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def get_next_page(self) -> Self:
        return cast(Self, await self._fetch(self._next_params()))


class AsyncPage(_AsyncBasePage[T]):
    """A list answer that is not paginated: its ``data`` is everything."""


class AsyncCursorPage(_CursorMixin[T], _AsyncBasePage[T]):
    """One page of a cursor-paginated list; iterating it walks every later page too."""


PageT = TypeVar("PageT", bound=_AsyncBasePage[Any])  # async only


class AsyncPaginator(Generic[T, PageT]):  # async only
    """What an async list method returns: ``await`` it for the first page, or ``async for``
    over it for every item of every page. It makes the call when awaited, so neither
    ``request_page`` nor the generated list method is a coroutine function, and
    ``async for item in client.things.list()`` works."""

    def __init__(self, get_page: Callable[[], Awaitable[PageT]]) -> None:
        self._get_page = get_page

    def __await__(self) -> Generator[Any, None, PageT]:
        return self._get_page().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self
        async for item in page:
            yield cast(T, item)


# ---------------------------------------------------------------- responses


class AsyncAPIResponse(_BaseResponse[R]):
    """The answer to a call made with ``with_streaming_response``: its body is read when
    asked, and streamed by the ``iter_*`` methods."""

    async def parse(self) -> R:
        """What the plain method returns (an event stream for ``stream=True`` calls; the
        bytes of a binary answer); parsed once and kept."""
        if not self._parsed:
            self._parsed.append(cast(R, _unwrap_binary(await self._parse())))
        return self._parsed[0]

    async def read(self) -> bytes:
        """The whole body."""
        with _reading(self.http_response):
            return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> object:
        await self.read()
        return answer_json(self.http_response)

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in pieces as it arrives, content-decoded (gzip, deflate...)."""
        return _reading_all(self.http_response, self.http_response.aiter_bytes(chunk_size))

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return _reading_all(self.http_response, self.http_response.aiter_text(chunk_size))

    def iter_lines(self) -> AsyncIterator[str]:
        return _reading_all(self.http_response, self.http_response.aiter_lines())

    async def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` as it arrives, never holding more than a chunk."""
        async with await anyio.open_file(file, "wb") as out:
            async for data in self.iter_bytes(chunk_size):
                await out.write(data)

    async def close(self) -> None:
        """Release the connection (reading the body to its end does it too)."""
        await self.http_response.aclose()


@contextlib.contextmanager
def _reading(response: httpx.Response) -> Iterator[None]:
    """Failures while reading an answer's body, as the package's errors."""
    try:
        yield
    except TRANSPORT_ERRORS as exc:
        raise _connection_error(exc, response.request) from exc
    except httpx.StreamError as exc:  # streamed once already, or closed
        raise ResponseBodyError(f"the answer's body cannot be read: {exc}") from exc


async def _reading_all(response: httpx.Response, pieces: AsyncIterator[T]) -> AsyncIterator[T]:
    with _reading(response):
        async for piece in pieces:  # sync: yield from pieces
            yield piece  # async only


class AsyncResponseContextManager(Generic[R]):
    """Makes the call on ``__aenter__``; closes its answer on ``__aexit__``."""

    def __init__(self, call: Callable[[], Awaitable[AsyncAPIResponse[R]]]) -> None:
        self._call = call
        self._response: AsyncAPIResponse[R] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[R]:
        token = _MODE.set("stream")
        try:
            self._response = await self._call()
        finally:
            _MODE.reset(token)
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


def async_to_raw_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[RawAPIResponse[R]]]:
    """``method`` returning its :class:`~._response.RawAPIResponse` (body read) instead of
    the parsed value; its ``parse()`` is a plain method."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawAPIResponse[R]:
        token = _MODE.set("raw")
        try:
            return cast(RawAPIResponse[R], await method(*args, **kwargs))
        finally:
            _MODE.reset(token)

    return wrapped


def async_to_streamed_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, AsyncResponseContextManager[R]]:
    """``method`` as a context manager over its unread :class:`AsyncAPIResponse`."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[R]:
        async def call() -> AsyncAPIResponse[R]:
            return cast(AsyncAPIResponse[R], await method(*args, **kwargs))

        return AsyncResponseContextManager(call)

    return wrapped
