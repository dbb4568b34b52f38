"""The object model (ipsecexplore.model): NdisOffload built by attribute, dicts keyed by dotted C paths,
strict decode/encode, what a decode keeps, generic structures, and hypothesis identities.

Expected bytes are the spec's (layouts.md §6) or the hand-checked vectors in helpers.py.
"""

from __future__ import annotations

import json

import pytest
from helpers import (
    ARCHES,
    OFF,
    example_content,
    header,
    spec_constant,
    spec_examples,
    spec_json,
    spec_leaves,
    spec_member,
    spec_revision_size,
    vector,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import ipsecexplore
from ipsecexplore.errors import DecodeError, EncodeError, IpsecExploreError
from ipsecexplore.layouts import layout as layout_of
from ipsecexplore.model import (
    IPsecOffloadV2,
    NdisOffload,
    OffloadParameters,
    decode,
    decode_struct,
    encode,
    encode_struct,
    wmi_block,
)

C = spec_constant


def _set_path(obj, path: str, value) -> None:
    """Set ``a.b.c`` through attribute access, the way a notebook user writes it."""
    *parents, last = path.split(".")
    target = obj
    for p in parents:
        target = getattr(target, p)
    setattr(target, last, value)


def _booleans() -> set[str]:
    return {m["path"] for m in spec_json()["structures"][OFF]["members"]["x64"] if m["ctype"] == "BOOLEAN"}


def _expected_dict(rev: int, content: dict) -> dict:
    """to_dict() of a revision-``rev`` object: every leaf of layouts.json the revision reports, in C
    order, BOOLEANs as bool, the header included."""
    bools = _booleans()
    out = {}
    for m in spec_leaves(OFF, "x64", rev):
        v = {**header(rev), **content}.get(m["path"], 0)
        out[m["path"]] = bool(v) if m["path"] in bools else v
    return out


# --- golden vectors through the object model ---------------------------------------------------------
def test_build_revision_2_by_attribute():
    off = NdisOffload.new(revision=2)
    for path, v in example_content().items():
        _set_path(off, path, bool(v) if path in _booleans() else v)
    data = encode(off)
    assert data == spec_examples()["Revision 2"]
    assert off.size == len(data) == 144


def test_build_revision_8_by_attribute():
    off = NdisOffload.new(revision=8)
    for path, v in example_content().items():
        _set_path(off, path, v)
    off.Flags = C("IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE")
    assert encode(off) == spec_examples()["Revision 8"]
    assert encode(off, full_sizeof=True) == spec_examples()["Revision 8"] + bytes(3)


def test_decode_revision_8_to_dict():
    off = decode(spec_examples()["Revision 8"])
    assert off.revision == 8
    want = _expected_dict(8, {**example_content(), "Flags": 2})
    got = off.to_dict()
    assert list(got) == list(want)  # C order, header included
    assert got == want
    for p in _booleans():
        assert type(got[p]) is bool, p
    assert off.IPsecV2.Esp is True and off.IPsecV2.AhEspCombined is False
    assert off.IPsecV2.EncryptionAlgorithms == 0x48
    assert off.Header.Size == 217 and off.Header.Type == 0xA7


@pytest.mark.parametrize("rev", [1, 2, 3, 4, 6])
def test_hand_vectors_through_the_model(rev):
    values, data = vector(rev)
    off = decode(data)
    assert off.revision == rev and encode(off) == data
    assert off.to_dict() == _expected_dict(rev, {k: v for k, v in values.items() if not k.startswith("Header.")})
    assert encode(NdisOffload.from_dict(values)) == data
    assert encode(values) == data


def test_ipsecv2_block_object():
    data = spec_examples()["The 32-byte IPsecV2 block alone"]
    block = IPsecOffloadV2.new()
    for path, v in example_content().items():
        if path.startswith("IPsecV2."):
            setattr(block, path[len("IPsecV2."):], v)
    assert block.encode() == data
    again = decode_struct("NDIS_IPSEC_OFFLOAD_V2", data)
    assert isinstance(again, IPsecOffloadV2) and again == block and again.Esp is True


def test_offload_parameters_object():
    data = spec_examples()["`NDIS_OFFLOAD_PARAMETERS` revision 2"]
    params = OffloadParameters.new(revision=2)
    params.IPsecV2 = C("NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED")
    assert params.encode() == data
    back = decode_struct("NDIS_OFFLOAD_PARAMETERS", data)
    assert isinstance(back, OffloadParameters) and back.IPsecV2 == 4 and back.revision == 2


def test_package_exports():
    assert ipsecexplore.decode is decode and ipsecexplore.encode is encode
    assert issubclass(ipsecexplore.DecodeError, ValueError) and issubclass(ipsecexplore.EncodeError, ValueError)


# --- dicts ---------------------------------------------------------------------------------------------
def test_from_dict_uses_header_revision():
    off = NdisOffload.from_dict({"Header.Revision": 2, "IPsecV2.Esp": True})
    assert off.revision == 2 and len(encode(off)) == 144


def test_revision_argument_wins_over_missing_header():
    off = NdisOffload.from_dict({"IPsecV2.Esp": True}, revision=3)
    assert encode(off)[:4] == bytes([0xA7, 3]) + (156).to_bytes(2, "little")


def test_to_dict_from_dict_round_trip():
    off = decode(spec_examples()["Revision 8"])
    again = NdisOffload.from_dict(off.to_dict())
    assert again == off and encode(again) == spec_examples()["Revision 8"]


@pytest.mark.parametrize("key", ["IPsecV2.Bogus", "IPsecV2", "Checksum.IPv4Transmit", "esp"])
def test_from_dict_unknown_key_names_it(key):
    with pytest.raises(EncodeError) as ei:
        NdisOffload.from_dict({key: 1}, revision=2)
    assert ei.value.path == key and key in str(ei.value)


def test_from_dict_header_disagreeing():
    with pytest.raises(EncodeError) as ei:
        NdisOffload.from_dict({"Header.Revision": 2, "Header.Size": 217})
    assert ei.value.path == "Header.Size"
    with pytest.raises(EncodeError) as ei:
        NdisOffload.from_dict({"Header.Revision": 2, "Header.Type": 0x80})
    assert ei.value.path == "Header.Type"


# --- attribute access refusals -----------------------------------------------------------------------
def test_unknown_attribute():
    off = NdisOffload.new(revision=8)
    with pytest.raises(EncodeError) as ei:
        off.IPsecV2.Espp = True
    assert ei.value.path == "IPsecV2.Espp"
    with pytest.raises(AttributeError):
        off.IPsecV2.Espp  # noqa: B018


@pytest.mark.parametrize("path,value", [("IPsecV2.SaOffloadCapacity", 1 << 32), ("IPsecV2.SaOffloadCapacity", -1),
                                        ("Checksum.IPv4Transmit.IpChecksum", 4), ("IPsecV2.Esp", 256),
                                        ("IPsecV2.UdpEsp", "1")])
def test_out_of_range_attribute(path, value):
    off = NdisOffload.new(revision=8)
    with pytest.raises(EncodeError) as ei:
        _set_path(off, path, value)
    assert ei.value.path == path


def test_header_follows_revision():
    off = NdisOffload.new(revision=8)
    with pytest.raises(EncodeError):
        off.Header.Size = 3
    off.revision = 4
    assert encode(off)[:4] == bytes.fromhex("a704b100")


@pytest.mark.parametrize("rev", [0, 9, -1, 2.5, "2x", [2]])
def test_bad_revision_is_a_library_error_naming_header_revision(rev):
    """A revision outside 1..8 (or not an integer) is bad input: one of the library's errors naming
    Header.Revision — never a bare KeyError/TypeError (the CLI would print a traceback)."""
    with pytest.raises(IpsecExploreError) as ei:
        NdisOffload.from_dict({"Header.Revision": rev})
    assert ei.value.path == "Header.Revision"
    with pytest.raises(IpsecExploreError):
        NdisOffload.from_dict({}, revision=rev)
    off = NdisOffload.new(revision=8)
    with pytest.raises(IpsecExploreError):
        off.revision = rev
    assert off.revision == 8


# --- lower revisions -----------------------------------------------------------------------------------
def test_encode_at_lower_revision_names_the_member():
    off = NdisOffload.new(revision=8)
    off.UdpRsc.Enabled = True
    with pytest.raises(EncodeError) as ei:
        encode(off, revision=7)
    assert ei.value.path == "UdpRsc.Enabled" and "UdpRsc.Enabled" in str(ei.value)
    assert len(encode(off, revision=8)) == 217


def test_lowering_the_object_revision_keeps_members_and_refuses():
    off = NdisOffload.new(revision=2)
    off.IPsecV2.Esp = True
    off.revision = 1
    with pytest.raises(EncodeError) as ei:
        encode(off)
    assert ei.value.path == "IPsecV2.Esp"
    off.IPsecV2.Esp = False
    assert len(encode(off)) == 112


# --- strict decode through the model --------------------------------------------------------------------
@pytest.mark.parametrize("mutate,path,offset", [
    (lambda d: d.__setitem__(0, 0x80), "Header.Type", 0),
    (lambda d: d.__setitem__(1, 0), "Header.Revision", 1),
    (lambda d: d.__setitem__(1, 9), "Header.Revision", 1),
    (lambda d: d.__setitem__(2, 0x94), "Header.Size", 2),
])
def test_decode_errors(mutate, path, offset):
    d = bytearray(spec_examples()["Revision 2"])
    mutate(d)
    with pytest.raises(DecodeError) as ei:
        decode(bytes(d))
    assert (ei.value.path, ei.value.offset) == (path, offset)


def test_decode_refuses_text():
    with pytest.raises(DecodeError):
        decode(spec_examples()["Revision 2"].hex())


def test_odd_boolean_in_the_model():
    d = bytearray(spec_examples()["Revision 2"])
    d[0x78] = 2
    off = decode(bytes(d))
    assert off.IPsecV2.Esp is True
    assert off.to_dict()["IPsecV2.Esp"] is True
    assert off.to_dict(raw=True)["IPsecV2.Esp"] == 2
    assert off.odd_booleans == {"IPsecV2.Esp": 2}
    assert encode(off)[0x78] == 2
    assert any("IPsecV2.Esp" in f for f in off.notes())


def test_trailing_and_padding_findings():
    d = bytearray(spec_examples()["Revision 2"]) + b"\x01\x02"
    d[0x7F] = 0xEE
    off = decode(bytes(d))
    assert off.trailing == b"\x01\x02"
    text = "\n".join(off.notes())
    assert "0x7F" in text and "2 byte" in text
    assert encode(off) == bytes(d[:144])  # reported bytes round-trip ...
    assert encode(off, canonical=True) == bytes(d[:144])[:0x7F] + b"\x00" + bytes(d[0x80:144])  # ... or not


def test_unnamed_bits_round_trip_and_become_members_when_named():
    """UsoSupported's bits are unnamed in revision 6: kept and reported there, a member from revision 7."""
    d = bytearray(spec_examples()["Revision 8"])
    d[1], d[2] = 6, 216
    d = d[:216]
    gre = layout_of("NDIS_OFFLOAD").field("EncapsulatedPacketTaskOffloadGre.UsoSupported")
    word = int.from_bytes(d[gre.offset:gre.offset + 4], "little") | (0x5 << gre.bit_offset)
    d[gre.offset:gre.offset + 4] = word.to_bytes(4, "little")
    off = decode(bytes(d))
    assert "EncapsulatedPacketTaskOffloadGre.UsoSupported" not in off.to_dict()
    assert any("unnamed bits" in f and f"0x{gre.offset:X}" in f for f in off.notes())
    assert encode(off) == bytes(d)
    assert decode(encode(off, revision=7)).EncapsulatedPacketTaskOffloadGre.UsoSupported == 0x5


def test_clean_object_has_no_findings():
    assert decode(spec_examples()["Revision 8"]).notes() == []


def test_undefined_flag_bits_survive_the_model():
    off = NdisOffload.new(revision=2)
    off.IPsecV2.EncryptionAlgorithms = 0x80000008
    back = decode(encode(off))
    assert back.IPsecV2.EncryptionAlgorithms == 0x80000008
    assert back.to_dict()["IPsecV2.EncryptionAlgorithms"] == 0x80000008


def test_repr_html_escapes_and_names():
    off = decode(spec_examples()["Revision 2"])
    html = off._repr_html_()
    assert "NDIS_OFFLOAD revision 2" in html and "IPsecV2.Esp" in html and "<script" not in html


# --- generic structures ---------------------------------------------------------------------------------
@pytest.mark.parametrize("arch", ARCHES)
def test_add_sa_generic(arch):
    size = spec_revision_size("IPSEC_OFFLOAD_V2_ADD_SA", 1, arch)
    spi = spec_member("IPSEC_OFFLOAD_V2_ADD_SA", "SecAssoc[1].Spi", arch)["offset"]
    nxt = spec_member("IPSEC_OFFLOAD_V2_ADD_SA", "Next", arch)
    values = {"Header.Revision": 1, "SecAssoc[1].Spi": 0x11223344, "Next": (1 << (8 * nxt["size"])) - 1,
              "IPv6Endpoints.SrcAddr": bytes(range(16))}
    data = encode_struct("IPSEC_OFFLOAD_V2_ADD_SA", values, arch)
    assert len(data) == size
    assert data[:4] == bytes([C("NDIS_OBJECT_TYPE_DEFAULT"), 1]) + size.to_bytes(2, "little")
    assert data[spi:spi + 4] == (0x11223344).to_bytes(4, "little")
    assert data[nxt["offset"]:nxt["offset"] + nxt["size"]] == b"\xff" * nxt["size"]
    obj = decode_struct("IPSEC_OFFLOAD_V2_ADD_SA", data, arch)
    assert obj.to_dict()["SecAssoc[1].Spi"] == 0x11223344
    assert obj.to_dict()["IPv6Endpoints.SrcAddr"] == bytes(range(16))
    assert obj.to_dict()["IPv4Endpoints.SrcAddr"] == int.from_bytes(bytes(range(4)), "little")


def test_sa_reader_accepts_sizeof_as_size():
    """layouts.md §3.3: SA readers accept Header.Size = sizeof as well as the NDIS_SIZEOF value."""
    name = "IPSEC_OFFLOAD_V2_ADD_SA"
    sizeof = spec_json()["structures"][name]["sizeof"]["x64"]
    data = bytearray(encode_struct(name, {"Header.Revision": 1}, "x64", full_sizeof=True))
    data[2:4] = sizeof.to_bytes(2, "little")
    obj = decode_struct(name, bytes(data), "x64")
    assert obj.decoded.notes
    data[2:4] = (sizeof - 1).to_bytes(2, "little")
    with pytest.raises(DecodeError) as ei:
        decode_struct(name, bytes(data), "x64")
    assert ei.value.path == "Header.Size"


# --- hypothesis ----------------------------------------------------------------------------------------
_UNION = "EncapsulatedPacketTaskOffloadVxlan.EncapsulationProtocolInfo."


@st.composite
def offload_objects(draw):
    """A random NdisOffload of a random revision: every member the revision has, in range (about a third
    left zero); BOOLEANs any byte; the VXLAN union set consistently through both of its views."""
    revs = [r["revision"] for r in spec_json()["structures"][OFF]["revisions"]]
    rev = draw(st.sampled_from(revs))
    rng = draw(st.randoms(use_true_random=False))
    values = {}
    for m in spec_leaves(OFF, "x64", rev):
        if m["path"].startswith("Header.") or m["path"].startswith(_UNION) or rng.random() < 0.3:
            continue
        if m["ctype"] == "BOOLEAN":
            values[m["path"]] = rng.choice([True, False, rng.getrandbits(8)])
        else:
            values[m["path"]] = rng.getrandbits(m["bit_width"] if m["kind"] == "bitfield" else 8 * m["size"])
    if any(m["path"] == _UNION + "Value" for m in spec_leaves(OFF, "x64", rev)):
        v = rng.getrandbits(32)
        values.update({_UNION + "Value": v, _UNION + "VxlanInfo.VxlanUDPPortNumber": v & 0xFFFF,
                       _UNION + "VxlanInfo.VxlanUDPPortNumberConfigurable": v >> 16 & 1})
    return NdisOffload.from_dict(values, revision=rev)


@settings(max_examples=120, deadline=None)
@given(offload_objects())
def test_decode_of_encode_is_identity(off):
    data = encode(off)
    assert len(data) == spec_revision_size(OFF, off.revision)
    back = decode(data)
    assert back == off
    assert back.to_dict() == off.to_dict()
    assert encode(back) == data  # and back again


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=260))
def test_fuzzed_bytes_raise_only_library_errors(data):
    try:
        off = decode(data)
    except IpsecExploreError:
        return
    assert off.revision in range(1, 9)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 216), st.integers(0, 255), st.integers(-30, 30))
