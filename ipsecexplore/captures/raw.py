"""Raw ``NDIS_OFFLOAD`` bytes: binary files or hex text, one structure or many concatenated
(tests/spec/capture-formats.md §7).

Records are walked by their own ``Header.Size`` and each is decoded by :func:`ipsecexplore.model.decode`
(Header.Type, revision, Header.Size at least the macro; members the revision lacks are *not reported*, hence
missing); what the decode found unusual becomes a remark on the loaded record. A record that fails is
rejected with its byte offset and the next one is tried; when a header is unusable (and its revision and size
do not even look like an NDIS_OFFLOAD's) the boundary of the next record is unknown, so the rest of the buffer
is rejected as one record, naming how many bytes were not read.

Hex text: two-digit hex bytes separated by blanks, optionally after an ``OFFSET`` column (tests/spec/layouts.md §6).
A blank line, or an offset column that restarts at 0, starts a new buffer.

Metadata comes from an optional sidecar ``<file>.json`` (the keys of §7: ``source``, ``adapter``, ``arch``,
``os_build``, ``captured_at``; also accepted: ``host``, ``description``, ``view``, ``provenance`` and
``records`` — a list of per-record objects with the same keys). ``source`` gives the view:
``oid_hardware_capabilities``/``rndis`` → hardware, ``oid_current_config`` → current; ``status_indication``
may be either indication (current config or hardware capabilities), so its view is ``unknown`` unless the
sidecar's ``view`` says which; without a source the view is ``unknown``.
"""

from __future__ import annotations

import bisect

from ..errors import DecodeError, InputError, IpsecExploreError
from .base import FileContext

__all__ = ["import_raw", "SOURCE_VIEWS", "SIDECAR_KEYS",
           "is_sidecar", "sidecar_problem", "fleet_paths"]

OBJECT_TYPE_OFFLOAD = 0xA7  # NDIS_OBJECT_TYPE_OFFLOAD (tests/spec/constants.md §2)

SOURCE_VIEWS = {
    "oid_hardware_capabilities": "hardware",
    "rndis": "hardware",  # hv_netvsc queries OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES (§7 item 2)
    "oid_current_config": "current",
    # NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG or …_HARDWARE_CAPABILITIES (R74): the source alone does not say
    "status_indication": "unknown",
    "debugger": "unknown",
    "synthetic": "unknown",
}
SIDECAR_KEYS = {"source", "arch", "os_build", "adapter", "captured_at", "host", "description", "view",
                "provenance", "records"}

# ASCII: bytes.fromhex() skips only ASCII blanks, so a no-break space must not count as one


def is_sidecar(obj) -> bool:
    """A JSON object made only of sidecar keys, with a ``source`` or ``adapter`` key."""
    return (isinstance(obj, dict) and bool(obj) and set(obj) <= SIDECAR_KEYS
            and ("source" in obj or "adapter" in obj or "records" in obj))


_TEXT_KEYS = ("arch", "os_build", "captured_at", "host", "description", "provenance")
_VIEWS = ("hardware", "current", "unknown")


def sidecar_problem(meta: dict) -> str | None:
    """Why a sidecar object cannot be used (plain words, naming the key), or None when it can.

    Every key must be one of :data:`SIDECAR_KEYS`, with a string (or null) value; ``source`` and ``view``
    one of their known values; ``adapter`` a string or a list of strings (one per record); ``records`` a
    list of objects with the same keys. A misspelt key or an unknown source would otherwise be passed over
    and the records land under the file name, in view ``unknown``."""
    return _sidecar_keys(meta, "") or (_records_problem(meta.get("records")) if "records" in meta else None)


def _sidecar_keys(m: dict, where: str) -> str | None:
    for k, v in m.items():
        if k not in SIDECAR_KEYS or (where and k == "records"):
            known = ", ".join(sorted(SIDECAR_KEYS - ({"records"} if where else set())))
            return f"{where}unknown key {_brief(k)} (a sidecar has {known})"
        if k == "records" or v is None:
            continue
        if k == "adapter":
            if not (isinstance(v, str) or (isinstance(v, list) and all(isinstance(a, (str, type(None)))
                                                                       for a in v))):
                return f"{where}'adapter' must be a string or a list of strings, not {type(v).__name__}"
        elif not isinstance(v, str):
            return f"{where}{k!r} must be a string, not {type(v).__name__}"
        elif k == "source" and v not in SOURCE_VIEWS:
            return f"{where}'source' {_brief(v)} is not one of {', '.join(SOURCE_VIEWS)}"
        elif k == "view" and v not in _VIEWS:
            return f"{where}'view' {_brief(v)} is not one of {', '.join(_VIEWS)}"
    return None


