"""Every named value of the NDIS offload spec (``tests/spec/constants.md``), as Python enums.

Flag sets (bit masks) are :class:`enum.IntFlag` classes and value sets are
:class:`enum.IntEnum` classes.  Member names are the exact C macro names and the
values are the header values, e.g.::

    >>> IPSEC_OFFLOAD_V2_ENCRYPTION.IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128
    <IPSEC_OFFLOAD_V2_ENCRYPTION.IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128: 0x8>

There is one class per constant group of ``tests/spec/layouts.json`` and the class name is
the group name (``CONSTANT_GROUPS`` maps group name -> class; the layouts'
``domain`` lists use the same names).  The module is self-contained: it does not
read the spec at run time; ``tests/test_constants.py`` checks it against
``tests/spec/layouts.json`` (names, values, group, NDIS version, guard,
source, fields).

Metadata.  Every member carries, from the shared table ``_INFO``:

- ``.label``       short human label ("AES-GCM-128", "UDP-ESP transport");
- ``.meaning``     one line for teaching (taken from the spec's notes; where the
  spec says nothing it only paraphrases the name);
- ``.ndis``        first NDIS version in which the name exists ("6.1");
- ``.guard``       the header guard as the spec writes it ("" means NDIS 6.0);
- ``.source``      where the spec took the value from ("SDK26100 ntddndis.h:3323");
- ``.short``       the name without its family prefix ("AES_GCM_128"), used as
  column suffix (``IPsecV2.EncryptionAlgorithms.AES_GCM_128``);
- ``.applies_to``  the dotted ``STRUCT.Member`` paths the value belongs to;
- ``.hex``, ``.note``, ``.alias_of``, ``.info`` (the whole :class:`ConstantInfo`).

Composite flag values (``A | B``, or values with undefined bits) compose their
label/short/meaning from the parts; their ``.ndis`` is the newest version among
the parts.

Duplicate values.  Plain ``IntEnum`` turns a second name with an already used
value into an *alias* of the first one, so ``NDIS_OFFLOAD_REVISION_5`` would
report the name and NDIS version of ``NDIS_OFFLOAD_PARAMETERS_REVISION_5``
(6.83 instead of 6.70).  :class:`ConstantEnum` therefore keeps every C name as a
member of its own:

- ``Cls(value)`` (and ``Cls.canonical(value)``) returns the *first declared*
  member with that value, e.g. ``REVISION(5)`` is
  ``NDIS_OFFLOAD_PARAMETERS_REVISION_5`` and ``NDIS_OBJECT_TYPE(0x96)`` is
  ``NDIS_OBJECT_TYPE_REQUEST_EX``;
- members with equal values compare equal and hash alike (they are ints) but
  are distinct objects, each with its own metadata;
- ``Cls.names(value)`` lists every name that has the value;
- :func:`member_for` picks the member whose ``applies_to`` names a given field,
  e.g. ``member_for("REVISION", 5, "NDIS_OFFLOAD.Header.Revision")`` is
  ``NDIS_OFFLOAD_REVISION_5``.

Flag groups have no duplicate values.  The correctly spelled
``NDIS_STATUS_OFFLOAD_ENCAPSULATION_CHANGE`` is not a member (the WDK only has
``..._ENCASPULATION_CHANGE``); :func:`lookup` accepts it through ``ALIASES``.
The documentation-only ``NDIS_OFFLOAD_PARAMETERS_UDP_SEG_DISABLED/ENABLED`` are
members (the spec lists them) whose ``.alias_of`` names the header's ``USO_*``.

Arch-dependent sizes.  Six ``NDIS_SIZEOF`` constants differ between x64 and x86;
their member value is the x64 value and ``.value_for("x86")`` gives the other.

Also here: the NDIS version table (``NDIS_VERSIONS``), the INF keywords
(``INF_KEYWORDS``) and the PowerShell display names of the algorithm masks
(``POWERSHELL_NAMES``, unverified per the spec).
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, IntEnum, IntFlag

__all__ = [
    # mechanism
    "ConstantInfo", "ConstantMixin", "ConstantFlag", "ConstantEnum", "ConstantGuid",
    "UnknownConstantError",
    # groups
    "NDIS_OBJECT_TYPE", "OID", "NDIS_OFFLOAD_PARAMETERS_VALUE", "NDIS_ENCAPSULATION_TYPE",
    "REVISION", "NDIS_SIZEOF", "IPSEC_OFFLOAD_V2_AUTHENTICATION",
    "IPSEC_OFFLOAD_V2_ENCRYPTION", "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD",
    "NDIS_OFFLOAD_FLAGS", "NDIS_OFFLOAD_SUPPORT", "NDIS_OFFLOAD_SET", "NDIS_ENCAPSULATION",
    "NDIS_STATUS_INDICATION_CODE", "NDIS_STATUS_CHIMNEY", "IPSEC_V1_UDPESP_ENCAPTYPE",
    "IPSEC_OFFLOAD_V2_LIMITS", "IPSEC_OFFLOAD_V2_UDP_ESP", "IPSEC_OFFLOAD_V2_SA_FLAGS",
    "IPSEC_OFFLOAD_V2_ADD_SA_FLAGS", "IPSEC_OFFLOAD_V2_OPERATION",
    "NDIS_RFC6877_464XLAT_OFFLOAD_OPTIONS", "CRYPTO_STATUS", "NDIS_STATUS_GENERIC", "GUID",
    # registry and helpers
    "CONSTANT_GROUPS", "ALIASES", "lookup", "domain_class", "member_for", "members_for_field",
    "all_constants",
    # NDIS versions
    "NdisVersion", "NDIS_VERSIONS", "ndis_version", "ndis_at_least",
    "offload_revision_ndis", "parameters_revision_ndis",
    # INF keywords
    "InfKeyword", "INF_KEYWORDS",
    # PowerShell display names
    "POWERSHELL_NAMES", "POWERSHELL_NAMES_VERIFIED", "POWERSHELL_NAMES_NOTE",
    "POWERSHELL_NAME_CLASSES", "POWERSHELL_NAMES_BY_GROUP", "algorithm_bit",
]


# ---------------------------------------------------------------------------
# Shared metadata mechanism
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ConstantInfo:
    """One row of the constants table (``tests/spec/constants.md`` / ``tests/spec/layouts.json`` ``constants``)."""

    name: str
    group: str
    label: str
    meaning: str
    ndis: str
    guard: str
    source: str
    applies_to: tuple[str, ...]
    short: str
    note: str | None = None
    alias_of: str | None = None
    value_x86: int | None = None  # only for the arch-dependent NDIS_SIZEOF constants


class UnknownConstantError(KeyError):
    """Raised by :func:`lookup` / :func:`domain_class` for a name the spec does not have."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else "unknown constant"


# name -> row; filled by _register() right after each class definition.
_INFO: dict[str, ConstantInfo] = {}

#: group name (as in tests/spec/layouts.json) -> constant class, in spec order.
CONSTANT_GROUPS: dict[str, type] = {}


class ConstantMixin:
    """Metadata properties shared by every constant class; rows live in ``_INFO``.

    Class attributes set by ``_register``: ``group`` (the tests/spec/layouts.json group
    name) and ``prefixes`` (family prefixes stripped to form ``.short``).
    """

    group: str = ""
    prefixes: tuple[str, ...] = ()

    def _row(self) -> ConstantInfo | None:
        return _INFO.get(self._name_) if self._name_ else None

    def _parts(self) -> list:
        """Named members making up a composite flag value (empty for plain members)."""
        return []

    def _leftover(self) -> int:
        return 0

    def _compose(self, attr: str, sep: str) -> str:
        parts = [getattr(p, attr) for p in self._parts()]
        extra = self._leftover()
        if extra:
            parts.append(f"0x{extra:X} (undefined)" if attr != "short" else f"0x{extra:X}")
        return sep.join(parts) if parts else ("(none)" if attr == "label" else "")

    @property
    def info(self) -> ConstantInfo:
        """The full table row; raises AttributeError for composite/undefined flag values."""
        row = self._row()
        if row is None:
            raise AttributeError(f"{self!r} is not a single named constant")
        return row

    @property
    def label(self) -> str:
        """Short human label, e.g. "AES-GCM-128"."""
        row = self._row()
        return row.label if row else self._compose("label", " | ")

    @property
    def meaning(self) -> str:
        """One-line explanation for teaching."""
        row = self._row()
        if row:
            return row.meaning
        return self._compose("meaning", " ") or "No bits set."

    @property
    def short(self) -> str:
        """Name without the family prefix, e.g. "AES_GCM_128" (composites: joined by "|")."""
        row = self._row()
        return row.short if row else self._compose("short", "|")

    @property
    def ndis(self) -> str | None:
        """First NDIS version in which the name exists (composites: newest of the parts)."""
        row = self._row()
        if row:
            return row.ndis
        versions = [p.ndis for p in self._parts()]
        return max(versions, key=_ndis_index) if versions else None

    @property
    def guard(self) -> str:
        """Header guard as written in the spec ("" = no guard beyond NDIS 6)."""
        row = self._row()
        return row.guard if row else " ; ".join(dict.fromkeys(p.guard for p in self._parts() if p.guard))

    @property
    def source(self) -> str:
        """Spec source string (header file:line or document)."""
        row = self._row()
        return row.source if row else " ; ".join(dict.fromkeys(p.source for p in self._parts()))

    @property
    def applies_to(self) -> tuple[str, ...]:
        """Dotted ``STRUCT.Member`` paths (or a parenthesised remark) this value belongs to."""
        row = self._row()
        if row:
            return row.applies_to
        return tuple(dict.fromkeys(f for p in self._parts() for f in p.applies_to))

    @property
    def note(self) -> str | None:
        """The spec's note column, if any."""
        row = self._row()
        return row.note if row else None

    @property
    def alias_of(self) -> str | None:
        """For documentation-only names: the header name they stand for."""
        row = self._row()
        return row.alias_of if row else None

    @property
    def hex(self) -> str:
        """Value as the spec writes it ("0xFC01020B")."""
        return f"0x{int(self):X}"

    def exists_in(self, ndis: str | int) -> bool:
        """True when the name exists at NDIS version ``ndis`` (e.g. "6.30")."""
        return self.ndis is not None and ndis_at_least(ndis, self.ndis)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self.hex}>"


class ConstantFlag(ConstantMixin, IntFlag):
    """Base of the bit-mask groups.

    ``valid_mask`` (class attribute) is the OR of all defined bits.  Undefined
    bits are kept (IntFlag boundary KEEP), so ``Cls(0x208)`` round-trips and
    ``Cls.unknown_bits(0x208)`` reports 0x200.
    """

    valid_mask: int  # set by _register

    def _parts(self) -> list:
        return type(self).decompose(int(self))

    def _leftover(self) -> int:
        return type(self).unknown_bits(int(self))

    @classmethod
    def all_members(cls) -> list:
        """Every named member, zero-valued one included, in declaration order."""
        return list(cls.__members__.values())

    @classmethod
    def bits(cls) -> list:
        """The non-zero members in declaration order."""
        return [m for m in cls.__members__.values() if int(m)]

    @classmethod
    def decompose(cls, value: int) -> list:
        """Members whose bits are all set in ``value`` (zero member only when value is 0)."""
        value = _check_unsigned(value)
        if value == 0:
            return [m for m in cls.__members__.values() if int(m) == 0]
        return [m for m in cls.bits() if value & int(m) == int(m)]

    @classmethod
    def names(cls, value: int) -> list[str]:
        """Macro names set in ``value``; for 0 the zero-valued name if the group has one, else []."""
        return [m.name for m in cls.decompose(value)]

    @classmethod
    def unknown_bits(cls, value: int) -> int:
        """Bits of ``value`` outside ``valid_mask``."""
        return _check_unsigned(value) & ~cls.valid_mask

    @classmethod
    def is_defined(cls, value: int) -> bool:
        """True when ``value`` has no undefined bit."""
        return cls.unknown_bits(value) == 0

    @classmethod
    def describe(cls, value: int) -> str:
        """Names joined by " | ", undefined bits as hex, "0" for an empty mask without zero name."""
        parts = cls.names(value)
        extra = cls.unknown_bits(value)
        if extra:
            parts.append(f"0x{extra:X}")
        return " | ".join(parts) if parts else "0"


class ConstantEnum(ConstantMixin, IntEnum):
    """Base of the value groups (enumerations).  Duplicate values are *not* aliased.

    The first member declared with a value keeps it as its enum key, so
    ``Cls(value)`` finds that one; later members with the same value get a
    private key and stay separate members with their own metadata.
    """

    def __new__(cls, value: int):
        obj = int.__new__(cls, value)
        if value in cls._value2member_map_:
            obj._value_ = ("duplicate of", value, len(cls._member_names_))
        else:
            obj._value_ = value
        return obj

    @property
    def value(self) -> int:  # duplicates carry a private key in _value_
        """The integer value (also for members that share it with an earlier one)."""
        return int(self)

    @property
    def arch_dependent(self) -> bool:
        """True for the NDIS_SIZEOF constants whose value differs between x64 and x86."""
        row = self._row()
        return bool(row and row.value_x86 is not None)

    def value_for(self, arch: str = "x64") -> int:
        """Value for ``arch`` ("x64" or "x86"); only NDIS_SIZEOF constants can differ."""
        if arch == "x64":
            return int(self)
        if arch == "x86":
            row = self._row()
            return row.value_x86 if row and row.value_x86 is not None else int(self)
        raise ValueError(f"arch must be 'x64' or 'x86', not {arch!r}")

    @classmethod
    def all_members(cls) -> list:
        """Every member in declaration order (same as ``list(cls)``)."""
        return list(cls.__members__.values())

    @classmethod
    def canonical(cls, value: int):
        """The first declared member with ``value``, or None when no name has it."""
        return cls._value2member_map_.get(int(value))

    @classmethod
    def get(cls, value: int, default=None):
        """Like ``cls(value)`` but returns ``default`` for an undefined value."""
        member = cls.canonical(value)
        return default if member is None else member

    @classmethod
    def names(cls, value: int) -> list[str]:
        """Every macro name with ``value`` (several when values are shared)."""
        value = int(value)
        return [m.name for m in cls.__members__.values() if int(m) == value]

    @classmethod
    def is_defined(cls, value: int) -> bool:
        """True when some name has ``value``."""
        return cls.canonical(value) is not None

    @classmethod
    def describe(cls, value: int) -> str:
        """The canonical name, or "0x.. (undefined)"."""
        member = cls.canonical(value)
        return member.name if member is not None else f"0x{int(value):X} (undefined)"


class ConstantGuid(ConstantMixin, Enum):
    """Base of the GUID group; member values are :class:`uuid.UUID`."""

    @property
    def hex(self) -> str:  # the spec writes GUIDs in braces
        """The GUID as the spec writes it, "{68542fed-...}"."""
        return "{" + str(self._value_) + "}"

    @classmethod
    def all_members(cls) -> list:
        """Every member in declaration order."""
        return list(cls.__members__.values())

    def __int__(self) -> int:  # like uuid.UUID: the 128-bit integer
        return self._value_.int

    @classmethod
    def from_guid(cls, guid: str | uuid.UUID):
        """Member for a GUID given as UUID or string (braces optional), or None."""
        try:
            key = guid if isinstance(guid, uuid.UUID) else uuid.UUID(str(guid).strip().strip("{}"))
        except ValueError:
            return None
        return cls._value2member_map_.get(key)

    @classmethod
    def names(cls, value: str | uuid.UUID) -> list[str]:
        """[name] of the GUID, or []."""
        member = cls.from_guid(value)
        return [member.name] if member is not None else []

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self.hex}>"


def _check_unsigned(value: int) -> int:
    value = int(value)
    if value < 0:
        raise ValueError(f"flag values are unsigned; got {value}")
    return value


def _C(name: str, label: str, meaning: str, ndis: str, guard: str, source: str,
       applies_to: tuple[str, ...], *, note: str | None = None, alias_of: str | None = None,
       x86: int | None = None) -> dict:
    """One metadata row (the group and short name are added by _register)."""
    return dict(name=name, label=label, meaning=meaning, ndis=ndis, guard=guard, source=source,
                applies_to=tuple(applies_to), note=note, alias_of=alias_of, value_x86=x86)


