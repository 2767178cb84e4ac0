"""What the generator knows about the runtime package, all read from the package itself.

The runtime (``generator/runtime``) declares its public names once, in ``__all__``; each of
its modules declares what it offers in its own ``__all__``. From those this module derives
the module each public name comes from, and every name a generated module may import, so
that no schema-derived class is given one of them.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType

from .templates import RUNTIME_DIR

_PACKAGE = "generator.runtime"
# Names generated modules import from the standard library and typing.
_TYPING_NAMES = frozenset(
    {"Any", "Annotated", "ClassVar", "Literal", "Mapping", "Sequence", "Required", "Self",
     "TypeAlias", "TypedDict", "TYPE_CHECKING", "Callable", "NotRequired", "Never", "Enum",
     "None", "True", "False", "Client", "AsyncClient"}
)  # fmt: skip


def module(name: str) -> ModuleType:
    return importlib.import_module(f"{_PACKAGE}.{name}")


# Modules only some packages need, and what a spec must have for its package to get them.
OPTIONAL = {"_images": "base64 image payloads", "_webhooks": "webhooks"}


@functools.cache
def modules() -> tuple[str, ...]:
    """The runtime modules, in name order (``_sse``, ``_streaming``, ...)."""
    return tuple(sorted(p.stem for p in RUNTIME_DIR.glob("_*.py") if p.stem != "__init__"))


def modules_for(optional: set[str]) -> tuple[str, ...]:
    """The runtime modules a package gets: every one but the optional ones it does not need."""
    return tuple(m for m in modules() if m not in OPTIONAL or m in optional)


@functools.cache
def public_names() -> dict[str, str]:
    """Each public name of the runtime and the module it comes from."""
    package = importlib.import_module(_PACKAGE)
    found = {name: owner for owner, names in package.PUBLIC.items() for name in names}
    return dict(sorted(found.items()))


@functools.cache
def reserved_names() -> frozenset[str]:
    """Every name a generated module may take from the runtime or from typing."""
    names = {n for m in modules() for n in getattr(module(m), "__all__", ())}
    return frozenset(names | _TYPING_NAMES)


@functools.cache
def client_attributes() -> frozenset[str]:
    """The attributes and constructor arguments of the runtime's clients: a resource of the
    client must not take one of their names (``with_options``, ``base_url``...)."""
    import inspect

    names: set[str] = set()
    for cls in (module("_sync_client").SyncAPIClient, module("_async_client").AsyncAPIClient):
        names |= {n for n in dir(cls) if not n.startswith("_")}
        names |= set(inspect.signature(cls.__init__).parameters) - {"self", "settings"}
    return frozenset(names | {"with_raw_response", "with_streaming_response"})
