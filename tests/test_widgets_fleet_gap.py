"""Fleet widget, issue 13: the "Supports" filter keeps adapters with both views, the "Supported but off"
and "Rule findings" views show Fleet.supported_but_off / Fleet.findings of the filtered adapters."""

from __future__ import annotations

import html

import pytest

from ipsecexplore.captures import AdapterRecord, ImportResult
from ipsecexplore.fleet import Fleet
from ipsecexplore.widgets import FleetWidget

M = "IPsecV2."
HW = {M + "IPv6Supported": True, M + "Ah": True, M + "Esp": True, M + "Transport": True, M + "Tunnel": False,
      M + "UdpEsp": 0, M + "AuthenticationAlgorithms": 8, M + "EncryptionAlgorithms": 8, M + "SaOffloadCapacity": 1024}
OFF = {**HW, M + "Ah": False, M + "Esp": False, M + "IPv6Supported": False, M + "Transport": False,
       M + "AuthenticationAlgorithms": 0, M + "EncryptionAlgorithms": 0, M + "SaOffloadCapacity": 0}
GAP, ONE_VIEW, TUNNEL = "SLOT <1>", "Ethernet 9", "Ethernet 4"


def rec(host, adapter, view, values, kw=None, desc="Intel(R) Ethernet Controller X550 #2"):
    return AdapterRecord(host, adapter, desc, view, f"{host}.txt", 1, dict(values), dict(kw or {}))


@pytest.fixture
def fw():
    recs = [rec("H1", GAP, "hardware", HW, {"*IPsecOffloadV2": 0}), rec("H1", GAP, "current", OFF,
                                                                        {"*IPsecOffloadV2": 0}),
            rec("H1", TUNNEL, "hardware", {**HW, M + "Tunnel": True}), rec("H1", TUNNEL, "current", HW),
            rec("H2", ONE_VIEW, "hardware", HW)]
    r = ImportResult(records=recs)
    r.records_seen = r.loaded = len(recs)
    return FleetWidget(fleet=Fleet.from_result(r))


def test_supports_filter_keeps_both_views(fw):
    fw.capability.value = (M + "Esp",)
    kept = fw.filtered
    # GAP's current view has Esp FALSE (keyword 0) but its hardware supports it: both rows stay
    assert sorted(kept.loc[kept["adapter"] == GAP, "view"].astype(str)) == ["current", "hardware"]
    assert len(kept) == 5
    fw.capability.value = (M + "Tunnel",)
    assert set(fw.filtered["adapter"]) == {TUNNEL} and len(fw.filtered) == 2


def test_gap_view(fw):
    fw.views.selected_index = fw.views.titles.index("Supported but off")
    text = html.unescape(fw.gap_view.value)
    gaps = fw.fleet.supported_but_off()
    assert f"{len(gaps)} capabilities supported in hardware and off in the current view on 2 adapters" in text
    assert "*IPsecOffloadV2 = 0 disables AH and ESP" in text and "not explained by a keyword" in text
    assert "Captured in one view only" in text and ONE_VIEW in text
    # one line per adapter and cause: keyword 0 explains all of GAP's capabilities at once
    off = ", ".join(gaps.loc[gaps["adapter"] == GAP, "capability"])
    assert f"<td>{off}</td>" in text and "<td>*IPsecOffloadV2=0</td>" in text
    assert "SLOT &lt;1&gt;" in fw.gap_view.value  # outside strings escaped
    fw.host.value = ("H2",)
    text = html.unescape(fw.gap_view.value)
    assert text.startswith("<div>0 capabilities") and ONE_VIEW in text and GAP not in text


def test_findings_view(fw):
    fw.views.selected_index = fw.views.titles.index("Rule findings")
    fd = fw.fleet.findings()
    real = fd[fd["severity"] != "not checked"]
    text = html.unescape(fw.findings_view.value)
    assert f"{len(real)} findings on 3 adapters" in text
    assert "R34" in text and "R57" in text  # no Tunnel (R34); supported but disabled (R57)
    fw.host.value = ("H2",)
    text = html.unescape(fw.findings_view.value)
    h2 = real[real["host"] == "H2"]
    assert f"{len(h2)} findings on 1 adapter" in text and "R57" not in text
