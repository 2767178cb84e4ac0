"""What every generated client shares: settings, authentication, sending, and error mapping."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

import attrs
import httpx

from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    ClientError,
    error_message,
    status_error_class,
)
from ._types import Unset

__all__ = ["DEFAULT_TIMEOUT", "AsyncClientBase", "ClientSettings", "SyncClientBase", "Timeout"]

T = TypeVar("T")
Timeout = float | httpx.Timeout | None
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

    def _prepare(self, request: httpx.Request, timeout: Timeout | Unset) -> httpx.Request:
        for name, value in self._headers.items():
            request.headers.setdefault(name, value)
        if self._api_key and self._settings.auth == "bearer":
            request.headers["Authorization"] = f"Bearer {self._api_key}"
        elif self._api_key and self._settings.auth == "header":
            request.headers[self._settings.auth_header] = self._api_key
        chosen = self._timeout if isinstance(timeout, Unset) else timeout
        request.extensions["timeout"] = httpx.Timeout(chosen).as_dict()
        return request

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
            body: object = response.json()
        except (ValueError, UnicodeDecodeError):
            body = response.text or None
        default = response.reason_phrase or f"HTTP {response.status_code}"
        message = error_message(body, default)
        return status_error_class(response.status_code)(message, response=response, body=body)

    def _decode(self, response: httpx.Response, decode: Callable[[Any, bool], T]) -> T:
        content_type = response.headers.get("content-type", "")
        if "json" not in content_type.lower():
            raise APIResponseValidationError(
                f"expected a JSON answer, got {content_type or 'no content type'!r}",
                response=response,
            )
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise APIResponseValidationError(
                f"invalid JSON in answer: {exc}", response=response
            ) from exc
        try:
            return decode(body, self.strict)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise APIResponseValidationError(
                f"answer does not match the spec: {exc}", response=response, body=body
            ) from exc


class SyncClientBase(_ClientCore):
    """Sends prepared requests with an ``httpx.Client`` and maps failures to typed errors."""

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

    def request_json(
        self, request: httpx.Request, decode: Callable[[Any, bool], T], *, timeout: Timeout | Unset
    ) -> T:
        return self._decode(self.send(request, timeout=timeout, stream=False), decode)

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


class AsyncClientBase(_ClientCore):
    """Sends prepared requests with an ``httpx.AsyncClient`` and maps failures to typed errors."""

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

    async def request_json(
        self, request: httpx.Request, decode: Callable[[Any, bool], T], *, timeout: Timeout | Unset
    ) -> T:
        return self._decode(await self.send(request, timeout=timeout, stream=False), decode)

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
