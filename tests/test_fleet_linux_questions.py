"""Fleet questions on Linux rows (issues 13 + 15): ``Fleet.can_offload`` answers for Linux interfaces from the
``esp-hw-offload`` feature and the driver table, and the NDIS-only views keep Linux rows apart.

Every expected answer is read here from tests/spec/capture-formats.md §8 (§8.1 feature bits and [fixed], §8.2
crypto offload = the IPsecOV2 division of labour, §8.3 what each driver accepts, §8.4 the correspondence:
Linux offloads ESP only), never from the code under test."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import spec_path

from ipsecexplore.captures import AdapterRecord, ImportResult
from ipsecexplore.fleet import Fleet

E, EF = "ethtool.esp-hw-offload", "ethtool.esp-hw-offload.fixed"
M = "IPsecV2."
# A Windows hardware/current view as PowerShell reports it (capture-formats.md §2.2): ESP, both modes, IPv6,
# AES-GCM-128 (0x8) encryption, 1024 bundles.
WIN = {M + "IPv6Supported": True, M + "IPv4Options": False, M + "IPv6NonIPsecExtensionHeaders": False,
       M + "Ah": False, M + "Esp": True, M + "AhEspCombined": False, M + "Transport": True, M + "Tunnel": True,
       M + "LsoSupported": False, M + "UdpEsp": 0, M + "AuthenticationAlgorithms": 0,
       M + "EncryptionAlgorithms": 0x8, M + "SaOffloadCapacity": 1024}


def spec_83() -> dict[str, list[str]]:
    """The driver table of §8.3 by driver name: [algorithms, modes, ESN, NAT-T, SA table, offload types]."""
    text = spec_path("capture-formats.md").read_text(encoding="utf-8").split("### 8.3", 1)[1].split("\n### ", 1)[0]
    rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in text.splitlines()
            if ln.startswith("| `")]
    return {r[0].split("`")[1]: r[1:] for r in rows}


def lin(host, iface, view, driver=None, esp=True, fixed=False, *, fmt="linux-ethtool-k"):
    values = {"driver": driver} if driver else {}
    if esp is not None:
        values.update({E: esp, EF: fixed})
    return AdapterRecord(host, iface, None, view, f"{host}.txt", 1, values, fmt=fmt)


def win(host, adapter, view, values=WIN):
    return AdapterRecord(host, adapter, "Intel(R) Ethernet Controller X550", view, f"{host}.txt", 1, dict(values))


def make(*records) -> Fleet:
    r = ImportResult(records=list(records))
    r.records_seen = r.loaded = len(records)
    return Fleet.from_result(r)


def tri(v):
    return None if pd.isna(v) else bool(v)


def answer(fleet, iface, **sa):
    r = fleet.can_offload(**sa)
    return r[r["adapter"] == iface].iloc[0]


@pytest.fixture(scope="module")
def spec():
    return spec_83()


# ------------------------------------------------------------------------------------------- can_offload
def test_ixgbe_gcm128_transport_rests_on_the_driver_table(spec):
    assert "128-bit key" in spec["ixgbe"][0] and spec["ixgbe"][1] == "transport only"
    f = make(lin("L", "eth0", "current", "ixgbe"), win("W", "Ethernet", "current"))
    r = answer(f, "eth0", encryption="AES_GCM_128")
    assert r["os"] == "linux" and tri(r["offloadable"]) is True and tri(r["rests_on_driver_table"]) is True
    assert r["missing"] == "" and r["unknown"] == ""
    assert "ixgbe accepts this SA" in r["reasons"] and "rfc4106(gcm(aes))" in r["reasons"]  # the xfrm reading
    w = answer(f, "Ethernet", encryption="AES_GCM_128")  # the Windows row of the same fleet: its members
    assert w["os"] == "windows" and tri(w["offloadable"]) is True and tri(w["rests_on_driver_table"]) is False


@pytest.mark.parametrize("sa, missing", [
    (dict(mode="tunnel"), "ixgbe.modes"),  # §8.3: transport only
    (dict(encryption="AES_GCM_256"), "ixgbe.key_bits"),  # §8.3: 128-bit key
    (dict(encryption="AES_CBC_128", authentication="SHA_256"), "ixgbe.algorithms"),  # only rfc4106(gcm(aes))
    (dict(esn=True), "ixgbe.esn"),  # §8.3: ESN no
    (dict(udp_esp="TRANSPORT"), "ixgbe.natt"),  # §8.3: NAT-T no
])
def test_ixgbe_refusals_name_the_driver_table_field(sa, missing):
    r = answer(make(lin("L", "eth0", "current", "ixgbe")), "eth0", **sa)
    assert tri(r["offloadable"]) is False and r["missing"] == missing and tri(r["rests_on_driver_table"]) is True


def test_nfp_takes_cbc_with_hmac_in_tunnel_mode(spec):
    assert "AES-CBC" in spec["nfp"][0] and "SHA2" in spec["nfp"][0] and "tunnel" in spec["nfp"][1]
    r = answer(make(lin("L", "p0", "current", "nfp")), "p0", mode="tunnel", encryption="AES_CBC_256",
               authentication="SHA_256")
    assert tri(r["offloadable"]) is True and tri(r["rests_on_driver_table"]) is True


def test_mlx5_esn_is_a_device_capability_and_natt_needs_packet_offload(spec):
    assert spec["mlx5"][2] == "with device cap" and spec["mlx5"][3].startswith("packet offload")
    f = make(lin("L", "enp1s0", "current", "mlx5_core"))
    esn = answer(f, "enp1s0", encryption="AES_GCM_256", esn=True)
    assert tri(esn["offloadable"]) is None and esn["unknown"] == "mlx5.esn" and tri(esn["rests_on_driver_table"])
    assert "device capability" in esn["reasons"]
    # a Windows SA is crypto offload (§8.2); mlx5 offloads NAT-T only with packet offload (§8.3)
    natt = answer(f, "enp1s0", udp_esp="TRANSPORT")
    assert tri(natt["offloadable"]) is False and natt["missing"] == "mlx5.natt"
    v6 = answer(f, "enp1s0", ipv6=True, mode="tunnel")  # §8.3 records no IPv6 limit: cannot tell, never False
    assert tri(v6["offloadable"]) is None and v6["unknown"] == "ipv6"


def test_ch_ipsec_offloads_esn(spec):
    assert spec["ch_ipsec"][2] == "yes"
    r = answer(make(lin("L", "eth4", "current", "cxgb4")), "eth4", encryption="AES_GCM_128", esn=True)
    assert tri(r["offloadable"]) is True


def test_ah_is_never_offloaded_on_linux():
    text = spec_path("capture-formats.md").read_text(encoding="utf-8")
    assert "| `Ah`, `AhEspCombined` | none: Linux offloads ESP only |" in text  # §8.4
    f = make(lin("L", "eth0", "current", "mlx5_core"))
    for sa in (dict(ah=True, esp=False), dict(ah=True, esp=True)):
        r = answer(f, "eth0", **sa)
        assert tri(r["offloadable"]) is False and r["missing"] == "proto" and "ESP only" in r["reasons"]
        assert tri(r["rests_on_driver_table"]) is False  # the correspondence, not the driver table


def test_the_feature_decides_before_the_driver_table():
    f = make(lin("L", "eth0", "hardware", "ixgbe", esp=False, fixed=True),
             lin("L", "eth1", "hardware", "ixgbe", esp=True), lin("L", "eth1", "current", "ixgbe", esp=False),
             lin("L", "eth2", "current", "ixgbe", esp=None, fmt="linux-ethtool-i"),
             lin("L", "eth3", "current", "e1000e"), lin("L", "bond0", "current", "bonding"))
    fixed = answer(f, "eth0", view="hardware")  # §8.1: off [fixed] = cannot
    assert tri(fixed["offloadable"]) is False and fixed["missing"] == E and "[fixed]" in fixed["reasons"]
    assert tri(fixed["rests_on_driver_table"]) is False
    hw = answer(f, "eth1", view="hardware")  # off without [fixed]: can be switched on (hardware view)
    assert tri(hw["offloadable"]) is True
    cur = answer(f, "eth1")  # ... but the current view has it off
    assert tri(cur["offloadable"]) is False and cur["missing"] == E and "ethtool -K" in cur["reasons"]
    nofeat = answer(f, "eth2")  # only ethtool -i: the capture cannot tell
    assert tri(nofeat["offloadable"]) is None and nofeat["unknown"] == E
    assert tri(nofeat["rests_on_driver_table"]) is False
    other = answer(f, "eth3")  # e1000e is not in the driver table
    assert tri(other["offloadable"]) is None and other["unknown"] == "driver"
    bond = answer(f, "bond0")  # §8.3: bonding takes the active slave's capabilities
    assert tri(bond["offloadable"]) is None and bond["unknown"] == "bonding.modes"


def test_every_ndis_algorithm_has_an_xfrm_term_with_basis():
    from ipsecexplore.columns import flag_columns
    from ipsecexplore.crossos import SA_TERMS

    terms = {t.ndis: t for t in SA_TERMS}
    for member in (M + "EncryptionAlgorithms", M + "AuthenticationAlgorithms"):
        for flag in flag_columns(member):
            t = terms[flag.macro]
            assert t.basis == "inferred" and "https://git.kernel.org/" in t.source, flag.macro
    assert terms["ah"].basis == "none" and {t.basis for t in SA_TERMS} <= {"documented", "inferred", "none"}
    # AES_GCM_* in the authentication mask is GMAC (rule book R28): RFC 4543, not the RFC 4106 AEAD
    assert terms["IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128"].value == "rfc4543(gcm(aes))"


# ---------------------------------------------------------------------------- NDIS-only views and Linux rows
@pytest.fixture(scope="module")
def mixed():
    """A Windows adapter with both views (AH switched off by the keyword *IPsecOffloadV2 = 2, ESP only: R50) and
    a Linux host: eth0 has esp-hw-offload off but not [fixed] in the current view (it can be switched on, §8.1),
    eth1 has it off [fixed] in both (it cannot: no gap), eth2 is captured in the current view only."""
    cur = {**WIN, M + "Ah": False}
    hw = {**WIN, M + "Ah": True}
    kw = {"*IPsecOffloadV2": 2}
    return make(AdapterRecord("W", "Ethernet", "Intel(R) Ethernet Controller X550", "hardware", "W.txt", 1, hw, kw),
                AdapterRecord("W", "Ethernet", "Intel(R) Ethernet Controller X550", "current", "W.txt", 1, cur, kw),
                lin("L", "eth0", "hardware", "ixgbe"), lin("L", "eth0", "current", "ixgbe", esp=False),
                lin("L", "eth1", "hardware", "ixgbe", esp=False, fixed=True),
                lin("L", "eth1", "current", "ixgbe", esp=False, fixed=True), lin("L", "eth2", "current", "ixgbe"))


def test_supported_but_off_labels_linux_gaps(mixed):
    from ipsecexplore.fleet_linux import LINUX_FEATURE_CAUSE

    g = mixed.supported_but_off()
    w, li = g[g["os"] == "windows"], g[g["os"] == "linux"]
    assert set(w["adapter"]) == {"Ethernet"} and "IPsecV2.Ah" in set(w["capability"])
    assert li[["host", "adapter", "capability", "member"]].values.tolist() == [["L", "eth0", "esp-hw-offload", E]]
    assert li["cause"].tolist() == [LINUX_FEATURE_CAUSE] and li["rule"].isna().all()
    assert w[w["capability"] == "IPsecV2.Ah"]["rule"].tolist() == ["R51"]  # *IPsecOffloadV2 = 2: ESP only (R50)
    one = mixed.one_view_adapters()
    assert one[["adapter", "os", "views"]].values.tolist() == [["eth2", "linux", "current"]]


def test_findings_and_sa_capacity_leave_linux_out_and_say_so(mixed):
    fd = mixed.findings()
    assert set(fd["host"]) == {"W"} and fd.attrs["linux_interfaces"] == 3 and "3 Linux interfaces" in fd.attrs["note"]
    assert not fd["message"].str.contains("not reported").any()
    cap = mixed.sa_capacity()
    assert cap["host"].tolist() == ["W"] and cap.attrs["linux_interfaces"] == 3  # eth0..eth2: a current row each
    assert "not counted" in cap.attrs["note"]


def test_charts_leave_linux_out_with_a_note(mixed):
    from ipsecexplore import charts

    t = charts.adapter_table(mixed)
    assert t.adapters["adapter"].tolist() == ["Ethernet"] and t.linux_interfaces == 3
    assert not t.adapters["no_ipsecv2"].any()  # no Linux interface tagged "IPsecV2 not reported"
    for name, fig in charts.all_charts(mixed).items():
        assert charts.linux_note(fig).startswith("3 Linux interfaces not drawn"), name
        texts = " ".join(x.get_text() for x in fig.texts) + " ".join(
            lab.get_text() for ax in fig.axes for lab in ax.get_yticklabels() + ax.get_xticklabels())
        assert "eth0" not in texts and charts.NOT_REPORTED not in texts, name
    assert charts.linux_note(charts.sa_capacity(mixed.frame)) == charts.linux_note(charts.sa_capacity(t))


def test_report_labels_linux_hosts_and_keeps_them_out_of_the_findings(mixed):
    from ipsecexplore import charts, report

    per = report._per_host(mixed.frame, charts.adapter_table(mixed))
    assert per[["host", "os", "adapters", "adapters with capabilities switched off"]].values.tolist() == [
        ["L", "linux", 3, 1], ["W", "windows", 1, 1]]
    html = report.build_report(["mixed"], fleet=mixed, image_format="png")
    findings = html.split('id="findings"', 1)[1].split('id="linux"', 1)[0]
    assert "eth0" not in findings and "3 Linux interfaces not checked" in findings
    assert charts.NOT_REPORTED not in html


def test_diff_of_linux_rows_compares_their_own_columns(mixed):
    from ipsecexplore.diff import diff

    f = mixed.frame
    a, b = (f[(f["adapter"] == "eth0") & (f["view"] == v)].iloc[0] for v in ("hardware", "current"))
    d = diff(a, b)
    assert [r.path for r in d.rows] == [E]
    assert all(it.findings is None and "Linux" in it.findings_note for it in d.items)


def test_fleet_widget_labels_linux_gaps_and_notes_the_findings(mixed):
    from ipsecexplore.widgets import FleetWidget

    fw = FleetWidget(fleet=mixed)
    fw._render_findings()
    assert "3 Linux interfaces not checked" in fw.findings_view.value and "eth0" not in fw.findings_view.value
    fw._render_gap()
    assert "<td>linux</td>" in fw.gap_view.value and "esp-hw-offload" in fw.gap_view.value
    fw._render_frame()
    assert "<th>os</th>" in fw.frame_view.value
