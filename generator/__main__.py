"""Command line: ``python -m generator generate | check | slice | diff | conform``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import GeneratorError

ROOT = Path.cwd()
DEFAULT_SPEC = Path("spec/images-edit.yaml")
DEFAULT_OUT = Path("generated")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="render the client package from a spec")
    _add_generate_arguments(generate)
    generate.add_argument(
        "--changelog",
        type=Path,
        help="write the public API changes of this regeneration (Markdown)",
    )

    check = commands.add_parser("check", help="exit 1 with a diff when the output is stale")
    _add_generate_arguments(check)

    slice_ = commands.add_parser("slice", help="cut operations and what they reach out of a spec")
    slice_.add_argument("spec", type=Path, help="the full OpenAPI document")
    slice_.add_argument(
        "--operation", action="append", required=True, help="operationId to keep (repeatable)"
    )
    slice_.add_argument("-o", "--output", type=Path, help="where to write (default: stdout)")

    diff = commands.add_parser("diff", help="changes between two specs that matter to a client")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--format", choices=("text", "json"), default="text")

    conform = commands.add_parser("conform", help="check recorded exchanges against a spec")
    conform.add_argument("spec", type=Path)
    conform.add_argument("recordings", type=Path, nargs="+", help="recording files (ours or HAR)")
    conform.add_argument("--format", choices=("text", "json"), default="text")
    conform.add_argument("--base-url", help="also replay the requests against this server")
    return parser


def _add_generate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", type=Path, nargs="?", default=DEFAULT_SPEC)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--package-name", help="Python package name (default from the config)")
    parser.add_argument("--config", type=Path, help="client config (default: beside the spec)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in ("generate", "check"):
            from . import pipeline

            return pipeline.main(args)
        if args.command == "slice":
            from .tools import slicing

            return slicing.main(args)
        if args.command == "diff":
            from .tools.diff import cli as diffing

            return diffing.main(args)
        from .tools.conform import cli

        return cli.main(args)
    except GeneratorError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
