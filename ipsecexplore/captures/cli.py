"""``ipsecexplore import PATH... [--csv OUT | --parquet OUT | --json OUT] [--encoding NAME]``.

Writes the fleet frame (``-`` = standard output for CSV and JSON), prints one summary line on standard
error (adapters, hosts, rejected — saying how many of those are whole files refused unread, e.g. over
``--size-limit`` — duplicates, skipped files) followed by one ``file:line: reason`` line per rejected record
(a refused file is one, without a line), one ``file:line: note: remark`` line per remark on a loaded record
(tests/spec/capture-formats.md §7: a larger Header.Size, non-zero padding, …; names decoded by the cp1252 guess),
one ``duplicate: host H, adapter A, view V: file:line, ...`` line per host + adapter + view that several
rows describe, and one ``file: skipped: reason`` line per file named on the command line that holds no
capture. Exits 0 when every record loaded, 1 when any record was rejected (a file that names an IPsec
offload class, keyword or property but cannot be read is rejected, never skipped) or a file named on the
command line holds no capture, 2 on usage errors (missing path, bad option, unknown ``--encoding``,
unwritable output, a named file over the size limit). Never a traceback.

The progress bar (20 files or more) is drawn only when standard error is a terminal: redirected to a file
or a pipe, its carriage returns would be junk among the summary lines. ``--no-progress`` turns it off on a
terminal too.

The lead's ``ipsecexplore/cli.py`` wires it with :func:`add_import_command`; ``python -m
ipsecexplore.captures.cli`` runs it on its own.
"""

from __future__ import annotations

import argparse
import sys

from ..text import visible

__all__ = ["add_import_command", "run_import", "main"]


def _size(text: str) -> int:
    """``--size-limit``: bytes, or with a K/M/G suffix (binary units)."""
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    mult = 1
    if t and t[-1] in "KMG":
        mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[t[-1]]
        t = t[:-1]
    try:
        n = int(float(t) * mult)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 64M)") from None
    if n <= 0:
        raise argparse.ArgumentTypeError(f"size must be positive: {text!r}")
    return n


def add_import_command(subparsers) -> argparse.ArgumentParser:
    """Add the ``import`` sub-command to an ``argparse`` sub-parsers object; returns its parser.

    The handler is stored as ``func`` (and ``handler``) in the defaults; it returns the exit code."""
    p = subparsers.add_parser(
        "import", help="import captured adapter configurations into one fleet table",
        description="Import Get-NetAdapterIPsecOffload / Get-NetAdapterAdvancedProperty output (Format-List, "
                    "JSON, CSV, tables), Get-NetView folders or zips and raw NDIS_OFFLOAD captures into one "
                    "table: one row per adapter per view.")
    add_import_arguments(p)
    p.set_defaults(func=run_import, handler=run_import)
    return p


def add_import_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``import`` (shared by the sub-command and the stand-alone entry point)."""
    from .textio import DEFAULT_SIZE_LIMIT

    p.add_argument("paths", nargs="+", metavar="PATH", help="capture file, folder (recursive) or zip file")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="OUT", help="write the frame as CSV ('-' = standard output)")
    out.add_argument("--parquet", metavar="OUT", help="write the frame as Parquet (needs pyarrow)")
    out.add_argument("--json", metavar="OUT", help="write the frame as a JSON array of rows ('-' = stdout)")
    p.add_argument("--size-limit", type=_size, default=DEFAULT_SIZE_LIMIT, metavar="SIZE",
                   help="refuse files larger than this (default 64M)")
    p.add_argument("--encoding", metavar="NAME",
                   help="code page of text files that have no BOM and are not UTF-8: the capturing machine's "
                        "ANSI code page (e.g. cp932 Japanese, cp1251 Russian; Get-NetView under Windows "
                        "PowerShell 5.1 writes it); default: read as cp1252, with a remark on every record "
                        "whose names that guess decoded")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (it is shown only when standard error is a terminal anyway)")
    p.add_argument("--show-skipped", action="store_true",
                   help="also list every skipped file and every keyword row without an adapter record")


def _err(msg: str) -> None:
    print(visible(msg), file=sys.stderr)  # file names, adapter names and reasons come from the captures


def _is_terminal(stream) -> bool:
    """True when ``stream`` is a terminal (a replaced or closed stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def run_import(args) -> int:
    """Handler of ``ipsecexplore import``; returns the exit code (never raises for bad input)."""
    try:
        return _run(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        _err("ipsecexplore import: interrupted")
        return 130
    except Exception as exc:  # a bug: report it in one line rather than as a traceback
        _err(f"ipsecexplore import: internal error: {type(exc).__name__}: {exc}")
        return 1


def _run(args) -> int:
    from ..errors import IpsecExploreError

    if args.parquet == "-":
        _err("ipsecexplore import: error: --parquet needs a file name (Parquet is binary; use --csv - or "
             "--json - for standard output)")
        return 2
    try:
        from ..fleet import load_fleet

        fleet = load_fleet(args.paths, size_limit=args.size_limit, encoding=args.encoding,
                           progress=False if args.no_progress or not _is_terminal(sys.stderr) else None)
    except IpsecExploreError as exc:
        _err(f"ipsecexplore import: error: {exc}")
        return 2
    try:
        _write(fleet.frame, args)
    except BrokenPipeError:
        raise
    except (OSError, ImportError, ValueError) as exc:
        _err(f"ipsecexplore import: error: cannot write output: {exc}")
        return 2

    _err(f"ipsecexplore import: {fleet.summary()}")
    for r in fleet.result.rejected:
        _err(f"{r.source}: {r.reason}")
    for x in fleet.result.remarks:
        _err(str(x))
    for host, adapter, view, sources in fleet.duplicate_groups():
        _err(f"duplicate: host {host!r}, adapter {adapter!r}, view {view}: {', '.join(sources)}")
    explicit = {str(p) for p in args.paths}
    named_skips = [(f, why) for f, why in fleet.result.skipped_files if f in explicit]
    shown = fleet.result.skipped_files if args.show_skipped else named_skips
    for f, why in shown:
        _err(f"{f}: skipped: {why}")
    if args.show_skipped:
        for k in fleet.result.unmatched_keywords:
            _err(f"{k.source}: note: {k.keyword} = {k.value} for adapter {k.adapter!r} on {k.host}, "
                 "which has no IPsec offload record")
    return 1 if (fleet.result.rejected or named_skips) else 0


def _write(frame, args) -> None:
    if args.csv:
        if args.csv == "-":
            frame.to_csv(sys.stdout, index=False)
            sys.stdout.flush()
        else:
            frame.to_csv(args.csv, index=False)
    elif args.json:
        # pandas writes "/" as "\\/"; every "/" is escaped that way and each escape starts at a backslash
        # pair boundary, so undoing it textually is exact (and far quicker than json.dumps of the rows).
        text = frame.to_json(orient="records", force_ascii=False).replace("\\/", "/")
        if args.json == "-":
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        else:
            with open(args.json, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
    elif args.parquet:
        frame.to_parquet(args.parquet, index=False)


def main(argv=None) -> int:
    """Stand-alone entry point: ``python -m ipsecexplore.captures.cli PATH...``."""
    p = argparse.ArgumentParser(prog="ipsecexplore import", description=add_import_command.__doc__)
    add_import_arguments(p)
    args = p.parse_args(argv)
    return run_import(args)


if __name__ == "__main__":
    sys.exit(main())
