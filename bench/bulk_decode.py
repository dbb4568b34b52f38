"""Bulk decode benchmark (run by `make bench`, not by the tests).

1,000,000 revision-2 NDIS_OFFLOAD records (144 MB) -> the fleet frame and -> the full frame. Ratios are
against baselines measured in the same run on the same buffer, because the machines are shared and noisy:
  memcpy  = np.frombuffer(buf, np.uint8).copy()
  loop    = struct.unpack_from over the same members into one dict per record, over every record
Targets (issue 4): fleet <= 8x memcpy, full <= 25x memcpy, both >= 50x faster than the loop;
peak memory (tracemalloc, during the call) <= 3x the frame's size.
"""

from __future__ import annotations

import argparse
import struct
import sys
import time
import tracemalloc

import numpy as np

import ipsecexplore as ix
from ipsecexplore.bulk import offloads_frame
from ipsecexplore.columns import fleet_member_paths
from ipsecexplore.layouts import layout


def make_buffer(n: int, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    base = np.frombuffer(ix.encode(ix.NdisOffload.new(revision=2)), np.uint8)
    arr = np.tile(base, (n, 1))
    lay = layout("NDIS_OFFLOAD")
    for m in lay.leaves_within(144):
        if m.path.startswith("IPsecV2.") and m.is_boolean:
            arr[:, m.offset] = rng.integers(0, 2, n, dtype=np.uint8)
    for path, mask in (("IPsecV2.AuthenticationAlgorithms", 0x3F), ("IPsecV2.EncryptionAlgorithms", 0x1FF),
                       ("IPsecV2.UdpEsp", 0xF), ("IPsecV2.SaOffloadCapacity", 0xFFFF)):
        o = lay.field(path).offset
        arr[:, o:o + 4] = (rng.integers(0, mask + 1, n, dtype=np.uint32) & mask).view(np.uint8).reshape(n, 4)
    return arr.tobytes()


def timed(fn, repeat: int):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def loop_baseline(buf: bytes, paths: list[str]) -> float:
    lay = layout("NDIS_OFFLOAD")
    fmt = {1: "<B", 2: "<H", 4: "<I"}
    members = [lay.field(p) for p in paths]
    plain = [(m.path, struct.Struct(fmt[m.size]).unpack_from, m.offset) for m in members if m.kind != "bitfield"]
    bits = [(m.path, m.offset, m.bit_offset, (1 << m.bit_width) - 1) for m in members if m.kind == "bitfield"]
    word = struct.Struct("<I").unpack_from
    size = lay.revision_size(2)
    t = time.perf_counter()
    rows = []
    for base in range(0, len(buf), size):  # every record of the same buffer
        row = {p: u(buf, base + o)[0] for p, u, o in plain}
        for p, o, shift, mask in bits:
            row[p] = (word(buf, base + o)[0] >> shift) & mask
        rows.append(row)
    return time.perf_counter() - t


def peak_of(fn) -> tuple[int, object]:
    tracemalloc.start()
    out = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    buf = make_buffer(args.records)
    print(f"buffer: {args.records:,} revision-2 records, {len(buf) / 1e6:.0f} MB")
    t_copy, _ = timed(lambda: np.frombuffer(buf, np.uint8).copy(), args.repeat)
    t_loop_fleet = loop_baseline(buf, fleet_member_paths())
    all_paths = [m.path for m in layout("NDIS_OFFLOAD").leaves_in_revision(2)]
    t_loop_all = loop_baseline(buf, all_paths)
    ok = True
    for members, t_loop, target in (("fleet", t_loop_fleet, 8), ("all", t_loop_all, 25)):
        t, df = timed(lambda m=members: offloads_frame(buf, members=m), args.repeat)
        peak, _ = peak_of(lambda m=members: offloads_frame(buf, members=m))
        frame_bytes = int(df.memory_usage(index=False, deep=True).sum())
        r_copy, r_loop, r_mem = t / t_copy, t_loop / t, peak / frame_bytes
        good = r_copy <= target and r_loop >= 50 and r_mem <= 3
        ok &= good
        print(f"{members:5s}: {len(df.columns):3d} columns, {args.records / t:,.0f} records/s; "
              f"{r_copy:.1f}x memcpy (target <= {target}x); {r_loop:.0f}x faster than the struct loop "
              f"(target >= 50x); peak memory {peak / 1e6:.0f} MB = {r_mem:.2f}x the frame "
              f"({frame_bytes / 1e6:.0f} MB; target <= 3x)  {'OK' if good else 'MISSED'}")
    print(f"memcpy baseline {t_copy * 1e3:.1f} ms; struct loop over all {args.records:,} records: "
          f"fleet {t_loop_fleet:.1f} s, all {t_loop_all:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
