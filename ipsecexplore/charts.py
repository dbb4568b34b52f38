"""Fleet charts: what a fleet of adapters can offload, drawn with matplotlib.

Every function takes a :class:`~ipsecexplore.fleet.Fleet` (or its ``frame``) and returns a
:class:`matplotlib.figure.Figure`; nothing here touches pyplot's global state or calls ``show``, so the
functions work under the Agg backend, in notebooks and in the report alike.

>>> from ipsecexplore.fleet import load_fleet           # doctest: +SKIP
>>> from ipsecexplore import charts                     # doctest: +SKIP
>>> fig = charts.capability_matrix(load_fleet(["data"]))   # doctest: +SKIP

Conventions shared by all charts:

- the capabilities are the ``BOOLEAN`` members of ``NDIS_IPSEC_OFFLOAD_V2`` (from the layout) and every flag
  of its mask members (from :func:`ipsecexplore.columns.flag_columns`); nothing is listed by hand;
- labels are C names: the dotted member path for a ``BOOLEAN`` (``IPsecV2.Esp``), the macro for a flag
  (``IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128``);
- one colour per flag family (:data:`FAMILY_COLOURS`), the same in every chart;
- ``<NA>`` (the capture does not carry the member) is drawn as *unknown*, never as False;
- above a row threshold, adapters are aggregated by identical capability set and drawn once with their
  count, so a chart of 10,000 adapters stays as readable as one of 10. Whatever is not drawn is said in
  the chart's title;
- when the ``provenance`` column marks rows as illustrative (the sample dataset), every chart carries the
  label "sample data (partly guessed): N of M rows illustrative" above its title (:func:`sample_rows`;
  tests/spec/adapters.md B1), and the SA-capacity chart says that a Hyper-V vNIC's value is a per-vNIC budget (B3).
"""

from __future__ import annotations

import codecs
import io
import re
import threading
import warnings
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from .columns import IPSECV2_FLAG_MEMBERS, MODEL, VIRTUAL, flag_columns
from .fleet_linux import linux_interfaces, ndis_only_note, ndis_rows
from .identity import models, virtual_evidence
from .layouts import layout
from .text import visible

__all__ = [
    "Capability", "capabilities", "FAMILY_COLOURS", "BOOLEAN_FAMILY", "family_colour", "AdapterTable",
    "adapter_table", "unique_rows", "capability_matrix", "algorithm_coverage", "capability_sets", "hardware_gap",
    "adapter_similarity", "sa_capacity", "sa_capacity_per_host", "all_charts", "CHARTS", "to_png", "to_svg",
    "DEFAULT_MAX_ROWS",
    "COVERAGE_MEMBERS", "SA_CAPACITY", "SVG_NAMESPACE", "jaccard_distance", "MATRIX_STATES", "matrix_states",
    "axis_labels", "SampleRows", "sample_rows", "sample_label", "provenance_kind", "hyperv_vnic_rows",
    "ILLUSTRATIVE", "SAMPLE_LABEL", "SAMPLE_LABEL_GID", "NOT_REPORTED", "view_rows", "linux_note",
    "LINUX_NOTE_GID",
]

#: Family name of the ``BOOLEAN`` members (the flag families are named by their mask member's path).
BOOLEAN_FAMILY = "IPsecV2 BOOLEAN"
#: The mask members whose flags the algorithm-coverage chart counts (authentication, encryption, UDP-ESP).
COVERAGE_MEMBERS = ("IPsecV2.AuthenticationAlgorithms", "IPsecV2.EncryptionAlgorithms", "IPsecV2.UdpEsp")
SA_CAPACITY = "IPsecV2.SaOffloadCapacity"
#: Above this many rows, row-per-adapter charts aggregate adapters by identical capability set.
DEFAULT_MAX_ROWS = 100

# Colour-blind-safe (Okabe-Ito) hues; red is kept out of the families because it marks problems.
_PALETTE = ("#0072B2", "#8C564B", "#CC79A7", "#009E73", "#E69F00", "#56B4E9")
FAMILY_COLOURS: dict[str, str] = {
    fam: _PALETTE[i] for i, fam in enumerate((BOOLEAN_FAMILY, *IPSECV2_FLAG_MEMBERS, SA_CAPACITY))
}
_FALSE = "#F2F2F2"  # not supported / not enabled
_UNKNOWN = "#A6A6A6"  # <NA>: the capture does not say
_ALERT = "#C62828"  # supported by the hardware but switched off; enabled without hardware support
_VIEW_ORDER = ("hardware", "current", "unknown")
# Hatches are SVG patterns: lines are a few hundred bytes, dots ("..") 66 KB of circles per colour.
_VIEW_STYLE = {"hardware": dict(alpha=1.0, hatch=None), "current": dict(alpha=0.55, hatch="//"),
               "unknown": dict(alpha=0.3, hatch="\\\\")}


def family_colour(family: str) -> str:
    """The colour of a flag family (``IPsecV2.EncryptionAlgorithms``) or of :data:`BOOLEAN_FAMILY`."""
    return FAMILY_COLOURS[family]


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
        """The colour of this capability's flag family (the same in every chart)."""
        return FAMILY_COLOURS[self.family]


@cache
def capabilities() -> tuple[Capability, ...]:
    """Every IPsecV2 capability, in C order: the ``BOOLEAN`` members, then the flags of each mask member."""
    out = [Capability(m.path, m.path, BOOLEAN_FAMILY, m.path)
           for m in layout("NDIS_OFFLOAD").leaves if m.path.startswith("IPsecV2.") and m.is_boolean]
    for member in IPSECV2_FLAG_MEMBERS:
        out += [Capability(f.column, f.macro, member, member, f.bit) for f in flag_columns(member)]
    return tuple(out)


# ------------------------------------------------------------------------------------------------ data
def _frame(fleet) -> pd.DataFrame:
    return fleet.frame if hasattr(fleet, "frame") else fleet


def _ndis_frame(fleet) -> pd.DataFrame:
    """The rows the NDIS charts draw: all but Linux rows (:func:`ipsecexplore.fleet_linux.ndis_rows`; an
    :class:`AdapterTable`'s frame has none already)."""
    f = _frame(fleet)
    return f if f is None or isinstance(fleet, AdapterTable) else ndis_rows(f)


def _bool_na(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(value, known) of a column holding True/False/<NA> (any dtype)."""
    known = s.notna().to_numpy()
    if s.dtype == bool:
        return s.to_numpy(), known
    val = pd.array(s.where(s.notna(), False), dtype="boolean").to_numpy(dtype=bool, na_value=False)
    return val & known, known


@dataclass
class AdapterTable:
    """The fleet frame turned adapter-wise: one entry per adapter (host + adapter name, case-insensitive;
    a duplicate record of the same adapter and view counts as a further adapter, never dropped).

    ``adapters``: host, adapter, description, label (``host / adapter``), keywords (text, may be empty);
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


def adapter_table(fleet, caps: tuple[Capability, ...] | None = None) -> AdapterTable:
    """Pivot the fleet frame to one entry per adapter with each view's capability values.

    Every chart accepts the result in place of the fleet, so a caller drawing several charts pivots once."""
    if isinstance(fleet, AdapterTable) and (caps is None or tuple(caps) == fleet.caps):
        return fleet
    nlin = fleet.linux_interfaces if isinstance(fleet, AdapterTable) else linux_interfaces(_frame(fleet))
    f = _ndis_frame(fleet)
    caps = capabilities() if caps is None else tuple(caps)
    n = len(f)
    if n == 0:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in ("host", "adapter", "description", "label",
                                                                      "keywords")})
        empty["record"] = pd.Series(dtype=np.int64)
        empty["no_ipsecv2"] = pd.Series(dtype=bool)
        return AdapterTable(empty, caps, {}, {}, f, nlin)
    host = f["host"].astype("string").fillna("")
    name = f["adapter"].astype("string").fillna("")
    view = f["view"].astype("string").fillna("unknown").to_numpy(dtype=object)
    base = (host.str.casefold() + "\x00" + name.str.casefold()).to_numpy(dtype=object)
    # A second record of the same adapter and view (e.g. the same host captured as CSV and as JSON) is a
    # further adapter: numbered in source order, so the hardware and current rows of one file pair up.
    src = f["source"].astype("string").fillna("").to_numpy(dtype=object) if "source" in f else np.full(n, "")
    by_src = np.argsort(src, kind="stable")
    dup = np.empty(n, dtype=np.int64)
    dup[by_src] = pd.DataFrame({"k": base[by_src], "v": view[by_src]}).groupby(["k", "v"], sort=False).cumcount()
    key = pd.Series(base + "\x00" + dup.astype(str))
    codes, uniques = pd.factorize(key, sort=False)
    m = len(uniques)
    first = np.full(m, -1)
    first[codes[::-1]] = np.arange(n)[::-1]  # first row of each adapter
    desc = f["description"].astype("string") if "description" in f else pd.Series([pd.NA] * n, dtype="string")
    hosts = host.to_numpy(dtype=object)[first]
    names = name.to_numpy(dtype=object)[first]
    labels = [f"{h} / {a}" + (f" (record {d + 1})" if d else "") for h, a, d in zip(hosts, names, dup[first])]
    adapters = pd.DataFrame({
        "host": pd.Series(hosts, dtype=object),
        "adapter": pd.Series(names, dtype=object),
        "description": pd.Series(desc.fillna("").to_numpy(dtype=object)[first], dtype=object),
        "label": pd.Series(labels, dtype=object),
        "keywords": pd.Series(_keyword_text(f, codes, m), dtype=object),
        "record": dup[first] + 1,
        "no_ipsecv2": _no_ipsecv2(f, codes, m),
        "model": _first_known(f[MODEL] if MODEL in f else models(desc), codes, m),
        "virtual": _first_known(f[VIRTUAL] if VIRTUAL in f else pd.Series([pd.NA] * n, dtype="boolean"), codes, m),
    })
    missing = [c.column for c in caps if c.column not in f]
    if missing:
        raise KeyError(f"the fleet frame has no column {missing[0]!r} (expected the columns of "
                       "ipsecexplore.fleet; nothing is guessed)")
    val_all = np.empty((n, len(caps)), dtype=bool)
    known_all = np.empty((n, len(caps)), dtype=bool)
    for j, c in enumerate(caps):
        val_all[:, j], known_all[:, j] = _bool_na(f[c.column])
    views, rows = {}, {}
    for v in [x for x in _VIEW_ORDER if x in set(view)] + sorted(set(view) - set(_VIEW_ORDER)):
        sel = np.flatnonzero(view == v)
        pos = np.full(m, -1)
        pos[codes[sel]] = sel
        have = pos >= 0
        value = np.zeros((m, len(caps)), dtype=bool)
        known = np.zeros((m, len(caps)), dtype=bool)
        value[have] = val_all[pos[have]]
        known[have] = known_all[pos[have]]
        views[v], rows[v] = (value, known), pos
    return AdapterTable(adapters, caps, views, rows, f, nlin)


