"""The fleet frame turned adapter-wise: one entry per adapter with each view's capability values.

The charts and the report draw from the same pivot (:func:`adapter_table`); the fleet questions pair rows
with their adapter the same way (:func:`adapter_of_rows`). Adapters are told apart by host and name compared
case-insensitively (:func:`ipsecexplore.identity.adapter_key`); a second record of the same adapter and view
(e.g. the same host captured as CSV and as JSON) is a further adapter, numbered in source order, never dropped.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from importlib import import_module

import numpy as np
import pandas as pd

from .columns import IPSECV2_FLAG_MEMBERS, MODEL, VIRTUAL, flag_columns, ipsecv2_members, is_keyword_column, keyword_of
from .fleet_linux import linux_interfaces, ndis_rows
from .identity import adapter_key, models
from .layouts import layout

__all__ = ["BOOLEAN_FAMILY", "Capability", "capabilities", "frame_of", "ndis_frame", "adapter_of_rows",
           "AdapterTable", "adapter_table", "view_rows", "view_values", "VIEW_ORDER"]

#: Family name of the ``BOOLEAN`` members (the flag families are named by their mask member's path).
BOOLEAN_FAMILY = "IPsecV2 BOOLEAN"
#: Views in the order tables and charts list them; any other view follows, sorted.
VIEW_ORDER = ("hardware", "current", "unknown")


@dataclass(frozen=True)
class Capability:
    """One capability column of the fleet frame: ``column`` (``IPsecV2.EncryptionAlgorithms.AES_GCM_128``),
    ``label`` (its C name), ``family`` (mask member path or :data:`BOOLEAN_FAMILY`), ``member`` (the
    ``NDIS_OFFLOAD`` member holding it) and ``bit`` (None for a ``BOOLEAN``)."""

    column: str
    label: str
    family: str
    member: str
    bit: int | None = None

    @property
    def colour(self) -> str:
        """Deprecated (to be removed in the next release): ``ipsecexplore.charts.FAMILY_COLOURS[cap.family]``."""
        warnings.warn("Capability.colour is deprecated; use ipsecexplore.charts.FAMILY_COLOURS[cap.family]",
                      DeprecationWarning, stacklevel=2)
        return import_module("ipsecexplore.charts").FAMILY_COLOURS[self.family]  # the presentation layer


@cache
def capabilities() -> tuple[Capability, ...]:
    """Every IPsecV2 capability, in C order: the ``BOOLEAN`` members, then the flags of each mask member."""
    out = [Capability(m.path, m.path, BOOLEAN_FAMILY, m.path)
           for m in layout("NDIS_OFFLOAD").leaves if m.path.startswith("IPsecV2.") and m.is_boolean]
    for member in IPSECV2_FLAG_MEMBERS:
        out += [Capability(f.column, f.macro, member, member, f.bit) for f in flag_columns(member)]
    return tuple(out)


def frame_of(fleet) -> pd.DataFrame:
    """The fleet frame of a :class:`~ipsecexplore.fleet.Fleet`, an :class:`AdapterTable` or a frame."""
    return fleet.frame if hasattr(fleet, "frame") else fleet


def ndis_frame(fleet) -> pd.DataFrame:
    """The rows the NDIS views draw: all but Linux rows (:func:`ipsecexplore.fleet_linux.ndis_rows`; an
    :class:`AdapterTable`'s frame has none already)."""
    f = frame_of(fleet)
    return f if f is None or isinstance(fleet, AdapterTable) else ndis_rows(f)


def _bool_na(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(value, known) of a column holding True/False/<NA> (any dtype)."""
    known = s.notna().to_numpy()
    if s.dtype == bool:
        return s.to_numpy(), known
    val = pd.array(s.where(s.notna(), False), dtype="boolean").to_numpy(dtype=bool, na_value=False)
    return val & known, known


def _adapter_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(adapter code per row, record number - 1 per row): rows of one adapter share a code; a further record
    of the same adapter and view gets its own code, numbered in source order so that the hardware and
    current rows of one file pair up."""
    n = len(frame)
    base = adapter_key(frame["host"], frame["adapter"]).to_numpy(dtype=object)
    view = frame["view"].astype("string").fillna("unknown").to_numpy(dtype=object)
    src = frame["source"].astype("string").fillna("").to_numpy(dtype=object) if "source" in frame \
        else np.full(n, "", dtype=object)
    order = np.argsort(src, kind="stable")
    dup = np.empty(n, dtype=np.int64)
    dup[order] = pd.DataFrame({"k": base[order], "v": view[order]}).groupby(["k", "v"], sort=False).cumcount()
    codes, _ = pd.factorize(pd.Series(base + "\x00" + dup.astype(str)), sort=False)
    return codes, dup


def adapter_of_rows(frame: pd.DataFrame) -> np.ndarray:
    """Per frame row, the position of its adapter (host and name compared case-insensitively; a second record
    of the same adapter and view is a further adapter, in source order)."""
    if len(frame) == 0:
        return np.zeros(0, dtype=np.int64)
    return _adapter_codes(frame)[0]


@dataclass
class AdapterTable:
    """The fleet frame turned adapter-wise: one entry per adapter (host + adapter name, case-insensitive;
    a duplicate record of the same adapter and view counts as a further adapter, never dropped).

    ``adapters``: host, adapter, description, label (``host / adapter``), keywords (text, may be empty),
    record (1, or 2, 3 … for further records), no_ipsecv2, model, virtual;
    ``views``: view name -> ``(value, known)``, two bool arrays ``[n adapters, n capabilities]``
    (``known`` False where the view is missing for that adapter or the capture lacks the member);
    ``rows``: view name -> position of that adapter's row in the frame (-1 where missing).
    ``adapters["no_ipsecv2"]`` is True for an adapter none of whose rows carries any IPsecV2 member (a
    revision-1 ``NDIS_OFFLOAD``, an ``NDIS_WMI_OFFLOAD`` block): every chart says "IPsecV2 not reported" for it
    rather than drawing it like an adapter that supports nothing.
    Linux rows are left out (``frame`` holds the others; :func:`ipsecexplore.fleet_linux.ndis_rows`): their NDIS
    members are <NA> by design. ``linux_interfaces`` counts them, and every chart says so."""

    adapters: pd.DataFrame
    caps: tuple[Capability, ...]
    views: dict
    rows: dict
    frame: pd.DataFrame | None = None
    linux_interfaces: int = 0

    def __len__(self) -> int:
        return len(self.adapters)

    def view(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """``(value, known)`` of a view; all unknown when the fleet has no row of that view."""
        if name in self.views:
            return self.views[name]
        z = np.zeros((len(self), len(self.caps)), dtype=bool)
        return z, z.copy()


_ADAPTER_TEXT = ("host", "adapter", "description", "label", "keywords")


def adapter_table(fleet, caps: tuple[Capability, ...] | None = None) -> AdapterTable:
    """Pivot the fleet frame to one entry per adapter with each view's capability values.

    Every chart accepts the result in place of the fleet, so a caller drawing several charts pivots once."""
    if isinstance(fleet, AdapterTable) and (caps is None or tuple(caps) == fleet.caps):
        return fleet
    nlin = fleet.linux_interfaces if isinstance(fleet, AdapterTable) else linux_interfaces(frame_of(fleet))
    f = ndis_frame(fleet)
    caps = capabilities() if caps is None else tuple(caps)
    if len(f) == 0:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in _ADAPTER_TEXT})
        empty["record"] = pd.Series(dtype=np.int64)
        empty["no_ipsecv2"] = pd.Series(dtype=bool)
        return AdapterTable(empty, caps, {}, {}, f, nlin)
    missing = [c.column for c in caps if c.column not in f]
    if missing:
        raise KeyError(f"the fleet frame has no column {missing[0]!r} (expected the columns of "
                       "ipsecexplore.fleet; nothing is guessed)")
    codes, dup = _adapter_codes(f)
    views, rows = _view_arrays(f, codes, caps)
    return AdapterTable(_adapters(f, codes, dup), caps, views, rows, f, nlin)


def _adapters(f: pd.DataFrame, codes: np.ndarray, dup: np.ndarray) -> pd.DataFrame:
    """The ``adapters`` frame of :class:`AdapterTable`: one row per adapter code, from its first row."""
    n, m = len(f), int(codes.max()) + 1
    first = np.full(m, -1)
    first[codes[::-1]] = np.arange(n)[::-1]
    desc = f["description"].astype("string") if "description" in f else pd.Series([pd.NA] * n, dtype="string")
    hosts = f["host"].astype("string").fillna("").to_numpy(dtype=object)[first]
    names = f["adapter"].astype("string").fillna("").to_numpy(dtype=object)[first]
    labels = [f"{h} / {a}" + (f" (record {d + 1})" if d else "") for h, a, d in zip(hosts, names, dup[first])]
    virtual = f[VIRTUAL] if VIRTUAL in f else pd.Series([pd.NA] * n, dtype="boolean")
    return pd.DataFrame({
        "host": pd.Series(hosts, dtype=object),
        "adapter": pd.Series(names, dtype=object),
        "description": pd.Series(desc.fillna("").to_numpy(dtype=object)[first], dtype=object),
        "label": pd.Series(labels, dtype=object),
        "keywords": pd.Series(_keyword_text(f, codes, m), dtype=object),
        "record": dup[first] + 1,
        "no_ipsecv2": _no_ipsecv2(f, codes, m),
        "model": _first_known(f[MODEL] if MODEL in f else models(desc), codes, m),
        "virtual": _first_known(virtual, codes, m),
    })


def _view_arrays(f: pd.DataFrame, codes: np.ndarray, caps: tuple[Capability, ...]) -> tuple[dict, dict]:
    """(``views``, ``rows``) of :class:`AdapterTable`, in :data:`VIEW_ORDER` then the other views sorted."""
    n, m = len(f), int(codes.max()) + 1
    view = f["view"].astype("string").fillna("unknown").to_numpy(dtype=object)
    val_all = np.empty((n, len(caps)), dtype=bool)
    known_all = np.empty((n, len(caps)), dtype=bool)
    for j, c in enumerate(caps):
        val_all[:, j], known_all[:, j] = _bool_na(f[c.column])
    views, rows = {}, {}
    for v in [x for x in VIEW_ORDER if x in set(view)] + sorted(set(view) - set(VIEW_ORDER)):
        sel = np.flatnonzero(view == v)
        pos = np.full(m, -1)
        pos[codes[sel]] = sel
        have = pos >= 0
        value = np.zeros((m, len(caps)), dtype=bool)
        known = np.zeros((m, len(caps)), dtype=bool)
        value[have] = val_all[pos[have]]
        known[have] = known_all[pos[have]]
        views[v], rows[v] = (value, known), pos
    return views, rows


def _first_known(s: pd.Series, codes: np.ndarray, m: int) -> pd.Series:
    """Per adapter, the first known value of a frame column over its rows (<NA> when none is known)."""
    known = s.notna().to_numpy()
    pick = np.full(m, -1)
    pick[codes[known][::-1]] = np.flatnonzero(known)[::-1]
    vals = s.to_numpy(dtype=object, na_value=None)
    return pd.Series([vals[p] if p >= 0 else None for p in pick], dtype=object)


def _no_ipsecv2(f: pd.DataFrame, codes: np.ndarray, m: int) -> np.ndarray:
    """Bool per adapter: no row of it carries any ``IPsecV2.*`` member (every member column <NA>)."""
    members = [p for p in ipsecv2_members() if p in f]
    row_missing = f[members].isna().all(axis=1).to_numpy(dtype=bool) if members else np.ones(len(f), dtype=bool)
    out = np.ones(m, dtype=bool)
    np.logical_and.at(out, codes, row_missing)
    return out


def _keyword_text(f: pd.DataFrame, codes: np.ndarray, m: int) -> np.ndarray:
    """``*IPsecOffloadV2=0`` text per adapter from the keyword columns (first known value)."""
    out = np.full(m, "", dtype=object)
    for col in [c for c in f.columns if is_keyword_column(c)]:
        s = f[col]
        ok = s.notna().to_numpy()
        if not ok.any():
            continue
        vals = np.full(m, "", dtype=object)
        idx = np.flatnonzero(ok)[::-1]
        vals[codes[idx]] = [f"{keyword_of(col)}={v}" for v in s.to_numpy(dtype=object)[idx]]
        out = np.where(out == "", vals, np.where(vals == "", out, out + " " + vals))
    return out


def view_rows(t: AdapterTable, view: str) -> tuple[np.ndarray, int]:
    """(adapter positions, how many of them come from a row of view ``unknown``) that a one-view chart draws
    for ``view``. For ``hardware``, an adapter with neither a hardware nor a current row (raw bytes that
    name no view) contributes its ``unknown`` row, as the capability matrix draws it in the hardware
    column; otherwise only adapters with a row of that view."""
    n = len(t)
    own = t.rows[view] >= 0 if view in t.rows else np.zeros(n, dtype=bool)
    extra = np.zeros(n, dtype=bool)
    if view == "hardware" and "unknown" in t.rows:
        cur = t.rows["current"] >= 0 if "current" in t.rows else np.zeros(n, dtype=bool)
        extra = (t.rows["unknown"] >= 0) & ~own & ~cur
    return np.flatnonzero(own | extra), int(extra.sum())


def view_values(t: AdapterTable, view: str, have: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(value, known) of the adapters ``have`` (from :func:`view_rows`) in ``view``."""
    value, known = (a[have].copy() for a in t.view(view))
    if view == "hardware" and "unknown" in t.views:
        own = t.rows["hardware"][have] >= 0 if "hardware" in t.rows else np.zeros(len(have), dtype=bool)
        uv, uk = t.views["unknown"]
        value[~own], known[~own] = uv[have][~own], uk[have][~own]
    return value, known
