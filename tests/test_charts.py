"""Charts: the numbers drawn equal the numbers in the fleet frame; labels are the C names; unknown is unknown.

Fleets are built with the real frame builder (:func:`ipsecexplore.fleet.fleet_frame`) from hand-made
adapter records; every expectation is computed from that frame with plain pandas (or from the layout and
the constant groups), never from the chart code under test.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ipsecexplore import charts  # noqa: E402
from ipsecexplore.captures.record import AdapterRecord  # noqa: E402
from ipsecexplore.columns import IPSECV2_FLAG_MEMBERS, flag_columns  # noqa: E402
from ipsecexplore.fleet import fleet_frame  # noqa: E402
from ipsecexplore.layouts import layout  # noqa: E402

HOSTILE = "<img src=x onerror=alert(1)>"


def _flag(member: str, short: str) -> int:
    """The bit of the flag whose column ends in ``short`` (looked up, not typed)."""
    return next(f.bit for f in flag_columns(member) if f.column == f"{member}.{short}")


def _hw(**kw) -> dict:
    """Hardware values as PowerShell reports them: 13 members (no Encapsulation, TransportTunnelCombined,
    ExtendedSequenceNumbers: those stay unknown)."""
    base = {f"IPsecV2.{k}": False for k in ("IPv6Supported", "IPv4Options", "IPv6NonIPsecExtensionHeaders", "Ah",
                                           "Esp", "AhEspCombined", "Transport", "Tunnel", "LsoSupported")}
    base.update({f"IPsecV2.{k}": 0 for k in ("UdpEsp", "AuthenticationAlgorithms", "EncryptionAlgorithms",
                                            "SaOffloadCapacity")})
    base.update({f"IPsecV2.{k}": v for k, v in kw.items()})
    return base


def _masked(hw: dict) -> dict:
    """Current view of an adapter whose keyword disables the offload: every capability off."""
    return {k: (False if isinstance(v, bool) else 0) for k, v in hw.items()}


def _records():
    enc, auth, udp = "IPsecV2.EncryptionAlgorithms", "IPsecV2.AuthenticationAlgorithms", "IPsecV2.UdpEsp"
    gcm128 = _flag(enc, "AES_GCM_128")
    gmac128 = _flag(auth, "AES_GCM_128")
    x550 = _hw(IPv6Supported=True, Ah=True, Esp=True, Transport=True, AuthenticationAlgorithms=gmac128,
               EncryptionAlgorithms=gcm128, SaOffloadCapacity=1024)
    full = _hw(IPv6Supported=True, Ah=True, Esp=True, Transport=True, Tunnel=True, AhEspCombined=True,
               LsoSupported=True, UdpEsp=_flag(udp, "TRANSPORT") | _flag(udp, "TUNNEL"),
               AuthenticationAlgorithms=gmac128 | _flag(auth, "SHA_256"),
               EncryptionAlgorithms=gcm128 | _flag(enc, "AES_GCM_256") | _flag(enc, "AES_CBC_128"),
               SaOffloadCapacity=2048)
    raw = dict(full, **{"IPsecV2.Encapsulation": 2, "IPsecV2.TransportTunnelCombined": False,
                        "IPsecV2.ExtendedSequenceNumbers": True})
    out = []

    def add(host, name, hw, cur, kw=None, src="cap.txt", line=1):
        if hw is not None:
            out.append(AdapterRecord(host, name, "NIC", "hardware", src, line, hw, kw or {}))
        if cur is not None:
            out.append(AdapterRecord(host, name, "NIC", "current", src, line, cur, kw or {}))

    add("HOST01", "SLOT 2 Port 1", x550, _masked(x550), {"*IPsecOffloadV2": 0}, line=1)
    add("HOST01", "SLOT 2 Port 2", x550, x550, {"*IPsecOffloadV2": 3}, line=40)
    add("HOST02", "Ethernet 2", full, full, {"*IPsecOffloadV2": 3}, line=1)
    add("HOST02", HOSTILE, full, _masked(full), {"*IPsecOffloadV2": 0}, line=40)
    add("HOST03", "Ethernet 9", full, None, line=1)  # hardware view only
    add("HOST03", "raw#0", raw, None, src="raw.bin", line=None)
    return out


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return fleet_frame(_records())


def _adapters(frame, view):
    return frame[frame["view"] == view]


def _containers(ax, label):
    return [c for c in ax.containers if isinstance(c, BarContainer) and c.get_label() == label]


# --------------------------------------------------------------------------------------------- schema
def test_capabilities_are_the_boolean_members_and_every_flag_in_c_order():
    lay = layout("NDIS_OFFLOAD")
    booleans = [m.path for m in lay.leaves if m.path.startswith("IPsecV2.") and m.ctype == "BOOLEAN"]
    flags = [f for m in IPSECV2_FLAG_MEMBERS for f in flag_columns(m)]
    caps = charts.capabilities()
    assert [c.column for c in caps] == booleans + [f.column for f in flags]
    # labels are C names: the dotted member path for a BOOLEAN, the macro for a flag
    assert [c.label for c in caps] == booleans + [f.macro for f in flags]
    assert all(c.family in charts.FAMILY_COLOURS for c in caps)
    assert len({charts.FAMILY_COLOURS[c.family] for c in caps}) == 1 + len(IPSECV2_FLAG_MEMBERS)


def test_every_capability_column_exists_in_the_fleet_frame(frame):
    assert {c.column for c in charts.capabilities()} <= set(frame.columns)


# ------------------------------------------------------------------------------------ algorithm coverage
def test_algorithm_coverage_bar_lengths_equal_the_frame_counts(frame):
    fig = charts.algorithm_coverage(frame)
    axes = fig.axes
    assert len(axes) == len(charts.COVERAGE_MEMBERS)
    for ax, member in zip(axes, charts.COVERAGE_MEMBERS):
        flags = flag_columns(member)
        assert charts.axis_labels(ax, "y") == [f.macro for f in flags]
        for view in ("hardware", "current"):
            (bars,) = _containers(ax, f"{view} view")
            sub = _adapters(frame, view)
            expected = [int((sub[f.column] == True).sum()) for f in flags]  # noqa: E712 - <NA> is not True
            assert [int(b.get_width()) for b in bars] == expected
            assert all(np.allclose(b.get_facecolor()[:3], to_rgb(charts.FAMILY_COLOURS[member])) for b in bars)
    # the fixture has adapters that support something: a chart of zeros would not test anything
    assert any(b.get_width() > 0 for ax in axes for c in ax.containers for b in c)


def test_algorithm_coverage_counts_no_unknown_mask_as_supported(frame):
    f = frame.copy()
    enc = "IPsecV2.EncryptionAlgorithms"
    hw = (f["view"] == "hardware").to_numpy()
    f.loc[hw, enc] = pd.NA
    for col in [x.column for x in flag_columns(enc)]:
        f.loc[hw, col] = pd.NA
    ax = charts.algorithm_coverage(f).axes[charts.COVERAGE_MEMBERS.index(enc)]
    (bars,) = _containers(ax, "hardware view")
    assert [b.get_width() for b in bars] == [0] * len(flag_columns(enc))
    assert f"{int(hw.sum())} with the mask unknown" in ax.get_title(loc="left")


# ---------------------------------------------------------------------------------------- set intersections
def _set_counts(frame, view) -> list[int]:
    """Distinct capability sets of a view with <NA> as its own value, largest first (plain pandas)."""
    cols = [c.column for c in charts.capabilities()]
    sub = _adapters(frame, view)[cols].astype("object").where(lambda d: d.notna(), "NA").astype(str)
    return sorted(sub.value_counts(dropna=False).tolist(), reverse=True)


@pytest.mark.parametrize("view", ["hardware", "current"])
def test_intersection_bars_are_the_distinct_sets_and_add_up_to_the_adapters(frame, view):
    fig = charts.capability_sets(frame, view=view)
    (bars,) = [c for ax in fig.axes for c in _containers(ax, "adapters")]
    heights = [int(b.get_height()) for b in bars]
    assert heights == _set_counts(frame, view)
    assert sum(heights) == len(_adapters(frame, view))


def test_intersection_sets_beyond_max_sets_are_one_other_bar(frame):
    counts = _set_counts(frame, "hardware")
    assert len(counts) >= 3
    fig = charts.capability_sets(frame, view="hardware", max_sets=2)
    (bars,) = [c for ax in fig.axes for c in _containers(ax, "adapters")]
    heights = [int(b.get_height()) for b in bars]
    assert heights == [counts[0], sum(counts[1:])]
    assert sum(heights) == len(_adapters(frame, "hardware"))


def test_set_size_bars_count_each_capability_and_use_family_colours(frame):
    fig = charts.capability_sets(frame, view="hardware")
    (bars,) = [c for ax in fig.axes for c in _containers(ax, "adapters with capability")]
    caps = charts.capabilities()
    sub = _adapters(frame, "hardware")
    assert [int(b.get_width()) for b in bars] == [int((sub[c.column] == True).sum()) for c in caps]  # noqa: E712
    for b, c in zip(bars, caps):
        assert np.allclose(b.get_facecolor()[:3], to_rgb(charts.FAMILY_COLOURS[c.family]))
    ax = bars.patches[0].axes
    assert charts.axis_labels(ax, "y") == [c.label for c in caps]


# ------------------------------------------------------------------------------------ capability matrix
def _matrix_image(fig):
    ax = fig.axes[0]
    (img,) = ax.get_images()
    return ax, np.asarray(img.get_array())


def test_matrix_rows_are_the_adapters_and_columns_the_c_names(frame):
    fig = charts.capability_matrix(frame)
    ax, img = _matrix_image(fig)
    caps = charts.capabilities()
    assert charts.axis_labels(ax, "x") == [c.label for c in caps]
    rows = charts.axis_labels(ax, "y")
    pairs = frame[["host", "adapter"]].drop_duplicates()
    assert len(rows) == len(pairs) == img.shape[0]
    for host, name in pairs.itertuples(index=False):
        assert sum(r.startswith(f"{host} / {name}") for r in rows) == 1
    # the keyword that switched the offload off is on the adapter's row
    assert any(r.startswith("HOST01 / SLOT 2 Port 1") and "*IPsecOffloadV2=0" in r for r in rows)


def _cell(fig, adapter: str, column: str):
    ax, img = _matrix_image(fig)
    rows = charts.axis_labels(ax, "y")
    r = next(i for i, t in enumerate(rows) if f"/ {adapter}" in t)
    c = [x.column for x in charts.capabilities()].index(column)
    return tuple(np.round(img[r, c][:3], 3))


def test_matrix_shows_unknown_as_unknown_and_switched_off_as_alert(frame):
    fig = charts.capability_matrix(frame)
    grey = tuple(np.round(to_rgb(charts.UNKNOWN_COLOUR), 3))
    false = tuple(np.round(to_rgb(charts.FALSE_COLOUR), 3))
    alert = tuple(np.round(to_rgb(charts.ALERT_COLOUR), 3))
    # PowerShell never reports Encapsulation: unknown, not FALSE
    assert frame.loc[frame["adapter"] == "SLOT 2 Port 2", "IPsecV2.Encapsulation"].isna().all()
    assert _cell(fig, "SLOT 2 Port 2", "IPsecV2.Encapsulation.IEEE_802_3") == grey
    assert _cell(fig, "SLOT 2 Port 2", "IPsecV2.Tunnel") == false
    # supported by the hardware, off in the current view (keyword 0): the alert colour
    assert _cell(fig, "SLOT 2 Port 1", "IPsecV2.Esp") == alert
    enabled = tuple(np.round(to_rgb(charts.FAMILY_COLOURS[charts.BOOLEAN_FAMILY]), 3))
    assert _cell(fig, "SLOT 2 Port 2", "IPsecV2.Esp") == enabled


def test_matrix_side_by_side_has_one_panel_per_view(frame):
    fig = charts.capability_matrix(frame, style="side")
    titles = [ax.get_title() for ax in fig.axes if ax.get_images()]
    assert titles == ["hardware", "current"]


def test_matrix_aggregates_identical_adapters_above_the_threshold(frame):
    fig = charts.capability_matrix(frame, max_rows=3)
    ax, img = _matrix_image(fig)
    rows = charts.axis_labels(ax, "y")
    assert len(rows) == img.shape[0] <= 3
    counts = [int(r.split(" adapters")[0].replace(",", "")) if " adapters, e.g. " in r else 1 for r in rows]
    n = len(frame[["host", "adapter"]].drop_duplicates())
    title = " ".join(fig._suptitle.get_text().split())
    drawn = sum(counts)
    if drawn < n:
        assert f"{n - drawn} adapters in" in title and "not drawn" in title
    assert counts == sorted(counts, reverse=True)


def test_matrix_of_ten_thousand_adapters_is_aggregated_with_counts():
    rng = np.random.default_rng(7)
    recs = _records()
    big = []
    for i in range(10_000):
        r = recs[2 * int(rng.integers(0, 4))]  # a hardware record of one of the first four adapters
        big.append(AdapterRecord(f"H{i % 97}", f"A{i}", None, "hardware", "f", i, r.values, {}))
    f = fleet_frame(big)
    fig = charts.capability_matrix(f)
    ax, img = _matrix_image(fig)
    rows = charts.axis_labels(ax, "y")
    expected = f[[c.column for c in charts.capabilities()]].astype("object").where(
        lambda d: d.notna(), "NA").astype(str).value_counts().tolist()
    assert img.shape[0] == len(rows) == len(expected) <= charts.DEFAULT_MAX_ROWS
    got = [int(r.split(" adapters")[0].replace(",", "")) for r in rows]
    assert got == sorted(expected, reverse=True)
    assert sum(got) == 10_000


# ------------------------------------------------------------------------------------------ hardware gap
def test_gap_bars_equal_supported_but_off_pairs_per_host(frame):
    fig = charts.hardware_gap(frame)
    ax = fig.axes[0]
    hosts = charts.axis_labels(ax, "y")
    totals = np.zeros(len(hosts))
    for c in ax.containers:
        totals += [b.get_width() for b in c]
    cols = [c.column for c in charts.capabilities()]
    hw = _adapters(frame, "hardware").set_index(["host", "adapter"])[cols]
    cur = _adapters(frame, "current").set_index(["host", "adapter"])[cols]
    both = hw.index.intersection(cur.index)
    gap = ((hw.loc[both] == True) & (cur.loc[both] == False)).sum(axis=1)  # noqa: E712
    expected = gap.groupby(level="host").sum()
    for host, total in zip(hosts, totals):
        assert total == expected.get(host, 0), host
    assert set(hosts) == set(frame["host"])
    assert totals.sum() > 0
    # every family bar has its family colour
    for c in ax.containers:
        fam = c.get_label()
        assert all(np.allclose(b.get_facecolor()[:3], to_rgb(charts.FAMILY_COLOURS[fam])) for b in c)


# ------------------------------------------------------------------------------------------ similarity
def test_jaccard_distance_over_the_capabilities_known_for_both():
    value = np.array([[1, 1, 0, 0], [1, 0, 1, 0], [1, 1, 0, 0]], dtype=bool)
    known = np.array([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 0]], dtype=bool)
    d = charts.jaccard_distance(value, known)
    # rows 0 and 1: {0,1} vs {0,2} -> 1 - 1/3
    assert d[0, 1] == pytest.approx(2 / 3)
    # row 2 does not know capability 3; on the first three it equals row 0 -> 0
    assert d[0, 2] == 0
    # an unknown is never read as FALSE: row 1 has cap 2, row 2 knows it is FALSE -> counted
    assert d[1, 2] == pytest.approx(2 / 3)
    assert np.allclose(d, d.T)
    # a row that knows nothing cannot be compared: NaN, not 0 (which would read "same set")
    value4 = np.vstack([value, np.zeros(4, dtype=bool)])
    known4 = np.vstack([known, np.zeros(4, dtype=bool)])
    d4 = charts.jaccard_distance(value4, known4)
    assert np.isnan(d4[3, :3]).all() and d4[3, 3] == 0


def test_similarity_heatmap_rows_are_the_adapters(frame):
    fig = charts.adapter_similarity(frame, view="hardware")
    ax = next(a for a in fig.axes if a.get_images())
    rows = charts.axis_labels(ax, "y")
    assert len(rows) == len(_adapters(frame, "hardware"))
    assert HOSTILE in " ".join(rows)  # drawn as text; escaping is the output format's job (see SVG test)


# ---------------------------------------------------------------------------------------------- SA capacity
def test_sa_capacity_bars_equal_value_counts_per_view(frame):
    f = frame.copy()
    f.loc[f.index[0], charts.SA_CAPACITY] = pd.NA
    fig = charts.sa_capacity(f)
    ax = fig.axes[0]
    ticks = charts.axis_labels(ax, "x")
    for view in ("hardware", "current"):
        (bars,) = _containers(ax, f"{view} view")
        s = _adapters(f, view)[charts.SA_CAPACITY]
        counts = s.dropna().astype(int).value_counts()
        expected = {f"{int(v):,}": int(n) for v, n in counts.items()}
        got = dict(zip(ticks, [int(b.get_height()) for b in bars]))
        assert got.pop("unknown") == int(s.isna().sum())
        assert {k: v for k, v in got.items() if v} == expected
    assert ticks[-1] == "unknown"


def test_sa_capacity_many_values_are_binned_by_powers_of_two():
    recs = [AdapterRecord("H", f"A{i}", None, "hardware", "f", i, _hw(SaOffloadCapacity=100 + i), {})
            for i in range(60)]
    fig = charts.sa_capacity(fleet_frame(recs), max_values=10)
    ax = fig.axes[0]
    (bars,) = _containers(ax, "hardware view")
    ticks = charts.axis_labels(ax, "x")
    # 100..159: 64..127 holds 100..127 (28 values), 128..255 holds 128..159 (32 values)
    assert dict(zip(ticks, [int(b.get_height()) for b in bars])) == {"64–127": 28, "128–255": 32}


# ------------------------------------------------------------------------------------------------- all
def test_all_charts_are_figures_without_pyplot(frame):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    figs = charts.all_charts(frame)
    assert list(figs) == list(charts.CHARTS)
    assert all(isinstance(f, Figure) for f in figs.values())
    assert plt.get_fignums() == before  # nothing registered with pyplot, nothing to show or leak


def test_empty_fleet_gives_a_figure_per_chart(frame):
    for name, fig in charts.all_charts(frame.iloc[0:0]).items():
        assert isinstance(fig, Figure), name
        assert charts.to_png(fig).startswith(b"\x89PNG")


def test_svg_output_escapes_a_hostile_adapter_name(frame):
    svg = charts.to_svg(charts.capability_matrix(frame))
    assert HOSTILE not in svg
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg
    assert "<script" not in svg and "onerror=" not in svg.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_similarity_aggregates_identical_sets_above_the_threshold(frame):
    fig = charts.adapter_similarity(frame, view="hardware", max_rows=2)
    ax = next(a for a in fig.axes if a.get_images())
    rows = charts.axis_labels(ax, "y")
    counts = sorted((int(r.split(" × ")[0]) for r in rows), reverse=True)
    assert counts == _set_counts(frame, "hardware")[:2]
    n = len(_adapters(frame, "hardware"))
    if sum(counts) < n:
        left = n - sum(counts)
        noun = "adapter" if left == 1 else "adapters"
        assert f"{left} {noun} in smaller sets not drawn" in " ".join(fig._suptitle.get_text().split())


# ------------------------------------------------------------------------------------- sample data label
ILLUSTRATIVE = "illustrative: every value guessed (adapters.md B2 liquidio)"
PARTLY = "sourced: SaOffloadCapacity=A2.1 (adapters.md Part A); illustrative: every other value"
SOURCED = "sourced: no IPsec offload (A2.2, DS)"


def _with_provenance(provenances, source="sample/illustrative-guessed.txt") -> pd.DataFrame:
    """The fixture fleet with the given provenance texts assigned to its records in turn (and a file name
    that says 'illustrative', which must not matter)."""
    recs = [r._replace(provenance=provenances[i % len(provenances)], source_file=source)
            for i, r in enumerate(_records())]
    return fleet_frame(recs)


def _texts(fig) -> list[str]:
    """Every text a reader can see in the figure: figure and axes texts, titles, legend entries."""
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
        out += [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
        if ax.get_legend() is not None:
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    for leg in fig.legends:
        out += [t.get_text() for t in leg.get_texts()]
    return out


def _expected_counts(f: pd.DataFrame) -> tuple[int, int]:
    """(rows whose provenance starts with 'illustrative', rows that name illustrative values in a later
    clause), with plain pandas."""
    p = f["provenance"].astype(str).str.strip().str.lower()
    whole = p.str.startswith("illustrative")
    part = ~whole & p.str.contains(r"[;\[(]\s*illustrative", regex=True)
    return int(whole.sum()), int(part.sum())


@pytest.mark.parametrize("mix", [[ILLUSTRATIVE, SOURCED], [PARTLY, "captured"], [ILLUSTRATIVE, PARTLY, SOURCED]])
def test_every_chart_labels_sample_data_with_the_counts_of_the_provenance_column(mix):
    f = _with_provenance(mix)
    whole, part = _expected_counts(f)
    assert whole + part > 0
    for name, fig in charts.all_charts(f).items():
        labels = [t for t in _texts(fig) if t.startswith("sample data (partly guessed)")]
        assert len(labels) == 1, name
        text = " ".join(labels[0].split())
        if whole:
            assert f"{whole} of {len(f)} rows illustrative" in text, (name, text)
            assert (f"{part} more in part" in text) == bool(part), (name, text)
        else:
            assert f"{part} of {len(f)} rows illustrative in part" in text, (name, text)
        assert charts.sample_label(fig) == labels[0]


@pytest.mark.parametrize("mix", [["captured"], [SOURCED, "captured"]])
def test_no_chart_is_labelled_sample_for_a_sourced_fleet_whatever_its_file_names(mix):
    f = _with_provenance(mix)
    assert _expected_counts(f) == (0, 0)
    for name, fig in charts.all_charts(f).items():
        assert not any("sample data" in t or "illustrative" in t for t in _texts(fig)), name
        assert charts.sample_label(fig) == ""


def test_sample_label_is_visible_above_the_chart():
    f = _with_provenance([ILLUSTRATIVE, SOURCED])
    for name, fig in charts.all_charts(f).items():
        png = charts.to_png(fig)  # draws: extents are known afterwards
        assert png.startswith(b"\x89PNG")
        r = fig.canvas.get_renderer()
        (label,) = [t for t in fig.texts if t.get_text() == charts.sample_label(fig)]
        box = label.get_window_extent(r)
        fb = fig.bbox
        assert fb.x0 <= box.x0 and box.x1 <= fb.x1 and fb.y0 <= box.y0 and box.y1 <= fb.y1, name
        assert label.get_visible() and label.get_fontsize() >= 7
        # nothing drawn over it: every axes and the title lie below the label
        assert all(ax.get_window_extent(r).y1 <= box.y0 for ax in fig.axes), name
        if fig._suptitle is not None:
            assert fig._suptitle.get_window_extent(r).y1 <= box.y0, name


def test_sample_label_in_the_svg_as_text():
    f = _with_provenance([ILLUSTRATIVE])
    fig = charts.sa_capacity(f)
    svg = charts.to_svg(fig)
    assert "sample data (partly guessed)" in svg
    assert f"{len(f)} of {len(f)} rows illustrative" in svg


def test_empty_chart_of_a_sample_fleet_is_labelled_too():
    f = _with_provenance([ILLUSTRATIVE])
    f = f[f["view"] == "hardware"]  # no current view: hardware_gap has nothing to draw
    fig = charts.hardware_gap(f)
    assert charts.sample_label(fig).startswith("sample data (partly guessed)")


# ---------------------------------------------------------------------------------------- Hyper-V vNICs
def _vnic_frame(description="Hyper-V Virtual Ethernet Adapter", name="vEthernet (vSwitch0)"):
    recs = _records()
    budget = _hw(IPv6Supported=True, Ah=True, Esp=True, Transport=True, Tunnel=True, SaOffloadCapacity=512)
    recs += [AdapterRecord("HOST04", name, description, v, "vm.txt", 1, budget, {}) for v in ("hardware", "current")]
    return fleet_frame(recs)


@pytest.mark.parametrize("description,name", [("Hyper-V Virtual Ethernet Adapter #2", "vEthernet (vSwitch0)"),
                                              ("Microsoft Hyper-V Network Adapter", "Ethernet 5"),
                                              (None, "vEthernet (External)")])
def test_sa_capacity_says_vnic_values_are_per_vnic_budgets(description, name):
    f = _vnic_frame(description, name)
    vnic = f["adapter"] == name
    fig = charts.sa_capacity(f)
    title = " ".join(fig._suptitle.get_text().split())
    assert f"{int(vnic.sum())} rows are Hyper-V vNICs" in title
    assert "per-vNIC SA budget" in title and "not a hardware figure" in title
    ax = fig.axes[0]
    ticks = charts.axis_labels(ax, "x")
    overlays = [c for c in ax.containers if isinstance(c, BarContainer) and not c.get_label().endswith(" view")]
    assert len(overlays) == 2  # one per view with vNIC rows
    for view, bars in zip(("hardware", "current"), overlays):
        s = f.loc[vnic & (f["view"] == view), charts.SA_CAPACITY].dropna().astype(int).value_counts()
        got = {t: int(b.get_height()) for t, b in zip(ticks, bars) if b.get_height()}
        assert got == {f"{int(v):,}": int(n) for v, n in s.items()}
    assert any("Hyper-V vNIC" in t for t in _texts(fig))  # legend entry of the hatched overlay


def test_sa_capacity_has_no_vnic_note_without_vnics(frame):
    assert not charts.hyperv_vnic_rows(frame).any()
    fig = charts.sa_capacity(frame)
    assert not any("vNIC" in t for t in _texts(fig))


# -------------------------------------------------------------------------------------------- SVG output
def test_svg_is_offline_and_holds_no_url_but_the_svg_namespace(frame):
    import re
    import xml.etree.ElementTree as ET

    for name, fig in charts.all_charts(_with_provenance([ILLUSTRATIVE, SOURCED])).items():
        svg = charts.to_svg(fig)
        root = ET.fromstring(svg.encode("utf-8"))  # well-formed XML
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        assert set(re.findall(r"https?://[^\s\"'<>]*", svg)) == {charts.SVG_NAMESPACE}, name
        low = svg.lower()
        assert "<script" not in low and "@import" not in low and "@font-face" not in low, name
        assert "xlink" not in low and "<!doctype" not in low and "<metadata" not in low, name
        # every reference stays inside the image
        for el in root.iter():
            for attr, value in el.attrib.items():
                if attr.endswith("href") or attr == "src":
                    assert value.startswith("#") or value.startswith("data:image/png;base64,"), (name, value)
        for ref in re.findall(r"url\(([^)]*)\)", svg):
            assert ref.startswith("#"), (name, ref)


def test_svg_keeps_capture_text_that_looks_like_markup():
    # to_svg rewrites xlink:href attributes of tags; a capture string that looks like one stays as written
    recs = [AdapterRecord("H", 'x xlink:href="#y" <a>', None, "hardware", "f", 1, _hw(Ah=True), {})]
    svg = charts.to_svg(charts.capability_matrix(fleet_frame(recs)))
    assert 'x xlink:href="#y" &lt;a&gt;' in svg


def test_svg_is_drawn_by_matplotlibs_own_canvas():
    """No copy of a matplotlib method to keep in step with upstream: the SVG comes from FigureCanvasSVG itself."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    recs = [AdapterRecord("H", "A", None, "hardware", "f", 1, _hw(Ah=True), {})]
    fig = charts.capability_matrix(fleet_frame(recs))
    svg = charts.to_svg(fig)
    assert type(fig.canvas) is FigureCanvasSVG and svg.startswith("<?xml") and "<svg " in svg


