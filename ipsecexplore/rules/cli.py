"""``ipsecexplore validate FILE [--json]``: check a structure against the rule book.

FILE may be binary, hex text (any shape :mod:`ipsecexplore.hexinput` reads), or JSON:

- a flat object of dotted member paths (the structure is recognised by its members), e.g.
  ``{"Header.Revision": 2, "IPsecV2.Esp": true,
  "IPsecV2.EncryptionAlgorithms": "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"}``;
- ``{"structure": NAME, "values": {...}}`` or ``{"structure": NAME, "hex": "..."}`` to name it, with optional
  ``"revision"`` (of values without Header.*), ``"arch"`` ("x64"/"x86"), ``"ndis"`` ("6.30"), ``"keywords"``,
  ``"missing"`` and ``"context"``;
- ``{"hardware": {...}, "current": {...}}``: both objects, and current against hardware (R48, R57);
- ``{"DefaultOffloadConfiguration": {...}, "HardwareOffloadCapabilities": {...}}``: the adapter attributes;
- ``{"*IPsecOffloadV2": "3", ...}``: INF keyword values.

A member value of null means "not captured": a rule that needs it is listed as not checked, with the
members it needed. ``"missing": "unknown"`` says the same of every member the object does not give (a
capture that carries only some members); by default a member not given is 0.

Output: the findings, then "Not checked:" with every check that could not run and why. With --json, one
list: each finding (rule, severity, members, message, source, basis, structure, inferred), then each check
that did not run as an object with "severity": "skipped", "members": [] and the reason as "message".

Exit status: 0 without error findings, 1 with at least one, 2 when the input cannot be read.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError, IpsecExploreError
from ..hexinput import read_source
from ..jsonio import loads
from ..layouts import structure_names
from ..text import visible
from .base import Findings
from .schema import ARCH, NDIS_VERSION, OBJECT, STRING, UINT, check_object, choice
from .subjects import MISSING
from .validate import validate

__all__ = ["add_validate_command", "load_validation_input", "run_validate", "validate_file"]

# {"structure": ..., "values" | "hex": ...}: what each key of the envelope holds
_ENVELOPE = {
    "structure": choice(structure_names(), "the name of a structure in tests/spec/layouts.md, e.g. \"NDIS_OFFLOAD\""),
    "values": OBJECT, "hex": STRING, "revision": UINT, "arch": ARCH, "ndis": NDIS_VERSION, "context": OBJECT,
    "keywords": OBJECT, "missing": choice(MISSING),
}
# {"hardware": ..., "current": ...}: an adapter's two NDIS_OFFLOAD objects
_PAIR = {"hardware": OBJECT, "current": OBJECT, "ndis": NDIS_VERSION, "arch": ARCH, "keywords": OBJECT,
         "missing": choice(MISSING)}


def _json_or_none(raw: bytes, name: str) -> Any:
    """Parsed JSON when the input looks like JSON (starts with { or [ after a BOM/whitespace), else None."""
    head = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if head.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("JSON input is not UTF-8", source=name, offset=exc.start) from None
    return loads(text, name)  # a repeated key is refused, not silently overwritten


def load_validation_input(raw: bytes, name: str = "<input>") -> list[tuple[str, Any, dict]]:
    """What to validate in one input: a list of (label, object, context). Every key of an envelope is
    type-checked (:mod:`ipsecexplore.rules.schema`); a wrong one is an :class:`InputError` naming it."""
    from ..hexinput import parse_hex, read_bytes

    data = _json_or_none(raw, name)
    if data is None:
        return [("", read_bytes(raw, "auto", source=name), {})]
    if not isinstance(data, dict):
        raise InputError("expected a JSON object", source=name)
    if "hardware" in data or "current" in data:
        check_object(data, _PAIR, what="a hardware/current pair", source=name)
        out = []
        base = {k: data[k] for k in ("ndis", "arch", "missing") if k in data}
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
        check_object(data, _ENVELOPE, what="a validate envelope", source=name)
        if ("values" in data) == ("hex" in data):
            raise InputError("give either 'values' (member values) or 'hex' (the bytes), not "
                             + ("both" if "values" in data else "neither"), source=name)
        ctx = dict(data.get("context") or {})
        for k in ("structure", "revision", "arch", "ndis", "keywords", "missing"):
            if k in data:
                if k in ctx and ctx[k] != data[k]:
                    raise InputError(f"'{k}' is given twice, differently (top level and context)", source=name,
                                     path=k)
                ctx[k] = data[k]
        obj = parse_hex(data["hex"], source=name) if "hex" in data else data["values"]
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
    return validate_file(args.file, args.json)


def validate_file(file: str | None, as_json: bool = False) -> int:
    """``validate FILE [--json]`` of one structure input (``None``/``-`` = stdin): prints the findings,
    returns the exit status (0 without error findings, 1 with one); raises :class:`IpsecExploreError` for
    input that cannot be read."""
    raw, name = read_source(file)
    try:
        found = run_validate(raw, name)
    except IpsecExploreError as exc:  # InputError, or a DecodeError of bytes too short for the structure
        if exc.source is None:  # name the file in every message
            raise InputError(exc.reason, source=name, path=exc.path, structure=exc.structure, offset=exc.offset,
                             expected=exc.expected, actual=exc.actual, index=exc.index) from None
        raise
    if as_json:
        print(found.to_json(skipped=True))
    else:
        print(visible(str(found), multiline=True))
    return 1 if found.has_errors else 0


def add_validate_command(subparsers) -> None:
    """Register ``validate FILE [--json]`` on an argparse sub-parser collection."""
    p = subparsers.add_parser("validate", help="check an NDIS_OFFLOAD, IPsecV2 block, NDIS_OFFLOAD_PARAMETERS, "
                                               "attributes, SA structure or keywords against the rule book",
                              description=__doc__.split("\n\n", 1)[1], formatter_class=_raw_formatter())
    p.add_argument("file", nargs="?", help="input file (binary, hex text or JSON), or - for stdin (default)")
    p.add_argument("--json", action="store_true", help="print a JSON list of findings (rule, severity, members, "
                                                       "message, source, basis, structure, inferred); checks "
                                                       "that could not run are listed too, with severity "
                                                       "\"skipped\"")
    p.set_defaults(func=_cmd_validate)


def _raw_formatter():
    import argparse

    return argparse.RawDescriptionHelpFormatter
