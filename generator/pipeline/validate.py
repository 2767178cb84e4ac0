"""Run openapi-spec-validator in a second process, in parallel with building and rendering.

Importing the validator alone takes longer than everything else the generator does to a
small spec, so ``generate`` starts it first and collects its verdict before writing.
Run as ``python -m generator.pipeline.validate SPEC``: prints the problems as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..errors import Problem


class ParallelValidation:
    """Validation of the spec at ``path`` in another process; ``problems()`` waits for it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._process = subprocess.Popen(
            [sys.executable, "-m", "generator.pipeline.validate", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent.parent,
        )

    def problems(self) -> list[Problem]:
        out, _ = self._process.communicate()
        try:
            return [Problem(str(self._path), *found) for found in json.loads(out)]
        except (ValueError, TypeError):  # the worker failed: validate here instead
            from .load import check_document, load_document

            return list(check_document(load_document(self._path, validate=False)))


def main(path: str) -> int:
    from ..errors import GeneratorError
    from .load import check_document, load_document

    try:
        document = load_document(path, validate=False)
        problems = [[p.pointer, p.message, p.line] for p in check_document(document)]
    except GeneratorError as error:
        problems = [[p.pointer, p.message, p.line] for p in error.problems]
    sys.stdout.write(json.dumps(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
