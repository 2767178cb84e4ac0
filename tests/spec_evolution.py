"""A small images-edit-like spec and the sequence of fragments it evolves through, in code.

Step 1 is the base: ``POST /images/edits`` (operationId ``createImageEdit``) with one
multipart body and a JSON answer. Each later step applies one change on top of the step
before it, the way the upstream spec grew:

====  ===========================================================================
step  change
====  ===========================================================================
1     base
2     a model added (``ImagesUsage``, answered in ``ImagesResponse.usage``)
3     enum values added: ``auto`` to the closed response enum ``ImagesResponse.quality``,
      ``standard`` to the closed request enum ``CreateImageEditRequest.quality``
4     a request field removed (``CreateImageEditRequest.user``)
5     a JSON request variant added (``application/json``: ``client.images.edit_json``)
6     streaming added: a ``text/event-stream`` 200 answer with a discriminated event
      union, and a boolean ``stream`` field in both bodies
7     an event type added (``image_edit.failed``)
8     a request field made required (``CreateImageEditRequest.n``)
9     a request type narrowed (``CreateImageEditRequest.image``: one file, no list)
====  ===========================================================================

Everything here is built in code, so tests need nothing outside the repository.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Spec = dict[str, Any]

CONFIG = {
    "package_name": "evo",
    "operations": {"createImageEdit": {"resource": "images", "method": "edit"}},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def base_spec() -> Spec:
    """Step 1: one operation, a multipart body, a JSON answer and an error answer."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Images Edit (evolution fixture)", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.test/v1"}],
        "security": [{"ApiKeyAuth": []}],
        "paths": {
            "/images/edits": {
                "post": {
                    "operationId": "createImageEdit",
                    "tags": ["Images"],
                    "summary": "Edit an image from a prompt.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {"schema": _ref("CreateImageEditRequest")}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The edited images.",
                            "content": {"application/json": {"schema": _ref("ImagesResponse")}},
                        },
                        "default": {
                            "description": "The request failed.",
                            "content": {"application/json": {"schema": _ref("ErrorResponse")}},
                        },
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {"ApiKeyAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "CreateImageEditRequest": {
                    "type": "object",
                    "description": "Multipart body of an edit.",
                    "properties": {
                        "image": {
                            "anyOf": [
                                {"type": "string", "format": "binary"},
                                {
                                    "type": "array",
                                    "maxItems": 16,
                                    "items": {"type": "string", "format": "binary"},
                                },
                            ],
                            "description": "One source image or several.",
                        },
                        "prompt": {"type": "string", "maxLength": 32000},
                        "mask": {"type": "string", "format": "binary"},
                        "size": {
                            "anyOf": [
                                {"type": "string"},
                                {"type": "string", "enum": ["256x256", "512x512", "1024x1024"]},
                            ],
                            "description": "Listed sizes, or any WIDTHxHEIGHT string.",
                        },
                        "quality": {
                            "type": "string",
                            "enum": ["low", "medium", "high", "auto"],
                            "default": "auto",
                        },
                        "n": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": 10,
                            "nullable": True,
                            "description": "How many images.",
                        },
                        "user": {"type": "string", "description": "End-user identifier."},
                    },
                    "required": ["image", "prompt"],
                },
                "ImagesResponse": {
                    "type": "object",
                    "properties": {
                        "created": {"type": "integer"},
                        "data": {"type": "array", "items": _ref("Image")},
                        "quality": {"type": "string", "enum": ["low", "medium", "high"]},
                    },
                    "required": ["created"],
                },
                "Image": {
                    "type": "object",
                    "properties": {
                        "b64_json": {"type": "string"},
                        "url": {"type": "string"},
                        "revised_prompt": {"type": "string"},
                    },
                },
                "ErrorResponse": {
                    "type": "object",
                    "properties": {"error": _ref("Error")},
                    "required": ["error"],
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "message": {"type": "string"},
                        "type": {"type": "string"},
                        "code": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    },
                    "required": ["message", "type", "code"],
                },
            },
        },
    }


def _schemas(spec: Spec) -> dict[str, Any]:
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return schemas


def _operation(spec: Spec) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"]["/images/edits"]["post"]
    return operation


def add_usage_model(spec: Spec) -> None:
    """Step 2: a new model, ``ImagesUsage``, answered as ``ImagesResponse.usage``."""
    _schemas(spec)["ImagesUsage"] = {
        "type": "object",
        "properties": {
            "input_tokens": {"type": "integer"},
            "output_tokens": {"type": "integer"},
            "total_tokens": {"type": "integer"},
        },
        "required": ["input_tokens", "output_tokens", "total_tokens"],
    }
    _schemas(spec)["ImagesResponse"]["properties"]["usage"] = _ref("ImagesUsage")


def add_enum_values(spec: Spec) -> None:
    """Step 3: ``auto`` for the response's quality, ``standard`` for the request's."""
    _schemas(spec)["ImagesResponse"]["properties"]["quality"]["enum"].append("auto")
    _schemas(spec)["CreateImageEditRequest"]["properties"]["quality"]["enum"].insert(0, "standard")


