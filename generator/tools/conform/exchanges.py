"""An exchange read from a file: the runtime's recorded request and response, and where
they came from."""

from __future__ import annotations

import attrs

from ...errors import pointer_join
from ...runtime._recording_format import RecordedRequest, RecordedResponse

__all__ = ["Exchange", "RecordedRequest", "RecordedResponse"]


@attrs.frozen
class Exchange:
    """One request and its response (or the error that stopped it), from a file."""

    file: str
    index: int
    kind: str  # "recording" or "har"
    request: RecordedRequest
    response: RecordedResponse | None
    error: str | None = None

    @property
    def pointer(self) -> str:
        """Where the exchange is in its file."""
        if self.kind == "har":
            return pointer_join("/log/entries", self.index)
        return pointer_join("/exchanges", self.index)

    @property
    def label(self) -> str:
        what = "HAR entry" if self.kind == "har" else "exchange"
        try:
            path = self.request.path
        except ValueError:  # an exchange made in code, with a URL no file would pass
            path = self.request.url
        return f"{what} {self.index} ({self.request.method} {path})"
