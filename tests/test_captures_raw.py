"""Raw NDIS_OFFLOAD captures (capture-formats.md §7): binary, hex text, concatenated records, sidecars."""

from __future__ import annotations

import json

import pytest
from captures_support import HW, M, load
from helpers import wmi_block, xxd

from ipsecexplore.captures import import_paths
from ipsecexplore.layouts import layout
from ipsecexplore.model import encode

LAY = layout("NDIS_OFFLOAD")
FULL = {**HW, M + "Encapsulation": 0x2, M + "TransportTunnelCombined": True, M + "ExtendedSequenceNumbers": False}
IPSEC_PATHS = [m.path for m in LAY.leaves if m.path.startswith(M)]


def hexdump(data: bytes, offsets=True) -> str:
    rows = []
    for i in range(0, len(data), 16):
        body = " ".join(f"{b:02x}" for b in data[i:i + 16])
        rows.append(f"{i:04x}  {body}" if offsets else body)
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("revision", [r.revision for r in LAY.revisions if r.revision >= 2])
def test_every_revision_with_ipsecv2_decodes_all_16_members(revision):
    values = {**FULL, "Flags": 0x2 if revision >= 3 else 0}
    r = load(encode(values, revision=revision), "one.bin")
    (rec,) = r.records
    assert {p: rec.values[p] for p in IPSEC_PATHS} == {p: FULL[p] for p in IPSEC_PATHS}
    assert rec.values["Header.Revision"] == revision
    assert rec.values["Flags"] == values["Flags"]
    assert rec.view == "unknown" and rec.offset == 0 and rec.line is None
    assert rec.adapter == "one" and rec.host_from == "file name"
    assert rec.source == "one.bin@0x0"


def test_revision_1_has_no_ipsecv2_members_missing_not_false():
    (rec,) = load(encode({}, revision=1), "old.bin").records
    assert all(p not in rec.values for p in IPSEC_PATHS)
    assert rec.values["Header.Revision"] == 1


def test_concatenated_records_of_mixed_revisions_with_sidecar(tmp_path):
    recs = [encode({**FULL, M + "SaOffloadCapacity": 10 + i}, revision=rev) for i, rev in enumerate((2, 8, 5, 2))]
    (tmp_path / "many.bin").write_bytes(b"".join(recs))
    side = {"source": "oid_current_config", "host": "HV01",
            "records": [{"adapter": f"nic{i}", "provenance": f"p{i}"} for i in range(4)]}
    (tmp_path / "many.bin.json").write_text(json.dumps(side))
    r = import_paths([tmp_path], progress=False)
    assert not r.rejected and r.loaded == 4 and not r.skipped_files
    offsets = [0]
    for b in recs[:-1]:
        offsets.append(offsets[-1] + len(b))
    assert [(x.adapter, x.offset, x.values[M + "SaOffloadCapacity"], x.view, x.host, x.provenance)
            for x in r.records] == [(f"nic{i}", offsets[i], 10 + i, "current", "HV01", f"p{i}") for i in range(4)]


def test_concatenated_records_without_sidecar_are_numbered():
    data = encode(FULL, revision=2) * 3
    r = load(data, "fleet.bin")
    assert [x.adapter for x in r.records] == ["fleet#0", "fleet#1", "fleet#2"]


@pytest.mark.parametrize("offsets", [True, False])
def test_hex_text_with_and_without_offset_column(offsets):
    a, b = encode(FULL, revision=8), encode({**FULL, M + "Esp": False}, revision=3)
    text = hexdump(a, offsets) + "\n" + hexdump(b, offsets)
    r = load(text, "two.hex")
    assert not r.rejected
    assert [x.values[M + "Esp"] for x in r.records] == [True, False]
    second_start = hexdump(a, offsets).count("\n") + 2
    assert [x.line for x in r.records] == [1, second_start]


def test_sidecar_source_names_the_view(tmp_path):
    for src, _view in (("oid_hardware_capabilities", "hardware"), ("rndis", "hardware"),
                      ("oid_current_config", "current"), ("debugger", "unknown")):
        (tmp_path / f"{src}.bin").write_bytes(encode(FULL, revision=2))
        (tmp_path / f"{src}.bin.json").write_text(json.dumps({"source": src, "adapter": "E1"}))
    r = import_paths([tmp_path], progress=False)
    assert {x.source_file.rsplit("/", 1)[-1]: x.view for x in r.records} == {
        "oid_hardware_capabilities.bin": "hardware", "rndis.bin": "hardware",
        "oid_current_config.bin": "current", "debugger.bin": "unknown"}