def remove_user_field(spec: Spec) -> None:
    """Step 4: the request loses ``user``."""
    del _schemas(spec)["CreateImageEditRequest"]["properties"]["user"]


def add_json_variant(spec: Spec) -> None:
    """Step 5: an ``application/json`` body referencing images instead of uploading them."""
    _schemas(spec)["ImageRefParam"] = {
        "type": "object",
        "properties": {
            "image_url": {"type": "string", "maxLength": 20971520},
            "file_id": {"type": "string"},
        },
        "additionalProperties": False,
    }
    _schemas(spec)["EditImageBodyJsonParam"] = {
        "type": "object",
        "description": "JSON body of an edit: images by reference.",
        "properties": {
            "images": {
                "type": "array",
                "minItems": 1,
                "maxItems": 16,
                "items": _ref("ImageRefParam"),
            },
            "prompt": {"type": "string", "minLength": 1, "maxLength": 32000},
            "quality": {
                "anyOf": [
                    {"type": "string", "enum": ["low", "medium", "high", "auto"]},
                    {"type": "null"},
                ]
            },
            "n": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 10}, {"type": "null"}]},
        },
        "required": ["images", "prompt"],
    }
    content = _operation(spec)["requestBody"]["content"]
    content["application/json"] = {"schema": _ref("EditImageBodyJsonParam")}


def add_streaming(spec: Spec) -> None:
    """Step 6: a ``text/event-stream`` answer of typed events, chosen by a ``stream`` flag."""
    event_fields = {
        "b64_json": {"type": "string"},
        "created_at": {"type": "integer"},
    }
    _schemas(spec)["ImageEditPartialImageEvent"] = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["image_edit.partial_image"]},
            **copy.deepcopy(event_fields),
            "partial_image_index": {"type": "integer"},
        },
        "required": ["type", "b64_json", "created_at", "partial_image_index"],
    }
    _schemas(spec)["ImageEditCompletedEvent"] = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["image_edit.completed"]},
            **copy.deepcopy(event_fields),
            "usage": _ref("ImagesUsage"),
        },
        "required": ["type", "b64_json", "created_at"],
    }
    _schemas(spec)["ImageEditStreamEvent"] = {
        "anyOf": [_ref("ImageEditPartialImageEvent"), _ref("ImageEditCompletedEvent")],
        "discriminator": {"propertyName": "type"},
    }
    _schemas(spec)["CreateImageEditRequest"]["properties"]["stream"] = {
        "type": "boolean",
        "nullable": True,
        "default": False,
    }
    _schemas(spec)["EditImageBodyJsonParam"]["properties"]["stream"] = {
        "anyOf": [{"type": "boolean"}, {"type": "null"}],
        "default": False,
    }
    content = _operation(spec)["responses"]["200"]["content"]
    content["text/event-stream"] = {"schema": _ref("ImageEditStreamEvent")}


def add_failed_event(spec: Spec) -> None:
    """Step 7: a third event type, ``image_edit.failed``."""
    _schemas(spec)["ImageEditFailedEvent"] = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["image_edit.failed"]},
            "error": _ref("Error"),
        },
        "required": ["type", "error"],
    }
    _schemas(spec)["ImageEditStreamEvent"]["anyOf"].append(_ref("ImageEditFailedEvent"))


def require_n(spec: Spec) -> None:
    """Step 8: callers must now say how many images they want."""
    _schemas(spec)["CreateImageEditRequest"]["required"].append("n")


def narrow_image(spec: Spec) -> None:
    """Step 9: ``image`` takes one file only, no longer a list."""
    _schemas(spec)["CreateImageEditRequest"]["properties"]["image"] = {
        "type": "string",
        "format": "binary",
        "description": "The source image.",
    }


STEPS: tuple[tuple[str, Callable[[Spec], None] | None], ...] = (
    ("base", None),
    ("model added", add_usage_model),
    ("enum values added", add_enum_values),
    ("field removed", remove_user_field),
    ("JSON request variant added", add_json_variant),
    ("streaming added", add_streaming),
    ("event type added", add_failed_event),
    ("request field made required", require_n),
    ("request type narrowed", narrow_image),
)


def step_spec(step: int) -> Spec:
    """The spec after ``step`` (1-based): the base with every change up to it applied."""
    if not 1 <= step <= len(STEPS):
        raise ValueError(f"steps go from 1 to {len(STEPS)}")
    spec = base_spec()
    for _, change in STEPS[1:step]:
        assert change is not None
        change(spec)
    return spec


def write_step(folder: Path, step: int, stem: str | None = None) -> Path:
    """Write the spec of ``step`` and its client config beside it; the spec's path."""
    stem = stem or f"step{step}"
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / f"{stem}.yaml"
    spec.write_text(yaml.safe_dump(step_spec(step), sort_keys=False), encoding="utf-8")
    config = folder / f"{stem}.client.yaml"
    config.write_text(yaml.safe_dump(CONFIG, sort_keys=False), encoding="utf-8")
    return spec


def write_spec(folder: Path, spec: Spec, stem: str) -> Path:
    """Write a (mutated) spec and the usual client config beside it; the spec's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    (folder / f"{stem}.client.yaml").write_text(yaml.safe_dump(CONFIG), encoding="utf-8")
    return path