def _first_known(s: pd.Series, codes: np.ndarray, m: int) -> pd.Series:
    """Per adapter, the first known value of a frame column over its rows (<NA> when none is known)."""
    known = s.notna().to_numpy()
    pick = np.full(m, -1)
    pick[codes[known][::-1]] = np.flatnonzero(known)[::-1]
    vals = s.to_numpy(dtype=object, na_value=None)
    return pd.Series([vals[p] if p >= 0 else None for p in pick], dtype=object)


#: Tag of an adapter whose capture holds no IPsecV2 member at all (see :attr:`AdapterTable.adapters`).
NOT_REPORTED = "IPsecV2 not reported"


def _no_ipsecv2(f: pd.DataFrame, codes: np.ndarray, m: int) -> np.ndarray:
    """Bool per adapter: no row of it carries any ``IPsecV2.*`` member (every member column <NA>)."""
    members = [x.path for x in layout("NDIS_OFFLOAD").leaves if x.path.startswith("IPsecV2.") and x.path in f]
    row_missing = f[members].isna().all(axis=1).to_numpy(dtype=bool) if members else np.ones(len(f), dtype=bool)
    out = np.ones(m, dtype=bool)
    np.logical_and.at(out, codes, row_missing)
    return out


def _no_ipsecv2_note(n: int) -> str:
    return (f"{_adapters(n)} with {NOT_REPORTED} (the capture holds no IPsecV2 member: revision-1 NDIS_OFFLOAD "
            "or NDIS_WMI_OFFLOAD block): every cell unknown, not 'supports nothing'") if n else ""


def view_rows(t: AdapterTable, view: str) -> tuple[np.ndarray, int]:
    """(adapter positions, how many of them come from a row of view ``unknown``) that a one-view chart draws
    for ``view``. For ``hardware``, an adapter with neither a hardware nor a current row (raw bytes that
    name no view) contributes its ``unknown`` row, as :func:`capability_matrix` draws it in the hardware
    column; otherwise only adapters with a row of that view."""
    n = len(t)
    own = t.rows[view] >= 0 if view in t.rows else np.zeros(n, dtype=bool)
    extra = np.zeros(n, dtype=bool)
    if view == "hardware" and "unknown" in t.rows:
        cur = t.rows["current"] >= 0 if "current" in t.rows else np.zeros(n, dtype=bool)
        extra = (t.rows["unknown"] >= 0) & ~own & ~cur
    return np.flatnonzero(own | extra), int(extra.sum())


