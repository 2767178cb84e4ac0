"""``generate`` and ``check``: spec → IR → rendered files → formatted → written or compared."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import attrs

from ..errors import GeneratorError, Problem, print_problems


@attrs.frozen
class Generated:
    """The files of a generated package, and the warnings found on the way."""

    files: dict[str, str]
    warnings: list[Problem]
    operations: int = 0  # generated
    total: int = 0  # in the spec

    def summary(self) -> str:
        """``generated 286 of 288 operations (3 parts left out, see the warnings)``."""
        left_out = sum(1 for w in self.warnings if w.message.startswith("left out:"))
        text = f"generated {self.operations} of {self.total} operations"
        if not left_out:
            return text
        parts = "1 part" if left_out == 1 else f"{left_out} parts"
        return f"{text} ({parts} left out, see the warnings)"


def generate(
    spec: Path,
    config: Path | None = None,
    package_name: str | None = None,
    *,
    strict: bool = False,
) -> Generated:
    """Every file of the generated package, formatted, keyed by path relative to the output,
    with the warnings (load, validation, mapping) that did not stop generation.

    The spec is validated in a forked process while the package is built and rendered.
    Raises :class:`GeneratorError` with the warnings and then the errors when generation
    fails; with ``strict``, warnings make it fail too.
    """
    from .build import build_api, iter_operations, spec_config_path
    from .config import load_config
    from .load import read_document
    from .render import Renderer
    from .validate import ParallelValidation
    from .write import format_files

    spec = Path(spec)
    document = read_document(spec)  # parse, bundle, version and $ref checks: errors stop here
    validation = ParallelValidation(document)
    try:
        if config is not None and not config.exists():  # only the default may be missing
            raise GeneratorError([Problem(str(config), "", "cannot read file: it does not exist")])
        settings = load_config(config or spec_config_path(spec), package_name)
        mapping: list[Problem] = []  # what the schema mapper left out or typed loosely
        api = build_api(document, settings, mapping)
        files = format_files(Renderer(api, spec.name, settings.runtime).render())
        found = validation.problems()  # before ``finally`` cancels the child
    except GeneratorError as error:
        warnings = [*document.warnings, *validation.problems()]
        raise GeneratorError([*warnings, *error.problems]) from None
    except Exception as exc:  # the spec reached code that did not expect it: still exit 2
        if os.environ.get("GENERATOR_DEBUG") == "1":
            raise
        warnings = [*document.warnings, *validation.problems()]
        message = (
            f"cannot generate a client from this spec: {type(exc).__name__}: "
            f"{_first_line(str(exc))} (set GENERATOR_DEBUG=1 for the traceback)"
        )
        raise GeneratorError([*warnings, Problem(str(spec), "", message)]) from None
    finally:
        validation.cancel()  # a no-op once its problems were collected
    warnings = [*document.warnings, *found, *mapping]
    if strict and warnings:
        raise GeneratorError([w.as_error() for w in warnings])
    return Generated(files, warnings, len(api.operations), len(iter_operations(document)))


def generate_files(
    spec: Path, config: Path | None = None, package_name: str | None = None
) -> dict[str, str]:
    """Every file of the generated package (warnings are dropped; see :func:`generate`)."""
    return generate(spec, config, package_name).files


def main(args: argparse.Namespace) -> int:
    from .write import diff_tree, write_atomically

    result = generate(args.spec, args.config, args.package_name, strict=args.strict)
    print_problems(result.warnings)
    files = result.files
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

        try:
            write_changelog(args.output, files, args.changelog)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            problem = Problem(str(args.changelog), "", f"cannot write: {reason}")
            raise GeneratorError([problem]) from None
    write_atomically(args.output, files)
    print(f"wrote {len(files)} files to {args.output}; {result.summary()}")
    return 0


def _first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."
