"""What the pages of list operations share, as in the official OpenAI SDK.

* :class:`SyncCursorPage` / :class:`AsyncCursorPage`: an answer with a list of items
  (``data``) and whether more follow (``has_more``); the next page is requested with the
  cursor parameter (``after``) set to the last item's id.
* :class:`SyncPage` / :class:`AsyncPage`: a list answer that is not paginated: one page.

Iterating a page yields every item of it and of the pages after it, fetching each next page
only when the items before it are used up. ``iter_pages()`` yields the pages themselves;
``has_next_page()`` and ``get_next_page()`` step by hand. Attributes of the list answer
other than ``data`` (``first_id``, ``object``...) are readable on the page.

An async list method returns an ``AsyncPaginator``: ``await`` it for the first page, or
``async for`` over it for every item. The sync and async pages themselves are in
:mod:`._async_client` and :mod:`._sync_client`; this module holds what they share.

How a page reads the answer is declared in its operation's ``Endpoint`` as a
:class:`~._build.Pagination` (attribute names of the decoded answer and of its items).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from ._build import Pagination
from ._errors import NoNextPageError
from ._types import Unset

__all__ = ["PageInfo"]

T = TypeVar("T")


@attrs.frozen
class PageInfo:
    """What to add to the query of the first page's request to get the next page."""

    params: Mapping[str, object]


class _BasePage(Generic[T]):
    data: list[T]
    _request_id: str | None

    def __init__(
        self,
        result: Any,
        pagination: Pagination,
        request_id: str | None,
        fetch: Callable[[Mapping[str, object]], Any],
    ) -> None:
        self._result = result
        self._pagination = pagination
        self._request_id = request_id
        self._fetch = fetch  # the page after this one, given its query additions
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

    def _next_params(self) -> Mapping[str, object]:
        info = self.next_page_info()
        if info is None:
            raise NoNextPageError("No next page: check has_next_page() before get_next_page().")
        return info.params

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
