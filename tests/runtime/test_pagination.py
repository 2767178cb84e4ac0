"""Pages of list operations, through the runtime client with hand-written Endpoints (the call
shape generated list methods will use)."""

from __future__ import annotations

from typing import Any, Never

import attrs
import httpx
import pytest
from runtime_clients import AsyncClient, Client

from generator.runtime._async_client import (
    AsyncCursorPage,
    AsyncPage,
    AsyncPaginator,
    async_to_raw_response_wrapper,
)
from generator.runtime._build import Endpoint, Pagination, Param
from generator.runtime._models import Model
from generator.runtime._response import RawAPIResponse
from generator.runtime._sync_client import SyncCursorPage, SyncPage, to_raw_response_wrapper
from generator.runtime._types import UNSET, Unset


@attrs.define(kw_only=True)
class Item(Model):
    id: str | Unset = UNSET
    name: str | Unset = UNSET


@attrs.define(kw_only=True)
class ItemList(Model):
    data: list[Item]
    has_more: bool | Unset = UNSET
    first_id: str | Unset = UNSET
    object: str | Unset = UNSET


LIST_ITEMS: Endpoint[Item, Never] = Endpoint(
    "GET",
    "/items",
    params=(Param("after", "query"), Param("limit", "query")),
    returns=ItemList,
    page=Pagination(items="data", has_more="has_more", cursor_param="after", cursor_from="id"),
)
LIST_MODELS: Endpoint[Item, Never] = Endpoint(
    "GET", "/models", returns=ItemList, page=Pagination(cursor_param=None)
)

ITEMS = [{"id": f"item_{n}", "name": f"n{n}"} for n in range(7)]


class Server:
    """Serves ITEMS three at a time, after the ``after`` cursor; records the queries."""

    def __init__(self, has_more: bool | None = True) -> None:
        self.queries: list[dict[str, str]] = []
        self.has_more = has_more

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        self.queries.append(query)
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"object": "list", "data": ITEMS[:2]})
        ids = [item["id"] for item in ITEMS]
        start = ids.index(query["after"]) + 1 if "after" in query else 0
        size = int(query.get("limit", 3))
        page = ITEMS[start : start + size]
        body: dict[str, Any] = {
            "object": "list",
            "data": page,
            "first_id": page[0]["id"] if page else None,
        }
        if self.has_more is not None:
            body["has_more"] = start + size < len(ITEMS)
        return httpx.Response(200, json=body, headers={"x-request-id": f"req_{start}"})


def sync_client(server: Server) -> Client:
    return Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(server)))


def async_client(server: Server) -> AsyncClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server))
    return AsyncClient(api_key="k", http_client=http)


def test_iterating_a_cursor_page_yields_every_item_across_pages() -> None:
    server = Server()
    page = sync_client(server).request_page(LIST_ITEMS, SyncCursorPage, query={"limit": 3})
    assert isinstance(page, SyncCursorPage)
    assert [item.id for item in page.data] == ["item_0", "item_1", "item_2"]
    assert [item.id for item in page] == [item["id"] for item in ITEMS]
    assert server.queries == [
        {"limit": "3"},
        {"limit": "3", "after": "item_2"},
        {"limit": "3", "after": "item_5"},
    ]


def test_pages_are_fetched_lazily() -> None:
    server = Server()
    page = sync_client(server).request_page(LIST_ITEMS, SyncCursorPage, query={"limit": 3})
    items = iter(page)
    assert [next(items).id for _ in range(3)] == ["item_0", "item_1", "item_2"]
    assert len(server.queries) == 1
    next(items)
    assert len(server.queries) == 2


def test_stepping_by_hand() -> None:
    page = sync_client(Server()).request_page(LIST_ITEMS, SyncCursorPage, query={"limit": 3})
    assert page.has_more is True and page.has_next_page()
    assert page.next_page_info() is not None
    second = page.get_next_page()
    assert [item.id for item in second.data] == ["item_3", "item_4", "item_5"]
    last = second.get_next_page()
    assert last.has_more is False and not last.has_next_page()
    with pytest.raises(RuntimeError, match="has_next_page"):
        last.get_next_page()
    pages = list(page.iter_pages())
    assert [len(p.data) for p in pages] == [3, 3, 1]


