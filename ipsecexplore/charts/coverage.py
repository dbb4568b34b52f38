"""Algorithm coverage: how many adapters have each authentication and encryption algorithm and UDP-ESP mode."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..pivot import capabilities, ndis_frame
from .base import (
    adapters_text,
    draw_labels,
    fmt,
    no_data,
    view_legend,
    views_of,
)
from .measure import widest
from .provenance import labelled
from .style import (
    COVERAGE_MEMBERS,
    FAMILY_COLOURS,
    view_style,
)


@labelled
def algorithm_coverage(fleet, *, members=COVERAGE_MEMBERS) -> Figure:
    """How many adapters have each authentication algorithm, encryption algorithm and UDP-ESP mode.

    One panel per mask member, one bar group per flag: a bar per view (hardware solid, current hatched),
    its length the number of adapters of that view whose mask has the flag. Adapters whose mask is unknown
    are not counted; each panel's title says how many there are."""
    f = ndis_frame(fleet)
    panels = [(m, [c for c in capabilities() if c.family == m]) for m in members]
    fig = Figure(figsize=(9, 6))
    title = "Algorithm and UDP-ESP coverage"
    if len(f) == 0:
        return no_data(fig, title)
    views = views_of(f)
    label_in = widest([c.label for _, cs in panels for c in cs], 7) + 0.2
    bar_h = 0.13 * max(len(views), 1) + 0.08
    heights = [bar_h * len(cs) for _, cs in panels]
    gap_in, top_in, bottom_in = 0.85, 0.75, 0.45  # the views' legend sits under the title, clear of the bars
    W = 10.0
    H = top_in + sum(heights) + gap_in * (len(panels) - 1) + bottom_in + 0.3
    fig.set_size_inches(W, H)
    fig.suptitle(title, fontsize=10, y=1 - 0.08 / H, va="top")
    width = 0.8 / max(len(views), 1)
    rows_of = {v: (f["view"] == v).to_numpy() for v in views}
    y_top = H - top_in - 0.3
    for (member, caps), h in zip(panels, heights):
        ax = fig.add_axes([label_in / W, (y_top - h) / H, (W - label_in - 0.3) / W, h / H])
        y_top -= h + gap_in
        y = np.arange(len(caps))
        notes = []
        for i, v in enumerate(views):
            sub = f.loc[rows_of[v], [c.column for c in caps]]
            counts = sub.sum(skipna=True).astype(int).to_numpy()  # TRUE cells; <NA> is not counted
            unknown = int(f.loc[rows_of[v], member].isna().sum()) if member in f else int(rows_of[v].sum())
            style = view_style(v)
            bars = ax.barh(y - 0.4 + width * (i + 0.5), counts, height=width, color=FAMILY_COLOURS[member],
                           alpha=style["alpha"], hatch=style["hatch"], edgecolor="white", label=f"{v} view")
            ax.bar_label(bars, fmt="{:,.0f}", fontsize=6.5, padding=2)
            notes.append(f"{v}: {adapters_text(int(rows_of[v].sum()))}"
                         + (f", {fmt(unknown)} with the mask unknown" if unknown else ""))
        draw_labels(ax, "y", y, [c.label for c in caps], fontsize=7)
        ax.set_ylim(len(caps) - 0.5, -0.5)
        gmac = (" (its AES_GCM_* flags mean AES-GMAC, integrity only: R28)"
                if member.endswith("AuthenticationAlgorithms") else "")
        ax.set_title(f"{member}{gmac}\n{'; '.join(notes)}", fontsize=8, loc="left", color=FAMILY_COLOURS[member])
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel("adapters", fontsize=7, labelpad=1)
        ax.margins(x=0.1)
        ax.spines[["top", "right"]].set_visible(False)
    view_legend(fig, views, 1 - 0.36 / H)
    return fig
