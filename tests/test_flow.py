"""The simulated miniport/NDIS flow, step by step, including the failure paths.

Expected bytes and codes come from the spec (constants by name, offsets from the layouts the spec
describes), never from the simulator's own output.
"""

from __future__ import annotations

import json

import pytest
from test_rules import AH_OP, ESP_OP, IEEE, C, covers, esp_ah_sa, esp_sa, good, off

from ipsecexplore.constants import lookup
from ipsecexplore.errors import InputError
from ipsecexplore.flow import Simulation, Timeline
from ipsecexplore.flow.events import Event
from ipsecexplore.flow.sa import ADD_SA, ADD_SA_EX, build_add_sa, parse_add_sa
from ipsecexplore.layouts import layout
from ipsecexplore.model import decode_struct
from ipsecexplore.rules.base import Findings, finding

PARAM = {name: C(f"NDIS_OFFLOAD_PARAMETERS_IPSECV2_{name}") for name in
         ("DISABLED", "AH_ENABLED", "ESP_ENABLED", "AH_AND_ESP_ENABLED")}
ON = {"Enabled": "NDIS_OFFLOAD_SET_ON", "EncapsulationType": "NDIS_ENCAPSULATION_IEEE_802_3", "HeaderSize": 14}


def status(name: str) -> int:
    return int(lookup(name))


def spec(values: dict) -> dict:
    """An SA spec (no header) from the test_rules SA values, with a key area of KeyLength bytes."""
    d = {k: v for k, v in values.items() if not k.startswith("Header.")}
    d["Keys"] = bytes(range(d["KeyLength"]))
    return d


def sim(ndis="6.30", arch="x64", **kw) -> Simulation:
    s = Simulation(kw.pop("hardware", good()), ndis=ndis, arch=arch, **kw)
    return s


def ready(**kw) -> Simulation:
    s = sim(**kw)
    ev = s.initialize()
    assert ev.status == "NDIS_STATUS_SUCCESS", str(ev)
    return s


def member(data: bytes, structure: str, path: str, arch: str = "x64") -> int:
    m = layout(structure, arch).field(path)
    return int.from_bytes(data[m.offset:m.offset + m.size], "little")


# --- initialization -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("arch", ["x64", "x86"])
def test_initialize_builds_attributes_for_both_architectures(arch):
    s = sim(arch=arch, keywords={"*IPsecOffloadV2": "3"})
    ev = s.initialize()
    assert ev.status == "NDIS_STATUS_SUCCESS" and ev.status_value == status("NDIS_STATUS_SUCCESS")
    assert ev.name == "NdisMSetMiniportAttributes" and s.initialized
    name = "NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES"
    for a in ("x64", "x86"):
        data = ev.extra[f"attributes_{a}"]
        lay = layout(name, a)
        size_const = lookup("NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1")
        assert len(data) == size_const.value_for(a)
        assert data[0] == C("NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES")
        assert data[1] == C("NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1")
        assert member(data, name, "Header.Size", a) == size_const.value_for(a)
        for p in ("DefaultOffloadConfiguration", "HardwareOffloadCapabilities"):
            assert member(data, name, p, a) != 0 and lay.field(p).size == (8 if a == "x64" else 4)
        for p in ("DefaultTcpConnectionOffloadConfiguration", "TcpConnectionOffloadHardwareCapabilities"):
            assert member(data, name, p, a) == 0
    assert ev.request == ev.extra[f"attributes_{arch}"]
    hw = decode_struct("NDIS_OFFLOAD", ev.extra["HardwareOffloadCapabilities"])
    assert hw.to_dict() == s.hardware.to_dict()
    assert [e.kind for e in s.timeline] == ["call", "registry read"]


@covers("R49")
def test_initialize_derives_default_from_keywords():
    s = ready(keywords={"*IPsecOffloadV2": "2"})
    d = decode_struct("NDIS_OFFLOAD", s.timeline[0].extra["DefaultOffloadConfiguration"]).to_dict()
    assert d["IPsecV2.Ah"] is False and d["IPsecV2.Esp"] is True