def test_bad_records_are_rejected_with_offsets_and_the_rest_still_read():
    good = encode(FULL, revision=2)
    bad = bytearray(good)
    bad[1] = 9  # unknown revision, but Header.Size still frames it
    r = load(good + bytes(bad) + good + b"\xa7\x02", "mix.bin")
    assert r.records_seen == 4 and r.loaded == 2
    reasons = {x.offset: x.reason for x in r.rejected}
    assert "Revision" in reasons[len(good)]
    assert "trailing byte" in reasons[3 * len(good)]
    assert [x.offset for x in r.records] == [0, 2 * len(good)]


@pytest.mark.parametrize("data,reason", [
    (b"\x80\x02\x90\x00" + bytes(140), "not NDIS_OBJECT_TYPE_OFFLOAD"),
    (encode(FULL, revision=8)[:150], "does not fit"),
    (b"\xa7\x02\x02\x00", "smaller than the 4-byte header"),
    (b"\xa7\x02\x10\x00" + bytes(12), "record 0"),
])
def test_unusable_headers(data, reason):
    r = load(data, "x.bin")
    assert r.loaded == 0 and len(r.rejected) == 1 and reason in r.rejected[0].reason


def test_hex_errors_name_the_line():
    text = hexdump(encode(FULL, revision=2)).split("\n")
    text[2] = text[2][:8] + "zz" + text[2][10:]
    r = load("\n".join(text), "x.hex")
    assert r.loaded == 0 and r.rejected[0].line == 3 and "not a hex byte" in r.rejected[0].reason
    text = hexdump(encode(FULL, revision=2)).split("\n")
    text[4] = "0090" + text[4][4:]
    r = load("\n".join(text), "x.hex")
    assert r.rejected[0].line == 5 and "offset column" in r.rejected[0].reason


def test_binary_that_is_not_an_offload_is_skipped():
    r = load(b"\x00\x01\x02\x03" * 10, "blob.dat")
    assert r.records_seen == 0 and "not an NDIS_OFFLOAD" in r.skipped_files[0][1]


def test_orphan_sidecar_is_skipped_with_reason(tmp_path):
    (tmp_path / "lonely.json").write_text(json.dumps({"source": "rndis", "adapter": "E1"}))
    r = import_paths([tmp_path], progress=False)
    assert r.records_seen == 0 and "sidecar" in r.skipped_files[0][1]


def test_other_hex_shapes_are_read_too():
    data = encode(FULL, revision=2)
    for name, text in (("x.hex", xxd(data)), ("x.txt", xxd(data)), ("c.txt", "unsigned char b[] = {" + ", ".join(
            f"0x{b:02x}" for b in data) + "};\n")):
        r = load(text, name)
        assert not r.rejected, (name, r.rejected)
        (rec,) = r.records
        assert rec.values[M + "SaOffloadCapacity"] == FULL[M + "SaOffloadCapacity"]
        assert rec.source == f"{name}:1"  # text: a line, not a byte offset


def test_semicolon_csv_from_use_culture():
    from captures_support import ipsec_obj

    from ipsecexplore.captures import synth

    text = synth.to_csv([ipsec_obj("A"), ipsec_obj("B")]).replace('","', '";"')
    r = load(text, "x.csv")
    assert not r.rejected and r.loaded == 2


def test_csv_with_a_repeated_column_is_reported():
    r = load('"Name","EspSupported","Name"\n"A","True","A"\n', "x.csv")
    assert r.loaded == 0 and "more than once" in r.rejected[0].reason


@pytest.mark.parametrize("length,size", [(296, 296), (268, 296), (224, 224), (297, 296)])
def test_wmi_block_loads_its_header_with_ipsecv2_missing(length, size):
    """capture-formats.md §5: decode only the revision-1 part of an NDIS_WMI_OFFLOAD and mark IPsecV2 as
    unavailable; R81: its IPsecV2 area is not filled by NDIS."""
    data = bytearray(wmi_block(length, size))
    data[0x78] = 1  # whatever sits where IPsecV2.Esp would be must not be read
    r = load(bytes(data), "wmi.bin")
    (rec,) = r.records
    assert r.loaded == 1 and not r.rejected
    assert all(p not in rec.values for p in IPSEC_PATHS)
    assert rec.values["Header.Size"] == size
    (remark,) = r.remarks
    assert "NDIS_WMI_OFFLOAD" in remark.text and "R81" in remark.text and remark.source == "wmi.bin@0x0"


