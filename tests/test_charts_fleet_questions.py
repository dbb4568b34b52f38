"""Charts of issue 13: SA bundles per host (physical and vNIC budgets apart) and the layout fixes of the
capability matrix, the coverage chart and the similarity chart (legends clear of bars, titles saying which
views are drawn, rows labelled by NIC model and never cut)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer

from ipsecexplore import charts
from ipsecexplore.captures import AdapterRecord, ImportResult
from ipsecexplore.fleet import Fleet

M = "IPsecV2."
HW = {M + "IPv6Supported": True, M + "Ah": True, M + "Esp": True, M + "Transport": True, M + "Tunnel": True,
      M + "UdpEsp": 0, M + "AuthenticationAlgorithms": 8, M + "EncryptionAlgorithms": 8, M + "SaOffloadCapacity": 1024}
VNIC = "Hyper-V Virtual Ethernet Adapter"


def make(*records) -> Fleet:
    r = ImportResult(records=list(records))
    r.records_seen = r.loaded = len(records)
    return Fleet.from_result(r)


def rec(host, adapter, view, values, desc=None, kw=None):
    return AdapterRecord(host, adapter, desc, view, f"{host}.txt", 1, dict(values), dict(kw or {}))


@pytest.fixture(scope="module")
def fleet():
    out = []
    for h in range(3):
        host = f"HOST{h}"
        for i in range(h + 1):
            for v in ("hardware", "current"):
                vals = {**HW, M + "SaOffloadCapacity": 256 * (i + 1), M + "Tunnel": i > 0}
                out.append(rec(host, f"SLOT {i}", v, vals, desc=f"Intel(R) Ethernet Controller X550 #{i + 1}"))
        out.append(rec(host, "vEthernet (S)", "current", {**HW, M + "SaOffloadCapacity": 512}, desc=VNIC))
    out.append(rec("HOST9", "raw", "current", HW))  # not known whether virtual
    return make(*out)


def _draw(fig):
    FigureCanvasAgg(fig)
    fig.set_dpi(90)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def test_sa_capacity_per_host_bars_are_the_frame_method(fleet):
    fig = charts.sa_capacity_per_host(fleet)
    ax = fig.axes[0]
    table = fleet.sa_capacity()
    labels = charts.axis_labels(ax, "y")
    for c in (c for c in ax.containers if isinstance(c, BarContainer)):
        expect = {h: int(b) for h, k, b in zip(table["host"], table["kind"], table["bundles"]) if k == c.get_label()}
        drawn = {lab: int(bar.get_width()) for lab, bar in zip(labels, c)}
        assert {h: drawn[h] for h in expect} == expect, c.get_label()
        assert all(drawn[h] == 0 for h in drawn if h not in expect)
    assert {c.get_label() for c in ax.containers} == {"physical", "Hyper-V vNIC budget", "not known whether virtual"}
    # hosts by physical bundles, largest first: HOST2 has 256 + 512 + 768
    assert labels[0] == "HOST2"
    title = fig.get_suptitle()
    assert "vNIC" in title and "not added" in title
    assert "sa_capacity_per_host" in charts.CHARTS


def test_matrix_title_names_the_views_drawn(fleet):
    f = fleet.frame
    both = charts.capability_matrix(f)
    assert both.axes[0].get_title() == "hardware + current"
    hw_only = charts.capability_matrix(f[f["view"] == "hardware"])
    assert hw_only.axes[0].get_title() == "hardware only (no current row)"


def test_matrix_legend_right_under_the_column_labels(fleet):
    fig = charts.capability_matrix(fleet)
    r = _draw(fig)
    low = min(t.get_window_extent(r).y0 for t in fig.axes[0].texts if t.get_gid() == "ipsecexplore-label-x")
    top = fig.legends[0].get_window_extent(r).y1
    assert 0 <= (low - top) / 90 < 0.2  # no blank band, no overlap


def _bars(fig):
    return [b for ax in fig.axes for c in ax.containers if isinstance(c, BarContainer) for b in c]


def test_coverage_legend_covers_no_bar(fleet):
    fig = charts.algorithm_coverage(fleet)
    assert all(ax.get_legend() is None for ax in fig.axes)
    r = _draw(fig)
    (leg,) = fig.legends
    assert [t.get_text() for t in leg.get_texts()] == ["hardware view", "current view"]
    box = leg.get_window_extent(r)
    assert not any(box.overlaps(b.get_window_extent(r)) for b in _bars(fig) if b.get_width() > 0)
    title = next(t for t in fig.texts if t.get_text() == fig.get_suptitle()).get_window_extent(r)
    assert not box.overlaps(title)


@pytest.mark.parametrize("max_rows", [40, 2])
def test_similarity_rows_by_model_and_uncut(fleet, max_rows):
    fig = charts.adapter_similarity(fleet, max_rows=max_rows)
    ax = next(a for a in fig.axes if a.get_images())
    labels = charts.axis_labels(ax, "y")
    assert not any("…" in x for x in labels)
    if max_rows == 40:
        assert "Intel(R) Ethernet Controller X550 — HOST2 / SLOT 2" in labels
        assert f"{VNIC} — HOST0 / vEthernet (S)" not in labels  # hardware view: the vNICs have none
    else:  # sets: the most common model of the set
        assert any(x.endswith("× Intel(R) Ethernet Controller X550") for x in labels)
    r = _draw(fig)
    W = fig.get_size_inches()[0] * 90
    assert all(t.get_window_extent(r).x1 <= W for t in ax.texts)  # no label runs off the figure


def test_vnic_rows_come_from_the_virtual_column(fleet):
    f = fleet.frame
    assert np.array_equal(charts.hyperv_vnic_rows(f), f["virtual"].fillna(False).to_numpy(dtype=bool))
