"""Import captures from files, folders (recursive) and zip files (Get-NetView bundles).

Every file found is either imported by the importer its content calls for, listed in
``ImportResult.skipped_files`` with the reason when it holds no capture (notes, other Get-NetView output; a
file found by walking whose extension no capture has — .etl, .evtx, .cab … — or a Get-NetView file other than
the two capture files that is over the size limit is skipped unread), or
— when it cannot be read at all (over the size limit, a broken or encrypted zip member, an unreadable file) —
counted as one rejected record naming the file and the reason (see :meth:`ImportResult.refuse_file`).
A file named in ``paths`` that cannot be read raises :class:`InputError` instead. After all files are read,
``*IPsecOffload*`` keyword rows are joined to the adapter records of the same host and adapter name (both
compared case-insensitively, as Windows does), and ``provenance.json`` annotations are applied.

``ImportResult.files`` tallies every file: records seen, loaded and rejected (``seen == loaded + rejected``),
or why it was skipped, or what it was used as (a sidecar, provenance, a sosreport host name). A file read
without a record is skipped with that reason; one whose damaged first line or header hides lines only a
capture has is rejected instead, so that a file holding records is never "skipped". Zip members are read
against the size limit each, a decompression ratio (:data:`ZIP_RATIO_LIMIT`) and a budget for the whole
import (:data:`ZIP_BUDGET_FACTOR` times the size limit); each refusal names the member.

Format recognition looks at the content, not only the extension:

========================  ==========================================================================
binary, first byte 0xA7   raw ``NDIS_OFFLOAD`` (also any ``.bin``)
banner + prompt lines     Get-NetView command output (``Get-NetAdapterIPsecOffload.txt``,
                          ``Get-NetAdapterAdvancedProperty.txt``; other Get-NetView files are skipped)
``{`` or ``[``            ``ConvertTo-Json`` (a raw-capture sidecar or ``provenance.json`` is used as such)
CSV header row            ``Export-Csv`` (``#TYPE`` line optional; header quoted or not)
hex bytes only            raw ``NDIS_OFFLOAD`` as hex text
header + dash line        ``Format-Table`` of advanced properties
``Name : value`` lines    ``Format-List`` (IPsec offload objects or advanced properties)
========================  ==========================================================================
"""

from __future__ import annotations

import dataclasses
import io
import json
import lzma
import os
import re
import stat
import zipfile
import zlib
from functools import partial
from pathlib import Path, PurePath, PurePosixPath

from .. import hexinput, jsonio
from ..errors import InputError
from ..gcpause import paused_gc
from ..rules import schema
from . import advprop, csvcap, formatlist, getnetview, jsoncap, linux, parallel, raw
from .base import FileContext
from .cim import IPSEC_PROPERTY_NAMES, canonical_name
from .recognise import FORMAT_LIST_PROPERTY, Probe, recognise
from .record import AdapterRecord, ImportResult, Rejected
from .textio import (
    DEFAULT_SIZE_LIMIT,
    FALLBACK,
    FileTooLarge,
    check_encoding,
    check_size,
    decode_text,
    decode_text_cut,
    is_probably_binary,
    read_limited,
)

__all__ = ["import_paths", "import_bytes", "PROVENANCE_FORMAT", "PROGRESS_MIN_FILES"]

PROVENANCE_FORMAT = "ipsecexplore-provenance/1"
#: A progress bar is shown (unless disabled) when at least this many files are imported.
PROGRESS_MIN_FILES = 20
_MAX_ZIP_DEPTH = 2


@dataclasses.dataclass
class _Item:
    display: str  # path shown to the user (zip members: "bundle.zip/inner/path")
    parts: tuple  # path components used for host hints
    size: int
    read: object  # callable(limit) -> bytes
    explicit: bool  # named by the user (not found by walking)
    on_disk: bool = False  # a file of its own (not a zip member): a worker process may read it itself


def _fs_item(p: Path, display: str, explicit: bool, parts: tuple | None = None, size: int | None = None) -> _Item:
    if size is None:
        try:
            size = os.stat(p).st_size
        except OSError:
            size = 0
    return _Item(display, Path(display).parts if parts is None else parts, size,
                 lambda limit, p=p, d=display: read_limited(p, limit, d), explicit, True)


def _files_under(folder: Path) -> list[tuple[Path, tuple, int]]:
    """``[(path, parts relative to folder, size)]`` of every file under ``folder``, sorted as paths: what
    ``sorted(q for q in folder.rglob("*") if q.is_file())`` finds (symlinked folders are not entered; a
    symlink to a file is a file), from one os.walk (pathlib's walk cost as much as the rest of a walk)."""
    found = []
    for root, _dirs, files in os.walk(folder):  # os.walk lists a symlinked folder among _dirs, never enters it
        rel = PurePath(os.path.relpath(root, folder)).parts if root != os.fspath(folder) else ()
        for name in files:
            q = Path(root, name)
            try:
                st = os.stat(q)
            except OSError:
                continue  # a broken symlink: not a file
            if stat.S_ISREG(st.st_mode):
                found.append((q, rel + (name,), st.st_size))
    # POSIX paths compare by their parts (the relative ones, under one folder); elsewhere as pathlib does
    found.sort(key=(lambda f: f[1]) if isinstance(folder, PurePosixPath) else (lambda f: f[0]))
    return found


def _expand(paths, result: ImportResult, size_limit: int, zips: list, depth: int = 0) -> list[_Item]:
    items: list[_Item] = []
    for given in paths:
        p = Path(given)
        display = os.fspath(given)
        if not p.exists():
            raise InputError("no such file or directory", source=display)
        if p.is_dir():
            base = Path(display).parts
            for q, rel, size in _files_under(p):
                shown = os.path.join(display, *rel)
                if q.suffix.lower() == ".zip":
                    items.extend(_zip_items(_fs_item(q, shown, False), result, size_limit, zips, depth, q))
                elif linux.is_tar_name(q.name):  # Linux: sosreport archives (issue 15)
                    items.extend(_tar_items(q, shown, False, result, size_limit, zips))
                else:
                    items.append(_fs_item(q, shown, False, base + rel, size))
        elif p.suffix.lower() == ".zip" or _is_zip_file(p):
            items.extend(_zip_items(_fs_item(p, display, True), result, size_limit, zips, depth, p))
        elif linux.is_tar_name(p.name):  # Linux: sosreport archives (issue 15)
            items.extend(_tar_items(p, display, True, result, size_limit, zips))
        else:
            items.append(_fs_item(p, display, True))
    return items