@covers("R9", "R47")
def test_initialize_refuses_revision_1_default_carrying_ipsecv2():
    from ipsecexplore.model import NdisOffload

    bad = NdisOffload.from_dict({"LsoV2.IPv4.Encapsulation": IEEE}, revision=1)
    bad._set("IPsecV2.Esp", 1)  # a driver that filled IPsecV2 but declared revision 1
    s = sim(default=bad)
    ev = s.initialize()
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and not s.initialized
    assert {"R9", "R47"} <= ev.findings.rule_ids
    q = s.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", 4096)
    assert q.status == "NDIS_STATUS_FAILURE"
    assert s.set_offload_parameters({"IPsecV2": PARAM["ESP_ENABLED"]}).status == "NDIS_STATUS_FAILURE"


def test_initialize_refuses_a_wrong_attributes_header():
    s = sim(attributes_header={"Header.Type": C("NDIS_OBJECT_TYPE_OFFLOAD")})
    ev = s.initialize()
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER"
    assert any(f.rule == "R47" and "Header.Type" in f.members for f in ev.findings)
    assert ev.request[0] == C("NDIS_OBJECT_TYPE_OFFLOAD")


def test_initialize_refuses_default_that_ignores_keywords():
    s = sim(keywords={"*IPsecOffloadV2": "0"}, default=off())
    ev = s.initialize()
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and "R49" in ev.findings.rule_ids


# --- queries ------------------------------------------------------------------------------------------------

@covers("R80")
@pytest.mark.parametrize("oid", ["OID_TCP_OFFLOAD_CURRENT_CONFIG", "OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES"])
def test_query_short_buffer(oid):
    s = ready()
    need = layout("NDIS_OFFLOAD").revision_size(3)
    ev = s.query(oid, need - 1)
    assert ev.status == "NDIS_STATUS_BUFFER_TOO_SHORT" and ev.status_value == status("NDIS_STATUS_BUFFER_TOO_SHORT")
    assert ev.bytes_needed == need and ev.bytes_written is None and ev.response is None
    assert ev.code == C(oid)


@covers("R79")
def test_query_current_config_returns_masked_current():
    s = ready(keywords={"*IPsecOffloadV2IPv4": "2"})
    need = layout("NDIS_OFFLOAD").revision_size(3)
    ev = s.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", need)
    assert ev.status == "NDIS_STATUS_SUCCESS" and ev.bytes_written == need and len(ev.response) == need
    d = decode_struct("NDIS_OFFLOAD", ev.response).to_dict()
    assert d["IPsecV2.Ah"] is False and d["IPsecV2.Esp"] is True and d["IPsecV2.IPv6Supported"] is False
    hw = s.query("OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES", 4096)
    assert decode_struct("NDIS_OFFLOAD", hw.response).to_dict() == off().to_dict()


@covers("R78")
def test_set_on_query_only_oid_is_not_supported():
    s = ready()
    ev = s.oid_set("OID_TCP_OFFLOAD_CURRENT_CONFIG", b"\0" * 8)
    assert ev.status == "NDIS_STATUS_NOT_SUPPORTED"


@covers("R58")
def test_query_parameters_is_not_supported_and_unknown_oid_is_invalid():
    s = ready()
    assert s.query("OID_TCP_OFFLOAD_PARAMETERS", 64).status == "NDIS_STATUS_NOT_SUPPORTED"
    assert s.query("OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA", 256).status == "NDIS_STATUS_NOT_SUPPORTED"
    assert s.query("OID_NOT_A_THING", 64).status == "NDIS_STATUS_INVALID_OID"


def test_query_encapsulation_before_and_after_set():
    s = ready()
    ev = s.query("OID_OFFLOAD_ENCAPSULATION", 4096)
    assert member(ev.response, "NDIS_OFFLOAD_ENCAPSULATION", "IPv4.Enabled") == C("NDIS_OFFLOAD_SET_OFF")
    s.set_offload_encapsulation(ipv4=ON)
    ev = s.query("OID_OFFLOAD_ENCAPSULATION", 4096)
    assert member(ev.response, "NDIS_OFFLOAD_ENCAPSULATION", "IPv4.Enabled") == C("NDIS_OFFLOAD_SET_ON")


# --- OID_TCP_OFFLOAD_PARAMETERS -----------------------------------------------------------------------------

