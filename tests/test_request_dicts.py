"""Object arguments given as plain dicts are checked as the official SDK's are: each request
object has a ``TypedDict`` param, and ``mypy --strict`` flags every mistake in a call on its
line while every correct call passes (``tests/specs/request-dicts-3.1.yaml``). At run time a
param is a plain dict, and a dict is sent exactly as given."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from genutil import ROOT, Wire, generate_package, import_fresh

SPEC = ROOT / "tests" / "specs" / "request-dicts-3.1.yaml"
PACKAGE = "rdicts"

# One call per line: ``# wrong: ...`` lines must be flagged there, ``# right`` lines not.
CALLS = """
from rdicts import Client, Node, Size, ToolCall, UserMessage
from rdicts import CreateReplyRequest, MessageParam, WindowParam

client = Client(api_key="k")
user: MessageParam = {"role": "user", "content": "hi"}  # right
client.replies.create_reply(model="m", messages=[user])  # right
client.replies.create_reply(model="m", messages=[{"role": "user", "contnt": "hi"}])  # wrong: misspelled key
client.replies.create_reply(model="m", messages=[{"role": "usr", "content": "hi"}])  # wrong: unknown enum value
client.replies.create_reply(model="m", messages=[{"content": "hi"}])  # wrong: missing required key
client.replies.create_reply(model="m", messages=[{"role": "user", "content": 42}])  # wrong: wrong value type
client.replies.create_reply(model="m", messages=[user], tools=[{"type": "function", "function": {"description": "d"}}])  # wrong: missing key in a nested union member
client.replies.create_reply(model="m", messages=[user], format={"type": "jsn"})  # wrong: wrong discriminator literal
client.answers.create_answer(input=[{"role": "user", "content": "hi", "colour": "red"}])  # wrong: unknown key in a list item
client.replies.create_reply(model="m", messages=[{"role": "tool", "content": "done"}])  # wrong: missing key in another union branch
client.replies.create_reply(model="m", messages=[{"role": "tool", "content": "done", "tool_call_id": "c1"}])  # right
client.replies.create_reply(model="m", messages=[{"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "name": "f"}]}])  # right
client.replies.create_reply(model="m", messages=[{"role": "assistant", "tool_calls": [ToolCall(id="c1", name="f")]}])  # right
client.replies.create_reply(model="m", messages=[UserMessage(role="user", content="hi"), {"role": "user", "content": "yo"}])  # right
client.replies.create_reply(model="m", messages=[{"role": "user", "content": [{"type": "text", "text": "t"}, {"type": "image", "url": "u", "detail": "low"}]}])  # right
client.replies.create_reply(model="m", messages=[{"role": "user", "content": [{"type": "image", "url": "u", "detail": "huge"}]}])  # wrong: unknown enum value in a nested list
client.replies.create_reply(model="m", messages=[user], tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "n": 1}}}, {"type": "search"}])  # right
client.replies.create_reply(model="m", messages=[user], format={"type": "json", "schema": {"any": ["value", 1, None]}})  # right
client.replies.create_reply(model="m", messages=[user], metadata={"open": {"to": [1, "anything"]}})  # right
client.replies.create_reply(model="m", messages=[user], size="large", temperature=None)  # right
client.replies.create_reply(model="m", messages=[user], size=Size.SMALL)  # right
client.replies.create_reply(model="m", messages=[user], size="medium")  # wrong: unknown enum value of an enum both sides use
client.answers.create_answer(input="hi")  # right
client.answers.create_answer(input=[{"role": "user", "content": "hi"}, {"type": "item_reference", "id": "i1"}])  # right
client.answers.create_answer(input=[{"type": "item_reference"}])  # wrong: missing required key in a list item
client.answers.create_answer(input="hi", outline={"title": "a", "children": [{"title": "b", "children": [Node(title="c")]}]})  # right
client.answers.create_answer(input="hi", outline={"title": "a", "children": [{"title": "b", "children": [{"titel": "c"}]}]})  # wrong: misspelled key deep in a recursive dict
window: WindowParam = {"from": 1, "to": 2, "x-unit": "ms"}  # right
client.answers.create_answer(input="hi", window=window)  # right
client.answers.create_answer(input="hi", window={"from": 1, "x-unit": "h"})  # wrong: unknown enum value under a key that is not a Python name
params: CreateReplyRequest = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}  # right
client.replies.create_reply(**params)  # right
bad: CreateReplyRequest = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "tols": []}  # wrong: misspelled argument in a body dict
"""  # noqa: E501 (one call per line, so that an error's line names its call)


def marked_lines(source: str, mark: str) -> dict[int, str]:
    return {
        number: line.partition(mark)[2].strip()
        for number, line in enumerate(source.splitlines(), start=1)
        if mark in line
    }


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("request-dicts") / "out"
    generate_package(SPEC, folder, PACKAGE)
    return folder


@pytest.fixture
def rdicts(out: Path) -> ModuleType:
    return import_fresh(out, PACKAGE)


@pytest.fixture(scope="module")
def mypy_errors(out: Path) -> dict[int, list[str]]:
    """One ``mypy --strict`` run over every call: its errors in the calls, by line."""
    (out / "calls.py").write_text(CALLS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "calls.py"],
        cwd=out, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    elsewhere = [
        line for line in done.stdout.splitlines() if re.match(r"(?!calls\.py)\S+:\d+", line)
    ]
    assert elsewhere == [], "errors in the generated package:\n" + "\n".join(elsewhere)
    errors: dict[int, list[str]] = {}
    for found in re.finditer(r"^calls\.py:(\d+): error: (.*)$", done.stdout, re.MULTILINE):
        errors.setdefault(int(found[1]), []).append(found[2])
    return errors


@pytest.mark.parametrize("line", sorted(marked_lines(CALLS, "# wrong:")))
def test_a_mistake_in_a_dict_argument_is_flagged_on_its_line(
    line: int, mypy_errors: dict[int, list[str]]
) -> None:
    assert line in mypy_errors, f"not flagged: {marked_lines(CALLS, '# wrong:')[line]}"


def test_every_correct_call_type_checks(mypy_errors: dict[int, list[str]]) -> None:
    right = marked_lines(CALLS, "# right")
    assert {line: mypy_errors[line] for line in right if line in mypy_errors} == {}
    assert len(right) >= 15


def test_no_error_falls_outside_the_lines_with_mistakes(mypy_errors: dict[int, list[str]]) -> None:
    assert set(mypy_errors) == set(marked_lines(CALLS, "# wrong:"))


def test_nested_dicts_and_models_are_sent_exactly_as_given(rdicts: ModuleType) -> None:
    wire = Wire(rdicts, httpx.Response(200, json={"id": "r1"}))
    messages = [
        {"role": "assistant", "content": None, "tool_calls": [rdicts.ToolCall(id="c1", name="f")]},
        {"role": "user", "content": [{"type": "image", "url": "u"}]},
    ]
    wire.client.replies.create_reply(model="m", messages=messages, metadata={"k": [1, None]})
    assert json.loads(wire.request.content) == {
        "model": "m",
        "messages": [
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "name": "f"}]},
            {"role": "user", "content": [{"type": "image", "url": "u"}]},
        ],
        "metadata": {"k": [1, None]},
    }


def test_keys_that_are_not_python_names_go_out_as_written(rdicts: ModuleType) -> None:
    wire = Wire(rdicts, httpx.Response(200, json={"id": "r1"}))
    wire.client.answers.create_answer(input="hi", window={"from": 1, "x-unit": "ms"})
    assert json.loads(wire.request.content) == {
        "input": "hi",
        "window": {"from": 1, "x-unit": "ms"},
    }


def test_at_run_time_a_param_is_a_plain_dict_and_costs_nothing(rdicts: ModuleType) -> None:
    assert rdicts.ToolCallParam is dict and rdicts.WindowParam is dict
    assert rdicts.ToolCallParam(id="c1", name="f") == {"id": "c1", "name": "f"}
    assert isinstance(rdicts.MessageParam, str)  # a union's param: a type checker's alias
