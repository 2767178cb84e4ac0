"""What a regeneration need not do again: format files whose rendered text it formatted
before (:class:`FormatCache`), and validate a spec it validated before
(:class:`CachedValidation`, for a spec in one file, by its bytes, the overlays' and the
generator's fingerprint).

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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import Problem

__all__ = ["CachedValidation", "FormatCache"]

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
        if files == self.known:
            return  # the same files as the last time: nothing to write
        data = json.dumps({"format": _FORMAT, "files": files}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            scratch.write_bytes(gzip.compress(data.encode("utf-8", "surrogatepass"), 1))
            os.replace(scratch, self.path)
        except OSError:
            pass


class CachedValidation:
    """The validation findings of a spec seen before (same bytes, overlays and generator):
    a regeneration need not validate it again. Same interface as
    :class:`.validate.ParallelValidation`; ``start`` runs the real one on a miss."""

    def __init__(self, path: Path | None, found: list[Problem] | None, running: Any) -> None:
        self._path = path
        self._found = found
        self._running = running

    @classmethod
    def start(cls, document: Any, overlays: Sequence[str]) -> CachedValidation:
        from .checkcache import cache_dir, fingerprint
        from .validate import ParallelValidation

        folder = cache_dir()
        path = None
        if folder is not None and not document.origins:  # one file: its bytes say it all
            where = str(document.path)  # the findings name the file
            key = _sha(json.dumps([fingerprint(), where, document.sha256, list(overlays)]))
            path = folder / f"validation-{key}.json"
            try:
                items = json.loads(path.read_text(encoding="utf-8"))
                return cls(path, [Problem(**item) for item in items], None)
            except (OSError, ValueError, TypeError):
                pass
        return cls(path, None, ParallelValidation(document))

    def problems(self) -> list[Problem]:
        if self._found is None:
            self._found = self._running.problems()
            if self._path is not None:
                try:
                    self._path.parent.mkdir(parents=True, exist_ok=True)
                    text = json.dumps([attrs.asdict(p) for p in self._found])
                    scratch = self._path.with_name(f".{self._path.name}.{os.getpid()}.tmp")
                    scratch.write_text(text, encoding="utf-8")
                    os.replace(scratch, self._path)
                except OSError:
                    pass
        return list(self._found)

    def cancel(self) -> None:
        if self._running is not None:
            self._running.cancel()
