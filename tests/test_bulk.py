"""Bulk decode: the vectorised frame must agree, member by member, with the per-record codec."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipsecexplore as ix
from ipsecexplore.bulk import offloads_frame, record_dtype
from ipsecexplore.columns import flag_columns, fleet_member_paths
from ipsecexplore.errors import DecodeError
from ipsecexplore.layouts import layout

LAY = layout("NDIS_OFFLOAD")


def random_record(rng: np.random.Generator, revision: int) -> bytes:
    """A valid record of ``revision`` whose every member holds a random in-range value."""
    off = ix.NdisOffload.new(revision=revision)
    for m in LAY.leaves_in_revision(revision):
        if m.path.startswith("Header."):
            continue
        if m.in_union and m.path.endswith(".Value"):
            continue  # set through its alternatives
        if m.is_boolean:
            off._set(m.path, int(rng.integers(0, 2)))
        elif m.kind == "bitfield":
            off._set(m.path, int(rng.integers(0, 1 << m.bit_width)))
        else:
            off._set(m.path, int(rng.integers(0, 1 << min(m.size * 8, 62))))
    return ix.encode(off)


@pytest.mark.parametrize("revision", range(1, 9))
def test_all_members_match_per_record_decode(revision):
    rng = np.random.default_rng(revision)
    recs = [random_record(rng, revision) for _ in range(25)]
    df = offloads_frame(b"".join(recs), members="all")
    assert len(df) == 25
    for i, raw in enumerate(recs):
        expected = ix.decode(raw).to_dict()
        for path, value in expected.items():
            got = df.at[i, path]
            assert (bool(got) if isinstance(value, bool) else int(got)) == value, (i, path)


def test_fleet_columns_and_flags():
    off = ix.NdisOffload.new(revision=2)
    off.IPsecV2.Esp = True
    off.IPsecV2.EncryptionAlgorithms = 0x8 | 0x40
    off.IPsecV2.SaOffloadCapacity = 1024
    df = offloads_frame(ix.encode(off) * 3)
    for path in fleet_member_paths():
        assert path in df.columns
    assert df["IPsecV2.Esp"].dtype == bool and df["IPsecV2.Esp"].all()
    assert not df["IPsecV2.Ah"].any()
    assert (df["IPsecV2.SaOffloadCapacity"] == 1024).all()
    enc = {fc.column: fc.bit for fc in flag_columns("IPsecV2.EncryptionAlgorithms")}
    for column, bit in enc.items():
        assert df[column].tolist() == [bool(bit & 0x48)] * 3, column
    assert "Checksum.IPv4Transmit.IpChecksum" not in df.columns  # not a fleet member
    assert df.attrs["revision"] == 2


def test_odd_boolean_raw_byte_kept():
    recs = bytearray(ix.encode(ix.NdisOffload.new(revision=2)) * 2)
    esp = LAY.field("IPsecV2.Esp").offset
    recs[144 + esp] = 7
    df = offloads_frame(bytes(recs))
    assert df["IPsecV2.Esp"].tolist() == [False, True]
    raw = df["IPsecV2.Esp.raw"]
    assert pd.isna(raw[0]) and raw[1] == 7
    assert "IPsecV2.Ah.raw" not in df.columns


def test_length_not_multiple_names_trailing_bytes():
    data = ix.encode(ix.NdisOffload.new(revision=2)) * 2 + b"\0" * 5
    with pytest.raises(DecodeError, match="5 trailing byte"):
        offloads_frame(data)


def test_bad_headers_reported_by_index():
    good = ix.encode(ix.NdisOffload.new(revision=2))
    bad_type = b"\x80" + good[1:]
    bad_size = good[:2] + (200).to_bytes(2, "little") + good[4:]
    data = good + bad_type + good + bad_size
    with pytest.raises(DecodeError) as err:
        offloads_frame(data)
    msg = str(err.value)
    assert "record 1" in msg and "Header.Type 0x80" in msg
    assert "record 3" in msg and "Header.Size 200" in msg
    assert "record 0" not in msg and "record 2" not in msg
    df = offloads_frame(data, on_error="mark")
    assert len(df) == 4
    assert pd.isna(df["error"][0]) and pd.isna(df["error"][2])
    assert "Header.Type" in df["error"][1] and "Header.Size" in df["error"][3]


def test_inputs_bytes_memoryview_and_path(tmp_path):
    data = ix.encode(ix.NdisOffload.new(revision=3)) * 4
    p = tmp_path / "recs.bin"
    p.write_bytes(data)
    a = offloads_frame(data)
    b = offloads_frame(memoryview(data))
    c = offloads_frame(str(p))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_dtype_from_layout():
    dt = record_dtype(2)
    assert dt.itemsize == LAY.revision_size(2)
    assert dt.fields["IPsecV2.SaOffloadCapacity"][1] == LAY.field("IPsecV2.SaOffloadCapacity").offset


def test_empty_and_unknown_revision():
    with pytest.raises(DecodeError, match="empty"):
        offloads_frame(b"")
    with pytest.raises(DecodeError, match="Header.Revision"):
        offloads_frame(b"\xa7\x09\x90\x00" + bytes(140))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(min_size=0, max_size=600))
def test_fuzzed_buffers_raise_only_library_errors(data):
    try:
        offloads_frame(data, on_error="mark")
    except ix.IpsecExploreError:
        pass


def test_records_with_a_larger_header_size_decode_at_that_stride():
    """R8: readers accept Header.Size ≥ the macro; record 0's size is every record's size."""
    good = bytearray(ix.encode(ix.NdisOffload.from_dict({"IPsecV2.Esp": True, "IPsecV2.SaOffloadCapacity": 7},
                                                         revision=2)))
    big = bytes(good[:2]) + (148).to_bytes(2, "little") + bytes(good[4:]) + b"\xee" * 4
    df = offloads_frame(big * 3)
    assert len(df) == 3 and df["Header.Size"].tolist() == [148] * 3
    assert df["IPsecV2.Esp"].all() and (df["IPsecV2.SaOffloadCapacity"] == 7).all()
    with pytest.raises(DecodeError) as err:
        offloads_frame(big + bytes(good) + bytes(4))  # 148 + 148 bytes, the second claims 144
    assert "record 1" in str(err.value) and "Header.Size 144, expected 148" in str(err.value)


@pytest.mark.parametrize("length,size", [(296, 296), (224, 224)])
def test_a_wmi_block_is_refused_not_read_as_records(length, size):
    """capture-formats.md §5 / R81: an NDIS_WMI_OFFLOAD block's IPsecV2 area is not filled by NDIS."""
    from helpers import wmi_block

    with pytest.raises(DecodeError, match="NDIS_WMI_OFFLOAD"):
        offloads_frame(wmi_block(length, size))
