"""Which spec, config, overlays and package name a ``generate`` or ``check`` uses.

What the command line gives wins. What it leaves out comes from the record of the output
folder (:mod:`.record`), so that ``generate OUT`` and ``check OUT`` make the package again
exactly as it was made, and a new spec given with ``-o OUT`` is built the same way as the
old one was (same config, overlays and package name). Without a record, the defaults are
``spec/images-edit.yaml`` into ``generated/``, the config beside the spec, no overlays,
and the package name from the config or else from the spec's title.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import attrs

from ..errors import GeneratorError, Problem
from .record import MANIFEST, Record, Source, read_record

DEFAULT_SPEC = Path("spec/images-edit.yaml")
DEFAULT_OUT = Path("generated")


@attrs.frozen
class Inputs:
    out: Path
    spec: Path
    config: Path | None  # None: the config beside the spec, when there is one
    overlays: tuple[Path, ...]  # given on the command line, or recorded as given there
    package_name: str | None  # --package-name
    fallback_name: str | None  # the name the record keeps, when neither flag nor config names one
    record: Record | None


def resolve(args: argparse.Namespace) -> Inputs:
    """The inputs of a ``generate`` or ``check`` command (see the module docstring)."""
    spec_arg: Path | None = args.spec
    out: Path = args.output if args.output is not None else DEFAULT_OUT
    recipe = out
    if spec_arg is not None and spec_arg.is_dir():
        recipe = spec_arg
        out = args.output if args.output is not None else spec_arg
        if read_record(recipe) is None:
            message = (
                f"is a folder without a generation record ({MANIFEST}): give the spec file, "
                "or a folder this generator wrote"
            )
            raise GeneratorError([Problem(str(spec_arg), "", message)])
        spec_arg = None
    record = read_record(recipe) if recipe.is_dir() else None
    if record is None:
        spec = spec_arg if spec_arg is not None else DEFAULT_SPEC
        return Inputs(
            out, spec, args.config, tuple(args.overlay or ()), args.package_name, None, None
        )
    from .build import spec_config_path  # imported here: ``--help`` need not load the builder

    if spec_arg is None:
        spec = _recorded(record.spec, recipe, "spec", "/spec")
        same_spec = True
    else:
        spec = spec_arg
        same_spec = _same(spec_arg, record.spec.resolve(recipe))
    config = args.config
    # The recorded config, unless a new spec was given that has a config of its own beside it.
    own_config = not same_spec and spec_config_path(spec).is_file()
    if config is None and record.config is not None and not own_config:
        config = _recorded(record.config, recipe, "config", "/config")
    overlays = tuple(args.overlay or ()) or tuple(
        _recorded(o, recipe, "overlay", f"/overlays/{i}")
        for i, o in enumerate(record.overlays)
        if o.origin == "command line"
    )
    return Inputs(out, spec, config, overlays, args.package_name, record.package_name, record)


def _recorded(source: Source, folder: Path, what: str, pointer: str) -> Path:
    path = source.resolve(folder)
    if not path.is_file():
        message = (
            f"the {what} this folder was generated from, {source.path} (relative to the "
            f"folder), is not there: give it on the command line"
        )
        raise GeneratorError([Problem(str(folder / MANIFEST), pointer, message)])
    return path


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
