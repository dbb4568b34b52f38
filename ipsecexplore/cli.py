"""``ipsecexplore`` command line. Bad input: one short line on stderr naming what and where, exit 2.

    ipsecexplore decode capture.bin            # member table with offsets
    ipsecexplore decode --json -  < record.hex # one JSON object keyed by dotted member path
    ipsecexplore encode config.json --revision 2
    ipsecexplore explain IPsecV2.LsoSupported
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

from .errors import InputError, IpsecExploreError
from .formatting import value_text
from .hexinput import read_source, split_lines
from .jsonio import loads
from .model import to_jsonable
from .text import visible

__all__ = ["main", "to_jsonable", "fail"]

# Sub-commands that live beside the layer they belong to; each module offers add_<name>_command(sub).
# Only the module of the command being run is imported, so `decode` does not pay for matplotlib.
_EXTENSIONS = {
    "validate": ("ipsecexplore.validate_captures", "add_validate_command"),
    "simulate": ("ipsecexplore.flow.cli", "add_simulate_command"),
    "import": ("ipsecexplore.captures.cli", "add_import_command"),
    "diff": ("ipsecexplore.diff", "add_diff_command"),
    "report": ("ipsecexplore.report", "add_report_command"),
    "gap": ("ipsecexplore.gap", "add_gap_command"),
}
_CORE = ("decode", "encode", "explain")


class UsageError(Exception):
    """A command-line mistake (exit status 2)."""


def fail(message: str) -> NoReturn:  # noqa: F821
    """Stop the running sub-command with a usage error: :func:`main` prints ``ipsecexplore: message`` as
    one line on stderr and returns exit status 2. For extension commands (``validate``, ``import``, …)."""
    raise UsageError(message)


# --- decode ---------------------------------------------------------------------------------------
def _named(exc: IpsecExploreError, name: str, line: int | None = None) -> IpsecExploreError:
    """``exc`` with the input's name (and line) in its message when the layer that raised it had none."""
    if exc.source is None:
        exc.source = name
        if line is not None and exc.line is None:
            exc.line = line
        exc.args = (exc._compose(),)
    return exc


def _ipsecv2_absent(off) -> str | None:
    """Why the IPsecV2 block is not reported (rule R9: revision >= 2 and Header.Size >= 144), or None."""
    from .extent import Extent

    extent = off.decoded.extent if off.decoded is not None else Extent.of(off.layout, off.revision, off.size)
    return extent.not_reported("IPsecV2")


def _cmd_decode(args) -> int:
    """``decode``: one NDIS_OFFLOAD as a member table, ``--json``, or one JSON line per ``--jsonl`` line."""
    from .hexinput import decode_text, parse_hex, read_bytes
    from .model import decode

    raw, name = read_source(args.file)
    mode = "hex" if args.hex else "bin" if args.bin else "auto"
    if args.jsonl:
        failed = False
        text = decode_text(raw)
        if text is None:
            raise UsageError(f"{name}: --jsonl input is not text (UTF-8 or UTF-16)")
        out = sys.stdout
        for n, line in enumerate(split_lines(text), 1):
            if not line.strip():
                out.write(json.dumps({"line": n, "error": "empty line"}) + "\n")
                failed = True
                continue
            try:
                off = decode(parse_hex(line, source=name, line_offset=n - 1))
                out.write(json.dumps(off.to_json()) + "\n")
            except IpsecExploreError as exc:
                out.write(json.dumps({"line": n, "error": str(exc)}) + "\n")
                failed = True
        return 1 if failed else 0
    if not raw:
        raise InputError("empty input: no bytes to decode", source=name)
    try:
        off = decode(read_bytes(raw, mode, source=name))
    except IpsecExploreError as exc:
        raise _named(exc, name) from None
    for note in off.notes():
        print(visible(f"{name}: note: {note}"), file=sys.stderr)
    absent = _ipsecv2_absent(off)
    if args.json:
        if absent:  # the JSON keys are read back by encode, so the note goes to stderr (rule R9)
            print(f"{name}: note: IPsecV2 {absent}; the JSON has no IPsecV2.* keys", file=sys.stderr)
        print(json.dumps(off.to_json(), indent=2))
        return 0
    from .hexdump import member_rows

    r = off.layout.revision(off.revision)
    print(f"NDIS_OFFLOAD revision {off.revision} (NDIS {r.ndis}, {r.windows}), Header.Size {off.size} bytes")
    print(f"{'offset':<8}{'bits':<8}{'member':<64}{'value':<14}meaning")
    v2 = off.layout.field("IPsecV2")
    shown = False
    for row in member_rows(off):
        if absent and not shown and row["offset"] >= v2.offset:
            print(f"0x{v2.offset:04X}  {'':<8}{'IPsecV2':<64}{'-':<14}{absent}")
            shown = True
        if args.nonzero and not row["value"] and not row["member"].startswith("Header."):
            continue
        v = row["value"]
        vs = value_text(v, decimal=False, other=lambda x: str(to_jsonable(x)))
        print(f"0x{row['offset']:04X}  {row['bits']:<8}{row['member']:<64}{vs:<14}{row['meaning']}".rstrip())
    if absent and not shown:
        print(f"0x{v2.offset:04X}  {'':<8}{'IPsecV2':<64}{'-':<14}{absent}")
    return 0


