"""The generated client and ``conform`` read the same recorded exchange alike.

A package is generated from an OpenAPI 3.2 spec with a server URL with variables, a
``2xx`` (lowercase) answer and a ``QUERY`` operation that streams. Each exchange is made
by the package's client through its own recorder, then the recording is checked by
``conform``: when the client reads an answer without error, conform finds nothing; when
the client refuses it, conform reports why. Both take these rules from the runtime's
``_protocol``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import generate_package, write_spec

from generator.pipeline.load import load_document
from generator.tools.conform.checker import Checker, ExchangeReport
from generator.tools.conform.recordings import read_recording

THING = {"$ref": "#/components/schemas/Thing"}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SPEC: dict[str, Any] = {
    "openapi": "3.2.0",
    "info": {"title": "Agree API", "version": "1"},
    "servers": [
        {
            "url": "https://{region}.agree.test/{version}",
            "variables": {
                "region": {"default": "eu"},
                "version": {"default": "v1", "enum": ["v1", "v2"]},
            },
        }
    ],
    "paths": {
        "/things": {
            "post": {
                "operationId": "createThing",
                "tags": ["things"],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": {"type": "string"}},
                    }
                ),
                "responses": {
                    "2xx": {
                        "description": "created",
                        "content": {"application/json": {"schema": THING}},
                    }
                },
            }
        },
        "/search": {
            "query": {
                "operationId": "searchThings",
                "tags": ["things"],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["q"],
                        "properties": {"q": {"type": "string"}, "stream": {"type": "boolean"}},
                    }
                ),
                "responses": {
                    "200": {
                        "description": "the results, or their events",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/SearchCompleted"}
                            },
                            "text/event-stream": {
                                "schema": {"$ref": "#/components/schemas/SearchEvent"}
                            },
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            },
            "SearchProgress": {
                "type": "object",
                "required": ["type", "percent"],
                "properties": {
                    "type": {"type": "string", "const": "search.progress"},
                    "percent": {"type": "integer"},
                },
            },
            "SearchCompleted": {
                "type": "object",
                "required": ["type", "things"],
                "properties": {
                    "type": {"type": "string", "const": "search.completed"},
                    "things": {"type": "array", "items": THING},
                },
            },
            "SearchEvent": {
                "oneOf": [
                    {"$ref": "#/components/schemas/SearchProgress"},
                    {"$ref": "#/components/schemas/SearchCompleted"},
                ],
                "discriminator": {"propertyName": "type"},
            },
        }
    },
}

PROGRESS = {"type": "search.progress", "percent": 50}
COMPLETED = {"type": "search.completed", "things": [{"id": "t1", "name": "a"}]}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Checker]:
    folder = tmp_path_factory.mktemp("agree")
    spec = write_spec(folder, SPEC)
    package = generate_package(spec, folder / "out", "agree_client")
    return package, Checker(load_document(spec))


Call = Callable[[Any], Any]


def through_both(
    both: tuple[ModuleType, Checker],
    folder: Path,
    answer: Callable[[], httpx.Response],
    call: Call,
    base_url: str | None = None,
) -> tuple[Any, str | None, ExchangeReport]:
    """What the client returned (or the name of the error it raised), and conform's report
    of the exchange the client's recorder wrote."""
    package, checker = both
    path = folder / "exchange.json"
    recorder = package.RecordingTransport(httpx.MockTransport(lambda request: answer()), path)
    http = httpx.Client(transport=recorder)
    options: dict[str, Any] = {"base_url": base_url} if base_url else {}
    client = package.Client(api_key="k", http_client=http, max_retries=0, strict=True, **options)
    result: Any = None
    error: str | None = None
    try:
        result = call(client)
    except package.ClientError as exc:
        error = type(exc).__name__
    finally:
        client.close()
    (exchange,) = read_recording(path)
    return result, error, checker.check(exchange)


def json_answer(status: int, body: Any) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(status, json=body)


def stream_answer(*events: dict[str, Any], done: bool) -> Callable[[], httpx.Response]:
    text = "".join(f"data: {json.dumps(event)}\n\n" for event in events)
    text += "data: [DONE]\n\n" if done else ""
    headers = {"content-type": "text/event-stream"}
    return lambda: httpx.Response(200, text=text, headers=headers)


def create(client: Any) -> Any:
    return client.things.create_thing(name="a")


