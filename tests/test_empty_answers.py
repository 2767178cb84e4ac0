"""An operation answering JSON and, for another 2xx status, no content: the generated method
returns None for that status (its annotation says ``X | None``), sync and async."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from genutil import generate_package, import_fresh, minimal_spec, write_spec

from generator.pipeline import generate

THING = {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
SCHEMAS = {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}


def spec() -> dict[str, Any]:
    document = minimal_spec(
        SCHEMAS,
        responses={
            "200": {"description": "updated", "content": THING},
            "201": {"description": "created", "content": THING},
            "204": {"description": "unchanged"},
        },
    )
    document["paths"]["/things/touch"] = {
        "post": {
            "operationId": "touchThing",
            "tags": ["things"],
            "responses": {
                "200": {"description": "touched, nothing to say"},
                "201": {"description": "created", "content": THING},
            },
        }
    }
    return document


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("empty")
    generate_package(write_spec(folder, spec()), folder / "out", "empty_answers")
    return folder / "out"


@pytest.fixture(scope="module")
def pkg(out: Path) -> ModuleType:
    return import_fresh(out, "empty_answers")


def answering(response: httpx.Response) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: response)


def client(pkg: ModuleType, response: httpx.Response) -> Any:
    http = httpx.Client(transport=answering(response))
    return pkg.Client(api_key="k", http_client=http, max_retries=0)


def test_the_endpoints_declare_their_statuses_without_content(out: Path) -> None:
    source = (out / "empty_answers" / "resources" / "things.py").read_text()
    assert 'no_content=("204",)' in source and 'no_content=("200",)' in source
    assert "-> Thing | None:" in source


def test_a_204_beside_json_answers_is_none(pkg: ModuleType) -> None:
    assert client(pkg, httpx.Response(204)).things.create_thing() is None
    created = client(pkg, httpx.Response(201, json={"id": "t1"})).things.create_thing()
    assert created == pkg.Thing(id="t1")


def test_a_200_declared_without_content_is_none(pkg: ModuleType) -> None:
    assert client(pkg, httpx.Response(200, content=b"")).things.touch_thing() is None
    created = client(pkg, httpx.Response(201, json={"id": "t2"})).things.touch_thing()
    assert created == pkg.Thing(id="t2")


def test_the_raw_response_parses_to_none(pkg: ModuleType) -> None:
    raw = client(pkg, httpx.Response(204)).things.with_raw_response.create_thing()
    assert (raw.status_code, raw.parse()) == (204, None)


def test_an_empty_answer_to_a_json_status_still_raises(pkg: ModuleType) -> None:
    with pytest.raises(pkg.APIResponseValidationError, match="no content type"):
        client(pkg, httpx.Response(200)).things.create_thing()


async def test_async_a_204_beside_json_answers_is_none(pkg: ModuleType) -> None:
    for response, expected in (
        (httpx.Response(204), None),
        (httpx.Response(200, json={"id": "t3"}), pkg.Thing(id="t3")),
    ):
        http = httpx.AsyncClient(transport=answering(response))
        made = pkg.AsyncClient(api_key="k", http_client=http, max_retries=0)
        assert await made.things.create_thing() == expected
    http = httpx.AsyncClient(transport=answering(httpx.Response(200)))
    made = pkg.AsyncClient(api_key="k", http_client=http, max_retries=0)
    assert await made.things.touch_thing() is None


@pytest.mark.parametrize(
    ("statuses", "declared"),
    [
        ({"2XX": THING, "204": None}, 'no_content=("204",)'),
        ({"201": THING, "2XX": None}, None),  # 201 wins over its range: not declared empty
        ({"202": None, "201": THING, "204": None}, 'no_content=("202", "204")'),
    ],
)
def test_ranges_and_exact_statuses(
    tmp_path: Path, statuses: dict[str, Any], declared: str | None
) -> None:
    responses = {
        status: {"description": "d", **({"content": content} if content else {})}
        for status, content in statuses.items()
    }
    files = generate(write_spec(tmp_path, minimal_spec(SCHEMAS, responses=responses)), None, "r")
    source = files.files["r/resources/things.py"]
    if declared is None:
        assert "no_content=" not in source
    else:
        assert declared in source
