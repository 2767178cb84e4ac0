"""Pages of list operations, as in the official OpenAI SDK.

* :class:`SyncCursorPage` / :class:`AsyncCursorPage`: an answer with a list of items
  (``data``) and whether more follow (``has_more``); the next page is requested with the
  cursor parameter (``after``) set to the last item's id.
* :class:`SyncPage` / :class:`AsyncPage`: a list answer that is not paginated: one page.

Iterating a page yields every item of it and of the pages after it, fetching each next page
only when the items before it are used up. ``iter_pages()`` yields the pages themselves;
``has_next_page()`` and ``get_next_page()`` step by hand. Attributes of the list answer
other than ``data`` (``first_id``, ``object``...) are readable on the page.

An async list method returns an :class:`AsyncPaginator`: ``await`` it for the first page, or
``async for`` over it for every item.

How a page reads the answer is declared in its operation's ``Endpoint`` as a
:class:`~._build.Pagination` (attribute names of the decoded answer and of its items).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from typing import Any, Generic, Self, TypeVar, cast

import attrs

from ._build import Pagination
from ._types import Unset

__all__ = [
    "AsyncCursorPage",
    "AsyncPage",
    "AsyncPaginator",
    "PageInfo",
    "SyncCursorPage",
    "SyncPage",
]

T = TypeVar("T")
PageT = TypeVar("PageT", bound="_AsyncBasePage[Any]")


@attrs.frozen
class PageInfo:
    """What to add to the query of the first page's request to get the next page."""

    params: Mapping[str, object]


class _BasePage(Generic[T]):
    data: list[T]
    _request_id: str | None

    def __init__(self, result: Any, pagination: Pagination, request_id: str | None) -> None:
        self._result = result
        self._pagination = pagination
        self._request_id = request_id
        items = _value(getattr(result, pagination.items, None))
        self.data = list(items) if isinstance(items, list | tuple) else []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._result, name)

    def to_dict(self) -> Any:
        """The list answer as JSON."""
        to_dict = getattr(self._result, "to_dict", None)
        return to_dict() if callable(to_dict) else self._result

    def has_next_page(self) -> bool:
        """Whether another page can be requested."""
        return bool(self.data) and self.next_page_info() is not None

    def next_page_info(self) -> PageInfo | None:
        """The query additions for the next page, or None when there is none."""
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data=<{len(self.data)} items>)"


class _CursorMixin(_BasePage[T]):
    @property
    def has_more(self) -> bool | None:
        """The answer's own word on further pages (None when it does not say)."""
        name = self._pagination.has_more
        value = _value(getattr(self._result, name, None)) if name else None
        return value if isinstance(value, bool) else None

    def next_page_info(self) -> PageInfo | None:
        param = self._pagination.cursor_param
        if not self.data or param is None or self.has_more is False:
            return None
        cursor = _value(getattr(self.data[-1], self._pagination.cursor_from, None))
        if cursor is None:
            return None
        return PageInfo({param: cursor})


def _value(value: object) -> object:
    return None if isinstance(value, Unset) else value


class _SyncBasePage(_BasePage[T]):
    def __init__(
        self,
        result: Any,
        pagination: Pagination,
        request_id: str | None,
        fetch: Callable[[Mapping[str, object]], Any],
    ) -> None:
        super().__init__(result, pagination, request_id)
        self._fetch = fetch

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data

    def iter_pages(self) -> Iterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def get_next_page(self) -> Self:
        info = self.next_page_info()
        if info is None:
            raise RuntimeError("No next page: check has_next_page() before get_next_page().")
        return cast(Self, self._fetch(info.params))


class _AsyncBasePage(_BasePage[T]):
    def __init__(
        self,
        result: Any,
        pagination: Pagination,
        request_id: str | None,
        fetch: Callable[[Mapping[str, object]], Awaitable[Any]],
    ) -> None:
        super().__init__(result, pagination, request_id)
        self._fetch = fetch

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    async def iter_pages(self) -> AsyncIterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def get_next_page(self) -> Self:
        info = self.next_page_info()
        if info is None:
            raise RuntimeError("No next page: check has_next_page() before get_next_page().")
        return cast(Self, await self._fetch(info.params))


class SyncPage(_SyncBasePage[T]):
    """A list answer that is not paginated: its ``data`` is everything."""


class AsyncPage(_AsyncBasePage[T]):
    """:class:`SyncPage` for ``AsyncClient``."""


class SyncCursorPage(_CursorMixin[T], _SyncBasePage[T]):
    """One page of a cursor-paginated list; iterating it walks every later page too."""


class AsyncCursorPage(_CursorMixin[T], _AsyncBasePage[T]):
    """:class:`SyncCursorPage` for ``AsyncClient`` (``async for``)."""


class AsyncPaginator(Generic[T, PageT]):
    """What an async list method returns: ``await`` it for the first page, or ``async for``
    over it for every item of every page."""

    def __init__(self, get_page: Callable[[], Awaitable[PageT]]) -> None:
        self._get_page = get_page

    def __await__(self) -> Generator[Any, None, PageT]:
        return self._get_page().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self
        async for item in page:
            yield cast(T, item)