def _register(cls: type, prefixes: tuple[str, ...], *rows: dict) -> None:
    """Attach the rows to ``cls`` and add it to CONSTANT_GROUPS.

    Fails at import when a row names no member or a member has no row, so the
    classes and the table cannot drift apart.
    """
    group = cls.__name__
    cls.group = group
    cls.prefixes = prefixes
    members = cls.__members__
    seen = set()
    for row in rows:
        name = row["name"]
        if name not in members or name in seen or name in _INFO:
            raise RuntimeError(f"constants table: bad or repeated row {name!r} for {group}")
        seen.add(name)
        short = next((name[len(p):] for p in prefixes if name.startswith(p)), name)
        _INFO[name] = ConstantInfo(group=group, short=short, **row)
    missing = set(members) - seen
    if missing:
        raise RuntimeError(f"constants table: no row for {sorted(missing)} in {group}")
    if issubclass(cls, ConstantFlag):
        mask = 0
        for member in members.values():
            mask |= int(member)
        cls.valid_mask = mask
    CONSTANT_GROUPS[group] = cls


# ---------------------------------------------------------------------------
# Fields shared by several constants (dotted paths as in tests/spec/layouts.json)
# ---------------------------------------------------------------------------

_DEFAULT_TYPE_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.Header.Type",
    "NDIS_TCP_CONNECTION_OFFLOAD.Header.Type",
    "IPSEC_OFFLOAD_V2_ADD_SA.Header.Type",
    "IPSEC_OFFLOAD_V2_ADD_SA_EX.Header.Type",
    "IPSEC_OFFLOAD_V2_DELETE_SA.Header.Type",
    "IPSEC_OFFLOAD_V2_UPDATE_SA.Header.Type",
)
_OID_FIELD = ("NDIS_OID_REQUEST.DATA.*.Oid",)
_PARAMETERS_BYTE_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.IPv4Checksum",
    "NDIS_OFFLOAD_PARAMETERS.TCPIPv4Checksum",
    "NDIS_OFFLOAD_PARAMETERS.UDPIPv4Checksum",
    "NDIS_OFFLOAD_PARAMETERS.TCPIPv6Checksum",
    "NDIS_OFFLOAD_PARAMETERS.UDPIPv6Checksum",
    "NDIS_OFFLOAD_PARAMETERS.LsoV1",
    "NDIS_OFFLOAD_PARAMETERS.IPsecV1",
    "NDIS_OFFLOAD_PARAMETERS.LsoV2IPv4",
    "NDIS_OFFLOAD_PARAMETERS.LsoV2IPv6",
    "NDIS_OFFLOAD_PARAMETERS.TcpConnectionIPv4",
    "NDIS_OFFLOAD_PARAMETERS.TcpConnectionIPv6",
    "NDIS_OFFLOAD_PARAMETERS.IPsecV2",
    "NDIS_OFFLOAD_PARAMETERS.IPsecV2IPv4",
    "NDIS_OFFLOAD_PARAMETERS.RscIPv4",
    "NDIS_OFFLOAD_PARAMETERS.RscIPv6",
    "NDIS_OFFLOAD_PARAMETERS.UdpSegmentation.IPv4",
    "NDIS_OFFLOAD_PARAMETERS.UdpSegmentation.IPv6",
)
_PARAMETERS_CHECKSUM_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.IPv4Checksum",
    "NDIS_OFFLOAD_PARAMETERS.TCPIPv4Checksum",
    "NDIS_OFFLOAD_PARAMETERS.UDPIPv4Checksum",
    "NDIS_OFFLOAD_PARAMETERS.TCPIPv6Checksum",
    "NDIS_OFFLOAD_PARAMETERS.UDPIPv6Checksum",
)
_PARAMETERS_LSOV2_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.LsoV2IPv4",
    "NDIS_OFFLOAD_PARAMETERS.LsoV2IPv6",
)
_PARAMETERS_IPSECV2_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.IPsecV2",
    "NDIS_OFFLOAD_PARAMETERS.IPsecV2IPv4",
)
_PARAMETERS_RSC_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.RscIPv4",
    "NDIS_OFFLOAD_PARAMETERS.RscIPv6",
)
_ENCAPSULATION_TYPES_FIELDS = (
    "NDIS_OFFLOAD.EncapsulationTypes",
    "NDIS_OFFLOAD_PARAMETERS.EncapsulationTypes",
)
_PARAMETERS_TCP_CONNECTION_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.TcpConnectionIPv4",
    "NDIS_OFFLOAD_PARAMETERS.TcpConnectionIPv6",
)
_PARAMETERS_USO_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.UdpSegmentation.IPv4",
    "NDIS_OFFLOAD_PARAMETERS.UdpSegmentation.IPv6",
)
_AUTHENTICATION_FIELDS = (
    "NDIS_OFFLOAD.IPsecV2.AuthenticationAlgorithms",
    "IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION.AuthenticationAlgorithm.Identifier",
)
_ENCRYPTION_FIELDS = (
    "NDIS_OFFLOAD.IPsecV2.EncryptionAlgorithms",
    "IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION.EncryptionAlgorithm.Identifier",
)
_ENCAPSULATED_PACKET_FIELDS = (
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadGre.TransmitChecksumOffloadSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadGre.ReceiveChecksumOffloadSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadGre.LsoV2Supported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadGre.RssSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadGre.VmqSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadGre.UsoSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadVxlan.TransmitChecksumOffloadSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadVxlan.ReceiveChecksumOffloadSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadVxlan.LsoV2Supported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadVxlan.RssSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadVxlan.VmqSupported",
    "NDIS_OFFLOAD.EncapsulatedPacketTaskOffloadVxlan.UsoSupported",
)
_OFFLOAD_FLAGS_FIELD = ("NDIS_OFFLOAD.Flags",)
_SUPPORT_FIELDS = (
    "NDIS_OFFLOAD.Checksum.IPv4Transmit.IpOptionsSupported",
    "NDIS_OFFLOAD.Checksum.IPv4Transmit.TcpOptionsSupported",
    "NDIS_OFFLOAD.Checksum.IPv4Transmit.TcpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv4Transmit.UdpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv4Transmit.IpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv4Receive.IpOptionsSupported",
    "NDIS_OFFLOAD.Checksum.IPv4Receive.TcpOptionsSupported",
    "NDIS_OFFLOAD.Checksum.IPv4Receive.TcpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv4Receive.UdpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv4Receive.IpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv6Transmit.IpExtensionHeadersSupported",
    "NDIS_OFFLOAD.Checksum.IPv6Transmit.TcpOptionsSupported",
    "NDIS_OFFLOAD.Checksum.IPv6Transmit.TcpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv6Transmit.UdpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv6Receive.IpExtensionHeadersSupported",
    "NDIS_OFFLOAD.Checksum.IPv6Receive.TcpOptionsSupported",
    "NDIS_OFFLOAD.Checksum.IPv6Receive.TcpChecksum",
    "NDIS_OFFLOAD.Checksum.IPv6Receive.UdpChecksum",
    "NDIS_OFFLOAD.LsoV1.IPv4.TcpOptions",
    "NDIS_OFFLOAD.LsoV1.IPv4.IpOptions",
    "NDIS_OFFLOAD.IPsecV1.IPv4AH.Md5",
    "NDIS_OFFLOAD.IPsecV1.IPv4AH.Sha_1",
    "NDIS_OFFLOAD.IPsecV1.IPv4AH.Transport",
    "NDIS_OFFLOAD.IPsecV1.IPv4AH.Tunnel",
    "NDIS_OFFLOAD.IPsecV1.IPv4AH.Send",
    "NDIS_OFFLOAD.IPsecV1.IPv4AH.Receive",
    "NDIS_OFFLOAD.IPsecV1.IPv4ESP.Des",
    "NDIS_OFFLOAD.IPsecV1.IPv4ESP.TripleDes",
    "NDIS_OFFLOAD.IPsecV1.IPv4ESP.NullEsp",
    "NDIS_OFFLOAD.IPsecV1.IPv4ESP.Transport",
    "NDIS_OFFLOAD.IPsecV1.IPv4ESP.Tunnel",
    "NDIS_OFFLOAD.IPsecV1.IPv4ESP.Send",
    "NDIS_OFFLOAD.IPsecV1.IPv4ESP.Receive",
    "NDIS_OFFLOAD.LsoV2.IPv6.IpExtensionHeadersSupported",
    "NDIS_OFFLOAD.LsoV2.IPv6.TcpOptionsSupported",
    "NDIS_OFFLOAD.UdpSegmentation.IPv6.IpExtensionHeadersSupported",
    "NDIS_TCP_CONNECTION_OFFLOAD.SupportIPv4",
    "NDIS_TCP_CONNECTION_OFFLOAD.SupportIPv6",
    "NDIS_TCP_CONNECTION_OFFLOAD.SupportIPv6ExtensionHeaders",
    "NDIS_TCP_CONNECTION_OFFLOAD.SupportSack",
)
_SET_FIELDS = (
    "NDIS_OFFLOAD_PARAMETERS.EncapsulatedPacketTaskOffload",
    "NDIS_OFFLOAD_ENCAPSULATION.IPv4.Enabled",
    "NDIS_OFFLOAD_ENCAPSULATION.IPv6.Enabled",
)
_ENCAPSULATION_FIELDS = (
    "NDIS_OFFLOAD.Checksum.IPv4Transmit.Encapsulation",
    "NDIS_OFFLOAD.Checksum.IPv4Receive.Encapsulation",
    "NDIS_OFFLOAD.Checksum.IPv6Transmit.Encapsulation",
    "NDIS_OFFLOAD.Checksum.IPv6Receive.Encapsulation",
    "NDIS_OFFLOAD.LsoV1.IPv4.Encapsulation",
    "NDIS_OFFLOAD.IPsecV1.Supported.Encapsulation",
    "NDIS_OFFLOAD.LsoV2.IPv4.Encapsulation",
    "NDIS_OFFLOAD.LsoV2.IPv6.Encapsulation",
    "NDIS_OFFLOAD.IPsecV2.Encapsulation",
    "NDIS_OFFLOAD.UdpSegmentation.IPv4.Encapsulation",
    "NDIS_OFFLOAD.UdpSegmentation.IPv6.Encapsulation",
    "NDIS_TCP_CONNECTION_OFFLOAD.Encapsulation",
    "NDIS_OFFLOAD_ENCAPSULATION.IPv4.EncapsulationType",
    "NDIS_OFFLOAD_ENCAPSULATION.IPv6.EncapsulationType",
)
_STATUS_CODE_FIELD = ("NDIS_STATUS_INDICATION.StatusCode",)
_IPSEC_V1_FLAGS_FIELD = ("NDIS_OFFLOAD.IPsecV1.Supported.Flags",)
_NUM_EXT_HDRS_FIELDS = (
    "IPSEC_OFFLOAD_V2_ADD_SA.NumExtHdrs",
    "IPSEC_OFFLOAD_V2_ADD_SA_EX.NumExtHdrs",
)
_UDP_ESP_FIELDS = (
    "NDIS_OFFLOAD.IPsecV2.UdpEsp",
    "IPSEC_OFFLOAD_V2_ADD_SA.UdpEspEncapsulation",
    "IPSEC_OFFLOAD_V2_ADD_SA_EX.UdpEspEncapsulation",
)
_ADD_SA_FLAGS_FIELDS = (
    "IPSEC_OFFLOAD_V2_ADD_SA.Flags",
    "IPSEC_OFFLOAD_V2_ADD_SA_EX.Flags",
)
_OPERATION_FIELDS = (
    "IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION.Operation",
    "IPSEC_OFFLOAD_V2_UPDATE_SA.Operation",
)
_XLAT_FIELD = ("NDIS_OFFLOAD.Rfc6877Xlat.XlatOffload",)
_CRYPTO_STATUS_FIELD = ("NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO.Receive.CryptoStatus",)
_COMPLETION_STATUS = ("(completion status of OID requests)",)
_WMI_GUID = ("(WMI GUID; status GUIDs also appear in NDIS_STATUS_INDICATION.Guid)",)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §2
# ---------------------------------------------------------------------------

class NDIS_OBJECT_TYPE(ConstantEnum):
    """Object types written to ``Header.Type``. REQUEST_EX and OID_REQUEST share 0x96. (tests/spec/constants.md
    §2)
    """

    NDIS_OBJECT_TYPE_DEFAULT = 0x80
    NDIS_OBJECT_TYPE_REQUEST_EX = 0x96
    NDIS_OBJECT_TYPE_STATUS_INDICATION = 0x98
    NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES = 0xA0
    NDIS_OBJECT_TYPE_OFFLOAD = 0xA7
    NDIS_OBJECT_TYPE_OFFLOAD_ENCAPSULATION = 0xA8
    NDIS_OBJECT_TYPE_OID_REQUEST = 0x96


