"""Checks on the SA structures ADD_SA, ADD_SA_EX, DELETE_SA and UPDATE_SA (rule book §9–§11).

``ctx.current`` (a Subject of the adapter's current NDIS_OFFLOAD) enables the rules that compare an SA with
what is enabled now; without it those checks are reported as skipped.
"""

from __future__ import annotations

from . import const
from .checks_offload import header_type_finding, hx
from .registry import F, Skip, check

ADD = ("IPSEC_OFFLOAD_V2_ADD_SA", "IPSEC_OFFLOAD_V2_ADD_SA_EX")
ALL = ADD + ("IPSEC_OFFLOAD_V2_DELETE_SA", "IPSEC_OFFLOAD_V2_UPDATE_SA")
_ALGOS = ("AuthenticationAlgorithm", "EncryptionAlgorithm")
_ALGO_FIELDS = ("Identifier", "KeyLength", "KeyOffsetBytes", "AdditionalInfo")


def used_elements(s) -> list[int]:
    """Indexes of the SecAssoc[] elements that NumExtHdrs says are in use (at most the array length)."""
    n = s.get("NumExtHdrs")
    count = const.value("IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS")
    return list(range(min(n, count)))


def _algo_zero(s, i: int, algo: str) -> bool:
    return not any(s.get(f"SecAssoc[{i}].{algo}.{f}") for f in _ALGO_FIELDS)


def _cur(ctx):
    c = ctx.current
    return c if c is not None and c.ipsecv2_reported else None


@check("R85", *ALL)
def _r85(s, ctx):
    if not s.header_given:
        yield Skip("no Header.* members given")
        return
    lay = s.layout
    bad_type = header_type_finding("R85", s)
    if bad_type:
        yield bad_type
    rev = lay.latest_revision
    if s.revision != rev:
        # R85's check downgrades only the Size to a warning; a wrong Revision keeps the rule's error
        yield F("R85", s, f"Header.Revision is {s.revision}; {s.structure} has only revision {rev}.",
                "Header.Revision")
    macro = lay.revision_size(rev)
    size = s.declared_size if s.declared_size is not None else s.size  # as the field holds it
    if s.truncated:
        yield F("R85", s, f"The buffer ({len(s.data)} bytes) is shorter than Header.Size ({size}): the structure "
                          "is cut short.", "Header.Size")
    if size not in (macro, lay.sizeof):
        yield F("R85", s, f"Header.Size is {size}; on {s.arch} it should be {lay.revision(rev).size_constant} "
                          f"({macro}), and readers also accept sizeof ({lay.sizeof}).", "Header.Size",
                severity="warning")


@check("R89", *ADD)
def _r89(s, ctx):
    n = s.get("NumExtHdrs")
    top = const.value("IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS")
    if not 1 <= n <= top:
        yield F("R89", s, f"NumExtHdrs is {n}; it is 1 (AH, ESP or UDP-ESP) or {top} (AH combined with ESP).",
                "NumExtHdrs")
        return
    if n == top:
        cur = _cur(ctx)
        if cur is None:
            yield Skip("NumExtHdrs = 2 needs AhEspCombined in the current configuration (context current=)")
        elif not cur.on("IPsecV2.AhEspCombined"):
            yield F("R89", s, "NumExtHdrs is 2 (AH with ESP) but the current configuration has AhEspCombined = "
                              "FALSE.", "NumExtHdrs", severity="warning")


@check("R90", *ADD)
def _r90(s, ctx):
    if s.get("NumExtHdrs") != const.value("IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS"):
        return
    esp, ah = const.value("IPsecOffloadV2Esp"), const.value("IPsecOffloadV2Ah")
    ops = (s.get("SecAssoc[0].Operation"), s.get("SecAssoc[1].Operation"))
    if ops != (esp, ah):
        yield F("R90", s, f"SecAssoc[] is processed in order; the only allowed pair is ESP then AH "
                          f"(IPsecOffloadV2Esp = {esp}, IPsecOffloadV2Ah = {ah}), got {ops[0]} then {ops[1]}.",
                "SecAssoc[0].Operation", "SecAssoc[1].Operation")


@check("R91", *ADD)
def _r91(s, ctx):
    flags = s.get("Flags")
    inbound, ipv6 = const.value("IPSEC_OFFLOAD_V2_INBOUND"), const.value("IPSEC_OFFLOAD_V2_IPv6")
    if flags & ~(inbound | ipv6):
        yield F("R91", s, f"Flags = {hx(flags)} has undefined bits 0x{flags & ~(inbound | ipv6):X} (defined: "
                          f"IPSEC_OFFLOAD_V2_INBOUND {hx(inbound)}, IPSEC_OFFLOAD_V2_IPv6 {hx(ipv6)}).", "Flags",
                basis="DOC/HDR")
    if flags & ipv6:
        cur = _cur(ctx)
        if cur is None:
            yield Skip("IPv6 SA: IPv6Supported needs context current=")
        elif not cur.on("IPsecV2.IPv6Supported"):
            yield F("R91", s, "Flags has IPSEC_OFFLOAD_V2_IPv6 but the current configuration has IPv6Supported = "
                              "FALSE.", "Flags", basis="INF")


