"""Make the committed generated package importable without installing it."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if importlib.util.find_spec("openai_images") is None:
    sys.path.insert(0, str(ROOT / "generated"))
