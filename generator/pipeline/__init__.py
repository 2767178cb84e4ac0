"""``generate`` and ``check``: spec → IR → rendered files → formatted → written or compared."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from ..errors import GeneratorError, Problem, distinct


@attrs.frozen
class Generated:
    """The files of a generated package, the warnings found on the way, and what it was
    made from (for the record an output folder keeps, :mod:`.record`)."""

    files: dict[str, str]
    warnings: list[Problem]
    operations: int = 0  # generated
    total: int = 0  # in the spec
    spec_sha256: str = ""
    package_name: str = ""
    config: Path | None = None  # the client config read, when there was one
    overlays: tuple[tuple[Path, str, str], ...] = ()  # (path, sha256, "config"/"command line")
    bundled: bool = False  # parts of the spec came from other files ($refs to them)

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
    overlays: Sequence[Path] = (),
    fallback_name: str | None = None,
) -> Generated:
    """Every file of the generated package, formatted, keyed by path relative to the output,
    with the warnings (load, overlays, validation, mapping) that did not stop generation.

    The overlays the client config lists, then ``overlays``, patch the spec before anything
    else reads it. The package is named ``package_name``, else by the config, else
    ``fallback_name``, else after the spec's title. The spec is validated in a forked
    process while the package is built and rendered. Raises :class:`GeneratorError` with
    the warnings and then the errors when generation fails; with ``strict``, warnings make
    it fail too.
    """
    with without_cyclic_gc():
        return _generate(
            spec, config, package_name, strict=strict, overlays=overlays,
            fallback_name=fallback_name,
        )  # fmt: skip


@contextlib.contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off for the block (and on again after, if it was).

    A run builds hundreds of thousands of small objects beside the parsed spec, and no
    garbage to speak of; each collection walked them all again (about 40 % of building the
    whole OpenAI API, most of a parse). Reference counting still frees what is dropped; the
    few cycles wait until the block ends.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _generate(
    spec: Path,
    config: Path | None,
    package_name: str | None,
    *,
    strict: bool,
    overlays: Sequence[Path],
    fallback_name: str | None,
) -> Generated:
    """:func:`generate`, with the cyclic garbage collector off."""
    from .build import build_api, spec_config_path
    from .config import config_overlays, load_config, package_name_from_title
    from .docview import iter_operations
    from .formatcache import CachedValidation
    from .load import check_document, read_document
    from .overlay import apply_overlays, read_overlays
    from .render import Renderer
    from .write import format_files

    spec = Path(spec)
    document = read_document(spec)  # parse, bundle, version and $ref checks: errors stop here
    if config is not None and not config.exists():  # only the default may be missing
        raise GeneratorError([Problem(str(config), "", "cannot read file: it does not exist")])
    config_path = config or spec_config_path(spec)
    try:
        listed = config_overlays(config_path)
        patches = read_overlays([*listed, *overlays])
        patched = apply_overlays(document.data, patches, spec.name)
        if patches:  # an overlay may remove what a $ref points to, or the header
            errors = [p for p in check_document(document, validate=False) if p.severity == "error"]
            if errors:
                raise GeneratorError(errors)
    except GeneratorError as error:
        raise GeneratorError([*document.warnings, *error.problems]) from None
    document.warnings.extend(patched)
    validation = CachedValidation.start(document, [patch.sha256 for patch in patches])
    try:
        info = document.data.get("info")
        title = str(info.get("title", "")) if isinstance(info, dict) else ""
        fallback = fallback_name or package_name_from_title(title)
        settings = load_config(config_path, package_name, fallback_name=fallback)
        mapping: list[Problem] = []  # what the schema mapper left out or typed loosely
        api = build_api(document, settings, mapping)
        rendered = Renderer(api, spec.name, settings.runtime).render()
        files = format_files(rendered, scope=str(spec.resolve()))
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
    warnings = distinct([*document.warnings, *found, *mapping])
    if strict and warnings:
        raise GeneratorError([w.as_error() for w in warnings])
    origins = ["config"] * len(listed) + ["command line"] * len(overlays)
    return Generated(
        files,
        warnings,
        len(api.operations),
        len(iter_operations(document.data, document.version)),
        spec_sha256=document.sha256,
        bundled=bool(document.origins),
        package_name=settings.package_name,
        config=config_path if config_path.is_file() else None,
        overlays=tuple(
            (patch.path, patch.sha256, origin)
            for patch, origin in zip(patches, origins, strict=True)
        ),
    )


def generate_files(
    spec: Path, config: Path | None = None, package_name: str | None = None
) -> dict[str, str]:
    """Every file of the generated package (warnings are dropped; see :func:`generate`)."""
    return generate(spec, config, package_name).files


def main(args: argparse.Namespace) -> int:
    """``generate`` and ``check``: 0 done or up to date, 1 stale or a merge conflict."""
    from . import cli

    # Writing and comparing too: the first collection after the collector is back on walks
    # every object the run made (about 0.5 s for the whole OpenAI API).
    with without_cyclic_gc():
        return cli.run(args)


def _first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."
