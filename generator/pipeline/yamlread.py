"""Parse YAML or JSON text into JSON-shaped data within limits, with located problems.

YAML is read event by event (libyaml when present) by a composer of our own, because the
one PyYAML ships refuses what YAML 1.2 allows (an anchor defined twice: later definitions
win for later aliases) and is blind to what hurts us. Ours, in the same single pass:

* rejects nesting deeper than the depth limit, and aliases that would expand the document
  by more than the alias limit (sizes are counted on the node graph, never expanded);
* rejects recursive aliases, non-scalar keys, tags with no JSON meaning (``!!binary``,
  ``!!set``, custom tags) and integers Python cannot turn into text;
* reports a duplicate mapping key as a warning; the later value is used, as JSON parsers do.

Two readers share that contract. The fast reader (:func:`_read_fast`) builds the data
straight from the events, in one loop with the open collection in local variables: no node
graph, no constructor (a plain scalar's value is looked up by its text; only numbers,
booleans and null are constructed). It keeps what locating problems needs, the line where
each node starts (:data:`Lines`), rather than the graph, and lists on the way the mappings
with a ``$ref`` and the longest value, which spare the loader two walks of the data.
Whatever it does not handle it hands over by raising: merge keys (``<<``), keys given twice,
and every error. The source is then read again by the general composer (:class:`_Composer`,
then PyYAML's constructor), which says what is wrong, so there is one place that decides
errors and warnings. On the full OpenAI spec (3 MB) a parse takes 0.38x the CPU time it
took with the general composer alone (0.15 s against 0.41 s), two thirds of it libyaml
making the events (``bench/bench_read.py``). Merge keys are found by a look at the text
first, so such a document is not read twice; one with a key given twice is.

JSON is read by :func:`json.loads` with hooks that catch the same duplicate keys and huge
integers, then walked once (iteratively) for depth.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, NoReturn, TypeAlias

import attrs
import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from ..errors import GeneratorError, Problem, pointer_join
from . import without_cyclic_gc
from .limits import Limits, describe

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MERGE = _TAG + "merge"
_MAP, _SEQ = _TAG + "map", _TAG + "seq"


class SpecLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML loader for JSON-shaped documents: dates stay strings and mapping keys are
    always strings (an unquoted ``200:`` status code is the key ``"200"``)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if all(isinstance(key, str) for key in mapping):
            return mapping
        return {_json_key(key): value for key, value in mapping.items()}


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TAG + "timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@attrs.frozen
class Parsed:
    """Parsed data and the warnings found on the way (duplicate keys).

    When the fast reader read it, also what it saw on the way, so that the loader need not
    walk the data again to learn it (both None otherwise): ``refs``, the pointer of every
    mapping with a ``$ref`` key and the mapping, in the order :func:`.load.iter_refs` finds
    them; ``longest``, the length of the longest value's text, which no string value is
    longer than.
    """

    data: Any
    warnings: list[Problem]
    refs: list[tuple[str, dict[str, Any]]] | None = None
    longest: int | None = None


def parse(source: bytes, filename: str, limits: Limits) -> Parsed:
    """Parse ``source`` (JSON when ``filename`` ends in ``.json``, else YAML) within ``limits``.

    Raises :class:`GeneratorError` with located problems; never any other exception.
    """
    with without_cyclic_gc():
        try:
            if filename.endswith(".json"):
                return _parse_json(source, filename, limits)
            return _parse_yaml(source, filename, limits)
        except GeneratorError:
            raise
        except RecursionError:
            message = f"nested too deeply to read; the limit is {_depth(limits)}"
            raise GeneratorError([Problem(filename, "", message)]) from None
        except MemoryError:
            raise GeneratorError([Problem(filename, "", "too large to read into memory")]) from None
        except Exception as exc:  # a parser's own failure on odd input is still a located error
            message = f"cannot read: {type(exc).__name__}: {_first_line(str(exc))}"
            raise GeneratorError([Problem(filename, "", message)]) from None


# --------------------------------------------------------------------------------------------
# YAML


def _parse_yaml(source: bytes, filename: str, limits: Limits) -> Parsed:
    read = _try_fast(source, limits)
    if read is None:
        return _parse_yaml_composed(source, filename, limits)
    remember_lines(source, read.lines)
    return Parsed(read.data, [], read.refs, read.longest)


# A merge key (``<<:``) is left to the general composer; with this test first, such a
# document is not read twice. (The test may be wrong both ways: it only saves time.)
_MERGE_KEY = re.compile(rb"<<[ \t]*:")


def _try_fast(source: bytes, limits: Limits | None) -> _Read | None:
    """What the fast reader reads, or None when the general composer must read it."""
    if _MERGE_KEY.search(source) is not None:
        return None
    loader = SpecLoader(source)
    try:
        return _read_fast(loader, limits)
    except Exception:  # anything unusual: the general composer reads it again, and says what
        return None
    finally:
        loader.dispose()


def _parse_yaml_composed(source: bytes, filename: str, limits: Limits) -> Parsed:
    """Parse by composing a node graph and constructing it (:class:`_Composer`)."""
    loader = SpecLoader(source)
    composer = _Composer(loader, filename, limits)
    try:
        node = composer.compose()
        if node is None:
            remember_lines(source, None)
            return Parsed(None, composer.warnings)
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise _yaml_problem(exc, filename) from None
        finally:  # after construction, which flattens merge keys (``<<``) in the graph
            remember_lines(source, _lines_of_graph(node))
        return Parsed(data, composer.warnings)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = str(getattr(exc, "problem", None) or exc)
        if "maximum nesting depth" in reason:  # libyaml's own limit, 1,000 levels
            limit = min(limits.max_depth, 1000)
            message = f"nested deeper than the limit of {describe('max_depth', limit)}"
            if limit < limits.max_depth:
                message = "nested deeper than libyaml's limit of 1,000 levels"
            problem = Problem(filename, composer._pointer(), message, line)
            raise GeneratorError([problem]) from None
        raise _yaml_problem(exc, filename) from None
    except UnicodeDecodeError as exc:
        raise GeneratorError([Problem(filename, "", f"not UTF-8 text: {exc.reason}")]) from None
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError, filename: str) -> GeneratorError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    reason = getattr(exc, "problem", None) or str(exc)
    return GeneratorError([Problem(filename, "", f"invalid YAML: {reason}", line)])


class _Frame:
    """An open mapping or sequence: its node, the key awaiting its value, its size so far."""

    __slots__ = ("key", "keys", "node", "size")

    def __init__(self, node: yaml.CollectionNode) -> None:
        self.node = node
        self.key: yaml.Node | None = None
        self.size = 1
        self.keys: dict[str, int] | None = {} if isinstance(node, yaml.MappingNode) else None


class _Composer:
    """Builds the YAML node graph from parser events without recursion, checking limits.

    With ``limits=None`` it only builds the graph (to find the lines of pointers later).
    """

    def __init__(self, loader: Any, filename: str, limits: Limits | None) -> None:
        self.loader = loader
        self.filename = filename
        self.limits = limits
        self.anchors: dict[str, yaml.Node] = {}
        self.sizes: dict[int, int] = {}  # id(anchored node) -> its size with aliases expanded
        self.open_anchored: set[int] = set()  # anchored collections not finished yet
        self.expanded = 0  # nodes aliases have added so far
        self.stack: list[_Frame] = []
        self.warnings: list[Problem] = []

    def compose(self) -> yaml.Node | None:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            loader.get_event()
            return None
        loader.get_event()  # document start
        node = self._document()
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            event = loader.get_event()
            self._fail(event, "has more than one YAML document; a spec is exactly one", pointer="")
        return node

    def _document(self) -> yaml.Node:
        get_event = self.loader.get_event
        stack = self.stack
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                node: yaml.Node = self._scalar(event)
                size = 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self._open(event, kind is MappingStartEvent)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                node, size = frame.node, frame.size
                if id(node) in self.open_anchored:
                    self.open_anchored.discard(id(node))
                    self.sizes[id(node)] = size
            elif kind is AliasEvent:
                node, size = self._alias(event)
            else:  # pragma: no cover - the parser emits only the events above here
                self._fail(event, f"unexpected YAML event {kind.__name__}")
            if not stack:
                return node
            self._attach(stack[-1], node, size, event)

    def _open(self, event: Any, mapping: bool) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _MAP if mapping else _SEQ
        elif tag != (_MAP if mapping else _SEQ):
            self._fail(event, f"YAML tag {_short_tag(tag)!r} has no JSON equivalent")
        node_class = yaml.MappingNode if mapping else yaml.SequenceNode
        node = node_class(tag, [], event.start_mark, event.end_mark, flow_style=event.flow_style)
        if self.limits is not None and len(self.stack) >= self.limits.max_depth:
            limit = describe("max_depth", self.limits.max_depth)
            self._fail(event, f"nested deeper than the limit of {limit}")
        if event.anchor is not None:
            self.anchors[event.anchor] = node  # a later definition wins for later aliases
            self.open_anchored.add(id(node))
        self.stack.append(_Frame(node))

    def _scalar(self, event: Any) -> yaml.ScalarNode:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        if self.limits is not None:
            self._check_scalar(node, event)
        if event.anchor is not None:
            self.anchors[event.anchor] = node
            self.sizes[id(node)] = 1
        return node

    def _check_scalar(self, node: yaml.ScalarNode, event: Any) -> None:
        if node.tag not in _SCALAR_TAGS and node.tag != _MERGE:
            self._fail(event, f"YAML tag {_short_tag(node.tag)!r} has no JSON equivalent")
        if node.tag == _TAG + "int":
            digits = len(node.value.lstrip("+-").replace("_", ""))
            if digits > int_digit_limit() > 0 and not node.value.lstrip("+-").startswith("0x"):
                self._fail(event, _huge_integer(digits))

    def _alias(self, event: Any) -> tuple[yaml.Node, int]:
        node = self.anchors.get(event.anchor)
        if node is None:
            self._fail(event, f"alias *{event.anchor} refers to no anchor defined before it")
        size = self.sizes.get(id(node))
        if size is None:  # the anchored node is still open: the alias is inside it
            self._fail(event, f"alias *{event.anchor} is inside the node it refers to (a cycle)")
        if self.limits is not None:
            self.expanded += size
            if self.expanded > self.limits.max_alias_nodes:
                limit = describe("max_alias_nodes", self.limits.max_alias_nodes)
                message = f"aliases expand the document by more than the limit of {limit}"
                self._fail(event, message)
        return node, size

    def _attach(self, frame: _Frame, node: yaml.Node, size: int, event: Any) -> None:
        frame.size += size
        parent = frame.node
        if frame.keys is None:
            parent.value.append(node)
        elif frame.key is None:
            if not isinstance(node, yaml.ScalarNode):
                self._fail(event, "a mapping key must be a string or a number")
            frame.key = node
        else:
            key, frame.key = frame.key, None
            parent.value.append((key, node))
            if self.limits is not None and key.tag != _MERGE:
                self._check_duplicate(frame, frame.keys, key)

    def _check_duplicate(self, frame: _Frame, keys: dict[str, int], key: yaml.Node) -> None:
        line = key.start_mark.line + 1
        first = keys.get(key.value)
        if first is None:
            keys[key.value] = line
            return
        pointer = pointer_join(self._pointer(until=frame), key.value)
        message = f"duplicate key {key.value!r} (first on line {first}): the later value is used"
        self.warnings.append(Problem(self.filename, pointer, message, line, "warning"))

    def _pointer(self, until: _Frame | None = None) -> str:
        """The JSON pointer of the node being composed (or of the ``until`` frame)."""
        parts: list[str] = []
        for frame in self.stack:
            if frame is until:
                break
            if frame.keys is None:
                parts.append(str(len(frame.node.value)))
            elif frame.key is not None:
                parts.append(str(frame.key.value))
        return pointer_join("", *parts)

    def _fail(self, event: Any, message: str, pointer: str | None = None) -> NoReturn:
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        where = self._pointer() if pointer is None else pointer
        raise GeneratorError([Problem(self.filename, where, message, line)])


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def int_digit_limit() -> int:
    """Python's limit on the digits of an integer converted from or to text (0: none)."""
    getter = getattr(sys, "get_int_max_str_digits", None)
    return int(getter()) if getter is not None else 0


