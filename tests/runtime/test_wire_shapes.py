"""Values on the wire and back: optional whole bodies left out, path and header parameters
by style and explode (OpenAPI's "Style Examples" table), and decoding annotations that hold
``None`` or a type JSON cannot carry."""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, Literal

import attrs
import pytest

from generator.runtime._build import Content, Endpoint, Param, build_request
from generator.runtime._files import FileTypes
from generator.runtime._models import DecodeError, Model, OneOf, decode
from generator.runtime._types import UNSET, Unset
from generator.runtime._webhooks import Webhooks

BASE = "https://api.test"
ENCODINGS: list[tuple[Literal["json", "multipart", "form", "binary", "text"], str]] = [
    ("json", "application/json"),
    ("text", "text/plain"),
    ("binary", "application/octet-stream"),
    ("form", "application/x-www-form-urlencoded"),
    ("multipart", "multipart/form-data"),
]


def whole_body(encoding: Literal["json", "multipart", "form", "binary", "text"],
               content_type: str) -> Endpoint[Any, Any]:  # fmt: skip
    return Endpoint("POST", "/tags", content=Content(encoding, content_type, whole=True))


# ---------------------------------------------------------------- optional whole bodies


@pytest.mark.parametrize(("encoding", "content_type"), ENCODINGS)
def test_whole_body_left_out_sends_no_body_and_no_content_type(
    encoding: Literal["json", "multipart", "form", "binary", "text"], content_type: str
) -> None:
    request = build_request(whole_body(encoding, content_type), base_url=BASE, body=UNSET)
    request.read()
    assert request.content == b""
    assert "Content-Type" not in request.headers
    assert "Transfer-Encoding" not in request.headers


def test_whole_json_body_none_is_sent_as_null() -> None:
    request = build_request(whole_body("json", "application/json"), base_url=BASE, body=None)
    assert request.content == b"null"
    assert request.headers["Content-Type"] == "application/json"


def test_whole_json_body_left_out_with_extra_body_sends_the_extra_fields() -> None:
    endpoint = whole_body("json", "application/json")
    request = build_request(endpoint, base_url=BASE, body=UNSET, extra_body={"note": "x"})
    assert json.loads(request.content) == {"note": "x"}
    assert request.headers["Content-Type"] == "application/json"


def test_whole_json_array_body_is_sent() -> None:
    request = build_request(whole_body("json", "application/json"), base_url=BASE, body=["a"])
    assert request.content == b'["a"]'


# ---------------------------------------------------------------- path and header styles

PRIMITIVE = 5
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}

# (style, explode, value, text): the path rows of OpenAPI's "Style Examples" table, for a
# parameter named ``color``.
PATH_STYLES: list[tuple[str, bool, Any, str]] = [
    ("simple", False, PRIMITIVE, "5"),
    ("simple", True, PRIMITIVE, "5"),
    ("simple", False, ARRAY, "blue,black,brown"),
    ("simple", True, ARRAY, "blue,black,brown"),
    ("simple", False, OBJECT, "R,100,G,200,B,150"),
    ("simple", True, OBJECT, "R=100,G=200,B=150"),
    ("label", False, "", "."),
    ("label", True, "", "."),
    ("label", False, PRIMITIVE, ".5"),
    ("label", True, PRIMITIVE, ".5"),
    ("label", False, ARRAY, ".blue,black,brown"),
    ("label", True, ARRAY, ".blue.black.brown"),
    ("label", False, OBJECT, ".R,100,G,200,B,150"),
    ("label", True, OBJECT, ".R=100.G=200.B=150"),
    ("matrix", False, "", ";color"),
    ("matrix", True, "", ";color"),
    ("matrix", False, PRIMITIVE, ";color=5"),
    ("matrix", True, PRIMITIVE, ";color=5"),
    ("matrix", False, ARRAY, ";color=blue,black,brown"),
    ("matrix", True, ARRAY, ";color=blue;color=black;color=brown"),
    ("matrix", False, OBJECT, ";color=R,100,G,200,B,150"),
    ("matrix", True, OBJECT, ";R=100;G=200;B=150"),
]


def path_of(param: Param, value: Any) -> str:
    # Not a segment of its own: httpx would drop a "." segment (the empty label value).
    endpoint: Endpoint[Any, Any] = Endpoint("GET", "/paint{color}", params=(param,))
    request = build_request(endpoint, base_url=BASE, path={"color": value})
    return request.url.raw_path.decode("ascii").removeprefix("/paint")


