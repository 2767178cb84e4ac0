"""The checker: which exchanges conform, and where and why the others do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from conform_support import RECORDINGS
from make_png import png
from make_recordings import BOUNDARY, multipart

from generator.pipeline.load import load_document
from generator.tools.conform.checker import Checker, ExchangeReport, Finding
from generator.tools.conform.exchanges import Exchange, RecordedRequest, RecordedResponse
from generator.tools.conform.recordings import read_recording

URL = "https://api.openai.com/v1/images/edits"
GOOD_JSON_REQUEST = {"images": [{"file_id": "file-abc123"}], "prompt": "Add snow"}
PARTIAL = {
    "type": "image_edit.partial_image",
    "b64_json": "aGVsbG8=",
    "created_at": 1620000000,
    "size": "1024x1024",
    "quality": "high",
    "background": "transparent",
    "output_format": "png",
    "partial_image_index": 0,
}
COMPLETED = {
    **{key: value for key, value in PARTIAL.items() if key != "partial_image_index"},
    "type": "image_edit.completed",
    "usage": {
        "total_tokens": 3,
        "input_tokens": 1,
        "output_tokens": 2,
        "input_tokens_details": {"text_tokens": 1, "image_tokens": 0},
    },
}


def recorded(name: str) -> Exchange:
    (exchange,) = read_recording(RECORDINGS / name)
    return exchange


def json_exchange(
    request_body: Any,
    response_body: bytes | Any,
    *,
    content_type: str = "application/json",
    status: int = 200,
    url: str = URL,
) -> Exchange:
    request = RecordedRequest(
        "POST", url, (("Content-Type", "application/json"),), json.dumps(request_body).encode()
    )
    body = response_body if isinstance(response_body, bytes) else json.dumps(response_body).encode()
    response = RecordedResponse(status, (("Content-Type", content_type),), body)
    return Exchange("test.json", 0, "recording", request, response)


def form_exchange(
    fields: list[tuple[str, str]],
    files: list[tuple[str, str, bytes]],
    response_body: bytes = b'{"created": 1}',
) -> Exchange:
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    request = RecordedRequest(
        "POST", URL, (("Content-Type", content_type),), multipart(fields, files)
    )
    response = RecordedResponse(200, (("Content-Type", "application/json"),), response_body)
    return Exchange("test.json", 0, "recording", request, response)


def event_stream(*events: Any) -> bytes:
    out = []
    for event in events:
        data = event if isinstance(event, bytes) else json.dumps(event).encode()
        out.append(b"data: " + data + b"\n\n")
    return b"".join(out)


def only(report: ExchangeReport) -> Finding:
    errors = [f for f in report.findings if f.severity == "error"]
    assert len(errors) == 1, errors
    return errors[0]


# -- the checked-in recordings --------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["images_response.json", "edit_stream.json", "error_400.json", "browser_export.har"]
)
def test_recordings_of_the_documented_examples_conform(checker: Checker, name: str) -> None:
    for exchange in read_recording(RECORDINGS / name):
        report = checker.check(exchange)
        assert report.ok, report.findings
        assert report.findings == ()


def test_stream_recording_checks_every_event(checker: Checker) -> None:
    report = checker.check(recorded("edit_stream.json"))
    assert report.events == 2
    assert report.operation is not None
    assert report.operation.operation_id == "createImageEdit"


def test_documented_stream_example_lacks_required_event_fields(checker: Checker) -> None:
    report = checker.check(recorded("edit_stream_documented_example.json"))
    missing = ["created_at", "size", "quality", "background", "output_format"]
    assert not report.ok
    assert [(f.location, f.rule) for f in report.findings] == [
        (f"event {index} /{name}", "required") for index in (0, 1) for name in missing
    ]


# -- JSON bodies ------------------------------------------------------------------------


def test_wrong_enum_value_is_reported_at_its_property(checker: Checker) -> None:
    finding = only(
        checker.check(json_exchange(GOOD_JSON_REQUEST, {"created": 1, "quality": "ultra"}))
    )
    assert (finding.subject, finding.location, finding.rule) == (
        "response",
        "body /quality",
        "enum",
    )
    assert finding.pointer == "/quality"
    assert '"ultra" is not one of "low", "medium", "high"' in finding.message


def test_missing_required_field_is_reported_at_the_missing_property(checker: Checker) -> None:
    finding = only(checker.check(json_exchange(GOOD_JSON_REQUEST, {"data": []})))
    assert (finding.location, finding.rule) == ("body /created", "required")
    assert 'required property "created" is missing' in finding.message


def test_wrong_type_is_reported_with_the_expected_type(checker: Checker) -> None:
    finding = only(checker.check(json_exchange(GOOD_JSON_REQUEST, {"created": "yesterday"})))
    assert (finding.location, finding.rule) == ("body /created", "type")
    assert finding.message == '"yesterday" is not of type "integer"'


def test_nested_wrong_type_has_the_full_pointer(checker: Checker) -> None:
    usage: dict[str, Any] = {"total_tokens": 1, "input_tokens": 1, "output_tokens": "0"}
    usage["input_tokens_details"] = {"text_tokens": 1, "image_tokens": 0}
    finding = only(checker.check(json_exchange(GOOD_JSON_REQUEST, {"created": 1, "usage": usage})))
    assert (finding.location, finding.rule) == ("body /usage/output_tokens", "type")


def test_extra_property_in_image_ref_param_breaks_additional_properties(checker: Checker) -> None:
    request = {"images": [{"file_id": "file-abc123", "detail": "high"}], "prompt": "Add snow"}
    finding = only(checker.check(json_exchange(request, {"created": 1})))
    assert (finding.subject, finding.location, finding.rule) == (
        "request",
        "body /images/0/detail",
        "additionalProperties",
    )


def test_image_ref_with_both_image_url_and_file_id_breaks_not(checker: Checker) -> None:
    both = {"image_url": "https://example.com/a.png", "file_id": "file-abc123"}
    finding = only(checker.check(json_exchange({"images": [both], "prompt": "p"}, {"created": 1})))
    assert (finding.subject, finding.location, finding.rule) == ("request", "body /images/0", "not")
    assert finding.message == '"image_url" and "file_id" must not both be present'


def test_image_ref_with_neither_reference_names_both_choices(checker: Checker) -> None:
    finding = only(checker.check(json_exchange({"images": [{}], "prompt": "p"}, {"created": 1})))
    assert (finding.location, finding.rule) == ("body /images/0", "anyOf")
    assert finding.message == 'one of the properties "image_url" or "file_id" is required'


def test_nullable_union_reports_the_branch_that_fits(checker: Checker) -> None:
    request = {**GOOD_JSON_REQUEST, "quality": "ultra", "n": "two"}
    report = checker.check(json_exchange(request, {"created": 1}))
    assert sorted((f.location, f.rule, f.message) for f in report.findings) == [
        ("body /n", "type", '"two" is not of type "integer" or "null"'),
        ("body /quality", "enum", '"ultra" is not one of "low", "medium", "high", "auto"'),
    ]


def test_invalid_json_body_is_reported(checker: Checker) -> None:
    finding = only(checker.check(json_exchange(GOOD_JSON_REQUEST, b'{"created": ')))
    assert (finding.subject, finding.location, finding.rule) == ("response", "body", "json")


def test_long_strings_are_not_quoted_whole_in_messages(checker: Checker) -> None:
    huge = "A" * 1_000_000
    finding = only(checker.check(json_exchange(GOOD_JSON_REQUEST, {"created": 1, "size": huge})))
    assert finding.rule == "enum"
    assert len(finding.message) < 300
    assert "1000000 chars" in finding.message


# -- event streams ----------------------------------------------------------------------


def stream_exchange(body: bytes) -> Exchange:
    request = {**GOOD_JSON_REQUEST, "stream": True}
    return json_exchange(request, body, content_type="text/event-stream")


def test_unknown_event_type_is_one_discriminator_finding(checker: Checker) -> None:
    body = event_stream(PARTIAL, {"type": "image_edit.failed", "reason": "x"})
    finding = only(checker.check(stream_exchange(body)))
    assert (finding.location, finding.rule, finding.event) == ("event 1 /type", "discriminator", 1)
    assert finding.message.startswith('unknown event type "image_edit.failed"')
    assert '"image_edit.partial_image"' in finding.message


def test_known_event_type_is_checked_against_its_own_schema_only(checker: Checker) -> None:
    body = event_stream({**PARTIAL, "size": "4096x4096"})
    finding = only(checker.check(stream_exchange(body)))
    assert (finding.location, finding.rule, finding.pointer) == ("event 0 /size", "enum", "/size")


def test_event_without_type_is_missing_the_discriminator(checker: Checker) -> None:
    body = event_stream({key: value for key, value in PARTIAL.items() if key != "type"})
    finding = only(checker.check(stream_exchange(body)))
    assert (finding.location, finding.rule) == ("event 0 /type", "required")


def test_malformed_event_data_is_reported_and_later_events_still_checked(checker: Checker) -> None:
    body = event_stream(
        b'{"type": "image_edit.partial_image", ', {**PARTIAL, "quality": "x"}, COMPLETED
    )
    report = checker.check(stream_exchange(body))
    assert [(f.location, f.rule, f.event) for f in report.findings] == [
        ("event 0", "json", 0),
        ("event 1 /quality", "enum", 1),
    ]


def test_stream_ending_inside_an_event_is_reported(checker: Checker) -> None:
    body = event_stream(PARTIAL) + b"data: " + json.dumps(PARTIAL).encode() + b"\n"
    finding = only(checker.check(stream_exchange(body)))
    assert (finding.location, finding.rule) == ("event 1", "sse")


def test_empty_events_are_keep_alives_unless_named_error(checker: Checker) -> None:
    body = b"data:\n\n" + event_stream(PARTIAL, COMPLETED)
    assert checker.check(stream_exchange(body)).findings == ()
    report = checker.check(stream_exchange(b"event: error\ndata:\n\n" + event_stream(COMPLETED)))
    assert [(f.location, f.rule, f.severity) for f in report.findings] == [
        ("event 0", "sse", "warning")
    ]


def test_a_stream_ends_at_done_and_what_follows_is_a_warning(checker: Checker) -> None:
    body = event_stream(PARTIAL, COMPLETED, b"[DONE]", b"{not json")
    report = checker.check(stream_exchange(body))
    assert report.events == 2
    assert [(f.location, f.rule, f.severity) for f in report.findings] == [
        ("event 3", "sse", "warning")
    ]


def test_a_stream_without_its_terminal_event_is_a_warning(checker: Checker) -> None:
    report = checker.check(stream_exchange(event_stream(PARTIAL)))
    assert report.ok
    (finding,) = report.findings
    assert (finding.location, finding.rule, finding.severity) == ("event 1", "sse", "warning")
    assert "image_edit.completed" in finding.message


def test_event_name_differing_from_type_is_a_warning(checker: Checker) -> None:
    body = b"event: image_edit.completed\ndata: " + json.dumps(PARTIAL).encode() + b"\n\n"
    report = checker.check(stream_exchange(body))
    assert report.ok
    # The payload's type decides, as in the client: so no terminal event arrived either.
    assert [(f.rule, f.severity, f.event) for f in report.findings] == [
        ("event-name", "warning", 0),
        ("sse", "warning", 1),
    ]


def test_json_answer_to_a_stream_request_is_flagged(checker: Checker) -> None:
    exchange = recorded("edit_stream.json")
    answer = RecordedResponse(200, (("Content-Type", "application/json"),), b'{"created": 1}')
    finding = only(checker.check(attrs.evolve(exchange, response=answer)))
    assert (finding.subject, finding.location, finding.rule) == (
        "response",
        "header Content-Type",
        "stream",
    )
    assert "stream=true" in finding.message


def test_stream_answer_to_a_request_without_stream_is_flagged(checker: Checker) -> None:
    body = event_stream(PARTIAL)
    exchange = json_exchange(GOOD_JSON_REQUEST, body, content_type="text/event-stream")
    finding = only(checker.check(exchange))
    assert (finding.location, finding.rule) == ("header Content-Type", "stream")


# -- multipart requests ----------------------------------------------------------------


def test_form_text_is_coerced_to_the_types_the_schema_wants(checker: Checker) -> None:
    fields = [("prompt", "p"), ("n", "2"), ("stream", "false"), ("partial_images", "1")]
    report = checker.check(form_exchange(fields, [("image", "a.png", png())]))
    assert report.findings == ()


def test_form_text_that_does_not_fit_is_reported_at_its_part(checker: Checker) -> None:
    fields = [("prompt", "p"), ("n", "many"), ("stream", "yes")]
    report = checker.check(form_exchange(fields, [("image", "a.png", png())]))
    assert sorted((f.location, f.rule, f.part) for f in report.findings) == [
        ("part 'n'", "type", "n"),
        ("part 'stream'", "type", "stream"),
    ]


def test_form_number_out_of_range_is_reported(checker: Checker) -> None:
    report = checker.check(
        form_exchange([("prompt", "p"), ("n", "11")], [("image", "a.png", png())])
    )
    finding = only(report)
    assert (finding.location, finding.rule) == ("part 'n'", "maximum")


def test_image_array_parts_are_read_as_the_array_image(checker: Checker) -> None:
    files = [("image[]", f"{i}.png", png(2, 2)) for i in range(17)]
    finding = only(checker.check(form_exchange([("prompt", "p")], files)))
    assert (finding.location, finding.rule, finding.pointer) == (
        "part 'image[]'",
        "maxItems",
        "/image",
    )
    assert checker.check(form_exchange([("prompt", "p")], files[:2])).findings == ()


def test_missing_required_part_is_named(checker: Checker) -> None:
    finding = only(checker.check(form_exchange([("n", "1")], [("image", "a.png", png())])))
    assert (finding.location, finding.rule) == ("part 'prompt'", "required")
    assert finding.message == "required part 'prompt' is missing"


def test_stream_form_field_asks_for_an_event_stream(checker: Checker) -> None:
    exchange = form_exchange([("prompt", "p"), ("stream", "true")], [("image", "a.png", png())])
    finding = only(checker.check(exchange))
    assert finding.rule == "stream"


def test_malformed_multipart_body_is_reported(checker: Checker) -> None:
    exchange = form_exchange([("prompt", "p")], [])
    broken = attrs.evolve(exchange.request, body=exchange.request.body[:-10])
    finding = only(checker.check(attrs.evolve(exchange, request=broken)))
    assert (finding.subject, finding.location, finding.rule) == ("request", "body", "multipart")


# -- operations, statuses, content types --------------------------------------------------


def test_error_status_is_checked_against_default(checker: Checker) -> None:
    exchange = recorded("error_400.json")
    bad = RecordedResponse(500, (("Content-Type", "application/json"),), b'{"error": {}}')
    report = checker.check(attrs.evolve(exchange, response=bad))
    assert sorted(f.location for f in report.findings) == [
        "body /error/code",
        "body /error/message",
        "body /error/param",
        "body /error/type",
    ]


def test_undocumented_response_content_type_is_reported(checker: Checker) -> None:
    exchange = json_exchange(GOOD_JSON_REQUEST, b"<html/>", content_type="text/html")
    finding = only(checker.check(exchange))
    assert (finding.location, finding.rule) == ("header Content-Type", "content-type")


def test_undocumented_request_content_type_is_reported(checker: Checker) -> None:
    exchange = json_exchange(GOOD_JSON_REQUEST, {"created": 1})
    request = attrs.evolve(exchange.request, headers=(("Content-Type", "text/plain"),))
    finding = only(checker.check(attrs.evolve(exchange, request=request)))
    assert (finding.subject, finding.rule) == ("request", "content-type")


def test_request_for_an_unknown_operation_is_reported(checker: Checker) -> None:
    exchange = json_exchange({}, {}, url="https://api.openai.com/v1/models")
    finding = only(checker.check(exchange))
    assert finding.rule == "operation"
    assert "POST /v1/models" in finding.message


def test_path_without_the_server_base_path_is_matched_and_reported(checker: Checker) -> None:
    exchange = json_exchange(
        GOOD_JSON_REQUEST, {"created": 1}, url="http://127.0.0.1:8080/images/edits"
    )
    report = checker.check(exchange)
    assert report.operation is not None
    finding = only(report)
    assert (finding.subject, finding.location, finding.rule) == ("request", "path", "server")


@pytest.mark.parametrize("path", ["/v2/images/edits", "/images/edits", "/v1x/images/edits"])
def test_a_path_under_another_base_path_does_not_conform(checker: Checker, path: str) -> None:
    exchange = json_exchange(GOOD_JSON_REQUEST, {"created": 1}, url="https://api.test" + path)
    finding = only(checker.check(exchange))
    assert finding.rule == "server"
    assert f"{path} is not under the base path of the operation's servers (/v1)" in finding.message


@pytest.mark.parametrize("host", ["https://api.openai.com", "http://127.0.0.1:9", "http://x/proxy"])
def test_the_server_base_path_after_any_host_or_prefix_conforms(
    checker: Checker, host: str
) -> None:
    exchange = json_exchange(GOOD_JSON_REQUEST, {"created": 1}, url=host + "/v1/images/edits")
    assert checker.check(exchange).findings == ()


def test_exchange_without_response_is_a_warning_only(checker: Checker) -> None:
    exchange = attrs.evolve(
        json_exchange(GOOD_JSON_REQUEST, {"created": 1}),
        response=None,
        error="ConnectError: refused",
    )
    report = checker.check(exchange)
    assert report.ok
    assert [f.severity for f in report.findings] == ["warning"]


# -- dialects -----------------------------------------------------------------------------


def small_spec(
    tmp_path: Path, version: str, schema: dict[str, Any], components: dict[str, Any] | None = None
) -> Checker:
    """A one-operation spec whose POST /things answers JSON of ``schema``."""
    response = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    document: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": {"responses": {"200": response}}}},
    }
    if components:
        document["components"] = {"schemas": components}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return Checker(load_document(path))


def thing(body: Any) -> Exchange:
    return json_exchange({}, body, url="https://example.com/things")


def test_openapi_30_nullable_admits_null(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "nullable": True, "enum": ["a", "b"]}},
    }
    checker = small_spec(tmp_path, "3.0.3", schema)
    assert checker.schemas.draft4
    assert checker.check(thing({"name": None})).findings == ()
    finding = only(checker.check(thing({"name": 5})))
    assert (finding.location, finding.rule) == ("body /name", "type")


def test_openapi_30_is_validated_as_draft_4(tmp_path: Path) -> None:
    schema = {"type": "integer", "minimum": 0, "exclusiveMinimum": True}  # Draft 4 boolean form
    checker = small_spec(tmp_path, "3.0.3", schema)
    assert checker.check(thing(1)).findings == ()
    assert only(checker.check(thing(0))).rule == "minimum"


def test_nullable_inside_a_31_document_is_honoured(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "n": {"type": "integer", "nullable": True},
            "ref": {"$ref": "#/components/schemas/Thing", "nullable": True},
        },
    }
    thing_schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    checker = small_spec(tmp_path, "3.1.0", schema, {"Thing": thing_schema})
    assert not checker.schemas.draft4
    assert checker.check(thing({"n": None, "ref": None})).findings == ()
    assert checker.check(thing({"ref": {"id": "a"}})).findings == ()
    assert only(checker.check(thing({"n": "x"}))).location == "body /n"
    assert only(checker.check(thing({"ref": {"id": 1}}))).location == "body /ref/id"


def test_31_validates_2020_12_keywords(tmp_path: Path) -> None:
    schema = {"type": "array", "prefixItems": [{"type": "string"}], "items": False}
    checker = small_spec(tmp_path, "3.1.0", schema)
    assert checker.check(thing(["a"])).findings == ()
    assert only(checker.check(thing(["a", "b"]))).rule == "items"


def test_discriminator_mapping_names_branches(tmp_path: Path) -> None:
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"meow": "Cat"}},
    }
    cat = {
        "type": "object",
        "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}},
    }
    dog = {"type": "object", "properties": {"kind": {"type": "string"}}}
    checker = small_spec(tmp_path, "3.1.0", schema, {"Cat": cat, "Dog": dog})
    assert checker.check(thing({"kind": "meow", "lives": 9})).findings == ()
    assert checker.check(thing({"kind": "Dog"})).findings == ()  # implicit: the schema name
    assert only(checker.check(thing({"kind": "meow", "lives": "nine"}))).location == "body /lives"
    assert only(checker.check(thing({"kind": "Cat"}))).rule == "discriminator"


# -- what the checker reads from the IR ---------------------------------------------------


def spec_checker(tmp_path: Path, document: dict[str, Any]) -> Checker:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return Checker(load_document(path))


def test_an_operation_the_generator_left_out_is_a_warning_naming_why(tmp_path: Path) -> None:
    response = {"description": "ok", "content": {"application/json": {"schema": {}}}}
    odd = {"name": "x", "in": "matrix", "schema": {"type": "string"}}
    checker = spec_checker(tmp_path, {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": {"parameters": [odd], "responses": {"200": response}}}},
    })  # fmt: skip
    report = checker.check(thing({}))
    assert report.ok and report.operation is None
    (finding,) = report.findings
    assert (finding.rule, finding.severity) == ("operation", "warning")
    assert "POST /things (/paths/~1things/post)" in finding.message
    assert "parameters in 'matrix' are not supported" in finding.message


def test_a_status_declared_by_a_ref_to_nothing_is_still_declared(tmp_path: Path) -> None:
    missing = {"$ref": "#/components/responses/Gone"}
    ok = {"description": "ok", "content": {"application/json": {"schema": {}}}}
    checker = spec_checker(tmp_path, {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": {"responses": {"200": ok, "404": missing}}}},
    })  # fmt: skip
    report = checker.check(thing({}))
    assert report.findings == ()
    gone = attrs.evolve(thing({}), response=RecordedResponse(404, (), b""))
    assert checker.check(gone).findings == ()


def test_the_stream_switch_is_the_operations_own(tmp_path: Path) -> None:
    event = {"type": "object", "properties": {"type": {"type": "string"}}}
    content = {"application/json": {"schema": {}}, "text/event-stream": {"schema": event}}
    body = {"type": "object", "properties": {"live": {"type": "boolean"}}}
    checker = spec_checker(tmp_path, {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": {
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "ok", "content": content}},
        }}},
    })  # fmt: skip
    # Without a boolean ``stream`` field the operation has no switch: either answer is fine.
    answer = event_stream({"type": "x"})
    exchange = json_exchange({"live": True}, answer, content_type="text/event-stream",
                             url="https://example.com/things")  # fmt: skip
    assert checker.check(exchange).findings == ()