def _view_values(t: AdapterTable, view: str, have: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(value, known) of the adapters ``have`` (from :func:`view_rows`) in ``view``."""
    value, known = (a[have].copy() for a in t.view(view))
    if view == "hardware" and "unknown" in t.views:
        own = t.rows["hardware"][have] >= 0 if "hardware" in t.rows else np.zeros(len(have), dtype=bool)
        uv, uk = t.views["unknown"]
        value[~own], known[~own] = uv[have][~own], uk[have][~own]
    return value, known


def _view_note(t: AdapterTable, view: str, have: np.ndarray, from_unknown: int) -> str:
    """What a one-view chart adds to its adapter count: rows taken from captures naming no view, and the
    adapters not drawn for want of that view, so that drawn + not drawn = every adapter of the fleet."""
    out = ""
    if from_unknown:
        out += f"; {_fmt(from_unknown)} of them from raw bytes whose capture names no view"
    missing = len(t) - len(have)
    if missing:
        out += f"; {_adapters(missing)} without a {view} view not drawn"
    return out


def _no_view(t: AdapterTable, view: str) -> str:
    present = [v for v in t.views if v != view]
    return f"no adapter has a {view} row" + (f" (views in this fleet: {', '.join(present)})" if present else "")


def unique_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(codes, axis=0, return_index=True, return_counts=True)`` of a 2-D array of small
    non-negative integers (capability codes 0/1/2): the distinct rows in lexicographic order, the first row
    index of each and its count. Hashes each row's bytes instead of sorting the rows as records, which took
    a quarter of a second for 10,000 adapters."""
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    n = len(codes)
    if n == 0 or codes.shape[1] == 0:
        return np.unique(codes, axis=0, return_index=True, return_counts=True)
    # +1: no NUL byte, so the fixed-width bytes of a row are exactly its codes
    keys = (codes + 1).view(f"S{codes.shape[1]}").ravel()
    inverse, uniques = pd.factorize(keys, sort=True)
    counts = np.bincount(inverse, minlength=len(uniques))
    first = np.full(len(uniques), n, dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(n))
    return codes[first], first, counts


def _keyword_text(f: pd.DataFrame, codes: np.ndarray, m: int) -> np.ndarray:
    """``*IPsecOffloadV2=0`` text per adapter from the ``keyword.*`` columns (first known value)."""
    out = np.full(m, "", dtype=object)
    for col in [c for c in f.columns if str(c).startswith("keyword.")]:
        s = f[col]
        ok = s.notna().to_numpy()
        if not ok.any():
            continue
        vals = np.full(m, "", dtype=object)
        idx = np.flatnonzero(ok)[::-1]
        vals[codes[idx]] = [f"{col[len('keyword.'):]}={v}" for v in s.to_numpy(dtype=object)[idx]]
        out = np.where(out == "", vals, np.where(vals == "", out, out + " " + vals))
    return out


def _estimate(t: str) -> float:
    return sum(0.7 if c.isupper() or c == "_" else 0.33 if c in " .,:;|!ilI1()[]" else 0.56 for c in t)


@lru_cache(maxsize=4096)
def _measure(text: str, fontsize: float) -> float:
    """Exact width in inches of ``text`` in the default font (FreeType layout, nothing is drawn)."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    # Measured at 90 dpi (the PNG resolution), plus 6 %: FreeType hinting makes small text relatively wider at
    # screen resolutions than at 72 dpi, and the widest rendering is the one that must fit.
    w, _, _ = RendererAgg(1, 1, 90).get_text_width_height_descent(text, FontProperties(size=fontsize), ismath=False)
    return 1.06 * w / 90


def _text_in(labels, fontsize: float) -> float:
    """Width in inches of the widest of ``labels``: the few widest by a per-character estimate are measured
    exactly. Used to lay axes out without tight_layout, which would render every text once more."""
    cands = sorted({visible(t) for t in labels}, key=_estimate, reverse=True)[:3]  # as _labels draws them
    return max((_measure(t, fontsize) for t in cands), default=0.0)


def _wrap(text: str, width_in: float, fontsize: float) -> str:
    """``text`` with each line wrapped to fit ``width_in`` inches at ``fontsize`` (titles that name what is
    not drawn can be long)."""
    import textwrap

    chars = max(30, int(width_in * 72 / (fontsize * 0.56)))
    return "\n".join(textwrap.fill(line, chars, break_on_hyphens=False) for line in text.split("\n"))


def _short(s: str, n: int = 48) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _no_data(fig: Figure, title: str, why: str = "no adapters in this fleet") -> Figure:
    ax = fig.add_subplot(111)
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, why, ha="center", va="center", transform=ax.transAxes, color="#555555")
    return fig


def _fmt(n: int) -> str:
    return f"{n:,}"


def _n_adapters(t: AdapterTable, sel=None) -> str:
    """'76 adapters' plus how many of them are further records of an adapter captured more than once."""
    rec = t.adapters["record"].to_numpy() if "record" in t.adapters else np.ones(len(t), dtype=int)
    if sel is not None:
        rec = rec[sel]
    extra = int((rec > 1).sum())
    return f"{_adapters(len(rec))}" + (f" (incl. {_fmt(extra)} repeated captures)" if extra else "")


# --------------------------------------------------------------------------------- provenance, vNICs
#: Marks sample data in the ``provenance`` column (data/make_sample.py writes ``illustrative: …`` for a row
#: whose values are guessed or chosen, ``sourced: …; illustrative: every other value …`` for a row that is
#: sourced in part). Captures of real systems say ``captured``.
ILLUSTRATIVE = "illustrative"
#: Start of the label every chart of a fleet with illustrative rows carries (tests/spec/adapters.md B1).
SAMPLE_LABEL = "sample data (partly guessed)"
SAMPLE_LABEL_GID = "ipsecexplore-sample-label"
# 'illustrative' at the start of the text or of a clause (after ';', '[' or '(')
_ILLUSTRATIVE_CLAUSE = re.compile(r"(?:^|[;\[(])\s*illustrative\b", re.IGNORECASE)


@dataclass(frozen=True)
class SampleRows:
    """How many rows of a fleet frame its ``provenance`` column marks as sample data: ``illustrative`` (the
    provenance starts with ``illustrative``: every value guessed or chosen), ``partly`` (a sourced row
    that names illustrative values in a later clause, e.g. ``sourced: SaOffloadCapacity=A2.1; illustrative:
    every other value``), out of ``rows``."""

    rows: int
    illustrative: int
    partly: int

    def __bool__(self) -> bool:
        return bool(self.illustrative or self.partly)

    @property
    def label(self) -> str:
        """E.g. ``sample data (partly guessed): 53 of 129 rows illustrative, 74 more in part (provenance
        column)``; empty when no row is illustrative."""
        if not self:
            return ""
        if self.illustrative:
            text = f"{_fmt(self.illustrative)} of {_fmt(self.rows)} rows illustrative"
            if self.partly:
                text += f", {_fmt(self.partly)} more in part"
        else:
            text = f"{_fmt(self.partly)} of {_fmt(self.rows)} rows illustrative in part"
        return f"{SAMPLE_LABEL}: {text} (provenance column)"


def provenance_kind(text) -> int:
    """2 = illustrative (the provenance starts with ``illustrative``), 1 = illustrative in part (a later
    clause does), 0 = neither (``captured``, ``sourced: …``, missing)."""
    if not isinstance(text, str):
        return 0
    if text.lstrip().lower().startswith(ILLUSTRATIVE):
        return 2
    return 1 if _ILLUSTRATIVE_CLAUSE.search(text) else 0


def sample_rows(fleet) -> SampleRows:
    """Count the sample rows of a fleet (or its frame, or an :class:`AdapterTable`) from its ``provenance``
    column, never from file names: a capture of a real system copied next to the sample is not sample."""
    f = fleet.frame if isinstance(fleet, AdapterTable) else _frame(fleet)
    if f is None or "provenance" not in f or not len(f):
        return SampleRows(0 if f is None else len(f), 0, 0)
    col = f["provenance"]
    cat = col if isinstance(col.dtype, pd.CategoricalDtype) else col.astype("category")
    # one check per distinct text (a handful), then a lookup per row; code -1 (<NA>) takes the last entry
    kinds = np.array([provenance_kind(c) for c in cat.cat.categories] + [0], dtype=np.int8)
    k = kinds[cat.cat.codes.to_numpy()]
    return SampleRows(len(f), int((k == 2).sum()), int((k == 1).sum()))


def hyperv_vnic_rows(fleet) -> np.ndarray:
    """Bool per frame row: a Hyper-V vNIC (tests/spec/adapters.md A4/B3), from the fleet's ``virtual`` column (or, for a
    frame without it, the same evidence: :func:`ipsecexplore.identity.virtual_evidence`). Its
    ``SaOffloadCapacity`` is the per-vNIC SA budget of
    ``Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation``, not a hardware figure."""
    f = fleet.frame if isinstance(fleet, AdapterTable) else _frame(fleet)
    if f is None or not len(f):
        return np.zeros(0 if f is None else len(f), dtype=bool)
    if VIRTUAL in f:
        v = f[VIRTUAL]
    else:
        empty = pd.Series([pd.NA] * len(f), dtype="string", index=f.index)
        v, _ = virtual_evidence(f["adapter"] if "adapter" in f else empty,
                                f["description"] if "description" in f else empty,
                                f["source"] if "source" in f else empty)
    return v.fillna(False).to_numpy(dtype=bool)


_TOP_LEGEND_GID = "ipsecexplore-top-legend"


def _sample_band(fig: Figure, text: str, gid: str = SAMPLE_LABEL_GID) -> None:
    """Add ``text`` in a band above everything else in the figure: the figure grows by the band's height
    and every axes, the title and figure texts keep their place in inches from the bottom (figure legends
    are anchored at the bottom already)."""
    W, H = fig.get_size_inches()
    text = _wrap(text, W - 0.4, 8)
    band = 0.14 + 0.16 * (text.count("\n") + 1)
    H2 = H + band
    f = H / H2
    for ax in fig.axes:
        pos = ax.get_position(original=True)
        ax.set_position([pos.x0, pos.y0 * f, pos.width, pos.height * f], which="both")
    for t in fig.texts:  # suptitle included
        t.set_y(t.get_position()[1] * f)
    tops = [(leg, leg.get_bbox_to_anchor().transformed(fig.transFigure.inverted()))
            for leg in fig.legends if leg.get_gid() == _TOP_LEGEND_GID]
    fig.set_size_inches(W, H2)
    for leg, bb in tops:  # a legend hanging under the title moves down with it
        leg.set_bbox_to_anchor((bb.x0, bb.y0 * f), transform=fig.transFigure)
    look = dict(color="#7A3E00", face="#FFF3E0", edge="#E69F00") if gid == SAMPLE_LABEL_GID else \
        dict(color="#333333", face="#F2F2F2", edge="#999999")
    fig.text(0.5, 1 - 0.07 / H2, text, ha="center", va="top", fontsize=8, color=look["color"], gid=gid,
             bbox=dict(boxstyle="round,pad=0.25", facecolor=look["face"], edgecolor=look["edge"], linewidth=0.8))


def _labelled(chart):
    """Decorate a chart function: the figure carries :attr:`SampleRows.label` when the provenance column of
    the rows it draws marks sample rows (tests/spec/adapters.md B1: every chart must label sample data visibly), and a
    note saying how many Linux interfaces it leaves out (:func:`linux_note`)."""
    import functools

    @functools.wraps(chart)
    def wrapper(fleet, *args, **kw):
        fig = chart(fleet, *args, **kw)
        nlin = fleet.linux_interfaces if isinstance(fleet, AdapterTable) else linux_interfaces(_frame(fleet))
        if nlin:
            _sample_band(fig, ndis_only_note(nlin, "drawn"), gid=LINUX_NOTE_GID)
        rows = sample_rows(fleet if isinstance(fleet, AdapterTable) else _ndis_frame(fleet))  # the rows drawn
        if rows:
            _sample_band(fig, rows.label)
        return fig

    return wrapper


def sample_label(fig: Figure) -> str:
    """The sample-data label of a chart ('' when it has none)."""
    return next((t.get_text() for t in fig.texts if t.get_gid() == SAMPLE_LABEL_GID), "")


#: gid of the note an NDIS chart carries when it leaves Linux interfaces out.
LINUX_NOTE_GID = "ipsecexplore-linux-note"


def linux_note(fig: Figure) -> str:
    """The note of a chart about the Linux interfaces it does not draw ('' when it has none)."""
    return next((t.get_text() for t in fig.texts if t.get_gid() == LINUX_NOTE_GID), "")


# ------------------------------------------------------------------------------------------- labels
_LABEL_GID = "ipsecexplore-label"


def _labels(ax, axis: str, positions, labels, *, fontsize: float, colours=None, side: str | None = None,
            rotation: float = 0) -> None:
    """Category labels of ``axis`` ('x' or 'y') at data ``positions``, drawn as plain texts.

    A matplotlib tick costs two marker lines (each deep-copying its marker path) besides its text; with a
    hundred rows that is most of a chart's drawing time. Plain texts look the same and cost a third.
    :func:`axis_labels` reads them back. ``side``: 'left'/'right' for y, 'bottom' for x (default)."""
    from matplotlib.transforms import blended_transform_factory, offset_copy

    fig = ax.figure
    labels = [visible(t) for t in labels]  # adapter and host names: control characters shown as escapes
    colours = list(colours) if colours is not None else ["black"] * len(labels)
    if axis == "y":
        ax.set_yticks([])
        right = side == "right"
        base = blended_transform_factory(ax.transAxes, ax.transData)
        tr = offset_copy(base, fig=fig, x=3 if right else -3, y=0, units="points")
        for p, text, c in zip(positions, labels, colours):
            ax.text(1 if right else 0, p, text, transform=tr, ha="left" if right else "right", va="center",
                    fontsize=fontsize, color=c, gid=f"{_LABEL_GID}-y", clip_on=False)
    else:
        ax.set_xticks([])
        base = blended_transform_factory(ax.transData, ax.transAxes)
        tr = offset_copy(base, fig=fig, x=0, y=-3, units="points")
        for p, text, c in zip(positions, labels, colours):
            ax.text(p, 0, text, transform=tr, ha="center" if rotation == 0 else "center", va="top",
                    rotation=rotation, rotation_mode="default", fontsize=fontsize, color=c,
                    gid=f"{_LABEL_GID}-x", clip_on=False)


def axis_labels(ax, axis: str = "y") -> list[str]:
    """The category labels of ``axis`` of a chart's axes, in drawing order (top to bottom for a y axis
    whose first category is on top; left to right for x): ticks where the chart uses ticks, else the
    texts drawn by the chart for them."""
    own = [t for t in ax.texts if t.get_gid() == f"{_LABEL_GID}-{axis}"]
    if own:
        return [t.get_text() for t in own]
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


# ------------------------------------------------------------------------------------ capability matrix
# Cell states of the overlaid matrix (hardware and current in one cell).
ON, ON_ONE_VIEW, OFF, UNKNOWN, SWITCHED_OFF, ON_WITHOUT_HW = range(6)
MATRIX_STATES = {
    ON: "TRUE (hardware and current)",
    ON_ONE_VIEW: "TRUE in the one view known",
    OFF: "FALSE",
    UNKNOWN: "unknown (not captured)",
    SWITCHED_OFF: "× supported by the hardware, off in current",
    ON_WITHOUT_HW: "! on in current, not supported by the hardware",
}


def matrix_states(hw_value, hw_known, cur_value, cur_known) -> np.ndarray:
    """Overlay one adapter view pair into :data:`MATRIX_STATES` codes (arrays of equal shape).

    A missing view counts as unknown; a value known in one view only is shown as that view says."""
    st = np.full(hw_value.shape, UNKNOWN, dtype=np.uint8)
    hw_t, hw_f = hw_known & hw_value, hw_known & ~hw_value
    cur_t, cur_f = cur_known & cur_value, cur_known & ~cur_value
    st[(hw_t & ~cur_known) | (cur_t & ~hw_known)] = ON_ONE_VIEW
    st[(hw_f & ~cur_t) | (cur_f & ~hw_t)] = OFF
    st[hw_t & cur_t] = ON
    st[hw_t & cur_f] = SWITCHED_OFF
    st[hw_f & cur_t] = ON_WITHOUT_HW
    return st


def _matrix_rows(t: AdapterTable, codes: np.ndarray, max_rows: int):
    """(rows of codes, labels, counts, subtitle): one row per adapter, or per distinct set above max_rows."""
    n = len(t)
    if n <= max_rows:
        order = np.lexsort((t.adapters["adapter"].str.casefold().to_numpy(),
                            t.adapters["host"].str.casefold().to_numpy()))
        missing = t.adapters["no_ipsecv2"].to_numpy(dtype=bool)[order]
        labels = [_short(lab) + (f"  [{kw}]" if kw else "") + (f"  [{NOT_REPORTED}]" if miss else "")
                  for lab, kw, miss in zip(t.adapters["label"].to_numpy()[order],
                                           t.adapters["keywords"].to_numpy()[order], missing)]
        return codes[order], labels, np.ones(len(order), dtype=int), _n_adapters(t)
    uniq, first, counts = unique_rows(codes)
    keep = np.argsort(-counts, kind="stable")[:max_rows]
    example = t.adapters["label"].to_numpy()[first[keep]]
    # a set of adapters without any IPsecV2 member: every one of its adapters has that flag (same cells)
    missing = t.adapters["no_ipsecv2"].to_numpy(dtype=bool)[first[keep]]
    labels = [(f"{_adapters(c)}, e.g. {_short(e, 32)}" if c > 1 else _short(e))
              + (f"  [{NOT_REPORTED}]" if miss else "") for c, e, miss in zip(counts[keep], example, missing)]
    shown = int(counts[keep].sum())
    sub = f"{_n_adapters(t)} in {_fmt(len(uniq))} distinct capability sets, one row per set"
    if len(keep) < len(uniq):
        sub += (f"; the {_fmt(len(keep))} largest drawn, {_adapters(n - shown)} in "
                f"{_fmt(len(uniq) - len(keep))} smaller sets not drawn")
    return uniq[keep], labels, counts[keep], sub


@_labelled
def capability_matrix(fleet, *, max_rows: int = DEFAULT_MAX_ROWS, style: str = "overlay", caps=None) -> Figure:
    """Adapters × IPsecV2 capabilities (every ``BOOLEAN`` member and every flag), hardware and current view.

    ``style="overlay"`` (default) draws one cell per adapter and capability, coloured by
    :data:`MATRIX_STATES`: family colour = TRUE, light grey = FALSE, dark grey = unknown, and red with a
    cross where the hardware supports the capability but the current configuration has it off (what the
    ``*IPsecOffloadV2`` keyword does), red with ``!`` where current claims what the hardware lacks.
    ``style="side"`` draws one panel per view side by side (same colours, the red cells in the current
    panel). Up to ``max_rows`` adapters are one row each, labelled ``host / adapter [keywords]``; above
    that, adapters with identical cells are one row labelled with their count, largest first, and the title
    says how many adapters are not drawn."""
    if style not in ("overlay", "side"):
        raise ValueError(f"style must be 'overlay' or 'side', not {style!r}")
    t = adapter_table(fleet, caps)
    caps = t.caps
    k = len(caps)
    fig = Figure(figsize=(8, 4))
    title = "IPsecV2 capability matrix"
    if len(t) == 0:
        return _no_data(fig, title)
    hw, cur = t.view("hardware"), t.view("current")
    # adapters known only from raw bytes of unknown origin: show their single view as it is
    if "unknown" in t.views:
        only = (t.rows.get("hardware", np.full(len(t), -1)) < 0) & (t.rows.get("current", np.full(len(t), -1)) < 0)
        uv, uk = t.views["unknown"]
        hw = (np.where(only[:, None], uv, hw[0]), np.where(only[:, None], uk, hw[1]))
    states = matrix_states(hw[0], hw[1], cur[0], cur[1])
    if style == "overlay":
        panels = [(_overlay_title(t), None)]
        codes = states
    else:
        panels = [(v, i) for i, v in enumerate(t.views)]
        vs = [np.where(t.views[v][1], np.where(t.views[v][0], ON, OFF), UNKNOWN).astype(np.uint8) for v in t.views]
        if "current" in t.views and "hardware" in t.views:
            ci = list(t.views).index("current")
            vs[ci] = np.where(np.isin(states, (SWITCHED_OFF, ON_WITHOUT_HW)), states, vs[ci])
        codes = np.concatenate(vs, axis=1)
    rows, labels, counts, subtitle = _matrix_rows(t, codes, max_rows)
    nrows = len(rows)
    label_in = _text_in(labels, 7) + 0.25
    # rotated labels: their length is the width measured (less the 6 % margin kept for hinting) + the offset
    xlabel_in = _text_in([c.label for c in caps], 6.5) / 1.06 + 0.1
    width = max(7.5, label_in + 0.16 * k * len(panels) + 0.25 * len(panels) + 0.3)
    nviews = ", ".join(f"{v} {_fmt(int((t.rows[v] >= 0).sum()))}" for v in t.views)
    missing_note = _no_ipsecv2_note(int(t.adapters["no_ipsecv2"].sum()))
    head = _wrap(f"{title} — {subtitle}\nrows per view: {nviews}" + (f"\n{missing_note}" if missing_note else ""),
                 width - 0.3, 9)
    legend_in, top_in = _MATRIX_LEGEND_IN, 0.45 + 0.16 * (head.count("\n") + 1)
    height = top_in + 0.19 * nrows + xlabel_in + legend_in
    fig.set_size_inches(width, height)
    fig.suptitle(head, fontsize=9, y=1 - 0.06 / height, va="top")
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    palette = np.zeros((6, k, 3))
    fam_rgb = np.array([to_rgb(c.colour) for c in caps])
    palette[ON] = fam_rgb
    palette[ON_ONE_VIEW] = 1 - 0.5 * (1 - fam_rgb)  # the family colour, half-tinted
    palette[OFF] = to_rgb(_FALSE)
    palette[UNKNOWN] = to_rgb(_UNKNOWN)
    palette[SWITCHED_OFF] = palette[ON_WITHOUT_HW] = to_rgb(_ALERT)
    cols = np.arange(k)
    for ax, (name, vi) in zip(axes, panels):
        block = rows if vi is None else rows[:, vi * k:(vi + 1) * k]
        # 'none': the SVG embeds the rows × columns pixels and the viewer scales them (drawn pixelated), instead
        # of a raster resampled to the figure size (PNG: the same as 'nearest')
        ax.imshow(palette[block, cols[None, :]], aspect="auto", interpolation="none")
        for state, marker in ((SWITCHED_OFF, "x"), (ON_WITHOUT_HW, "$!$")):
            yy, xx = np.nonzero(block == state)
            if len(yy):
                ax.scatter(xx, yy, marker=marker, c="white", s=max(4, min(28, 2400 / nrows)), linewidths=1.1)
        if nrows <= 150:  # white cell borders; pointless (and costly) when cells are thinner than a line
            ax.vlines(np.arange(-0.5, k), -0.5, nrows - 0.5, colors="white", linewidth=0.6)
            ax.hlines(np.arange(-0.5, nrows), -0.5, k - 0.5, colors="white", linewidth=0.6)
        _labels(ax, "x", cols, [c.label for c in caps], fontsize=6.5, colours=[c.colour for c in caps],
                rotation=90)
        ax.set_title(name, fontsize=8.5)
        ax.tick_params(length=2)
    _labels(axes[0], "y", np.arange(nrows), labels, fontsize=7)
    _matrix_legend(fig, legend_in / height)
    fig.subplots_adjust(left=label_in / width, right=1 - 0.15 / width, top=1 - top_in / height,
                        bottom=(xlabel_in + legend_in) / height, wspace=0.03)
    return fig


def _overlay_title(t: AdapterTable) -> str:
    """The overlaid panel's title: the views its cells come from (a filtered fleet may hold only one)."""
    have = [v for v in ("hardware", "current") if v in t.rows and (t.rows[v] >= 0).any()]
    if "unknown" in t.rows and (t.rows["unknown"] >= 0).any():
        have.append("view not named (raw bytes)")
    if have[:2] == ["hardware", "current"]:
        return " + ".join(have)
    missing = [v for v in ("hardware", "current") if v not in have]
    return " + ".join(have) + f" only (no {' or '.join(missing)} row)"


