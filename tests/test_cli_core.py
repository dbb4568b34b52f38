"""The decode / encode / explain command line, through real subprocesses (``python -m ipsecexplore``).

Every invocation is declared once in CASES and all of them run concurrently in one module fixture (each
interpreter start costs about a second). Expected bytes are the spec's worked examples (layouts.md §6).
Bad input must give exit status 2, one short stderr line naming what and where, and never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from helpers import (
    OFF,
    ascii_column,
    example_content,
    spec_examples,
    spec_leaves,
    spec_revision_size,
    wmi_block,
    xxd,
)

REV2 = spec_examples()["Revision 2"]
REV8 = spec_examples()["Revision 8"]
PARAMS2 = spec_examples()["`NDIS_OFFLOAD_PARAMETERS` revision 2"]
REV1_SIZE = spec_revision_size(OFF, 1)
REV1 = bytes([0xA7, 1]) + REV1_SIZE.to_bytes(2, "little") + REV2[4:REV1_SIZE]  # rev 2 example, cut to rev 1


def _spaced(b: bytes) -> str:
    return " ".join(f"{x:02x}" for x in b)


def _dump(b: bytes) -> str:
    return "\n".join(f"{i:04x}  " + _spaced(b[i:i + 16]) for i in range(0, len(b), 16)) + "\n"


def _hexdump_C(b: bytes) -> str:
    """``hexdump -C`` output: 8-digit address, two groups of 8 bytes, ASCII column, final length line."""
    rows = []
    for i in range(0, len(b), 16):
        c = b[i:i + 16]
        hexes = (_spaced(c[:8]) + "  " + _spaced(c[8:])).ljust(48)
        rows.append(f"{i:08x}  {hexes}  |{ascii_column(c)}|")
    return "\n".join(rows) + f"\n{len(b):08x}\n"


def _c_array(b: bytes) -> str:
    rows = [", ".join(f"0x{x:02X}" for x in b[i:i + 12]) for i in range(0, len(b), 12)]
    return "unsigned char offload[] = {\n    " + ",\n    ".join(rows) + "\n};\n"


def _json_content(extra: dict | None = None, **header) -> str:
    bools = {m["path"] for m in spec_leaves(OFF) if m["ctype"] == "BOOLEAN"}
    d = {k: (bool(v) if k in bools else v) for k, v in example_content().items()}
    d.update(header)
    d.update(extra or {})
    return json.dumps(d)


_ZEROS16 = " ".join(["00"] * 16)
WRONG_ADDRESS = f"0000  {_ZEROS16}\n0011  {_ZEROS16}\n"  # second address should be 0010
BOM8, BOM16LE, BOM16BE = b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"


def _jsonl(*objs) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objs).encode()


HEX_FORMS = {
    "spaced": _spaced(REV2) + "\n",
    "compact": REV2.hex() + "\n",
    "upper_0x_commas": ", ".join(f"0x{x:02X}" for x in REV2) + "\n",
    "colons": ":".join(f"{x:02x}" for x in REV2) + "\n",
    "c_array": _c_array(REV2),
    "hexdump_addresses": _dump(REV2),
    "hexdump_C": _hexdump_C(REV2),
    "xxd": xxd(REV2),
}


MULTILINE = {"spaced", "c_array", "hexdump_addresses", "hexdump_C", "xxd"}


@dataclass
class Case:
    args: list
    stdin: bytes = b""
    files: dict | None = None  # name -> bytes, written into the working directory first
    binary_out: bool = False


CASES: dict[str, Case] = {
    "decode_bin_file": Case(["decode", "rev2.bin"], files={"rev2.bin": REV2}),
    "decode_bin_dash_json": Case(["decode", "-", "--json"], stdin=REV2),
    "decode_rev8_json": Case(["decode", "rev8.bin", "--json"], files={"rev8.bin": REV8}),
    "decode_force_bin": Case(["decode", "--bin", "--json", "rev2.bin"], files={"rev2.bin": REV2}),
    "decode_force_hex": Case(["decode", "--hex", "--json"], stdin=REV2.hex().encode()),
    # whole-file hex text, auto-detected; the one-line forms also go through --jsonl below
    **{f"decode_hex_{k}": Case(["decode", "--json", "in.txt"], files={"in.txt": v.encode()})
       for k, v in HEX_FORMS.items() if k in MULTILINE},
    "decode_jsonl_forms": Case(["decode", "--jsonl", "forms.txt"], files={"forms.txt": "".join(
        v for k, v in HEX_FORMS.items() if k not in MULTILINE).encode()}),
    "decode_jsonl": Case(["decode", "--jsonl"], stdin=(REV2.hex() + "\nzz not hex\n" + _spaced(REV8) + "\n"
                                                      + "80" + REV2.hex()[2:] + "\n" + REV2.hex() + "\n").encode()),
    "decode_trailing": Case(["decode", "--json"], stdin=REV2 + b"\x01\x02"),
    # R8: a Header.Size larger than the macro is accepted; the table shows the real size
    "decode_larger_size": Case(["decode", "big.bin"], files={"big.bin": REV2[:2] + (148).to_bytes(2, "little")
                                                             + REV2[4:] + b"\x00\x00\x00\x09"}),
    "encode_larger_size": Case(["encode"], stdin=_json_content(**{"Header.Revision": 2, "Header.Size": 148}).encode()),
    "decode_wmi_block": Case(["decode", "wmi.bin"], files={"wmi.bin": wmi_block()}),
    "encode_rev2": Case(["encode"], stdin=_json_content(**{"Header.Revision": 2}).encode()),
    "encode_revision_flag": Case(["encode", "--revision", "8", "in.json"],
                                 files={"in.json": _json_content({"Flags": 2}).encode()}),
    "encode_flag_wins": Case(["encode", "--revision", "8"],
                             stdin=_json_content({"Flags": 2}, **{"Header.Revision": 2}).encode()),
    "encode_bin": Case(["encode", "--bin", "-"], stdin=_json_content(**{"Header.Revision": 2}).encode(),
                       binary_out=True),
    "encode_jsonl": Case(["encode", "--jsonl"], stdin=(_json_content(**{"Header.Revision": 2}) + "\n"
                                                       + '{"Header.Revision": 2, "IPsecV2.Bogus": 1}\n'
                                                       + "{not json\n"
                                                       + _json_content({"Flags": 2}, **{"Header.Revision": 8})
                                                       + "\n").encode()),
    "encode_params_key_absent": Case(["encode"], stdin=b'{"IPsecV2.Esp": true}'),
    "encode_unknown_key": Case(["encode", "--revision", "2"], stdin=b'{"IPsecV2.Espp": true}'),
    "encode_bad_json": Case(["encode", "--revision", "2"], stdin=b'{"IPsecV2.Esp": tru}'),
    "encode_beyond_revision": Case(["encode", "--revision", "2"], stdin=b'{"UdpRsc.Enabled": true}'),
    "encode_bad_header_revision": Case(["encode"], stdin=b'{"Header.Revision": 9}'),
    "encode_not_object": Case(["encode", "--revision", "2"], stdin=b"[1, 2]"),
    "encode_not_utf8": Case(["encode", "--revision", "2"], stdin=b"\xff\xfe{"),
    "explain_member": Case(["explain", "IPsecV2.LsoSupported"]),
    "explain_bitfield": Case(["explain", "Checksum.IPv4Transmit.IpChecksum"]),
    "explain_constant": Case(["explain", "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"]),
    "explain_structure": Case(["explain", "NDIS_OFFLOAD"]),
    "explain_unknown": Case(["explain", "IPsecV2.LsoSuported"]),
    "bad_missing_file": Case(["decode", "no-such-file.bin"]),
    "bad_garbage_text": Case(["decode"], stdin=b"hello, world: this is not hex\n"),
    "bad_garbage_binary": Case(["decode"], stdin=bytes(range(256)) * 2),
    "bad_wrong_type": Case(["decode", "bad.bin"], files={"bad.bin": b"\x80" + REV2[1:]}),
    "bad_truncated": Case(["decode"], stdin=REV2[:100]),
    "bad_empty": Case(["decode"], stdin=b""),
    "bad_odd_hex": Case(["decode", "--hex"], stdin=b"a7 02 9\n"),
    "bad_encode_missing_file": Case(["encode", "nope.json"]),
    "bad_no_command": Case([]),
    # a dump whose address column is wrong is refused with the line named (was read as data bytes)
    "bad_dump_address": Case(["decode", "d.txt"], files={"d.txt": WRONG_ADDRESS.encode()}),
    "bad_dump_address_validate": Case(["validate", "v.json"], files={"v.json": json.dumps(
        {"structure": "NDIS_OFFLOAD", "hex": WRONG_ADDRESS}).encode()}),
    # decode errors on binary input name the file
    "bad_truncated_file": Case(["decode", "t.bin"], files={"t.bin": REV2[:100]}),
    "bad_empty_file": Case(["decode", "e.bin"], files={"e.bin": b""}),
    # --jsonl counts lines on newline only: a form feed or U+2028 inside a record is whitespace
    "decode_jsonl_separators": Case(["decode", "--jsonl", "r.txt"], files={"r.txt": (
        REV2.hex()[:100] + "\x0c" + REV2.hex()[100:] + "\n" + _spaced(REV8[:50]) + "\u2028" + _spaced(REV8[50:])
        + "\nzz\n").encode()}),
    # BOM-prefixed hex text is text, auto-detected or with --hex
    "decode_bom_utf8": Case(["decode", "--json", "bom.hex"], files={"bom.hex": BOM8 + REV2.hex().encode()}),
    "decode_utf16le": Case(["decode", "--json", "ps.txt"],
                           files={"ps.txt": BOM16LE + _dump(REV2).replace("\n", "\r\n").encode("utf-16-le")}),
    "decode_utf16be_hex": Case(["decode", "--hex", "--json", "ps.txt"],
                               files={"ps.txt": BOM16BE + _spaced(REV2).encode("utf-16-be")}),
    "decode_jsonl_utf16": Case(["decode", "--jsonl", "ps.txt"],
                               files={"ps.txt": BOM16LE + (REV2.hex() + "\r\n").encode("utf-16-le")}),
    # encode --jsonl --bin: the records as one binary buffer, or nothing when a line fails
    "encode_jsonl_bin": Case(["encode", "--jsonl", "--bin"], binary_out=True, stdin=(
        _json_content(**{"Header.Revision": 2}) + "\n" + _json_content({"Flags": 2}, **{"Header.Revision": 8})
        + "\n").encode()),
    "encode_jsonl_bin_bad": Case(["encode", "--jsonl", "--bin", "in.jsonl"], binary_out=True, files={
        "in.jsonl": (_json_content(**{"Header.Revision": 2}) + "\n{not json\n").encode()}),
    # revision 1: the IPsecV2 block is shown as not reported (rule R9)
    "decode_rev1_table": Case(["decode", "r1.bin"], files={"r1.bin": REV1}),
    "decode_rev1_nonzero": Case(["decode", "--nonzero", "r1.bin"], files={"r1.bin": REV1}),
    "decode_rev1_json": Case(["decode", "--json", "r1.bin"], files={"r1.bin": REV1}),
    "decode_rev2_table": Case(["decode", "--nonzero", "r2.bin"], files={"r2.bin": REV2}),
}


@dataclass
class Result:
    rc: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode()

    def json_lines(self) -> list:
        return [json.loads(ln) for ln in self.text.splitlines()]


def _run(case: Case, workdir) -> Result:
    d = workdir / f"case{id(case)}"
    d.mkdir()
    for name, data in (case.files or {}).items():
        (d / name).write_bytes(data)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    p = subprocess.run([sys.executable, "-m", "ipsecexplore", *case.args], input=case.stdin, cwd=d,
                       capture_output=True, timeout=120, env=env)
    return Result(p.returncode, p.stdout, p.stderr.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, Result]:
    work = tmp_path_factory.mktemp("cli")
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2) * 2)) as pool:
        futs = {name: pool.submit(_run, case, work) for name, case in CASES.items()}
        return {name: f.result() for name, f in futs.items()}


def test_no_traceback_anywhere(results):
    for name, r in results.items():
        assert "Traceback" not in r.err, f"{name}: {r.err}"


# --- decode --------------------------------------------------------------------------------------------
def test_decode_table(results):
    r = results["decode_bin_file"]
    assert r.rc == 0, r.err
    assert "NDIS_OFFLOAD revision 2" in r.text and "144" in r.text
    esp = [ln for ln in r.text.splitlines() if " IPsecV2.Esp " in f" {ln} "]
    assert len(esp) == 1 and esp[0].startswith("0x0078") and "True" in esp[0]
    for m in spec_leaves(OFF, "x64", 2):
        assert m["path"] in r.text, m["path"]


def _want_json(rev: int, content: dict) -> dict:
    bools = {m["path"] for m in spec_leaves(OFF) if m["ctype"] == "BOOLEAN"}
    hdr = {"Header.Type": 0xA7, "Header.Revision": rev, "Header.Size": len(REV2 if rev == 2 else REV8)}
    out = {}
    for m in spec_leaves(OFF, "x64", rev):
        v = {**hdr, **content}.get(m["path"], 0)
        out[m["path"]] = bool(v) if m["path"] in bools else v
    return out


def test_decode_json(results):
    r = results["decode_bin_dash_json"]
    assert r.rc == 0, r.err
    got = json.loads(r.text)
    assert list(got) == list(_want_json(2, example_content()))
    assert got == _want_json(2, example_content())
    assert got["IPsecV2.Esp"] is True and got["IPsecV2.AhEspCombined"] is False
    assert type(got["IPsecV2.EncryptionAlgorithms"]) is int and got["IPsecV2.EncryptionAlgorithms"] == 0x48
    assert got["Header.Type"] == 0xA7 and got["Header.Size"] == 144


def test_decode_json_revision_8(results):
    r = results["decode_rev8_json"]
    assert r.rc == 0, r.err
    assert json.loads(r.text) == _want_json(8, {**example_content(), "Flags": 2})


@pytest.mark.parametrize("name", ["decode_force_bin", "decode_force_hex", *[f"decode_hex_{k}" for k in MULTILINE]])
def test_decode_input_forms(results, name):
    r = results[name]
    assert r.rc == 0, f"{name}: {r.err}"
    assert json.loads(r.text) == _want_json(2, example_content()), name


def test_decode_one_line_hex_forms(results):
    r = results["decode_jsonl_forms"]
    assert r.rc == 0, r.text
    lines = r.json_lines()
    assert len(lines) == len(HEX_FORMS) - len(MULTILINE)
    for got in lines:
        assert got == _want_json(2, example_content())


def test_decode_trailing_bytes_reported(results):
    r = results["decode_trailing"]
    assert r.rc == 0
    assert json.loads(r.text)["Header.Size"] == 144
    assert "2 byte" in r.err and "Traceback" not in r.err


def test_decode_larger_header_size(results):
    r = results["decode_larger_size"]
    assert r.rc == 0, r.err
    assert "Header.Size 148 bytes" in r.text
    size = [ln for ln in r.text.splitlines() if ln.startswith("0x0002")]
    assert "0x94" in size[0] and "larger than NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2 (144)" in size[0]
    assert "big.bin: note: Header.Size 148 is larger" in r.err and "00 00 00 09" in r.err


def test_encode_of_a_larger_header_size_writes_the_macro_with_a_note(results):
    """decode --json of a record read with Header.Size 148 feeds encode: written with NDIS_SIZEOF (R10)."""
    r = results["encode_larger_size"]
    assert r.rc == 0, r.err
    data = bytes.fromhex(r.text.strip())
    assert len(data) == 144 and data[2:4] == (144).to_bytes(2, "little")
    assert "note: Header.Size 148 is larger than NDIS_SIZEOF for revision 2 (144)" in r.err


def test_decode_wmi_block_is_refused_by_name(results):
    r = results["decode_wmi_block"]
    assert r.rc == 2 and r.err.count("\n") == 1
    assert r.err.startswith("ipsecexplore: wmi.bin") and "NDIS_WMI_OFFLOAD" in r.err and "R81" in r.err


def test_decode_jsonl(results):
    r = results["decode_jsonl"]
    assert r.rc == 1
    lines = r.json_lines()
    assert len(lines) == 5, "one output line per input line, none lost"
    assert lines[0] == _want_json(2, example_content())
    assert set(lines[1]) == {"line", "error"} and lines[1]["line"] == 2 and lines[1]["error"]
    assert lines[2] == _want_json(8, {**example_content(), "Flags": 2})
    assert lines[3]["line"] == 4 and "Header.Type" in lines[3]["error"]
    assert lines[4] == _want_json(2, example_content())


def test_decode_jsonl_lines_split_on_newline_only(results):
    r = results["decode_jsonl_separators"]
    assert r.rc == 1
    lines = r.json_lines()
    assert len(lines) == 3, "a form feed or U+2028 does not start a new record"
    assert lines[0] == _want_json(2, example_content())
    assert lines[1] == _want_json(8, {**example_content(), "Flags": 2})
    assert lines[2]["line"] == 3 and "zz" in lines[2]["error"]


@pytest.mark.parametrize("name", ["decode_bom_utf8", "decode_utf16le", "decode_utf16be_hex"])
def test_decode_bom_text(results, name):
    r = results[name]
    assert r.rc == 0, f"{name}: {r.err}"
    assert json.loads(r.text) == _want_json(2, example_content())


def test_decode_jsonl_utf16(results):
    r = results["decode_jsonl_utf16"]
    assert r.rc == 0, r.err
    assert r.json_lines() == [_want_json(2, example_content())]


@pytest.mark.parametrize("name", ["decode_rev1_table", "decode_rev1_nonzero"])
def test_decode_rev1_shows_ipsecv2_not_reported(results, name):
    r = results[name]
    assert r.rc == 0, r.err
    lines = [ln for ln in r.text.splitlines() if "IPsecV2" in ln]
    assert len(lines) == 1, r.text
    assert lines[0].startswith("0x0070") and "not reported" in lines[0]
    assert "revision 1" in lines[0] and f"Header.Size {REV1_SIZE} < 144" in lines[0]


def test_decode_rev1_json_note_on_stderr(results):
    r = results["decode_rev1_json"]
    assert r.rc == 0, r.err
    got = json.loads(r.text)
    assert got["Header.Revision"] == 1 and not any(k.startswith("IPsecV2.") for k in got)
    note = [ln for ln in r.err.splitlines() if "IPsecV2" in ln]
    assert len(note) == 1 and "not reported" in note[0] and note[0].startswith("r1.bin: note:")


def test_decode_rev2_has_no_not_reported_line(results):
    r = results["decode_rev2_table"]
    assert r.rc == 0 and "not reported" not in r.text and "not reported" not in r.err


# --- encode --------------------------------------------------------------------------------------------
def test_encode_header_revision(results):
    r = results["encode_rev2"]
    assert r.rc == 0, r.err
    assert r.text.strip() == REV2.hex()


def test_encode_revision_option(results):
    r = results["encode_revision_flag"]
    assert r.rc == 0, r.err
    assert r.text.strip() == REV8.hex()
    r = results["encode_flag_wins"]
    assert r.rc == 0, r.err
    assert r.text.strip() == REV8.hex()


def test_encode_bin(results):
    r = results["encode_bin"]
    assert r.rc == 0, r.err
    assert r.out == REV2


def test_encode_jsonl(results):
    r = results["encode_jsonl"]
    assert r.rc == 1
    lines = r.text.splitlines()
    assert len(lines) == 4
    assert lines[0] == REV2.hex()
    bad = json.loads(lines[1])
    assert bad["line"] == 2 and "IPsecV2.Bogus" in bad["error"]
    bad = json.loads(lines[2])
    assert bad["line"] == 3 and "JSON" in bad["error"]
    assert lines[3] == REV8.hex()


def test_decode_then_encode_round_trip(results, tmp_path):
    """The --json output of decode is valid encode input and gives the same bytes back."""
    decoded = results["decode_rev8_json"].text
    p = subprocess.run([sys.executable, "-m", "ipsecexplore", "encode"], input=decoded.encode(), cwd=tmp_path,
                       capture_output=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode().strip() == REV8.hex()


def test_encode_jsonl_bin_writes_the_records(results):
    r = results["encode_jsonl_bin"]
    assert r.rc == 0, r.err
    assert r.out == REV2 + REV8


def test_encode_jsonl_bin_writes_nothing_when_a_line_fails(results):
    r = results["encode_jsonl_bin_bad"]
    assert r.rc == 1 and r.out == b""
    assert "in.jsonl:2" in r.err and "no bytes written" in r.err and "Traceback" not in r.err


# --- explain -------------------------------------------------------------------------------------------
def test_explain_member(results):
    r = results["explain_member"]
    assert r.rc == 0, r.err
    assert "BOOLEAN" in r.text and "0x7D" in r.text and "125" in r.text
    assert "revision 2" in r.text and "6.1" in r.text


def test_explain_bitfield(results):
    r = results["explain_bitfield"]
    assert r.rc == 0, r.err
    assert "0x8" in r.text and "8..9" in r.text and "NDIS_OFFLOAD_SUPPORTED" in r.text


def test_explain_constant(results):
    r = results["explain_constant"]
    assert r.rc == 0, r.err
    assert "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128" in r.text and "0x8" in r.text


def test_explain_structure(results):
    r = results["explain_structure"]
    assert r.rc == 0, r.err
    for size in ("112", "144", "156", "177", "188", "216", "217", "220"):
        assert size in r.text, size
    assert "NDIS_OBJECT_TYPE_OFFLOAD" in r.text


def test_explain_unknown_suggests(results):
    r = results["explain_unknown"]
    assert r.rc == 2 and "IPsecV2.LsoSupported" in r.err
    assert len(r.err.strip().splitlines()) == 1


# --- bad input -----------------------------------------------------------------------------------------
BAD = {  # case -> words the one stderr line must contain
    "bad_missing_file": ["no-such-file.bin"],
    "bad_garbage_text": [],
    "bad_garbage_binary": [],
    "bad_wrong_type": ["Header.Type"],
    "bad_truncated": ["<stdin>", "Header.Size"],
    "bad_empty": ["<stdin>"],
    "bad_dump_address": ["d.txt:2:", "offset column says 0x11 but 16 bytes precede this line"],
    "bad_dump_address_validate": ["v.json:2:", "offset column says 0x11 but 16 bytes precede this line"],
    "bad_truncated_file": ["t.bin", "Header.Size"],
    "bad_empty_file": ["e.bin"],
    "bad_odd_hex": [("line 1", ":1:")],
    "bad_encode_missing_file": ["nope.json"],
    "encode_unknown_key": ["IPsecV2.Espp"],
    "encode_bad_json": ["JSON"],
    "encode_beyond_revision": ["UdpRsc.Enabled"],
    "encode_params_key_absent": ["revision"],
    "encode_bad_header_revision": ["Header.Revision"],
    "encode_not_object": [],
    "encode_not_utf8": [],
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_one_short_line_exit_2(results, name):
    r = results[name]
    assert r.rc == 2, f"{name}: exit {r.rc}, stderr {r.err!r}"
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, f"{name}: stderr is not one line: {r.err!r}"
    assert len(lines[0]) <= 300, f"{name}: stderr line too long ({len(lines[0])})"
    assert "Traceback" not in r.err
    for word in BAD[name]:
        alternatives = word if isinstance(word, tuple) else (word,)
        assert any(w in lines[0] for w in alternatives), f"{name}: {word!r} not in {lines[0]!r}"
    assert r.out == b"", f"{name}: stdout should be empty: {r.out[:200]!r}"


def test_usage_errors_exit_2(results):
    r = results["bad_no_command"]
    assert r.rc == 2 and "Traceback" not in r.err and r.err.strip()
