"""``python -m generator diff OLD NEW [--format text|json]``.

Each side is a spec, built into the IR with the client config beside it, or a generated
package (its folder, or its ``_api.json``), read from the API description it carries, so a
package can be compared with a new spec when its old spec is gone. Both are compared by
:func:`~.engine.diff_apis`. Exit codes: 0 no breaking change, 1 at least one breaking
change (for CI gates), 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ...errors import GeneratorError, Problem
from ...pipeline import apidesc, ir
from ...pipeline.build import build_api, spec_config_path
from ...pipeline.config import load_config
from ...pipeline.inputfiles import open_regular
from ...pipeline.load import load_document
from .engine import diff_apis
from .report import report_json, report_text


def load_api(spec: Path) -> ir.Api:
    """The IR of ``spec``: a spec, built with the client config beside it (defaults when
    absent), or a generated package's API description."""
    description = spec / apidesc.FILE_NAME if spec.is_dir() else spec
    if description.name == apidesc.FILE_NAME:
        try:
            with open_regular(description) as stream:
                return apidesc.load(stream.read())
        except (OSError, apidesc.DescriptionError) as exc:
            raise GeneratorError([Problem(str(description), "", f"cannot read: {exc}")]) from None
    document = load_document(spec)
    return build_api(document, load_config(spec_config_path(spec)))


def main(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    apis: list[ir.Api] = []
    for spec in (args.old, args.new):
        try:
            apis.append(load_api(spec))
        except GeneratorError as error:
            problems += error.problems
    if problems:
        raise GeneratorError(problems)
    changes = diff_apis(apis[0], apis[1])
    if args.format == "json":
        print(json.dumps(report_json(changes, str(args.old), str(args.new)), indent=2))
    else:
        print(report_text(changes), end="")
    return 1 if any(c.breaking for c in changes) else 0