def _is_zip_file(p: Path) -> bool:
    try:
        with open(p, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _zip_items(item: _Item, result: ImportResult, size_limit: int, zips: _OpenZips, depth: int,
               path: Path | None = None) -> list[_Item]:
    """The members of a zip file. A zip on disk is read in place (the size limit applies to each member,
    not to the archive: Get-NetView bundles can be large); a zip inside a zip is a member like any other."""
    try:
        if path is not None:
            zf = zipfile.ZipFile(path)
        else:
            zf = zipfile.ZipFile(io.BytesIO(item.read(size_limit)))
        zips.append(zf)  # closed when the import ends (members are read lazily until then)
        infos = zf.infolist()
    except InputError as exc:
        if item.explicit:
            raise
        _refuse(result, item.display, exc)
        return []
    except _ZIP_ERRORS as exc:
        msg = f"not a readable zip file: {_zip_error(exc)}"
        if item.explicit:
            raise InputError(msg, source=item.display) from None
        result.refuse_file(item.display, msg, "unreadable")
        return []
    out = []
    for info in sorted(infos, key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = info.filename.replace("\\", "/")  # Windows zip tools may store backslashes
        display = f"{item.display}/{name}"
        parts = item.parts + PurePosixPath(name).parts
        if info.flag_bits & 0x1:
            result.refuse_file(display, "encrypted zip member: it cannot be read without its password; "
                                        "extract it and import the files", "unreadable")
            continue

        def read(limit, zf=zf, info=info, display=display):
            check_size(info.file_size, limit, display)
            return _read_member(zf, info, display, limit, zips)

        sub = _Item(display, parts, info.file_size, read, False)
        if not name.lower().endswith(".zip"):
            out.append(sub)
        elif depth < _MAX_ZIP_DEPTH:
            out.extend(_zip_items(sub, result, size_limit, zips, depth + 1))
        else:
            result.refuse_file(display, f"a zip inside {depth + 1} levels of zip files is not opened (at most "
                                        f"{_MAX_ZIP_DEPTH}); extract it and import it", "unreadable")
    return out


#: A zip member that decompresses to more than this many times its compressed size (once past
#: ZIP_RATIO_FROM bytes) is refused: text captures compress about 10:1, a zip bomb 1000:1.
ZIP_RATIO_LIMIT = 200
ZIP_RATIO_FROM = 1 << 20
#: All zip members read in one import may decompress to at most this many times the size limit in total
#: (overlapping members make a small zip stand for gigabytes).
ZIP_BUDGET_FACTOR = 4
# What a broken member raises from inside zipfile and the decompressors (zlib, bz2, lzma).
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, zlib.error,
               lzma.LZMAError, ValueError)


class _OpenZips(list):
    """The zip files opened by one import (closed when it ends) and the decompressed bytes it may still read."""

    def __init__(self, size_limit: int | None):
        super().__init__()
        self.left = None if size_limit is None else ZIP_BUDGET_FACTOR * size_limit
        self.budget = self.left


def _read_member(zf, info, display: str, limit: int | None, zips: _OpenZips) -> bytes:
    """The bytes of one zip member, read in chunks so that the size limit, the ratio limit and the import's
    total budget are checked as it decompresses; every refusal is :class:`InputError` naming the member."""
    chunks, total = [], 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                chunks.append(chunk)
                _check_member(total, info, display, limit, zips)
    except InputError:
        raise
    except _ZIP_ERRORS as exc:
        raise InputError(f"cannot read zip member: {_zip_error(exc)}", source=display) from None
    if zips.left is not None:
        zips.left -= total
    return b"".join(chunks)


def _zip_error(exc: Exception) -> str:
    what = "corrupt compressed data" if isinstance(exc, (zlib.error, lzma.LZMAError)) else type(exc).__name__
    return f"{what}: {exc}"


def _check_member(total: int, info, display: str, limit: int | None, zips: _OpenZips) -> None:
    check_size(total, limit, display)
    if total > ZIP_RATIO_FROM and total > ZIP_RATIO_LIMIT * max(info.compress_size, 1):
        raise FileTooLarge(f"zip member decompresses to more than {ZIP_RATIO_LIMIT} times its compressed size "
                           f"({info.compress_size} bytes): not read (a zip bomb?)", source=display)
    if zips.left is not None and total > zips.left:
        raise FileTooLarge(f"zip member not read: the zip members of this import decompress to more than "
                           f"{zips.budget} bytes in all ({ZIP_BUDGET_FACTOR} times the size limit)", source=display)


def _tar_items(p: Path, display: str, explicit: bool, result: ImportResult, size_limit: int,
               zips: _OpenZips) -> list[_Item]:
    """The regular files of a tar archive (a sosreport ``.tar.xz``), read in one pass by
    :func:`linux.tar_members` within the import's decompression budget (shared with zip members); an
    unreadable archive found by walking is one rejected record."""
    try:
        members = linux.tar_members(p, display, size_limit, zips.left)
    except InputError:
        if explicit:
            raise
        result.refuse_file(display, "not a readable tar archive", "unreadable")
        return []
    if zips.left is not None:
        zips.left -= sum(size for _, size, read in members if not getattr(read, "refuses", False))  # kept
    return [_Item(d, Path(d).parts, size, read, False) for d, size, read in members]


def _refuse(result: ImportResult, display: str, exc: InputError) -> None:
    """A file found by walking that could not be read: one rejected record (the caller checked that the
    user did not name it)."""
    result.refuse_file(display, exc.reason, "size limit" if isinstance(exc, FileTooLarge) else "unreadable")


def _fallback_host(item: _Item) -> tuple[str, str]:
    h = getnetview.bundle_host(item.parts[:-1]) or getnetview.bundle_host(item.parts)
    if h:
        return h, "Get-NetView folder"
    name = item.parts[-1] if item.parts else item.display
    return name.split(".", 1)[0] or name, "file name"


def import_paths(paths, *, size_limit: int = DEFAULT_SIZE_LIMIT, progress=None,
                 encoding: str | None = None, workers: int | None = None) -> ImportResult:
    """Import every capture under ``paths`` (files, folders, zip files).

    ``size_limit`` (bytes) refuses larger files: a file named in ``paths`` raises :class:`InputError`, a
    file found inside a folder or zip becomes one rejected record naming its size and the limit (its
    ``refused`` is ``"size limit"``), so the import reports a failure rather than missing adapters.
    ``progress``: ``None`` shows a tqdm bar for
    ``PROGRESS_MIN_FILES`` files or more, ``True`` always, ``False`` never. ``encoding``: the code page of
    text files that have no BOM and are not UTF-8 (the ANSI code page of the capturing machine, e.g.
    ``cp932``; capture-formats.md §4); without it such text is read as Windows-1252 with a remark on every
    record whose names that guess decoded. ``workers``: processes that parse files, this one included
    (``None``: one per idle CPU for an import of many files, see :func:`.parallel.auto_workers`; ``1``: this
    process only); the result is the same either way, in the same order.
    Raises :class:`InputError` for a path that does not exist or an unknown ``encoding``."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    try:
        paths = list(paths)
    except TypeError:
        raise InputError(f"import_paths(): paths must be a path or a list of paths, not {type(paths).__name__}") \
            from None
    for p in paths:
        if not isinstance(p, (str, os.PathLike)):
            raise InputError(f"import_paths(): {p!r} is not a path (a {type(p).__name__})")
    encoding = check_encoding(encoding)
    result = ImportResult()
    zips = _OpenZips(size_limit)
    try:
        with paused_gc():  # millions of small objects, no cycles (ipsecexplore.gcpause)
            mark = _mark(result)
            items = _expand(list(paths), result, size_limit, zips)
            _account(result, None, mark)  # zip members refused while the zips were listed
            _import_items(items, result, size_limit, progress, encoding, workers)
    finally:
        for zf in zips:
            zf.close()
    return result


def import_bytes(data: bytes, name: str = "<input>", *, size_limit: int = DEFAULT_SIZE_LIMIT,
                 encoding: str | None = None) -> ImportResult:
    """Import one capture given as bytes (``name`` is used for messages and the file-name host;
    ``encoding`` as in :func:`import_paths`)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"import_bytes(data=...) must be bytes, not {type(data).__name__}")
    if not isinstance(name, str):
        raise InputError(f"import_bytes(name=...) must be a string, not {type(name).__name__}")
    data = bytes(data)
    check_size(len(data), size_limit, name)
    encoding = check_encoding(encoding)
    result = ImportResult()
    item = _Item(name, PurePosixPath(name).parts, len(data), lambda limit: data, True)
    _import_items([item], result, size_limit, False, encoding)
    return result


