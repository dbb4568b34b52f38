"""``ipsecexplore validate PATH... [--json] [--encoding NAME]``: the rule book on structures and on captures.

One structure input (binary, hex text, or a JSON object of member values, an envelope, a hardware/current
pair, keywords — see :mod:`ipsecexplore.rules.cli`) is validated as before. Anything ``import`` takes —
capture files (Format-List, ConvertTo-Json, Export-Csv, advanced-property tables, Get-NetView output), folders
and zips, or several paths — is imported and every adapter is checked in each view: the hardware view as an
``NDIS_IPSEC_OFFLOAD_V2`` block, the current view likewise and against the hardware view, the captured INF
keywords with the keyword rules (:func:`ipsecexplore.questions.adapter_findings`).

Output for captures: one line per finding, ``host / adapter (view) file:line: SEVERITY Rnn [members]: message``,
then a summary line; rejected records of the import are listed on standard error as ``file:line: reason``.
With ``--json``: one JSON array, one object per finding with the keys ``host``, ``adapter``, ``view``,
``rule``, ``severity``, ``members``, ``message`` and ``source``, and one object per check that could not run
(``severity`` ``"skipped"``, the reason as ``message``), as for a structure.

Exit status, as for one structure: 0 without error findings; 1 with at least one error finding or a rejected
record (a capture that cannot be read is never passed over); 2 when the input cannot be read (a missing path,
an unknown ``--encoding``, no adapter at all in the captures).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import InputError
from .identity import adapter_key

__all__ = ["add_validate_command", "capture_findings", "is_structure_input"]

_STRUCTURE_EXTS = (".bin", ".raw", ".dat", ".hex")


def is_structure_input(path: str | None) -> bool:
    """True when ``path`` is for the structure validator (stdin, binary, hex text, a JSON object that is not
    a ``ConvertTo-Json`` capture); False for a folder, a zip or a capture file. A path that does not exist
    is left to the structure validator, which names it."""
    if path in (None, "-"):
        return True
    p = Path(path)
    if not p.exists():
        return True
    if p.is_dir() or p.suffix.lower() == ".zip":
        return False
    from .captures.textio import DEFAULT_SIZE_LIMIT, decode_text, is_probably_binary, read_limited
    from .hexinput import looks_like_hex

    data = read_limited(p, DEFAULT_SIZE_LIMIT, str(path))
    if data[:4] == b"PK\x03\x04":
        return False
    if p.suffix.lower() in _STRUCTURE_EXTS or is_probably_binary(data) or looks_like_hex(data[:65536]):
        return True
    try:
        text, _ = decode_text(data, str(path))
    except InputError:
        return True  # the structure validator says what is wrong with it
    if any(ord(c) < 9 or 13 < ord(c) < 32 for c in text[:4096]):
        return True  # control characters: bytes, not a capture's text; the structure validator names them
    if text.lstrip("\ufeff \t\r\n")[:1] not in ("{", "["):
        return False  # Format-List, Export-Csv, a table, Get-NetView output
    try:
        obj = json.loads(text.lstrip("\ufeff"))
    except ValueError:
        # A ConvertTo-Json capture cut short names a capture class or property: the importer rejects it with
        # its line. Anything else is a broken structure object, and the structure validator names the error.
        from .captures.importer import named_capture

        return named_capture(text) is None
    return isinstance(obj, dict) and not _is_cim_object(obj)


def _is_cim_object(obj: dict) -> bool:
    from .captures.cim import IPSEC_PROPERTY_NAMES

    keys = {k.casefold() for k in obj if isinstance(k, str)}
    names = {n.casefold() for n in IPSEC_PROPERTY_NAMES} | {"registrykeyword"}
    return bool(keys & names) or ("value" in keys and "count" in keys)


def capture_findings(paths, *, encoding: str | None = None, progress=False):
    """``(fleet, findings)``: the captures under ``paths`` imported, and the rule findings of every adapter
    and view (a frame with host, adapter, view, source, rule, severity, members, message; checks that could
    not run have severity ``not checked``)."""
    from .fleet import load_fleet
    from .questions import adapter_findings

    fleet = load_fleet(paths, progress=progress, encoding=encoding)
    return fleet, adapter_findings(fleet)


def _records(findings) -> list[dict]:
    out = []
    for row in findings.itertuples(index=False):
        sev = "skipped" if row.severity == "not checked" else row.severity
        out.append({"host": row.host, "adapter": row.adapter, "view": row.view, "rule": row.rule or None,
                    "severity": sev, "members": [m for m in row.members.split(", ") if m],
                    "message": row.message, "source": row.source or None})
    return out


def _print_text(findings) -> None:
    shown = findings[findings["severity"] != "not checked"]
    for row in shown.itertuples(index=False):
        members = f" [{row.members}]" if row.members else ""
        where = f" {row.source}:" if row.source else ":"
        print(f"{row.host} / {row.adapter} ({row.view}){where} {row.severity.upper():8} {row.rule}{members}: "
              f"{row.message}")
    counts = shown["severity"].value_counts()
    skipped = int((findings["severity"] == "not checked").sum())
    adapters = int(adapter_key(findings["host"], findings["adapter"]).nunique())
    print(f"{int(counts.get('error', 0))} error(s), {int(counts.get('warning', 0))} warning(s), "
          f"{int(counts.get('info', 0))} info in {adapters} adapter(s); {skipped} check(s) not run (--json lists "
          "them)")


def _cmd(args) -> int:
    paths = args.paths
    if len(paths) <= 1 and is_structure_input(paths[0] if paths else None):
        from .rules.cli import validate_file

        return validate_file(paths[0] if paths else None, args.json)
    fleet, findings = capture_findings(paths, encoding=args.encoding)
    for r in fleet.result.rejected:
        print(f"{r.source}: {r.reason}", file=sys.stderr)
    if not len(fleet.frame):
        raise InputError("no adapter found in the captures (" + fleet.summary() + ")",
                         source=", ".join(map(str, paths)))
    if args.json:
        print(json.dumps(_records(findings), indent=2, ensure_ascii=False))
    else:
        _print_text(findings)
    return 1 if fleet.result.rejected or (findings["severity"] == "error").any() else 0


def add_validate_command(subparsers) -> None:
    """Register ``validate PATH... [--json] [--encoding NAME]`` on an argparse sub-parser collection."""
    import argparse

    from .rules import cli as rules_cli

    p = subparsers.add_parser(
        "validate", help="check a structure (NDIS_OFFLOAD, IPsecV2 block, NDIS_OFFLOAD_PARAMETERS, attributes, "
                         "SA structure, keywords) or captured adapters against the rule book",
        description=rules_cli.__doc__.split("\n\n", 1)[1] + "\n" + __doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="a structure input (binary, hex text or JSON; - or nothing for stdin), or capture "
                        "files, folders and zips as for import")
    p.add_argument("--json", action="store_true",
                   help="print a JSON list of findings; checks that could not run are listed too, with "
                        "severity \"skipped\" (captures: each with host, adapter, view)")
    p.add_argument("--encoding", metavar="NAME",
                   help="captures: code page of text without a BOM that is not UTF-8 (as for import)")
    p.set_defaults(func=_cmd)
