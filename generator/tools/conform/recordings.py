"""Read recording files: ``http-recording/1`` (the runtime's codec), NDJSON of its exchanges
(one per line), and HAR 1.2 (:mod:`.har`).

The format is detected from the content: an object with ``"exchanges"`` (and
``"format"``), or one with ``"log"``. Both become :class:`Exchange` objects whose bodies are
plain bytes, as the application saw them (after ``Content-Encoding`` was undone, where it
could be).

A recording is data, not a spec: it is streamed (:mod:`.jsonstream`), one exchange at a
time, in memory bounded by its largest exchange, and no size limit applies to it. Only a
regular file is read. Anything unusable is a :class:`~generator.errors.Problem` naming the
file and the JSON pointer (or, for text that is not JSON, the line): every exchange of a
file is read, and every problem reported.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ...errors import GeneratorError, Problem, pointer_join
from ...pipeline.inputfiles import open_regular
from ...runtime._recording_format import (
    FORMAT,
    RecordingError,
    decode_exchange,
    exchanges_of,
)
from .exchanges import Exchange
from .har import HarReader
from .jsonstream import JsonStream, JsonStreamError

__all__ = [
    "NDJSON_SUFFIXES",
    "is_ndjson",
    "iter_ndjson",
    "iter_recording",
    "iter_recording_range",
    "parse_recording",
    "read_recording",
]

_UNKNOWN = (
    f'unknown recording format: expected an object with "format": "{FORMAT}" '
    'or a HAR 1.2 archive (an object with "log")'
)


def read_recording(path: str | Path) -> list[Exchange]:
    """The exchanges of a recording file, ours or HAR, detected by content; a
    :class:`GeneratorError` with every problem if any exchange is unusable."""
    problems: list[Problem] = []
    exchanges = list(iter_recording(path, problems))
    if problems:
        raise GeneratorError(problems)
    return exchanges


def parse_recording(data: bytes | str, filename: str) -> list[Exchange]:
    """The exchanges of a recording given as JSON text."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    problems: list[Problem] = []
    exchanges = list(_Reader(io.BytesIO(raw), filename, problems).exchanges())
    if problems:
        raise GeneratorError(problems)
    return exchanges


def iter_recording(
    path: str | Path, problems: list[Problem], shown: str | None = None
) -> Iterator[Exchange]:
    """Each usable exchange of a recording file, as it is read; the problems of the others
    (and of the file as a whole) are added to ``problems``. A file that cannot be opened
    raises :class:`GeneratorError`. NDJSON is told by the name (``.ndjson``, ``.jsonl``) or
    by a first line that is one whole exchange. ``shown``: the name the exchanges and
    problems give the file (default: ``path``)."""
    name = str(path) if shown is None else shown
    with open_regular(path, name) as file:
        if is_ndjson(str(path), file):
            yield from iter_ndjson(file, name, problems)
        else:
            yield from _Reader(file, name, problems).exchanges()


def iter_recording_range(
    path: str | Path, start: int, end: int, line: int, problems: list[Problem], shown: str
) -> Iterator[Exchange]:
    """The exchanges of the NDJSON lines that start in bytes ``[start, end)`` of a file, the
    first of them being line ``line``: one worker's share of a large file."""
    with open_regular(path, shown) as file:
        file.seek(start)
        yield from iter_ndjson(file, shown, problems, first_line=line, end=end - start)


NDJSON_SUFFIXES = (".ndjson", ".jsonl")
_SNIFF = 1 << 20  # how much of a first line is read to tell NDJSON by content


def is_ndjson(name: str, file: BinaryIO) -> bool:
    """Whether a file is NDJSON: by its name, else by a first line that is a whole JSON
    object with a ``request`` (a recording or a HAR starts with an object of their own)."""
    if name.lower().endswith(NDJSON_SUFFIXES):
        return True
    if not file.seekable():
        return False
    start = file.tell()
    first = file.readline(_SNIFF)
    file.seek(start)
    if not first.strip() or not first.endswith(b"\n"):
        return False
    try:
        node = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(node, dict) and "request" in node and "exchanges" not in node


