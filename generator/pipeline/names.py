"""Every naming rule: spec names in, stable Python identifiers out.

Names are a pure function of where a thing is in the spec (component key, property
path, enum value), so they survive spec updates; text in other scripts is transliterated.
Identifiers (classes, fields, methods, enum members) come first; then the names of
schemas: components, inline schemas, union branches and enum members' prefixes, which
:class:`.namer.Namer` applies to one document.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from typing import Any

import attrs

from ..errors import pointer_parts
from .runtime import reserved_names

# Within a run of letters and digits, split only at camelCase boundaries: digits stay
# with their word, so ``b64_json`` stays ``b64_json`` and ``1024x1024`` stays one word. An
# acronym's plural is one word: ``APIs`` → ``apis``, ``userIDs`` → ``user_ids``.
_WORD = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z0-9]+")
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")
_NAMESPACED = re.compile(r"^(.+)[/.:]([^/.:]+)$")  # ``repos/get``, ``pets.list``

# Names a model field may not take: they would shadow the methods and attributes we generate.
# A field is a class-body name too, so names the class body itself uses are reserved: the
# builtins in annotations, ``attrs.field(factory=dict)``, ``frozenset(...)``, ``@classmethod``.
RESERVED_FIELD_NAMES = frozenset(
    {"self", "cls", "to_dict", "from_dict", "additional_properties", "_unset",
     "str", "int", "float", "bool", "list", "dict", "attrs", "frozenset", "classmethod"}
)  # fmt: skip
# The options every generated method takes besides the operation's own arguments (the
# official SDK's names); an argument from the spec must not take one of them.
# The per-call options every generated method takes, after its own arguments: name, annotation
# and default. Declared once: the resource template prints them in signatures and calls.
CALL_OPTIONS = (
    ("extra_headers", "Headers | None", "None"),
    ("extra_query", "Query | None", "None"),
    ("extra_body", "Body | None", "None"),
    ("timeout", "Timeout | Unset", "UNSET"),
    ("max_retries", "int | Unset", "UNSET"),
)
OPTION_NAMES = tuple(name for name, _, _ in CALL_OPTIONS)
RESERVED_ARGUMENT_NAMES = frozenset({"self", *OPTION_NAMES})
# What the generated resource classes define besides the operations' methods, and the
# module-level names their class bodies use (decorators, ``builtins.list``).
RESERVED_METHOD_NAMES = frozenset(
    {"with_raw_response", "with_streaming_response", "overload", "cached_property", "builtins"}
)
# Names pycodestyle calls ambiguous (E741-E743: ``l``, ``O`` and ``I`` look like digits).
AMBIGUOUS_NAMES = frozenset({"l", "O", "I"})
_PUNCTUATION_WORDS = {
    ".": "DOT",
    "-": "DASH",
    "/": "SLASH",
    "+": "PLUS",
    ":": "COLON",
    " ": "SPACE",
    "@": "AT",
    "*": "STAR",
}


def words(text: str) -> list[str]:
    """Split camelCase, snake_case, kebab-case and dotted text into words. Text that is not
    ASCII is transliterated first (``Café`` -> ``Cafe``, ``日本`` -> ``RiBen``), by anyascii."""
    if not text.isascii():
        from anyascii import anyascii

        text = anyascii(text)
    return [word for chunk in _SEPARATORS.split(text) for word in _WORD.findall(chunk)]


def class_name(*parts: str) -> str:
    """PascalCase of the parts: ``ImagesUsage`` + ``input_tokens_details`` →
    ``ImagesUsageInputTokensDetails``."""
    pieces: list[str] = []
    for part in parts:
        for word in words(part):
            pieces.append(word if word.isupper() and len(word) > 1 else word[:1].upper() + word[1:])
    name = "".join(pieces) or "Unnamed"
    if name[0].isdigit():
        name = "N" + name
    return name


def snake_name(text: str) -> str:
    """snake_case: ``createdAt`` → ``created_at``, ``dall-e-2`` → ``dall_e_2``."""
    name = "_".join(w.lower() for w in words(text))
    return name or "value"


def field_name(wire_name: str, reserved: Iterable[str] = RESERVED_FIELD_NAMES) -> str:
    """A Python attribute or argument name for a wire name (keywords get a trailing ``_``)."""
    name = snake_name(wire_name)
    if name[0].isdigit():
        name = "field_" + name
    if (
        keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or name in reserved
        or name in AMBIGUOUS_NAMES
    ):
        name += "_"
    return name


def unique_field_names(
    wire_names: Iterable[str], reserved: Iterable[str] = RESERVED_FIELD_NAMES
) -> dict[str, str]:
    """Map wire names to distinct Python names without numeric suffixes.

    When two wire names map to the same name, the wire name that already equals it keeps
    it (then the alphabetically first); each other one gets one more trailing ``_``.
    """
    reserved = frozenset(reserved)
    groups: dict[str, list[str]] = {}
    for wire in wire_names:
        groups.setdefault(field_name(wire, reserved), []).append(wire)
    result: dict[str, str] = {}
    taken = set(groups)
    for base, group in groups.items():
        ordered = sorted(group, key=lambda w: (w != base, w))
        result[ordered[0]] = base
        candidate = base
        for wire in ordered[1:]:
            candidate += "_"
            while candidate in taken:
                candidate += "_"
            taken.add(candidate)
            result[wire] = candidate
    return result


def operation_method(operation_id: str, resource: str) -> str:
    """The method of an operation, from its operationId: a namespace that repeats the
    resource is dropped (``repos/get`` on ``client.repos`` → ``get``)."""
    found = _NAMESPACED.match(operation_id)
    if found and snake_name(found[2]) and snake_name(found[1]) == snake_name(resource):
        return field_name(found[2], RESERVED_METHOD_NAMES)
    return field_name(operation_id, RESERVED_METHOD_NAMES)


def enum_member_names(values: Iterable[str], prefix: str) -> dict[str, str]:
    """UPPER_SNAKE member names derived from values, never from positions.

    ``1024x1024`` with prefix ``size`` → ``SIZE_1024X1024``; ``dall-e-2`` → ``DALL_E_2``.
    When values collide, a value already spelled like the name keeps it; the others are
    spelled out (``gpt-image-1.5`` → ``GPT_DASH_IMAGE_DASH_1_DOT_5``), and any that still
    collide (``auto`` beside ``AUTO``) get their UTF-8 bytes in hex (``AUTO_X6175746F``).
    The result is independent of the order of the values.
    """
    prefix_word = "_".join(w.upper() for w in words(prefix))
    if not prefix_word[:1].isalpha():
        prefix_word = "VALUE"

    def plain(value: str) -> str:
        name = "_".join(w.upper() for w in words(value))
        if not name:
            return "EMPTY" if value == "" else prefix_word + "_" + _spelled(value)
        if not name[0].isalpha() or name in AMBIGUOUS_NAMES:
            name = f"{prefix_word}_{name}"
        return name

    unique = sorted(set(values))
    groups: dict[str, list[str]] = {}
    for value in unique:
        groups.setdefault(plain(value), []).append(value)
    result: dict[str, str] = {}
    for name, group in groups.items():
        for value in group:
            keeps = len(group) == 1 or value == name
            result[value] = name if keeps else _prefixed(_spelled(value), prefix_word)
    taken: dict[str, list[str]] = {}
    for value, name in result.items():
        taken.setdefault(name, []).append(value)
    for name, clashing in taken.items():
        for value in clashing:
            if len(clashing) > 1 and value != name:
                result[value] = f"{name}_X{value.encode().hex().upper()}"
    if len(set(result.values())) != len(result):
        raise ValueError(f"enum values {unique!r} do not give distinct member names")
    return result


def _spelled(value: str) -> str:
    out: list[str] = []
    for char in value:
        if char.isalnum() and char.isascii():
            out.append(char.upper())
        elif char == "_":
            out.append("_")
        else:
            out.append("_" + _PUNCTUATION_WORDS.get(char, f"U{ord(char):04X}") + "_")
    return re.sub("_+", "_", "".join(out)).strip("_") or "EMPTY"


def _prefixed(name: str, prefix_word: str) -> str:
    return name if name[:1].isalpha() else f"{prefix_word}_{name}"


def union_parser(union: str) -> str:
    """The function that parses one value of a union: ``ImageEditStreamEvent`` →
    ``parse_image_edit_stream_event``."""
    return f"parse_{snake_name(union)}"


def resource_module(path: str) -> str:
    """The module of a client resource: ``chat.completions`` → ``chat_completions`` (the
    parts are attribute names already, so keywords have their trailing ``_``)."""
    return path.replace(".", "_")


def resource_class(path: str, taken: Iterable[str]) -> str:
    """The class of a client resource (``chat.completions`` → ``ChatCompletionsResource``),
    with another suffix when a schema already has that name, or one of the names derived
    from it (``Async...``, ``...WithRawResponse``, ``...WithStreamingResponse``)."""
    taken = set(taken)
    base = class_name(*path.split("."))
    for suffix in ("Resource", "Operations", "Endpoints", "ResourceOperations"):
        name = base + suffix
        derived = {f"{prefix}{name}{kind}" for prefix in ("", "Async")
                   for kind in ("", "WithRawResponse", "WithStreamingResponse")}  # fmt: skip
        if not derived & taken:
            return name
    raise ValueError(f"no free class name for the resource {path!r}")


def endpoint_constant(method: str) -> str:
    """The module constant declaring an operation's method: ``edit`` -> ``_EDIT``
    (``edit_json`` -> ``_EDIT_JSON`` for another body variant)."""
    return "_" + snake_name(method).upper()


def module_safe(name: str) -> bool:
    """Whether ``name`` can be a Python package name."""
    return name.isidentifier() and not keyword.iskeyword(name)


# ---------------------------------------------------------------- names of schemas


def avoid_reserved(name: str) -> str:
    """A class name that takes no name of the runtime or typing, and is not ambiguous."""
    return name + "Model" if name in reserved_names() or name in AMBIGUOUS_NAMES else name


def component_names(keys: Iterable[Any]) -> dict[str, str]:
    """Class names of component schemas (by key), distinct and independent of their order.

    Keys that give the same class name (``Foo`` and ``foo``) are told apart by their own
    spelling: the key already spelled like the class name keeps it, the others use their
    key as it is (when an identifier), else a suffix.
    """
    keys = [key for key in keys if isinstance(key, str)]
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(avoid_reserved(class_name(key)), []).append(key)
    names: dict[str, str] = {}
    taken = set(groups)
    for name, group in groups.items():
        group.sort(key=lambda k: (k != name, k))
        names[group[0]] = name
        for key in group[1:]:
            candidates = [key] if key.isidentifier() else []
            candidates += [name + suffix for suffix in ("Schema", "Model", "Type")]
            chosen = next(
                (c for c in candidates if c not in taken and c not in reserved_names()),
                f"{name}_{key.encode().hex()}",
            )
            taken.add(chosen)
            names[key] = chosen
    return {key: names[key] for key in keys}


def component_key(pointer: str) -> str | None:
    """The key of the component schema a pointer is in, if it is in one."""
    parts = pointer_parts(pointer)
    return parts[2] if len(parts) >= 3 and parts[:2] == ["components", "schemas"] else None


@attrs.frozen
class Claim:
    """An inline schema that wants a class name: ``wanted`` from its nearest names,
    ``qualified`` with the operation it belongs to, ``content`` to tell copies apart."""

    pointer: str
    wanted: str
    qualified: str
    content: str


def settle_inline_names(claims: list[Claim], components: dict[str, str]) -> dict[str, str]:
    """Settle the names of inline schemas (by pointer), stable across spec versions and
    never numbered.

    ``components`` maps component class names to their pointers. Copies of one schema that
    want the same name share it. When different schemas want one name (or a component
    has it), each takes its name qualified with the operation it belongs to
    (``ListFilesOrder``); copies still share.
    """
    by_wanted: dict[str, dict[str, list[Claim]]] = {}
    for claim in claims:
        own = components.get(claim.wanted)
        if own is not None and (claim.pointer + "/").startswith(own + "/"):
            continue  # a component's own type keeps the component's name
        by_wanted.setdefault(claim.wanted, {}).setdefault(claim.content, []).append(claim)
    names: dict[str, str] = {}
    taken = set(components)
    for wanted, copies in sorted(by_wanted.items()):
        chosen: dict[str, list[list[Claim]]] = {}
        for _, group in sorted(copies.items()):
            name = wanted
            if len(copies) > 1 or wanted in taken:
                name = min(c.qualified for c in group)
            chosen.setdefault(name, []).append(group)
        for name, groups in chosen.items():
            pointers = [min(c.pointer for c in group) for group in groups]
            for group, pointer in zip(groups, pointers, strict=True):
                distinct = name
                if len(groups) > 1 or name in taken:
                    distinct = _told_apart(name, pointer, [p for p in pointers if p != pointer])
                while distinct in taken:  # the same words twice: the pointer says more
                    distinct = class_name(distinct, *pointer_parts(pointer)[-2:], "Schema")
                for claim in group:
                    names[claim.pointer] = distinct
                taken.add(distinct)
    return names


def _told_apart(name: str, pointer: str, others: list[str]) -> str:
    """``name`` with what sets ``pointer`` apart from the pointers of the other schemas that
    want it: the parts where they differ, each after the keyword it is under (``OneOf 2``,
    ``Properties amount``); never a run of underscores."""
    parts = pointer_parts(pointer)
    rest = [pointer_parts(other) for other in others]
    differ = [i for i, part in enumerate(parts) if any(i >= len(o) or o[i] != part for o in rest)]
    words_: list[str] = []
    for i in differ[:3]:
        if parts[i].isdigit() and i > 0:
            words_ += [parts[i - 1], parts[i]]
        else:
            words_.append(parts[i])
    return class_name(name, *words_) if words_ else class_name(name, "Schema")


def property_names(schema: Any) -> list[str]:
    """An object schema's required properties, then its others, in order."""
    if not isinstance(schema, dict):
        return []
    required = [str(k) for k in schema.get("required") or [] if isinstance(k, str)]
    found = schema.get("properties")
    others = [str(k) for k in found if str(k) not in required] if isinstance(found, dict) else []
    return [*required, *others]


def kind_hint(branch: Any) -> str:
    """A name part for an inline union branch from its JSON kind and properties."""
    if not isinstance(branch, dict):
        return "Value"
    if isinstance(branch.get("type"), str) and branch["type"] not in ("object",):
        return "Array" if branch["type"] == "array" else str(branch["type"]).capitalize()
    required = branch.get("required") or list(branch.get("properties") or {})
    return f"With {required[0]}" if required else "Object"


_STRUCTURAL = frozenset(
    ("properties", "items", "anyOf", "oneOf", "allOf", "additionalProperties", "schema",
     "content", "contentSchema", "itemSchema", "prefixItems", "patternProperties")
)  # fmt: skip


def enum_prefix(pointer: str, name: str) -> str:
    """The word for enum members that start with a digit: the property (``size``) the enum
    belongs to, or the component's own name."""
    parts = pointer_parts(pointer)
    if len(parts) == 3 and parts[:2] == ["components", "schemas"]:
        return name
    for part in reversed(parts):
        if part not in _STRUCTURAL and not part.isdigit():
            return part
    return name