@covers("R66", "R67", "R72", "R73", "R76")
def test_parameters_set_full_path():
    s = ready(keywords={"*IPsecOffloadV2": "3"})
    n = len(s.timeline)
    done = s.set_offload_parameters({"IPsecV2": PARAM["ESP_ENABLED"]})
    evs = list(s.timeline)[n:]
    assert [(e.actor, e.kind) for e in evs] == [("protocol → NDIS", "OID set"), ("NDIS", "registry write"),
                                                ("miniport", "OID set"), ("miniport", "status indication")]
    assert done is evs[2] and done.status == "NDIS_STATUS_SUCCESS"
    assert done.bytes_read == layout("NDIS_OFFLOAD_PARAMETERS").revision_size(3)
    assert s.registry["*IPsecOffloadV2"] == str(PARAM["ESP_ENABLED"] - 1)
    ind = evs[3]
    assert ind.name == "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG"
    assert ind.code == C("NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG")
    assert member(ind.request, "NDIS_STATUS_INDICATION", "StatusCode") == ind.code
    assert member(ind.request, "NDIS_STATUS_INDICATION", "StatusBufferSize") == len(ind.response)
    assert member(ind.request, "NDIS_STATUS_INDICATION", "StatusBuffer") != 0
    assert ind.request[0] == C("NDIS_OBJECT_TYPE_STATUS_INDICATION")
    d = decode_struct("NDIS_OFFLOAD", ind.response).to_dict()
    assert d["IPsecV2.Ah"] is False and d["IPsecV2.Esp"] is True
    assert s.audit() == []


@pytest.mark.parametrize("arch", ["x64", "x86"])
def test_status_indication_layout_per_arch(arch):
    s = ready(arch=arch)
    s.set_offload_parameters({"IPsecV2": PARAM["AH_ENABLED"]})
    ind = s.timeline[-1]
    assert len(ind.request) == lookup("NDIS_SIZEOF_STATUS_INDICATION_REVISION_1").value_for(arch)
    assert member(ind.request, "NDIS_STATUS_INDICATION", "StatusCode", arch) == ind.code


def test_parameters_short_buffer():
    s = ready()
    ev = s.set_offload_parameters({"IPsecV2": PARAM["ESP_ENABLED"]}, buffer_length=10)
    assert ev.status == "NDIS_STATUS_INVALID_LENGTH" and ev.bytes_needed == layout(
        "NDIS_OFFLOAD_PARAMETERS").revision_size(3)
    assert s.current.to_dict()["IPsecV2.Ah"] is True and len(s.timeline) == 3


@pytest.mark.parametrize("values,code,rule", [
    ({"IPsecV2": PARAM["AH_AND_ESP_ENABLED"] + 1}, "NDIS_STATUS_INVALID_DATA", "R63"),
    ({"IPsecV2IPv4": 9}, "NDIS_STATUS_INVALID_DATA", "R63"),
    ({"IPsecV2": PARAM["ESP_ENABLED"], "IPsecV2IPv4": PARAM["ESP_ENABLED"]}, "NDIS_STATUS_INVALID_DATA", "R62"),
    ({"TCPIPv4Checksum": 7}, "NDIS_STATUS_INVALID_DATA", "R63"),
    ({"Header.Type": C("NDIS_OBJECT_TYPE_OFFLOAD"), "IPsecV2": 2}, "NDIS_STATUS_INVALID_PARAMETER", "R59"),
])
def test_parameters_rejected_with_real_codes(values, code, rule):
    s = ready(keywords={"*IPsecOffloadV2": "3"})
    before = s.current.to_dict()
    n = len(s.timeline)
    ev = s.set_offload_parameters(values)
    assert ev.status == code and ev.status_value == status(code)
    assert rule in ev.findings.rule_ids
    assert len(s.timeline) == n + 1  # no write-back, no miniport call, no indication
    assert s.current.to_dict() == before and s.registry == {"*IPsecOffloadV2": "3"}


@covers("R64")
def test_group_checksum_rule():
    s = ready(hardware=good(Flags=C("NDIS_OFFLOAD_FLAGS_GROUP_CHECKSUM_CAPABILITIES")))
    ev = s.set_offload_parameters({"IPv4Checksum": 4, "TCPIPv4Checksum": 1, "UDPIPv4Checksum": 4})
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and "R64" in ev.findings.rule_ids


