"""The typed views of the request dicts' modules (``models/<module>_params.py``).

Each sits beside its models module and holds, for type checkers, the ``TypedDict`` of each
of its request-side models (keys are wire names, required as the spec says), the param alias
of each union that holds objects, and the argument dicts of its request bodies. Everything
they name is imported under ``TYPE_CHECKING`` and every alias is a string, so a params
module imports nothing at run time but ``typing``: a call never loads one.
"""

from __future__ import annotations

import keyword

import attrs

from . import ir
from .escape import docstring, literal
from .pytypes import files_as_text
from .views import SHARED, Import, KeyView, ParamsView, Views, _imports, _relative, doc_text


@attrs.frozen
class ParamAliasView:
    name: str
    doc: str
    alias: str  # a literal: the annotation, as a string


@attrs.frozen
class ParamsModule:
    name: str  # relative to ``models``: ``images_params``, ``shared.image_ref_params``
    runtime: str  # the relative package of the runtime modules: ``..`` or ``...``
    doc: str
    dicts: tuple[ParamsView, ...]
    aliases: tuple[ParamAliasView, ...]
    imports: tuple[Import, ...]  # what the annotations name, for type checkers only
    exports: tuple[str, ...]
    files: bool  # an argument dict takes file content (``FileTypes``)


def params_modules(views: Views) -> list[ParamsModule]:
    modules = []
    for group, names in views.param_groups().items():
        module = views.params_module(group)
        dicts: list[ParamsView] = []
        aliases: list[ParamAliasView] = []
        mentioned: set[str] = set()
        for name in names:
            if name in views.params_models:
                dicts.append(views.params_view(views.models[name]))
                mentioned |= _body_mentions(views, name)
            elif name in views.models:
                view, found = _model_dict(views, views.models[name])
                dicts.append(view)
                mentioned |= found
            else:
                alias, found = _union_alias(views, views.unions[name])
                aliases.append(alias)
                mentioned |= found
        own = {d.name for d in dicts} | {a.name for a in aliases}
        pairs = ((views.module_of(n), n) for n in mentioned - own)
        title = (
            f"Request dicts of ``{names[0]}`` and what it owns, for type checkers."
            if group.startswith(f"{SHARED}.")
            else f"Request dicts of ``client.{group.replace('_', '.')}``, for type checkers."
        )
        modules.append(
            ParamsModule(
                name=module,
                runtime=".." if "." not in module else "...",
                doc=title,
                dicts=tuple(dicts),
                aliases=tuple(aliases),
                imports=tuple(
                    Import(_relative(module, found.module), found.names)
                    for found in _imports(pairs, skip=module)
                ),
                exports=tuple(sorted(own)),
                files=any("FileTypes" in k.annotation for d in dicts for k in d.keys),
            )
        )
    return modules


def _body_mentions(views: Views, name: str) -> set[str]:
    body = next(b for op in views.api.operations for b in op.bodies if b.model == name)
    return set().union(*(views.types.mentions(f.type, "argument") for f in body.fields))


def _model_dict(views: Views, model: ir.Model) -> tuple[ParamsView, set[str]]:
    """A model as a dict: its wire names, each required as the spec says."""
    keys = []
    mentioned: set[str] = set()
    for field in model.fields:
        json_type = files_as_text(field.type)  # a model is JSON: no file content
        annotation = views.types.annotation(json_type, "argument")
        mentioned |= views.types.mentions(json_type, "argument")
        if field.required:
            annotation = f"Required[{annotation}]"
        keys.append(KeyView(field.wire_name, annotation))
    functional = not all(_attribute(k.name) for k in keys)
    if functional:
        keys = [KeyView(literal(k.name), literal(k.annotation)) for k in keys]
    text = f"``{model.name}`` as a dict. {doc_text(model.doc)}".strip()
    doc = docstring(text, 0 if functional else 4)
    return ParamsView(views.params[model.name], doc, tuple(keys), functional), mentioned


def _union_alias(views: Views, union: ir.UnionDef) -> tuple[ParamAliasView, set[str]]:
    """A union as dicts: each branch's param (the union itself stands for its models)."""
    variants = [files_as_text(v) for v in union.variants]  # a named union is JSON
    branches = ir.Union(tuple(variants))
    annotation = views.types.annotation(branches, "param")
    mentioned = views.types.mentions(branches, "param")
    text = f"``{union.name}`` as dicts. {doc_text(union.doc)}".strip()
    name = views.params[union.name]
    return ParamAliasView(name, docstring(text, 0), literal(annotation)), mentioned


def _attribute(key: str) -> bool:
    """Whether a key can be a ``TypedDict`` class attribute as it is (not a keyword, and not
    ``__x``, which a class body would rename)."""
    return key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("__")
