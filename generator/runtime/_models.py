"""Attrs models that read and write JSON, checked against their annotations.

A generated model subclasses :class:`Model` and declares only its fields::

    @attrs.define(kw_only=True)
    class Image(Model):
        url: str | Unset = UNSET

Parsing (:meth:`Model.from_dict`, :func:`decode`) follows the annotations, resolved once per
class and compiled into a decoder. A value whose JSON kind does not fit its annotation raises
:class:`DecodeError`, which names the path (``ImagesResponse.data[0].created``); inside a
model that is not strict, the field reads as absent instead (below). Being
lenient (the default) covers what a newer server may add or leave out: unknown properties
(kept in ``additional_properties``), unknown enum values (kept as ``str``), unknown union
variants (kept as :class:`~._types.UnknownEvent` where the annotation allows it), and
missing required properties or ``null`` where the spec allows none (both read as ``UNSET``),
and a known property whose value does not fit its type (the field reads as ``UNSET``, so its
annotation holds, and the value is kept as received in ``additional_properties``: servers,
mock servers among them, send the spec's own examples, which may contradict the schema).
``strict=True`` raises for all three (but ``null`` for an optional property still reads as
absent, as many servers send it), and for a ``Literal`` value outside its values.

Names in annotations are looked up in the model's module, then in the package this module
was copied into (so models in different modules can refer to each other without import
cycles), then among the typing names generated code uses.
"""

from __future__ import annotations

import collections.abc
import enum
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, ClassVar, ForwardRef, Literal, Self

import attrs

from ._errors import ClientError, InvalidArgumentError
from ._types import UNSET, UnknownEvent, Unset, json_type, to_json

__all__ = [
    "DecodeError",
    "Discriminator",
    "FieldRule",
    "Model",
    "OneOf",
    "UnknownVariant",
    "decode",
    "decode_event",
]

_PACKAGE = __name__.rpartition(".")[0]

Decoder = Callable[[Any, bool], Any]


