"""SA capacity: the distribution of IPsecV2.SaOffloadCapacity, and SA bundles per host."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import questions
from ..identity import host_key
from ..pivot import ndis_frame
from .base import (
    adapters_text,
    draw_labels,
    fmt,
    no_data,
    views_of,
)
from .measure import widest, wrap
from .provenance import hyperv_vnic_rows, labelled
from .style import (
    FAMILY_COLOURS,
    SA_CAPACITY,
    UNKNOWN_COLOUR,
    view_style,
)


@labelled
def sa_capacity(fleet, *, max_values: int = 24) -> Figure:
    """Distribution of ``IPsecV2.SaOffloadCapacity``: a bar per distinct value with its number of adapters,
    one bar per view, plus an *unknown* bar for adapters whose capture lacks the member. With more than
    ``max_values`` distinct values the values are binned by powers of two.

    Hyper-V vNIC rows (:func:`hyperv_vnic_rows`) are counted in the bars and cross-hatched inside them, and
    the title says that their value is a per-vNIC SA budget set on the host, not a hardware figure
    (tests/spec/adapters.md B3)."""
    f = ndis_frame(fleet)
    fig = Figure(figsize=(9, 4))
    title = f"{SA_CAPACITY} distribution"
    if len(f) == 0:
        return no_data(fig, title)
    views = views_of(f)
    col = f[SA_CAPACITY]
    vnic = hyperv_vnic_rows(f)
    cats = _Categories(col, max_values)
    ncat = len(cats.labels)
    text = "\n".join(_capacity_head(title, col, vnic))
    W = max(6.0, 1.5 + 0.3 * ncat * max(len(views), 1))
    text = wrap(text, W - 0.4, 9)
    top_in, plot_in, bottom_in = 0.25 + 0.17 * (text.count("\n") + 1), 2.6, 1.1
    H = top_in + plot_in + bottom_in
    fig.set_size_inches(W, H)
    ax = fig.add_axes([0.7 / W, bottom_in / H, (W - 0.9) / W, plot_in / H])
    _capacity_bars(ax, f, cats, vnic, views)
    ax.set_xticks(np.arange(ncat), cats.labels, rotation=45 if ncat > 8 else 0,
                  ha="right" if ncat > 8 else "center", fontsize=7.5)
    ax.set_xlabel(SA_CAPACITY + (" (binned by powers of two)" if cats.binned else ""), fontsize=8)
    ax.set_ylabel("adapters", fontsize=8)
    ax.margins(y=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    fig.suptitle(text, fontsize=9, y=1 - 0.08 / H, va="top")
    return fig


class _Categories:
    """The x categories of the SA-capacity chart: each distinct value, or above ``max_values`` distinct values
    power-of-two bins ([0], [1], [2, 3], [4, 7] …: 33 bins cover 0 .. 2**32); plus *unknown* when a row lacks
    the member."""

    def __init__(self, col: pd.Series, max_values: int):
        vals = col.dropna().astype("int64")
        distinct = np.unique(vals.to_numpy())
        self.binned = len(distinct) > max_values
        self.has_unknown = bool(col.isna().any())
        if self.binned:
            edges = [0, 1] + [1 << i for i in range(1, 33)]
            names = ["0"] + [fmt(lo) if edges[i + 1] - 1 == lo else f"{fmt(lo)}–{fmt(edges[i + 1] - 1)}"
                             for i, lo in enumerate(edges[1:-1], 1)]
            self.used = sorted(set(self._bin(vals).tolist()))
            self.labels = [names[i] for i in self.used]
        else:
            self.used = distinct.tolist()
            self.labels = [fmt(int(v)) for v in self.used]
        self.labels += ["unknown"] if self.has_unknown else []

    @staticmethod
    def _bin(s: pd.Series) -> np.ndarray:
        a = s.to_numpy(dtype=np.int64)
        return np.where(a <= 0, 0, np.floor(np.log2(np.maximum(a, 1))).astype(int) + 1)

    def heights(self, s: pd.Series) -> list[int]:
        """Rows of ``s`` per category."""
        known = s.dropna().astype("int64")
        cnt = pd.Series(self._bin(known) if self.binned else known.to_numpy()).value_counts()
        return [int(cnt.get(u, 0)) for u in self.used] + ([int(s.isna().sum())] if self.has_unknown else [])


def _capacity_head(title: str, col: pd.Series, vnic: np.ndarray) -> list[str]:
    """The title lines: rows without the member, and what a Hyper-V vNIC's value is (B3)."""
    head = [title]
    unknown = int(col.isna().sum())
    if unknown:
        head.append(f"{fmt(unknown)} adapter row{'s' if unknown != 1 else ''} without it (unknown)")
    if vnic.any():
        budgets = sorted({fmt(int(v)) for v in col[vnic].dropna()}, key=lambda t: int(t.replace(",", "")))
        head.append(f"{fmt(int(vnic.sum()))} rows are Hyper-V vNICs (cross-hatched): their value"
                    + (f" ({', '.join(budgets[:4])}{', …' if len(budgets) > 4 else ''})" if budgets else "")
                    + " is a per-vNIC SA budget (Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation),"
                    " not a hardware figure")
    return head