def _import_items(items: list[_Item], result: ImportResult, size_limit: int, progress,
                  encoding: str | None = None, workers: int | None = 1) -> None:
    by_name = {it.display: it for it in items}
    sidecars: dict[str, _Item] = {}
    for it in items:
        low = it.display.lower()
        if low.endswith(".json") and it.display[:-5] in by_name:
            base = it.display[:-5].lower()
            # X.bin.json beside X.bin is a sidecar; beside a text file only if it has the sidecar shape.
            if base.endswith(_RAW_EXTS) or _is_sidecar_item(it, size_limit):
                sidecars[it.display[:-5]] = it
    sidecar_names = {s.display for s in sidecars.values()}
    provenance_maps: list[tuple[str, dict]] = []
    todo = [it for it in items if it.display not in sidecar_names]

    bar = None
    if progress is True or (progress is None and len(items) >= PROGRESS_MIN_FILES):
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), desc="importing captures", unit="file")
    try:
        n = parallel.auto_workers(workers, len(todo), sum(it.size for it in todo))
        if n > 1:
            _import_parallel(todo, result, size_limit, sidecars, encoding, n, provenance_maps, bar)
        else:
            for it in todo:
                mark = _mark(result)
                job = _prepare(it, result, size_limit, sidecars)
                if job is not None:
                    _import_one(it, job[0], result, job[1], provenance_maps, encoding, size_limit)
                _file_done(result, it.display, mark, provenance_maps)
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()
    for side_of, side in sidecars.items():
        t = result.tally(side.display)
        if not t.seen and t.skipped is None:
            t.used_as = f"sidecar of {side_of}"
    linux.finish(result)  # Linux: one row per interface and view (issue 15)
    _join_keywords(result)
    _apply_provenance(result, provenance_maps)
    result.check()


def _prepare(it: _Item, result: ImportResult, size_limit: int, sidecars: dict):
    """The main-process part of one file: skipped unread, refused, or read (with its sidecar's metadata):
    ``(data, meta)`` to import, else None. A file named in ``paths`` that cannot be read raises."""
    if not it.explicit:
        why = _not_a_capture(it, size_limit)
        if why:
            _skip(result, it, why)
            return None
    try:
        data = it.read(size_limit)
    except InputError as exc:
        if it.explicit:
            raise
        _refuse(result, it.display, exc)
        return None
    result.files_read += 1
    side = sidecars.get(it.display)
    return data, (_read_sidecar(side, size_limit, result) if side is not None else None)


def _mark(result: ImportResult) -> tuple[int, int, int, int]:
    return result.loaded, len(result.rejected), len(result.skipped_files), len(result.records)


