"""``assert_matches_type`` for the ported tests, checking the generated package's values.

The SDK's own helper walks pydantic fields. Here:

* a class of the generated package (a model, a page, ``Stream``, the binary answer):
  ``isinstance``; a page's items are checked against the page's type argument;
* a union alias of the package: the value is one of its members;
* ``None``, ``str``, ``bytes``, ``object``, ``list[X]``, ``dict[...]``: as Python types;
* a ``Placeholder`` (an SDK type the package names differently): the value is a typed
  result of the package: an attrs model, a page of them, a list of them, or a stream.
  A raw ``dict`` or ``str`` where the SDK returns a model fails.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs
from tests.sdk_names import _PACKAGE, Placeholder, PlaceholderAlias

_OURS = _PACKAGE.__name__


def _is_ours(value: object) -> bool:
    return type(value).__module__.split(".")[0] == _OURS


def _is_typed_result(value: object) -> bool:
    if isinstance(value, list):
        return all(_is_typed_result(item) for item in value)
    if attrs.has(type(value)):
        return _is_ours(value)
    return _is_ours(value) and not isinstance(value, (dict, str, bytes))


def _page_items(value: object) -> list[Any] | None:
    items = getattr(value, "data", None)  # a page's items (and a list answer's)
    return list(items) if isinstance(items, list) else None


def _expect(value: object, cls: type, path: list[str]) -> None:
    assert isinstance(value, cls), f"{path}: expected {cls.__name__}, got {type(value).__name__}"


def _is_placeholder(type_: Any) -> bool:
    return isinstance(type_, PlaceholderAlias) or (
        isinstance(type_, type) and issubclass(type_, Placeholder)
    )


def assert_matches_type(
    type_: Any, value: object, *, path: list[str], allow_none: bool = False
) -> None:
    if allow_none and value is None:
        return
    if type_ is None or type_ is type(None):
        assert value is None, f"{path}: expected None, got {type(value).__name__}"
        return
    if _is_placeholder(type_):
        assert _is_typed_result(value), f"{path}: {type_!r} answered by {type(value).__name__}"
        items = _page_items(value) if isinstance(type_, PlaceholderAlias) else None
        for index, item in enumerate(items or []):
            assert_matches_type(type_.args[0], item, path=[*path, str(index)])
        return
    origin = typing.get_origin(type_)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for member in typing.get_args(type_):
            try:
                assert_matches_type(member, value, path=path)
                return
            except AssertionError as error:
                errors.append(str(error))
        raise AssertionError(f"{path}: {type(value).__name__} fits no member: {errors}")
    if origin is typing.Literal:
        assert value in typing.get_args(type_), f"{path}: {value!r} not in {type_!r}"
        return
    if origin is typing.Annotated:
        assert_matches_type(typing.get_args(type_)[0], value, path=path)
        return
    if origin is not None and isinstance(origin, type):
        _expect(value, origin, path)
        items = value if origin is list else _page_items(value)
        if typing.get_args(type_) and isinstance(items, list):
            for index, item in enumerate(items):
                assert_matches_type(typing.get_args(type_)[0], item, path=[*path, str(index)])
        return
    if type_ is object or type_ is Any:
        return
    if isinstance(type_, type):
        _expect(value, type_, path)
        return
    raise AssertionError(f"{path}: cannot check against {type_!r}")
