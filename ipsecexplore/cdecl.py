"""The vocabulary in which every C structure is declared once, as data (see ``declarations.py``).

A declaration mirrors the C source: member order, C type names, nested and anonymous structs and unions,
bit-field widths, array lengths, and the NDIS version that introduced a member. It holds no offsets and no
sizes: :mod:`ipsecexplore.layouts` computes those with the MSVC rules, and everything else (codec, numpy
dtype, hex-dump annotation, C text, DataFrame columns) is derived from the computed layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Field", "Struct", "Union", "Revision", "declare", "DECLARATIONS"]


@dataclass(frozen=True)
class Revision:
    """One ``Header.Revision`` of a versioned structure. ``through`` is the member named in the
    ``RTL_SIZEOF_THROUGH_FIELD`` expression of its ``NDIS_SIZEOF_*`` macro (a dotted path)."""

    revision: int
    through: str
    ndis: str
    windows: str | None = None
    revision_constant: str | None = None
    size_constant: str | None = None


@dataclass(frozen=True)
class Struct:
    """A C ``struct``. ``name`` is the typedef name, or None for an anonymous inner struct."""

    name: str | None
    members: list
    ndis: str | None = None
    header: str | None = None
    object_type: str | None = None
    revisions: list = field(default_factory=list)
    # Bit-fields that were *named* in a later revision without any size change (tests/spec/layouts.md §2):
    # dotted path -> the revision that names them.
    named_later: dict = field(default_factory=dict)
    is_union = False


@dataclass(frozen=True)
class Union(Struct):
    """A C ``union``; with ``name`` None and used directly in a member list, an anonymous union whose
    members' names join the enclosing structure's paths."""

    is_union = True


@dataclass(frozen=True)
class Field:
    """One member. ``ctype`` is a C type name (scalar, pointer, enum or the typedef of a declared
    structure) or an inline :class:`Struct` / :class:`Union`. ``bits`` makes it a bit-field,
    ``count`` an array."""

    name: str
    ctype: str | Struct
    bits: int | None = None
    count: int | None = None
    pointer: bool = False
    enum: bool = False
    domain: str | tuple | None = None  # constant group(s) giving the values
    ndis: str | None = None
    note: str | None = None
    # For a member of structure type: value domains of its members in this use (relative path -> group).
    domains: dict | None = None

    def __hash__(self):
        return hash((self.name, id(self.ctype)))


DECLARATIONS: dict[str, Struct] = {}


def declare(struct: Struct) -> Struct:
    """Register a top-level structure declaration by its typedef name."""
    if struct.name in DECLARATIONS:
        raise ValueError(f"structure {struct.name} declared twice")
    DECLARATIONS[struct.name] = struct
    return struct