def _file_done(result: ImportResult, display: str, mark: tuple, provenance_maps) -> None:
    """After one file: a provenance file is counted as used, then :func:`_account`."""
    if provenance_maps and provenance_maps[-1][0] == display:
        result.tally(display).used_as = "provenance annotations"
    _account(result, display, mark)


def _account(result: ImportResult, display: str | None, mark: tuple[int, int, int, int]) -> None:
    """Add what importing ``display`` produced since ``mark`` to the per-file tallies (a rejected record
    counts for the file it names: a sidecar's own problem is the sidecar's). A file that gave no record and
    was not skipped is skipped now, with that reason: every file is loaded from, rejected or skipped."""
    loaded, rejected, skipped, records = mark
    for r in result.rejected[rejected:]:
        t = result.tally(r.source_file)
        t.seen += 1
        t.rejected += 1
    for path, why in result.skipped_files[skipped:]:
        result.tally(path).skipped = why
    if display is None:
        return
    own = result.tally(display)
    own.loaded += result.loaded - loaded
    own.seen += result.loaded - loaded
    if not own.seen and own.used_as is None and len(result.records) > records:
        own.used_as = "joined to the records of other files (a sosreport's host name)"
    if not own.seen and own.skipped is None and display not in {d for d, _ in result.skipped_files[skipped:]}:
        if own.used_as is None:
            why = ("no IPsec offload object, *IPsecOffload* advanced property or NDIS_OFFLOAD record in it (other "
                   "advanced properties are passed over)")
            result.skipped_files.append((display, why))
            own.skipped = why


# The files of a parallel import, its size limit and encoding, set before the workers fork (they inherit it).
_JOB: tuple = ((), None, None)
_DEFERRED = "read by the worker"


def _parse_batch(batch) -> list:
    """In a worker (or this process): ``(result, provenance maps)`` of every file of ``batch`` to import; a
    file on disk that the main process left unread is read here (refused into its result when it cannot be)."""
    todo, size_limit, encoding = _JOB
    out = []
    for index, _pre, job in batch:
        if job is None:
            continue
        it = todo[index]
        sub, maps = ImportResult(), []
        if isinstance(job, str):  # _DEFERRED (a copy: the batch crossed the pipe)
            try:
                job = (it.read(size_limit), None)
            except InputError as exc:
                _refuse(sub, it.display, exc)
                out.append((sub, maps))
                continue
            sub.files_read += 1
        _import_one(it, job[0], sub, job[1], maps, encoding, size_limit)
        out.append((sub, maps))
    return out


def _pack(parsed: list) -> list:
    """A worker's results as they cross the pipe: records as plain tuples, which pickle in C (a named tuple
    goes through a Python-level reducer, one call per record: a fifth of a worker's time)."""
    for sub, _maps in parsed:
        sub.records = list(map(tuple, sub.records))
    return parsed


def _unpack(parsed: list) -> list:
    """:func:`_pack` undone: the tuples become records again (``tuple.__new__``, in C)."""
    for sub, _maps in parsed:
        sub.records = list(map(_AS_RECORD, sub.records))
    return parsed


_AS_RECORD = partial(tuple.__new__, AdapterRecord)


def _import_parallel(todo, result, size_limit, sidecars, encoding, workers, provenance_maps, bar) -> None:
    """Files parsed in ``workers`` processes (:mod:`.parallel`: this one and forked ones) — a file on disk read
    by the process that parses it, a zip member, a named file or a file with a sidecar read here — and every
    file's records, rejects, remarks and skips merged in file order: the result equals a one-process import."""
    global _JOB
    _JOB = (todo, size_limit, encoding)

    def entries():
        for i, it in enumerate(todo):
            pre = ImportResult()
            if it.on_disk and not it.explicit and it.display not in sidecars:
                why = _not_a_capture(it, size_limit)
                if why:
                    _skip(pre, it, why)
                yield i, pre, None if why else _DEFERRED
            else:
                yield i, pre, _prepare(it, pre, size_limit, sidecars)

    def size(entry) -> int:
        job = entry[2]
        return todo[entry[0]].size if job is _DEFERRED else len(job[0]) if job else 0

    try:
        for batch, parsed in parallel.ordered_batches(entries(), size, _parse_batch, workers, _pack, _unpack):
            done = iter(parsed)
            for i, pre, job in batch:
                mark = _mark(result)
                result.extend(pre)
                if job is not None:
                    sub, maps = next(done)
                    result.extend(sub)
                    provenance_maps.extend(maps)
                _file_done(result, todo[i].display, mark, provenance_maps)
                if bar is not None:
                    bar.update()
    finally:
        _JOB = ((), None, None)


_RAW_EXTS = (".bin", ".hex", ".raw", ".dat")

# Files found in a folder or zip that cannot hold a capture, by extension: what Get-NetView and Windows
# diagnostics put beside the command output (traces, event logs, dumps, shortcuts, driver files) and other
# binary formats no importer reads. They are listed as skipped unread, so that a large one is not refused
# for the size limit (which fails the import). Every extension an importer reads (.txt, .json, .csv, .bin,
# .hex, .raw, .dat, .zip) and any other name are still read and recognised by content.
_NOT_CAPTURE_EXTS = {
    ".etl": "an ETW trace", ".evtx": "a Windows event log", ".evt": "a Windows event log",
    ".cab": "a cabinet archive (only .zip archives are opened)", ".7z": "a 7-Zip archive (only .zip archives "
    "are opened)", ".gz": "a gzip file (only .zip archives are opened)", ".tar": "a tar archive (only .zip "
    "archives are opened)", ".rar": "a RAR archive (only .zip archives are opened)",
    ".dmp": "a memory dump", ".mdmp": "a memory dump", ".hdmp": "a memory dump",
    ".lnk": "a Windows shortcut", ".blg": "a performance-monitor log",
    ".pcap": "a packet capture", ".pcapng": "a packet capture",
    ".sys": "a driver binary", ".dll": "a program library", ".exe": "a program", ".cat": "a driver catalog",
    ".pdb": "a debug-symbol file", ".msi": "an installer package",
    ".png": "an image", ".jpg": "an image", ".jpeg": "an image", ".gif": "an image", ".bmp": "an image",
    ".pdf": "a PDF document", ".xlsx": "an Excel workbook (save it as CSV to import it)",
    ".xls": "an Excel workbook (save it as CSV to import it)",
}