# Three legend rows of 6.5 pt entries plus padding: the band below the column labels holds just the legend.
_MATRIX_LEGEND_IN = 0.5


def _matrix_legend(fig: Figure, top: float) -> None:
    """The cell legend, hanging from ``top`` (figure fraction) right under the column labels."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, label=f) for f, c in FAMILY_COLOURS.items() if f != SA_CAPACITY]
    handles += [Patch(facecolor=_FALSE, edgecolor="#999999", label=MATRIX_STATES[OFF]),
                Patch(facecolor=_UNKNOWN, label=MATRIX_STATES[UNKNOWN]),
                Patch(facecolor=_ALERT, label=MATRIX_STATES[SWITCHED_OFF] + ";  " + MATRIX_STATES[ON_WITHOUT_HW]),
                Patch(facecolor="#9FC5E3", label="lighter = " + MATRIX_STATES[ON_ONE_VIEW])]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncol=3, fontsize=6.5, frameon=False,
               borderaxespad=0.1)


# ------------------------------------------------------------------------------------ algorithm coverage
@_labelled
def algorithm_coverage(fleet, *, members=COVERAGE_MEMBERS) -> Figure:
    """How many adapters have each authentication algorithm, encryption algorithm and UDP-ESP mode.

    One panel per mask member, one bar group per flag: a bar per view (hardware solid, current hatched),
    its length the number of adapters of that view whose mask has the flag. Adapters whose mask is unknown
    are not counted; each panel's title says how many there are."""
    f = _ndis_frame(fleet)
    panels = [(m, [c for c in capabilities() if c.family == m]) for m in members]
    fig = Figure(figsize=(9, 6))
    title = "Algorithm and UDP-ESP coverage"
    if len(f) == 0:
        return _no_data(fig, title)
    views = _views(f)
    label_in = _text_in([c.label for _, cs in panels for c in cs], 7) + 0.2
    bar_h = 0.13 * max(len(views), 1) + 0.08
    heights = [bar_h * len(cs) for _, cs in panels]
    gap_in, top_in, bottom_in = 0.85, 0.75, 0.45  # the views' legend sits under the title, clear of the bars
    W = 10.0
    H = top_in + sum(heights) + gap_in * (len(panels) - 1) + bottom_in + 0.3
    fig.set_size_inches(W, H)
    fig.suptitle(title, fontsize=10, y=1 - 0.08 / H, va="top")
    width = 0.8 / max(len(views), 1)
    view_rows = {v: (f["view"] == v).to_numpy() for v in views}
    y_top = H - top_in - 0.3
    for (member, caps), h in zip(panels, heights):
        ax = fig.add_axes([label_in / W, (y_top - h) / H, (W - label_in - 0.3) / W, h / H])
        y_top -= h + gap_in
        y = np.arange(len(caps))
        notes = []
        for i, v in enumerate(views):
            sub = f.loc[view_rows[v], [c.column for c in caps]]
            counts = sub.sum(skipna=True).astype(int).to_numpy()  # TRUE cells; <NA> is not counted
            unknown = int(f.loc[view_rows[v], member].isna().sum()) if member in f else int(view_rows[v].sum())
            style = _VIEW_STYLE.get(v, _VIEW_STYLE["unknown"])
            bars = ax.barh(y - 0.4 + width * (i + 0.5), counts, height=width, color=FAMILY_COLOURS[member],
                           alpha=style["alpha"], hatch=style["hatch"], edgecolor="white", label=f"{v} view")
            ax.bar_label(bars, fmt="{:,.0f}", fontsize=6.5, padding=2)
            notes.append(f"{v}: {_adapters(int(view_rows[v].sum()))}"
                         + (f", {_fmt(unknown)} with the mask unknown" if unknown else ""))
        _labels(ax, "y", y, [c.label for c in caps], fontsize=7)
        ax.set_ylim(len(caps) - 0.5, -0.5)
        gmac = (" (its AES_GCM_* flags mean AES-GMAC, integrity only: R28)"
                if member.endswith("AuthenticationAlgorithms") else "")
        ax.set_title(f"{member}{gmac}\n{'; '.join(notes)}", fontsize=8, loc="left", color=FAMILY_COLOURS[member])
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel("adapters", fontsize=7, labelpad=1)
        ax.margins(x=0.1)
        ax.spines[["top", "right"]].set_visible(False)
    _view_legend(fig, views, 1 - 0.36 / H)
    return fig


