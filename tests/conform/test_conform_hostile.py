"""Hostile input never crashes ``conform``: an unusable file exits 2 with a located message,
and anything wrong inside one exchange is a finding."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from conform_support import RECORDINGS, SPEC

from generator.__main__ import main
from generator.tools.conform.checker import Checker
from generator.tools.conform.recordings import read_recording

DEEP = "[" * 100_000 + "]" * 100_000


def recording(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((RECORDINGS / name).read_text(encoding="utf-8"))
    return document


def first(document: dict[str, Any]) -> dict[str, Any]:
    exchange: dict[str, Any] = document["exchanges"][0]
    return exchange


def conform(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: Any, name: str = "r.json"
) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    code = main(["conform", str(SPEC), str(path), "--format", "json"])
    out, err = capsys.readouterr()
    return code, out, err


def findings(out: str) -> list[tuple[str, str, str]]:
    (exchange,) = json.loads(out)["exchanges"]
    return [(f["location"], f["rule"], f["message"]) for f in exchange["findings"]]


# -- unusable files: exit 2, located ------------------------------------------------------


@pytest.mark.parametrize("url", ["http://[::1", "http://[zz]/"])
def test_invalid_ipv6_url_in_a_recording_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str
) -> None:
    document = recording("images_response.json")
    first(document)["request"]["url"] = url
    code, out, err = conform(capsys, tmp_path, document)
    assert (code, out) == (2, "")
    assert "/exchanges/0/request/url: invalid URL" in err
    assert "Traceback" not in err and "internal error" not in err


def test_invalid_ipv6_url_in_a_har_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = json.loads((RECORDINGS / "browser_export.har").read_text(encoding="utf-8"))
    document["log"]["entries"][1]["request"]["url"] = "http://[::1"
    code, _, err = conform(capsys, tmp_path, document, "r.har")
    assert code == 2
    assert "/log/entries/1/request/url: invalid URL" in err


def test_recording_file_nested_too_deeply_exits_2_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = conform(capsys, tmp_path, '{"format": "http-recording/1",\n"exchanges": ' + DEEP)
    assert code == 2
    assert "r.json:2: /: not a recording: JSON nested too deeply to read" in err


def test_unforeseen_failure_while_reading_a_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(node: Any, pointer: str) -> Any:
        raise TypeError("a reader bug")

    monkeypatch.setattr("generator.tools.conform.recordings.decode_exchange", broken)
    code, _, err = conform(capsys, tmp_path, recording("images_response.json"))
    assert code == 2
    assert "cannot read this recording: TypeError: a reader bug" in err


# -- findings -------------------------------------------------------------------------------


def test_body_nested_too_deeply_is_a_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = recording("images_response.json")
    first(document)["response"]["body"] = {"text": DEEP}
    code, out, _ = conform(capsys, tmp_path, document)
    assert code == 1
    assert findings(out) == [
        ("body", "json", "the body is not valid JSON: it is nested too deeply to read")
    ]


def test_event_nested_too_deeply_is_a_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = recording("edit_stream.json")
    first(document)["response"]["body"] = {"lines": ["data: " + DEEP, "", ""]}
    code, out, _ = conform(capsys, tmp_path, document)
    assert code == 1
    ((location, rule, message), (_, unfinished, _)) = findings(out)
    assert unfinished == "sse"  # and the stream has no terminal event
    assert (location, rule) == ("event 0", "json")
    assert "nested too deeply" in message


def test_multipart_filename_in_an_unknown_charset_is_a_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = recording("images_response.json")
    body = first(document)["request"]["body"]
    image = next(p for p in body["multipart"]["parts"] if "base64" in p)
    name, value = image["headers"][0]
    image["headers"][0] = [name, value + "; filename*=x-bogus-charset''a%FF.png"]
    code, out, _ = conform(capsys, tmp_path, document)
    assert code == 1
    ((location, rule, message),) = findings(out)
    assert (location, rule) == ("body", "multipart")
    assert "filename* cannot be decoded as 'x-bogus-charset'" in message


@pytest.mark.parametrize("status", [99999, -5, 0, 600])
def test_status_outside_100_to_599_is_a_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, status: int
) -> None:
    document = recording("error_400.json")
    first(document)["response"]["status"] = status
    code, out, _ = conform(capsys, tmp_path, document)
    assert code == 1
    ((location, rule, message),) = findings(out)
    assert (location, rule) == ("status", "status")
    assert f"status {status} is not an HTTP status" in message


@pytest.mark.parametrize("where", ["header", "recorded"])
def test_unknown_content_coding_is_reported_as_such(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str
) -> None:
    document = recording("images_response.json")
    response = first(document)["response"]
    raw = b"\x00\x01 some x-bogus bytes"
    response["body"] = {"base64": base64.b64encode(raw).decode()}
    if where == "header":
        response["headers"].append(["Content-Encoding", "x-bogus"])
    else:
        response["body"]["content_encoding"] = "x-bogus"
    code, out, _ = conform(capsys, tmp_path, document)
    assert code == 1
    ((location, rule, message),) = findings(out)
    assert (location, rule) == ("header Content-Encoding", "content-encoding")
    assert '"x-bogus", which is not an HTTP content coding' in message
    assert "JSON" not in message


def test_unforeseen_failure_inside_an_exchange_is_a_finding_naming_it(
    checker: Checker, monkeypatch: pytest.MonkeyPatch
) -> None:
    (exchange,) = read_recording(RECORDINGS / "images_response.json")

    def broken(pointer: str, instance: Any) -> Any:
        raise KeyError("a checker bug")

    monkeypatch.setattr(checker.schemas, "issues", broken)
    report = checker.check(exchange)
    (finding,) = report.findings
    assert (finding.subject, finding.rule, finding.label) == (
        "exchange",
        "checker",
        "exchange 0 (POST /v1/images/edits)",
    )
    assert "KeyError" in finding.message
    assert not report.ok
