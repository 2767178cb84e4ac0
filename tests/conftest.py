"""Make the committed generated package importable without installing it."""

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if importlib.util.find_spec("openai_images") is None:
    sys.path.insert(0, str(ROOT / "generated"))

# ``check``'s cache (generator/pipeline/checkcache.py): a fresh one for the run, never the
# user's; subprocesses of the tests inherit it.
os.environ.setdefault(
    "OPENAPI_IMAGES_GENERATOR_CACHE", tempfile.mkdtemp(prefix="generator-check-cache-")
)

# One mypy cache for the whole run: each test's mypy subprocess reuses what an earlier one
# learnt of the standard library, attrs and httpx, and checks only its own package (mypy
# notices a changed or moved file by its hash, so sharing is safe).
os.environ.setdefault("MYPY_CACHE_DIR", tempfile.mkdtemp(prefix="generator-tests-mypy-"))