def _huge_integer(digits: int) -> str:
    return (
        f"an integer of {digits:,} digits is more than Python's limit of "
        f"{int_digit_limit():,} digits for integers written as text"
    )


# --------------------------------------------------------------------------------------------
# The fast reader


Lines: TypeAlias = "int | tuple[int, dict[str, Lines] | list[Lines]]"
"""Where each node of a document starts (0-based lines), shaped like the node graph: a
scalar's line, or a collection's line with its children's (a mapping's by key text, the
later of two equal keys winning)."""


class _Unusual(Exception):
    """Raised by the fast reader for what it leaves to the general composer."""


_STR = _TAG + "str"
_PENDING: Any = object()  # a mapping waiting for its next key


class _Read(NamedTuple):
    data: Any
    lines: Lines | None
    refs: list[tuple[str, dict[str, Any]]]
    longest: int


def _read_fast(loader: Any, limits: Limits | None) -> _Read:
    """The data and lines of a YAML stream in one pass over its events, with what
    :class:`Parsed` keeps besides.

    It builds what composing a node graph and constructing it builds, for documents that
    read without a problem, with no key given twice and no merge keys (``<<``); on anything
    else it raises (:class:`_Unusual`, or the parser's or a constructor's own error), and
    the caller reads the source again with the general composer, which reports the
    problem or warning. The frame being filled is held in local variables and only its
    parents are on a stack; a plain scalar's value is looked up by its text.
    """
    if loader.yaml_path_resolvers:  # tags would depend on where a node is, not its text alone
        raise _Unusual
    get_event = loader.get_event
    max_depth = limits.max_depth if limits is not None else sys.maxsize
    max_alias = limits.max_alias_nodes if limits is not None else sys.maxsize
    plain: dict[str, Any] = {}  # plain scalar text -> its value
    # An anchor's name -> (value, lines, size, text if a scalar), or, while its collection
    # is open, the node count when it opened (an alias to it then would be a cycle).
    anchors: dict[str, Any] = {}
    stack: list[tuple[Any, ...]] = []  # the parents' frames, as the locals below
    # The frame being filled: its data, its lines, whether it is a mapping, the key awaiting
    # its value (text and data; _PENDING when none), whether a key is not a string, the node
    # count when it opened, its line, and its anchor.
    container: Any = None
    lines: Any = None
    is_map = False
    raw: Any = _PENDING
    key: Any = None
    odd_keys = False
    start = 0
    line = 0
    anchor: str | None = None
    count = 0  # nodes so far, aliases counted at their size
    expanded = 0  # nodes aliases added
    longest = 0  # the longest value's text
    holders: list[tuple[int, dict[str, Any], str]] = []  # (node count, mapping, pointer)
    pointers: dict[int, tuple[Any, str]] = {}  # see _pointer_of

    get_event()  # stream start
    if type(get_event()) is StreamEndEvent:
        return _Read(None, None, [], 0)
    while True:
        event = get_event()
        kind = type(event)
        if kind is ScalarEvent:
            text = event.value
            if event.tag is not None:
                value: Any = _tagged_value(loader, event)
            elif event.implicit[0]:
                value = plain.get(text, _PENDING)
                if value is _PENDING:
                    value = plain[text] = _plain_value(loader, event)
            else:
                value = text  # quoted, or a block scalar
            count += 1
            entry: Any = event.start_mark.line
            if event.anchor is not None:
                anchors[event.anchor] = (value, entry, 1, text)
            if is_map and raw is _PENDING:  # a key
                raw, key = text, value
                if type(value) is not str:
                    odd_keys = True
                continue
            if len(text) > longest:
                longest = len(text)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            tag = event.tag
            if (
                tag is not None
                and tag != "!"
                and tag != (_MAP if kind is MappingStartEvent else _SEQ)
            ):
                raise _Unusual
            if len(stack) >= max_depth:
                raise _Unusual
            stack.append((container, lines, is_map, raw, key, odd_keys, start, line, anchor))
            line = event.start_mark.line
            start = count
            count += 1
            is_map = kind is MappingStartEvent
            if is_map:
                container, lines, raw, odd_keys = {}, {}, _PENDING, False
            else:
                container, lines = [], []
            anchor = event.anchor
            if anchor is not None:
                anchors[anchor] = start  # a later definition wins for later aliases
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = container
            if odd_keys:  # keys that are numbers, booleans or null become their JSON text
                value = {_json_key(k): v for k, v in container.items()}
                if len(value) != len(lines):  # two keys are one (1 and 1.0, "16" and 0x10)
                    raise _Unusual
            if is_map and "$ref" in value:
                holders.append((start, value, _pointer_of(stack, pointers)))
            entry = (line, lines)
            if anchor is not None and anchors[anchor] == start:
                anchors[anchor] = (value, entry, count - start, None)
            container, lines, is_map, raw, key, odd_keys, start, line, anchor = stack.pop()
            text = None
        elif kind is AliasEvent:
            found = anchors.get(event.anchor)
            if type(found) is not tuple:  # no such anchor, or the alias is inside it
                raise _Unusual
            value, entry, size, text = found
            count += size
            expanded += size
            if expanded > max_alias:
                raise _Unusual
        else:
            raise _Unusual
        # Attach the finished node to the frame being filled.
        if is_map:
            if raw is not _PENDING:
                if raw in lines:  # a key given twice: the general composer warns
                    raise _Unusual
                container[key] = value
                lines[raw] = entry
                raw = _PENDING
            elif text is not None:  # an alias as a key
                raw, key = text, value
                if type(value) is not str:
                    odd_keys = True
            else:
                raise _Unusual  # a collection as a key
        elif container is not None:
            container.append(value)
            lines.append(entry)
        else:
            root = value
            break
    get_event()  # document end
    if type(get_event()) is not StreamEndEvent:
        raise _Unusual  # more than one document
    # Mappings are listed as they end; sorted as they open, they are in the order a walk of
    # the data meets them, which is the text's (no key is given twice).
    holders.sort(key=lambda holder: holder[0])
    return _Read(root, entry, [(pointer, mapping) for _, mapping, pointer in holders], longest)


