"""The per-record codec (ipsecexplore.codec): golden vectors from the spec, offset-as-value buffers, the
strict decode errors, what a decode keeps and reports, encode refusals, and hypothesis properties.

Every expected byte comes from layouts.md (its §6 worked examples, or offsets read from its tables and
typed here by hand, cross-checked against layouts.json) — never from the code under test.
"""

from __future__ import annotations

import uuid

import pytest
from helpers import (
    ARCHES,
    HAND_OFFSETS,
    OFF,
    buffer,
    check_struct,
    example_content,
    header,
    rev6_content,
    spec_constant,
    spec_examples,
    spec_json,
    spec_member,
    spec_revision_size,
    spec_structure_names,
    u8,
    u16,
    u32,
    vector,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsecexplore.codec import decode_values, encode_values
from ipsecexplore.errors import DecodeError, EncodeError, IpsecExploreError
from ipsecexplore.layouts import layout
from ipsecexplore.model import decode

C = spec_constant


def test_hand_offsets_match_spec():
    for path, off in HAND_OFFSETS.items():
        assert spec_member(OFF, path)["offset"] == off, path


# --- golden vectors -------------------------------------------------------------------------------
def test_spec_example_revision_2():
    data = spec_examples()["Revision 2"]
    assert len(data) == 144 and data[:4] == bytes.fromhex("a7029000")
    check_struct(OFF, {**header(2), **example_content()}, data, size=144)


def test_spec_example_revision_8():
    data = spec_examples()["Revision 8"]
    assert len(data) == 217 and data[:4] == bytes.fromhex("a708d900")
    values = {**header(8), **example_content(), "Flags": C("IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE")}
    check_struct(OFF, values, data, size=217)


def test_spec_example_ipsecv2_block():
    data = spec_examples()["The 32-byte IPsecV2 block alone"]
    assert data == spec_examples()["Revision 2"][0x70:0x90]
    block = {k[len("IPsecV2."):]: v for k, v in example_content().items() if k.startswith("IPsecV2.")}
    check_struct("NDIS_IPSEC_OFFLOAD_V2", block, data, size=32)


def test_spec_example_offload_parameters_revision_2():
    data = spec_examples()["`NDIS_OFFLOAD_PARAMETERS` revision 2"]
    values = {"Header.Type": C("NDIS_OBJECT_TYPE_DEFAULT"), "Header.Revision": 2,
              "Header.Size": C("NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_2"),
              "IPsecV2": C("NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED")}
    check_struct("NDIS_OFFLOAD_PARAMETERS", values, data, size=22)


@pytest.mark.parametrize("rev", [1, 2, 3, 4, 6])
def test_hand_checked_vectors(rev):
    values, data = vector(rev)
    check_struct(OFF, values, data, size=spec_revision_size(OFF, rev))


def test_revision_2_vector_is_the_spec_example():
    assert vector(2)[1] == spec_examples()["Revision 2"]


def test_revision_4_is_177_bytes_with_encapsulation_types_last():
    values, data = vector(4)
    assert len(data) == 177 and data[-1] == 3
    assert encode_values(OFF, values, full_sizeof=True) == data + bytes(220 - 177)


def test_revision_7_names_uso_bits():
    """Revision 7 has revision 6's size; UsoSupported is bits 20..23 of the encapsulated-packet words."""
    values, _ = vector(6)
    values.update(header(7))
    values["EncapsulatedPacketTaskOffloadGre.UsoSupported"] = 0xF
    values["EncapsulatedPacketTaskOffloadVxlan.UsoSupported"] = 0x1
    _, data6 = vector(6)
    data = bytearray(data6)
    data[1] = 7
    gre = int.from_bytes(data[0x94:0x98], "little") | 0xF << 20
    vx = int.from_bytes(data[0x9C:0xA0], "little") | 0x1 << 20
    data[0x94:0x98], data[0x9C:0xA0] = gre.to_bytes(4, "little"), vx.to_bytes(4, "little")
    check_struct(OFF, values, bytes(data), size=216)


# --- offset-as-value buffers -------------------------------------------------------------------------
def _offset_buffer(name: str, arch: str) -> tuple[bytes, dict]:
    """A sizeof buffer where every byte-aligned scalar member outside unions holds its own offset (masked to
    its size), array elements theirs, GUID bytes theirs; the header, if any, valid for the newest revision.
    Member positions come from layouts.json."""
    spec = spec_json()["structures"][name]
    size = spec["sizeof"][arch]
    buf = bytearray(size)
    want = {}
    for m in spec["members"][arch]:
        if not m["leaf"] or m["kind"] == "bitfield" or m.get("alternative_of"):
            continue
        off, n = m["offset"], m["size"]
        if m["kind"] == "array":
            esize = n // m["count"]
            elems = [(off + i * esize) % (1 << (8 * esize)) for i in range(m["count"])]
            for i, e in enumerate(elems):
                buf[off + i * esize:off + (i + 1) * esize] = e.to_bytes(esize, "little")
            want[m["path"]] = bytes(elems) if esize == 1 else tuple(elems)
        elif m["kind"] == "guid":
            raw = bytes((off + i) & 0xFF for i in range(16))
            buf[off:off + 16] = raw
            want[m["path"]] = uuid.UUID(bytes_le=raw)
        else:
            v = off % (1 << (8 * n))
            buf[off:off + n] = v.to_bytes(n, "little")
            want[m["path"]] = v
    if spec.get("revisions") and "Header.Type" in want:
        newest = spec["revisions"][-1]
        hsize = newest["size"][arch]
        # Header.Type: the structure's object type; without one (NDIS_WMI_OFFLOAD) it keeps its offset, 0
        buf[0] = spec_constant(spec["object_type"]) if spec.get("object_type") else 0
        buf[1] = newest["revision"]
        buf[2:4] = hsize.to_bytes(2, "little")
        want.update({"Header.Type": buf[0], "Header.Revision": buf[1], "Header.Size": hsize})
        want = {p: v for p, v in want.items()
                if spec_member(name, p, arch)["offset"] + spec_member(name, p, arch)["size"] <= hsize}
    return bytes(buf), want


OFFSET_CASES = [(n, a) for n in spec_structure_names() for a in ARCHES]


@pytest.mark.parametrize("name,arch", OFFSET_CASES, ids=[f"{n}-{a}" for n, a in OFFSET_CASES])
def test_offset_as_value(name, arch):
    data, want = _offset_buffer(name, arch)
    dec = decode_values(name, data, arch)
    got = {p: dec.values[p] for p in want}
    assert got == want
    # and every bit-field (left zero here) decodes as 0
    for m in layout(name, arch).leaves:
        if m.kind == "bitfield" and m.path in dec.values and not m.in_union:
            assert dec.values[m.path] == 0, m.path


def test_offset_as_value_covers_the_pointer_structures():
    names = {n for n, _ in OFFSET_CASES}
    assert {"IPSEC_OFFLOAD_V2_ADD_SA", "NDIS_STATUS_INDICATION", OFF, "NDIS_OFFLOAD_PARAMETERS",
            "NDIS_WMI_OFFLOAD"} <= names


def test_versioned_structure_without_object_type_round_trips():
    """NDIS_WMI_OFFLOAD has revisions but no NDIS_OBJECT_TYPE constant; a buffer of it must still decode
    and encode (its Header.Type is whatever the bytes say)."""
    size = spec_revision_size("NDIS_WMI_OFFLOAD", 5)
    data = buffer(size, u8(0, 0x80), u8(1, 5), u16(2, size), u32(spec_member("NDIS_WMI_OFFLOAD", "Flags")["offset"], 7))
    dec = decode_values("NDIS_WMI_OFFLOAD", data)
    assert dec.values["Flags"] == 7 and dec.revision == 5
    assert encode_values("NDIS_WMI_OFFLOAD", dec.values, revision=5) == data


# --- strict decode -----------------------------------------------------------------------------------
def _rev2() -> bytearray:
    return bytearray(spec_examples()["Revision 2"])


def _decode_error(data, **want):
    with pytest.raises(DecodeError) as ei:
        decode_values(OFF, bytes(data))
    err = ei.value
    for k, v in want.items():
        assert getattr(err, k) == v, (k, getattr(err, k), str(err))
    assert isinstance(err, ValueError) and isinstance(err, IpsecExploreError)
    assert err.structure == OFF and OFF in str(err)
    return err


def test_wrong_type_byte():
    d = _rev2()
    d[0] = 0x80
    err = _decode_error(d, path="Header.Type", offset=0, actual=0x80, expected=C("NDIS_OBJECT_TYPE_OFFLOAD"))
    assert "Header.Type" in str(err) and "offset 0x0" in str(err)


@pytest.mark.parametrize("rev", [0, 9, 0xFF])
def test_unknown_revision(rev):
    d = _rev2()
    d[1] = rev
    err = _decode_error(d, path="Header.Revision", offset=1, actual=rev)
    assert "Header.Revision" in str(err)


@pytest.mark.parametrize("rev,size", [(2, 112), (3, 144), (8, 216), (5, 4)])
def test_size_smaller_than_ndis_sizeof(rev, size):
    d = bytearray(220)
    d[0], d[1] = 0xA7, rev
    d[2:4] = size.to_bytes(2, "little")
    err = _decode_error(d, path="Header.Size", offset=2, actual=size,
                        expected=f"at least {spec_revision_size(OFF, rev)}")
    assert "Header.Size" in str(err) and "offset 0x2" in str(err)


@pytest.mark.parametrize("rev,size", [(2, 0x94), (4, 180), (8, 220), (1, 144), (6, 220)])
def test_larger_size_is_accepted_and_its_bytes_kept(rev, size):
    """R8 and layouts.md §7: readers accept Header.Size ≥ the macro; only the revision's members are decoded
    and the extra bytes are kept, reported, and written back by a non-canonical encode."""
    want = spec_revision_size(OFF, rev)
    d = bytearray(size + 3)
    d[0], d[1] = 0xA7, rev
    d[2:4] = size.to_bytes(2, "little")
    for i in range(want, size):
        d[i] = (i * 7) & 0xFF  # every extra byte holds something of its own
    d[size:] = b"\x01\x02\x03"
    dec = decode_values(OFF, bytes(d))
    assert dec.revision == rev and dec.header_size == size
    assert dec.beyond == bytes(d[want:size]) and dec.trailing == b"\x01\x02\x03"
    assert all(layout(OFF).field(p).end <= want for p in dec.values)
    assert any(f"larger than NDIS_SIZEOF for revision {rev} ({want})" in n for n in dec.notes)
    assert not dec.nonzero_padding and not dec.unnamed_bits  # extra bytes are not misreported as padding
    obj = decode(bytes(d))
    assert obj.encode() == bytes(d[:size])
    canonical = obj.encode(canonical=True)
    assert len(canonical) == want and canonical[2:4] == want.to_bytes(2, "little")


def test_size_beyond_buffer():
    d = _rev2()[:100]
    _decode_error(d, path="Header.Size", offset=2, actual=144)


@pytest.mark.parametrize("data", [b"", b"\xa7", b"\xa7\x02", b"\xa7\x02\x90"])
def test_buffer_shorter_than_header(data):
    err = _decode_error(data, offset=0)
    assert "header" in str(err).lower()


def test_trailing_bytes_kept_and_reported():
    d = bytes(_rev2()) + b"\xde\xad\xbe"
    dec = decode_values(OFF, d)
    assert dec.trailing == b"\xde\xad\xbe"
    assert dec.header_size == 144
    assert encode_values(OFF, dec.values) == d[:144]


def test_members_past_header_size_are_not_reported():
    dec = decode_values(OFF, bytes(_rev2()) + bytes(76))
    assert "Rsc.IPv4.Enabled" not in dec.values and "IPsecV2.SaOffloadCapacity" in dec.values


def test_odd_boolean_kept_flagged_reencoded():
    d = _rev2()
    d[0x78] = 2  # IPsecV2.Esp
    dec = decode_values(OFF, bytes(d))
    assert dec.values["IPsecV2.Esp"] == 2
    assert dec.odd_booleans == {"IPsecV2.Esp": 2}
    assert encode_values(OFF, dec.values) == bytes(d)


def test_nonzero_padding_reported():
    d = _rev2()
    d[0x7F] = 0x5A  # padding after ExtendedSequenceNumbers (layouts.md §5)
    dec = decode_values(OFF, bytes(d))
    assert dec.nonzero_padding == [(0x7F, b"\x5a")]
    clean = decode_values(OFF, spec_examples()["Revision 2"])
    assert clean.nonzero_padding == [] and clean.unnamed_bits == [] and clean.odd_booleans == {}


def test_padding_outside_header_size_not_reported():
    """Padding at 0xB1..0xB3 lies beyond a revision-2 object; bytes there are trailing, not padding."""
    d = bytes(_rev2()) + bytes(0xB4 - 144)
    d = d[:0xB1] + b"\x01\x02\x03" + d[0xB4:]
    dec = decode_values(OFF, d)
    assert dec.nonzero_padding == [] and dec.trailing.endswith(b"\x01\x02\x03")


def test_unnamed_bits_reported():
    d = _rev2()
    word = int.from_bytes(d[8:12], "little") | 1 << 10 | 1 << 31  # above IpChecksum (bits 8..9)
    d[8:12] = word.to_bytes(4, "little")
    dec = decode_values(OFF, bytes(d))
    assert dec.unnamed_bits == [(8, 0xFFFFFC00, 1 << 10 | 1 << 31)]
    assert dec.values["Checksum.IPv4Transmit.IpChecksum"] == 1


def test_undefined_flag_bits_round_trip():
    d = _rev2()
    d[0x88:0x8C] = (0x80000008).to_bytes(4, "little")  # AES_GCM_128 plus an undefined bit
    dec = decode_values(OFF, bytes(d))
    assert dec.values["IPsecV2.EncryptionAlgorithms"] == 0x80000008
    assert encode_values(OFF, dec.values) == bytes(d)


# --- encode refusals -------------------------------------------------------------------------------
def test_member_beyond_revision_raises_naming_it():
    values = {**example_content(), "UdpRsc.Enabled": 1}
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, values, revision=6)
    assert ei.value.path == "UdpRsc.Enabled" and "UdpRsc.Enabled" in str(ei.value)
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, example_content(), revision=1)
    assert ei.value.path.startswith("IPsecV2.") and ei.value.path in str(ei.value)


