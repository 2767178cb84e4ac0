"""Test helper: answer requests with the recorded responses of an ``http-recording/1`` file.

Reads the file with the runtime's codec (``_recording_format.load_recording``), so what is
replayed is exactly what a reader of the format gets.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import httpx

from generator.runtime._recording_format import RecordedExchange, RecordedResponse, load_recording

__all__ = ["ReplayError", "ReplayTransport", "response_of"]

# Recorded bodies are stored decoded: these headers would describe other bytes.
_NOT_REPLAYED = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class ReplayError(LookupError):
    """A request that the recording being replayed has no (more) answers for."""


class ReplayTransport(httpx.MockTransport):
    """Answers requests with the recorded responses of a recording, for both clients.

    Each request gets the response of the first exchange not yet replayed with the same
    method and URL path; :class:`ReplayError` is raised when there is none. ``requests``
    lists what was asked.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._exchanges = [e for e in load_recording(path) if e.response is not None]
        self._used = [False] * len(self._exchanges)
        self._lock = threading.Lock()
        self.requests: list[httpx.Request] = []
        super().__init__(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            for index, exchange in enumerate(self._exchanges):
                if self._used[index] or exchange.request.method != request.method:
                    continue
                if httpx.URL(exchange.request.url).path != request.url.path:
                    continue
                self._used[index] = True
                return response_of(exchange)
        raise ReplayError(f"no recorded answer left for {request.method} {request.url.path}")


def response_of(exchange: RecordedExchange) -> httpx.Response:
    """The ``httpx.Response`` that an exchange of a recording holds."""
    recorded: RecordedResponse | None = exchange.response
    assert recorded is not None, "the exchange has no response"
    headers = [
        (name, value)
        for name, value in recorded.headers
        if recorded.content_encoding or name.lower() not in _NOT_REPLAYED
    ]
    extensions: dict[str, Any] = {}
    if recorded.reason:
        extensions["reason_phrase"] = recorded.reason.encode("ascii", "replace")
    if recorded.http_version:
        extensions["http_version"] = recorded.http_version.encode("ascii", "replace")
    return httpx.Response(
        recorded.status, headers=headers, content=recorded.body or b"", extensions=extensions
    )
