"""Command line: ``python -m generator generate | check | slice | diff | conform``."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import GeneratorError, Problem, print_problems
from .pipeline.inputs import DEFAULT_OUT, DEFAULT_SPEC

DESCRIPTION = """\
Generate a typed Python client package from an OpenAPI 3.0/3.1 spec, keep it up to date
(check), and inspect specs (slice, diff, conform).
Run `python -m generator COMMAND --help` for each command's arguments."""

EXIT_CODES = """\
exit codes:
  0  {ok}
  1  {one}
  2  bad input (a located message says what and where; nothing is written)"""

GENERATE = """\
Render the client package from a spec into an output folder.

The generator owns only the files it wrote (listed with their hashes in
OUT/.openapi-images-generator/manifest.json): every other file in OUT, .git included, is
kept. Files edited by hand are merged three ways with the new generation; edits that
overlap its changes are left between conflict markers. OUT also records how it was made,
so `generate OUT` alone regenerates it the same way."""

CHECK = """\
Regenerate in memory and compare with the output folder, writing nothing. A file the
generator would change is stale (its diff is printed); a file that differs only by hand
edits that still apply is reported and passes."""

SLICE = """\
Cut operations, and every component they reach, out of a spec into a smaller spec that
validates on its own."""

DIFF = """\
The changes between two versions of an API that matter to a generated client, each
marked breaking or not. Each side is a spec, a generated package (its folder or its
_api.json), or an output folder. A spec compared with a package is built with the
package's recorded config, overlays and package name, so only the API's changes show."""

CONFORM = """\
Check recorded exchanges (this client's recordings, or HAR 1.2 files) against a spec."""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the descriptions' line breaks; wraps the arguments' help."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description=DESCRIPTION,
        epilog=EXIT_CODES.format(
            ok="success", one="a check or comparison found something (see each command)"
        ),
        formatter_class=_HelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="one of:"
    )
    reading = _limit_arguments()

    def command(
        name: str, summary: str, description: str, ok: str, one: str | None
    ) -> argparse.ArgumentParser:
        codes = EXIT_CODES.format(ok=ok, one=one or "")
        if one is None:
            codes = "\n".join(line for line in codes.splitlines() if not line.startswith("  1"))
        return commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=codes,
            parents=[reading],
            formatter_class=_HelpFormatter,
        )

    generate = command(
        "generate",
        "render the client package from a spec",
        GENERATE,
        "written",
        "written, but hand edits overlap the new generation's changes: the files\n"
        "     listed hold conflict markers to resolve",
    )
    _add_generate_arguments(generate)
    generate.add_argument(
        "--changelog",
        type=Path,
        metavar="FILE",
        help="also write what this regeneration changed for code using the package "
        "(Markdown), compared with the package OUT held before",
    )
    generate.add_argument(
        "--discard-edits",
        action="store_true",
        help="overwrite files edited by hand instead of merging (files the generator did "
        "not write are kept even then)",
    )

    check = command(
        "check",
        "exit 1 with a diff when the output folder is stale",
        CHECK,
        "up to date (hand edits that still apply are listed and pass)",
        "stale, or hand edits with unresolved conflict markers",
    )
    _add_generate_arguments(check)

    slice_ = command(
        "slice",
        "cut operations and what they reach out of a spec",
        SLICE,
        "sliced",
        None,
    )
    slice_.add_argument("spec", type=Path, metavar="SPEC", help="the full OpenAPI document")
    slice_.add_argument(
        "--operation",
        action="extend",
        nargs="+",
        required=True,
        metavar="ID",
        help="operationIds to keep: `--operation a b` or `--operation a --operation b`",
    )
    slice_.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write (.json writes JSON; default: standard output, as YAML)",
    )
    _add_overlay(slice_)
    _add_strict(slice_)

    diff = command(
        "diff",
        "changes between two versions of an API that matter to a client",
        DIFF,
        "no breaking change",
        "at least one breaking change",
    )
    diff.add_argument(
        "old",
        type=Path,
        metavar="OLD",
        help="the old side: a spec, a package folder, its _api.json, or an output folder",
    )
    diff.add_argument("new", type=Path, metavar="NEW", help="the new side (the same kinds)")
    diff.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (one line per change) or a JSON document (default: text)",
    )
    _add_overlay(diff, "apply to each side that is a spec (default: those a package side records)")

    conform = command(
        "conform",
        "check recorded exchanges against a spec",
        CONFORM,
        "every exchange conforms",
        "findings",
    )
    conform.add_argument("spec", type=Path, metavar="SPEC", help="the OpenAPI document")
    conform.add_argument(
        "recordings",
        type=Path,
        nargs="+",
        metavar="RECORDING",
        help="recording files (ours, NDJSON of exchanges or HAR 1.2), or folders of them",
    )
    conform.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text or a JSON document (default: text)",
    )
    conform.add_argument(
        "--base-url", metavar="URL", help="also replay the requests against this server"
    )
    conform.add_argument(
        "--timeout", type=_seconds, metavar="SECONDS", help="answer wait with --base-url (300)"
    )
    conform.add_argument(
        "--header", type=_header, action="append", metavar="'NAME: VALUE'",
        help="a header (a credential) for the replayed requests; recorded ones are never sent",
    )  # fmt: skip
    conform.add_argument(
        "--workers", type=_count, default=1, metavar="N",
        help="check in N processes (default 1); the report is the same whatever N is",
    )  # fmt: skip
    conform.add_argument(
        "--engine", choices=("local", "dask"), default="local",
        help="local processes, or a Dask bag over the files (needs the [dask] extra)",
    )  # fmt: skip
    conform.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="with --engine dask: the Dask scheduler (tcp://host:8786); default: N local processes",
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


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1024:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers (1 to 1024)")
    return int(text)


def _header(text: str) -> tuple[str, str]:
    from .tools.conform.live import parse_header

    try:
        return parse_header(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_generate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "spec",
        type=Path,
        nargs="?",
        metavar="SPEC",
        help="the OpenAPI document (YAML or JSON), or an output folder to regenerate as it "
        f"was made (default: the spec OUT records, else {DEFAULT_SPEC})",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help=f"the output folder (default: SPEC when it is a folder, else {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--package-name",
        metavar="NAME",
        help="Python package name (default: the config's package_name, else the name OUT "
        "records, else one made from the spec's title)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="client config (default: <spec name>.client.yaml beside the spec, else the "
        "one OUT records)",
    )
    _add_overlay(parser)
    _add_strict(parser)


def _add_overlay(parser: argparse.ArgumentParser, what: str = "") -> None:
    parser.add_argument(
        "--overlay",
        action="append",
        type=Path,
        metavar="FILE",
        help="an OpenAPI Overlay 1.0 document to apply to the spec first; repeatable, "
        "applied in order after those the client config lists "
        + (f"({what})" if what else "(default: those OUT records)"),
    )


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
        code = _run(args)
        sys.stdout.flush()  # here, so that a closed pipe is seen while it can be handled
        return code
    except BrokenPipeError:
        # The reader went away (``... | head``): what it wanted was printed. Point stdout at
        # /dev/null so the interpreter's last flush finds nothing to complain about, and
        # exit as a program killed by SIGPIPE would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + 13
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
    status = main()
    # The process ends here: spare it the interpreter's last collection over everything the
    # run made (about 1 s after generating the whole OpenAI API). Nothing waits on it.
    gc.freeze()
    sys.exit(status)
