"""A generated client is called as the official SDK's is, on a spec that is not OpenAI's
(``tests/specs/library-3.1.yaml``): positional path parameters, empty ones refused,
deprecation, raw and streamed responses, binary answers, file-or-value fields, ambiguous
discriminator values, argument names from extensions, and closing."""

from __future__ import annotations

import asyncio
import gc
import http.server
import inspect
import json
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from genutil import ROOT, Wire, generate_package, import_fresh

SPEC = ROOT / "tests" / "specs" / "library-3.1.yaml"
CONFIG = "package_name: library\nname_extensions: [x-fern-parameter-name]\n"
BOOK = {"id": "b1", "title": "Dune"}
PNG = b"\x89PNG\r\n\x1a\n-cover-"

USAGE = """\
import library

client = library.Client(api_key="k")
client.shelves.remove_shelf("s1")
client.books.get_book("s1", "b1")
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    config = folder / "library.client.yaml"
    config.write_text(CONFIG)
    generate_package(SPEC, folder / "out", "library", config)
    return folder / "out"


@pytest.fixture
def library(out: Path) -> ModuleType:
    return import_fresh(out, "library")


def book_answer() -> httpx.Response:
    return httpx.Response(200, json=BOOK)


def png_answer() -> httpx.Response:
    return httpx.Response(200, content=PNG, headers={"content-type": "image/png"})


# ---------------------------------------------------------------- path parameters


def test_path_parameters_are_positional_in_the_order_of_the_path(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    book = wire.client.books.get_book("s1", "b1")
    assert wire.request.url.path == "/shelves/s1/books/b1"
    assert book.title == "Dune"


def test_path_parameters_may_still_be_passed_by_keyword(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    wire.client.books.get_book(book_id="b2", shelf_id="s2")
    assert wire.request.url.path == "/shelves/s2/books/b2"


def test_the_signature_puts_path_parameters_before_the_star(library: ModuleType) -> None:
    parameters = inspect.signature(library.Client(api_key="k").books.get_book).parameters
    kinds = {name: p.kind for name, p in parameters.items()}
    assert list(parameters)[:2] == ["shelf_id", "book_id"]
    assert kinds["shelf_id"] is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert kinds["branch"] is inspect.Parameter.KEYWORD_ONLY


def test_an_empty_path_parameter_raises_before_anything_is_sent(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    expected = r"Expected a non-empty value for `book_id` but received ''"
    with pytest.raises(ValueError, match=expected):
        wire.client.books.get_book("s1", "")
    assert wire.sent == []


def test_the_empty_path_parameter_error_is_the_package_s_own(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    with pytest.raises(library.ClientError) as raised:
        wire.client.books.with_raw_response.get_cover("")
    assert isinstance(raised.value, library.InvalidArgumentError)


# ---------------------------------------------------------------- deprecation


def test_a_deprecated_operation_warns_when_called(library: ModuleType) -> None:
    wire = Wire(library, httpx.Response(204))
    with pytest.warns(DeprecationWarning, match="shelves.remove_shelf"):
        assert wire.client.shelves.remove_shelf("s1") is None


def test_a_deprecated_operation_warns_through_the_raw_response_wrapper(
    library: ModuleType,
) -> None:
    wire = Wire(library, httpx.Response(204))
    with pytest.warns(DeprecationWarning):
        wire.client.shelves.with_raw_response.remove_shelf("s1")


def test_a_deprecated_parameter_warns_only_when_given(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wire.client.books.get_book("s1", "b1")
    with pytest.warns(DeprecationWarning, match="`legacy_sort` is deprecated"):
        wire.client.books.get_book("s1", "b1", legacy_sort="title")


def test_a_deprecated_body_property_warns_when_given(library: ModuleType) -> None:
    wire = Wire(library, httpx.Response(201, json=BOOK))
    with pytest.warns(DeprecationWarning, match="`old_title` is deprecated"):
        wire.client.books.add_book(title="Dune", old_title="Dune I")


def test_docstrings_say_what_is_deprecated(library: ModuleType, out: Path) -> None:
    client = library.Client(api_key="k")
    assert "Deprecated." in (client.shelves.remove_shelf.__doc__ or "")
    assert "legacy_sort: (deprecated)" in (client.books.get_book.__doc__ or "")
    model = (out / "library" / "models" / "books.py").read_text()
    assert 'isbn10: str | Unset = UNSET\n    """The old ISBN. (deprecated)"""' in model


def test_type_checkers_see_the_deprecated_operation_and_only_where_it_is_called(
    out: Path,
) -> None:
    (out / "usage.py").write_text(USAGE)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict",
         "--enable-error-code", "deprecated", "usage.py"],
        cwd=out, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    flagged = [line.split(":")[:2] for line in done.stdout.splitlines() if "error:" in line]
    assert flagged == [["usage.py", "4"]], done.stdout


# ---------------------------------------------------------------- raw and streamed responses


def test_the_raw_response_has_the_sdk_s_attributes(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    response = wire.client.books.with_raw_response.get_book("s1", "b1")
    assert isinstance(response, library.RawAPIResponse)
    assert response.is_closed and response.status_code == 200
    assert response.http_request.url.path == "/shelves/s1/books/b1"
    assert json.loads(response.content) == BOOK == response.json()
    assert response.parse().title == "Dune"


async def test_the_async_raw_response_parses_without_await(library: ModuleType) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: book_answer()))
    client = library.AsyncClient(api_key="k", http_client=http)
    response = await client.books.with_raw_response.get_book("s1", "b1")
    assert isinstance(response, library.RawAPIResponse)
    assert response.parse().title == "Dune"


async def test_the_async_streaming_response_parses_with_await(library: ModuleType) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: book_answer()))
    client = library.AsyncClient(api_key="k", http_client=http)
    async with client.books.with_streaming_response.get_book("s1", "b1") as response:
        book = await response.parse()
    assert book.title == "Dune" and response.is_closed


# ---------------------------------------------------------------- binary answers


def test_accept_lists_the_media_types_the_operation_declares(library: ModuleType) -> None:
    wire = Wire(library, png_answer())
    wire.client.books.get_cover("b1")
    assert wire.request.headers["accept"] == "image/png, application/json"


def test_a_json_operation_accepts_json(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    wire.client.books.get_book("s1", "b1")
    assert wire.request.headers["accept"] == "application/json"


def test_a_binary_answer_is_binary_content(library: ModuleType, tmp_path: Path) -> None:
    cover = Wire(library, png_answer()).client.books.get_cover("b1")
    assert isinstance(cover, library.BinaryResponseContent)
    assert cover.content == PNG and b"".join(cover.iter_bytes()) == PNG
    cover.write_to_file(tmp_path / "cover.png")
    assert (tmp_path / "cover.png").read_bytes() == PNG


def test_the_binary_content_reads_a_json_alternative_too(library: ModuleType) -> None:
    cover = Wire(library, httpx.Response(200, json="no cover yet")).client.books.get_cover("b1")
    assert cover.json() == "no cover yet"


def test_a_get_that_declares_no_content_hands_over_what_it_gets(library: ModuleType) -> None:
    answer = httpx.Response(200, content=b"%PDF-1.7", headers={"content-type": "application/pdf"})
    scan = Wire(library, answer).client.books.get_scan("b1")
    assert scan.content == b"%PDF-1.7"


def test_a_streamed_binary_answer_goes_to_disk(library: ModuleType, tmp_path: Path) -> None:
    wire = Wire(library, png_answer())
    with wire.client.books.with_streaming_response.get_cover("b1") as response:
        response.stream_to_file(tmp_path / "cover.png")
    assert (tmp_path / "cover.png").read_bytes() == PNG


def test_the_streamed_binary_answer_parses_to_its_bytes(library: ModuleType) -> None:
    with Wire(library, png_answer()).client.books.with_streaming_response.get_cover("b1") as r:
        assert r.parse() == PNG


def test_a_boolean_stream_query_parameter_switches_to_the_event_stream(
    library: ModuleType,
) -> None:
    events = b'data: {"page": 1}\n\ndata: {"page": 2}\n\n'
    answer = httpx.Response(200, content=events, headers={"content-type": "text/event-stream"})
    wire = Wire(library, answer)
    with wire.client.books.get_progress("b1", stream=True) as stream:
        pages = [event.page for event in stream]
    assert pages == [1, 2] and wire.request.url.params["stream"] == "true"


def test_without_the_stream_switch_the_answer_is_json(library: ModuleType) -> None:
    progress = Wire(library, httpx.Response(200, json={"page": 7})).client.books.get_progress("b")
    assert progress.page == 7


# ---------------------------------------------------------------- files in bodies


def test_a_file_or_object_field_sends_bytes_as_a_file_part(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    wire.client.books.attach_to_book("b1", source=PNG, caption="front")
    body = wire.request.content
    assert b'name="source"; filename=' in body and PNG in body
    assert b'name="caption"\r\n\r\nfront' in body


def test_a_file_or_object_field_sends_an_object_as_form_fields(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    wire.client.books.attach_to_book("b1", source={"url": "https://x.test/c.png"})
    body = wire.request.content
    assert b'name="source[url]"\r\n\r\nhttps://x.test/c.png' in body
    assert b"filename=" not in body


# ---------------------------------------------------------------- discriminators


@pytest.mark.parametrize("strict", [False, True])
def test_one_discriminator_value_of_two_branches_picks_the_one_that_fits(
    library: ModuleType, strict: bool
) -> None:
    entries = [
        {"type": "entry", "role": "reader", "text": "loved it"},
        {"type": "entry", "role": "author", "text": "thanks", "page": 3},
    ]
    answer = httpx.Response(200, json={"entries": entries})
    wire = Wire(library, answer)
    parsed = wire.client.with_options(strict=strict).entries.list_entries().entries
    assert [type(e).__name__ for e in parsed] == ["Note", "Quote"]


# ---------------------------------------------------------------- names from extensions


def test_an_extension_names_the_argument_and_the_wire_name_stays(library: ModuleType) -> None:
    wire = Wire(library, book_answer())
    wire.client.books.get_book("s1", "b1", branch="north", order="asc")
    assert wire.request.headers["x-library-branch"] == "north"
    assert wire.request.url.params["sortOrder"] == "asc"


# ---------------------------------------------------------------- closing


def test_a_closed_client_is_closed_even_with_the_caller_s_pool(library: ModuleType) -> None:
    http = httpx.Client(transport=httpx.MockTransport(lambda request: book_answer()))
    client = library.Client(api_key="k", http_client=http)
    client.close()
    assert client.is_closed() and not http.is_closed


def test_a_call_on_a_closed_client_raises_the_package_s_error(library: ModuleType) -> None:
    client = library.Client(api_key="k")
    client.close()
    with pytest.raises(library.ClientClosedError):
        client.books.get_book("s1", "b1")


def test_a_call_after_the_caller_closed_the_pool_raises_the_package_s_error(
    library: ModuleType,
) -> None:
    http = httpx.Client(transport=httpx.MockTransport(lambda request: book_answer()))
    client = library.Client(api_key="k", http_client=http)
    http.close()
    with pytest.raises(library.ClientClosedError):
        client.books.get_book("s1", "b1")


class BookServer(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a book, keeping the connection open for the next request."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = json.dumps(BOOK).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that goes away mid-connection is what these tests do


@pytest.fixture
def book_server() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), BookServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_async_client_used_after_its_event_loop_ended_raises_the_package_s_error(
    library: ModuleType, book_server: str
) -> None:
    client = library.AsyncClient(api_key="k", base_url=book_server, max_retries=0)
    assert asyncio.run(client.books.get_book("s1", "b1")).title == "Dune"
    with pytest.raises(library.ClientClosedError, match="Event loop is closed"):
        asyncio.run(client.books.get_book("s1", "b1"))  # its pooled connection is the old loop's
    del client
    gc.collect()  # the dead loop's connection is finalized here, not in a later test
