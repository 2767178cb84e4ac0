"""``python -m generator conform``: text and JSON reports, and the exit status."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conform_support import RECORDINGS, ROOT, SPEC, LocalServer

from generator.__main__ import main

HAR = RECORDINGS / "browser_export.har"


def conform(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main(["conform", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_browser_har_export_conforms_end_to_end() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "conform", str(SPEC), str(HAR)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HAR entry 0 (POST /v1/images/edits) -> 200 application/json" in result.stdout
    assert "HAR entry 1 (POST /v1/images/edits) -> 200 text/event-stream, 2 events" in result.stdout
    assert result.stdout.rstrip().endswith("2 exchanges checked: 2 conform, 0 do not")


def broken_har(tmp_path: Path) -> Path:
    """The browser export with the second event of its stream renamed to an unknown type."""
    document: dict[str, Any] = json.loads(HAR.read_text(encoding="utf-8"))
    content = document["log"]["entries"][1]["response"]["content"]
    text = base64.b64decode(content["text"]).replace(b"image_edit.completed", b"image_edit.failed")
    content["text"] = base64.b64encode(text).decode()
    path = tmp_path / "broken.har"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_non_conforming_har_entry_exits_1_with_located_json_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = conform(capsys, SPEC, broken_har(tmp_path), "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["conforms"] is False
    assert report["summary"] == {"exchanges": 2, "conforming": 1, "failing": 1, "findings": 2}
    first, second = report["exchanges"]
    assert (first["conforms"], first["operation"], first["status"]) == (
        True,
        "createImageEdit",
        200,
    )
    finding, unfinished = second["findings"]
    assert (unfinished["rule"], unfinished["severity"]) == ("sse", "warning")  # no completed
    assert finding["label"] == "HAR entry 1 (POST /v1/images/edits)"
    assert (finding["location"], finding["rule"], finding["event"]) == (
        "event 1 /type",
        "discriminator",
        1,
    )
    assert finding["message"].startswith('unknown event type "image_edit.failed"')


def test_text_report_names_exchange_location_and_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = conform(capsys, SPEC, broken_har(tmp_path))
    assert code == 1
    assert "FAIL " in out
    assert (
        'response event 1 /type: unknown event type "image_edit.failed"' in out
        and "[discriminator]" in out
    )
    assert out.rstrip().endswith("2 exchanges checked: 1 conform, 1 does not")


def test_several_recordings_of_both_formats_in_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    files = [RECORDINGS / n for n in ("images_response.json", "error_400.json", "edit_stream.json")]
    code, out, _ = conform(capsys, SPEC, *files, HAR, "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["exchanges"] == 5


def test_documented_stream_example_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = conform(capsys, SPEC, RECORDINGS / "edit_stream_documented_example.json")
    assert code == 1
    assert "response event 0 /created_at: required property" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "invalid JSON"),
        ('{"hello": "world"}', "unknown recording format"),
        ('{"format": "http-recording/9", "exchanges": []}', "unsupported recording format"),
    ],
)
def test_unusable_recording_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = conform(capsys, SPEC, path)
    assert code == 2
    assert out == ""
    assert message in err and str(path) in err


def test_missing_recording_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = conform(capsys, SPEC, tmp_path / "nowhere.json")
    assert code == 2
    assert "cannot read file" in err


def test_unusable_spec_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 9.9.9\ninfo: {}\npaths: {}\n", encoding="utf-8")
    code, _, err = conform(capsys, spec, HAR)
    assert code == 2
    assert "unsupported OpenAPI version" in err


def test_base_url_checks_the_live_answer_instead_of_the_recorded_one(
    capsys: pytest.CaptureFixture[str], http_server: LocalServer
) -> None:
    http_server.answer(b'{"created": "yesterday"}')
    recording = RECORDINGS / "images_response.json"
    code, out, _ = conform(
        capsys, SPEC, recording, "--base-url", http_server.url + "/v1", "--format", "json"
    )
    assert code == 1
    (exchange,) = json.loads(out)["exchanges"]
    assert [(f["location"], f["rule"]) for f in exchange["findings"]] == [("body /created", "type")]
    (received,) = http_server.received
    assert (received.method, received.path) == ("POST", "/v1/images/edits")
    assert received.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert "authorization" not in received.headers  # redacted in the recording: not sent


def test_base_url_that_cannot_be_reached_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recording = RECORDINGS / "images_response.json"
    code, _, err = conform(capsys, SPEC, recording, "--base-url", f"http://127.0.0.1:{port}")
    assert code == 2
    assert "cannot replay" in err
