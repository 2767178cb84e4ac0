"""Synthetic OpenAPI 3.1 documents for tests and benchmarks, built in code.

* :func:`make_large_spec` - a big, valid, deterministic document (given a seed): hundreds of
  operations over thousands of schemas, with chains, shared schemas and reference cycles, and
  every kind of component (parameters, responses, requestBodies, headers, examples, links,
  callbacks, pathItems, securitySchemes), plus some components nothing uses.
* :func:`embed_fragment` - a copy of a big document with a small one's paths and components
  merged in (interleaved, keeping each side's order).
* Small builders (:func:`make_spec`, :func:`operation`, :func:`ref`, :func:`json_content`) for
  hand-made documents, and :func:`operation_ids` / :func:`iter_operations` to look inside.
"""

from __future__ import annotations

import copy
import random
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")

_VOCABULARY = (
    "account amount archive batch billing cache channel client cluster config cursor dataset "
    "device domain event export feature field file filter folder graph group index invoice job "
    "label ledger limit log member message metric model node order owner page payload plan "
    "policy project quota record region report request resource result role rule schedule "
    "scope secret segment session setting snapshot source status storage stream subject task "
    "team template tenant token topic usage user value version volume webhook workspace zone"
)
_WORDS = tuple(_VOCABULARY.split())


# -- small builders -------------------------------------------------------------------------


def ref(kind: str, name: str) -> dict[str, str]:
    """``{"$ref": "#/components/<kind>/<name>"}``, with the name escaped as a JSON pointer."""
    return {"$ref": f"#/components/{kind}/{name.replace('~', '~0').replace('/', '~1')}"}


def json_content(schema: Any, **media: Any) -> dict[str, Any]:
    """A ``content`` map with one ``application/json`` media type."""
    return {"application/json": {"schema": schema, **media}}