def _records_problem(recs) -> str | None:
    if not isinstance(recs, list):
        return f"'records' must be a list of objects, not {type(recs).__name__}"
    for i, r in enumerate(recs):
        if not isinstance(r, dict):
            return f"records[{i}] must be an object, not {type(r).__name__}"
        why = _sidecar_keys(r, f"records[{i}]: ")
        if why:
            return why
    return None


def _brief(v) -> str:
    s = repr(v) if isinstance(v, str) else type(v).__name__
    return s if len(s) <= 60 else s[:57] + "..."


def fleet_paths() -> list[str]:
    """The members a raw record contributes: ``Header.Revision``, ``Flags`` and every ``IPsecV2`` leaf."""
    from ..layouts import layout

    lay = layout("NDIS_OFFLOAD")
    return ["Header.Revision", "Flags"] + [m.path for m in lay.leaves if m.path.startswith("IPsecV2.")]


def _line_of(starts, pos: int) -> int | None:
    if not starts:
        return None
    i = bisect.bisect_right([s for s, _ in starts], pos) - 1
    return starts[max(i, 0)][1]


def _meta_for(meta: dict | None, index: int) -> dict:
    meta = meta or {}
    out = {k: v for k, v in meta.items() if k != "records"}
    recs = meta.get("records")
    if isinstance(recs, list) and index < len(recs) and isinstance(recs[index], dict):
        out.update(recs[index])
    adapter = out.get("adapter")
    if isinstance(adapter, list):
        out["adapter"] = adapter[index] if index < len(adapter) else None
    return out


def import_raw(buffers, ctx: FileContext, meta: dict | None, stem: str) -> None:
    """Import raw records. ``buffers`` is a list of ``(bytes, line starts or None)``; binary files pass
    one buffer without line information (positions are then byte offsets).

    Reader rules of tests/spec/capture-formats.md §7: Header.Type checked, revision from Header.Revision, Header.Size at
    least the macro (a larger one is accepted), only members inside decoded; extra bytes, non-zero padding,
    unnamed bits and odd BOOLEAN bytes become remarks on the loaded record. An NDIS_WMI_OFFLOAD block (§5)
    loads with its header only: its IPsecV2 area is not filled by NDIS, so IPsecV2 is missing."""
    reader = _RawReader(ctx, meta, stem, len(buffers) > 1)
    for buf, starts in buffers:
        o = 0
        while o < len(buf):
            took = reader.record(buf, starts, o)
            if took is None:
                break  # the next record cannot be located: the rest is in the rejection
            o += took
            reader.index += 1


class _RawReader:
    """Walks concatenated NDIS_OFFLOAD records; ``index`` counts records over all buffers of one file."""

    def __init__(self, ctx: FileContext, meta: dict | None, stem: str, multi: bool):
        from ..layouts import layout
        from ..model import decode
        from ..wmi import WMI_HEADER_SIZE, wmi_block

        self.ctx, self.meta, self.stem, self.multi = ctx, meta, stem, multi
        self.lay, self.paths, self.index = layout("NDIS_OFFLOAD"), fleet_paths(), 0
        self.wmi_size, self.decode, self.wmi_block = WMI_HEADER_SIZE, decode, wmi_block

    def record(self, buf: bytes, starts, o: int) -> int | None:
        """Read the record at byte ``o``: the bytes it took, or None when the next cannot be located."""
        ctx, n = self.ctx, len(buf)
        line = _line_of(starts, o) if starts else None
        offset = None if starts else o
        rem = n - o
        if rem < 4:
            ctx.reject(line, f"{rem} trailing byte(s) at offset 0x{o:X} are too short for an "
                             "NDIS_OBJECT_HEADER", offset)
            return None
        typ, rev, size = buf[o], buf[o + 1], buf[o + 2] | (buf[o + 3] << 8)
        if typ != OBJECT_TYPE_OFFLOAD:
            return self._wrong_type(typ, rev, size, rem, o, line, offset)
        whole = o == 0 and self.wmi_block(buf) is not None
        if whole or size == self.wmi_size:
            take = n if whole else size if size <= rem else rem if 268 <= rem <= 300 else 0
            if take:
                _wmi_record(ctx, self.meta, self.stem, self.index, self.multi, line, offset, buf[o:o + take], rev,
                            size)
                return take
        if size < 4:
            ctx.reject(line, f"Header.Size {size} at offset 0x{o:X} is smaller than the 4-byte header; the "
                             f"next record cannot be located, {rem} byte(s) not read", offset)
            return None
        if size > rem:
            ctx.reject(line, f"Header.Size {size} at offset 0x{o:X} does not fit the {rem} remaining "
                             f"byte(s); {rem} byte(s) not read", offset)
            return None
        self._decoded(buf[o:o + size], o, line, offset, o + size < n)
        return size

    def _wrong_type(self, typ: int, rev: int, size: int, rem: int, o: int, line, offset) -> int | None:
        if 1 <= rev <= self.lay.latest_revision and self.lay.revision_size(rev) <= size <= rem:
            # revision and size still look like an NDIS_OFFLOAD: skip this record by its size
            self.ctx.reject(line, f"record {self.index}: Header.Type is 0x{typ:02X}, not NDIS_OBJECT_TYPE_OFFLOAD "
                                  f"(0xA7), at offset 0x{o:X}; skipped by its Header.Size ({size})", offset)
            return size
        self.ctx.reject(line, f"Header.Type is 0x{typ:02X}, not NDIS_OBJECT_TYPE_OFFLOAD (0xA7), at offset "
                              f"0x{o:X}; the next record cannot be located, {rem} byte(s) not read", offset)
        return None

    def _decoded(self, record: bytes, o: int, line, offset, more: bool) -> None:
        """Decode one record that fits; load it with remarks, or reject it naming the offset."""
        ctx, index = self.ctx, self.index
        try:
            off = self.decode(record)
            d = off.to_dict()
        except DecodeError as exc:
            where = f"offset 0x{o + exc.offset:X}: " if exc.offset is not None else f"offset 0x{o:X}: "
            ctx.reject(line, f"record {index}: {where}{exc.reason}", offset)
            return
        except IpsecExploreError as exc:  # pragma: no cover - decode raises DecodeError only
            ctx.reject(line, f"record {index}: {exc}", offset)
            return
        for note in off.notes():
            ctx.remark(line, f"record {index}: {note}", offset)
        values = {p: d[p] for p in self.paths if p in d}
        m = _meta_for(self.meta, index)
        _load(ctx, m, adapter_name(m, self.stem, index, self.multi or more), view_of(m), values, line, offset)