def test_mutated_example_raises_only_library_errors(pos, val, resize):
    d = bytearray(spec_examples()["Revision 8"])
    d[pos] = val
    d = d[:len(d) + resize] if resize < 0 else d + bytes(resize)
    try:
        off = decode(bytes(d))
        encode(off)
        off.notes()
    except IpsecExploreError:
        pass


_JUNK = st.one_of(st.none(), st.text(max_size=3), st.floats(allow_nan=True), st.integers(-(1 << 70), 1 << 70),
                  st.booleans(), st.lists(st.integers(0, 3), max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.one_of(st.sampled_from(["IPsecV2.Esp", "IPsecV2.UdpEsp", "Flags", "Header.Revision",
                                                   "Checksum.IPv4Transmit.IpChecksum", "UdpRsc.Enabled"]),
                                 st.text(max_size=12)), _JUNK, max_size=4),
       st.one_of(st.none(), st.integers(-2, 10)))
def test_junk_dicts_raise_only_library_errors(values, revision):
    try:
        encode(NdisOffload.from_dict(values, revision=revision))
    except IpsecExploreError:
        pass


@settings(max_examples=150, deadline=None)
@given(rev=st.integers(1, 8), body=st.binary(min_size=220, max_size=220))
def test_any_bytes_with_a_valid_header_round_trip_exactly(rev, body):
    """Whatever the members, padding and unnamed bits hold, decode then encode gives the same bytes."""
    lay = layout_of("NDIS_OFFLOAD")
    size = lay.revision_size(rev)
    data = bytes([0xA7, rev]) + size.to_bytes(2, "little") + body[4:size]
    assert encode(decode(data)) == data