def _view_legend(fig: Figure, views: list[str], top: float) -> None:
    """One legend of the view styles (solid, hatched …) for every panel, hanging from ``top`` (figure
    fraction) above the panels: a legend inside a panel covers bars, whatever corner it picks."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor="#777777", edgecolor="white", label=f"{v} view",
                     **_VIEW_STYLE.get(v, _VIEW_STYLE["unknown"])) for v in views]
    leg = fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncol=max(len(views), 1),
                     fontsize=7, frameon=False, borderaxespad=0.1)
    leg.set_gid(_TOP_LEGEND_GID)


def _adapters(n) -> str:
    """'1 adapter', '2 adapters' (counts as the charts print them)."""
    return f"{_fmt(n)} adapter" + ("" if n == 1 else "s")


def _views(f: pd.DataFrame) -> list[str]:
    present = set(f["view"].dropna().astype(str))
    return [v for v in _VIEW_ORDER if v in present] + sorted(present - set(_VIEW_ORDER))


# ---------------------------------------------------------------------------------------- set intersections
@_labelled
def capability_sets(fleet, *, view: str = "hardware", max_sets: int = 25, caps=None) -> Figure:
    """UpSet-style chart of the capability sets of one view.

    Top: a bar per distinct capability set with its number of adapters (largest first); the adapters of
    sets beyond ``max_sets`` are one last bar "other", so the bars always add up to the number of adapters
    in the view. Below: the dot matrix (filled = in the set, grey = not, hollow = unknown); left: how many
    adapters have each capability."""
    t = adapter_table(fleet, caps)
    caps = t.caps
    fig = Figure(figsize=(11, 3 + 0.2 * len(caps)))
    title = f"Capability sets ({view} view)"
    have, from_unknown = view_rows(t, view)
    if not len(have):
        return _no_data(fig, title, _no_view(t, view))
    value, known = _view_values(t, view, have)
    codes = np.where(known, value.astype(np.uint8), 2)
    uniq, _, counts = unique_rows(codes)
    order = np.argsort(-counts, kind="stable")
    uniq, counts = uniq[order], counts[order]
    other = 0
    if len(uniq) > max_sets:
        other = int(counts[max_sets - 1:].sum())
        other_sets = len(uniq) - (max_sets - 1)
        uniq, counts = uniq[: max_sets - 1], counts[: max_sets - 1]
    ncol = len(uniq) + (1 if other else 0)
    k = len(caps)
    # Axes placed in inches: size bars | capability labels | dot matrix (bars of the sets above it).
    size_in, label_in = 1.5, _text_in([c.label for c in caps], 6.5) + 0.2
    dots_in, bars_in, dots_h, bottom_in = 0.3 * ncol + 0.3, 1.8, 0.2 * k, 0.5
    W = max(0.2 + size_in + label_in + dots_in + 0.2, 6.0)
    sub = (f"{_n_adapters(t, have)}{_view_note(t, view, have, from_unknown)}; "
           f"{_fmt(len(uniq) + (other_sets if other else 0))} distinct sets")
    if other:
        sub += f"; the last bar gathers {_adapters(other)} in {_fmt(other_sets)} smaller sets"
    missing_note = _no_ipsecv2_note(int(t.adapters["no_ipsecv2"].to_numpy(dtype=bool)[have].sum()))
    if missing_note:
        sub += f"\n{missing_note} (the all-hollow set)"
    head = _wrap(f"{title}\n{sub}", W - 0.3, 9)
    top_in = 0.35 + 0.17 * (head.count("\n") + 1)  # the title's lines, then the bar labels
    H = top_in + bars_in + 0.1 + dots_h + bottom_in
    fig.set_size_inches(W, H)
    x0 = 0.2 + size_in + label_in
    ax_bar = fig.add_axes([x0 / W, (bottom_in + dots_h + 0.1) / H, dots_in / W, bars_in / H])
    ax_dot = fig.add_axes([x0 / W, bottom_in / H, dots_in / W, dots_h / H], sharex=ax_bar)
    ax_size = fig.add_axes([0.2 / W, bottom_in / H, size_in / W, dots_h / H], sharey=ax_dot)
    x = np.arange(ncol)
    heights = np.append(counts, other) if other else counts
    colours = ["#333333"] * len(uniq) + (["#999999"] if other else [])
    bars = ax_bar.bar(x, heights, color=colours, width=0.7, label="adapters")
    ax_bar.bar_label(bars, fmt="{:,.0f}", fontsize=6.5, padding=1)
    ax_bar.set_ylabel("adapters", fontsize=8)
    ax_bar.tick_params(labelbottom=False, labelsize=7)
    ax_bar.spines[["top", "right"]].set_visible(False)
    ax_bar.margins(y=0.15)
    fig.suptitle(head, fontsize=9, y=1 - 0.1 / H, va="top")
    # dot matrix
    yy, xx = np.meshgrid(np.arange(k), np.arange(len(uniq)), indexing="ij")
    cell = uniq.T  # [k, sets]
    fam = np.array([c.colour for c in caps], dtype=object)
    ax_dot.scatter(xx[cell == 0], yy[cell == 0], s=22, c="#E0E0E0")
    ax_dot.scatter(xx[cell == 2], yy[cell == 2], s=22, facecolors="white", edgecolors=_UNKNOWN, linewidths=1)
    on_y, on_x = np.nonzero(cell == 1)
    ax_dot.scatter(on_x, on_y, s=26, c=list(fam[on_y]), zorder=3)
    for j in range(len(uniq)):
        ys = np.flatnonzero(cell[:, j] == 1)
        if len(ys) > 1:
            ax_dot.plot([j, j], [ys.min(), ys.max()], color="#555555", linewidth=1, zorder=2)
    if other:
        ax_dot.text(ncol - 1, (k - 1) / 2, "other", rotation=90, ha="center", va="center", fontsize=7, color="#777")
    for j in np.flatnonzero((uniq == 2).all(axis=1)) if k else ():  # nothing known: say why on the column
        ax_dot.text(j, (k - 1) / 2, NOT_REPORTED, rotation=90, ha="center", va="center", fontsize=7,
                    color="#555555", bbox=dict(facecolor="white", edgecolor="none", pad=1), zorder=4)
    ax_dot.set_xlim(-0.6, ncol - 0.4)
    ax_dot.set_ylim(k - 0.5, -0.5)
    ax_dot.set_xticks([])
    ax_dot.tick_params(left=False, labelleft=False)
    for s in ax_dot.spines.values():
        s.set_visible(False)
    # set sizes: how many adapters have each capability (TRUE)
    sizes = value.sum(axis=0)
    ax_size.barh(np.arange(k), sizes, color=[c.colour for c in caps], height=0.6, label="adapters with capability")
    ax_size.invert_xaxis()
    _labels(ax_size, "y", np.arange(k), [c.label for c in caps], fontsize=6.5, colours=[c.colour for c in caps],
            side="right")
    ax_size.tick_params(axis="x", labelsize=6.5)
    ax_size.set_xlabel("adapters with it", fontsize=7)
    ax_size.spines[["top", "left"]].set_visible(False)
    return fig


# ------------------------------------------------------------------------------------------ hardware gap
@_labelled
def hardware_gap(fleet, *, max_hosts: int = 30, caps=None) -> Figure:
    """Per host: capabilities the hardware supports that the current configuration has off.

    A bar per host, its length the number of (adapter, capability) pairs TRUE in the hardware view and
    FALSE in the current view, stacked by flag family; the label gives the adapters with such a gap out of
    the host's adapters with both views. Pairs where either view is unknown are not counted (the title says
    how many). Above ``max_hosts`` hosts the smallest gaps are gathered into one bar."""
    t = adapter_table(fleet, caps)
    caps = t.caps
    fig = Figure(figsize=(9, 4))
    title = "Hardware capability switched off in the current configuration"
    if "hardware" not in t.views or "current" not in t.views:
        return _no_data(fig, title, "needs adapters with both a hardware and a current view")
    hv, hk = t.views["hardware"]
    cv, ck = t.views["current"]
    both = (t.rows["hardware"] >= 0) & (t.rows["current"] >= 0)
    gap = hv & hk & ~cv & ck & both[:, None]
    unknown = int((hk & hv & ~ck & both[:, None]).sum())
    fams = list(dict.fromkeys(c.family for c in caps))
    fam_idx = np.array([fams.index(c.family) for c in caps])
    hosts = t.adapters["host"].to_numpy(dtype=object)
    hkey = pd.Series(hosts).str.casefold().to_numpy(dtype=object)
    hcodes, huniq = pd.factorize(hkey)
    display = pd.Series(hosts).groupby(hcodes).first().to_numpy()
    per_fam = np.zeros((len(huniq), len(fams)), dtype=int)
    for fi in range(len(fams)):
        np.add.at(per_fam[:, fi], hcodes, gap[:, fam_idx == fi].sum(axis=1))
    adapters_gap = np.bincount(hcodes, weights=gap.any(axis=1), minlength=len(huniq)).astype(int)
    adapters_both = np.bincount(hcodes, weights=both, minlength=len(huniq)).astype(int)
    total = per_fam.sum(axis=1)
    order = np.lexsort((np.array([str(h).casefold() for h in display]), -total))
    labels = [str(display[i]) or "(no host)" for i in order]
    per_fam, adapters_gap, adapters_both = per_fam[order], adapters_gap[order], adapters_both[order]
    if len(order) > max_hosts:
        rest = slice(max_hosts - 1, None)
        nrest = len(order) - (max_hosts - 1)
        labels = labels[: max_hosts - 1] + [f"{_fmt(nrest)} other hosts"]
        per_fam = np.vstack([per_fam[: max_hosts - 1], per_fam[rest].sum(axis=0)])
        adapters_gap = np.append(adapters_gap[: max_hosts - 1], adapters_gap[rest].sum())
        adapters_both = np.append(adapters_both[: max_hosts - 1], adapters_both[rest].sum())
    nh = len(labels)
    labels = [_short(s, 40) for s in labels]
    label_in = _text_in(labels, 7.5) + 0.2
    W, H = 10.0, 1.3 + 0.28 * nh + 0.2
    fig.set_size_inches(W, H)
    ax = fig.add_axes([label_in / W, 0.55 / H, (W - label_in - 0.2) / W, (H - 1.3) / H])
    y = np.arange(nh)
    left = np.zeros(nh)
    for fi, fam in enumerate(fams):
        ax.barh(y, per_fam[:, fi], left=left, color=FAMILY_COLOURS[fam], label=fam, height=0.7)
        left += per_fam[:, fi]
    for yi, (tot, a, b) in enumerate(zip(left, adapters_gap, adapters_both)):
        ax.text(tot, yi, f"  {int(tot)} ({a}/{b} adapters)", va="center", fontsize=7)
    _labels(ax, "y", y, labels, fontsize=7.5)
    ax.set_ylim(nh - 0.5, -0.5)
    ax.margins(x=0.2)
    ax.tick_params(axis="x", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("capabilities supported by the hardware but off in the current view (adapter × capability)",
                  fontsize=8)
    sub = f"{_adapters(int(both.sum()))} with both views"
    if unknown:
        sub += f"; {_fmt(unknown)} supported capabilities with an unknown current value not counted"
    if len(t) > both.sum():
        sub += f"; {_adapters(int(len(t) - both.sum()))} with one view only not counted"
    fig.suptitle(_wrap(f"{title}\n{sub}", W - 0.3, 9), fontsize=9, y=1 - 0.08 / H, va="top")
    ax.legend(fontsize=7, loc="lower right")
    return fig


# ---------------------------------------------------------------------------------------- similarity
def jaccard_distance(value: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Pairwise Jaccard distance of capability sets, over the capabilities known for both adapters.

    ``1 - |A ∩ B| / |A ∪ B|`` where both sets are restricted to the capabilities whose value is known in
    both rows (so an unknown is never read as FALSE); two rows with empty union are at distance 0, and two
    rows with no capability known in both are NaN (nothing to compare)."""
    a = (value & known).astype(np.float64)
    k = known.astype(np.float64)
    inter = a @ a.T
    union = a @ k.T + k @ a.T - inter
    both = k @ k.T
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.where(union > 0, 1.0 - inter / union, 0.0)
    d[both == 0] = np.nan
    np.fill_diagonal(d, 0.0)
    return d


