"""``diff``: the changes between two specs that matter to a generated client.

Both specs are built into the IR (``ir.Api``) with their own client config, and the two
IRs are compared. Every change says whether it breaks code written against the client
generated from the OLD spec. Whether a model, enum or union is on the request side, the
response side or both is decided by reachability from the operations: request bodies and
parameters reach the request side, answers (JSON and event streams) the response side. A
named thing no operation reaches is exported all the same, so it counts as both sides.

Classification (request side = values the caller sends, response side = values it reads):

=============================  ==========================  ==========================
change                         request side                response side
=============================  ==========================  ==========================
model / enum / union added     fine                        fine
model / enum / union removed   breaking                    breaking
model / enum / union renamed   breaking (class renamed)    breaking
field added, optional          fine                        fine
field added, required          breaking (must be passed)   fine
field removed                  breaking (TypeError)        breaking (attribute gone)
optional -> required           breaking                    fine
required -> optional           fine                        breaking (may be UNSET)
became nullable                fine                        breaking (may be None)
became non-nullable            breaking                    fine
type widened                   fine                        breaking
type narrowed                  breaking                    fine
type changed (incomparable)    breaking                    breaking
enum value added               fine                        fine (unknown values are
                                                           read as plain ``str``)
enum value removed, closed     breaking                    fine (no longer received)
enum value removed, open       fine (any string accepted)  fine
bounds tightened               breaking (server rejects)   fine (bounds are not
bounds loosened                fine                        checked by the client)
event / union variant added    fine                        fine (``UnknownEvent``)
event / union variant removed  breaking                    breaking
operation added                fine (new method)
operation removed              breaking (method gone)
client method renamed          breaking
request content type added     fine (new method)
request content type removed   breaking (method gone)
success response added         fine (e.g. a stream overload)
success response removed       breaking (return type)
error response added/removed   fine (errors raise the same exception types)
=============================  ==========================  ==========================

Removing an event type is breaking: code that matches on it, or waits for it (a terminal
``*.completed`` event), never sees it again. Removing a value of an enum takes its member
constant away too; the classification above is about the values on the wire, and the
message names the constant so that code using it can be found (``generate --changelog``
reports the Python-level change).

Bounds (minimum, maxLength, maxItems, pattern, multipleOf, integer enums, ...) are compared
as the values ``ir.Bounds`` holds.

Exit codes of ``python -m generator diff``: 0 no breaking change, 1 at least one breaking
change (for CI gates), 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import attrs

from ..errors import GeneratorError, Problem, pointer_join
from ..pipeline import ir
from ..pipeline.build import build_api, spec_config_path
from ..pipeline.config import load_config
from ..pipeline.load import load_document

Side = Literal["request", "response"]
BOTH: frozenset[str] = frozenset({"request", "response"})


@attrs.frozen
class Change:
    """One change between two specs that a generated client can notice."""

    kind: str  # e.g. "field_added", "enum_value_removed", "type_narrowed"
    location: (
        str  # "Model.field", "Enum.MEMBER", "operationId", "operationId 200 text/event-stream"
    )
    breaking: bool  # for code written against the client generated from the old spec
    message: str
    where: str = ""  # JSON pointer into the new spec, or into the old one for removals
    where_in: Literal["old", "new"] = "new"
    sides: tuple[str, ...] = ()  # "request" and/or "response", when it applies

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "location": self.location,
            "breaking": self.breaking,
            "message": self.message,
            "where": self.where,
            "where_in": self.where_in,
            "sides": list(self.sides),
        }


# ---------------------------------------------------------------- command line


def load_api(spec: Path) -> ir.Api:
    """The IR of ``spec``, built with the client config beside it (defaults when absent)."""
    document = load_document(spec)
    return build_api(document, load_config(spec_config_path(spec)))


def main(args: argparse.Namespace) -> int:
    """``python -m generator diff OLD NEW [--format text|json]``."""
    problems: list[Problem] = []
    apis: list[ir.Api] = []
    for spec in (args.old, args.new):
        try:
            apis.append(load_api(spec))
        except GeneratorError as error:
            problems += error.problems
    if problems:
        raise GeneratorError(problems)
    changes = diff_apis(apis[0], apis[1])
    if args.format == "json":
        print(json.dumps(report_json(changes, str(args.old), str(args.new)), indent=2))
    else:
        print(report_text(changes), end="")
    return 1 if any(c.breaking for c in changes) else 0


def report_json(changes: list[Change], old: str, new: str) -> dict[str, Any]:
    breaking = sum(c.breaking for c in changes)
    return {
        "old": old,
        "new": new,
        "breaking": breaking > 0,
        "summary": {"changes": len(changes), "breaking": breaking},
        "changes": [c.to_json() for c in changes],
    }


def report_text(changes: list[Change]) -> str:
    if not changes:
        return "no changes that matter to the client\n"
    lines = []
    for change in changes:
        mark = "BREAKING" if change.breaking else "ok      "
        where = f"  [{change.where_in} #{change.where}]" if change.where else ""
        lines.append(f"{mark} {change.kind} {change.location}: {change.message}{where}")
    breaking = sum(c.breaking for c in changes)
    noun = "change" if len(changes) == 1 else "changes"
    lines.append(f"{len(changes)} {noun}, {breaking} breaking")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- reachability


class Usage:
    """Which side (request, response) reaches each named model, enum and union of an API."""

    def __init__(self, api: ir.Api) -> None:
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}
        self.unions = {u.name: u for u in api.unions}
        self._sides: dict[str, set[str]] = {}
        self.closed_in_request: set[str] = set()  # enums some request value uses closed
        self.body_methods: dict[str, list[str]] = {}  # body model -> client methods sending it
        self.stream_unions: set[str] = set()
        for op in api.operations:
            for body in op.bodies:
                method = f"client.{op.resource}.{body.method_name}"
                self.body_methods.setdefault(body.model, []).append(method)
                self._walk(ir.ModelRef(body.model), "request")
            for param in op.parameters:
                self._walk(param.type, "request")
            for response in op.responses:
                if response.type is not None:
                    self._walk(response.type, "response")
                if response.stream is not None and isinstance(response.stream.type, ir.UnionRef):
                    self.stream_unions.add(response.stream.type.name)

    def sides(self, name: str) -> frozenset[str]:
        """The sides reaching ``name``; both when no operation reaches it."""
        return frozenset(self._sides.get(name) or BOTH)

    def _walk(self, type_: ir.TypeRef, side: Side) -> None:
        match type_:
            case ir.EnumRef(name=name, open=is_open):
                if side == "request" and not is_open:
                    self.closed_in_request.add(name)
                self._sides.setdefault(name, set()).add(side)
            case ir.ModelRef(name=name) | ir.UnionRef(name=name):
                seen = self._sides.setdefault(name, set())
                if side in seen:
                    return
                seen.add(side)
                if name in self.models:
                    model = self.models[name]
                    for field in model.fields:
                        self._walk(field.type, side)
                    if model.extra is not None:
                        self._walk(model.extra, side)
                elif name in self.unions:
                    union = self.unions[name]
                    for variant in union.variants:
                        self._walk(variant, side)
                    mapped = union.discriminator.mapping if union.discriminator else ()
                    for _, model_name in (*mapped, *union.by_event):
                        self._walk(ir.ModelRef(model_name), side)
            case ir.ListOf(item=inner) | ir.MapOf(value=inner):
                self._walk(inner, side)
            case ir.Union(variants=variants):
                for variant in variants:
                    self._walk(variant, side)


# ---------------------------------------------------------------- type relations


@attrs.frozen
class _EnumAtom:
    """A string enum inside a compared type: its values travel with it.

    Two atoms of the same enum compare equal whatever their values: value changes are
    reported once, by the enum comparison, not again by every field that uses the enum.
    """

    name: str
    open: bool
    values: frozenset[str] = attrs.field(eq=False)


Relation = Literal["same", "equivalent", "widened", "narrowed", "changed"]


def _normalize(
    type_: ir.TypeRef, enums: dict[str, ir.Enum], renames: dict[str, str], side: Side
) -> Any:
    """The type with enums made self-contained and old names mapped to their new names.

    On the response side every enum is read as ``Enum | str``, so openness does not matter.
    """
    match type_:
        case ir.EnumRef(name=name, open=is_open):
            values = (
                frozenset(m.value for m in enums[name].members) if name in enums else frozenset()
            )
            return _EnumAtom(renames.get(name, name), is_open or side == "response", values)
        case ir.ModelRef(name=name):
            return ir.ModelRef(renames.get(name, name))
        case ir.UnionRef(name=name):
            return ir.UnionRef(renames.get(name, name))
        case ir.ListOf(item=item):
            return ir.ListOf(_normalize(item, enums, renames, side))
        case ir.MapOf(value=value):
            return ir.MapOf(_normalize(value, enums, renames, side))
        case ir.Union(variants=variants):
            return ir.Union(tuple(_normalize(v, enums, renames, side) for v in variants))
    return type_


def _atoms(type_: Any) -> tuple[Any, ...]:
    return type_.variants if isinstance(type_, ir.Union) else (type_,)


def covers(wide: Any, narrow: Any) -> bool:
    """Whether every value of ``narrow`` is also a value of ``wide`` (normalized types)."""
    return all(any(_atom_covers(w, n) for w in _atoms(wide)) for n in _atoms(narrow))


def _atom_covers(wide: Any, narrow: Any) -> bool:
    if wide == narrow or isinstance(wide, ir.AnyValue):
        return True
    match wide, narrow:
        case ir.Primitive(kind="float"), ir.Primitive(kind="int"):
            return True  # a JSON number accepts integers
        case ir.Primitive(kind=kind), ir.Const(value=value):
            return _const_kind(value) == kind or (kind == "float" and _const_kind(value) == "int")
        case ir.Primitive(kind="str"), _EnumAtom():
            return True
        case _EnumAtom(open=True), ir.Primitive(kind="str"):
            return True
        case _EnumAtom(), ir.Const(value=str() as value):
            return wide.open or value in wide.values
        case _EnumAtom(), _EnumAtom():
            if wide.open:
                return True
            if narrow.open:
                return False
            return wide.name == narrow.name or narrow.values <= wide.values
        case ir.ListOf(item=w), ir.ListOf(item=n):
            return covers(w, n)
        case ir.MapOf(value=w), ir.MapOf(value=n):
            return covers(w, n)
    return False


def _const_kind(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "bool"
    return "int" if isinstance(value, int) else "str"


def relation(old: Any, new: Any) -> Relation:
    """How the normalized type ``new`` relates to ``old``."""
    if old == new:
        return "same"
    wider, narrower = covers(new, old), covers(old, new)
    if wider and narrower:
        return "equivalent"
    if wider:
        return "widened"
    return "narrowed" if narrower else "changed"


def show(type_: ir.TypeRef) -> str:
    """A short Python-like spelling of an IR type, for messages."""
    match type_:
        case ir.Primitive(kind=kind):
            return kind
        case ir.AnyValue():
            return "Any"
        case ir.File():
            return "file"
        case ir.ListOf(item=item):
            return f"list[{show(item)}]"
        case ir.MapOf(value=value):
            return f"dict[str, {show(value)}]"
        case ir.ModelRef(name=name) | ir.UnionRef(name=name):
            return name
        case ir.EnumRef(name=name, open=is_open):
            return f"{name} | str" if is_open else name
        case ir.Const(value=value):
            return f"Literal[{value!r}]"
        case ir.Union(variants=variants):
            return " | ".join(show(v) for v in variants)
    raise AssertionError(type_)


# ---------------------------------------------------------------- bounds


_LOWER = frozenset({"minimum", "exclusive_minimum", "min_length", "min_items"})
_UPPER = frozenset({"maximum", "exclusive_maximum", "max_length", "max_items"})


def bounds(found: ir.Bounds) -> dict[str, Any]:
    """The bounds that are set, by name; allowed enum values as a set."""
    values = {k: v for k, v in attrs.asdict(found, recurse=False).items() if v is not None}
    if "values" in values:
        values["values"] = frozenset(values["values"])
    return values


def bound_direction(key: str, old: Any, new: Any) -> Literal["tightened", "loosened", "changed"]:
    """What a bound change does to the set of accepted values."""
    if old is None:
        return "tightened"
    if new is None:
        return "loosened"
    if isinstance(old, frozenset) and isinstance(new, frozenset):
        if new <= old:
            return "tightened"
        return "loosened" if old <= new else "changed"
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new))
    if numbers and key in _LOWER:
        return "tightened" if new > old else "loosened"
    if numbers and key in _UPPER:
        return "tightened" if new < old else "loosened"
    if numbers and key == "multiple_of" and old and new:
        if float(new / old).is_integer():
            return "tightened"
        if float(old / new).is_integer():
            return "loosened"
    return "changed"


# ---------------------------------------------------------------- the comparison


@attrs.frozen
class _Slot:
    """A model field, a parameter or a body argument: something with a name and a type."""

    location: str
    noun: str  # "field", "parameter", "argument"
    wire: str
    py: str
    type: ir.TypeRef
    required: bool
    bounds: ir.Bounds
    pointer: str
    sides: frozenset[str]
    used_by: tuple[str, ...] = ()  # client methods that take it as an argument


def diff_apis(old: ir.Api, new: ir.Api) -> list[Change]:
    """The changes from ``old`` to ``new`` that a generated client can notice, classified."""
    return _Differ(old, new).run()


class _Differ:
    def __init__(self, old: ir.Api, new: ir.Api) -> None:
        self.old, self.new = old, new
        self.old_usage, self.new_usage = Usage(old), Usage(new)
        self.renames: dict[str, str] = {}
        self.changes: list[Change] = []

    def run(self) -> list[Change]:
        models = self._pair("model", self.old_usage.models, self.new_usage.models)
        enums = self._pair("enum", self.old_usage.enums, self.new_usage.enums)
        unions = self._pair("union", self.old_usage.unions, self.new_usage.unions)
        self._operations()
        for old_model, new_model in models:
            self._model(old_model, new_model)
        for old_enum, new_enum in enums:
            self._enum(old_enum, new_enum)
        for old_union, new_union in unions:
            self._union(old_union, new_union)
        return self.changes

    def _field_change(
        self,
        kind: str,
        text: str,
        new: _Slot,
        where: str,
        sides: frozenset[str],
        request: tuple[bool, str],
        response: tuple[bool, str],
    ) -> None:
        """Emit a change of one field, judged for the sides that use it."""
        breaking, why = _judge(sides, request, response)
        self._emit(kind, new.location, breaking, f"{new.noun} {new.wire} {text}: {why}", where,
                   "new", sides)  # fmt: skip

    def _emit(
        self,
        kind: str,
        location: str,
        breaking: bool,
        message: str,
        where: str,
        where_in: Literal["old", "new"] = "new",
        sides: Iterable[str] = (),
    ) -> None:
        self.changes.append(
            Change(kind, location, breaking, message, where, where_in, tuple(sorted(sides)))
        )

    def _sides(self, old_name: str | None, new_name: str | None = None) -> frozenset[str]:
        """Sides as the old client used the thing; for new things, as the new one does."""
        if old_name is not None and old_name in self._old_names():
            return self.old_usage.sides(old_name)
        return self.new_usage.sides(new_name or old_name or "")

    def _old_names(self) -> set[str]:
        return {*self.old_usage.models, *self.old_usage.enums, *self.old_usage.unions}

    # ------------------------------------------------------------ named things

    def _pair(self, noun: str, old: dict[str, Any], new: dict[str, Any]) -> list[tuple[Any, Any]]:
        """Match by name, then by pointer (a rename); report what was added or removed."""
        pairs = [(old[name], new[name]) for name in old if name in new]
        removed = [old[name] for name in old if name not in new]
        added = {new[name].pointer: new[name] for name in new if name not in old}
        for thing in removed:
            twin = added.pop(thing.pointer, None)
            sides = self.old_usage.sides(thing.name)
            if twin is not None:
                self.renames[thing.name] = twin.name
                pairs.append((thing, twin))
                self._emit(
                    f"{noun}_renamed",
                    thing.name,
                    True,
                    f"{noun} {thing.name} is now {twin.name} (same schema): code naming "
                    f"{thing.name} breaks",
                    twin.pointer,
                    "new",
                    sides,
                )
            else:
                self._emit(
                    f"{noun}_removed",
                    thing.name,
                    True,
                    f"{noun} {thing.name} removed: code importing or using it breaks",
                    thing.pointer,
                    "old",
                    sides,
                )
        for thing in added.values():
            sides = self.new_usage.sides(thing.name)
            self._emit(
                f"{noun}_added",
                thing.name,
                False,
                f"new {noun} {thing.name}",
                thing.pointer,
                "new",
                sides,
            )
        return pairs

    def _model(self, old: ir.Model, new: ir.Model) -> None:
        sides = self._sides(old.name, new.name)
        used_by = tuple(self.old_usage.body_methods.get(old.name, ()))
        self._slots(
            [self._field_slot(new.name, f, sides, used_by) for f in old.fields],
            [self._field_slot(new.name, f, sides, used_by) for f in new.fields],
        )

    @staticmethod
    def _field_slot(
        model: str, field: ir.Field, sides: frozenset[str], used_by: tuple[str, ...]
    ) -> _Slot:
        return _Slot(
            f"{model}.{field.wire_name}",
            "field",
            field.wire_name,
            field.py_name,
            field.type,
            field.required,
            field.doc.bounds,
            field.pointer,
            sides,
            used_by,
        )

    def _enum(self, old: ir.Enum, new: ir.Enum) -> None:
        sides = self._sides(old.name, new.name)
        old_values = {m.value: m for m in old.members}
        new_values = {m.value: m for m in new.members}
        closed = old.name in self.old_usage.closed_in_request
        for value, member in new_values.items():
            if value in old_values:
                continue
            response_why = (
                "response enums tolerate unknown values, so the old client already reads it "
                "as a plain str"
            )
            breaking, why = _judge(sides, (False, "callers may now send it"), (False, response_why))
            self._emit(
                "enum_value_added",
                f"{new.name}.{member.name}",
                breaking,
                f"value {value!r} added to {new.name}: {why}",
                new.pointer,
                "new",
                sides,
            )
        for value, member in old_values.items():
            if value in new_values:
                continue
            if closed:
                request = (
                    True,
                    f"callers sending {value!r} are rejected and the argument type "
                    "no longer lists it",
                )
            else:
                request = (False, "the enum is open, so any string is still accepted")
            breaking, why = _judge(sides, request, (False, "readers no longer receive it"))
            self._emit(
                "enum_value_removed",
                f"{old.name}.{member.name}",
                breaking,
                f"value {value!r} removed from {old.name}: {why}; the constant "
                f"{old.name}.{member.name} goes away",
                old.pointer,
                "old",
                sides,
            )

    def _union(self, old: ir.UnionDef, new: ir.UnionDef) -> None:
        sides = self._sides(old.name, new.name)
        old_tags, new_tags = _tags(old), _tags(new)
        if old_tags is None or new_tags is None:
            self._type_change(
                new.name,
                "union",
                ir.Union(old.variants),
                ir.Union(new.variants),
                sides,
                new.pointer,
            )
            return
        streamed = (
            new.name in self.new_usage.stream_unions or old.name in self.old_usage.stream_unions
        )
        noun = "event type" if streamed else "variant"
        kind = "event_type" if streamed else "union_variant"
        for tag, model in new_tags.items():
            if tag not in old_tags:
                self._emit(
                    f"{kind}_added",
                    f"{new.name}[{tag}]",
                    False,
                    f"{noun} {tag!r} ({model}) added to {new.name}: the old client reads it as "
                    f"{old.fallback or 'an unknown value'}",
                    new.pointer,
                    "new",
                    sides,
                )
            elif self.renames.get(old_tags[tag], old_tags[tag]) != model:
                self._emit(
                    f"{kind}_changed",
                    f"{new.name}[{tag}]",
                    True,
                    f"{noun} {tag!r} of {new.name} is now {model}, was {old_tags[tag]}",
                    new.pointer,
                    "new",
                    sides,
                )
        for tag, model in old_tags.items():
            if tag not in new_tags:
                self._emit(
                    f"{kind}_removed",
                    f"{old.name}[{tag}]",
                    True,
                    f"{noun} {tag!r} ({model}) removed from {old.name}: code that matches on "
                    "it or waits for it never sees it again",
                    old.pointer,
                    "old",
                    sides,
                )

    # ------------------------------------------------------------ fields, parameters, arguments

    def _slots(self, old: list[_Slot], new: list[_Slot]) -> None:
        new_by_wire = {s.wire: s for s in new}
        old_by_wire = {s.wire: s for s in old}
        for slot in new:
            if slot.wire not in old_by_wire:
                self._slot_added(slot)
        for slot in old:
            if slot.wire not in new_by_wire:
                self._slot_removed(slot)
            else:
                self._slot_changed(slot, new_by_wire[slot.wire])

    def _slot_added(self, slot: _Slot) -> None:
        callers = _callers(slot)
        if slot.required:
            request = (True, f"{callers} must now pass {slot.py}=")
            response = (False, f"readers gain .{slot.py}")
        else:
            request = (False, f"{callers} may pass {slot.py}=")
            response = (False, f"readers gain .{slot.py}")
        breaking, why = _judge(slot.sides, request, response)
        state = "required" if slot.required else "optional"
        self._emit(
            f"{slot.noun}_added",
            slot.location,
            breaking,
            f"{state} {slot.noun} {slot.wire} added: {why}",
            slot.pointer,
            "new",
            slot.sides,
        )

    def _slot_removed(self, slot: _Slot) -> None:
        request = (True, f"{_callers(slot)} passing {slot.py}= fail with a TypeError")
        response = (True, f"code reading .{slot.py} breaks")
        breaking, why = _judge(slot.sides, request, response)
        self._emit(
            f"{slot.noun}_removed",
            slot.location,
            breaking,
            f"{slot.noun} {slot.wire} removed: {why}",
            slot.pointer,
            "old",
            slot.sides,
        )

    def _slot_changed(self, old: _Slot, new: _Slot) -> None:
        sides = old.sides
        where = new.pointer
        if old.py != new.py:
            self._emit(
                f"{new.noun}_renamed",
                new.location,
                True,
                f"{new.noun} {new.wire} is now spelled {new.py} in Python, was {old.py}",
                where,
                "new",
                sides,
            )
        if old.required != new.required:
            if new.required:
                request = (True, f"{_callers(old)} must now pass {new.py}=")
                response = (False, "readers can rely on it")
                kind, text = "required_added", "became required"
            else:
                request = (False, f"{_callers(old)} may leave it out")
                response = (True, f"readers relying on .{new.py} may now get UNSET")
                kind, text = "required_removed", "became optional"
            self._field_change(kind, text, new, where, sides, request, response)
        was_nullable, is_nullable = ir.is_nullable(old.type), ir.is_nullable(new.type)
        if was_nullable != is_nullable:
            if is_nullable:
                request = (False, f"{_callers(old)} may now pass None")
                response = (True, f"readers of .{new.py} may now get None")
                kind, text = "nullable_added", "became nullable"
            else:
                request = (True, f"{_callers(old)} passing None are rejected")
                response = (False, "readers no longer get None")
                kind, text = "nullable_removed", "is no longer nullable"
            self._field_change(kind, text, new, where, sides, request, response)
        if old.type != ir.NONE and new.type != ir.NONE:
            self._type_change(
                new.location,
                new.noun,
                ir.without_none(old.type),
                ir.without_none(new.type),
                sides,
                where,
                _callers(old),
            )
        self._bounds(old, new)

    def _type_change(
        self,
        location: str,
        noun: str,
        old: ir.TypeRef,
        new: ir.TypeRef,
        sides: frozenset[str],
        where: str,
        callers: str = "calls",
    ) -> None:
        verdicts: dict[str, Relation] = {}
        for side in ("request", "response"):
            old_norm = _normalize(old, self.old_usage.enums, self.renames, side)
            new_norm = _normalize(new, self.new_usage.enums, {}, side)
            verdicts[side] = relation(old_norm, new_norm)
        relevant = {verdicts[s] for s in sides}
        if relevant <= {"same"}:
            return
        effects = {
            "same": ((False, "no change"), (False, "no change")),
            "equivalent": (
                (False, "the same values are accepted"),
                (False, "the same values are read"),
            ),
            "widened": (
                (False, f"{callers} may pass more kinds of values"),
                (True, "readers may now get values the old type did not allow"),
            ),
            "narrowed": (
                (True, f"{callers} passing values the new type excludes are rejected"),
                (False, "readers get fewer kinds of values"),
            ),
            "changed": ((True, "old arguments no longer fit"), (True, "readers get another type")),
        }
        request = effects[verdicts["request"]][0]
        response = effects[verdicts["response"]][1]
        breaking, why = _judge(sides, request, response)
        order = ("changed", "widened", "narrowed", "equivalent")
        main = next(v for v in order if v in relevant)
        kind = {"widened": "type_widened", "narrowed": "type_narrowed"}.get(main, "type_changed")
        self._emit(
            kind,
            location,
            breaking,
            f"{noun} type {show(old)} -> {show(new)}: {why}",
            where,
            "new",
            sides,
        )

    def _bounds(self, old: _Slot, new: _Slot) -> None:
        old_bounds, new_bounds = bounds(old.bounds), bounds(new.bounds)
        for key in [*old_bounds, *(k for k in new_bounds if k not in old_bounds)]:
            before, after = old_bounds.get(key), new_bounds.get(key)
            if before == after:
                continue
            direction = bound_direction(key, before, after)
            request_breaks = direction != "loosened"
            request = (
                request_breaks,
                f"{_callers(old)} passing values outside the new bound are rejected"
                if request_breaks
                else f"{_callers(old)} may pass more values",
            )
            response = (False, "the client does not check bounds, so it still reads every value")
            breaking, why = _judge(old.sides, request, response)
            text = f"{key} {_show_bound(before)} -> {_show_bound(after)}"
            self._emit(
                f"bounds_{direction}",
                new.location,
                breaking,
                f"{new.noun} {new.wire} {text}: {why}",
                new.pointer,
                "new",
                old.sides,
            )

    # ------------------------------------------------------------ operations

    def _operations(self) -> None:
        new_ops = list(self.new.operations)
        by_id = {op.operation_id: op for op in new_ops}
        by_route = {(op.http_method, op.path): op for op in new_ops}
        matched: set[int] = set()
        for old in self.old.operations:
            new = by_id.get(old.operation_id) or by_route.get((old.http_method, old.path))
            if new is None or id(new) in matched:
                self._emit(
                    "operation_removed",
                    old.operation_id,
                    True,
                    f"operation {old.http_method} {old.path} removed: "
                    f"{', '.join(_methods(old))} disappear(s)",
                    old.pointer,
                    "old",
                )
                continue
            matched.add(id(new))
            self._operation(old, new)
        for new in new_ops:
            if id(new) not in matched:
                self._emit(
                    "operation_added",
                    new.operation_id,
                    False,
                    f"new operation {new.http_method} {new.path}: {', '.join(_methods(new))}",
                    new.pointer,
                    "new",
                )

    def _operation(self, old: ir.Operation, new: ir.Operation) -> None:
        location = new.operation_id
        if old.operation_id != new.operation_id:
            self._emit(
                "operation_id_changed",
                location,
                False,
                f"operationId {old.operation_id!r} is now {new.operation_id!r}",
                new.pointer,
                "new",
            )
        if (old.http_method, old.path) != (new.http_method, new.path):
            self._emit(
                "route_changed",
                location,
                False,
                f"now {new.http_method} {new.path}, was {old.http_method} {old.path} "
                "(the client hides the route)",
                new.pointer,
                "new",
            )
        if not old.bodies and not new.bodies and _methods(old) != _methods(new):
            self._renamed(location, _methods(old)[0], _methods(new)[0], new.pointer)
        self._parameters(old, new)
        self._bodies(old, new)
        self._responses(old, new)

    def _renamed(self, location: str, old: str, new: str, where: str) -> None:
        self._emit(
            "method_renamed",
            location,
            True,
            f"client method {old} is now {new}: calls to {old} break",
            where,
            "new",
        )

    def _parameters(self, old: ir.Operation, new: ir.Operation) -> None:
        def slots(op: ir.Operation) -> list[_Slot]:
            where = pointer_join(op.pointer, "parameters")
            return [
                _Slot(
                    f"{new.operation_id}.{p.location}.{p.wire_name}",
                    "parameter",
                    f"{p.location}:{p.wire_name}",
                    p.py_name,
                    p.type,
                    p.required,
                    p.doc.bounds,
                    where,
                    frozenset({"request"}),
                    tuple(_methods(op)),
                )
                for p in op.parameters
            ]

        self._slots(slots(old), slots(new))

    def _bodies(self, old: ir.Operation, new: ir.Operation) -> None:
        old_bodies = {b.content_type: b for b in old.bodies}
        new_bodies = {b.content_type: b for b in new.bodies}
        for content_type, body in new_bodies.items():
            where = pointer_join(new.pointer, "requestBody", "content", content_type)
            location = f"{new.operation_id} request {content_type}"
            method = f"client.{new.resource}.{body.method_name}"
            if content_type not in old_bodies:
                self._emit(
                    "content_type_added",
                    location,
                    False,
                    f"request body {content_type} added: new client method {method}",
                    where,
                    "new",
                    ("request",),
                )
                continue
            before = old_bodies[content_type]
            old_method = f"client.{old.resource}.{before.method_name}"
            if old_method != method:
                self._renamed(location, old_method, method, where)
            if self.renames.get(before.model, before.model) != body.model:
                # Another schema: compare the arguments the method takes.
                self._slots(
                    [self._argument(old, before, f, location) for f in before.fields],
                    [self._argument(new, body, f, location) for f in body.fields],
                )
        for content_type, body in old_bodies.items():
            if content_type not in new_bodies:
                method = f"client.{old.resource}.{body.method_name}"
                self._emit(
                    "content_type_removed",
                    f"{old.operation_id} request {content_type}",
                    True,
                    f"request body {content_type} removed: client method {method} disappears",
                    pointer_join(old.pointer, "requestBody", "content", content_type),
                    "old",
                    ("request",),
                )

    @staticmethod
    def _argument(op: ir.Operation, body: ir.RequestBody, field: ir.Field, location: str) -> _Slot:
        method = f"client.{op.resource}.{body.method_name}"
        return _Slot(
            f"{location}.{field.wire_name}",
            "argument",
            field.wire_name,
            field.py_name,
            field.type,
            field.required,
            field.doc.bounds,
            field.pointer,
            frozenset({"request"}),
            (method,),
        )

    def _responses(self, old: ir.Operation, new: ir.Operation) -> None:
        old_responses = {(r.status, r.content_type): r for r in old.responses}
        new_responses = {(r.status, r.content_type): r for r in new.responses}
        response_only = frozenset({"response"})
        for key, response in new_responses.items():
            status, content_type = key
            location = f"{new.operation_id} {status} {content_type or '(no content)'}"
            where = pointer_join(new.pointer, "responses", status)
            if content_type:
                where = pointer_join(where, "content", content_type)
            if key not in old_responses:
                what = "an event stream" if response.kind == "event-stream" else response.kind
                detail = (
                    "the client gains a way to receive it"
                    if status.startswith("2")
                    else "errors raise the same exception types"
                )
                self._emit(
                    "content_type_added",
                    location,
                    False,
                    f"response {status} {content_type or ''} added ({what}): {detail}".replace(
                        "  ", " "
                    ),
                    where,
                    "new",
                    ("response",),
                )
                continue
            before = old_responses[key]
            if before.type is not None and response.type is not None:
                self._type_change(
                    location, "response", before.type, response.type, response_only, where
                )
            elif (before.type is None) != (response.type is None):
                self._emit(
                    "type_changed",
                    location,
                    status.startswith("2"),
                    f"response body {'gained' if response.type is not None else 'lost'} a type "
                    f"({response.kind}, was {before.kind})",
                    where,
                    "new",
                    ("response",),
                )
        for key in old_responses:
            if key in new_responses:
                continue
            status, content_type = key
            where = pointer_join(old.pointer, "responses", status)
            if content_type:
                where = pointer_join(where, "content", content_type)
            success = status.startswith("2")
            detail = (
                "code relying on this answer (its return type or stream) breaks"
                if success
                else "errors raise the same exception types"
            )
            self._emit(
                "content_type_removed",
                f"{old.operation_id} {status} {content_type or '(no content)'}",
                success,
                f"response {status} {content_type} removed: {detail}",
                where,
                "old",
                ("response",),
            )


# ---------------------------------------------------------------- helpers


def _judge(
    sides: frozenset[str], request: tuple[bool, str], response: tuple[bool, str]
) -> tuple[bool, str]:
    """Breaking when it breaks on a side that uses the thing; the reasons of those sides."""
    breaking = False
    reasons = []
    for side, (breaks, why) in (("request", request), ("response", response)):
        if side in sides:
            breaking = breaking or breaks
            reasons.append(why if len(sides) == 1 else f"in {side}s, {why}")
    return breaking, "; ".join(reasons)


def _callers(slot: _Slot) -> str:
    if slot.used_by:
        return "calls to " + " and ".join(slot.used_by)
    model = slot.location.split(".", 1)[0]
    return f"{model}(...) calls" if slot.noun == "field" else "calls"


def _methods(op: ir.Operation) -> list[str]:
    names = [b.method_name for b in op.bodies] or [op.method_name]
    return [f"client.{op.resource}.{name}" for name in names]


def _tags(union: ir.UnionDef) -> dict[str, str] | None:
    """Discriminator values (or SSE event names) of a tag-chosen union, to model names."""
    if union.discriminator is not None:
        return dict(union.discriminator.mapping)
    if union.by_event:
        return dict(union.by_event)
    return None


def _show_bound(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(repr(v) for v in value)) + "}"
    return str(value)
