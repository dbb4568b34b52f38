"""Checks on one ``NDIS_OFFLOAD`` (and on a bare ``NDIS_IPSEC_OFFLOAD_V2`` block), rule book §14 steps 1–4.

Member paths of the IPsecV2 block are written without the ``IPsecV2.`` prefix below and prefixed by
:func:`_v2` according to the subject (whole NDIS_OFFLOAD or bare block).
"""

from __future__ import annotations

from ..codec import bytes_summary, object_type_value
from ..layouts import layout, ndis_key
from ..sources import anchor
from . import const
from .registry import F, Skip, check
from .subjects import IPSECV2_BLOCK, OFFLOAD, Subject

# The member names that say "this sub-structure reports a capability" (R14). Encapsulation itself, option
# qualifiers (IpOptionsSupported, TcpOptions, …) and counts such as MinSegmentCount do not.
_CAPABILITY_NAMES = {"TcpChecksum", "UdpChecksum", "IpChecksum", "MaxOffLoadSize", "Ah", "Esp", "Md5", "Sha_1",
                     "Des", "TripleDes", "NullEsp"}
# R5 and R32: NDIS 6.30 (object revision 3) is where v1 stops being supported and the coexistence bits
# are defined (tests/spec/ipsecov2-rules.md R5, R32; tests/spec/constants.md §7).
NDIS_630 = "6.30"


def header_type_finding(rule: str, s: Subject):
    """The finding (or None) for a Header.Type that is not the structure's NDIS_OBJECT_TYPE_* value;
    R8, R59 and R85 all start with it."""
    lay = s.layout
    want = object_type_value(lay)
    if s.get("Header.Type") != want:
        return F(rule, s, f"Header.Type is {hx(s.get('Header.Type'))}; {s.structure} carries {lay.object_type} "
                          f"({hx(want)}).", "Header.Type")
    return None


def header_findings(rule: str, s: Subject):
    """Type, revision and size of a versioned structure's header (R8 for NDIS_OFFLOAD, R59 for
    NDIS_OFFLOAD_PARAMETERS): a revision it does not have, or a Size below that revision's NDIS_SIZEOF."""
    if not s.header_given:
        yield Skip("no Header.* members given")
        return
    lay = s.layout
    bad_type = header_type_finding(rule, s)
    if bad_type:
        yield bad_type
    revs = [r.revision for r in lay.revisions]
    if s.revision not in revs:
        yield F(rule, s, f"Header.Revision {s.revision} is not a {s.structure} revision "
                         f"({revs[0]}..{revs[-1]}).", "Header.Revision")
        return
    need = lay.revision_size(s.revision)
    size = s.declared_size if s.declared_size is not None else s.size
    if s.truncated:
        yield F(rule, s, f"The buffer ({len(s.data)} bytes) is shorter than Header.Size ({size}): the object is "
                         f"cut short, and members past byte {len(s.data)} were not read.", "Header.Size")
    if (size or 0) < need:
        yield F(rule, s, f"Header.Size {size} is smaller than {lay.revision(s.revision).size_constant} "
                         f"({need}) for revision {s.revision}.", "Header.Size", "Header.Revision")


