"""Worker processes for an import of many files: batches of files parsed in forked workers and in this
process, results taken back in order, so that an import gives the same records in the same order as one
process.

Only where ``fork`` exists (chosen automatically on Linux only): a forked worker inherits the loaded package and the
job's file list, so nothing but the file bytes and the results crosses its pipes; elsewhere, and for small
imports, the import stays in one process. At most two batches per worker are in flight, so the bytes read
ahead stay bounded whatever the size of the import.
"""

from __future__ import annotations

import fcntl
import io
import multiprocessing
import os
import pickle
import select
import struct
import sys
import threading
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
    """How many processes parse, this one included (``n`` means ``n - 1`` forked workers): ``requested`` when
    given (1 = this process only; more needs ``fork``), else on Linux this process and a worker per idle CPU
    (up to 8 in all, no more than the CPUs) for an import of at least :data:`MIN_FILES` files and
    :data:`MIN_BYTES` bytes — on a machine whose CPUs are all busy, workers only compete with each other —
    else 1. (This process's own recent work counts in the load average, hence the one beside the idle CPUs.)"""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if requested is not None:
        return max(1, int(requested))
    if n_files < MIN_FILES or n_bytes < MIN_BYTES or not sys.platform.startswith("linux"):
        return 1  # macOS offers fork, but its system libraries are not safe in a forked child
    return min(idle_cpus() + 1, cpu_count(), 8)


def ordered_batches(entries, size_of, work, workers: int):
    """Run ``work(batch)`` over consecutive batches of ``entries`` in ``workers`` processes — this one and
    ``workers - 1`` forked ones — and yield ``(batch, result)`` in order. ``size_of(entry)`` is the entry's
    byte count (0 = nothing to send: the entry is still kept in its batch, for the caller's bookkeeping).
    ``work`` must be a module-level function; what it needs beyond the batch it reads from globals set
    before this call (inherited by the fork). An exception in a worker is raised here.

    The workers always hold up to two batches each; whenever the next result in order is not ready, this
    process takes the next batch itself instead of waiting, so that every CPU parses whatever the mix of
    files, and this process's share needs no pickling."""
    batches = _batches(entries, size_of)
    crew: list = []
    for _ in range(max(1, workers - 1)):
        crew.append(_Worker(work, crew))
    try:
        slots: deque = deque()  # [batch, worker or None, result or _PENDING], in the order of the batches
        more = True
        while more or slots:
            for w in crew:
                while more and w.queued < 2:
                    batch = next(batches, None)
                    more = batch is not None
                    if more:
                        w.send(batch)
                        slots.append([batch, w, _PENDING])
            if not slots:
                break
            head = slots[0]
            if head[2] is _PENDING and more and not head[1].ready():
                own = next(batches, None)
                more = own is not None
                if more:
                    slots.append([own, None, work(own)])
                continue
            slots.popleft()
            yield head[0], head[2] if head[2] is not _PENDING else head[1].receive()
    finally:
        for w in crew:
            w.stop()


_PENDING = object()


