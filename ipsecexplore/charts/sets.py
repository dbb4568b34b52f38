"""Capability sets: an UpSet-style chart of the distinct capability sets of one view."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..pivot import adapter_table, view_rows, view_values
from .base import (
    NOT_REPORTED,
    adapters_text,
    draw_labels,
    fmt,
    n_adapters,
    no_data,
    no_ipsecv2_note,
    no_view_text,
    unique_rows,
    view_note,
)
from .measure import widest, wrap
from .provenance import labelled
from .style import (
    UNKNOWN_COLOUR,
    colours_of,
)


@labelled
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
        return no_data(fig, title, no_view_text(t, view))
    value, known = view_values(t, view, have)
    uniq, counts, other, other_sets = _largest_sets(np.where(known, value.astype(np.uint8), 2), max_sets)
    ncol, k = len(uniq) + (1 if other else 0), len(caps)
    # Axes placed in inches: size bars | capability labels | dot matrix (bars of the sets above it).
    size_in, label_in = 1.5, widest([c.label for c in caps], 6.5) + 0.2
    dots_in, bars_in, dots_h, bottom_in = 0.3 * ncol + 0.3, 1.8, 0.2 * k, 0.5
    W = max(0.2 + size_in + label_in + dots_in + 0.2, 6.0)
    sub = (f"{n_adapters(t, have)}{view_note(t, view, have, from_unknown)}; "
           f"{fmt(len(uniq) + other_sets)} distinct sets")
    if other:
        sub += f"; the last bar gathers {adapters_text(other)} in {fmt(other_sets)} smaller sets"
    missing_note = no_ipsecv2_note(int(t.adapters["no_ipsecv2"].to_numpy(dtype=bool)[have].sum()))
    if missing_note:
        sub += f"\n{missing_note} (the all-hollow set)"
    head = wrap(f"{title}\n{sub}", W - 0.3, 9)
    top_in = 0.35 + 0.17 * (head.count("\n") + 1)  # the title's lines, then the bar labels
    H = top_in + bars_in + 0.1 + dots_h + bottom_in
    fig.set_size_inches(W, H)
    x0 = 0.2 + size_in + label_in
    ax_bar = fig.add_axes([x0 / W, (bottom_in + dots_h + 0.1) / H, dots_in / W, bars_in / H])
    ax_dot = fig.add_axes([x0 / W, bottom_in / H, dots_in / W, dots_h / H], sharex=ax_bar)
    ax_size = fig.add_axes([0.2 / W, bottom_in / H, size_in / W, dots_h / H], sharey=ax_dot)
    _set_bars(ax_bar, counts, other)
    fig.suptitle(head, fontsize=9, y=1 - 0.1 / H, va="top")
    _dot_matrix(ax_dot, uniq, caps, other)
    _set_sizes(ax_size, value, caps)
    return fig


def _largest_sets(codes: np.ndarray, max_sets: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """(distinct rows of ``codes`` largest first, their counts, adapters in the sets beyond ``max_sets`` - 1
    gathered as "other" (0 when all fit), how many sets that is)."""
    uniq, _, counts = unique_rows(codes)
    order = np.argsort(-counts, kind="stable")
    uniq, counts = uniq[order], counts[order]
    if len(uniq) <= max_sets:
        return uniq, counts, 0, 0
    return uniq[: max_sets - 1], counts[: max_sets - 1], int(counts[max_sets - 1:].sum()), len(uniq) - (max_sets - 1)


def _set_bars(ax, counts: np.ndarray, other: int) -> None:
    """A bar per set with its number of adapters; "other" in grey."""
    heights = np.append(counts, other) if other else counts
    colours = ["#333333"] * len(counts) + (["#999999"] if other else [])
    bars = ax.bar(np.arange(len(heights)), heights, color=colours, width=0.7, label="adapters")
    ax.bar_label(bars, fmt="{:,.0f}", fontsize=6.5, padding=1)
    ax.set_ylabel("adapters", fontsize=8)
    ax.tick_params(labelbottom=False, labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.15)


def _dot_matrix(ax, uniq: np.ndarray, caps, other: int) -> None:
    """The sets' dot matrix: filled = in the set (family colour), grey = not, hollow = unknown."""
    k, ncol = len(caps), len(uniq) + (1 if other else 0)
    yy, xx = np.meshgrid(np.arange(k), np.arange(len(uniq)), indexing="ij")
    cell = uniq.T  # [k, sets]
    fam = np.array(colours_of(caps), dtype=object)
    ax.scatter(xx[cell == 0], yy[cell == 0], s=22, c="#E0E0E0")
    ax.scatter(xx[cell == 2], yy[cell == 2], s=22, facecolors="white", edgecolors=UNKNOWN_COLOUR, linewidths=1)
    on_y, on_x = np.nonzero(cell == 1)
    ax.scatter(on_x, on_y, s=26, c=list(fam[on_y]), zorder=3)
    for j in range(len(uniq)):
        ys = np.flatnonzero(cell[:, j] == 1)
        if len(ys) > 1:
            ax.plot([j, j], [ys.min(), ys.max()], color="#555555", linewidth=1, zorder=2)
    if other:
        ax.text(ncol - 1, (k - 1) / 2, "other", rotation=90, ha="center", va="center", fontsize=7, color="#777")
    for j in np.flatnonzero((uniq == 2).all(axis=1)) if k else ():  # nothing known: say why on the column
        ax.text(j, (k - 1) / 2, NOT_REPORTED, rotation=90, ha="center", va="center", fontsize=7,
                color="#555555", bbox=dict(facecolor="white", edgecolor="none", pad=1), zorder=4)
    ax.set_xlim(-0.6, ncol - 0.4)
    ax.set_ylim(k - 0.5, -0.5)
    ax.set_xticks([])
    ax.tick_params(left=False, labelleft=False)
    for s in ax.spines.values():
        s.set_visible(False)


def _set_sizes(ax, value: np.ndarray, caps) -> None:
    """How many adapters have each capability (TRUE), bars growing leftwards, labelled on their right."""
    k = len(caps)
    ax.barh(np.arange(k), value.sum(axis=0), color=colours_of(caps), height=0.6, label="adapters with capability")
    ax.invert_xaxis()
    draw_labels(ax, "y", np.arange(k), [c.label for c in caps], fontsize=6.5, colours=colours_of(caps),
                side="right")
    ax.tick_params(axis="x", labelsize=6.5)
    ax.set_xlabel("adapters with it", fontsize=7)
    ax.spines[["top", "left"]].set_visible(False)
