"""Every documented example parses into the generated models and serialises back unchanged."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from typing import Any

import httpx
import openai_images as oi
import pytest
import yaml
from genutil import SPEC, UPSTREAM, generate_package
from openai_images._models import decode
from openai_images._sse import SSEReader
from openai_images.resources.images import ImagesResource

DOCUMENT = yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def component_examples(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, schema in document["components"]["schemas"].items():
        for example in schema.get("examples", []):
            yield name, example


def media_examples(document: dict[str, Any], kind: str) -> Iterator[tuple[str, str, Any]]:
    for item in document["paths"].values():
        for operation in item.values():
            containers = list(operation.get("responses", {}).items())
            containers.append(("request", operation.get("requestBody", {})))
            for status, container in containers:
                for content_type, media in container.get("content", {}).items():
                    if kind in content_type:
                        for example in media.get("examples", {}).values():
                            yield status, content_type, example["value"]


def sse_payloads(text: str) -> list[tuple[str | None, Any]]:
    """The events of a documented stream. Documentation trims the blank line that ends the
    last event on the wire; put it back, or the reader (rightly) drops that event."""
    if not text.endswith("\n\n"):
        text += "\n"
    reader = SSEReader()
    events = reader.feed(text.encode())
    assert not reader.finish(), "the example stream ends inside an event"
    return [(event.event, json.loads(event.data)) for event in events]


def parse_any(name: str, data: Any, strict: bool = False) -> Any:
    parser = getattr(oi, f"parse_{snake(name)}", None)
    if parser is not None:
        return parser(data, strict=strict)
    return getattr(oi, name).from_dict(data, strict=strict)


def snake(name: str) -> str:
    from generator.pipeline.names import snake_name

    return snake_name(name)


COMPONENT_EXAMPLES = list(component_examples(DOCUMENT))
JSON_EXAMPLES = list(media_examples(DOCUMENT, "json"))
STREAM_EXAMPLES = [value for _, _, value in media_examples(DOCUMENT, "event-stream")]


def test_the_spec_documents_examples_to_check() -> None:
    assert len(COMPONENT_EXAMPLES) >= 3
    assert len(JSON_EXAMPLES) >= 4
    assert len(STREAM_EXAMPLES) == 1


@pytest.mark.parametrize(("name", "example"), COMPONENT_EXAMPLES, ids=lambda v: str(v)[:30])
def test_component_example_round_trips(name: str, example: Any) -> None:
    assert parse_any(name, json.loads(json.dumps(example))).to_dict() == example


@pytest.mark.parametrize(("status", "content_type", "example"), JSON_EXAMPLES)
def test_json_media_example_round_trips(status: str, content_type: str, example: Any) -> None:
    operation = DOCUMENT["paths"]["/images/edits"]["post"]
    if status == "request":
        assert sent_json(example) == example
        return
    schema = operation["responses"][status]["content"][content_type]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    assert parse_any(name, example).to_dict() == example


def sent_json(example: dict[str, Any]) -> Any:
    """The JSON body ``client.images.edit_json`` sends for a documented request body, its
    values given as the method's argument types (the names its module imports for type
    checkers only resolve through the package, as the runtime's do)."""
    annotations = typing.get_type_hints(ImagesResource.edit_json, localns=PackageNames())
    arguments = {k: decode(annotations[k], v, module=oi.__name__) for k, v in example.items()}
    bodies: list[Any] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.read()))
        return httpx.Response(200, json={"created": 1})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    oi.Client(api_key="sk-test", http_client=http).images.edit_json(**arguments)
    return bodies[0]


class PackageNames(dict[str, Any]):
    """Names as ``eval`` looks them up: what the package exports, loaded on first use."""

    def __missing__(self, name: str) -> Any:
        try:
            return getattr(oi, name)
        except AttributeError:
            raise KeyError(name) from None