def operation(
    operation_id: str, *, responses: Mapping[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """An operation object: ``operationId``, the given fields, then ``responses``."""
    return {
        "operationId": operation_id,
        **fields,
        "responses": dict(responses) if responses is not None else {"200": {"description": "OK"}},
    }


def make_spec(
    *,
    paths: Mapping[str, Any] | None = None,
    components: Mapping[str, Any] | None = None,
    title: str = "Synthetic API",
    **top: Any,
) -> dict[str, Any]:
    """A minimal OpenAPI 3.1 document: ``openapi``, ``info``, ``top`` fields, paths, components."""
    spec: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": title, "version": "1.0.0"}, **top}
    spec["paths"] = dict(paths or {})
    if components:
        spec["components"] = dict(components)
    return spec


def iter_operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """``(container, key, method, operation)`` for the operations of ``paths`` and ``webhooks``."""
    for container in ("paths", "webhooks"):
        for key, item in (spec.get(container) or {}).items():
            for method, value in item.items():
                if method in HTTP_METHODS and isinstance(value, dict):
                    yield container, key, method, value


def operation_ids(spec: Mapping[str, Any]) -> list[str]:
    """The operationIds of ``paths`` and ``webhooks``, in document order."""
    return [op["operationId"] for _, _, _, op in iter_operations(spec) if "operationId" in op]


# -- the large document ---------------------------------------------------------------------


def make_large_spec(
    *,
    n_operations: int = 300,
    n_schemas: int = 3000,
    seed: int = 0,
    cluster_size: int = 12,
    description_words: int = 16,
) -> dict[str, Any]:
    """A valid OpenAPI 3.1 document with ``n_operations`` operations and ``n_schemas`` schemas.

    Schemas: ``Shared####`` (small, used from everywhere, in chains of four, every other chain
    closed into a cycle) and ``Model#####`` in clusters of ``cluster_size``: each model links to
    the next one of its cluster (a chain), sometimes to a later one, sometimes to a shared
    schema, and the last one of a cluster sometimes back to the first (a cycle). Each operation
    starts from one cluster's first model, so most clusters are reached and some are not.
    Operations come five to a resource: ``list``/``create`` on ``/resources####`` and
    ``get``/``update``/``delete`` on ``/resources####/{id}`` (which has path-level
    ``parameters``, and sometimes ``servers``). Every component kind is used, and each kind
    also has an ``Unused...`` entry that nothing references.
    """
    rng = random.Random(seed)
    words = description_words

    def text(subject: str) -> str:
        return f"{subject}: " + " ".join(rng.choice(_WORDS) for _ in range(words)) + "."

    n_shared = max(4, n_schemas // 50)
    shared = [f"Shared{i:04d}" for i in range(n_shared)]
    models = [f"Model{i:05d}" for i in range(max(cluster_size, n_schemas - n_shared))]
    clusters = [models[i : i + cluster_size] for i in range(0, len(models), cluster_size)]

    schemas: dict[str, Any] = {}
    for index, name in enumerate(shared):
        properties: dict[str, Any] = {
            "code": {"type": "string", "description": text("Machine-readable code")},
            "message": {"type": "string", "description": text("Explanation")},
        }
        if index % 4 != 3 and index + 1 < n_shared:
            properties["next"] = ref("schemas", shared[index + 1])  # a chain of four
        elif index % 8 == 3:
            properties["first"] = ref("schemas", shared[index - 3])  # ... closed into a cycle
        schemas[name] = {
            "type": "object",
            "description": text(f"Shared schema {index}"),
            "properties": properties,
            "required": ["code"],
        }
    for cluster in clusters:
        for position, name in enumerate(cluster):
            schemas[name] = _model(rng, text, name, cluster, position, shared)
    schemas["UnusedSchema"] = {"type": "string", "description": "Nothing refers to this."}

    n_groups = max(1, -(-n_operations // 5))
    n_params = max(4, n_operations // 10)
    n_errors = max(3, n_operations // 30)
    n_bodies = max(4, n_operations // 10)
    n_examples = max(4, n_operations // 20)
    n_hooks = 4

    def root() -> str:
        return rng.choice(clusters)[0]

    components: dict[str, Any] = {
        "schemas": schemas,
        "parameters": {
            "ResourceId": {
                "name": "id",
                "in": "path",
                "required": True,
                "description": text("Identifier of the resource"),
                "schema": {"type": "string"},
            },
            "Limit": {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
            },
            "Cursor": {"name": "cursor", "in": "query", "schema": ref("schemas", shared[0])},
            **{
                f"Filter{k:03d}": {
                    "name": f"filter_{k}",
                    "in": "query",
                    "description": text(f"Filter {k}"),
                    "schema": ref("schemas", rng.choice(shared))
                    if k % 2
                    else {"type": "string", "enum": ["a", "b", "c"]},
                }
                for k in range(n_params)
            },
            "UnusedParam": {"name": "unused", "in": "query", "schema": {"type": "string"}},
        },
        "headers": {
            **{
                f"RateLimit{k}": {
                    "description": text("Requests left in the window"),
                    "schema": {"type": "integer"} if k % 2 else ref("schemas", shared[k]),
                }
                for k in range(4)
            },
            "UnusedHeader": {"schema": {"type": "string"}},
        },
        "examples": {
            **{
                f"Example{k:03d}": {
                    "summary": text("Sample"),
                    "value": {"id": f"res_{k}", "count": k},
                }
                for k in range(n_examples)
            },
            "UnusedExample": {"value": "nothing"},
        },
        "links": {
            **{
                f"Link{k}": {
                    "operationId": f"getResource{k:04d}",
                    "parameters": {"id": "$response.body#/id"},
                    "description": text("The resource just touched"),
                }
                for k in range(4)
            },
            "UnusedLink": {"operationId": "getResource0000"},
        },
        "responses": {
            **{
                f"Error{k:03d}": {
                    "description": text("The request failed"),
                    "headers": {"X-Rate-Limit": ref("headers", f"RateLimit{k % 4}")},
                    "content": json_content(ref("schemas", shared[k % n_shared])),
                    "links": {"retry": ref("links", f"Link{k % 4}")},
                }
                for k in range(n_errors)
            },
            "UnusedResponse": {"description": "Nothing refers to this."},
        },
        "requestBodies": {
            **{
                f"Body{k:03d}": {
                    "required": True,
                    "content": json_content(
                        ref("schemas", root()),
                        examples={"sample": ref("examples", f"Example{k % n_examples:03d}")},
                    ),
                }
                for k in range(n_bodies)
            },
            "UnusedBody": {"content": json_content({"type": "string"})},
        },
        "pathItems": {
            **{
                f"Hook{k}": {
                    "post": {
                        "requestBody": {"content": json_content(ref("schemas", root()))},
                        "responses": {"200": {"description": "Received."}},
                    }
                }
                for k in range(n_hooks)
            },
            "UnusedPathItem": {"get": {"responses": {"200": {"description": "OK"}}}},
        },
        "callbacks": {
            **{
                f"Callback{k}": {"{$request.body#/callback_url}": ref("pathItems", f"Hook{k}")}
                for k in range(n_hooks)
            },
            "UnusedCallback": {"{$request.body#/url}": ref("pathItems", "UnusedPathItem")},
        },
        "securitySchemes": {
            "ApiKeyAuth": {"type": "http", "scheme": "bearer"},
            "OAuth2": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://auth.example.com/token",
                        "scopes": {"read": "Read resources", "write": "Change resources"},
                    }
                },
            },
            "HeaderKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "UnusedScheme": {"type": "http", "scheme": "basic"},
        },
    }

    paths: dict[str, Any] = {}
    count = 0
    for group in range(n_groups):
        if count >= n_operations:
            break
        cluster_root = root()
        tag = [f"Tag{group % 8}"]
        error = ref("responses", f"Error{group % n_errors:03d}")
        collection: dict[str, Any] = {}
        item: dict[str, Any] = {"parameters": [ref("parameters", "ResourceId")]}
        if group % 7 == 0:
            item["servers"] = [{"url": f"https://region{group % 3}.example.com/v1"}]
        suffix = f"{group:04d}"
        candidates: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
            (
                collection,
                "get",
                operation(
                    f"listResource{suffix}",
                    tags=tag,
                    summary=text("List resources"),
                    parameters=[
                        ref("parameters", "Limit"),
                        ref("parameters", "Cursor"),
                        ref("parameters", f"Filter{rng.randrange(n_params):03d}"),
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                    ],
                    responses={
                        "200": {
                            "description": "One page of resources.",
                            "content": json_content(
                                {
                                    "type": "object",
                                    "properties": {
                                        "data": {
                                            "type": "array",
                                            "items": ref("schemas", cluster_root),
                                        },
                                        "next": {"type": ["string", "null"]},
                                    },
                                }
                            ),
                        },
                        "default": error,
                    },
                ),
            ),
            (
                collection,
                "post",
                operation(
                    f"createResource{suffix}",
                    tags=tag,
                    description=text("Create a resource"),
                    requestBody=ref("requestBodies", f"Body{rng.randrange(n_bodies):03d}")
                    if group % 2
                    else {"required": True, "content": json_content(ref("schemas", cluster_root))},
                    responses={
                        "201": {
                            "description": "Created.",
                            "headers": {"X-Rate-Limit": ref("headers", f"RateLimit{group % 4}")},
                            "content": json_content(ref("schemas", cluster_root)),
                        },
                        "default": error,
                    },
                    **(
                        {"callbacks": {"done": ref("callbacks", f"Callback{group % n_hooks}")}}
                        if group % 5 == 0
                        else {}
                    ),
                    **({"security": [{"OAuth2": ["write"]}]} if group % 3 == 0 else {}),
                ),
            ),
            (
                item,
                "get",
                operation(
                    f"getResource{suffix}",
                    tags=tag,
                    responses={
                        "200": {
                            "description": "The resource.",
                            "content": json_content(ref("schemas", cluster_root)),
                            "links": {"related": ref("links", f"Link{group % 4}")},
                        },
                        "404": error,
                    },
                    **({"security": []} if group % 11 == 0 else {}),
                ),
            ),
            (
                item,
                "patch",
                operation(
                    f"updateResource{suffix}",
                    tags=tag,
                    requestBody={
                        "content": json_content(
                            ref("schemas", root()),
                            examples={
                                "sample": ref("examples", f"Example{group % n_examples:03d}")
                            },
                        )
                    },
                    responses={"200": {"description": "Updated."}, "default": error},
                    **(
                        {"security": [{"HeaderKey": []}, {"OAuth2": ["write"]}]}
                        if group % 4 == 1
                        else {}
                    ),
                ),
            ),
            (
                item,
                "delete",
                operation(
                    f"deleteResource{suffix}",
                    tags=tag,
                    responses={"204": {"description": "Deleted."}},
                ),
            ),
        ]
        for target, method, op in candidates[: n_operations - count]:
            target[method] = op
            count += 1
        paths[f"/resources{suffix}"] = collection
        if len(item) > 1 + ("servers" in item):
            paths[f"/resources{suffix}/{{id}}"] = item

    webhooks = {
        f"resourceEvent{k}": {
            "post": operation(
                f"onResourceEvent{k}",
                requestBody={"content": json_content(ref("schemas", root()))},
                responses={"200": {"description": "Acknowledged."}},
            )
        }
        for k in range(2)
    }
    tags = [{"name": f"Tag{k}", "description": text(f"Group {k}")} for k in range(8)]
    tags.append({"name": "UnusedTag"})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Synthetic large API",
            "version": "1.0.0",
            "description": text("Generated"),
        },
        "servers": [{"url": "https://api.example.com/v1"}],
        "security": [{"ApiKeyAuth": []}],
        "tags": tags,
        "paths": paths,
        "webhooks": webhooks,
        "components": components,
        "x-generator": {"seed": seed, "groups": [f"Tag{k}" for k in range(8)]},
    }


def _model(
    rng: random.Random,
    text: Any,
    name: str,
    cluster: Sequence[str],
    position: int,
    shared: Sequence[str],
) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "string", "description": text("Identifier")},
        "name": {"type": "string", "maxLength": 200, "description": text("Display name")},
        "count": {"type": "integer", "minimum": 0, "description": text("How many")},
        "created_at": {"type": "string", "format": "date-time"},
        "labels": {"type": "array", "items": {"type": "string"}, "description": text("Labels")},
        "kind": {"type": "string", "enum": ["alpha", "beta", "gamma"], "default": "alpha"},
    }
    last = position == len(cluster) - 1
    if not last:
        properties["child"] = ref("schemas", cluster[position + 1])  # the cluster's chain
        if rng.random() < 0.5:
            later = cluster[rng.randrange(position + 1, len(cluster))]
            properties["children"] = {"type": "array", "items": ref("schemas", later)}
        if rng.random() < 0.1:
            properties["extra"] = {
                "type": "object",
                "additionalProperties": ref("schemas", cluster[position + 1]),
            }
    elif len(cluster) > 1 and rng.random() < 0.5:
        properties["parent"] = ref("schemas", cluster[0])  # back to the start: a cycle
    if rng.random() < 0.3:
        properties["owner"] = {"anyOf": [ref("schemas", rng.choice(shared)), {"type": "null"}]}
    body: dict[str, Any] = {"type": "object", "description": text(name), "properties": properties}
    body["required"] = ["id", "kind"]
    if rng.random() < 0.1:
        return {"allOf": [ref("schemas", rng.choice(shared)), body]}
    return body


# -- merging a fragment into a large document -------------------------------------------------


def embed_fragment(
    big: Mapping[str, Any],
    fragment: Mapping[str, Any],
    *,
    seed: int = 0,
    reuse_schemas: Sequence[str] = (),
    reusers: int = 20,
) -> dict[str, Any]:
    """A copy of ``big`` with ``fragment``'s paths, components and ``security`` merged in.

    Paths and each kind of components are interleaved at random positions, keeping the order
    of each side, so the fragment's parts stay in their own order. A name both define must
    define the same thing. Each of ``reuse_schemas`` (fragment schema names) is then referred
    to from ``reusers`` of ``big``'s own schemas, so the big document points into the fragment
    (never the other way round).
    """
    rng = random.Random(seed)
    merged = copy.deepcopy(dict(big))
    fragment = copy.deepcopy(dict(fragment))
    merged["paths"] = _interleave(merged.get("paths", {}), fragment.get("paths", {}), rng, "paths")
    big_components = merged.setdefault("components", {})
    for kind, entries in fragment.get("components", {}).items():
        big_components[kind] = _interleave(big_components.get(kind, {}), entries, rng, kind)
    if "security" in fragment:
        if merged.get("security", fragment["security"]) != fragment["security"]:
            raise ValueError("the fragment's top-level security differs from the big document's")
        merged["security"] = fragment["security"]
    own = [
        name
        for name in big.get("components", {}).get("schemas", {})
        if name not in fragment.get("components", {}).get("schemas", {})
    ]
    for target in reuse_schemas:
        for name in rng.sample(own, min(reusers, len(own))):
            schema = big_components["schemas"][name]
            body = schema["allOf"][-1] if "allOf" in schema else schema
            body.setdefault("properties", {})[f"uses_{target}"] = ref("schemas", target)
    return merged


def _interleave(
    first: Mapping[str, Any], second: Mapping[str, Any], rng: random.Random, what: str
) -> dict[str, Any]:
    clashes = [key for key in second if key in first and first[key] != second[key]]
    if clashes:
        raise ValueError(f"both documents define different {what}: {', '.join(clashes)}")
    left = deque(first.items())
    right = deque((key, value) for key, value in second.items() if key not in first)
    out: dict[str, Any] = {}
    while left or right:
        take_left = bool(left) and (
            not right or rng.random() < len(left) / (len(left) + len(right))
        )
        key, value = (left if take_left else right).popleft()
        out[key] = value
    return out