def test_revision_1_parameters_leave_ipsec_alone_but_are_indicated():
    s = ready(keywords={"*IPsecOffloadV2": "3"})
    done = s.set_offload_parameters({"Header.Revision": 1, "IPsecV2": PARAM["DISABLED"]})
    assert done.status == "NDIS_STATUS_SUCCESS"
    assert s.current.to_dict()["IPsecV2.Ah"] is True and s.registry["*IPsecOffloadV2"] == "3"
    assert "R59" in s.timeline[-3].findings.rule_ids
    assert s.timeline[-1].name == "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG"
    assert s.audit() == []


def test_parameters_unsupported_by_miniport():
    s = ready(supports_offload_parameters=False)
    ev = s.set_offload_parameters({"IPsecV2": PARAM["ESP_ENABLED"]})
    assert ev.status == "NDIS_STATUS_NOT_SUPPORTED"


# --- OID_OFFLOAD_ENCAPSULATION ------------------------------------------------------------------------------

@covers("R68")
def test_encapsulation_starts_receive_processing():
    s = ready()
    ev = s.offload_sa(spec(esp_sa()))
    assert ev.status == "NDIS_STATUS_SUCCESS" and any("R68" in n for n in ev.notes)
    assert not s.receive_active
    enc = s.set_offload_encapsulation(ipv4=ON)
    assert enc.status == "NDIS_STATUS_SUCCESS" and s.receive_active
    assert s.timeline[-1].name == "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG"
    assert s.current.to_dict()["IPsecV2.Encapsulation"] == IEEE
    assert s.audit() == []


@pytest.mark.parametrize("values", [
    {"IPv4.Enabled": "NDIS_OFFLOAD_SET_ON",
     "IPv4.EncapsulationType": "NDIS_ENCAPSULATION_IEEE_802_3|NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED"},
    {"IPv4.Enabled": 7, "IPv4.EncapsulationType": "NDIS_ENCAPSULATION_IEEE_802_3"},
    {"Header.Type": "NDIS_OBJECT_TYPE_OFFLOAD", "IPv4.Enabled": "NDIS_OFFLOAD_SET_ON",
     "IPv4.EncapsulationType": "NDIS_ENCAPSULATION_IEEE_802_3"},
])
def test_encapsulation_invalid(values):
    s = ready()
    ev = s.set_offload_encapsulation(values)
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and not s.receive_active


def test_encapsulation_off_deactivates_receive():
    s = ready()
    s.set_offload_encapsulation(ipv4=ON)
    s.set_offload_encapsulation(ipv4={"Enabled": "NDIS_OFFLOAD_SET_OFF"})
    assert not s.receive_active


# --- hardware change ----------------------------------------------------------------------------------------

@covers("R74")
def test_hardware_change_indicates_and_shrinks_current():
    s = ready()
    s.hardware_change(changes={"IPsecV2.Ah": False, "IPsecV2.AhEspCombined": False})
    names = [e.name for e in s.timeline[-3:]]
    assert names == ["hardware capabilities change", "NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES",
                     "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG"]
    assert s.current.to_dict()["IPsecV2.Ah"] is False
    ev = s.set_offload_parameters({"IPsecV2": PARAM["AH_AND_ESP_ENABLED"]})
    assert s.current.to_dict()["IPsecV2.Ah"] is False and "R69" in s.timeline[-4].findings.rule_ids
    assert ev.status == "NDIS_STATUS_SUCCESS"
    q = s.query("OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES", 4096)
    assert decode_struct("NDIS_OFFLOAD", q.response).to_dict()["IPsecV2.Ah"] is False
    assert s.audit() == []


# --- SA management -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("arch", ["x64", "x86"])
@pytest.mark.parametrize("structure", [ADD_SA, ADD_SA_EX])
def test_sa_structures_build_and_parse(arch, structure):
    req = build_add_sa(spec(esp_ah_sa()), structure, arch, next_address=0x1000 if structure == ADD_SA else 0)
    lay = layout(structure, arch)
    assert req.data[0] == C("NDIS_OBJECT_TYPE_DEFAULT")
    size_name = "NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1" if structure == ADD_SA else \
        "NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1"
    assert member(req.data, structure, "Header.Size", arch) == lookup(size_name).value_for(arch)
    start = lay.field("KeyData").offset if structure == ADD_SA else member(req.data, structure, "KeyOffset", arch)
    assert req.data[start:start + 36] == bytes(range(36))
    back = parse_add_sa(req.data, structure, arch)
    assert back.keys == bytes(range(36))
    assert back.values["SecAssoc[1].Operation"] == AH_OP and back.values["NumExtHdrs"] == 2
    if structure == ADD_SA:
        assert back.values["Next"] == 0x1000