def iter_ndjson(
    file: BinaryIO,
    filename: str,
    problems: list[Problem],
    *,
    first_line: int = 1,
    end: int | None = None,
) -> Iterator[Exchange]:
    """One exchange per line (the ``http-recording/1`` exchange object), blank lines
    skipped; ``end``: stop before the line that starts ``end`` bytes from here. Memory is
    bounded by the longest line. An exchange's index is its line number."""
    number = first_line - 1
    read = 0
    for raw in file:
        if end is not None and read >= end:
            break
        read += len(raw)
        number += 1
        if not raw.strip():
            continue
        try:
            node = json.loads(raw)
        except RecursionError:
            problems.append(Problem(filename, "", "JSON nested too deeply to read", number))
            continue
        except ValueError as exc:  # UnicodeDecodeError too
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            problems.append(Problem(filename, "", f"not a recording line: invalid JSON: {reason}",
                                    number))  # fmt: skip
            continue
        try:
            recorded = decode_exchange(node, "")
        except RecordingError as error:
            problems.append(Problem(filename, error.pointer, error.reason, number))
            continue
        yield Exchange(
            filename, number, "ndjson", recorded.request, recorded.response, recorded.error
        )


class _Reader:
    def __init__(self, file: BinaryIO, filename: str, problems: list[Problem]) -> None:
        self.stream = JsonStream(file)
        self.filename = filename
        self.problems = problems

    def exchanges(self) -> Iterator[Exchange]:
        try:
            yield from self._document()
        except JsonStreamError as error:
            self.problems.append(
                Problem(self.filename, "", f"not a recording: {error.reason}", error.line)
            )

    def _document(self) -> Iterator[Exchange]:
        stream = self.stream
        if stream.peek() != "{":
            stream.value()  # a syntax error, if that is what it is
            self._problem("", _UNKNOWN)
            return
        found: str | None = None  # "ours" or "har", by the first member that says
        format_value: Any = None
        for key in stream.members():
            if key == "format" and found != "har":
                format_value = stream.value()
                found = "ours"
                if not self._format_ok(format_value):
                    return
            elif key == "exchanges" and found != "har":
                if stream.peek() != "[":
                    stream.skip()
                    self._problem("/exchanges", "expected an array of exchanges")
                    return
                found = "ours"
                yield from self._ours()
            elif key == "log" and found is None and stream.peek() == "{":
                found = "har"
                yield from self._har()
            else:
                stream.skip()
        stream.finish()
        if found is None or (found == "ours" and format_value is None):
            self._problem("", _UNKNOWN)

    def _format_ok(self, value: Any) -> bool:
        try:
            exchanges_of({"format": value, "exchanges": []})
        except RecordingError as error:
            self._problem(error.pointer, error.reason)
            return False
        return True

    def _ours(self) -> Iterator[Exchange]:
        for index in self.stream.items():
            pointer = pointer_join("/exchanges", index)
            try:  # the decoded JSON is dropped as soon as the exchange is made from it
                recorded = decode_exchange(self.stream.value(), pointer)
            except RecordingError as error:
                self._problem(error.pointer, error.reason)
                continue
            yield Exchange(
                self.filename, index, "recording", recorded.request, recorded.response,
                recorded.error,
            )  # fmt: skip

    def _har(self) -> Iterator[Exchange]:
        reader = HarReader(self.filename, self.problems)
        seen_entries = False
        for key in self.stream.members():
            if key != "entries":
                self.stream.skip()
                continue
            seen_entries = True
            if self.stream.peek() != "[":
                self.stream.skip()
                self._problem("/log/entries", "expected an array of HAR entries")
                continue
            for index in self.stream.items():
                exchange = reader.entry_or_none(self.stream.value(), index)
                if exchange is not None:
                    yield exchange
        if not seen_entries:
            self._problem("/log/entries", "expected an array of HAR entries")

    def _problem(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.filename, pointer, message))
