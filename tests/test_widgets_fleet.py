"""FleetWidget without a browser: loading, filters, charts, frame, comparison, builder hand-over, errors.

Expected rows are computed with pandas from an independent ``load_fleet`` of the same captures."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")
fleet_mod = pytest.importorskip("ipsecexplore.fleet")
pytest.importorskip("ipsecexplore.charts")

import ipsecexplore as ix  # noqa: E402
from ipsecexplore.diff import diff  # noqa: E402
from ipsecexplore.widgets import BuilderWidget, FleetWidget  # noqa: E402
from ipsecexplore.widgets.fleet import vendor_of  # noqa: E402
from ipsecexplore.widgets.presets import default_data_paths  # noqa: E402


@pytest.fixture(scope="module")
def sample():
    paths = default_data_paths()
    if not paths:
        pytest.skip("data/sample is not present")
    return paths, fleet_mod.load_fleet(paths, progress=False)


@pytest.fixture(scope="module")
def fw(sample):
    return FleetWidget(sample[0])


def test_loads_sample_by_default(fw, sample):
    _, fleet = sample
    assert fw.error.value == ""
    assert len(fw.fleet.frame) == len(fleet.frame) and len(fw.filtered) == len(fleet.frame)
    assert fleet.summary() in fw.status.value.replace("&#x27;", "'")
    assert {v for _, v in fw.host.options} == set(fleet.frame["host"].dropna())


def test_filters(fw, sample):
    _, fleet = sample
    f = fleet.frame
    fw.views.selected_index = 1  # the frame tab: each filter change redraws only what is shown
    hosts = tuple(sorted(set(f["host"].dropna())))[:2]
    fw.host.value = hosts
    assert len(fw.filtered) == int(f["host"].isin(hosts).sum())
    fw.view.value = "hardware"
    assert len(fw.filtered) == int((f["host"].isin(hosts) & (f["view"] == "hardware")).sum())
    fw.capability.value = ("IPsecV2.Esp",)
    expect = f["host"].isin(hosts) & (f["view"] == "hardware") & f["IPsecV2.Esp"].fillna(False)
    assert len(fw.filtered) == int(expect.sum())
    fw.host.value = ()
    fw.view.value = "all"
    fw.capability.value = ()
    vendor = [v for _, v in fw.vendor.options if v not in ("(any)", "(unknown)")][0]
    fw.vendor.value = vendor
    assert len(fw.filtered) == sum(vendor_of(d if isinstance(d, str) else None) == vendor
                                   for d in f["description"])
    fw.vendor.value = "(any)"
    assert len(fw.filtered) == len(f)


def test_vendor_of():
    assert vendor_of("Intel(R) Ethernet Controller X550 #2") == "Intel"
    assert vendor_of(None) == "(unknown)" and vendor_of("   ") == "(unknown)"


def test_chart_follows_choice_and_filters(fw):
    fw.views.selected_index = 0
    for name in fw.chart.options:
        fw.chart.value = name
        assert f'data-chart="{name}"' in fw.chart_view.value and "<svg" in fw.chart_view.value, name
        assert "<?xml" not in fw.chart_view.value
        assert "ipsecexplore-error" not in fw.chart_note.value
    before = fw.chart_view.value
    fw.host.value = (fw.host.options[0][1],)
    assert fw.chart_view.value != before  # redrawn for the filtered rows
    fw.host.value = ()


def test_frame_view_lists_filtered_rows(fw):
    fw.views.selected_index = 1
    fw.host.value = (fw.host.options[0][1],)
    assert f"{len(fw.filtered)} rows" in fw.frame_view.value
    assert fw.frame_view.value.count("<tr") == len(fw.filtered) + 1  # header row + one per adapter view
    fw.host.value = ()


def test_compare_selected_adapters(fw, sample):
    _, fleet = sample
    fw.views.selected_index = 2
    opts = fw.select.options
    hw = [o for o in opts if o.endswith("— hardware")][0]
    cur = hw.replace("— hardware", "— current")
    assert cur in opts
    fw.select.value = (hw, cur)
    f = fleet.frame
    rows = [f.iloc[fw._label_row[x]] for x in (hw, cur)]
    expected = diff(*rows, labels=[hw, cur])
    assert fw.diff_view.value.endswith(expected._repr_html_())
    for r in expected.rows:
        assert f"<code>{r.path}</code>" in fw.diff_view.value
    fw.select.value = ()


def test_open_in_builder(sample):
    b = BuilderWidget(load_fleet_presets=False)
    fw = FleetWidget(fleet=sample[1], builder=b)
    fw.views.selected_index = 2
    raw = [o for o in fw.select.options if fw._labels[o].values.get("Header.Revision")]
    label = raw[0] if raw else fw.select.options[0]
    fw.select.value = (label,)
    assert fw.open_in_builder()
    vals = fw._labels[label].values
    for path, v in vals.items():
        if path.startswith("IPsecV2."):
            assert b.offload.to_dict()[path] == v
    assert "provenance" in b.notes.value


def test_bad_path_shown_in_place(tmp_path):
    fw = FleetWidget([str(tmp_path / "nope")])
    assert "ipsecexplore-error" in fw.error.value and "nope" in fw.error.value
    fw.paths.value = ""
    assert not fw.load() and "no captures" in fw.error.value


def test_uploaded_files_are_imported(tmp_path):
    off = ix.NdisOffload.new(revision=3)
    off.IPsecV2.Esp = True
    data = ix.encode(off)
    fw = FleetWidget([], load=False)
    fw.upload.value = ({"name": "HOSTX.adapter.bin", "type": "", "size": len(data), "content": memoryview(data),
                        "last_modified": __import__("datetime").datetime(2024, 1, 1)},)
    assert fw.load(), fw.error.value
    assert len(fw.fleet.frame) == 1 and bool(fw.fleet.frame["IPsecV2.Esp"].iloc[0]) is True
    fw.close()


def test_long_import_shows_progress_bar(sample, monkeypatch):
    import tqdm.auto

    made = []
    real = tqdm.auto.tqdm

    def spy(*a, **k):
        made.append(k.get("desc"))
        return real(*a, **k)

    monkeypatch.setattr(tqdm.auto, "tqdm", spy)
    fw = FleetWidget(sample[0], load=False)
    assert fw.load()
    files = sum(1 for _ in __import__("pathlib").Path(sample[0][0]).rglob("*") if _.is_file())
    from ipsecexplore.captures import PROGRESS_MIN_FILES

    assert (len(made) == 1) == (files >= PROGRESS_MIN_FILES)


def test_filter_lists_show_control_characters_visibly(tmp_path):
    from ipsecexplore.captures import synth
    from ipsecexplore.fleet import load_fleet

    host = "HOST\x1b[31m\u202eEVIL"
    obj = synth.ipsec_object(name="Ethernet 1", description="Evil\x00Corp NIC", host=host,
                             instance_id="{00000000-0000-4000-8000-000000000001}",
                             hardware={}, current={}, enabled=True)
    (tmp_path / "cap.txt").write_bytes(synth.encode_windows(synth.format_list([obj]), "utf-16-le"))
    w = FleetWidget(fleet=load_fleet([tmp_path], progress=False))
    ((label, value),) = w.host.options
    assert value == host and "\x1b" not in label and "\u202e" not in label and "EVIL" in label
    assert all("\x00" not in lab for lab, _ in w.vendor.options)
    w.host.value = (host,)
    assert len(w.filtered) == len(w.fleet.frame)