def _capacity_bars(ax, f: pd.DataFrame, cats: _Categories, vnic: np.ndarray, views: list[str]) -> None:
    """A bar per category and view, the vNIC rows cross-hatched inside it."""
    col = f[SA_CAPACITY]
    x = np.arange(len(cats.labels))
    width = 0.8 / max(len(views), 1)
    vnic_label = "of which Hyper-V vNICs (per-vNIC SA budget)"
    colours = [FAMILY_COLOURS[SA_CAPACITY]] * len(cats.used) + ([UNKNOWN_COLOUR] if cats.has_unknown else [])
    for i, v in enumerate(views):
        in_view = (f["view"] == v).to_numpy()
        style = view_style(v)
        xs = x - 0.4 + width * (i + 0.5)
        bars = ax.bar(xs, cats.heights(col[in_view]), width=width, color=colours, alpha=style["alpha"],
                      hatch=style["hatch"], edgecolor="white", label=f"{v} view")
        ax.bar_label(bars, fmt="{:,.0f}", fontsize=6.5, padding=1)
        if (vnic & in_view).any():
            ax.bar(xs, cats.heights(col[vnic & in_view]), width=width, facecolor="none", hatch="xxx",
                   edgecolor="#333333", linewidth=0, label=vnic_label)
            vnic_label = "_nolegend_"


_KIND_STYLE = {"physical": dict(color=FAMILY_COLOURS[SA_CAPACITY], hatch=None),
               "Hyper-V vNIC budget": dict(color="#FFFFFF", hatch="xxx", edgecolor=FAMILY_COLOURS[SA_CAPACITY]),
               "not known whether virtual": dict(color=UNKNOWN_COLOUR, hatch=None)}


@labelled
def sa_capacity_per_host(fleet, *, view: str = "current", max_hosts: int = 30) -> Figure:
    """SA bundles each host can offload, physical adapters and Hyper-V vNIC budgets apart
    (:meth:`ipsecexplore.fleet.Fleet.sa_capacity`).

    Per host, one bar for the physical adapters' ``SaOffloadCapacity`` (R30: SA bundles), one cross-hatched bar
    for the vNICs' per-vNIC budgets (they draw on the physical NIC behind the switch, so they are not added
    to it) and a grey bar for adapters not known to be either; each labelled with its adapters and those
    whose capacity is unknown (then the bar is a lower bound). Hosts by physical bundles, largest first;
    above ``max_hosts`` the rest are one bar."""
    f = ndis_frame(fleet)
    fig = Figure(figsize=(9, 4))
    title = f"SA bundles per host ({view} view): physical adapters and Hyper-V vNIC budgets apart"
    if f is None or not len(f) or not (f["view"] == view).any():
        return no_data(fig, title, f"no adapter has a {view} row")
    KINDS = questions.KINDS  # noqa: N806 - the module's constant, read once
    d = questions.sa_capacity_per_host(f, view=view)
    key = host_key(d["host"])
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
        labels = labels[: max_hosts - 1] + [f"{fmt(rest)} other hosts"]
        grid = {k: np.vstack([v[: max_hosts - 1], v[max_hosts - 1:].sum(axis=0)]) for k, v in grid.items()}
    used = [j for j in range(3) if grid["adapters"][:, j].any()]
    nh, nb = len(labels), len(used)
    label_in = widest(labels, 7.5) + 0.2
    W, H = 10.0, 1.5 + (0.16 * nb + 0.12) * nh
    fig.set_size_inches(W, H)
    legend_in = widest([KINDS[j] for j in used], 7) + 0.5
    ax = fig.add_axes([label_in / W, 0.55 / H, (W - label_in - legend_in) / W, (H - 1.5) / H])
    y = np.arange(nh)
    height = 0.8 / max(nb, 1)
    for slot, j in enumerate(used):
        ys = y - 0.4 + height * (slot + 0.5)
        ax.barh(ys, grid["bundles"][:, j], height=height, label=KINDS[j], linewidth=0.6, **_KIND_STYLE[KINDS[j]])
        for yy, b, a, u in zip(ys, grid["bundles"][:, j], grid["adapters"][:, j], grid["unknown"][:, j]):
            if a:
                ax.text(b, yy, f"  {fmt(int(b))} ({adapters_text(int(a))}" + (f", {fmt(int(u))} unknown" if u else "")
                        + ")", va="center", fontsize=6.5)
    draw_labels(ax, "y", y, labels, fontsize=7.5)
    ax.set_ylim(nh - 0.5, -0.5)
    ax.margins(x=0.25)
    ax.tick_params(axis="x", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("SA bundles (IPsecV2.SaOffloadCapacity of adapters with AH or ESP on)", fontsize=8)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    sub = ("a vNIC budget (Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation; 0 disables) draws on the "
           "physical NIC behind the switch and is not added to it; unknown capacities are not counted")
    fig.suptitle(wrap(f"{title}\n{sub}", W - 0.3, 9), fontsize=9, y=1 - 0.08 / H, va="top")
    return fig
