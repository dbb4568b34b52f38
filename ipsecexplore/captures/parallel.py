"""Worker processes for an import of many files: batches of files parsed in forked workers and in this
process, results taken back in submission order, so that an import gives the same records in the same order
as one process.

Only where ``fork`` exists (chosen automatically on Linux only): a forked worker inherits the loaded package and the
job's file list, so nothing but the file bytes and the results crosses the pipe; elsewhere, and for small
imports, the import stays in one process. At most ``2 × workers`` batches are in flight, so the bytes read
ahead stay bounded whatever the size of the import.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from types import MappingProxyType

__all__ = ["cpu_count", "idle_cpus", "auto_workers", "ordered_batches", "MIN_FILES", "MIN_BYTES", "BATCH_BYTES"]

#: An import is spread over workers (``workers=None``) only from this many files …
MIN_FILES = 8
#: … holding at least this many bytes (below it, starting workers costs more than it saves).
MIN_BYTES = 4 << 20
#: Files are sent to workers in batches of about this many bytes (or 256 files).
BATCH_BYTES = 1 << 20
_BATCH_FILES = 256


def _proxy(d: dict) -> MappingProxyType:
    return MappingProxyType(d)


def _reduce_proxy(m):
    return _proxy, (dict(m),)  # the type itself cannot be pickled by name


# Records share read-only value mappings (cim.convert); let them cross the pipe (pickle keeps the sharing
# within one batch). Registered on multiprocessing's own pickler only.
from multiprocessing.reduction import ForkingPickler  # noqa: E402

ForkingPickler.register(MappingProxyType, _reduce_proxy)


def cpu_count() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def idle_cpus() -> int:
    """CPUs not busy with other work, from the one-minute load average (all of them where it is unknown)."""
    n = cpu_count()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return n
    return max(0, min(n, int(n - load + 0.5)))


def auto_workers(requested: int | None, n_files: int, n_bytes: int) -> int:
    """How many worker processes to use: ``requested`` when given (1 = none; needs ``fork``), else on Linux
    one per idle CPU (up to 8) for an import of at least :data:`MIN_FILES` files and :data:`MIN_BYTES`
    bytes — on a machine whose CPUs are all busy, workers only compete with each other — else 1."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if requested is not None:
        return max(1, int(requested))
    if n_files < MIN_FILES or n_bytes < MIN_BYTES or not sys.platform.startswith("linux"):
        return 1  # macOS offers fork, but its system libraries are not safe in a forked child
    n = min(idle_cpus(), 8)
    return n if n >= 2 else 1


def ordered_batches(entries, size_of, work, workers: int):
    """Run ``work(batch)`` over consecutive batches of ``entries`` in ``workers`` processes — this one and
    ``workers - 1`` forked ones — and yield ``(batch, result)`` in order. ``size_of(entry)`` is the entry's
    byte count (0 = nothing to send: the entry is still kept in its batch, for the caller's bookkeeping).
    ``work`` must be a module-level function; what it needs beyond the batch it reads from globals set
    before this call (inherited by the fork). An exception in a worker is raised here.

    This process takes one batch in every ``workers`` itself, when its turn comes: the batches after it
    are already with the workers by then, so every CPU parses, and this process's share needs no pickling
    (an idle main process waiting on its workers left one CPU's worth of the work undone)."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(max(1, workers - 1)) as pool:
        pending: deque = deque()  # (batch, async result, or None: this process's own)
        for k, batch in enumerate(_batches(entries, size_of)):
            own = k % workers == 0  # the first is ours: no wait for a worker to start
            pending.append((batch, None if own else pool.apply_async(work, (batch,))))
            while len(pending) > 2 * workers:
                yield _take(pending, work)
        while pending:
            yield _take(pending, work)


def _batches(entries, size_of):
    """Consecutive batches of about :data:`BATCH_BYTES` bytes (or :data:`_BATCH_FILES` entries)."""
    batch: list = []
    size = 0
    for entry in entries:
        batch.append(entry)
        size += size_of(entry)
        if size >= BATCH_BYTES or len(batch) >= _BATCH_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _take(pending: deque, work):
    batch, res = pending.popleft()
    return batch, work(batch) if res is None else res.get()
