"""The event-stream reader against the WHATWG HTML "Interpreting an event stream" rules."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sse_helpers import (
    COMPLETED_PAYLOAD,
    EXAMPLE_STREAM,
    PARTIAL_PAYLOAD,
    CountingBytes,
    WorkCounter,
    read,
    single_bytes,
    split_at,
    three_way_splits,
    two_way_splits,
)
from sse_reference import parse as reference_parse

from generator.runtime._sse import ServerSentEvent, SSEReader


def events(body: bytes) -> list[tuple[str | None, bytes, str | None, int | None]]:
    """Events of ``body`` fed in one chunk."""
    return read([body])[0]


def data_of(body: bytes) -> list[bytes]:
    return [data for _, data, _, _ in events(body)]


# -- line endings -------------------------------------------------------------------------


def test_lf_ends_lines() -> None:
    assert data_of(b"data: a\n\ndata: b\n\n") == [b"a", b"b"]


def test_crlf_ends_lines() -> None:
    assert data_of(b"data: a\r\n\r\ndata: b\r\n\r\n") == [b"a", b"b"]


def test_cr_ends_lines() -> None:
    assert data_of(b"data: a\r\rdata: b\r\r") == [b"a", b"b"]


def test_mixed_line_endings_in_one_stream() -> None:
    assert data_of(b"data: a\r\ndata: b\rdata: c\n\r\n") == [b"a\nb\nc"]


def test_cr_ending_a_chunk_and_lf_starting_the_next_are_one_line_end() -> None:
    # Were the LF a second line end, the blank line would split this into two events.
    assert read([b"data: a\r", b"\ndata: b\n\n"])[0] == [(None, b"a\nb", None, None)]


def test_cr_ending_a_chunk_followed_by_another_line() -> None:
    assert read([b"data: a\r", b"data: b\r\r"])[0] == [(None, b"a\nb", None, None)]


def test_blank_line_as_cr_then_lf_in_next_chunk() -> None:
    # "\r" is the blank line, the "\n" in the next chunk completes that CRLF: one event only.
    assert read([b"data: a\n\r", b"\ndata: b\n\n"])[0] == [
        (None, b"a", None, None),
        (None, b"b", None, None),
    ]


def test_empty_chunks_change_nothing() -> None:
    assert read([b"", b"data: a\r", b"", b"\n", b"", b"\n", b""])[0] == [(None, b"a", None, None)]


# -- byte order mark ----------------------------------------------------------------------


def test_leading_bom_is_stripped() -> None:
    assert data_of(b"\xef\xbb\xbfdata: a\n\n") == [b"a"]


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_leading_bom_split_across_chunks_is_stripped(cut: int) -> None:
    body = b"\xef\xbb\xbfdata: a\n\n"
    assert read([body[:cut], body[cut:]])[0] == [(None, b"a", None, None)]


def test_leading_bom_in_single_byte_chunks_is_stripped() -> None:
    assert read(single_bytes(b"\xef\xbb\xbfdata: a\n\n"))[0] == [(None, b"a", None, None)]


def test_bom_is_stripped_only_once() -> None:
    # The second BOM belongs to the first line's field name, so that line is ignored.
    assert data_of(b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n") == [b"b"]


def test_incomplete_bom_is_not_stripped() -> None:
    assert data_of(b"\xef\xbbdata: a\n\ndata: b\n\n") == [b"b"]


def test_bom_later_in_the_stream_is_data() -> None:
    assert data_of(b"data: \xef\xbb\xbfa\n\n") == [b"\xef\xbb\xbfa"]


# -- comments and field syntax --------------------------------------------------------------


def test_comment_lines_are_ignored() -> None:
    assert data_of(b": hello\ndata: a\n:\n: another\n\n") == [b"a"]


def test_comment_only_block_dispatches_nothing() -> None:
    assert read([b": keep-alive\n\n"])[0] == []


def test_line_without_colon_is_a_field_name_with_empty_value() -> None:
    assert data_of(b"data\n\n") == [b""]


def test_event_line_without_colon_sets_default_type() -> None:
    assert events(b"event\ndata: a\n\n") == [(None, b"a", None, None)]


def test_one_space_after_colon_is_removed() -> None:
    assert data_of(b"data: a\n\n") == [b"a"]


def test_only_one_space_after_colon_is_removed() -> None:
    assert data_of(b"data:  a \n\n") == [b" a "]


def test_value_without_space_after_colon() -> None:
    assert data_of(b"data:a\n\n") == [b"a"]


def test_tab_after_colon_is_kept() -> None:
    assert data_of(b"data:\ta\n\n") == [b"\ta"]


def test_colons_inside_the_value_are_kept() -> None:
    assert data_of(b"data: a: b:c\n\n") == [b"a: b:c"]


def test_unknown_fields_are_ignored() -> None:
    assert events(b"foo: bar\ndata: a\nDATA: x\nEvent: y\n\n") == [(None, b"a", None, None)]


def test_long_line_without_colon_is_ignored() -> None:
    assert data_of(b"x" * 10_000 + b"\ndata: a\n\n") == [b"a"]


def test_field_name_that_extends_a_known_name_is_ignored() -> None:
    assert data_of(b"datas: x\ndata: a\n\n") == [b"a"]


# -- data -----------------------------------------------------------------------------------


def test_data_lines_are_joined_with_lf() -> None:
    assert data_of(b"data: a\ndata: b\ndata: c\n\n") == [b"a\nb\nc"]


def test_empty_data_field_dispatches_event_with_empty_data() -> None:
    assert events(b"data:\n\n") == [(None, b"", None, None)]


def test_trailing_empty_data_line_keeps_one_lf() -> None:
    assert data_of(b"data: a\ndata:\n\n") == [b"a\n"]


def test_data_is_raw_bytes_even_if_not_utf8() -> None:
    assert data_of(b"data: \xff\xfe{\n\n") == [b"\xff\xfe{"]


# -- event ----------------------------------------------------------------------------------


def test_event_field_sets_the_type() -> None:
    assert events(b"event: ping\ndata: a\n\n") == [("ping", b"a", None, None)]


def test_event_without_event_field_has_no_type() -> None:
    assert events(b"data: a\n\n") == [(None, b"a", None, None)]


def test_empty_event_field_means_default_type() -> None:
    assert events(b"event: x\nevent:\ndata: a\n\n") == [(None, b"a", None, None)]


def test_event_type_resets_at_each_blank_line() -> None:
    assert events(b"event: x\ndata: a\n\ndata: b\n\n") == [
        ("x", b"a", None, None),
        (None, b"b", None, None),
    ]


def test_event_type_resets_even_when_nothing_was_dispatched() -> None:
    assert events(b"event: x\n\ndata: b\n\n") == [(None, b"b", None, None)]


def test_event_type_is_utf8_with_replacement() -> None:
    assert events(b"event: \xc3\xa9\xff\ndata: a\n\n") == [("\u00e9\ufffd", b"a", None, None)]


def test_event_block_without_data_dispatches_nothing() -> None:
    assert events(b"event: image_edit.completed\n\n") == []


# -- id -------------------------------------------------------------------------------------


def test_id_field_sets_the_event_id() -> None:
    assert events(b"id: 7\ndata: a\n\n") == [(None, b"a", "7", None)]


def test_id_persists_across_events() -> None:
    assert [e[2] for e in events(b"id: 7\ndata: a\n\ndata: b\n\n")] == ["7", "7"]


def test_id_containing_nul_is_ignored() -> None:
    assert [e[2] for e in events(b"id: 7\ndata: a\n\nid: 8\x009\ndata: b\n\n")] == ["7", "7"]


def test_empty_id_resets_the_last_event_id() -> None:
    assert [e[2] for e in events(b"id: 7\ndata: a\n\nid\ndata: b\n\n")] == ["7", ""]


def test_id_only_block_dispatches_nothing_but_the_id_persists() -> None:
    result = read([b"id: 42\n\ndata: a\n\n"])
    assert result[0] == [(None, b"a", "42", None)]
    assert result[2] == "42"


def test_id_in_unterminated_block_does_not_become_last_event_id() -> None:
    assert read([b"id: 1\ndata: a\n\nid: 2\ndata: b\n"])[2] == "1"


# -- retry ----------------------------------------------------------------------------------


def test_retry_with_digits_sets_reconnection_time() -> None:
    result = read([b"retry: 1500\ndata: a\n\n"])
    assert result[0] == [(None, b"a", None, 1500)]
    assert result[3] == 1500


@pytest.mark.parametrize(
    "value", [b"", b"12a", b"+5", b"-1", b"1.5", b" 12", b"1 2", "\uff11".encode(), b"0x10"]
)
def test_retry_that_is_not_all_ascii_digits_is_ignored(value: bytes) -> None:
    result = read([b"retry: 100\n\nretry: " + value + b"\ndata: a\n\n"])
    assert result[0] == [(None, b"a", None, None)]
    assert result[3] == 100


def test_retry_only_block_dispatches_nothing() -> None:
    result = read([b"retry: 3000\n\n"])
    assert result[0] == []
    assert result[3] == 3000


def test_retry_applies_only_to_its_own_event() -> None:
    assert [e[3] for e in events(b"retry: 5\ndata: a\n\ndata: b\n\n")] == [5, None]


# -- dispatch and end of input --------------------------------------------------------------


def test_block_without_blank_line_at_end_is_not_dispatched() -> None:
    result = read([b"data: a\n\ndata: b\n"])
    assert result[0] == [(None, b"a", None, None)]
    assert result[1] is True


def test_finish_reports_nothing_pending_after_a_complete_stream() -> None:
    assert read([b"data: a\n\n"])[1] is False


def test_finish_reports_an_unterminated_line() -> None:
    assert read([b"data: a\n\ndata: b"])[1] is True


def test_finish_reports_an_event_only_block_without_blank_line() -> None:
    assert read([b"data: a\n\nevent: x\n"])[1] is True


def test_finish_ignores_a_trailing_comment() -> None:
    assert read([b"data: a\n\n: bye\n"])[1] is False
    assert read([b"data: a\n\n: bye"])[1] is False


def test_finish_reports_a_split_bom_prefix_as_pending() -> None:
    assert read([b"\xef\xbb"])[1] is True


def test_reader_is_reusable_after_finish_and_keeps_last_event_id() -> None:
    reader = SSEReader()
    assert reader.feed(b"id: 3\ndata: a\n\ndata: cut") != []
    assert reader.finish() is True
    second = reader.feed(b"\xef\xbb\xbfdata: b\n\n")
    assert second == [ServerSentEvent(b"b", None, "3", None)]


def test_id_of_a_discarded_block_is_not_carried_into_the_next_connection() -> None:
    reader = SSEReader()
    reader.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n")
    assert reader.finish() is True
    assert reader.feed(b"data: c\n\n") == [ServerSentEvent(b"c", None, "1", None)]


def test_pending_property_tracks_open_block() -> None:
    reader = SSEReader()
    reader.feed(b"data: a\n")
    assert reader.pending
    reader.feed(b"\n")
    assert not reader.pending


# -- the cases the official SDK decoder gets wrong ------------------------------------------


def test_id_followed_by_keep_alive_comment_dispatches_nothing() -> None:
    assert events(b"id: 1\n\n: keep-alive\n\n: keep-alive\n\n") == []


def test_retry_only_block_then_event_is_a_single_event() -> None:
    assert events(b"retry: 10\n\ndata: a\n\n") == [(None, b"a", None, None)]


def test_event_block_without_data_then_event_keeps_types_apart() -> None:
    assert events(b"event: a\n\ndata: x\n\n") == [(None, b"x", None, None)]


def test_leading_bom_before_event_field() -> None:
    assert events(b"\xef\xbb\xbfevent: image_edit.completed\ndata: {}\n\n") == [
        ("image_edit.completed", b"{}", None, None)
    ]


# -- chunking -------------------------------------------------------------------------------


def test_documented_example_stream() -> None:
    got = events(EXAMPLE_STREAM)
    assert [(e[0], json.loads(e[1])) for e in got] == [
        ("image_edit.partial_image", PARTIAL_PAYLOAD),
        ("image_edit.completed", COMPLETED_PAYLOAD),
    ]


def test_documented_example_is_the_same_for_every_two_way_split() -> None:
    expected = read([EXAMPLE_STREAM])
    for chunks in two_way_splits(EXAMPLE_STREAM):
        assert read(chunks) == expected, chunks


def test_documented_example_in_single_byte_chunks() -> None:
    assert read(single_bytes(EXAMPLE_STREAM)) == read([EXAMPLE_STREAM])


def test_documented_example_with_crlf_for_every_two_way_split() -> None:
    body = EXAMPLE_STREAM.replace(b"\n", b"\r\n")
    expected = read([EXAMPLE_STREAM])
    for chunks in two_way_splits(body):
        assert read(chunks) == expected, chunks


def test_documented_example_with_cr_for_every_two_way_split() -> None:
    body = EXAMPLE_STREAM.replace(b"\n", b"\r")
    expected = read([EXAMPLE_STREAM])
    for chunks in two_way_splits(body):
        assert read(chunks) == expected, chunks


TINY_STREAMS = [
    b"\xef\xbb\xbfdata: a\r\n\r\n",
    b"event: e\rdata:x\r\rid\n\n",
    b"data\r\ndata: \r\n\n",
    b": c\nid: 1\n\nretry: 9\r\n\n",
    b"data: a\r\rdata: b",
    b"dat: a\ndata:  b\n\n",
    b"id: \x00\ndata: \xff\n\n",
]


@pytest.mark.parametrize("body", TINY_STREAMS)
def test_tiny_stream_is_the_same_for_every_three_way_split(body: bytes) -> None:
    expected = reference_parse(body)
    for chunks in three_way_splits(body):
        got = read(chunks)
        assert got == (expected.events, expected.pending, expected.last_event_id, expected.retry)


@pytest.mark.parametrize("body", TINY_STREAMS)
def test_tiny_stream_in_single_byte_chunks(body: bytes) -> None:
    expected = reference_parse(body)
    got = read(single_bytes(body))
    assert got == (expected.events, expected.pending, expected.last_event_id, expected.retry)


TOKENS = [
    b"data",
    b"event",
    b"id",
    b"retry",
    b"dat",
    b"ta",
    b"x",
    b"message",
    b":",
    b": ",
    b" ",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"7",
    b"42",
    b"\x00",
    b"\xff",
    "é".encode(),
    b"\xef\xbb\xbf",
    b'{"a":1}',
]

streams = st.lists(st.sampled_from(TOKENS), max_size=60).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), body=streams)
def test_random_streams_and_chunkings_match_the_reference(body: bytes, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=12))
    expected = reference_parse(body)
    got = read(split_at(body, cuts))
    assert got == (expected.events, expected.pending, expected.last_event_id, expected.retry)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), sizes=st.lists(st.integers(0, 3000), min_size=1, max_size=4))
def test_large_events_under_random_chunkings(sizes: list[int], data: st.DataObject) -> None:
    body = b"".join(
        b"event: e%d\r\ndata: " % i + b"x" * size + b"\r\n\r\n" for i, size in enumerate(sizes)
    )
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=40))
    got = read(split_at(body, cuts))
    assert got[0] == [(f"e{i}", b"x" * size, None, None) for i, size in enumerate(sizes)]
    assert got[1] is False


def test_memoryview_and_bytearray_chunks_are_accepted() -> None:
    reader = SSEReader()
    buffer = bytearray(b"data: ab")
    got = reader.feed(memoryview(b"event: e\n")) + reader.feed(buffer)
    buffer[:] = b"XXXXXXXX"  # mutating a fed buffer must not change the event
    got += reader.feed(bytearray(b"c\n\n"))
    assert got == [ServerSentEvent(b"abc", "e")]


# -- work stays linear ----------------------------------------------------------------------


def _large_line_in_small_chunks(
    payload_size: int, chunk_size: int
) -> tuple[bytes, list[CountingBytes], WorkCounter]:
    counter = WorkCounter()
    payload = bytes(range(32, 127)) * (payload_size // 95)
    body = b"event: e\ndata: " + payload + b"\n\n"
    chunks = [
        CountingBytes(body[i : i + chunk_size], counter) for i in range(0, len(body), chunk_size)
    ]
    return payload, chunks, counter


def test_large_line_in_small_chunks_is_scanned_a_bounded_number_of_times() -> None:
    payload, chunks, counter = _large_line_in_small_chunks(1 << 20, 1024)
    reader = SSEReader()
    got = [event for chunk in chunks for event in reader.feed(chunk)]
    assert got == [ServerSentEvent(payload, "e")]
    total = sum(len(c) for c in chunks)
    # One pass per line-ending byte (LF, CR) over every byte, plus at most a re-scan of the
    # chunks that hold the line ends (here: the first and the last). A reader that re-scanned
    # its accumulated buffer for each chunk would scan about total**2 / (2 * 1024) bytes,
    # i.e. over 250 times more.
    assert counter.bytes_scanned <= 2 * total + 4 * 1024
    assert counter.find_calls <= 2 * len(chunks) + 16


def test_large_line_in_small_chunks_copies_only_small_slices() -> None:
    payload, chunks, counter = _large_line_in_small_chunks(1 << 20, 1024)
    reader = SSEReader()
    got = [event for chunk in chunks for event in reader.feed(chunk)]
    assert got[0].data == payload
    # Field names and short values only; the payload itself is copied once, by the final
    # join of views, which does not go through slicing.
    assert counter.bytes_sliced <= 64


def test_large_line_keeps_middle_chunks_by_reference() -> None:
    _, chunks, _ = _large_line_in_small_chunks(1 << 16, 1024)
    reader = SSEReader()
    for chunk in chunks[:-1]:
        assert reader.feed(chunk) == []
    # White-box: the pending value holds the very chunk objects (no concatenation, no copy),
    # one piece per chunk.
    pieces = reader._value
    assert len(pieces) == len(chunks) - 1
    assert all(piece is chunk for piece, chunk in zip(pieces[1:], chunks[1:-1], strict=True))