def _plain_value(loader: Any, event: Any) -> Any:
    """A plain scalar's value: its text, or the number, boolean or null it reads as."""
    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    return event.value if tag == _STR else _construct_scalar(loader, tag, event)


def _tagged_value(loader: Any, event: Any) -> Any:
    tag = event.tag
    if tag == "!":  # the non-specific tag: resolved like a plain scalar (libyaml marks it so)
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    return event.value if tag == _STR else _construct_scalar(loader, tag, event)


def _construct_scalar(loader: Any, tag: str, event: Any) -> Any:
    """A scalar that is not a string: a number, boolean or null, as the constructor makes
    it; :class:`_Unusual` for what the general composer refuses or handles (merge keys)."""
    if tag not in _SCALAR_TAGS:
        raise _Unusual
    text = event.value
    if tag == _TAG + "int":
        digits = text.lstrip("+-")
        limit = int_digit_limit()
        if limit and len(digits.replace("_", "")) > limit and not digits.startswith("0x"):
            raise _Unusual
    node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
    return loader.yaml_constructors[tag](loader, node)


def _pointer_of(parents: list[tuple[Any, ...]], known: dict[int, tuple[Any, str]]) -> str:
    """The JSON pointer, in the data, of the node whose parents' frames are ``parents``.

    A parent's frame stays the same while the node is open, so ``known`` keeps the pointer
    each frame leads to (with the frame, so that its id is not reused), and siblings
    share the work.
    """
    depth = len(parents)
    while depth and id(parents[depth - 1]) not in known:
        depth -= 1
    pointer = known[id(parents[depth - 1])][1] if depth else ""
    for frame in parents[depth:]:
        if frame[2]:  # a mapping: the key awaiting this value
            key = frame[4]
            pointer = pointer_join(pointer, key if type(key) is str else _json_key(key))
        elif frame[0] is not None:  # a sequence: this value's index
            pointer = pointer_join(pointer, len(frame[0]))
        known[id(frame)] = (frame, pointer)
    return pointer