def test_json_keeps_an_odd_boolean_byte():
    """A BOOLEAN byte of 2 is shown as 2 in JSON (not ``true``), so JSON → encode gives the byte back."""
    data = bytearray(encode({"IPsecV2.Esp": True, "IPsecV2.Ah": True}, revision=2))
    data[0x78] = 2  # IPsecV2.Esp (layouts.md: NDIS_OFFLOAD offset 0x78)
    j = decode(bytes(data)).to_json()
    assert j["IPsecV2.Esp"] == 2 and j["IPsecV2.Ah"] is True
    assert NdisOffload.from_dict(json.loads(json.dumps(j))).encode() == bytes(data)


@pytest.mark.parametrize("size", [224, 256, 268, 296, 297])
def test_wmi_block_is_refused_with_the_reason(size):
    """capture-formats.md §5: such a blob is an NDIS_WMI_OFFLOAD whose IPsecV2 area NDIS does not fill."""
    data = bytearray(size)
    data[0], data[1] = 0xA7, 8
    data[2:4] = (296).to_bytes(2, "little")
    with pytest.raises(DecodeError) as ei:
        decode(bytes(data))
    assert "NDIS_WMI_OFFLOAD" in str(ei.value) and "R81" in str(ei.value)
    assert wmi_block(bytes(data)) and wmi_block(bytes(data[:217])) is None


