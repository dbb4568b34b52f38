"""Can this security association be offloaded to this adapter? The requirements an SA puts on an adapter's
``NDIS_IPSEC_OFFLOAD_V2`` view, each with the rule of the rule book that states it, and one check per kind
of capture row.

>>> sa = SaRequest.parse(mode="tunnel", ipv6=True, encryption="AES_GCM_256")
>>> [(r.member, r.rule) for r in sa.requirements()][:3]
[('IPsecV2.Esp', 'R20'), ('IPsecV2.Tunnel', 'R87'), ('IPsecV2.IPv6Supported', 'R91')]

An SA (:class:`SaRequest`) needs: its protocol (``Esp`` R20, ``Ah`` R19, both together ``AhEspCombined``
R89), its mode (``Transport``/``Tunnel``, R87: ADD_SA may fail when the mode or algorithm is absent from the
current configuration), ``IPv6Supported`` for IPv6 addresses (R91), its algorithms as bits of the masks
(R96; in ``AuthenticationAlgorithms`` the ``AES_GCM_*`` names mean GMAC, R28), its UDP-ESP subtype in
``UdpEsp`` (R99) and the modes that subtype contains (R45), ``ExtendedSequenceNumbers`` for an ESN SA (R113)
and room for one more SA bundle, ``SaOffloadCapacity`` > 0 (R30 counts bundles; R87).

:data:`ROW_CHECKS` maps a capture's operating system (the fleet's ``os`` column; a frame without it holds
Windows captures) to the function that checks one row; :func:`check_windows_row` reads the members and
applies the INF keyword masking NDIS applies to the current view (R50, R51); :func:`check_linux_row` reads the
SA in xfrm terms (:data:`ipsecexplore.crossos.SA_TERMS`, inferred) and asks the interface's ``esp-hw-offload``
feature and its driver's row of the driver table (tests/spec/capture-formats.md §8), saying which outcomes
rest on the driver table. Linux offloads ESP only: an SA with AH cannot be offloaded there (§8.4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .columns import SA_CAPACITY, FlagColumn, flag_columns, keyword_column
from .crossos import linux_verdicts, sa_from_ndis
from .errors import InputError
from .rules.keywords import KEYWORDS, KeywordState, resolve_keywords

__all__ = ["SaRequest", "Requirement", "Outcome", "ROW_CHECKS", "check_windows_row", "check_linux_row",
           "linux_sa", "keyword_cause",
           "row_keywords", "MODES", "CAPACITY"]

MODES = ("transport", "tunnel")
#: The SA capacity member (:data:`ipsecexplore.columns.SA_CAPACITY`).
CAPACITY = SA_CAPACITY
_ENC, _AUTH, _UDP = "IPsecV2.EncryptionAlgorithms", "IPsecV2.AuthenticationAlgorithms", "IPsecV2.UdpEsp"


@dataclass(frozen=True)
class Requirement:
    """One thing an SA needs from an adapter: ``member`` (dotted path), ``bit`` (a flag of that mask member,
    None for a ``BOOLEAN``; for :data:`CAPACITY` the value must be > 0), ``rule`` (rule book id; for a Linux
    row, the section of tests/spec/capture-formats.md, and ``member`` the Linux column or driver-table field)
    and ``what`` (the part of the SA that needs it, e.g. ``tunnel mode``)."""

    member: str
    bit: int | None
    rule: str
    what: str
    name: str = ""  # the flag macro, for a mask bit


@dataclass(frozen=True)
class Outcome:
    """A requirement a row does not meet: ``state`` ``missing`` (known absent: the SA cannot be offloaded)
    or ``unknown`` (the capture cannot tell), and the ``reason`` naming the member and the rule. A check may
    also say what a requirement that is ``met`` rests on (a Linux row: the driver table). ``driver_table``:
    the outcome was read from the Linux driver table (:data:`ipsecexplore.crossos.DRIVERS`), not the capture."""

    requirement: Requirement
    state: str
    reason: str
    driver_table: bool = False


def _flag(member: str, value, param: str) -> FlagColumn | None:
    """The flag of ``member`` that ``value`` names: macro, short name (``AES_GCM_256``), label (``AES-GCM-256``)
    or its single-bit value; None for None."""
    if value is None:
        return None
    flags = flag_columns(member)
    if isinstance(value, int) and not isinstance(value, bool):
        hit = [f for f in flags if f.bit == value]
    else:
        key = str(value).strip().upper()
        hit = [f for f in flags if key in (f.macro, f.column.rsplit(".", 1)[1].upper(), f.label.upper())]
    if len(hit) != 1:
        raise InputError(f"{param}: not one {member} flag", path=param, actual=value,
                         expected="one of " + ", ".join(f.macro for f in flags))
    return hit[0]


@dataclass(frozen=True)
class SaRequest:
    """An SA to offload, as the transport would describe it in ADD_SA: protocols (``esp``, ``ah``), ``mode``,
    IPv6 addresses or not, algorithms (:class:`~ipsecexplore.columns.FlagColumn`), UDP-ESP subtype, ESN.
    Build it with :meth:`parse`, which checks the description against the SA rules."""

    esp: bool = True
    ah: bool = False
    mode: str = "transport"
    ipv6: bool = False
    encryption: FlagColumn | None = None
    authentication: FlagColumn | None = None
    udp_esp: FlagColumn | None = None
    esn: bool = False

    @classmethod
    def parse(cls, *, esp=True, ah=False, mode="transport", ipv6=False, encryption=None, authentication=None,
              udp_esp=None, esn=False) -> SaRequest:
        """Check and normalise an SA description; :class:`~ipsecexplore.errors.InputError` names the parameter
        (an SA needs AH or ESP; a UDP-ESP SA is ESP alone, R99; AES-GCM encryption carries its own integrity,
        so no separate authentication algorithm, R95)."""
        if mode not in MODES:
            raise InputError("mode must be 'transport' or 'tunnel'", path="mode", actual=mode)
        if not (esp or ah):
            raise InputError("an SA needs AH, ESP or both", path="esp", actual=esp)
        enc, auth = _flag(_ENC, encryption, "encryption"), _flag(_AUTH, authentication, "authentication")
        udp = _flag(_UDP, udp_esp, "udp_esp")
        if enc is not None and not esp:
            raise InputError("an encryption algorithm needs ESP (an AH element has none, R94)", path="encryption",
                             actual=encryption)
        if udp is not None and (ah or not esp):
            raise InputError("a UDP-ESP SA is ESP alone (NumExtHdrs = 1, R99)", path="udp_esp", actual=udp_esp)
        if enc is not None and auth is not None and "AES_GCM" in enc.macro:
            raise InputError("AES-GCM encryption carries its own integrity value; give no authentication "
                             "algorithm with it (R95)", path="authentication", actual=authentication)
        return cls(bool(esp), bool(ah), mode, bool(ipv6), enc, auth, udp, bool(esn))

    def describe(self) -> str:
        """E.g. ``IPv6 ESP SA, tunnel mode, AES-GCM-256``."""
        prot = "AH+ESP" if self.ah and self.esp else "AH" if self.ah else "ESP"
        parts = [f"{'IPv6' if self.ipv6 else 'IPv4'} {prot} SA", f"{self.mode} mode"]
        parts += [f.label for f in (self.encryption, self.authentication, self.udp_esp) if f is not None]
        return ", ".join(parts + (["ESN"] if self.esn else []))

    def requirements(self) -> list[Requirement]:
        """What the SA needs from an adapter, in rule-book terms (see the module docstring)."""
        out = []
        if self.esp:
            out.append(Requirement("IPsecV2.Esp", None, "R20", "ESP"))
        if self.ah:
            out.append(Requirement("IPsecV2.Ah", None, "R19", "AH"))
        if self.ah and self.esp:
            out.append(Requirement("IPsecV2.AhEspCombined", None, "R89", "AH and ESP in one bundle"))
        out.append(Requirement(f"IPsecV2.{self.mode.capitalize()}", None, "R87", f"{self.mode} mode"))
        if self.ipv6:
            out.append(Requirement("IPsecV2.IPv6Supported", None, "R91", "IPv6 addresses"))
        for f, what in ((self.encryption, "encryption"), (self.authentication, "integrity")):
            if f is not None:
                gmac = " (R28: AES_GCM_* in this mask means GMAC)" if f.member == _AUTH and "GCM" in f.macro else ""
                out.append(Requirement(f.member, f.bit, "R96", f"{f.label} {what}{gmac}", f.macro))
        if self.udp_esp is not None:
            u = self.udp_esp
            out.append(Requirement(u.member, u.bit, "R99", u.label, u.macro))
            out += [Requirement(m, None, "R45", u.label) for m in _udp_modes(u.bit)]
        if self.esn:
            out.append(Requirement("IPsecV2.ExtendedSequenceNumbers", None, "R113", "extended sequence numbers"))
        out.append(Requirement(CAPACITY, None, "R87", "one more SA bundle (R30)"))
        return out


def _udp_modes(bit: int) -> list[str]:
    """The modes a UDP-ESP subtype contains (R45: 0x1 transport, 0x2 tunnel, 0x4 and 0x8 both combined)."""
    return {1: ["IPsecV2.Transport"], 2: ["IPsecV2.Tunnel"]}.get(bit, ["IPsecV2.TransportTunnelCombined"])


# ------------------------------------------------------------------------------------------- keywords
def row_keywords(row: Mapping) -> dict:
    """``{keyword: value}`` of the IPsec offload v2 INF keywords a row carries (None values left out)."""
    out = {}
    for k in KEYWORDS:
        v = row.get(keyword_column(k))
        if v is not None:
            out[k] = int(v)
    return out


def keyword_cause(member: str, state: KeywordState) -> str | None:
    """Why NDIS's keyword masking (R50, R51) leaves ``member`` (or a flag of it) off in the current view, or
    None when the keywords do not explain it."""
    if not state.masks:
        return None
    kv = f"{state.keyword} = {state.value}"
    if not state.ah and not state.esp:
        return f"{kv} disables AH and ESP: NDIS zeroes the whole IPsecV2 block (R51)"
    if member == "IPsecV2.Ah" and not state.ah:
        return f"{kv} leaves AH disabled: NDIS clears Ah (R50, R51)"
    if member == "IPsecV2.Esp" and not state.esp:
        return f"{kv} leaves ESP disabled: NDIS clears Esp (R50, R51)"
    if member == "IPsecV2.IPv6Supported" and state.ipv4_only:
        return (f"{kv}: the IPv4-only keyword is in force (no *IPsecOffloadV2), so NDIS clears "
                "IPv6Supported (R51)")
    return None


# ------------------------------------------------------------------------------------------- row checks
def _has(value, req: Requirement) -> bool:
    if req.member == CAPACITY:
        return int(value) > 0
    return bool(int(value) & req.bit) if req.bit is not None else bool(value)


def _missing_text(value, req: Requirement) -> str:
    if req.member == CAPACITY:
        return f"{CAPACITY} is {int(value)}: no room for {req.what} ({req.rule})"
    if req.bit is not None:
        return f"{req.name} not in {req.member} (0x{int(value):X}), needed for {req.what} ({req.rule})"
    return f"{req.member} is FALSE, needed for {req.what} ({req.rule})"


def check_windows_row(row: Mapping, request: SaRequest, view: str) -> list[Outcome]:
    """The requirements of ``request`` that a Windows capture row (``{column: value}``, None = not captured)
    does not meet. In the ``current`` view the INF keywords are applied as NDIS applies them (R51): a member
    the keyword clears is missing whatever the row says."""
    state = resolve_keywords(row_keywords(row)) if view == "current" else KeywordState(None, None, False, True, True)
    if not any(row.get(m) is not None for m in _block_members(row)):
        req = Requirement("IPsecV2", None, "R9", "anything")
        return [Outcome(req, "unknown", "IPsecV2 not reported (R9): the capture holds no IPsecV2 member")]
    out = []
    for req in request.requirements():
        value = row.get(req.member)
        if keyword_cause(req.member, state) is not None:
            out.append(Outcome(req, "missing", f"{req.member} cleared by {state.keyword} = {state.value} (R51), "
                                               f"needed for {req.what} ({req.rule})"))
        elif value is None:
            out.append(Outcome(req, "unknown", f"{req.member} not captured: cannot tell whether it allows "
                                               f"{req.what} ({req.rule})"))
        elif not _has(value, req):
            out.append(Outcome(req, "missing", _missing_text(value, req)))
    return out


def _block_members(row: Mapping) -> list[str]:
    return [k for k in row if isinstance(k, str) and k.startswith("IPsecV2.") and k.count(".") == 1]


def linux_sa(request: SaRequest) -> tuple[dict, list]:
    """``request`` as an xfrm SA (the SA mapping of :func:`ipsecexplore.crossos.linux_can_offload`) and the
    :data:`ipsecexplore.crossos.SA_TERMS` rows that translate it (every one inferred or without a Linux
    notion; tests/spec/capture-formats.md §8.4)."""
    macro = [f.macro if f is not None else None for f in (request.encryption, request.authentication,
                                                            request.udp_esp)]
    return sa_from_ndis(esp=request.esp, ah=request.ah, mode=request.mode, ipv6=request.ipv6,
                        encryption=macro[0], authentication=macro[1], udp_esp=macro[2], esn=request.esn)


def check_linux_row(row: Mapping, request: SaRequest, view: str) -> list[Outcome]:
    """What stands between ``request`` and a Linux capture row (``os`` = ``linux``), in the same
    :class:`Outcome` shape as :func:`check_windows_row`: the SA is read in xfrm terms (:func:`linux_sa`), then
    checked against the row's ``esp-hw-offload`` feature (the capture) and its driver's row of the driver table
    (:func:`ipsecexplore.crossos.linux_verdicts`). Each outcome's ``requirement.member`` is the Linux column or
    driver-table field (``ethtool.esp-hw-offload``, ``ixgbe.modes`` …) and its rule the section of
    tests/spec/capture-formats.md; ``met`` outcomes say what a favourable answer rests on. ``view`` is the
    row's own (hardware: the feature can be on; current: it is on)."""
    sa, terms = linux_sa(request)
    said = ", ".join(f"{t.ndis} -> {t.key} {t.value}" for t in terms if t.key not in ("offload",))
    out = [Outcome(Requirement("xfrm SA", None, "§8.4", "the SA in Linux terms"), "met",
                   f"as an xfrm SA (inferred, tests/spec/capture-formats.md §8.4): {said}, crypto offload")]
    for v in linux_verdicts(row, sa):
        req = Requirement(v.notion, None, v.section, request.describe())
        out.append(Outcome(req, v.state, v.reason, v.driver_table))
    return out


#: Row check per operating system (the fleet's ``os`` column, lower case; ``windows`` when it is absent).
ROW_CHECKS: dict[str, Callable[[Mapping, SaRequest, str], list[Outcome]]] = {"windows": check_windows_row,
                                                                              "linux": check_linux_row}