def _lines_of_graph(root: yaml.Node | None) -> Lines | None:
    """The lines of a node graph made by the general composer (shared nodes stay shared)."""
    if root is None:
        return None
    made: dict[int, Lines] = {}
    pending: list[tuple[yaml.Node, dict[str, Lines] | list[Lines]]] = []

    def entry(node: yaml.Node) -> Lines:  # a collection is made empty, and filled below
        if isinstance(node, yaml.ScalarNode):
            return int(node.start_mark.line)
        found = made.get(id(node))
        if found is None:
            children: dict[str, Lines] | list[Lines] = (
                {} if isinstance(node, yaml.MappingNode) else []
            )
            found = made[id(node)] = (int(node.start_mark.line), children)
            pending.append((node, children))
        return found

    top = entry(root)
    while pending:
        node, children = pending.pop()
        if isinstance(children, dict):
            for key, value in node.value:
                children[key.value] = entry(value)
        else:
            children.extend(entry(value) for value in node.value)
    return top


# --------------------------------------------------------------------------------------------
# Lines of pointers


_LINES_CACHE: collections.OrderedDict[bytes, Lines | None] = collections.OrderedDict()
_LINES_CACHE_SIZE = 4


def remember_lines(source: bytes, lines: Lines | None) -> None:
    """Keep the lines of a source's nodes, so that locating its problems needs no second parse."""
    _LINES_CACHE[source] = lines
    _LINES_CACHE.move_to_end(source)
    while len(_LINES_CACHE) > _LINES_CACHE_SIZE:
        _LINES_CACHE.popitem(last=False)


