"""``validate(obj, context=None) -> Findings`` for every structure the rule book speaks about.

Accepted ``obj``: an :class:`~ipsecexplore.model.NdisOffload` (or any StructValue), bytes, a flat
``{dotted path: value}`` dict (values may be constant names), an :class:`OffloadAttributes`, or a dict of
INF keywords (``{"*IPsecOffloadV2": "3"}``). ``context`` is a dict with any of:

- ``structure``: force the structure name (needed for SA bytes, which share Header.Type with PARAMETERS);
- ``hardware``: the adapter's hardware-capabilities NDIS_OFFLOAD (enables R48, R57, R61, R64, R69);
- ``current``: the current-configuration NDIS_OFFLOAD (enables the SA rules that compare with it);
- ``offload``: the NDIS_OFFLOAD around a bare IPsecV2 block (enables R43 for the block);
- ``keywords``: INF keyword values (enables R49 on the attributes, R53);
- ``ndis``: the simulated NDIS version, e.g. ``"6.30"`` (R10); ``role``: 'hardware', 'current' or
  'default'; ``arch``: 'x64' (default) or 'x86'; ``revision``: revision of a dict without Header.*;
- ``missing``: 'zero' (default: a member a dict does not give is 0) or 'unknown' (the dict is a capture that
  carries only some members).

In a dict, a member whose value is None is unknown ("not captured"). A check that needs an unknown member
is listed under "not checked" with the members it needed, never judged on a 0 nobody saw; so a captured
adapter view can be validated as it is (``validate(row, {"structure": "NDIS_IPSEC_OFFLOAD_V2",
"missing": "unknown"})``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..codec import check_revision, object_type_value
from ..errors import InputError
from ..layouts import layout, structure_names
from . import checks_offload, checks_pair, checks_params, checks_sa  # noqa: F401  (register the checks)
from .base import Findings, finding
from .checks_offload import hx
from .keywords import (
    KEYWORD_V2,
    KEYWORD_V2_IPV4,
    KEYWORDS,
    find_keyword,
    keyword_protocols,
    parse_keyword_value,
    resolve_keywords,
)
from .registry import CHECKS, Context, enforces, run_checks
from .schema import ARCH, NDIS_VERSION, OBJECT, UINT, check_value, choice
from .subjects import (
    ATTRIBUTES,
    MISSING,
    OFFLOAD,
    WMI_OFFLOAD,
    OffloadAttributes,
    Subject,
    guess_structure,
    parse_values,
    subject_of,
    wmi_offload_block,
)

__all__ = ["validate", "make_context", "validate_keywords"]

# what each context key holds (hardware/current/offload: anything subject_of reads, checked there)
_ANY_OBJECT = {"hardware", "current", "offload"}
_CONTEXT_KINDS = {
    "structure": choice(structure_names(), "the name of a structure in tests/spec/layouts.md, e.g. \"NDIS_OFFLOAD\""),
    "arch": ARCH, "ndis": NDIS_VERSION, "role": choice(("hardware", "current", "default")),
    "revision": UINT, "keywords": OBJECT, "missing": choice(MISSING),
}
_CONTEXT_KEYS = set(_CONTEXT_KINDS) | _ANY_OBJECT


def _as_offload_subject(obj, arch: str, label: str = "", missing: str = "zero") -> Subject | None:
    if obj is None:
        return None
    if isinstance(obj, Subject):
        return obj
    return subject_of(obj, OFFLOAD, arch=arch, label=label, missing=missing)


def make_context(context: Mapping | Context | None) -> Context:
    """A :class:`Context` from the ``context`` dict of :func:`validate`. Unknown keys and values of the
    wrong kind (an unknown structure, architecture or NDIS version, …) are :class:`InputError` naming the
    key."""
    if isinstance(context, Context):
        return context
    if context is not None and not isinstance(context, Mapping):
        raise InputError(f"context must be an object of {', '.join(sorted(_CONTEXT_KEYS))}",
                         actual=type(context).__name__)
    context = dict(context or {})
    unknown = set(context) - _CONTEXT_KEYS
    if unknown:
        raise InputError(f"unknown context key(s) {', '.join(sorted(map(str, unknown)))}; known: "
                         f"{', '.join(sorted(_CONTEXT_KEYS))}", path=sorted(map(str, unknown))[0])
    for k, v in context.items():
        if k in _CONTEXT_KINDS and v is not None:
            check_value(v, _CONTEXT_KINDS[k], key=k)
    arch = context.get("arch") or "x64"
    missing = context.get("missing") or "zero"
    return Context(
        hardware=_as_offload_subject(context.get("hardware"), arch, missing=missing),
        current=_as_offload_subject(context.get("current"), arch, missing=missing),
        offload=_as_offload_subject(context.get("offload"), arch, missing=missing),
        keywords=context.get("keywords"), ndis=context.get("ndis"), role=context.get("role"), arch=arch,
        structure=context.get("structure"), revision=context.get("revision"), missing=missing)


def validate(obj: Any, context: Mapping | Context | None = None) -> Findings:
    """Check ``obj`` against every rule that applies to it; see the module docstring for inputs."""
    ctx = make_context(context)
    if _is_keyword_dict(obj) and ctx.structure is None:
        return validate_keywords(obj)
    if isinstance(obj, Subject):
        s, structure = obj, obj.structure
    else:
        structure = ctx.structure or guess_structure(obj)
        if structure == ATTRIBUTES:
            return _validate_attributes(obj, ctx)
        if structure == OFFLOAD and isinstance(obj, (bytes, bytearray, memoryview)) and \
                wmi_offload_block(bytes(obj), ctx.arch):
            return _validate_wmi_block(bytes(obj), ctx)
        if ctx.revision is not None:  # the revision of a dict without Header.*: a parameter, not a value checked
            lay = layout(structure, ctx.arch)
            if not lay.revisions:
                raise InputError("this structure has no revisions; leave 'revision' out", structure=structure,
                                 path="revision", actual=ctx.revision)
            check_revision(lay, ctx.revision, error=InputError)
        s = subject_of(obj, structure, arch=ctx.arch, revision=ctx.revision, missing=ctx.missing)
    out = run_checks(structure, s, ctx, ipsecv2_reported=s.ipsecv2_reported)
    if structure not in CHECKS:
        out.skipped.append(("-", f"the rule book states no checks for {structure}"))
    if structure == OFFLOAD and ctx.hardware is not None and ctx.role != "hardware":
        out.extend(run_checks("pair", s, ctx))
    if s.unknown:
        names = sorted(s.m(*s.unknown))
        out.skipped.append(("-", f"{len(names)} member(s) not captured, so no rule judged them: "
                                 + ", ".join(names[:8]) + (" …" if len(names) > 8 else "")))
    return out


def _validate_wmi_block(data: bytes, ctx: Context) -> Findings:
    """An NDIS_WMI_OFFLOAD block read as bytes (R81, tests/spec/capture-formats.md §5): NDIS converts only the
    revision-1 members (each 2-bit field widened to a ULONG) and leaves the IPsecV2 area unfilled, so the
    block is reported as such and the IPsecV2 checks do not run on bytes nobody filled."""
    lay, wmi = layout(OFFLOAD, ctx.arch), layout(WMI_OFFLOAD, ctx.arch)
    out = Findings()
    want = object_type_value(lay)
    if data[0] != want:
        out.append(finding("R8", f"Header.Type is {hx(data[0])}; {OFFLOAD} carries {lay.object_type} ({hx(want)}).",
                           ("Header.Type",), structure=OFFLOAD))
    hsize = int.from_bytes(data[2:4], "little")
    v2 = wmi.field("IPsecV2").offset
    out.append(finding("R81", f"These {len(data)} bytes (Header.Revision {data[1]}, Header.Size {hsize}) are an "
                              f"{WMI_OFFLOAD} block as a WMI query returns it, not an {OFFLOAD}: ndis.sys converts "
                              "only the revision-1 members (each 2-bit field widened to a ULONG) and does not fill "
                              f"the IPsecV2 area at 0x{v2:X}, so its IPsecV2 values are unavailable. Capture "
                              "IPsecV2 with Get-NetAdapterIPsecOffload or the OID_TCP_OFFLOAD_* queries instead.",
                       ("Header.Size", "IPsecV2"), structure=WMI_OFFLOAD))
    out.skipped.append(("R9", f"IPsecV2 unavailable: an {WMI_OFFLOAD} block's IPsecV2 area is not filled by NDIS "
                              "(R81); IPsecV2 checks not run"))
    out.skipped.append(("-", f"the revision-1 members of an {WMI_OFFLOAD} (widened to ULONGs) are not checked "
                             f"against the {OFFLOAD} rules"))
    return out


def _is_keyword_dict(obj) -> bool:
    return isinstance(obj, Mapping) and bool(obj) and all(str(k).startswith("*") for k in obj)


@enforces("R51", "R53", place="validate INF keywords")
def validate_keywords(keywords: Mapping) -> Findings:
    """Check a set of INF keyword values: R53 (both v2 keywords), R51 (values outside 0–3)."""
    unknown = [k for k in keywords if not any(str(k).lower() == n.lower() for n in KEYWORDS)]
    out = Findings(resolve_keywords(keywords).findings)
    for k in unknown:
        out.skipped.append(("R50", f"keyword {k} is not an IPsec offload v2 keyword; not checked"))
    return out


# ---------------------------------------------------------------------------------------------------
# NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES

def _attributes_parts(obj, arch: str):
    """(header dict, default, hardware, arch) from an OffloadAttributes, a dict or bytes."""
    if isinstance(obj, OffloadAttributes):
        return obj.header_values(), obj.default, obj.hardware, obj.arch
    if isinstance(obj, Mapping):
        hdr = parse_values({k: v for k, v in obj.items() if str(k).startswith("Header.")}, ATTRIBUTES, arch=arch)
        other = set(obj) - set(hdr) - {"DefaultOffloadConfiguration", "HardwareOffloadCapabilities",
                                       "DefaultTcpConnectionOffloadConfiguration",
                                       "TcpConnectionOffloadHardwareCapabilities"}
        lay = layout(ATTRIBUTES, arch)
        other |= {k for k in hdr if k not in lay}
        if other:
            raise InputError("unknown member", structure=ATTRIBUTES, path=sorted(map(str, other))[0])
        if not hdr:
            hdr = OffloadAttributes(arch=arch).header_values()
        return hdr, obj.get("DefaultOffloadConfiguration"), obj.get("HardwareOffloadCapabilities"), arch
    if isinstance(obj, (bytes, bytearray)):
        data = bytes(obj)
        if len(data) < 4:
            raise InputError("too short for an NDIS_OBJECT_HEADER", structure=ATTRIBUTES, offset=len(data),
                             expected="at least 4 bytes", actual=f"{len(data)} bytes")
        hdr = {"Header.Type": data[0], "Header.Revision": data[1], "Header.Size": int.from_bytes(data[2:4], "little")}
        return hdr, None, None, arch  # a byte dump holds only addresses; the objects are not in it
    raise InputError(f"cannot read {type(obj).__name__} as {ATTRIBUTES}")


def _attr_header_findings(hdr: dict, arch: str) -> Findings:
    lay = layout(ATTRIBUTES, arch)
    out = Findings()
    want_type = object_type_value(lay)
    rev = lay.latest_revision
    if hdr.get("Header.Type") != want_type:
        out.append(finding("R47", f"Header.Type is {hx(hdr.get('Header.Type'))}; the attributes carry "
                                  f"{lay.object_type} ({hx(want_type)}). NdisMSetMiniportAttributes tells "
                                  "attribute structures apart by this type.", ("Header.Type",), basis="DOC/HDR",
                           structure=ATTRIBUTES))
    if hdr.get("Header.Revision") != rev:
        out.append(finding("R47", f"Header.Revision is {hdr.get('Header.Revision')}; the attributes have only "
                                  f"revision {rev}.", ("Header.Revision",), basis="HDR", structure=ATTRIBUTES))
    elif hdr.get("Header.Size") != lay.revision_size(rev):
        out.append(finding("R47", f"Header.Size is {hdr.get('Header.Size')}; on {arch} it is "
                                  f"{lay.revision(rev).size_constant} = {lay.revision_size(rev)}.",
                           ("Header.Size",), basis="HDR", structure=ATTRIBUTES))
    return out


def _validate_attributes(obj, ctx: Context) -> Findings:
    hdr, default, hardware, arch = _attributes_parts(obj, ctx.arch)
    out = _attr_header_findings(hdr, arch)
    if isinstance(obj, (bytes, bytearray)):
        out.skipped.append(("R47", "a byte dump of the attributes holds only pointer values; pass an "
                                   "OffloadAttributes to check the NDIS_OFFLOAD objects"))
        return out
    d = _as_offload_subject(default, arch, "DefaultOffloadConfiguration->")
    h = _as_offload_subject(hardware, arch, "HardwareOffloadCapabilities->")
    sub = Context(keywords=ctx.keywords, ndis=ctx.ndis, arch=arch)
    if d is None:
        out.append(finding("R47", "DefaultOffloadConfiguration is NULL; the miniport must report its default "
                                  "(current) offload configuration, including the IPsecOV2 block.",
                           ("DefaultOffloadConfiguration",), structure=ATTRIBUTES))
    else:
        sub.role = "default"
        out.extend(run_checks(OFFLOAD, d, sub, ipsecv2_reported=d.ipsecv2_reported))
    if h is not None:
        sub.role = "hardware"
        out.extend(run_checks(OFFLOAD, h, sub, ipsecv2_reported=h.ipsecv2_reported))
        claims = h.ipsecv2_reported and (h.on("IPsecV2.Ah") or h.on("IPsecV2.Esp"))
        if claims and d is not None and not d.ipsecv2_reported:
            out.append(finding("R47", f"HardwareOffloadCapabilities claims IPsecOV2 but DefaultOffloadConfiguration "
                                      f"is revision {d.revision} (Size {d.size}) and so carries no IPsecV2 block; an "
                                      "IPsecOV2 adapter must supply a default configuration of revision ≥ 2.",
                               ("DefaultOffloadConfiguration->Header.Revision",
                                "HardwareOffloadCapabilities->IPsecV2.Ah", "HardwareOffloadCapabilities->IPsecV2.Esp"),
                               structure=ATTRIBUTES))
        if d is not None:
            out.extend(run_checks("pair", d, Context(hardware=h, arch=arch)))
    else:
        out.skipped.append(("R48", "HardwareOffloadCapabilities is NULL; current-vs-hardware rules not run"))
    if ctx.keywords is not None and d is not None:
        out.extend(_r49(d, ctx.keywords))
        out.extend(resolve_keywords(ctx.keywords).findings)
    return out


def _r49(d: Subject, keywords: Mapping) -> Findings:
    """R49: the default configuration derives from the keywords: it must not enable what they disable."""
    out = Findings()
    state = resolve_keywords(keywords)
    if not state.masks or not d.ipsecv2_reported:
        return out
    # with both keywords present, which one is in force is R51's reverse-engineered precedence; a verdict the
    # other keyword would reverse rests on it, so it is said and capped like every RE finding (base.finding)
    other = KEYWORD_V2_IPV4 if state.keyword == KEYWORD_V2 else None
    other_raw = find_keyword(keywords, other)[1] if other else None
    other_allows = None
    if other_raw is not None:
        try:
            other_allows = dict(zip(("Ah", "Esp"), keyword_protocols(parse_keyword_value(other, other_raw))))
        except InputError:  # not a number: it would allow nothing a reader could name, so it reverses nothing
            other_allows = None
    for proto, allowed in (("Ah", state.ah), ("Esp", state.esp)):
        if d.on(f"IPsecV2.{proto}") and not allowed:
            key, raw = find_keyword(keywords, state.keyword)
            msg = (f"DefaultOffloadConfiguration has {proto} = TRUE although {state.keyword} = {raw!r} disables it; "
                   "the miniport must derive its default configuration from the standardized keywords.")
            basis = None
            members = (f"DefaultOffloadConfiguration->IPsecV2.{proto}", state.keyword)
            if other_allows is not None and other_allows[proto]:
                msg += (f" This holds with {state.keyword} in force because it wins over {other} = {other_raw!r}, "
                        f"which would allow {proto} (R51, reverse-engineered).")
                basis = "DOC/RE"
                members += (other,)
            out.append(finding("R49", msg, members, basis=basis, structure=ATTRIBUTES))
    return out
