"""Everything the runtime raises to a caller derives from ``ClientError``; where callers may
rely on a built-in exception (``ValueError``, ``TypeError``, ``RuntimeError``), that is a
second base."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, ClassVar

import attrs
import httpx
import pytest
from runtime_clients import AsyncClient, Client

import generator.runtime
from generator.pipeline import runtime as runtime_info
from generator.runtime._async_client import AsyncPage, async_to_streamed_response_wrapper
from generator.runtime._build import Endpoint, Pagination
from generator.runtime._errors import (
    APIConnectionError,
    APIResponseValidationError,
    ClientError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NoNextPageError,
    ResponseBodyError,
    ResponseNotJSONError,
)
from generator.runtime._files import to_file_part
from generator.runtime._models import DecodeError, FieldRule, Model
from generator.runtime._multipart import MultipartError, parse_multipart
from generator.runtime._recording import RecordingTransport
from generator.runtime._recording_format import RecordingError, load_recording
from generator.runtime._response import BinaryResponseContent, RawAPIResponse
from generator.runtime._sync_client import SyncPage, to_streamed_response_wrapper
from generator.runtime._types import UNSET, Unset, to_json

RUNTIME = Path(generator.runtime.__file__).parent
# Raised by name on purpose: Python's protocols (a missing attribute or key), an abstract
# method, and the system's own error for a path that is a directory (as open() raises it).
PROTOCOL_SIGNALS = {"AttributeError", "KeyError", "NotImplementedError", "IsADirectoryError"}


@attrs.define(kw_only=True)
class Thing(Model):
    id: str | Unset = UNSET
    count: int | Unset = UNSET


@attrs.define(kw_only=True)
class ImageRef(Model):
    image_url: str | Unset = UNSET
    file_id: str | Unset = UNSET

    __field_rules__: ClassVar[tuple[FieldRule, ...]] = (
        FieldRule(
            any_of=(("image_url",), ("file_id",)),
            not_all=("image_url", "file_id"),
            message="give image_url or file_id, not both",
        ),
    )


GET_THING: Endpoint[Thing, Any] = Endpoint("GET", "/thing", returns=Thing)


def test_every_exception_class_of_the_runtime_derives_from_client_error() -> None:
    found = []
    for name in runtime_info.modules():
        module = importlib.import_module(f"generator.runtime.{name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found.append(value)
    assert DecodeError in found and MultipartError in found
    assert [c.__name__ for c in found if not issubclass(c, ClientError)] == []


def test_the_runtime_raises_no_bare_builtin_exception_but_protocol_signals() -> None:
    raised = []
    for path in sorted(RUNTIME.glob("_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(exc, ast.Name) and isinstance(getattr(builtins, exc.id, None), type):
                    raised.append(exc.id)
    assert raised and set(raised) <= PROTOCOL_SIGNALS


def test_strict_from_dict_of_a_value_of_the_wrong_type_raises_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="count") as caught:
        Thing.from_dict({"count": "three"}, strict=True)
    assert isinstance(caught.value, ClientError) and isinstance(caught.value, ValueError)


def test_a_model_built_against_its_field_rule_raises_invalid_argument_error() -> None:
    with pytest.raises(InvalidArgumentError, match="not both") as caught:
        ImageRef(image_url="https://example.test/a.png", file_id="file-1")
    assert isinstance(caught.value, ClientError) and isinstance(caught.value, ValueError)


def test_a_model_read_against_its_field_rule_raises_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="not both"):
        ImageRef.from_dict({"image_url": "https://example.test/a.png", "file_id": "file-1"})


def test_a_keyword_a_call_does_not_take_raises_invalid_argument_type_error() -> None:
    client = Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(_ok)))
    with pytest.raises(InvalidArgumentTypeError, match="'bodyy'") as caught:
        client.request(GET_THING, bodyy={})  # type: ignore[call-overload]
    assert isinstance(caught.value, ClientError) and isinstance(caught.value, TypeError)


def test_a_client_argument_of_the_wrong_type_raises_invalid_argument_type_error() -> None:
    with pytest.raises(InvalidArgumentTypeError, match="max_retries"):
        Client(api_key="k", max_retries="2")  # type: ignore[arg-type]


def test_a_client_argument_out_of_range_raises_invalid_argument_error() -> None:
    with pytest.raises(InvalidArgumentError, match="max_retries"):
        Client(api_key="k", max_retries=-1)


def test_a_value_that_cannot_be_sent_as_json_raises_invalid_argument_type_error() -> None:
    with pytest.raises(InvalidArgumentTypeError, match="cannot send a object as JSON"):
        to_json(object())


def test_a_str_given_as_a_file_raises_invalid_argument_type_error() -> None:
    with pytest.raises(InvalidArgumentTypeError, match="ambiguous"):
        to_file_part("photo.png")  # type: ignore[arg-type]


def test_the_page_after_the_last_raises_no_next_page_error() -> None:
    page: SyncPage[Thing] = SyncPage(Thing(), _no_pages(), None, _no_fetch)
    with pytest.raises(NoNextPageError, match="has_next_page") as caught:
        page.get_next_page()
    assert isinstance(caught.value, ClientError) and isinstance(caught.value, RuntimeError)


async def test_the_async_page_after_the_last_raises_no_next_page_error() -> None:
    page: AsyncPage[Thing] = AsyncPage(Thing(), _no_pages(), None, _no_fetch)
    with pytest.raises(NoNextPageError):
        await page.get_next_page()


def test_json_of_a_raw_answer_that_is_not_json_raises_response_not_json_error() -> None:
    answer: RawAPIResponse[Any] = RawAPIResponse(_read(b"<html>busy</html>"), lambda: None, 0)
    with pytest.raises(ResponseNotJSONError, match="not JSON") as caught:
        answer.json()
    assert isinstance(caught.value, APIResponseValidationError)
    assert isinstance(caught.value, ValueError)


def test_json_of_binary_content_that_is_not_json_raises_response_not_json_error() -> None:
    with pytest.raises(ResponseNotJSONError):
        BinaryResponseContent(_read(b"\x89PNG")).json()


def test_a_connection_cut_while_reading_a_streamed_answer_raises_api_connection_error() -> None:
    client = _client_answering(httpx.Response(200, stream=_CutSync()))
    streamed = to_streamed_response_wrapper(lambda: client.request(GET_THING))
    with streamed() as response, pytest.raises(APIConnectionError, match="reset"):
        response.read()


def test_a_connection_cut_while_iterating_a_streamed_answer_raises_api_connection_error() -> None:
    client = _client_answering(httpx.Response(200, stream=_CutSync()))
    streamed = to_streamed_response_wrapper(lambda: client.request(GET_THING))
    with streamed() as response, pytest.raises(APIConnectionError):
        list(response.iter_bytes())


async def test_an_async_connection_cut_mid_answer_raises_api_connection_error() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: _cut_async_response()))
    client = AsyncClient(api_key="k", http_client=http)
    streamed = async_to_streamed_response_wrapper(lambda: client.request(GET_THING))
    async with streamed() as response:
        with pytest.raises(APIConnectionError, match="reset"):
            [chunk async for chunk in response.iter_bytes()]


def test_a_streamed_answer_iterated_twice_raises_response_body_error() -> None:
    client = _client_answering(httpx.Response(200, stream=httpx.ByteStream(b'{"id": "t"}')))
    streamed = to_streamed_response_wrapper(lambda: client.request(GET_THING))
    with streamed() as response:
        assert b"".join(response.iter_bytes()) == b'{"id": "t"}'
        with pytest.raises(ResponseBodyError, match="cannot be read") as caught:
            list(response.iter_bytes())
    assert isinstance(caught.value, ClientError) and isinstance(caught.value, RuntimeError)


def test_a_malformed_multipart_body_raises_a_multipart_error() -> None:
    with pytest.raises(MultipartError) as caught:
        parse_multipart(b"no parts here", "boundary")
    assert isinstance(caught.value, ClientError) and isinstance(caught.value, ValueError)


def test_a_file_that_is_not_a_recording_raises_a_recording_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(RecordingError) as caught:
        load_recording(path)
    assert isinstance(caught.value, ClientError) and isinstance(caught.value, ValueError)


def test_appending_to_a_file_that_is_not_a_recording_raises_invalid_argument_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.json"
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match="cannot be appended to"):
        RecordingTransport(httpx.MockTransport(_ok), path, append=True)


# ---------------------------------------------------------------- helpers


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"id": "t"})


def _no_pages() -> Pagination:
    return Pagination(cursor_param=None)


def _no_fetch(params: object) -> Any:
    raise AssertionError("no page is fetched")


def _read(content: bytes) -> httpx.Response:
    return httpx.Response(200, content=content, request=httpx.Request("GET", "https://x.test"))


def _client_answering(response: httpx.Response) -> Client:
    return Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(
        lambda request: response)))  # fmt: skip


class _CutSync(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b'{"id": '
        raise httpx.ReadError("connection reset by peer")


class _CutAsync(httpx.AsyncByteStream):
    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"id": '
        raise httpx.ReadError("connection reset by peer")


def _cut_async_response() -> httpx.Response:
    return httpx.Response(200, stream=_CutAsync())
