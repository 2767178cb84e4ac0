"""The runtime that every generated package carries.

Its modules are copied verbatim beside the generated ones, so they import each other
relatively and never import the generator. This file is not copied: it declares, once, the
names a generated package re-exports from its top level.
"""

from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StreamDecodeError,
    StreamError,
    StreamEventMismatchError,
    StreamIncompleteError,
    UnprocessableEntityError,
)
from ._files import FileTypes
from ._recording import AsyncRecordingTransport, RecordingTransport
from ._streaming import AsyncStream, Stream
from ._types import UNSET, UnknownEvent, Unset

__all__ = [
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AsyncRecordingTransport",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "FileTypes",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RecordingTransport",
    "Stream",
    "StreamDecodeError",
    "StreamError",
    "StreamEventMismatchError",
    "StreamIncompleteError",
    "UnknownEvent",
    "UnprocessableEntityError",
    "Unset",
]
