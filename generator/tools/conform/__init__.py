"""Check recorded HTTP exchanges (``http-recording/1`` files or HAR 1.2) against a spec.

* :mod:`.recording` reads recordings into :class:`~.recording.Exchange` objects;
* :mod:`.schemas` compiles the spec's schemas into validators (dialect, ``nullable``,
  discriminators);
* :mod:`.checker` checks one exchange and reports :class:`~.checker.Finding` objects;
* :mod:`.cli` is ``python -m generator conform``.

The recorder that writes ``http-recording/1`` files lives in the generated package
(``templates/runtime/_recording.py``).
"""

from __future__ import annotations

from .checker import Checker, ExchangeReport, Finding
from .recording import Exchange, RecordedRequest, RecordedResponse, read_recording

__all__ = [
    "Checker",
    "Exchange",
    "ExchangeReport",
    "Finding",
    "RecordedRequest",
    "RecordedResponse",
    "read_recording",
]
