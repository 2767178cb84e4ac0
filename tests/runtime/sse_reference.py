"""A deliberately naive, whole-input event-stream parser used as a test oracle.

It follows the WHATWG HTML "Interpreting an event stream" steps literally over the complete
body (no chunking, no performance tricks), so the incremental reader can be compared with it.
Like the reader, it keeps ``data`` as raw bytes and decodes ``event`` / ``id`` as UTF-8 with
replacement characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True)
class Parsed:
    events: list[tuple[str | None, bytes, str | None, int | None]]
    pending: bool
    last_event_id: str | None
    retry: int | None


def parse(body: bytes) -> Parsed:
    if body.startswith(BOM):
        body = body[len(BOM) :]
    lines = _LINE_END.split(body)
    complete, rest = lines[:-1], lines[-1]

    events: list[tuple[str | None, bytes, str | None, int | None]] = []
    data: bytes | None = None  # None: no data line in this block
    event_type = ""
    id_buffer: str | None = None
    last_event_id: str | None = None
    reconnection: int | None = None
    block_retry: int | None = None
    block_open = False

    for line in complete:
        if line == b"":
            last_event_id = id_buffer
            if data is not None:
                events.append((event_type or None, data, id_buffer, block_retry))
            data = None
            event_type = ""
            block_retry = None
            block_open = False
            continue
        if line.startswith(b":"):
            continue
        block_open = True
        if b":" in line:
            name, _, value = line.partition(b":")
            if value.startswith(b" "):
                value = value[1:]
        else:
            name, value = line, b""
        field = name.decode("utf-8", "replace")
        if field == "data":
            data = value if data is None else data + b"\n" + value
        elif field == "event":
            event_type = value.decode("utf-8", "replace")
        elif field == "id":
            text = value.decode("utf-8", "replace")
            if "\x00" not in text:
                id_buffer = text
        elif field == "retry":
            text = value.decode("utf-8", "replace")
            if text and all(c in "0123456789" for c in text):
                reconnection = int(text)
                block_retry = reconnection

    pending = block_open or (rest != b"" and not rest.startswith(b":"))
    return Parsed(events, pending, last_event_id, reconnection)