def view_of(meta: dict) -> str:
    """The view a record's metadata gives: ``view``, else from ``source`` (SOURCE_VIEWS), else unknown."""
    view = meta.get("view") or SOURCE_VIEWS.get(meta.get("source"), "unknown")
    return view if view in _VIEWS else "unknown"


def adapter_name(meta: dict, stem: str, index: int, several: bool) -> str:
    """The sidecar's adapter name, else the file stem (``stem#index`` when the file holds several records)."""
    adapter = meta.get("adapter") if isinstance(meta.get("adapter"), str) else None
    return adapter or (f"{stem}#{index}" if (several or index) else stem)


def _load(ctx: FileContext, m: dict, adapter: str, view: str, values: dict, line, offset) -> None:
    if isinstance(m.get("host"), str) and m["host"].strip():
        host, host_from = m["host"].strip(), "sidecar"
    else:
        host, host_from = ctx.fallback_host, ctx.fallback_from
    ctx.raw_record(host, host_from, adapter, m.get("description"), view, values, line, offset,
                   m.get("provenance") if isinstance(m.get("provenance"), str) else None)


def _wmi_record(ctx: FileContext, meta, stem: str, index: int, multi: bool, line, offset, block: bytes,
                rev: int, size: int) -> None:
    """tests/spec/capture-formats.md §5: decode only the revision-1 part of an NDIS_WMI_OFFLOAD and mark IPsecV2 as
    unavailable — the record loads with its header; every IPsecV2 column stays missing (NA)."""
    m = _meta_for(meta, index)
    from ..wmi import wmi_message

    ctx.remark(line, f"record {index}: {wmi_message(f'Header.Size {size}, {len(block)} bytes')}. It loads with "
                     "its header only; IPsecV2 is unavailable and shown as missing", offset)
    values = {"Header.Type": block[0], "Header.Revision": rev, "Header.Size": size}
    _load(ctx, m, adapter_name(m, stem, index, multi or index > 0), view_of(m), values, line, offset)


def __getattr__(name: str):
    # Deprecated for one release: the hex-dump reader is ipsecexplore.hexinput's (one reader, one error type).
    if name in ("parse_hex_dump", "looks_like_hex_dump"):
        import warnings

        from .. import hexinput

        new = "split_spec_dumps" if name == "parse_hex_dump" else "looks_like_spec_dump"
        warnings.warn(f"ipsecexplore.captures.raw.{name} is deprecated; use ipsecexplore.hexinput.{new}",
                      DeprecationWarning, stacklevel=2)
        return _old_parse_hex_dump if name == "parse_hex_dump" else hexinput.looks_like_spec_dump
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _old_parse_hex_dump(text: str, line_base: int = 0):
    """The old protocol: ``ValueError`` whose args are ``(line, reason)``."""
    from .. import hexinput

    try:
        return hexinput.split_spec_dumps(text, line_offset=line_base)
    except InputError as exc:
        raise ValueError(exc.line, exc.reason) from None