def test_member_named_in_a_later_revision_raises():
    """UsoSupported is named in revision 7 (NDIS 6.85) inside bytes revision 6 already has (layouts.md §2,
    added_in_revision 7): a revision-6 object lacks the member, so a non-zero value must be refused."""
    assert spec_member(OFF, "EncapsulatedPacketTaskOffloadGre.UsoSupported")["added_in_revision"] == 7
    values = {**rev6_content(), "EncapsulatedPacketTaskOffloadGre.UsoSupported": 1}
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, values, revision=6)
    assert ei.value.path == "EncapsulatedPacketTaskOffloadGre.UsoSupported"


def test_zero_members_beyond_revision_are_fine():
    values = {**example_content(), "UdpRsc.Enabled": 0, "Rsc.IPv4.Enabled": 0}
    assert encode_values(OFF, values, revision=2) == spec_examples()["Revision 2"]


@pytest.mark.parametrize("key", ["IPsecV2.Bogus", "ipsecv2.esp", "Nope", "IPsecV2.Esp.x"])
def test_unknown_member_raises_naming_it(key):
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, {key: 1}, revision=2)
    assert ei.value.path == key and key in str(ei.value)


def test_group_member_refused():
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, {"IPsecV2": 1}, revision=2)
    assert ei.value.path == "IPsecV2"


