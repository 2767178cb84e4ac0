"""Naming rules: spec names in, stable, valid, distinct Python identifiers out."""

from __future__ import annotations

import keyword
import random

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from generator.pipeline.names import (
    RESERVED_ARGUMENT_NAMES,
    RESERVED_FIELD_NAMES,
    class_name,
    enum_member_names,
    field_name,
    operation_method,
    snake_name,
    unique_field_names,
    words,
)
from generator.pipeline.runtime import reserved_names

IMAGE_VALUES = [
    "gpt-image-1",
    "gpt-image-1-mini",
    "gpt-image-1.5",
    "dall-e-2",
    "chatgpt-image-latest",
]
SIZES = ["256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "auto"]


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


# ---------------------------------------------------------------- enum members


def test_enum_members_come_from_values() -> None:
    assert enum_member_names(SIZES, "size") == {
        "256x256": "SIZE_256X256",
        "512x512": "SIZE_512X512",
        "1024x1024": "SIZE_1024X1024",
        "1536x1024": "SIZE_1536X1024",
        "1024x1536": "SIZE_1024X1536",
        "auto": "AUTO",
    }
    assert enum_member_names(IMAGE_VALUES, "model") == {
        "gpt-image-1": "GPT_IMAGE_1",
        "gpt-image-1-mini": "GPT_IMAGE_1_MINI",
        "gpt-image-1.5": "GPT_IMAGE_1_5",
        "dall-e-2": "DALL_E_2",
        "chatgpt-image-latest": "CHATGPT_IMAGE_LATEST",
    }


def test_enum_members_keep_snake_and_camel_values_readable() -> None:
    names = enum_member_names(["b64_json", "url", "inputFidelity", "HTTPError"], "format")
    assert names == {
        "b64_json": "B64_JSON",
        "url": "URL",
        "inputFidelity": "INPUT_FIDELITY",
        "HTTPError": "HTTP_ERROR",
    }


@pytest.mark.parametrize("seed", range(5))
def test_enum_member_names_do_not_depend_on_value_order(seed: int) -> None:
    values = [*SIZES, *IMAGE_VALUES, "gpt-image-1-5", "a b", "a-b", "a_b", "a.b"]
    expected = enum_member_names(values, "value")
    shuffled = values[:]
    random.Random(seed).shuffle(shuffled)
    assert enum_member_names(shuffled, "value") == expected


def test_colliding_enum_values_are_spelled_out_not_numbered() -> None:
    names = enum_member_names(["gpt-image-1.5", "gpt-image-1-5", "gpt_image_1_5"], "model")
    assert names["gpt_image_1_5"] == "GPT_IMAGE_1_5"
    assert names["gpt-image-1.5"] == "GPT_DASH_IMAGE_DASH_1_DOT_5"
    assert names["gpt-image-1-5"] == "GPT_DASH_IMAGE_DASH_1_DASH_5"
    assert len(set(names.values())) == 3


def test_enum_member_for_a_value_starting_with_a_digit_gets_the_prefix() -> None:
    assert enum_member_names(["1024x1024", "auto"], "size")["1024x1024"] == "SIZE_1024X1024"
    assert enum_member_names(["1", "2"], "2nd")["1"] == "VALUE_1"


def test_enum_members_for_empty_and_punctuation_values() -> None:
    names = enum_member_names(["", "-", "+", "日本"], "kind")
    assert names[""] == "EMPTY"
    assert names["-"] == "KIND_DASH"
    assert names["+"] == "KIND_PLUS"
    assert names["日本"] == "RI_BEN"  # transliterated


def test_enum_members_never_numbered() -> None:
    names = enum_member_names(["a-b", "a_b", "a.b", "a b", "a/b", "a:b"], "x")
    assert not any(name.rstrip("0123456789") != name and name[-2] == "_" for name in names.values())
    assert len(set(names.values())) == 6


def test_enum_values_differing_only_in_case_get_distinct_members() -> None:
    names = enum_member_names(["auto", "AUTO"], "mode")
    assert len(set(names.values())) == 2


# ---------------------------------------------------------------- fields


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("createdAt", "created_at"),
        ("b64_json", "b64_json"),
        ("dall-e-2", "dall_e_2"),
        ("input_tokens_details", "input_tokens_details"),
        ("HTTPStatus", "http_status"),
        ("x-request-id", "x_request_id"),
        ("Content-Type", "content_type"),
        ("1024x1024", "field_1024x1024"),
        ("class", "class_"),
        ("from", "from_"),
        ("match", "match_"),
        ("type", "type"),
        ("self", "self_"),
        ("to_dict", "to_dict_"),
        ("additional_properties", "additional_properties_"),
        ("", "value"),
    ],
)
def test_field_name(wire: str, python: str) -> None:
    assert field_name(wire) == python


def test_keywords_get_a_trailing_underscore() -> None:
    for word in keyword.kwlist + keyword.softkwlist:
        name = field_name(word)
        if snake_name(word) == word:
            assert name == word + "_", word


def test_argument_names_reserve_the_clients_own_arguments() -> None:
    assert field_name("timeout", RESERVED_ARGUMENT_NAMES) == "timeout_"
    assert field_name("extra_headers", RESERVED_ARGUMENT_NAMES) == "extra_headers_"
    assert field_name("timeout") == "timeout"


def test_colliding_fields_resolved_without_numbers() -> None:
    names = unique_field_names(["dall-e-2", "dall_e_2", "Dall-E-2"])
    assert names["dall_e_2"] == "dall_e_2"  # the wire name that already is the Python name
    assert sorted(names.values()) == ["dall_e_2", "dall_e_2_", "dall_e_2__"]