def _not_a_capture(it: _Item, size_limit: int | None) -> str | None:
    """Why a file found by walking a folder or zip is skipped unread, or None to read it: an extension of
    :data:`_NOT_CAPTURE_EXTS`, or a Get-NetView bundle file over the size limit that is not one of the
    bundle's capture files (tests/spec/capture-formats.md §4: only Get-NetAdapterIPsecOffload.txt and
    Get-NetAdapterAdvancedProperty.txt are read; a smaller one is still recognised by content)."""
    name = it.parts[-1] if it.parts else it.display
    unused = linux.sos_unused(it.parts)  # Linux: the sosreport files no importer reads (issue 15)
    if unused:
        return unused
    ext = PurePosixPath(name).suffix.lower()
    what = _NOT_CAPTURE_EXTS.get(ext)
    if what:
        return f"{what} ({ext} file): not a capture format; not read"
    if (size_limit is not None and it.size > size_limit and name.lower() not in getnetview.IMPORTED_FILES
            and getnetview.bundle_host(it.parts[:-1])):
        return (f"a Get-NetView file over the size limit ({it.size} bytes) that is not one of a bundle's capture "
                "files (Get-NetAdapterIPsecOffload.txt, Get-NetAdapterAdvancedProperty.txt; "
                "tests/spec/capture-formats.md §4); not read")
    return None


def _is_sidecar_item(it: _Item, size_limit: int) -> bool:
    try:
        text, _ = decode_text(it.read(min(size_limit, 1 << 20)), it.display)
        return raw.is_sidecar(json.loads(text))
    except (InputError, ValueError, RecursionError):
        return False  # imported as a file of its own, where what is wrong with it is reported


def _read_sidecar(side: _Item, size_limit: int, result: ImportResult):
    """The sidecar's metadata, or None. A sidecar that cannot be used is one rejected record: without it
    the raw records lose the host, adapter and view it names."""
    capture = side.display[:-5]
    try:
        data = side.read(size_limit)
    except InputError as exc:
        _refuse(result, side.display, exc)
        return None
    try:
        text, _ = decode_text(data, side.display)
        meta = jsonio.loads(text, source=side.display)
    except InputError as exc:
        result.records_seen += 1
        result.rejected.append(Rejected(side.display, exc.line, f"sidecar of {capture} not used: {exc.reason}"))
        return None
    why = raw.sidecar_problem(meta) if isinstance(meta, dict) else \
        f"the JSON is a {type(meta).__name__}, not an object"
    if why:
        result.records_seen += 1
        result.rejected.append(Rejected(side.display, None, f"sidecar of {capture} not used: {why}"))
        return None
    return meta


def _skip(result: ImportResult, it: _Item, reason: str) -> None:
    result.skipped_files.append((it.display, reason))


def _import_one(it: _Item, data: bytes, result: ImportResult, meta, provenance_maps,
                encoding: str | None = None, size_limit: int | None = DEFAULT_SIZE_LIMIT) -> None:
    host, host_from = _fallback_host(it)
    name = it.parts[-1] if it.parts else it.display
    low = name.lower()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    guessed = False

    def ctx(fmt: str) -> FileContext:
        c = FileContext(it.display, fmt, result, host, host_from)
        c.guessed = guessed
        return c

    if not data:
        _skip(result, it, "empty file")
        return
    binary = low.endswith(".bin") or is_probably_binary(data)
    if binary and data[0] != raw.OBJECT_TYPE_OFFLOAD and not low.endswith(".bin"):
        if not _CAPTURE_TEXT.search(data[:262144]):
            _skip(result, it, f"binary file that is not an NDIS_OFFLOAD (first byte 0x{data[0]:02X}, "
                              "NDIS_OBJECT_TYPE_OFFLOAD is 0xA7)")
            return
        binary = False  # text with NUL characters that names capture properties: read as text, never skipped
    if binary:
        raw.import_raw([(data, None)], ctx("raw-bin"), meta, stem)
        return
    try:
        raw_text, enc, cut = decode_text_cut(data, it.display, normalize=False, encoding=encoding)
        guessed = encoding is None and enc == FALLBACK
    except InputError as exc:
        c = ctx("text")
        c.reject(None, exc.reason)
        return
    if cut is None:
        _import_text(it, raw_text, enc, result, meta, provenance_maps, ctx, stem, low, size_limit)
        return
    rejected, skipped = len(result.rejected), len(result.skipped_files)
    _import_text(it, raw_text, enc, result, meta, provenance_maps, ctx, stem, low, size_limit)
    _report_cut(result, it, raw_text, cut, rejected, skipped)


# A capture property name (UTF-8/ANSI text): a file that names one is read as text even with NUL bytes in it.
_CAPTURE_TEXT = re.compile(rb"EspSupported|AhSupported|SaOffloadCapacity|RegistryKeyword")


def _report_cut(result: ImportResult, it: _Item, text: str, cut: str, rejected: int, skipped: int) -> None:
    """A text file that ends in the middle of a character was cut short: its complete part was imported.
    When the importer already rejected the file's last record (an object or row the cut left incomplete,
    the JSON syntax error at the end), the cut is added to that reason; otherwise — every record complete,
    but whatever followed is lost — the cut is one rejected record of its own at the last line."""
    if len(result.skipped_files) > skipped:  # no capture in it: say so, and that it was cut
        path, why = result.skipped_files[-1]
        result.skipped_files[-1] = (path, f"{why}; {cut}")
        return
    last = text.count("\n") + 1
    block = formatlist.last_block_line(text)
    if len(result.rejected) > rejected:
        rej = result.rejected[-1]
        if rej.source_file == it.display and rej.line is not None and rej.line >= min(last, block):
            result.rejected[-1] = dataclasses.replace(rej, reason=f"{rej.reason}; {cut}")
            return
    result.records_seen += 1
    result.rejected.append(Rejected(it.display, last, cut))