@pytest.mark.parametrize("path,value", [
    ("IPsecV2.SaOffloadCapacity", 1 << 32), ("IPsecV2.SaOffloadCapacity", -1),
    ("Checksum.IPv4Transmit.IpChecksum", 4), ("IPsecV2.Esp", 256), ("EncapsulationTypes", 0x100),
    ("IPsecV2.UdpEsp", "2"), ("IPsecV2.UdpEsp", 1.5), ("IPsecV2.UdpEsp", None),
])
def test_out_of_range_or_wrong_type_raises(path, value):
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, {path: value}, revision=8)
    assert ei.value.path == path
    assert ei.value.offset == spec_member(OFF, path)["offset"]


def test_header_disagreeing_with_revision_raises():
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, {"Header.Size": 220}, revision=8)
    assert ei.value.path == "Header.Size"
    with pytest.raises(EncodeError):
        encode_values(OFF, {"Header.Type": 0x80}, revision=8)


@pytest.mark.parametrize("rev", [0, 9, -1, "x", "2", 2.5, True])
def test_unknown_revision_on_encode(rev):
    """Only the integers 1..8 are NDIS_OFFLOAD revisions; anything else (also "2", 2.5 or True, which
    int() would quietly turn into a revision) is an EncodeError naming Header.Revision — the same rule
    the model applies."""
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, {}, revision=rev)
    assert ei.value.path == "Header.Revision"
    with pytest.raises(EncodeError) as ei:
        encode_values(OFF, {"Header.Revision": rev})
    assert ei.value.path == "Header.Revision"


