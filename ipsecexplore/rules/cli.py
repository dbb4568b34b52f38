"""``ipsecexplore validate FILE [--json]``: check a structure against the rule book.

FILE may be binary, hex text (any shape :mod:`ipsecexplore.hexinput` reads), or JSON:

- a flat object of dotted member paths (the structure is recognised by its members), e.g.
  ``{"Header.Revision": 2, "IPsecV2.Esp": true, "IPsecV2.EncryptionAlgorithms": "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"}``;
- ``{"structure": NAME, "values": {...}}`` or ``{"structure": NAME, "hex": "..."}`` to name it;
- ``{"hardware": {...}, "current": {...}}``: both objects, and current against hardware (R48, R57);
- ``{"DefaultOffloadConfiguration": {...}, "HardwareOffloadCapabilities": {...}}``: the adapter attributes;
- ``{"*IPsecOffloadV2": "3", ...}``: INF keyword values.

Exit status: 0 without error findings, 1 with at least one, 2 when the input cannot be read.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import InputError
from ..hexinput import read_source
from .base import Findings
from .validate import validate

__all__ = ["add_validate_command", "load_validation_input", "run_validate"]

_ENVELOPE = {"structure", "values", "hex", "revision", "arch", "ndis", "context", "keywords"}


def _json_or_none(raw: bytes, name: str) -> Any:
    """Parsed JSON when the input looks like JSON (starts with { or [ after a BOM/whitespace), else None."""
    head = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if head.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("JSON input is not UTF-8", source=name, offset=exc.start) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", source=name, line=exc.lineno) from None


def load_validation_input(raw: bytes, name: str = "<input>") -> list[tuple[str, Any, dict]]:
    """What to validate in one input: a list of (label, object, context)."""
    from ..hexinput import parse_hex, read_bytes

    data = _json_or_none(raw, name)
    if data is None:
        return [("", read_bytes(raw, "auto", source=name), {})]
    if not isinstance(data, dict):
        raise InputError("expected a JSON object", source=name)
    if set(data) & {"hardware", "current"} and set(data) <= {"hardware", "current", "ndis", "arch", "keywords"}:
        out = []
        base = {k: data[k] for k in ("ndis", "arch") if k in data}
        if "hardware" in data:
            out.append(("hardware: ", data["hardware"], dict(base, role="hardware")))
        if "current" in data:
            ctx = dict(base, role="current")
            if "hardware" in data:
                ctx["hardware"] = data["hardware"]
            out.append(("current: ", data["current"], ctx))
        if "keywords" in data:
            out.append(("keywords: ", data["keywords"], {}))
        return out
    if "structure" in data or "values" in data or "hex" in data:
        unknown = set(data) - _ENVELOPE
        if unknown:
            raise InputError(f"unknown key(s) {', '.join(sorted(unknown))}", source=name)
        ctx = dict(data.get("context") or {})
        for k in ("structure", "revision", "arch", "ndis", "keywords"):
            if k in data:
                ctx[k] = data[k]
        obj = parse_hex(data["hex"], source=name) if "hex" in data else data.get("values")
        if obj is None:
            raise InputError("give 'values' or 'hex'", source=name)
        return [("", obj, ctx)]
    return [("", data, {})]


def run_validate(raw: bytes, name: str = "<input>") -> Findings:
    """Every finding for one input (see :func:`load_validation_input`); member paths carry the label."""
    out = Findings()
    for label, obj, ctx in load_validation_input(raw, name):
        found = validate(obj, ctx)
        if label:
            from dataclasses import replace

            found = Findings([replace(f, members=tuple(label + m for m in f.members) or (label.rstrip(": "),))
                              for f in found], [(r, label + why) for r, why in found.skipped])
        out.extend(found)
    return out


def _cmd_validate(args) -> int:
    raw, name = read_source(args.file)
    try:
        found = run_validate(raw, name)
    except InputError as exc:
        if exc.source is None:  # name the file in every message
            raise InputError(exc.reason, source=name, path=exc.path, structure=exc.structure, offset=exc.offset,
                             expected=exc.expected, actual=exc.actual, index=exc.index) from None
        raise
    if args.json:
        print(found.to_json())
    else:
        print(str(found))
    return 1 if found.has_errors else 0


def add_validate_command(subparsers) -> None:
    """Register ``validate FILE [--json]`` on an argparse sub-parser collection."""
    p = subparsers.add_parser("validate", help="check an NDIS_OFFLOAD, IPsecV2 block, NDIS_OFFLOAD_PARAMETERS, "
                                               "attributes, SA structure or keywords against the rule book",
                              description=__doc__.split("\n\n", 1)[1], formatter_class=_raw_formatter())
    p.add_argument("file", nargs="?", help="input file (binary, hex text or JSON), or - for stdin (default)")
    p.add_argument("--json", action="store_true", help="print a JSON list of findings (rule, severity, members, "
                                                       "message, source, basis, structure, inferred)")
    p.set_defaults(func=_cmd_validate)


def _raw_formatter():
    import argparse

    return argparse.RawDescriptionHelpFormatter
