"""Rules for operations: client methods, parameters, request bodies, responses, streams."""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import pointer_join
from ...pipeline import ir
from .members import Member, MemberRules
from .usage import tags_of


class OperationRules(MemberRules):
    """Compares the operations of the two APIs, matched by operationId, then by route."""

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
        self._page(old, new)
        self._server(old, new)
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

    def _server(self, old: ir.Operation, new: ir.Operation) -> None:
        """The operation's own server; a change of the API's default is reported once, for
        the package."""
        before = old.base_url or self.old.base_url
        after = new.base_url or self.new.base_url
        if old.base_url != new.base_url and before != after:
            self._emit(
                "server_changed",
                new.operation_id,
                False,
                f"{', '.join(_methods(new))} now call(s) {after}, was {before}: calling code "
                "is unchanged",
                new.pointer,
                "new",
            )

    def _page(self, old: ir.Operation, new: ir.Operation) -> None:
        """Paging: whether a list method returns pages, and what the pages hold."""
        before, after = old.page, new.page
        location = new.operation_id
        methods = ", ".join(_methods(new))
        if before is None and after is None:
            return
        if before is None or after is None:
            kind = "pagination_added" if after is not None else "pagination_removed"
            now = "pages of items" if after is not None else "the list answer itself"
            self._emit(
                kind,
                location,
                True,
                f"{methods} now return(s) {now}: code reading the old return type breaks",
                new.pointer,
                "new",
                ("response",),
            )
            return
        self._type_change(
            f"{location} pages", "page item", before.item, after.item, frozenset({"response"}),
            new.pointer,
        )  # fmt: skip
        paging = ("items", "has_more", "cursor_param", "cursor_from")
        if any(getattr(before, a) != getattr(after, a) for a in paging):
            self._emit(
                "pagination_changed",
                location,
                False,
                f"{methods} page(s) through the list differently: the items are the same",
                new.pointer,
                "new",
                ("response",),
            )
        self._unhandled("pagination", location, before, after, new.pointer, ("response",))

    def _parameters(self, old: ir.Operation, new: ir.Operation) -> None:
        def members(op: ir.Operation) -> list[Member]:
            return [
                Member(
                    f"{new.operation_id}.{p.location}.{p.wire_name}",
                    "parameter",
                    f"{p.location}:{p.wire_name}",
                    p.py_name,
                    p.type,
                    p.required,
                    p.doc,
                    _pointer(op, p),
                    frozenset({"request"}),
                    tuple(_methods(op)),
                    p,
                )
                for p in op.parameters
            ]

        self._members(members(old), members(new))
        before = {(p.location, p.wire_name): p for p in old.parameters}
        for param in new.parameters:
            was = before.get((param.location, param.wire_name))
            if was is None or (was.style, was.explode) == (param.style, param.explode):
                continue
            self._emit(
                "parameter_serialization_changed",
                f"{new.operation_id}.{param.location}.{param.wire_name}",
                False,
                f"{param.location} parameter {param.wire_name} is now written {_style(param)}, "
                f"was {_style(was)}: calling code is unchanged",
                _pointer(new, param),
                "new",
                ("request",),
            )

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
            if before.whole != body.whole:
                shape = "one body= argument" if body.whole else "one argument per field"
                self._emit(
                    "body_shape_changed",
                    location,
                    True,
                    f"{method} now takes {shape}: calls written for the old arguments break",
                    where,
                    "new",
                    ("request",),
                )
            elif body.whole or self.renames.get(before.model or "", before.model) != body.model:
                # A body without a model, or another schema: compare the arguments themselves.
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
        name = field.wire_name or field.py_name  # a whole body's argument has no wire name
        return Member(
            f"{location}.{name}",
            "argument",
            name,
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

    def _event_names(self, stream: ir.EventStream) -> set[str] | None:
        """The event names an old stream's union knows (None: not a tagged union)."""
        if not isinstance(stream.type, ir.UnionRef):
            return None
        union = self.old_usage.unions.get(stream.type.name)
        tags = tags_of(union) if union is not None else None
        return set(tags) if tags is not None else None

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
        ended = set(old.terminal) - set(new.terminal)
        known = self._event_names(old)
        # A new event type that ends the stream is only a new event type; an event that was
        # there before and now ends it (or no longer does) changes when the stream ends.
        now_ending = {
            n for n in set(new.terminal) - set(old.terminal) if known is None or n in known
        }
        if ended or now_ending:
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


def _methods(op: ir.Operation) -> list[str]:
    names = [b.method_name for b in op.bodies] or [op.method_name]
    return [f"client.{op.resource}.{name}" for name in names]


def _names(names: Iterable[str]) -> str:
    listed = sorted(names)
    return ", ".join(repr(n) for n in listed) if listed else "(no terminal event)"


def _pointer(op: ir.Operation, param: ir.Parameter) -> str:
    """The parameter's entry in the spec; its operation's list when the IR came from a
    description written before parameters kept their pointer."""
    return param.pointer or pointer_join(op.pointer, "parameters")


def _style(param: ir.Parameter) -> str:
    explode = {None: "", True: ", exploded", False: ", not exploded"}[param.explode]
    return f"{param.style or 'in the default style'}{explode}"
