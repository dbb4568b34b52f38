"""``ipsecexplore explain NAME``: what a member, constant, structure or rule means.

NAME may be a dotted member path of NDIS_OFFLOAD (``IPsecV2.LsoSupported``), ``STRUCTURE.path``
(``NDIS_OFFLOAD_PARAMETERS.IPsecV2``), a structure name, a constant name, or a rule id (``R35``).
"""

from __future__ import annotations

import difflib
import enum
import re

from .errors import InputError
from .layouts import layout, structure_names
from .sources import cite, spec_paths

__all__ = ["explain", "member_meaning"]

# Which rule of tests/spec/ipsecov2-rules.md §3 states each IPsecV2 member's meaning.
_MEMBER_RULES = {
    "Encapsulation": "R15", "IPv6Supported": "R16", "IPv4Options": "R17", "IPv6NonIPsecExtensionHeaders": "R18",
    "Ah": "R19", "Esp": "R20", "AhEspCombined": "R21", "Transport": "R22", "Tunnel": "R23",
    "TransportTunnelCombined": "R24", "LsoSupported": "R25", "ExtendedSequenceNumbers": "R26", "UdpEsp": "R27",
    "AuthenticationAlgorithms": "R28", "EncryptionAlgorithms": "R29", "SaOffloadCapacity": "R30",
}


def member_meaning(path: str) -> str | None:
    """The documented meaning of an IPsecV2 member (from its rule), or None."""
    name = path.split(".")[-1]
    if not (path.startswith("IPsecV2.") or "." not in path) or name not in _MEMBER_RULES:
        return None
    rule = _rule(_MEMBER_RULES[name])
    return rule


def _rule(rule_id: str) -> str | None:
    from .rules import explain_rule

    try:
        return explain_rule(rule_id)
    except KeyError:
        return None


def _explain_member(struct: str, path: str) -> str:
    lines = []
    for arch in ("x64", "x86"):
        lay = layout(struct, arch)
        m = lay.field(path)
        if arch == "x86":
            if m.offset != layout(struct, "x64").field(path).offset:
                lines.append(f"  x86 offset: 0x{m.offset:X} ({m.offset}), size {m.size}")
            continue
        where = f"0x{m.offset:X} ({m.offset})"
        if m.kind == "bitfield":
            where += f", bits {m.bit_offset}..{m.bit_offset + m.bit_width - 1} of that 32-bit word"
        lines.append(f"{struct}.{path}")
        lines.append(f"  C type:  {m.ctype}" + (f" : {m.bit_width}" if m.kind == "bitfield" else "")
                     + (f"[{m.count}]" if m.kind == "array" else "") + f"  ({m.kind})")
        lines.append(f"  offset:  {where}; size {m.size} byte(s)"
                     + ("  (x64; same on ARM64)" if lay.arch == "x64" else ""))
        rev = f"revision {m.added_in_revision}, " if m.added_in_revision else ""
        lines.append(f"  added:   {rev}NDIS {m.added_in_ndis}")
        if m.note:
            lines.append(f"  note:    {m.note}")
        from .constants import domain_class

        field = f"{struct}.{path}"
        for group in m.domains:
            cls = domain_class(group)
            kind = "flags" if issubclass(cls, enum.Flag) else "values"
            members = list(cls.__members__.values())
            # Groups such as NDIS_SIZEOF serve many structures: show the names that apply to this member.
            own = [c for c in members if field in (getattr(c, "applies_to", None) or ())]
            lines.append(f"  {kind} ({group}" + (", those for this member" if own and len(own) < len(members) else "")
                         + "):")
            for c in own or members:
                lines.append(f"    {c.name} = {getattr(c, 'hex', None) or hex(int(c))}  {getattr(c, 'label', '')}")
        if path.endswith("AuthenticationAlgorithms") and struct in ("NDIS_OFFLOAD", "NDIS_IPSEC_OFFLOAD_V2"):
            lines.append("  GMAC:    in this mask the AES_GCM_* flags mean AES-GMAC: integrity only, no encryption "
                         "(R28). AES-GCM encryption is the EncryptionAlgorithms flag of the same name.")
        if struct in ("NDIS_OFFLOAD", "NDIS_IPSEC_OFFLOAD_V2"):
            meaning = member_meaning(path)
            if meaning:
                lines.append("  meaning: " + meaning.replace("\n", "\n           "))
    return "\n".join(lines)


