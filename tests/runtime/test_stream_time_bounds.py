"""A stream that keeps the connection busy without delivering events ends: ``event_timeout``
bounds the wait for the next event (keep-alive comments and trickled bytes do not count),
``stream_timeout`` the whole stream. Both raise StreamTimeoutError; the read timeout is
the default event bound. Against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from runtime_clients import AsyncClient, Client

from generator.runtime._build import Endpoint, Events
from generator.runtime._errors import StreamTimeoutError

EVENTS: Endpoint[None, Any] = Endpoint("GET", "/events", events=Events(Any, None))
GUARD = 10.0  # the server stops by itself after this long: only a hang guard


class Trickle:
    """Answers one request with an event stream, then sends ``piece`` every ``every`` s."""

    def __init__(self, piece: bytes, every: float, first: bytes = b"") -> None:
        self.piece, self.every, self.first = piece, every, first
        self.client_hung_up = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            while b"\r\n\r\n" not in connection.recv(65536):
                pass
            head = (
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
            )
            stop = time.monotonic() + GUARD
            try:
                connection.sendall(head + self.first)
                while time.monotonic() < stop:
                    connection.sendall(self.piece)
                    readable, _, _ = select.select([connection], [], [], self.every)
                    if readable and not connection.recv(1):
                        break
                else:
                    return  # gave up: the client never hung up
            except OSError:
                pass
            self.client_hung_up = True

    def close(self) -> None:
        self.listener.close()
        self.thread.join(GUARD + 1)


@pytest.fixture
def trickle() -> Iterator[list[Trickle]]:
    made: list[Trickle] = []
    yield made
    for server in made:
        server.close()


def read_all(server: Trickle, **options: Any) -> int:
    """How many events arrived before the stream timed out; the server saw it hang up."""
    client = Client(api_key="k", base_url=server.url, max_retries=0, **options)
    count = 0
    with pytest.raises(StreamTimeoutError) as caught, client.request(EVENTS, stream=True) as s:
        for _ in s:
            count += 1
    assert caught.value.events_received == count
    server.thread.join(GUARD + 1)
    assert server.client_hung_up  # ended by the bound, not by the server giving up
    return count


def test_keep_alive_comments_do_not_hold_a_stream_past_its_event_timeout(
    trickle: list[Trickle],
) -> None:
    server = Trickle(b": keep-alive\n\n", every=0.05)
    trickle.append(server)
    assert read_all(server, event_timeout=0.3) == 0


def test_one_byte_at_a_time_does_not_hold_a_stream_past_its_event_timeout(
    trickle: list[Trickle],
) -> None:
    server = Trickle(b"x", every=0.05, first=b"data: ")
    trickle.append(server)
    assert read_all(server, event_timeout=0.3) == 0


def test_the_read_timeout_is_the_default_bound_between_events(trickle: list[Trickle]) -> None:
    server = Trickle(b": keep-alive\n\n", every=0.05)
    trickle.append(server)
    assert read_all(server, timeout=0.3) == 0


def test_events_arriving_in_time_are_delivered_until_the_stream_timeout(
    trickle: list[Trickle],
) -> None:
    server = Trickle(b'data: {"n": 1}\n\n', every=0.05)
    trickle.append(server)
    assert read_all(server, event_timeout=0.3, stream_timeout=0.5) >= 2  # each in time


def test_the_error_names_the_bound_that_was_hit(trickle: list[Trickle]) -> None:
    server = Trickle(b'data: {"n": 1}\n\n', every=0.05)
    trickle.append(server)
    client = Client(api_key="k", base_url=server.url, stream_timeout=0.3)
    with pytest.raises(StreamTimeoutError, match=r"took longer than stream_timeout=0.3 s"):
        client.request(EVENTS, stream=True).until_done()


def test_a_silent_server_is_ended_by_the_smaller_bound(trickle: list[Trickle]) -> None:
    server = Trickle(b"", every=0.05)  # headers, then nothing at all
    trickle.append(server)
    assert read_all(server, event_timeout=0.3, timeout=60) == 0  # not the 60 s read timeout


def test_the_async_stream_has_the_same_bounds(trickle: list[Trickle]) -> None:
    server = Trickle(b": keep-alive\n\n", every=0.05)
    trickle.append(server)

    async def run() -> None:
        client = AsyncClient(api_key="k", base_url=server.url, event_timeout=0.3, max_retries=0)
        stream = await client.request(EVENTS, stream=True)
        with pytest.raises(StreamTimeoutError, match="delivered no event for event_timeout"):
            async for _ in stream:
                pass
        await client.close()

    asyncio.run(run())


def test_bounds_are_kept_by_copies_and_checked() -> None:
    client = Client(api_key="k", event_timeout=1.5, stream_timeout=None)
    copy = client.with_options(max_retries=1)
    assert (copy.event_timeout, copy.stream_timeout) == (1.5, None)
    assert client.with_options(event_timeout=None).event_timeout is None
    with pytest.raises(ValueError, match="event_timeout"):
        Client(api_key="k", event_timeout=-1)