#: The similarity heatmap is n × n cells: above this many adapters, identical capability sets share a row.
SIMILARITY_MAX_ROWS = 40


@_labelled
def adapter_similarity(fleet, *, view: str = "hardware", max_rows: int = SIMILARITY_MAX_ROWS, caps=None) -> Figure:
    """Clustered heatmap of the Jaccard distance between adapters' capability sets (one view).

    Rows and columns are reordered by average-linkage clustering (scipy) with the dendrogram on the left.
    Up to ``max_rows`` adapters are drawn one by one; above that, each distinct capability set is one row
    labelled with its count (the largest sets first; the title says what is not drawn)."""
    from scipy.cluster.hierarchy import dendrogram, leaves_list, linkage
    from scipy.spatial.distance import squareform

    t = adapter_table(fleet, caps)
    fig = Figure(figsize=(9, 7))
    title = f"Adapter similarity ({view} view, Jaccard distance of capability sets)"
    have, from_unknown = view_rows(t, view)
    if not len(have):
        return _no_data(fig, title, _no_view(t, view))
    value, known = _view_values(t, view, have)
    missing = t.adapters["no_ipsecv2"].to_numpy(dtype=bool)[have]
    names = t.adapters["label"].to_numpy(dtype=object)[have]
    model = t.adapters["model"].to_numpy(dtype=object)[have]
    n = len(have)
    note = _view_note(t, view, have, from_unknown)
    if missing.any():
        note += f"; {_no_ipsecv2_note(int(missing.sum()))} (grey rows)"
    if n <= max_rows:
        labels = [(f"{mo} — {s}" if mo else s) + (f" [{NOT_REPORTED}]" if miss else "")
                  for s, mo, miss in zip(names, model, missing)]
        sub = f"{_adapters(n)}{note}"
    else:
        codes = np.where(known, value.astype(np.uint8), 2)
        uniq, first, counts = unique_rows(codes)
        inverse = np.searchsorted(_row_keys(uniq), _row_keys(codes))
        keep = np.argsort(-counts, kind="stable")[:max_rows]
        value, known = uniq[keep] == 1, uniq[keep] != 2
        labels = [_set_label(c, model[inverse == k], names[i]) + (f" [{NOT_REPORTED}]" if missing[i] else "")
                  for k, c, i in zip(keep, counts[keep], first[keep])]
        sub = f"{_adapters(n)}{note}; {_fmt(len(uniq))} distinct sets, one row per set"
        if len(keep) < len(uniq):
            sub += (f"; the {_fmt(len(keep))} largest drawn, {_adapters(int(n - counts[keep].sum()))} in "
                    f"smaller sets not drawn")
    m = len(labels)
    fs = 7 if m <= 40 else 5
    side = min(12.0, 3.0 + fs / 72 * 1.45 * m)
    den_in, label_in, cbar_in, top_in, bottom_in = 1.2, _text_in(labels, fs) + 0.15, 0.18, 0.75, 0.2
    W = 0.1 + den_in + side + label_in + 0.7 + cbar_in + 0.1
    H = top_in + side + bottom_in
    fig.set_size_inches(W, H)
    fig.suptitle(_wrap(f"{title}\n{sub}", W - 0.3, 9), fontsize=9, y=1 - 0.08 / H, va="top")
    if m < 2:
        return _no_data(fig, title, f"{m} adapter(s): nothing to compare")
    d = jaccard_distance(value, known)
    # rows that share no known capability cannot be compared: drawn grey, clustered as far apart
    z = linkage(squareform(np.nan_to_num(d, nan=1.0), checks=False), method="average")
    order = leaves_list(z)
    ax_den = fig.add_axes([0.1 / W, bottom_in / H, den_in / W, side / H])
    ax = fig.add_axes([(0.1 + den_in) / W, bottom_in / H, side / W, side / H])
    cax = fig.add_axes([(W - 0.1 - cbar_in - 0.35) / W, bottom_in / H, cbar_in / W, side / H])
    # dendrogram leaves sit at 5, 15, 25 ...: its y range 0..10m matches the heatmap rows top to bottom
    with warnings.catch_warnings():  # all distances 0: scipy sets equal x limits and warns; fixed below
        warnings.simplefilter("ignore", UserWarning)
        dendrogram(z, orientation="left", ax=ax_den, no_labels=True, color_threshold=0,
                   above_threshold_color="#555555")
    if not np.nan_to_num(d, nan=1.0).any():
        ax_den.set_xlim(1, 0)
    ax_den.set_ylim(10 * m, 0)
    ax_den.set_axis_off()
    import matplotlib

    cmap = matplotlib.colormaps["viridis_r"].with_extremes(bad=_UNKNOWN)
    im = ax.imshow(np.ma.masked_invalid(d[np.ix_(order, order)]), cmap=cmap, vmin=0, vmax=1,
                   interpolation="none", aspect="auto")
    _labels(ax, "y", np.arange(m), [labels[i] for i in order], fontsize=fs, side="right")
    ax.set_xticks([])
    cb = fig.colorbar(im, cax=cax)
    cb.set_label("Jaccard distance (0 = same set; grey = no capability known in both)", fontsize=7)
    cax.tick_params(labelsize=7)
    return fig