@pytest.mark.parametrize("bad", [None, 5, [0xA7]])
def test_decode_of_a_non_buffer_is_a_decode_error(bad):
    with pytest.raises(DecodeError):
        decode(bad)


def test_unknown_structure_is_a_library_error():
    with pytest.raises(DecodeError) as ei:
        decode_struct("NOPE", b"1234")
    assert "NOPE" in str(ei.value)
    with pytest.raises(EncodeError):
        encode_struct("NOPE", {})


def test_larger_header_size_shows_in_the_header():
    data = encode({"IPsecV2.Esp": True}, revision=2) + bytes(4)
    data = data[:2] + (148).to_bytes(2, "little") + data[4:]
    obj = decode(data)
    assert obj.to_dict()["Header.Size"] == 148 and obj.size == 148 and obj.encode() == data
    assert any("larger than NDIS_SIZEOF" in n for n in obj.notes())


def test_records_that_tile_a_wmi_length_are_not_a_wmi_block():
    """296 bytes of two records with Header.Size 148 are NDIS_OFFLOAD records (R8), not a WMI block; a rev-4
    object with its era's sizeof (180) followed by bytes up to 224 is not one either."""
    rec = encode({"IPsecV2.Esp": True}, revision=2)
    big = rec[:2] + (148).to_bytes(2, "little") + rec[4:] + bytes(4)
    assert wmi_block(big + big) is None
    assert decode(big + big).trailing == big
    rev4 = encode({}, revision=4)
    rev4 = rev4[:2] + (180).to_bytes(2, "little") + rev4[4:] + bytes(180 - len(rev4))
    assert wmi_block(rev4 + bytes(224 - 180)) is None
