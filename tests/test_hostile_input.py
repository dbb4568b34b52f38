"""Hostile input (issue 16): library errors only, bounded work, nothing lost, round trips, control characters
made visible. Each class of the issue's table has its example here, checked for what the user is told (the
error names what and where), not only that nothing crashed; tests/test_fuzz_corpus.py replays the fuzz
harness's kept inputs through the general promise checks."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import numpy as np
import pytest

import ipsecexplore as ix
from ipsecexplore import jsonio
from ipsecexplore.captures.importer import import_bytes, import_paths
from ipsecexplore.cli import main as cli_main
from ipsecexplore.errors import DecodeError, InputError, IpsecExploreError
from ipsecexplore.hexinput import TooLarge, parse_hex
from ipsecexplore.layouts import layout, structure_names
from ipsecexplore.model import decode_struct
from ipsecexplore.text import html_text, visible

FL = ("Name                        : SLOT 2 Port 1\r\nInterfaceDescription        : Intel(R) Ethernet X550\r\n"
      "SystemName                  : HOST01\r\nEspSupported                : True\r\n"
      "AhSupported                 : True\r\n"
      "SaOffloadCapacitySupported  : 1024\r\nEspEnabled                  : True\r\n\r\n")
ROW = "00000000  a7 02 90 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"


def _outcome(r):
    return r.records_seen, r.loaded, [x.reason for x in r.rejected], r.skipped_files


# --- 1. only the library's errors -------------------------------------------------------------------------

def test_format_list_fast_path_line_starting_with_a_line_end():
    r = import_bytes(b"\ni :\r\nRegistryKeyword :", "HOST.txt")
    assert r.records_seen == 0
    assert r.skipped_files and "no IPsec offload object" in r.skipped_files[0][1]


def test_no_break_space_in_hex_text_is_a_rejected_record():
    r = import_bytes(b"00 00\xa0", "x.hex")
    assert r.records_seen == r.loaded + len(r.rejected) == 1
    assert "not a hex byte" in r.rejected[0].reason


@pytest.mark.parametrize("value", ["1\u00b2", "\u0661\u0662", "9" * 5000, "0x" + "f" * 5000])
def test_numbers_int_refuses_are_rejected_records(value):
    r = import_bytes(FL.replace("1024", value).encode(), "HOST01.txt")
    assert (r.records_seen, r.loaded) == (1, 0)
    assert "SaOffloadCapacitySupported" in r.rejected[0].reason and len(r.rejected[0].reason) < 300


def test_json_number_of_too_many_digits_names_line_and_column():
    with pytest.raises(InputError) as e:
        jsonio.loads('{"a":\n 1' + "2" * 5000 + "}", source="x.json")
    assert e.value.line == 2 and "5001 digits" in str(e.value) and "column 2" in str(e.value)
    capture = '[{"Name":"eth0",\n"EspSupported":true,\n"SaOffloadCapacitySupported":' + "9" * 4400 + "}]"
    r = import_bytes(capture.encode(), "HOST02.json")
    assert r.records_seen == 1 and r.rejected[0].line == 3 and "4400 digits" in r.rejected[0].reason


def test_cli_encode_of_a_huge_number_is_exit_2(tmp_path, capsys):
    p = tmp_path / "big.json"
    p.write_text('{"Header.Revision": 2, "IPsecV2.SaOffloadCapacity": ' + "9" * 5000 + "}")
    assert cli_main(["encode", str(p)]) == 2
    assert "5000 digits" in capsys.readouterr().err


@pytest.mark.parametrize("arg,words", [("typo.bin", "No such file"), (".", "Is a directory"), (None, "NoneType"),
                                       (5, "not int")])
def test_offloads_frame_argument_mistakes(arg, words):
    with pytest.raises(InputError, match=words) as e:
        ix.offloads_frame(arg)
    assert "offloads_frame(data=...)" in str(e.value)


def test_offloads_frame_reads_a_strided_view():
    rec = ix.encode(ix.NdisOffload.new(revision=2))
    spread = np.zeros(len(rec) * 2, np.uint8)
    spread[::2] = np.frombuffer(rec, np.uint8)
    df = ix.offloads_frame(memoryview(spread)[::2])
    assert len(df) == 1 and df.attrs["revision"] == 2


@pytest.mark.parametrize("call,words", [
    (lambda: import_bytes(None), "data=...) must be bytes, not NoneType"),
    (lambda: import_bytes(b"x", 5), "name=...) must be a string, not int"),
    (lambda: import_paths(None), "not NoneType"),
    (lambda: import_paths([3]), "3 is not a path"),
    (lambda: jsonio.loads(b"{}"), "takes text"),
    (lambda: parse_hex(b"a7"), "takes text"),
])
def test_argument_mistakes_are_library_errors(call, words):
    with pytest.raises(InputError, match=re.escape(words)):
        call()


def test_decode_struct_with_a_list_for_a_name():
    with pytest.raises(DecodeError, match="name must be a string, not list"):
        decode_struct(["NDIS_OFFLOAD"], bytes(8))


# --- 2. bounded work ----------------------------------------------------------------------------------------

def test_hexdump_repeat_to_a_far_address_is_refused_by_the_limit():
    dump = ROW + "*\n10000000\n"
    with pytest.raises(TooLarge) as e:
        parse_hex(dump, source="d.txt")
    assert e.value.line == 3 and "0x10000000" in str(e.value)
    assert len(parse_hex(ROW + "*\n00000100\n")) == 0x100  # a repeat inside the limit is still read
    r = import_bytes(dump.encode(), "bomb.hex", size_limit=1 << 20)
    assert r.records_seen == 1 and r.rejected[0].line == 3 and "size limit" in r.rejected[0].reason


def test_row_of_pipes_and_unclosed_comments_are_named_briefly():
    with pytest.raises(InputError) as e:
        parse_hex("00000000  a7 02 " + "|" * 20000 + "x\n")
    assert len(str(e.value)) < 200 and "20001 characters" in str(e.value)
    with pytest.raises(InputError) as e:
        parse_hex("a7 02\n/* ok */ 90 00\nb0 /*" + " a7 /*" * 20000)
    assert e.value.line == 3 and "never closed" in str(e.value) and len(str(e.value)) < 200
    assert parse_hex("a7 /* x */ 02 // y\n90 /* a\nb */ 00") == bytes.fromhex("a7029000")


def test_csv_with_20000_repeated_header_names():
    hdr = "EspSupported," + ",".join(f"N{i % 12}" for i in range(20000))
    r = import_bytes((hdr + "\n" + ",".join(["True"] * 20001) + "\n").encode(), "HOST03.csv")
    reason = r.rejected[0].reason
    assert "more than once" in reason and "and 2 more" in reason and len(reason) < 300


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    return buf.getvalue()


def test_zip_with_a_corrupt_deflate_stream_names_the_member(tmp_path):
    z = bytearray(_zip({"H/x.txt": FL.encode() * 20}))
    i = z.index(b"PK\x03\x04") + 30 + len("H/x.txt")
    z[i:i + 8] = b"\xff" * 8
    (tmp_path / "b.zip").write_bytes(bytes(z))
    r = import_paths([tmp_path / "b.zip"], progress=False)
    assert r.rejected[0].source_file.endswith("b.zip/H/x.txt")
    assert "corrupt compressed data" in r.rejected[0].reason


def test_zip_needing_an_unknown_version(tmp_path):
    z = bytearray(_zip({"H/x.txt": FL.encode()}))
    c = z.index(b"PK\x01\x02")
    z[c + 6:c + 8] = struct.pack("<H", 99)
    (tmp_path / "v.zip").write_bytes(bytes(z))
    r = import_paths([tmp_path], progress=False)  # found by walking: one rejected record
    assert r.records_seen == 1 and "version" in r.rejected[0].reason
    with pytest.raises(InputError, match="zip"):
        import_paths([tmp_path / "v.zip"], progress=False)  # named: the import stops


def test_zip_bomb_of_overlapping_members_is_refused_by_the_ratio(tmp_path):
    size = 4 << 20
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    blob = comp.compress(bytes(size)) + comp.flush()
    crc, name = zlib.crc32(bytes(size)), b"a.txt"
    body = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(blob), size, len(name), 0) + name + blob
    cd = b"".join(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(blob), size, len(name),
                              0, 0, 0, 0, 0, 0) + name for _ in range(30))  # 30 entries, one stream
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 30, 30, len(cd), len(body), 0)
    (tmp_path / "bomb.zip").write_bytes(body + cd + end)
    r = import_paths([tmp_path / "bomb.zip"], progress=False)
    assert len(r.rejected) == 30 and all("times its compressed size" in x.reason for x in r.rejected)
    assert r.rejected[0].source_file == f"{tmp_path / 'bomb.zip'}/a.txt"


def test_zip_members_share_one_decompressed_budget(tmp_path):
    rng = np.random.default_rng(0)
    text = "".join(f"# {x}\n" for x in rng.integers(0, 10**9, 30000)).encode()[:300_000]  # compresses ~2:1
    (tmp_path / "many.zip").write_bytes(_zip({f"m{i:02}.txt": text for i in range(20)}))
    limit = 1 << 20
    r = import_paths([tmp_path / "many.zip"], size_limit=limit, progress=False)
    refused = [x for x in r.rejected if "in all" in x.reason]
    # 4 MiB of budget holds 13 members of 300,000 bytes; the 14th and later are refused, each named
    assert [x.source_file.rsplit("/", 1)[1] for x in refused] == [f"m{i:02}.txt" for i in range(13, 20)]


def test_tar_members_share_the_decompressed_budget(tmp_path):
    import tarfile

    with tarfile.open(tmp_path / "sos.tar.xz", "w:xz") as tf:  # 12 × 200 KiB of line feeds: a few hundred bytes
        for i in range(12):
            ti = tarfile.TarInfo(f"sosreport-H-1/sos_commands/networking/ethtool_-k_eth{i}")
            ti.size = 200 * 1024
            tf.addfile(ti, io.BytesIO(bytes(ti.size).replace(b"\0", b"\n")))
    r = import_paths([tmp_path / "sos.tar.xz"], size_limit=256 * 1024, progress=False)
    refused = sorted(x.source_file.rsplit("eth", 1)[1] for x in r.rejected if "in all" in x.reason)
    assert refused == sorted(str(i) for i in range(5, 12))  # 4 × 256 KiB holds five members of 200 KiB


# --- 3. nothing lost ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ends", ["\r", "mixed"])
def test_format_list_with_cr_only_or_mixed_line_ends_loads(ends):
    text = FL.replace("\r\n", "\r") if ends == "\r" else FL.replace("\r\n", "\n", 3)
    r = import_bytes(text.encode(), "HOST01.txt")
    assert (r.records_seen, r.loaded, r.skipped_files) == (1, 1, [])


def test_stray_cr_in_a_get_netview_prompt_is_rejected_at_its_line():
    text = ("admin @ HOST09:\r\nPS C:\\> Get-NetAdapterIPsecOffload -Name \"SLOT 2 Port 1\" | Format-\rList "
            "-Property *\r\n\r\n" + FL)
    r = import_bytes(text.encode(), "Get-NetAdapterIPsecOffload.txt")
    assert r.records_seen == 1 and r.loaded == 0
    assert r.rejected[0].line == 8 and "prompt line broken" in r.rejected[0].reason


CSV = '"Name","SystemName","EspSupported","AhSupported"\r\n"eth0","HOST01","True","True"\r\n'


@pytest.mark.parametrize("text,line", [
    (CSV.replace("SystemName", "Sys\rtemName"), 2),  # a stray CR splits the header
    ("junk : value\r\n" + CSV, 2),  # a damaged first line hides the header
    ('  "EspSupported": true,\n{\n  "Name": "eth0",\n  "AhSupported": true\n}\n', 1),  # lines swapped
])
def test_damaged_captures_are_rejected_not_skipped(text, line):
    r = import_bytes(text.encode(), "HOST01.txt")
    assert r.skipped_files == [] and r.records_seen == 1 and r.loaded == 0
    assert r.rejected[0].line == line and "cannot be read" in r.rejected[0].reason


def test_failed_status_before_format_list_objects_is_rejected():
    text = ("admin @ HOST09:\r\nPS C:\\> Get-NetAdapterIPsecOffload -Name x | Format-List -Property *\r\n"
            "[Failed]\r\n\r\n" + FL)
    r = import_bytes(text.encode(), "Get-NetAdapterIPsecOffload.txt")
    assert r.skipped_files == [] and r.records_seen == 1
    assert r.rejected[0].line == 8 and "after [Failed]" in r.rejected[0].reason


def test_text_capture_with_a_nul_in_a_name_is_read_not_skipped():
    r = import_bytes(FL.replace("SLOT 2", "SLOT\x002").encode(), "HOST01.txt")
    assert (r.records_seen, r.loaded, r.skipped_files) == (1, 1, [])
    assert r.records[0].adapter == "SLOT\x002 Port 1"
    r = import_bytes(b"MZ\x00\x00 not a capture", "tool.txt")
    assert r.records_seen == 0 and "binary file" in r.skipped_files[0][1]


def test_every_file_is_tallied_and_seen_is_loaded_plus_rejected_per_file(tmp_path):
    (tmp_path / "good.txt").write_bytes(FL.encode())
    (tmp_path / "bad.txt").write_bytes(FL.replace("True", "Maybe").encode())
    (tmp_path / "other.txt").write_bytes(b"Name : eth0\r\nRegistryKeyword : *JumboPacket\r\nRegistryValue : 9014\r\n")
    (tmp_path / "notes.txt").write_bytes(b"just some notes\n")
    r = import_paths([tmp_path], progress=False)
    t = {k.rsplit("/", 1)[1]: v for k, v in r.files.items()}
    assert (t["good.txt"].seen, t["good.txt"].loaded, t["good.txt"].rejected) == (1, 1, 0)
    assert (t["bad.txt"].seen, t["bad.txt"].loaded, t["bad.txt"].rejected) == (1, 0, 1)
    assert t["other.txt"].seen == 0 and "passed over" in t["other.txt"].skipped
    assert t["notes.txt"].skipped
    assert sum(v.seen for v in r.files.values()) == r.records_seen == r.loaded + len(r.rejected)


def test_per_file_tallies_are_the_same_with_worker_processes(tmp_path):
    for i in range(6):
        (tmp_path / f"good{i}.txt").write_bytes(FL.replace("HOST01", f"HOST{i}").encode())
    (tmp_path / "bad.txt").write_bytes(FL.replace("True", "Maybe").encode())
    (tmp_path / "notes.txt").write_bytes(b"just some notes\n")
    one = import_paths([tmp_path], progress=False, workers=1)
    two = import_paths([tmp_path], progress=False, workers=2)
    assert one.files == two.files and len(one.files) == 8
    assert sum(t.seen for t in two.files.values()) == two.records_seen == two.loaded + len(two.rejected)


# --- 4. round trips -------------------------------------------------------------------------------------------

def _versioned():
    from ipsecexplore.codec import object_type_value

    for name in structure_names():
        lay = layout(name)
        if lay.has_header and lay.revisions:
            yield name, lay, object_type_value(lay) or 0


@pytest.mark.parametrize("name,lay,otype", list(_versioned()), ids=lambda v: v if isinstance(v, str) else "")
def test_structure_written_with_sizeof_encodes_back_identical(name, lay, otype):
    rev = lay.latest_revision
    b = bytearray(lay.sizeof)
    b[0], b[1] = otype, rev
    b[2:4] = lay.sizeof.to_bytes(2, "little")
    if lay.sizeof > lay.revision_size(rev):
        b[-1] = 0x5A  # a tail byte past NDIS_SIZEOF: kept by decode, so written back
    try:
        obj = decode_struct(name, bytes(b))
    except DecodeError:
        pytest.skip(f"{name} does not decode from zero members")
    assert obj.size == lay.sizeof
    assert obj.encode() == bytes(b)


def test_add_sa_written_with_sizeof_176():
    lay = layout("IPSEC_OFFLOAD_V2_ADD_SA")
    assert lay.sizeof == 176 and lay.revision_size(1) == 169  # layouts.md: x64
    b = bytearray(176)
    b[0], b[1], b[2] = 0x80, 1, 176
    b[170] = 0x77
    obj = decode_struct("IPSEC_OFFLOAD_V2_ADD_SA", bytes(b))
    assert obj.encode() == bytes(b) and obj.to_dict()["Header.Size"] == 176


# --- 5. control characters made visible -----------------------------------------------------------------------

def test_visible_and_html_text():
    s = "a\x1b[2J\x00b\u202ec\u2066d\x85e\tf\ng"
    assert visible(s) == "a\\x1b[2J\\x00b\\u202ec\\u2066d\\x85e\\x09f\\x0ag"
    assert visible(s, multiline=True).endswith("e\tf\ng")
    h = html_text('<x y="\u202e">')
    assert h == "&lt;x y=&quot;\\u202e&quot;&gt;" and "&#" not in h


def test_cli_import_shows_control_characters_as_escapes(tmp_path, capsys):
    p = tmp_path / "EV\x1bIL\u202e.txt"
    p.write_bytes(FL.replace("True", "Tr\x1bue").encode())
    assert cli_main(["import", "--no-progress", str(p)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "EV\\x1bIL\\u202e.txt" in err


def test_repr_html_of_a_fleet_with_hostile_names():
    from ipsecexplore.fleet import Fleet

    r = import_bytes(FL.replace("HOST01", "H\x1b[2J\u202eOST").encode(), "H\x00OST.txt")
    html = Fleet.from_result(r)._repr_html_()
    assert not any(c in html for c in "\x1b\x00\u202e") and "H\\x1b[2J\\u202eOST" in html


def test_library_errors_are_value_errors():
    assert issubclass(IpsecExploreError, ValueError)
