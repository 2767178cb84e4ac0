"""The breaking-change engine: two ``ir.Api`` values in, a list of :class:`Change` out.

Every change says whether it breaks code written against the client generated from the
OLD API. ``diff`` builds both APIs from specs; ``generate --changelog`` loads the old one
from the package's API description (``_api.json``). Both call :func:`diff_apis`.

Sides: whether a model, enum or union is on the request side (values the caller sends),
the response side (values it reads) or both comes from :mod:`.usage`.

=================================  ==========================  ==========================
change                             request side                response side
=================================  ==========================  ==========================
model / enum / union added         fine                        fine
model / enum / union removed       breaking                    breaking
model / enum / union renamed       breaking (class renamed)    breaking
field added, optional              fine                        fine
field added, required              breaking (must be passed)   fine
field removed                      breaking (TypeError)        breaking (attribute gone)
field renamed in Python            breaking                    breaking
optional -> required               breaking                    fine
required -> optional               fine                        breaking (may be UNSET)
became nullable                    fine                        breaking (may be None)
became non-nullable                breaking                    fine
type widened                       fine                        breaking
type narrowed                      breaking                    fine
type changed (incomparable)        breaking                    breaking
default changed, deprecated        fine (documentation)        fine
enum value added                   fine                        fine (unknown values are
                                                               read as plain ``str``)
enum value removed, closed         breaking                    fine (no longer received)
enum value removed, open           fine (any string accepted)  fine
enum constant renamed              breaking                    breaking
bounds tightened                   breaking (server rejects)   fine (bounds are not
bounds loosened                    fine                        checked by the client)
extra properties closed            breaking                    fine
extra properties opened            fine                        fine
field rule added                   breaking                    fine
event / union variant added        fine                        fine (``UnknownEvent``)
event / union variant removed      breaking                    breaking
event / union variant retargeted   breaking                    breaking
discriminator property changed     breaking                    breaking
unknown-value fallback removed     breaking                    breaking
operation added                    fine (new method)
operation removed                  breaking (method gone)
client method renamed              breaking
request content type added         fine (new method)
request content type removed       breaking (method gone)
request body encoding changed      breaking
stream flag added                  fine (``stream=True`` overloads)
stream flag removed or renamed     breaking
success response added             fine (e.g. a stream overload)
success response removed           breaking (return type)
success response kind changed      breaking
stream terminal events changed     breaking (when a stream ends)
error response added/removed       fine (errors raise the same exception types)
package renamed                    breaking (imports change)
API key / base URL env renamed     breaking (deployments set the old variable)
default base URL or auth changed   fine (code is unchanged)
anything without a rule here       breaking (see :mod:`.generic`)
=================================  ==========================  ==========================

Removing an event type is breaking: code that matches on it, or waits for it (a terminal
``*.completed`` event), never sees it again. Removing a value of an enum takes its member
constant away too; the classification above is about the values on the wire, and the
message names the constant so that code using it can be found.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import attrs

from ...errors import pointer_join
from ...pipeline import ir
from .bounds import bound_direction, bounds, show_bound
from .generic import unhandled
from .types import Relation, Side, normalize, relation, show
from .usage import Usage, targets

Verdict = tuple[bool, str]  # (breaking, why) for one side


@attrs.frozen
class Change:
    """One change between two APIs that a generated client can notice."""

    kind: str  # e.g. "field_added", "enum_value_removed", "type_narrowed"
    location: str  # "Model.field", "Enum.MEMBER", "operationId", "operationId 200 text/..."
    breaking: bool  # for code written against the client generated from the old API
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


@attrs.frozen
class Member:
    """A model field, a parameter or a body argument: something with a name and a type."""

    location: str
    noun: str  # "field", "parameter", "argument"
    wire: str
    py: str
    type: ir.TypeRef
    required: bool
    doc: ir.Doc
    pointer: str
    sides: frozenset[str]
    used_by: tuple[str, ...] = ()  # client methods that take it as an argument
    source: Any = attrs.field(default=None, eq=False)  # the IR object it was made from


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
        self._api()
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

    # ------------------------------------------------------------ emitting

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

    def _judged(
        self,
        kind: str,
        location: str,
        text: str,
        where: str,
        sides: frozenset[str],
        request: Verdict,
        response: Verdict,
        where_in: Literal["old", "new"] = "new",
    ) -> None:
        """Emit a change judged for the sides that use the thing: ``text: why``."""
        breaking, why = _judge(sides, request, response)
        self._emit(kind, location, breaking, f"{text}: {why}", where, where_in, sides)

    def _unhandled(
        self, noun: str, location: str, old: Any, new: Any, where: str, sides: Iterable[str] = ()
    ) -> None:
        """Report differences the engine has no rule for, as breaking."""
        for attribute, before, after in unhandled(old, new):
            what = f"{noun} {attribute}" if attribute else noun
            self._emit(
                "changed",
                location,
                True,
                f"{what} changed: {_brief(before)} -> {_brief(after)} (no rule says this is "
                "safe, so it counts as breaking)",
                where,
                "new",
                sides,
            )

    def _sides(self, old_name: str | None, new_name: str | None = None) -> frozenset[str]:
        """Sides as the old client used the thing; for new things, as the new one does."""
        if old_name is not None and old_name in self._old_names():
            return self.old_usage.sides(old_name)
        return self.new_usage.sides(new_name or old_name or "")

    def _old_names(self) -> set[str]:
        return {*self.old_usage.models, *self.old_usage.enums, *self.old_usage.unions}

    # ------------------------------------------------------------ the package

    def _api(self) -> None:
        old, new = self.old, self.new
        if old.package_name != new.package_name:
            self._emit(
                "package_renamed",
                new.package_name,
                True,
                f"package {old.package_name} is now {new.package_name}: imports must change",
                "",
            )
        for attribute, what in (("api_key_env", "API key"), ("base_url_env", "base URL")):
            before, after = getattr(old, attribute), getattr(new, attribute)
            if before != after:
                self._emit(
                    "environment_renamed",
                    new.package_name,
                    True,
                    f"the {what} is now read from ${after}, was ${before}: deployments "
                    f"setting ${before} break",
                    "",
                )
        if old.base_url != new.base_url:
            self._emit(
                "base_url_changed",
                new.package_name,
                False,
                f"default base URL {old.base_url} -> {new.base_url}",
                "/servers",
            )
        if old.auth != new.auth:
            self._emit(
                "auth_changed",
                new.package_name,
                False,
                f"the key is now sent as {_auth(new.auth)}, was {_auth(old.auth)}: calling "
                "code is unchanged",
                "",
            )
        self._unhandled("package", new.package_name, old, new, "")
        self._unhandled("auth", new.package_name, old.auth, new.auth, "")

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
            self._emit(
                f"{noun}_added",
                thing.name,
                False,
                f"new {noun} {thing.name}",
                thing.pointer,
                "new",
                self.new_usage.sides(thing.name),
            )
        return pairs

    def _model(self, old: ir.Model, new: ir.Model) -> None:
        sides = self._sides(old.name, new.name)
        used_by = tuple(self.old_usage.body_methods.get(old.name, ()))
        self._members(
            [self._field_member(new.name, f, sides, used_by) for f in old.fields],
            [self._field_member(new.name, f, sides, used_by) for f in new.fields],
        )
        self._extra(old, new, sides)
        self._rules(old, new, sides)
        self._deprecation("model", new.name, old.doc, new.doc, new.pointer, sides)
        self._unhandled("model", new.name, old, new, new.pointer, sides)
        self._unhandled("model", new.name, old.doc, new.doc, new.pointer, sides)

    @staticmethod
    def _field_member(
        model: str, field: ir.Field, sides: frozenset[str], used_by: tuple[str, ...]
    ) -> Member:
        return Member(
            f"{model}.{field.wire_name}",
            "field",
            field.wire_name,
            field.py_name,
            field.type,
            field.required,
            field.doc,
            field.pointer,
            sides,
            used_by,
            field,
        )

    def _extra(self, old: ir.Model, new: ir.Model, sides: frozenset[str]) -> None:
        """``additionalProperties``: closed (None) or the type of unknown properties."""
        location = f"{new.name}.*"
        if old.extra is not None and new.extra is not None:
            self._type_change(
                location, "additional properties", old.extra, new.extra, sides, new.pointer
            )
        elif old.extra is None and new.extra is not None:
            self._judged(
                "extra_properties_opened",
                location,
                f"{new.name} now allows properties it does not list",
                new.pointer,
                sides,
                (False, "callers may send more"),
                (False, "readers already keep unknown properties"),
            )
        elif old.extra is not None and new.extra is None:
            self._judged(
                "extra_properties_closed",
                location,
                f"{new.name} no longer allows properties it does not list",
                new.pointer,
                sides,
                (True, "callers sending other properties are rejected"),
                (False, "readers get fewer properties"),
            )

    def _rules(self, old: ir.Model, new: ir.Model, sides: frozenset[str]) -> None:
        added = [rule for rule in new.rules if rule not in old.rules]
        removed = [rule for rule in old.rules if rule not in new.rules]
        if added:
            self._judged(
                "field_rule_added",
                new.name,
                f"{len(added)} rule(s) between the fields of {new.name} added",
                new.pointer,
                sides,
                (True, "calls that break the new rule raise"),
                (False, "readers are unaffected"),
            )
        if removed:
            self._judged(
                "field_rule_removed",
                new.name,
                f"{len(removed)} rule(s) between the fields of {new.name} removed",
                new.pointer,
                sides,
                (False, "calls are checked less"),
                (False, "readers are unaffected"),
            )

    def _enum(self, old: ir.Enum, new: ir.Enum) -> None:
        sides = self._sides(old.name, new.name)
        old_values = {m.value: m for m in old.members}
        new_values = {m.value: m for m in new.members}
        closed = old.name in self.old_usage.closed_in_request
        for value, member in new_values.items():
            if value in old_values:
                before = old_values[value]
                if before.name != member.name:
                    self._emit(
                        "enum_member_renamed",
                        f"{new.name}.{member.name}",
                        True,
                        f"the constant for {value!r} is now {new.name}.{member.name}, was "
                        f"{old.name}.{before.name}: code naming the old constant breaks",
                        new.pointer,
                        "new",
                        sides,
                    )
                continue
            self._judged(
                "enum_value_added",
                f"{new.name}.{member.name}",
                f"value {value!r} added to {new.name}",
                new.pointer,
                sides,
                (False, "callers may now send it"),
                (
                    False,
                    "response enums tolerate unknown values, so the old client already reads "
                    "it as a plain str",
                ),
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
        self._unhandled("enum", new.name, old, new, new.pointer, sides)
        self._unhandled("enum", new.name, old.doc, new.doc, new.pointer, sides)

    def _union(self, old: ir.UnionDef, new: ir.UnionDef) -> None:
        sides = self._sides(old.name, new.name)
        self._unhandled("union", new.name, old, new, new.pointer, sides)
        self._unhandled("union", new.name, old.doc, new.doc, new.pointer, sides)
        if old.fallback is not None and new.fallback is None:
            self._emit(
                "fallback_removed",
                new.name,
                True,
                f"{new.name} no longer reads unknown values as {old.fallback}: they now fail",
                new.pointer,
                "new",
                sides,
            )
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
        before = old.discriminator.property if old.discriminator else None
        after = new.discriminator.property if new.discriminator else None
        if before and after and before != after:
            self._emit(
                "discriminator_changed",
                new.name,
                True,
                f"{new.name} is now told apart by {after!r}, was {before!r}",
                new.pointer,
                "new",
                sides,
            )
        streamed = (
            new.name in self.new_usage.stream_unions or old.name in self.old_usage.stream_unions
        )
        noun = "event type" if streamed else "variant"
        kind = "event_type" if streamed else "union_variant"
        for tag, models in new_tags.items():
            shown = " | ".join(models)
            if tag not in old_tags:
                self._emit(
                    f"{kind}_added",
                    f"{new.name}[{tag}]",
                    False,
                    f"{noun} {tag!r} ({shown}) added to {new.name}: the old client reads it as "
                    f"{old.fallback or 'an unknown value'}",
                    new.pointer,
                    "new",
                    sides,
                )
            elif tuple(self.renames.get(m, m) for m in old_tags[tag]) != models:
                was = " | ".join(old_tags[tag])
                self._emit(
                    f"{kind}_changed",
                    f"{new.name}[{tag}]",
                    True,
                    f"{noun} {tag!r} of {new.name} is now {shown}, was {was}",
                    new.pointer,
                    "new",
                    sides,
                )
        for tag, models in old_tags.items():
            if tag not in new_tags:
                self._emit(
                    f"{kind}_removed",
                    f"{old.name}[{tag}]",
                    True,
                    f"{noun} {tag!r} ({' | '.join(models)}) removed from {old.name}: code that "
                    "matches on it or waits for it never sees it again",
                    old.pointer,
                    "old",
                    sides,
                )

    # ------------------------------------------------------------ fields, parameters, arguments

    def _members(self, old: list[Member], new: list[Member]) -> None:
        new_by_wire = {m.wire: m for m in new}
        old_by_wire = {m.wire: m for m in old}
        for member in new:
            if member.wire not in old_by_wire:
                self._member_added(member)
        for member in old:
            if member.wire not in new_by_wire:
                self._member_removed(member)
            else:
                self._member_changed(member, new_by_wire[member.wire])

    def _member_added(self, member: Member) -> None:
        callers = _callers(member)
        if member.required:
            request = (True, f"{callers} must now pass {member.py}=")
        else:
            request = (False, f"{callers} may pass {member.py}=")
        state = "required" if member.required else "optional"
        self._judged(
            f"{member.noun}_added",
            member.location,
            f"{state} {member.noun} {member.wire} added",
            member.pointer,
            member.sides,
            request,
            (False, f"readers gain .{member.py}"),
        )

    def _member_removed(self, member: Member) -> None:
        self._judged(
            f"{member.noun}_removed",
            member.location,
            f"{member.noun} {member.wire} removed",
            member.pointer,
            member.sides,
            (True, f"{_callers(member)} passing {member.py}= fail with a TypeError"),
            (True, f"code reading .{member.py} breaks"),
            "old",
        )

    def _member_changed(self, old: Member, new: Member) -> None:
        sides = old.sides
        where = new.pointer
        text = f"{new.noun} {new.wire}"
        if old.py != new.py:
            self._emit(
                f"{new.noun}_renamed",
                new.location,
                True,
                f"{text} is now spelled {new.py} in Python, was {old.py}",
                where,
                "new",
                sides,
            )
        if old.required != new.required:
            if new.required:
                self._judged(
                    "required_added",
                    new.location,
                    f"{text} became required",
                    where,
                    sides,
                    (True, f"{_callers(old)} must now pass {new.py}="),
                    (False, "readers can rely on it"),
                )
            else:
                self._judged(
                    "required_removed",
                    new.location,
                    f"{text} became optional",
                    where,
                    sides,
                    (False, f"{_callers(old)} may leave it out"),
                    (True, f"readers relying on .{new.py} may now get UNSET"),
                )
        was_nullable, is_nullable = ir.is_nullable(old.type), ir.is_nullable(new.type)
        if was_nullable and not is_nullable:
            self._judged(
                "nullable_removed",
                new.location,
                f"{text} is no longer nullable",
                where,
                sides,
                (True, f"{_callers(old)} passing None are rejected"),
                (False, "readers no longer get None"),
            )
        elif is_nullable and not was_nullable:
            self._judged(
                "nullable_added",
                new.location,
                f"{text} became nullable",
                where,
                sides,
                (False, f"{_callers(old)} may now pass None"),
                (True, f"readers of .{new.py} may now get None"),
            )
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
        self._default(old, new)
        self._deprecation(new.noun, new.location, old.doc, new.doc, where, sides)
        self._unhandled(new.noun, new.location, old.source, new.source, where, sides)
        self._unhandled(new.noun, new.location, old.doc, new.doc, where, sides)

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
            side_: Side = "request" if side == "request" else "response"
            old_norm = normalize(old, self.old_usage.enums, self.renames, side_)
            new_norm = normalize(new, self.new_usage.enums, {}, side_)
            verdicts[side] = relation(old_norm, new_norm)
        relevant = {verdicts[s] for s in sides}
        if relevant <= {"same"}:
            return
        effects: dict[Relation, tuple[Verdict, Verdict]] = {
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
        order: tuple[Relation, ...] = ("changed", "widened", "narrowed", "equivalent")
        main = next(v for v in order if v in relevant)
        kind = {"widened": "type_widened", "narrowed": "type_narrowed"}.get(main, "type_changed")
        self._judged(
            kind,
            location,
            f"{noun} type {show(old)} -> {show(new)}",
            where,
            sides,
            request,
            response,
        )

    def _bounds(self, old: Member, new: Member) -> None:
        old_bounds, new_bounds = bounds(old.doc.bounds), bounds(new.doc.bounds)
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
            self._judged(
                f"bounds_{direction}",
                new.location,
                f"{new.noun} {new.wire} {key} {show_bound(before)} -> {show_bound(after)}",
                new.pointer,
                old.sides,
                request,
                (False, "the client does not check bounds, so it still reads every value"),
            )

    def _default(self, old: Member, new: Member) -> None:
        before = (old.doc.has_default, old.doc.default)
        after = (new.doc.has_default, new.doc.default)
        if before == after:
            return
        shown = [_brief(d.default) if d.has_default else "(none)" for d in (old.doc, new.doc)]
        self._emit(
            "default_changed",
            new.location,
            False,
            f"{new.noun} {new.wire} default {shown[0]} -> {shown[1]}: the client never sends "
            "defaults, so only what the server does when it is left out changes",
            new.pointer,
            "new",
            old.sides,
        )

    def _deprecation(
        self,
        noun: str,
        location: str,
        old: ir.Doc,
        new: ir.Doc,
        where: str,
        sides: Iterable[str] = (),
    ) -> None:
        if old.deprecated == new.deprecated:
            return
        state = "is now deprecated" if new.deprecated else "is no longer deprecated"
        kind = "deprecated" if new.deprecated else "undeprecated"
        self._emit(kind, location, False, f"{noun} {location} {state}", where, "new", sides)

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
        self._stream_field(old, new)
        self._deprecation("operation", location, old.doc, new.doc, new.pointer)
        self._unhandled("operation", location, old, new, new.pointer)
        self._unhandled("operation", location, old.doc, new.doc, new.pointer)
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

    def _stream_field(self, old: ir.Operation, new: ir.Operation) -> None:
        if old.stream_field == new.stream_field:
            return
        methods = ", ".join(_methods(new))
        if old.stream_field is None:
            self._emit(
                "stream_flag_added",
                new.operation_id,
                False,
                f"{methods} gain(s) {new.stream_field}=True overloads that return a stream; "
                "calls without it return what they did",
                new.pointer,
                "new",
                ("request",),
            )
        else:
            now = f"now {new.stream_field}=" if new.stream_field else "no longer"
            self._emit(
                "stream_flag_changed",
                new.operation_id,
                True,
                f"{methods} {now} choose(s) a stream, was {old.stream_field}=: calls passing "
                f"{old.stream_field}= break",
                new.pointer,
                "new",
                ("request",),
            )

    def _parameters(self, old: ir.Operation, new: ir.Operation) -> None:
        def members(op: ir.Operation) -> list[Member]:
            where = pointer_join(op.pointer, "parameters")
            return [
                Member(
                    f"{new.operation_id}.{p.location}.{p.wire_name}",
                    "parameter",
                    f"{p.location}:{p.wire_name}",
                    p.py_name,
                    p.type,
                    p.required,
                    p.doc,
                    where,
                    frozenset({"request"}),
                    tuple(_methods(op)),
                    p,
                )
                for p in op.parameters
            ]

        self._members(members(old), members(new))

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
            if before.encoding != body.encoding:
                self._emit(
                    "body_encoding_changed",
                    location,
                    True,
                    f"{method} now sends its body as {body.encoding}, was {before.encoding}",
                    where,
                    "new",
                    ("request",),
                )
            self._unhandled("request body", location, before, body, where, ("request",))
            if self.renames.get(before.model, before.model) != body.model:
                # Another schema: compare the arguments the method takes.
                self._members(
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
    def _argument(op: ir.Operation, body: ir.RequestBody, field: ir.Field, location: str) -> Member:
        return Member(
            f"{location}.{field.wire_name}",
            "argument",
            field.wire_name,
            field.py_name,
            field.type,
            field.required,
            field.doc,
            field.pointer,
            frozenset({"request"}),
            (f"client.{op.resource}.{body.method_name}",),
            field,
        )

    def _responses(self, old: ir.Operation, new: ir.Operation) -> None:
        old_responses = {(r.status, r.content_type): r for r in old.responses}
        new_responses = {(r.status, r.content_type): r for r in new.responses}
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
                    if response.is_success
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
            self._response(old_responses[key], response, location, where)
        for key, response in old_responses.items():
            if key in new_responses:
                continue
            status, content_type = key
            where = pointer_join(old.pointer, "responses", status)
            if content_type:
                where = pointer_join(where, "content", content_type)
            detail = (
                "code relying on this answer (its return type or stream) breaks"
                if response.is_success
                else "errors raise the same exception types"
            )
            self._emit(
                "content_type_removed",
                f"{old.operation_id} {status} {content_type or '(no content)'}",
                response.is_success,
                f"response {status} {content_type} removed: {detail}",
                where,
                "old",
                ("response",),
            )

    def _response(self, old: ir.Response, new: ir.Response, location: str, where: str) -> None:
        response_only = frozenset({"response"})
        success = new.is_success
        if old.kind != new.kind:
            self._emit(
                "response_kind_changed",
                location,
                success,
                f"the answer is now {new.kind}, was {old.kind}"
                + (": code reading it breaks" if success else ""),
                where,
                "new",
                response_only,
            )
        if old.type is not None and new.type is not None:
            self._type_change(location, "response", old.type, new.type, response_only, where)
        elif (old.type is None) != (new.type is None):
            self._emit(
                "type_changed",
                location,
                success,
                f"response body {'gained' if new.type is not None else 'lost'} a type "
                f"({new.kind}, was {old.kind})",
                where,
                "new",
                response_only,
            )
        if old.stream is not None and new.stream is not None:
            self._stream(old.stream, new.stream, location, where)
        self._unhandled("response", location, old, new, where, response_only)

    def _stream(self, old: ir.EventStream, new: ir.EventStream, location: str, where: str) -> None:
        response_only = ("response",)
        if old.discriminator != new.discriminator:
            self._emit(
                "discriminator_changed",
                location,
                True,
                f"events are now told apart by {new.discriminator or 'their SSE event name'}, "
                f"was {old.discriminator or 'their SSE event name'}",
                where,
                "new",
                response_only,
            )
        if set(old.terminal) != set(new.terminal):
            self._emit(
                "stream_terminal_changed",
                location,
                True,
                f"the stream now ends after {_names(new.terminal)}, was "
                f"{_names(old.terminal)}: code waiting for the end sees it elsewhere",
                where,
                "new",
                response_only,
            )
        self._unhandled("event stream", location, old, new, where, response_only)


# ---------------------------------------------------------------- helpers


def _judge(sides: frozenset[str], request: Verdict, response: Verdict) -> Verdict:
    """Breaking when it breaks on a side that uses the thing; the reasons of those sides."""
    breaking = False
    reasons = []
    for side, (breaks, why) in (("request", request), ("response", response)):
        if side in sides:
            breaking = breaking or breaks
            reasons.append(why if len(sides) == 1 else f"in {side}s, {why}")
    return breaking, "; ".join(reasons)


def _callers(member: Member) -> str:
    if member.used_by:
        return "calls to " + " and ".join(member.used_by)
    model = member.location.split(".", 1)[0]
    return f"{model}(...) calls" if member.noun == "field" else "calls"


def _methods(op: ir.Operation) -> list[str]:
    names = [b.method_name for b in op.bodies] or [op.method_name]
    return [f"client.{op.resource}.{name}" for name in names]


def _tags(union: ir.UnionDef) -> dict[str, tuple[str, ...]] | None:
    """Discriminator values (or SSE event names) of a tag-chosen union, to model names."""
    pairs: Iterable[tuple[Any, Any]]
    if union.discriminator is not None:
        pairs = union.discriminator.mapping
    elif union.by_event:
        pairs = union.by_event
    else:
        return None
    return {str(tag): targets(selected) for tag, selected in pairs}


def _auth(auth: ir.Auth) -> str:
    return {"bearer": "a bearer token", "none": "nothing"}.get(auth.kind, f"header {auth.header}")


def _names(names: Iterable[str]) -> str:
    listed = sorted(names)
    return ", ".join(repr(n) for n in listed) if listed else "(no terminal event)"


def _brief(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