@covers("R84")
@pytest.mark.parametrize("ndis,oid", [("6.1", "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA"),
                                      ("6.20", "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA"),
                                      ("6.30", "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX")])
def test_offload_sa_picks_the_oid_by_ndis_version(ndis, oid):
    s = ready(ndis=ndis, hardware=good(Flags=0))
    ev = s.offload_sa(spec(esp_sa()))
    assert ev.name == oid and ev.code == C(oid) and ev.status == "NDIS_STATUS_SUCCESS"
    structure = ADD_SA_EX if oid.endswith("_EX") else ADD_SA
    handle = member(ev.response, structure, "OffloadHandle")
    assert handle in s.sas


def test_add_sa_ex_on_ndis_61_is_an_invalid_oid():
    s = ready(ndis="6.1", hardware=good(Flags=0))
    assert s.add_sa_ex(spec(esp_sa())).status == "NDIS_STATUS_INVALID_OID"


@covers("R86")
def test_add_sa_list_partial_success_nulls_failed_handles():
    s = ready(ndis="6.20", hardware=good(Flags=0))
    bad = spec(esp_ah_sa(**{"SecAssoc[0].Operation": AH_OP, "SecAssoc[1].Operation": ESP_OP}))
    ev = s.add_sa([spec(esp_sa()), bad])
    assert ev.status == "NDIS_STATUS_SUCCESS"
    first = ev.extra["entries"][0]["bytes"]
    h0 = member(ev.response, ADD_SA, "OffloadHandle")
    h1 = member(ev.response[len(first):], ADD_SA, "OffloadHandle")
    assert h0 in s.sas and h1 == 0 and len(s.sas) == 1
    assert member(first, ADD_SA, "Next") == int(ev.extra["entries"][1]["address"], 16)
    assert "R90" in ev.findings.rule_ids


def test_add_sa_all_invalid_fails():
    s = ready()
    ev = s.offload_sa(spec(esp_sa(NumExtHdrs=3)))
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and not s.sas
    assert member(ev.response, ADD_SA_EX, "OffloadHandle") == 0


def test_esp_then_ah_only():
    s = ready()
    assert s.offload_sa(spec(esp_ah_sa())).status == "NDIS_STATUS_SUCCESS"
    ev = s.offload_sa(spec(esp_ah_sa(**{"SecAssoc[0].Operation": AH_OP, "SecAssoc[1].Operation": ESP_OP})))
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and "R90" in ev.findings.rule_ids


@covers("R87", "R88")
def test_capacity_exceeded():
    s = ready(hardware=good(**{"IPsecV2.SaOffloadCapacity": 2}))
    for _ in range(2):
        assert s.offload_sa(spec(esp_sa())).status == "NDIS_STATUS_SUCCESS"
    ev = s.offload_sa(spec(esp_sa()))
    assert ev.status == "NDIS_STATUS_RESOURCES" and ev.status_value == status("NDIS_STATUS_RESOURCES")
    assert "R87" in ev.findings.rule_ids and len(s.sas) == 2


