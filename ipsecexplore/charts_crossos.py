"""Cross-OS charts (issue 15): the same NIC families seen from Windows (``NDIS_IPSEC_OFFLOAD_V2`` members) and
from Linux (``ethtool -k`` ESP feature bits), drawn with matplotlib like :mod:`ipsecexplore.charts`.

- :func:`cross_os_matrix` — per NIC family, the share of adapters whose hardware view has each Windows member
  and each Linux feature (grey: no adapter of that OS in the family);
- :func:`same_nic_two_oses` — for the families captured on both OSes, each corresponding pair of notions
  (:data:`ipsecexplore.crossos.CORRESPONDENCE`: ``Esp`` ~ ``esp-hw-offload``, ``LsoSupported`` ~
  ``tx-esp-segmentation``) side by side. The Linux reading is inferred (tests/spec/capture-formats.md §8.4),
  which every title says.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .columns import OS, ethtool_column
from .crossos import FEATURE_NAMES, FEATURES, nic_family
from .pivot import frame_of

__all__ = ["WINDOWS_MEMBERS", "family_frame", "cross_os_matrix", "same_nic_two_oses", "PAIRS"]

#: The Windows members the matrix shows: those with a Linux notion in the correspondence table.
WINDOWS_MEMBERS = ("IPsecV2.Esp", "IPsecV2.Ah", "IPsecV2.Transport", "IPsecV2.Tunnel", "IPsecV2.LsoSupported",
                   "IPsecV2.UdpEsp")
#: (Windows member, Linux feature) pairs of the correspondence table that a capture shows on both sides.
PAIRS = tuple((f.ndis, f.name) for f in FEATURES if f.ndis)


def family_frame(fleet, view: str = "hardware") -> pd.DataFrame:
    """The rows of ``view`` with a ``family`` column (:func:`ipsecexplore.crossos.nic_family`); rows of no known
    family are left out. Windows ``UdpEsp`` (a mask) counts as True when non-zero."""
    f = frame_of(fleet)
    if OS not in f or not len(f):
        return f.iloc[0:0].assign(family=pd.Series(dtype="string"))
    f = f[f["view"] == view]
    fam = [nic_family(o, d, v) for o, d, v in zip(f[OS], f["description"], f["driver"])]
    out = f.assign(family=pd.array(fam, dtype="string"))
    return out[out["family"].notna()]


def _share(rows: pd.DataFrame, col: str) -> tuple[float, int, int]:
    s = rows[col]
    if col == "IPsecV2.UdpEsp":
        s = s.astype("Int64").ne(0).astype("boolean").where(s.notna())
    known = s.dropna()
    n = len(known)
    return (float(known.astype(bool).sum()) / n if n else np.nan), int(known.astype(bool).sum()), n


def _grid(ff: pd.DataFrame, families: list[str], os_name: str, cols: list[str]):
    share = np.full((len(families), len(cols)), np.nan)
    text = [["" for _ in cols] for _ in families]
    for i, fam in enumerate(families):
        rows = ff[(ff["family"] == fam) & (ff[OS] == os_name)]
        for j, col in enumerate(cols):
            v, k, n = _share(rows, col) if len(rows) else (np.nan, 0, 0)
            share[i, j] = v
            text[i][j] = f"{k}/{n}" if n else "n/a"
    return share, text


def _panel(ax, share, text, families, labels, title):
    masked = np.ma.masked_invalid(share)
    ax.imshow(masked, cmap="Greens", vmin=0, vmax=1, aspect="auto")
    ax.set_facecolor("#dddddd")
    for i in range(share.shape[0]):
        for j in range(share.shape[1]):
            dark = not np.isnan(share[i, j]) and share[i, j] > 0.6
            ax.text(j, i, text[i][j], ha="center", va="center", fontsize=8, color="white" if dark else "#222")
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(families)), families, fontsize=8)
    ax.set_title(title, fontsize=9, loc="left")


def cross_os_matrix(fleet, *, view: str = "hardware") -> Figure:
    """Per NIC family (rows), the share of adapters whose ``view`` has each Windows member (left) and each Linux
    ESP feature (right); cell text ``k/n`` = adapters with it / adapters where it is known; grey = no adapter of
    that OS in the family. The Linux side is inferred (ethtool feature bits, not a capability structure)."""
    ff = family_frame(fleet, view)
    fig = Figure(figsize=(11, 1.6 + 0.45 * max(1, ff["family"].nunique())), layout="constrained")
    families = sorted(ff["family"].unique()) if len(ff) else []
    if not families:
        ax = fig.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, "no adapter of a known NIC family (82599/X540/X550, ConnectX) in this fleet",
                ha="center", va="center")
        return fig
    lin_cols = [ethtool_column(n) for n in FEATURE_NAMES]
    axw, axl = fig.subplots(1, 2, width_ratios=[len(WINDOWS_MEMBERS), len(lin_cols)])
    _panel(axw, *_grid(ff, families, "windows", list(WINDOWS_MEMBERS)), families,
           [m.split(".", 1)[1] for m in WINDOWS_MEMBERS], f"Windows: NDIS_IPSEC_OFFLOAD_V2 ({view} view)")
    _panel(axl, *_grid(ff, families, "linux", lin_cols), families, list(FEATURE_NAMES),
           f"Linux: ethtool -k\n({view} view, inferred)")
    axl.set_yticks([])
    fig.suptitle("Cross-OS capability matrix per NIC family (share of adapters; k/n)", fontsize=10, x=0.01,
                 ha="left")
    return fig


def same_nic_two_oses(fleet, *, view: str = "hardware") -> Figure:
    """For each NIC family captured on both OSes, each corresponding pair (:data:`PAIRS`) as two bars: the
    share of Windows adapters with the member and of Linux interfaces with the feature (``view``)."""
    ff = family_frame(fleet, view)
    both = sorted(set(ff[ff[OS] == "windows"]["family"]) & set(ff[ff[OS] == "linux"]["family"]))
    fig = Figure(figsize=(9, 1.5 + 1.4 * max(1, len(both))), layout="constrained")
    if not both:
        ax = fig.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, "no NIC family captured on both Windows and Linux", ha="center", va="center")
        return fig
    axes = np.atleast_1d(fig.subplots(len(both), 1, squeeze=False)[:, 0])
    y = np.arange(len(PAIRS))
    for ax, fam in zip(axes, both):
        rows = ff[ff["family"] == fam]
        win = [_share(rows[rows[OS] == "windows"], m) for m, _ in PAIRS]
        lin = [_share(rows[rows[OS] == "linux"], ethtool_column(f)) for _, f in PAIRS]
        for off, vals, colour, who in ((-0.2, win, "#1565c0", "Windows"), (0.2, lin, "#2e7d32", "Linux")):
            ax.barh(y + off, [0 if np.isnan(v) else v for v, _, _ in vals], height=0.38, color=colour, label=who)
            for yy, (v, k, n) in zip(y + off, vals):
                ax.text(0.01 if np.isnan(v) else v + 0.01, yy, f"{k}/{n}" if n else "n/a", va="center", fontsize=8)
        ax.set_yticks(y, [f"{m.split('.', 1)[1]} ~ {f}" for m, f in PAIRS], fontsize=8)
        ax.set_xlim(0, 1.15)
        ax.set_title(fam, fontsize=9, loc="left")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="outside upper right", ncols=2)
    fig.suptitle(f"Same NIC, two OSes ({view} view; Linux side inferred from ethtool -k)", fontsize=10, x=0.01,
                 ha="left")
    return fig
