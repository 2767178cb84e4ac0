"""Rules for the named things of an API: models, enums and unions.

They are matched by name, then by schema pointer (a rename). Model fields are compared by
:mod:`.members`.
"""

from __future__ import annotations

from typing import Any

from ...pipeline import ir
from .changes import judge
from .members import Member, MemberRules
from .usage import tags_of


class NamedRules(MemberRules):
    """Compares the models, enums and unions of the two APIs."""

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
        """Values added, removed, or with another constant. Whether a removal breaks depends
        on the old client: a class loses the value's constant (code naming it raises
        ``AttributeError``); a ``Literal`` alias has no constants, and only a closed one
        stops accepting the value."""
        sides = self._sides(old.name, new.name)
        old_values = {m.value: m for m in old.members}
        new_values = {m.value: m for m in new.members}
        closed = old.name in self.old_usage.closed_in_request
        constants = old.name not in self.old_usage.literal_enums
        for value, member in new_values.items():
            if value in old_values:
                before = old_values[value]
                if constants and before.name != member.name:
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
            breaking, why = judge(sides, request, (False, "readers no longer receive it"))
            if constants:
                breaking = True
                why += (
                    f"; the constant {old.name}.{member.name} goes away, so code naming it "
                    "fails with AttributeError"
                )
            else:
                why += f"; {old.name} is a Literal alias, so no constant goes away"
            self._emit(
                "enum_value_removed",
                f"{old.name}.{member.name}",
                breaking,
                f"value {value!r} removed from {old.name}: {why}",
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
        old_tags, new_tags = tags_of(old), tags_of(new)
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
