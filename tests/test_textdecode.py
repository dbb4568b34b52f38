"""One text decoder: ``decode`` (hexinput) and ``import`` (captures.textio) read every file the same way —
in particular a UTF-16 file written without a BOM, which ``decode`` used to read as UTF-8 with NUL bytes."""

from __future__ import annotations

import codecs

import pytest
from helpers import spec_examples
from hypothesis import given
from hypothesis import strategies as st

from ipsecexplore import decode
from ipsecexplore.captures import import_bytes
from ipsecexplore.captures.textio import decode_text as import_decode
from ipsecexplore.hexinput import decode_text as hex_decode
from ipsecexplore.hexinput import read_bytes

ENCODINGS = [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", b""), ("utf-16-le", codecs.BOM_UTF16_LE),
             ("utf-16-be", b""), ("utf-16-be", codecs.BOM_UTF16_BE)]


def _example() -> bytes:
    return next(v for v in spec_examples().values() if v[:1] == b"\xa7")


@pytest.mark.parametrize("enc,bom", ENCODINGS)
def test_decode_and_import_read_a_hex_dump_in_any_encoding_as_the_same_bytes(enc, bom):
    data = _example()
    rows = [data[i:i + 16] for i in range(0, len(data), 16)]
    dump = "".join(f"{i * 16:08X}  {r.hex(' ')}\r\n" for i, r in enumerate(rows))
    raw = bom + dump.encode(enc)
    assert read_bytes(raw) == data  # what `ipsecexplore decode` reads
    r = import_bytes(raw, "HOST01.hex")  # what `ipsecexplore import` reads
    assert r.loaded == 1 and not r.rejected
    rec = r.records[0]
    want = decode(data).to_dict()
    assert all(rec.values[k] == want[k] for k in rec.values if k in want and rec.values[k] is not None)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=4),
       st.sampled_from(ENCODINGS))
def test_both_readers_decode_ascii_text_alike(text, enc_bom):
    enc, bom = enc_bom
    raw = bom + text.encode(enc)
    assert hex_decode(raw) == import_decode(raw, "x", normalize=False)[0] == text


def test_text_that_is_not_utf8_is_no_hex_but_a_capture_can_still_be_read():
    raw = "Name : caf\xe9 2".encode("cp1252")
    assert hex_decode(raw) is None  # hex text is ASCII: decode reports it as not text
    assert import_decode(raw, "x")[1] == "cp1252"  # the import reads it in the ANSI code page (a guess it remarks on)
