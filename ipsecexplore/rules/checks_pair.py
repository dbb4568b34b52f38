"""Hardware capabilities versus current configuration (rule book §5: R48, R57).

Registered under the pseudo-structure ``pair``: the subject is the *current* NDIS_OFFLOAD and
``ctx.hardware`` the hardware-capabilities NDIS_OFFLOAD of the same adapter.
"""

from __future__ import annotations

from .checks_offload import hx
from .registry import F, Skip, check

# Value domains whose members are bit masks: current must be a subset of hardware.
_MASK_DOMAINS = {"NDIS_ENCAPSULATION", "IPSEC_OFFLOAD_V2_UDP_ESP", "IPSEC_OFFLOAD_V2_AUTHENTICATION",
                 "IPSEC_OFFLOAD_V2_ENCRYPTION", "NDIS_OFFLOAD_FLAGS", "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD",
                 "NDIS_ENCAPSULATION_TYPE"}
# Capacities and limits: current at most hardware.
_LIMIT_NAMES = {"SaOffloadCapacity", "MaxOffLoadSize", "MaxHeaderSizeSupported"}


def _kind(m) -> str | None:
    if m.domain in _MASK_DOMAINS:
        return "mask"
    if m.is_boolean or m.domain == "NDIS_OFFLOAD_SUPPORT":
        return "level"
    if m.name in _LIMIT_NAMES:
        return "limit"
    return None


@check("R48", "pair")
def _r48(cur, ctx):
    hw = ctx.hardware
    if hw is None:
        yield Skip("no hardware capabilities given")
        return
    for m in cur.layout.leaves:
        if m.path.startswith("Header.") or m.path not in cur.values or m.path not in hw.values:
            continue
        if m.path.startswith("IPsecV2.") and not (cur.ipsecv2_reported and hw.ipsecv2_reported):
            continue
        kind = _kind(m)
        c, h = cur.values[m.path], hw.values[m.path]
        if kind == "mask" and c & ~h:
            yield F("R48", cur, f"Current {m.path} = {hx(c)} claims bits 0x{c & ~h:X} that the hardware "
                                f"capabilities ({hx(h)}) lack.", m.path)
        elif kind == "level" and c and not h:
            yield F("R48", cur, f"Current {m.path} is {hx(bool(c) if m.is_boolean else c)} but the hardware "
                                f"capabilities report {hx(bool(h) if m.is_boolean else h)}; the current "
                                "configuration cannot claim what the hardware lacks.", m.path)
        elif kind == "limit" and c > h:
            yield F("R48", cur, f"Current {m.path} = {c} exceeds the hardware capability {h}.", m.path)
    # a member known on one side but not captured on the other is compared by nobody: say so
    cu, hu = set(getattr(cur, "unknown", ())), set(getattr(hw, "unknown", ()))
    unknown = sorted(p for p in (cu & set(hw.values)) | (hu & set(cur.values))
                     if p in cur.layout and _kind(cur.layout.field(p)))
    if unknown:
        yield Skip(f"not compared, not captured on one side: {', '.join(unknown[:6])}"
                   + (f" and {len(unknown) - 6} more" if len(unknown) > 6 else ""))


@check("R57", "pair")
def _r57(cur, ctx):
    hw = ctx.hardware
    if hw is None or not (hw.ipsecv2_reported and cur.ipsecv2_reported):
        return
    off = [n for n in ("Ah", "Esp") if hw.on(f"IPsecV2.{n}") and not cur.on(f"IPsecV2.{n}")]
    if off:
        yield F("R57", cur, f"The hardware supports {' and '.join(off)} but the current configuration has "
                            f"{'it' if len(off) == 1 else 'them'} disabled. Server Manager's BPA suggests "
                            "Enable-NetAdapterIPsecOffload; but off is a common shipped default, not a driver "
                            "error (R54), and the WDK marks IPsec task offload as deprecated, not to be used (R3).",
                *(f"IPsecV2.{n}" for n in off))
