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

This module holds what the sync and async clients share; the wrappers, ``APIResponse`` and
``AsyncAPIResponse`` are in :mod:`._sync_client` and :mod:`._async_client`.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Generic, Literal, TypeVar, cast

import httpx

from ._errors import ResponseNotJSONError
from ._json import loads as json_loads

__all__ = ["BinaryResponseContent", "RawAPIResponse", "response_mode"]

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
        return answer_json(self.http_response)


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
        return answer_json(self.response, **kwargs)

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


def answer_json(response: httpx.Response, **kwargs: Any) -> Any:
    """The read body of ``response`` as JSON (``kwargs`` go to ``json.loads``); a body that
    is not JSON raises :class:`ResponseNotJSONError`."""
    try:
        if kwargs:  # json.loads's own options: json reads it
            return json.loads(response.content, **kwargs)
        return json_loads(response.content)
    except (ValueError, RecursionError) as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        raise ResponseNotJSONError(f"the answer is not JSON: {detail}", response=response) from exc


def _unwrap_binary(value: Any) -> Any:
    return value.content if isinstance(value, BinaryResponseContent) else value