class DecodeError(ClientError, ValueError):
    """A JSON value does not fit the type the spec gives it.

    ``path`` locates the value (``.data[0].created``), ``message`` says what was wrong.
    ``mismatch`` is true when the value as a whole is not of the type (another variant of a
    union may still fit it), false when it is, but something inside it is wrong.
    """

    def __init__(self, message: str, path: str = "", *, mismatch: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.mismatch = mismatch

    def at(self, step: str) -> DecodeError:
        """The error seen from one level up: inside a value that did fit its type."""
        return DecodeError(self.message, step + self.path)

    def __str__(self) -> str:
        return f"{self.path.lstrip('.')}: {self.message}" if self.path else self.message


class UnknownVariant(DecodeError):
    """A discriminated union met a value of its property that names none of its variants."""

    def __init__(self, message: str, tag: str | None) -> None:
        super().__init__(message, mismatch=True)
        self.tag = tag


@attrs.frozen(eq=False)  # hashed by identity: its mapping is a dict
class Discriminator:
    """Annotation metadata of a discriminated union: the value of ``property`` names the
    class (``mapping`` values are class names; several names are told apart by fit).
    ``property=None`` means the SSE event name decides (event streams only)."""

    property: str | None
    mapping: Mapping[str, str | tuple[str, ...]]


class OneOf:
    """Annotation metadata of a union alias with no discriminator: its variants are told
    apart by JSON kind, and several object models by fit."""


@attrs.frozen
class FieldRule:
    """Fields that must appear together: one ``any_of`` group in full, not all of
    ``not_all`` (wire names). Checked when a model is built."""

    any_of: tuple[tuple[str, ...], ...]
    not_all: tuple[str, ...]
    message: str

    def check(self, present: set[str]) -> None:
        groups = [set(group) for group in self.any_of]
        if (groups and not any(group <= present for group in groups)) or (
            self.not_all and set(self.not_all) <= present
        ):
            raise InvalidArgumentError(self.message)


@attrs.define(kw_only=True)
class Model:
    """Base of every generated model: ``from_dict``/``to_dict`` by the field annotations.

    Every model is read leniently: a required property the data lacks is ``UNSET``
    (``strict=True`` raises). ``additional_properties`` holds properties the spec does not
    describe, as received; ``to_dict`` writes them back. ``_request_id`` is the
    ``x-request-id`` of the answer a model was parsed from (set on the value a call
    returns; None otherwise); it is not a field, is not compared, and is not written back.
    """

    additional_properties: dict[str, Any] = attrs.field(factory=dict)
    _request_id: str | None = attrs.field(default=None, init=False, repr=False, eq=False)

    # Python name -> wire name, for the fields whose names differ.
    __wire_names__: ClassVar[Mapping[str, str]] = {}
    __field_rules__: ClassVar[tuple[FieldRule, ...]] = ()

    def __attrs_post_init__(self) -> None:
        if self.__field_rules__:
            wire = self.__wire_names__
            present = {
                wire.get(f.name, f.name)
                for f in attrs.fields(type(self))
                if f.init and not isinstance(getattr(self, f.name), Unset)
            }
            for rule in self.__field_rules__:
                rule.check(present)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, strict: bool = False) -> Self:
        """Parse a JSON object. Raises :class:`DecodeError` (a ``ClientError`` and a
        ``ValueError``) when a value does not fit; ``strict`` also raises for missing
        required properties."""
        result: Self = _model_decoder(cls)(data, strict)
        return result

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: set fields under their wire names, then the unknown properties."""
        result: dict[str, Any] = {}
        for name, wire in _wire_fields(type(self)):
            value = getattr(self, name)
            if not isinstance(value, Unset):
                result[wire] = to_json(value)
        result.update(to_json(self.additional_properties))
        return result


def decode(type_: Any, data: Any, *, strict: bool = False, module: str | None = None) -> Any:
    """Parse the JSON value ``data`` as ``type_`` (any annotation a model field may have).

    Names in string annotations are looked up in ``module`` (when given), then in the
    package this runtime belongs to.
    """
    return decoder_for(type_, module)(data, strict)


def decode_event(
    type_: Any, data: Any, *, event: str | None, strict: bool = False, module: str | None = None
) -> Any:
    """Parse one event of a stream: like :func:`decode`, but a variant the union does not
    know (by its discriminator, or by the SSE ``event`` name where that decides) gives an
    :class:`~._types.UnknownEvent` instead of an error."""
    by_name = _event_names(type_)
    if by_name is not None and event is not None:
        names = by_name.mapping.get(event)
        if names is None:
            return UnknownEvent.from_dict(data, type=event)
        classes = [_resolve(n, module) for n in ((names,) if isinstance(names, str) else names)]
        return decode(classes[0] if len(classes) == 1 else best_fit(data, classes), data,
                      strict=strict, module=module)  # fmt: skip
    try:
        return decode(type_, data, strict=strict, module=module)
    except UnknownVariant as exc:
        return UnknownEvent.from_dict(data, type=exc.tag)


def _event_names(type_: Any) -> Discriminator | None:
    """The discriminator of a union chosen by SSE event name, if ``type_`` is one."""
    if typing.get_origin(type_) is Annotated:
        for metadata in typing.get_args(type_)[1:]:
            if isinstance(metadata, Discriminator) and metadata.property is None:
                return metadata
    return None


_DECODERS: dict[tuple[Any, str | None], Decoder] = {}


def decoder_for(type_: Any, module: str | None = None) -> Decoder:
    """The compiled decoder of an annotation, built once and kept."""
    key = (type_, module)
    found = _DECODERS.get(key)
    if found is None:
        found = _DECODERS[key] = _compile(type_, module)
    return found


# ---------------------------------------------------------------- name resolution


class _Names(Mapping[str, Any]):
    """The package's public names, looked up lazily (importing the module that has one)."""

    def __init__(self, module: str | None) -> None:
        self._module = sys.modules[module].__dict__ if module in sys.modules else {}

    def __getitem__(self, name: str) -> Any:
        if name in self._module:
            return self._module[name]
        package = sys.modules.get(_PACKAGE)
        try:
            return getattr(package, name)
        except AttributeError:
            pass
        if name in _TYPING_NAMES:
            return _TYPING_NAMES[name]
        raise KeyError(name)

    def __iter__(self) -> typing.Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