@pytest.mark.parametrize("revision,size", [(2, 148), (4, 180), (8, 220)])
def test_larger_header_size_is_loaded_with_a_remark(revision, size):
    """R8 / capture-formats.md §7: Header.Size ≥ the macro is accepted; the extra bytes are reported."""
    good = encode(FULL, revision=revision)
    big = bytearray(good + bytes(size - len(good)))
    big[2:4] = size.to_bytes(2, "little")
    big[-1] = 0x5A
    r = load(good + bytes(big) + good, "H1.big.bin")
    assert r.loaded == 3 and not r.rejected
    assert [x.offset for x in r.records] == [0, len(good), len(good) + size]
    assert all({p: x.values[p] for p in IPSEC_PATHS} == {p: FULL[p] for p in IPSEC_PATHS} for x in r.records)
    (remark,) = r.remarks
    assert remark.offset == len(good) and "record 1" in remark.text and "larger than NDIS_SIZEOF" in remark.text
    assert "5a" in remark.text  # the extra bytes are shown, not hidden


def test_odd_boolean_and_padding_are_remarked():
    data = bytearray(encode(FULL, revision=2))
    data[0x78] = 2  # IPsecV2.Esp
    r = load(bytes(data), "odd.bin")
    (rec,) = r.records
    assert rec.values[M + "Esp"] is True
    assert any("IPsecV2.Esp" in x.text and "0x02" in x.text for x in r.remarks)


def test_bad_type_in_the_middle_is_skipped_by_its_size():
    good = encode(FULL, revision=2)
    r = load(good + b"\x80" + good[1:] + good, "H2.bin")
    assert r.loaded == 2 and len(r.rejected) == 1 and r.records_seen == 3
    assert "record 1" in r.rejected[0].reason and "skipped by its Header.Size" in r.rejected[0].reason
    assert [x.offset for x in r.records] == [0, 2 * len(good)]


def test_status_indication_view_is_unknown_unless_the_sidecar_says(tmp_path):
    """R74: a status indication may carry the current config or the hardware capabilities."""
    (tmp_path / "ind.bin").write_bytes(encode(FULL, revision=2))
    (tmp_path / "ind.bin.json").write_text(json.dumps({"source": "status_indication"}))
    (tmp_path / "hw.bin").write_bytes(encode(FULL, revision=2))
    (tmp_path / "hw.bin.json").write_text(json.dumps({"source": "status_indication", "view": "hardware"}))
    r = import_paths([tmp_path], progress=False)
    assert sorted((x.adapter, x.view) for x in r.records) == [("hw", "hardware"), ("ind", "unknown")]



@pytest.mark.parametrize("form", ["xxd", "c_array"])
def test_other_hex_forms_give_file_and_line(form):
    """xxd / C-array text read by hexinput: each record is reported at the line where it starts."""
    rec = encode(FULL, revision=2)  # 144 bytes = 9 rows of 16
    data = rec + rec
    if form == "xxd":
        text = xxd(data)
        second = 1 + len(rec) // 16
    else:
        body = ",\n".join(", ".join(f"0x{b:02X}" for b in data[i:i + 12]) for i in range(0, len(data), 12))
        text = "static const UCHAR offload[] = {\n" + body + "\n};\n"
        second = 2 + len(rec) // 12
    r = load(text.encode(), "two.txt")
    assert r.loaded == 2 and not r.rejected
    assert [x.source for x in r.records] == ["two.txt:" + str(1 if form == "xxd" else 2), f"two.txt:{second}"]


def test_two_records_of_a_larger_size_filling_a_wmi_length_load_both():
    rec = encode(FULL, revision=2)
    big = rec[:2] + (148).to_bytes(2, "little") + rec[4:] + bytes(4)
    r = load(big + big, "two_big.bin")  # 296 bytes, as long as a WMI block
    assert r.loaded == 2 and not r.rejected and [x.offset for x in r.records] == [0, 148]
    assert all(x.values[M + "Esp"] == FULL[M + "Esp"] for x in r.records)
