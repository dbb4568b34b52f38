"""Every checked rule: one configuration that breaks it and one that keeps it.

``CASES`` maps a rule id to two functions returning findings: the first must report the rule, the second
must not. The suite fails if a rule that the rule book gives a ``Check:`` line or a simulator note — or that
ipsecexplore checks anywhere (``checked_rules()``) — has neither a case here nor a behaviour test
(``covers``, used by tests/test_flow.py). Inputs are built from constant names; expectations are rule ids
from the rule book, never values computed by the code under test.
"""

from __future__ import annotations

import pytest

from ipsecexplore.constants import lookup
from ipsecexplore.layouts import layout
from ipsecexplore.model import NdisOffload
from ipsecexplore.rules import RULES, Findings, OffloadAttributes, checked_rules, validate

# rule id -> names of behaviour tests (tests/test_flow.py, tests/test_effective.py) that cover it
COVERED_BY_BEHAVIOUR: dict[str, set[str]] = {}


def covers(*rule_ids: str):
    """Mark a behaviour test as the test of ``rule_ids`` (for rules the simulator enforces as behaviour)."""

    def deco(fn):
        for r in rule_ids:
            COVERED_BY_BEHAVIOUR.setdefault(r, set()).add(fn.__name__)
        return fn

    return deco


def C(*names: str) -> int:
    """OR of constants by exact macro name."""
    v = 0
    for n in names:
        v |= int(lookup(n))
    return v


IEEE = C("NDIS_ENCAPSULATION_IEEE_802_3")
SUP = C("NDIS_OFFLOAD_SUPPORTED")
ESP_OP, AH_OP = C("IPsecOffloadV2Esp"), C("IPsecOffloadV2Ah")
BOOLS = ("IPv6Supported", "IPv4Options", "IPv6NonIPsecExtensionHeaders", "Ah", "Esp", "AhEspCombined", "Transport",
         "Tunnel", "TransportTunnelCombined", "LsoSupported", "ExtendedSequenceNumbers")


def good(**over) -> dict:
    """A complete, rule-abiding configuration (flat dotted paths, no header): checksums and LSOv2 with 802.3,
    both coexistence flags, and an IPsecV2 block offering everything consistently."""
    d = {}
    for part in ("IPv4Transmit", "IPv4Receive"):
        d[f"Checksum.{part}.Encapsulation"] = IEEE
        for f in ("TcpChecksum", "UdpChecksum", "IpChecksum"):
            d[f"Checksum.{part}.{f}"] = SUP
    d.update({"LsoV2.IPv4.Encapsulation": IEEE, "LsoV2.IPv4.MaxOffLoadSize": 65536, "LsoV2.IPv4.MinSegmentCount": 2,
              "Flags": C("IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE",
                         "IPSEC_OFFLOAD_V2_AND_UDP_CHECKSUM_COEXISTENCE")})
    for b in BOOLS:
        d[f"IPsecV2.{b}"] = True
    d["IPsecV2.Encapsulation"] = IEEE
    d["IPsecV2.UdpEsp"] = C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT",
                            "IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL",
                            "IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL",
                            "IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL")
    d["IPsecV2.AuthenticationAlgorithms"] = C("IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1",
                                              "IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128")
    d["IPsecV2.EncryptionAlgorithms"] = C("IPSEC_OFFLOAD_V2_ENCRYPTION_NONE", "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128",
                                          "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128")
    d["IPsecV2.SaOffloadCapacity"] = 16
    d.update(over)
    return d


def off(revision: int = 3, **over) -> NdisOffload:
    """``good()`` as an NdisOffload of ``revision`` (3 = NDIS 6.30, where every member of good() is named)."""
    return NdisOffload.from_dict(good(**over), revision=revision)


def block(**over) -> dict:
    """The IPsecV2 block of ``good()`` alone (paths without the prefix)."""
    return {k[len("IPsecV2."):]: v for k, v in good(**over).items() if k.startswith("IPsecV2.")}


def patched(obj: NdisOffload, path: str, value: int) -> bytes:
    """Bytes of ``obj`` with one member's bytes overwritten at its layout offset (to forge odd input)."""
    data = bytearray(obj.encode())
    m = obj.layout.field(path)
    data[m.offset:m.offset + m.size] = value.to_bytes(m.size, "little")
    return bytes(data)


