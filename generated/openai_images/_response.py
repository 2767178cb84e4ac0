"""The HTTP answer behind a call: ``client.<resource>.with_raw_response.<method>(...)`` and
``with_streaming_response``, as in the official OpenAI SDK.

* ``to_raw_response_wrapper(method)``: the body is read, the method returns a
  :class:`RawAPIResponse`: status, headers, ``content``, ``text``, ``json()``, and
  ``parse()`` for the value the plain method would have returned. ``parse()`` is a plain
  method for the sync and the async client alike (the body is already read), as in the SDK.
* ``to_streamed_response_wrapper(method)``: a context manager over an
  :class:`APIResponse` (:class:`AsyncAPIResponse`, whose methods are awaited) whose body is
  not read until asked (``iter_bytes()``, ``read()``, ``parse()``, ``stream_to_file()``) and
  is closed on exit. ``parse()`` of a binary answer gives its bytes, as in the SDK.
* :class:`BinaryResponseContent`: what a method whose answer is not JSON returns (a file, an
  audio clip): ``content``, ``text``, ``json()``, ``iter_bytes()``..., ``write_to_file()``.

The wrappers keep the method's parameters for type checkers (``ParamSpec``). They tell the
client which kind of answer is wanted through a context variable, set only while the
wrapped method runs, so the generated methods need no extra argument.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, Literal, ParamSpec, TypeVar, cast

import anyio
import httpx

from ._json import loads as json_loads

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "BinaryResponseContent",
    "RawAPIResponse",
    "ResponseContextManager",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "response_mode",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")
Mode = Literal["parse", "raw", "stream"]

_MODE: contextvars.ContextVar[Mode] = contextvars.ContextVar("response_mode", default="parse")


def response_mode() -> Mode:
    """``parse`` (a plain call), ``raw`` or ``stream`` (inside a wrapper)."""
    return _MODE.get()


class _BaseResponse(Generic[R]):
    http_response: httpx.Response
    retries_taken: int
    """How many times the request was retried before this answer (0: none)."""

    def __init__(self, response: httpx.Response, parse: Callable[[], Any], retries: int) -> None:
        self.http_response = response
        self.retries_taken = retries
        self._parse = parse
        self._parsed: list[R] = []

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        """Time from sending the request to closing the answer (once it is closed)."""
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.http_response.headers.get("x-request-id")
        return request_id

    def __repr__(self) -> str:
        response = self.http_response
        return f"<{type(self).__name__} [{response.status_code} {response.reason_phrase}]>"


class RawAPIResponse(_BaseResponse[R]):
    """The answer to a call made with ``with_raw_response``: its body is read."""

    def parse(self) -> R:
        """What the plain method returns (an event stream for ``stream=True`` calls); parsed
        once and kept."""
        if not self._parsed:
            self._parsed.append(cast(R, self._parse()))
        return self._parsed[0]

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> object:
        return json_loads(self.http_response.content)


class APIResponse(_BaseResponse[R]):
    """The answer to a call made with ``with_streaming_response``: its body is read when
    asked, and streamed by the ``iter_*`` methods."""

    def parse(self) -> R:
        """What the plain method returns (an event stream for ``stream=True`` calls; the
        bytes of a binary answer); parsed once and kept."""
        if not self._parsed:
            self._parsed.append(cast(R, _unwrap_binary(self._parse())))
        return self._parsed[0]

    def read(self) -> bytes:
        """The whole body."""
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> object:
        return json_loads(self.read())

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in pieces as it arrives, content-decoded (gzip, deflate...)."""
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` as it arrives, never holding more than a chunk."""
        with open(file, "wb") as out:
            for data in self.http_response.iter_bytes(chunk_size):
                out.write(data)

    def close(self) -> None:
        """Release the connection (reading the body to its end does it too)."""
        self.http_response.close()


class AsyncAPIResponse(_BaseResponse[R]):
    """:class:`APIResponse` for ``AsyncClient``."""

    async def parse(self) -> R:
        """What the plain method returns (the bytes of a binary answer); parsed once and
        kept."""
        if not self._parsed:
            self._parsed.append(cast(R, _unwrap_binary(await self._parse())))
        return self._parsed[0]

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> object:
        return json_loads(await self.read())

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` as it arrives, never holding more than a chunk."""
        async with await anyio.open_file(file, "wb") as out:
            async for data in self.http_response.aiter_bytes(chunk_size):
                await out.write(data)

    async def close(self) -> None:
        await self.http_response.aclose()


class BinaryResponseContent:
    """An answer that is not JSON (a file, an audio clip), read whole: ``content``, ``text``,
    ``json()``, the ``iter_*`` methods over the read body, and ``write_to_file()``.

    For bodies too large to hold, call the method through ``with_streaming_response`` and
    use ``stream_to_file()`` or ``iter_bytes()`` there.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def content(self) -> bytes:
        return self.response.content

    @property
    def text(self) -> str:
        return self.response.text

    @property
    def encoding(self) -> str | None:
        return self.response.encoding

    @property
    def charset_encoding(self) -> str | None:
        return self.response.charset_encoding

    def json(self, **kwargs: Any) -> Any:
        if kwargs:  # json.loads's own options: json reads it
            return json.loads(self.response.content, **kwargs)
        return json_loads(self.response.content)

    def read(self) -> bytes:
        return self.response.content

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.response.iter_lines()

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the body to ``file``."""
        with open(file, "wb") as out:
            out.write(self.response.content)

    def close(self) -> None:
        self.response.close()

    async def aread(self) -> bytes:
        return self.response.content

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        for data in self.response.iter_bytes(chunk_size):
            yield data

    async def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        for text in self.response.iter_text(chunk_size):
            yield text

    async def aiter_lines(self) -> AsyncIterator[str]:
        for line in self.response.iter_lines():
            yield line

    async def aclose(self) -> None:
        self.response.close()

    def __repr__(self) -> str:
        return f"<BinaryResponseContent [{len(self.response.content)} bytes]>"


def _unwrap_binary(value: Any) -> Any:
    return value.content if isinstance(value, BinaryResponseContent) else value


class ResponseContextManager(Generic[R]):
    """Makes the call on ``__enter__``; closes its answer on ``__exit__``."""

    def __init__(self, call: Callable[[], APIResponse[R]]) -> None:
        self._call = call
        self._response: APIResponse[R] | None = None

    def __enter__(self) -> APIResponse[R]:
        token = _MODE.set("stream")
        try:
            self._response = self._call()
        finally:
            _MODE.reset(token)
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


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


def to_raw_response_wrapper(method: Callable[P, R]) -> Callable[P, RawAPIResponse[R]]:
    """``method`` returning its :class:`RawAPIResponse` (body read) instead of the parsed
    value."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawAPIResponse[R]:
        token = _MODE.set("raw")
        try:
            return cast(RawAPIResponse[R], method(*args, **kwargs))
        finally:
            _MODE.reset(token)

    return wrapped


def async_to_raw_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[RawAPIResponse[R]]]:
    """:func:`to_raw_response_wrapper` for async methods: ``parse()`` is not awaited."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawAPIResponse[R]:
        token = _MODE.set("raw")
        try:
            return cast(RawAPIResponse[R], await method(*args, **kwargs))
        finally:
            _MODE.reset(token)

    return wrapped


def to_streamed_response_wrapper(
    method: Callable[P, R],
) -> Callable[P, ResponseContextManager[R]]:
    """``method`` as a context manager over its unread :class:`APIResponse`."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[R]:
        call = functools.partial(method, *args, **kwargs)
        return ResponseContextManager(cast(Callable[[], APIResponse[R]], call))

    return wrapped


def async_to_streamed_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, AsyncResponseContextManager[R]]:
    """:func:`to_streamed_response_wrapper` for async methods."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[R]:
        async def call() -> AsyncAPIResponse[R]:
            return cast(AsyncAPIResponse[R], await method(*args, **kwargs))

        return AsyncResponseContextManager(call)

    return wrapped
