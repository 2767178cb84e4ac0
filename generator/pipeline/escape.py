"""Spec text made safe for generated code.

Descriptions, names and values from a spec are data, never code: they reach a generated
module only through :func:`docstring` (escaped and wrapped) or :func:`literal` (``repr``), or
:func:`comment` for the header line.
"""

from __future__ import annotations

import json
import re
from typing import Any

DOC_WIDTH = 88


def escape_docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring: backslashes, quotes and controls escaped."""
    text = text.replace("\\", "\\\\")
    if not text.isprintable():  # the rare text with controls (or newlines): char by char
        out = []
        for char in text:
            if char == "\n" or char.isprintable():
                out.append(char)
            else:
                code = ord(char)
                out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                           if code < 0x10000 else f"\\U{code:08x}")  # fmt: skip
        text = "".join(out)
    # Only a run of three quotes can end the docstring early; a lone quote is fine.
    if '"""' not in text:
        return text
    return _QUOTES.sub(lambda m: '\\"' * len(m.group()), text)


_QUOTES = re.compile(r'"{3,}')


def docstring(text: str, indent: int = 0, width: int = DOC_WIDTH) -> str:
    """A docstring body, wrapped to fit, every line escaped, without the quotes."""
    paragraphs = [p for p in text.strip().replace("\r\n", "\n").split("\n\n") if p.strip()]
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        escaped = escape_docstring(" ".join(paragraph.split()))
        fits = max(width - indent, 40)
        if len(escaped) <= fits:  # most paragraphs: one line, nothing to wrap
            lines.append(escaped)
            continue
        lines.extend(_keep_escapes_whole(wrap(escaped, fits)))
    if not lines:
        return ""
    pad = " " * indent
    body = "\n".join([lines[0], *[(pad + line) if line else "" for line in lines[1:]]])
    # A quote right before the closing quotes would merge with them.
    stripped = body.rstrip('"')
    return stripped + '\\"' * (len(body) - len(stripped))


def wrap(text: str, width: int) -> list[str]:
    """Words separated by single spaces, in lines of at most ``width`` characters (a longer
    word alone on its line: a URL or an escape sequence is never split). The lines of
    ``textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)``, without
    its chunking, which is most of the time spent on docstrings."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _keep_escapes_whole(lines: list[str]) -> list[str]:
    """Move a trailing odd backslash to the next line, so no line ends in an escape."""
    fixed = list(lines)
    for i in range(len(fixed) - 1):
        stripped = fixed[i].rstrip("\\")
        if (len(fixed[i]) - len(stripped)) % 2:
            fixed[i], fixed[i + 1] = fixed[i][:-1], "\\" + fixed[i + 1]
    return fixed


def comment(text: str) -> str:
    """Text for a ``#`` comment: one line, printable."""
    return "".join(c if c.isprintable() else "?" for c in text)


def literal(value: Any) -> str:
    """A Python literal for a JSON value (strings via ``repr``: never code)."""
    if isinstance(value, str | bool | int | float) or value is None:
        return repr(value)
    if isinstance(value, tuple):
        items = ", ".join(literal(item) for item in value)
        return f"({items},)" if len(value) == 1 else f"({items})"
    return repr(json.loads(json.dumps(value)))