# --- encode ---------------------------------------------------------------------------------------
def _encode_obj(obj, revision, name, where):
    """Bytes of one JSON object (dotted member paths); errors name ``name`` and line ``where``."""
    from .errors import EncodeError
    from .model import NdisOffload

    if not isinstance(obj, dict):
        raise EncodeError("expected a JSON object keyed by dotted member paths", source=name, line=where)
    try:
        values = {k: _from_json(v) for k, v in obj.items()}
        if revision is None and "Header.Revision" not in values:
            raise EncodeError("no revision: give --revision N or a Header.Revision key", source=name, line=where)
        if revision is not None:
            # --revision re-revisions the object: the input's header (say, from decode --json) gives way
            given = {k: values.pop(k) for k in ("Header.Type", "Header.Revision", "Header.Size") if k in values}
            if given.get("Header.Revision", revision) != revision:
                where_txt = f"{name}:{where}" if where else name
                print(f"ipsecexplore: {where_txt}: note: Header.* of the input (revision "
                      f"{given['Header.Revision']}) replaced by --revision {revision}", file=sys.stderr)
        _larger_size_note(values, revision, f"{name}:{where}" if where else name)
        return NdisOffload.from_dict(values, revision=revision).encode()
    except EncodeError as exc:
        if exc.source is None:
            exc.source, exc.line = name, where
            exc.args = (exc._compose(),)
        raise


def _larger_size_note(values: dict, revision, where_txt: str) -> None:
    """``decode --json`` of a record read with a larger Header.Size (R8) gives that size; the JSON holds no
    bytes past the members, so the record is written with the NDIS_SIZEOF value (R10) — said on stderr,
    as the builder widget does."""
    from .extent import Extent
    from .layouts import layout

    size, rev = values.get("Header.Size"), revision if revision is not None else values.get("Header.Revision")
    if type(size) is not int or type(rev) is not int:
        return
    note = Extent.of(layout("NDIS_OFFLOAD"), rev, size).json_note()
    if note:
        del values["Header.Size"]
        print(f"ipsecexplore: {where_txt}: note: {note}", file=sys.stderr)


def _from_json(v):
    """A JSON value as the model takes it (arrays become tuples)."""
    if isinstance(v, list):
        return tuple(v)
    return v


def _cmd_encode(args) -> int:
    """``encode``: JSON keyed by dotted member paths -> hex (or raw bytes with ``--bin``)."""
    raw, name = read_source(args.file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: input is not UTF-8 JSON "
                         f"(byte 0x{raw[exc.start]:02X} at offset {exc.start})") from None
    if args.jsonl and args.bin:
        return _encode_jsonl_bin(text, args.revision, name)
    if args.jsonl:
        failed = False
        for n, line in enumerate(split_lines(text), 1):
            try:
                obj = loads(line, name, n)
                sys.stdout.write(_encode_obj(obj, args.revision, name, n).hex() + "\n")
            except IpsecExploreError as exc:
                sys.stdout.write(json.dumps({"line": n, "error": str(exc)}) + "\n")
                failed = True
        return 1 if failed else 0
    data = _encode_obj(loads(text, name), args.revision, name, None)
    if args.bin:
        sys.stdout.buffer.write(data)
    else:
        print(data.hex())
    return 0


