"""``generate --changelog FILE``: what a regeneration changed in the package's public API.

The old and the new package are compared as Python, not as specs: ``models.py`` and
``client.py`` are parsed with ``ast`` and their public surface is listed (model classes
with their attrs fields and annotations, enums with their members, type aliases with
their variants, client methods with their keyword arguments). Why not compare IRs, as
``diff`` does: the spec the old package came from is usually gone by the time it is
regenerated (overwritten in place, or fetched again from upstream), and the IR also
depends on the client config and the generator version. The generated code is always at
hand in the output folder, and it is exactly what user code imports and calls, so a
renamed method, a naming-rule change in the generator or a new config placement all show.

Breaking is judged for code using the previous package, the way it uses each part:

* client methods are called: a removed method or argument, a new required argument, an
  argument made required, or an argument type that no longer accepts everything it did
  is breaking; a new optional argument or a wider argument type is not. The return type
  compared is that of a call passing no new argument (the first ``@overload``, else the
  method's own), as it is read: a wider return type is breaking.
* models, enums and unions are read (they come back from the API): a removed class,
  field or enum member is breaking, and so is a field type that gained values (including
  ``None`` or ``Unset``); a new field, member or narrower type is not. A new variant of an
  event union (one with ``UnknownEvent``) is not breaking, since the old package read it
  as ``UnknownEvent``; a removed one is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import attrs

from ..pipeline.write import MARKER

Section = Literal["Added", "Removed", "Changed"]
_SECTIONS: tuple[Section, ...] = ("Added", "Removed", "Changed")
_SPEC_LINE = re.compile(r"^# Spec: (?P<name>.*) \(sha256 (?P<sha>[0-9a-f]+)\)$", re.M)


# ---------------------------------------------------------------- the public API of a package


@attrs.frozen
class Slot:
    """A model field or a method argument: its annotation, as text and as union members."""

    annotation: str
    atoms: frozenset[str]
    required: bool


@attrs.frozen
class Method:
    arguments: dict[str, Slot]
    returns: str
    return_atoms: frozenset[str]


@attrs.frozen
class PublicApi:
    package: str
    spec: str  # "images-edit.yaml (sha256 ...)", from the header; "" when unknown
    models: dict[str, dict[str, Slot]]  # model -> field -> slot
    enums: dict[str, dict[str, str]]  # enum -> member -> value
    aliases: dict[str, frozenset[str]]  # union alias -> variants
    methods: dict[str, Method]  # "client.images.edit" -> method


def read_package(package: str, models_source: str, client_source: str) -> PublicApi:
    """The public API of a generated package, from the text of its two public modules."""
    models: dict[str, dict[str, Slot]] = {}
    enums: dict[str, dict[str, str]] = {}
    aliases: dict[str, frozenset[str]] = {}
    for node in ast.parse(models_source).body:
        if isinstance(node, ast.ClassDef) and _is_enum(node):
            enums[node.name] = _enum_members(node)
        elif isinstance(node, ast.ClassDef) and _is_attrs(node):
            models[node.name] = _fields(node)
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and ast.unparse(node.annotation) == "TypeAlias"
            and node.value is not None
        ):
            aliases[node.target.id] = _atoms(node.value)
    match = _SPEC_LINE.search(models_source)
    spec = f"{match['name']} (sha256 {match['sha'][:12]})" if match else ""
    return PublicApi(package, spec, models, enums, aliases, _client_methods(client_source))


def _is_enum(node: ast.ClassDef) -> bool:
    return any(ast.unparse(base).split(".")[-1] in ("StrEnum", "Enum") for base in node.bases)


def _is_attrs(node: ast.ClassDef) -> bool:
    return any(ast.unparse(d).startswith(("attrs.", "attr.")) for d in node.decorator_list)


def _enum_members(node: ast.ClassDef) -> dict[str, str]:
    members = {}
    for item in node.body:
        if (
            isinstance(item, ast.Assign)
            and len(item.targets) == 1
            and isinstance(item.targets[0], ast.Name)
            and not item.targets[0].id.startswith("_")
        ):
            value = item.value
            text = value.value if isinstance(value, ast.Constant) else ast.unparse(value)
            members[item.targets[0].id] = str(text)
    return members


def _fields(node: ast.ClassDef) -> dict[str, Slot]:
    fields = {}
    for item in node.body:
        if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
            continue
        name = item.target.id
        annotation = ast.unparse(item.annotation)
        if name.startswith("_") or name == "additional_properties" or "ClassVar" in annotation:
            continue
        fields[name] = Slot(annotation, _atoms(item.annotation), item.value is None)
    return fields


def _client_methods(source: str) -> dict[str, Method]:
    classes = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}
    client = classes.get("Client")
    if client is None:
        return {}
    methods: dict[str, Method] = {}
    for item in client.body:
        if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
            continue
        resource = classes.get(ast.unparse(item.annotation))
        if resource is None:
            continue
        for name, method in _resource_methods(resource).items():
            methods[f"client.{item.target.id}.{name}"] = method
    return methods


def _resource_methods(resource: ast.ClassDef) -> dict[str, Method]:
    defs: dict[str, list[ast.FunctionDef]] = {}
    for item in resource.body:
        if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
            defs.setdefault(item.name, []).append(item)
    methods = {}
    for name, found in defs.items():
        overloads = [d for d in found if any(_is_overload(x) for x in d.decorator_list)]
        implementation = next((d for d in reversed(found) if d not in overloads), found[-1])
        default_call = overloads[0] if overloads else implementation
        returns = default_call.returns
        methods[name] = Method(
            _arguments(implementation.args),
            ast.unparse(returns) if returns is not None else "",
            _atoms(returns) if returns is not None else frozenset(),
        )
    return methods


def _is_overload(decorator: ast.expr) -> bool:
    return ast.unparse(decorator).split(".")[-1] == "overload"


def _arguments(args: ast.arguments) -> dict[str, Slot]:
    found: dict[str, Slot] = {}
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional):
        if index == 0 and arg.arg in ("self", "cls"):
            continue
        found[arg.arg] = _argument(arg, index < first_default)
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        found[arg.arg] = _argument(arg, default is None)
    return found


def _argument(arg: ast.arg, required: bool) -> Slot:
    if arg.annotation is None:
        return Slot("", frozenset(), required)
    return Slot(ast.unparse(arg.annotation), _atoms(arg.annotation), required)


def _atoms(node: ast.expr) -> frozenset[str]:
    """The members of a ``X | Y | Literal['a', 'b']`` annotation: X, Y, Literal['a'], ..."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _atoms(node.left) | _atoms(node.right)
    if isinstance(node, ast.Subscript) and ast.unparse(node.value).split(".")[-1] == "Literal":
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return frozenset(f"Literal[{ast.unparse(item)}]" for item in items)
    return frozenset({ast.unparse(node)})


