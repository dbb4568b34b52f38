"""``ipsecexplore gap PATH… [--csv OUT]``: which adapters support a capability in hardware but have it switched
off, and which INF keyword masking explains it (:meth:`ipsecexplore.fleet.Fleet.supported_but_off`).

Standard output: per adapter with a gap, one line naming it (model, physical or Hyper-V vNIC, keywords) and
one line per cause with the capabilities it explains; then the adapters captured in one view only, which
cannot be judged. ``--csv OUT`` writes the tidy frame instead (``-``: standard output). One summary line on
standard error. Exit status 0; 2 for a missing path.
"""

from __future__ import annotations

import os
import re
import sys

import pandas as pd

from .columns import keyword_columns, keyword_of
from .errors import InputError
from .identity import adapter_key

__all__ = ["add_gap_command", "run_gap", "gap_lines"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _show(v) -> str:
    """A captured string made safe for a terminal (control characters as \\xNN); '' for <NA>."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(v))


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _kind(virtual) -> str:
    return "virtual kind unknown" if pd.isna(virtual) else "Hyper-V vNIC" if virtual else "physical"


def gap_lines(gaps: pd.DataFrame, one_view: pd.DataFrame) -> list[str]:
    """The text report of :func:`run_gap` from the frames of ``supported_but_off`` and ``one_view_adapters``."""
    out = []
    kcols = keyword_columns(gaps.columns)
    for (host, adapter), g in gaps.groupby(["host", "adapter"], sort=False):
        first = g.iloc[0]
        kws = ", ".join(f"{keyword_of(c)}={int(first[c])}" for c in kcols if not pd.isna(first[c]))
        if first.get("os") == "linux":  # ethtool features, no NDIS model, kind or keywords
            about = "Linux interface; ESP features of ethtool -k"
        else:
            about = "; ".join(x for x in (_show(first["model"]) or "model unknown", _kind(first["virtual"]),
                                          kws or "no IPsec keyword captured") if x)
        out.append(f"{_show(host)} / {_show(adapter)} ({about}): {len(g)} supported in hardware, off in current")
        for cause, c in g.groupby("cause", sort=False):
            out.append(f"  {cause}: {', '.join(c['capability'])}")
    if len(one_view):
        out.append(f"captured in one view only, so not judged ({_n(len(one_view), 'adapter')}):")
        out += [f"  {_show(r.host)} / {_show(r.adapter)}: {_show(r.views)} only ({_show(r.source)})"
                for r in one_view.itertuples(index=False)]
    return out


def run_gap(args) -> int:
    """Handler of ``ipsecexplore gap``."""
    from .fleet import load_fleet

    for p in args.paths:
        if not os.path.exists(p):
            raise InputError("no such file or folder", source=p)
    fleet = load_fleet(args.paths, progress=None if not args.no_progress and sys.stderr.isatty() else False)
    gaps, one = fleet.supported_but_off(), fleet.one_view_adapters()
    if args.csv:
        if args.csv == "-":
            gaps.to_csv(sys.stdout, index=False)
        else:
            try:
                gaps.to_csv(args.csv, index=False)
            except OSError as exc:
                raise InputError(f"cannot write the CSV file: {exc.strerror}", source=args.csv) from None
    else:
        for line in gap_lines(gaps, one):
            print(line)
    adapters = int(adapter_key(gaps["host"], gaps["adapter"]).nunique())
    print(f"ipsecexplore gap: {_n(len(gaps), 'capability', 'capabilities')} supported but off on "
          f"{_n(adapters, 'adapter')} "
          f"({(gaps['rule'] == 'R51').sum()} explained by a keyword, R51); {_n(len(one), 'adapter')} with one view "
          "only; "
          f"{gaps.attrs.get('unknown_current', 0)} with the current value unknown; {fleet.summary()}",
          file=sys.stderr)
    return 0


def add_gap_command(subparsers):
    """Add ``gap`` to an ``argparse`` sub-parsers object; returns its parser (handler in ``func``)."""
    p = subparsers.add_parser(
        "gap", help="capabilities supported in hardware but switched off, and the keyword that explains it",
        description="Import captures (files, folders, zips) and list, per adapter, the IPsec offload v2 "
                    "capabilities its hardware view has and its current view lacks, with the INF keyword masking "
                    "that explains each (rule book R50, R51) or 'not explained by a keyword'. Adapters captured "
                    "in one view only are listed apart.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="capture file, folder (recursive) or zip file")
    p.add_argument("--csv", metavar="OUT", help="write the tidy table as CSV to OUT ('-' for standard output)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run_gap, handler=run_gap)
    return p
