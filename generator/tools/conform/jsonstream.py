"""Read one JSON document from a file in bounded memory: the outer objects and arrays member
by member, each value inside them decoded whole.

A recording or a HAR is one object holding one long array of exchanges; this reader walks
the object and the array, and decodes each exchange with :mod:`json`'s own decoder
(``raw_decode``), so that what it accepts, and the line it names for a syntax error, are
exactly :func:`json.loads`'s. Memory is bounded by the largest single value, never by the
file: text already decoded is dropped as the reader moves on.

``ijson`` was considered: its item API builds a prefix string per nesting level, and a
100,000-deep array (a hostile recording) ran a 24 GB machine out of memory.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

__all__ = ["JsonStream", "JsonStreamError"]

_CHUNK = 1 << 16
_WHITESPACE = " \t\n\r"
_NEAR_END = 8  # a syntax error this close to the end of the text read may be a cut token


class JsonStreamError(ValueError):
    """The text is not JSON (or not the shape asked for): a reason and the line."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.reason = reason
        self.line = line


class JsonStream:
    """A pull reader over one JSON document; see the module docstring."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._decode = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self._decoder = json.JSONDecoder()
        self._text = ""
        self._pos = 0
        self._lines_before = 0  # line feeds in the text already dropped
        self._eof = False

    # -- structure ----------------------------------------------------------------------------

    def peek(self) -> str | None:
        """The first character of the next value (after whitespace), or None at the end."""
        while True:
            text, pos = self._text, self._pos
            while pos < len(text) and text[pos] in _WHITESPACE:
                pos += 1
            self._pos = pos
            if pos < len(text):
                return text[pos]
            if not self._more(_CHUNK):
                return None

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here; after each, read or :meth:`skip` its value."""
        self._expect("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self._error("Expecting property name enclosed in double quotes")
            key = self.value()
            self._expect(":")
            yield key
            if self._next_of(",}") == "}":
                return

    def items(self) -> Iterator[int]:
        """The indexes of the array that starts here; after each, read or skip its item."""
        self._expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            if self._next_of(",]") == "]":
                return

    def value(self) -> Any:
        """The next value, decoded whole."""
        if self.peek() is None:
            raise self._error("Expecting value")
        while True:
            start = self._pos
            try:
                value, end = self._decoder.raw_decode(self._text, start)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self._text) - _NEAR_END
                cut = near_end or exc.msg.startswith("Unterminated string")
                # Cut by the end of the text read so far: read as much again, three times over,
                # so that a long value is decoded only a few times.
                if cut and self._more(max(_CHUNK, 3 * (len(self._text) - start))):
                    continue
                raise self._error(exc.msg, exc.pos) from None
            except RecursionError:
                raise JsonStreamError("JSON nested too deeply to read", self._deep_line()) from None
            if end == len(self._text) and self._more(_CHUNK):
                continue  # a number may go on in the next chunk
            self._pos = end
            self._drop_read_text()
            return value

    def skip(self) -> None:
        """Read past the next value; an array or object member by member, so that skipping
        a long array stays in bounded memory."""
        first = self.peek()
        if first == "[":
            for _ in self.items():
                self.value()
        elif first == "{":
            for _ in self.members():
                self.value()
        else:
            self.value()

    def finish(self) -> None:
        """Check that nothing but whitespace follows the document."""
        if self.peek() is not None:
            raise self._error("Extra data")

    @property
    def line(self) -> int:
        """The line of the next value."""
        return self._lines_before + self._text.count("\n", 0, self._pos) + 1

    # -- internals ----------------------------------------------------------------------------

    def _expect(self, char: str) -> None:
        if self.peek() != char:
            raise self._error(f"Expecting {char!r}")
        self._pos += 1

    def _next_of(self, chars: str) -> str:
        found = self.peek()
        if found is None or found not in chars:
            delimiter = "','" if chars[0] == "," else repr(chars[0])
            raise self._error(f"Expecting {delimiter} delimiter or {chars[1]!r}")
        self._pos += 1
        return found

    def _more(self, at_least: int) -> bool:
        """Read at least ``at_least`` more bytes (fewer at the end); False at the end."""
        if self._eof:
            return False
        data = self._file.read(at_least)
        try:
            text = self._decode.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise JsonStreamError(f"not UTF-8 text: {exc.reason}", self.line) from None
        if not data:
            self._eof = True
        self._text += text
        return bool(data) or bool(text)

    def _drop_read_text(self) -> None:
        if self._pos > _CHUNK and self._pos * 2 > len(self._text):
            self._lines_before += self._text.count("\n", 0, self._pos)
            self._text = self._text[self._pos :]
            self._pos = 0

    def _error(self, reason: str, pos: int | None = None) -> JsonStreamError:
        at = self._pos if pos is None else pos
        line = self._lines_before + self._text.count("\n", 0, at) + 1
        return JsonStreamError(f"invalid JSON: {reason}", line)

    def _deep_line(self, limit: int = 500) -> int:
        """The line where the value being read first nests ``limit`` levels deep."""
        depth = 0
        tokens = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
        for match in tokens.finditer(self._text, self._pos):
            token = match.group()
            if token in "[{":
                depth += 1
                if depth >= limit:
                    return self._lines_before + self._text.count("\n", 0, match.start()) + 1
            elif token in "]}":
                depth -= 1
        return self.line