# ---------------------------------------------------------------- the comparison


@attrs.frozen
class Entry:
    section: Section
    breaking: bool
    text: str  # Markdown


def compare(old: PublicApi, new: PublicApi) -> list[Entry]:
    """What changed from ``old`` to ``new``, each entry marked breaking or not."""
    entries: list[Entry] = []
    if old.package != new.package:
        entries.append(
            Entry(
                "Changed",
                True,
                f"Package renamed: {_code(old.package)} is now "
                f"{_code(new.package)}; imports must change.",
            )
        )
    entries += _compare_methods(old.methods, new.methods)
    entries += _compare_models(old.models, new.models)
    entries += _compare_enums(old.enums, new.enums)
    entries += _compare_aliases(old.aliases, new.aliases)
    return entries


def _compare_methods(old: dict[str, Method], new: dict[str, Method]) -> list[Entry]:
    entries = []
    added = {name: new[name] for name in new if name not in old}
    for name, method in old.items():
        if name in new:
            entries += _compare_method(name, method, new[name])
            continue
        twin = next((n for n, m in added.items() if m == method), None)
        if twin is not None:
            del added[twin]
            entries.append(
                Entry("Changed", True, f"Client method {_code(name)} renamed to {_code(twin)}.")
            )
        else:
            entries.append(Entry("Removed", True, f"Client method {_code(name)}."))
    for name, method in added.items():
        required = [a for a, slot in method.arguments.items() if slot.required]
        detail = f" (required arguments: {', '.join(map(_code, required))})" if required else ""
        entries.append(Entry("Added", False, f"Client method {_code(name)}{detail}."))
    return entries


