"""Every exception this package raises, rooted at :class:`ClientError`.

Kept free of heavy imports (httpx is needed only for type checking), so that a module
importing only models pays nothing for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ClientError",
    "ConflictError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "NoNextPageError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseBodyError",
    "ResponseNotJSONError",
    "StreamConnectionError",
    "StreamDecodeError",
    "StreamError",
    "StreamEventMismatchError",
    "StreamIncompleteError",
    "StreamTimeoutError",
    "UnprocessableEntityError",
    "status_error_class",
]


class ClientError(Exception):
    """Root of every exception this package raises."""


class ClientClosedError(ClientError, RuntimeError):
    """The client was closed, or its connection pool was, or (async) the event loop its
    connections belong to has ended: make a new client."""


class InvalidArgumentError(ClientError, ValueError):
    """An argument the client refuses before sending anything (an empty path parameter, a
    negative ``max_retries``, a model built with properties its rules forbid together)."""


class InvalidArgumentTypeError(ClientError, TypeError):
    """An argument of a type the client does not take (a ``str`` where a file goes, a
    keyword the call does not know, a value that cannot be sent as JSON), refused before
    anything is sent."""


class NoNextPageError(ClientError, RuntimeError):
    """``get_next_page()`` on the last page: check ``has_next_page()`` first."""


class ResponseBodyError(ClientError, RuntimeError):
    """An answer's body asked for when it can no longer be read (``with_streaming_response``):
    it was streamed once already, or its response is closed."""


MAX_MESSAGE = 2000
"""Characters of an error's ``message`` (and so of ``str(error)``): a longer one (a server
that puts a 10 MB text in its error) is cut, saying how much was left out. ``body`` keeps
all of it."""


def bounded(message: str) -> str:
    """``message``, cut to :data:`MAX_MESSAGE` characters."""
    if len(message) <= MAX_MESSAGE:
        return message
    note = f"... ({len(message) - MAX_MESSAGE + 100:,} more characters; see .body)"
    return message[: MAX_MESSAGE - 100] + note


class APIError(ClientError):
    """A request to the API did not produce a usable answer.

    ``body`` is the server's error object when there is one (the ``error`` member of an
    ``{"error": {...}}`` answer), else the answer's text, else None; ``code``, ``type`` and
    ``param`` are read from it. ``message`` is at most :data:`MAX_MESSAGE` characters.
    """

    message: str
    request: httpx.Request | None
    body: object | None
    code: str | None
    type: str | None
    param: str | None

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, body: object | None = None
    ) -> None:
        message = bounded(message)
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body
        fields = body if isinstance(body, dict) else {}
        code = fields.get("code")
        numeric = isinstance(code, int) and not isinstance(code, bool)
        self.code = str(code) if isinstance(code, str) or numeric else None
        self.type = _optional_str(fields.get("type"))
        self.param = _optional_str(fields.get("param"))


class APIStatusError(APIError):
    """The server answered with a non-2xx status.

    ``str(error)`` is ``Error code: <status> - <the server's message>``; ``message`` is the
    server's message alone.
    """

    status_code: int
    response: httpx.Response
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, request=response.request, body=_error_object(body) or body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")

    def __str__(self) -> str:
        suffix = f" (request_id={self.request_id})" if self.request_id else ""
        return f"Error code: {self.status_code} - {self.message}{suffix}"


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429."""


class InternalServerError(APIStatusError):
    """HTTP 5xx."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for a non-2xx status code."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status_code, APIStatusError)


class APIConnectionError(APIError):
    """The request could not reach the server, or the connection failed."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, *, request: httpx.Request, message: str = "Request timed out.") -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """A 2xx answer that does not match what the spec promises, or that cannot be read."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None = None
    ) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class StreamError(APIError):
    """An event stream could not be read to its end."""


class StreamIncompleteError(StreamError):
    """The stream ended before it was complete (mid-event, or with no final event)."""

    events_received: int

    def __init__(
        self, message: str, *, events_received: int, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)
        self.events_received = events_received


class StreamConnectionError(StreamIncompleteError, APIConnectionError):
    """The connection failed in the middle of an event stream (an ``APIConnectionError``)."""

    def __init__(self, message: str, *, events_received: int, request: httpx.Request) -> None:
        APIError.__init__(self, message, request=request)
        self.events_received = events_received


class StreamTimeoutError(StreamConnectionError, APITimeoutError):
    """An event stream timed out before its end (an ``APITimeoutError``)."""


class StreamDecodeError(StreamError, APIResponseValidationError):
    """An event's data was not valid UTF-8, not valid JSON, or does not match the spec
    (an ``APIResponseValidationError``)."""

    event_index: int
    excerpt: str

    def __init__(
        self,
        message: str,
        *,
        event_index: int,
        excerpt: str,
        response: httpx.Response | None = None,
    ) -> None:
        APIError.__init__(self, message, request=response.request if response else None)
        if response is not None:
            self.response = response
            self.status_code = response.status_code
        self.event_index = event_index
        self.excerpt = excerpt


class StreamEventMismatchError(StreamError):
    """Strict mode: the SSE ``event:`` name disagrees with the payload's discriminator."""

    event_index: int

    def __init__(self, message: str, *, event_index: int) -> None:
        super().__init__(message)
        self.event_index = event_index


class ResponseNotJSONError(APIResponseValidationError, ValueError):
    """``json()`` of an answer whose body is not JSON (also a ``ValueError``, as
    ``json.JSONDecodeError`` is)."""


class APIStreamError(APIError):
    """The server reported an error inside an event stream; ``body`` is its error object."""

    def __init__(self, message: str, *, body: object | None) -> None:
        super().__init__(message, body=_error_object(body) or body)


def _error_object(body: object | None) -> dict[str, Any]:
    """The ``error`` object of an error body, or the body itself when it is flat."""
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict):
            return inner
        return body
    return {}


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def error_message(body: object | None, default: str) -> str:
    """The server's message from an error body, or ``default``."""
    message = _error_object(body).get("message")
    if isinstance(message, str) and message:
        return message
    return default
