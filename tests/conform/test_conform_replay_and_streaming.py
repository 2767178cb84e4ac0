"""``conform --base-url`` sends only the credentials given for the run, never recorded ones,
and waits ``--timeout``; recordings are data, streamed in bounded memory with no size limit
meant for specs."""

from __future__ import annotations

import json
import socket
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from conform_support import RECORDINGS, SPEC, LocalServer

from generator.__main__ import main
from generator.errors import Problem
from generator.tools.conform.recordings import iter_recording

SECRETS = ("sk-recorded-1234567890", "session=recorded-cookie", "probe-recorded", "q-recorded")


def conform(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main(["conform", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def spec_with_key_schemes(tmp_path: Path) -> Path:
    """The fragment, with API-key schemes in a header and a query parameter no name rule
    would call secret."""
    document: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    document["components"]["securitySchemes"].update(
        {
            "Probe": {"type": "apiKey", "in": "header", "name": "X-Probe-Cred"},
            "Query": {"type": "apiKey", "in": "query", "name": "k"},
        }
    )
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def unredacted_har(tmp_path: Path) -> Path:
    """A browser's HAR: its credentials in clear, as browsers export them."""
    (exchange,) = json.loads((RECORDINGS / "images_response.json").read_text())["exchanges"]
    request = exchange["request"]
    url = request["url"] + "?k=q-recorded&keep=1"
    headers = [{"name": n, "value": v} for n, v in request["headers"] if n != "Authorization"]
    headers += [
        {"name": "Authorization", "value": "Bearer sk-recorded-1234567890"},
        {"name": "Cookie", "value": "session=recorded-cookie"},
        {"name": "X-Probe-Cred", "value": "probe-recorded"},
        {"name": "X-Client-Secret", "value": "another-recorded"},
    ]
    body = json.loads(json.dumps(request["body"]))
    entry = {
        "request": {"method": "POST", "url": url, "headers": headers, "postData": {
            "mimeType": dict(request["headers"])["Content-Type"],
            "text": _multipart_text(body),
        }},
        "response": {"status": 200, "headers": [], "content": {"size": 0}},
    }  # fmt: skip
    path = tmp_path / "browser.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry]}}), encoding="utf-8")
    return path


def _multipart_text(body: dict[str, Any]) -> str:
    from generator.runtime._recording_format import decode_body

    data, _, _ = decode_body(body, "")
    return data.decode("latin-1")


def test_a_replay_sends_no_recorded_credential(
    capsys: pytest.CaptureFixture[str], http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.answer(b'{"created": 1}')
    spec = spec_with_key_schemes(tmp_path)
    code, _, err = conform(capsys, spec, unredacted_har(tmp_path), "--base-url", http_server.url)
    assert code in (0, 1), err
    (received,) = http_server.received
    sent = json.dumps(received.headers) + received.path
    for secret in (*SECRETS, "another-recorded"):
        assert secret not in sent
    assert received.path == "/images/edits?keep=1"  # the query's other parameters are kept


def test_a_replay_sends_the_credentials_given_for_the_run(
    capsys: pytest.CaptureFixture[str],
    http_server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONFORM_AUTHORIZATION", "Bearer sk-given-for-this-run")
    http_server.answer(b'{"created": 1}')
    spec = spec_with_key_schemes(tmp_path)
    har = unredacted_har(tmp_path)
    conform(capsys, spec, har, "--base-url", http_server.url, "--header", "X-Probe-Cred: fresh")
    (received,) = http_server.received
    assert received.headers["authorization"] == "Bearer sk-given-for-this-run"
    assert received.headers["x-probe-cred"] == "fresh"
    assert "cookie" not in received.headers


def test_timeout_bounds_the_wait_for_a_live_answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
    try:
        code, out, err = conform(
            capsys, SPEC, RECORDINGS / "images_response.json", "--base-url", url,
            "--timeout", "0.3",
        )  # fmt: skip
    finally:
        silent.close()
        for connection in accepted:
            connection.close()
    assert (code, out) == (2, "")
    assert "cannot replay" in err and "timed out" in err


def test_a_bad_timeout_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["conform", str(SPEC), str(RECORDINGS / "images_response.json"), "--timeout", "0"])
    assert "not a positive number of seconds" in capsys.readouterr().err


# -- streaming ------------------------------------------------------------------------------


def many_exchanges(path: Path, count: int, body_size: int) -> Path:
    """A recording of ``count`` copies of the JSON exchange, each answer ``body_size`` long."""
    document = json.loads((RECORDINGS / "images_response.json").read_text(encoding="utf-8"))
    (exchange,) = document["exchanges"]
    padding = "A" * body_size
    exchange["response"]["body"] = {"text": json.dumps({"created": 1, "pad": padding})}
    item = json.dumps(exchange)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "http-recording/1", "exchanges": [\n')
        out.write(",\n".join([item] * count))
        out.write("\n]}\n")
    return path


def many_har_entries(path: Path, count: int, body_size: int) -> Path:
    entry = {
        "request": {"method": "GET", "url": "https://api.test/v1/x", "headers": []},
        "response": {"status": 200, "headers": [], "content": {"text": "B" * body_size}},
    }
    item = json.dumps(entry)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"log": {"version": "1.2", "entries": [\n')
        out.write(",\n".join([item] * count))
        out.write('\n], "pages": []}}\n')
    return path


def peak_while_reading(path: Path) -> tuple[int, int]:
    """(exchanges read, peak bytes traced) while streaming through a recording."""
    problems: list[Problem] = []
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_recording(path, problems))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problems == []
    return count, peak


def test_a_long_recording_is_read_in_memory_bounded_by_one_exchange(tmp_path: Path) -> None:
    path = many_exchanges(tmp_path / "long.json", count=1500, body_size=8192)
    size = path.stat().st_size
    count, peak = peak_while_reading(path)
    assert count == 1500
    assert peak < size / 10, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_a_long_har_is_read_in_memory_bounded_by_one_entry(tmp_path: Path) -> None:
    path = many_har_entries(tmp_path / "long.har", count=3000, body_size=4096)
    size = path.stat().st_size
    count, peak = peak_while_reading(path)
    assert count == 3000
    assert peak < size / 10, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_the_spec_input_limit_does_not_apply_to_recordings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = many_exchanges(tmp_path / "rec.json", count=3, body_size=4096)
    assert path.stat().st_size > 8192
    code, out, err = conform(capsys, SPEC, path, "--max-input-size", "100K")
    assert code == 0, err
    assert out.endswith("3 exchanges checked: 3 conform, 0 do not\n")
    code, _, err = conform(capsys, SPEC, path, "--max-input-size", "1K")
    assert code == 2 and "limit" in err  # the spec itself (about 6 KB) is still bounded


def test_exchanges_before_the_format_member_are_read(tmp_path: Path) -> None:
    document = json.loads((RECORDINGS / "images_response.json").read_text(encoding="utf-8"))
    path = tmp_path / "sorted.json"
    path.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")  # exchanges first
    problems: list[Problem] = []
    assert len(list(iter_recording(path, problems))) == 1 and problems == []


def test_a_syntax_error_deep_in_a_long_recording_names_its_line(tmp_path: Path) -> None:
    path = many_exchanges(tmp_path / "long.json", count=200, body_size=1024)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[150] = lines[150].replace('"status"', "status", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    problems: list[Problem] = []
    read = list(iter_recording(path, problems))
    (problem,) = problems
    assert problem.line == 151
    assert problem.message.startswith("not a recording: invalid JSON: Expecting property name")
    assert len(read) == 149  # those before it were read