def test_pages_expose_the_list_answer_and_the_request_id() -> None:
    page = sync_client(Server()).request_page(LIST_ITEMS, SyncCursorPage, query={"limit": 3})
    assert page.first_id == "item_0" and page.object == "list"
    assert page._request_id == "req_0"
    assert page.to_dict()["first_id"] == "item_0"


def test_without_has_more_the_last_page_is_the_empty_one() -> None:
    server = Server(has_more=None)
    page = sync_client(server).request_page(LIST_ITEMS, SyncCursorPage, query={"limit": 3})
    assert page.has_more is None
    assert len(list(page)) == len(ITEMS)
    assert server.queries[-1] == {"limit": "3", "after": "item_6"}  # answered with no data


def test_a_single_page_list() -> None:
    server = Server()
    page = sync_client(server).request_page(LIST_MODELS, SyncPage)
    assert isinstance(page, SyncPage)
    assert [item.id for item in page] == ["item_0", "item_1"]
    assert not page.has_next_page() and len(server.queries) == 1


def test_later_pages_keep_the_call_options() -> None:
    server = Server()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return server(request)

    made = Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    page = made.request_page(
        LIST_ITEMS, SyncCursorPage, query={"limit": 3}, extra_headers={"X-Trace": "t"},
        extra_query={"order": "asc"}, timeout=4.0,
    )  # fmt: skip
    list(page)
    assert {r.headers["x-trace"] for r in seen} == {"t"}
    assert {r.url.params["order"] for r in seen} == {"asc"}
    assert {r.extensions["timeout"]["read"] for r in seen} == {4.0}


def test_a_page_through_with_raw_response() -> None:
    made = sync_client(Server())

    def list_items(limit: int) -> SyncCursorPage[Item]:
        return made.request_page(LIST_ITEMS, SyncCursorPage, query={"limit": limit})

    response = to_raw_response_wrapper(list_items)(limit=2)
    assert isinstance(response, RawAPIResponse) and response.status_code == 200
    page = response.parse()
    assert [item.id for item in page] == [item["id"] for item in ITEMS]


async def test_async_iteration_over_every_item() -> None:
    server = Server()
    paginator = async_client(server).request_page(LIST_ITEMS, AsyncCursorPage, query={"limit": 3})
    assert isinstance(paginator, AsyncPaginator)
    assert [item.id async for item in paginator] == [item["id"] for item in ITEMS]
    assert len(server.queries) == 3


async def test_async_await_gives_the_first_page() -> None:
    server = Server()
    page = await async_client(server).request_page(LIST_ITEMS, AsyncCursorPage, query={"limit": 3})
    assert isinstance(page, AsyncCursorPage) and len(page.data) == 3
    assert len(server.queries) == 1
    second = await page.get_next_page()
    assert second.data[0].id == "item_3"
    pages = [p async for p in page.iter_pages()]
    assert [len(p.data) for p in pages] == [3, 3, 1]
    assert [item.id async for item in second] == ["item_3", "item_4", "item_5", "item_6"]


async def test_async_single_page() -> None:
    page = await async_client(Server()).request_page(LIST_MODELS, AsyncPage)
    assert [item.id async for item in page] == ["item_0", "item_1"]


async def test_async_page_through_with_raw_response() -> None:
    made = async_client(Server())

    def list_items(limit: int) -> AsyncPaginator[Item, AsyncCursorPage[Item]]:
        return made.request_page(LIST_ITEMS, AsyncCursorPage, query={"limit": limit})

    response = await async_to_raw_response_wrapper(list_items)(limit=3)
    assert isinstance(response, RawAPIResponse) and response.request_id == "req_0"
    page = response.parse()
    assert [item.id async for item in page] == [item["id"] for item in ITEMS]
