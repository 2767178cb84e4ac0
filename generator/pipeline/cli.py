"""``generate`` and ``check`` on an output folder: write or compare, keeping the user's work.

Exit codes: 0 written (or up to date: hand edits that still apply are fine), 1 ``check``
found the folder stale, or ``generate`` left conflict markers in files edited by hand,
2 bad input (reported by the caller).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from ..errors import GeneratorError, Problem, print_problems
from . import Generated, checkcache, generate
from .inputs import Inputs, resolve
from .record import Record, Source, record_files, relative_to, sha256
from .regenerate import Plan, Status, plan, status
from .write import is_ours, update_in_place, write_atomically

_LISTED = 20  # file names shown before "and N more"


def run(args: argparse.Namespace) -> int:
    inputs = resolve(args)
    if args.command == "check":
        hit = checkcache.lookup(inputs, args.strict)
        if hit is not None and checkcache.up_to_date(inputs.out, hit):
            print_problems(hit.warnings)  # what the full check would print
            return _report(inputs.out, Status((), (), (), (), (), ""), _command(args))
    result = generate(
        inputs.spec,
        inputs.config,
        inputs.package_name,
        strict=args.strict,
        overlays=inputs.overlays,
        fallback_name=inputs.fallback_name,
    )
    print_problems(result.warnings)
    record = make_record(result, inputs)
    files = {name: text.encode("utf-8") for name, text in result.files.items()}
    if not result.bundled:  # a spec split over files: its other files are not tracked here
        read = [inputs.spec, *([result.config] if result.config else [])]
        read += [path for path, _, _ in result.overlays]
        checkcache.store(inputs, args.strict, record, read, result.warnings)
    if args.command == "check":
        return _report(inputs.out, status(inputs.out, files, record), _command(args))
    return _write(args, inputs, result, record, files)


def make_record(result: Generated, inputs: Inputs) -> Record:
    """The record of this generation, with paths relative to the output folder."""
    out = inputs.out
    spec = Source(relative_to(inputs.spec, out), result.spec_sha256)
    config = None
    if result.config is not None:
        config = Source(relative_to(result.config, out), sha256(result.config.read_bytes()))
    overlays = tuple(
        Source(relative_to(path, out), digest, origin) for path, digest, origin in result.overlays
    )
    hashes = {name: sha256(text.encode("utf-8")) for name, text in result.files.items()}
    return Record(spec, result.package_name, config, overlays, hashes)


def _write(
    args: argparse.Namespace,
    inputs: Inputs,
    result: Generated,
    record: Record,
    files: dict[str, bytes],
) -> int:
    out = inputs.out
    changelog = _changelog(args, out, result)
    extra = record_files(record, result.files)
    if out.is_dir() and any(out.iterdir()):
        if not is_ours(out):
            message = "exists and was not written by this generator; not replacing it"
            raise GeneratorError([Problem(str(out), "", message)])
        done = plan(out, files, extra, discard_edits=getattr(args, "discard_edits", False))
        update_in_place(out, done.writes, done.removes)
    else:
        done = Plan({**files, **extra}, ())
        write_atomically(out, done.writes)
    if changelog is not None:
        _write_changelog(args.changelog, changelog)
    return _report_written(out, done, result)


def _changelog(args: argparse.Namespace, out: Path, result: Generated) -> str | None:
    """The changelog's text, computed before the old package is replaced."""
    path: Path | None = getattr(args, "changelog", None)
    if path is None:
        return None
    try:
        inside = path.resolve().relative_to(out.resolve()).as_posix()
    except ValueError:
        inside = None
    if inside is not None and inside in result.files:
        message = "is a file the generator writes; write the changelog elsewhere"
        raise GeneratorError([Problem(str(path), "", message)])
    from ..tools.changelog import changelog

    return changelog(out, result.files)


def _write_changelog(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise GeneratorError([Problem(str(path), "", f"cannot write: {reason}")]) from None


def _report_written(out: Path, done: Plan, result: Generated) -> int:
    changed = sum(1 for name in done.writes if name in result.files)
    removed = f", removed {len(done.removes)}" if done.removes else ""
    print(f"wrote {changed} of {len(result.files)} files to {out}{removed}; {result.summary()}")
    for name in done.merged:
        print(f"kept your edits in {out / name} (merged with the new generation)")
    for name in done.discarded:
        print(f"discarded your edits in {out / name} (--discard-edits)")
    for name in done.kept:
        print(
            f"warning: {out / name}: no longer generated, but edited by hand: left in place "
            "(it is yours now)",
            file=sys.stderr,
        )
    if not done.conflicts:
        return 0
    for name in done.conflicts:
        print(f"conflict: {out / name}", file=sys.stderr)
    count = len(done.conflicts)
    print(
        f"{count} file{'s' if count != 1 else ''} edited by hand also changed in the new "
        "generation where you edited them: both versions are between <<<<<<< and >>>>>>> "
        "lines; resolve them (or regenerate with --discard-edits to drop your edits)",
        file=sys.stderr,
    )
    return 1


def _report(out: Path, found: Status, command: str) -> int:
    if found.edited:
        print(
            f"edited by hand (the edits still apply; regenerating keeps them): "
            f"{_names(found.edited)}"
        )
    if found.ok:
        print(f"{out} is up to date")
        return 0
    sys.stdout.write(found.diff)
    for reason in found.reasons:
        print(f"{out}: {reason}", file=sys.stderr)
    if found.stale:
        print(f"stale: {_names(found.stale)}", file=sys.stderr)
    if found.conflicted:
        print(f"unresolved conflict markers in: {_names(found.conflicted)}", file=sys.stderr)
    if found.unknown:
        print(
            f"edited by hand, but the previous generation of these is not kept, so whether they "
            f"are stale cannot be told: {_names(found.unknown)}",
            file=sys.stderr,
        )
    print(f"{out} is stale: run `{command}`", file=sys.stderr)
    return 1


def _names(names: tuple[str, ...]) -> str:
    shown = ", ".join(names[:_LISTED])
    more = len(names) - _LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _command(args: argparse.Namespace) -> str:
    """The ``generate`` command that makes what ``check`` compared with."""
    parts = ["python", "-m", "generator", "generate"]
    if args.spec is not None:
        parts.append(str(args.spec))
    if args.output is not None:
        parts += ["-o", str(args.output)]
    if args.config is not None:
        parts += ["--config", str(args.config)]
    if args.package_name is not None:
        parts += ["--package-name", args.package_name]
    for overlay in args.overlay or ():
        parts += ["--overlay", str(overlay)]
    return shlex.join(parts)