_TYPING_NAMES: dict[str, Any] = {
    "Any": Any,
    "Literal": Literal,
    "Annotated": Annotated,
    "Unset": Unset,
    "UnknownEvent": UnknownEvent,
    "Discriminator": Discriminator,
}


def _evaluate(expression: str, module: str | None) -> Any:
    # Annotations are written by the generator, never taken from spec text: evaluating
    # them is evaluating our own code.
    return eval(expression, {"__builtins__": __builtins__}, _Names(module))


def _resolve(type_: Any, module: str | None) -> Any:
    if isinstance(type_, str):
        type_ = _evaluate(type_, module)
    elif isinstance(type_, ForwardRef):
        type_ = _evaluate(type_.__forward_arg__, type_.__forward_module__ or module)
    # ``None`` in an annotation means its type; typing normalises it only at the top level
    # and in unions, not inside ``list[None]`` or ``dict[str, None]``.
    return types.NoneType if type_ is None else type_


# ---------------------------------------------------------------- decoders


_MODEL_DECODERS: dict[type, Decoder] = {}
_WIRE_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


def _wire_fields(cls: type[Model]) -> tuple[tuple[str, str], ...]:
    """(Python name, wire name) of each declared field, without ``additional_properties``."""
    found = _WIRE_FIELDS.get(cls)
    if found is None:
        wire = cls.__wire_names__
        found = tuple(
            (f.name, wire.get(f.name, f.name))
            for f in attrs.fields(cls)
            if f.init and f.name != "additional_properties"
        )
        _WIRE_FIELDS[cls] = found
    return found


def _model_decoder(cls: type[Model]) -> Decoder:
    found = _MODEL_DECODERS.get(cls)
    if found is None:
        # Registered before it is built: a model may contain itself.
        _MODEL_DECODERS[cls] = lambda data, strict: built(data, strict)
        built = _build_model_decoder(cls)
        _MODEL_DECODERS[cls] = found = built
    return found


def _build_model_decoder(cls: type[Model]) -> Decoder:
    hints = typing.get_type_hints(cls, localns=_Names(cls.__module__), include_extras=True)
    by_name = {f.name: f for f in attrs.fields(cls)}
    fields = []
    for name, wire in _wire_fields(cls):
        annotation = hints[name]
        required = by_name[name].default is attrs.NOTHING
        nullable = _admits_none(annotation, cls.__module__)
        fields.append((name, wire, _compile(annotation, cls.__module__), required, nullable))
    extra_type = hints.get("additional_properties", dict[str, Any])
    extra = _compile(typing.get_args(extra_type)[1], cls.__module__)
    known = frozenset(wire for _, wire, _, _, _ in fields)
    title = cls.__name__

    def decode_model(data: Any, strict: bool) -> Any:
        if not isinstance(data, Mapping):
            raise DecodeError(f"expected a {title} object, got {_kind(data)}", mismatch=True)
        values: dict[str, Any] = {}
        missing: list[str] = []
        other: dict[str, Any] = {}
        for name, wire, decode_field, required, nullable in fields:
            if wire in data:
                value = data[wire]
                if value is None and not nullable:
                    if strict and required:  # an optional property's null reads as absent
                        raise DecodeError("null is not allowed here").at("." + wire)
                    values[name] = UNSET
                    continue
                try:
                    values[name] = decode_field(value, strict)
                except DecodeError as exc:
                    if strict:
                        raise exc.at("." + wire) from None
                    # Lenient: the field reads as absent, so its type holds, and the value
                    # is kept as received (written back by to_dict).
                    values[name] = UNSET
                    other[wire] = value
            elif required:
                missing.append(wire)
                values[name] = UNSET
        if missing and strict:
            raise DecodeError(f"{title} is missing required properties: {', '.join(missing)}")
        for key, value in data.items():
            if key not in known:
                try:
                    other[key] = extra(value, strict)
                except DecodeError as exc:
                    raise exc.at("." + key) from None
        try:
            return cls(**values, additional_properties=other)
        except ValueError as exc:  # a field rule (InvalidArgumentError)
            raise DecodeError(str(exc)) from None

    return decode_model


