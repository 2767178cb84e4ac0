"""Three ways to describe an event stream in a spec; each renders the same typed stream."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import generate_package, write_spec

PARTIAL = {
    "type": "object",
    "required": ["type", "index"],
    "properties": {
        "type": {"type": "string", "enum": ["thing.partial"]},
        "index": {"type": "integer"},
    },
}
COMPLETED = {
    "type": "object",
    "required": ["type", "result"],
    "properties": {
        "type": {"type": "string", "const": "thing.completed"},
        "result": {"type": "string"},
    },
}
WIRE = (
    b'event: thing.partial\ndata: {"type":"thing.partial","index":0}\n\n'
    b'event: thing.partial\ndata: {"type":"thing.partial","index":1}\n\n'
    b'event: thing.completed\ndata: {"type":"thing.completed","result":"done"}\n\n'
)


def spec_with_stream(media: dict[str, Any], version: str = "3.1.0") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "Streams", "version": "1"},
        "servers": [{"url": "https://example.test"}],
        "paths": {
            "/things": {
                "post": {
                    "operationId": "makeThing",
                    "tags": ["things"],
                    "responses": {
                        "200": {"description": "events", "content": {"text/event-stream": media}}
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "ThingPartial": copy.deepcopy(PARTIAL),
                "ThingCompleted": copy.deepcopy(COMPLETED),
            },
            "securitySchemes": {"Key": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"Key": []}],
    }


def envelope(event: str, payload: str, *, item: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"$ref": f"#/components/schemas/{payload}"}
    if item:  # OpenAPI 3.2: data is a JSON string whose content is described by contentSchema
        data = {"type": "string", "contentMediaType": "application/json", "contentSchema": data}
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {"event": {"const": event}, "data": data, "id": {"type": "string"}},
    }


PAYLOAD_DIALECT = spec_with_stream({"schema": {"$ref": "#/components/schemas/ThingEvent"}})
PAYLOAD_DIALECT["components"]["schemas"]["ThingEvent"] = {
    "oneOf": [
        {"$ref": "#/components/schemas/ThingPartial"},
        {"$ref": "#/components/schemas/ThingCompleted"},
    ],
    "discriminator": {"propertyName": "type"},
}
ITEM_SCHEMA_DIALECT = spec_with_stream(
    {
        "itemSchema": {
            "oneOf": [
                envelope("thing.partial", "ThingPartial", item=True),
                envelope("thing.completed", "ThingCompleted", item=True),
            ]
        }
    },
    version="3.2.0",
)
ENVELOPE_DIALECT = spec_with_stream(
    {
        "schema": {
            "oneOf": [
                envelope("thing.partial", "ThingPartial", item=False),
                envelope("thing.completed", "ThingCompleted", item=False),
            ]
        }
    }
)
DIALECTS = {
    "payload": PAYLOAD_DIALECT,
    "item_schema": ITEM_SCHEMA_DIALECT,
    "envelope": ENVELOPE_DIALECT,
}


@pytest.fixture(scope="module", params=sorted(DIALECTS))
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = tmp_path_factory.mktemp(request.param)
    spec = write_spec(folder, DIALECTS[request.param])
    return generate_package(spec, folder / "out", f"dialect_{request.param}")


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=WIRE, headers={"content-type": "text/event-stream"})


def client(package: ModuleType) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(answer))
    return package.Client(api_key="k", http_client=http)


def test_every_dialect_yields_the_same_typed_events(package: ModuleType) -> None:
    with client(package).things.make_thing() as stream:
        events = list(stream)
    assert [type(e).__name__ for e in events] == ["ThingPartial", "ThingPartial", "ThingCompleted"]
    assert [e.to_dict() for e in events][-1] == {"type": "thing.completed", "result": "done"}


def test_every_dialect_knows_the_completed_event_ends_the_stream(package: ModuleType) -> None:
    final = client(package).things.make_thing().until_done()
    assert type(final).__name__ == "ThingCompleted"


def test_every_dialect_reports_a_stream_without_its_completed_event(package: ModuleType) -> None:
    def cut(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=WIRE.split(b"event: thing.completed")[0],
            headers={"content-type": "text/event-stream"},
        )

    http = httpx.Client(transport=httpx.MockTransport(cut))
    stream = package.Client(api_key="k", http_client=http).things.make_thing()
    with pytest.raises(package.StreamIncompleteError) as caught:
        list(stream)
    assert caught.value.events_received == 2


def test_every_dialect_keeps_unknown_events(package: ModuleType) -> None:
    wire = b'event: thing.new\ndata: {"type":"thing.new","x":1}\n\n' + WIRE
    http = httpx.Client(
        transport=httpx.MockTransport(
            lambda r: httpx.Response(
                200, content=wire, headers={"content-type": "text/event-stream"}
            )
        )
    )
    stream = package.Client(api_key="k", http_client=http).things.make_thing()
    events = list(stream.with_unknown())
    assert isinstance(events[0], package.UnknownEvent)
    assert events[0].to_dict() == {"type": "thing.new", "x": 1}
    assert [type(e).__name__ for e in events[1:]] == ["ThingPartial", "ThingPartial",
                                                      "ThingCompleted"]  # fmt: skip


def test_every_dialect_skips_unknown_events_by_default(package: ModuleType) -> None:
    wire = b'event: thing.new\ndata: {"type":"thing.new","x":1}\n\n' + WIRE
    http = httpx.Client(
        transport=httpx.MockTransport(
            lambda r: httpx.Response(
                200, content=wire, headers={"content-type": "text/event-stream"}
            )
        )
    )
    events = list(package.Client(api_key="k", http_client=http).things.make_thing())
    assert [type(e).__name__ for e in events] == ["ThingPartial", "ThingPartial", "ThingCompleted"]


def test_the_generated_event_union_is_exported(package: ModuleType, tmp_path: Path) -> None:
    union_names = [n for n in package.__all__ if n.startswith("parse_")]
    assert union_names, "the package exports a parse function for its event union"


def test_events_that_are_not_objects_arrive_as_json_values(tmp_path: Path) -> None:
    spec = spec_with_stream({"schema": {"type": "string"}})
    operation = spec["paths"]["/things"]["post"]
    operation["responses"]["200"]["content"]["application/json"] = {
        "schema": {"$ref": "#/components/schemas/ThingCompleted"}
    }
    operation["requestBody"] = {
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"stream": {"type": "boolean"}}}
            }
        }
    }
    out = tmp_path / "out"
    package = generate_package(write_spec(tmp_path, spec), out, "dialect_plain")
    wire = b'data: "first"\n\ndata: "second"\n\n'
    http = httpx.Client(
        transport=httpx.MockTransport(
            lambda r: httpx.Response(
                200, content=wire, headers={"content-type": "text/event-stream"}
            )
        )
    )
    events = list(package.Client(api_key="k", http_client=http).things.make_thing(stream=True))
    assert events == ["first", "second"]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "dialect_plain"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout
