"""``python -m generator diff OLD NEW [--format text|json] [--overlay FILE]``.

Each side is a spec, built into the IR, or a generated package read from the API
description it carries (``_api.json``): its package folder, the description itself, or the
output folder that holds it. So a package can be compared with a new spec when its old
spec is gone. Both are compared by :func:`~.engine.diff_apis`.

The two sides are made alike before they are compared, so that only the API's changes
show, never the choices of whoever generated a package:

* a spec side is built with its own client config (beside it) when it has one, else with
  the other side's: the config a package side records, or the one beside the other spec;
* its overlays are the ``--overlay`` files, else those a package side records;
* its package name (and so its environment variable names) is the config's, else the
  other side's.

Exit codes: 0 no breaking change, 1 at least one breaking change (for CI gates), 2
unusable input.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import attrs

from ...errors import GeneratorError, Problem
from ...pipeline import apidesc, ir
from ...pipeline.build import build_api, spec_config_path
from ...pipeline.config import config_overlays, load_config, package_name_from_title
from ...pipeline.inputfiles import open_regular
from ...pipeline.load import check_document, read_document
from ...pipeline.overlay import apply_overlays, read_overlays
from ...pipeline.record import Record, read_record
from .engine import diff_apis
from .report import report_json, report_text


@attrs.frozen
class Package:
    """A generated package side: its API, and the record of the folder holding it."""

    api: ir.Api
    out: Path | None = None  # the output folder, when it has a record
    record: Record | None = None

    def config(self) -> Path | None:
        if self.record is None or self.record.config is None or self.out is None:
            return None
        path = self.record.config.resolve(self.out)
        return path if path.is_file() else None

    def overlays(self) -> tuple[Path, ...]:
        if self.record is None or self.out is None:
            return ()
        return tuple(
            o.resolve(self.out) for o in self.record.overlays if o.origin == "command line"
        )


def load_api(
    spec: Path,
    *,
    config: Path | None = None,
    overlays: Sequence[Path] = (),
    fallback_name: str | None = None,
) -> ir.Api:
    """The IR of ``spec``: a generated package's API description (see :func:`load_package`),
    or a spec built with ``config`` (default: the one beside it), after ``overlays``, and
    named by the config, else ``fallback_name``, else after its title."""
    package = load_package(spec)
    if package is not None:
        return package.api
    return build_spec(spec, config, overlays, fallback_name)


def load_package(path: Path) -> Package | None:
    """The package ``path`` names (an output folder, a package folder, or an
    ``_api.json``), or None when ``path`` is not a folder or a description (a spec)."""
    if path.is_dir():
        return _package_in(path)
    if path.name != apidesc.FILE_NAME:
        return None
    return _from_description(path)


def _from_description(path: Path) -> Package:
    """The package of an ``_api.json``, with the record of the output folder holding it."""
    out = path.parent.parent
    record = read_record(out) if out.is_dir() else None
    if record is not None and record.package_name != path.parent.name:
        record = None
    return Package(_description(path), out if record else None, record)


def _package_in(folder: Path) -> Package:
    record = read_record(folder)
    if record is not None:
        return Package(
            _description(folder / record.package_name / apidesc.FILE_NAME), folder, record
        )
    if (folder / apidesc.FILE_NAME).is_file():
        return _from_description(folder / apidesc.FILE_NAME)
    found = sorted(p.parent for p in folder.glob(f"*/{apidesc.FILE_NAME}"))
    if len(found) == 1:
        return Package(_description(found[0] / apidesc.FILE_NAME))
    if not found:
        message = (
            f"is a folder without a generated package: no {apidesc.FILE_NAME} in it or in a "
            "folder inside it"
        )
    else:
        names = ", ".join(p.name for p in found)
        message = f"holds several generated packages ({names}): name the one to compare"
    raise GeneratorError([Problem(str(folder), "", message)])


def _description(path: Path) -> ir.Api:
    if not path.exists():
        message = "does not exist: the package carries no API description"
        raise GeneratorError([Problem(str(path), "", message)])
    try:
        with open_regular(path) as stream:  # a FIFO or device is refused, not read
            return apidesc.load(stream.read())
    except (OSError, apidesc.DescriptionError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise GeneratorError([Problem(str(path), "", f"cannot read: {reason}")]) from None


def build_spec(
    spec: Path, config: Path | None, overlays: Sequence[Path], fallback_name: str | None
) -> ir.Api:
    """The IR of a spec, after the overlays (the config's, then ``overlays``)."""
    document = read_document(spec)
    beside = spec_config_path(spec)
    config = beside if beside.is_file() else config
    patches = read_overlays([*config_overlays(config), *overlays])
    if patches:
        apply_overlays(document.data, patches, spec.name)
        errors = [p for p in check_document(document, validate=False) if p.severity == "error"]
        if errors:
            raise GeneratorError(errors)
    info = document.data.get("info")
    title = str(info.get("title", "")) if isinstance(info, dict) else ""
    settings = load_config(config, fallback_name=fallback_name or package_name_from_title(title))
    return build_api(document, settings)


def load_sides(old: Path, new: Path, overlays: Sequence[Path] = ()) -> tuple[ir.Api, ir.Api]:
    """Both sides, made alike (see the module docstring); every problem of both at once."""
    problems: list[Problem] = []
    packages: dict[int, Package | None] = {}
    for index, path in enumerate((old, new)):
        try:
            packages[index] = load_package(path)
        except GeneratorError as error:
            problems += error.problems
            packages[index] = None
    if problems:
        raise GeneratorError(problems)
    apis: dict[int, ir.Api] = {i: p.api for i, p in packages.items() if p is not None}
    for index, path in enumerate((old, new)):
        if index in apis:
            continue
        other = packages[1 - index]
        other_path = (new, old)[index]
        name: str | None = None
        if other is not None:
            config, recorded, name = other.config(), other.overlays(), other.api.package_name
        else:
            beside = spec_config_path(other_path)
            config, recorded = (beside if beside.is_file() else None), ()
            name = apis[1 - index].package_name if (1 - index) in apis else None
        try:
            apis[index] = build_spec(path, config, tuple(overlays) or recorded, name)
        except GeneratorError as error:
            problems += error.problems
    if problems:
        raise GeneratorError(problems)
    return apis[0], apis[1]


def main(args: argparse.Namespace) -> int:
    old, new = load_sides(args.old, args.new, getattr(args, "overlay", None) or ())
    changes = diff_apis(old, new)
    if args.format == "json":
        print(json.dumps(report_json(changes, str(args.old), str(args.new)), indent=2))
    else:
        print(report_text(changes), end="")
    return 1 if any(c.breaking for c in changes) else 0