def test_unique_rows_equals_numpy_unique():
    rng = np.random.default_rng(3)
    for shape in [(500, 35), (1, 35), (40, 1), (7, 3)]:
        codes = rng.integers(0, 3, size=shape).astype(np.uint8)
        codes[::4] = codes[0]
        got = charts.unique_rows(codes)
        want = np.unique(codes, axis=0, return_index=True, return_counts=True)
        for g, w in zip(got, want):
            assert np.array_equal(g, w)


def test_text_extents_match_freetype_layout_and_widths_cover_the_png_rendering():
    """The charts' one measurer (a per-glyph table) gives FreeType's unhinted layout; the widths the charts lay
    out with cover matplotlib's Agg rendering at the PNG's 90 dpi (hinted, wider); wrapped title lines fit."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    from ipsecexplore.charts import measure

    exact = TextToPath()
    for text in ["HOST01 / SLOT 2 Port 1  [*IPsecOffloadV2=0]", "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128",
                 "12 × Intel(R) Ethernet Controller X550", "IPsecV2.TransportTunnelCombined"]:
        for size in (6.5, 7, 7.5, 9):
            fp = FontProperties(size=size)
            w, h, d = measure.text_extent(text, fp)
            ew, eh, ed = exact.get_text_width_height_descent(text, fp, False)
            assert w == pytest.approx(ew, rel=0.02) and h == pytest.approx(eh, abs=0.05), text
            agg, _, _ = RendererAgg(1, 1, 90).get_text_width_height_descent(text, fp, False)
            assert measure.text_width(text, size) >= agg / 90, (text, size)
    title = " ".join(["IPsecV2.EncryptionAlgorithms switched off on 1,234 adapters"] * 6)
    lines = measure.wrap(title, 4.0, 9).split("\n")
    assert len(lines) > 1 and " ".join(lines) == title
    assert all(measure.text_width(line, 9) <= 4.0 * 1.1 for line in lines)


def test_every_chart_of_ten_thousand_adapters_aggregates():
    """Above the thresholds each chart draws a bounded number of rows (what keeps 10,000 adapters as quick
    and readable as the sample): the limits are the charts' own defaults."""
    import inspect

    rng = np.random.default_rng(11)
    base = [r.values for r in _records() if r.view == "hardware"]
    booleans = [c.column for c in charts.capabilities() if c.bit is None and c.column in base[0]]
    recs = []
    for i in range(10_000):
        hw = dict(base[int(rng.integers(0, len(base)))])
        for m in booleans:
            if rng.random() < 0.3:
                hw[m] = not hw[m]
        cur = _masked(hw) if rng.random() < 0.3 else hw
        recs += [AdapterRecord(f"H{i // 8}", f"A{i % 8}", None, v, "f", i, vals, {})
                 for v, vals in (("hardware", hw), ("current", cur))]
    f = fleet_frame(recs)
    sets = len(_set_counts(f, "hardware"))
    assert sets > charts.DEFAULT_MAX_ROWS and f["host"].nunique() > 30  # above every threshold

    def default(fn, name):
        return inspect.signature(fn).parameters[name].default

    figs = charts.all_charts(f)
    ax, img = _matrix_image(figs["capability_matrix"])
    assert len(charts.axis_labels(ax, "y")) == img.shape[0] == charts.DEFAULT_MAX_ROWS
    (bars,) = [c for ax in figs["capability_sets"].axes for c in _containers(ax, "adapters")]
    assert len(bars) == default(charts.capability_sets, "max_sets")
    assert sum(int(b.get_height()) for b in bars) == 10_000
    assert len(charts.axis_labels(figs["hardware_gap"].axes[0], "y")) == default(charts.hardware_gap, "max_hosts")
    sim = next(a for a in figs["adapter_similarity"].axes if a.get_images())
    assert len(charts.axis_labels(sim, "y")) == charts.SIMILARITY_MAX_ROWS
    for ax in figs["sa_capacity"].axes:
        assert all(len(c) <= default(charts.sa_capacity, "max_values") + 1 for c in ax.containers)
    for ax, member in zip(figs["algorithm_coverage"].axes, charts.COVERAGE_MEMBERS):
        assert all(len(c) == len(flag_columns(member)) for c in ax.containers)
