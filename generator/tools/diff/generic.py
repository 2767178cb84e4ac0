"""What the engine has no rule for: attributes of IR classes compared by equality.

The engine names, for each IR class it compares, the attributes it has a rule for and
those it leaves out on purpose (prose, locations). An attribute in neither list (one added
to ``ir.py`` after these rules were written), or an object of a class the engine does
not know, is compared by equality; a difference is reported as ``changed`` and counted as
breaking, since nothing says it is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

# Per IR class: the attributes the engine compares or ignores on purpose. ``servers`` is
# ignored: what a client does with them is its base URL, which is compared.
HANDLED: dict[str, frozenset[str]] = {
    name: frozenset(fields.split())
    for name, fields in {
        "Api": "package_name title spec_version spec_sha256 base_url schemes security "
        "api_key_env base_url_env models enums unions operations array_format webhook_event "
        "webhook_secret_env servers",
        "SecurityScheme": "name kind location parameter",
        "Model": "name pointer doc fields extra rules examples",
        "Field": "wire_name py_name type required doc pointer",
        "Doc": "description default has_default bounds deprecated",
        "Enum": "name pointer doc members",
        "EnumMember": "name value",
        "UnionDef": "name pointer doc variants discriminator fallback examples by_event",
        "Discriminator": "property mapping",
        "Parameter": "wire_name py_name location type required doc style explode pointer",
        "RequestBody": "content_type encoding model fields method_name whole",
        "EventStream": "type discriminator terminal",
        "Response": "status content_type kind type stream examples",
        "Operation": "operation_id http_method path resource method_name doc summary "
        "parameters bodies responses stream_field pointer page security base_url servers",
        "Pagination": "item items has_more cursor_param cursor_from",
    }.items()
}


def unhandled(old: Any, new: Any) -> Iterator[tuple[str, Any, Any]]:
    """``(attribute, old value, new value)`` for each difference no rule covers.

    A subclass of a class with rules has its own attributes compared one by one. Objects of
    different classes, or of a class without rules, are compared whole (the attribute is
    ``""``).
    """
    kind = type(new)
    handled = next((HANDLED[c.__name__] for c in kind.__mro__ if c.__name__ in HANDLED), None)
    if type(old) is not kind or handled is None or not attrs.has(kind):
        if old != new:
            yield "", old, new
        return
    for field in attrs.fields(kind):
        if field.name in handled:
            continue
        before, after = getattr(old, field.name), getattr(new, field.name)
        if before != after:
            yield field.name, before, after