def _explain_structure(name: str) -> str:
    lay = layout(name)
    lines = [f"{name}: sizeof {lay.sizeof} (x64) / {layout(name, 'x86').sizeof} (x86), first in NDIS {lay.ndis}"]
    if lay.object_type:
        lines.append(f"  Header.Type = {lay.object_type}")
    for r in lay.revisions:
        x86 = layout(name, "x86").revision_size(r.revision)
        size = f"{r.size}" + (f" / {x86} (x86)" if x86 != r.size else "")
        lines.append(f"  revision {r.revision}: Header.Size {size} through {r.through_member}, NDIS {r.ndis}"
                     + (f", {r.windows}" if r.windows else ""))
    tops = [m for m in lay.members if "." not in m.path and "[" not in m.path]
    lines.append("  members: " + ", ".join(m.path for m in tops))
    return "\n".join(lines)


def explain(name: str) -> str:
    """Text explaining ``name``; :class:`InputError` with suggestions when nothing matches."""
    name = name.strip()
    linux = _linux(name)  # Linux ESP feature bits and drivers (issue 15; ipsecexplore.crossos)
    if linux is not None:
        return linux
    if re.fullmatch(r"[Rr]\d+", name):
        text = _rule(name.upper())
        if text is None:
            raise InputError(f"no rule {name.upper()} in the rule book")
        return text
    if name in structure_names():
        return _explain_structure(name)
    head, _, rest = name.partition(".")
    if head in structure_names() and rest:
        if rest in layout(head):
            return _explain_member(head, rest)
        raise InputError(f"{head} has no member {rest!r}" + _suggest(rest, [m.path for m in layout(head).members]))
    if name in layout("NDIS_OFFLOAD"):
        return _explain_member("NDIS_OFFLOAD", name)
    keyword = _keyword(name)
    if keyword is not None:
        return keyword
    owners = [s for s in structure_names() if name in layout(s)]
    if len(owners) == 1:
        return _explain_member(owners[0], name)
    if owners:
        raise InputError(f"{name!r} is a member of several structures; say which: "
                         + ", ".join(f"{s}.{name}" for s in owners))
    try:
        from .constants import lookup

        c = lookup(name)
    except (ImportError, KeyError):
        c = None
    if c is not None:
        shown = getattr(c, "hex", None) or f"0x{int(c):X}"
        lines = [f"{c.name} = {shown}" + ("" if type(c).__name__ == "GUID" else f" ({int(c)})")
                 + f"  [{type(c).__name__}]"]
        for attr in ("label", "meaning", "ndis", "guard", "source"):
            v = getattr(c, attr, None)
            if v:
                lines.append(f"  {attr}: {v}")
        return "\n".join(lines)
    candidates = [m.path for m in layout("NDIS_OFFLOAD").members] + structure_names()
    raise InputError(f"unknown name {name!r}" + _suggest(name, candidates))


def _linux(name: str) -> str | None:
    """Text for a Linux ESP feature (``esp-hw-offload``) or in-tree driver (``ixgbe``), or None."""
    from .crossos import explain_linux

    return explain_linux(name)


def _keyword(name: str) -> str | None:
    """Text for an INF standardized keyword such as ``*IPsecOffloadV2``, or None."""
    from .constants import INF_KEYWORDS

    k = INF_KEYWORDS.get(name) or INF_KEYWORDS.get("*" + name.lstrip("*"))
    if k is None:
        return None
    lines = [f"{k.keyword}  (INF standardized keyword, {k.registry_type}, {k.ui_type}; \"{k.param_desc}\")",
             f"  default: {k.default}" + (f" ({spec_paths(k.default_note)})" if k.default_note else "")]
    lines += [f"  {v} = {meaning}" for v, meaning in k.values.items()]
    lines.append(f"  OID_TCP_OFFLOAD_PARAMETERS: {k.offload_parameters_field} = {k.offload_parameters_value}")
    lines.append(f"  source: {cite(k.source)}")
    return "\n".join(lines)


def _suggest(name: str, candidates) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""
