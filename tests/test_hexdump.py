"""Annotated hex dumps (text and HTML) and the C initializer.

Which member owns which byte is taken from layouts.json; the object is the spec's revision-8 example.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from helpers import OFF, dump_to_bytes, member_end, spec_examples, spec_json, spec_leaves

from ipsecexplore.hexdump import hexdump, hexdump_html
from ipsecexplore.model import NdisOffload, decode, encode


class _Cells(HTMLParser):
    """Collects every element carrying data-offset: its attributes, text, and whether it sits inside an
    element with class ipsecexplore-hexdump."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, attrs)
        self.cells = []
        self._open = None
        self.texts = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.VOID:
            return
        self.stack.append((tag, a))
        if "data-offset" in a:
            inside = any("ipsecexplore-hexdump" in (x.get("class") or "").split() for _, x in self.stack[:-1])
            self._open = {"attrs": a, "inside": inside, "text": "", "depth": len(self.stack)}
            self.cells.append(self._open)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self._open is not None and len(self.stack) == self._open["depth"]:
            self._open = None
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        self.texts.append(data)
        if self._open is not None:
            self._open["text"] += data


def cells(html: str) -> list[dict]:
    p = _Cells()
    p.feed(html)
    p.close()
    return p.cells


def _padding_offsets(size: int) -> set[int]:
    return {p["offset"] + i for p in spec_json()["structures"][OFF]["padding"]["x64"]
            for i in range(p["size"]) if p["offset"] + i < size}


def _is_padding(cell) -> bool:
    classes = (cell["attrs"].get("class") or "").split()
    return "pad" in classes or "padding" in (cell["attrs"].get("data-member") or "").lower()


def _member_names(cell) -> set[str]:
    return {t for t in re.split(r"[\s|,]+", cell["attrs"].get("data-member") or "") if t}


@pytest.fixture(scope="module")
def rev8():
    return decode(spec_examples()["Revision 8"])


@pytest.fixture(scope="module")
def rev8_cells(rev8):
    return cells(rev8.hexdump(html_output=True))


def test_every_byte_has_exactly_one_cell(rev8_cells):
    data = spec_examples()["Revision 8"]
    offsets = [int(c["attrs"]["data-offset"]) for c in rev8_cells]
    assert sorted(offsets) == list(range(217)), "one element per byte, offsets 0..216"
    for c in rev8_cells:
        assert c["inside"], f"byte {c['attrs']['data-offset']} outside .ipsecexplore-hexdump"
        off = int(c["attrs"]["data-offset"])
        assert int(c["text"].strip(), 16) == data[off], f"byte {off} shows {c['text']!r}"


def test_each_byte_names_its_member(rev8_cells):
    by_off = {int(c["attrs"]["data-offset"]): c for c in rev8_cells}
    pad = _padding_offsets(217)
    leaves = spec_leaves(OFF, "x64", 8)
    for off, c in by_off.items():
        if off in pad:
            assert _is_padding(c), f"byte {off} is padding (layouts.md §5)"
            continue
        assert not _is_padding(c), f"byte {off} is not padding"
        start = lambda m: m["unit_offset"] if m["kind"] == "bitfield" else m["offset"]  # noqa: E731
        covering = {m["path"] for m in leaves if start(m) <= off < member_end(m)}
        assert covering & _member_names(c), f"byte {off}: {c['attrs'].get('data-member')!r} names none of {covering}"


def test_esp_and_padding_cells(rev8_cells):
    by_off = {int(c["attrs"]["data-offset"]): c for c in rev8_cells}
    assert by_off[120]["attrs"]["data-member"] == "IPsecV2.Esp"
    assert by_off[120]["text"].strip() == "01"
    assert _is_padding(by_off[127])
    assert not ({"IPsecV2.Esp", "IPsecV2.ExtendedSequenceNumbers"} & _member_names(by_off[127]))


@pytest.mark.parametrize("path", ["IPsecV2.Esp", "IPsecV2.SaOffloadCapacity", "Header.Size", "LsoV2.IPv4", "Flags"])
def test_highlight_marks_only_the_members_bytes(rev8, path):
    html = hexdump_html(encode(rev8), rev8.layout, highlight=path)
    marked = {int(c["attrs"]["data-offset"]) for c in cells(html) if "hl" in (c["attrs"].get("class") or "").split()}
    spec = {m["path"]: m for m in spec_json()["structures"][OFF]["members"]["x64"]}[path]
    assert marked == set(range(spec["offset"], spec["offset"] + spec["size"]))


def test_no_highlight_by_default(rev8_cells):
    assert not any("hl" in (c["attrs"].get("class") or "").split() for c in rev8_cells)


def test_outside_strings_are_escaped(rev8):
    evil = '<img src=x onerror="alert(1)">'
    html = hexdump_html(encode(rev8), rev8.layout, title=evil, element_id='x" onclick="y')
    assert evil not in html and 'onclick="y"' not in html
    assert "&lt;img" in html
    assert len(cells(html)) == 217


def test_text_dump_rows_are_the_bytes(rev8):
    data = encode(rev8)
    text = hexdump(data, rev8.layout)
    rows = text.split("\n\n")[0]
    assert dump_to_bytes(rows) == data


