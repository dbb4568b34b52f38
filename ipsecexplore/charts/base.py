"""What every chart shares: counts as the charts print them, the notes on what is not drawn, category labels
drawn as plain texts, the views' legend, the empty chart."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..pivot import AdapterTable
from ..text import visible
from .style import VIEW_ORDER, view_style

__all__ = ["NOT_REPORTED", "no_ipsecv2_note", "view_note", "no_view_text", "unique_rows", "row_keys", "shorten",
           "no_data", "fmt", "adapters_text", "n_adapters", "LABEL_GID", "TOP_LEGEND_GID", "draw_labels",
           "axis_labels", "view_legend", "views_of"]

#: Tag of an adapter whose capture holds no IPsecV2 member at all (see :attr:`AdapterTable.adapters`).
NOT_REPORTED = "IPsecV2 not reported"


def no_ipsecv2_note(n: int) -> str:
    """The note of a chart drawing ``n`` adapters whose capture holds no IPsecV2 member ('' for none)."""
    return (f"{adapters_text(n)} with {NOT_REPORTED} (the capture holds no IPsecV2 member: revision-1 NDIS_OFFLOAD "
            "or NDIS_WMI_OFFLOAD block): every cell unknown, not 'supports nothing'") if n else ""


def view_note(t: AdapterTable, view: str, have: np.ndarray, from_unknown: int) -> str:
    """What a one-view chart adds to its adapter count: rows taken from captures naming no view, and the
    adapters not drawn for want of that view, so that drawn + not drawn = every adapter of the fleet."""
    out = ""
    if from_unknown:
        out += f"; {fmt(from_unknown)} of them from raw bytes whose capture names no view"
    missing = len(t) - len(have)
    if missing:
        out += f"; {adapters_text(missing)} without a {view} view not drawn"
    return out


def no_view_text(t: AdapterTable, view: str) -> str:
    """Why a one-view chart is empty."""
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


def row_keys(codes: np.ndarray) -> np.ndarray:
    """One sortable bytes key per row of small codes, ordered like :func:`unique_rows`' rows."""
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    return (codes + 1).view(f"S{codes.shape[1]}").ravel()


def shorten(s: str, n: int = 48) -> str:
    """``s`` cut to ``n`` characters with an ellipsis."""
    return s if len(s) <= n else s[: n - 1] + "…"


def no_data(fig: Figure, title: str, why: str = "no adapters in this fleet") -> Figure:
    """``fig`` as an empty chart: its title and why there is nothing to draw."""
    ax = fig.add_subplot(111)
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, why, ha="center", va="center", transform=ax.transAxes, color="#555555")
    return fig


def fmt(n: int) -> str:
    """``1,024``: counts as the charts print them."""
    return f"{n:,}"


def n_adapters(t: AdapterTable, sel=None) -> str:
    """'76 adapters' plus how many of them are further records of an adapter captured more than once."""
    rec = t.adapters["record"].to_numpy() if "record" in t.adapters else np.ones(len(t), dtype=int)
    if sel is not None:
        rec = rec[sel]
    extra = int((rec > 1).sum())
    return f"{adapters_text(len(rec))}" + (f" (incl. {fmt(extra)} repeated captures)" if extra else "")


#: gid of the category labels :func:`draw_labels` draws (``-x``, ``-y`` appended).
LABEL_GID = "ipsecexplore-label"
#: gid of a legend hanging under the title (it moves down with the title when a band is added above).
TOP_LEGEND_GID = "ipsecexplore-top-legend"


def draw_labels(ax, axis: str, positions, labels, *, fontsize: float, colours=None, side: str | None = None,
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
                    fontsize=fontsize, color=c, gid=f"{LABEL_GID}-y", clip_on=False)
    else:
        ax.set_xticks([])
        base = blended_transform_factory(ax.transData, ax.transAxes)
        tr = offset_copy(base, fig=fig, x=0, y=-3, units="points")
        for p, text, c in zip(positions, labels, colours):
            ax.text(p, 0, text, transform=tr, ha="center" if rotation == 0 else "center", va="top",
                    rotation=rotation, rotation_mode="default", fontsize=fontsize, color=c,
                    gid=f"{LABEL_GID}-x", clip_on=False)


def axis_labels(ax, axis: str = "y") -> list[str]:
    """The category labels of ``axis`` of a chart's axes, in drawing order (top to bottom for a y axis
    whose first category is on top; left to right for x): ticks where the chart uses ticks, else the
    texts drawn by the chart for them."""
    own = [t for t in ax.texts if t.get_gid() == f"{LABEL_GID}-{axis}"]
    if own:
        return [t.get_text() for t in own]
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def view_legend(fig: Figure, views: list[str], top: float) -> None:
    """One legend of the view styles (solid, hatched …) for every panel, hanging from ``top`` (figure
    fraction) above the panels: a legend inside a panel covers bars, whatever corner it picks."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor="#777777", edgecolor="white", label=f"{v} view",
                     **view_style(v)) for v in views]
    leg = fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncol=max(len(views), 1),
                     fontsize=7, frameon=False, borderaxespad=0.1)
    leg.set_gid(TOP_LEGEND_GID)


def adapters_text(n) -> str:
    """'1 adapter', '2 adapters' (counts as the charts print them)."""
    return f"{fmt(n)} adapter" + ("" if n == 1 else "s")


def views_of(f: pd.DataFrame) -> list[str]:
    """The views of the frame's rows, in :data:`VIEW_ORDER` then the others sorted."""
    present = set(f["view"].dropna().astype(str))
    return [v for v in VIEW_ORDER if v in present] + sorted(present - set(VIEW_ORDER))
