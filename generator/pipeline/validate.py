"""Validate a loaded OpenAPI document; every finding is a warning, located at its pointer.

What is checked, and how, chosen for speed (the 3 MB OpenAI spec in well under a second,
where openapi-spec-validator takes about ten):

* the document's structure against the OpenAPI meta-schema that openapi-spec-validator ships,
  with :mod:`jsonschema` and a registry crawled once (uncrawled, each ``$dynamicRef`` re-crawls
  the meta-schema, which is 80% of the time). Schema Objects are opaque to this step;
* every Schema Object's keywords, by :mod:`.schemacheck` (a table, not a meta-schema);
* defaults against their schemas, duplicate operationIds, parameters and tags, path
  parameters, and ``$ref`` cycles, by :mod:`.semantics`.

:class:`ParallelValidation` runs all this in a forked child while the parent builds and
renders, so that validation costs no wall time on a second core.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem, pointer_join

if TYPE_CHECKING:
    from .load import Document

_MAX_REPORTED = 1000  # findings past this many are summed up in one last warning


def validate_document(document: Document) -> list[Problem]:
    """Every validation finding of ``document``, as located warnings, in document order."""
    return [document.problem(p, m).as_warning() for p, m in findings(document)]


def findings(document: Document) -> list[tuple[str, str]]:
    """Every validation finding of ``document``: (JSON pointer, message) pairs."""
    from .load import iter_schema_objects
    from .schemacheck import check_schemas
    from .semantics import check_defaults, check_semantics

    data, version = document.data, document.version
    found: list[tuple[str, str]] = []
    steps: tuple[Callable[[], Iterable[tuple[str, str]]], ...] = (
        lambda: _check_structure(data, version),
        lambda: check_schemas(iter_schema_objects(data), version),
        lambda: check_semantics(data, version),
        lambda: check_defaults(data, version, iter_schema_objects(data)),
    )
    for step in steps:
        try:
            found.extend(step())
        except RecursionError:
            found.append(("", "validation gave up: the document nests too deeply for it"))
        except Exception as exc:  # a validator bug must not stop generation: say so, go on
            found.append(("", f"validation gave up: {type(exc).__name__}: {exc}"))
    unique = list(dict.fromkeys(found))
    if len(unique) > _MAX_REPORTED:
        more = len(unique) - _MAX_REPORTED
        unique[_MAX_REPORTED:] = [("", f"and {more} more validation findings")]
    return unique


# --------------------------------------------------------------------------------------------
# Structure


def _check_structure(data: dict[str, Any], version: str) -> Iterator[tuple[str, str]]:
    from jsonschema.exceptions import best_match

    for error in _structure_validator(version).iter_errors(data):
        detail = error
        while detail.context:
            detail = best_match(detail.context)
        path = [str(p) for p in detail.absolute_path]
        yield pointer_join("", *path), f"invalid OpenAPI: {_first_line(detail.message)}"


@functools.cache
def _structure_validator(version: str) -> Any:
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT4, DRAFT202012

    if version == "3.0":
        schema = _meta_schema("3.0")
        # Schema Objects are checked by schemacheck; here they only need to be mappings
        # that are not Reference Objects (the meta-schema says "Schema or Reference").
        schema["definitions"]["Schema"] = {"type": "object", "not": {"required": ["$ref"]}}
        schema["id"] = "urn:openapi-images-generator:oas-3.0"
        registry: Registry[Any] = Registry().with_resource(
            schema["id"], DRAFT4.create_resource(schema)
        )
        return jsonschema.Draft4Validator(schema, registry=registry.crawl())
    schema = _meta_schema(version)
    # The meta-schema refers only to itself; crawled once, its $dynamicRefs resolve at once.
    registry = Registry().with_resource(schema["$id"], DRAFT202012.create_resource(schema))
    return jsonschema.Draft202012Validator(schema, registry=registry.crawl())


def _meta_schema(version: str) -> dict[str, Any]:
    """The OpenAPI meta-schema openapi-spec-validator ships, read without importing it
    (importing the package costs more than validating a small spec)."""
    spec = importlib.util.find_spec("openapi_spec_validator")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder, "resources", "schemas", f"v{version}", "schema.json")
        if path.is_file():
            schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return schema
    from openapi_spec_validator.schemas import schema_v30, schema_v31, schema_v32

    shipped = {"3.0": schema_v30, "3.1": schema_v31, "3.2": schema_v32}[version]
    return copy.deepcopy(dict(shipped))


def _first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return line if len(line) <= limit else line[: limit - 3] + "..."


# --------------------------------------------------------------------------------------------
# In parallel


class ParallelValidation:
    """Validation of ``document`` in a forked child process; ``problems()`` waits for it.

    The child shares the parsed document with the parent (no second parse, no re-import) and
    sends its findings back as JSON through a pipe. Where ``fork`` is missing, or the child
    fails, the parent validates by itself.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._pid = 0
        self._read = -1
        if hasattr(os, "fork") and os.environ.get("GENERATOR_VALIDATE_IN_PROCESS") != "1":
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: validate, write, and leave without running any cleanup
            code = 0
            try:
                os.close(read)
                payload = json.dumps(findings(self._document)).encode()
                with os.fdopen(write, "wb") as stream:
                    stream.write(payload)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def problems(self) -> list[Problem]:
        """The validation warnings (computed here if the child could not deliver them)."""
        if not self._pid:
            return validate_document(self._document)
        chunks = []
        with os.fdopen(self._read, "rb") as stream:
            while chunk := stream.read(1 << 16):
                chunks.append(chunk)
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        try:
            if status != 0:
                raise ValueError(status)
            found = json.loads(b"".join(chunks))
            return [self._document.problem(p, m).as_warning() for p, m in found]
        except (ValueError, TypeError):
            return validate_document(self._document)

    def cancel(self) -> None:
        """Stop the child (when generation failed before its findings were wanted)."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, 9)
                os.waitpid(self._pid, 0)
            with contextlib.suppress(OSError):
                os.close(self._read)
            self._pid = 0


def main(path: str) -> int:
    """``python -m generator.pipeline.validate SPEC``: print the findings, one a line."""
    from ..errors import GeneratorError
    from .load import load_document

    try:
        document = load_document(path)
    except GeneratorError as error:
        for problem in error.problems:
            print(f"{problem.severity}: {problem}", file=sys.stderr)
        return 2
    for problem in document.warnings:
        print(f"warning: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