def search_events(client: Any) -> list[str]:
    with client.things.search_things(q="a", stream=True) as stream:
        return [event.type for event in stream]


def rules(report: ExchangeReport) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in report.findings]


# -- a 2xx range ----------------------------------------------------------------------------


def test_an_answer_in_a_lowercase_2xx_range_is_read_by_both(
    both: tuple[ModuleType, Checker], tmp_path: Path
) -> None:
    answer = json_answer(201, {"id": "t1", "name": "a"})
    thing, error, report = through_both(both, tmp_path, answer, create)
    assert error is None and (thing.id, thing.name) == ("t1", "a")
    assert report.findings == ()


def test_an_answer_in_the_2xx_range_that_breaks_its_schema_is_refused_by_both(
    both: tuple[ModuleType, Checker], tmp_path: Path
) -> None:
    _, error, report = through_both(
        both, tmp_path, json_answer(202, {"id": 5, "name": "a"}), create
    )
    assert error == "APIResponseValidationError"
    assert rules(report) == [("type", "error")]


# -- [DONE] and terminal events, on a QUERY operation ----------------------------------------


def test_a_stream_ending_at_done_is_read_by_both(
    both: tuple[ModuleType, Checker], tmp_path: Path
) -> None:
    answer = stream_answer(PROGRESS, COMPLETED, done=True)
    types, error, report = through_both(both, tmp_path, answer, search_events)
    assert error is None and types == ["search.progress", "search.completed"]
    assert report.findings == ()
    assert report.events == 2


def test_a_query_request_is_routed_to_its_operation_by_both(
    both: tuple[ModuleType, Checker], tmp_path: Path
) -> None:
    answer = stream_answer(PROGRESS, COMPLETED, done=True)
    _, _, report = through_both(both, tmp_path, answer, search_events)
    assert report.exchange.request.method == "QUERY"
    assert report.operation is not None
    assert (report.operation.operation_id, report.operation.method) == ("searchThings", "QUERY")


def test_a_stream_without_its_final_event_is_refused_by_both(
    both: tuple[ModuleType, Checker], tmp_path: Path
) -> None:
    answer = stream_answer(PROGRESS, done=True)
    _, error, report = through_both(both, tmp_path, answer, search_events)
    assert error == "StreamIncompleteError"
    (finding,) = report.findings
    assert (finding.rule, finding.severity, finding.event) == ("sse", "warning", 1)
    assert "search.completed" in finding.message and "StreamIncompleteError" in finding.message


def test_events_after_done_are_read_by_neither(
    both: tuple[ModuleType, Checker], tmp_path: Path
) -> None:
    answer = stream_answer(PROGRESS, COMPLETED, done=True)
    extra = answer().content + b"data: {not json\n\n"
    types, error, report = through_both(
        both, tmp_path, lambda: httpx.Response(200, content=extra, headers=answer().headers),
        search_events,
    )  # fmt: skip
    assert error is None and types == ["search.progress", "search.completed"]
    assert rules(report) == [("sse", "warning")]  # and no JSON error for what follows
    assert "after data: [DONE]" in report.findings[0].message


# -- server variables -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "path"),
    [(None, "/v1/things"), ("https://us.agree.test/v2", "/v2/things")],
)
def test_a_base_url_from_the_server_variables_conforms(
    both: tuple[ModuleType, Checker], tmp_path: Path, base_url: str | None, path: str
) -> None:
    answer = json_answer(200, {"id": "t1", "name": "a"})
    _, error, report = through_both(both, tmp_path, answer, create, base_url)
    assert error is None
    assert report.exchange.request.path == path
    assert report.findings == ()


def test_the_default_base_url_is_the_server_with_its_variables_defaults(
    both: tuple[ModuleType, Checker], tmp_path: Path
) -> None:
    answer = json_answer(200, {"id": "t1", "name": "a"})
    _, _, report = through_both(both, tmp_path, answer, create)
    assert report.exchange.request.url == "https://eu.agree.test/v1/things"


def test_a_value_outside_a_server_variables_enum_is_a_server_finding(
    both: tuple[ModuleType, Checker], tmp_path: Path
) -> None:
    # The client sends where its caller points it; conform says it is not the API's server.
    answer = json_answer(200, {"id": "t1", "name": "a"})
    _, error, report = through_both(both, tmp_path, answer, create, "https://eu.agree.test/v3")
    assert error is None
    assert rules(report) == [("server", "error")]
