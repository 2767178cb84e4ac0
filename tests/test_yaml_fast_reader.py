"""The one-pass YAML reader gives what composing a node graph and constructing it gives.

``yamlread.parse`` reads most documents in one pass over libyaml's events; the rest (merge
keys, keys given twice, every problem) go to the general composer. Each test here parses
the same text both ways and compares: the data (equal, keys in the same order and of the
same types, the same containers shared by aliases), the warnings or errors, and the line
of every JSON pointer, the general composer's being read from its node graph's marks.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import GeneratorError, Problem, pointer_join, pointer_parts
from generator.pipeline import yamlread
from generator.pipeline.limits import Limits
from generator.pipeline.load import iter_refs, line_of
from generator.pipeline.yamlread import Parsed, SpecLoader, _Composer, _parse_yaml_composed, parse

ROOT = Path(__file__).resolve().parent.parent
OPENAI = ROOT.parent / "shared" / "reference" / "openai.openapi.yaml"
H = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"


# ------------------------------------------------------------------------------- the oracle


def shape(value: Any) -> Any:
    """``value`` with every key's and scalar's type, in order (``==`` alone ignores both)."""
    if isinstance(value, dict):
        return ("map", [(type(k).__name__, shape(k), shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [shape(v) for v in value])
    return (type(value).__name__, hex(value) if type(value) is int else repr(value))


def sharing(value: Any) -> list[int]:
    """Which containers are one object: each container's first-seen index, in a walk."""
    seen: dict[int, int] = {}
    order: list[int] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            order.append(seen.setdefault(id(node), len(seen)))
            stack.extend(reversed(list(node.values()) if isinstance(node, dict) else node))
    return order


def outcome(read: Any) -> tuple[Any, ...]:
    """What a reader gave: the data's shape and sharing and the warnings, or the errors."""
    try:
        parsed: Parsed = read()
    except GeneratorError as error:
        return ("error", error.problems)
    return ("read", shape(parsed.data), sharing(parsed.data), parsed.warnings)


def graph_line(node: yaml.Node | None, pointer: str) -> int | None:
    """The line of ``pointer`` read from a node graph's marks (the last of equal keys)."""
    for part in pointer_parts(pointer):
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in reversed(node.value) if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            node = None
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None


def composed_graph(source: bytes, limits: Limits) -> yaml.Node | None:
    """The node graph that locates problems when only the general composer reads: the one a
    parse composed, after construction (which flattens merge keys into it); when composing
    failed, one composed without limits or construction; None when that fails too."""
    loader = SpecLoader(source)
    try:
        node = _Composer(loader, "spec.yaml", limits).compose()
    except Exception:
        loader.dispose()
        loader = SpecLoader(source)
        try:
            return _Composer(loader, "", None).compose()
        except Exception:
            return None
    try:
        if node is not None:
            loader.construct_document(node)
    except Exception:
        pass  # what was flattened stays flattened
    finally:
        loader.dispose()
    return node


def pointers(data: Any) -> list[str]:
    found = [""]
    stack = [(data, "")]
    while stack:
        node, where = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            found.append(pointer_join(where, key))
            if isinstance(value, dict | list):
                stack.append((value, found[-1]))
    return found


EXTRA_POINTERS = ["/x", "/x/0", "/x/1", "/x/a", "/x/a/b", "/1", "/0/1", "/a/0", "/nope"]


def assert_same(text: str | bytes, limits: Limits | None = None) -> Parsed | None:
    """Parse ``text`` both ways and compare everything; the fast reader's result, if any."""
    source = text.encode() if isinstance(text, str) else text
    limits = limits or Limits()
    theirs = outcome(lambda: _parse_yaml_composed(source, "spec.yaml", limits))
    ours = outcome(lambda: parse(source, "spec.yaml", limits))
    assert ours == theirs
    graph = composed_graph(source, limits)
    yamlread._LINES_CACHE.pop(source, None)  # line_of then reads what this parse leaves
    try:
        parsed = parse(source, "spec.yaml", limits)
    except GeneratorError:
        parsed = None
    data = parsed.data if parsed is not None else None
    places = EXTRA_POINTERS + (pointers(data) if isinstance(data, dict | list) else [])
    assert [line_of(source, p) for p in places] == [graph_line(graph, p) for p in places]
    if parsed is not None and parsed.refs is not None and isinstance(parsed.data, dict | list):
        assert [(w, m["$ref"]) for w, m in parsed.refs if isinstance(m["$ref"], str)] == list(
            iter_refs(parsed.data)
        )
    return parsed


