"""The standardized INF keywords ``*IPsecOffloadV2`` and ``*IPsecOffloadV2IPv4`` (rule book R50–R53, R66).

Both are REG_SZ enumerations, 0 = disabled, 1 = AH, 2 = ESP, 3 = AH and ESP. An OID_TCP_OFFLOAD_PARAMETERS
value is the keyword value plus one (tests/spec/constants.md §13), so the keyword meanings here are derived from the
``NDIS_OFFLOAD_PARAMETERS_IPSECV2_*`` constants rather than typed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import InputError
from .base import Findings, finding
from .checks_params import ipsec_setting

__all__ = ["KEYWORD_V2", "KEYWORD_V2_IPV4", "KEYWORDS", "KeywordState", "keyword_protocols", "resolve_keywords",
           "parse_keyword_value", "keyword_for_parameter", "keyword_text_for_parameter", "find_keyword"]

KEYWORD_V2 = "*IPsecOffloadV2"
KEYWORD_V2_IPV4 = "*IPsecOffloadV2IPv4"
KEYWORDS = (KEYWORD_V2, KEYWORD_V2_IPV4)
# the OID_TCP_OFFLOAD_PARAMETERS field that writes each keyword back (R66)
_PARAMETER_OF = {KEYWORD_V2: "IPsecV2", KEYWORD_V2_IPV4: "IPsecV2IPv4"}


def keyword_for_parameter(field_name: str) -> str:
    """The keyword an OID_TCP_OFFLOAD_PARAMETERS field writes back ('IPsecV2' -> '*IPsecOffloadV2')."""
    for k, f in _PARAMETER_OF.items():
        if f == field_name:
            return k
    raise KeyError(field_name)


def keyword_text_for_parameter(value: int) -> str:
    """REG_SZ text stored for a PARAMETERS value v: the string of v − 1 (R66)."""
    return str(value - 1)


def parse_keyword_value(name: str, raw) -> int:
    """A keyword's REG_SZ value as the integer NDIS reads; :class:`InputError` for non-numbers."""
    if isinstance(raw, bool):
        raise InputError("keyword values are numbers, not booleans", path=name, actual=raw)
    if isinstance(raw, int):
        return raw
    try:
        return int(str(raw).strip(), 10)
    except ValueError:
        raise InputError("keyword value is not a number", path=name, expected="0, 1, 2 or 3", actual=raw) from None


def keyword_protocols(value: int) -> tuple[bool, bool]:
    """(AH enabled, ESP enabled) for a keyword value. 0/1/2 map like PARAMETERS values 1/2/3; ndis.sys
    treats every other value as 'both enabled' (R51, RE)."""
    setting = ipsec_setting(value + 1) if value in (0, 1, 2) else None
    return setting if setting is not None else (True, True)


def find_keyword(keywords: Mapping, name: str):
    """(actual key, raw value) of ``name`` in ``keywords``, case-insensitively (registry value names are),
    or (None, None)."""
    for k, v in (keywords or {}).items():
        if str(k).lower() == name.lower():
            return k, v
    return None, None


@dataclass
class KeywordState:
    """What NDIS makes of the keywords at initialization (R51).

    ``keyword``: the keyword in force (None when neither exists); ``value`` its integer; ``ipv4_only``: the
    IPv4-only keyword was used; ``ah``/``esp``: protocols it leaves enabled; ``findings``: R51/R53 notes."""

    keyword: str | None
    value: int | None
    ipv4_only: bool
    ah: bool
    esp: bool
    findings: Findings = field(default_factory=Findings)

    @property
    def masks(self) -> bool:
        """True when a keyword is in force (NDIS masks IPsecV2 by it)."""
        return self.keyword is not None

    def describe(self) -> str:
        """One line for the timeline: the keyword in force and what it enables."""
        if self.keyword is None:
            return "Neither *IPsecOffloadV2 nor *IPsecOffloadV2IPv4 exists: NDIS leaves IPsecV2 as reported."
        prot = " and ".join(p for p, on in (("AH", self.ah), ("ESP", self.esp)) if on) or "neither AH nor ESP"
        return (f"{self.keyword} = {self.value}: {prot} enabled"
                + ("; IPv4 only (IPv6Supported cleared)" if self.ipv4_only else ""))


def resolve_keywords(keywords: Mapping | None) -> KeywordState:
    """Apply R51: ``*IPsecOffloadV2`` wins; ``*IPsecOffloadV2IPv4`` is read only when it is absent and then
    also means IPv4 only. Values other than 0, 1, 2 count as both enabled. Both present earns R53."""
    keywords = keywords or {}
    out = Findings()
    k2, raw2 = find_keyword(keywords, KEYWORD_V2)
    k4, raw4 = find_keyword(keywords, KEYWORD_V2_IPV4)
    if k2 is not None and k4 is not None:
        out.append(finding("R53", f"Both {KEYWORD_V2} = {raw2!r} and {KEYWORD_V2_IPV4} = {raw4!r} exist; a driver "
                                  f"ships one of them, and NDIS uses {KEYWORD_V2}.", (KEYWORD_V2, KEYWORD_V2_IPV4),
                           structure="INF keywords"))
    if k2 is not None:
        name, raw, ipv4 = KEYWORD_V2, raw2, False
    elif k4 is not None:
        name, raw, ipv4 = KEYWORD_V2_IPV4, raw4, True
    else:
        return KeywordState(None, None, False, True, True, out)
    value = parse_keyword_value(name, raw)
    if value not in (0, 1, 2, 3):
        out.append(finding("R51", f"{name} = {value} is outside 0–3; ndis.sys counts any value other than 0, 1 "
                                  "or 2 as AH and ESP enabled.", (name,), structure="INF keywords"))
    ah, esp = keyword_protocols(value)
    return KeywordState(name, value, ipv4, ah, esp, out)
