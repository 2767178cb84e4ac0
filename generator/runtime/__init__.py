"""The runtime that every generated package carries.

Its modules are copied verbatim beside the generated ones, so they import each other
relatively and never import the generator. This file is not copied: it declares, once, the
names a generated package re-exports from its top level.
"""

from ._base_client import DEFAULT_CONNECTION_LIMITS, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ClientError,
    ConflictError,
    InternalServerError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StreamConnectionError,
    StreamDecodeError,
    StreamError,
    StreamEventMismatchError,
    StreamIncompleteError,
    StreamTimeoutError,
    UnprocessableEntityError,
)
from ._files import FileTypes
from ._images import asave_images, save_images
from ._pagination import AsyncCursorPage, AsyncPage, SyncCursorPage, SyncPage
from ._recording import AsyncRecordingTransport, RecordingTransport
from ._response import APIResponse, AsyncAPIResponse, BinaryResponseContent, RawAPIResponse
from ._streaming import AsyncStream, Stream
from ._types import UNSET, UnknownEvent, Unset
from ._webhooks import InvalidWebhookSignatureError, WebhookPayloadError

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncCursorPage",
    "AsyncPage",
    "AsyncRecordingTransport",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BinaryResponseContent",
    "ClientClosedError",
    "ClientError",
    "ConflictError",
    "FileTypes",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidWebhookSignatureError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawAPIResponse",
    "RecordingTransport",
    "Stream",
    "StreamConnectionError",
    "StreamDecodeError",
    "StreamError",
    "StreamEventMismatchError",
    "StreamIncompleteError",
    "StreamTimeoutError",
    "SyncCursorPage",
    "SyncPage",
    "UnknownEvent",
    "UnprocessableEntityError",
    "Unset",
    "WebhookPayloadError",
    "asave_images",
    "save_images",
]
