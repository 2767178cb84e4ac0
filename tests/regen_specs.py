"""Two versions of a small pet store spec, and an overlay that fixes a bug both share.

Version 2 adds ``Pet.age``. Both versions type the ``limit`` query parameter as a string
(the upstream bug); the overlay makes it an integer with a maximum.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

V1: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pet Store API", "version": "1.0.0"},
    "servers": [{"url": "https://pets.example.test/v1"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "summary": "List the pets.",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "The pets.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Pet"},
                                }
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "summary": "Add a pet.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "The pet.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                },
            },
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "tag": {"type": "string"},
                },
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "tag": {"type": "string"}},
            },
        },
        "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}},
    },
    "security": [{"key": []}],
}


def v2() -> dict[str, Any]:
    spec = copy.deepcopy(V1)
    spec["info"]["version"] = "2.0.0"
    properties = spec["components"]["schemas"]["Pet"]["properties"]
    properties["age"] = {"type": "integer", "description": "Age in years."}
    return spec


OVERLAY: dict[str, Any] = {
    "overlay": "1.0.0",
    "info": {"title": "Fix the pet store's limit", "version": "1"},
    "actions": [
        {
            "target": "$.paths['/pets'].get.parameters[?@.name == 'limit']",
            "description": "limit is a number of pets, not a string",
            "update": {"schema": {"type": "integer", "maximum": 100}},
        }
    ],
}


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
