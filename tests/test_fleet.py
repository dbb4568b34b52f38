"""ipsecexplore.fleet: the tidy fleet frame, rejected/duplicates/skipped frames, HTML summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from captures_support import CUR, HW, REPO, M, drop, ipsec_obj, replace

from ipsecexplore import constants
from ipsecexplore.captures import synth
from ipsecexplore.errors import InputError
from ipsecexplore.fleet import Fleet, load_fleet
from ipsecexplore.layouts import layout
from ipsecexplore.model import encode

LAY = layout("NDIS_OFFLOAD")
IPSEC = [m for m in LAY.leaves if m.path.startswith(M)]


def _flags():
    """Flag columns worked out here from the layout domains and the constant classes."""
    out = []
    for m in IPSEC:
        if m.ctype == "BOOLEAN" or not m.domain:
            continue
        for c in getattr(constants, m.domain):
            if int(c) and int(c) & (int(c) - 1) == 0:
                out.append((f"{m.path}.{c.short}", m.path, int(c)))
    return out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    d = tmp_path_factory.mktemp("fleet")
    (d / "h1.txt").write_bytes(synth.encode_windows(synth.format_list(
        [ipsec_obj("A"), drop(ipsec_obj("B"), "UdpEspSupported", "TunnelEnabled")]), "utf-16-le"))
    (d / "h1.adv.json").write_text(synth.to_json([synth.advprop_object(
        name="A", description="d", host="HOST01", instance_id="{1}", keyword="*IPsecOffloadV2", value=2,
        display_name="IPsec Offload", labels=dict(constants.INF_KEYWORDS["*IPsecOffloadV2"].values), default=3)]))
    (d / "raw.bin").write_bytes(encode({**HW, M + "Encapsulation": 2, M + "ExtendedSequenceNumbers": True,
                                        "Flags": 2}, revision=8))
    (d / "raw.bin.json").write_text('{"source": "oid_hardware_capabilities", "adapter": "R", "host": "HOST03"}')
    return load_fleet([d], progress=False)


def test_columns_in_documented_order_with_nullable_dtypes(mixed):
    f = mixed.frame
    cols = list(f.columns)
    assert cols[:6] == ["host", "adapter", "description", "source", "view", "provenance"]
    members = [m.path for m in IPSEC]
    assert cols[6:6 + len(members)] == members
    flags = [c for c, _, _ in _flags()]
    assert cols[6 + len(members):6 + len(members) + len(flags)] == flags
    assert "keyword.*IPsecOffloadV2" in cols
    for m in IPSEC:
        assert str(f[m.path].dtype) == ("boolean" if m.ctype == "BOOLEAN" else "Int64"), m.path
    for c in flags:
        assert str(f[c].dtype) == "boolean"


def test_flag_columns_are_the_bits_of_their_mask_and_na_with_it(mixed):
    f = mixed.frame
    for col, path, bit in _flags():
        mask = f[path]
        assert (f[col].isna() == mask.isna()).all(), col
        known = mask.notna().to_numpy()
        want = (mask[known].astype("int64").to_numpy() & bit) != 0
        assert np.array_equal(f.loc[known, col].astype(bool).to_numpy(), want), col


def test_missing_members_are_na_never_false(mixed):
    f = mixed.frame.set_index(["host", "adapter", "view"])
    ps = f.loc[("HOST01", "A", "hardware")]
    for never in ("Encapsulation", "TransportTunnelCombined", "ExtendedSequenceNumbers"):
        assert pd.isna(ps[M + never])
    assert pd.isna(ps["Flags"]) and pd.isna(ps["Header.Revision"])
    b = f.loc[("HOST01", "B", "hardware")]
    assert pd.isna(b[M + "UdpEsp"]) and pd.isna(b[M + "UdpEsp.TRANSPORT"])
    assert pd.isna(f.loc[("HOST01", "B", "current")][M + "Tunnel"])
    assert f.loc[("HOST01", "B", "current")][M + "Esp"] == CUR[M + "Esp"]
    raw = f.loc[("HOST03", "R", "hardware")]
    assert raw[M + "ExtendedSequenceNumbers"] is True or raw[M + "ExtendedSequenceNumbers"] == True  # noqa: E712
    assert raw["Header.Revision"] == 8 and raw["Flags"] == 2 and raw[M + "Encapsulation.IEEE_802_3"]


def test_keywords_joined_and_na_elsewhere(mixed):
    f = mixed.frame.set_index(["host", "adapter", "view"])
    assert f.loc[("HOST01", "A", "hardware")]["keyword.*IPsecOffloadV2"] == 2
    assert pd.isna(f.loc[("HOST01", "B", "hardware")]["keyword.*IPsecOffloadV2"])


def test_source_column_points_at_file_and_line(mixed):
    f = mixed.frame
    src = f.loc[(f["adapter"] == "B") & (f["view"] == "hardware"), "source"].iloc[0]
    path, line = src.rsplit(":", 1)
    text = open(path, encoding="utf-16").read().split("\n")
    assert text[int(line) - 1].strip().startswith("ifAlias")
    assert f.loc[f["adapter"] == "R", "source"].iloc[0].endswith("raw.bin@0x0")


def test_duplicates_and_rejected_frames(tmp_path):
    (tmp_path / "a.txt").write_text(synth.format_list([ipsec_obj("E1"), ipsec_obj("E2")]))
    (tmp_path / "b.json").write_text(synth.to_json([ipsec_obj("e1", host="host01")]))
    (tmp_path / "c.txt").write_text(synth.format_list([replace(ipsec_obj("E3"), "AhSupported", "?")]))
    fleet = load_fleet([tmp_path], progress=False)
    dup = fleet.duplicates
    assert len(dup) == 4  # E1 twice (hosts and names compare case-insensitively), in both views
    assert set(dup["adapter"].str.casefold()) == {"e1"}
    assert len(fleet.frame) == 6  # duplicates are reported, not dropped
    rej = fleet.rejected
    assert list(rej.columns) == ["file", "line", "offset", "reason"]
    assert rej["file"].iloc[0].endswith("c.txt") and rej["line"].iloc[0] == 2
    assert fleet.adapters == 2 and fleet.hosts == 1
    assert "1 rejected" in fleet.summary() and "4 duplicate rows" in fleet.summary()
    a, b = str(tmp_path / "a.txt"), str(tmp_path / "b.json")
    assert fleet.duplicate_groups() == [("HOST01", "E1", "current", [f"{a}:2", f"{b}:2"]),
                                        ("HOST01", "E1", "hardware", [f"{a}:2", f"{b}:2"])]


def test_no_duplicate_groups_without_duplicates(tmp_path):
    (tmp_path / "a.txt").write_text(synth.format_list([ipsec_obj("E1"), ipsec_obj("E2")]))
    assert load_fleet([tmp_path], progress=False).duplicate_groups() == []


def test_summary_counts_refused_files_among_the_rejected(tmp_path):
    (tmp_path / "a.txt").write_text(synth.format_list([ipsec_obj("E1")]))
    (tmp_path / "b.txt").write_text(synth.format_list([ipsec_obj(f"B{i}") for i in range(3)]))
    (tmp_path / "c.txt").write_text(synth.format_list([replace(ipsec_obj("E3"), "AhSupported", "?")]))
    (tmp_path / "d.zip").write_bytes(b"PK\x03\x04 not a zip")
    limit = (tmp_path / "b.txt").stat().st_size - 1
    fleet = load_fleet([tmp_path], size_limit=limit, progress=False)
    assert "3 rejected (1 file over the size limit, 1 file unreadable)" in fleet.summary()
    assert fleet.rejected["line"].isna().sum() == 2 and len(fleet.frame) == 2
    assert fleet.result.loaded + len(fleet.result.rejected) == fleet.result.records_seen


def test_html_summary_escapes_every_captured_string(tmp_path):
    evil = "<script>alert(1)</script>"
    (tmp_path / "x.txt").write_text(synth.format_list([ipsec_obj(evil, host="<i>h</i>"),
                                                       replace(ipsec_obj("B"), "EspSupported", evil)]))
    (tmp_path / "<i>.md").write_text("not a capture")
    html = load_fleet([tmp_path], progress=False)._repr_html_()
    assert "<script>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;h&lt;/i&gt; (1)" in html


def test_empty_fleet_has_all_columns():
    from ipsecexplore.captures import ImportResult

    fleet = Fleet.from_result(ImportResult())
    assert fleet.frame.empty and "IPsecV2.Esp" in fleet.frame.columns and fleet.adapters == 0
    assert "0 adapters" in fleet.summary()


def test_load_fleet_errors_are_typed(tmp_path):
    with pytest.raises(InputError):
        load_fleet([tmp_path / "missing"])
    big = tmp_path / "big.txt"
    big.write_text(synth.format_list([ipsec_obj()]))
    with pytest.raises(InputError, match="size limit"):
        load_fleet([big], size_limit=10)


def test_sample_fleet_frame_shape():
    fleet = load_fleet([REPO / "data" / "sample"], progress=False)
    f = fleet.frame
    assert 60 <= fleet.adapters <= 200 and fleet.hosts >= 5
    assert set(f["view"]) == {"hardware", "current", "unknown"}
    assert f["provenance"].str.match(r"^(sourced|illustrative):").all()
    ps = f[f["format"].str.match(r"^(format-list|json|csv|getnetview)")]
    assert ps["IPsecV2.Encapsulation"].isna().all()  # PowerShell never carries it
    assert ps["IPsecV2.Esp"].notna().all()