def _row_keys(codes: np.ndarray) -> np.ndarray:
    """One sortable bytes key per row of small codes, ordered like :func:`unique_rows`' rows."""
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    return (codes + 1).view(f"S{codes.shape[1]}").ravel()


def _set_label(count: int, models, example: str) -> str:
    """``12 × Intel(R) Ethernet Controller X550`` (the set's most common NIC model, and how many other models
    share the set), or ``12 × e.g. HOST07 / SLOT 2 Port 1`` when no adapter of the set names its model."""
    known = pd.Series([m for m in models if m], dtype=object)
    if not len(known):
        return f"{_fmt(count)} × e.g. {example}"
    top = known.value_counts()
    more = len(top) - 1
    return f"{_fmt(count)} × {top.index[0]}" + (f" (+{more} other model{'s' if more > 1 else ''})" if more else "")


# -------------------------------------------------------------------------------------------- SA capacity
@_labelled
def sa_capacity(fleet, *, max_values: int = 24) -> Figure:
    """Distribution of ``IPsecV2.SaOffloadCapacity``: a bar per distinct value with its number of adapters,
    one bar per view, plus an *unknown* bar for adapters whose capture lacks the member. With more than
    ``max_values`` distinct values the values are binned by powers of two.

    Hyper-V vNIC rows (:func:`hyperv_vnic_rows`) are counted in the bars and cross-hatched inside them, and
    the title says that their value is a per-vNIC SA budget set on the host, not a hardware figure
    (tests/spec/adapters.md B3)."""
    f = _ndis_frame(fleet)
    fig = Figure(figsize=(9, 4))
    title = f"{SA_CAPACITY} distribution"
    if len(f) == 0:
        return _no_data(fig, title)
    views = _views(f)
    col = f[SA_CAPACITY]
    vnic = hyperv_vnic_rows(f)
    vals = col.dropna().astype("int64")
    distinct = np.unique(vals.to_numpy())
    binned = len(distinct) > max_values
    if binned:
        # bins [0], [1], [2, 3], [4, 7], ... : a power-of-two scale covers 0 .. 2**32 in 33 bins
        edges = [0, 1] + [1 << i for i in range(1, 33)]
        cats = ["0"] + [_fmt(lo) if edges[i + 1] - 1 == lo else f"{_fmt(lo)}–{_fmt(edges[i + 1] - 1)}"
                        for i, lo in enumerate(edges[1:-1], 1)]

        def cat_of(s: pd.Series) -> np.ndarray:
            a = s.to_numpy(dtype=np.int64)
            return np.where(a <= 0, 0, np.floor(np.log2(np.maximum(a, 1))).astype(int) + 1)
        used = sorted(set(cat_of(vals).tolist()))
        xlabels = [cats[i] for i in used]
    else:
        used = distinct.tolist()
        xlabels = [_fmt(int(v)) for v in used]
    has_unknown = bool(col.isna().any())
    ncat = len(used) + (1 if has_unknown else 0)

    def heights_of(s: pd.Series) -> list[int]:
        known = s.dropna().astype("int64")
        cnt = pd.Series(cat_of(known) if binned else known.to_numpy()).value_counts()
        return [int(cnt.get(u, 0)) for u in used] + ([int(s.isna().sum())] if has_unknown else [])

    unknown = int(col.isna().sum())
    head = [title]
    if unknown:
        head.append(f"{_fmt(unknown)} adapter row{'s' if unknown != 1 else ''} without it (unknown)")
    if vnic.any():
        budgets = sorted({_fmt(int(v)) for v in col[vnic].dropna()}, key=lambda t: int(t.replace(",", "")))
        head.append(f"{_fmt(int(vnic.sum()))} rows are Hyper-V vNICs (cross-hatched): their value"
                    + (f" ({', '.join(budgets[:4])}{', …' if len(budgets) > 4 else ''})" if budgets else "")
                    + " is a per-vNIC SA budget (Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation),"
                    " not a hardware figure")
    W = max(6.0, 1.5 + 0.3 * ncat * max(len(views), 1))
    text = _wrap("\n".join(head), W - 0.4, 9)
    top_in, plot_in, bottom_in = 0.25 + 0.17 * (text.count("\n") + 1), 2.6, 1.1
    H = top_in + plot_in + bottom_in
    fig.set_size_inches(W, H)
    ax = fig.add_axes([0.7 / W, bottom_in / H, (W - 0.9) / W, plot_in / H])
    x = np.arange(ncat)
    width = 0.8 / max(len(views), 1)
    vnic_label = "of which Hyper-V vNICs (per-vNIC SA budget)"
    for i, v in enumerate(views):
        in_view = (f["view"] == v).to_numpy()
        style = _VIEW_STYLE.get(v, _VIEW_STYLE["unknown"])
        colours = [FAMILY_COLOURS[SA_CAPACITY]] * len(used) + ([_UNKNOWN] if has_unknown else [])
        xs = x - 0.4 + width * (i + 0.5)
        bars = ax.bar(xs, heights_of(col[in_view]), width=width, color=colours, alpha=style["alpha"],
                      hatch=style["hatch"], edgecolor="white", label=f"{v} view")
        ax.bar_label(bars, fmt="{:,.0f}", fontsize=6.5, padding=1)
        if (vnic & in_view).any():
            ax.bar(xs, heights_of(col[vnic & in_view]), width=width, facecolor="none", hatch="xxx",
                   edgecolor="#333333", linewidth=0, label=vnic_label)
            vnic_label = "_nolegend_"
    ax.set_xticks(x, xlabels + (["unknown"] if has_unknown else []), rotation=45 if ncat > 8 else 0,
                  ha="right" if ncat > 8 else "center", fontsize=7.5)
    ax.set_xlabel(SA_CAPACITY + (" (binned by powers of two)" if binned else ""), fontsize=8)
    ax.set_ylabel("adapters", fontsize=8)
    ax.margins(y=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    fig.suptitle(text, fontsize=9, y=1 - 0.08 / H, va="top")
    return fig


_KIND_STYLE = {"physical": dict(color=FAMILY_COLOURS[SA_CAPACITY], hatch=None),
               "Hyper-V vNIC budget": dict(color="#FFFFFF", hatch="xxx", edgecolor=FAMILY_COLOURS[SA_CAPACITY]),
               "not known whether virtual": dict(color=_UNKNOWN, hatch=None)}


@_labelled
def sa_capacity_per_host(fleet, *, view: str = "current", max_hosts: int = 30) -> Figure:
    """SA bundles each host can offload, physical adapters and Hyper-V vNIC budgets apart
    (:meth:`ipsecexplore.fleet.Fleet.sa_capacity`).

    Per host, one bar for the physical adapters' ``SaOffloadCapacity`` (R30: SA bundles), one cross-hatched bar
    for the vNICs' per-vNIC budgets (they draw on the physical NIC behind the switch, so they are not added
    to it) and a grey bar for adapters not known to be either; each labelled with its adapters and those
    whose capacity is unknown (then the bar is a lower bound). Hosts by physical bundles, largest first;
    above ``max_hosts`` the rest are one bar."""
    from . import questions

    f = _ndis_frame(fleet)
    fig = Figure(figsize=(9, 4))
    title = f"SA bundles per host ({view} view): physical adapters and Hyper-V vNIC budgets apart"
    if f is None or not len(f) or not (f["view"] == view).any():
        return _no_data(fig, title, f"no adapter has a {view} row")
    KINDS = questions.KINDS  # noqa: N806 - the module's constant, read once
    d = questions.sa_capacity_per_host(f, view=view)
    key = d["host"].str.casefold()
    hosts = list(dict.fromkeys(key))
    display = dict(zip(key, d["host"]))
    grid = {k: np.zeros((len(hosts), 3), dtype=np.int64) for k in ("bundles", "adapters", "unknown")}
    for h, kind, *vals in zip(key, d["kind"], d["bundles"], d["adapters"], d["unknown"]):
        for name, v in zip(("bundles", "adapters", "unknown"), vals):
            grid[name][hosts.index(h), KINDS.index(kind)] = int(v)
    order = np.lexsort((np.array(hosts, dtype=object), -grid["bundles"][:, 0]))
    labels = [str(display[hosts[i]]) or "(no host)" for i in order]
    grid = {k: v[order] for k, v in grid.items()}
    if len(labels) > max_hosts:
        rest = len(labels) - (max_hosts - 1)
        labels = labels[: max_hosts - 1] + [f"{_fmt(rest)} other hosts"]
        grid = {k: np.vstack([v[: max_hosts - 1], v[max_hosts - 1:].sum(axis=0)]) for k, v in grid.items()}
    used = [j for j in range(3) if grid["adapters"][:, j].any()]
    nh, nb = len(labels), len(used)
    label_in = _text_in(labels, 7.5) + 0.2
    W, H = 10.0, 1.5 + (0.16 * nb + 0.12) * nh
    fig.set_size_inches(W, H)
    legend_in = _text_in([KINDS[j] for j in used], 7) + 0.5
    ax = fig.add_axes([label_in / W, 0.55 / H, (W - label_in - legend_in) / W, (H - 1.5) / H])
    y = np.arange(nh)
    height = 0.8 / max(nb, 1)
    for slot, j in enumerate(used):
        ys = y - 0.4 + height * (slot + 0.5)
        ax.barh(ys, grid["bundles"][:, j], height=height, label=KINDS[j], linewidth=0.6, **_KIND_STYLE[KINDS[j]])
        for yy, b, a, u in zip(ys, grid["bundles"][:, j], grid["adapters"][:, j], grid["unknown"][:, j]):
            if a:
                ax.text(b, yy, f"  {_fmt(int(b))} ({_adapters(int(a))}" + (f", {_fmt(int(u))} unknown" if u else "")
                        + ")", va="center", fontsize=6.5)
    _labels(ax, "y", y, labels, fontsize=7.5)
    ax.set_ylim(nh - 0.5, -0.5)
    ax.margins(x=0.25)
    ax.tick_params(axis="x", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("SA bundles (IPsecV2.SaOffloadCapacity of adapters with AH or ESP on)", fontsize=8)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    sub = ("a vNIC budget (Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation; 0 disables) draws on the "
           "physical NIC behind the switch and is not added to it; unknown capacities are not counted")
    fig.suptitle(_wrap(f"{title}\n{sub}", W - 0.3, 9), fontsize=9, y=1 - 0.08 / H, va="top")
    return fig


# ---------------------------------------------------------------------------------------------- all
#: Every chart, by name, in the order the report shows them.
CHARTS = {
    "capability_matrix": capability_matrix,
    "algorithm_coverage": algorithm_coverage,
    "capability_sets": capability_sets,
    "hardware_gap": hardware_gap,
    "adapter_similarity": adapter_similarity,
    "sa_capacity": sa_capacity,
    "sa_capacity_per_host": sa_capacity_per_host,
}


def all_charts(fleet) -> dict[str, Figure]:
    """Every chart of :data:`CHARTS` for ``fleet`` (the frame is pivoted once for all of them)."""
    table = adapter_table(fleet)
    return {name: fn(table) for name, fn in CHARTS.items()}


def to_png(fig: Figure, dpi: int = 90) -> bytes:
    """The figure as PNG bytes (Agg canvas; no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


#: The only URL an SVG of :func:`to_svg` contains: the SVG namespace (``xmlns``), which is a name, not an
#: address; an SVG ``<img>`` without it is not drawn. Nothing is ever fetched from it.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Matplotlib writes Dublin Core metadata (creator URL, format, type URI) unless each key is set to None.
_SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def to_svg(fig: Figure, *, text_as_paths: bool = False) -> str:
    """The figure as SVG text. Text stays text (small, fast, searchable; drawn in the viewer's own generic
    sans-serif font, nothing is downloaded) unless ``text_as_paths``. Matplotlib XML-escapes every string;
    the output is the same for the same figure (fixed hash salt, no date).

    The output holds no URL but :data:`SVG_NAMESPACE`: no metadata block, no DOCTYPE (it names the SVG 1.1
    DTD by URL and is optional), and SVG 2 ``href`` in place of ``xlink:href`` (so no XLink namespace); every
    ``href`` and ``url()`` left points inside the SVG (``#id``) or is an embedded ``data:`` PNG."""
    import matplotlib

    _svg_canvas_class()(fig)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path" if text_as_paths else "none", "svg.hashsalt": "ipsecexplore"}):
        fig.savefig(buf, format="svg", metadata=_SVG_METADATA)
    return _svg2(buf.getvalue())


def _svg2(svg: str) -> str:
    """Matplotlib's SVG 1.1 without its two URLs besides the SVG namespace: the DOCTYPE line and the XLink
    namespace (``xlink:href`` -> ``href``, which every current browser reads). Only tags are rewritten:
    text content never holds a raw ``<`` and attribute values never a raw ``>`` (matplotlib escapes both),
    so ``<[^>]*>`` matches tags only and an adapter named ``xlink:href="x"`` keeps its name."""
    svg = re.sub(r"<!DOCTYPE[^>]*>\n?", "", svg, count=1)
    svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1)
    return re.sub(r"<[^>]*\bxlink:href=[^>]*>", lambda m: m.group(0).replace(" xlink:href=", " href="), svg)


@cache
def _svg_canvas_class():
    """The SVG canvas of :func:`to_svg` (built on first use: matplotlib's SVG backend is imported lazily)."""
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG

    class FastTextRendererSVG(RendererSVG):
        """SVG renderer whose text extents come from a per-glyph table (:func:`_text_extent`).

        With ``svg.fonttype`` 'none' the viewer lays each text out in its own font; matplotlib's extents only
        place the anchor (vertical offset, rotated labels). Measuring every string with FreeType text shaping
        cost about 1 ms per label, most of the time of a chart's SVG; the table gives the same anchors within
        a fraction of a point."""

        def get_text_width_height_descent(self, s, prop, ismath):
            if ismath:
                return super().get_text_width_height_descent(s, prop, ismath)
            return _text_extent(s, prop)

    class SVGCanvas(FigureCanvasSVG):
        """FigureCanvasSVG drawing with the renderer above while text stays text (``svg.fonttype`` 'none');
        with text as paths the exact extents matter and matplotlib's own renderer is used. The figure keeps
        this canvas after :func:`to_svg`, so a later ``fig.savefig("x.svg")`` goes through here too."""

        def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_):
            # print_figure passes dpi, facecolor, edgecolor and orientation to canvases outside matplotlib; it
            # has applied them to the figure already (FigureCanvasSVG ignores them the same way).
            import matplotlib
            from matplotlib import cbook

            if matplotlib.rcParams["svg.fonttype"] != "none":
                return super().print_svg(filename, bbox_inches_restore=bbox_inches_restore, metadata=metadata)
            # the body of FigureCanvasSVG.print_svg, with FastTextRendererSVG
            with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
                if not cbook.file_requires_unicode(fh):
                    fh = codecs.getwriter("utf-8")(fh)
                dpi = self.figure.dpi
                self.figure.dpi = 72
                width, height = self.figure.get_size_inches()
                renderer = MixedModeRenderer(
                    self.figure, width, height, dpi,
                    FastTextRendererSVG(width * 72, height * 72, fh, image_dpi=dpi, metadata=metadata),
                    bbox_inches_restore=bbox_inches_restore)
                self.figure.draw(renderer)
                renderer.finalize()

    return SVGCanvas


@lru_cache(maxsize=16)
def _glyph_font(path: str, thread: int):
    """(FT2Font at 100 pt / 72 dpi, per-character cache) for a font file and thread: a private instance per
    thread (as matplotlib's get_font), since loading a glyph changes the font object's state."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    font.set_size(100, 72)
    return font, {}


def _text_extent(s: str, prop) -> tuple[float, float, float]:
    """(width, height, descent) in points of one line of ``s`` in ``prop``: the sum of the glyph advances and
    the union of the glyph boxes, from a per-character table (no shaping, no kerning)."""
    from matplotlib.font_manager import findfont
    from matplotlib.ft2font import LoadFlags

    font, table = _glyph_font(findfont(prop), threading.get_ident())
    w, top, bottom = 0.0, 0.0, 0.0
    for ch in s:
        m = table.get(ch)
        if m is None:
            with warnings.catch_warnings():  # a glyph the font lacks: measured as its "missing" box, as drawn
                warnings.simplefilter("ignore")
                try:
                    g = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
                except RuntimeError:
                    g = font.load_glyph(0, flags=LoadFlags.NO_HINTING)
            m = table[ch] = (g.linearHoriAdvance / 65536, g.bbox[3] / 64, g.bbox[1] / 64)
        w += m[0]
        top = max(top, m[1])
        bottom = min(bottom, m[2])
    scale = prop.get_size_in_points() / 100
    return w * scale, (top - bottom) * scale, -bottom * scale