class _Worker:
    """One forked worker: batches go down one pipe, results come back up another, in order (a length and a
    pickle each). Nothing runs beside the caller (no threads, unlike multiprocessing.Pool, whose result
    thread unpickled in competition with the caller's own parsing): results are read whenever the caller
    asks, and also while a batch is being sent, so that a worker blocked on a full result pipe can never
    leave the caller blocked on a full task pipe (a batch may carry megabytes of zip members)."""

    def __init__(self, work, others: list):
        task_r, self._task_w = os.pipe()
        self._result_r, result_w = os.pipe()
        for fd in (self._task_w, result_w):
            _widen(fd)
        self.queued = 0
        self._inbox = bytearray()  # result bytes read, not yet taken
        # One unpickler for all results, as the worker keeps one pickler (see _serve): their memos stay in step
        self._stream = io.BytesIO()
        self._unpickler = pickle.Unpickler(self._stream)
        self.pid = os.fork()
        if self.pid == 0:  # the worker: it never returns (os._exit: no atexit, no flush of inherited buffers)
            for fd in [self._task_w, self._result_r] + [fd for w in others for fd in (w._task_w, w._result_r)]:
                os.close(fd)  # an end kept open here would keep another worker from seeing the end of its tasks
            _serve(work, task_r, result_w)
        os.close(task_r)
        os.close(result_w)
        os.set_blocking(self._task_w, False)
        # poll, not select: an import keeps its zip files open, and select cannot watch descriptors past 1023
        self._results = select.poll()
        self._results.register(self._result_r, select.POLLIN)
        self._both = select.poll()
        self._both.register(self._result_r, select.POLLIN)
        self._both.register(self._task_w, select.POLLOUT)

    def send(self, batch) -> None:
        """Queue ``batch`` for the worker (reading its results meanwhile whenever the task pipe is full)."""
        view = memoryview(_message(batch))
        while view:
            for fd, _event in self._both.poll():
                if fd == self._result_r:
                    self._drain()
                    continue
                try:
                    view = view[os.write(self._task_w, view):]
                except BlockingIOError:
                    pass
                except BrokenPipeError:
                    raise self._gone() from None
        self.queued += 1

    def ready(self) -> bool:
        """True when the next result can be taken without waiting."""
        if not self._complete() and self._results.poll(0):
            self._drain()
        return self._complete()

    def receive(self):
        """The next result (waits for it); an exception the worker raised is raised here."""
        while not self._complete():
            self._drain()
        size = 8 + struct.unpack_from("<Q", self._inbox)[0]
        data = bytes(self._inbox[8:size])
        del self._inbox[:size]
        self.queued -= 1
        self._stream.seek(0)
        self._stream.truncate()
        self._stream.write(data)
        self._stream.seek(0)
        ok, value = self._unpickler.load()
        if not ok:
            raise value
        return value

    def _complete(self) -> bool:
        box = self._inbox
        return len(box) >= 8 and len(box) >= 8 + struct.unpack_from("<Q", box)[0]

    def _drain(self) -> None:
        chunk = os.read(self._result_r, 1 << 20)
        if not chunk:
            raise self._gone()
        self._inbox += chunk

    def _gone(self) -> RuntimeError:
        return RuntimeError(f"an import worker process (pid {self.pid}) ended unexpectedly")

    def stop(self) -> None:
        """Close the pipes (the worker ends when it reads the end of its tasks) and reap it: in a thread, as
        the worker's exit (its memory given back) takes milliseconds that the caller need not wait for."""
        try:
            os.close(self._task_w)
            os.close(self._result_r)
        finally:
            threading.Thread(target=_reap, args=(self.pid,), daemon=True).start()


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # reaped elsewhere (a SIGCHLD handler, os.wait)
        pass


def _serve(work, tasks: int, results: int) -> None:
    """The worker's loop: run ``work`` on every batch until the task pipe closes; never returns.

    Every result goes through one pickler, whose memo is never cleared: an object sent with an earlier
    result (a shared value mapping, a host name) is sent again as a reference, and comes out as the same
    object on the other side (where one unpickler reads every result) — records of equal adapters keep
    sharing one mapping across batches, as in one process, and the pipe carries less. Results are fresh
    objects, never changed once sent (a changed one would arrive as it was first sent)."""
    code = 0
    stream = io.BytesIO()
    pickler = ForkingPickler(stream, pickle.HIGHEST_PROTOCOL)
    try:
        while True:
            try:
                batch = _get(tasks)
            except EOFError:
                break
            try:
                out = (True, work(batch))
            except BaseException as exc:  # every failure goes back to the caller, as multiprocessing.Pool does
                out = (False, exc)
            try:
                _send(results, pickler, stream, out)
            except BrokenPipeError:
                break
            except Exception as exc:  # the result or the exception could not be pickled: the import fails
                _put(results, (False, RuntimeError(f"a worker's result could not be sent back: {exc!r}")))
                break
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _widen(fd: int) -> None:
    """Make a pipe hold 1 MiB where the system allows (Linux: F_SETPIPE_SZ), not the default 64 KiB."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (AttributeError, OSError):
        pass


def _message(obj) -> bytes:
    """``obj`` pickled (with the reducers registered above), after its length."""
    data = ForkingPickler.dumps(obj, pickle.HIGHEST_PROTOCOL)
    return struct.pack("<Q", len(data)) + bytes(data)


def _send(fd: int, pickler, stream: io.BytesIO, obj) -> None:
    """Write ``obj`` through the worker's one pickler (length, then the pickle)."""
    stream.seek(0)
    stream.truncate()
    pickler.dump(obj)
    data = stream.getvalue()
    view = memoryview(struct.pack("<Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _put(fd: int, obj) -> None:
    view = memoryview(_message(obj))
    while view:
        view = view[os.write(fd, view):]


def _get(fd: int):
    (size,) = struct.unpack("<Q", _read(fd, 8))
    return pickle.loads(_read(fd, size))


def _read(fd: int, size: int) -> bytes:
    buf = bytearray()
    while len(buf) < size:
        chunk = os.read(fd, size - len(buf))
        if not chunk:
            raise EOFError("worker pipe closed")
        buf += chunk
    return bytes(buf)


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
