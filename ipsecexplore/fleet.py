"""The fleet frame: every captured adapter's IPsec offload v2 capabilities in one tidy pandas DataFrame.

>>> from ipsecexplore.fleet import load_fleet
>>> fleet = load_fleet(["data/sample"])            # doctest: +SKIP
>>> fleet.frame.groupby("view")["IPsecV2.Esp"].mean()  # doctest: +SKIP

``Fleet.frame`` has one row per adapter per view (``hardware``, ``current``; ``unknown`` for raw bytes of
unnamed origin) and the columns, in order:

- ``host``, ``adapter``, ``description``, ``source`` (``file:line`` or ``file@0xOFFSET``), ``view``,
  ``provenance``;
- one column per ``NDIS_IPSEC_OFFLOAD_V2`` member by dotted C path (``IPsecV2.Esp`` …): dtype ``boolean``
  for ``BOOLEAN`` members and ``Int64`` for ``ULONG`` members, ``<NA>`` where the capture does not carry
  the member (PowerShell never reports ``Encapsulation``, ``TransportTunnelCombined`` and
  ``ExtendedSequenceNumbers``; tests/spec/capture-formats.md §2.2);
- one ``boolean`` column per flag of each mask member (``IPsecV2.EncryptionAlgorithms.AES_GCM_128`` …),
  derived from the constant groups the layout names; ``<NA>`` where the mask is unknown;
- ``keyword.<INF keyword>`` (``Int64``) for every ``*IPsecOffload*`` keyword captured;
- ``os`` (``windows``/``linux``) and the Linux columns — ``driver``, ``firmware``, ``ethtool.<feature>``,
  ``ethtool.<feature>.fixed``, ``xfrm.states.<in|out>.<crypto|packet|unknown>`` — <NA> on Windows rows
  (:mod:`ipsecexplore.fleet_linux`; ``frame.attrs["notes"]`` says the Linux hardware/current reading is inferred);
- ``Enabled`` (the CIM administrative switch), ``Header.Revision`` and ``Flags`` (raw captures only),
  ``host_from`` (where the host name came from) and ``format`` (importer and text encoding);
- the identity columns of :data:`ipsecexplore.columns.IDENTITY_COLUMNS`: ``model`` (the description without
  Windows' `` #2`` suffix), ``virtual`` (a Hyper-V vNIC: True/False/<NA>) and ``virtual_from`` (the evidence);
  ``frame.attrs["notes"]`` says how each was derived (:mod:`ipsecexplore.identity`).

``host``, ``adapter``, ``description`` and ``source`` are ``string`` columns; ``view``, ``provenance``,
``host_from`` and ``format`` hold a handful of distinct values and are categorical.

Members, flags and dtypes all come from the layout and constants modules; nothing is listed by hand here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter

import numpy as np
import pandas as pd

from .captures import ImportResult, import_paths
from .captures.linux import is_linux_format
from .captures.record import AdapterRecord, where
from .captures.textio import DEFAULT_SIZE_LIMIT
from .columns import (
    ENABLED,
    FORMAT,
    HEADER_COLUMNS,
    HOST_FROM,
    ID_COLUMNS,
    MODEL,
    VIRTUAL,
    VIRTUAL_FROM,
    all_flag_columns,
    keyword_column,
    member_columns,
)
from .fleet_linux import frame_notes, linux_frame_columns
from .gcpause import paused_gc
from .htmltable import html_table
from .identity import adapter_codes, adapter_key, host_key
from .text import html_text

__all__ = ["Fleet", "load_fleet", "fleet_frame", "member_columns", "flag_columns", "ID_COLUMNS"]



def flag_columns() -> tuple[tuple[str, str, int], ...]:
    """Deprecated (to be removed in the next release): ``((column, mask path, bit), ...)`` for every flag
    column; use :func:`ipsecexplore.columns.all_flag_columns` (or :func:`~ipsecexplore.columns.flag_columns` of one
    member)."""
    warnings.warn("ipsecexplore.fleet.flag_columns is deprecated; use ipsecexplore.columns.all_flag_columns",
                  DeprecationWarning, stacklevel=2)
    return tuple((f.column, f.member, f.bit) for f in all_flag_columns())


# ---------------------------------------------------------------------------------------------- build
def _bool_array(vals) -> pd.arrays.BooleanArray:
    col = np.asarray(vals, dtype=object) if not isinstance(vals, np.ndarray) else vals
    mask = np.equal(col, None)
    data = col.copy()
    data[mask] = False
    return pd.arrays.BooleanArray(data.astype(bool), mask)


def _int_parts(vals) -> tuple[np.ndarray, np.ndarray]:
    """(int64 values with 0 for missing, missing mask) of a column of ints and None."""
    col = np.asarray(vals, dtype=object) if not isinstance(vals, np.ndarray) else vals
    mask = np.equal(col, None)
    data = col.copy()
    data[mask] = 0
    return data.astype(np.int64), mask


def _int_array(vals) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(*_int_parts(vals))


def _str_array(vals):
    return pd.array(vals, dtype="string")


def _object_array(vals) -> np.ndarray:
    # np.fromiter keeps each value one element (np.array would unpack a tuple-valued one)
    return np.fromiter(vals, dtype=object, count=len(vals))


def _codes(vals) -> tuple[np.ndarray, np.ndarray]:
    """(code per value, -1 where missing; the distinct values in order of appearance)."""
    return pd.factorize(_object_array(vals))


def _cat_array(vals, codes: tuple | None = None):
    # A handful of distinct values (views, formats, provenance notes): categorical is compact and quick.
    # pd.Categorical orders the distinct values: let it do so on those alone, then take the codes per row.
    codes, distinct = _codes(vals) if codes is None else codes
    if not len(distinct):  # no value at all: pandas picks the categories' dtype from the rows
        return pd.Categorical(list(vals))
    cat = pd.Categorical(list(distinct))
    return pd.Categorical.from_codes(np.append(cat.codes, -1)[codes], dtype=cat.dtype)


#: The record fields the frame reads, transposed in one pass (:func:`_fields`).
_FIELDS = ("host", "adapter", "description", "source_file", "line", "offset", "view", "provenance", "values",
           "keywords", "enabled", "host_from", "fmt")


def _fields(records: list) -> dict:
    """``{field: tuple of every record's value}``: one C-level pass instead of one Python loop per column."""
    if not records:
        return {f: () for f in _FIELDS}
    if set(map(type, records)) == {AdapterRecord}:  # the importers' records: transpose the tuples themselves
        columns = dict(zip(AdapterRecord._fields, zip(*records)))
        return {f: columns[f] for f in _FIELDS}
    return dict(zip(_FIELDS, zip(*map(attrgetter(*_FIELDS), records))))


def _member_parts(values, paths: list) -> tuple[np.ndarray, np.ndarray]:
    """(int64 values with 0 for missing, missing mask), one row per path and one column per record."""
    # Records of equal adapters share their values mapping: read each mapping once (codes and the dict
    # below both number the distinct mappings in order of first appearance).
    at, _ = pd.factorize(np.fromiter(map(id, values), dtype=np.uint64, count=len(values)))
    distinct = dict(zip(map(id, values), values)).values()
    # one flat pass of C-level iterators: no list per mapping, no nested-sequence discovery by numpy
    cells = chain.from_iterable(map(v.get, paths) for v in distinct)
    grid = np.fromiter(cells, dtype=object, count=len(distinct) * len(paths)).reshape(len(distinct), len(paths))
    missing = np.equal(grid, None)
    grid[missing] = 0
    # bool members become 0/1: their columns test != 0, as the flag columns test their bit
    return grid.astype(np.int64).T[:, at], missing.T[:, at]


def _member_columns(cols: dict, data: np.ndarray, missing: np.ndarray, members) -> None:
    """Add the member columns, then the flag columns of the mask members, from :func:`_member_parts`."""
    at = {path: j for j, (path, _) in enumerate(members)}
    for j, (path, dtype) in enumerate(members):
        if dtype == "boolean":
            cols[path] = pd.arrays.BooleanArray(data[j] != 0, missing[j].copy())
        else:
            cols[path] = pd.arrays.IntegerArray(data[j].copy(), missing[j].copy())
    for flag in all_flag_columns():
        j = at[flag.member]
        cols[flag.column] = pd.arrays.BooleanArray((data[j] & flag.bit) != 0, missing[j].copy())


def _keyword_columns(cols: dict, keywords) -> None:
    """``keyword.<INF keyword>`` columns, in keyword order, for every keyword any record carries."""
    distinct = {id(k): k for k in keywords if k}.values()  # most records share one (empty) mapping
    for k in sorted({k for m in distinct for k in m}):
        cols[keyword_column(k)] = _int_array([m.get(k) for m in keywords])


@paused_gc()  # tens of thousands of arrays and strings, no cycles (ipsecexplore.gcpause)
def fleet_frame(records) -> pd.DataFrame:
    """Build the tidy fleet frame from :class:`~ipsecexplore.captures.AdapterRecord` objects."""
    records = list(records)
    f = _fields(records)
    cols: dict = {}
    cols["host"] = _str_array(f["host"])
    cols["adapter"] = _str_array(f["adapter"])
    cols["description"] = _str_array(f["description"])
    cols["source"] = _str_array(list(map(where, f["source_file"], f["line"], f["offset"])))
    cols["view"] = _cat_array(f["view"])
    cols["provenance"] = _cat_array(f["provenance"])
    members = member_columns()
    data, missing = _member_parts(f["values"], [p for p, _ in members] + list(HEADER_COLUMNS))
    _member_columns(cols, data, missing, members)
    _keyword_columns(cols, f["keywords"])
    fmt = codes, formats = _codes(f["fmt"])
    is_linux = np.array([is_linux_format(x) for x in formats] + [False], dtype=bool)[codes]  # once per format
    cols.update(linux_frame_columns(records, is_linux))  # os + Linux columns (issue 15; ipsecexplore.fleet_linux)
    cols[ENABLED] = _bool_array(_object_array(f["enabled"]))
    for j, col in enumerate(HEADER_COLUMNS, len(members)):
        cols[col] = pd.arrays.IntegerArray(data[j].copy(), missing[j].copy())
    cols[HOST_FROM] = _cat_array(f["host_from"])
    cols[FORMAT] = _cat_array(f["fmt"], fmt)
    notes = frame_notes(records, is_linux)  # e.g. that the Linux hardware/current reading is inferred
    notes.update(_identity_columns(cols))
    frame = pd.DataFrame(cols, copy=False)
    frame.attrs["notes"] = notes
    return frame


def _identity_columns(cols: dict) -> dict:
    """Add the identity columns (:data:`ipsecexplore.columns.IDENTITY_COLUMNS`) to ``cols``; their notes."""
    from .identity import models, virtual_evidence

    adapter, description, source = (pd.Series(cols[c], copy=False) for c in ("adapter", "description", "source"))
    cols[MODEL] = models(description).array
    virtual, virtual_from = virtual_evidence(adapter, description, source)
    cols[VIRTUAL], cols[VIRTUAL_FROM] = virtual.array, virtual_from.array
    counts = virtual_from.value_counts(sort=False)
    return {
        MODEL: "the adapter description without Windows' instance suffix ' #N'; <NA> without a description",
        VIRTUAL: "True for a Hyper-V vNIC (its SaOffloadCapacity is a per-vNIC SA budget, "
                 "tests/spec/adapters.md A4/B3); evidence per row in virtual_from: "
                 + "; ".join(f"{k} ({int(v)} rows)" for k, v in counts.items()),
    }


def _located_frame(items, text: str, column: str) -> pd.DataFrame:
    """file, line, offset and one text column (attribute ``text`` of each item, named ``column``)."""
    return pd.DataFrame({
        "file": pd.array([r.source_file for r in items], dtype="string"),
        "line": pd.array([r.line for r in items], dtype="Int64"),
        "offset": pd.array([r.offset for r in items], dtype="Int64"),
        column: pd.array([getattr(r, text) for r in items], dtype="string"),
    })


def _rejected_frame(result: ImportResult) -> pd.DataFrame:
    return _located_frame(result.rejected, "reason", "reason")


def _remarks_frame(result: ImportResult) -> pd.DataFrame:
    return _located_frame(result.remarks, "text", "remark")


def _skipped_frame(result: ImportResult) -> pd.DataFrame:
    return pd.DataFrame({"file": pd.array([p for p, _ in result.skipped_files], dtype="string"),
                         "reason": pd.array([r for _, r in result.skipped_files], dtype="string")})


def _keywords_frame(result: ImportResult) -> pd.DataFrame:
    k = result.unmatched_keywords
    return pd.DataFrame({
        "host": pd.array([x.host for x in k], dtype="string"),
        "adapter": pd.array([x.adapter for x in k], dtype="string"),
        "keyword": pd.array([x.keyword for x in k], dtype="string"),
        "value": pd.array([x.value for x in k], dtype="Int64"),
        "source": pd.array([x.source for x in k], dtype="string"),
    })


def _duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame.iloc[0:0]
    # rows with equal adapter_key and view, compared as integer codes (far quicker than key strings)
    view = frame["view"].cat.codes.to_numpy(dtype=np.int64) + 1  # 0: no view
    key = adapter_codes(frame["host"], frame["adapter"]) * (int(view.max()) + 1) + view
    dup = pd.Series(key).duplicated(keep=False).to_numpy()
    return frame[dup].sort_values(["host", "adapter", "view", "source"])


@dataclass
class Fleet:
    """An imported fleet: ``frame`` (adapters × views), ``rejected`` (file, line, offset, reason),
    ``duplicates`` (rows sharing host + adapter + view), ``skipped`` (file, reason),
    ``unmatched_keywords`` (keyword rows with no adapter record), ``remarks`` (file, line, offset, remark:
    what was unusual about records that loaded) and the underlying ``result``."""

    frame: pd.DataFrame
    rejected: pd.DataFrame
    duplicates: pd.DataFrame
    skipped: pd.DataFrame
    unmatched_keywords: pd.DataFrame
    result: ImportResult = field(repr=False)
    remarks: pd.DataFrame = field(default=None, repr=False)

    def __post_init__(self):
        if self.remarks is None:
            self.remarks = _remarks_frame(self.result)

    @classmethod
    def from_result(cls, result: ImportResult) -> Fleet:
        """Build the frames of an :class:`~ipsecexplore.captures.ImportResult`."""
        frame = fleet_frame(result.records)
        return cls(frame, _rejected_frame(result), _duplicates(frame), _skipped_frame(result),
                   _keywords_frame(result), result)

    @property
    def adapters(self) -> int:
        """Distinct host + adapter pairs."""
        if self.frame.empty:
            return 0
        return int(adapter_key(self.frame["host"], self.frame["adapter"]).nunique())

    @property
    def hosts(self) -> int:
        """Distinct hosts (compared case-insensitively)."""
        return int(host_key(self.frame["host"]).nunique()) if not self.frame.empty else 0

    def duplicate_groups(self) -> list[tuple[str, str, str, list[str]]]:
        """``[(host, adapter, view, [source, ...]), ...]``: one entry per host + adapter + view (host and
        adapter compared case-insensitively) that more than one row describes, with every row's
        ``file:line``; sorted by host, adapter, view."""
        if self.duplicates.empty:
            return []
        d = self.duplicates
        groups: dict = {}
        for h, a, v, src in zip(d["host"], d["adapter"], d["view"], d["source"]):
            key = (host_key(h), host_key(a), str(v))
            groups.setdefault(key, (h, a, str(v), []))[3].append(src)
        return [groups[k] for k in sorted(groups)]

    # --- the engineer's questions (ipsecexplore.questions) --------------------------------------------
    @property
    def notes(self) -> dict:
        """How derived columns were obtained (``model``, ``virtual``: the evidence used), by column."""
        return dict(self.frame.attrs.get("notes", {}))

    def supported_but_off(self) -> pd.DataFrame:
        """Capabilities the hardware view has and the current view lacks, one row per adapter and
        capability, with the keyword masking that explains each (:func:`ipsecexplore.questions.supported_but_off`).
        Adapters captured in one view only are in :meth:`one_view_adapters`."""
        from .questions import supported_but_off

        return supported_but_off(self.frame)

    def one_view_adapters(self) -> pd.DataFrame:
        """Adapters with only one of the hardware and current views
        (:func:`ipsecexplore.questions.one_view_adapters`)."""
        from .questions import one_view_adapters

        return one_view_adapters(self.frame)

    def can_offload(self, *, esp=True, ah=False, mode="transport", ipv6=False, encryption=None,
                    authentication=None, udp_esp=None, esn=False, view="current") -> pd.DataFrame:
        """Where an SA can be offloaded, and why not elsewhere: one row per adapter of ``view`` with
        ``offloadable`` (True/False/<NA>) and the ``reasons``, each naming the member and the rule
        (:func:`ipsecexplore.questions.can_offload`; the SA as in :meth:`ipsecexplore.sacheck.SaRequest.parse`:
        algorithms by macro or short name, e.g. ``AES_GCM_256``). Linux rows are answered from their
        ``esp-hw-offload`` feature and their driver's row of the driver table, the SA read in xfrm terms
        (:func:`ipsecexplore.sacheck.check_linux_row`); ``rests_on_driver_table`` says when the answer rests on
        that table rather than on the capture."""
        from .questions import can_offload
        from .sacheck import SaRequest

        sa = SaRequest.parse(esp=esp, ah=ah, mode=mode, ipv6=ipv6, encryption=encryption,
                             authentication=authentication, udp_esp=udp_esp, esn=esn)
        return can_offload(self.frame, sa, view=view)

    def findings(self) -> pd.DataFrame:
        """Rule findings of every adapter view as a tidy frame (:func:`ipsecexplore.questions.fleet_findings`);
        a view without any IPsecV2 member is one ``not checked`` row, not an exception."""
        from .questions import fleet_findings

        return fleet_findings(self.frame)

    def sa_capacity(self, *, view: str = "current") -> pd.DataFrame:
        """SA bundles per host, physical adapters and Hyper-V vNIC budgets apart
        (:func:`ipsecexplore.questions.sa_capacity_per_host`)."""
        from .questions import sa_capacity_per_host

        return sa_capacity_per_host(self.frame, view=view)

    def summary(self) -> str:
        """One line: adapters, hosts, rows, rejected (and how many of them are whole files refused unread),
        duplicates, skipped files."""
        r = self.result
        rejected = f"{len(self.rejected)} rejected"
        refused: dict = {}
        for x in r.rejected:
            if getattr(x, "refused", ""):
                refused[x.refused] = refused.get(x.refused, 0) + 1
        if refused:
            what = {"size limit": "over the size limit", "unreadable": "unreadable"}
            rejected += " (" + ", ".join(f"{n} {'file' if n == 1 else 'files'} {what.get(k, k)}"
                                         for k, n in sorted(refused.items())) + ")"
        parts = [f"{self.adapters} adapters on {self.hosts} hosts ({len(self.frame)} rows) from "
                 f"{r.files_read} files", rejected]
        ndup = len(self.duplicates)
        if ndup:
            parts.append(f"{ndup} duplicate rows")
        if len(self.skipped):
            parts.append(f"{len(self.skipped)} files skipped")
        if len(self.unmatched_keywords):
            parts.append(f"{len(self.unmatched_keywords)} keyword rows without an adapter record")
        if len(self.remarks):
            parts.append(f"{len(self.remarks)} {'remark' if len(self.remarks) == 1 else 'remarks'} on loaded records")
        return "; ".join(parts)

    def __repr__(self) -> str:
        return f"<Fleet {self.summary()}>"

    def _repr_html_(self) -> str:
        """Summary, rows per view, adapters per host and the first rejected records and skipped files."""
        e = html_text
        out = [f"<div><b>Fleet</b>: {e(self.summary())}</div>"]
        if not self.frame.empty:
            counts = self.frame.groupby("view", observed=True).size()
            out.append("<div>rows per view: " + ", ".join(f"{e(str(k))} {int(v)}" for k, v in counts.items())
                       + "</div>")
            per_host = self.frame.groupby("host", observed=True)["adapter"].nunique().sort_index()
            cells = ", ".join(f"{e(str(h))} ({int(n)})" for h, n in per_host.head(30).items())
            more = f", … {len(per_host) - 30} more" if len(per_host) > 30 else ""
            out.append(f"<div>adapters per host: {cells}{more}</div>")
        for title, df, cols in (("Rejected", self.rejected, ("file", "line", "reason")),
                                ("Remarks on loaded records", self.remarks, ("file", "line", "offset", "remark")),
                                ("Skipped files", self.skipped, ("file", "reason"))):
            if len(df):
                rows = html_table(df.head(20)[list(cols)].itertuples(index=False), cols)
                more = f"<div>… and {len(df) - 20} more</div>" if len(df) > 20 else ""
                out.append(f"<details><summary>{e(title)} ({len(df)})</summary>{rows}{more}</details>")
        return "\n".join(out)


def load_fleet(paths, *, size_limit: int = DEFAULT_SIZE_LIMIT, progress=None, encoding: str | None = None,
               workers: int | None = None) -> Fleet:
    """Import every capture under ``paths`` (files, folders, zip files) into a :class:`Fleet`.

    ``size_limit`` refuses larger files (bytes); ``progress`` as in
    :func:`ipsecexplore.captures.import_paths` (a tqdm bar for 20 files or more unless ``False``);
    ``encoding`` names the code page of text that has no BOM and is not UTF-8 (e.g. ``"cp932"``);
    ``workers``: processes that parse files, this one included (``None``: one per idle CPU for a large
    import, ``1``: this process only); the fleet is the same either way.
    Raises :class:`~ipsecexplore.errors.InputError` for a missing path, an oversized named file or an
    unknown encoding."""
    return Fleet.from_result(import_paths(paths, size_limit=size_limit, progress=progress, encoding=encoding,
                                          workers=workers))
