"""conform at the scale of production traffic: NDJSON and folders of recordings, shards of
large files, and the same report from one process, from ``--workers 2`` and from a Dask
cluster, on the same 10k-exchange input."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conform_support import ROOT, SPEC
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import GeneratorError
from generator.runtime._recording_format import (
    FORMAT,
    RecordedExchange,
    RecordedRequest,
    RecordedResponse,
    encode_exchange,
)
from generator.tools.conform import cli
from generator.tools.conform.recordings import read_recording
from generator.tools.conform.shards import plan

URL = "https://api.openai.com/v1/images/edits"
JSON = (("Content-Type", "application/json"),)


def exchange(index: int) -> dict[str, Any]:
    """A small JSON exchange; every 7th sends a number as its prompt, every 11th answers
    without ``created`` (required)."""
    prompt: object = index if index % 7 == 0 else f"p{index}"
    request = {"images": [{"file_id": f"file-{index}"}], "prompt": prompt, "size": "1024x1024"}
    answer: dict[str, Any] = {"created": 1_700_000_000 + index, "data": [{"b64_json": "QUJD"}]}
    if index % 11 == 0:
        del answer["created"]
    recorded = RecordedExchange(
        RecordedRequest("POST", URL, JSON, json.dumps(request).encode()),
        RecordedResponse(200, JSON, json.dumps(answer).encode()),
    )
    return encode_exchange(recorded)


def write_ndjson(path: Path, indexes: range) -> None:
    with path.open("w", encoding="utf-8") as file:
        for index in indexes:
            file.write(json.dumps(exchange(index)) + "\n")


def args(recordings: list[Path], **options: Any) -> argparse.Namespace:
    values = {"format": "json", "base_url": None, "timeout": None, "header": None,
              "workers": 1, "engine": "local", "scheduler": None, **options}  # fmt: skip
    return argparse.Namespace(spec=SPEC, recordings=recordings, **values)


def report(recordings: list[Path], **options: Any) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(args(recordings, **options))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def traffic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10,000 exchanges in a folder: a large NDJSON file, a recording, a .jsonl file."""
    folder = tmp_path_factory.mktemp("traffic")
    write_ndjson(folder / "a-gateway.ndjson", range(0, 7000))
    document = {"format": FORMAT, "exchanges": [exchange(i) for i in range(7000, 9000)]}
    (folder / "b-recording.json").write_text(json.dumps(document), encoding="utf-8")
    (folder / "c").mkdir()
    write_ndjson(folder / "c" / "more.jsonl", range(9000, 10_000))
    (folder / ".hidden.json").write_text("not a recording", encoding="utf-8")
    (folder / "notes.txt").write_text("not a recording either", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def single(traffic: Path) -> tuple[int, str]:
    return report([traffic])


def test_one_process_checks_every_exchange_of_the_folder(single: tuple[int, str]) -> None:
    code, text = single
    result = json.loads(text)
    failing = sum(1 for i in range(10_000) if i % 7 == 0 or i % 11 == 0)
    assert code == 1
    findings = sum(1 for i in range(10_000) if i % 7 == 0) + sum(
        1 for i in range(10_000) if i % 11 == 0
    )
    assert result["summary"] == {"exchanges": 10_000, "conforming": 10_000 - failing,
                                 "failing": failing, "findings": findings}  # fmt: skip
    lines = [e for e in result["exchanges"] if e["kind"] == "ndjson"]
    assert [e["index"] for e in lines[:2]] == [1, 2]  # NDJSON exchanges are named by line
    assert lines[0]["label"] == "line 1 (POST /v1/images/edits)"


def test_two_workers_write_the_same_report(traffic: Path, single: tuple[int, str]) -> None:
    assert report([traffic], workers=2) == single


def test_a_dask_cluster_writes_the_same_report(traffic: Path, single: tuple[int, str]) -> None:
    distributed = pytest.importorskip("distributed", reason="needs the [dask] extra")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        assert report([traffic], engine="dask", scheduler=cluster.scheduler_address) == single


def test_the_text_report_is_the_same_with_two_workers(traffic: Path) -> None:
    ndjson = [traffic / "a-gateway.ndjson"]
    assert report(ndjson, format="text", workers=2) == report(ndjson, format="text")


# -- NDJSON and folders --------------------------------------------------------------------


def test_a_bad_line_is_a_problem_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "traffic.ndjson"
    lines = [json.dumps(exchange(1)), "", "{not json", json.dumps({"request": {}})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(GeneratorError) as caught:
        report([path])
    found = [(p.line, p.pointer, p.message) for p in caught.value.problems]
    assert found[0][0] == 3 and "invalid JSON" in found[0][2]
    assert found[1][:2] == (4, "/request/method")


def test_a_json_file_of_exchange_lines_is_read_as_ndjson(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    write_ndjson(path, range(1, 4))
    exchanges = read_recording(path)
    assert [(e.kind, e.index) for e in exchanges] == [("ndjson", 1), ("ndjson", 2), ("ndjson", 3)]


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(GeneratorError, match="holds no recordings"):
        report([tmp_path / "empty"])


def peak_memory(path: Path) -> int:
    tracemalloc.start()
    try:
        assert sum(1 for _ in cli.iter_reports(SPEC, [path])) > 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_checking_ndjson_takes_no_more_memory_for_four_times_the_lines(tmp_path: Path) -> None:
    small, large = tmp_path / "small.ndjson", tmp_path / "large.ndjson"
    write_ndjson(small, range(300))
    write_ndjson(large, range(1200))
    peak_memory(small)  # caches warm: compiled patterns, validators
    assert peak_memory(large) < 1.25 * peak_memory(small)


# -- shards --------------------------------------------------------------------------------


def lines_of(path: Path, smallest: int, pieces: int) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of every line, as the shards of the file cut it."""
    data = path.read_bytes()
    for shard in plan([path], pieces=pieces, smallest=smallest):
        end = len(data) if shard.end is None else shard.end
        for offset, raw in enumerate(data[shard.start : end].splitlines(keepends=True)):
            yield shard.line + offset, raw


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 300), min_size=1, max_size=60),
    st.integers(1, 400),
    st.integers(1, 8),
    st.booleans(),
)
def test_shards_cover_every_line_once_with_its_number(
    tmp_path_factory: pytest.TempPathFactory,
    lengths: list[int],
    smallest: int,
    pieces: int,
    final_newline: bool,
) -> None:
    path = tmp_path_factory.mktemp("cut") / "t.ndjson"
    lines = [b"x" * n for n in lengths]
    path.write_bytes(b"\n".join(lines) + (b"\n" if final_newline else b""))
    got = list(lines_of(path, smallest, pieces))
    assert [number for number, _ in got] == list(range(1, len(lines) + 1))
    assert [raw.rstrip(b"\n") for _, raw in got] == lines


# -- the command line ------------------------------------------------------------------------


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "conform", str(SPEC), *arguments],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_the_command_line_takes_workers_and_writes_the_same_report(tmp_path: Path) -> None:
    path = tmp_path / "traffic.jsonl"
    write_ndjson(path, range(300))
    one, two = run_cli(str(path)), run_cli(str(path), "--workers", "2")
    assert one.returncode == two.returncode == 1  # every 7th and 11th breaks the spec
    assert one.stdout == two.stdout
    assert "300 exchanges checked" in one.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--workers", "2", "--base-url", "http://127.0.0.1:9"], "one at a time"),
        (["--scheduler", "tcp://127.0.0.1:9"], "is for --engine dask"),
        (["--workers", "0"], "not a number of workers"),
    ],
)
def test_options_that_do_not_go_together_are_refused(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    path = tmp_path / "traffic.ndjson"
    write_ndjson(path, range(3))
    done = run_cli(str(path), *arguments)
    assert done.returncode == 2
    assert message in done.stderr
