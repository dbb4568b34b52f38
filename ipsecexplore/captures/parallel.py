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

from .record import AdapterRecord

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


def _reduce_record(r: AdapterRecord):
    return tuple.__new__, (AdapterRecord, tuple(r))


# A record is rebuilt by tuple.__new__ (C), not by the named tuple's generated __new__ (Python): both ends of
# the pipe spend a fifth less on records.
ForkingPickler.register(AdapterRecord, _reduce_record)


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

    The workers always hold up to two batches each; whenever the next result in order is not ready, this
    process takes the next batch itself instead of waiting, so that every CPU parses whatever the mix of
    files, and this process's share needs no pickling."""
    ctx = multiprocessing.get_context("fork")
    batches = _batches(entries, size_of)
    pool_size = max(1, workers - 1)
    with ctx.Pool(pool_size) as pool:
        slots: deque = deque()  # (batch, async result or _Done), in the order of the batches
        pooled = 0  # slots held by the workers
        more = True
        while more or slots:
            while more and pooled < 2 * pool_size:
                batch = next(batches, None)
                more = batch is not None
                if more:
                    slots.append((batch, pool.apply_async(work, (batch,))))
                    pooled += 1
            if not slots:
                break
            batch, res = slots[0]
            if type(res) is not _Done and not res.ready() and more:
                own = next(batches, None)
                more = own is not None
                if more:
                    slots.append((own, _Done(work(own))))
                continue
            slots.popleft()
            if type(res) is _Done:
                yield batch, res.value
            else:
                pooled -= 1
                yield batch, res.get()


class _Done:
    """The result of a batch this process worked itself."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


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