def _import_text(it: _Item, raw_text: str, enc: str, result: ImportResult, meta, provenance_maps, ctx, stem: str,
                 low: str, size_limit: int | None = DEFAULT_SIZE_LIMIT) -> None:
    """Recognise the format of a decoded text file (:data:`~ipsecexplore.captures.recognise.RECOGNISERS`,
    in order) and import it with that format's importer."""
    probe = Probe(raw_text, low, tuple(it.parts))
    job = _TextJob(it, probe, f"/{enc}", result, meta, provenance_maps, ctx, stem, size_limit)
    _TEXT_IMPORTERS[recognise(probe)](job)


@dataclasses.dataclass
class _TextJob:
    """One decoded text file on its way to the importer of its format."""

    it: _Item
    probe: Probe
    tag: str  # "/<encoding>", appended to the format name of every record
    result: ImportResult
    meta: object
    provenance_maps: list
    ctx: object  # format name -> FileContext
    stem: str
    size_limit: int | None

    def unread(self, reason: str) -> None:
        _skip_or_reject(self.result, self.it, self.probe.text(), reason, self.ctx)


def _registry_text(j: _TextJob) -> None:
    _skip(j.result, j.it, "registry export: it holds keyword strings under class keys, not adapter names "
                          "(tests/spec/capture-formats.md §3.3); capture with Get-NetAdapterAdvancedProperty instead")


def _csv_text(j: _TextJob) -> None:
    csv_head = csvcap.csv_header(j.probe.head)
    names = {canonical_name(n) for n in csv_head[0]}
    if IPSEC_PROPERTY_NAMES.isdisjoint(names) and "RegistryKeyword" not in names:
        j.unread("CSV without IPsec offload properties or a RegistryKeyword column")
        return
    csvcap.import_csv(j.probe.text(), j.ctx(f"csv{'+type' if csv_head[2] else ''}{j.tag}"))


def _table_text(j: _TextJob) -> None:
    first = next((ln for ln in j.probe.head.split("\n") if ln.strip()), "")
    if "RegistryKeyword" in first:
        advprop.import_table(j.probe.text(), j.ctx(f"advprop-table{j.tag}"))
    elif any(p in first for p in ("Enabled", "Supported")):
        j.unread("a table view of IPsec offload objects (columns are cut to the default view); capture with "
                 "Format-List -Property * or ConvertTo-Json")
    else:
        j.unread("a table without a RegistryKeyword column: not a recognised capture")


def _other_hex_text(j: _TextJob) -> None:
    other = _other_hex(j.probe.text(), j.it.display, j.size_limit, j.ctx(f"raw-hex{j.tag}"))
    if other is None:
        _unrecognised_text(j)
    elif other is not False:
        raw.import_raw([other], j.ctx(f"raw-hex{j.tag}"), j.meta, j.stem)


def _unrecognised_text(j: _TextJob) -> None:
    j.unread("not a recognised capture format (Format-List, ConvertTo-Json, Export-Csv, advanced-property table, "
             "Get-NetView, raw NDIS_OFFLOAD)")


# The importer of each format that recognise.RECOGNISERS names (None: no recogniser matched).
_TEXT_IMPORTERS = {
    "registry": _registry_text,
    "linux": lambda j: linux.import_linux(j.probe.text(), j.ctx("linux"), j.it.parts, j.tag),
    "getnetview": lambda j: _import_getnetview(j.it, j.probe.text(), j.ctx(f"getnetview{j.tag}"), j.result),
    "json": lambda j: _import_json_file(j.it, j.probe.text(), j.ctx(f"json{j.tag}"), j.result, j.provenance_maps),
    "csv": _csv_text,
    "hex-dump": lambda j: _import_hex_dump(j.probe.text(), j.it.display, j.size_limit,
                                           j.ctx(f"raw-hex{j.tag}"), j.meta, j.stem),
    "table": _table_text,
    # As it is: the Format-List reader takes LF or CRLF text without a copy and normalises any other itself.
    "format-list": lambda j: formatlist.import_format_list(j.probe.raw_text, j.ctx(f"format-list{j.tag}")),
    "hex": _other_hex_text,
    None: _unrecognised_text,
}


def _import_hex_dump(text: str, display: str, size_limit: int | None, c: FileContext, meta, stem: str) -> None:
    """Hex text: the spec's dumps (:func:`hexinput.split_spec_dumps`), else the other shapes people paste
    (:func:`hexinput.parse_hex`); the first error is one rejected record."""
    try:
        chunks = hexinput.split_spec_dumps(text, source=display)
    except InputError as exc:
        other = _other_hex(text, display, size_limit, c)
        if other is False:
            return
        if other is None:
            c.reject(exc.line, f"hex text: {exc.reason}")
            return
        chunks = [other]  # xxd, hexdump -C, WinDbg, C array …
    raw.import_raw(chunks, c, meta, stem)


# What makes a text recognisably a capture (issue 12 item 4): the CIM class or an *IPsecOffload* INF keyword
# anywhere, or an IPsec offload property written as captures write it (a 'Name : value' line, a JSON key, a
# CSV header cell). Such a file that cannot be read is rejected, never skipped. Prose and code (a README, a
# script: :data:`_PROSE_EXTS`) mention these names without being captures, and are still skipped.
_PROPS = "|".join(sorted(IPSEC_PROPERTY_NAMES))
_NAMES_CAPTURE = re.compile(r"MSFT_NetAdapterIPsecOffloadV2SettingData|\*IPsecOffload\w*|(?m:^[ \t]*(?:"
                            + _PROPS + r")[ \t]*:)|\"(?:" + _PROPS + r")\"[ \t]*[:,\r\n]", re.I)