def _compare_method(name: str, old: Method, new: Method) -> list[Entry]:
    entries = []
    for arg, slot in new.arguments.items():
        if arg not in old.arguments:
            state = "required" if slot.required else "optional"
            entries.append(
                Entry(
                    "Added",
                    slot.required,
                    f"{state.capitalize()} argument {_code(arg)} of {_code(name)}: "
                    f"{_code(slot.annotation)}.",
                )
            )
    for arg, slot in old.arguments.items():
        if arg not in new.arguments:
            entries.append(Entry("Removed", True, f"Argument {_code(arg)} of {_code(name)}."))
            continue
        after = new.arguments[arg]
        where = f"argument {_code(arg)} of {_code(name)}"
        if slot.required != after.required:
            text = "is now required" if after.required else "is now optional"
            entries.append(Entry("Changed", after.required, f"{where.capitalize()} {text}."))
        before_atoms, after_atoms = slot.atoms - {"Unset"}, after.atoms - {"Unset"}
        if before_atoms != after_atoms:
            if before_atoms <= after_atoms:
                how, breaking = "widened", False
            else:
                how, breaking = ("narrowed" if after_atoms < before_atoms else "changed"), True
            entries.append(
                Entry(
                    "Changed",
                    breaking,
                    f"Type of {where} {how}: {_code(slot.annotation)} -> "
                    f"{_code(after.annotation)}.",
                )
            )
    if old.return_atoms != new.return_atoms:
        breaking = not new.return_atoms <= old.return_atoms
        entries.append(
            Entry(
                "Changed",
                breaking,
                f"Return type of {_code(name)}: {_code(old.returns)} -> {_code(new.returns)}.",
            )
        )
    return entries


def _compare_models(
    old: dict[str, dict[str, Slot]], new: dict[str, dict[str, Slot]]
) -> list[Entry]:
    entries = []
    for name in new:
        if name not in old:
            entries.append(Entry("Added", False, f"Model {_code(name)}."))
    for name, fields in old.items():
        if name not in new:
            entries.append(Entry("Removed", True, f"Model {_code(name)}."))
            continue
        for field, slot in new[name].items():
            if field not in fields:
                entries.append(
                    Entry(
                        "Added",
                        False,
                        f"Field {_code(f'{name}.{field}')}: {_code(slot.annotation)}.",
                    )
                )
        for field, slot in fields.items():
            qualified = _code(f"{name}.{field}")
            if field not in new[name]:
                entries.append(Entry("Removed", True, f"Field {qualified}."))
                continue
            after = new[name][field]
            if slot.atoms != after.atoms:
                breaking = not after.atoms <= slot.atoms
                entries.append(
                    Entry(
                        "Changed",
                        breaking,
                        f"Type of field {qualified}: {_code(slot.annotation)} -> "
                        f"{_code(after.annotation)}.",
                    )
                )
    return entries


