"""The capability matrix: adapters × IPsecV2 capabilities, hardware and current view overlaid."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from ..identity import name_key
from ..pivot import AdapterTable, adapter_table
from .base import (
    NOT_REPORTED,
    adapters_text,
    draw_labels,
    fmt,
    n_adapters,
    no_data,
    no_ipsecv2_note,
    shorten,
    unique_rows,
)
from .measure import WIDTH_MARGIN, widest, wrap
from .provenance import labelled
from .style import (
    ALERT_COLOUR,
    DEFAULT_MAX_ROWS,
    FALSE_COLOUR,
    FAMILY_COLOURS,
    SA_CAPACITY,
    UNKNOWN_COLOUR,
    colours_of,
)

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
        order = np.lexsort((name_key(t.adapters["adapter"]).to_numpy(dtype=object),
                            name_key(t.adapters["host"]).to_numpy(dtype=object)))
        missing = t.adapters["no_ipsecv2"].to_numpy(dtype=bool)[order]
        labels = [shorten(lab) + (f"  [{kw}]" if kw else "") + (f"  [{NOT_REPORTED}]" if miss else "")
                  for lab, kw, miss in zip(t.adapters["label"].to_numpy()[order],
                                           t.adapters["keywords"].to_numpy()[order], missing)]
        return codes[order], labels, np.ones(len(order), dtype=int), n_adapters(t)
    uniq, first, counts = unique_rows(codes)
    keep = np.argsort(-counts, kind="stable")[:max_rows]
    example = t.adapters["label"].to_numpy()[first[keep]]
    # a set of adapters without any IPsecV2 member: every one of its adapters has that flag (same cells)
    missing = t.adapters["no_ipsecv2"].to_numpy(dtype=bool)[first[keep]]
    labels = [(f"{adapters_text(c)}, e.g. {shorten(e, 32)}" if c > 1 else shorten(e))
              + (f"  [{NOT_REPORTED}]" if miss else "") for c, e, miss in zip(counts[keep], example, missing)]
    shown = int(counts[keep].sum())
    sub = f"{n_adapters(t)} in {fmt(len(uniq))} distinct capability sets, one row per set"
    if len(keep) < len(uniq):
        sub += (f"; the {fmt(len(keep))} largest drawn, {adapters_text(n - shown)} in "
                f"{fmt(len(uniq) - len(keep))} smaller sets not drawn")
    return uniq[keep], labels, counts[keep], sub


@labelled
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
        return no_data(fig, title)
    panels, codes = _panels(t, style)
    rows, labels, counts, subtitle = _matrix_rows(t, codes, max_rows)
    nrows = len(rows)
    label_in = widest(labels, 7) + 0.25
    # rotated labels: their drawn length is about their glyph advances (the width less its margin) + the offset
    xlabel_in = widest([c.label for c in caps], 6.5) / WIDTH_MARGIN + 0.1
    width = max(7.5, label_in + 0.16 * k * len(panels) + 0.25 * len(panels) + 0.3)
    nviews = ", ".join(f"{v} {fmt(int((t.rows[v] >= 0).sum()))}" for v in t.views)
    missing_note = no_ipsecv2_note(int(t.adapters["no_ipsecv2"].sum()))
    head = wrap(f"{title} — {subtitle}\nrows per view: {nviews}" + (f"\n{missing_note}" if missing_note else ""),
                width - 0.3, 9)
    legend_in, top_in = _MATRIX_LEGEND_IN, 0.45 + 0.16 * (head.count("\n") + 1)
    height = top_in + 0.19 * nrows + xlabel_in + legend_in
    fig.set_size_inches(width, height)
    fig.suptitle(head, fontsize=9, y=1 - 0.06 / height, va="top")
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    palette = _palette(caps)
    for ax, (name, vi) in zip(axes, panels):
        _draw_panel(ax, rows if vi is None else rows[:, vi * k:(vi + 1) * k], palette, caps)
        ax.set_title(name, fontsize=8.5)
    draw_labels(axes[0], "y", np.arange(nrows), labels, fontsize=7)
    _matrix_legend(fig, legend_in / height)
    fig.subplots_adjust(left=label_in / width, right=1 - 0.15 / width, top=1 - top_in / height,
                        bottom=(xlabel_in + legend_in) / height, wspace=0.03)
    return fig


def _panels(t: AdapterTable, style: str) -> tuple[list, np.ndarray]:
    """([(panel title, view index or None), ...], cell codes [adapters, panels × capabilities])."""
    hw, cur = t.view("hardware"), t.view("current")
    # adapters known only from raw bytes of unknown origin: show their single view as it is
    if "unknown" in t.views:
        only = (t.rows.get("hardware", np.full(len(t), -1)) < 0) & (t.rows.get("current", np.full(len(t), -1)) < 0)
        uv, uk = t.views["unknown"]
        hw = (np.where(only[:, None], uv, hw[0]), np.where(only[:, None], uk, hw[1]))
    states = matrix_states(hw[0], hw[1], cur[0], cur[1])
    if style == "overlay":
        return [(_overlay_title(t), None)], states
    vs = [np.where(t.views[v][1], np.where(t.views[v][0], ON, OFF), UNKNOWN).astype(np.uint8) for v in t.views]
    if "current" in t.views and "hardware" in t.views:
        ci = list(t.views).index("current")
        vs[ci] = np.where(np.isin(states, (SWITCHED_OFF, ON_WITHOUT_HW)), states, vs[ci])
    return [(v, i) for i, v in enumerate(t.views)], np.concatenate(vs, axis=1)


def _palette(caps) -> np.ndarray:
    """RGB per (cell state, capability): the family colour for TRUE, half-tinted for TRUE in one view."""
    palette = np.zeros((6, len(caps), 3))
    fam_rgb = np.array([to_rgb(c) for c in colours_of(caps)])
    palette[ON] = fam_rgb
    palette[ON_ONE_VIEW] = 1 - 0.5 * (1 - fam_rgb)  # the family colour, half-tinted
    palette[OFF] = to_rgb(FALSE_COLOUR)
    palette[UNKNOWN] = to_rgb(UNKNOWN_COLOUR)
    palette[SWITCHED_OFF] = palette[ON_WITHOUT_HW] = to_rgb(ALERT_COLOUR)
    return palette


def _draw_panel(ax, block: np.ndarray, palette: np.ndarray, caps) -> None:
    """One panel: the cells of ``block`` [rows, capabilities], the alert markers, borders and column labels."""
    nrows, k = block.shape[0], len(caps)
    cols = np.arange(k)
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
    draw_labels(ax, "x", cols, [c.label for c in caps], fontsize=6.5, colours=colours_of(caps), rotation=90)
    ax.tick_params(length=2)


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
    handles += [Patch(facecolor=FALSE_COLOUR, edgecolor="#999999", label=MATRIX_STATES[OFF]),
                Patch(facecolor=UNKNOWN_COLOUR, label=MATRIX_STATES[UNKNOWN]),
                Patch(facecolor=ALERT_COLOUR, label=MATRIX_STATES[SWITCHED_OFF] + ";  " + MATRIX_STATES[ON_WITHOUT_HW]),
                Patch(facecolor="#9FC5E3", label="lighter = " + MATRIX_STATES[ON_ONE_VIEW])]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncol=3, fontsize=6.5, frameon=False,
               borderaxespad=0.1)