_PROSE_EXTS = {".md", ".rst", ".html", ".htm", ".py", ".ipynb", ".ps1", ".psm1", ".psd1", ".sh", ".bat",
               ".cmd", ".c", ".h", ".cpp", ".inf", ".xml", ".yml", ".yaml", ".toml", ".ini", ".cfg"}


def named_capture(text: str) -> tuple[int, str] | None:
    """``(line, text)`` of the first IPsec offload class, keyword or property a text names the way captures
    write them, else None."""
    m = _NAMES_CAPTURE.search(text)
    if m is None:
        return None
    return text.count("\n", 0, m.start()) + 1, m.group().strip().rstrip(":,").strip().strip('"')


def _skip_or_reject(result: ImportResult, it: _Item, text: str, reason: str, ctx) -> None:
    """A text no importer reads: skipped when it holds no capture, rejected (one record, at the line
    that names it) when it names an IPsec offload class, keyword or property: a broken capture must fail
    the import, not pass unnoticed."""
    hit = None if PurePosixPath(it.display).suffix.lower() in _PROSE_EXTS else named_capture(text)
    if hit is None:
        _skip(result, it, reason)
        return
    line, what = hit
    ctx("text").reject(line, f"{reason}; but it names {what} (line {line}), so it is a capture that cannot be "
                             "read: rejected")


def _other_hex(text: str, display: str, size_limit: int | None, c: FileContext) -> tuple[bytes, list] | None:
    """``(bytes, [(byte index, line)])`` of hex text in the other shapes people paste (xxd, ``hexdump -C``,
    WinDbg ``db``, C arrays; read by :mod:`ipsecexplore.hexinput`) when it starts like an ``NDIS_OFFLOAD``;
    else None. The line starts let every record be reported at its ``file:line``. A dump whose ``*``
    repeat stands for more than ``size_limit`` bytes is rejected through ``c``, and False returned."""
    starts: list = []
    try:
        data = hexinput.parse_hex(text, source=display, starts=starts, max_bytes=size_limit)
    except hexinput.TooLarge as exc:
        c.reject(exc.line, exc.reason)
        return False
    except InputError:
        return None
    return (data, starts or None) if data[:1] == bytes([raw.OBJECT_TYPE_OFFLOAD]) else None


def _import_getnetview(it: _Item, text: str, c: FileContext, result: ImportResult) -> None:
    name = (it.parts[-1] if it.parts else it.display).lower()
    kind = getnetview.IMPORTED_FILES.get(name)
    blocks = getnetview.command_blocks(text)
    if kind is None:
        cmd = blocks[0].command.split()[0] if blocks and blocks[0].command else "?"
        _skip(result, it, f"Get-NetView output of {cmd}: not an IPsec offload capture")
        return
    fl = [b for b in blocks if getnetview.FORMAT_LIST_SUFFIX.search(b.command)]
    broken = _broken_prompts(blocks, fl, c)
    if not fl:
        if not broken:
            _skip_or_reject(result, it, text, "Get-NetView file without a '| Format-List -Property *' block",
                            lambda fmt: c)
        return
    before = result.records_seen - broken
    failed = []
    for b in fl:
        if b.status:
            # Get-NetView writes [Failed]/[Unavailable] and then the error text instead of objects;
            # for Get-NetAdapterIPsecOffload that is what an adapter without IPsec offload v2 gives.
            first = next((ln.strip() for ln in b.output.split("\n") if ln.strip()), "")
            failed.append(f"[{b.status}] at line {b.banner_line}" + (f": {first[:120]}" if first else ""))
            m = FORMAT_LIST_PROPERTY.search(b.output)
            if m:  # error text does not look like objects: say that these were not read
                c.reject(b.output_line + b.output.count("\n", 0, m.start()),
                         f"Format-List properties after [{b.status}] (line {b.banner_line + 2}): not read")
            continue
        c.banner_host = b.host
        formatlist.import_format_list(b.output, c, b.output_line - 1)
    if result.records_seen == before:
        if failed:
            what = "the Format-List command did not succeed " + "; ".join(failed)
        elif kind == "ipsec":
            what = ("no Get-NetAdapterIPsecOffload object (the cmdlet returns nothing for an adapter without "
                    "IPsec offload v2)")
        else:
            what = "no *IPsecOffload* advanced property"
        _skip(result, it, what)


def _broken_prompts(blocks, fl, c: FileContext) -> int:
    """A block that is not a ``| Format-List -Property *`` command but whose output holds Format-List property
    lines of a capture — a prompt line broken by a stray line end, so that its objects joined the block
    before — is one rejected record at the first such line, never passed over in silence. Returns how many."""
    n = 0
    for b in blocks:
        if b in fl:
            continue
        m = FORMAT_LIST_PROPERTY.search(b.output)
        if m:
            line = b.output_line + b.output.count("\n", 0, m.start())
            c.reject(line, f"Format-List properties in the output of '{b.command[:80]}', which is not a "
                           "'| Format-List -Property *' command (is a banner or prompt line broken?): not read")
            n += 1
    return n


def _import_json_file(it: _Item, text: str, c: FileContext, result: ImportResult, provenance_maps) -> None:
    try:
        obj = json.loads(text)  # only to tell what the file is; jsoncap reads captures element by element
    except RecursionError:
        jsoncap.import_json(text, c)  # rejects the value nested too deeply, with its line
        return
    except ValueError:
        obj = None
    if isinstance(obj, dict) and obj.get("format") == PROVENANCE_FORMAT:
        dup = jsoncap.first_duplicate_key(text)
        if dup is not None:
            c.reject(dup[1], f"provenance file not used: key {dup[0]!r} appears twice in one JSON object")
            return
        why = _provenance_problem(obj)
        if why:
            c.reject(None, f"provenance file not used: {why}")
            return
        provenance_maps.append((it.display, obj))
        return
    if raw.is_sidecar(obj):
        _skip(result, it, "raw-capture sidecar without its capture file (expected "
                          f"{it.display[:-5] if it.display.endswith('.json') else it.display + ' minus .json'})")
        return
    if obj is not None and not _json_has_capture(obj):
        _skip_or_reject(result, it, text, "JSON without IPsec offload objects or *IPsecOffload* advanced "
                                          "properties", lambda fmt: c)
        return
    if obj is None and named_capture(text) is None and "RegistryKeyword" not in text:
        _skip(result, it, "not valid JSON and no IPsec offload class, keyword or property in it")
        return
    jsoncap.import_json(text, c)


