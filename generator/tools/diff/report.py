"""The changes as text (one line each, then a count) or as a JSON document."""

from __future__ import annotations

from typing import Any

from .changes import Change


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


def report_json(changes: list[Change], old: str, new: str) -> dict[str, Any]:
    breaking = sum(c.breaking for c in changes)
    return {
        "old": old,
        "new": new,
        "breaking": breaking > 0,
        "summary": {"changes": len(changes), "breaking": breaking},
        "changes": [c.to_json() for c in changes],
    }
