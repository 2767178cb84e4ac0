"""The breaking-change engine and ``python -m generator diff``.

* :mod:`.engine` compares two ``ir.Api`` values into :class:`~.engine.Change` objects (its
  docstring has the classification rules);
* :mod:`.usage` decides which named things are on the request side and the response side;
* :mod:`.types` relates two IR types (widened, narrowed, ...); :mod:`.bounds` two bounds;
* :mod:`.generic` compares what no rule covers, by equality;
* :mod:`.report` writes text and JSON; :mod:`.cli` is the command.

``generate --changelog`` (:mod:`generator.tools.changelog`) uses the same engine.
"""

from __future__ import annotations

from .changes import Change
from .engine import diff_apis

__all__ = ["Change", "diff_apis"]