def _encode_jsonl_bin(text: str, revision, name: str) -> int:
    """``encode --jsonl --bin``: the records of every line, concatenated as raw bytes (a buffer that
    ``import`` and ``offloads_frame`` read). Record i of the buffer must be line i, so when any line fails
    nothing is written: each failure is one line on stderr and the exit status is 1."""
    records, failed = [], 0
    for n, line in enumerate(split_lines(text), 1):
        try:
            records.append(_encode_obj(loads(line, name, n), revision, name, n))
        except IpsecExploreError as exc:
            print(f"ipsecexplore: {visible(_named(exc, name, n))}", file=sys.stderr)
            failed += 1
    if failed:
        print(f"ipsecexplore: {name}: no bytes written: {failed} of {failed + len(records)} line(s) failed",
              file=sys.stderr)
        return 1
    sys.stdout.buffer.write(b"".join(records))
    return 0


# --- explain --------------------------------------------------------------------------------------
def _cmd_explain(args) -> int:
    """``explain``: what a member, constant, structure or rule means."""
    from .explain import explain

    print(visible(explain(args.name), multiline=True))
    return 0


def _command_of(argv: list[str]) -> str | None:
    """The sub-command named in ``argv`` (its first word that is not an option), or None."""
    for a in argv:
        if not a.startswith("-"):
            return a
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command`` given, only that command's module is imported."""
    p = argparse.ArgumentParser(prog="ipsecexplore",
                                description="Explore the NDIS IPsec Offload Version 2 capability model.")
    from . import __version__

    p.add_argument("--version", action="version", version=f"ipsecexplore {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("decode", help="decode one NDIS_OFFLOAD (binary or hex text)")
    d.add_argument("file", nargs="?", help="input file, or - for stdin (default)")
    g = d.add_mutually_exclusive_group()
    g.add_argument("--hex", action="store_true", help="input is hex text")
    g.add_argument("--bin", action="store_true", help="input is raw binary")
    g2 = d.add_mutually_exclusive_group()
    g2.add_argument("--json", action="store_true", help="one JSON object keyed by dotted member path")
    g2.add_argument("--jsonl", action="store_true", help="one hex record per input line -> one JSON object per line")
    d.add_argument("--nonzero", action="store_true", help="table: only members that are not zero")
    d.set_defaults(func=_cmd_decode)
    e = sub.add_parser("encode", help="JSON keyed by dotted member paths -> NDIS_OFFLOAD bytes")
    e.add_argument("file", nargs="?", help="input file, or - for stdin (default)")
    e.add_argument("--revision", type=int, choices=range(1, 9), metavar="N", help="NDIS_OFFLOAD revision 1..8")
    e.add_argument("--bin", action="store_true", help="write raw bytes instead of hex (with --jsonl: the records "
                   "concatenated, nothing written if any line fails)")
    e.add_argument("--jsonl", action="store_true", help="one JSON object per line -> one hex line each")
    e.set_defaults(func=_cmd_encode)
    x = sub.add_parser("explain", help="what a member, constant, structure or rule means")
    x.add_argument("name", help="e.g. IPsecV2.LsoSupported, IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, R35")
    x.set_defaults(func=_cmd_explain)
    if command in _CORE:
        return p
    wanted = [command] if command in _EXTENSIONS else list(_EXTENSIONS)
    for name in wanted:
        module, func = _EXTENSIONS[name]
        getattr(importlib.import_module(module), func)(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``) and return the exit status.

    0 success; 1 a command ran but found problems (``--jsonl`` lines that failed, ``validate`` errors,
    rejected ``import`` records); 2 usage errors and bad input (one line on stderr naming what and where);
    3 an internal error (one line; the traceback with ``IPSECEXPLORE_DEBUG=1``); 130 interrupted."""
    try:
        argv = sys.argv[1:] if argv is None else argv
        parser = build_parser(_command_of(argv))
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"ipsecexplore: {visible(exc)}", file=sys.stderr)
        return 2
    except IpsecExploreError as exc:
        print(f"ipsecexplore: {visible(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: still one line for the user, the traceback on request
        if os.environ.get("IPSECEXPLORE_DEBUG"):
            raise
        print(f"ipsecexplore: internal error ({type(exc).__name__}: {visible(exc)}); this is a bug in ipsecexplore — "
              "rerun with IPSECEXPLORE_DEBUG=1 for the traceback and report it", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