def _compare_enums(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[Entry]:
    entries = []
    for name, members in new.items():
        if name not in old:
            values = ", ".join(_code(v) for v in members.values())
            entries.append(Entry("Added", False, f"Enum {_code(name)} ({values})."))
    for name, members in old.items():
        if name not in new:
            entries.append(Entry("Removed", True, f"Enum {_code(name)}."))
            continue
        after = new[name]
        for member, value in after.items():
            if member not in members:
                entries.append(
                    Entry(
                        "Added", False, f"Enum value {_code(f'{name}.{member}')} = {_code(value)}."
                    )
                )
        for member, value in members.items():
            qualified = _code(f"{name}.{member}")
            if member not in after:
                entries.append(Entry("Removed", True, f"Enum value {qualified} = {_code(value)}."))
            elif after[member] != value:
                entries.append(
                    Entry(
                        "Changed",
                        True,
                        f"Value of {qualified}: {_code(value)} -> {_code(after[member])}.",
                    )
                )
    return entries


def _compare_aliases(old: dict[str, frozenset[str]], new: dict[str, frozenset[str]]) -> list[Entry]:
    entries = []
    for name in new:
        if name not in old:
            entries.append(Entry("Added", False, f"Union {_code(name)}."))
    for name, variants in old.items():
        if name not in new:
            entries.append(Entry("Removed", True, f"Union {_code(name)}."))
            continue
        tolerant = "UnknownEvent" in variants
        for variant in sorted(new[name] - variants):
            entries.append(
                Entry(
                    "Added",
                    not tolerant,
                    f"Variant {_code(variant)} of {_code(name)}"
                    + (" (the previous package read it as `UnknownEvent`)." if tolerant else "."),
                )
            )
        for variant in sorted(variants - new[name]):
            entries.append(Entry("Removed", True, f"Variant {_code(variant)} of {_code(name)}."))
    return entries


# ---------------------------------------------------------------- Markdown


def render(old: PublicApi | None, new: PublicApi, note: str = "") -> str:
    """The changelog in Markdown; ``old`` None means this is the first generation."""
    title = f"# Changelog of `{new.package}`\n\n"
    source = f" from {_code(new.spec)}" if new.spec else ""
    if old is None:
        counts = (
            f"{_count(new.methods, 'client method')}, {_count(new.models, 'model')}, "
            f"{_count(new.enums, 'enum')} and {_count(new.aliases, 'union')}"
        )
        lines = [
            f"First generation of {_code(new.package)}{source}: there is no previous package "
            f"to compare with, so nothing is added, removed or changed. It provides {counts}.",
        ]
        if note:
            lines.append(note)
        return title + "\n\n".join(lines) + "\n"
    entries = compare(old, new)
    breaking = sum(e.breaking for e in entries)
    previous = f" (previously {_code(old.spec)})" if old.spec else ""
    lines = [f"Regenerated {_code(new.package)}{source}{previous}."]
    if not entries:
        lines.append("No change to the public API (models, fields, enum values, client methods).")
    elif breaking:
        noun = "change" if breaking == 1 else "changes"
        lines.append(
            f"**{breaking} breaking {noun}** for code written against the previous "
            "package, marked **Breaking**."
        )
    else:
        lines.append("No breaking change for code written against the previous package.")
    for section in _SECTIONS:
        items = [e for e in entries if e.section == section]
        body = "\n".join(_item(e) for e in _ordered(items)) if items else "Nothing."
        lines.append(f"## {section}\n\n{body}")
    return title + "\n\n".join(lines) + "\n"


def _count(things: dict[str, Any], noun: str) -> str:
    return f"{len(things)} {noun}{'' if len(things) == 1 else 's'}"


def _ordered(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: not e.breaking)


def _item(entry: Entry) -> str:
    return f"- {'**Breaking:** ' if entry.breaking else ''}{entry.text}"


def _code(text: str) -> str:
    """Inline code that survives backticks in spec-derived text."""
    text = " ".join(text.split())
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# ---------------------------------------------------------------- entry point


def write_changelog(output_dir: Path, new_files: dict[str, str], changelog_path: Path) -> None:
    """Compare the package in ``output_dir`` (still the old one) with ``new_files``."""
    package = _package_of(new_files)
    new = read_package(
        package,
        new_files.get(f"{package}/models.py", ""),
        new_files.get(f"{package}/client.py", ""),
    )
    old: PublicApi | None = None
    note = ""
    found = find_old_package(output_dir, package)
    if found is not None:
        old_package, folder = found
        try:
            old = read_package(
                old_package,
                (folder / "models.py").read_text(encoding="utf-8"),
                (folder / "client.py").read_text(encoding="utf-8"),
            )
        except (OSError, SyntaxError, ValueError) as exc:
            note = f"The package found in {_code(str(folder))} could not be read ({exc})."
    changelog_path.parent.mkdir(parents=True, exist_ok=True)
    changelog_path.write_text(render(old, new, note), encoding="utf-8")


def _package_of(files: dict[str, str]) -> str:
    for path in sorted(files):
        parts = path.split("/")
        if len(parts) == 2 and parts[1] == "models.py":
            return parts[0]
    return ""


def find_old_package(output_dir: Path, package: str) -> tuple[str, Path] | None:
    """The generated package currently in ``output_dir``: the same name first, else any."""
    if not output_dir.is_dir():
        return None
    candidates = [output_dir / package] if package else []
    candidates += sorted(p for p in output_dir.iterdir() if p.is_dir() and p.name != package)
    for folder in candidates:
        models = folder / "models.py"
        if models.is_file() and (folder / "client.py").is_file():
            with models.open(encoding="utf-8", errors="replace") as handle:
                if handle.readline().startswith(MARKER):
                    return folder.name, folder
    return None
