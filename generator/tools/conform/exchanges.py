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
    """The exchange's index in its file's array; for NDJSON, its line number."""
    kind: str  # "recording", "har" or "ndjson"
    request: RecordedRequest
    response: RecordedResponse | None
    error: str | None = None

    @property
    def pointer(self) -> str:
        """Where the exchange is in its file."""
        if self.kind == "har":
            return pointer_join("/log/entries", self.index)
        if self.kind == "ndjson":
            return ""  # the line is the place
        return pointer_join("/exchanges", self.index)

    @property
    def label(self) -> str:
        what = {"har": "HAR entry", "ndjson": "line"}.get(self.kind, "exchange")
        try:
            path = self.request.path
        except ValueError:  # an exchange made in code, with a URL no file would pass
            path = self.request.url
        return f"{what} {self.index} ({self.request.method} {path})"
