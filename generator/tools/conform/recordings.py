"""Read recording files: ``http-recording/1`` (the runtime's codec) and HAR 1.2 (:mod:`.har`).

The format is detected from the content: a JSON object with ``"format"``, or one with
``"log"``. Both become :class:`Exchange` objects whose bodies are plain bytes, as the
application saw them (after ``Content-Encoding`` was undone, where it could be). Anything
unusable raises :class:`~generator.errors.GeneratorError` naming the file and the JSON
pointer (and line) at fault: every exchange of a file is read, and every problem reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import GeneratorError, Problem, pointer_join
from ...pipeline.load import read_source
from ...runtime._recording_format import (
    FORMAT,
    RecordingError,
    decode_exchange,
    exchanges_of,
    read_document,
)
from .exchanges import Exchange
from .har import read_har

__all__ = ["parse_recording", "read_recording"]


def read_recording(path: str | Path) -> list[Exchange]:
    """The exchanges of a recording file, ours or HAR, detected by content."""
    path = Path(path)
    return parse_recording(read_source(path), str(path))


def parse_recording(data: bytes | str, filename: str) -> list[Exchange]:
    """The exchanges of a recording given as JSON text."""
    try:
        document = read_document(data)
    except RecordingError as error:
        problem = Problem(filename, error.pointer, f"not a recording: {error.reason}", error.line)
        raise GeneratorError([problem]) from None
    if isinstance(document, dict) and "format" in document:
        exchanges, problems = _read_ours(document, filename)
    elif isinstance(document, dict) and isinstance(document.get("log"), dict):
        exchanges, problems = read_har(document["log"], filename)
    else:
        message = (
            f'unknown recording format: expected an object with "format": "{FORMAT}" '
            'or a HAR 1.2 archive (an object with "log")'
        )
        raise GeneratorError([Problem(filename, "", message)])
    if problems:
        raise GeneratorError(problems)
    return exchanges


def _read_ours(document: dict[str, Any], filename: str) -> tuple[list[Exchange], list[Problem]]:
    try:
        items = exchanges_of(document)
    except RecordingError as error:
        raise GeneratorError([Problem(filename, error.pointer, error.reason)]) from None
    exchanges: list[Exchange] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        try:
            exchange = decode_exchange(item, pointer_join("/exchanges", index))
        except RecordingError as error:
            problems.append(Problem(filename, error.pointer, error.reason))
            continue
        exchanges.append(
            Exchange(
                filename, index, "recording", exchange.request, exchange.response, exchange.error
            )
        )
    return exchanges, problems
