"""What every generated client shares: settings, authentication, sending, decoding answers,
and mapping failures to typed errors."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Literal, Self, TypeVar, cast, overload

import anyio.to_thread
import attrs
import httpx

from ._build import ArrayFormat, Endpoint, build_request
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    ClientError,
    error_message,
    status_error_class,
)
from ._models import DecodeError, decode, decode_event
from ._streaming import AsyncStream, EventSchema, Stream
from ._types import UNSET, Unset

__all__ = [
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "Body",
    "ClientSettings",
    "Headers",
    "Query",
    "SyncAPIClient",
    "SyncAPIResource",
    "Timeout",
]

R = TypeVar("R")
E = TypeVar("E")
Timeout = float | httpx.Timeout | None
Headers = Mapping[str, str]
Query = Mapping[str, object]
Body = Mapping[str, object]
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)


@attrs.frozen
class ClientSettings:
    """Facts from the spec and its config that a client needs at run time."""

    default_base_url: str
    api_key_env: str
    base_url_env: str
    auth: Literal["bearer", "header", "none"]
    auth_header: str
    user_agent: str
    array_format: ArrayFormat = "repeat"


class _ClientCore:
    """Configuration and the pure steps of a call, shared by the sync and async clients."""

    base_url: str
    strict: bool

    def __init__(
        self,
        settings: ClientSettings,
        *,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout,
        default_headers: Mapping[str, str] | None,
        strict: bool,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get(settings.api_key_env)
        if settings.auth != "none" and not api_key:
            raise ClientError(
                f"No API key: pass api_key= or set the {settings.api_key_env} environment variable."
            )
        self._settings = settings
        self._api_key = api_key
        url = base_url or os.environ.get(settings.base_url_env) or settings.default_base_url
        self.base_url = str(url).rstrip("/")
        self._timeout = timeout
        self._headers = {"User-Agent": settings.user_agent, **(default_headers or {})}
        self.strict = strict

    def __repr__(self) -> str:  # never show the API key
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _build(
        self,
        endpoint: Endpoint[Any, Any],
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        body: Any,
        extra_headers: Headers | None,
        extra_query: Query | None,
        extra_body: Body | None,
    ) -> httpx.Request:
        request = build_request(
            endpoint,
            base_url=self.base_url,
            path=path,
            query={**(query or {}), **(extra_query or {})},
            headers=headers,
            body=body,
            extra_body=extra_body,
            array_format=self._settings.array_format,
        )
        accept = "text/event-stream" if endpoint.events and not endpoint.returns else None
        request.headers.setdefault("Accept", accept or "application/json")
        request.headers.update(extra_headers or {})
        return request

    def _prepare(self, request: httpx.Request, timeout: Timeout | Unset) -> httpx.Request:
        for name, value in self._headers.items():
            request.headers.setdefault(name, value)
        if self._api_key and self._settings.auth == "bearer":
            request.headers.setdefault("Authorization", f"Bearer {self._api_key}")
        elif self._api_key and self._settings.auth == "header":
            request.headers.setdefault(self._settings.auth_header, self._api_key)
        chosen = self._timeout if isinstance(timeout, Unset) else timeout
        request.extensions["timeout"] = httpx.Timeout(chosen).as_dict()
        return request

    def _events(self, endpoint: Endpoint[Any, E]) -> EventSchema[E]:
        events = endpoint.events
        assert events is not None, "the operation does not answer with an event stream"
        strict = self.strict
        return EventSchema(
            parse=lambda name, data: decode_event(events.type, data, event=name, strict=strict),
            discriminator=events.discriminator,
            terminal=events.terminal,
        )

    @staticmethod
    def _connection_error(exc: httpx.TransportError, request: httpx.Request) -> ClientError:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(request=request)
        return APIConnectionError(f"Connection error: {exc}" if str(exc) else "Connection error.",
                                  request=request)  # fmt: skip

    @staticmethod
    def _status_error(response: httpx.Response) -> ClientError:
        """The typed error for a non-2xx answer whose body has been read."""
        try:
            body: object = json.loads(response.content)
        except (ValueError, RecursionError):
            body = response.text or None
        default = response.reason_phrase or f"HTTP {response.status_code}"
        message = error_message(body, default)
        return status_error_class(response.status_code)(message, response=response, body=body)

    def _parse(self, endpoint: Endpoint[R, Any], response: httpx.Response) -> R:
        """The answer as the operation's type: JSON decoded and checked, else text or bytes."""
        returns = endpoint.returns
        if returns is None:
            return cast(R, None)
        if returns is bytes:
            return cast(R, response.content)
        media = response.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media != "application/json" and not media.endswith("+json"):
            if returns is str:
                return cast(R, response.text)
            raise APIResponseValidationError(
                f"expected a JSON answer, got {media or 'no content type'!r}", response=response
            )
        try:
            body = json.loads(response.content)
        except (ValueError, RecursionError) as exc:
            raise APIResponseValidationError(
                f"invalid JSON in answer: {exc}", response=response
            ) from exc
        try:
            return cast(R, decode(returns, body, strict=self.strict))
        except DecodeError as exc:
            raise APIResponseValidationError(
                f"answer does not match the spec: {exc}", response=response, body=body
            ) from exc