def lines_of(source: bytes) -> Lines | None:
    """Where the nodes of a source start (JSON is YAML enough), or None if it is not YAML."""
    if source in _LINES_CACHE:
        _LINES_CACHE.move_to_end(source)
        return _LINES_CACHE[source]
    with without_cyclic_gc():
        read = _try_fast(source, None)
        lines = read.lines if read is not None else _compose_lines(source)
    remember_lines(source, lines)
    return lines


def _compose_lines(source: bytes) -> Lines | None:
    loader = SpecLoader(source)
    try:
        return _lines_of_graph(_Composer(loader, "", None).compose())
    except Exception:  # unreadable source: problems in it simply have no line
        return None
    finally:
        loader.dispose()


# --------------------------------------------------------------------------------------------
# JSON


class _HugeInteger(str):
    """An integer too long for Python, kept as its text until it is reported."""


def _parse_json(source: bytes, filename: str, limits: Limits) -> Parsed:
    duplicates: dict[int, list[str]] = {}
    digit_limit = int_digit_limit()

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping = dict(items)
        if len(mapping) != len(items):
            counts = collections.Counter(k for k, _ in items)
            duplicates[id(mapping)] = [k for k, n in counts.items() if n > 1]
        return mapping

    def integer(text: str) -> int | str:
        if digit_limit and len(text) > digit_limit:
            return _HugeInteger(text)
        return int(text)

    try:
        data = json.loads(source, object_pairs_hook=pairs, parse_int=integer)
    except json.JSONDecodeError as exc:
        raise GeneratorError(
            [Problem(filename, "", f"invalid JSON: {exc.msg}", exc.lineno)]
        ) from None
    except UnicodeDecodeError as exc:
        raise GeneratorError([Problem(filename, "", f"not UTF-8 text: {exc.reason}")]) from None
    except RecursionError:
        line = _json_line_at_depth(source, limits.max_depth)
        message = f"nested deeper than the limit of {_depth(limits)}"
        raise GeneratorError([Problem(filename, "", message, line)]) from None
    try:
        warnings = list(_check_json(data, filename, limits, duplicates))
    except GeneratorError as error:
        raise GeneratorError(_with_lines(error.problems, source)) from None
    return Parsed(data, _with_lines(warnings, source))


