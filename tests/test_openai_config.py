"""spec/openai.client.yaml: every operation of the full OpenAI spec, named as in the openai SDK."""

from __future__ import annotations

import keyword
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.pipeline.config import load_config

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "spec" / "openai.client.yaml"
OPENAI = Path(__file__).resolve().parents[2] / "shared" / "reference" / "openai.openapi.yaml"

pytestmark = pytest.mark.skipif(
    not OPENAI.exists(), reason="needs the full OpenAI spec in ../shared/reference"
)

HTTP_VERBS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
ENTRY_KEYS = {"resource", "method", "page", "variants", "deprecated"}
PAGES = {"cursor", "single"}
MULTIPART = "multipart/form-data"  # the generator names this body after the method

# operationId -> (resource, method, page) in the openai Python SDK 3.51.
SDK_NAMES: dict[str, tuple[str, str, str | None]] = {
    "createChatCompletion": ("chat.completions", "create", None),
    "listChatCompletions": ("chat.completions", "list", "cursor"),
    "getChatCompletionMessages": ("chat.completions.messages", "list", "cursor"),
    "createEmbedding": ("embeddings", "create", None),
    "createFile": ("files", "create", None),
    "listFiles": ("files", "list", "cursor"),
    "downloadFile": ("files", "content", None),
    "listModels": ("models", "list", "single"),
    "createImageEdit": ("images", "edit", None),
    "createResponse": ("responses", "create", None),
    "beta_createResponse": ("beta.responses", "create", None),
    "createTranscription": ("audio.transcriptions", "create", None),
    "createRun": ("beta.threads.runs", "create", None),
    "listVectorStoreFiles": ("vector_stores.files", "list", "cursor"),
    "searchVectorStore": ("vector_stores", "search", "single"),
    "RetrieveContainerFileContent": ("containers.files.content", "retrieve", None),
    "DeleteThreadMethod": ("beta.chatkit.threads", "delete", None),
    "list-audit-logs": ("admin.organization.audit_logs", "list", "cursor"),
    "list-groups": ("admin.organization.groups", "list", None),
    "usage-costs": ("admin.organization.usage", "costs", None),
    "cancelEvalRun": ("evals.runs", "cancel", None),
}


@pytest.fixture(scope="module")
def spec_operations() -> dict[str, dict[str, Any]]:
    """operationId -> operation object of the full spec (each id once)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with OPENAI.open("rb") as f:
        spec = yaml.load(f, Loader=loader)
    found = [
        op
        for item in spec["paths"].values()
        for verb in HTTP_VERBS
        if isinstance(op := item.get(verb), dict) and "operationId" in op
    ]
    ids = Counter(op["operationId"] for op in found)
    assert [i for i, n in ids.items() if n > 1] == []
    return {op["operationId"]: op for op in found}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    """The config as plain YAML data (load_config does not take dotted resources yet)."""
    data: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return data


def full_names(entry: dict[str, Any]) -> list[str]:
    """``resource.method`` and ``resource.<variant>`` for one entry."""
    variants = entry.get("variants") or {}
    return [f"{entry['resource']}.{name}" for name in (entry["method"], *variants.values())]


def is_name(text: object) -> bool:
    return isinstance(text, str) and text.isidentifier() and not keyword.iskeyword(text)


def test_package_and_arrays(config: dict[str, Any]) -> None:
    assert config["package_name"] == "openai_client"
    assert config["array_format"] == "brackets"


def test_every_operation_is_named_exactly_once(
    config: dict[str, Any], spec_operations: dict[str, dict[str, Any]]
) -> None:
    # safe_load keeps the last of repeated keys, so count them in the node tree.
    root = yaml.compose(CONFIG.read_text(encoding="utf-8"))
    assert isinstance(root, yaml.MappingNode)
    operations = next(value for key, value in root.value if key.value == "operations")
    counts = Counter(key.value for key, _ in operations.value)
    assert [k for k, n in counts.items() if n > 1] == []
    assert set(config["operations"]) == set(spec_operations)
    assert len(config["operations"]) == 288


def test_entries_are_identifiers(config: dict[str, Any]) -> None:
    for operation_id, entry in config["operations"].items():
        assert set(entry) <= ENTRY_KEYS and {"resource", "method"} <= set(entry), operation_id
        assert all(is_name(part) for part in entry["resource"].split(".")), operation_id
        assert is_name(entry["method"]), operation_id
        assert entry.get("page", "cursor") in PAGES, operation_id
        assert all(is_name(v) for v in (entry.get("variants") or {}).values()), operation_id


def test_variants_name_each_extra_content_type(
    config: dict[str, Any], spec_operations: dict[str, dict[str, Any]]
) -> None:
    for operation_id, entry in config["operations"].items():
        content = (spec_operations[operation_id].get("requestBody") or {}).get("content") or {}
        ordered = sorted(content, key=lambda ct: ct != MULTIPART)
        assert set(entry.get("variants") or {}) == set(ordered[1:]), operation_id


def test_no_two_operations_share_a_name(config: dict[str, Any]) -> None:
    entries = config["operations"].values()
    names = Counter(name for entry in entries for name in full_names(entry))
    assert [name for name, n in names.items() if n > 1] == []
    # A method and a sub-resource cannot share an attribute of one resource.
    paths = [entry["resource"].split(".") for entry in entries]
    resources = {".".join(parts[:end]) for parts in paths for end in range(1, len(parts) + 1)}
    assert sorted(set(names) & resources) == []


@pytest.mark.parametrize("operation_id", sorted(SDK_NAMES))
def test_sdk_names(config: dict[str, Any], operation_id: str) -> None:
    resource, method, page = SDK_NAMES[operation_id]
    entry = config["operations"][operation_id]
    assert (entry["resource"], entry["method"], entry.get("page")) == (resource, method, page)


def test_json_bodies_have_their_own_method(config: dict[str, Any]) -> None:
    entry = config["operations"]["createImageEdit"]
    assert full_names(entry) == ["images.edit", "images.edit_json"]


def test_the_generator_reads_it(config: dict[str, Any]) -> None:
    loaded = load_config(CONFIG)  # a GeneratorError here fails the test
    assert loaded.package_name == "openai_client"
    assert loaded.array_format == "brackets"
    for operation_id, entry in config["operations"].items():
        placement = loaded.operations[operation_id]
        assert placement.resource == entry["resource"]
        assert placement.method == entry["method"]
        assert placement.variants == (entry.get("variants") or {})
        assert placement.deprecated == entry.get("deprecated", False)
