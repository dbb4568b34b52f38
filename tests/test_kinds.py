"""One codec object per member kind (ipsecexplore.kinds), the Extent of a decode (ipsecexplore.extent), the
header kept apart from packing (codec.pack_values / check_header / rewrite_header) and the one
NDIS_WMI_OFFLOAD refusal (ipsecexplore.wmi).

Expected positions, kinds and sizes come from tests/spec/layouts.json, never from the code under test.
"""

from __future__ import annotations

import ast
import uuid
import warnings
from pathlib import Path

import pytest
from helpers import ARCHES, spec_json, spec_structure_names, wmi_block

from ipsecexplore.codec import (
    WRITER_SIZE_RULE,
    check_header,
    decode_values,
    encode_values,
    pack_values,
    rewrite_header,
)
from ipsecexplore.errors import DecodeError, EncodeError
from ipsecexplore.kinds import KINDS, kind_of
from ipsecexplore.layouts import layout

PACKAGE = Path(__file__).resolve().parent.parent / "ipsecexplore"
# the modules that may ask what kind a member is: the one that assigns kinds and the one that serves them
KIND_OWNERS = {"layouts.py", "kinds.py"}


def _spec_kinds() -> set[str]:
    return {k.strip() for k in spec_json()["member_fields"]["kind"].split("|")}


def _spec_members(name: str, arch: str) -> list[dict]:
    return spec_json()["structures"][name]["members"][arch]


def _member_kind_comparisons(source: str, kinds: set[str]) -> list[int]:
    """Lines of ``source`` that compare a ``kind`` (attribute or name) with a member kind, or build a member
    with ``kind=`` one (``replace(m, kind="scalar")``)."""
    lines = []

    def literals(node) -> set:
        nodes = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
        return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}

    def is_kind(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "kind") or (isinstance(node, ast.Name)
                                                                            and node.id == "kind")

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(is_kind(s) for s in sides) and any(literals(s) & kinds for s in sides):
                lines.append(node.lineno)
        elif isinstance(node, ast.keyword) and node.arg == "kind" and literals(node.value) & kinds:
            lines.append(node.value.lineno)
    return lines


def test_the_kind_detector_finds_what_it_looks_for():
    kinds = _spec_kinds()
    caught = _member_kind_comparisons(
        'if m.kind == "bitfield": pass\nx = kind in ("array", "guid")\ny = replace(m, kind="scalar")\n'
        'z = ev.kind == "OID set"\n', kinds)
    assert caught == [1, 2, 3]


def test_no_member_kind_comparison_outside_the_kind_owners():
    """issue 11 point 1: each kind has one codec object; other modules call it instead of asking the kind."""
    kinds = _spec_kinds()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in KIND_OWNERS and path.parent == PACKAGE:
            continue
        for line in _member_kind_comparisons(path.read_text(encoding="utf-8"), kinds):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    assert not found, "member kinds compared outside layouts.py/kinds.py: " + ", ".join(found)


def test_every_kind_of_the_spec_has_a_codec():
    assert set(KINDS) == _spec_kinds()


def _value_with_every_bit(m):
    if m.codec.text_notation:
        return uuid.UUID(int=(1 << 128) - 1)
    elem = m.codec.element(m)
    if elem is not None:
        return bytes([0xFF] * m.size) if m.elem_size == 1 else (((1 << (elem.size * 8)) - 1),) * m.count
    return (1 << m.codec.value_bits(m)) - 1


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("name", spec_structure_names())
def test_each_leaf_writes_exactly_the_bits_the_spec_gives_it(name, arch):
    """Write a member with every bit set into zeros: exactly the spec's bytes/bits are set, and it reads back."""
    lay = layout(name, arch)
    for sm in _spec_members(name, arch):
        m = lay.field(sm["path"])
        assert m.kind == sm["kind"] and kind_of(m) is m.codec
        if not sm["leaf"]:
            continue
        buf = bytearray(lay.sizeof)
        v = _value_with_every_bit(m)
        m.codec.write(name, m, buf, v)
        word = int.from_bytes(buf, "little")
        if sm["kind"] == "bitfield":
            want = ((1 << sm["bit_width"]) - 1) << (sm["offset"] * 8 + sm["bit_offset"])
        else:
            want = ((1 << (sm["size"] * 8)) - 1) << (sm["offset"] * 8)
        assert word == want, sm["path"]
        assert m.codec.read(m, bytes(buf)) == v
        assert m.codec.is_zero(m.codec.zero(m)) and not m.codec.is_zero(v)
        assert (m.codec.bits_text(m) != "") == (sm["kind"] == "bitfield")


