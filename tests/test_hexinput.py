"""Hex text as people paste it (ipsecexplore.hexinput), in process.

Dumps with an address column (plain, ``hexdump -C``, ``xxd``, WinDbg ``db``) must have addresses that follow
the bytes before them; a wrong or missing row is an InputError naming the line, never the address column
re-read as data. Text may carry a BOM (UTF-8, UTF-16LE/BE). Expected bytes are the spec's worked example.
"""

from __future__ import annotations

import codecs

import pytest
from helpers import spec_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsecexplore.errors import InputError
from ipsecexplore.hexinput import decode_text, looks_like_hex, parse_hex, read_bytes, split_lines

REV2 = spec_examples()["Revision 2"]


def _spaced(b: bytes) -> str:
    return " ".join(f"{x:02x}" for x in b)


def _ascii(chunk: bytes) -> str:
    return "".join(chr(x) if 32 <= x < 127 else "." for x in chunk)


def plain(b: bytes, base: int = 0) -> list[str]:
    """``0000  a7 02 …`` (the spec's dumps)."""
    return [f"{i:04x}  " + _spaced(b[i:i + 16]) for i in range(0, len(b), 16)]


def hexdump_c(b: bytes, base: int = 0) -> list[str]:
    """``hexdump -C`` rows (without the final length line, so every line is a row)."""
    return [f"{i:08x}  " + (_spaced(b[i:i + 8]) + "  " + _spaced(b[i + 8:i + 16])).ljust(48)
            + f"  |{_ascii(b[i:i + 16])}|" for i in range(0, len(b), 16)]


def xxd(b: bytes, base: int = 0) -> list[str]:
    """``xxd`` rows: ``00000000: a702 9000 …  ascii``."""
    rows = []
    for i in range(0, len(b), 16):
        c = b[i:i + 16]
        rows.append(f"{i:08x}: " + " ".join(c[j:j + 2].hex() for j in range(0, len(c), 2)).ljust(39) + "  " + _ascii(c))
    return rows


def windbg(b: bytes, base: int = 0xFFFFE0012A3B0000) -> list[str]:
    """WinDbg ``db``: ``ffffe001`2a3b0000  a7 02 90 00 00 00 00 00-00 …  ascii``."""
    rows = []
    for i in range(0, len(b), 16):
        c = b[i:i + 16]
        hexes = _spaced(c[:8]) + ("-" + _spaced(c[8:]) if len(c) > 8 else "")
        a = base + i
        rows.append(f"{a >> 32:08x}`{a & 0xFFFFFFFF:08x}  {hexes.ljust(47)}  {_ascii(c)}")
    return rows


FORMATS = {"plain": plain, "hexdump_C": hexdump_c, "xxd": xxd, "windbg": windbg}


# --- dumps with an address column ----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_dump_formats_read(fmt):
    text = "\n".join(FORMATS[fmt](REV2)) + "\n"
    assert looks_like_hex(text.encode())
    assert parse_hex(text) == REV2


def test_reviewer_repro_wrong_second_address():
    zeros = _spaced(bytes(16))
    with pytest.raises(InputError) as ei:
        parse_hex(f"0000  {zeros}\n0011  {zeros}\n", source="FILE")
    assert str(ei.value) == "FILE:2: hex text: offset column says 0x11 but 16 bytes precede this line"
    assert ei.value.line == 2 and ei.value.source == "FILE"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_missing_row_names_its_line(fmt):
    rows = FORMATS[fmt](REV2)
    del rows[3]  # the 4th row gone: the line that now stands 4th says 0x40 after 48 bytes
    with pytest.raises(InputError) as ei:
        parse_hex("\n".join(rows), source="d.txt")
    assert ei.value.line == 4 and "48 bytes precede this line" in str(ei.value)


@pytest.mark.parametrize("fmt", ["plain", "hexdump_C", "xxd"])
def test_first_address_not_zero(fmt):
    rows = FORMATS[fmt](REV2)[1:]  # starts at 0x10
    with pytest.raises(InputError) as ei:
        parse_hex("\n".join(rows), source="d.txt")
    assert ei.value.line == 1 and "0x10 but 0 bytes" in str(ei.value)


def test_windbg_wrong_address_says_the_base():
    rows = windbg(REV2)
    rows[2] = rows[2].replace("2a3b0020", "2a3b0030")
    with pytest.raises(InputError) as ei:
        parse_hex("\n".join(rows), source="db.txt")
    msg = str(ei.value)
    assert msg.startswith("db.txt:3: ") and "0xFFFFE0012A3B0030" in msg and "32 bytes" in msg
    assert "0xFFFFE0012A3B0000" in msg


def test_windbg_32bit_address_and_short_last_row():
    rows = windbg(REV2[:40], base=0)  # then drop the 64-bit form: 8-digit addresses as on a 32-bit target
    rows = [f"8a3b{int(r[9:17], 16):04x}" + r[17:] for r in rows]
    text = "\n".join(rows) + "\n"
    assert looks_like_hex(text.encode())
    assert parse_hex(text) == REV2[:40]


def test_line_offset_counts_in_the_message():
    zeros = _spaced(bytes(16))
    with pytest.raises(InputError) as ei:
        parse_hex(f"0000  {zeros}\n0020  {zeros}", source="f", line_offset=10)
    assert ei.value.line == 12


