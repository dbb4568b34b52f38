"""Vectorised decode of many concatenated NDIS_OFFLOAD records into a pandas DataFrame.

>>> import ipsecexplore as ix
>>> off = ix.NdisOffload.new(revision=2); off.IPsecV2.Esp = True
>>> df = ix.offloads_frame(ix.encode(off) * 3)
>>> df["IPsecV2.Esp"].tolist()
[True, True, True]

The numpy dtype comes from the same computed layout as the per-record codec (no second layout); flags are
expanded with vectorised bit tests; no per-row Python objects are created.
"""

from __future__ import annotations

import os
from functools import cache

import numpy as np
import pandas as pd

from .codec import object_type_value
from .columns import IPSECV2_FLAG_MEMBERS, flag_columns, fleet_member_paths
from .errors import DecodeError, InputError
from .layouts import Layout, Member, layout
from .wmi import refuse_wmi_block

__all__ = ["offloads_frame", "record_dtype"]

@cache
def record_dtype(revision: int, structure: str = "NDIS_OFFLOAD", itemsize: int | None = None) -> np.dtype:
    """Structured dtype of one record of ``revision``: one field per byte-aligned scalar member
    (named by dotted path) plus one ``word@OFFSET`` field per bit-field word; itemsize = Header.Size
    (``itemsize``: a larger Header.Size, whose extra bytes no field covers)."""
    lay = layout(structure)
    size = lay.revision_size(revision)
    names, formats, offsets = [], [], []
    for m in lay.leaves_within(size):
        spec = m.codec.numpy_field(m)  # one field per bit-field word; arrays and GUIDs have none
        if spec is not None and spec[0] not in names:
            names.append(spec[0])
            formats.append(spec[1])
            offsets.append(spec[2])
    return np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": max(size, itemsize or 0)})


def _as_buffer(data) -> memoryview:
    """``data`` as a flat byte view: a file path is read; a non-contiguous view is copied. Anything else is
    :class:`InputError` naming the argument."""
    if isinstance(data, (str, os.PathLike)):
        try:
            with open(data, "rb") as fh:
                return memoryview(fh.read())
        except OSError as exc:
            raise InputError(f"offloads_frame(data=...): cannot read file: {exc.strerror or exc}",
                             source=os.fspath(data)) from None
    try:
        view = memoryview(data)
    except TypeError:
        raise InputError("offloads_frame(data=...) takes bytes, a buffer (bytearray, memoryview, numpy array) or "
                         f"a file path, not {type(data).__name__}") from None
    if not view.c_contiguous:
        return memoryview(view.tobytes())  # a strided view: its bytes in order, copied once
    return view.cast("B")


def _check_headers(cols: dict, lay: Layout, revision: int, size: int) -> list[tuple[int, int, str]]:
    want_type = object_type_value(lay)
    t, r, s = cols["Header.Type"], cols["Header.Revision"], cols["Header.Size"]
    bad = np.flatnonzero((t != want_type) | (r != revision) | (s != size))
    out = []
    for i in bad[:10000].tolist():  # a reason per bad record; beyond 10,000 the count is still exact
        why = []
        if t[i] != want_type:
            why.append(f"Header.Type 0x{int(t[i]):02X}, expected 0x{want_type:02X}")
        if r[i] != revision:
            why.append(f"Header.Revision {int(r[i])}, expected {revision} as in the first record")
        if s[i] != size:
            why.append(f"Header.Size {int(s[i])}, expected {size} as in the first record")
        out.append((i, i * size, "; ".join(why)))
    if len(bad) > len(out):
        out.append((-1, -1, f"… and {len(bad) - len(out)} more bad records"))
    return out


_CHUNK = 16384  # records per pass: one chunk of records stays in cache while every column is read from it


def _leaf_columns(rec: np.ndarray, members: list[Member], cols: dict) -> None:
    """Fill one contiguous array per member. Work goes chunk by chunk so that the strided reads of all
    fields hit a cache-resident block of records instead of streaming the whole buffer once per field;
    each strided field is read once (a bit-field word once for all its fields), the rest is contiguous."""
    n = len(rec)
    fields = []  # record fields to gather: name -> contiguous copy
    for m in members:
        f = m.codec.numpy_field(m)[0]
        if f not in fields:
            fields.append(f)
    gathered = {f: np.empty(n, rec.dtype.fields[f][0].newbyteorder("=")) for f in fields}
    for start in range(0, n, _CHUNK):
        block = rec[start:start + _CHUNK]
        stop = start + len(block)
        for f, out in gathered.items():
            out[start:stop] = block[f]
    for m in members:
        if m.is_boolean:
            raw = gathered[m.path]
            cols[m.path] = raw != 0
            odd = raw > 1
            if odd.any():  # keep the raw byte where it is neither 0 nor 1
                col = pd.array(raw, dtype="UInt8")
                col[~odd] = pd.NA
                cols[m.path + ".raw"] = col
        else:
            cols[m.path] = m.codec.numpy_values(m, gathered[m.codec.numpy_field(m)[0]])


