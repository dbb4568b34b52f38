"""Checks on ``NDIS_OFFLOAD_PARAMETERS`` (OID_TCP_OFFLOAD_PARAMETERS; rule book §6)."""

from __future__ import annotations

from ..layouts import ndis_key
from . import const
from .checks_offload import NDIS_630, header_findings, hx
from .registry import F, Skip, check
from .subjects import PARAMETERS

# R63: the fields NDIS range-checks (observed in ndisUpdateOffloadKeywords) and, for each, the constant that
# is its largest valid value. The field list is the rule's; every number comes from constants.
_R63_LIMITS = {
    "IPv4Checksum": "NDIS_OFFLOAD_PARAMETERS_TX_RX_ENABLED",
    "TCPIPv4Checksum": "NDIS_OFFLOAD_PARAMETERS_TX_RX_ENABLED",
    "UDPIPv4Checksum": "NDIS_OFFLOAD_PARAMETERS_TX_RX_ENABLED",
    "TCPIPv6Checksum": "NDIS_OFFLOAD_PARAMETERS_TX_RX_ENABLED",
    "UDPIPv6Checksum": "NDIS_OFFLOAD_PARAMETERS_TX_RX_ENABLED",
    "LsoV1": "NDIS_OFFLOAD_PARAMETERS_LSOV1_ENABLED",
    "LsoV2IPv4": "NDIS_OFFLOAD_PARAMETERS_LSOV2_ENABLED",
    "LsoV2IPv6": "NDIS_OFFLOAD_PARAMETERS_LSOV2_ENABLED",
    "IPsecV1": "NDIS_OFFLOAD_PARAMETERS_IPSECV1_AH_AND_ESP_ENABLED",
    "TcpConnectionIPv4": "NDIS_OFFLOAD_PARAMETERS_CONNECTION_OFFLOAD_ENABLED",
    "TcpConnectionIPv6": "NDIS_OFFLOAD_PARAMETERS_CONNECTION_OFFLOAD_ENABLED",
    "IPsecV2": "NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED",
    "IPsecV2IPv4": "NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED",
    "RscIPv4": "NDIS_OFFLOAD_PARAMETERS_RSC_ENABLED",
    "RscIPv6": "NDIS_OFFLOAD_PARAMETERS_RSC_ENABLED",
    "EncapsulatedPacketTaskOffload": "NDIS_OFFLOAD_SET_OFF",
    "UdpSegmentation.IPv4": "NDIS_OFFLOAD_PARAMETERS_USO_ENABLED",
    "UdpSegmentation.IPv6": "NDIS_OFFLOAD_PARAMETERS_USO_ENABLED",
}
IPSECV2_FIELDS = ("IPsecV2", "IPsecV2IPv4")


def r63_limits() -> dict[str, int]:
    """Largest valid value of each range-checked PARAMETERS field (R63); EncapsulationTypes is a mask."""
    out = {k: const.value(v) for k, v in _R63_LIMITS.items()}
    out["EncapsulationTypes"] = const.group_mask("NDIS_ENCAPSULATION_TYPE")
    return out


def ipsec_setting(value: int) -> tuple[bool, bool] | None:
    """(AH enabled, ESP enabled) for an IPsecV2/IPsecV2IPv4 value; None for 0 (no change) or invalid."""
    table = {
        const.value("NDIS_OFFLOAD_PARAMETERS_IPSECV2_DISABLED"): (False, False),
        const.value("NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_ENABLED"): (True, False),
        const.value("NDIS_OFFLOAD_PARAMETERS_IPSECV2_ESP_ENABLED"): (False, True),
        const.value("NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED"): (True, True),
    }
    return table.get(value)


def ipsecv2_readable(s) -> bool:
    """NDIS reads IPsecV2/IPsecV2IPv4 only when Revision >= 2 and Size >= their end (R59)."""
    if not s.header_given:
        return True
    lay = s.layout
    need_rev = lay.field("IPsecV2IPv4").added_in_revision
    return (s.revision or 0) >= need_rev and (s.size or 0) >= lay.field("IPsecV2IPv4").end


@check("R59", PARAMETERS)
def _r59(s, ctx):
    yield from header_findings("R59", s)
    if not s.header_given:
        return
    lay = s.layout
    ignored = [p for p in IPSECV2_FIELDS if s.beyond.get(p)]
    if not ignored and not ipsecv2_readable(s):
        ignored = [p for p in IPSECV2_FIELDS if s.on(p)]  # name only the fields that were set
    if ignored:
        # an unknown revision without a Header.Size has no size to quote (it used to print "Size None")
        size = f"Size {s.size}" if s.size is not None else "no Header.Size, and that revision has no NDIS_SIZEOF"
        need_rev = lay.field("IPsecV2IPv4").added_in_revision
        yield F("R59", s, f"{' and '.join(ignored)} {'is' if len(ignored) == 1 else 'are'} set in a revision-"
                          f"{s.revision} object ({size}); NDIS reads IPsecV2 and IPsecV2IPv4 only from revision "
                          f"{need_rev} / Size {lay.field('IPsecV2IPv4').end}, so the request leaves IPsec offload "
                          "unchanged.", "Header.Revision", *ignored)