@pytest.mark.parametrize("seed", range(5))
def test_colliding_fields_do_not_depend_on_order(seed: int) -> None:
    wires = ["dall-e-2", "dall_e_2", "DallE2", "class", "class_", "Class", "a", "A", "a-"]
    expected = unique_field_names(wires)
    shuffled = wires[:]
    random.Random(seed).shuffle(shuffled)
    assert unique_field_names(shuffled) == expected


# ---------------------------------------------------------------- cases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("createdAt", "created_at"),
        ("CreateImageEdit", "create_image_edit"),
        ("images/edits", "images_edits"),
        ("Image Edit", "image_edit"),
        ("gpt-image-1.5", "gpt_image_1_5"),
        ("b64_json", "b64_json"),
        ("HTTPResponse", "http_response"),
        ("already_snake", "already_snake"),
    ],
)
def test_snake_name(text: str, expected: str) -> None:
    assert snake_name(text) == expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("ImagesUsage", "input_tokens_details"), "ImagesUsageInputTokensDetails"),
        (("create_image_edit",), "CreateImageEdit"),
        (("image-response",), "ImageResponse"),
        (("HTTPError",), "HTTPError"),
        (("1st thing",), "N1stThing"),
        (("",), "Unnamed"),
    ],
)
def test_class_name(parts: tuple[str, ...], expected: str) -> None:
    assert class_name(*parts) == expected


def test_words_split_camel_snake_kebab_and_dots() -> None:
    assert words("inputTokens_details-v2.5") == ["input", "Tokens", "details", "v2", "5"]


# ---------------------------------------------------------------- properties


names_text = st.text(max_size=12)
name_lists = st.lists(names_text, max_size=8, unique=True)


@settings(max_examples=300, deadline=None)
@given(name_lists)
@example(["dall-e-2", "dall_e_2", "class", "class_", "timeout", "to_dict", "", "1", "_"])
def test_any_wire_names_give_distinct_valid_field_names(wires: list[str]) -> None:
    names = unique_field_names(wires)
    assert set(names) == set(wires)
    assert len(set(names.values())) == len(wires)
    for name in names.values():
        assert is_identifier(name), name
        assert name not in RESERVED_FIELD_NAMES


@settings(max_examples=300, deadline=None)
@given(name_lists)
def test_any_wire_names_give_distinct_valid_argument_names(wires: list[str]) -> None:
    names = unique_field_names(wires, RESERVED_ARGUMENT_NAMES)
    assert len(set(names.values())) == len(wires)
    assert all(is_identifier(n) and n not in RESERVED_ARGUMENT_NAMES for n in names.values())


@settings(max_examples=300, deadline=None)
@given(name_lists, st.randoms(use_true_random=False))
def test_field_names_do_not_depend_on_order(wires: list[str], rnd: random.Random) -> None:
    shuffled = wires[:]
    rnd.shuffle(shuffled)
    assert unique_field_names(shuffled) == unique_field_names(wires)


@settings(max_examples=300, deadline=None)
@given(name_lists, names_text)
@example(["auto", "AUTO"], "mode")
@example(["a-b", "a_b", "A_DASH_B"], "mode")
@example(["", "EMPTY"], "mode")
def test_any_enum_values_give_distinct_valid_member_names(values: list[str], prefix: str) -> None:
    members = enum_member_names(values, prefix)
    assert set(members) == set(values)
    assert len(set(members.values())) == len(values)
    assert all(is_identifier(m) and not m.startswith("_") for m in members.values())


def _plain(value: str) -> str:
    return "_".join(w.upper() for w in words(value))


@settings(max_examples=300, deadline=None)
@given(name_lists, names_text)
def test_values_with_distinct_plain_names_get_exactly_those(values: list[str], prefix: str) -> None:
    plain = [_plain(v) for v in values]
    assume(all(plain) and len(set(plain)) == len(plain))
    members = enum_member_names(values, prefix)
    for value, name in members.items():
        assert is_identifier(name)
        assert name == _plain(value) or name.endswith("_" + _plain(value)), (value, name)


@settings(max_examples=300, deadline=None)
@given(name_lists, names_text, st.randoms(use_true_random=False))
def test_enum_member_names_do_not_depend_on_order_for_any_values(
    values: list[str], prefix: str, rnd: random.Random
) -> None:
    try:
        expected = enum_member_names(values, prefix)
    except ValueError:
        assume(False)  # the collision bug above; it does not depend on order either
        return
    shuffled = values[:]
    rnd.shuffle(shuffled)
    assert enum_member_names(shuffled, prefix) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(names_text, min_size=1, max_size=3))
def test_any_parts_give_a_valid_class_name(parts: list[str]) -> None:
    """An identifier; the only keywords it can give (``None``, ``True``, ``False``) are names the
    mapper reserves and renames."""
    name = class_name(*parts)
    assert name.isidentifier()
    assert not keyword.iskeyword(name) or name in reserved_names()
    assert name[0].isupper()


@pytest.mark.parametrize(
    ("operation_id", "resource", "method"),
    [
        ("repos/get", "repos", "get"),
        ("repos/list-for-org", "repos", "list_for_org"),
        ("pets.list", "pets", "list"),
        ("git/create-ref", "git", "create_ref"),
        ("issues/get", "repos", "issues_get"),
        ("createImageEdit", "images", "create_image_edit"),
        ("repos/with-raw-response", "repos", "with_raw_response_"),
    ],
)
def test_a_namespace_that_repeats_the_resource_is_dropped_from_the_method(
    operation_id: str, resource: str, method: str
) -> None:
    assert operation_method(operation_id, resource) == method
