"""The runtime that every generated package carries.

Its modules are copied verbatim beside the generated ones, so they import each other
relatively and never import the generator. This file is not copied: it declares, once, the
names a generated package re-exports from its top level.
"""

from ._async_client import AsyncAPIResponse, AsyncCursorPage, AsyncPage, AsyncStream
from ._client_core import DEFAULT_CONNECTION_LIMITS, DEFAULT_TIMEOUT
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
    InvalidArgumentTypeError,
    NoNextPageError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseBodyError,
    ResponseNotJSONError,
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
from ._recording import AsyncRecordingTransport, RecordingTransport
from ._response import BinaryResponseContent, RawAPIResponse
from ._retries import DEFAULT_MAX_RETRIES
from ._sync_client import APIResponse, Stream, SyncCursorPage, SyncPage
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
    "InvalidArgumentTypeError",
    "InvalidWebhookSignatureError",
    "NoNextPageError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawAPIResponse",
    "RecordingTransport",
    "ResponseBodyError",
    "ResponseNotJSONError",
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
