"""A cache for ``check``: what a generation from the same inputs gave last time.

``check`` generates the package again and compares; for the whole OpenAI API that is
seconds, too slow for a pre-commit hook. Every full generation (``generate`` or ``check``)
stores, under a key made of the hashes of its inputs, the record it made (each file's
sha256, and the provenance) and its warnings. ``check`` looks the key up first: when the
entry is there, every file it read still has the hash it had, the folder's record is that
record, and every file in the folder still has its recorded hash, the folder is up to date
and ``check`` says so (with the same warnings) without generating. Anything else, a miss
included, is the full check.

The key holds: a fingerprint of the generator itself (every file of ``generator/`` and
``templates/``, the versions of ruff and Python), the output folder and the input paths,
the spec's, the config's and the overlays' sha256, ``--package-name`` and ``--strict``. The
entry also lists every file the generation read, with its sha256, checked at every lookup,
and its provenance (the package name among it), compared with the folder's record. A spec
split over several files is not cached (its other files are not tracked here).

Where: ``$OPENAPI_IMAGES_GENERATOR_CACHE`` (``off`` turns the cache off), else
``$XDG_CACHE_HOME/openapi-images-generator``, else ``~/.cache/openapi-images-generator``.
One small JSON file per key; a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import Problem
from .inputs import Inputs
from .record import Record, read_record

__all__ = ["CACHE_ENV", "Hit", "lookup", "store", "up_to_date"]

CACHE_ENV = "OPENAPI_IMAGES_GENERATOR_CACHE"
_FORMAT = "check-cache/1"
_ROOT = Path(__file__).resolve().parent.parent  # generator/
_TEMPLATES = _ROOT.parent / "templates"


@attrs.frozen
class Hit:
    files: dict[str, str]  # name -> sha256, as the record lists them
    provenance: dict[str, Any]
    warnings: tuple[Problem, ...]


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "no") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "openapi-images-generator"


@functools.cache
def fingerprint() -> str:
    """The generator's own identity: its files, and the tools that shape its output."""
    digest = hashlib.sha256()
    for folder in (_ROOT, _TEMPLATES):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and _counts(p)):
            digest.update(str(path.relative_to(folder.parent)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    try:
        from importlib.metadata import version

        ruff = version("ruff")
    except Exception:  # no metadata: a cache miss is only slower
        ruff = "?"
    digest.update(f"ruff {ruff} python {sys.version_info[:2]}".encode())
    return digest.hexdigest()


def _counts(path: Path) -> bool:
    return "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo")


def _sha256(path: str | Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _key(inputs: Inputs, strict: bool) -> str | None:
    def where(path: Path | None) -> str | None:
        return None if path is None else str(path.resolve())

    from .build import spec_config_path  # the config beside the spec, when none is named

    spec_hash = _sha256(inputs.spec)
    if spec_hash is None:
        return None
    named = inputs.config if inputs.config is not None else spec_config_path(inputs.spec)
    config = named if named.is_file() else None
    parts = {
        "generator": fingerprint(),
        "out": where(inputs.out),
        "spec": [where(inputs.spec), spec_hash],
        "config": [where(config), _sha256(config) if config is not None else None],
        "overlays": [[where(p), _sha256(p)] for p in inputs.overlays],
        "package_name": inputs.package_name,  # --package-name; the name used is checked
        "strict": strict,  # against the folder's record (its provenance) on every hit
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def lookup(inputs: Inputs, strict: bool) -> Hit | None:
    """The cached generation for these inputs, if every file it read is unchanged."""
    folder = cache_dir()
    key = _key(inputs, strict) if folder is not None else None
    if folder is None or key is None:
        return None
    try:
        entry = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        if entry.get("format") != _FORMAT:
            return None
        for path, digest in entry["read"]:
            if _sha256(path) != digest:
                return None
        warnings = tuple(Problem(**item) for item in entry["warnings"])
        return Hit(dict(entry["files"]), dict(entry["provenance"]), warnings)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def up_to_date(out: Path, hit: Hit) -> bool:
    """Whether the folder holds exactly the cached generation, with no hand edits."""
    try:
        record = read_record(out)
    except Exception:  # a record it cannot read: the full check words the problem
        return False
    if record is None or record.files != hit.files or record.provenance() != hit.provenance:
        return False
    return all(_sha256(out / name) == digest for name, digest in hit.files.items())


def store(
    inputs: Inputs,
    strict: bool,
    record: Record,
    read: Iterable[str | Path],
    warnings: Iterable[Problem],
) -> None:
    """Keep this generation's record for a later ``check`` (best effort)."""
    folder = cache_dir()
    key = _key(inputs, strict) if folder is not None else None
    if folder is None or key is None:
        return
    files_read: dict[str, str] = {}
    for path in read:
        digest = _sha256(path)
        if digest is None:
            return  # an input that cannot be read again cannot be vouched for
        files_read[str(Path(path).resolve())] = digest
    entry = {
        "format": _FORMAT,
        "files": dict(sorted(record.files.items())),
        "provenance": record.provenance(),
        "read": sorted(files_read.items()),
        "warnings": [_problem(p) for p in warnings],
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = folder / f".{key}.{os.getpid()}.tmp"
        scratch.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(scratch, folder / f"{key}.json")
    except OSError:
        pass


def _problem(problem: Problem) -> Mapping[str, Any]:
    return attrs.asdict(problem)
