"""Property tests: validate() never fails with anything but a typed error, SA structures round-trip, the
effective configuration never goes beyond the hardware, and value parsing accepts what it documents."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules import BOOLS, good, off

from ipsecexplore.constants import IPSEC_OFFLOAD_V2_AUTHENTICATION, IPSEC_OFFLOAD_V2_ENCRYPTION, lookup
from ipsecexplore.effective import effective_configuration
from ipsecexplore.errors import IpsecExploreError
from ipsecexplore.flow.sa import ADD_SA, ADD_SA_EX, build_add_sa, parse_add_sa
from ipsecexplore.layouts import layout
from ipsecexplore.model import NdisOffload
from ipsecexplore.rules import Findings, OffloadAttributes, parse_value, validate

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(min_size=0, max_size=260))
def test_validate_random_offload_bytes(data):
    """Arbitrary bytes with an NDIS_OFFLOAD type byte: findings or a typed error, never a crash."""
    data = bytes([0xA7]) + data[1:] if data else data
    try:
        found = validate(data, {"structure": "NDIS_OFFLOAD"})
    except IpsecExploreError:
        return
    assert isinstance(found, Findings)
    str(found), found._repr_html_(), found.to_json()


@SETTINGS
@given(st.sampled_from(["NDIS_OFFLOAD_PARAMETERS", "IPSEC_OFFLOAD_V2_ADD_SA", "IPSEC_OFFLOAD_V2_ADD_SA_EX",
                        "IPSEC_OFFLOAD_V2_DELETE_SA", "IPSEC_OFFLOAD_V2_UPDATE_SA", "NDIS_IPSEC_OFFLOAD_V2"]),
       st.sampled_from(["x64", "x86"]), st.binary(min_size=0, max_size=240))
def test_validate_random_bytes_any_structure(structure, arch, data):
    try:
        found = validate(data, {"structure": structure, "arch": arch, "current": off()})
    except IpsecExploreError:
        return
    assert isinstance(found, Findings)


def _mask(cls) -> int:
    v = 0
    for m in cls.__members__.values():
        v |= int(m)
    return v


ipsec_blocks = st.fixed_dictionaries(
    {**{f"IPsecV2.{b}": st.booleans() for b in BOOLS},
     "IPsecV2.Encapsulation": st.integers(0, 0x1F),
     "IPsecV2.UdpEsp": st.integers(0, 0xF),
     "IPsecV2.AuthenticationAlgorithms": st.integers(0, _mask(IPSEC_OFFLOAD_V2_AUTHENTICATION)),
     "IPsecV2.EncryptionAlgorithms": st.integers(0, _mask(IPSEC_OFFLOAD_V2_ENCRYPTION)),
     "IPsecV2.SaOffloadCapacity": st.integers(0, 4096)})


@SETTINGS
@given(ipsec_blocks, st.sampled_from(["0", "1", "2", "3", "9"]), st.lists(st.integers(0, 4), max_size=3))
def test_effective_never_exceeds_hardware(block, keyword, requests):
    """Whatever the keywords and PARAMETERS requests, the current and effective configurations stay within
    the hardware capabilities (R48, R69), and validate() agrees."""
    hw = NdisOffload.from_dict(good(**block), revision=3)
    cfg = effective_configuration(hw, {"*IPsecOffloadV2": keyword}, [{"IPsecV2": v} for v in requests])
    for obj in (cfg.current, cfg.effective):
        assert "R48" not in validate(obj, {"hardware": hw}).rule_ids


@SETTINGS
@given(st.sampled_from([ADD_SA, ADD_SA_EX]), st.sampled_from(["x64", "x86"]), st.integers(1, 2),
       st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF), st.binary(min_size=0, max_size=64),
       st.integers(0, 0xFFFFFFFF))
def test_sa_build_parse_roundtrip(structure, arch, n, spi, seq, keys, addr):
    spec = {"NumExtHdrs": n, "Flags": int(lookup("IPSEC_OFFLOAD_V2_INBOUND")), "IPv4Endpoints.SrcAddr": addr,
            "SecAssoc[0].Spi": spi, "SecAssoc[0].SequenceNumberHighOrder": seq,
            "SecAssoc[0].Operation": int(lookup("IPsecOffloadV2Esp")), "Keys": keys}
    nxt = 0x1000 if structure == ADD_SA else 0
    req = build_add_sa(spec, structure, arch, next_address=nxt)
    back = parse_add_sa(req.data, structure, arch)
    assert back.keys == keys
    for k in ("NumExtHdrs", "Flags", "IPv4Endpoints.SrcAddr", "SecAssoc[0].Spi", "SecAssoc[0].SequenceNumberHighOrder"):
        assert back.values[k] == spec[k]
    assert back.values["KeyLength"] == len(keys)
    lay = layout(structure, arch)
    assert len(req.data) >= lay.revision_size(1)


@given(st.lists(st.sampled_from(list(IPSEC_OFFLOAD_V2_ENCRYPTION.__members__)), min_size=1, max_size=4))
def test_parse_value_names_and_lists(names):
    expect = 0
    for n in names:
        expect |= int(lookup(n))
    assert parse_value(names) == expect
    assert parse_value(" | ".join(names)) == expect
    assert parse_value(hex(expect)) == expect


@pytest.mark.parametrize("bad", ["NOT_A_CONSTANT", "0xZZ", 1.5, {"a": 1}])
def test_parse_value_refuses(bad):
    with pytest.raises(IpsecExploreError):
        parse_value(bad, path="IPsecV2.UdpEsp")


def test_validate_attributes_as_dict():
    d = {"DefaultOffloadConfiguration": good(**{"Header.Revision": 1}), "HardwareOffloadCapabilities": off()}
    assert "R47" in validate(d).rule_ids
    ok = {"DefaultOffloadConfiguration": off(), "HardwareOffloadCapabilities": off()}
    assert validate(ok) == []
    assert validate(OffloadAttributes(off(), off()).to_bytes({"DefaultOffloadConfiguration": 1}),
                    {"structure": "NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES"}).skipped