def test_a_value_too_wide_for_its_member_is_refused_by_name():
    lay = layout("NDIS_OFFLOAD")
    esp = lay.field("Checksum.IPv4Transmit.TcpChecksum")  # ULONG : 2 (spec)
    with pytest.raises(EncodeError, match="ULONG : 2") as ei:
        esp.codec.write("NDIS_OFFLOAD", esp, bytearray(lay.sizeof), 4)
    assert ei.value.path == esp.path


# --- extent ------------------------------------------------------------------------------------------
def _spec_revision_size(name: str, revision: int, arch: str = "x64") -> tuple[int, str]:
    r = next(r for r in spec_json()["structures"][name]["revisions"] if r["revision"] == revision)
    return r["size"][arch], r["size_constant"]


def _offload(revision: int, size: int, tail: bytes = b"") -> bytes:
    data = bytearray(size)
    data[0], data[1] = 0xA7, revision  # NDIS_OBJECT_TYPE_OFFLOAD (tests/spec/constants.md)
    data[2:4] = size.to_bytes(2, "little")
    return bytes(data) + tail


def test_a_larger_header_size_is_one_extent_that_describes_itself():
    macro, constant = _spec_revision_size("NDIS_OFFLOAD", 2)
    extra = bytes([0, 0, 0, 5])
    data = bytearray(_offload(2, macro + 4, b"\x01\x02"))
    data[macro:macro + 4] = extra
    e = decode_values("NDIS_OFFLOAD", bytes(data)).extent
    assert (e.larger, e.macro, e.header_size, e.beyond, e.trailing) == (True, macro, macro + 4, extra, b"\x01\x02")
    assert e.size_constant == constant and constant in e.size_meaning() and constant in e.r10_message()
    said = " ".join(e.sentences())
    assert f"offsets {macro}..{macro + 3}" in said and "not all zero: 00 00 00 05" in said
    assert "2 byte(s) follow Header.Size" in said
    assert f"written with Header.Size {macro}" in e.json_note() and f"read as {macro + 4}" in e.writer_comment()


def test_an_exact_header_size_has_nothing_to_say():
    macro, _ = _spec_revision_size("NDIS_OFFLOAD", 3)
    e = decode_values("NDIS_OFFLOAD", _offload(3, macro)).extent
    assert not e.larger and e.sentences() == [] and e.size_meaning() is None and e.r10_message() is None


def test_a_revision_without_ipsecv2_says_why_it_is_not_reported():
    """R9: IPsecV2 exists from revision 2 and Header.Size 144 on (sizes from the spec's revision table)."""
    size1, _ = _spec_revision_size("NDIS_OFFLOAD", 1)
    size2, _ = _spec_revision_size("NDIS_OFFLOAD", 2)
    e = decode_values("NDIS_OFFLOAD", _offload(1, size1)).extent
    assert e.not_reported("IPsecV2") == f"not reported (revision 1 < 2 / Header.Size {size1} < {size2})"
    assert decode_values("NDIS_OFFLOAD", _offload(2, size2)).extent.not_reported("IPsecV2") is None


