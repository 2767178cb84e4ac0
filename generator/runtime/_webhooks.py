"""Webhook requests an API sends: their signatures, and their typed events.

Signatures follow the Standard Webhooks scheme (the one the OpenAI API uses): the
``webhook-signature`` header holds one or more ``v1,<base64>`` HMAC-SHA256 signatures of
``"<webhook-id>.<webhook-timestamp>.<body>"``, keyed with the secret (``whsec_<base64>``, or
the raw secret), and the timestamp must be recent.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from ._errors import ClientError
from ._json import loads as json_loads
from ._models import DecodeError, decode_event
from ._types import UnknownEvent

__all__ = ["InvalidWebhookSignatureError", "WebhookPayloadError", "Webhooks", "verify_signature"]

E = TypeVar("E")

DEFAULT_TOLERANCE = 300
"""How old (or how far in the future) a webhook's timestamp may be, in seconds."""


class InvalidWebhookSignatureError(ClientError, ValueError):
    """A webhook request's signature is missing, malformed, stale or does not match."""


class WebhookPayloadError(ClientError, ValueError):
    """A webhook body that is not JSON, or not one of the events the spec describes."""


def verify_signature(
    payload: str | bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Raise :class:`InvalidWebhookSignatureError` unless ``payload`` carries a valid, recent
    signature made with ``secret``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    webhook_id = lowered.get("webhook-id")
    timestamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not webhook_id or not timestamp or not signatures:
        raise InvalidWebhookSignatureError(
            "missing webhook-id, webhook-timestamp or webhook-signature header"
        )
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise InvalidWebhookSignatureError("the webhook-timestamp header is not a number") from None
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        raise InvalidWebhookSignatureError("the webhook timestamp is outside the tolerance")
    body = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
    signed = f"{webhook_id}.{sent_at}.{body}".encode()
    expected = base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest())
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return
    raise InvalidWebhookSignatureError("no webhook signature matches")


def _key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidWebhookSignatureError("the webhook secret is not valid base64") from None
    return secret.encode()


class Webhooks(Generic[E]):
    """``client.webhooks``: the typed events of webhook requests (``E``), checked against the
    secret given, or else the one in the environment variable ``_secret_env``."""

    _event: ClassVar[Any]  # the annotation of one event
    _secret_env: ClassVar[str]

    def unwrap(
        self,
        payload: str | bytes,
        headers: Mapping[str, str],
        *,
        secret: str | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
    ) -> E | UnknownEvent:
        """Check the request's signature, then parse its body into its typed event."""
        self.verify_signature(payload, headers, secret=secret, tolerance=tolerance)
        return self.parse_event(payload)

    def verify_signature(
        self,
        payload: str | bytes,
        headers: Mapping[str, str],
        *,
        secret: str | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
    ) -> None:
        """Raise :class:`InvalidWebhookSignatureError` unless the request was signed with the
        secret."""
        secret = secret or os.environ.get(self._secret_env)
        if not secret:
            raise InvalidWebhookSignatureError(
                f"no webhook secret: pass secret= or set the {self._secret_env} environment "
                "variable"
            )
        verify_signature(payload, headers, secret, tolerance=tolerance)

    def parse_event(self, payload: str | bytes | Mapping[str, Any]) -> E | UnknownEvent:
        """The typed event of a webhook body, without checking its signature. An event type
        this client does not know yet is an :class:`~._types.UnknownEvent`."""
        try:
            data = payload if isinstance(payload, Mapping) else json_loads(payload)
            result: E | UnknownEvent = decode_event(self._event, data, event=None)
        except (ValueError, RecursionError) as exc:  # DecodeError and JSONDecodeError too
            detail = str(exc) if isinstance(exc, DecodeError) else type(exc).__name__
            raise WebhookPayloadError(f"the webhook body is not a valid event: {detail}") from None
        return result
