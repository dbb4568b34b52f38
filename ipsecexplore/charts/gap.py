"""Hardware gap: per host, capabilities the hardware supports that the current configuration has off."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..identity import host_key, name_key
from ..pivot import AdapterTable, adapter_table
from .base import (
    adapters_text,
    draw_labels,
    fmt,
    no_data,
    shorten,
)
from .measure import widest, wrap
from .provenance import labelled
from .style import (
    FAMILY_COLOURS,
)


@labelled
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
        return no_data(fig, title, "needs adapters with both a hardware and a current view")
    hv, hk = t.views["hardware"]
    cv, ck = t.views["current"]
    both = (t.rows["hardware"] >= 0) & (t.rows["current"] >= 0)
    gap = hv & hk & ~cv & ck & both[:, None]
    unknown = int((hk & hv & ~ck & both[:, None]).sum())
    labels, fams, per_fam, adapters_gap, adapters_both = _per_host(t, gap, both, max_hosts)
    nh = len(labels)
    labels = [shorten(s, 40) for s in labels]
    label_in = widest(labels, 7.5) + 0.2
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
    draw_labels(ax, "y", y, labels, fontsize=7.5)
    ax.set_ylim(nh - 0.5, -0.5)
    ax.margins(x=0.2)
    ax.tick_params(axis="x", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("capabilities supported by the hardware but off in the current view (adapter × capability)",
                  fontsize=8)
    sub = f"{adapters_text(int(both.sum()))} with both views"
    if unknown:
        sub += f"; {fmt(unknown)} supported capabilities with an unknown current value not counted"
    if len(t) > both.sum():
        sub += f"; {adapters_text(int(len(t) - both.sum()))} with one view only not counted"
    fig.suptitle(wrap(f"{title}\n{sub}", W - 0.3, 9), fontsize=9, y=1 - 0.08 / H, va="top")
    ax.legend(fontsize=7, loc="lower right")
    return fig


def _per_host(t: AdapterTable, gap: np.ndarray, both: np.ndarray, max_hosts: int):
    """(host labels, families, gap pairs [hosts, families], adapters with a gap, adapters with both views) per
    host (compared case-insensitively), largest gap first; above ``max_hosts`` the rest gathered in one bar."""
    caps = t.caps
    fams = list(dict.fromkeys(c.family for c in caps))
    fam_idx = np.array([fams.index(c.family) for c in caps])
    hosts = t.adapters["host"].to_numpy(dtype=object)
    hkey = host_key(pd.Series(hosts)).to_numpy(dtype=object)
    hcodes, huniq = pd.factorize(hkey)
    display = pd.Series(hosts).groupby(hcodes).first().to_numpy()
    per_fam = np.zeros((len(huniq), len(fams)), dtype=int)
    for fi in range(len(fams)):
        np.add.at(per_fam[:, fi], hcodes, gap[:, fam_idx == fi].sum(axis=1))
    adapters_gap = np.bincount(hcodes, weights=gap.any(axis=1), minlength=len(huniq)).astype(int)
    adapters_both = np.bincount(hcodes, weights=both, minlength=len(huniq)).astype(int)
    total = per_fam.sum(axis=1)
    order = np.lexsort((np.array([name_key(str(h)) for h in display]), -total))
    labels = [str(display[i]) or "(no host)" for i in order]
    per_fam, adapters_gap, adapters_both = per_fam[order], adapters_gap[order], adapters_both[order]
    if len(order) > max_hosts:
        rest = slice(max_hosts - 1, None)
        nrest = len(order) - (max_hosts - 1)
        labels = labels[: max_hosts - 1] + [f"{fmt(nrest)} other hosts"]
        per_fam = np.vstack([per_fam[: max_hosts - 1], per_fam[rest].sum(axis=0)])
        adapters_gap = np.append(adapters_gap[: max_hosts - 1], adapters_gap[rest].sum())
        adapters_both = np.append(adapters_both[: max_hosts - 1], adapters_both[rest].sum())
    return labels, fams, per_fam, adapters_gap, adapters_both
