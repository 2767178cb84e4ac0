"""A change between two APIs, and the state one comparison builds them in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import attrs

from ...pipeline import ir
from ...pipeline.usage import Side
from .generic import unhandled
from .types import Normalizer
from .usage import Usage

Verdict = tuple[bool, str]  # (breaking, why) for one side

# Every kind of change the engine reports; README.md ("What `diff` calls breaking") gives
# the rule for each.
KINDS: frozenset[str] = frozenset([
    "package_renamed", "environment_renamed", "base_url_changed", "auth_changed",
    "array_format_changed", "webhooks_added", "webhooks_removed",
    "model_added", "model_removed", "model_renamed", "enum_added", "enum_removed", "enum_renamed",
    "union_added", "union_removed", "union_renamed",
    "field_added", "field_removed", "field_renamed", "parameter_added", "parameter_removed",
    "parameter_renamed", "argument_added", "argument_removed", "argument_renamed",
    "required_added", "required_removed", "nullable_added", "nullable_removed",
    "type_widened", "type_narrowed", "type_equivalent", "type_changed",
    "bounds_tightened", "bounds_loosened", "bounds_changed", "default_changed",
    "deprecated", "undeprecated",
    "extra_properties_opened", "extra_properties_closed", "field_rule_added", "field_rule_removed",
    "enum_value_added", "enum_value_removed", "enum_member_renamed",
    "union_variant_added", "union_variant_removed", "union_variant_changed",
    "event_type_added", "event_type_removed", "event_type_changed",
    "discriminator_changed", "fallback_removed",
    "operation_added", "operation_removed", "operation_id_changed", "route_changed",
    "method_renamed",
    "stream_flag_added", "stream_flag_changed", "server_changed", "parameter_serialization_changed",
    "pagination_added", "pagination_removed", "pagination_changed",
    "content_type_added", "content_type_removed", "body_encoding_changed", "body_shape_changed",
    "response_kind_changed", "stream_terminal_changed",
    "changed",
])  # fmt: skip


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


class Comparison:
    """Both APIs, which side uses each named thing, the renames found, the changes so far.

    The rules (:mod:`.members`, :mod:`.named`, :mod:`.operations`) extend it and report
    through :meth:`_emit`, :meth:`_judged` and :meth:`_unhandled`.
    """

    def __init__(self, old: ir.Api, new: ir.Api) -> None:
        self.old, self.new = old, new
        self.old_usage, self.new_usage = Usage(old), Usage(new)
        self.renames: dict[str, str] = {}  # old name -> new name of a renamed named thing
        self.changes: list[Change] = []
        self._normalizers: dict[tuple[str, Side, int], Normalizer] = {}

    def _normalized(self, old: ir.TypeRef, new: ir.TypeRef, side: Side) -> tuple[Any, Any]:
        """Both types normalized for ``side`` (:mod:`.types`), old names mapped to new ones."""
        return self._normalizer("old", side)(old), self._normalizer("new", side)(new)

    def _normalizer(self, which: Literal["old", "new"], side: Side) -> Normalizer:
        # Renames are found before most comparisons; one found later starts a new cache.
        key = (which, side, len(self.renames))
        if key not in self._normalizers:
            usage = self.old_usage if which == "old" else self.new_usage
            renames = self.renames if which == "old" else {}
            self._normalizers[key] = Normalizer(usage.enums, usage.unions, renames, side)
        return self._normalizers[key]

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
        if kind not in KINDS:
            raise AssertionError(f"change kind {kind!r} is not in KINDS (nor in the README)")
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
        breaking, why = judge(sides, request, response)
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
                f"{what} changed: {brief(before)} -> {brief(after)} (no rule says this is "
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


def judge(sides: frozenset[str], request: Verdict, response: Verdict) -> Verdict:
    """Breaking when it breaks on a side that uses the thing; the reasons of those sides."""
    breaking = False
    reasons = []
    for side, (breaks, why) in (("request", request), ("response", response)):
        if side in sides:
            breaking = breaking or breaks
            reasons.append(why if len(sides) == 1 else f"in {side}s, {why}")
    return breaking, "; ".join(reasons)


def brief(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