@check("R93", *ADD, "IPSEC_OFFLOAD_V2_UPDATE_SA")
def _r93(s, ctx):
    valid = {const.value("IPsecOffloadV2Ah"), const.value("IPsecOffloadV2Esp")}
    paths = ["Operation"] if s.structure.endswith("UPDATE_SA") else [f"SecAssoc[{i}].Operation"
                                                                    for i in used_elements(s)]
    for p in paths:
        if s.get(p) not in valid:
            yield F("R93", s, f"{p} is {s.get(p)}; it must be IPsecOffloadV2Ah ({min(valid)}) or IPsecOffloadV2Esp "
                              f"({max(valid)}) (IPsecOffloadV2Max is reserved for NDIS).", p)


@check("R94", *ADD)
def _r94(s, ctx):
    ah, esp = const.value("IPsecOffloadV2Ah"), const.value("IPsecOffloadV2Esp")
    for i in used_elements(s):
        op = s.get(f"SecAssoc[{i}].Operation")
        if op == ah:
            if not _algo_zero(s, i, "EncryptionAlgorithm"):
                yield F("R94", s, f"SecAssoc[{i}] is AH, but its EncryptionAlgorithm is not all zeros.",
                        *(f"SecAssoc[{i}].EncryptionAlgorithm.{f}" for f in _ALGO_FIELDS
                          if s.on(f"SecAssoc[{i}].EncryptionAlgorithm.{f}")))
            if not s.get(f"SecAssoc[{i}].AuthenticationAlgorithm.Identifier"):
                yield F("R94", s, f"SecAssoc[{i}] is AH but names no integrity algorithm.",
                        f"SecAssoc[{i}].AuthenticationAlgorithm.Identifier")
        elif op == esp and not (s.get(f"SecAssoc[{i}].AuthenticationAlgorithm.Identifier")
                                or s.get(f"SecAssoc[{i}].EncryptionAlgorithm.Identifier")):
            yield F("R94", s, f"SecAssoc[{i}] is ESP but names neither an integrity nor an encryption algorithm.",
                    f"SecAssoc[{i}].AuthenticationAlgorithm.Identifier",
                    f"SecAssoc[{i}].EncryptionAlgorithm.Identifier")


@check("R95", *ADD)
def _r95(s, ctx):
    gcm = const.members_named("IPSEC_OFFLOAD_V2_ENCRYPTION", "AES_GCM")
    for i in used_elements(s):
        ident = s.get(f"SecAssoc[{i}].EncryptionAlgorithm.Identifier")
        if ident and ident & gcm and not _algo_zero(s, i, "AuthenticationAlgorithm"):
            yield F("R95", s, f"SecAssoc[{i}] uses combined-mode {const.name_of('IPSEC_OFFLOAD_V2_ENCRYPTION', ident)}"
                              ", which carries its own integrity check; its AuthenticationAlgorithm should be "
                              "all zeros.", f"SecAssoc[{i}].EncryptionAlgorithm.Identifier",
                    f"SecAssoc[{i}].AuthenticationAlgorithm.Identifier")


@check("R96", *ADD)
def _r96(s, ctx):
    cur = _cur(ctx)
    for i in used_elements(s):
        for algo, grp, mask in (("AuthenticationAlgorithm", "IPSEC_OFFLOAD_V2_AUTHENTICATION",
                                 "IPsecV2.AuthenticationAlgorithms"),
                                ("EncryptionAlgorithm", "IPSEC_OFFLOAD_V2_ENCRYPTION", "IPsecV2.EncryptionAlgorithms")):
            p = f"SecAssoc[{i}].{algo}.Identifier"
            ident = s.get(p)
            if not ident:
                continue
            if ident & (ident - 1) or ident & ~const.group_mask(grp):
                yield F("R96", s, f"{p} = {hx(ident)} is not exactly one {grp} value.", p, basis="DOC")
            elif cur is not None and not ident & cur.get(mask):
                yield F("R96", s, f"{p} = {const.name_of(grp, ident)} is not enabled in the current "
                                  f"configuration ({mask} = {hx(cur.get(mask))}).", p, mask, basis="INF")
    if cur is None and used_elements(s):
        yield Skip("algorithms not compared with the current configuration (context current=)")


