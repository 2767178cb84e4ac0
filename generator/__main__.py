"""Command line: ``python -m generator generate | check | slice | diff | conform``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import GeneratorError, Problem, print_problems

ROOT = Path.cwd()
DEFAULT_SPEC = Path("spec/images-edit.yaml")
DEFAULT_OUT = Path("generated")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    reading = _limit_arguments()

    generate = commands.add_parser(
        "generate", help="render the client package from a spec", parents=[reading]
    )
    _add_generate_arguments(generate)
    generate.add_argument(
        "--changelog",
        type=Path,
        help="write the public API changes of this regeneration (Markdown)",
    )

    check = commands.add_parser(
        "check", help="exit 1 with a diff when the output is stale", parents=[reading]
    )
    _add_generate_arguments(check)

    slice_ = commands.add_parser(
        "slice", help="cut operations and what they reach out of a spec", parents=[reading]
    )
    slice_.add_argument("spec", type=Path, help="the full OpenAPI document")
    slice_.add_argument(
        "--operation", action="append", required=True, help="operationId to keep (repeatable)"
    )
    slice_.add_argument("-o", "--output", type=Path, help="where to write (default: stdout)")
    _add_strict(slice_)

    diff = commands.add_parser(
        "diff", help="changes between two specs that matter to a client", parents=[reading]
    )
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--format", choices=("text", "json"), default="text")

    conform = commands.add_parser(
        "conform", help="check recorded exchanges against a spec", parents=[reading]
    )
    conform.add_argument("spec", type=Path)
    conform.add_argument("recordings", type=Path, nargs="+", help="recording files (ours or HAR)")
    conform.add_argument("--format", choices=("text", "json"), default="text")
    conform.add_argument("--base-url", help="also replay the requests against this server")
    conform.add_argument(
        "--timeout", type=_seconds, metavar="SECONDS", help="answer wait with --base-url (300)"
    )
    conform.add_argument(
        "--header", type=_header, action="append", metavar="'NAME: VALUE'",
        help="a header (a credential) for the replayed requests; recorded ones are never sent",
    )  # fmt: skip
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _header(text: str) -> tuple[str, str]:
    from .tools.conform.live import parse_header

    try:
        return parse_header(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_generate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", type=Path, nargs="?", default=DEFAULT_SPEC)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--package-name", help="Python package name (default from the config)")
    parser.add_argument("--config", type=Path, help="client config (default: beside the spec)")
    _add_strict(parser)


def _add_strict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict", action="store_true", help="treat every warning as an error (exit 2)"
    )


def _limit_arguments() -> argparse.ArgumentParser:
    """Flags for the limits on what is read; each overrides its environment variable."""
    from .pipeline.limits import ENVIRONMENT, FLAGS, Limits

    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("input limits")
    defaults = Limits()
    for field, flag in FLAGS.items():
        group.add_argument(
            flag,
            dest=field,
            metavar="N",
            type=_positive_size,
            help=f"default {getattr(defaults, field):,}, or ${ENVIRONMENT[field]}"
            + (" (K, M, G suffixes)" if field == "max_input_bytes" else ""),
        )
    group.add_argument(
        "--ref-root",
        metavar="DIR",
        help="folder whose files external $refs may read (default: the spec's own folder)",
    )
    return parent


def _positive_size(text: str) -> int:
    from .pipeline.limits import parse_size

    try:
        return parse_size(text, "")
    except GeneratorError as error:
        raise argparse.ArgumentTypeError(error.problems[0].message) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except GeneratorError as error:
        print_problems(error.problems)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for what input can cause; see GENERATOR_DEBUG
        if os.environ.get("GENERATOR_DEBUG") == "1":
            raise
        where = str(getattr(args, "spec", "") or "") or "<command line>"
        message = (
            f"unexpected {type(exc).__name__}: {exc}"[:500]
            + " (a bug: please report it; GENERATOR_DEBUG=1 shows the traceback)"
        )
        print_problems([Problem(where, "", message)])
        return 2


def _run(args: argparse.Namespace) -> int:
    from .pipeline import limits

    chosen = {f: getattr(args, f, None) for f in limits.FLAGS}
    in_force = limits.from_environment()
    in_force = limits.Limits(
        **{f: v if v is not None else getattr(in_force, f) for f, v in chosen.items()},
        ref_root=getattr(args, "ref_root", None),
    )
    with limits.using(in_force):
        return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
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


if __name__ == "__main__":
    sys.exit(main())
