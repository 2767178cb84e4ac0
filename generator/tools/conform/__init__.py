"""Check recorded HTTP exchanges (``http-recording/1`` files or HAR 1.2) against a spec.

* :mod:`.recordings` streams a file (ours through the runtime's codec, :mod:`.har` for HAR)
  into :class:`~.exchanges.Exchange` objects, one at a time (:mod:`.jsonstream`);
* :mod:`.schemas` compiles the spec's schemas into validators (dialect, ``nullable``, and
  discriminators read by ``pipeline/discriminators.py``, as ``generate`` reads them);
* :mod:`.checker` checks one exchange against the IR of the spec (built as ``generate``
  builds it) and its schemas: :mod:`.routes` finds its operation, :mod:`.forms` reads form
  bodies, :mod:`.media` content codings, and the runtime's ``_protocol`` decides statuses,
  media kinds and the end of an event stream, as the client does; it reports the
  :class:`~.findings.Finding` objects of :mod:`.findings`;
* :mod:`.cli` is ``python -m generator conform``; :mod:`.live` replays requests, without
  the recorded credentials.

The recorder that writes ``http-recording/1`` files (``generator/runtime/_recording.py``)
and the one codec of the format (``_recording_format.py``) live in the runtime; multipart
bodies are read by the runtime's ``_multipart.parse_multipart``.
"""

from __future__ import annotations

from .checker import Checker
from .exchanges import Exchange, RecordedRequest, RecordedResponse
from .findings import ExchangeReport, Finding
from .recordings import read_recording

__all__ = [
    "Checker",
    "Exchange",
    "ExchangeReport",
    "Finding",
    "RecordedRequest",
    "RecordedResponse",
    "read_recording",
]