def test_sa_with_disabled_protocol_or_algorithm_fails():
    s = ready(keywords={"*IPsecOffloadV2": "1"})  # AH only
    ev = s.offload_sa(spec(esp_sa()))
    assert ev.status == "NDIS_STATUS_NOT_SUPPORTED" and "R87" in ev.findings.rule_ids
    s2 = ready(hardware=good(**{"IPsecV2.EncryptionAlgorithms": C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128")}))
    assert s2.offload_sa(spec(esp_sa())).status == "NDIS_STATUS_NOT_SUPPORTED"


@covers("R100")
def test_delete_unknown_sa_refused():
    s = ready()
    s.offload_sa(spec(esp_sa()))
    (h,) = s.sas
    ev = s.delete_sa([h, h + 0x10])
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and "R100" in ev.findings.rule_ids and h in s.sas
    ok = s.delete_sa(h)
    assert ok.status == "NDIS_STATUS_SUCCESS" and not s.sas
    assert member(ok.request, "IPSEC_OFFLOAD_V2_DELETE_SA", "OffloadHandle") == h


def test_delete_list_is_linked():
    s = ready()
    for _ in range(2):
        s.offload_sa(spec(esp_sa()))
    h1, h2 = s.sas
    ev = s.delete_sa([h1, h2])
    size = layout("IPSEC_OFFLOAD_V2_DELETE_SA").revision_size(1)
    assert ev.status == "NDIS_STATUS_SUCCESS" and len(ev.request) == 2 * size
    assert member(ev.request, "IPSEC_OFFLOAD_V2_DELETE_SA", "Next") != 0
    assert member(ev.request[size:], "IPSEC_OFFLOAD_V2_DELETE_SA", "Next") == 0


@covers("R102", "R114")
def test_update_sa_esn():
    s = ready()
    s.offload_sa(spec(esp_sa()))
    (h,) = s.sas
    ev = s.update_sa(h, "IPsecOffloadV2Esp", 0x100, 0x2A)
    assert ev.status == "NDIS_STATUS_SUCCESS"
    assert s.sas[h].values["SecAssoc[0].SequenceNumberHighOrder"] == 0x2A
    assert member(ev.request, "IPSEC_OFFLOAD_V2_UPDATE_SA", "SequenceNumberHighOrder") == 0x2A
    for args in ((h + 1, "IPsecOffloadV2Esp", 0x100), (h, "IPsecOffloadV2Esp", 0x999), (h, "IPsecOffloadV2Ah", 0x100)):
        bad = s.update_sa(*args, 1)
        assert bad.status == "NDIS_STATUS_INVALID_PARAMETER" and "R102" in bad.findings.rule_ids


def test_update_sa_without_esn_support():
    s = ready(hardware=good(**{"IPsecV2.ExtendedSequenceNumbers": False}))
    s.offload_sa(spec(esp_sa(**{"SecAssoc[0].Flags": 0})))
    (h,) = s.sas
    ev = s.update_sa(h, "IPsecOffloadV2Esp", 0x100, 1)
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and "R102" in ev.findings.rule_ids


@covers("R101", "R104")
def test_sa_removal_rules():
    s = ready()
    s.offload_sa(spec(esp_sa()))
    (h,) = s.sas
    ev = s.nic_drop_sa(h)
    assert "R101" in ev.findings.rule_ids and h in s.sas
    req = s.nic_request_sa_delete(h)
    assert s.sas[h].delete_requested and req.request is not None
    assert h in s.sas  # still there until DELETE_SA
    s.remove_nic()
    assert not s.sas


# --- timeline rendering ----------------------------------------------------------------------------------

def test_timeline_renders_and_escapes():
    found = Findings([finding("R35", "m <b>bold</b>", ("<p>",))])
    tl = Timeline([Event(1, "<actor>", "OID set", "OID_<x>", code=1, request=b"\x01\x02", status="NDIS_STATUS_SUCCESS",
                         status_value=0, notes=["a <script>alert(1)</script>"], findings=found)])
    html = tl._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>bold</b>" not in html
    assert "<table>" in html and "OID_&lt;x&gt;" in html
    text = str(tl)
    assert "OID_<x>" in text and "NDIS_STATUS_SUCCESS (0x00000000)" in text
    data = json.loads(tl.to_json())
    assert data[0]["request"] == "0102" and data[0]["findings"][0]["rule"] == "R35"
    assert data[0]["not_checked"] == []


def test_event_json_keeps_the_checks_that_did_not_run():
    found = Findings([finding("R35", "m")], skipped=[("R43", "no LSO members")])
    data = Event(1, "NDIS", "call", "x", findings=found).to_dict()
    assert [f["rule"] for f in data["findings"]] == ["R35"]
    assert data["not_checked"] == [dict(data["not_checked"][0], rule="R43", severity="skipped", members=[],
                                        message="no LSO members")]


def test_every_step_is_an_event_with_order():
    s = ready()
    s.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", 8)
    s.set_offload_parameters({"IPsecV2": PARAM["AH_ENABLED"]})
    assert [e.seq for e in s.timeline] == list(range(1, len(s.timeline) + 1))
    json.loads(s.timeline.to_json())
    assert "NDIS_STATUS_BUFFER_TOO_SHORT (0xC0010016)" in str(s.timeline)


def test_bad_simulation_arguments():
    with pytest.raises(InputError):
        Simulation(good(), arch="arm")
    with pytest.raises(InputError):
        Simulation(good(), faults=["not_a_fault"])