# --- header apart from packing ---------------------------------------------------------------------
def test_pack_values_packs_the_header_as_given_and_check_header_refuses_it():
    macro, _ = _spec_revision_size("NDIS_OFFLOAD", 2)
    values = {"Header.Type": 0xA7, "Header.Revision": 2, "Header.Size": macro + 8}
    packed = pack_values("NDIS_OFFLOAD", values, size=macro)
    assert bytes(packed[:4]) == bytes([0xA7, 2]) + (macro + 8).to_bytes(2, "little") and len(packed) == macro
    with pytest.raises(EncodeError) as ei:
        check_header("NDIS_OFFLOAD", values, 2)
    assert ei.value.path == "Header.Size" and WRITER_SIZE_RULE in str(ei.value)
    check_header("NDIS_OFFLOAD", {"Header.Size": 0}, 2)  # 0 means "derive it"
    assert encode_values("NDIS_OFFLOAD", {}, revision=2)[:4] == bytes([0xA7, 2]) + macro.to_bytes(2, "little")


def test_rewrite_header_writes_the_given_header_and_refuses_what_does_not_fit():
    macro, _ = _spec_revision_size("NDIS_OFFLOAD", 2)
    data = encode_values("NDIS_OFFLOAD", {}, revision=2)
    out = rewrite_header("NDIS_OFFLOAD", data, {"Header.Revision": 1, "Header.Size": 300})
    assert out[:4] == bytes([0xA7, 1]) + (300).to_bytes(2, "little") and out[4:] == data[4:]
    with pytest.raises(EncodeError) as ei:
        rewrite_header("NDIS_OFFLOAD", data, {"Header.Size": 1 << 16})
    assert ei.value.path == "Header.Size"


def test_no_module_outside_the_codec_writes_header_bytes():
    """issue 11 point 2: the flow, SA and subject modules call the codec instead of poking Header.Size."""
    for rel in ("flow/simulation.py", "flow/sa.py", "rules/subjects.py"):
        text = (PACKAGE / rel).read_text(encoding="utf-8")
        assert 'field("Header.Size").offset' not in text, rel
        assert ".to_bytes(2, \"little\")" not in text and "int(v).to_bytes(m.size" not in text, rel


def test_the_old_names_are_deprecated_aliases():
    import ipsecexplore.codec as codec
    import ipsecexplore.model as model
    import ipsecexplore.wmi as wmi

    for module, old, new in ((codec, "_WRITERS", WRITER_SIZE_RULE), (model, "wmi_block", wmi.wmi_block),
                             (model, "WMI_HEADER_SIZE", wmi.WMI_HEADER_SIZE)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert getattr(module, old) is new
        assert any(issubclass(w.category, DeprecationWarning) for w in caught), old


# --- NDIS_WMI_OFFLOAD ---------------------------------------------------------------------------------
def test_the_wmi_refusal_is_one_message_wherever_it_is_met():
    from ipsecexplore.bulk import offloads_frame
    from ipsecexplore.model import decode

    data = wmi_block()
    with pytest.raises(DecodeError) as one:
        decode(data)
    with pytest.raises(DecodeError) as bulk:
        offloads_frame(data)
    assert one.value.reason == bulk.value.reason and "NDIS_WMI_OFFLOAD" in one.value.reason
    assert "R81" in one.value.reason and bulk.value.index == 0


def test_the_r81_finding_says_what_the_refusal_says():
    from ipsecexplore.model import decode
    from ipsecexplore.rules.validate import validate

    data = wmi_block()
    with pytest.raises(DecodeError) as refused:
        decode(data)
    r81 = [f.message for f in validate(data) if f.rule == "R81"]
    assert len(r81) == 1 and refused.value.reason in r81[0]


def test_a_structure_without_a_header_encodes_back_what_it_decoded():
    """The write-back of a decode's extras must not need a Header.Size (NDIS_IPSEC_OFFLOAD_V2 has none)."""
    from ipsecexplore.model import decode_struct

    size = spec_json()["structures"]["NDIS_IPSEC_OFFLOAD_V2"]["sizeof"]["x64"]
    data = bytes([1]) + bytes(size - 1)
    assert decode_struct("NDIS_IPSEC_OFFLOAD_V2", data).encode() == data