def test_text_dump_lists_every_member_and_padding(rev8):
    text = hexdump(encode(rev8), rev8.layout)
    leaves = spec_leaves(OFF, "x64", 8)
    for m in leaves:
        if m.get("alternative_of"):  # a union shows one of its views per byte
            assert any(p in text for p in [m["path"], *m["alternative_of"]]), m["path"]
        else:
            assert m["path"] in text, m["path"]
    esp = [ln for ln in text.splitlines() if re.search(r"\bIPsecV2\.Esp\b", ln)]
    assert len(esp) == 1 and "0x0078" in esp[0] and esp[0].split()[-1] == "1"
    pad = [ln for ln in text.splitlines() if "padding" in ln]
    assert any(ln.startswith("0x007F") for ln in pad)


def test_text_dump_of_an_odd_length_revision():
    off = NdisOffload.new(revision=4)
    off.EncapsulationTypes = 3
    data = encode(off)
    assert len(data) == 177
    text = hexdump(data, off.layout)
    assert dump_to_bytes(text.split("\n\n")[0]) == data
    assert re.search(r"^0x00B0 .*EncapsulationTypes.* 3$", text, re.M)


# --- C initializer ----------------------------------------------------------------------------------
def _statements(c_text: str) -> dict[str, str]:
    """'offload.X.Y' -> right-hand side (whitespace collapsed, comments kept) of each assignment."""
    out = {}
    for stmt in re.sub(r"\s+", " ", c_text).split(";"):
        if "=" in stmt:
            lhs, rhs = stmt.split("=", 1)
            out[lhs.strip()] = rhs.strip()
    return out


def test_c_initializer_header_and_members(rev8):
    text = rev8.c_initializer()
    st = _statements(text)
    assert st["offload.Header.Type"] == "NDIS_OBJECT_TYPE_OFFLOAD"
    assert st["offload.Header.Revision"] == "NDIS_OFFLOAD_REVISION_8"
    assert st["offload.Header.Size"] == "NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_8"
    assert "offload.IPsecV2.Esp = TRUE;" in text
    assert st["offload.IPsecV2.Encapsulation"] == "NDIS_ENCAPSULATION_IEEE_802_3"
    enc = {t.strip() for t in st["offload.IPsecV2.EncryptionAlgorithms"].split("|")}
    assert enc == {"IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128", "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128"}
    auth = {t.strip() for t in st["offload.IPsecV2.AuthenticationAlgorithms"].split("|")}
    assert auth == {"IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1", "IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128"}
    assert st["offload.Flags"] == "IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE"
    assert "NdisZeroMemory(&offload, sizeof(offload))" in text
    # zero members are left to NdisZeroMemory
    assert "offload.IPsecV2.AhEspCombined" not in st and "offload.UdpRsc.Enabled" not in st


def test_c_initializer_every_nonzero_member_once(rev8):
    st = _statements(rev8.c_initializer())
    nonzero = {f"offload.{p}" for p, v in rev8.to_dict().items() if v and not p.startswith("Header.")}
    assert {k for k in st if not k.startswith("offload.Header.")} == nonzero


def test_c_initializer_keeps_undefined_bits_and_odd_booleans():
    off = NdisOffload.new(revision=2)
    off.IPsecV2.EncryptionAlgorithms = 0x80000008
    d = bytearray(encode(off))
    d[0x78] = 2
    st = _statements(decode(bytes(d)).c_initializer())
    rhs = st["offload.IPsecV2.EncryptionAlgorithms"]
    assert "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128" in rhs and "0x80000000" in rhs.upper().replace("0X", "0x")
    assert st["offload.IPsecV2.Esp"].split()[0] == "2"


def test_c_initializer_other_revision_and_variable():
    off = NdisOffload.new(revision=2)
    text = off.c_initializer("caps")
    assert text.startswith("NDIS_OFFLOAD caps;")
    st = _statements(text)
    assert st["caps.Header.Revision"] == "NDIS_OFFLOAD_REVISION_2"
    assert st["caps.Header.Size"] == "NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2"


def test_c_initializer_of_a_larger_header_size_says_what_was_read():
    data = encode({"IPsecV2.Esp": True}, revision=2)
    data = data[:2] + (148).to_bytes(2, "little") + data[4:] + bytes(4)
    size_line = [ln for ln in decode(data).c_initializer().splitlines() if ".Header.Size" in ln]
    assert size_line == ["offload.Header.Size = NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2;  "
                         "/* read as 148; a driver writes the NDIS_SIZEOF value (R10) */"]
    assert "/*" not in encode_line(encode({"IPsecV2.Esp": True}, revision=2))


def encode_line(data: bytes) -> str:
    return next(ln for ln in decode(data).c_initializer().splitlines() if ".Header.Size" in ln)


def test_bytes_past_ndis_sizeof_belong_to_no_member():
    """A larger Header.Size (R8): the extra bytes are not later-revision members in the dumps."""
    data = encode({"IPsecV2.Esp": True}, revision=2)
    data = data[:2] + (148).to_bytes(2, "little") + data[4:] + bytes([1, 2, 3, 4])
    obj = decode(data)
    text = obj.hexdump()
    assert "0x0090 +4   (past NDIS_SIZEOF: not decoded)" in text and "Rsc." not in text
    page = obj.hexdump(html_output=True)
    for off in range(144, 148):
        assert f'data-offset="{off}" data-member="(past NDIS_SIZEOF: not decoded)"' in page
    assert 'data-member="(past NDIS_SIZEOF' not in hexdump_html(encode({}, revision=3), decode(data).layout)
