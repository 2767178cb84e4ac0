"""Rules for the members of models and operations: fields, parameters, body arguments.

A member is compared by wire name: added, removed, renamed in Python, made required or
optional, nullable or not, its type related (:mod:`.types`), its bounds (:mod:`.bounds`),
its default and its deprecation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ...pipeline import ir
from ...pipeline.usage import Side
from .bounds import bound_direction, bounds, show_bound
from .changes import Comparison, Verdict, brief
from .types import Relation, nullable, relation, show, without_none


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

    @property
    def label(self) -> str:
        """How messages name it: ``field n``, ``query parameter limit``, ``argument body``."""
        if self.noun == "parameter":
            location, _, name = self.wire.partition(":")
            return f"{location} parameter {name}"
        return f"{self.noun} {self.wire}"


class MemberRules(Comparison):
    """Compares lists of members, and the type, bounds, default and deprecation of one."""

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
            f"{state} {member.label} added",
            member.pointer,
            member.sides,
            request,
            (False, f"readers gain .{member.py}"),
        )

    def _member_removed(self, member: Member) -> None:
        self._judged(
            f"{member.noun}_removed",
            member.location,
            f"{member.label} removed",
            member.pointer,
            member.sides,
            (True, f"{_callers(member)} passing {member.py}= fail with a TypeError"),
            (True, f"code reading .{member.py} breaks"),
            "old",
        )

    def _member_changed(self, old: Member, new: Member) -> None:
        sides = old.sides
        where = new.pointer
        text = new.label
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
        self._nullability_and_type(old, new)
        self._bounds(old, new)
        self._default(old, new)
        self._deprecation(new.noun, new.location, old.doc, new.doc, where, sides)
        self._unhandled(new.noun, new.location, old.source, new.source, where, sides)
        self._unhandled(new.noun, new.location, old.doc, new.doc, where, sides)

    def _nullability_and_type(self, old: Member, new: Member) -> None:
        """Whether ``None`` is allowed, then the rest of the type, by the values accepted
        (``None`` inside a named union counts). A change inside a named type the member
        still uses is reported once, with that type."""
        old_type, new_type = self._normalized(old.type, new.type, "request")
        if old_type == new_type:
            return
        sides, where, text = old.sides, new.pointer, new.label
        was_nullable, is_nullable = nullable(old_type), nullable(new_type)
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
        self._type_change(
            new.location, text, old.type, new.type, sides, where, _callers(old), apart=True
        )

    def _type_change(
        self,
        location: str,
        what: str,
        old: ir.TypeRef,
        new: ir.TypeRef,
        sides: frozenset[str],
        where: str,
        callers: str = "calls",
        apart: bool = False,
    ) -> None:
        """Judge how the values ``what`` accepts changed. ``apart``: ``None`` is judged on
        its own (as nullability), so it is left out of both types here."""
        verdicts: dict[str, Relation] = {}
        for side in ("request", "response"):
            side_: Side = "request" if side == "request" else "response"
            old_norm, new_norm = self._normalized(old, new, side_)
            if apart:
                old_norm, new_norm = without_none(old_norm), without_none(new_norm)
                if ir.NONE in (old_norm, new_norm):
                    return  # only None on one side: its nullability says it all
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
        kind = {
            "widened": "type_widened",
            "narrowed": "type_narrowed",
            "equivalent": "type_equivalent",
        }.get(main, "type_changed")
        if apart:
            old, new = ir.without_none(old), ir.without_none(new)
        self._judged(
            kind,
            location,
            f"{what} type {show(old)} -> {show(new)}",
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
                f"{new.label} {key} {show_bound(before)} -> {show_bound(after)}",
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
        shown = [brief(d.default) if d.has_default else "(none)" for d in (old.doc, new.doc)]
        self._emit(
            "default_changed",
            new.location,
            False,
            f"{new.label} default {shown[0]} -> {shown[1]}: the client never sends "
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


def _callers(member: Member) -> str:
    if member.used_by:
        return "calls to " + " and ".join(member.used_by)
    model = member.location.split(".", 1)[0]
    return f"{model}(...) calls" if member.noun == "field" else "calls"
