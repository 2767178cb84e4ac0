"""The runtime that every generated package carries.

Its modules are copied verbatim beside the generated ones, so they import each other
relatively and never import the generator. This file is not copied: it declares, once, the
names a generated package re-exports from its top level (``PUBLIC``, by module).
"""

from . import _errors

PUBLIC: dict[str, tuple[str, ...]] = {
    "_async_client": ("AsyncAPIResponse", "AsyncCursorPage", "AsyncPage", "AsyncStream"),
    "_client_core": ("DEFAULT_CONNECTION_LIMITS", "DEFAULT_TIMEOUT"),
    # Every exception class of the error tree (its other names are helpers).
    "_errors": tuple(name for name in _errors.__all__ if name.endswith("Error")),
    "_files": ("FileTypes",),
    "_images": ("asave_images", "save_images"),
    "_recording": ("AsyncRecordingTransport", "RecordingTransport"),
    "_response": ("BinaryResponseContent", "RawAPIResponse"),
    "_retries": ("DEFAULT_MAX_RETRIES",),
    "_sync_client": ("APIResponse", "Stream", "SyncCursorPage", "SyncPage"),
    "_types": ("UNSET", "UnknownEvent", "Unset"),
    "_webhooks": ("InvalidWebhookSignatureError", "WebhookPayloadError"),
}

__all__ = sorted(name for names in PUBLIC.values() for name in names)