def _compile(type_: Any, module: str | None) -> Decoder:
    """A decoder for one annotation; names are resolved on first use, so types may recurse."""
    if isinstance(type_, str | ForwardRef):
        resolved: list[Decoder] = []

        def lazy(data: Any, strict: bool) -> Any:
            if not resolved:
                resolved.append(_compile(_resolve(type_, module), module))
            return resolved[0](data, strict)

        return lazy
    type_ = _resolve(type_, module)
    if type_ is Any or type_ is object:
        return _as_is
    origin = typing.get_origin(type_)
    if origin is Annotated:
        inner, *metadata = typing.get_args(type_)
        found = next((m for m in metadata if isinstance(m, Discriminator)), None)
        if found is None:
            return _compile(inner, module)
        return _discriminated(inner, found, module)
    if origin in (types.UnionType, typing.Union):
        return _union([t for t in typing.get_args(type_) if t is not Unset], module)
    if origin is Literal:
        return _literal(typing.get_args(type_))
    if origin in (typing.Required, typing.NotRequired):
        return _compile(typing.get_args(type_)[0], module)
    if origin in (list, collections.abc.Sequence):
        return _list(_compile(typing.get_args(type_)[0], module))
    if origin in (dict, collections.abc.Mapping):
        return _dict(_compile(typing.get_args(type_)[1], module))
    if type_ is type(None):
        return _none
    if type_ is UnknownEvent:
        return _unknown(None)
    if isinstance(type_, type):
        if issubclass(type_, Model):
            return _model_decoder(type_)
        if issubclass(type_, enum.Enum):
            return _enum(type_)
        if type_ in _SCALARS:
            return _SCALARS[type_]
    # Decoders are built while decoding (names resolve lazily), so a TypeError here would
    # escape as a crash; a type no JSON value has (a file, bytes) rejects each value instead.
    return _undecodable(type_)


def _undecodable(type_: Any) -> Decoder:
    def decode_nothing(data: Any, strict: bool) -> Any:
        raise DecodeError(f"no JSON value is a {type_!r}, got {_kind(data)}", mismatch=True)

    return decode_nothing


def _as_is(data: Any, strict: bool) -> Any:
    return data


def _none(data: Any, strict: bool) -> Any:
    if data is not None:
        raise DecodeError(f"expected null, got {_kind(data)}", mismatch=True)
    return None


def _str(data: Any, strict: bool) -> Any:
    if not isinstance(data, str):
        raise DecodeError(f"expected a string, got {_kind(data)}", mismatch=True)
    return data


def _bool(data: Any, strict: bool) -> Any:
    if not isinstance(data, bool):
        raise DecodeError(f"expected a boolean, got {_kind(data)}", mismatch=True)
    return data


def _int(data: Any, strict: bool) -> Any:
    if isinstance(data, int) and not isinstance(data, bool):
        return data
    if isinstance(data, float) and data.is_integer():
        return int(data)  # JSON has one number type: 3.0 is the integer 3
    raise DecodeError(f"expected an integer, got {_kind(data)}", mismatch=True)


def _float(data: Any, strict: bool) -> Any:
    if isinstance(data, int | float) and not isinstance(data, bool):
        return data
    raise DecodeError(f"expected a number, got {_kind(data)}", mismatch=True)


_SCALARS: dict[type, Decoder] = {str: _str, bool: _bool, int: _int, float: _float}


def _list(item: Decoder) -> Decoder:
    def decode_list(data: Any, strict: bool) -> Any:
        if not isinstance(data, list):
            raise DecodeError(f"expected an array, got {_kind(data)}", mismatch=True)
        result = []
        for index, value in enumerate(data):
            try:
                result.append(item(value, strict))
            except DecodeError as exc:
                raise exc.at(f"[{index}]") from None
        return result

    return decode_list


def _dict(value_decoder: Decoder) -> Decoder:
    def decode_dict(data: Any, strict: bool) -> Any:
        if not isinstance(data, Mapping):
            raise DecodeError(f"expected an object, got {_kind(data)}", mismatch=True)
        result = {}
        for key, value in data.items():
            try:
                result[key] = value_decoder(value, strict)
            except DecodeError as exc:
                raise exc.at(f"[{key!r}]") from None
        return result

    return decode_dict


