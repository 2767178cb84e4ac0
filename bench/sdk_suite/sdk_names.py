"""The SDK's names, as the ported tests import them, resolved against the generated package.

The ported tests import every ``openai`` name from here. A name the generated package's
client and runtime also export (``OpenAI``, ``SyncCursorPage``, ``Stream``) is that object; a
few SDK names map to the package's name for the same thing (``RENAMED``). Any other name is
a model the SDK names after its own conventions (``Model``, ``ModelDeleted``), even where the
package has a model of that name (``Message`` is another schema there): a ``Placeholder``
class, which ``tests.utils.assert_matches_type`` checks structurally (a typed model of the
package, not a raw ``dict``). The package is named by ``$SDK_SUITE_PACKAGE``.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

_PACKAGE = importlib.import_module(os.environ.get("SDK_SUITE_PACKAGE", "openai_client"))

# SDK name -> the generated package's public name for the same thing.
RENAMED = {"HttpxBinaryResponseContent": "BinaryResponseContent"}


class Placeholder:
    """An SDK type the generated package names differently; subscriptable like a generic."""

    sdk_name = "Placeholder"

    def __class_getitem__(cls, args: Any) -> PlaceholderAlias:
        return PlaceholderAlias(cls, args if isinstance(args, tuple) else (args,))


class PlaceholderAlias:
    """``Placeholder[X]``: the origin and its arguments, for ``assert_matches_type``."""

    def __init__(self, origin: type[Placeholder], args: tuple[Any, ...]) -> None:
        self.origin = origin
        self.args = args

    def __repr__(self) -> str:
        return f"{self.origin.sdk_name}[{', '.join(map(repr, self.args))}]"


_placeholders: dict[str, type[Placeholder]] = {}


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    ours = getattr(_PACKAGE, RENAMED.get(name, name), None)
    module = getattr(ours, "__module__", None) or ""
    if module.startswith(_PACKAGE.__name__) and ".models" not in module:
        return ours  # the client, a page, a stream, an error: the runtime's, not a model
    if name not in _placeholders:
        _placeholders[name] = type(name, (Placeholder,), {"sdk_name": name})
    return _placeholders[name]
