"""Adapter similarity: a clustered heatmap of the Jaccard distance between capability sets."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..pivot import AdapterTable, adapter_table, view_rows, view_values
from .base import (
    NOT_REPORTED,
    adapters_text,
    draw_labels,
    fmt,
    no_data,
    no_ipsecv2_note,
    no_view_text,
    row_keys,
    unique_rows,
    view_note,
)
from .measure import widest, wrap
from .provenance import labelled
from .style import (
    UNKNOWN_COLOUR,
)


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


@labelled
def adapter_similarity(fleet, *, view: str = "hardware", max_rows: int = SIMILARITY_MAX_ROWS, caps=None) -> Figure:
    """Clustered heatmap of the Jaccard distance between adapters' capability sets (one view).

    Rows and columns are reordered by average-linkage clustering (scipy) with the dendrogram on the left.
    Up to ``max_rows`` adapters are drawn one by one; above that, each distinct capability set is one row
    labelled with its count (the largest sets first; the title says what is not drawn)."""
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    t = adapter_table(fleet, caps)
    fig = Figure(figsize=(9, 7))
    title = f"Adapter similarity ({view} view, Jaccard distance of capability sets)"
    have, from_unknown = view_rows(t, view)
    if not len(have):
        return no_data(fig, title, no_view_text(t, view))
    value, known = view_values(t, view, have)
    value, known, labels, sub = _similarity_rows(t, view, have, from_unknown, value, known, max_rows)
    m = len(labels)
    fs = 7 if m <= 40 else 5
    side = min(12.0, 3.0 + fs / 72 * 1.45 * m)
    den_in, label_in, cbar_in, top_in, bottom_in = 1.2, widest(labels, fs) + 0.15, 0.18, 0.75, 0.2
    W = 0.1 + den_in + side + label_in + 0.7 + cbar_in + 0.1
    H = top_in + side + bottom_in
    fig.set_size_inches(W, H)
    fig.suptitle(wrap(f"{title}\n{sub}", W - 0.3, 9), fontsize=9, y=1 - 0.08 / H, va="top")
    if m < 2:
        return no_data(fig, title, f"{m} adapter(s): nothing to compare")
    d = jaccard_distance(value, known)
    # rows that share no known capability cannot be compared: drawn grey, clustered as far apart
    z = linkage(squareform(np.nan_to_num(d, nan=1.0), checks=False), method="average")
    order = leaves_list(z)
    ax_den = fig.add_axes([0.1 / W, bottom_in / H, den_in / W, side / H])
    ax = fig.add_axes([(0.1 + den_in) / W, bottom_in / H, side / W, side / H])
    cax = fig.add_axes([(W - 0.1 - cbar_in - 0.35) / W, bottom_in / H, cbar_in / W, side / H])
    _dendrogram(ax_den, z, d, m)
    cmap = matplotlib.colormaps["viridis_r"].with_extremes(bad=UNKNOWN_COLOUR)
    im = ax.imshow(np.ma.masked_invalid(d[np.ix_(order, order)]), cmap=cmap, vmin=0, vmax=1,
                   interpolation="none", aspect="auto")
    draw_labels(ax, "y", np.arange(m), [labels[i] for i in order], fontsize=fs, side="right")
    ax.set_xticks([])
    cb = fig.colorbar(im, cax=cax)
    cb.set_label("Jaccard distance (0 = same set; grey = no capability known in both)", fontsize=7)
    cax.tick_params(labelsize=7)
    return fig


def _set_label(count: int, models, example: str) -> str:
    """``12 × Intel(R) Ethernet Controller X550`` (the set's most common NIC model, and how many other models
    share the set), or ``12 × e.g. HOST07 / SLOT 2 Port 1`` when no adapter of the set names its model."""
    known = pd.Series([m for m in models if m], dtype=object)
    if not len(known):
        return f"{fmt(count)} × e.g. {example}"
    top = known.value_counts()
    more = len(top) - 1
    return f"{fmt(count)} × {top.index[0]}" + (f" (+{more} other model{'s' if more > 1 else ''})" if more else "")


def _similarity_rows(t: AdapterTable, view: str, have: np.ndarray, from_unknown: int, value, known, max_rows: int):
    """(value, known, labels, subtitle) of the heatmap's rows: one per adapter up to ``max_rows``, else one per
    distinct capability set (largest first), labelled by its count and most common NIC model."""
    missing = t.adapters["no_ipsecv2"].to_numpy(dtype=bool)[have]
    names = t.adapters["label"].to_numpy(dtype=object)[have]
    model = t.adapters["model"].to_numpy(dtype=object)[have]
    n = len(have)
    note = view_note(t, view, have, from_unknown)
    if missing.any():
        note += f"; {no_ipsecv2_note(int(missing.sum()))} (grey rows)"
    if n <= max_rows:
        labels = [(f"{mo} — {s}" if mo else s) + (f" [{NOT_REPORTED}]" if miss else "")
                  for s, mo, miss in zip(names, model, missing)]
        return value, known, labels, f"{adapters_text(n)}{note}"
    codes = np.where(known, value.astype(np.uint8), 2)
    uniq, first, counts = unique_rows(codes)
    inverse = np.searchsorted(row_keys(uniq), row_keys(codes))
    keep = np.argsort(-counts, kind="stable")[:max_rows]
    labels = [_set_label(c, model[inverse == k], names[i]) + (f" [{NOT_REPORTED}]" if missing[i] else "")
              for k, c, i in zip(keep, counts[keep], first[keep])]
    sub = f"{adapters_text(n)}{note}; {fmt(len(uniq))} distinct sets, one row per set"
    if len(keep) < len(uniq):
        sub += (f"; the {fmt(len(keep))} largest drawn, {adapters_text(int(n - counts[keep].sum()))} in "
                f"smaller sets not drawn")
    return uniq[keep] == 1, uniq[keep] != 2, labels, sub


def _dendrogram(ax, z, d: np.ndarray, m: int) -> None:
    """The clustering's dendrogram beside the heatmap's ``m`` rows."""
    from scipy.cluster.hierarchy import dendrogram

    # dendrogram leaves sit at 5, 15, 25 ...: its y range 0..10m matches the heatmap rows top to bottom
    with warnings.catch_warnings():  # all distances 0: scipy sets equal x limits and warns; fixed below
        warnings.simplefilter("ignore", UserWarning)
        dendrogram(z, orientation="left", ax=ax, no_labels=True, color_threshold=0,
                   above_threshold_color="#555555")
    if not np.nan_to_num(d, nan=1.0).any():
        ax.set_xlim(1, 0)
    ax.set_ylim(10 * m, 0)
    ax.set_axis_off()
