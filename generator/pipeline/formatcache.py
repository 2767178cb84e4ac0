"""The formatted text of rendered files seen before, so a regeneration formats only what
changed.

ruff's output for a file depends only on the file's text, the config (the package's
``pyproject.toml``) and ruff's version; so each formatted file is kept under the sha256 of
its rendered text, in one pack per spec (``format-<key>.json.gz`` in the cache folder of
:mod:`.checkcache`, whose key is those versions, the config's text and the spec's path).
A file found there is not written out, compiled or given to ruff again: it compiled and
was formatted from exactly this text before. A pack keeps the files of the last
generation only, so it never grows past one package. Anything unreadable is a miss.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["FormatCache"]

_FORMAT = "format-cache/1"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class FormatCache:
    """Formatted texts by the sha256 of the rendered text, for one spec's package."""

    def __init__(self, path: Path | None, known: dict[str, str]) -> None:
        self.path = path
        self.known = known

    @classmethod
    def open(cls, files: Mapping[str, str], scope: str) -> FormatCache:
        from .checkcache import cache_dir, fingerprint

        folder = cache_dir()
        if folder is None:
            return cls(None, {})
        config = files.get("pyproject.toml", "")
        key = _sha(json.dumps([fingerprint(), _sha(config), scope]))
        path = folder / f"format-{key}.json.gz"
        try:
            document = json.loads(gzip.decompress(path.read_bytes()))
            known = document["files"] if document.get("format") == _FORMAT else {}
            if not isinstance(known, dict):
                known = {}
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            known = {}
        return cls(path, known)

    def get(self, text: str) -> str | None:
        found = self.known.get(_sha(text))
        return found if isinstance(found, str) else None

    def save(self, rendered: Mapping[str, str], formatted: Mapping[str, str]) -> None:
        """Keep this generation's Python files (best effort)."""
        if self.path is None:
            return
        files = {_sha(rendered[name]): formatted[name] for name in rendered if name.endswith(".py")}
        data = json.dumps({"format": _FORMAT, "files": files}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            scratch.write_bytes(gzip.compress(data.encode("utf-8", "surrogatepass"), 1))
            os.replace(scratch, self.path)
        except OSError:
            pass