# The provenance file, declared with the rules' JSON kinds (rules/schema.py); null is allowed where a key
# may be left out.
_TEXT_OR_NULL = schema.Kind("a string", lambda v: v is None or isinstance(v, str))
_PROVENANCE = {"format": schema.ANY, "note": _TEXT_OR_NULL, "default": _TEXT_OR_NULL,
               "adapters": schema.Kind("a list of objects", lambda v: v is None or isinstance(v, list))}
_PROVENANCE_ENTRY = {"host": schema.STRING, "adapter": schema.STRING, "provenance": schema.STRING,
                     "view": schema.one_of(schema.Kind("null", lambda v: v is None),
                                           schema.choice(("hardware", "current", "unknown")))}
_AN_OBJECT = schema.Kind("an object", lambda v: isinstance(v, dict))


def _kind_problem(value, kind: schema.Kind, key: str) -> str | None:
    try:
        schema.check_value(value, kind, key=key)
    except InputError as exc:
        return f"{key} {exc.reason}"
    return None


def _keys_problem(obj: dict, known: dict, where: str, whose: str) -> str | None:
    bad = next((k for k in obj if k not in known), None)
    return None if bad is None else f"{where}unknown key {_brief(bad)} ({whose} has {', '.join(known)})"


def _provenance_problem(obj: dict) -> str | None:
    """Why a provenance file cannot be used, or None. Its keys are ``format``, ``note``, ``default`` (a
    string) and ``adapters``: a list of objects with string ``host``, ``adapter``, ``provenance`` and an
    optional ``view`` (hardware, current, unknown)."""
    why = _keys_problem(obj, _PROVENANCE, "", "a provenance file") or next(
        (w for k, kind in _PROVENANCE.items() if (w := _kind_problem(obj.get(k), kind, repr(k)))), None)
    if why:
        return why
    for i, e in enumerate(obj.get("adapters") or ()):
        where = f"adapters[{i}]"
        why = _kind_problem(e, _AN_OBJECT, where) or _keys_problem(e, _PROVENANCE_ENTRY, f"{where}: ", "an entry")
        if why:
            return why
        for k, kind in _PROVENANCE_ENTRY.items():
            if e.get(k) is None and k != "view":
                return f"adapters[{i}]: {k!r} must be a string, is missing"
            why = _kind_problem(e.get(k), kind, f"adapters[{i}]: {k!r}")
            if why:
                return why
    return None


def _brief(v) -> str:
    s = repr(v) if isinstance(v, str) else type(v).__name__
    return s if len(s) <= 60 else s[:57] + "..."


def _json_has_capture(obj) -> bool:
    """True when some object of a ConvertTo-Json document is an IPsec offload object or advanced property.

    Walks nested arrays with a stack, not recursion: the parser accepts deeper nesting than a recursive
    walk started further down the stack could follow."""
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            if isinstance(o.get("value"), list) and "Count" in o:
                stack.append(o["value"])
            elif any(k.casefold() in _CAPTURE_KEYS for k in o if isinstance(k, str)):
                return True
        elif isinstance(o, list):
            stack.extend(reversed(o))
    return False


_CAPTURE_KEYS = {k.casefold() for k in IPSEC_PROPERTY_NAMES} | {"registrykeyword"}


def _key(host: str, adapter: str) -> tuple[str, str]:
    return host.casefold(), (adapter or "").casefold()


def _join_keywords(result: ImportResult) -> None:
    kws = result.unmatched_keywords
    if not kws:
        return
    index: dict = {}
    for i, r in enumerate(result.records):
        index.setdefault(_key(r.host, r.adapter), []).append(i)
    attached: dict[int, dict] = {}
    first_row: dict = {}
    unmatched = []
    from .record import Rejected

    for k in kws:
        idx = index.get(_key(k.host, k.adapter))
        if not idx:
            unmatched.append(k)
            continue
        prev = first_row.get((_key(k.host, k.adapter), k.keyword.casefold()))
        if prev is not None and prev.value != k.value:
            result.loaded -= 1
            t = result.tally(k.source_file)
            t.loaded, t.rejected = t.loaded - 1, t.rejected + 1
            result.rejected.append(Rejected(k.source_file, k.line,
                                            f"advanced property {k.keyword} of {k.adapter!r} on {k.host} is "
                                            f"{k.value} here but {prev.value} in {prev.source}"))
            continue
        first_row.setdefault((_key(k.host, k.adapter), k.keyword.casefold()), k)
        for i in idx:
            attached.setdefault(i, {})[k.keyword] = k.value
    for i, kw in attached.items():
        r = result.records[i]
        result.records[i] = r._replace(keywords={**r.keywords, **kw})
    result.unmatched_keywords = unmatched


def _apply_provenance(result: ImportResult, maps) -> None:
    if not maps:
        return
    table: dict = {}
    default = None
    for _display, obj in maps:  # checked by _provenance_problem when read
        if isinstance(obj.get("default"), str):
            default = obj["default"]
        for e in obj.get("adapters") or []:
            table[_key(e["host"], e["adapter"]) + (e.get("view"),)] = e["provenance"]
    from .record import CAPTURED

    for i, r in enumerate(result.records):
        if r.provenance != CAPTURED:
            continue  # a sidecar already said
        k = _key(r.host, r.adapter)
        p = table.get(k + (r.view,)) or table.get(k + (None,)) or default
        if p:
            result.records[i] = r._replace(provenance=p)