def esp_sa(**over) -> dict:
    """One inbound ESP SA with AES-GCM-128 and ESN, as ADD_SA values with a header."""
    d = {"Header.Revision": 1, "NumExtHdrs": 1, "Flags": C("IPSEC_OFFLOAD_V2_INBOUND"),
         "SecAssoc[0].Operation": ESP_OP, "SecAssoc[0].Spi": 0x100, "SecAssoc[0].Flags": C("IPSEC_OFFLOAD_V2_ESN_SA"),
         "SecAssoc[0].EncryptionAlgorithm.Identifier": C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"),
         "SecAssoc[0].EncryptionAlgorithm.KeyLength": 20, "SecAssoc[0].EncryptionAlgorithm.AdditionalInfo": 16,
         "KeyLength": 20}
    d.update(over)
    return d


def esp_ah_sa(**over) -> dict:
    """An AH+ESP bundle in the one allowed order: ESP (AES-CBC-128) then AH (SHA-1)."""
    d = {"Header.Revision": 1, "NumExtHdrs": 2, "Flags": 0,
         "SecAssoc[0].Operation": ESP_OP, "SecAssoc[0].Spi": 0x200,
         "SecAssoc[0].EncryptionAlgorithm.Identifier": C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128"),
         "SecAssoc[0].EncryptionAlgorithm.KeyLength": 16,
         "SecAssoc[1].Operation": AH_OP, "SecAssoc[1].Spi": 0x201,
         "SecAssoc[1].AuthenticationAlgorithm.Identifier": C("IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1"),
         "SecAssoc[1].AuthenticationAlgorithm.KeyLength": 20,
         "SecAssoc[1].AuthenticationAlgorithm.KeyOffsetBytes": 16, "KeyLength": 36}
    d.update(over)
    return d


def sa(values: dict, structure: str = "IPSEC_OFFLOAD_V2_ADD_SA", current=None, arch: str = "x64") -> Findings:
    ctx = {"structure": structure, "arch": arch, "current": current if current is not None else off()}
    return validate(values, ctx)


def params(**values) -> dict:
    """NDIS_OFFLOAD_PARAMETERS values; the header defaults to revision 3."""
    values.setdefault("Header.Revision", 3)
    return values


P = {"structure": "NDIS_OFFLOAD_PARAMETERS"}


def attrs(default, hardware=None, **header) -> OffloadAttributes:
    return OffloadAttributes(default, hardware if hardware is not None else off(), "x64",
                             {f"Header.{k}": v for k, v in header.items()} or None)


def _sim(**kw):
    from ipsecexplore.flow import Simulation

    return Simulation(good(), ndis=kw.pop("ndis", "6.30"), **kw)


def _sim_findings(sim) -> Findings:
    return sim.findings


def _flow_R56(disable):
    s = _sim(disable_task_offload=disable)
    s.initialize()
    s.set_offload_encapsulation(ipv4={"Enabled": "NDIS_OFFLOAD_SET_ON", "EncapsulationType": IEEE, "HeaderSize": 14})
    return s.findings


def _flow_R58(supported):
    s = _sim(supports_offload_parameters=supported)
    s.initialize()
    s.set_offload_parameters({"IPsecV2": C("NDIS_OFFLOAD_PARAMETERS_IPSECV2_ESP_ENABLED")})
    return s.findings


def _flow_fault(fault, step):
    # keyword "1" (AH only) makes the default, the changed and the hardware configurations all differ
    s = _sim(faults=[fault] if fault else [], keywords={"*IPsecOffloadV2": "1"})
    s.initialize()
    step(s)
    return s.findings


def _params_step(s):
    s.set_offload_parameters({"IPsecV2": C("NDIS_OFFLOAD_PARAMETERS_IPSECV2_ESP_ENABLED")})


def _hw_step(s):
    s.hardware_change(changes={"IPsecV2.Ah": False, "IPsecV2.AhEspCombined": False})


def _flow_query(length):
    s = _sim()
    s.initialize()
    s.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", length)
    return s.findings


def _flow_R84(wrong):
    s = _sim(ndis="6.1")
    s.initialize()
    spec = {k: v for k, v in esp_sa().items() if not k.startswith("Header.")}
    (s.add_sa_ex if wrong else s.offload_sa)(spec)
    return s.findings