class SyncAPIClient(_ClientCore):
    """Sends requests with an ``httpx.Client`` and maps failures to typed errors."""

    def __init__(
        self,
        settings: ClientSettings,
        *,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout,
        http_client: httpx.Client | None,
        default_headers: Mapping[str, str] | None,
        strict: bool,
    ) -> None:
        super().__init__(settings, api_key=api_key, base_url=base_url, timeout=timeout,
                         default_headers=default_headers, strict=strict)  # fmt: skip
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)

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
    ) -> R | Stream[E]:
        """Send one call of ``endpoint``: its answer parsed, or its event stream."""
        request = self._build(endpoint, path, query, headers, body, extra_headers, extra_query,
                              extra_body)  # fmt: skip
        response = self.send(request, timeout=timeout, stream=stream)
        if stream:
            return Stream(response, self._events(endpoint), strict=self.strict)
        return self._parse(endpoint, response)

    def send(
        self, request: httpx.Request, *, timeout: Timeout | Unset, stream: bool
    ) -> httpx.Response:
        """Send; raise a typed error for transport failures and non-2xx answers."""
        request = self._prepare(request, timeout)
        try:
            response = self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise self._connection_error(exc, request) from exc
        if not response.is_success or not stream:
            try:
                response.read()
            except httpx.TransportError as exc:
                raise self._connection_error(exc, request) from exc
            finally:
                response.close()
            if not response.is_success:
                raise self._status_error(response)
        return response

    def close(self) -> None:
        """Close the HTTP connection pool, unless it was passed in as ``http_client``."""
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


class AsyncAPIClient(_ClientCore):
    """Sends requests with an ``httpx.AsyncClient`` and maps failures to typed errors."""

    def __init__(
        self,
        settings: ClientSettings,
        *,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout,
        http_client: httpx.AsyncClient | None,
        default_headers: Mapping[str, str] | None,
        strict: bool,
    ) -> None:
        super().__init__(settings, api_key=api_key, base_url=base_url, timeout=timeout,
                         default_headers=default_headers, strict=strict)  # fmt: skip
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)

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
    ) -> R | AsyncStream[E]:
        """Send one call of ``endpoint``: its answer parsed, or its event stream."""
        # Building touches the disk for files (stat, sniffing): keep it off the event loop.
        build = functools.partial(self._build, endpoint, path, query, headers, body)
        request = await anyio.to_thread.run_sync(build, extra_headers, extra_query, extra_body)
        response = await self.send(request, timeout=timeout, stream=stream)
        if stream:
            return AsyncStream(response, self._events(endpoint), strict=self.strict)
        return self._parse(endpoint, response)

    async def send(
        self, request: httpx.Request, *, timeout: Timeout | Unset, stream: bool
    ) -> httpx.Response:
        """Send; raise a typed error for transport failures and non-2xx answers."""
        request = self._prepare(request, timeout)
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise self._connection_error(exc, request) from exc
        if not response.is_success or not stream:
            try:
                await response.aread()
            except httpx.TransportError as exc:
                raise self._connection_error(exc, request) from exc
            finally:
                await response.aclose()
            if not response.is_success:
                raise self._status_error(response)
        return response

    async def close(self) -> None:
        """Close the HTTP connection pool, unless it was passed in as ``http_client``."""
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


class SyncAPIResource:
    """Base of the generated resource classes of :class:`SyncAPIClient`."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    """Base of the generated resource classes of :class:`AsyncAPIClient`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