def _enum(enum_class: type[enum.Enum]) -> Decoder:
    values = {member.value: member for member in enum_class}

    def decode_enum(data: Any, strict: bool) -> Any:
        try:
            return values[data]
        except (KeyError, TypeError):
            raise DecodeError(
                f"{_short(data)} is not a {enum_class.__name__}", mismatch=True
            ) from None

    return decode_enum


def _literal(allowed: tuple[Any, ...]) -> Decoder:
    kinds = {_json_kind(v) for v in allowed}
    choices = set(allowed)

    def decode_literal(data: Any, strict: bool) -> Any:
        if data in choices and _json_kind(data) in kinds:
            return data
        if strict or _json_kind(data) not in kinds:
            raise DecodeError(
                f"expected one of {sorted(map(repr, allowed))}, got {_short(data)}", mismatch=True
            )
        return data  # lenient: a value a newer server may send

    return decode_literal


def _unknown(prop: str | None) -> Decoder:
    def decode_unknown(data: Any, strict: bool) -> Any:
        kind = data.get(prop) if prop and isinstance(data, Mapping) else None
        if kind is None and isinstance(data, Mapping):
            kind = data.get("type")
        return UnknownEvent.from_dict(data, type=kind if isinstance(kind, str) else None)

    return decode_unknown


def _union(variants: list[Any], module: str | None) -> Decoder:
    """Choose by the JSON kind of the value; among several object models, the best fit."""
    by_kind: dict[str, list[Any]] = {}
    for variant in variants:
        for kind in _json_kinds(variant, module):
            by_kind.setdefault(kind, []).append(variant)
    compiled = {
        kind: (_best_model(found, module) or _first_of([_compile(v, module) for v in found]))
        for kind, found in by_kind.items()
    }
    kinds = sorted(k for k in compiled if k != "null") or list(compiled)
    accepted = " or ".join(kinds) or "no JSON value"

    def decode_union(data: Any, strict: bool) -> Any:
        decoder = compiled.get(_json_kind(data))
        if decoder is None:
            raise DecodeError(f"expected {accepted}, got {_kind(data)}", mismatch=True)
        return decoder(data, strict)

    return decode_union


def _first_of(decoders: list[Decoder]) -> Decoder:
    """Try each in turn: the first whose type the value has decides (errors inside it are
    the value's errors, not a reason to try the next)."""
    if len(decoders) == 1:
        return decoders[0]

    def decode_first(data: Any, strict: bool) -> Any:
        first: DecodeError | None = None
        for decoder in decoders:
            try:
                return decoder(data, strict)
            except DecodeError as exc:
                if not exc.mismatch:
                    raise
                first = first or exc
        assert first is not None
        raise first

    return decode_first


def _best_model(variants: list[Any], module: str | None) -> Decoder | None:
    """For two or more model classes (and nothing else) of one JSON kind: the best fit."""
    classes = [_resolve(v, module) for v in variants]
    models = [c for c in classes if isinstance(c, type) and issubclass(c, Model)]
    if len(models) < 2 or len(models) != len(classes):
        return None

    def decode_best(data: Any, strict: bool) -> Any:
        return _model_decoder(best_fit(data, models))(data, strict)

    return decode_best


def best_fit(data: Any, classes: Iterable[type[Model]]) -> type[Model]:
    """The model that fits a JSON object best: no constant property of it (a ``Literal``)
    contradicted first, then all its required properties present, then the most properties
    it declares, then the first listed."""
    given = data if isinstance(data, Mapping) else {}
    keys = set(given)

    def fit(cls: type[Model]) -> tuple[bool, bool, int]:
        wires = {wire for _, wire in _wire_fields(cls)}
        agrees = all(
            given[wire] in allowed
            for wire, allowed in _constants(cls).items()
            if given.get(wire) is not None
        )
        return agrees, _required(cls) <= keys, len(wires & keys)

    return max(classes, key=fit)  # max keeps the first of equals


_CONSTANTS: dict[type[Model], dict[str, tuple[Any, ...]]] = {}


