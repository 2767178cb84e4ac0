"""Property: whatever a recording holds, ``conform`` answers 0, 1 or 2, and never raises.

Hypothesis mutates the checked-in recordings (both formats): statuses, headers, body bytes,
the framing of event streams, and the JSON structure of the file itself.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conform_support import RECORDINGS, SPEC
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.__main__ import main

BASES = ("images_response.json", "edit_stream.json", "error_400.json", "browser_export.har")

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
STATUS = (
    st.integers(-(10**6), 10**6) | st.sampled_from([0, 99, 100, 204, 299, 400, 599, 600]) | JSON
)
URLS = st.text(max_size=30) | st.sampled_from(
    ["http://[::1", "http://[zz]/", "http://a:b@c:d/", "//x", "", "https://h/v1/images/edits?%"]
)
HEADER_NAMES = st.sampled_from(["Content-Type", "Content-Encoding", "content-type", "X-Y"])
HEADER_VALUES = st.text(max_size=40) | st.sampled_from(
    ["text/event-stream", "application/json", "multipart/form-data; boundary=", "gzip", "br, x"]
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _set(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return document


def _messages(document: Any) -> list[dict[str, Any]]:
    """The request and response objects of a document, of either format."""
    entries = document.get("exchanges") or document.get("log", {}).get("entries") or []
    return [
        m for e in entries for m in (e.get("request"), e.get("response")) if isinstance(m, dict)
    ]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The text of a checked-in recording after one to three mutations."""
    name = draw(st.sampled_from(BASES))
    document: Any = json.loads((RECORDINGS / name).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        messages = _messages(document) if isinstance(document, dict) else []
        kind = draw(st.sampled_from(["status", "header", "url", "bytes", "stream", "json", "deep"]))
        if kind == "status" and messages:
            draw(st.sampled_from(messages))["status"] = draw(STATUS)
        elif kind == "header" and messages:
            message = draw(st.sampled_from(messages))
            pair = [draw(HEADER_NAMES), draw(HEADER_VALUES)]
            message["headers"] = [*(message.get("headers") or []), pair]
        elif kind == "url" and messages:
            draw(st.sampled_from(messages))["url"] = draw(URLS)
        elif kind == "bytes" and messages:
            data = base64.b64encode(draw(st.binary(max_size=200))).decode()
            draw(st.sampled_from(messages))["body"] = {"base64": data}
        elif kind == "stream" and messages:
            text = "event: image_edit.completed\ndata: {}\n\n" + draw(st.text(max_size=60))
            ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
            cut = draw(st.integers(0, len(text)))
            lines = text[:cut].replace("\n", ending).split("\n")
            body: dict[str, Any] = {"lines": lines, "incomplete": draw(st.booleans())}
            draw(st.sampled_from(messages))["body"] = body
        elif kind == "json":
            document = _set(document, draw(st.sampled_from(_paths(document))), draw(JSON))
        elif kind == "deep" and messages:
            depth = draw(st.integers(1, 5000))
            nested = "data: " * draw(st.booleans()) + "[" * depth + "]" * depth
            draw(st.sampled_from(messages))["body"] = {"lines": [nested, "", ""]}
    text = json.dumps(document)
    damage = draw(st.sampled_from(["none"] * 8 + ["truncated", "nested"]))
    if damage == "truncated":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "nested":
        depth = draw(st.integers(1, 5000))
        text = "[" * depth + text + "]" * depth
    return text


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A scratch folder; meanwhile ``main`` re-raises what it would report as internal."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENERATOR_DEBUG", "1")
        yield tmp_path_factory.mktemp("fuzz")


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=mutated(), output=st.sampled_from(["text", "json"]))
def test_conform_exits_0_1_or_2_on_any_mutated_recording(
    folder: Path, capsys: pytest.CaptureFixture[str], text: str, output: str
) -> None:
    path = folder / "mutated.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code = main(["conform", str(SPEC), str(path), "--format", output])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert out == "" and str(path) in err
    elif output == "json":
        assert json.loads(out)["conforms"] is (code == 0)