@check("R97", *ADD)
def _r97(s, ctx):
    total = s.get("KeyLength")
    for i in used_elements(s):
        for algo in _ALGOS:
            kl, ko = s.get(f"SecAssoc[{i}].{algo}.KeyLength"), s.get(f"SecAssoc[{i}].{algo}.KeyOffsetBytes")
            if kl and ko + kl > total:
                yield F("R97", s, f"SecAssoc[{i}].{algo}: key at offset {ko}, length {kl} runs past the key area "
                                  f"(KeyLength {total}).", f"SecAssoc[{i}].{algo}.KeyOffsetBytes",
                        f"SecAssoc[{i}].{algo}.KeyLength", "KeyLength")
    lay = s.layout
    if s.structure.endswith("_EX"):
        fixed = lay.revision_size(lay.latest_revision)
        if total and s.get("KeyOffset") < fixed:
            yield F("R97", s, f"KeyOffset {s.get('KeyOffset')} points inside the fixed part of ADD_SA_EX "
                              f"({fixed} bytes on {s.arch}).", "KeyOffset")
        start = s.get("KeyOffset")
    else:
        start = lay.field("KeyData").offset
    if s.data is not None and total and start + total > len(s.data):
        yield F("R97", s, f"The key area ({total} bytes from offset {start}) runs past the {len(s.data)} bytes "
                          "supplied.", "KeyLength", basis="INF")


@check("R98", "IPSEC_OFFLOAD_V2_ADD_SA_EX")
def _r98(s, ctx):
    for p in ("SourceSwitchPortId", "VlanId"):
        if s.on(p):
            yield F("R98", s, f"{p} = {s.get(p)} is reserved; write 0.", p)


@check("R99", *ADD)
def _r99(s, ctx):
    u = s.get("UdpEspEncapsulation")
    if not u:
        return
    if u & (u - 1):
        yield F("R99", s, f"UdpEspEncapsulation = {const.name_of('IPSEC_OFFLOAD_V2_UDP_ESP', u)} has more than one "
                          "subtype; a packet has exactly one.", "UdpEspEncapsulation", basis="INF")
    if s.get("NumExtHdrs") != 1:
        yield F("R99", s, f"A UDP-ESP SA uses NumExtHdrs = 1, not {s.get('NumExtHdrs')}.", "UdpEspEncapsulation",
                "NumExtHdrs", basis="DOC")
    cur = _cur(ctx)
    if cur is None:
        yield Skip("UdpEspEncapsulation not compared with the adapter's UdpEsp (context current=)")
    elif u & ~cur.get("IPsecV2.UdpEsp"):
        yield F("R99", s, f"UdpEspEncapsulation has 0x{u & ~cur.get('IPsecV2.UdpEsp'):X}, which the adapter does "
                          f"not report in UdpEsp ({hx(cur.get('IPsecV2.UdpEsp'))}).", "UdpEspEncapsulation",
                "IPsecV2.UdpEsp", basis="DOC")


@check("R109", *ADD)
def _r109(s, ctx):
    both = (const.value("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT")
            | const.value("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL"))
    if s.get("UdpEspEncapsulation") & both == both:
        yield F("R109", s, "UdpEspEncapsulation combines UDP-encapsulated transport with UDP-encapsulated tunnel; "
                           "a UDP-wrapped transport inside a UDP-wrapped tunnel is not a supported subtype.",
                "UdpEspEncapsulation")


@check("R112", *ADD)
def _r112(s, ctx):
    esn = const.value("IPSEC_OFFLOAD_V2_ESN_SA")
    for i in used_elements(s):
        f = s.get(f"SecAssoc[{i}].Flags")
        if f & ~esn:
            yield F("R112", s, f"SecAssoc[{i}].Flags = {hx(f)} has undefined bits 0x{f & ~esn:X} (only "
                               f"IPSEC_OFFLOAD_V2_ESN_SA {hx(esn)} is defined).", f"SecAssoc[{i}].Flags")


@check("R113", *ADD)
def _r113(s, ctx):
    esn = const.value("IPSEC_OFFLOAD_V2_ESN_SA")
    users = [i for i in used_elements(s) if s.get(f"SecAssoc[{i}].Flags") & esn]
    if not users:
        return
    cur = _cur(ctx)
    if cur is None:
        yield Skip("ESN SA: ExtendedSequenceNumbers needs context current=")
    elif not cur.on("IPsecV2.ExtendedSequenceNumbers"):
        yield F("R113", s, "An SA asks for extended sequence numbers (IPSEC_OFFLOAD_V2_ESN_SA) but the current "
                           "configuration has ExtendedSequenceNumbers = FALSE; expect ADD_SA to fail.",
                *(f"SecAssoc[{i}].Flags" for i in users), "IPsecV2.ExtendedSequenceNumbers")


@check("R87", *ADD)
def _r87(s, ctx):
    cur = _cur(ctx)
    if cur is None:
        return
    names = {const.value("IPsecOffloadV2Ah"): "Ah", const.value("IPsecOffloadV2Esp"): "Esp"}
    for i in used_elements(s):
        proto = names.get(s.get(f"SecAssoc[{i}].Operation"))
        if proto and not cur.on(f"IPsecV2.{proto}"):
            yield F("R87", s, f"SecAssoc[{i}] is {proto.upper()} but the current configuration has {proto} = FALSE; "
                              "the miniport may fail the request.", f"SecAssoc[{i}].Operation", f"IPsecV2.{proto}")
