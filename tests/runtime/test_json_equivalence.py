"""The runtime's JSON decoding (``_json``) gives what :func:`json.loads` gives, value or
error, whether the fast parser (jiter) is installed or not; and streams and answers raise
the package's own typed errors for bad JSON either way."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime import _json
from generator.runtime._errors import StreamDecodeError
from generator.runtime._streaming import EventSchema
from generator.runtime._sync_client import Stream

jiter = pytest.importorskip("jiter", reason="the fast path needs jiter (pip install jiter)")


def outcome(parse: Any, data: bytes | str) -> tuple[str, Any]:
    """What ``parse`` makes of ``data``: ("value", a comparable form) or ("error", type, text)."""
    try:
        value = parse(data)
    except (ValueError, RecursionError) as exc:
        return ("error", f"{type(exc).__name__}: {exc}")
    return ("value", comparable(value))


def comparable(value: Any) -> Any:
    """The value with types made explicit, so 1 != 1.0 != True and nan == nan."""
    if isinstance(value, dict):
        return ("object", [(k, comparable(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("array", [comparable(v) for v in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    return (type(value).__name__, value)


def assert_same(data: bytes) -> None:
    assert _json.FAST_PARSER == "jiter"
    assert outcome(_json.loads, data) == outcome(json.loads, data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(json_values, st.booleans(), st.sampled_from([None, 1, 2]))
def test_valid_documents_decode_to_the_same_values(
    value: Any, ascii_only: bool, indent: int | None
) -> None:
    assert_same(json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode())


@settings(max_examples=200, deadline=None)
@given(
    json_values,
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(["insert", "delete", "replace"]),
                  st.binary(min_size=1, max_size=3)),
        min_size=1, max_size=3,
    ),
)  # fmt: skip
def test_damaged_documents_fail_or_decode_exactly_as_json_loads(
    value: Any, edits: list[tuple[int, str, bytes]]
) -> None:
    data = bytearray(json.dumps(value, ensure_ascii=False).encode())
    for at, how, piece in edits:
        at %= len(data) + 1
        if how == "insert":
            data[at:at] = piece
        elif how == "delete":
            del data[at : at + len(piece)]
        else:
            data[at : at + len(piece)] = piece
    assert_same(bytes(data))


NUMBER = r"-?(0|[1-9][0-9]{0,40})(\.[0-9]{1,40})?([eE][+-]?[0-9]{1,4})?"


@settings(max_examples=200, deadline=None)
@given(st.from_regex(NUMBER, fullmatch=True))
def test_numbers_of_any_size_and_precision_decode_alike(number: str) -> None:
    assert_same(number.encode())
    assert_same(f'{{"n": [{number}]}}'.encode())


@pytest.mark.parametrize(
    "data",
    [
        b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e999", b"1e-400", b"-0", b"-0.0",
        b"1" * 4301, b"1" * 5000, b"9" * 4300, b"12345678901234567890123456789",
        b'"\\ud800"', b'"\\udfff x"', b'"\\ud83d\\ude00"', b'"\xed\xa0\x80"', b'"\xff"',
        b"\xef\xbb\xbf{}", '{"a": 1}'.encode("utf-16"), '[1, "\u00e9"]'.encode("utf-32-le"),
        b'{"a": 1, "a": 2}', b"[1,]", b'{"a":1,}', b"{}\x00", b'"\x01"', b"\x0c[]", b"",
        b" ", b"[" * 199 + b"]" * 199, b"[" * 200 + b"]" * 200, b"[" * 201 + b"]" * 201,
        b"[" * 2000 + b"]" * 2000, b'{"a":' * 300 + b"1" + b"}" * 300,
        b"[" * 100_000, b'"' + b"A" * (1 << 20) + b'"',
    ],
    ids=lambda data: repr(data[:24]) + (f"..{len(data)}" if len(data) > 24 else ""),
)  # fmt: skip
def test_edge_cases_match_json_loads(data: bytes) -> None:
    assert_same(data)


def test_deep_nesting_past_the_fast_parsers_limit_still_decodes() -> None:
    data = b"[" * 500 + b"]" * 500  # jiter stops at 200 levels; json reads it
    value = _json.loads(data)
    for _ in range(499):
        value = value[0]
    assert value == []


def test_a_number_with_too_many_digits_raises_json_loads_own_error() -> None:
    with pytest.raises(ValueError, match="Exceeds the limit"):
        _json.loads(b"1" * 5000)


# -- streams and answers: the package's own errors, with and without the fast parser ----------


@pytest.fixture(params=["jiter", "json"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "json":
        monkeypatch.setattr(_json, "_parse", None)
    yield request.param


def events_of(body: bytes) -> list[Any]:
    schema: EventSchema[Any] = EventSchema(
        parse=lambda name, payload: payload, discriminator="type", terminal=()
    )
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": "text/event-stream"},
                                       content=body)
    )  # fmt: skip
    with httpx.Client(transport=transport) as client:
        response = client.send(client.build_request("GET", "http://test/"), stream=True)
        with Stream(response, schema) as stream:
            return list(stream)


def test_stream_events_decode_to_the_same_payloads(parser: str) -> None:
    body = b'data: {"type": "a", "n": 12345678901234567890123, "x": 1e999}\n\n'
    body += b'data: {"type": "b", "s": "\\ud83d\\ude00", "deep": ' + b"[" * 300 + b"]" * 300
    body += b"}\n\n"
    first, second = events_of(body)
    assert first == {"type": "a", "n": 12345678901234567890123, "x": math.inf}
    assert second["s"] == "\U0001f600"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"type": "a",}', r"Event 0 \(0-based\) of the stream is not valid JSON"),
        (b'{"type": "a", "s": "\xff"}', r"Event 0 \(0-based\) of the stream is not valid UTF-8"),
        (b"[" * 100_000, r"is not valid JSON \(RecursionError"),
    ],
    ids=["trailing comma", "bad UTF-8", "too deep"],
)
def test_bad_event_data_is_a_stream_decode_error_with_the_same_words(
    parser: str, data: bytes, message: str
) -> None:
    with pytest.raises(StreamDecodeError, match=message) as caught:
        events_of(b"data: " + data + b"\n\n")
    assert caught.value.event_index == 0
