"""``MSFT_NetAdapterIPsecOffloadV2SettingData`` properties → ``NDIS_OFFLOAD`` member paths and values.

The property names, their CIM types and the ``*Supported`` → hardware / ``*Enabled`` → current mapping are
tests/spec/capture-formats.md §2.2. Values arrive as text (Format-List, Export-Csv) or as JSON values
(ConvertTo-Json); both go through the converters here so every format accepts the same spellings:

- booleans: ``True``/``False`` (any case), JSON ``true``/``false``;
- ``uint32``: an integer, a decimal or ``0x`` hex string;
- the algorithm and UDP-ESP masks additionally: a JSON array of names, a PowerShell brace list
  ``{MD5, SHA1}``, or a comma-separated name string (§2.2 "How algorithm masks appear"). Names are the
  PowerShell display names of tests/spec/constants.md §6, the short names (``AES_GCM_128``) or the macro names.

A present but empty value means "not reported" (missing), as does JSON ``null``.
"""

from __future__ import annotations

import re
import reprlib
from functools import cache
from operator import itemgetter
from types import MappingProxyType

from .record import RecordError

__all__ = ["brief_repr", "PROPERTIES", "HARDWARE", "CURRENT", "IDENTITY_KEYS", "IPSEC_PROPERTY_NAMES", "to_bool",
           "to_uint32", "to_mask", "convert", "canonical_keys", "canonical_name", "mask_names", "display_names",
           "member_kinds"]

# (hardware property, current property, NDIS_OFFLOAD path) — tests/spec/capture-formats.md §2.2, in that order.
_PAIRS = (
    ("IPv6Supported", "IPv6Enabled", "IPsecV2.IPv6Supported"),
    ("IPv4OptionsSupported", "IPv4OptionsEnabled", "IPsecV2.IPv4Options"),
    ("IPv6NonIPsecExtensionHeadersSupported", "IPv6NonIPsecExtensionHeadersEnabled",
     "IPsecV2.IPv6NonIPsecExtensionHeaders"),
    ("AhSupported", "AhEnabled", "IPsecV2.Ah"),
    ("EspSupported", "EspEnabled", "IPsecV2.Esp"),
    ("AhEspCombinedSupported", "AhEspCombinedEnabled", "IPsecV2.AhEspCombined"),
    ("TransportSupported", "TransportEnabled", "IPsecV2.Transport"),
    ("TunnelSupported", "TunnelEnabled", "IPsecV2.Tunnel"),
    ("LsoSupported", "LsoEnabled", "IPsecV2.LsoSupported"),
    ("UdpEspSupported", "UdpEspEnabled", "IPsecV2.UdpEsp"),
    ("AuthenticationAlgorithmsSupported", "AuthenticationAlgorithmsEnabled", "IPsecV2.AuthenticationAlgorithms"),
    ("EncryptionAlgorithmsSupported", "EncryptionAlgorithmsEnabled", "IPsecV2.EncryptionAlgorithms"),
    ("SaOffloadCapacitySupported", "SaOffloadCapacityEnabled", "IPsecV2.SaOffloadCapacity"),
)

#: property name -> (view, NDIS_OFFLOAD path)
PROPERTIES: dict[str, tuple[str, str]] = {}
for _hw, _cur, _path in _PAIRS:
    PROPERTIES[_hw] = ("hardware", _path)
    PROPERTIES[_cur] = ("current", _path)
HARDWARE = tuple(p[0] for p in _PAIRS)
CURRENT = tuple(p[1] for p in _PAIRS)
IPSEC_PROPERTY_NAMES = frozenset(PROPERTIES)

# Identity properties and their PowerShell aliases (§2.2 "Extra properties PowerShell adds").
IDENTITY_KEYS = ("Name", "ifAlias", "InterfaceAlias", "InterfaceDescription", "ifDesc", "Description",
                 "SystemName", "PSComputerName", "InstanceID", "Enabled")

_ALL_KEYS = tuple(PROPERTIES) + IDENTITY_KEYS
_CASEFOLD = {k.casefold(): k for k in _ALL_KEYS}

_U32 = 0xFFFFFFFF


@cache
def member_kinds() -> dict[str, tuple[str, str | None]]:
    """``{path: (kind, constant group)}`` for the 13 mapped members, kind in bool/mask/count.

    Kinds and groups come from the layout (ctype BOOLEAN; ``domain`` names the constant group)."""
    from ..layouts import layout

    lay = layout("NDIS_OFFLOAD")
    out = {}
    for _hw, _cur, path in _PAIRS:
        m = lay.field(path)
        dom = m.domain[0] if isinstance(m.domain, (list, tuple)) else m.domain
        if m.ctype == "BOOLEAN":
            out[path] = ("bool", None)
        elif dom:
            out[path] = ("mask", dom)
        else:
            out[path] = ("count", None)
    return out


