"""``conform --engine dask``: the check as a Dask bag over the shards of the recordings.

Each shard (a file, or a range of an NDJSON file's lines: :mod:`.shards`) is one partition
of a ``dask.bag``; mapping :func:`.shards.check_shard` over it gives the shard's rendered
report entries, which come back in shard order and are merged into the one report, the
same report a single process writes. Results are computed a window of partitions at a
time, so the client holds only a few shards' entries however much traffic there is.

Where it runs: on the cluster whose scheduler is at ``scheduler`` (``tcp://host:8786``,
through ``distributed.Client``), or, without one, on ``workers`` local processes (Dask's
multiprocessing scheduler). Workers open the spec and the recordings by their absolute
paths, so both must be readable at those paths on every worker (a shared file system),
and the workers need this package installed: ``pip install 'openapi-images-generator[dask]'``.
Dask is an optional extra; the core install does not need it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from typing import Any

from ...errors import GeneratorError, Problem
from .shards import Shard, ShardResult, SpecRef, check_shard

__all__ = ["dask_results"]

_WINDOW_PER_WORKER = 4  # partitions in flight per worker


def dask_results(
    spec: SpecRef,
    shards: Sequence[Shard],
    form: str,
    *,
    scheduler: str | None = None,
    workers: int = 1,
    client: Any = None,
) -> Iterator[ShardResult]:
    """Each shard checked by Dask, in shard order. ``client``: a ``distributed.Client``
    already connected (else one is made for ``scheduler``, and closed at the end)."""
    need = "pip install 'openapi-images-generator[dask]'"
    try:  # an optional extra, untyped: imported by name
        dask: Any = importlib.import_module("dask")
        bag_module: Any = importlib.import_module("dask.bag")
    except ImportError:
        raise GeneratorError([Problem("--engine dask", "", f"needs Dask: {need}")]) from None
    if not shards:
        return
    owned = None
    if client is None and scheduler is not None:
        try:
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            reason = f"needs dask.distributed: {need}"
            raise GeneratorError([Problem("--scheduler", "", reason)]) from None
        try:
            owned = client = distributed.Client(scheduler, timeout="30s")
        except (OSError, TimeoutError, ValueError) as exc:
            reason = f"cannot reach the Dask scheduler: {type(exc).__name__}: {exc}"
            raise GeneratorError([Problem(scheduler, "", reason)]) from None
    try:
        bag = bag_module.from_sequence(list(shards), npartitions=len(shards))
        partitions = bag.map(_check, spec, form).to_delayed()
        if client is not None:
            window = _WINDOW_PER_WORKER * max(1, len(client.nthreads()))
            options: dict[str, Any] = {"scheduler": client}
        else:
            window = _WINDOW_PER_WORKER * max(1, workers)
            options = {"scheduler": "processes", "num_workers": max(1, workers)}
        for first in range(0, len(partitions), window):
            computed = dask.compute(*partitions[first : first + window], **options)
            for partition in computed:
                yield from partition
    finally:
        if owned is not None:
            owned.close()


def _check(shard: Shard, spec: SpecRef, form: str) -> ShardResult:
    return check_shard(spec, shard, form)
