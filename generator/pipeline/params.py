"""Which request-side named things get a param (a ``TypedDict`` of the dict a caller may pass
instead of the model), and what each param is called.

* Every model a request reaches gets a ``TypedDict`` keyed by its wire names: ``Tag`` →
  ``TagParam`` (a name that ends in ``Param`` or ``Params`` already takes ``Dict``:
  ``ImageRefParam`` → ``ImageRefParamDict``).
* Every union a request reaches that holds objects (as branches, or in the lists, maps and
  unions among its branches) gets a param alias: its branches as dicts.
* A body whose model nothing else mentions has the ``TypedDict`` of its method's arguments
  under the model's own name (``client.images.edit(**params)``), and no other.

A name already taken (by a schema, the runtime or another param) gets the next candidate,
then trailing underscores, as the other naming rules do.
"""

from __future__ import annotations

from collections.abc import Collection

from . import ir
from .usage import Usage


def param_names(
    api: ir.Api, usage: Usage, taken: Collection[str], body_only: Collection[str]
) -> dict[str, str]:
    """Each model and union that has a param, and the param's name."""
    models = [m.name for m in api.models if usage.requested(m.name) and m.name not in body_only]
    unions = {u.name: u for u in api.unions if usage.requested(u.name)}
    holders = _object_unions(unions)
    used = set(taken)
    names: dict[str, str] = {}
    for name in sorted([*models, *(u for u in unions if u in holders)]):
        names[name] = _free(name, used)
        used.add(names[name])
    return names


def _object_unions(unions: dict[str, ir.UnionDef]) -> set[str]:
    """The unions (of those given) that hold an object somewhere in their branches."""
    found: set[str] = set()

    def holds(type_: ir.TypeRef) -> bool:
        match type_:
            case ir.ModelRef():
                return True
            case ir.UnionRef(name=name):
                return name in found
            case ir.ListOf(item=inner) | ir.MapOf(value=inner):
                return holds(inner)
            case ir.Union(variants=variants):
                return any(holds(v) for v in variants)
        return False

    changed = True
    while changed:  # a union may hold another one declared after it (or itself)
        changed = False
        for name, union in unions.items():
            if name not in found and any(holds(v) for v in union.variants):
                found.add(name)
                changed = True
    return found


def _free(name: str, taken: Collection[str]) -> str:
    candidates = [f"{name}Dict"] if name.endswith(("Param", "Params")) else [f"{name}Param"]
    candidates.append(f"{name}Dict" if candidates[0].endswith("Param") else f"{name}ParamDict")
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    chosen = candidates[-1]
    while chosen in taken:
        chosen += "_"
    return chosen
