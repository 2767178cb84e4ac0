"""Where the generator's templates live: inside the installed package, or in the checkout."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

_HERE = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """``generator/templates`` in a wheel install, ``templates/`` beside it in a checkout."""
    for candidate in (_HERE / "templates", _HERE.parent / "templates"):
        if (candidate / "runtime").is_dir():
            return candidate
    raise FileNotFoundError("the generator's templates folder is missing from this install")


def load_runtime_module(name: str) -> ModuleType:
    """Import one stand-alone runtime module (for example ``_sse``) from the templates.

    Only modules without sibling imports can be loaded this way; the generator uses this to
    share the generated package's SSE reader instead of keeping a second one.
    """
    path = templates_dir() / "runtime" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"generator._runtime_{name.lstrip('_')}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load runtime module {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