def _with_lines(problems: Iterable[Problem], source: bytes) -> list[Problem]:
    from .load import line_of

    return [
        p if p.line is not None else attrs.evolve(p, line=line_of(source, p.pointer))
        for p in problems
    ]


def _check_json(
    data: Any, filename: str, limits: Limits, duplicates: dict[int, list[str]]
) -> Iterator[Problem]:
    """Depth and huge integers are errors; duplicate keys are warnings (the last one wins)."""
    errors: list[Problem] = []
    # Entries: (container, depth, parent entry, key in parent); pointers are built on demand.
    stack: list[tuple[Any, int, Any, str]] = [(data, 0, None, "")]
    while stack and not errors:
        entry = stack.pop()
        node, depth = entry[0], entry[1]
        if depth >= limits.max_depth:  # the top level is the first
            message = f"nested deeper than the limit of {_depth(limits)}"
            errors.append(Problem(filename, _entry_pointer(entry), message))
            break
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(value, dict | list):
                stack.append((value, depth + 1, entry, str(key)))
            elif type(value) is _HugeInteger:
                pointer = pointer_join(_entry_pointer(entry), str(key))
                errors.append(Problem(filename, pointer, _huge_integer(len(value.lstrip("-")))))
        for key in duplicates.get(id(node), ()) if isinstance(node, dict) else ():
            pointer = pointer_join(_entry_pointer(entry), key)
            message = f"duplicate key {key!r}: the later value is used"
            yield Problem(filename, pointer, message, severity="warning")
    if errors:
        raise GeneratorError(errors)


def _entry_pointer(entry: Any) -> str:
    parts: list[str] = []
    while entry is not None and entry[2] is not None:
        parts.append(entry[3])
        entry = entry[2]
    return pointer_join("", *reversed(parts))


_JSON_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}\n]")


def _json_line_at_depth(source: bytes, limit: int) -> int | None:
    """The line where JSON text first nests deeper than ``limit`` (strings skipped)."""
    text = _JSON_STRING.sub(b'""', source)
    depth, line = 0, 1
    for match in _BRACKET.finditer(text):
        char = match.group()
        if char == b"\n":
            line += 1
        elif char in b"[{":
            depth += 1
            if depth > limit:
                return line
        else:
            depth -= 1
    return None


def _depth(limits: Limits) -> str:
    return describe("max_depth", limits.max_depth)


def _first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return line if len(line) <= limit else line[: limit - 3] + "..."
