"""crossos: the correspondence and driver tables (tests/spec/capture-formats.md §8.3, §8.4) drive explain and
linux_can_offload; the Windows-terms view marks every derived value."""

from __future__ import annotations

import re

import pytest
from helpers import spec_path

from ipsecexplore.crossos import CORRESPONDENCE, FEATURES, driver_row, linux_can_offload, windows_terms
from ipsecexplore.explain import explain


def spec_section(n: str) -> str:
    text = spec_path("capture-formats.md").read_text(encoding="utf-8")
    return text.split(f"### {n}", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]


def spec_table(n: str) -> list[list[str]]:
    return [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in spec_section(n).split("\n")
            if ln.startswith("|") and not ln.startswith("|---")][1:]


def test_feature_bits_are_the_spec_table():
    want = [(r[0].strip("`"), r[1].strip("`")) for r in spec_table("8.1")]
    assert [(f.name, f.kernel_flag) for f in FEATURES] == want


def test_every_spec_driver_has_a_row_with_its_modes_and_types():
    for row in spec_table("8.3"):
        name = re.match(r"`(\w+)`", row[0]).group(1)
        d = driver_row(name)
        assert d is not None, name
        for mode in ("transport", "tunnel"):
            if d.modes:
                assert (mode in d.modes) == (mode in row[2]), (name, mode)
        if "packet" in row[6]:
            assert "packet" in d.offload_types
        assert d.source.startswith("https://git.kernel.org/")


def test_every_spec_correspondence_row_is_in_the_table():
    ndis = " ".join(c.ndis for c in CORRESPONDENCE)
    for row in spec_table("8.4"):
        for name in re.findall(r"`(\w+)`", row[0]):
            assert name in ndis, name
    assert {c.basis for c in CORRESPONDENCE} <= {"documented", "inferred", "none"}


def test_explain_linux_feature_like_a_member():
    text = explain("esp-hw-offload")
    assert "NETIF_F_HW_ESP" in text and "IPsecV2.Esp" in text and "inferred" in text
    assert explain("ethtool.esp-hw-offload") == text
    assert "no NDIS_IPSEC_OFFLOAD_V2 member" in explain("esp-tx-csum-hw-offload")
    assert "transport" in explain("ixgbe") and "1024" in explain("ixgbe")
    assert explain("mlx5_core").startswith("mlx5")


ROW = {"view": "hardware", "driver": "ixgbe", "ethtool.esp-hw-offload": True, "ethtool.esp-hw-offload.fixed": False}
GCM128 = {"algorithm": "rfc4106(gcm(aes))", "key_bits": 128, "icv_bits": 128, "mode": "transport"}


def test_ixgbe_accepts_gcm128_transport_from_the_driver_table():
    ok, why, rests = linux_can_offload(ROW, GCM128)
    assert ok is True and rests and any("driver table" in w for w in why)


@pytest.mark.parametrize("change, part", [({"mode": "tunnel"}, "transport"), ({"key_bits": 256}, "128"),
                                          ({"esn": True}, "ESN"), ({"natt": True}, "NAT-T"),
                                          ({"offload": "packet"}, "packet"),
                                          ({"algorithm": "cbc(aes)"}, "rfc4106")])
def test_ixgbe_refusals_per_spec(change, part):
    ok, why, rests = linux_can_offload(ROW, {**GCM128, **change})
    assert ok is False and rests and any(part in w for w in why)


def test_fixed_off_feature_refuses_without_the_driver_table():
    row = {**ROW, "ethtool.esp-hw-offload": False, "ethtool.esp-hw-offload.fixed": True}
    ok, why, rests = linux_can_offload(row, GCM128)
    assert ok is False and not rests and "[fixed]" in why[0]


def test_unknown_driver_and_device_capability_are_unknown():
    ok, _, rests = linux_can_offload({**ROW, "driver": "e1000e"}, GCM128)
    assert ok is None and not rests
    ok, why, rests = linux_can_offload({**ROW, "driver": "mlx5_core"}, {**GCM128, "esn": True})
    assert ok is None and rests and any("device capability" in w for w in why)


def test_windows_terms_marks_every_value_and_leaves_the_frame_alone(tmp_path):
    from test_captures_linux import TRANSCRIPT

    from ipsecexplore.fleet import load_fleet

    (tmp_path / "lnx03.txt").write_text(TRANSCRIPT)
    f = load_fleet([tmp_path], progress=False).frame
    wt = windows_terms(f)
    assert set(wt["basis"]) <= {"inferred", "none"} and len(wt) == 2 * 8
    esp = wt[(wt["member"] == "IPsecV2.Esp") & (wt["view"] == "current")]["value"].item()
    assert esp is True
    tunnel = wt[wt["member"] == "IPsecV2.Tunnel"]["value"].tolist()
    assert tunnel == [True, True]  # mlx5 accepts tunnel mode (driver table)
    assert f["IPsecV2.Esp"].isna().all()