@check("R61", PARAMETERS)
def _r61(s, ctx):
    if not s.on("IPsecV2IPv4"):
        return
    hw = ctx.hardware
    if hw is None:
        yield Skip("IPsecV2IPv4 is set; whether the adapter supports IPv6 needs context hardware=")
        return
    if hw.ipsecv2_reported and hw.on("IPsecV2.IPv6Supported"):
        yield F("R61", s, "IPsecV2IPv4 is set but the adapter's hardware capabilities have IPv6Supported = TRUE; "
                          "such an adapter is configured through IPsecV2, which also covers IPv4.",
                "IPsecV2IPv4")


@check("R62", PARAMETERS)
def _r62(s, ctx):
    if s.on("IPsecV2") and s.on("IPsecV2IPv4"):
        yield F("R62", s, f"IPsecV2 = {s.get('IPsecV2')} and IPsecV2IPv4 = {s.get('IPsecV2IPv4')} are both "
                          "non-zero; NDIS rejects such a request with NDIS_STATUS_INVALID_DATA.",
                "IPsecV2", "IPsecV2IPv4")


@check("R63", PARAMETERS)
def _r63(s, ctx):
    for path, top in r63_limits().items():
        if path in s.values and s.values[path] > top:
            yield F("R63", s, f"{path} = {s.values[path]} is out of range (largest valid value {top}); NDIS "
                              "answers NDIS_STATUS_INVALID_DATA.", path)
    if s.on("EncapsulatedPacketTaskOffload") and "EncapsulationTypes" in s.values and not s.on("EncapsulationTypes"):
        yield F("R63", s, "EncapsulatedPacketTaskOffload is set while EncapsulationTypes is 0; NDIS answers "
                          "NDIS_STATUS_INVALID_DATA.", "EncapsulatedPacketTaskOffload", "EncapsulationTypes")


@check("R64", PARAMETERS)
def _r64(s, ctx):
    hw = ctx.hardware
    if hw is None or not hw.get("Flags") & const.value("NDIS_OFFLOAD_FLAGS_GROUP_CHECKSUM_CAPABILITIES"):
        return
    groups = (("IPv4Checksum", "TCPIPv4Checksum", "UDPIPv4Checksum"), ("TCPIPv6Checksum", "UDPIPv6Checksum"))
    for g in groups:
        vals = [s.get(p) for p in g]
        if len(set(vals)) > 1:
            yield F("R64", s, f"The hardware sets NDIS_OFFLOAD_FLAGS_GROUP_CHECKSUM_CAPABILITIES, so NDIS requires "
                              f"{' = '.join(g)}; got {', '.join(map(str, vals))} → NDIS_STATUS_INVALID_PARAMETER.",
                    *g)


@check("R65", PARAMETERS)
def _r65(s, ctx):
    flags = s.get("Flags")
    skip = const.value("NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE")
    if flags & ~skip:
        yield F("R65", s, f"Flags = {hx(flags)} has bits other than NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE "
                          f"({hx(skip)}); the DDI says to set Flags to zero.", "Flags")
    rev3 = next(r.revision for r in s.layout.revisions if ndis_key(r.ndis) >= ndis_key(NDIS_630))
    if flags & skip and s.header_given and (s.revision or 0) < rev3:
        yield F("R65", s, f"NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE is defined from NDIS 6.30 (revision "
                          f"{rev3}) but the object is revision {s.revision}.", "Flags", "Header.Revision")


@check("R69", PARAMETERS)
def _r69(s, ctx):
    hw = ctx.hardware
    if hw is None or not ipsecv2_readable(s):
        return
    for path in IPSECV2_FIELDS:
        want = ipsec_setting(s.get(path))
        if not want:
            continue
        lacking = [n for n, w in zip(("Ah", "Esp"), want)
                   if w and not (hw.ipsecv2_reported and hw.on(f"IPsecV2.{n}"))]
        if lacking:
            yield F("R69", s, f"{path} = {s.get(path)} asks for {' and '.join(lacking)}, which the hardware "
                              "capabilities lack; the current configuration cannot go beyond the hardware.",
                    path, basis="DOC/INF")