def _flow_capacity(n, faults=()):
    s = Simulation_with_capacity(2, faults)
    s.initialize()
    spec = {k: v for k, v in esp_sa().items() if not k.startswith("Header.")}
    for _ in range(n):
        s.offload_sa(spec)
    return s.findings


def Simulation_with_capacity(cap, faults=()):
    from ipsecexplore.flow import Simulation

    return Simulation(good(**{"IPsecV2.SaOffloadCapacity": cap}), ndis="6.30", faults=faults)


def _flow_delete(unknown):
    s = _sim()
    s.initialize()
    s.offload_sa({k: v for k, v in esp_sa().items() if not k.startswith("Header.")})
    handle = next(iter(s.sas))
    s.delete_sa([handle + 1 if unknown else handle])
    return s.findings


def _flow_drop(drop):
    s = _sim()
    s.initialize()
    s.offload_sa({k: v for k, v in esp_sa().items() if not k.startswith("Header.")})
    handle = next(iter(s.sas))
    if drop:
        s.nic_drop_sa(handle)
    else:
        s.nic_request_sa_delete(handle)
        s.delete_sa([handle])
    return s.findings


def _flow_update(unknown):
    s = _sim()
    s.initialize()
    s.offload_sa({k: v for k, v in esp_sa().items() if not k.startswith("Header.")})
    handle = next(iter(s.sas))
    s.update_sa(handle + 1 if unknown else handle, "IPsecOffloadV2Esp", 0x100, 7)
    return s.findings


_GRE_USO = "EncapsulatedPacketTaskOffloadGre.UsoSupported"
_SKIP = C("NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE")
_HW_NO_AH = good(**{"IPsecV2.Ah": False, "IPsecV2.AhEspCombined": False})
_GROUP = C("NDIS_OFFLOAD_FLAGS_GROUP_CHECKSUM_CAPABILITIES")
_NO_LSO = {"LsoV2.IPv4.Encapsulation": 0, "LsoV2.IPv4.MaxOffLoadSize": 0, "LsoV2.IPv4.MinSegmentCount": 0}
_NO_TCP_CKS = {"Checksum.IPv4Transmit.TcpChecksum": 0, "Checksum.IPv4Receive.TcpChecksum": 0}

