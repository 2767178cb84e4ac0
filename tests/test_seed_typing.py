"""The event type narrows: the README's streaming loop passes ``mypy --strict`` against the
committed package, with zero errors, and unknown events are typed where asked for; object
arguments take plain dicts, as the SDK's calls pass them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from genutil import ROOT

SEED_LOOP = """
from pathlib import Path

import openai_images as oi

client = oi.Client()
images = [Path(p) for p in ("bath-bomb.png", "body-lotion.png")]
with client.images.edit(image=images, prompt="A gift basket", stream=True) as stream:
    for event in stream:
        if event.type == "image_edit.partial_image":
            index: int | None = event.partial_image_index
        else:
            tokens = event.usage


async def unknown_too() -> None:
    async_client = oi.AsyncClient()
    stream = await async_client.images.edit(image=images, prompt="p", stream=True)
    async for item in stream.with_unknown():
        if isinstance(item, oi.UnknownEvent):
            kind: str | None = item.type
        elif item.type == "image_edit.completed":
            usage = item.usage


client.images.edit_json(images=[{"file_id": "file-1"}], prompt="p", mask={"file_id": "file-2"})
raw = client.images.with_raw_response.edit(image=images, prompt="p")
result: oi.ImagesResponse = raw.parse()
request_id: str | None = result._request_id
"""

NOT_NARROWED = """
import openai_images as oi

with oi.Client().images.edit(image=b"", prompt="p", stream=True) as stream:
    for event in stream:
        event.partial_image_index
"""


def mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    module = tmp_path / "seed_loop.py"
    module.write_text(source)
    environment = {**os.environ, "MYPYPATH": str(ROOT / "generated")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(module)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        env=environment,
    )


def test_the_seed_streaming_loop_passes_mypy_strict(tmp_path: Path) -> None:
    done = mypy(tmp_path, SEED_LOOP)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


def test_without_narrowing_the_union_is_an_error(tmp_path: Path) -> None:
    done = mypy(tmp_path, NOT_NARROWED)
    assert done.returncode == 1
    assert 'has no attribute "partial_image_index"' in done.stdout
