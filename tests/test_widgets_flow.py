"""FlowWidget without a browser: each button drives ipsecexplore.flow.Simulation exactly as direct calls do,
and the views show the timeline and the bytes of every step."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("ipsecexplore.flow")

from helpers import spec_constant, spec_revision_size  # noqa: E402

import ipsecexplore as ix  # noqa: E402
from ipsecexplore.flow import Simulation  # noqa: E402
from ipsecexplore.rules import validate  # noqa: E402
from ipsecexplore.widgets import BuilderWidget, FlowWidget  # noqa: E402


def _hardware(revision: int = 3) -> ix.NdisOffload:
    off = ix.NdisOffload.new(revision=revision)
    v2 = off.IPsecV2
    v2.Encapsulation = spec_constant("NDIS_ENCAPSULATION_IEEE_802_3")
    v2.Ah = v2.Esp = v2.Transport = v2.Tunnel = v2.IPv6Supported = True
    v2.AuthenticationAlgorithms = spec_constant("IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128")
    v2.EncryptionAlgorithms = spec_constant("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")
    v2.SaOffloadCapacity = 4
    return off


@pytest.fixture
def hw():
    off = _hardware()
    assert not validate(off).has_errors, "the test hardware must pass the rules for Initialize to succeed"
    return off


@pytest.fixture
def f(hw):
    return FlowWidget(hardware=hw, data_paths=[], keywords={"*IPsecOffloadV2": "3"})


def _same(widget_sim: Simulation, direct: Simulation):
    a = [{k: v for k, v in e.to_dict().items() if k != "extra"} for e in widget_sim.timeline]
    b = [{k: v for k, v in e.to_dict().items() if k != "extra"} for e in direct.timeline]
    assert a == b


def test_setup_controls(f):
    assert f.hardware.value == "given hardware"
    assert f.keywords["*IPsecOffloadV2"].value == "3"
    assert f.keywords["*IPsecOffloadV2IPv4"].value == "(absent)"
    assert "6.1" in f.ndis.options and "6.30" in f.ndis.options and "6.0" not in f.ndis.options
    assert f.sim is not None and len(f.sim.timeline) == 0 and f.error.value == ""


def test_steps_match_direct_simulation(f, hw):
    direct = Simulation(hw, keywords={"*IPsecOffloadV2": "3"}, ndis="6.30")
    f.initialize_button.click()
    direct.initialize()
    short = spec_revision_size("NDIS_OFFLOAD", 3) - 1
    f.query_length.value = short
    f.query_button.click()
    direct.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", short)
    f.query_length.value = 512
    f.query_button.click()
    direct.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", 512)
    esp_only = spec_constant("NDIS_OFFLOAD_PARAMETERS_IPSECV2_ESP_ENABLED")
    f.param_ipsecv2.value = esp_only
    f.param_button.click()
    direct.set_offload_parameters({"IPsecV2": esp_only, "IPsecV2IPv4": 0})
    _same(f.sim, direct)
    assert f.error.value == ""
    # the buffer-too-short query said how many bytes it needs
    q = [e for e in f.sim.timeline if e.kind == "OID query"]
    assert q[0].status == "NDIS_STATUS_BUFFER_TOO_SHORT" and q[0].bytes_needed == short + 1
    assert q[1].status == "NDIS_STATUS_SUCCESS" and len(q[1].response) == short + 1
    # the status indication followed the set
    assert any(e.kind == "status indication" and e.name == "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG"
               for e in f.sim.timeline)
    assert f.sim.current.IPsecV2.Ah is False and f.sim.current.IPsecV2.Esp is True


def test_views_follow_each_step(f):
    f.initialize_button.click()
    n = len(f.sim.timeline)
    assert len(f.event_select.options) == n and f.event_select.value == f.sim.timeline[-1].seq
    assert "NdisMSetMiniportAttributes" in f.timeline_view.value
    f.query_length.value = 512
    f.query_button.click()
    ev = f.sim.timeline[-1]
    assert f.event_select.value == ev.seq
    # the response bytes appear as an annotated dump of NDIS_OFFLOAD
    assert 'class="ipsecexplore-hexdump"' in f.event_view.value
    assert 'data-structure="NDIS_OFFLOAD"' in f.event_view.value
    esp_off = ix.NdisOffload.new(revision=2).layout.field("IPsecV2.Esp").offset
    m = re.search(rf'data-offset="{esp_off}"[^>]*>([0-9a-f]{{2}})<', f.event_view.value)
    assert m and int(m.group(1), 16) == ev.response[esp_off]
    assert "InformationBufferLength = 512" in f.event_view.value
    # choosing an earlier step shows that step's bytes
    first = f.sim.timeline[0]
    f.event_select.value = first.seq
    assert "NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES" in f.event_view.value
    assert "DefaultOffloadConfiguration (NDIS_OFFLOAD)" in f.event_view.value


def test_keyword_masks_what_protocols_see(hw):
    f = FlowWidget(hardware=hw, data_paths=[])
    f.keywords["*IPsecOffloadV2"].value = "0"  # restarts the simulation with the keyword set
    assert f.sim.registry == {"*IPsecOffloadV2": "0"} and len(f.sim.timeline) == 0
    f.initialize_button.click()
    f.query_length.value = 512
    f.query_button.click()
    seen = ix.decode(f.sim.timeline[-1].response)
    direct = Simulation(hw, keywords={"*IPsecOffloadV2": "0"}, ndis="6.30")
    direct.initialize()
    assert seen.to_dict() == direct.protocol_view().to_dict()
    assert seen.IPsecV2.Esp is False and hw.IPsecV2.Esp is True


def test_sa_add_and_delete(f):
    f.initialize_button.click()
    assert f.sa_delete_button.disabled
    f.sa_add_button.click()
    ev = f.sim.timeline[-1]
    assert ev.name == f.sim.sa_oid() and ev.status == "NDIS_STATUS_SUCCESS", ev.notes
    assert len(f.sim.sas) == 1 and f.sa_handle.value in f.sim.sas and not f.sa_delete_button.disabled
    assert "IPSEC_OFFLOAD_V2_ADD_SA_EX" in f.event_view.value
    f.sa_delete_button.click()
    assert f.sim.timeline[-1].status == "NDIS_STATUS_SUCCESS" and not f.sim.sas
    assert f.sa_delete_button.disabled


def test_sa_spec_follows_controls(f):
    f.sa_direction.value = "outbound"
    f.sa_spi.value = 0xABCD
    f.sa_esn.value = True
    spec = f.sa_spec()
    assert spec["Flags"] == 0 and spec["SecAssoc"][0]["Spi"] == 0xABCD
    assert spec["SecAssoc"][0]["Flags"] == spec_constant("IPSEC_OFFLOAD_V2_ESN_SA")
    assert len(spec["Keys"]) == f.sa_key_length.value


def test_ndis_61_uses_add_sa(hw):
    f = FlowWidget(hardware=_hardware(revision=2), data_paths=[], ndis="6.1")
    f.initialize_button.click()
    f.sa_add_button.click()
    assert f.sim.timeline[-1].name == "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA"


def test_step_before_initialize_is_a_status_not_a_traceback(f):
    f.query_button.click()
    ev = f.sim.timeline[-1]
    assert not ev.ok and ev.status == "NDIS_STATUS_FAILURE"
    assert "#c92a2a" in f.event_view.value and f.error.value == ""


def test_bad_setup_is_shown_in_place():
    f = FlowWidget(hardware=b"\x00\x01", data_paths=[])
    assert "ipsecexplore-error" in f.error.value and f.sim is None
    f.initialize_button.click()  # no traceback
    assert "no simulation" in f.error.value


def test_hardware_from_builder():
    b = BuilderWidget(offload=_hardware(), load_fleet_presets=False)
    f = FlowWidget(builder=b, data_paths=[])
    assert f.hardware.value == "the builder's current bytes"
    assert f.sim.hardware.to_dict() == b.offload.to_dict()


def test_presets_without_encapsulation_are_said(tmp_path):
    from ipsecexplore.widgets.presets import Preset

    p = Preset("ps", {"IPsecV2.Esp": True, "IPsecV2.Tunnel": True, "IPsecV2.SaOffloadCapacity": 2},
               missing=("IPsecV2.Encapsulation",))
    f = FlowWidget(hardware=p, data_paths=[])
    assert "IPsecV2.Encapsulation" in f.setup_notes.value
    assert f.sim.hardware.IPsecV2.Encapsulation == spec_constant("NDIS_ENCAPSULATION_IEEE_802_3")


def test_audit(f):
    f.faults.value = ("skip_current_config_indication",)
    f.initialize_button.click()
    f.param_ipsecv2.value = spec_constant("NDIS_OFFLOAD_PARAMETERS_IPSECV2_ESP_ENABLED")
    f.param_button.click()
    f.audit_button.click()
    expected = f.sim.audit()
    assert len(expected) and all(x.rule in f.audit_view.value for x in expected)


def test_unknown_ndis_version_is_refused_by_name(hw):
    from ipsecexplore.errors import InputError

    with pytest.raises(InputError, match="6.30"):
        FlowWidget(hardware=hw, data_paths=[], ndis="6.0")


def test_hardware_choices_come_from_the_presets_view_not_their_label():
    """An adapter whose *name* reads like a hardware label is still a current view (issue 11 §10)."""
    from types import SimpleNamespace

    values = {"IPsecV2.Esp": True, "IPsecV2.SaOffloadCapacity": 2}

    def rec(adapter, view):
        return SimpleNamespace(host="H", adapter=adapter, view=view, values=values, source="s", provenance="")

    fleet = SimpleNamespace(result=SimpleNamespace(records=[rec("nic — hardware (PCI)", "current"),
                                                            rec("nic2", "hardware")]))
    f = FlowWidget(fleet=fleet, data_paths=[])
    assert list(f.hardware.options) == ["H / nic2 — hardware"]
    assert f._hardware["H / nic2 — hardware"].view == "hardware"
