"""The second naming pass is a renaming of the first when that is certain: the model and the
warnings are then exactly what mapping the document again with the settled names gives.

Each test builds one document twice: as ``build_api`` does, and with the renaming refused
(so that the second pass runs), and compares the two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import Problem
from generator.pipeline import build, ir
from generator.pipeline.config import load_config
from generator.pipeline.load import Document, load_document
from generator.pipeline.renaming import Renaming

ROOT = Path(__file__).resolve().parent.parent
OPENAI = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"


def document_of(data: dict[str, Any]) -> Document:
    return Document(Path("inline.yaml"), data, yaml.safe_dump(data, sort_keys=False).encode())


def both_ways(
    document: Document, monkeypatch: pytest.MonkeyPatch, config: Path | None = None
) -> tuple[tuple[ir.Api, list[Problem]], tuple[ir.Api, list[Problem]], bool]:
    """(model, warnings) as built, the same with a second pass, and whether the first was a
    renaming."""
    settings_ = load_config(config, "pkg")
    found: list[Renaming | None] = []
    real = build.renaming

    def spy(*args: Any) -> Renaming | None:
        found.append(real(*args))
        return found[-1]

    with monkeypatch.context() as patch:
        patch.setattr(build, "renaming", spy)
        renamed: list[Problem] = []
        api = build.build_api(document, settings_, renamed)
    with monkeypatch.context() as patch:
        patch.setattr(build, "renaming", lambda *args: None)
        mapped: list[Problem] = []
        again = build.build_api(document, settings_, mapped)
    return (api, renamed), (again, mapped), bool(found) and found[0] is not None


def enum(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }


def post(operation_id: str, body: Any, answer: Any, **query: Any) -> dict[str, Any]:
    """A POST with a JSON body and answer, and query parameters (name: schema)."""
    return {
        "post": {
            "operationId": operation_id,
            "parameters": [{"name": n, "in": "query", "schema": s} for n, s in query.items()],
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": answer}}}
            },
        }
    }


def test_inline_schemas_that_want_one_name_are_renamed_as_a_second_pass_names_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two query parameters ``order`` of other values want the class ``Order``: each is
    # named after its operation, and so is what the second one's class holds.
    level = obj(level=enum("low", "high"))
    data = spec({
        "/a": post("listA", obj(size={}), obj(size={}), order=enum("asc", "desc")),
        "/b": post("listB", obj(size={}), obj(size={}), order={**level, "title": "b"}),
        "/c": post("listC", obj(size={}), obj(size={}), order=obj(level=enum("up", "down"))),
    })  # fmt: skip
    first, second, renamed = both_ways(document_of(data), monkeypatch)
    assert renamed
    assert first == second
    named = {thing.name for thing in (*first[0].enums, *first[0].models)}
    assert {"ListAOrder", "ListBOrder", "ListCOrder"} <= named


def test_a_schema_claimed_under_two_names_is_one_class_as_in_a_second_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``mode`` sits in an allOf part that two models include: each model wants the class
    # named after itself, and the settled name makes them one.
    part = {"allOf": [obj(id={"type": "string"}), obj(mode=obj(level=enum("low", "high")))]}
    schemas = {
        "Base": part,
        "Extended": {"allOf": [{"$ref": "#/components/schemas/Base"}, obj(extra={})]},
        "BaseMode": obj(other={"type": "integer"}),
    }
    data = spec({"/a": post("make", {"$ref": "#/components/schemas/Extended"}, part)}, schemas)
    first, second, _ = both_ways(document_of(data), monkeypatch)
    assert first == second


@pytest.mark.skipif(not OPENAI.is_file(), reason="the shared OpenAI spec is absent")
def test_the_whole_openai_api_is_renamed_exactly_as_a_second_pass_maps_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = load_document(OPENAI, validate=False)
    first, second, renamed = both_ways(document, monkeypatch, ROOT / "spec" / "openai.client.yaml")
    assert renamed
    assert first == second


# ---------------------------------------------------------------- generated documents

_NAMES = st.sampled_from(["order", "mode", "item", "size"])


def _schemas(refs: list[str], bases: list[str]) -> st.SearchStrategy[Any]:
    """Schemas with inline objects, enums, arrays, unions and maps that refer to the
    components ``refs``, and extend the components ``bases`` (an ``allOf`` that includes
    itself is another matter)."""
    leaves = st.one_of(
        st.just({"type": "string"}),
        st.sampled_from([enum("a", "b"), enum("a", "c"), enum("x", "y")]),
        st.sampled_from(refs).map(lambda key: {"$ref": f"#/components/schemas/{key}"}),
    )

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        kinds = [
            st.dictionaries(_NAMES, inner, min_size=1, max_size=3).map(lambda p: obj(**p)),
            inner.map(lambda item: {"type": "array", "items": item}),
            st.lists(inner, min_size=2, max_size=3).map(lambda b: {"oneOf": b}),
            inner.map(lambda value: {"type": ["object", "null"], "additionalProperties": value}),
            st.lists(st.tuples(st.sampled_from("ab"), inner), min_size=2, max_size=3).map(_tagged),
        ]
        if bases:
            kinds.append(
                st.tuples(st.sampled_from(bases), st.dictionaries(_NAMES, inner, max_size=2)).map(
                    lambda t: {"allOf": [{"$ref": f"#/components/schemas/{t[0]}"}, obj(**t[1])]}
                )
            )
        return st.one_of(*kinds)

    return st.recursive(leaves, extend, max_leaves=8)


def _tagged(branches: list[tuple[str, Any]]) -> dict[str, Any]:
    """A union told apart by a constant ``kind``: its names are in the discriminator."""
    return {
        "oneOf": [obj(kind={"const": kind}, item=value) for kind, value in branches],
        "discriminator": {"propertyName": "kind"},
    }


def _events(variants: list[tuple[str, Any]]) -> dict[str, Any]:
    """An event stream of SSE envelopes: its union holds its payloads' names."""
    return {
        "oneOf": [
            obj(event={"const": event}, data=payload) for event, payload in dict(variants).items()
        ]
    }


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    # Component keys a wanted name may meet: ``Order``, ``ListOrder``, ...
    keys = draw(st.lists(st.sampled_from(["Base", "Order", "ListOrder", "Item", "GetMode",
                                          "ListBody", "MakeEvent"]),
                         min_size=1, max_size=4, unique=True))  # fmt: skip
    schemas = {key: draw(_schemas(keys, keys[:i])) for i, key in enumerate(keys)}
    # Query parameters of one name in several operations want one class name too.
    schema = _schemas(keys, keys)
    operations = draw(st.lists(st.sampled_from(["list", "get", "make"]), min_size=1,
                               max_size=3, unique=True))  # fmt: skip
    paths = {
        f"/{op}": post(op, draw(schema), draw(schema), **draw(st.dictionaries(_NAMES, schema)))
        for op in operations
    }
    if draw(st.booleans()):  # and answers an event stream
        payload = st.dictionaries(_NAMES, schema, min_size=1, max_size=2).map(lambda p: obj(**p))
        variants = draw(st.lists(st.tuples(st.sampled_from(["created", "done"]), payload),
                                 min_size=1, max_size=2))  # fmt: skip
        answer = paths[f"/{operations[0]}"]["post"]["responses"]["200"]["content"]
        answer["text/event-stream"] = {"schema": _events(variants)}
    return spec(paths, schemas)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=documents())
def test_a_generated_document_is_renamed_exactly_as_a_second_pass_maps_it(
    data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, _ = both_ways(document_of(data), monkeypatch)
    assert first == second
