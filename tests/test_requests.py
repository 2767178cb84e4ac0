"""The client puts exactly what the caller gave on the wire, as the API expects."""

from __future__ import annotations

import email.parser
import email.policy
import json
from pathlib import Path
from typing import Any

import httpx
import openai_images as oi
import pytest
from pngs import png_bytes

BASE = "https://api.example.test/v1"
SEED_FILES = ["bath-bomb.png", "body-lotion.png", "incense-kit.png", "soap.png"]
SEED_PROMPT = "Create a lovely gift basket with these four items in it"


def sent(method: str, **arguments: Any) -> httpx.Request:
    """The request ``client.images.<method>(**arguments)`` sends."""
    captured: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        captured.append(request)
        return httpx.Response(200, json={"created": 1})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = oi.Client(api_key="sk-test", base_url=BASE, http_client=http)
    getattr(client.images, method)(**arguments)
    (request,) = captured
    return request


def sent_edit(**arguments: Any) -> httpx.Request:
    return sent("edit", **arguments)


def sent_edit_json(**arguments: Any) -> httpx.Request:
    return sent("edit_json", **arguments)


def body_of(request: httpx.Request) -> bytes:
    return request.content


def parts_of(request: httpx.Request) -> list[dict[str, Any]]:
    """Each multipart part: name, filename, content type, payload bytes."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body_of(request))
    return [
        {
            "name": part.get_param("name", header="content-disposition"),
            "filename": part.get_filename(),
            "content_type": part.get("content-type"),
            "payload": part.get_payload(decode=True),
        }
        for part in message.iter_parts()
    ]


@pytest.fixture
def seed_images(tmp_path: Path) -> list[Path]:
    paths = []
    for index, name in enumerate(SEED_FILES):
        path = tmp_path / name
        path.write_bytes(png_bytes(4, 4, seed=index))
        paths.append(path)
    return paths


def test_seed_call_sends_four_image_parts_prompt_and_model(seed_images: list[Path]) -> None:
    request = sent_edit(image=seed_images, prompt=SEED_PROMPT, model="gpt-image-1.5")
    parts = parts_of(request)
    assert [(p["name"], p["filename"], p["content_type"]) for p in parts] == [
        ("prompt", None, None),
        ("model", None, None),
        *[("image[]", name, "image/png") for name in SEED_FILES],
    ]
    assert parts[0]["payload"] == SEED_PROMPT.encode()
    assert parts[1]["payload"] == b"gpt-image-1.5"
    assert [p["payload"] for p in parts[2:]] == [p.read_bytes() for p in seed_images]


def test_seed_call_goes_to_the_edits_path_with_a_content_length(seed_images: list[Path]) -> None:
    request = sent_edit(image=seed_images, prompt=SEED_PROMPT, model="gpt-image-1.5")
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}/images/edits"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert int(request.headers["content-length"]) == len(body_of(request))


def test_a_single_file_is_sent_as_image_not_image_brackets(seed_images: list[Path]) -> None:
    request = sent_edit(image=seed_images[0], prompt="p")
    assert [p["name"] for p in parts_of(request)] == ["prompt", "image"]


def test_a_list_of_one_file_is_sent_as_image_brackets(seed_images: list[Path]) -> None:
    request = sent_edit(image=seed_images[:1], prompt="p")
    assert [p["name"] for p in parts_of(request)] == ["prompt", "image[]"]


def test_spec_defaults_are_not_sent_when_the_caller_did_not_set_them(
    seed_images: list[Path],
) -> None:
    request = sent_edit(image=seed_images, prompt="p")
    names = {p["name"] for p in parts_of(request)}
    assert names == {"prompt", "image[]"}


def test_every_option_is_sent_with_its_wire_text(seed_images: list[Path]) -> None:
    mask = png_bytes(4, 4, seed=9)
    request = sent_edit(
        image=seed_images[:2],
        prompt="p",
        mask=("mask.png", mask, "image/png"),
        background="transparent",
        model="dall-e-2",
        n=2,
        size="1024x1024",
        response_format="b64_json",
        output_format="webp",
        output_compression=80,
        user="user-1234",
        input_fidelity="high",
        stream=True,
        partial_images=3,
        quality="high",
    )
    text = {p["name"]: p["payload"].decode() for p in parts_of(request) if p["filename"] is None}
    assert text == {
        "prompt": "p",
        "background": "transparent",
        "model": "dall-e-2",
        "n": "2",
        "size": "1024x1024",
        "response_format": "b64_json",
        "output_format": "webp",
        "output_compression": "80",
        "user": "user-1234",
        "input_fidelity": "high",
        "stream": "true",
        "partial_images": "3",
        "quality": "high",
    }
    files = [(p["name"], p["filename"], p["payload"]) for p in parts_of(request) if p["filename"]]
    assert files[-1] == ("mask", "mask.png", mask)


def test_booleans_are_sent_as_lowercase_words(seed_images: list[Path]) -> None:
    request = sent_edit(image=seed_images[0], prompt="p", stream=False)
    assert {p["name"]: p["payload"] for p in parts_of(request)}["stream"] == b"false"


def test_none_is_left_out_of_a_form_because_forms_have_no_null(seed_images: list[Path]) -> None:
    request = sent_edit(image=seed_images[0], prompt="p", n=None, model=None)
    assert {p["name"] for p in parts_of(request)} == {"prompt", "image"}


def test_bare_bytes_are_named_and_typed_by_sniffing() -> None:
    request = sent_edit(image=png_bytes(), prompt="p")
    image = next(p for p in parts_of(request) if p["name"] == "image")
    assert (image["filename"], image["content_type"]) == ("image.png", "image/png")


def test_open_binary_files_and_tuples_are_accepted(seed_images: list[Path]) -> None:
    with seed_images[0].open("rb") as handle:
        request = sent_edit(
            image=[handle, ("custom.png", seed_images[1].read_bytes())],
            prompt="p",
        )
        parts = [p for p in parts_of(request) if p["filename"]]
    assert [p["filename"] for p in parts] == ["bath-bomb.png", "custom.png"]
    assert parts[0]["payload"] == seed_images[0].read_bytes()


def test_json_variant_sends_image_references() -> None:
    request = sent_edit_json(
        images=[oi.ImageRefParam(image_url="https://example.com/source-image.png")],
        prompt="Add a watercolor effect to this image",
        model="gpt-image-1.5",
        size="1024x1024",
        quality="high",
    )
    assert request.headers["content-type"] == "application/json"
    assert json.loads(body_of(request)) == {
        "images": [{"image_url": "https://example.com/source-image.png"}],
        "prompt": "Add a watercolor effect to this image",
        "model": "gpt-image-1.5",
        "size": "1024x1024",
        "quality": "high",
    }


def test_json_variant_with_every_option_and_an_explicit_null() -> None:
    request = sent_edit_json(
        images=[oi.ImageRefParam(file_id="file-abc123")],
        prompt="p",
        mask=oi.ImageRefParam(file_id="file-mask123"),
        model="gpt-image-1",
        n=1,
        quality="low",
        input_fidelity="low",
        size="auto",
        user="u",
        output_format="png",
        output_compression=100,
        moderation="low",
        background="opaque",
        stream=False,
        partial_images=None,
    )
    assert json.loads(body_of(request)) == {
        "images": [{"file_id": "file-abc123"}],
        "prompt": "p",
        "mask": {"file_id": "file-mask123"},
        "model": "gpt-image-1",
        "n": 1,
        "quality": "low",
        "input_fidelity": "low",
        "size": "auto",
        "user": "u",
        "output_format": "png",
        "output_compression": 100,
        "moderation": "low",
        "background": "opaque",
        "stream": False,
        "partial_images": None,
    }


def test_image_reference_needs_exactly_one_of_url_and_file_id() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        oi.ImageRefParam(image_url="https://x", file_id="file-1")
    with pytest.raises(ValueError, match="exactly one"):
        oi.ImageRefParam()


def test_a_tuple_of_files_is_several_files_not_a_filename_and_content() -> None:
    first, second = png_bytes(2, 2, seed=1), png_bytes(2, 2, seed=2)
    request = sent_edit(image=(first, second), prompt="p")
    files = [(p["name"], p["payload"]) for p in parts_of(request) if p["filename"]]
    assert files == [("image[]", first), ("image[]", second)]


def test_a_filename_and_content_tuple_is_one_file() -> None:
    content = png_bytes(2, 2, seed=3)
    request = sent_edit(image=("mine.png", content), prompt="p")
    parts = [(p["name"], p["filename"]) for p in parts_of(request) if p["filename"]]
    assert parts == [("image", "mine.png")]
