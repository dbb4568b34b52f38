"""The fleet engineer's questions (issue 13): model/virtual columns, supported-but-off, can-offload, fleet
findings, SA capacity per host. Small fleets built record by record; every expected answer is worked out
here from the spec (ipsecov2-rules.md R50/R51 keyword masking, the rule ids of the SA requirements,
capture-formats.md §4 Get-NetView folders, adapters.md A4/B3 vNIC budgets), never read from the code."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pytest
from helpers import spec_constant, spec_path

from ipsecexplore.captures import AdapterRecord, ImportResult
from ipsecexplore.errors import InputError
from ipsecexplore.fleet import Fleet, load_fleet

M = "IPsecV2."
GCM128 = spec_constant("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")
GCM256 = spec_constant("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256")
GMAC128 = spec_constant("IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128")
UDP_T_OVER_UDP_TUNNEL = spec_constant("IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL")
KW, KW4 = "*IPsecOffloadV2", "*IPsecOffloadV2IPv4"
KWC, KW4C = "keyword.*IPsecOffloadV2", "keyword.*IPsecOffloadV2IPv4"

# A hardware view as PowerShell reports it (13 members; capture-formats.md §2.2): ESP and AH, both modes,
# IPv6, AES-GCM-128/256 encryption, GMAC-128 integrity, 1024 bundles.
HW = {M + "IPv6Supported": True, M + "IPv4Options": False, M + "IPv6NonIPsecExtensionHeaders": False,
      M + "Ah": True, M + "Esp": True, M + "AhEspCombined": False, M + "Transport": True, M + "Tunnel": True,
      M + "LsoSupported": False, M + "UdpEsp": 0, M + "AuthenticationAlgorithms": GMAC128,
      M + "EncryptionAlgorithms": GCM128 | GCM256, M + "SaOffloadCapacity": 1024}
HW_TRUE = {M + "IPv6Supported", M + "Ah", M + "Esp", M + "Transport", M + "Tunnel",
           "IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128", "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128",
           "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256"}
ZERO = {k: (0 if isinstance(v, int) and not isinstance(v, bool) else False) for k, v in HW.items()}


def rec(host, adapter, view, values, *, desc=None, kw=None, src=None, line=1):
    return AdapterRecord(host, adapter, desc, view, src or f"{host}.txt", line, dict(values), dict(kw or {}))


def make(*records) -> Fleet:
    r = ImportResult(records=list(records))
    r.records_seen = r.loaded = len(records)
    return Fleet.from_result(r)


def without(values, *members):
    return {k: v for k, v in values.items() if k not in {M + m for m in members}}


@cache
def rule_row(rule: str) -> tuple[str, str]:
    """(severity, basis) of a rule, read from the rule book's table row."""
    for line in spec_path("ipsecov2-rules.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 5 and cells[1] == rule:
            return cells[-4], cells[-3]
    raise KeyError(rule)


# ------------------------------------------------------------------------------------- model, virtual
def test_model_strips_the_instance_suffix_and_is_na_without_description():
    f = make(rec("H", "SLOT 2 Port 2", "hardware", HW, desc="Intel(R) Ethernet Controller X550 #2"),
             rec("H", "SLOT 2 Port 1", "hardware", HW, desc="Intel(R) Ethernet Controller X550"),
             rec("H", "Ethernet 2", "hardware", HW, desc="Adapter #12 #3"),
             rec("H", "raw", "hardware", HW, desc=None)).frame
    assert str(f["model"].dtype) == "string"
    assert f["model"].tolist()[:3] == ["Intel(R) Ethernet Controller X550"] * 2 + ["Adapter #12"]
    assert f["model"].isna().tolist() == [False, False, False, True]


def test_virtual_with_its_evidence():
    hnic = "b/msdbg.H/hNIC.16.vEthernet (vSwitch0).Hyper-V Virtual Ethernet Adapter/Get-NetAdapterIPsecOffload.txt"
    pnic = "b.zip/msdbg.H/VMSwitch.0.External.S/pNIC.8.SLOT 2 Port 2.Intel(R) X550 #2/Get-NetAdapterIPsecOffload.txt"
    fl = make(rec("H", "vEthernet (vSwitch0)", "hardware", HW, desc="Hyper-V Virtual Ethernet Adapter", src=hnic),
              rec("H", "SLOT 2 Port 2", "hardware", HW, desc="Intel(R) X550 #2", src=pnic),
              rec("H", "Ethernet 5", "hardware", HW, desc="Microsoft Hyper-V Network Adapter #2"),
              rec("H", "vEthernet (S1)", "hardware", HW),  # raw bytes: name only
              rec("H", "SLOT 3", "hardware", HW, desc="Intel(R) X550"),
              rec("H", "Ethernet 9", "hardware", HW))
    f = fl.frame
    assert str(f["virtual"].dtype) == "boolean"
    assert f["virtual"].tolist()[:5] == [True, False, True, True, False]
    assert f["virtual"].isna().tolist() == [False] * 5 + [True]
    ev = f["virtual_from"].tolist()
    assert "hNIC" in ev[0] and "pNIC" in ev[1] and "Hyper-V" in ev[2] and "vEthernet" in ev[3]
    assert "no evidence" in ev[5]
    assert "virtual_from" in fl.notes["virtual"] and "hNIC" in fl.notes["virtual"]
    assert "#" in fl.notes["model"]


def test_getnetview_bundle_folders_decide_virtual(repo_root):
    f = load_fleet([repo_root / "data/sample/getnetview/msdbg.HOST09"], progress=False).frame
    assert len(f)
    for src, virt, ev in zip(f["source"], f["virtual"], f["virtual_from"]):
        folder = re.search(r"/(hNIC|pNIC)\.\d+\.", src).group(1)
        assert bool(virt) == (folder == "hNIC") and folder in ev, src


# ---------------------------------------------------------------------------------- supported but off
@pytest.fixture(scope="module")
def gaps_fleet():
    return make(
        # ESP-only keyword (R50: 2 keeps Esp, clears Ah)
        rec("HOST1", "A", "hardware", HW, desc="Nic A #2", kw={KW: 2}),
        rec("HOST1", "A", "current", {**HW, M + "Ah": False}, desc="Nic A #2", kw={KW: 2}),
        # IPv4-only keyword, both protocols (R51: IPv6Supported cleared)
        rec("HOST1", "B", "hardware", HW, desc="Nic B", kw={KW4: 3}),
        rec("HOST1", "B", "current", {**HW, M + "IPv6Supported": False}, desc="Nic B", kw={KW4: 3}),
        # keyword 0: NDIS zeroes the whole block (R51)
        rec("HOST2", "C", "hardware", HW, kw={KW: 0}),
        rec("HOST2", "C", "current", ZERO, kw={KW: 0}),
        # no keyword: the driver's own default has Tunnel off
        rec("HOST2", "D", "hardware", HW, desc="Hyper-V Virtual Ethernet Adapter"),
        rec("HOST2", "D", "current", {**HW, M + "Tunnel": False}, desc="Hyper-V Virtual Ethernet Adapter"),
        # NA members: Tunnel not captured in current, the encryption mask not captured in either view
        rec("HOST3", "E", "hardware", without(HW, "EncryptionAlgorithms")),
        rec("HOST3", "E", "current", without(HW, "Tunnel", "EncryptionAlgorithms")),
        # both keywords: *IPsecOffloadV2 wins (R51), so the IPv4-only keyword does not explain IPv6 off
        rec("HOST3", "G", "hardware", HW, kw={KW: 3, KW4: 0}),
        rec("HOST3", "G", "current", {**HW, M + "IPv6Supported": False}, kw={KW: 3, KW4: 0}),
        # IPv4-only keyword 0: both off, whole block zeroed
        rec("HOST3", "H", "hardware", HW, kw={KW4: 0}),
        rec("HOST3", "H", "current", ZERO, kw={KW4: 0}),
        # one view only
        rec("HOST4", "F", "hardware", HW, desc="Nic F"),
        rec("HOST4", "J", "current", HW, desc="Nic J", src="j.txt"),
    )


def test_supported_but_off_columns_and_dtypes(gaps_fleet):
    g = gaps_fleet.supported_but_off()
    assert list(g.columns) == ["host", "adapter", "model", "virtual", "os", "capability", "member", "hardware",
                               "current", KWC, KW4C, "cause", "rule"]
    assert (g["os"] == "windows").all()
    assert {c: str(g[c].dtype) for c in g.columns} == {
        "host": "string", "adapter": "string", "model": "string", "virtual": "boolean", "os": "string",
        "capability": "string",
        "member": "string", "hardware": "boolean", "current": "boolean", KWC: "Int64", KW4C: "Int64",
        "cause": "string", "rule": "string"}
    assert g["hardware"].all() and not g["current"].any()


def _gaps(g, adapter):
    return g[g["adapter"] == adapter]


def test_esp_only_keyword_explains_ah(gaps_fleet):
    a = _gaps(gaps_fleet.supported_but_off(), "A")
    assert a["capability"].tolist() == [M + "Ah"] and a["member"].tolist() == [M + "Ah"]
    row = a.iloc[0]
    assert (row["host"], row["model"], bool(row["virtual"])) == ("HOST1", "Nic A", False)
    assert row[KWC] == 2 and pd.isna(row[KW4C])
    assert "*IPsecOffloadV2 = 2" in row["cause"] and "R51" in row["cause"] and row["rule"] == "R51"


def test_ipv4_only_keyword_explains_ipv6(gaps_fleet):
    b = _gaps(gaps_fleet.supported_but_off(), "B")
    assert b["capability"].tolist() == [M + "IPv6Supported"]
    assert pd.isna(b[KWC].iloc[0]) and b[KW4C].iloc[0] == 3
    assert "*IPsecOffloadV2IPv4 = 3" in b["cause"].iloc[0] and "IPv4-only" in b["cause"].iloc[0]
    assert b["rule"].tolist() == ["R51"]


@pytest.mark.parametrize("adapter, keyword", [("C", "*IPsecOffloadV2 = 0"), ("H", "*IPsecOffloadV2IPv4 = 0")])
def test_keyword_zero_explains_every_capability(gaps_fleet, adapter, keyword):
    c = _gaps(gaps_fleet.supported_but_off(), adapter)
    assert set(c["capability"]) == HW_TRUE and len(c) == len(HW_TRUE)
    assert c["member"].tolist() == [x if x.startswith(M) else
                                    (M + "AuthenticationAlgorithms" if "AUTHENTICATION" in x else
                                     M + "EncryptionAlgorithms") for x in c["capability"]]
    assert all(keyword in x and "whole IPsecV2 block" in x for x in c["cause"])
    assert (c["rule"] == "R51").all()


def test_unexplained_gap_and_virtual(gaps_fleet):
    d = _gaps(gaps_fleet.supported_but_off(), "D")
    assert d["capability"].tolist() == [M + "Tunnel"]
    assert d["cause"].tolist() == ["not explained by a keyword"] and d["rule"].isna().all()
    assert d["virtual"].tolist() == [True] and d["model"].tolist() == ["Hyper-V Virtual Ethernet Adapter"]
    assert d[KWC].isna().all() and d[KW4C].isna().all()


def test_na_members_are_not_gaps_but_counted(gaps_fleet):
    g = gaps_fleet.supported_but_off()
    assert _gaps(g, "E").empty
    assert g.attrs["unknown_current"] == 1  # Tunnel TRUE in hardware, not captured in current


def test_both_keywords_v2_wins(gaps_fleet):
    gg = _gaps(gaps_fleet.supported_but_off(), "G")
    assert gg["capability"].tolist() == [M + "IPv6Supported"]
    assert gg["cause"].tolist() == ["not explained by a keyword"]
    assert gg[KWC].tolist() == [3] and gg[KW4C].tolist() == [0]


def test_one_view_adapters_listed_apart(gaps_fleet):
    g = gaps_fleet.supported_but_off()
    assert not set(g["adapter"]) & {"F", "J"}
    one = gaps_fleet.one_view_adapters()
    assert list(one.columns) == ["host", "adapter", "model", "virtual", "os", "views", "source"]
    assert one.astype(object).values.tolist() == [
        ["HOST4", "F", "Nic F", False, "windows", "hardware", "HOST4.txt:1"],
        ["HOST4", "J", "Nic J", False, "windows", "current", "j.txt:1"]]
    assert {c: str(one[c].dtype) for c in one.columns} == {
        "host": "string", "adapter": "string", "model": "string", "virtual": "boolean", "os": "string",
        "views": "string",
        "source": "string"}
    assert g.attrs["one_view"] == 2


# ---------------------------------------------------------------------------------------- can offload
SA = dict(mode="tunnel", ipv6=True, encryption="IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256")


@pytest.fixture(scope="module")
def offload_fleet():
    cur = [("ok", HW, {}), ("notunnel", {**HW, M + "Tunnel": False}, {}),
           ("gcm128", {**HW, M + "EncryptionAlgorithms": GCM128}, {}),
           ("tunnel_na", without(HW, "Tunnel"), {}),
           ("tunnel_na_v4", {**without(HW, "Tunnel"), M + "IPv6Supported": False}, {}),
           ("ah_only_kw", HW, {KW: 1}), ("v4_kw", HW, {KW4: 3}), ("cap0", {**HW, M + "SaOffloadCapacity": 0}, {}),
           ("none", {}, {})]
    recs = [rec("H", name, "current", v, kw=k, desc="Nic #2" if name == "ok" else None) for name, v, k in cur]
    recs.append(rec("H", "ah_only_kw", "hardware", HW, kw={KW: 1}))
    return make(*recs)


def tri(v):
    """True / False / None (NA) of a boolean cell, whatever scalar type pandas hands out."""
    return None if pd.isna(v) else bool(v)


def _by_adapter(df):
    return {a: row for a, row in zip(df["adapter"], df.to_dict("records"))}


def test_can_offload_columns(offload_fleet):
    r = offload_fleet.can_offload(**SA)
    assert list(r.columns) == ["host", "adapter", "model", "virtual", "view", "os", "offloadable", "reasons",
                               "missing", "unknown", "rests_on_driver_table", "source"]
    assert (r["os"] == "windows").all() and not r["rests_on_driver_table"].any()  # a Windows answer: the capture
    assert str(r["offloadable"].dtype) == "boolean" and str(r["model"].dtype) == "string"
    assert (r["view"] == "current").all() and len(r) == 9  # one row per adapter of the view
    assert r["model"].tolist()[0] == "Nic" and r["model"].isna().sum() == 8
    assert (r["host"] == "H").all() and r["source"].tolist() == ["H.txt:1"] * 9
    assert r["virtual"].tolist()[0] is False and r["virtual"].isna().sum() == 8  # a description, else none
    assert {c: str(r[c].dtype) for c in r.columns if c not in ("offloadable", "model", "virtual",
                                                               "rests_on_driver_table")} == dict.fromkeys(
        ["host", "adapter", "view", "os", "reasons", "missing", "unknown", "source"], "string")
    assert str(r["rests_on_driver_table"].dtype) == "boolean"
    assert "IPv6" in r.attrs["sa"] and "tunnel" in r.attrs["sa"] and "AES-GCM-256" in r.attrs["sa"]


def test_can_offload_answers(offload_fleet):
    r = _by_adapter(offload_fleet.can_offload(**SA))
    assert tri(r["ok"]["offloadable"]) is True and r["ok"]["reasons"] == "" and r["ok"]["missing"] == ""
    nt = r["notunnel"]
    assert tri(nt["offloadable"]) is False and nt["missing"] == M + "Tunnel" and "R87" in nt["reasons"]
    g = r["gcm128"]
    assert tri(g["offloadable"]) is False and g["missing"] == M + "EncryptionAlgorithms"
    assert "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256" in g["reasons"] and "R96" in g["reasons"]
    na = r["tunnel_na"]
    assert tri(na["offloadable"]) is None and na["unknown"] == M + "Tunnel" and na["missing"] == ""
    assert "not captured" in na["reasons"]
    v4 = r["tunnel_na_v4"]  # a known missing requirement wins over an unknown one
    assert tri(v4["offloadable"]) is False and v4["missing"] == M + "IPv6Supported" and v4["unknown"] == M + "Tunnel"
    assert "R91" in v4["reasons"]
    c0 = r["cap0"]
    assert tri(c0["offloadable"]) is False and c0["missing"] == M + "SaOffloadCapacity" and "R87" in c0["reasons"]
    none = r["none"]
    assert tri(none["offloadable"]) is None and "R9" in none["reasons"]


def test_keyword_masking_of_the_current_view(offload_fleet):
    r = _by_adapter(offload_fleet.can_offload(**SA))
    ah = r["ah_only_kw"]  # keyword 1 keeps AH only (R50): ESP cleared whatever the row says
    assert tri(ah["offloadable"]) is False and ah["missing"] == M + "Esp"
    assert "*IPsecOffloadV2 = 1" in ah["reasons"] and "R51" in ah["reasons"]
    v4 = r["v4_kw"]  # the IPv4-only keyword clears IPv6Supported (R51)
    assert tri(v4["offloadable"]) is False and v4["missing"] == M + "IPv6Supported" and "R51" in v4["reasons"]
    ipv4_sa = _by_adapter(offload_fleet.can_offload(mode="tunnel", ipv6=False, encryption="AES_GCM_256"))
    assert ipv4_sa["v4_kw"]["offloadable"] is True
    hw = offload_fleet.can_offload(**SA, view="hardware")  # hardware capabilities: no masking
    assert hw["adapter"].tolist() == ["ah_only_kw"] and hw["offloadable"].tolist() == [True]


def test_algorithm_names_macro_short_and_label_agree(offload_fleet):
    a = offload_fleet.can_offload(mode="tunnel", encryption="IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256")
    for name in ("AES_GCM_256", "aes-gcm-256", GCM256):
        b = offload_fleet.can_offload(mode="tunnel", encryption=name)
        pd.testing.assert_frame_equal(a, b)


def test_ah_gmac_esn_and_udp_requirements():
    cur = {**HW, M + "AhEspCombined": True}
    f = make(rec("H", "X", "current", cur))
    r = f.can_offload(ah=True, esp=True, authentication="AES_GCM_128").iloc[0]
    assert tri(r["offloadable"]) is True  # AH+ESP bundle: Ah, Esp, AhEspCombined (R89), GMAC-128 in the mask
    r = make(rec("H", "X", "current", HW)).can_offload(ah=True, esp=True).iloc[0]
    assert tri(r["offloadable"]) is False and r["missing"] == M + "AhEspCombined" and "R89" in r["reasons"]
    r = f.can_offload(authentication="SHA_256").iloc[0]
    assert r["missing"] == M + "AuthenticationAlgorithms" and "R96" in r["reasons"]
    gmac = make(rec("H", "X", "current", {**HW, M + "AuthenticationAlgorithms": 0}))
    assert "R28" in gmac.can_offload(authentication="AES_GCM_128")["reasons"].iloc[0]
    # ESN: PowerShell never captures ExtendedSequenceNumbers, so the answer is NA (R113), never False
    r = f.can_offload(esn=True).iloc[0]
    assert tri(r["offloadable"]) is None and r["unknown"] == M + "ExtendedSequenceNumbers" and "R113" in r["reasons"]
    # UDP-ESP transport over a UDP-encapsulated tunnel: the UdpEsp bit (R99) and TransportTunnelCombined (R45)
    r = f.can_offload(udp_esp=UDP_T_OVER_UDP_TUNNEL).iloc[0]
    assert r["missing"] == M + "UdpEsp" and "R99" in r["reasons"]
    assert r["unknown"] == M + "TransportTunnelCombined" and "R45" in r["reasons"]


@pytest.mark.parametrize("kw", [dict(mode="beet"), dict(encryption="ROT13"), dict(esp=False, ah=False),
                                dict(ah=True, udp_esp="TRANSPORT"), dict(encryption=GCM128 | GCM256),
                                dict(encryption="AES_GCM_128", authentication="SHA_1"),
                                dict(esp=False, ah=True, encryption="AES_GCM_128")])
def test_bad_sa_descriptions_are_input_errors(offload_fleet, kw):
    with pytest.raises(InputError):
        offload_fleet.can_offload(**kw)


def test_os_column_dispatches_the_row_check(monkeypatch):
    from ipsecexplore import sacheck

    f = make(rec("H", "X", "current", HW), rec("H", "Y", "current", HW))
    f.frame["os"] = pd.array(["windows", "plan9"], dtype="string")
    r = f.can_offload()
    assert r["offloadable"].tolist()[0] is True
    assert r["offloadable"].isna().tolist() == [False, True] and "plan9" in r["reasons"].iloc[1]
    seen = []
    monkeypatch.setitem(sacheck.ROW_CHECKS, "plan9", lambda row, sa, view: seen.append(row["adapter"]) or [])
    assert f.can_offload()["offloadable"].tolist() == [True, True] and seen == ["Y"]


# --------------------------------------------------------------------------------------------- findings
def test_findings_tidy_and_no_ipsecv2_is_a_row():
    f = make(rec("H", "old", "hardware", {"Header.Revision": 1}),
             rec("H", "x550", "hardware", {**HW, M + "Tunnel": False}),
             rec("H", "x550", "current", {**HW, M + "Tunnel": False, M + "Ah": False}),
             rec("H", "over", "hardware", {**HW, M + "Ah": False}),
             rec("H", "over", "current", HW, kw={KW: 3, KW4: 3}))
    d = f.findings()
    assert list(d.columns) == ["adapter_key", "host", "adapter", "view", "rule", "severity", "basis", "members",
                               "message", "source"]
    old = d[d["adapter"] == "old"]
    assert len(old) == 1 and old["severity"].iloc[0] == "not checked" and pd.isna(old["rule"].iloc[0])
    assert "IPsecV2 not reported" in old["message"].iloc[0]
    real = d[d["severity"] != "not checked"]
    for rule, sev, basis in real[["rule", "severity", "basis"]].itertuples(index=False):
        book_sev, book_basis = rule_row(rule)
        assert basis == book_basis
        # INF/RE findings are capped at warning (the rule book's severity policy)
        assert sev == book_sev or (book_sev == "error" and {"INF", "RE"} & set(re.split(r"\W+", basis)))
    x = real[real["adapter"] == "x550"]
    assert ("hardware", "R34") in set(zip(x["view"], x["rule"]))  # Ah/Esp without Tunnel (R34)
    assert ("current", "R57") in set(zip(x["view"], x["rule"]))  # Ah supported but disabled (R57)
    o = real[real["adapter"] == "over"]
    assert ("current", "R48") in set(zip(o["view"], o["rule"]))  # current Ah TRUE, hardware FALSE
    assert ("keywords", "R53") in set(zip(o["view"], o["rule"]))  # both keywords
    assert d.groupby("adapter")["adapter_key"].nunique().eq(1).all()
    assert d.drop_duplicates("adapter")[["adapter_key", "adapter"]].values.tolist() == [
        [0, "old"], [1, "x550"], [2, "over"]]
    assert (d["host"] == "H").all() and set(d.loc[d["view"] != "keywords", "source"]) == {"H.txt:1"}
    assert (d.loc[d["view"] == "keywords", "source"] == "").all()
    r34 = x[x["rule"] == "R34"].iloc[0]
    assert {M + "Tunnel", M + "Esp"} <= set(r34["members"].split(", "))
    assert {str(d[c].dtype) for c in d.columns if c != "adapter_key"} == {"string"}


def test_adapter_keys_match_the_chart_table(repo_root):
    from ipsecexplore import charts
    from ipsecexplore.questions import adapter_views

    fl = load_fleet([repo_root / "data/sample/csv", repo_root / "data/sample/raw"], progress=False)
    t = charts.adapter_table(fl)
    v = adapter_views(fl.frame)
    assert v["host"].tolist() == t.adapters["host"].tolist() and v["adapter"].tolist() == t.adapters["adapter"].tolist()
    for view in t.rows:
        assert v[view].tolist() == t.rows[view].tolist()


def test_duplicate_records_are_further_adapters():
    f = make(rec("H", "A", "hardware", HW, src="a.txt"), rec("H", "a", "hardware", HW, src="b.txt"),
             rec("H", "A", "current", {**HW, M + "Tunnel": False}, src="a.txt"),
             rec("H", "A", "current", HW, src="b.txt"))
    g = f.supported_but_off()
    assert g["capability"].tolist() == [M + "Tunnel"]  # only the a.txt pair has the gap
    assert f.one_view_adapters().empty


# ----------------------------------------------------------------------------------------- SA capacity
def test_sa_capacity_per_host_physical_and_vnic_apart():
    vnic = "Hyper-V Virtual Ethernet Adapter"
    f = make(rec("H1", "p1", "current", HW, desc="Nic"),                                      # 1024
             rec("H1", "p2", "current", {**HW, M + "SaOffloadCapacity": 256}, desc="Nic #2"),  # 256
             rec("H1", "p3", "current", HW, desc="Nic #3", kw={KW: 0}),  # keyword 0: NDIS zeroes the block (R51)
             rec("H1", "p4", "current", without(HW, "SaOffloadCapacity"), desc="Nic #4"),     # unknown
             rec("H1", "vEthernet (a)", "current", {**HW, M + "SaOffloadCapacity": 512}, desc=vnic),
             rec("H1", "vEthernet (b)", "current", {**HW, M + "SaOffloadCapacity": 0}, desc=vnic + " #2"),
             rec("H2", "raw", "current", {**HW, M + "Esp": False, M + "Ah": False}),         # no protocol: 0
             rec("h1", "p9", "hardware", HW, desc="Nic"))                                     # other view
    c = f.sa_capacity()
    assert list(c.columns) == ["host", "view", "kind", "adapters", "bundles", "unknown"]
    assert c.astype(object).values.tolist() == [
        ["H1", "current", "physical", 4, 1024 + 256, 1],
        ["H1", "current", "Hyper-V vNIC budget", 2, 512, 0],
        ["H2", "current", "not known whether virtual", 1, 0, 0]]
    h = f.sa_capacity(view="hardware")
    assert h.astype(object).values.tolist() == [["h1", "hardware", "physical", 1, 1024, 0]]
