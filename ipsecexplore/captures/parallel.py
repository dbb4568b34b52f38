"""Worker processes for an import of many files: batches of files parsed in forked workers and in this
process, results taken back in order, so that an import gives the same records in the same order as one
process.

Only where ``fork`` exists (chosen automatically on Linux only): a forked worker inherits the loaded package and the
job's file list, so nothing but the file bytes and the results crosses its pipes; elsewhere, and for small
imports, the import stays in one process. Each worker holds at most two batches and this process at most a
few more (:data:`_AHEAD` per process in all), so the bytes read ahead stay bounded whatever the size of the
import; a worker's pickler memo starts anew every :data:`_MEMO_BYTES`, so what it keeps stays bounded too.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import multiprocessing
import os
import pickle
import select
import signal
import struct
import sys
import threading
from collections import deque
from functools import partial
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


def ordered_batches(entries, size_of, work, workers: int, pack=None, unpack=None):
    """Run ``work(batch)`` over consecutive batches of ``entries`` in ``workers`` processes — this one and
    ``workers - 1`` forked ones — and yield ``(batch, result)`` in order. ``size_of(entry)`` is the entry's
    byte count (0 = nothing to send: the entry is still kept in its batch, for the caller's bookkeeping).
    ``work`` must be a module-level function; what it needs beyond the batch it reads from globals set
    before this call (inherited by the fork). An exception in a worker is raised here. ``pack(result)`` (in
    the worker) and ``unpack(result)`` (here) change a worker's result into something cheaper to pickle and
    back; this process's own results are never packed.

    The workers always hold up to two batches each; whenever the next result in order is not ready, this
    process takes the next batch itself instead of waiting (up to :data:`_AHEAD` batches per process held
    in all), so that every CPU parses whatever the mix of files, and this process's share needs no pickling."""
    batches = _batches(entries, size_of)
    if workers <= 1:
        for batch in batches:
            yield batch, work(batch)
        return
    crew: list = []
    try:
        for _ in range(workers - 1):
            crew.append(_Worker(work if pack is None else partial(_packed, work, pack), crew, unpack))
        yield from _in_order(batches, work, crew, _AHEAD * workers)
    finally:
        for w in crew:
            w.stop()


#: Batches held at most, per process, between being read and being yielded (bounds the bytes read ahead).
_AHEAD = 3


def _in_order(batches, work, crew: list, ahead: int):
    """The scheduling loop of :func:`ordered_batches`."""
    slots: deque = deque()  # [batch, worker or None, result or _PENDING], in the order of the batches
    more = True
    while more or slots:
        for w in crew:
            while more and w.queued < 2 and not w.closed:
                batch = next(batches, None)
                more = batch is not None
                if more:  # a worker that ended meanwhile leaves the batch to this process
                    slots.append([batch, w, _PENDING] if w.send(batch) else [batch, None, work(batch)])
        if not slots:
            break
        head = slots[0]
        if head[2] is _PENDING and more and len(slots) < ahead and not head[1].ready():
            own = next(batches, None)
            more = own is not None
            if more:
                slots.append([own, None, work(own)])
            continue
        slots.popleft()
        yield head[0], head[2] if head[2] is not _PENDING else head[1].receive()


_PENDING = object()


def _packed(work, pack, batch):
    return pack(work(batch))
# How a result message is read: through the memo shared with the earlier ones, after starting a new memo,
# or on its own (a pickle made apart from the worker's pickler).
_SHARED, _FRESH, _ALONE = 0, 1, 2
_HEADER = struct.Struct("<QB")
#: A worker starts a new pickler memo after sending this many bytes, so that what it keeps stays bounded.
_MEMO_BYTES = 4 << 20


class _Worker:
    """One forked worker: batches go down one pipe, results come back up another, in order (a header and a
    pickle each). Nothing runs beside the caller (no threads, unlike multiprocessing.Pool, whose result
    thread unpickled in competition with the caller's own parsing): results are read whenever the caller
    asks, and also while a batch is being sent, so that a worker blocked on a full result pipe can never
    leave the caller blocked on a full task pipe (a batch may carry megabytes of zip members)."""

    def __init__(self, work, others: list, unpack=None):
        task_r, self._task_w = os.pipe()
        try:
            self._result_r, result_w = os.pipe()
        except OSError:
            os.close(task_r)
            os.close(self._task_w)
            raise
        mine = (task_r, self._task_w, self._result_r, result_w)
        for fd in (self._task_w, result_w):
            _widen(fd)
        self.queued = 0
        self._unpack = unpack
        self.closed = False  # the worker's end of the pipes is closed: it sends nothing more
        self._inbox = bytearray()  # result bytes read, not yet taken
        self._stream = io.BytesIO()
        self._unpickler = pickle.Unpickler(self._stream)
        try:
            self.pid = os.fork()
        except OSError:
            for fd in mine:
                os.close(fd)
            raise
        if self.pid == 0:  # the worker: never returns to the caller's code, whatever happens
            try:
                for fd in [self._task_w, self._result_r] + [fd for w in others for fd in (w._task_w, w._result_r)]:
                    os.close(fd)  # an end kept open here would keep another worker from seeing its end of tasks
                _serve(work, task_r, result_w)
            finally:
                os._exit(1)
        os.close(task_r)
        os.close(result_w)
        self._poll_setup()

    def _poll_setup(self) -> None:
        os.set_blocking(self._task_w, False)
        # poll, not select: an import keeps its zip files open, and select cannot watch descriptors past 1023
        self._results = select.poll()
        self._results.register(self._result_r, select.POLLIN)
        self._both = select.poll()
        self._both.register(self._result_r, select.POLLIN)
        self._both.register(self._task_w, select.POLLOUT)

    def send(self, batch) -> bool:
        """Queue ``batch`` for the worker (reading its results meanwhile whenever the task pipe is full);
        False when the worker has ended (the batch is not queued)."""
        data = ForkingPickler.dumps(batch, pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEADER.pack(len(data), _ALONE) + bytes(data))
        while view and not self.closed:
            for fd, _event in self._both.poll():
                if fd == self._result_r:
                    self._drain()
                    continue
                try:
                    view = view[os.write(self._task_w, view):]
                except BlockingIOError:
                    pass
                except BrokenPipeError:
                    self.closed = True
        if self.closed:
            return False  # a batch cut short is never read: the worker reads whole messages only
        self.queued += 1
        return True

    def ready(self) -> bool:
        """True when :meth:`receive` will not wait."""
        if not self._complete() and not self.closed and self._results.poll(0):
            self._drain()
        return self._complete() or self.closed

    def receive(self):
        """The next result (waits for it); an exception the worker raised is raised here, and a worker that
        ended without sending its result is reported as such."""
        while not self._complete():
            if self.closed:
                raise RuntimeError(f"an import worker process (pid {self.pid}) ended unexpectedly")
            self._drain()
        size, kind = _HEADER.unpack_from(self._inbox)
        data = bytes(self._inbox[_HEADER.size:_HEADER.size + size])
        del self._inbox[:_HEADER.size + size]
        self.queued -= 1
        ok, value = self._load(data, kind)
        if not ok:
            raise value
        return value if self._unpack is None else self._unpack(value)

    def _load(self, data: bytes, kind: int):
        if kind == _ALONE:
            return pickle.loads(data)
        if kind == _FRESH:  # the worker started a new memo: so does this side
            self._unpickler = pickle.Unpickler(self._stream)
        self._stream.seek(0)
        self._stream.truncate()
        self._stream.write(data)
        self._stream.seek(0)
        return self._unpickler.load()

    def _complete(self) -> bool:
        box = self._inbox
        return len(box) >= _HEADER.size and len(box) >= _HEADER.size + _HEADER.unpack_from(box)[0]

    def _drain(self) -> None:
        try:
            chunk = os.read(self._result_r, 1 << 20)
        except OSError:
            chunk = b""
        if chunk:
            self._inbox += chunk
        else:
            self.closed = True

    def stop(self) -> None:
        """Close the pipes (the worker ends when it reads the end of its tasks; one still holding batches —
        the caller stopped early — is terminated) and reap it: in a thread unless it has ended already, as
        its exit takes milliseconds that the caller need not wait for."""
        for fd in (self._task_w, self._result_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.queued > 0 and not self.closed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
        try:
            ended = os.waitpid(self.pid, os.WNOHANG)[0] != 0
        except ChildProcessError:  # reaped elsewhere (a SIGCHLD handler, os.wait)
            return
        if not ended:
            threading.Thread(target=_reap, args=(self.pid,), daemon=True).start()


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # reaped elsewhere (a SIGCHLD handler, os.wait)
        pass


def _serve(work, tasks: int, results: int) -> None:
    """The worker's loop: run ``work`` on every batch until the task pipe closes; never returns.

    Results go through one pickler whose memo is kept (until :data:`_MEMO_BYTES` have been sent): an object
    sent with an earlier result (a shared value mapping, a host name) is sent again as a reference and
    comes out as the same object on the other side, where one unpickler reads the results — records of
    equal adapters keep sharing one mapping across batches, as in one process, and the pipe carries less.
    Results are fresh objects, never changed once sent (a changed one would arrive as it was first sent)."""
    code = 0
    stream = io.BytesIO()
    pickler, sent = None, 0
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
            kind = _SHARED
            if pickler is None or sent > _MEMO_BYTES:
                pickler, sent, kind = ForkingPickler(stream, pickle.HIGHEST_PROTOCOL), 0, _FRESH
            try:
                data = _dump(pickler, stream, out)
            except Exception as exc:  # the result or the exception could not be pickled: the import fails
                kind, data = _ALONE, ForkingPickler.dumps(
                    (False, RuntimeError(f"a worker's result could not be sent back: {exc!r}")))
            sent += len(data)
            try:
                _write(results, _HEADER.pack(len(data), kind) + bytes(data))
            except BrokenPipeError:
                break
            if kind == _ALONE:
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


def _dump(pickler, stream: io.BytesIO, obj) -> bytes:
    """``obj`` through the worker's pickler (its memo kept)."""
    stream.seek(0)
    stream.truncate()
    pickler.dump(obj)
    return stream.getvalue()


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _get(fd: int):
    """The next message of a pipe, unpickled on its own (the tasks: each pickled apart)."""
    size, _kind = _HEADER.unpack(_read(fd, _HEADER.size))
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
