#!/usr/bin/env python3
"""Import benchmark: 10,000 adapters of Format-List text → the fleet frame.

1. One file: one UTF-16LE file with CRLF line ends, as Windows PowerShell writes
   ``Get-NetAdapterIPsecOffload | Format-List -Property * > file.txt``: 39 property lines per adapter, the
   algorithm masks as name lists for half of the adapters (target ≥ 20,000 adapters/s, one process).
   Measured in the same run, as a baseline, is ``str.splitlines`` over the same decoded text (the least any
   line-based reader must do), reported as the ratio of the import time to it.
2. A fleet: the same 10,000 adapters as one file per host (16 adapters each, 625 files), imported by one
   process (``workers=1``) and by one process per CPU (``workers=N``: this one and N-1 forked workers, see
   ipsecexplore/captures/parallel.py), interleaved in the same run; the frames must be equal, row for row.
   Target ≥ 40,000 adapters/s on a 2-core machine; the ratio of the two is printed, because other jobs on a
   shared machine move the absolute figures.

Best of ``--repeat`` runs, wall clock (and CPU time of this process for the one-file case).

    python bench/import_captures.py [--adapters 10000] [--repeat 3] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ipsecexplore.captures import import_paths, parallel, synth  # noqa: E402
from ipsecexplore.captures.textio import decode_text  # noqa: E402
from ipsecexplore.fleet import Fleet, load_fleet  # noqa: E402

TARGET = 20_000  # adapters per second, one file, one process (issue 4 §3)
TARGET_FLEET = 40_000  # adapters per second, many files, on a 2-core machine (issue 12 item 7)
PER_HOST = 16
M = "IPsecV2."


def make_objects(n: int, seed: int = 1) -> list:
    """The ``n`` benchmark adapters (16 per host)."""
    rng = random.Random(seed)
    objs = []
    for i in range(n):
        hw = {M + "IPv6Supported": True, M + "IPv4Options": rng.random() < 0.5,
              M + "IPv6NonIPsecExtensionHeaders": False, M + "Ah": True, M + "Esp": True,
              M + "AhEspCombined": rng.random() < 0.3, M + "Transport": True, M + "Tunnel": rng.random() < 0.5,
              M + "LsoSupported": False, M + "UdpEsp": rng.choice([0, 3, 15]),
              M + "AuthenticationAlgorithms": rng.choice([0x8, 0x3E, 0x6]),
              M + "EncryptionAlgorithms": rng.choice([0x8, 0x48, 0x1FE]),
              M + "SaOffloadCapacity": rng.choice([256, 512, 1024, 2048])}
        kw = rng.choice([0, 3, 3, 2])
        cur = dict(hw) if kw else {k: (False if isinstance(v, bool) else 0) for k, v in hw.items()}
        objs.append(synth.ipsec_object(
            name=f"Ethernet {i % 16}", description=f"Example Adapter #{i}", host=f"HOST{i // 16:04d}",
            instance_id=f"{{{i:08X}-0000-4000-8000-{i:012X}}}", hardware=hw, current=cur, enabled=kw != 0,
            algorithms="brace" if i % 2 else "int"))
    return objs


def make_capture(n: int, seed: int = 1) -> bytes:
    """All adapters in one UTF-16LE Format-List file."""
    return synth.encode_windows(synth.format_list(make_objects(n, seed)), "utf-16-le")


def write_fleet(n: int, folder: Path, seed: int = 1) -> int:
    """The same adapters as one UTF-16LE Format-List file per host; returns the number of files."""
    objs = make_objects(n, seed)
    files = 0
    for k in range(0, n, PER_HOST):
        (folder / f"HOST{k // PER_HOST:04d}.txt").write_bytes(
            synth.encode_windows(synth.format_list(objs[k:k + PER_HOST]), "utf-16-le"))
        files += 1
    return files


def best(fn, repeat: int, clock=time.perf_counter) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = clock()
        out = fn()
        times.append(clock() - t0)
    return min(times), out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--adapters", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--workers", type=int, default=None,
                   help="processes for the fleet, this one included (default: one per CPU, busy or not)")
    args = p.parse_args(argv)
    one_file(args)
    fleet(args)
    return 0


def one_file(args) -> None:
    data = make_capture(args.adapters)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "HOSTS.txt"
        path.write_bytes(data)
        t_import, fleet = best(lambda: load_fleet([path], progress=False), args.repeat)
        # CPU time too: on a shared machine it is less disturbed by other jobs than the wall clock.
        c_import, _ = best(lambda: load_fleet([path], progress=False), args.repeat, time.process_time)
    assert len(fleet.frame) == 2 * args.adapters and fleet.rejected.empty, fleet.summary()
    text, _ = decode_text(data, "bench")
    t_split, lines = best(lambda: text.splitlines(), args.repeat)
    t_decode, _ = best(lambda: data.decode("utf-16"), args.repeat)

    rate = args.adapters / t_import
    print(f"one file: {args.adapters:,} adapters, {len(lines):,} lines, {len(data) / 1e6:.1f} MB UTF-16LE")
    print(f"  import → fleet frame ({fleet.frame.shape[0]:,} rows × {fleet.frame.shape[1]} columns): "
          f"{t_import * 1e3:.0f} ms = {rate:,.0f} adapters/s (target ≥ {TARGET:,}/s: "
          f"{'met' if rate >= TARGET else 'NOT met'}); CPU time {c_import * 1e3:.0f} ms = "
          f"{args.adapters / c_import:,.0f} adapters/s")
    print(f"  baseline str.splitlines over the decoded text: {t_split * 1e3:.1f} ms "
          f"(UTF-16 decode alone {t_decode * 1e3:.1f} ms); import / splitlines = {t_import / t_split:.1f}×")


def fleet(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_fleet(args.adapters, folder)
        workers = args.workers or parallel.cpu_count()

        def run(w):
            return Fleet.from_result(import_paths([folder], progress=False, workers=w))

        def cpu() -> float:  # this process and its reaped workers
            t = os.times()
            return t.user + t.system + t.children_user + t.children_system

        # Interleaved, so that a burst of load on the shared machine hits both alike.
        t_one, t_new, c_one, c_new, one, new = [], [], [], [], None, None
        for _ in range(args.repeat):
            c0 = cpu()
            t, one = best(lambda: run(1), 1)
            c1 = cpu()
            t_one.append(t)
            c_one.append(c1 - c0)
            t, new = best(lambda: run(workers), 1)
            t_new.append(t)
            c_new.append(cpu() - c1)
    assert one.frame.equals(new.frame) and list(one.frame["source"]) == list(new.frame["source"]), \
        "the worker processes changed the frame"
    assert len(new.frame) == 2 * args.adapters and new.rejected.empty, new.summary()
    r_one, r_new = args.adapters / min(t_one), args.adapters / min(t_new)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"fleet: {args.adapters:,} adapters in {files} files ({PER_HOST} per host), {parallel.cpu_count()} CPU(s), "
          f"load average {load:.1f} (auto would use {parallel.auto_workers(None, files, 1 << 40)} process(es))")
    print(f"  one process:           {min(t_one) * 1e3:5.0f} ms = {r_one:7,.0f} adapters/s; "
          f"CPU {min(c_one) * 1e3:.0f} ms")
    print(f"  {workers} processes:           {min(t_new) * 1e3:5.0f} ms = {r_new:7,.0f} adapters/s; "
          f"CPU {min(c_new) * 1e3:.0f} ms (all processes) "
          f"(target ≥ {TARGET_FLEET:,}/s: {'met' if r_new >= TARGET_FLEET else 'NOT met'})")
    print(f"  ratio {workers} processes / one process: {r_new / r_one:.2f}×; frames equal, row for row")


if __name__ == "__main__":
    sys.exit(main())