@pytest.mark.parametrize("text", [
    _spaced(REV2),
    "\n".join(_spaced(REV2[i:i + 16]) for i in range(0, len(REV2), 16)),  # 16 bytes a line, no address
    REV2.hex(),
    "\n".join(REV2[i:i + 8].hex() for i in range(0, len(REV2), 8)),  # 16 digits a line: not an address
    "unsigned char b[] = {" + ", ".join(f"0x{x:02X}" for x in REV2) + "};",
])
def test_plain_hex_without_address_column(text):
    assert parse_hex(text) == REV2


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=17, max_size=240), fmt=st.sampled_from(list(FORMATS)), pick=st.integers(min_value=1),
       delta=st.integers(min_value=1, max_value=0x100))
def test_any_dump_round_trips_and_any_wrong_address_is_named(data, fmt, pick, delta):
    rows = FORMATS[fmt](data)
    assert parse_hex("\n".join(rows)) == data
    i = 1 + pick % (len(rows) - 1)
    addr_text = rows[i].split()[0].rstrip(":")
    wrong = int(addr_text.replace("`", ""), 16) + delta * 16
    new = f"{wrong:0{len(addr_text.replace('`', ''))}x}"
    if "`" in addr_text:
        new = new[:-8] + "`" + new[-8:]
    rows[i] = rows[i].replace(addr_text, new, 1)
    with pytest.raises(InputError) as ei:
        parse_hex("\n".join(rows), source="x")
    assert ei.value.line == i + 1


# --- text encodings --------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding,bom", [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                          ("utf-16-be", codecs.BOM_UTF16_BE)])
@pytest.mark.parametrize("mode", ["auto", "hex"])
def test_bom_text_is_text(encoding, bom, mode):
    raw = bom + ("\r\n".join(plain(REV2)) + "\r\n").encode(encoding)
    if mode == "auto":
        assert looks_like_hex(raw)
    assert read_bytes(raw, mode, source="ps.txt") == REV2


def test_binary_stays_binary():
    assert not looks_like_hex(REV2)
    assert read_bytes(REV2) == REV2
    assert read_bytes(codecs.BOM_UTF16_LE + b"\xa7") == codecs.BOM_UTF16_LE + b"\xa7"  # odd length: not UTF-16
    assert decode_text(codecs.BOM_UTF16_LE + b"\xa7") is None


def test_not_text_in_hex_mode():
    with pytest.raises(InputError) as ei:
        read_bytes(b"\xa7\x02\x90\xff", "hex", source="b.bin")
    assert str(ei.value).startswith("b.bin: ")


def test_split_lines_only_on_newline():
    assert split_lines("a\x0cb\nc\u2028d\r\ne\n") == ["a\x0cb", "c\u2028d", "e"]
    assert split_lines("") == [] and split_lines("\n") == [""]


def test_error_line_after_form_feed():
    with pytest.raises(InputError) as ei:
        parse_hex("a7 02\x0c 90\n00 zz\n", source="f")
    assert ei.value.line == 2


def test_large_plain_hex_is_read_exactly():
    """A large paste of plain hex takes the fast path and gives the same bytes."""
    import os as _os

    data = _os.urandom(200_000)
    for text in (" ".join(f"{b:02x}" for b in data), ", ".join(f"0x{b:02X}" for b in data),
                 "\n".join(data[i:i + 16].hex(" ") for i in range(0, len(data), 16))):
        assert parse_hex(text) == data
    with pytest.raises(InputError, match="column 4"):
        parse_hex("a7 0 90")  # odd tokens still get the slow path's precise error


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "0x", "0X"]), st.text("0123456789abcdefABCDEFx", min_size=1, max_size=5),
                          st.sampled_from([" ", ", ", ":", "\n", ";", "\t", ",\n"])), min_size=1, max_size=12))
def test_fast_path_agrees_with_the_careful_parser(tokens):
    """The fast path for plain hex accepts and returns exactly what the token-by-token parser does (a
    ``starts`` list forces the token-by-token parser)."""
    text = "".join(p + t + sep for p, t, sep in tokens)

    def run(**kw):
        try:
            return parse_hex(text, **kw)
        except InputError:
            return "error"

    assert run() == run(starts=[])


@pytest.mark.parametrize("width", [24, 32])
def test_offset_dump_with_wide_rows_is_a_dump(width):
    """An 'OFFSET  bytes' dump with more than 16 bytes per row: the address column is not data."""
    data = bytes(range(144))
    text = "\n".join(f"{i:04x}  " + " ".join(f"{b:02x}" for b in data[i:i + width])
                     for i in range(0, len(data), width)) + "\n"
    assert parse_hex(text) == data


def test_the_spec_dump_reader_is_hexinputs_and_names_the_line():
    """One hex-dump reader: the importer's spec dumps are split by ipsecexplore.hexinput, with its InputError;
    the old captures.raw.parse_hex_dump is a deprecated alias keeping its ValueError(line, reason)."""
    import warnings

    from ipsecexplore.captures import raw
    from ipsecexplore.errors import InputError
    from ipsecexplore.hexinput import split_spec_dumps

    chunks = split_spec_dumps("0000 a7 02\n0002 90 00\n\n0000 a7 01\n")
    assert chunks == [(b"\xa7\x02\x90\x00", [(0, 1), (2, 2)]), (b"\xa7\x01", [(0, 4)])]
    try:
        split_spec_dumps("0000 a7 02\n0004 90 00\n", source="x.hex")
    except InputError as exc:
        assert (exc.source, exc.line) == ("x.hex", 2) and "0x4 but 2 bytes precede" in exc.reason
    else:
        raise AssertionError("an offset column that skips bytes was read")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = raw.parse_hex_dump
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    try:
        old("zz\n")
    except ValueError as exc:
        assert exc.args[0] == 1 and "not a hex byte" in exc.args[1]
    else:
        raise AssertionError("the old reader read 'zz'")
