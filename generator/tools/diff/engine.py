"""The breaking-change engine: two ``ir.Api`` values in, a list of :class:`Change` out.

Every change says whether it breaks code written against the client generated from the
OLD API. ``diff`` builds both APIs from specs; ``generate --changelog`` loads the old one
from the package's API description (``_api.json``). Both call :func:`diff_apis`.

Sides: whether a model, enum or union is on the request side (values the caller sends),
the response side (values it reads) or both comes from :mod:`.usage`. Types are compared by
the values they accept (:mod:`.types`): a named union is an alias, a model a class.

Every kind of change is listed in :data:`.changes.KINDS`; README.md ("What ``diff`` calls
breaking") has the table of rules, one row a kind, and says why a removed enum value is
breaking when the old client had a constant for it.
"""

from __future__ import annotations

from ...pipeline import ir
from .changes import Change
from .named import NamedRules
from .operations import OperationRules


def diff_apis(old: ir.Api, new: ir.Api) -> list[Change]:
    """The changes from ``old`` to ``new`` that a generated client can notice, classified."""
    return _Differ(old, new).run()


class _Differ(NamedRules, OperationRules):
    """Every rule, run in report order: package, named things, operations, their contents."""

    def run(self) -> list[Change]:
        self._api()
        models = self._pair("model", self.old_usage.models, self.new_usage.models)
        enums = self._pair("enum", self.old_usage.enums, self.new_usage.enums)
        unions = self._pair("union", self.old_usage.unions, self.new_usage.unions)
        self._operations()
        for old_model, new_model in models:
            self._model(old_model, new_model)
        for old_enum, new_enum in enums:
            self._enum(old_enum, new_enum)
        for old_union, new_union in unions:
            self._union(old_union, new_union)
        return self.changes

    def _api(self) -> None:
        old, new = self.old, self.new
        if old.package_name != new.package_name:
            self._emit(
                "package_renamed",
                new.package_name,
                True,
                f"package {old.package_name} is now {new.package_name}: imports must change",
                "",
            )
        envs = (
            ("api_key_env", "API key"),
            ("base_url_env", "base URL"),
            ("webhook_secret_env", "webhook secret"),
        )
        for attribute, what in envs:
            before, after = getattr(old, attribute), getattr(new, attribute)
            if before != after:
                self._emit(
                    "environment_renamed",
                    new.package_name,
                    True,
                    f"the {what} is now read from ${after}, was ${before}: deployments "
                    f"setting ${before} break",
                    "",
                )
        if old.base_url != new.base_url:
            self._emit(
                "base_url_changed",
                new.package_name,
                False,
                f"default base URL {old.base_url} -> {new.base_url}",
                "",
            )
        if (old.schemes, old.security) != (new.schemes, new.security):
            self._emit(
                "auth_changed",
                new.package_name,
                _needs_new_credentials(old, new),
                f"credentials are now sent as {_auth(new)}, was {_auth(old)}",
                "",
            )
        self._webhooks(old.webhook_event, new.webhook_event)
        if old.array_format != new.array_format:
            self._emit(
                "array_format_changed",
                new.package_name,
                False,
                f"arrays in forms and queries are now written {new.array_format!r}, was "
                f"{old.array_format!r}: calling code is unchanged",
                "",
            )
        self._unhandled("package", new.package_name, old, new, "")

    def _webhooks(self, old: ir.TypeRef | None, new: ir.TypeRef | None) -> None:
        """The payloads of the spec's webhooks: values the application reads."""
        location = f"{self.new.package_name} webhooks"
        if old is not None and new is not None:
            self._type_change(location, "webhook event", old, new, frozenset({"response"}), "")
        elif old is None and new is not None:
            self._emit(
                "webhooks_added", location, False, "the package now reads webhook events", ""
            )
        elif old is not None and new is None:
            self._emit(
                "webhooks_removed",
                location,
                True,
                "the package no longer reads webhook events: code handling them breaks",
                "",
            )


def _auth(api: ir.Api) -> str:
    """How the API's default requirements send credentials, in words."""
    schemes = {s.name: s for s in api.schemes}
    ways = []
    for alternative in api.security:
        parts = [
            "a bearer token"
            if s.kind == "bearer"
            else "a username and password"
            if s.kind == "basic"
            else f"the {s.location} {s.parameter}"
            for s in (schemes[n] for n in alternative if n in schemes)
        ]
        ways.append(" and ".join(parts) or "nothing")
    return " or ".join(ways) or "nothing"


def _needs_new_credentials(old: ir.Api, new: ir.Api) -> bool:
    """Whether clients must now be given a kind of credential they did not need before
    (a username and password where an API key did; a key where nothing did)."""

    def kinds(api: ir.Api) -> set[str]:
        schemes = {s.name: s for s in api.schemes}
        first = api.security[0] if api.security else ()
        return {"basic" if schemes[n].kind == "basic" else "key" for n in first if n in schemes}

    return bool(kinds(new) - kinds(old))