def _stride(buf: memoryview, lay) -> tuple[int, int, int]:
    """``(revision, record size, record count)`` from record 0's header; :class:`DecodeError` for a buffer
    that is not whole records of one NDIS_OFFLOAD revision."""
    if len(buf) == 0:
        raise DecodeError("no records: the buffer is empty", structure="NDIS_OFFLOAD")
    if len(buf) < 4:
        raise DecodeError("buffer shorter than one NDIS_OBJECT_HEADER", structure="NDIS_OFFLOAD", offset=0,
                          actual=f"{len(buf)} bytes")
    revision = buf[1]
    try:
        macro = lay.revision_size(revision)
    except KeyError:
        raise DecodeError("record 0 has an unknown Header.Revision", structure="NDIS_OFFLOAD", index=0,
                          path="Header.Revision", offset=1, expected="1..8", actual=revision) from None
    # readers accept Header.Size ≥ the macro (R8): record 0's size is the stride of every record
    size = max(macro, int.from_bytes(buf[2:4], "little"))
    refuse_wmi_block(bytes(buf[:size]), index=0)
    n, rest = divmod(len(buf), size)
    if rest:
        raise DecodeError(f"buffer length {len(buf)} is not a multiple of the record size {size} (Header.Size of "
                          f"record 0, revision {revision}): {rest} trailing byte(s) after {n} whole record(s)",
                          structure="NDIS_OFFLOAD", offset=n * size, actual=f"{rest} trailing bytes")
    return revision, size, n


def _bit_columns(cols: dict, flag_members, n: int) -> None:
    """One boolean column per flag of each member in ``flag_members`` (vectorised bit tests)."""
    tmp = np.empty(n, np.uint32)  # one scratch array for every bit test
    for member in flag_members:
        v = cols[member]
        for fc in flag_columns(member):
            out = np.empty(n, np.bool_)
            np.bitwise_and(v, np.uint32(fc.bit), out=tmp, casting="unsafe")
            np.not_equal(tmp, 0, out=out)
            cols[fc.column] = out


def offloads_frame(data, members: str = "fleet", *, on_error: str = "raise") -> pd.DataFrame:
    """Decode concatenated NDIS_OFFLOAD records of one revision into a DataFrame, one row per record.

    ``data``: bytes, a memoryview or a file path. ``members``: ``"fleet"`` (Header, the IPsecV2 members and
    one boolean column per IPsecV2 flag) or ``"all"`` (every member by dotted path, flags too).
    The revision and the record size are read from the first record (Header.Size may be larger than the
    revision's NDIS_SIZEOF, as readers must accept; every record then has that size). A buffer whose length is
    not a multiple of the record size raises, naming the trailing byte count. Records with a wrong header:
    ``on_error="raise"`` raises one :class:`DecodeError` listing each by index; ``"mark"`` keeps every row and
    fills an ``error`` column (NA for good records).
    """
    if members not in ("fleet", "all"):
        raise InputError(f"offloads_frame(members=...) must be 'fleet' or 'all', not {members!r}")
    if on_error not in ("raise", "mark"):
        raise InputError(f"offloads_frame(on_error=...) must be 'raise' or 'mark', not {on_error!r}")
    buf = _as_buffer(data)
    lay = layout("NDIS_OFFLOAD")
    revision, size, n = _stride(buf, lay)
    rec = np.frombuffer(buf, dtype=record_dtype(revision, itemsize=size), count=n)
    inside = lay.leaves_in_revision(revision)
    if members == "fleet":
        wanted = set(fleet_member_paths())
        leaves = [m for m in inside if m.path in wanted]
    else:
        leaves = inside
    cols: dict = {}
    _leaf_columns(rec, leaves, cols)  # Header.* are always among the leaves
    bad = _check_headers(cols, lay, revision, size)
    if bad and on_error == "raise":
        lines = "; ".join(f"record {i} (offset {o}): {why}" if i >= 0 else why for i, o, why in bad[:20])
        more = f"; {len(bad) - 20} more" if len(bad) > 20 else ""
        raise DecodeError(f"{len(bad)} record(s) with a wrong header: {lines}{more}", structure="NDIS_OFFLOAD",
                          index=bad[0][0])
    flag_members = [p for p in IPSECV2_FLAG_MEMBERS if p in cols]
    if members == "all":
        flag_members += [m.path for m in inside
                         if m.group and not m.path.startswith("IPsecV2.") and not m.codec.packed]
    _bit_columns(cols, flag_members, n)
    df = pd.DataFrame(cols, copy=False)
    if on_error == "mark":
        err = pd.array([pd.NA] * n, dtype="string")
        for i, _o, why in bad:
            if i >= 0:
                err[i] = why
        df["error"] = err
    df.attrs["revision"] = revision
    df.attrs["bad_records"] = bad
    return df


class _BadRecord(tuple):
    """(index, byte offset, reason) of a record whose header is wrong. Never produced (bad records are the
    frame's ``error`` column and ``attrs['bad_records']``); kept as the deprecated ``BadRecord`` for one release."""


def __getattr__(name: str):
    if name == "BadRecord":
        import warnings

        warnings.warn("ipsecexplore.bulk.BadRecord is unused and deprecated; bad records are the frame's "
                      "error column", DeprecationWarning, stacklevel=2)
        return _BadRecord
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