def test_stream_example_events_round_trip_as_their_classes() -> None:
    payloads = sse_payloads(STREAM_EXAMPLES[0])
    classes = [type(oi.parse_image_edit_stream_event(data)) for _, data in payloads]
    assert classes == [oi.ImageEditPartialImageEvent, oi.ImageEditCompletedEvent]
    for _, data in payloads:
        assert oi.parse_image_edit_stream_event(data).to_dict() == data


def test_stream_example_misses_required_fields_that_strict_mode_reports() -> None:
    _, partial = sse_payloads(STREAM_EXAMPLES[0])[0]
    with pytest.raises(ValueError, match="created_at"):
        oi.parse_image_edit_stream_event(partial, strict=True)


def test_unknown_fields_survive_a_round_trip() -> None:
    data = {"created": 1, "data": [{"b64_json": "AA==", "seed": 7}], "brand_new": {"x": [1]}}
    parsed = oi.ImagesResponse.from_dict(data)
    assert parsed.additional_properties == {"brand_new": {"x": [1]}}
    assert parsed.to_dict() == data


def test_unknown_response_enum_value_is_kept_as_a_string() -> None:
    data = {"created": 1, "size": "2048x2048", "quality": "high"}
    parsed = oi.ImagesResponse.from_dict(data)
    assert parsed.size == "2048x2048" and not isinstance(parsed.size, oi.ImagesResponseSize)
    assert parsed.quality is oi.ImagesResponseQuality.HIGH
    assert parsed.to_dict() == data


def test_unknown_event_type_becomes_unknown_event_and_round_trips() -> None:
    data = {"type": "image_edit.brand_new", "progress": 0.5}
    event = oi.parse_image_edit_stream_event(data)
    assert isinstance(event, oi.UnknownEvent)
    assert event.type == "image_edit.brand_new"
    assert event.to_dict() == data


def test_json_null_is_sent_and_absent_is_left_out() -> None:
    data = {"model": None, "images": [{"file_id": "file-1"}], "prompt": "p"}
    assert sent_json(data) == data


# ---------------------------------------------------------------- the upstream spec itself


def upstream_documented_examples(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The upstream keeps examples as JSON text under ``x-oaiMeta``."""
    for name, schema in document["components"]["schemas"].items():
        meta = schema.get("x-oaiMeta") or {}
        if isinstance(meta.get("example"), str):
            yield name, json.loads(meta["example"])


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    if not UPSTREAM.exists():
        pytest.skip("../shared/reference is not beside this clone")
    out = tmp_path_factory.mktemp("upstream")
    package = generate_package(UPSTREAM, out / "gen", "upstream_images")
    return package, yaml.safe_load(UPSTREAM.read_text(encoding="utf-8"))


def test_upstream_component_examples_round_trip(upstream: tuple[Any, dict[str, Any]]) -> None:
    package, document = upstream
    examples = list(upstream_documented_examples(document))
    assert len(examples) >= 3
    for name, example in examples:
        parser = getattr(package, f"parse_{snake(name)}", None)
        model = parser(example) if parser else getattr(package, name).from_dict(example)
        assert model.to_dict() == example, name


def test_upstream_stream_example_is_delivered_and_strict_mode_names_what_is_missing(
    upstream: tuple[Any, dict[str, Any]],
) -> None:
    package, document = upstream
    meta = document["paths"]["/images/edits"]["post"]["x-oaiMeta"]
    text = next(e["response"] for e in meta["examples"] if "response" in e)
    payloads = sse_payloads(text)
    events = [package.parse_image_edit_stream_event(data) for _, data in payloads]
    assert [type(e).__name__ for e in events] == [
        "ImageEditPartialImageEvent",
        "ImageEditCompletedEvent",
    ]
    assert [e.to_dict() for e in events] == [data for _, data in payloads]
    with pytest.raises(ValueError, match="size"):
        package.parse_image_edit_stream_event(payloads[1][1], strict=True)
