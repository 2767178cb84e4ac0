"""``generate --changelog FILE``: what a regeneration changed, for code using the package.

The spec the old package came from is usually gone by the time it is regenerated
(overwritten in place, or fetched again from upstream), so the old side is the API
description the old package carries (``<package>/_api.json``, written by
:mod:`generator.pipeline.apidesc`). The new side is the description of the package about
to be written. Both are ``ir.Api`` values, compared by the breaking-change engine that
``diff`` uses (:func:`generator.tools.diff.diff_apis`), so the two commands agree on what
changed and on what breaks. The result is Markdown: a summary, then ``## Added``,
``## Removed`` and ``## Changed``, breaking entries first and marked **Breaking**.

The old package is looked for in the output folder: the folder of the same name first,
else any other package this generator wrote. When there is none, this is the first
generation. When it has no description, or one this generator cannot read (another
format version, say), the changelog says so plainly and lists no changes: it never fails
the generation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import attrs

from ..pipeline import apidesc, ir
from ..pipeline.write import MARKER
from .diff import Change, diff_apis

DESCRIPTION = apidesc.FILE_NAME
_SECTIONS = ("Added", "Removed", "Changed")
# Kinds named "..._added"/"..._removed" that change a thing which stays.
_STATE_CHANGES = frozenset({"required_added", "required_removed", "nullable_added",
                            "nullable_removed"})  # fmt: skip
# Markdown that spec text (names, enum values) must not start: emphasis, links, HTML, code.
_MARKDOWN = re.compile(r"[\\`*\[\]<>|]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


@attrs.frozen
class Previous:
    """What the output folder held before: its API, or a note on why it cannot be compared."""

    folder: Path | None
    api: ir.Api | None = None
    note: str = ""


def changelog(output_dir: Path, new_files: dict[str, str]) -> str:
    """The Markdown changelog of replacing what ``output_dir`` holds with ``new_files``."""
    package, text = _new_description(new_files)
    if text is None:
        title = f"# Changelog of {_code(package or str(output_dir))}\n\n"
        return title + "The new package has no API description, so nothing is compared.\n"
    return render(find_previous(output_dir, package), apidesc.load(text))


def render(previous: Previous, new: ir.Api) -> str:
    """The changelog in Markdown, from what came before to ``new``."""
    title = f"# Changelog of {_code(new.package_name)}\n\n"
    if previous.api is None and previous.folder is None:
        lines = [
            f"First generation of {_code(new.package_name)} ({_source(new)}): there is no "
            "previous package to compare with, so nothing is added, removed or changed. "
            f"It provides {_contents(new)}."
        ]
        return title + "\n\n".join(lines) + "\n"
    if previous.api is None:
        lines = [
            f"Regenerated {_code(new.package_name)} ({_source(new)}).",
            f"{previous.note} No changes are listed.",
        ]
        return title + "\n\n".join(lines) + "\n"
    changes = diff_apis(previous.api, new)
    lines = [
        f"Regenerated {_code(new.package_name)} ({_source(new)}; previously "
        f"{_source(previous.api)})."
    ]
    breaking = sum(c.breaking for c in changes)
    if not changes:
        lines.append("No change to the public API (models, fields, enum values, client methods).")
    elif breaking:
        noun = "change" if breaking == 1 else "changes"
        lines.append(
            f"**{breaking} breaking {noun}** for code written against the previous "
            "package, marked **Breaking**."
        )
    else:
        lines.append("No breaking change for code written against the previous package.")
    for section in _SECTIONS:
        items = [c for c in changes if _section(c) == section]
        body = "\n".join(_item(c) for c in _ordered(items)) if items else "Nothing."
        lines.append(f"## {section}\n\n{body}")
    return title + "\n\n".join(lines) + "\n"


# ---------------------------------------------------------------- the two descriptions


def _new_description(files: dict[str, str]) -> tuple[str, str | None]:
    """The new package's name and description text (None when it carries none)."""
    for path in sorted(files):
        package, _, name = path.partition("/")
        if name == DESCRIPTION:
            return package, files[path]
    packages = sorted({p.split("/")[0] for p in files if p.count("/") == 1})
    return (packages[0] if packages else ""), None


def find_previous(output_dir: Path, package: str) -> Previous:
    """The package the output folder holds: the same name first, else any we wrote."""
    folder = _old_package(output_dir, package)
    if folder is None:
        return Previous(None)
    where = _code(str(folder))
    path = folder / DESCRIPTION
    if not path.is_file():
        return Previous(
            folder,
            note=f"The previous package in {where} has no API description ({_code(DESCRIPTION)}"
            "; packages from older generators lack it), so it cannot be compared.",
        )
    try:
        return Previous(folder, apidesc.load(path.read_bytes()))
    except Exception as exc:  # any unreadable description: say so, never fail generation
        reason = _escape(str(exc)) or type(exc).__name__
        return Previous(
            folder,
            note=f"The API description of the previous package ({_code(str(path))}) cannot "
            f"be read: {reason}.",
        )


def _old_package(output_dir: Path, package: str) -> Path | None:
    if not output_dir.is_dir():
        return None
    candidates = [output_dir / package] if package else []
    candidates += sorted(p for p in output_dir.iterdir() if p.name != package)
    return next((folder for folder in candidates if _is_generated(folder)), None)


def _is_generated(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    if (folder / DESCRIPTION).is_file():
        return True
    init = folder / "__init__.py"
    if not init.is_file():
        return False
    with init.open(encoding="utf-8", errors="replace") as handle:
        return handle.readline().startswith(MARKER)


# ---------------------------------------------------------------- Markdown


def _section(change: Change) -> str:
    """Added or Removed for a thing that came or went; Changed for everything else."""
    if change.kind in _STATE_CHANGES:
        return "Changed"
    if change.kind.endswith("_added"):
        return "Added"
    return "Removed" if change.kind.endswith("_removed") else "Changed"


def _ordered(changes: Iterable[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: not c.breaking)


def _item(change: Change) -> str:
    mark = "**Breaking:** " if change.breaking else ""
    kind = change.kind.replace("_", " ")
    return f"- {mark}{_code(change.location)} ({kind}): {_escape(change.message)}."


def _source(api: ir.Api) -> str:
    named = " ".join(_escape(part) for part in (api.title, api.spec_version) if part)
    return f"{named or 'untitled API'}, spec sha256 {_code(api.spec_sha256[:12] or 'unknown')}"


def _contents(api: ir.Api) -> str:
    methods = sum(len(op.bodies) or 1 for op in api.operations)
    counts = [
        _count(methods, "client method"),
        _count(len(api.models), "model"),
        _count(len(api.enums), "enum"),
    ]
    return ", ".join(counts) + " and " + _count(len(api.unions), "union")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _escape(text: str) -> str:
    """Plain text that Markdown shows as written (spec names and values included)."""
    return _MARKDOWN.sub(lambda m: "\\" + m.group(), " ".join(text.split()))


def _code(text: str) -> str:
    """Inline code that survives backticks in spec-derived text."""
    text = " ".join(text.split())
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
