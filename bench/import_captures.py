#!/usr/bin/env python3
"""Import benchmark: 10,000 adapters of Format-List text → the fleet frame (target ≥ 20,000 adapters/s).

The capture is one UTF-16LE file with CRLF line ends, as Windows PowerShell writes
``Get-NetAdapterIPsecOffload | Format-List -Property * > file.txt``: 39 property lines per adapter, the
algorithm masks as name lists for half of the adapters. Measured in the same run, as a baseline, is
``str.splitlines`` over the same decoded text (the least any line-based reader must do), reported as the
ratio of the import time to it. Best of ``--repeat`` runs, wall clock and CPU time.

    python bench/import_captures.py [--adapters 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ipsecexplore.captures import synth  # noqa: E402
from ipsecexplore.captures.textio import decode_text  # noqa: E402
from ipsecexplore.fleet import load_fleet  # noqa: E402

TARGET = 20_000  # adapters per second (issue 4 §3)
M = "IPsecV2."


def make_capture(n: int, seed: int = 1) -> bytes:
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
    return synth.encode_windows(synth.format_list(objs), "utf-16-le")


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
    args = p.parse_args(argv)

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
    print(f"input: {args.adapters:,} adapters, {len(lines):,} lines, {len(data) / 1e6:.1f} MB UTF-16LE")
    print(f"import → fleet frame ({fleet.frame.shape[0]:,} rows × {fleet.frame.shape[1]} columns): "
          f"{t_import * 1e3:.0f} ms = {rate:,.0f} adapters/s (target ≥ {TARGET:,}/s: "
          f"{'met' if rate >= TARGET else 'NOT met'}); CPU time {c_import * 1e3:.0f} ms = "
          f"{args.adapters / c_import:,.0f} adapters/s")
    print(f"baseline str.splitlines over the decoded text: {t_split * 1e3:.1f} ms "
          f"(UTF-16 decode alone {t_decode * 1e3:.1f} ms); import / splitlines = {t_import / t_split:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
