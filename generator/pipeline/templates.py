"""Where the Jinja templates and the runtime package live, in a checkout or a wheel install."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
RUNTIME_DIR = _HERE.parent / "runtime"


def templates_dir() -> Path:
    """``generator/templates`` in a wheel install, ``templates/`` at the top of a checkout."""
    for candidate in (_HERE.parent / "templates", _HERE.parent.parent / "templates"):
        if (candidate / "models.py.jinja").is_file():
            return candidate
    raise FileNotFoundError("the generator's templates folder is missing from this install")