def _norm(name: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", name.upper())


def _members(cls) -> list:
    bits = getattr(cls, "bits", None)
    return list(bits()) if callable(bits) else [m for m in cls if int(m)]


@cache
def display_names(group: str) -> dict[int, str]:
    """Bit → PowerShell display name for one constant group (``POWERSHELL_NAMES_BY_GROUP``; empty for a
    group PowerShell shows as a number)."""
    from .. import constants

    names = getattr(constants, "POWERSHELL_NAMES_BY_GROUP", {}).get(group, {})
    return {int(bit): name for name, bit in names.items()}


@cache
def mask_names(group: str) -> dict[str, int]:
    """Accepted spellings (normalised: upper case, only letters and digits) → bit, for one constant group.

    From :mod:`ipsecexplore.constants`: each member's macro name and ``.short`` name, and the PowerShell
    display names of the group (``POWERSHELL_NAMES_BY_GROUP``, tests/spec/constants.md §6)."""
    from .. import constants

    cls = getattr(constants, group)
    table: dict[str, int] = {}
    for m in _members(cls):
        table[_norm(m.name)] = int(m)
        short = getattr(m, "short", None)
        if short:
            table[_norm(short)] = int(m)
    for bit, name in display_names(group).items():
        table[_norm(name)] = bit
    return table


_TRUE = {"True": True, "False": False, "": None, "true": True, "false": False, "TRUE": True, "FALSE": False}


def to_bool(raw, prop: str):
    """A CIM boolean: ``True``/``False`` text or JSON bool; empty/None → None (missing)."""
    if raw is None or raw is True or raw is False:
        return raw
    if isinstance(raw, str):
        v = _TRUE.get(raw)
        if v is not None or raw == "":
            return v
        s = raw.strip().lower()
        if s in ("true", "false"):
            return s == "true"
        if s == "":
            return None
    raise RecordError(f"{prop}: expected True or False, got {brief_repr(raw)}")


def to_uint32(raw, prop: str):
    """A CIM uint32: JSON integer, decimal or ``0x`` hex text; empty/None → None."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise RecordError(f"{prop}: expected an unsigned 32-bit number, got {brief_repr(raw)}")
    if isinstance(raw, int):
        v = raw
    elif isinstance(raw, str):
        s = raw.strip()
        if not s:
            return None
        if s.isascii() and s.isdigit():  # ASCII: '1²'.isdigit() is True, but int() refuses it
            if len(s.lstrip("0")) > 10:
                raise RecordError(f"{prop}: a number of {len(s)} digits is outside the uint32 range 0..4294967295")
            v = int(s)
        elif s[:2] in ("0x", "0X") and len(s) > 2 and all(c in "0123456789abcdefABCDEF" for c in s[2:]):
            if len(s[2:].lstrip("0")) > 8:
                raise RecordError(f"{prop}: {brief_repr(raw)} is outside the uint32 range 0..4294967295")
            v = int(s, 16)
        else:
            raise RecordError(f"{prop}: expected an unsigned 32-bit number, got {brief_repr(raw)}")
    elif isinstance(raw, float) and raw.is_integer():
        v = int(raw)
    else:
        raise RecordError(f"{prop}: expected an unsigned 32-bit number, got {brief_repr(raw)}")
    if not 0 <= v <= _U32:
        shown = v if abs(v).bit_length() <= 64 else f"a number of {len(str(abs(v)))} digits"
        raise RecordError(f"{prop}: {shown} is outside the uint32 range 0..4294967295")
    return v


_ARRAY_TYPE_NAME = re.compile(r"^System\.[A-Za-z0-9.]+\[\]$")


def to_mask(raw, prop: str, group: str):
    """A flag mask given as a number or as names (see the module docstring); empty/None → None."""
    if raw is None:
        return None
    if isinstance(raw, list):
        names = raw
    elif isinstance(raw, str):
        s = raw.strip()
        if not s:
            return None
        if s[0].isdigit():
            return to_uint32(s, prop)
        if _ARRAY_TYPE_NAME.match(s):
            raise RecordError(f"{prop}: value is the type name {s!r}, which Export-Csv writes for an array; "
                              "capture with Get-CimInstance (raw uint32) instead")
        if s[0] == "{":
            if s[-1] != "}":
                raise RecordError(f"{prop}: brace list {brief_repr(s)} is not closed")
            s = s[1:-1]
        if s.endswith("...") or s.endswith("\u2026"):
            raise RecordError(f"{prop}: the name list {brief_repr(raw)} was truncated by PowerShell "
                              "($FormatEnumerationLimit); re-capture with $FormatEnumerationLimit = -1 "
                              "or with Get-CimInstance")
        names = [t for t in s.split(",")] if s.strip() else []
    else:
        return to_uint32(raw, prop)
    table = mask_names(group)
    value = 0
    for n in names:
        if isinstance(n, bool) or not isinstance(n, (str, int)):
            raise RecordError(f"{prop}: list element {brief_repr(n)} is not a name")
        if isinstance(n, int):
            value |= to_uint32(n, prop)
            continue
        # PowerShell may wrap a long list inside a name; names never contain blanks, so drop them.
        key = _norm(n)
        if not key:
            if n.strip():
                raise RecordError(f"{prop}: {n.strip()!r} is not a known {group} name")
            raise RecordError(f"{prop}: empty name in list {brief_repr(raw)}")
        if key.isascii() and key.isdigit():
            value |= to_uint32(key, prop)
            continue
        bit = table.get(key)
        if bit is None:
            raise RecordError(f"{prop}: {n.strip()!r} is not a known {group} name "
                              f"(known: {', '.join(sorted(_display_names(group)))})")
        value |= bit
    return value


def _display_names(group: str) -> list[str]:
    from .. import constants

    names = list(display_names(group).values())
    return names or [getattr(m, "short", m.name) for m in _members(getattr(constants, group))]


_REPR = reprlib.Repr()
_REPR.maxlevel = 3  # a nested list from JSON is shown shallowly: a deep one must not recurse through repr
_REPR.maxstring = _REPR.maxother = 60


def brief_repr(v) -> str:
    """A captured value as a message shows it: its ``repr`` (quotes, escaped control characters), nested
    lists shallowly, at most 60 characters.

    >>> brief_repr("x" * 70)[-5:]
    'xx...'
    """
    s = repr(v) if isinstance(v, (str, int, float, bool, type(None))) else _REPR.repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def canonical_name(k: str) -> str:
    """The CIM spelling of a property name that differs from it only by case (else ``k`` itself)."""
    if k in PROPERTIES or k in IDENTITY_KEYS:
        return k
    return _CASEFOLD.get(k.casefold(), k)


def canonical_keys(obj: dict) -> dict:
    """Map keys that differ from the CIM spelling only by case onto it (PowerShell is case-insensitive).

    Two keys naming the same property (``name`` and ``Name``) raise :class:`RecordError`: keeping either
    one would drop the other's value without a word."""
    out = {}
    for k, v in obj.items():
        if k in PROPERTIES or k in IDENTITY_KEYS:
            c = k
        else:
            c = _CASEFOLD.get(k.casefold()) if isinstance(k, str) else None
            if c is None:
                out[k] = v
                continue
        if c in out:  # only a property name can be here twice: other keys are kept as they are
            first = next(x for x in obj if x != k and isinstance(x, str) and _CASEFOLD.get(x.casefold()) == c)
            raise RecordError(f"property {c} appears twice in one JSON object (as {first!r} and {k!r}; "
                              "PowerShell reads keys case-insensitively)")
        out[c] = v
    return out


_CACHE_LIMIT = 4096
_MISS = object()


@cache
def _plan():
    """``(property, is hardware, path, cache, converter)`` for the 26 mapped properties.

    Captures repeat a handful of spellings ("True", "8", "{AESGCM128}") thousands of times, so each
    converter remembers what it made of a text; that keeps the per-property cost to two dict lookups."""
    kinds = member_kinds()
    caches: dict = {}
    plan = []
    for prop, (view, path) in PROPERTIES.items():
        kind, group = kinds[path]
        if kind == "bool":
            conv = to_bool
        elif kind == "count":
            conv = to_uint32
        else:
            conv = _mask_converter(group)
        cache = caches.setdefault((kind, group), {"True": True, "False": False, "": None} if kind == "bool" else {})
        plan.append((prop, view == "hardware", path, cache, conv))
    return tuple(plan)


def _mask_converter(group: str):
    def conv(raw, prop):
        return to_mask(raw, prop, group)
    return conv


_ALL = itemgetter(*PROPERTIES)
_SEEN: dict = {}


def convert(props: dict, texts: bool = False):
    """Convert one object's IPsec properties: returns ``(hardware values, current values)``.

    Each dict holds only the members whose property was present with a value; raises :class:`RecordError`
    naming the property when a value is malformed. ``texts=True`` promises that every value is a ``str``
    (Format-List, Export-Csv): adapters of one model and configuration repeat the same 26 texts, so whole
    results are then remembered, keyed by those texts, and returned as shared read-only mappings. JSON
    values are not, because ``True == 1`` would let a value of the wrong type hit a remembered text."""
    if not texts:
        return _convert(props)
    try:
        key = _ALL(props)
    except KeyError:  # some property absent: convert one by one
        return _convert(props)
    hit = _SEEN.get(key)
    if hit is None:
        hw, cur = _convert(props)  # raises RecordError for a bad value (never remembered)
        if len(_SEEN) >= _CACHE_LIMIT:
            return hw, cur
        # Shared between the records of equal adapters, so read-only.
        hit = _SEEN[key] = (MappingProxyType(hw), MappingProxyType(cur))
    return hit


def _convert(props: dict):
    hw: dict = {}
    cur: dict = {}
    get = props.get
    for prop, is_hw, path, memo, conv in _plan():
        raw = get(prop)
        if raw is None:
            continue
        if type(raw) is str:  # only text is cached: JSON True == 1 must not hit the entry for "1"
            v = memo.get(raw, _MISS)
            if v is _MISS:
                v = conv(raw, prop)  # raises RecordError for a bad value (never cached)
                if len(memo) < _CACHE_LIMIT:
                    memo[raw] = v
        else:
            v = conv(raw, prop)
        if v is None:
            continue
        if is_hw:
            hw[path] = v
        else:
            cur[path] = v
    return hw, cur