def hx(v) -> str:
    """A member value for messages: TRUE/FALSE for a bool, hex for an int, repr otherwise."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return f"0x{v:X}"
    return repr(v)


def _v2(s: Subject, *names: str) -> tuple[str, ...]:
    pre = "IPsecV2." if s.structure == OFFLOAD else ""
    return tuple(pre + n for n in names)


def _g(s: Subject, name: str):
    return s.get(_v2(s, name)[0])


def _on(s: Subject, name: str) -> bool:
    return s.on(_v2(s, name)[0])


def _rev_ndis(s: Subject) -> str | None:
    try:
        return s.layout.revision(s.revision).ndis
    except (KeyError, TypeError):
        return None


# ---------------------------------------------------------------------------------------------------
# 1. container

@check("R8", OFFLOAD)
def _r8(s: Subject, ctx):
    yield from header_findings("R8", s)


@check("R9", OFFLOAD)
def _r9(s: Subject, ctx):
    if not s.header_given:
        return
    if s.ipsecv2_reported:
        return
    carried = sorted(p for p in s.beyond if p.startswith("IPsecV2."))
    end = s.layout.field("IPsecV2").end
    if carried:
        yield F("R9", s, f"The object is revision {s.revision} with Header.Size {s.size}, so it has no IPsecV2 "
                         f"block (that needs revision ≥ 2 and Size ≥ {end}), yet IPsecV2 values were supplied "
                         f"({', '.join(carried[:4])}{' …' if len(carried) > 4 else ''}). NDIS ignores them; "
                         "the block is 'not reported'.", "Header.Revision", "Header.Size", *carried)
    elif s.revision not in [r.revision for r in s.layout.revisions]:
        yield Skip(f"Header.Revision {s.revision} is no NDIS_OFFLOAD revision (R8); IPsecV2 checks not run")
    elif s.truncated and (s.declared_size or 0) >= end:
        yield Skip(f"the {len(s.data)}-byte buffer ends before the IPsecV2 block (Header.Size {s.declared_size}); "
                   "IPsecV2 checks not run")
    else:
        yield Skip(f"IPsecV2 not reported (revision {s.revision}, Size {s.size}); IPsecV2 checks not run")


@check("R10", OFFLOAD)
def _r10(s: Subject, ctx):
    if not s.header_given or s.revision not in [r.revision for r in s.layout.revisions]:
        return
    lay = s.layout
    need = lay.revision_size(s.revision)
    if (s.size or 0) > need:
        extra = s.decoded.beyond if s.decoded is not None else b""
        what = ""
        if extra:
            content = bytes_summary(extra)
            what = (f" The {len(extra)} byte(s) at offsets {need}..{need + len(extra) - 1} are not members of "
                    f"revision {s.revision} and are not checked ({content}).")
        yield F("R10", s, f"Header.Size {s.size} is larger than {lay.revision(s.revision).size_constant} "
                          f"({need}). Readers accept it, but a writer sets exactly the macro value.{what}",
                "Header.Size")
    if ctx.ndis:
        fitting = [r for r in lay.revisions if ndis_key(r.ndis) <= ndis_key(ctx.ndis)]
        if fitting:
            want = fitting[-1]
            if want.revision != s.revision:
                yield F("R10", s, f"An NDIS {ctx.ndis} writer uses revision {want.revision} "
                                  f"({want.size_constant} = {want.size}), not revision {s.revision}.",
                        "Header.Revision")


@check("R11", OFFLOAD)
def _r11(s: Subject, ctx):
    ndis = _rev_ndis(s) if s.header_given else None
    if ndis is None:
        return
    for m in s.layout.leaves:
        if m.path.startswith("Header.") or not m.added_in_ndis or m.end > (s.size or 0):
            continue
        # bits named only in a later revision are not "reported" by an object of this revision (the
        # model keeps them aside, in Subject.beyond), but they lie inside Header.Size
        v = s.values.get(m.path) or s.beyond.get(m.path)
        if v and ndis_key(m.added_in_ndis) > ndis_key(ndis):
            yield F("R11", s, f"{m.path} = {hx(v)} is named only from NDIS {m.added_in_ndis}, but revision "
                              f"{s.revision} stands for NDIS {ndis}; older readers see unnamed bits. "
                              "(Flags bits are checked by R32.)", m.path)


@check("R12", OFFLOAD, IPSECV2_BLOCK)
def _r12(s: Subject, ctx):
    d = s.decoded
    if d is not None:
        for off, raw in d.nonzero_padding:
            yield F("R12", s, f"Padding at offset 0x{off:X} ({off}) holds {raw.hex(' ')}; it is written as zero "
                              "and ignored when read.")
        for off, _mask, found in d.unnamed_bits:
            owner = [m.path for m in s.layout.leaves if m.kind == "bitfield" and m.offset == off][:1]
            yield F("R12", s, f"Unnamed bits 0x{found:08X} of the bit-field word at offset 0x{off:X} ({off}) "
                              "are set; they are written as zero.", *owner)
    for m in s.layout.leaves:
        if m.name.startswith("Reserved") and s.on(m.path):
            yield F("R12", s, f"{m.path} = {hx(s.get(m.path))}; reserved members are written as zero.", m.path,
                    basis="HDR")


@check("R13", OFFLOAD, IPSECV2_BLOCK)
def _r13(s: Subject, ctx):
    odd = dict(s.decoded.odd_booleans) if s.decoded is not None else {}
    for m in s.layout.leaves:
        v = s.values.get(m.path)
        if m.is_boolean and isinstance(v, int) and not isinstance(v, bool) and v > 1:
            odd.setdefault(m.path, v)
    for path, v in sorted(odd.items()):
        yield F("R13", s, f"BOOLEAN {path} holds 0x{v:02X}; it is read as TRUE, but a BOOLEAN holds 0 or 1.", path)


# ---------------------------------------------------------------------------------------------------
# 2. encapsulation

def _encap_groups(s: Subject):
    """(group root, Encapsulation path, capability paths) for every sub-structure with an Encapsulation."""
    lay = s.layout
    for m in lay.leaves:
        if m.name != "Encapsulation" or m.domain != "NDIS_ENCAPSULATION" or m.path not in s.values:
            continue
        root = m.path.rsplit(".", 1)[0] if "." in m.path else ""
        if root.endswith(".Supported"):  # IPsecV1.Supported.Encapsulation covers IPsecV1.IPv4AH/ESP
            root = root.rsplit(".", 1)[0]
        pre = root + "." if root else ""
        caps = [x.path for x in lay.leaves if x.path.startswith(pre) and x.name in _CAPABILITY_NAMES]
        yield root or "IPsecV2", m.path, caps


@check("R14", OFFLOAD, IPSECV2_BLOCK)
def _r14(s: Subject, ctx):
    ieee = const.value("NDIS_ENCAPSULATION_IEEE_802_3")
    for root, enc_path, caps in _encap_groups(s):
        if root.startswith("IPsecV2") and not s.ipsecv2_reported:
            continue
        enc = s.get(enc_path)
        reporting = [c for c in caps if s.on(c)]
        if (reporting or enc) and not enc & ieee:
            what = (f"reports {', '.join(c.rsplit('.', 1)[-1] for c in reporting)}" if reporting
                    else f"names framings {const.name_of('NDIS_ENCAPSULATION', enc)}")
            yield F("R14", s, f"{root} {what} but its Encapsulation {hx(enc)} lacks NDIS_ENCAPSULATION_IEEE_802_3 "
                              f"({hx(ieee)}); every offload must be offered with 802.3.", enc_path, *reporting)


# ---------------------------------------------------------------------------------------------------
# 3. IPsecV2 members

V2 = dict(needs_ipsecv2=True)


@check("R34", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r34(s: Subject, ctx):
    if (_on(s, "Ah") or _on(s, "Esp")) and not _on(s, "Tunnel"):
        yield F("R34", s, "AH or ESP is offered but Tunnel is FALSE; the DDI page requires Tunnel = TRUE to "
                          "support IPsec task offload. (Teaching note: the Linux ixgbe driver offloads transport "
                          "mode only (ixgbe_ipsec_add_sa in ixgbe_ipsec.c, listed in "
                          f"{anchor('adapters')}), so real hardware conflicts with this rule.)",
                *_v2(s, "Tunnel", "Ah", "Esp"))


@check("R35", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r35(s: Subject, ctx):
    if _on(s, "AhEspCombined") and not (_on(s, "Ah") and _on(s, "Esp")):
        yield F("R35", s, "AhEspCombined is TRUE but Ah and Esp are not both TRUE; AH+ESP on one packet needs "
                          "both single capabilities.", *_v2(s, "AhEspCombined", "Ah", "Esp"))


@check("R36", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r36(s: Subject, ctx):
    if _on(s, "TransportTunnelCombined") and not (_on(s, "Transport") and _on(s, "Tunnel")):
        yield F("R36", s, "TransportTunnelCombined is TRUE but Transport and Tunnel are not both TRUE.",
                *_v2(s, "TransportTunnelCombined", "Transport", "Tunnel"))


@check("R37", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r37(s: Subject, ctx):
    if _on(s, "Ah") and not _g(s, "AuthenticationAlgorithms"):
        yield F("R37", s, "Ah is TRUE but AuthenticationAlgorithms is 0: AH needs at least one integrity "
                          "algorithm.", *_v2(s, "Ah", "AuthenticationAlgorithms"))
    if _on(s, "Esp") and not _g(s, "EncryptionAlgorithms"):
        yield F("R37", s, "Esp is TRUE but EncryptionAlgorithms is 0: ESP needs at least one encryption bit "
                          "(IPSEC_OFFLOAD_V2_ENCRYPTION_NONE counts only with an integrity algorithm, R38).",
                *_v2(s, "Esp", "EncryptionAlgorithms"))


@check("R38", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r38(s: Subject, ctx):
    none = const.value("IPSEC_OFFLOAD_V2_ENCRYPTION_NONE")
    if _g(s, "EncryptionAlgorithms") & none and not _g(s, "AuthenticationAlgorithms"):
        yield F("R38", s, "EncryptionAlgorithms offers IPSEC_OFFLOAD_V2_ENCRYPTION_NONE but no integrity "
                          "algorithm is offered; a packet must always carry authentication.",
                *_v2(s, "EncryptionAlgorithms", "AuthenticationAlgorithms"))


@check("R39", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r39(s: Subject, ctx):
    for name, grp in (("AuthenticationAlgorithms", "IPSEC_OFFLOAD_V2_AUTHENTICATION"),
                      ("EncryptionAlgorithms", "IPSEC_OFFLOAD_V2_ENCRYPTION"), ("UdpEsp", "IPSEC_OFFLOAD_V2_UDP_ESP")):
        v, mask = _g(s, name), const.group_mask(grp)
        if v & ~mask:
            yield F("R39", s, f"{name} = {hx(v)} has undefined bits 0x{v & ~mask:X} (defined mask {hx(mask)}).",
                    *_v2(s, name))


@check("R40", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r40(s: Subject, ctx):
    if _on(s, "Ah") or _on(s, "Esp"):
        return
    lay = layout(IPSECV2_BLOCK)
    left = [m.path for m in lay.leaves if m.path not in ("Ah", "Esp") and _on(s, m.path)]
    if left:
        yield F("R40", s, f"Neither Ah nor Esp is TRUE, yet {', '.join(left)} "
                          f"{'is' if len(left) == 1 else 'are'} set; without a protocol these mean nothing "
                          "(NDIS zeroes the whole block when both are disabled by keyword).", *_v2(s, *left))


@check("R41", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r41(s: Subject, ctx):
    if (_on(s, "Ah") or _on(s, "Esp")) and not (_on(s, "Transport") or _on(s, "Tunnel")):
        yield F("R41", s, "AH or ESP is offered but neither Transport nor Tunnel is TRUE; at least one mode is "
                          "needed.", *_v2(s, "Transport", "Tunnel"))


@check("R42", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r42(s: Subject, ctx):
    if _on(s, "IPv6NonIPsecExtensionHeaders") and not _on(s, "IPv6Supported"):
        yield F("R42", s, "IPv6NonIPsecExtensionHeaders is TRUE but IPv6Supported is FALSE; extension headers "
                          "are an IPv6 feature.", *_v2(s, "IPv6NonIPsecExtensionHeaders", "IPv6Supported"))


_LSO_ENCAPS = ("LsoV1.IPv4.Encapsulation", "LsoV2.IPv4.Encapsulation", "LsoV2.IPv6.Encapsulation")


@check("R43", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r43(s: Subject, ctx):
    if not _on(s, "LsoSupported"):
        return
    if s.structure == OFFLOAD:
        lso = s
    elif ctx.offload is not None:
        lso = ctx.offload
    else:
        yield Skip("LsoSupported is TRUE but a bare IPsecV2 block has no LSO members to compare "
                   "(pass context={'offload': ...})")
        return
    if not any(lso.on(p) for p in _LSO_ENCAPS):
        yield F("R43", s, "LsoSupported is TRUE but no LSO capability (LsoV1.IPv4, LsoV2.IPv4, LsoV2.IPv6) is "
                          "reported in the same NDIS_OFFLOAD; LsoSupported only extends reported LSO to IPsec.",
                *_v2(s, "LsoSupported"), *(p for p in _LSO_ENCAPS if s.structure == OFFLOAD))


@check("R44", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r44(s: Subject, ctx):
    if (_on(s, "Ah") or _on(s, "Esp")) and not _g(s, "SaOffloadCapacity"):
        yield F("R44", s, "AH or ESP is offered but SaOffloadCapacity is 0; the adapter must hold at least one "
                          "SA bundle.", *_v2(s, "SaOffloadCapacity"))


@check("R45", OFFLOAD, IPSECV2_BLOCK, **V2)
def _r45(s: Subject, ctx):
    u = _g(s, "UdpEsp")
    if not u:
        return
    if not _on(s, "Esp"):
        yield F("R45", s, f"UdpEsp = {hx(u)} but Esp is FALSE; UDP-encapsulated ESP needs ESP.",
                *_v2(s, "UdpEsp", "Esp"))
    needs = (("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT", ("Transport",)),
             ("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL", ("Tunnel",)),
             ("IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL", ("TransportTunnelCombined",)),
             ("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL", ("TransportTunnelCombined",)))
    for name, modes in needs:
        if u & const.value(name):
            missing = [m for m in modes if not _on(s, m)]
            if missing:
                yield F("R45", s, f"UdpEsp has {name} but {', '.join(missing)} is FALSE.", *_v2(s, "UdpEsp", *missing))


@check("R5", OFFLOAD)
def _r5(s: Subject, ctx):
    ndis = _rev_ndis(s) if s.header_given else None
    if ndis is None or ndis_key(ndis) < ndis_key(NDIS_630):
        return
    v1 = [m.path for m in s.layout.leaves if m.path.startswith("IPsecV1.") and s.on(m.path)]
    if v1:
        yield F("R5", s, f"Revision {s.revision} (NDIS {ndis}) still reports IPsec offload v1 capabilities "
                         f"({', '.join(v1[:3])}{' …' if len(v1) > 3 else ''}); Windows 8 and later do not support "
                         "v1 — report v2 instead.", *v1)


# ---------------------------------------------------------------------------------------------------
# 4. Flags

def _coexistence_bits() -> dict[str, int]:
    return {n: const.value(n) for n in ("IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE",
                                         "IPSEC_OFFLOAD_V2_AND_UDP_CHECKSUM_COEXISTENCE")}


@check("R32", OFFLOAD)
def _r32(s: Subject, ctx):
    flags = s.get("Flags")
    mask = const.group_mask("NDIS_OFFLOAD_FLAGS")
    if flags & ~mask:
        yield F("R32", s, f"Flags = {hx(flags)} has undefined bits 0x{flags & ~mask:X} (defined: {hx(mask)}).",
                "Flags")
    ndis = _rev_ndis(s) if s.header_given else None
    coex = [n for n, b in _coexistence_bits().items() if flags & b]
    if coex and ndis is not None and ndis_key(ndis) < ndis_key(NDIS_630):
        yield F("R32", s, f"Flags has {' and '.join(coex)}, defined only from NDIS 6.30 (revision 3), in a "
                          f"revision-{s.revision} object (NDIS {ndis}).", "Flags", "Header.Revision")


@check("R33", OFFLOAD)
def _r33(s: Subject, ctx):
    flags = s.get("Flags")
    bits = _coexistence_bits()
    lay = s.layout
    for name, leaf in (("IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE", "TcpChecksum"),
                       ("IPSEC_OFFLOAD_V2_AND_UDP_CHECKSUM_COEXISTENCE", "UdpChecksum")):
        if not flags & bits[name]:
            continue
        ipsec = s.ipsecv2_reported and (s.on("IPsecV2.Ah") or s.on("IPsecV2.Esp"))
        cks = [m.path for m in lay.leaves if m.path.startswith("Checksum.") and m.name == leaf]
        if not ipsec:
            yield F("R33", s, f"Flags has {name} but IPsecV2 offers neither AH nor ESP.", "Flags",
                    "IPsecV2.Ah", "IPsecV2.Esp")
        if not any(s.on(p) for p in cks):
            yield F("R33", s, f"Flags has {name} but no Checksum.*.{leaf} is reported.", "Flags", *cks)