def _constants(cls: type[Model]) -> dict[str, tuple[Any, ...]]:
    """Wire name -> the values of each field annotated with a ``Literal`` (alone, or with
    ``None``/``Unset``)."""
    if cls not in _CONSTANTS:
        hints = typing.get_type_hints(cls, localns=_Names(cls.__module__))
        found: dict[str, tuple[Any, ...]] = {}
        for name, wire in _wire_fields(cls):
            parts = _union_parts(hints[name])
            literals = [p for p in parts if typing.get_origin(p) is Literal]
            if literals and len(literals) == len([p for p in parts if p not in _EMPTY]):
                found[wire] = tuple(v for p in literals for v in typing.get_args(p))
        _CONSTANTS[cls] = found
    return _CONSTANTS[cls]


_EMPTY = (type(None), Unset)


def _union_parts(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def _required(cls: type[Model]) -> frozenset[str]:
    """Wire names of the fields without a default: the required ones."""
    defaults = {f.name: f.default for f in attrs.fields(cls)}
    return frozenset(wire for name, wire in _wire_fields(cls) if defaults[name] is attrs.NOTHING)


def _discriminated(inner: Any, found: Discriminator, module: str | None) -> Decoder:
    """A union told apart by a property's value; other JSON kinds by kind."""
    prop = found.property
    cases = {
        value: (names,) if isinstance(names, str) else tuple(names)
        for value, names in found.mapping.items()
    }
    by_value: dict[str, Decoder] = {}
    fallback = _compile(inner, module)

    def decoder_for(value: str) -> Decoder | None:
        if value not in by_value and value in cases:
            classes = [_resolve(name, module) for name in cases[value]]
            by_value[value] = (
                _model_decoder(classes[0])
                if len(classes) == 1
                else lambda data, strict: _model_decoder(best_fit(data, classes))(data, strict)
            )
        return by_value.get(value)

    def decode_discriminated(data: Any, strict: bool) -> Any:
        if not isinstance(data, Mapping) or prop is None:
            return fallback(data, strict)
        tag = data.get(prop)
        decoder = decoder_for(tag) if isinstance(tag, str) else None
        if decoder is None:
            known = ", ".join(repr(v) for v in cases)
            message = f"unknown {prop} {_short(tag)} (known: {known})"
            raise UnknownVariant(message, tag if isinstance(tag, str) else None)
        return decoder(data, strict)

    return decode_discriminated


# ---------------------------------------------------------------- JSON kinds


def _json_kind(value: Any) -> str:
    """:func:`~._types.json_type`, with ``integer`` read as ``number`` (JSON has one)."""
    kind = json_type(value)
    return "number" if kind == "integer" else kind


def _json_kinds(type_: Any, module: str | None = None) -> tuple[str, ...]:
    """The JSON kinds a value of this annotation can have."""
    type_ = _resolve(type_, module)
    origin = typing.get_origin(type_)
    if origin is Annotated:
        return _json_kinds(typing.get_args(type_)[0], module)
    if origin in (types.UnionType, typing.Union):
        kinds = (k for t in typing.get_args(type_) for k in _json_kinds(t, module))
        return tuple(dict.fromkeys(kinds))
    if origin is Literal:
        return tuple(dict.fromkeys(_json_kind(v) for v in typing.get_args(type_)))
    if origin in (typing.Required, typing.NotRequired):
        return _json_kinds(typing.get_args(type_)[0], module)
    if origin in (list, collections.abc.Sequence):
        return ("array",)
    if origin in (dict, collections.abc.Mapping):
        return ("object",)
    if type_ is Any or type_ is object:
        return ("null", "boolean", "number", "string", "array", "object")
    if type_ is type(None):
        return ("null",)
    if type_ is Unset:
        return ()
    if type_ is str or (isinstance(type_, type) and issubclass(type_, enum.Enum)):
        return ("string",)
    if type_ is bool:
        return ("boolean",)
    if type_ in (int, float):
        return ("number",)
    if type_ is UnknownEvent or (isinstance(type_, type) and issubclass(type_, Model)):
        return ("object",)
    return ()  # no JSON value decodes as it (see _undecodable)


def _admits_none(type_: Any, module: str | None) -> bool:
    return "null" in _json_kinds(type_, module)


def _kind(value: Any) -> str:
    kind = _json_kind(value)
    return f"{kind} {_short(value)}" if kind in ("string", "number", "boolean") else kind


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
