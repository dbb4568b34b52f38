"""Computed layouts (ipsecexplore.layouts) against the spec's layouts.json, structure by structure.

layouts.json was generated from compiled C and checked against MSVC record dumps (layouts.md §2), so it
is the reference: every member's path, kind, C type, offset, size, bit range, revision and NDIS version,
every sizeof, every revision's Header.Size, the padding runs and the unnamed bit-field bits must agree.
"""

from __future__ import annotations

import pytest
from helpers import ARCHES, spec_json, spec_member, spec_structure_names

from ipsecexplore.layouts import layout, structure_names

STRUCTS = spec_structure_names()

CASES = [(s, a) for s in STRUCTS for a in ARCHES]
IDS = [f"{s}-{a}" for s, a in CASES]


def _spec(name):
    return spec_json()["structures"][name]


def test_every_spec_structure_is_declared():
    assert sorted(STRUCTS) == sorted(structure_names())


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_sizeof(name, arch):
    assert layout(name, arch).sizeof == _spec(name)["sizeof"][arch]


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_member_paths_in_c_order(name, arch):
    assert [m.path for m in layout(name, arch).members] == [m["path"] for m in _spec(name)["members"][arch]]


_FIELDS = ("kind", "ctype", "offset", "size", "bit_offset", "bit_width", "added_in_revision", "added_in_ndis",
           "leaf", "unit_offset", "unit_size", "count")


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_every_member_attribute(name, arch):
    lay = layout(name, arch)
    problems = []
    for sm in _spec(name)["members"][arch]:
        if sm["path"] not in lay:
            problems.append(f"{sm['path']}: missing")
            continue
        m = lay.field(sm["path"])
        for key in _FIELDS:
            if key in sm and getattr(m, key) != sm[key]:
                problems.append(f"{sm['path']}.{key}: spec {sm[key]!r}, library {getattr(m, key)!r}")
        if sm["kind"] == "bitfield":
            # unit_bit_offset: the bit inside the declared storage unit
            unit_bit = m.bit_offset - (m.unit_offset - m.offset) * 8
            if unit_bit != sm["unit_bit_offset"]:
                problems.append(f"{sm['path']}.unit_bit_offset: spec {sm['unit_bit_offset']}, library {unit_bit}")
        if sm.get("domain") and list(m.domains) != sm["domain"]:
            problems.append(f"{sm['path']}.domain: spec {sm['domain']}, library {m.domains!r}")
        if sm.get("alternative_of") and not m.in_union:
            problems.append(f"{sm['path']}: spec says it overlaps {sm['alternative_of']}, library in_union False")
        if "count" in sm and m.elem_size != sm["size"] // sm["count"]:
            problems.append(f"{sm['path']}.elem_size: {m.elem_size}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_leaves_are_the_value_holding_members(name, arch):
    lay = layout(name, arch)
    assert [m.path for m in lay.leaves] == [m["path"] for m in _spec(name)["members"][arch] if m["leaf"]]


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_revisions_and_header_size(name, arch):
    lay = layout(name, arch)
    spec_revs = _spec(name).get("revisions", [])
    assert [r.revision for r in lay.revisions] == [r["revision"] for r in spec_revs]
    for sr in spec_revs:
        r = lay.revision(sr["revision"])
        assert lay.revision_size(sr["revision"]) == sr["size"][arch]
        assert r.size == sr["size"][arch]
        assert r.through_member == sr["through_member"]
        assert r.ndis == sr["ndis"]
        assert r.revision_constant == sr.get("revision_constant")
        assert r.size_constant == sr.get("size_constant")
        assert r.windows == sr.get("windows")


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_object_type_and_first_ndis(name, arch):
    lay = layout(name, arch)
    assert lay.object_type == _spec(name).get("object_type")
    assert lay.ndis == _spec(name)["introduced_ndis"]


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_padding_runs(name, arch):
    want = [(p["offset"], p["size"]) for p in _spec(name)["padding"][arch]]
    assert layout(name, arch).padding() == want


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_unnamed_bit_masks(name, arch):
    want = [(u["offset"], int(u["mask"], 16)) for u in _spec(name)["unnamed_bits"][arch]]
    assert layout(name, arch).unnamed_bits() == want


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_byte_owner_agrees_with_padding(name, arch):
    """Every byte is owned by a leaf covering it, or is padding — never both, never neither."""
    lay = layout(name, arch)
    owner = lay.byte_owner()
    pad = {o + i for o, n in lay.padding() for i in range(n)}
    for off, m in enumerate(owner):
        if off in pad:
            assert m is None, f"padding byte {off} owned by {m.path}"
        else:
            assert m is not None, f"byte {off} has no owner"
            start = m.unit_offset if m.kind == "bitfield" else m.offset
            assert start <= off < m.end


# --- layouts.md §3.1 facts, read from the JSON rather than typed here ---------------------------------
def test_ndis_offload_revision_sizes_match_size_constants():
    """Header.Size per revision equals the NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_n constant of the spec."""
    consts = {c["name"]: c.get("value") for c in spec_json()["constants"]}
    lay = layout("NDIS_OFFLOAD")
    for r in lay.revisions:
        assert r.size == consts[r.size_constant], r


def test_sizes_not_multiple_of_four_are_revisions_4_and_8():
    """layouts.md §3.1: revisions 4 (177) and 8 (217) are the two sizes that are not multiples of 4,
    and revision 8 is smaller than sizeof — derived here by comparing library and spec."""
    lay = layout("NDIS_OFFLOAD")
    odd = [(r.revision, r.size) for r in lay.revisions if r.size % 4]
    spec_odd = [(r["revision"], r["size"]["x64"]) for r in _spec("NDIS_OFFLOAD")["revisions"] if r["size"]["x64"] % 4]
    assert odd == spec_odd and [r for r, _ in odd] == [4, 8]
    assert lay.revision_size(8) < lay.sizeof
    # revision 7 adds no member: the same through-member and size as revision 6
    assert lay.revision(7).through_member == lay.revision(6).through_member
    assert lay.revision_size(7) == lay.revision_size(6)


def test_sizeof_in_era_is_the_revision_size_rounded_to_alignment():
    """The spec's 'sizeof() in that era's headers' column is Header.Size rounded up to the structure's
    alignment (a ULONG structure: 4). The library's alignment must reproduce it."""
    lay = layout("NDIS_OFFLOAD")
    for sr in _spec("NDIS_OFFLOAD")["revisions"]:
        era = sr["sizeof_in_era"]
        size = lay.revision_size(sr["revision"])
        assert (size + lay.align - 1) // lay.align * lay.align == era


def test_ipsecv2_block_position():
    """The 32-byte NDIS_IPSEC_OFFLOAD_V2 block sits where the spec puts it, and its inner layout in
    NDIS_OFFLOAD equals the standalone structure shifted by that offset."""
    off = layout("NDIS_OFFLOAD")
    block = off.field("IPsecV2")
    assert (block.offset, block.size) == (spec_member("NDIS_OFFLOAD", "IPsecV2")["offset"],
                                          spec_member("NDIS_OFFLOAD", "IPsecV2")["size"])
    alone = layout("NDIS_IPSEC_OFFLOAD_V2")
    assert alone.sizeof == block.size
    for m in alone.members:
        inner = off.field("IPsecV2." + m.path)
        assert (inner.offset - block.offset, inner.size, inner.kind) == (m.offset, m.size, m.kind)


@pytest.mark.parametrize("name", [s for s in STRUCTS if not _spec(s)["arch_dependent"]])
def test_arch_independent_structures_are_identical(name):
    a, b = layout(name, "x64"), layout(name, "x86")
    assert a.sizeof == b.sizeof
    assert [(m.path, m.offset, m.size, m.bit_offset) for m in a.members] == \
           [(m.path, m.offset, m.size, m.bit_offset) for m in b.members]


def test_unknown_names_raise_clearly():
    with pytest.raises(KeyError, match="NO_SUCH_STRUCT"):
        layout("NO_SUCH_STRUCT")
    with pytest.raises(ValueError, match="arm"):
        layout("NDIS_OFFLOAD", "arm")
    with pytest.raises(KeyError, match="IPsecV2.Nope"):
        layout("NDIS_OFFLOAD").field("IPsecV2.Nope")
    with pytest.raises(KeyError, match="revision 9"):
        layout("NDIS_OFFLOAD").revision_size(9)
