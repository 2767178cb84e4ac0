"""``generate`` and ``check``: spec → IR → rendered files → formatted → written or compared."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import GeneratorError
from .validate import ParallelValidation


def generate_files(
    spec: Path, config: Path | None = None, package_name: str | None = None
) -> dict[str, str]:
    """Every file of the generated package, formatted, keyed by path relative to the output.

    The spec is validated in a second process while the package is built and rendered;
    a spec that does not validate is reported as such, whatever else went wrong.
    """
    validation = ParallelValidation(spec)  # first: it is the slowest step
    from .build import build_api, spec_config_path
    from .config import load_config
    from .load import load_document
    from .render import Renderer
    from .write import format_files

    try:
        document = load_document(spec, validate=False)  # parse, version and $ref checks
        settings = load_config(config or spec_config_path(spec), package_name)
        files = format_files(Renderer(build_api(document, settings), spec.name).render())
    except Exception:
        problems = validation.problems()
        if problems:
            raise GeneratorError(problems) from None
        raise
    problems = validation.problems()
    if problems:
        raise GeneratorError(problems)
    return files


def main(args: argparse.Namespace) -> int:
    from .write import diff_tree, write_atomically

    files = generate_files(args.spec, args.config, args.package_name)
    if args.command == "check":
        difference = diff_tree(args.output, files)
        if difference:
            sys.stdout.write(difference)
            print(f"{args.output} is stale: run `python -m generator generate`", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    if getattr(args, "changelog", None):
        from ..tools.changelog import write_changelog

        write_changelog(args.output, files, args.changelog)
    write_atomically(args.output, files)
    print(f"wrote {len(files)} files to {args.output}")
    return 0