def test_no_revision_on_encode():
    with pytest.raises(EncodeError):
        encode_values(OFF, {"IPsecV2.Esp": 1})


# --- hypothesis ------------------------------------------------------------------------------------
REVS = [r["revision"] for r in spec_json()["structures"][OFF]["revisions"]] if spec_structure_names() else []


def _clean(name: str, data: bytearray, size: int, arch: str = "x64", rev: int | None = None) -> bytes:
    """Zero the padding and unnamed bits (positions from layouts.json) inside the first ``size`` bytes, and
    the members that revision ``rev`` does not have yet (UsoSupported before revision 7)."""
    spec = spec_json()["structures"][name]
    for m in spec["members"][arch]:
        if rev is not None and m["leaf"] and (m["added_in_revision"] or 0) > rev and m["offset"] < size:
            if m["kind"] == "bitfield":
                mask = ((1 << m["bit_width"]) - 1) << m["bit_offset"]
                w = int.from_bytes(data[m["offset"]:m["offset"] + 4], "little") & ~mask
                data[m["offset"]:m["offset"] + 4] = w.to_bytes(4, "little")
            else:
                data[m["offset"]:m["offset"] + m["size"]] = bytes(m["size"])
    for p in spec["padding"][arch]:
        for i in range(p["offset"], min(p["offset"] + p["size"], size)):
            data[i] = 0
    for u in spec["unnamed_bits"][arch]:
        if u["offset"] + 4 <= size:
            w = int.from_bytes(data[u["offset"]:u["offset"] + 4], "little") & ~int(u["mask"], 16)
            data[u["offset"]:u["offset"] + 4] = w.to_bytes(4, "little")
    return bytes(data)