CASES = {
    "R5": (lambda: validate(off(**{"IPsecV1.Supported.Encapsulation": IEEE, "IPsecV1.IPv4AH.Md5": SUP})),
           lambda: validate(off())),
    "R8": (lambda: validate(patched(off(), "Header.Type", C("NDIS_OBJECT_TYPE_DEFAULT")),
                            P | {"structure": "NDIS_OFFLOAD"}),
           lambda: validate(off().encode())),
    "R9": (lambda: validate({"Header.Revision": 1, "IPsecV2.Esp": True, "IPsecV2.Tunnel": True}),
           lambda: validate(off(revision=2, Flags=0))),
    "R10": (lambda: validate(off(), {"ndis": "6.1"}), lambda: validate(off(), {"ndis": "6.30"})),
    "R11": (lambda: validate(off(**{_GRE_USO: 1})), lambda: validate(off(7, **{_GRE_USO: 1}))),
    "R12": (lambda: validate(_with_padding(off())), lambda: validate(off().encode())),
    "R13": (lambda: validate(patched(off(), "IPsecV2.Esp", 2)), lambda: validate(patched(off(), "IPsecV2.Esp", 1))),
    "R14": (lambda: validate(off(**{"IPsecV2.Encapsulation": C("NDIS_ENCAPSULATION_NULL")})), lambda: validate(off())),
    "R32": (lambda: validate(off(revision=2)), lambda: validate(off(revision=3))),
    "R33": (lambda: validate(off(**_NO_TCP_CKS)), lambda: validate(off())),
    "R34": (lambda: validate(off(**{"IPsecV2.Tunnel": False, "IPsecV2.TransportTunnelCombined": False})),
            lambda: validate(off())),
    "R35": (lambda: validate(block(Ah=False, **{"IPsecV2.Ah": False})),
            lambda: validate(block())),
    "R36": (lambda: validate(off(**{"IPsecV2.Transport": False})), lambda: validate(off())),
    "R37": (lambda: validate(off(**{"IPsecV2.AuthenticationAlgorithms": 0})), lambda: validate(off())),
    "R38": (lambda: validate(off(**{"IPsecV2.AuthenticationAlgorithms": 0, "IPsecV2.Ah": False})),
            lambda: validate(off())),
    "R39": (lambda: validate(off(**{"IPsecV2.AuthenticationAlgorithms": 0x8000})), lambda: validate(off())),
    "R40": (lambda: validate(off(**{"IPsecV2.Ah": False, "IPsecV2.Esp": False})),
            lambda: validate(off(**{f"IPsecV2.{m.path}": 0 for m in layout("NDIS_IPSEC_OFFLOAD_V2").leaves}))),
    "R41": (lambda: validate(block(**{"IPsecV2.Transport": False, "IPsecV2.Tunnel": False})),
            lambda: validate(block())),
    "R42": (lambda: validate(off(**{"IPsecV2.IPv6Supported": False})), lambda: validate(off())),
    "R43": (lambda: validate(off(**_NO_LSO)), lambda: validate(off())),
    "R44": (lambda: validate(off(**{"IPsecV2.SaOffloadCapacity": 0})), lambda: validate(off())),
    "R45": (lambda: validate(off(**{"IPsecV2.Transport": False, "IPsecV2.TransportTunnelCombined": False})),
            lambda: validate(off())),
    "R47": (lambda: validate(attrs(NdisOffload.from_dict({"LsoV2.IPv4.Encapsulation": IEEE}, revision=1))),
            lambda: validate(attrs(off()))),
    "R48": (lambda: validate(off(), {"hardware": _HW_NO_AH | {"Header.Revision": 3}}),
            lambda: validate(off(), {"hardware": off()})),
    "R49": (lambda: validate(attrs(off()), {"keywords": {"*IPsecOffloadV2": "2"}}),
            lambda: validate(attrs(off()), {"keywords": {"*IPsecOffloadV2": "3"}})),
    "R51": (lambda: validate({"*IPsecOffloadV2": "7"}), lambda: validate({"*IPsecOffloadV2": "3"})),
    "R53": (lambda: validate({"*IPsecOffloadV2": "3", "*IPsecOffloadV2IPv4": "3"}),
            lambda: validate({"*IPsecOffloadV2IPv4": "3"})),
    "R56": (lambda: _flow_R56(True), lambda: _flow_R56(False)),
    "R57": (lambda: validate(off(**{"IPsecV2.Ah": False, "IPsecV2.AhEspCombined": False}), {"hardware": off()}),
            lambda: validate(off(), {"hardware": off()})),
    "R58": (lambda: _flow_R58(False), lambda: _flow_R58(True)),
    "R59": (lambda: validate(params(**{"Header.Revision": 1, "IPsecV2": 4}), P),
            lambda: validate(params(**{"Header.Revision": 2, "IPsecV2": 4}), P)),
    "R61": (lambda: validate(params(IPsecV2IPv4=4), P | {"hardware": off()}),
            lambda: validate(params(IPsecV2=4), P | {"hardware": off()})),
    "R62": (lambda: validate(params(IPsecV2=4, IPsecV2IPv4=4), P), lambda: validate(params(IPsecV2=4), P)),
    "R63": (lambda: validate(params(IPsecV2=5), P), lambda: validate(params(IPsecV2=4), P)),
    "R64": (lambda: validate(params(IPv4Checksum=4, TCPIPv4Checksum=1, UDPIPv4Checksum=4),
                             P | {"hardware": off(Flags=_GROUP)}),
            lambda: validate(params(IPv4Checksum=4, TCPIPv4Checksum=4, UDPIPv4Checksum=4),
                             P | {"hardware": off(Flags=_GROUP)})),
    "R65": (lambda: validate(params(**{"Header.Revision": 2, "Flags": _SKIP}), P),
            lambda: validate(params(**{"Header.Revision": 3, "Flags": _SKIP}), P)),
    "R67": (lambda: _flow_fault("stale_current_config_indication", _params_step),
            lambda: _flow_fault(None, _params_step)),
    "R69": (lambda: validate(params(IPsecV2=2), P | {"hardware": _HW_NO_AH | {"Header.Revision": 3}}),
            lambda: validate(params(IPsecV2=3), P | {"hardware": _HW_NO_AH | {"Header.Revision": 3}})),
    "R72": (lambda: _flow_fault("skip_current_config_indication", _params_step),
            lambda: _flow_fault(None, _params_step)),
    "R73": (lambda: _flow_fault("indicate_hardware_as_current", _params_step),
            lambda: _flow_fault(None, _params_step)),
    "R74": (lambda: _flow_fault("skip_hardware_indication", _hw_step), lambda: _flow_fault(None, _hw_step)),
    "R80": (lambda: _flow_query(16), lambda: _flow_query(4096)),
    "R84": (lambda: _flow_R84(True), lambda: _flow_R84(False)),
    "R85": (lambda: sa(esp_sa(**{"Header.Type": C("NDIS_OBJECT_TYPE_OFFLOAD")})), lambda: sa(esp_sa())),
    "R87": (lambda: sa(esp_sa(), current=off(**{"IPsecV2.Esp": False, "IPsecV2.UdpEsp": 0,
                                               "IPsecV2.AhEspCombined": False})),
            lambda: sa(esp_sa())),
    "R88": (lambda: _flow_capacity(3, ["ignore_sa_capacity"]), lambda: _flow_capacity(3)),
    "R89": (lambda: sa(esp_sa(NumExtHdrs=3)), lambda: sa(esp_sa())),
    "R90": (lambda: sa(esp_ah_sa(**{"SecAssoc[0].Operation": AH_OP, "SecAssoc[1].Operation": ESP_OP})),
            lambda: sa(esp_ah_sa())),
    "R91": (lambda: sa(esp_sa(Flags=0x2)), lambda: sa(esp_sa())),
    "R93": (lambda: sa(esp_sa(**{"SecAssoc[0].Operation": C("IPsecOffloadV2Max")})), lambda: sa(esp_sa())),
    "R94": (lambda: sa(esp_ah_sa(**{"SecAssoc[1].EncryptionAlgorithm.Identifier":
                                    C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128")})),
            lambda: sa(esp_ah_sa())),
    "R95": (lambda: sa(esp_sa(**{"SecAssoc[0].AuthenticationAlgorithm.Identifier":
                                 C("IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1")})),
            lambda: sa(esp_sa())),
    "R96": (lambda: sa(esp_sa(**{"SecAssoc[0].EncryptionAlgorithm.Identifier":
                                 C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128",
                                   "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128")})),
            lambda: sa(esp_sa())),
    "R97": (lambda: sa(esp_sa(**{"SecAssoc[0].EncryptionAlgorithm.KeyOffsetBytes": 8})), lambda: sa(esp_sa())),
    "R98": (lambda: sa(esp_sa(VlanId=5), "IPSEC_OFFLOAD_V2_ADD_SA_EX"),
            lambda: sa(esp_sa(KeyOffset=layout("IPSEC_OFFLOAD_V2_ADD_SA_EX").sizeof), "IPSEC_OFFLOAD_V2_ADD_SA_EX")),
    "R99": (lambda: sa(esp_sa(UdpEspEncapsulation=C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT",
                                                    "IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL"))),
            lambda: sa(esp_sa(UdpEspEncapsulation=C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT")))),
    "R100": (lambda: _flow_delete(True), lambda: _flow_delete(False)),
    "R101": (lambda: _flow_drop(True), lambda: _flow_drop(False)),
    "R102": (lambda: _flow_update(True), lambda: _flow_update(False)),
    "R109": (lambda: sa(esp_sa(UdpEspEncapsulation=C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT",
                                                     "IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL"))),
             lambda: sa(esp_sa(UdpEspEncapsulation=C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL")))),
    "R112": (lambda: sa(esp_sa(**{"SecAssoc[0].Flags": 0x2})), lambda: sa(esp_sa())),
    "R113": (lambda: sa(esp_sa(), current=off(**{"IPsecV2.ExtendedSequenceNumbers": False})), lambda: sa(esp_sa())),
}


def _with_padding(obj: NdisOffload) -> bytes:
    """``obj`` with its first padding byte inside Header.Size set to 0xAA."""
    data = bytearray(obj.encode())
    pad = next(o for o, n in obj.layout.padding() if o < len(data))
    data[pad] = 0xAA
    return bytes(data)


@pytest.mark.parametrize("rule_id", sorted(CASES, key=lambda r: int(r[1:])))
def test_rule_broken_and_kept(rule_id):
    broken, kept = CASES[rule_id]
    b = broken()
    assert rule_id in b.rule_ids, f"{rule_id} not reported for the breaking configuration:\n{b}"
    k = kept()
    assert rule_id not in k.rule_ids, f"{rule_id} reported for the keeping configuration:\n{k.by_rule(rule_id)}"


def _behaviour_covered() -> dict:
    import test_effective  # noqa: F401  (registers its @covers)
    import test_flow  # noqa: F401

    return COVERED_BY_BEHAVIOUR


def test_every_checked_rule_has_a_test():
    """A rule with a Check:/Simulator line in the rule book, or checked anywhere, needs a case or a
    behaviour test."""
    covered = set(CASES) | set(_behaviour_covered())
    must = {r.id for r in RULES.values() if r.has_check} | set(checked_rules())
    missing = sorted(must - covered, key=lambda r: int(r[1:]))
    assert not missing, f"rules without a test: {missing}"


def test_rules_with_check_lines_are_checked_somewhere():
    """Every rule the rule book gives a Check: line or simulator note is implemented (validate or flow)."""
    places = checked_rules()
    unchecked = sorted((r.id for r in RULES.values() if r.has_check and r.id not in places), key=lambda r: int(r[1:]))
    assert not unchecked, f"rules with a Check: line that nothing checks: {unchecked}"


def test_baseline_configuration_is_clean():
    """The keeping baseline reports nothing at all, as object, bytes, dict and with itself as hardware."""
    for obj in (off(), off().encode(), good() | {"Header.Revision": 3}):
        assert validate(obj) == [], str(validate(obj))
    assert validate(off(), {"hardware": off()}) == []


@pytest.mark.parametrize("rule_id", sorted(CASES, key=lambda r: int(r[1:])))
def test_inferred_findings_are_never_errors(rule_id):
    """Findings whose basis includes INF or RE are at most warnings and say so in the message."""
    for f in CASES[rule_id][0]():
        if f.inferred:
            assert f.severity != "error"
            assert "inferred" in f.message or "decompiled" in f.message


@pytest.mark.parametrize("rule_id", sorted(CASES, key=lambda r: int(r[1:])))
def test_findings_carry_rule_metadata(rule_id):
    """Each finding names a known rule, a severity not above the rule's, and the rule's source page."""
    order = {"info": 0, "warning": 1, "error": 2}
    for f in CASES[rule_id][0]():
        rule = RULES[f.rule]
        assert order[f.severity] <= order[rule.severity]
        assert f.source == rule.source
        assert f.message


# --- specific behaviours of single rules ------------------------------------------------------------------

def test_r9_aborts_ipsecv2_checks():
    """A revision-1 object carrying IPsecV2 earns R9, and no IPsecV2 rule runs on the absent block."""
    found = validate({"Header.Revision": 1, "IPsecV2.Ah": True})  # Ah without Tunnel would be R34
    assert "R9" in found.rule_ids and "R34" not in found.rule_ids


def test_r9_rev1_without_ipsecv2_is_noted_not_reported():
    found = validate(NdisOffload.from_dict({"LsoV2.IPv4.Encapsulation": IEEE}, revision=1))
    assert "R9" not in found.rule_ids
    assert any(r == "R9" for r, _ in found.skipped)


def test_r9_rev1_bytes_with_trailing_ipsecv2_data():
    """The bytes of a driver bug: a full buffer with IPsecV2 set but the header saying revision 1."""
    full = bytearray(off().encode())
    full[1] = 1
    hs = layout("NDIS_OFFLOAD").field("Header.Size")
    full[hs.offset:hs.offset + 2] = layout("NDIS_OFFLOAD").revision_size(1).to_bytes(2, "little")
    assert "R9" in validate(bytes(full)).rule_ids


def test_r8_size_smaller_than_macro():
    data = bytearray(off().encode())
    hs = layout("NDIS_OFFLOAD").field("Header.Size")
    data[hs.offset:hs.offset + 2] = (layout("NDIS_OFFLOAD").revision_size(3) - 1).to_bytes(2, "little")
    found = validate(bytes(data))
    assert any(f.rule == "R8" and "Header.Size" in f.members and f.severity == "error" for f in found)


def test_r10_larger_size_accepted_but_flagged_for_writers():
    data = off().encode() + b"\0\0\0\0"
    data = bytearray(data)
    hs = layout("NDIS_OFFLOAD").field("Header.Size")
    data[hs.offset:hs.offset + 2] = len(data).to_bytes(2, "little")
    found = validate(bytes(data))
    assert "R8" not in found.rule_ids and "R10" in found.rule_ids


def test_r14_applies_to_every_substructure():
    found = validate(off(**{"LsoV2.IPv4.Encapsulation": C("NDIS_ENCAPSULATION_NULL")}))
    assert any(f.rule == "R14" and "LsoV2.IPv4.Encapsulation" in f.members for f in found)


def test_r34_is_an_error_with_the_teaching_note():
    f = validate(off(**{"IPsecV2.Tunnel": False, "IPsecV2.TransportTunnelCombined": False})).by_rule("R34")[0]
    assert f.severity == "error" and "ixgbe" in f.message


def test_r43_skipped_on_a_bare_block_and_checked_with_context():
    found = validate(block())
    assert any(r == "R43" for r, _ in found.skipped)
    found = validate(block(), {"offload": off(**_NO_LSO)})
    assert "R43" in found.rule_ids


def test_r48_limit_and_level_kinds():
    hw = off(**{"IPsecV2.SaOffloadCapacity": 4})
    found = validate(off(), {"hardware": hw})
    assert any(f.rule == "R48" and "IPsecV2.SaOffloadCapacity" in f.members for f in found)


def test_r85_size_sizeof_accepted_other_size_warned():
    lay = layout("IPSEC_OFFLOAD_V2_ADD_SA")
    assert "R85" not in sa(esp_sa(**{"Header.Size": lay.sizeof})).rule_ids
    f = sa(esp_sa(**{"Header.Size": lay.sizeof + 4})).by_rule("R85")
    assert f and all(x.severity == "warning" for x in f)


def test_r85_x86_sizes():
    lay = layout("IPSEC_OFFLOAD_V2_ADD_SA", "x86")
    assert "R85" not in sa(esp_sa(**{"Header.Size": lay.revision_size(1)}), arch="x86").rule_ids
    assert "R85" in sa(esp_sa(**{"Header.Size": layout("IPSEC_OFFLOAD_V2_ADD_SA").revision_size(1)}),
                       arch="x86").rule_ids


def test_r89_two_headers_need_ahespcombined():
    found = sa(esp_ah_sa(), current=off(**{"IPsecV2.AhEspCombined": False}))
    assert any(f.rule == "R89" and f.severity == "warning" for f in found)


def test_sa_rules_without_current_are_skipped_not_dropped():
    found = validate(esp_sa(), {"structure": "IPSEC_OFFLOAD_V2_ADD_SA"})
    skipped = {r for r, _ in found.skipped}
    assert {"R96", "R113"} <= skipped


def test_update_sa_operation_checked():
    from ipsecexplore.flow.sa import build_update_sa

    data = build_update_sa(0x1000, C("IPsecOffloadV2Max"), 1, 0)
    assert "R93" in validate(data, {"structure": "IPSEC_OFFLOAD_V2_UPDATE_SA"}).rule_ids


def test_attributes_header_checked_per_arch():
    a = OffloadAttributes(off(), off(), "x86", {"Header.Size": layout("NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES",
                                                                      "x64").revision_size(1)})
    assert any(f.rule == "R47" and "Header.Size" in f.members for f in validate(a))
    assert validate(OffloadAttributes(off(), off(), "x86")) == []


def test_attributes_null_default_is_an_error():
    found = validate(OffloadAttributes(None, off()))
    assert any(f.rule == "R47" and f.severity == "error" for f in found)


def test_attributes_members_are_labelled_by_pointer():
    found = validate(attrs(off(**{"IPsecV2.Tunnel": False, "IPsecV2.TransportTunnelCombined": False})))
    assert any(m.startswith("DefaultOffloadConfiguration->") for f in found.by_rule("R34") for m in f.members)