_register(
    NDIS_OBJECT_TYPE, ("NDIS_OBJECT_TYPE_",),
    _C("NDIS_OBJECT_TYPE_DEFAULT", "Default object",
       "Header.Type of NDIS_OFFLOAD_PARAMETERS, NDIS_TCP_CONNECTION_OFFLOAD and the four IPsec offload v2 SA structures.",
       "6.0", "", "SDK26100 ntddndis.h:193", _DEFAULT_TYPE_FIELDS),
    _C("NDIS_OBJECT_TYPE_REQUEST_EX", "OID request (REQUEST_EX)",
       "Header.Type of an NDIS_OID_REQUEST; the header gives NDIS_OBJECT_TYPE_OID_REQUEST the same value 0x96.",
       "6.0", "", "SDK26100 ntddndis.h:214", ("NDIS_OID_REQUEST.Header.Type",)),
    _C("NDIS_OBJECT_TYPE_STATUS_INDICATION", "Status indication",
       "Header.Type of an NDIS_STATUS_INDICATION.",
       "6.0", "", "SDK26100 ntddndis.h:216", ("NDIS_STATUS_INDICATION.Header.Type",)),
    _C("NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES", "Adapter offload attributes",
       "Header.Type of NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES.",
       "6.0", "", "SDK26100 ntddndis.h:224", ("NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES.Header.Type",)),
    _C("NDIS_OBJECT_TYPE_OFFLOAD", "Offload",
       "Header.Type of an NDIS_OFFLOAD (hardware capabilities or current configuration); a decoder requires 0xA7.",
       "6.0", "", "SDK26100 ntddndis.h:231", ("NDIS_OFFLOAD.Header.Type",)),
    _C("NDIS_OBJECT_TYPE_OFFLOAD_ENCAPSULATION", "Offload encapsulation",
       "Header.Type of NDIS_OFFLOAD_ENCAPSULATION (OID_OFFLOAD_ENCAPSULATION).",
       "6.0", "", "SDK26100 ntddndis.h:232", ("NDIS_OFFLOAD_ENCAPSULATION.Header.Type",)),
    _C("NDIS_OBJECT_TYPE_OID_REQUEST", "OID request",
       "Header.Type of an NDIS_OID_REQUEST (oidtypes.h name); same value 0x96 as NDIS_OBJECT_TYPE_REQUEST_EX.",
       "6.0", "", "SDK26100 ndis/oidtypes.h:44", ("NDIS_OID_REQUEST.Header.Type",)),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §10
# ---------------------------------------------------------------------------

class OID(ConstantEnum):
    """OIDs (``NDIS_OID_REQUEST`` ``Oid``). The ``OID_TCP_TASK_IPSEC_*`` OIDs without ``OFFLOAD_V2``
    are IPsec offload v1. (tests/spec/constants.md §10)
    """

    OID_TCP_TASK_OFFLOAD = 0xFC010201
    OID_TCP_TASK_IPSEC_ADD_SA = 0xFC010202
    OID_TCP_TASK_IPSEC_DELETE_SA = 0xFC010203
    OID_TCP_TASK_IPSEC_ADD_UDPESP_SA = 0xFC010205
    OID_TCP_TASK_IPSEC_DELETE_UDPESP_SA = 0xFC010206
    OID_TCP_OFFLOAD_CURRENT_CONFIG = 0xFC01020B
    OID_TCP_OFFLOAD_PARAMETERS = 0xFC01020C
    OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES = 0xFC01020D
    OID_TCP_CONNECTION_OFFLOAD_CURRENT_CONFIG = 0xFC01020E
    OID_TCP_CONNECTION_OFFLOAD_HARDWARE_CAPABILITIES = 0xFC01020F
    OID_OFFLOAD_ENCAPSULATION = 0x101010A
    OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA = 0xFC030202
    OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA = 0xFC030203
    OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA = 0xFC030204
    OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX = 0xFC030205
    OID_TCP_CONNECTION_OFFLOAD_PARAMETERS = 0xFC030201


_register(
    OID, ("OID_",),
    _C("OID_TCP_TASK_OFFLOAD", "TCP task offload",
       "OID_TCP_TASK_OFFLOAD request code.",
       "6.0", "", "SDK26100 ntddndis.h:1983", _OID_FIELD),
    _C("OID_TCP_TASK_IPSEC_ADD_SA", "IPsec v1 add SA",
       "IPsec offload v1 OID, not supported by Windows 8 and later: add an SA.",
       "6.0", "", "SDK26100 ntddndis.h:1984", _OID_FIELD),
    _C("OID_TCP_TASK_IPSEC_DELETE_SA", "IPsec v1 delete SA",
       "IPsec offload v1 OID, not supported by Windows 8 and later: delete an SA.",
       "6.0", "", "SDK26100 ntddndis.h:1985", _OID_FIELD),
    _C("OID_TCP_TASK_IPSEC_ADD_UDPESP_SA", "IPsec v1 add UDP-ESP SA",
       "IPsec offload v1 OID, not supported by Windows 8 and later: add a UDP-ESP SA.",
       "6.0", "", "SDK26100 ntddndis.h:1987", _OID_FIELD),
    _C("OID_TCP_TASK_IPSEC_DELETE_UDPESP_SA", "IPsec v1 delete UDP-ESP SA",
       "IPsec offload v1 OID, not supported by Windows 8 and later: delete a UDP-ESP SA.",
       "6.0", "", "SDK26100 ntddndis.h:1988", _OID_FIELD),
    _C("OID_TCP_OFFLOAD_CURRENT_CONFIG", "Offload current config",
       "Query-only, answered by NDIS: the current offload configuration as an NDIS_OFFLOAD.",
       "6.0", "", "SDK26100 ntddndis.h:1997", _OID_FIELD),
    _C("OID_TCP_OFFLOAD_PARAMETERS", "Offload parameters",
       "Set-only: change offload settings with an NDIS_OFFLOAD_PARAMETERS; followed by a CURRENT_CONFIG indication.",
       "6.0", "", "SDK26100 ntddndis.h:1998", _OID_FIELD),
    _C("OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES", "Offload hardware capabilities",
       "Query-only, answered by NDIS: the hardware offload capabilities as an NDIS_OFFLOAD.",
       "6.0", "", "SDK26100 ntddndis.h:1999", _OID_FIELD),
    _C("OID_TCP_CONNECTION_OFFLOAD_CURRENT_CONFIG", "TCP connection offload current config",
       "TCP connection (chimney) offload: current configuration.",
       "6.0", "", "SDK26100 ntddndis.h:2000", _OID_FIELD),
    _C("OID_TCP_CONNECTION_OFFLOAD_HARDWARE_CAPABILITIES", "TCP connection offload hardware capabilities",
       "TCP connection (chimney) offload: hardware capabilities.",
       "6.0", "", "SDK26100 ntddndis.h:2001", _OID_FIELD),
    _C("OID_OFFLOAD_ENCAPSULATION", "Offload encapsulation",
       "Set and query (NDIS answers the query): the NDIS_OFFLOAD_ENCAPSULATION settings.",
       "6.0", "", "SDK26100 ntddndis.h:2002", _OID_FIELD),
    _C("OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA", "IPsec v2 add SA",
       "IPsec offload v2 set request on the direct OID path: add an SA bundle (NDIS 6.1 and 6.20 drivers).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:2008", _OID_FIELD),
    _C("OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA", "IPsec v2 delete SA",
       "IPsec offload v2 set request on the direct OID path: delete SA bundles.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:2009", _OID_FIELD),
    _C("OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA", "IPsec v2 update SA",
       "IPsec offload v2 set request on the direct OID path: push new high-order ESN bits for an SA.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:2010", _OID_FIELD),
    _C("OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX", "IPsec v2 add SA (EX)",
       "IPsec offload v2 set request on the direct OID path: add an SA bundle (NDIS 6.30+ drivers; the only _EX variant).",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:2013", _OID_FIELD),
    _C("OID_TCP_CONNECTION_OFFLOAD_PARAMETERS", "TCP connection offload parameters",
       "TCP connection (chimney) offload: parameters.",
       "6.0", "", "SDK26100 ntddndis.h:2032", _OID_FIELD),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §8
# ---------------------------------------------------------------------------

class NDIS_OFFLOAD_PARAMETERS_VALUE(ConstantEnum):
    """``NDIS_OFFLOAD_PARAMETERS`` field values (OID_TCP_OFFLOAD_PARAMETERS). 0 = no change in every
    byte field; the meaning of 1..4 depends on the field, so many names share a value (use
    :func:`member_for` with the field). ``SKIP_REGISTRY_UPDATE`` is the one ``Flags`` bit.
    ``UDP_SEG_*`` are documentation-only aliases of ``USO_*``. (tests/spec/constants.md §8)
    """

    NDIS_OFFLOAD_PARAMETERS_NO_CHANGE = 0x0
    NDIS_OFFLOAD_PARAMETERS_TX_RX_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_TX_ENABLED_RX_DISABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_RX_ENABLED_TX_DISABLED = 0x3
    NDIS_OFFLOAD_PARAMETERS_TX_RX_ENABLED = 0x4
    NDIS_OFFLOAD_PARAMETERS_LSOV1_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_LSOV1_ENABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_IPSECV1_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_IPSECV1_AH_ENABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_IPSECV1_ESP_ENABLED = 0x3
    NDIS_OFFLOAD_PARAMETERS_IPSECV1_AH_AND_ESP_ENABLED = 0x4
    NDIS_OFFLOAD_PARAMETERS_LSOV2_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_LSOV2_ENABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_IPSECV2_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_ENABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_IPSECV2_ESP_ENABLED = 0x3
    NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED = 0x4
    NDIS_OFFLOAD_PARAMETERS_RSC_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_RSC_ENABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_CONNECTION_OFFLOAD_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_CONNECTION_OFFLOAD_ENABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_USO_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_USO_ENABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE = 0x1
    NDIS_OFFLOAD_PARAMETERS_UDP_RSC_NO_CHANGE = 0x0
    NDIS_OFFLOAD_PARAMETERS_UDP_RSC_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_UDP_RSC_ENABLED = 0x2
    NDIS_OFFLOAD_PARAMETERS_UDP_SEG_DISABLED = 0x1
    NDIS_OFFLOAD_PARAMETERS_UDP_SEG_ENABLED = 0x2


_register(
    NDIS_OFFLOAD_PARAMETERS_VALUE, ("NDIS_OFFLOAD_PARAMETERS_",),
    _C("NDIS_OFFLOAD_PARAMETERS_NO_CHANGE", "No change",
       "Every NDIS_OFFLOAD_PARAMETERS byte field: 0 = leave the setting unchanged.",
       "6.0", "", "SDK26100 ntddndis.h:2962", _PARAMETERS_BYTE_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_TX_RX_DISABLED", "Tx/Rx disabled",
       "Checksum fields: disable the checksum offload for transmit and receive.",
       "6.0", "", "SDK26100 ntddndis.h:2968", _PARAMETERS_CHECKSUM_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_TX_ENABLED_RX_DISABLED", "Tx enabled, Rx disabled",
       "Checksum fields: enable the checksum offload for transmit only.",
       "6.0", "", "SDK26100 ntddndis.h:2969", _PARAMETERS_CHECKSUM_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_RX_ENABLED_TX_DISABLED", "Rx enabled, Tx disabled",
       "Checksum fields: enable the checksum offload for receive only.",
       "6.0", "", "SDK26100 ntddndis.h:2970", _PARAMETERS_CHECKSUM_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_TX_RX_ENABLED", "Tx/Rx enabled",
       "Checksum fields: enable the checksum offload for transmit and receive.",
       "6.0", "", "SDK26100 ntddndis.h:2971", _PARAMETERS_CHECKSUM_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_LSOV1_DISABLED", "LSOv1 disabled",
       "LsoV1: disable large send offload v1.",
       "6.0", "", "SDK26100 ntddndis.h:2976", ("NDIS_OFFLOAD_PARAMETERS.LsoV1",)),
    _C("NDIS_OFFLOAD_PARAMETERS_LSOV1_ENABLED", "LSOv1 enabled",
       "LsoV1: enable large send offload v1.",
       "6.0", "", "SDK26100 ntddndis.h:2977", ("NDIS_OFFLOAD_PARAMETERS.LsoV1",)),
    _C("NDIS_OFFLOAD_PARAMETERS_IPSECV1_DISABLED", "IPsec v1 disabled",
       "IPsecV1: disable IPsec offload v1 (*IPsecOffloadV1IPv4 keyword 0, plus 1).",
       "6.0", "", "SDK26100 ntddndis.h:2982", ("NDIS_OFFLOAD_PARAMETERS.IPsecV1",)),
    _C("NDIS_OFFLOAD_PARAMETERS_IPSECV1_AH_ENABLED", "IPsec v1 AH enabled",
       "IPsecV1: enable AH only (*IPsecOffloadV1IPv4 keyword 1, plus 1).",
       "6.0", "", "SDK26100 ntddndis.h:2983", ("NDIS_OFFLOAD_PARAMETERS.IPsecV1",)),
    _C("NDIS_OFFLOAD_PARAMETERS_IPSECV1_ESP_ENABLED", "IPsec v1 ESP enabled",
       "IPsecV1: enable ESP only (*IPsecOffloadV1IPv4 keyword 2, plus 1).",
       "6.0", "", "SDK26100 ntddndis.h:2984", ("NDIS_OFFLOAD_PARAMETERS.IPsecV1",)),
    _C("NDIS_OFFLOAD_PARAMETERS_IPSECV1_AH_AND_ESP_ENABLED", "IPsec v1 AH+ESP enabled",
       "IPsecV1: enable AH and ESP (*IPsecOffloadV1IPv4 keyword 3, plus 1).",
       "6.0", "", "SDK26100 ntddndis.h:2985", ("NDIS_OFFLOAD_PARAMETERS.IPsecV1",)),
    _C("NDIS_OFFLOAD_PARAMETERS_LSOV2_DISABLED", "LSOv2 disabled",
       "LsoV2IPv4/LsoV2IPv6: disable large send offload v2.",
       "6.0", "", "SDK26100 ntddndis.h:2990", _PARAMETERS_LSOV2_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_LSOV2_ENABLED", "LSOv2 enabled",
       "LsoV2IPv4/LsoV2IPv6: enable large send offload v2.",
       "6.0", "", "SDK26100 ntddndis.h:2991", _PARAMETERS_LSOV2_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_IPSECV2_DISABLED", "IPsec v2 disabled",
       "IPsecV2/IPsecV2IPv4: disable IPsec offload v2 (keyword 0, plus 1); NDIS rejects both fields non-zero.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:2997", _PARAMETERS_IPSECV2_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_ENABLED", "IPsec v2 AH enabled",
       "IPsecV2/IPsecV2IPv4: enable AH only (keyword 1, plus 1).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:2998", _PARAMETERS_IPSECV2_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_IPSECV2_ESP_ENABLED", "IPsec v2 ESP enabled",
       "IPsecV2/IPsecV2IPv4: enable ESP only (keyword 2, plus 1).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:2999", _PARAMETERS_IPSECV2_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED", "IPsec v2 AH+ESP enabled",
       "IPsecV2/IPsecV2IPv4: enable AH and ESP (keyword 3, plus 1).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3000", _PARAMETERS_IPSECV2_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_RSC_DISABLED", "RSC disabled",
       "RscIPv4/RscIPv6: disable receive segment coalescing.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3005", _PARAMETERS_RSC_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_RSC_ENABLED", "RSC enabled",
       "RscIPv4/RscIPv6: enable receive segment coalescing.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3006", _PARAMETERS_RSC_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_CONNECTION_OFFLOAD_DISABLED", "TCP connection offload disabled",
       "TcpConnectionIPv4/IPv6: disable TCP connection (chimney) offload.",
       "6.0", "", "SDK26100 ntddndis.h:3026", _PARAMETERS_TCP_CONNECTION_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_CONNECTION_OFFLOAD_ENABLED", "TCP connection offload enabled",
       "TcpConnectionIPv4/IPv6: enable TCP connection (chimney) offload.",
       "6.0", "", "SDK26100 ntddndis.h:3027", _PARAMETERS_TCP_CONNECTION_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_USO_DISABLED", "USO disabled",
       "UdpSegmentation.IPv4/IPv6: disable UDP segmentation offload (the DDI page calls it ..._UDP_SEG_DISABLED).",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "SDK26100 ntddndis.h:3033", _PARAMETERS_USO_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_USO_ENABLED", "USO enabled",
       "UdpSegmentation.IPv4/IPv6: enable UDP segmentation offload (the DDI page calls it ..._UDP_SEG_ENABLED).",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "SDK26100 ntddndis.h:3034", _PARAMETERS_USO_FIELDS),
    _C("NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE", "Skip registry update",
       "NDIS_OFFLOAD_PARAMETERS.Flags bit (NDIS 6.30+): apply without updating the registry; the DDI says Flags should be 0.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3068", ("NDIS_OFFLOAD_PARAMETERS.Flags",)),
    _C("NDIS_OFFLOAD_PARAMETERS_UDP_RSC_NO_CHANGE", "UDP RSC no change",
       "UdpRsc.Enabled: leave UDP RSC unchanged.",
       "6.89", "NDIS_SUPPORT_NDIS684 && (NDIS_SUPPORT_NDIS689)", "SDK26100 ndis/nbluro.h:37", ("NDIS_OFFLOAD_PARAMETERS.UdpRsc.Enabled",)),
    _C("NDIS_OFFLOAD_PARAMETERS_UDP_RSC_DISABLED", "UDP RSC disabled",
       "UdpRsc.Enabled: disable UDP receive segment coalescing.",
       "6.89", "NDIS_SUPPORT_NDIS684 && (NDIS_SUPPORT_NDIS689)", "SDK26100 ndis/nbluro.h:38", ("NDIS_OFFLOAD_PARAMETERS.UdpRsc.Enabled",)),
    _C("NDIS_OFFLOAD_PARAMETERS_UDP_RSC_ENABLED", "UDP RSC enabled",
       "UdpRsc.Enabled: enable UDP receive segment coalescing.",
       "6.89", "NDIS_SUPPORT_NDIS684 && (NDIS_SUPPORT_NDIS689)", "SDK26100 ndis/nbluro.h:39", ("NDIS_OFFLOAD_PARAMETERS.UdpRsc.Enabled",)),
    _C("NDIS_OFFLOAD_PARAMETERS_UDP_SEG_DISABLED", "USO disabled (DDI name)",
       "Documentation-only alias of NDIS_OFFLOAD_PARAMETERS_USO_DISABLED: the DDI page uses this name, no header defines it.",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "DDI ns-ntddndis-_ndis_offload_parameters.md (not in any header; header name is NDIS_OFFLOAD_PARAMETERS_USO_DISABLED)", _PARAMETERS_USO_FIELDS,
       note="documentation-only alias", alias_of="NDIS_OFFLOAD_PARAMETERS_USO_DISABLED"),
    _C("NDIS_OFFLOAD_PARAMETERS_UDP_SEG_ENABLED", "USO enabled (DDI name)",
       "Documentation-only alias of NDIS_OFFLOAD_PARAMETERS_USO_ENABLED: the DDI page uses this name, no header defines it.",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "DDI ns-ntddndis-_ndis_offload_parameters.md (not in any header; header name is NDIS_OFFLOAD_PARAMETERS_USO_ENABLED)", _PARAMETERS_USO_FIELDS,
       note="documentation-only alias", alias_of="NDIS_OFFLOAD_PARAMETERS_USO_ENABLED"),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §9
# ---------------------------------------------------------------------------

class NDIS_ENCAPSULATION_TYPE(ConstantFlag):
    """Tunnel encapsulation types: mask in ``NDIS_OFFLOAD.EncapsulationTypes`` /
    ``NDIS_OFFLOAD_PARAMETERS.EncapsulationTypes``. (tests/spec/constants.md §9)
    """

    NDIS_ENCAPSULATION_TYPE_GRE_MAC = 0x1
    NDIS_ENCAPSULATION_TYPE_VXLAN = 0x2


_register(
    NDIS_ENCAPSULATION_TYPE, ("NDIS_ENCAPSULATION_TYPE_",),
    _C("NDIS_ENCAPSULATION_TYPE_GRE_MAC", "GRE (MAC)",
       "Tunnel encapsulation type: GRE carrying MAC frames.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3011", _ENCAPSULATION_TYPES_FIELDS),
    _C("NDIS_ENCAPSULATION_TYPE_VXLAN", "VXLAN",
       "Tunnel encapsulation type: VXLAN (NDIS 6.50+).",
       "6.50", "(NDIS_SUPPORT_NDIS630) && (NDIS_SUPPORT_NDIS650)", "SDK26100 ntddndis.h:3015", _ENCAPSULATION_TYPES_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §3
# ---------------------------------------------------------------------------

class REVISION(ConstantEnum):
    """``Header.Revision`` numbers of every versioned structure. Many share a value; ``REVISION(n)``
    is the first declared (an ``NDIS_OFFLOAD_PARAMETERS`` one), use :func:`member_for` with the
    field to name a revision of a given structure. (tests/spec/constants.md §3)
    """

    NDIS_OFFLOAD_PARAMETERS_REVISION_1 = 0x1
    NDIS_OFFLOAD_PARAMETERS_REVISION_2 = 0x2
    NDIS_OFFLOAD_PARAMETERS_REVISION_3 = 0x3
    NDIS_OFFLOAD_PARAMETERS_REVISION_4 = 0x4
    NDIS_OFFLOAD_PARAMETERS_REVISION_5 = 0x5
    NDIS_OFFLOAD_PARAMETERS_REVISION_6 = 0x6
    NDIS_TCP_RECV_SEG_COALESC_OFFLOAD_REVISION_1 = 0x1
    NDIS_OFFLOAD_REVISION_1 = 0x1
    NDIS_OFFLOAD_REVISION_2 = 0x2
    NDIS_OFFLOAD_REVISION_3 = 0x3
    NDIS_OFFLOAD_REVISION_4 = 0x4
    NDIS_OFFLOAD_REVISION_5 = 0x5
    NDIS_OFFLOAD_REVISION_6 = 0x6
    NDIS_OFFLOAD_REVISION_7 = 0x7
    NDIS_OFFLOAD_REVISION_8 = 0x8
    NDIS_TCP_CONNECTION_OFFLOAD_REVISION_1 = 0x1
    NDIS_TCP_CONNECTION_OFFLOAD_REVISION_2 = 0x2
    NDIS_OBJECT_REVISION_1 = 0x1
    NDIS_STATUS_INDICATION_REVISION_1 = 0x1
    NDIS_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 = 0x1
    NDIS_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 = 0x1
    NDIS_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 = 0x1
    NDIS_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 = 0x1
    NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 = 0x1
    NDIS_OFFLOAD_ENCAPSULATION_REVISION_1 = 0x1
    NDIS_OID_REQUEST_REVISION_1 = 0x1
    NDIS_OID_REQUEST_REVISION_2 = 0x2


_register(
    REVISION, ("NDIS_",),
    _C("NDIS_OFFLOAD_PARAMETERS_REVISION_1", "NDIS_OFFLOAD_PARAMETERS rev 1",
       "Header.Revision 1 of NDIS_OFFLOAD_PARAMETERS (NDIS 6.0); Header.Size is NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_1 (20 bytes).",
       "6.0", "", "SDK26100 ntddndis.h:3042", ("NDIS_OFFLOAD_PARAMETERS.Header.Revision",)),
    _C("NDIS_OFFLOAD_PARAMETERS_REVISION_2", "NDIS_OFFLOAD_PARAMETERS rev 2",
       "Header.Revision 2 of NDIS_OFFLOAD_PARAMETERS (NDIS 6.1); Header.Size is NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_2 (22 bytes).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3045", ("NDIS_OFFLOAD_PARAMETERS.Header.Revision",)),
    _C("NDIS_OFFLOAD_PARAMETERS_REVISION_3", "NDIS_OFFLOAD_PARAMETERS rev 3",
       "Header.Revision 3 of NDIS_OFFLOAD_PARAMETERS (NDIS 6.30); Header.Size is NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_3 (26 bytes).",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3049", ("NDIS_OFFLOAD_PARAMETERS.Header.Revision",)),
    _C("NDIS_OFFLOAD_PARAMETERS_REVISION_4", "NDIS_OFFLOAD_PARAMETERS rev 4",
       "Header.Revision 4 of NDIS_OFFLOAD_PARAMETERS (NDIS 6.50); Header.Size is NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_4 (32 bytes).",
       "6.50", "(NDIS_SUPPORT_NDIS650)", "SDK26100 ntddndis.h:3053", ("NDIS_OFFLOAD_PARAMETERS.Header.Revision",)),
    _C("NDIS_OFFLOAD_PARAMETERS_REVISION_5", "NDIS_OFFLOAD_PARAMETERS rev 5",
       "Header.Revision 5 of NDIS_OFFLOAD_PARAMETERS (NDIS 6.83); Header.Size is NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_5 (34 bytes).",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "SDK26100 ntddndis.h:3057", ("NDIS_OFFLOAD_PARAMETERS.Header.Revision",)),
    _C("NDIS_OFFLOAD_PARAMETERS_REVISION_6", "NDIS_OFFLOAD_PARAMETERS rev 6",
       "Header.Revision 6 of NDIS_OFFLOAD_PARAMETERS (NDIS 6.89); Header.Size is NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_6 (35 bytes).",
       "6.89", "(NDIS_SUPPORT_NDIS689)", "SDK26100 ntddndis.h:3061", ("NDIS_OFFLOAD_PARAMETERS.Header.Revision",)),
    _C("NDIS_TCP_RECV_SEG_COALESC_OFFLOAD_REVISION_1", "RSC offload rev 1",
       "Informational revision of NDIS_TCP_RECV_SEG_COALESCE_OFFLOAD, which has no header; the header spells it COALESC.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3372", ("(no header: informational revision number)",)),
    _C("NDIS_OFFLOAD_REVISION_1", "NDIS_OFFLOAD rev 1",
       "Header.Revision 1 of NDIS_OFFLOAD (NDIS 6.0, Vista RTM); Header.Size is NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_1 (112 bytes).",
       "6.0", "", "SDK26100 ntddndis.h:3507", ("NDIS_OFFLOAD.Header.Revision",)),
    _C("NDIS_OFFLOAD_REVISION_2", "NDIS_OFFLOAD rev 2",
       "Header.Revision 2 of NDIS_OFFLOAD (NDIS 6.1, Vista SP1 / Server 2008); Header.Size is NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2 (144 bytes).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3509", ("NDIS_OFFLOAD.Header.Revision",)),
    _C("NDIS_OFFLOAD_REVISION_3", "NDIS_OFFLOAD rev 3",
       "Header.Revision 3 of NDIS_OFFLOAD (NDIS 6.30, Windows 8 / Server 2012); Header.Size is NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_3 (156 bytes).",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3513", ("NDIS_OFFLOAD.Header.Revision",)),
    _C("NDIS_OFFLOAD_REVISION_4", "NDIS_OFFLOAD rev 4",
       "Header.Revision 4 of NDIS_OFFLOAD (NDIS 6.50, Windows 10 1507); Header.Size is NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_4 (177 bytes).",
       "6.50", "(NDIS_SUPPORT_NDIS650)", "SDK26100 ntddndis.h:3517", ("NDIS_OFFLOAD.Header.Revision",)),
    _C("NDIS_OFFLOAD_REVISION_5", "NDIS_OFFLOAD rev 5",
       "Header.Revision 5 of NDIS_OFFLOAD (NDIS 6.70, Windows 10 1703); Header.Size is NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_5 (188 bytes).",
       "6.70", "(NDIS_SUPPORT_NDIS670)", "SDK26100 ntddndis.h:3521", ("NDIS_OFFLOAD.Header.Revision",)),
    _C("NDIS_OFFLOAD_REVISION_6", "NDIS_OFFLOAD rev 6",
       "Header.Revision 6 of NDIS_OFFLOAD (NDIS 6.83, Windows 10 1903); Header.Size is NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_6 (216 bytes).",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "SDK26100 ntddndis.h:3525", ("NDIS_OFFLOAD.Header.Revision",)),
    _C("NDIS_OFFLOAD_REVISION_7", "NDIS_OFFLOAD rev 7",
       "Header.Revision 7 of NDIS_OFFLOAD (NDIS 6.85, Windows 10 \"iron\" / Server 2022); adds no member, so Header.Size stays 216 (bits 20..23 of the encapsulated-packet words were named UsoSupported).",
       "6.85", "(NDIS_SUPPORT_NDIS685)", "SDK26100 ntddndis.h:3529", ("NDIS_OFFLOAD.Header.Revision",)),
    _C("NDIS_OFFLOAD_REVISION_8", "NDIS_OFFLOAD rev 8",
       "Header.Revision 8 of NDIS_OFFLOAD (NDIS 6.89, Windows 11 \"gallium\" (24H2)); Header.Size is NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_8 (217 bytes).",
       "6.89", "(NDIS_SUPPORT_NDIS689)", "SDK26100 ntddndis.h:3533", ("NDIS_OFFLOAD.Header.Revision",)),
    _C("NDIS_TCP_CONNECTION_OFFLOAD_REVISION_1", "NDIS_TCP_CONNECTION_OFFLOAD rev 1",
       "Header.Revision 1 of NDIS_TCP_CONNECTION_OFFLOAD (NDIS 6.0); Header.Size is NDIS_SIZEOF_TCP_CONNECTION_OFFLOAD_REVISION_1 (20 bytes).",
       "6.0", "", "SDK26100 ntddndis.h:3861", ("NDIS_TCP_CONNECTION_OFFLOAD.Header.Revision",)),
    _C("NDIS_TCP_CONNECTION_OFFLOAD_REVISION_2", "NDIS_TCP_CONNECTION_OFFLOAD rev 2",
       "Header.Revision 2 of NDIS_TCP_CONNECTION_OFFLOAD (NDIS 6.1); Header.Size is NDIS_SIZEOF_TCP_CONNECTION_OFFLOAD_REVISION_2 (20 bytes).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3863", ("NDIS_TCP_CONNECTION_OFFLOAD.Header.Revision",)),
    _C("NDIS_OBJECT_REVISION_1", "Object header rev 1",
       "Generic revision 1 of any NDIS object header.",
       "6.0", "", "SDK26100 ndis/objectheader.h:35", ("(generic revision 1 of any NDIS object header)",)),
    _C("NDIS_STATUS_INDICATION_REVISION_1", "NDIS_STATUS_INDICATION rev 1",
       "Header.Revision 1 of NDIS_STATUS_INDICATION (NDIS 6.0); Header.Size is NDIS_SIZEOF_STATUS_INDICATION_REVISION_1 (x64 112 / x86 68 bytes).",
       "6.0", "", "WDK22621 km/ndis.h:4427", ("NDIS_STATUS_INDICATION.Header.Revision",)),
    _C("NDIS_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1", "IPSEC_OFFLOAD_V2_ADD_SA rev 1",
       "Header.Revision 1 of IPSEC_OFFLOAD_V2_ADD_SA (NDIS 6.1); Header.Size is NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 (x64 169 / x86 157 bytes).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7293", ("IPSEC_OFFLOAD_V2_ADD_SA.Header.Revision",)),
    _C("NDIS_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1", "IPSEC_OFFLOAD_V2_ADD_SA_EX rev 1",
       "Header.Revision 1 of IPSEC_OFFLOAD_V2_ADD_SA_EX (NDIS 6.30); Header.Size is NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 (x64 170 / x86 162 bytes).",
       "6.30", "(NDIS_SUPPORT_NDIS61) && (NDIS_SUPPORT_NDIS630)", "WDK22621 km/ndis.h:7336", ("IPSEC_OFFLOAD_V2_ADD_SA_EX.Header.Revision",)),
    _C("NDIS_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1", "IPSEC_OFFLOAD_V2_DELETE_SA rev 1",
       "Header.Revision 1 of IPSEC_OFFLOAD_V2_DELETE_SA (NDIS 6.1); Header.Size is NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 (x64 24 / x86 12 bytes).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7384", ("IPSEC_OFFLOAD_V2_DELETE_SA.Header.Revision",)),
    _C("NDIS_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1", "IPSEC_OFFLOAD_V2_UPDATE_SA rev 1",
       "Header.Revision 1 of IPSEC_OFFLOAD_V2_UPDATE_SA (NDIS 6.1); Header.Size is NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 (x64 28 / x86 20 bytes).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7406", ("IPSEC_OFFLOAD_V2_UPDATE_SA.Header.Revision",)),
    _C("NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1", "NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES rev 1",
       "Header.Revision 1 of NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES (NDIS 6.0); Header.Size is NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 (x64 40 / x86 20 bytes).",
       "6.0", "", "WDK22621 km/ndis.h:10389", ("NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES.Header.Revision",)),
    _C("NDIS_OFFLOAD_ENCAPSULATION_REVISION_1", "NDIS_OFFLOAD_ENCAPSULATION rev 1",
       "Header.Revision 1 of NDIS_OFFLOAD_ENCAPSULATION (NDIS 6.0); Header.Size is NDIS_SIZEOF_OFFLOAD_ENCAPSULATION_REVISION_1 (28 bytes).",
       "6.0", "", "WDK22621 km/ndis/encapsulationconfig.h:22", ("NDIS_OFFLOAD_ENCAPSULATION.Header.Revision",)),
    _C("NDIS_OID_REQUEST_REVISION_1", "NDIS_OID_REQUEST rev 1",
       "Header.Revision 1 of NDIS_OID_REQUEST (NDIS 6.0).",
       "6.0", "", "WDK22621 km/ndis/oidrequest.h:93", ("NDIS_OID_REQUEST.Header.Revision",)),
    _C("NDIS_OID_REQUEST_REVISION_2", "NDIS_OID_REQUEST rev 2",
       "Header.Revision 2 of NDIS_OID_REQUEST (NDIS 6.50).",
       "6.50", "NDIS_SUPPORT_NDIS650", "WDK22621 km/ndis/oidrequest.h:99", ("NDIS_OID_REQUEST.Header.Revision",)),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §3
# ---------------------------------------------------------------------------

class NDIS_SIZEOF(ConstantEnum):
    """``Header.Size`` values per revision (the NDIS_SIZEOF macros, which are not ``sizeof``, e.g.
    177 and 217). Six are arch-dependent: the member value is x64, ``.value_for("x86")`` gives x86.
    (tests/spec/constants.md §3)
    """

    NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_1 = 0x14
    NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_2 = 0x16
    NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_3 = 0x1A
    NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_4 = 0x20
    NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_5 = 0x22
    NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_6 = 0x23
    NDIS_SIZEOF_TCP_RECV_SEG_COALESC_OFFLOAD_REVISION_1 = 0x2
    NDIS_SIZEOF_ENCAPSULATED_PACKET_TASK_OFFLOAD_REVISION_1 = 0x8
    NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_1 = 0x70
    NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2 = 0x90
    NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_3 = 0x9C
    NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_4 = 0xB1
    NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_5 = 0xBC
    NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_6 = 0xD8
    NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_7 = 0xD8
    NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_8 = 0xD9
    NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_1 = 0xE0
    NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_2 = 0x100
    NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_3 = 0x10C
    NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_4 = 0x128
    NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_5 = 0x129
    NDIS_SIZEOF_TCP_CONNECTION_OFFLOAD_REVISION_1 = 0x14
    NDIS_SIZEOF_TCP_CONNECTION_OFFLOAD_REVISION_2 = 0x14
    NDIS_SIZEOF_STATUS_INDICATION_REVISION_1 = 0x70  # x64; x86 0x44
    NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 = 0xA9  # x64; x86 0x9D
    NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 = 0xAA  # x64; x86 0xA2
    NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 = 0x18  # x64; x86 0xC
    NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 = 0x1C  # x64; x86 0x14
    NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 = 0x28  # x64; x86 0x14
    NDIS_SIZEOF_OFFLOAD_ENCAPSULATION_REVISION_1 = 0x1C


_register(
    NDIS_SIZEOF, ("NDIS_SIZEOF_",),
    _C("NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_1", "NDIS_OFFLOAD_PARAMETERS rev 1 size",
       "Header.Size of NDIS_OFFLOAD_PARAMETERS revision 1: 20 bytes, through Flags.",
       "6.0", "", "SDK26100 ntddndis.h:3139", ("NDIS_OFFLOAD_PARAMETERS.Header.Size",)),
    _C("NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_2", "NDIS_OFFLOAD_PARAMETERS rev 2 size",
       "Header.Size of NDIS_OFFLOAD_PARAMETERS revision 2: 22 bytes, through IPsecV2IPv4.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3142", ("NDIS_OFFLOAD_PARAMETERS.Header.Size",)),
    _C("NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_3", "NDIS_OFFLOAD_PARAMETERS rev 3 size",
       "Header.Size of NDIS_OFFLOAD_PARAMETERS revision 3: 26 bytes, through EncapsulationTypes.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3146", ("NDIS_OFFLOAD_PARAMETERS.Header.Size",)),
    _C("NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_4", "NDIS_OFFLOAD_PARAMETERS rev 4 size",
       "Header.Size of NDIS_OFFLOAD_PARAMETERS revision 4: 32 bytes, through EncapsulationProtocolParameters.",
       "6.50", "(NDIS_SUPPORT_NDIS650)", "SDK26100 ntddndis.h:3150", ("NDIS_OFFLOAD_PARAMETERS.Header.Size",)),
    _C("NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_5", "NDIS_OFFLOAD_PARAMETERS rev 5 size",
       "Header.Size of NDIS_OFFLOAD_PARAMETERS revision 5: 34 bytes, through UdpSegmentation.",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "SDK26100 ntddndis.h:3154", ("NDIS_OFFLOAD_PARAMETERS.Header.Size",)),
    _C("NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_6", "NDIS_OFFLOAD_PARAMETERS rev 6 size",
       "Header.Size of NDIS_OFFLOAD_PARAMETERS revision 6: 35 bytes, through UdpRsc.",
       "6.89", "(NDIS_SUPPORT_NDIS689)", "SDK26100 ntddndis.h:3158", ("NDIS_OFFLOAD_PARAMETERS.Header.Size",)),
    _C("NDIS_SIZEOF_TCP_RECV_SEG_COALESC_OFFLOAD_REVISION_1", "NDIS_TCP_RECV_SEG_COALESCE_OFFLOAD size",
       "Size of the embedded NDIS_TCP_RECV_SEG_COALESCE_OFFLOAD, which has no header of its own: 2 bytes through IPv6.Enabled; the header spells it COALESC.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3374", ("(size of an embedded structure; no header)",)),
    _C("NDIS_SIZEOF_ENCAPSULATED_PACKET_TASK_OFFLOAD_REVISION_1", "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD size",
       "Size of the embedded NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD, which has no header of its own: 8 bytes through MaxHeaderSizeSupported.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3401", ("(size of an embedded structure; no header)",)),
    _C("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_1", "NDIS_OFFLOAD rev 1 size",
       "Header.Size of NDIS_OFFLOAD revision 1: 112 bytes, through Flags.",
       "6.0", "", "SDK26100 ntddndis.h:3617", ("NDIS_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2", "NDIS_OFFLOAD rev 2 size",
       "Header.Size of NDIS_OFFLOAD revision 2: 144 bytes, through IPsecV2.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3620", ("NDIS_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_3", "NDIS_OFFLOAD rev 3 size",
       "Header.Size of NDIS_OFFLOAD revision 3: 156 bytes, through EncapsulatedPacketTaskOffloadGre.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3624", ("NDIS_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_4", "NDIS_OFFLOAD rev 4 size",
       "Header.Size of NDIS_OFFLOAD revision 4: 177 bytes, through EncapsulationTypes (sizeof() is 180).",
       "6.50", "(NDIS_SUPPORT_NDIS650)", "SDK26100 ntddndis.h:3628", ("NDIS_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_5", "NDIS_OFFLOAD rev 5 size",
       "Header.Size of NDIS_OFFLOAD revision 5: 188 bytes, through Rfc6877Xlat.",
       "6.70", "(NDIS_SUPPORT_NDIS670)", "SDK26100 ntddndis.h:3632", ("NDIS_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_6", "NDIS_OFFLOAD rev 6 size",
       "Header.Size of NDIS_OFFLOAD revision 6: 216 bytes, through UdpSegmentation.",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "SDK26100 ntddndis.h:3636", ("NDIS_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_7", "NDIS_OFFLOAD rev 7 size",
       "Header.Size of NDIS_OFFLOAD revision 7: 216 bytes, through UdpSegmentation; equals revision 6 because revision 7 adds no member.",
       "6.85", "(NDIS_SUPPORT_NDIS685)", "SDK26100 ntddndis.h:3640", ("NDIS_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_8", "NDIS_OFFLOAD rev 8 size",
       "Header.Size of NDIS_OFFLOAD revision 8: 217 bytes, through UdpRsc (sizeof() is 220).",
       "6.89", "(NDIS_SUPPORT_NDIS689)", "SDK26100 ntddndis.h:3644", ("NDIS_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_1", "NDIS_WMI_OFFLOAD rev 1 size",
       "Header.Size of NDIS_WMI_OFFLOAD revision 1: 224 bytes, through Flags.",
       "6.0", "", "SDK26100 ntddndis.h:3833", ("NDIS_WMI_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_2", "NDIS_WMI_OFFLOAD rev 2 size",
       "Header.Size of NDIS_WMI_OFFLOAD revision 2: 256 bytes, through IPsecV2.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3836", ("NDIS_WMI_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_3", "NDIS_WMI_OFFLOAD rev 3 size",
       "Header.Size of NDIS_WMI_OFFLOAD revision 3: 268 bytes, through EncapsulatedPacketTaskOffloadGre.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3840", ("NDIS_WMI_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_4", "NDIS_WMI_OFFLOAD rev 4 size",
       "Header.Size of NDIS_WMI_OFFLOAD revision 4: 296 bytes, through UdpSegmentation.",
       "6.83", "(NDIS_SUPPORT_NDIS683)", "SDK26100 ntddndis.h:3844", ("NDIS_WMI_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_5", "NDIS_WMI_OFFLOAD rev 5 size",
       "Header.Size of NDIS_WMI_OFFLOAD revision 5: 297 bytes, through UdpRsc.",
       "6.89", "(NDIS_SUPPORT_NDIS689)", "SDK26100 ntddndis.h:3848", ("NDIS_WMI_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_TCP_CONNECTION_OFFLOAD_REVISION_1", "NDIS_TCP_CONNECTION_OFFLOAD rev 1 size",
       "Header.Size of NDIS_TCP_CONNECTION_OFFLOAD revision 1: 20 bytes, through Flags.",
       "6.0", "", "SDK26100 ntddndis.h:3886", ("NDIS_TCP_CONNECTION_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_TCP_CONNECTION_OFFLOAD_REVISION_2", "NDIS_TCP_CONNECTION_OFFLOAD rev 2 size",
       "Header.Size of NDIS_TCP_CONNECTION_OFFLOAD revision 2: 20 bytes, through Flags.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3888", ("NDIS_TCP_CONNECTION_OFFLOAD.Header.Size",)),
    _C("NDIS_SIZEOF_STATUS_INDICATION_REVISION_1", "NDIS_STATUS_INDICATION rev 1 size",
       "Header.Size of NDIS_STATUS_INDICATION revision 1: x64 112 / x86 68 bytes, through NdisReserved.",
       "6.0", "", "WDK22621 km/ndis.h:4444", ("NDIS_STATUS_INDICATION.Header.Size",),
       x86=0x44),
    _C("NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1", "IPSEC_OFFLOAD_V2_ADD_SA rev 1 size",
       "Header.Size of IPSEC_OFFLOAD_V2_ADD_SA revision 1: x64 169 / x86 157 bytes, through KeyData.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7329", ("IPSEC_OFFLOAD_V2_ADD_SA.Header.Size",),
       x86=0x9D),
    _C("NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1", "IPSEC_OFFLOAD_V2_ADD_SA_EX rev 1 size",
       "Header.Size of IPSEC_OFFLOAD_V2_ADD_SA_EX revision 1: x64 170 / x86 162 bytes, through VlanId.",
       "6.30", "(NDIS_SUPPORT_NDIS61) && (NDIS_SUPPORT_NDIS630)", "WDK22621 km/ndis.h:7373", ("IPSEC_OFFLOAD_V2_ADD_SA_EX.Header.Size",),
       x86=0xA2),
    _C("NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1", "IPSEC_OFFLOAD_V2_DELETE_SA rev 1 size",
       "Header.Size of IPSEC_OFFLOAD_V2_DELETE_SA revision 1: x64 24 / x86 12 bytes, through OffloadHandle.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7398", ("IPSEC_OFFLOAD_V2_DELETE_SA.Header.Size",),
       x86=0xC),
    _C("NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1", "IPSEC_OFFLOAD_V2_UPDATE_SA rev 1 size",
       "Header.Size of IPSEC_OFFLOAD_V2_UPDATE_SA revision 1: x64 28 / x86 20 bytes, through SequenceNumberHighOrder.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7422", ("IPSEC_OFFLOAD_V2_UPDATE_SA.Header.Size",),
       x86=0x14),
    _C("NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1", "NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES rev 1 size",
       "Header.Size of NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES revision 1: x64 40 / x86 20 bytes, through TcpConnectionOffloadHardwareCapabilities.",
       "6.0", "", "WDK22621 km/ndis.h:10399", ("NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES.Header.Size",),
       x86=0x14),
    _C("NDIS_SIZEOF_OFFLOAD_ENCAPSULATION_REVISION_1", "NDIS_OFFLOAD_ENCAPSULATION rev 1 size",
       "Header.Size of NDIS_OFFLOAD_ENCAPSULATION revision 1: 28 bytes, through IPv6.HeaderSize.",
       "6.0", "", "WDK22621 km/ndis/encapsulationconfig.h:80", ("NDIS_OFFLOAD_ENCAPSULATION.Header.Size",)),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.1
# ---------------------------------------------------------------------------

class IPSEC_OFFLOAD_V2_AUTHENTICATION(ConstantFlag):
    """``NDIS_IPSEC_OFFLOAD_V2.AuthenticationAlgorithms`` bits and ``ALGORITHM_INFO.Identifier``
    (authentication). Valid mask 0x3F. The AES_GCM_* bits mean AES-GMAC integrity only. No
    ``..._AUTHENTICATION_NONE`` exists in the WDK header. (tests/spec/constants.md §6.1)
    """

    IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5 = 0x1
    IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1 = 0x2
    IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256 = 0x4
    IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128 = 0x8
    IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192 = 0x10
    IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256 = 0x20


_register(
    IPSEC_OFFLOAD_V2_AUTHENTICATION, ("IPSEC_OFFLOAD_V2_AUTHENTICATION_",),
    _C("IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5", "MD5",
       "MD5 authentication (integrity) algorithm.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3309", _AUTHENTICATION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1", "SHA-1",
       "SHA-1 authentication (integrity) algorithm.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3310", _AUTHENTICATION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256", "SHA-256",
       "SHA-256 authentication (integrity) algorithm.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3311", _AUTHENTICATION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128", "AES-GMAC-128",
       "AES-GCM with a 128-bit key used for integrity only (AES-GMAC), with no encryption.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3312", _AUTHENTICATION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192", "AES-GMAC-192",
       "AES-GCM with a 192-bit key used for integrity only (AES-GMAC), with no encryption.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3313", _AUTHENTICATION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256", "AES-GMAC-256",
       "AES-GCM with a 256-bit key used for integrity only (AES-GMAC), with no encryption.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3314", _AUTHENTICATION_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.2
# ---------------------------------------------------------------------------

class IPSEC_OFFLOAD_V2_ENCRYPTION(ConstantFlag):
    """``NDIS_IPSEC_OFFLOAD_V2.EncryptionAlgorithms`` bits and ``ALGORITHM_INFO.Identifier``
    (encryption). Valid mask 0x1FF. ``ENCRYPTION_NONE`` (0x1) is a real capability bit (null
    encryption). (tests/spec/constants.md §6.2)
    """

    IPSEC_OFFLOAD_V2_ENCRYPTION_NONE = 0x1
    IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC = 0x2
    IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC = 0x4
    IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 = 0x8
    IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192 = 0x10
    IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256 = 0x20
    IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128 = 0x40
    IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192 = 0x80
    IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256 = 0x100


_register(
    IPSEC_OFFLOAD_V2_ENCRYPTION, ("IPSEC_OFFLOAD_V2_ENCRYPTION_",),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_NONE", "NULL encryption",
       "A real capability bit: ESP with authentication but no encryption (\"null encryption\").",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3320", _ENCRYPTION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC", "DES-CBC",
       "DES in CBC mode.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3321", _ENCRYPTION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC", "3DES-CBC",
       "Triple DES in CBC mode.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3322", _ENCRYPTION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128", "AES-GCM-128",
       "AES-GCM with a 128-bit key: a combined-mode algorithm that carries its own integrity check.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3323", _ENCRYPTION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192", "AES-GCM-192",
       "AES-GCM with a 192-bit key: a combined-mode algorithm that carries its own integrity check.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3324", _ENCRYPTION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256", "AES-GCM-256",
       "AES-GCM with a 256-bit key: a combined-mode algorithm that carries its own integrity check.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3325", _ENCRYPTION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128", "AES-CBC-128",
       "AES in CBC mode with a 128-bit key.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3326", _ENCRYPTION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192", "AES-CBC-192",
       "AES in CBC mode with a 192-bit key.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3327", _ENCRYPTION_FIELDS),
    _C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256", "AES-CBC-256",
       "AES in CBC mode with a 256-bit key.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "SDK26100 ntddndis.h:3328", _ENCRYPTION_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §9
# ---------------------------------------------------------------------------

class NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD(ConstantFlag):
    """Mask held by the 4-bit ``*Supported`` fields of the GRE and VXLAN encapsulated-packet
    structures (e.g. INNER_IPV4 | OUTER_IPV4 | OUTER_IPV6 = 0xB). (tests/spec/constants.md §9)
    """

    NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_NOT_SUPPORTED = 0x0
    NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_INNER_IPV4 = 0x1
    NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_OUTER_IPV4 = 0x2
    NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_INNER_IPV6 = 0x4
    NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_OUTER_IPV6 = 0x8


_register(
    NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD, ("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_",),
    _C("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_NOT_SUPPORTED", "Not supported",
       "GRE/VXLAN *Supported field: the task is not supported for encapsulated packets.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3377", _ENCAPSULATED_PACKET_FIELDS),
    _C("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_INNER_IPV4", "Inner IPv4",
       "GRE/VXLAN *Supported field: supported with an inner IPv4 header.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3378", _ENCAPSULATED_PACKET_FIELDS),
    _C("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_OUTER_IPV4", "Outer IPv4",
       "GRE/VXLAN *Supported field: supported with an outer IPv4 header.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3379", _ENCAPSULATED_PACKET_FIELDS),
    _C("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_INNER_IPV6", "Inner IPv6",
       "GRE/VXLAN *Supported field: supported with an inner IPv6 header.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3380", _ENCAPSULATED_PACKET_FIELDS),
    _C("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_OUTER_IPV6", "Outer IPv6",
       "GRE/VXLAN *Supported field: supported with an outer IPv6 header.",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3381", _ENCAPSULATED_PACKET_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §7
# ---------------------------------------------------------------------------

class NDIS_OFFLOAD_FLAGS(ConstantFlag):
    """``NDIS_OFFLOAD.Flags``. The two coexistence bits exist from NDIS 6.30 only. (tests/spec/constants.md §7)
    """

    NDIS_OFFLOAD_FLAGS_GROUP_CHECKSUM_CAPABILITIES = 0x1
    IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE = 0x2
    IPSEC_OFFLOAD_V2_AND_UDP_CHECKSUM_COEXISTENCE = 0x4


_register(
    NDIS_OFFLOAD_FLAGS, ("NDIS_OFFLOAD_FLAGS_", "IPSEC_OFFLOAD_V2_AND_"),
    _C("NDIS_OFFLOAD_FLAGS_GROUP_CHECKSUM_CAPABILITIES", "Grouped checksum capabilities",
       "In the header, not on the DDI page: NDIS uses it to select the grouped checksum keywords and to require equal checksum settings.",
       "6.0", "", "SDK26100 ntddndis.h:3495", _OFFLOAD_FLAGS_FIELD),
    _C("IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE", "IPsecV2 + TCP checksum",
       "The adapter can do IPsec offload v2 and TCP checksum offload together (NDIS 6.30+, not in a revision-2 object).",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3498", _OFFLOAD_FLAGS_FIELD),
    _C("IPSEC_OFFLOAD_V2_AND_UDP_CHECKSUM_COEXISTENCE", "IPsecV2 + UDP checksum",
       "The adapter can do IPsec offload v2 and UDP checksum offload together (NDIS 6.30+, not in a revision-2 object).",
       "6.30", "(NDIS_SUPPORT_NDIS630)", "SDK26100 ntddndis.h:3499", _OFFLOAD_FLAGS_FIELD),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §5
# ---------------------------------------------------------------------------

class NDIS_OFFLOAD_SUPPORT(ConstantEnum):
    """Values of the 2-bit capability fields (checksum, LSO options, IPsec v1 bits, USO IPv6
    extension headers, TCP chimney ``Support*``). (tests/spec/constants.md §5)
    """

    NDIS_OFFLOAD_NOT_SUPPORTED = 0x0
    NDIS_OFFLOAD_SUPPORTED = 0x1


_register(
    NDIS_OFFLOAD_SUPPORT, ("NDIS_OFFLOAD_",),
    _C("NDIS_OFFLOAD_NOT_SUPPORTED", "Not supported",
       "2-bit capability field value: the offload or option is not supported.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:11", _SUPPORT_FIELDS),
    _C("NDIS_OFFLOAD_SUPPORTED", "Supported",
       "2-bit capability field value: the offload or option is supported.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:12", _SUPPORT_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §5
# ---------------------------------------------------------------------------

class NDIS_OFFLOAD_SET(ConstantEnum):
    """Set values of ``NDIS_OFFLOAD_ENCAPSULATION.*.Enabled`` and
    ``NDIS_OFFLOAD_PARAMETERS.EncapsulatedPacketTaskOffload``. (tests/spec/constants.md §5)
    """

    NDIS_OFFLOAD_SET_NO_CHANGE = 0x0
    NDIS_OFFLOAD_SET_ON = 0x1
    NDIS_OFFLOAD_SET_OFF = 0x2


_register(
    NDIS_OFFLOAD_SET, ("NDIS_OFFLOAD_SET_",),
    _C("NDIS_OFFLOAD_SET_NO_CHANGE", "No change",
       "Set value: leave the setting unchanged.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:14", _SET_FIELDS),
    _C("NDIS_OFFLOAD_SET_ON", "On",
       "Set value: turn the offload on.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:15", _SET_FIELDS),
    _C("NDIS_OFFLOAD_SET_OFF", "Off",
       "Set value: turn the offload off.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:16", _SET_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §4
# ---------------------------------------------------------------------------

class NDIS_ENCAPSULATION(ConstantFlag):
    """MAC encapsulation flags of every ``*.Encapsulation`` member of ``NDIS_OFFLOAD``
    (``IPsecV2.Encapsulation`` included) and of
    ``NDIS_OFFLOAD_ENCAPSULATION.IPv4/IPv6.EncapsulationType``. 802.3 (0x2) is required for every
    offload reported. (tests/spec/constants.md §4)
    """

    NDIS_ENCAPSULATION_NOT_SUPPORTED = 0x0
    NDIS_ENCAPSULATION_NULL = 0x1
    NDIS_ENCAPSULATION_IEEE_802_3 = 0x2
    NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q = 0x4
    NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q_IN_OOB = 0x8
    NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED = 0x10


_register(
    NDIS_ENCAPSULATION, ("NDIS_ENCAPSULATION_",),
    _C("NDIS_ENCAPSULATION_NOT_SUPPORTED", "Not supported",
       "No encapsulation flag set: the offload is not supported.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:21", _ENCAPSULATION_FIELDS),
    _C("NDIS_ENCAPSULATION_NULL", "NULL",
       "NULL encapsulation flag; optional.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:22", _ENCAPSULATION_FIELDS),
    _C("NDIS_ENCAPSULATION_IEEE_802_3", "IEEE 802.3",
       "IEEE 802.3 framing; a miniport must support it for every offload it reports (0x2 required in IPsecV2.Encapsulation).",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:23", _ENCAPSULATION_FIELDS),
    _C("NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q", "IEEE 802.3 p/q",
       "IEEE 802.3 framing with 802.1p/q tags; optional.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:24", _ENCAPSULATION_FIELDS),
    _C("NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q_IN_OOB", "IEEE 802.3 p/q in OOB",
       "IEEE 802.3 framing with the 802.1p/q information in out-of-band data; optional.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:25", _ENCAPSULATION_FIELDS),
    _C("NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED", "LLC/SNAP routed",
       "IEEE LLC/SNAP routed encapsulation; optional.",
       "6.0", "", "SDK26100 ndis/offloadtypes.h:26", _ENCAPSULATION_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §11.1
# ---------------------------------------------------------------------------

class NDIS_STATUS_INDICATION_CODE(ConstantEnum):
    """Status-indication codes (``NDIS_STATUS_INDICATION.StatusCode``). The WDK misspells 0x40020008
    as ``..._ENCASPULATION_CHANGE``; ``ALIASES`` maps the correct spelling. (tests/spec/constants.md §11.1)
    """

    NDIS_STATUS_OFFLOAD_PAUSE = 0x40020001
    NDIS_STATUS_UPLOAD_ALL = 0x40020002
    NDIS_STATUS_OFFLOAD_RESUME = 0x40020003
    NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS = 0x40020004
    NDIS_STATUS_OFFLOAD_STATE_INVALID = 0x40020005
    NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG = 0x40020006
    NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES = 0x40020007
    NDIS_STATUS_OFFLOAD_ENCASPULATION_CHANGE = 0x40020008
    NDIS_STATUS_TCP_CONNECTION_OFFLOAD_HARDWARE_CAPABILITIES = 0x4002000B
    NDIS_STATUS_OFFLOAD_IM_RESERVED1 = 0x40020100
    NDIS_STATUS_OFFLOAD_IM_RESERVED2 = 0x40020101
    NDIS_STATUS_OFFLOAD_IM_RESERVED3 = 0x40020102


_register(
    NDIS_STATUS_INDICATION_CODE, ("NDIS_STATUS_",),
    _C("NDIS_STATUS_OFFLOAD_PAUSE", "Offload pause",
       "Status indication NDIS_STATUS_OFFLOAD_PAUSE. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1925", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_UPLOAD_ALL", "Upload all",
       "Status indication NDIS_STATUS_UPLOAD_ALL. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1926", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_RESUME", "Offload resume",
       "Status indication NDIS_STATUS_OFFLOAD_RESUME. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1927", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS", "Offload partial success",
       "Status indication NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1928", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_STATE_INVALID", "Offload state invalid",
       "Status indication NDIS_STATUS_OFFLOAD_STATE_INVALID. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1929", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG", "Task offload current config",
       "Indication that the offload configuration changed (required after OID_TCP_OFFLOAD_PARAMETERS and OID_OFFLOAD_ENCAPSULATION sets).",
       "6.0", "", "WDK22621 km/ndis.h:1930", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES", "Task offload hardware capabilities",
       "Indication that the hardware capabilities changed; its buffer is a capabilities NDIS_OFFLOAD.",
       "6.0", "", "WDK22621 km/ndis.h:1931", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_ENCASPULATION_CHANGE", "Offload encapsulation change",
       "Tells NDIS the encapsulation settings changed (not IPsec-specific); WDK spelling ENCASPULATION, alias ..._ENCAPSULATION_CHANGE.",
       "6.0", "", "WDK22621 km/ndis.h:1932", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_TCP_CONNECTION_OFFLOAD_HARDWARE_CAPABILITIES", "TCP connection offload hardware capabilities",
       "Status indication NDIS_STATUS_TCP_CONNECTION_OFFLOAD_HARDWARE_CAPABILITIES. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1933", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_IM_RESERVED1", "Offload IM reserved 1",
       "Status indication NDIS_STATUS_OFFLOAD_IM_RESERVED1. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1959", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_IM_RESERVED2", "Offload IM reserved 2",
       "Status indication NDIS_STATUS_OFFLOAD_IM_RESERVED2. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1960", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_IM_RESERVED3", "Offload IM reserved 3",
       "Status indication NDIS_STATUS_OFFLOAD_IM_RESERVED3. Belongs to TCP chimney offload / IM drivers; listed only so a decoder can name it.",
       "6.0", "", "WDK22621 km/ndis.h:1961", _STATUS_CODE_FIELD),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §11.3
# ---------------------------------------------------------------------------

class NDIS_STATUS_CHIMNEY(ConstantEnum):
    """TCP chimney failure codes, listed for decoding only. (tests/spec/constants.md §11.3)"""

    NDIS_STATUS_OFFLOAD_TCP_ENTRIES = 0xC0231004
    NDIS_STATUS_OFFLOAD_PATH_ENTRIES = 0xC0231005
    NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES = 0xC0231006
    NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES = 0xC0231007
    NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES = 0xC0231008
    NDIS_STATUS_OFFLOAD_VLAN_ENTRIES = 0xC0231009
    NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER = 0xC023100A
    NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER = 0xC023100B
    NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW = 0xC023100C
    NDIS_STATUS_OFFLOAD_VLAN_MISMATCH = 0xC023100D
    NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED = 0xC023100E
    NDIS_STATUS_OFFLOAD_POLICY = 0xC023100F
    NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED = 0xC0231010
    NDIS_STATUS_OFFLOAD_REQUEST_RESET = 0xC0231011


_register(
    NDIS_STATUS_CHIMNEY, ("NDIS_STATUS_",),
    _C("NDIS_STATUS_OFFLOAD_TCP_ENTRIES", "Chimney: TCP entries",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_TCP_ENTRIES; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2257", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_PATH_ENTRIES", "Chimney: Path entries",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_PATH_ENTRIES; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2258", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES", "Chimney: Neighbor entries",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2259", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES", "Chimney: IP address entries",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2260", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES", "Chimney: HW address entries",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2261", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_VLAN_ENTRIES", "Chimney: VLAN entries",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_VLAN_ENTRIES; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2262", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER", "Chimney: TCP xmit buffer",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2263", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER", "Chimney: TCP rcv buffer",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2264", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW", "Chimney: TCP rcv window",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2265", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_VLAN_MISMATCH", "Chimney: VLAN mismatch",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_VLAN_MISMATCH; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2266", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED", "Chimney: Data not accepted",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2267", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_POLICY", "Chimney: Policy",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_POLICY; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2268", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED", "Chimney: Data partially accepted",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2269", _STATUS_CODE_FIELD),
    _C("NDIS_STATUS_OFFLOAD_REQUEST_RESET", "Chimney: Request reset",
       "TCP chimney offload failure code NDIS_STATUS_OFFLOAD_REQUEST_RESET; listed for decoding only.",
       "6.0", "", "WDK22621 km/ndis.h:2270", _STATUS_CODE_FIELD),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.6
# ---------------------------------------------------------------------------

class IPSEC_V1_UDPESP_ENCAPTYPE(ConstantFlag):
    """IPsec offload v1 UDP-ESP flags (``NDIS_OFFLOAD.IPsecV1.Supported.Flags``; v1 only).
    (tests/spec/constants.md §6.6)
    """

    IPSEC_TPT_UDPESP_ENCAPTYPE_IKE = 0x1
    IPSEC_TUN_UDPESP_ENCAPTYPE_IKE = 0x2
    IPSEC_TPTOVERTUN_UDPESP_ENCAPTYPE_IKE = 0x4
    IPSEC_TPT_UDPESP_OVER_PURE_TUN_ENCAPTYPE_IKE = 0x8
    IPSEC_TPT_UDPESP_ENCAPTYPE_OTHER = 0x10
    IPSEC_TUN_UDPESP_ENCAPTYPE_OTHER = 0x20
    IPSEC_TPTOVERTUN_UDPESP_ENCAPTYPE_OTHER = 0x40
    IPSEC_TPT_UDPESP_OVER_PURE_TUN_ENCAPTYPE_OTHER = 0x80


_register(
    IPSEC_V1_UDPESP_ENCAPTYPE, ("IPSEC_",),
    _C("IPSEC_TPT_UDPESP_ENCAPTYPE_IKE", "v1 UDP-ESP transport (IKE)",
       "IPsec offload v1 only: UDP-ESP transport mode, encapsulation type IKE.",
       "6.0", "", "WDK22621 km/ndis.h:7119", _IPSEC_V1_FLAGS_FIELD),
    _C("IPSEC_TUN_UDPESP_ENCAPTYPE_IKE", "v1 UDP-ESP tunnel (IKE)",
       "IPsec offload v1 only: UDP-ESP tunnel mode, encapsulation type IKE.",
       "6.0", "", "WDK22621 km/ndis.h:7120", _IPSEC_V1_FLAGS_FIELD),
    _C("IPSEC_TPTOVERTUN_UDPESP_ENCAPTYPE_IKE", "v1 UDP-ESP transport over tunnel (IKE)",
       "IPsec offload v1 only: UDP-ESP transport over tunnel, encapsulation type IKE.",
       "6.0", "", "WDK22621 km/ndis.h:7121", _IPSEC_V1_FLAGS_FIELD),
    _C("IPSEC_TPT_UDPESP_OVER_PURE_TUN_ENCAPTYPE_IKE", "v1 UDP-ESP transport over pure tunnel (IKE)",
       "IPsec offload v1 only: UDP-ESP transport over a pure tunnel, encapsulation type IKE.",
       "6.0", "", "WDK22621 km/ndis.h:7122", _IPSEC_V1_FLAGS_FIELD),
    _C("IPSEC_TPT_UDPESP_ENCAPTYPE_OTHER", "v1 UDP-ESP transport (OTHER)",
       "IPsec offload v1 only: UDP-ESP transport mode, encapsulation type OTHER.",
       "6.0", "", "WDK22621 km/ndis.h:7123", _IPSEC_V1_FLAGS_FIELD),
    _C("IPSEC_TUN_UDPESP_ENCAPTYPE_OTHER", "v1 UDP-ESP tunnel (OTHER)",
       "IPsec offload v1 only: UDP-ESP tunnel mode, encapsulation type OTHER.",
       "6.0", "", "WDK22621 km/ndis.h:7124", _IPSEC_V1_FLAGS_FIELD),
    _C("IPSEC_TPTOVERTUN_UDPESP_ENCAPTYPE_OTHER", "v1 UDP-ESP transport over tunnel (OTHER)",
       "IPsec offload v1 only: UDP-ESP transport over tunnel, encapsulation type OTHER.",
       "6.0", "", "WDK22621 km/ndis.h:7125", _IPSEC_V1_FLAGS_FIELD),
    _C("IPSEC_TPT_UDPESP_OVER_PURE_TUN_ENCAPTYPE_OTHER", "v1 UDP-ESP transport over pure tunnel (OTHER)",
       "IPsec offload v1 only: UDP-ESP transport over a pure tunnel, encapsulation type OTHER.",
       "6.0", "", "WDK22621 km/ndis.h:7126", _IPSEC_V1_FLAGS_FIELD),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.4
# ---------------------------------------------------------------------------

class IPSEC_OFFLOAD_V2_LIMITS(ConstantEnum):
    """Limits of the IPsec offload v2 SA structures. (tests/spec/constants.md §6.4)"""

    IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS = 0x2


_register(
    IPSEC_OFFLOAD_V2_LIMITS, ("IPSEC_OFFLOAD_V2_",),
    _C("IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS", "Max extension headers (2)",
       "Upper bound of ADD_SA[_EX].NumExtHdrs: SecAssoc[] has at most 2 elements (2 only for ESP followed by AH).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7225", _NUM_EXT_HDRS_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.3
# ---------------------------------------------------------------------------

class IPSEC_OFFLOAD_V2_UDP_ESP(ConstantFlag):
    """UDP-ESP encapsulation (``IPsecV2.UdpEsp`` mask of supported subtypes;
    ``ADD_SA[_EX].UdpEspEncapsulation`` the SA's subtype). The 0x4 flag is spelled
    ``..._TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL`` unlike the other three. 0x1 together with
    0x2 is unsupported in an SA. UDP-ESP uses port 4500. (tests/spec/constants.md §6.3)
    """

    IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE = 0x0
    IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT = 0x1
    IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL = 0x2
    IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL = 0x4
    IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL = 0x8


_register(
    IPSEC_OFFLOAD_V2_UDP_ESP, ("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_", "IPSEC_OFFLOAD_V2_"),
    _C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE", "No UDP-ESP",
       "No UDP-ESP encapsulation subtype.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7231", _UDP_ESP_FIELDS),
    _C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT", "UDP-ESP transport",
       "UDP-encapsulated ESP (port 4500), transport mode; an SA must not combine it with 0x2 (tunnel).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7232", _UDP_ESP_FIELDS),
    _C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL", "UDP-ESP tunnel",
       "UDP-encapsulated ESP (port 4500), tunnel mode; an SA must not combine it with 0x1 (transport).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7233", _UDP_ESP_FIELDS),
    _C("IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL", "Transport over UDP-ESP tunnel",
       "Transport mode over a UDP-ESP-encapsulated tunnel (port 4500); the header spells this flag unlike the other three.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7234", _UDP_ESP_FIELDS),
    _C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL", "UDP-ESP transport over tunnel",
       "UDP-ESP-encapsulated transport mode over a tunnel (port 4500).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7235", _UDP_ESP_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.4
# ---------------------------------------------------------------------------

class IPSEC_OFFLOAD_V2_SA_FLAGS(ConstantFlag):
    """``IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION.Flags``. (tests/spec/constants.md §6.4)"""

    IPSEC_OFFLOAD_V2_ESN_SA = 0x1


_register(
    IPSEC_OFFLOAD_V2_SA_FLAGS, ("IPSEC_OFFLOAD_V2_",),
    _C("IPSEC_OFFLOAD_V2_ESN_SA", "ESN",
       "SecAssoc[i].Flags: the SA uses 64-bit extended sequence numbers; needs the ExtendedSequenceNumbers capability.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7240", ("IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION.Flags",)),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.4
# ---------------------------------------------------------------------------

class IPSEC_OFFLOAD_V2_ADD_SA_FLAGS(ConstantFlag):
    """``IPSEC_OFFLOAD_V2_ADD_SA[_EX].Flags`` (no other bits are defined). (tests/spec/constants.md §6.4)"""

    IPSEC_OFFLOAD_V2_INBOUND = 0x1
    IPSEC_OFFLOAD_V2_IPv6 = 0x10


_register(
    IPSEC_OFFLOAD_V2_ADD_SA_FLAGS, ("IPSEC_OFFLOAD_V2_",),
    _C("IPSEC_OFFLOAD_V2_INBOUND", "Inbound",
       "ADD_SA[_EX].Flags: the SA bundle is inbound (outbound when clear).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7285", _ADD_SA_FLAGS_FIELDS),
    _C("IPSEC_OFFLOAD_V2_IPv6", "IPv6",
       "ADD_SA[_EX].Flags: the addresses are IPv6 (IPv4 when clear); needs IPv6Supported.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7286", _ADD_SA_FLAGS_FIELDS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.4
# ---------------------------------------------------------------------------

class IPSEC_OFFLOAD_V2_OPERATION(ConstantEnum):
    """The ``IPSEC_OFFLOAD_V2_OPERATION`` enum (``SecAssoc[i].Operation``, ``UPDATE_SA.Operation``).
    ``IPsecOffloadV2Max`` is reserved for NDIS. (tests/spec/constants.md §6.4)
    """

    IPsecOffloadV2Ah = 0x1
    IPsecOffloadV2Esp = 0x2
    IPsecOffloadV2Max = 0x3


_register(
    IPSEC_OFFLOAD_V2_OPERATION, ("IPsecOffloadV2",),
    _C("IPsecOffloadV2Ah", "AH",
       "SA operation: Authentication Header (AH).",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7247", _OPERATION_FIELDS),
    _C("IPsecOffloadV2Esp", "ESP",
       "SA operation: Encapsulating Security Payload (ESP); in a two-SA bundle ESP comes first, then AH.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7248", _OPERATION_FIELDS),
    _C("IPsecOffloadV2Max", "Max (reserved)",
       "Reserved for NDIS; not a valid SA operation.",
       "6.1", "(NDIS_SUPPORT_NDIS61)", "WDK22621 km/ndis.h:7249", _OPERATION_FIELDS,
       note="Reserved for NDIS"),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §9
# ---------------------------------------------------------------------------

class NDIS_RFC6877_464XLAT_OFFLOAD_OPTIONS(ConstantEnum):
    """The 464XLAT offload enum (``NDIS_OFFLOAD.Rfc6877Xlat.XlatOffload``). (tests/spec/constants.md §9)"""

    NDIS_RFC6877_464XLAT_OFFLOAD_NOT_SUPPORTED = 0x0
    NDIS_RFC6877_464XLAT_OFFLOAD_DISABLED = 0x1
    NDIS_RFC6877_464XLAT_OFFLOAD_ENABLED = 0x2
    NDIS_RFC6877_464XLAT_OFFLOAD_ON_DEMAND = 0x3


_register(
    NDIS_RFC6877_464XLAT_OFFLOAD_OPTIONS, ("NDIS_RFC6877_464XLAT_OFFLOAD_",),
    _C("NDIS_RFC6877_464XLAT_OFFLOAD_NOT_SUPPORTED", "Not supported",
       "Rfc6877Xlat.XlatOffload: 464XLAT offload not supported.",
       "6.70", "(NDIS_SUPPORT_NDIS670)", "SDK26100 ntddndis.h (excerpt):279", _XLAT_FIELD),
    _C("NDIS_RFC6877_464XLAT_OFFLOAD_DISABLED", "Disabled",
       "Rfc6877Xlat.XlatOffload: 464XLAT offload disabled.",
       "6.70", "(NDIS_SUPPORT_NDIS670)", "SDK26100 ntddndis.h (excerpt):280", _XLAT_FIELD),
    _C("NDIS_RFC6877_464XLAT_OFFLOAD_ENABLED", "Enabled",
       "Rfc6877Xlat.XlatOffload: 464XLAT offload enabled.",
       "6.70", "(NDIS_SUPPORT_NDIS670)", "SDK26100 ntddndis.h (excerpt):281", _XLAT_FIELD),
    _C("NDIS_RFC6877_464XLAT_OFFLOAD_ON_DEMAND", "On demand",
       "Rfc6877Xlat.XlatOffload: 464XLAT offload on demand.",
       "6.70", "(NDIS_SUPPORT_NDIS670)", "SDK26100 ntddndis.h (excerpt):282", _XLAT_FIELD),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §6.5
# ---------------------------------------------------------------------------

class CRYPTO_STATUS(ConstantEnum):
    """Receive status in ``NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO.Receive.CryptoStatus``.
    (tests/spec/constants.md §6.5)
    """

    CRYPTO_SUCCESS = 0x0
    CRYPTO_GENERIC_ERROR = 0x1
    CRYPTO_TRANSPORT_AH_AUTH_FAILED = 0x2
    CRYPTO_TRANSPORT_ESP_AUTH_FAILED = 0x3
    CRYPTO_TUNNEL_AH_AUTH_FAILED = 0x4
    CRYPTO_TUNNEL_ESP_AUTH_FAILED = 0x5
    CRYPTO_INVALID_PACKET_SYNTAX = 0x6
    CRYPTO_INVALID_PROTOCOL = 0x7


_register(
    CRYPTO_STATUS, ("CRYPTO_",),
    _C("CRYPTO_SUCCESS", "Success",
       "Receive CryptoStatus: IPsec processing succeeded.",
       "6.0", "", "WDK22621 km/ndis.h:6894", _CRYPTO_STATUS_FIELD),
    _C("CRYPTO_GENERIC_ERROR", "Generic error",
       "Receive CryptoStatus: generic error.",
       "6.0", "", "WDK22621 km/ndis.h:6895", _CRYPTO_STATUS_FIELD),
    _C("CRYPTO_TRANSPORT_AH_AUTH_FAILED", "Transport AH auth failed",
       "Receive CryptoStatus: AH authentication failed in transport mode.",
       "6.0", "", "WDK22621 km/ndis.h:6896", _CRYPTO_STATUS_FIELD),
    _C("CRYPTO_TRANSPORT_ESP_AUTH_FAILED", "Transport ESP auth failed",
       "Receive CryptoStatus: ESP authentication failed in transport mode.",
       "6.0", "", "WDK22621 km/ndis.h:6897", _CRYPTO_STATUS_FIELD),
    _C("CRYPTO_TUNNEL_AH_AUTH_FAILED", "Tunnel AH auth failed",
       "Receive CryptoStatus: AH authentication failed in tunnel mode.",
       "6.0", "", "WDK22621 km/ndis.h:6898", _CRYPTO_STATUS_FIELD),
    _C("CRYPTO_TUNNEL_ESP_AUTH_FAILED", "Tunnel ESP auth failed",
       "Receive CryptoStatus: ESP authentication failed in tunnel mode.",
       "6.0", "", "WDK22621 km/ndis.h:6899", _CRYPTO_STATUS_FIELD),
    _C("CRYPTO_INVALID_PACKET_SYNTAX", "Invalid packet syntax",
       "Receive CryptoStatus: invalid packet syntax.",
       "6.0", "", "WDK22621 km/ndis.h:6900", _CRYPTO_STATUS_FIELD),
    _C("CRYPTO_INVALID_PROTOCOL", "Invalid protocol",
       "Receive CryptoStatus: invalid protocol.",
       "6.0", "", "WDK22621 km/ndis.h:6901", _CRYPTO_STATUS_FIELD),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §11.2
# ---------------------------------------------------------------------------

class NDIS_STATUS_GENERIC(ConstantEnum):
    """Return codes used in the simulated flows. ``INVALID_PARAMETER`` (0xC000000D) and
    ``INVALID_DATA`` (0xC0010015) are different codes. (tests/spec/constants.md §11.2)
    """

    NDIS_STATUS_SUCCESS = 0x0
    NDIS_STATUS_PENDING = 0x103
    NDIS_STATUS_NOT_ACCEPTED = 0x10003
    NDIS_STATUS_BUFFER_OVERFLOW = 0x80000005
    NDIS_STATUS_FAILURE = 0xC0000001
    NDIS_STATUS_RESOURCES = 0xC000009A
    NDIS_STATUS_REQUEST_ABORTED = 0xC001000C
    NDIS_STATUS_RESET_IN_PROGRESS = 0xC001000D
    NDIS_STATUS_NOT_SUPPORTED = 0xC00000BB
    NDIS_STATUS_INVALID_LENGTH = 0xC0010014
    NDIS_STATUS_INVALID_DATA = 0xC0010015
    NDIS_STATUS_BUFFER_TOO_SHORT = 0xC0010016
    NDIS_STATUS_INVALID_OID = 0xC0010017
    NDIS_STATUS_INVALID_PARAMETER = 0xC000000D


_register(
    NDIS_STATUS_GENERIC, ("NDIS_STATUS_",),
    _C("NDIS_STATUS_SUCCESS", "Success",
       "OID completion status: success.",
       "6.0", "", "SDK26100 ndis/status.h:14", _COMPLETION_STATUS),
    _C("NDIS_STATUS_PENDING", "Pending",
       "OID completion status: the request will be completed later.",
       "6.0", "", "SDK26100 ndis/status.h:15", _COMPLETION_STATUS),
    _C("NDIS_STATUS_NOT_ACCEPTED", "Not accepted",
       "OID completion status: not accepted (e.g. DELETE_SA while resetting).",
       "6.0", "", "SDK26100 ndis/status.h:19", _COMPLETION_STATUS),
    _C("NDIS_STATUS_BUFFER_OVERFLOW", "Buffer overflow",
       "OID completion status: buffer overflow.",
       "6.0", "", "SDK26100 ndis/status.h:25", _COMPLETION_STATUS),
    _C("NDIS_STATUS_FAILURE", "Failure",
       "Completion status: failure (e.g. a send naming an unknown SA handle).",
       "6.0", "", "SDK26100 ndis/status.h:26", _COMPLETION_STATUS),
    _C("NDIS_STATUS_RESOURCES", "Resources",
       "OID completion status: insufficient resources.",
       "6.0", "", "SDK26100 ndis/status.h:27", _COMPLETION_STATUS),
    _C("NDIS_STATUS_REQUEST_ABORTED", "Request aborted",
       "OID completion status: the request was aborted (for example because of a reset).",
       "6.0", "", "SDK26100 ndis/status.h:37", _COMPLETION_STATUS),
    _C("NDIS_STATUS_RESET_IN_PROGRESS", "Reset in progress",
       "OID completion status: a reset is in progress.",
       "6.0", "", "SDK26100 ndis/status.h:38", _COMPLETION_STATUS),
    _C("NDIS_STATUS_NOT_SUPPORTED", "Not supported",
       "OID completion status: the request is not supported.",
       "6.0", "", "SDK26100 ndis/status.h:40", _COMPLETION_STATUS),
    _C("NDIS_STATUS_INVALID_LENGTH", "Invalid length",
       "OID completion status: invalid buffer length.",
       "6.0", "", "SDK26100 ndis/status.h:46", _COMPLETION_STATUS),
    _C("NDIS_STATUS_INVALID_DATA", "Invalid data",
       "OID completion status: invalid content (e.g. OID_TCP_OFFLOAD_PARAMETERS out of range); not the same code as INVALID_PARAMETER.",
       "6.0", "", "SDK26100 ndis/status.h:47", _COMPLETION_STATUS),
    _C("NDIS_STATUS_BUFFER_TOO_SHORT", "Buffer too short",
       "OID completion status: the buffer is smaller than the object; BytesNeeded holds the required size.",
       "6.0", "", "SDK26100 ndis/status.h:48", _COMPLETION_STATUS),
    _C("NDIS_STATUS_INVALID_OID", "Invalid OID",
       "OID completion status: the OID is not recognised.",
       "6.0", "", "SDK26100 ndis/status.h:49", _COMPLETION_STATUS),
    _C("NDIS_STATUS_INVALID_PARAMETER", "Invalid parameter",
       "Completion status 0xC000000D: invalid parameter; differs from NDIS_STATUS_INVALID_DATA (0xC0010015).",
       "6.0", "", "SDK26100 ndis/status.h:65", _COMPLETION_STATUS),
)


# ---------------------------------------------------------------------------
# tests/spec/constants.md §12
# ---------------------------------------------------------------------------

class GUID(ConstantGuid):
    """WMI GUIDs (from ``ndisguid.h`` via windows-rs). Status GUIDs also appear in
    ``NDIS_STATUS_INDICATION.Guid``. (tests/spec/constants.md §12)
    """

    GUID_NDIS_TCP_OFFLOAD_CURRENT_CONFIG = uuid.UUID("68542fed-5c74-461e-8934-91c6f9c60960")
    GUID_NDIS_TCP_OFFLOAD_HARDWARE_CAPABILITIES = uuid.UUID("cd5f1102-590f-4ada-ab65-5b31b1dc0172")
    GUID_NDIS_TCP_OFFLOAD_PARAMETERS = uuid.UUID("8ead9a22-7f69-4bc6-949a-c8187b074e61")
    GUID_NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG = uuid.UUID("45049fc6-54d8-40c8-9c3d-b011c4e715bc")
    GUID_NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES = uuid.UUID("b6b8158b-217c-4b2a-be86-6a04beea65b8")


_register(
    GUID, ("GUID_NDIS_",),
    _C("GUID_NDIS_TCP_OFFLOAD_CURRENT_CONFIG", "WMI current config",
       "WMI method GUID; returns the current-config NDIS_OFFLOAD (OID_TCP_OFFLOAD_CURRENT_CONFIG)",
       "6.0", "", "microsoft/windows-rs crates/libs/sys/src/Windows/Win32/NetworkManagement/Ndis/mod.rs (generated from SDK ndisguid.h)", _WMI_GUID,
       note="WMI method GUID; returns the current-config NDIS_OFFLOAD (OID_TCP_OFFLOAD_CURRENT_CONFIG)"),
    _C("GUID_NDIS_TCP_OFFLOAD_HARDWARE_CAPABILITIES", "WMI hardware capabilities",
       "WMI method GUID; returns the hardware-capabilities NDIS_OFFLOAD (OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES)",
       "6.0", "", "microsoft/windows-rs crates/libs/sys/src/Windows/Win32/NetworkManagement/Ndis/mod.rs (generated from SDK ndisguid.h)", _WMI_GUID,
       note="WMI method GUID; returns the hardware-capabilities NDIS_OFFLOAD (OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES)"),
    _C("GUID_NDIS_TCP_OFFLOAD_PARAMETERS", "WMI offload parameters",
       "WMI set GUID; carries NDIS_OFFLOAD_PARAMETERS (OID_TCP_OFFLOAD_PARAMETERS)",
       "6.0", "", "microsoft/windows-rs crates/libs/sys/src/Windows/Win32/NetworkManagement/Ndis/mod.rs (generated from SDK ndisguid.h)", _WMI_GUID,
       note="WMI set GUID; carries NDIS_OFFLOAD_PARAMETERS (OID_TCP_OFFLOAD_PARAMETERS)"),
    _C("GUID_NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG", "WMI current config event",
       "WMI event GUID for NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG",
       "6.0", "", "microsoft/windows-rs crates/libs/sys/src/Windows/Win32/NetworkManagement/Ndis/mod.rs (generated from SDK ndisguid.h)", _WMI_GUID,
       note="WMI event GUID for NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG"),
    _C("GUID_NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES", "WMI hardware capabilities event",
       "WMI event GUID for NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES",
       "6.0", "", "microsoft/windows-rs crates/libs/sys/src/Windows/Win32/NetworkManagement/Ndis/mod.rs (generated from SDK ndisguid.h)", _WMI_GUID,
       note="WMI event GUID for NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES"),
)


# ---------------------------------------------------------------------------
# Registry: look constants up by name, by group, by field
# ---------------------------------------------------------------------------

#: Spellings :func:`lookup` accepts that are not members themselves -> member name.
#: The WDK misspells 0x40020008; no correctly spelled macro exists (tests/spec/constants.md §11.1).
#: (The documentation-only names NDIS_OFFLOAD_PARAMETERS_UDP_SEG_* are listed by the
#: spec itself, so they are members, with ``.alias_of`` naming the header's USO_* name.)
ALIASES: dict[str, str] = {
    "NDIS_STATUS_OFFLOAD_ENCAPSULATION_CHANGE": "NDIS_STATUS_OFFLOAD_ENCASPULATION_CHANGE",
}

_BY_NAME: dict[str, object] = {
    name: cls[name] for cls in CONSTANT_GROUPS.values() for name in cls.__members__
}
_folded: dict[str, list[str]] = {}
for _name in list(_BY_NAME) + list(ALIASES):
    _folded.setdefault(_name.upper(), []).append(_name)
# Case-insensitive spelling -> exact name, only where that is unambiguous.
_BY_FOLDED: dict[str, str] = {k: v[0] for k, v in _folded.items() if len(v) == 1}
del _folded, _name


def all_constants() -> list:
    """Every constant member of every group, in spec order (222 for the current spec)."""
    return list(_BY_NAME.values())


def lookup(name: str, *, follow_alias: bool = False):
    """The member for a constant name.

    Accepts the exact C spelling, a spelling from ``ALIASES`` (e.g.
    ``NDIS_STATUS_OFFLOAD_ENCAPSULATION_CHANGE``) and, when unambiguous, any
    upper/lower-case variant.  With ``follow_alias=True`` a documentation-only
    name (``NDIS_OFFLOAD_PARAMETERS_UDP_SEG_DISABLED``) resolves to the header
    name it stands for.  Raises :class:`UnknownConstantError` (a KeyError) with
    close matches for anything else.
    """
    key = str(name).strip()
    exact = key if key in _BY_NAME or key in ALIASES else _BY_FOLDED.get(key.upper())
    if exact is None:
        close = difflib.get_close_matches(key.upper(), [n.upper() for n in _BY_NAME], n=3)
        hint = "; did you mean " + ", ".join(_BY_FOLDED.get(c, c) for c in close) + "?" if close else ""
        raise UnknownConstantError(f"unknown constant {name!r}{hint}")
    member = _BY_NAME[ALIASES.get(exact, exact)]
    if follow_alias and member.alias_of:
        member = _BY_NAME[member.alias_of]
    return member


def domain_class(group_name: str) -> type:
    """The constant class of a tests/spec/layouts.json group name (a member's ``domain`` entry).

    A one-element list/tuple is accepted too (tests/spec/layouts.json writes ``domain`` as a
    list); for a member with several groups use :func:`member_for`.
    """
    if isinstance(group_name, (list, tuple)):
        if len(group_name) != 1:
            raise ValueError(f"domain_class takes one group, got {list(group_name)!r}; use member_for()")
        group_name = group_name[0]
    try:
        return CONSTANT_GROUPS[group_name]
    except KeyError:
        raise UnknownConstantError(
            f"unknown constant group {group_name!r}; known: {', '.join(CONSTANT_GROUPS)}") from None


def member_for(groups: str | Iterable[str], value, field: str | None = None):
    """Name a raw value of a member whose domain is ``groups`` (one name or a list).

    ``field`` is a dotted ``STRUCT.Member`` path as in ``applies_to``, e.g.
    ``"NDIS_OFFLOAD.Header.Revision"``; among members sharing the value, the one
    whose ``applies_to`` lists the field wins, then the first declared.
    Flag groups return ``Cls(value)`` (undefined bits kept).  Returns None when
    no group defines the value.
    """
    names = [groups] if isinstance(groups, str) else list(groups)
    for group in names:
        cls = domain_class(group)
        if issubclass(cls, ConstantFlag):
            value = _check_unsigned(value)
            if cls.unknown_bits(value) and len(names) > 1:
                continue
            return cls(value)
        if issubclass(cls, ConstantGuid):
            member = cls.from_guid(value)
        else:
            candidates = [m for m in cls.__members__.values() if int(m) == int(value)]
            member = next((m for m in candidates if field and field in m.applies_to),
                          candidates[0] if candidates else None)
        if member is not None:
            return member
    return None


def members_for_field(field: str) -> list:
    """Every member whose ``applies_to`` lists ``field`` (e.g. "NDIS_OFFLOAD_PARAMETERS.IPsecV2")."""
    return [m for m in _BY_NAME.values() if field in m.applies_to]


def __getattr__(name: str):
    """Module attribute access by C name: ``constants.OID_TCP_OFFLOAD_CURRENT_CONFIG``."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name in ALIASES:
        return _BY_NAME[ALIASES[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------
# NDIS versions (tests/spec/constants.md §1)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NdisVersion:
    """One NDIS version: the ``NDIS_SUPPORT_NDISxyz`` code, its Windows release and the
    NDIS_OFFLOAD / NDIS_OFFLOAD_PARAMETERS revisions it introduced (None if none)."""

    ndis: str
    code: int
    windows: str
    offload_revision: int | None
    parameters_revision: int | None

    @property
    def support_macro(self) -> str:
        """The header's guard macro, e.g. "NDIS_SUPPORT_NDIS630"."""
        return f"NDIS_SUPPORT_NDIS{self.code}"


#: In release order (tests/spec/constants.md §1; "First Windows release" is the SDK header comment).
NDIS_VERSIONS: tuple[NdisVersion, ...] = (
    NdisVersion("6.0", 60, "Windows Vista RTM", 1, 1),
    NdisVersion("6.1", 61, "Windows Vista SP1 / Windows Server 2008 RTM", 2, 2),
    NdisVersion("6.20", 620, "Windows 7 / Windows Server 2008 R2", None, None),
    NdisVersion("6.30", 630, "Windows 8 / Windows Server 2012", 3, 3),
    NdisVersion("6.40", 640, "Windows 8.1 / Windows Server 2012 R2", None, None),
    NdisVersion("6.50", 650, "Windows 10, version 1507", 4, 4),
    NdisVersion("6.51", 651, "Windows 10, version 1511", None, None),
    NdisVersion("6.60", 660, "Windows 10, version 1607 / Windows Server 2016", None, None),
    NdisVersion("6.70", 670, "Windows 10, version 1703", 5, None),
    NdisVersion("6.80", 680, "Windows 10, version 1709", None, None),
    NdisVersion("6.81", 681, "Windows 10, version 1803", None, None),
    NdisVersion("6.82", 682, "Windows 10, version 1809", None, None),
    NdisVersion("6.83", 683, "Windows 10, version 1903", 6, 5),
    NdisVersion("6.84", 684, "Windows 10, vibranium release", None, None),
    NdisVersion("6.85", 685, "Windows 10, iron release / Windows Server 2022", 7, None),
    NdisVersion("6.86", 686, "Windows 11, cobalt release", None, None),
    NdisVersion("6.87", 687, "Windows 11, nickel release", None, None),
    NdisVersion("6.88", 688, "Windows 11, copper release", None, None),
    NdisVersion("6.89", 689, "Windows 11, gallium release", 8, 6),
)
_NDIS_INDEX: dict[object, int] = {}
for _i, _v in enumerate(NDIS_VERSIONS):
    _NDIS_INDEX[_v.ndis] = _NDIS_INDEX[_v.code] = _NDIS_INDEX[str(_v.code)] = _i
del _i, _v


def _ndis_index(version: str | int | NdisVersion) -> int:
    key = version.ndis if isinstance(version, NdisVersion) else version
    if isinstance(key, str):
        key = key.strip()
    try:
        return _NDIS_INDEX[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown NDIS version {version!r}; known: "
                         + ", ".join(v.ndis for v in NDIS_VERSIONS)) from None


def ndis_version(version: str | int) -> NdisVersion:
    """The table row for "6.30", 630 or "630"; ValueError for an unknown version."""
    return NDIS_VERSIONS[_ndis_index(version)]


def ndis_at_least(version: str | int, minimum: str | int) -> bool:
    """True when NDIS ``version`` is ``minimum`` or later (release order, not string order)."""
    return _ndis_index(version) >= _ndis_index(minimum)


def offload_revision_ndis(revision: int) -> str:
    """NDIS version that introduced NDIS_OFFLOAD ``Header.Revision`` ``revision`` (1..8)."""
    for v in NDIS_VERSIONS:
        if v.offload_revision == revision:
            return v.ndis
    raise ValueError(f"NDIS_OFFLOAD has no revision {revision!r} (1..8)")


def parameters_revision_ndis(revision: int) -> str:
    """NDIS version that introduced NDIS_OFFLOAD_PARAMETERS ``Header.Revision`` ``revision`` (1..6)."""
    for v in NDIS_VERSIONS:
        if v.parameters_revision == revision:
            return v.ndis
    raise ValueError(f"NDIS_OFFLOAD_PARAMETERS has no revision {revision!r} (1..6)")


# ---------------------------------------------------------------------------
# INF standardized keywords (tests/spec/constants.md §13, tests/spec/layouts.json inf_keywords)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InfKeyword:
    """An INF standardized enumeration keyword (stored as REG_SZ, read by NDIS as an integer).

    ``values`` maps each keyword value to its UI meaning.  The matching
    ``OID_TCP_OFFLOAD_PARAMETERS`` field takes keyword value + 1 (0 in the OID
    means "no change").
    """

    keyword: str
    param_desc: str
    registry_type: str
    ui_type: str
    default: int
    values: dict[int, str] = field(hash=False)
    offload_parameters_field: str
    offload_parameters_value: str
    source: str
    default_note: str

    def meaning(self, value: int) -> str:
        """UI meaning of keyword ``value``; ValueError when the keyword does not define it."""
        try:
            return self.values[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{self.keyword} has no value {value!r} (defined: "
                             + ", ".join(str(v) for v in self.values) + ")") from None

    def parameters_value(self, value: int) -> int:
        """The ``NDIS_OFFLOAD_PARAMETERS`` field value for keyword ``value`` (value + 1)."""
        self.meaning(value)
        return int(value) + 1

    def parameters_member(self, value: int):
        """The named ``NDIS_OFFLOAD_PARAMETERS_*`` constant for keyword ``value``."""
        return member_for("NDIS_OFFLOAD_PARAMETERS_VALUE", self.parameters_value(value),
                          self.offload_parameters_field)


_KEYWORD_SOURCE = ("enumeration-keywords.md; using-registry-values-to-enable-and-disable-task-offloading.md"
                   " (WDD-H)")
_KEYWORD_DEFAULT_NOTE = ("Field data contradicts the documented default of 3: one Intel X550 fixture holds "
                         "\"0\", and Windows Server documentation says the feature is disabled by default "
                         "where it exists (tests/spec/adapters.md).")
_KEYWORD_PARAMETERS_VALUE = "keyword value + 1 (0 in the OID means no change)"


def _ipsec_keyword(keyword: str, param_desc: str, field_path: str) -> InfKeyword:
    # The three IPsec keywords share values, default and source (tests/spec/constants.md §13).
    return InfKeyword(keyword, param_desc, "REG_SZ", "enum", 3,
                      {0: "Disabled", 1: "Auth Header Enabled", 2: "ESP Enabled", 3: "Auth Header & ESP Enabled"},
                      field_path, _KEYWORD_PARAMETERS_VALUE, _KEYWORD_SOURCE, _KEYWORD_DEFAULT_NOTE)


#: keyword -> InfKeyword, in spec order.
INF_KEYWORDS: dict[str, InfKeyword] = {
    k.keyword: k for k in (
        _ipsec_keyword("*IPsecOffloadV1IPv4", "IPsec Offload Version 1 (IPv4)", "NDIS_OFFLOAD_PARAMETERS.IPsecV1"),
        _ipsec_keyword("*IPsecOffloadV2", "IPsec Offload", "NDIS_OFFLOAD_PARAMETERS.IPsecV2"),
        _ipsec_keyword("*IPsecOffloadV2IPv4", "IPsec Offload (IPv4 only)", "NDIS_OFFLOAD_PARAMETERS.IPsecV2IPv4"),
    )
}


# ---------------------------------------------------------------------------
# PowerShell display names of the algorithm masks (tests/spec/constants.md §6.2)
# ---------------------------------------------------------------------------

#: The names come from a third-party note and are unverified on a live system.
POWERSHELL_NAMES_VERIFIED = False
POWERSHELL_NAMES_NOTE = (
    "Some PowerShell views (Get-NetAdapterIPsecOffload) render the algorithm masks as lists of "
    "names. A third-party note reports these names, unverified on a live system; no name for "
    "encryption 0x1 (NONE) was seen. Capture importers accept either the names or the numbers "
    "(tests/spec/capture-formats.md §2.2).")

#: NDIS_IPSEC_OFFLOAD_V2 member -> {PowerShell display name: bit}.  Unverified (see above).
POWERSHELL_NAMES: dict[str, dict[str, int]] = {
    "AuthenticationAlgorithms": {
        "MD5": 0x1, "SHA1": 0x2, "SHA256": 0x4,
        "AESGCM128": 0x8, "AESGCM192": 0x10, "AESGCM256": 0x20,
    },
    "EncryptionAlgorithms": {
        "DESCBC": 0x2, "DES3CBC": 0x4,
        "AESGCM128": 0x8, "AESGCM192": 0x10, "AESGCM256": 0x20,
        "AESCBC128": 0x40, "AESCBC192": 0x80, "AESCBC256": 0x100,
    },
}

#: NDIS_IPSEC_OFFLOAD_V2 member -> flag class of its bits.
POWERSHELL_NAME_CLASSES: dict[str, type] = {
    "AuthenticationAlgorithms": IPSEC_OFFLOAD_V2_AUTHENTICATION,
    "EncryptionAlgorithms": IPSEC_OFFLOAD_V2_ENCRYPTION,
}

#: The same display names keyed by constant group name (``IPSEC_OFFLOAD_V2_AUTHENTICATION`` ...).
POWERSHELL_NAMES_BY_GROUP: dict[str, dict[str, int]] = {
    cls.group: POWERSHELL_NAMES[family] for family, cls in POWERSHELL_NAME_CLASSES.items()
}


def algorithm_bit(family: str, name: str):
    """The flag member for one algorithm name of ``family`` ("AuthenticationAlgorithms" or
    "EncryptionAlgorithms").

    Accepts, case-insensitively, the PowerShell display name ("AESGCM128"), the C
    macro name and the short name ("AES_GCM_128").  Raises ValueError naming the
    family and the accepted names otherwise.
    """
    try:
        cls = POWERSHELL_NAME_CLASSES[family]
    except KeyError:
        raise ValueError(f"unknown algorithm family {family!r}; expected one of "
                         + ", ".join(POWERSHELL_NAME_CLASSES)) from None
    key = str(name).strip().upper()
    for ps_name, bit in POWERSHELL_NAMES[family].items():
        if ps_name.upper() == key:
            return cls(bit)
    for member in cls.all_members():
        if key in (member.name.upper(), member.short.upper()):
            return member
    raise ValueError(f"unknown {family} name {name!r}; expected one of "
                     + ", ".join(list(POWERSHELL_NAMES[family]) + [m.short for m in cls.all_members()]))