# ------------------------------------------------------------------------------- the cases

CASES: dict[str, str | bytes] = {
    "empty": "",
    "comment only": "# nothing\n",
    "explicit empty document": "---\n...\n",
    "a scalar": "text\n",
    "a list": "- 1\n- [a, {b: c}]\n",
    "plain scalars of every kind": H + "x: [1, -2, 0x1f, 017, 1_000, 1:30, 1.5, .inf, -.inf, "
    ".nan, 6.8e+5, true, No, on, OFF, ~, null, '', text, 2020-01-01, 2020-01-01 10:00:00]\n",
    "quoted and block scalars stay strings": H + "x: ['1', \"true\", |\n    1\n  , >\n    ~\n  ]\n",
    "explicit tags": H + "x: [! 12, ! x, !!str 12, !!int '5', !!float 1, !!bool yes, "
    "!!null '', !!int 0x1F, !!map {a: 1}, !!seq [1], ! {a: 1}, ! [1]]\n",
    "numbers, booleans and null as keys": H + "x: {200: a, 0x10: b, ~: c, 1.5: d, true: e}\n",
    "an alias as a key": H + "k: &k name\nx: {*k : v}\n",
    "aliases share their node": H + "a: &a {k: [1, 2]}\nb: *a\nx: [*a, *a]\n",
    "an anchor defined twice": H + "x: &v 1\ny: *v\nz: &v [2]\nw: *v\n",
    "an anchor redefined inside itself": H + "x: &a [1, &a 2, *a]\ny: *a\n",
    "keys to escape": H + "x/y~z:\n  'a/b': {$ref: '#/x~1y~0z'}\n",
    "refs everywhere": H + "$ref: '#/a'\nx: [{$ref: a}, {b: {$ref: 1}}]\ny: &r {$ref: r}\nz: *r\n",
    "a long value": H + "x: " + "y" * 70_000 + "\n",
    # Left to the general composer: each is read again, and must come out the same.
    "merge keys": H + "b: &b {a: 1, c: 2}\nx:\n  <<: *b\n  a: 9\ny: {<<: [*b, {d: 1}]}\n",
    "a merge key as a value": H + "x: <<\n",
    "a key given twice": H + "x:\n  a: 1\n  b: 2\n  a: {k: 3}\n",
    "a key given twice in a list": H + "x:\n  - {a: 1, a: 2}\n  - [{b: 1}, {b: 1, b: 2}]\n",
    "one key written two ways": H + "x: {200: a, '200': b}\n",
    "two keys that are one number": H + "x: {1: a, 1.0: b, b: c}\n",
    "two keys that are one text": H + "x: {'16': a, 0x10: b}\n",
    "true and 1": H + "x: {1: a, true: b}\n",
    "a value tag": H + "x: =\n",
    "a timestamp tag": H + "x: !!timestamp 2020-01-01\n",
    "a binary tag": H + "x: !!binary aGVsbG8=\n",
    "a custom tag": H + "x: !custom 1\n",
    "a mapping as a key": H + "x:\n  ? [a, b]\n  : c\n",
    "an alias to a mapping as a key": H + "m: &m {a: 1}\nx: {*m : 2}\n",
    "two documents": H + "---\nopenapi: 3.0.0\n",
    "an undefined alias": H + "x: *nope\n",
    "an alias inside its anchor": H + "x: &a [1, *a]\n",
    "a huge integer": H + "x: " + "9" * 5000 + "\n",
    "a huge hexadecimal integer": H + "x: 0x" + "f" * 5000 + "\n",
    "invalid YAML": H + "x: [\n",
    "a bad escape": H + 'x: "\\q"\n',
    "not UTF-8": b"a: \xff\xfe\n",
    "UTF-16": (H + "x: caf\u00e9\n").encode("utf-16"),
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_the_fast_reader_and_the_general_composer_agree(text: str | bytes) -> None:
    assert_same(text)


@pytest.mark.parametrize(("depth", "limit"), [(19, 20), (20, 20), (21, 20), (255, 256)])
def test_they_agree_at_the_depth_limit(depth: int, limit: int) -> None:
    assert_same(H + "x: " + "[" * depth + "]" * depth + "\n", Limits(max_depth=limit))


@pytest.mark.parametrize("limit", [90, 91, 1000, 1_000_000])
def test_they_agree_at_the_alias_limit(limit: int) -> None:
    lines = ["x:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 5)]
    assert_same(H + "\n".join(lines) + "\n", Limits(max_alias_nodes=limit))


def test_an_ordinary_spec_is_read_in_one_pass_with_its_refs() -> None:
    parsed = assert_same((ROOT / "spec" / "images-edit.yaml").read_bytes())
    assert parsed is not None and parsed.refs is not None and parsed.refs


def test_a_document_with_merge_keys_is_left_to_the_general_composer() -> None:
    parsed = assert_same(CASES["merge keys"])
    assert parsed is not None and parsed.refs is None
    assert parsed.data["x"] == {"a": 9, "c": 2}


def test_a_key_given_twice_is_warned_about_once_with_both_lines() -> None:
    parsed = assert_same(CASES["a key given twice"])
    assert parsed is not None
    assert parsed.warnings == [
        Problem(
            "spec.yaml",
            "/x/a",
            "duplicate key 'a' (first on line 4): the later value is used",
            6,
            "warning",
        )
    ]


def test_the_longest_value_bounds_every_string() -> None:
    parsed = assert_same(CASES["a long value"])
    assert parsed is not None and parsed.longest == 70_000


def test_lines_of_a_source_never_parsed_are_read_on_demand() -> None:
    source = (H + "x:\n  a: 1\n  b:\n    - c\n# never parsed\n").encode()
    assert [line_of(source, p) for p in ("/x", "/x/a", "/x/b", "/x/b/0", "/y")] == [
        4, 4, 6, 6, None
    ]  # fmt: skip


def test_lines_of_json_follow_its_text() -> None:
    source = b'{"openapi": "3.1.0",\n "x": {"a": [1,\n  2]}}'
    parse(source, "spec.json", Limits())
    assert [line_of(source, p) for p in ("/openapi", "/x", "/x/a/0", "/x/a/1")] == [1, 2, 2, 3]


@pytest.mark.slow
@pytest.mark.skipif(not OPENAI.is_file(), reason="the full OpenAI spec is not in ../shared")
def test_they_agree_on_the_full_openai_spec() -> None:
    parsed = assert_same(OPENAI.read_bytes())
    assert parsed is not None and parsed.refs is not None


# ------------------------------------------------------------------------------- property

SCALARS = ["a", "1", "-2", "0x1f", "1.5", ".nan", "true", "no", "~", "''", "'1'", '"a"',
           "!!str 1", "! 2", "=", "<<", "2020-01-01", "[]", "{}"]  # fmt: skip
KEYS = ["a", "b", "1", "'1'", "1.0", "true", "~", "$ref", "x/y", "<<"]


def document(seed: int) -> str:
    """A random flow-style YAML document with anchors, aliases, tags and odd keys."""
    rng = random.Random(seed)
    anchors: list[str] = []

    def node(depth: int) -> str:
        roll = rng.random()
        if anchors and roll < 0.1:
            return "*" + rng.choice(anchors)
        anchor = f"&{rng.choice('pq')} " if rng.random() < 0.15 else ""
        if depth > 3 or roll < 0.45:
            text = anchor + rng.choice(SCALARS)
        elif roll < 0.8:
            pairs = [f"{rng.choice(KEYS)}: {node(depth + 1)}" for _ in range(rng.randint(0, 4))]
            text = anchor + "{" + ", ".join(pairs) + "}"
        else:
            text = anchor + "[" + ", ".join(node(depth + 1) for _ in range(rng.randint(0, 4))) + "]"
        if anchor:
            anchors.append(anchor[1])
        return text

    return node(0) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    depth=st.sampled_from([3, 256]),
    aliases=st.sampled_from([5, 1_000_000]),
)
def test_they_agree_on_random_documents(seed: int, depth: int, aliases: int) -> None:
    assert_same(document(seed), Limits(max_depth=depth, max_alias_nodes=aliases))