@pytest.mark.parametrize(("style", "explode", "value", "text"), PATH_STYLES)
def test_path_parameter_follows_style_and_explode(
    style: str, explode: bool, value: Any, text: str
) -> None:
    assert path_of(Param("color", "path", style=style, explode=explode), value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(PRIMITIVE, "5"), (ARRAY, "blue,black,brown"), (OBJECT, "R,100,G,200,B,150")],
)
def test_path_parameter_default_style_is_simple_without_explode(value: Any, text: str) -> None:
    assert path_of(Param("color", "path"), value) == text


def test_path_values_are_percent_encoded_apart_from_the_delimiters() -> None:
    param = Param("color", "path", style="matrix", explode=True)
    assert path_of(param, ["a/b", "c,d;e=f"]) == ";color=a%2Fb;color=c%2Cd%3Be%3Df"


# (explode, value, text): headers have the simple style only.
HEADER_STYLES: list[tuple[bool, Any, str]] = [
    (False, PRIMITIVE, "5"),
    (True, PRIMITIVE, "5"),
    (False, ARRAY, "blue,black,brown"),
    (True, ARRAY, "blue,black,brown"),
    (False, OBJECT, "R,100,G,200,B,150"),
    (True, OBJECT, "R=100,G=200,B=150"),
]


@pytest.mark.parametrize(("explode", "value", "text"), HEADER_STYLES)
def test_header_parameter_follows_simple_style_and_explode(
    explode: bool, value: Any, text: str
) -> None:
    param = Param("X-Color", "header", style="simple", explode=explode)
    endpoint: Endpoint[Any, Any] = Endpoint("GET", "/paint", params=(param,))
    request = build_request(endpoint, base_url=BASE, headers={"X-Color": value})
    assert request.headers["X-Color"] == text


def test_header_parameter_default_is_simple_without_explode() -> None:
    endpoint: Endpoint[Any, Any] = Endpoint("GET", "/paint", params=(Param("X-Color", "header"),))
    request = build_request(endpoint, base_url=BASE, headers={"X-Color": OBJECT})
    assert request.headers["X-Color"] == "R,100,G,200,B,150"


# ---------------------------------------------------------------- None in annotations


@attrs.define(kw_only=True)
class Ping(Model):
    zen: str


@attrs.define(kw_only=True)
class Push(Model):
    ref: str
    commits: list[None] | Unset = UNSET
    labels: dict[str, None] | Unset = UNSET


class HookEvents(Webhooks[Any]):
    _event: ClassVar[Any] = Annotated[Ping | Push, OneOf()]
    _secret_env = "TEST_WIRE_SHAPES_SECRET"


def test_list_of_none_decodes() -> None:
    assert decode(list[None], [None, None]) == [None, None]


def test_dict_of_none_decodes() -> None:
    assert decode(dict[str, None], {"a": None}) == {"a": None}


def test_none_in_a_string_annotation_inside_a_list_decodes() -> None:
    assert decode(list["None"], [None]) == [None]


def test_list_of_none_in_a_union_leaves_the_other_variants_decodable() -> None:
    assert decode(list[list[None] | str], ["a", [None]]) == ["a", [None]]


def test_list_of_none_rejects_other_values() -> None:
    with pytest.raises(DecodeError, match=r"\[0\]: expected null"):
        decode(list[None], [1])


def test_model_with_a_list_of_none_field_decodes() -> None:
    push = Push.from_dict({"ref": "main", "commits": [None], "labels": {"x": None}})
    assert push.commits == [None]
    assert push.labels == {"x": None}


def test_webhook_event_with_a_list_of_none_field_parses() -> None:
    event = HookEvents().parse_event(json.dumps({"ref": "main", "commits": [None]}))
    assert isinstance(event, Push)
    assert event.commits == [None]


@pytest.mark.parametrize(
    ("annotation", "value"),
    [(bytes, "data"), (FileTypes, "data"), (list[FileTypes], ["data"]), (Unset, None)],
)
def test_annotation_without_json_values_rejects_with_decode_error(
    annotation: Any, value: Any
) -> None:
    with pytest.raises(DecodeError, match="no JSON value"):
        decode(annotation, value)


def test_union_with_a_file_variant_decodes_its_json_variants() -> None:
    assert decode(Ping | FileTypes, {"zen": "hi"}) == Ping(zen="hi")