@st.composite
def valid_offload_bytes(draw):
    rev = draw(st.sampled_from(REVS))
    size = spec_revision_size(OFF, rev)
    body = bytearray(draw(st.binary(min_size=size, max_size=size)))
    body[0], body[1] = C("NDIS_OBJECT_TYPE_OFFLOAD"), rev
    body[2:4] = size.to_bytes(2, "little")
    return _clean(OFF, body, size, rev=rev)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_offload_bytes())
def test_encode_of_decode_is_identity(data):
    dec = decode_values(OFF, data)
    assert encode_values(OFF, dec.values) == data
    assert dec.trailing == b"" and dec.nonzero_padding == [] and dec.unnamed_bits == []


@settings(max_examples=150, deadline=None)
@given(valid_offload_bytes(), st.binary(max_size=8))
def test_decode_of_encode_is_identity(data, tail):
    values = decode_values(OFF, data).values
    again = decode_values(OFF, encode_values(OFF, values) + tail)
    assert again.values == values and again.trailing == tail


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_library_errors(data):
    try:
        decode_values(OFF, data)
    except IpsecExploreError:
        pass


@settings(max_examples=300, deadline=None)
@given(valid_offload_bytes(), st.lists(st.tuples(st.integers(0, 219), st.integers(0, 255)), max_size=6),
       st.integers(-40, 8))
def test_mutated_valid_bytes_raise_only_library_errors(data, flips, resize):
    d = bytearray(data)
    for pos, val in flips:
        if pos < len(d):
            d[pos] = val
    d = d[:len(d) + resize] if resize < 0 else d + bytes(resize)
    try:
        dec = decode_values(OFF, bytes(d))
        built = encode_values(OFF, dec.values, revision=dec.revision)
    except IpsecExploreError:
        return
    assert built[:4] == bytes(d[:4])


ALL = [(n, a) for n in spec_structure_names() for a in ARCHES]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ALL) if ALL else st.nothing(), st.binary(max_size=320))
def test_every_structure_fuzz_raises_only_library_errors(case, data):
    name, arch = case
    try:
        decode_values(name, data, arch)
    except IpsecExploreError:
        pass
