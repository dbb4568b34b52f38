"""Column names for tables of NDIS_OFFLOAD members, derived from the layout and the constant groups.

One place decides that the AES-GCM-128 bit of ``IPsecV2.EncryptionAlgorithms`` is the column
``IPsecV2.EncryptionAlgorithms.AES_GCM_128``; the bulk decoder, the fleet frame and the charts all use it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache

from .layouts import layout

__all__ = ["FlagColumn", "flag_columns", "IPSECV2_FLAG_MEMBERS", "ipsecv2_members", "fleet_member_paths",
           "KEYWORD_PREFIX", "keyword_column", "is_keyword_column", "keyword_of", "keyword_columns",
           "ID_COLUMNS", "ENABLED", "HEADER_COLUMNS", "HOST_FROM", "FORMAT", "SA_CAPACITY", "member_columns",
           "all_flag_columns", "MODEL", "VIRTUAL", "VIRTUAL_FROM", "OS", "IDENTITY_COLUMNS",
           # Linux columns
           "OS_VALUES", "LINUX_DRIVER_COLUMNS", "XFRM_DIRECTIONS", "XFRM_MODES", "ethtool_column",
           "xfrm_column", "linux_columns"]

#: Prefix of the fleet columns holding INF keyword values (``keyword.*IPsecOffloadV2``).
KEYWORD_PREFIX = "keyword."


def keyword_column(keyword: str) -> str:
    """The fleet column of an INF keyword: ``*IPsecOffloadV2`` -> ``keyword.*IPsecOffloadV2``."""
    return KEYWORD_PREFIX + keyword


def is_keyword_column(column) -> bool:
    """True for a column made by :func:`keyword_column`."""
    return str(column).startswith(KEYWORD_PREFIX)


def keyword_of(column: str) -> str:
    """The INF keyword of a keyword column: ``keyword.*IPsecOffloadV2`` -> ``*IPsecOffloadV2``."""
    return column[len(KEYWORD_PREFIX):]


def keyword_columns(columns) -> list[str]:
    """The keyword columns among ``columns`` (e.g. a frame's), in their order."""
    return [c for c in columns if is_keyword_column(c)]


#: The columns every fleet row starts with: where the row comes from and which view it is.
ID_COLUMNS = ("host", "adapter", "description", "source", "view", "provenance")
#: The CIM administrative switch of the adapter (``Enabled``), a column of every fleet row.
ENABLED = "Enabled"
#: Header members a raw capture carries beside the IPsecV2 block (``<NA>`` for other captures).
HEADER_COLUMNS = ("Header.Revision", "Flags")
#: Where the host name came from, and which importer and text encoding read the row.
HOST_FROM, FORMAT = "host_from", "format"
#: The SA capacity member (R30: SA bundles; a per-vNIC budget on a Hyper-V vNIC).
SA_CAPACITY = "IPsecV2.SaOffloadCapacity"


# Columns the fleet frame derives from an adapter's identity, after the capture's own columns.
#: NIC model: the adapter description without Windows' instance suffix (`` #2``); <NA> without a description.
MODEL = "model"
#: True for a Hyper-V virtual NIC, False for an adapter known not to be one, <NA> when nothing tells.
VIRTUAL = "virtual"
#: The evidence ``virtual`` was read from (per row), e.g. ``Get-NetView hNIC folder``.
VIRTUAL_FROM = "virtual_from"
#: Operating system of the capture; frames without this column hold Windows captures only.
OS = "os"
#: Identity columns in frame order with their pandas dtype. New identity columns (``os``, ``driver`` …)
#: are added here and filled by the importer that knows them; the fleet frame appends them in this order.
IDENTITY_COLUMNS: dict[str, str] = {MODEL: "string", VIRTUAL: "boolean", VIRTUAL_FROM: "string"}

# The IPsecV2 members whose bits are expanded into one boolean column per flag.
IPSECV2_FLAG_MEMBERS = ("IPsecV2.Encapsulation", "IPsecV2.UdpEsp", "IPsecV2.AuthenticationAlgorithms",
                        "IPsecV2.EncryptionAlgorithms")


@dataclass(frozen=True)
class FlagColumn:
    column: str  # e.g. IPsecV2.EncryptionAlgorithms.AES_GCM_128
    member: str  # e.g. IPsecV2.EncryptionAlgorithms
    bit: int  # e.g. 0x8
    macro: str  # e.g. IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128
    label: str  # e.g. AES-GCM-128


@cache
def flag_columns(member: str, structure: str = "NDIS_OFFLOAD") -> tuple[FlagColumn, ...]:
    """One :class:`FlagColumn` per named non-zero flag of ``member``'s constant group, in bit order."""
    from .constants import domain_class

    m = layout(structure).field(member)
    cls = domain_class(m.group) if m.group else None
    if cls is None or not issubclass(cls, enum.Flag):
        return ()
    out, seen = [], set()
    for c in sorted(cls.__members__.values(), key=int):
        v = int(c)
        if v == 0 or v & (v - 1) or v in seen:  # zero, multi-bit masks and aliases are not columns
            continue
        seen.add(v)
        out.append(FlagColumn(f"{member}.{c.short}", member, v, c.name, getattr(c, "label", c.short)))
    return tuple(out)


@cache
def all_flag_columns() -> tuple[FlagColumn, ...]:
    """Every flag column of every member of :data:`IPSECV2_FLAG_MEMBERS`, member by member in that order."""
    return tuple(f for m in IPSECV2_FLAG_MEMBERS for f in flag_columns(m))


@cache
def member_columns() -> tuple[tuple[str, str], ...]:
    """``((path, pandas dtype), ...)`` for every ``IPsecV2`` leaf of ``NDIS_OFFLOAD``, in C order: ``boolean``
    for a ``BOOLEAN`` member, ``Int64`` for the others."""
    return tuple((m.path, "boolean" if m.is_boolean else "Int64")
                 for m in layout("NDIS_OFFLOAD").leaves if m.path.startswith("IPsecV2."))


def ipsecv2_members() -> list[str]:
    """Dotted paths of the NDIS_IPSEC_OFFLOAD_V2 members inside NDIS_OFFLOAD, in C order."""
    return [m.path for m in layout("NDIS_OFFLOAD").leaves if m.path.startswith("IPsecV2.")]


def fleet_member_paths() -> list[str]:
    """Header members then IPsecV2 members: the 'fleet' selection of the bulk decoder."""
    return ["Header.Type", "Header.Revision", "Header.Size"] + ipsecv2_members()


# ---------------------------------------------------------------------------------------------------------
# Linux columns (issue 15; tests/spec/capture-formats.md §8). Linux rows have os = "linux", adapter = interface name,
# their own ethtool/xfrm columns, and <NA> in every NDIS member column.
# ---------------------------------------------------------------------------------------------------------
OS_VALUES = ("windows", "linux")
#: From ``ethtool -i``: the driver name and the ``firmware-version`` line.
LINUX_DRIVER_COLUMNS = ("driver", "firmware")
XFRM_DIRECTIONS = ("in", "out")
#: Offload type of an xfrm state: ``mode crypto|packet`` on its offload line; no mode printed = unknown.
XFRM_MODES = ("crypto", "packet", "unknown")


def ethtool_column(feature: str, fixed: bool = False) -> str:
    """``ethtool.<feature>`` (the feature's state in the row's view) or ``ethtool.<feature>.fixed``."""
    return f"ethtool.{feature}" + (".fixed" if fixed else "")


def xfrm_column(direction: str, mode: str) -> str:
    """``xfrm.states.<in|out>.<crypto|packet|unknown>``: offloaded xfrm states counted per interface."""
    return f"xfrm.states.{direction}.{mode}"


def linux_columns() -> list[tuple[str, str]]:
    """``[(column, pandas dtype), ...]`` of the Linux block of the fleet frame, in frame order (after ``os``)."""
    from .crossos import FEATURE_NAMES

    cols = [(c, "string") for c in LINUX_DRIVER_COLUMNS]
    for f in FEATURE_NAMES:
        cols += [(ethtool_column(f), "boolean"), (ethtool_column(f, True), "boolean")]
    cols += [(xfrm_column(d, m), "Int64") for d in XFRM_DIRECTIONS for m in XFRM_MODES]
    return cols
