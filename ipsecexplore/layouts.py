"""Byte layouts computed from the declarations, by the MSVC rules of tests/spec/layouts.md §1.

>>> from ipsecexplore.layouts import layout
>>> off = layout("NDIS_OFFLOAD")
>>> off.field("IPsecV2.Esp").offset, off.revision_size(2), off.sizeof
(120, 144, 220)

Nothing here is typed in: every offset, size, padding range, unnamed bit and revision size comes from the
declarations in :mod:`ipsecexplore.declarations` (C member order, C types, bit widths).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import declarations as _declarations  # noqa: F401  (registers the structures)
from .cdecl import DECLARATIONS, Field, Struct

__all__ = ["ARCHES", "Member", "Layout", "RevisionInfo", "layout", "structure_names", "ndis_key"]

ARCHES = ("x64", "x86")  # ARM64 layouts equal x64 (tests/spec/layouts.md §1 rule 4)

# C scalar types -> size in bytes (tests/spec/layouts.md §1 rule 2). Alignment equals size for all of them.
_SCALARS = {
    "UCHAR": 1, "BOOLEAN": 1, "USHORT": 2, "ULONG": 4, "UINT32": 4, "IPAddr": 4,
    "NDIS_SWITCH_PORT_ID": 4, "NDIS_PORT_NUMBER": 4, "NDIS_STATUS": 4, "IPSEC_OFFLOAD_V2_SPI_TYPE": 4,
}
_POINTER_SIZE = {"x64": 8, "x86": 4}
_GUID = (16, 4)  # size, alignment (ULONG first member)
_ENUM = (4, 4)


def ndis_key(version: str) -> tuple[int, int]:
    """Sort key for an NDIS version string: '6.1' < '6.20' < '6.30' < '6.85'."""
    major, _, minor = version.partition(".")
    return int(major), int(minor or 0)


@dataclass(frozen=True)
class Member:
    """One member of a structure, at its computed position.

    ``offset``/``size`` are the member's bytes; for a bit-field they are the containing little-endian
    32-bit word (as in tests/spec/layouts.json) and ``bit_offset``/``bit_width`` the bits inside it, while
    ``unit_offset``/``unit_size`` give the declared storage unit (they differ only for a USHORT bit-field).
    """

    path: str
    name: str
    ctype: str
    kind: str  # scalar | bitfield | struct | union | array | pointer | guid | enum
    offset: int
    size: int
    bit_offset: int | None = None
    bit_width: int | None = None
    unit_offset: int | None = None
    unit_size: int | None = None
    count: int | None = None
    elem_size: int | None = None
    added_in_revision: int | None = None
    added_in_ndis: str | None = None
    domain: str | tuple | None = None
    note: str | None = None
    leaf: bool = True
    in_union: bool = False

    @property
    def end(self) -> int:
        """One past the last byte this member occupies (bit-fields: of their storage unit)."""
        if self.kind == "bitfield":
            return self.unit_offset + self.unit_size
        return self.offset + self.size

    @property
    def mask(self) -> int | None:
        """Bit mask inside the 32-bit word, for bit-fields."""
        if self.bit_width is None:
            return None
        return ((1 << self.bit_width) - 1) << self.bit_offset

    @property
    def domains(self) -> tuple:
        """Every constant group that names this member's values."""
        if self.domain is None:
            return ()
        return self.domain if isinstance(self.domain, tuple) else (self.domain,)

    @property
    def group(self) -> str | None:
        """The first (main) constant group of this member's values."""
        return self.domains[0] if self.domains else None

    @property
    def is_boolean(self) -> bool:
        """True for a ``BOOLEAN`` member (one byte, 0 or 1 normally)."""
        return self.ctype == "BOOLEAN" and self.kind == "scalar"


@dataclass(frozen=True)
class RevisionInfo:
    """A revision with its computed ``Header.Size`` (the NDIS_SIZEOF value, not sizeof)."""

    revision: int
    size: int
    ndis: str
    through_member: str
    windows: str | None
    revision_constant: str | None
    size_constant: str | None


class Layout:
    """The computed layout of one structure on one architecture."""

    def __init__(self, name: str, arch: str, sizeof: int, align: int, members: list[Member],
                 revisions: list[RevisionInfo], decl: Struct):
        self.name = name
        self.arch = arch
        self.sizeof = sizeof
        self.align = align
        self.members = members
        self.revisions = revisions
        self.object_type = decl.object_type
        self.ndis = decl.ndis
        self.header_file = decl.header
        self._by_path = {m.path: m for m in members}
        self.leaves = [m for m in members if m.leaf]
        self.leaf_paths = [m.path for m in self.leaves]

    def __repr__(self) -> str:
        return f"<Layout {self.name} {self.arch} sizeof={self.sizeof} members={len(self.members)}>"

    @property
    def has_header(self) -> bool:
        """True when the structure starts with an ``NDIS_OBJECT_HEADER``."""
        return "Header.Type" in self._by_path

    def field(self, path: str) -> Member:
        """The member at a dotted path (``KeyError`` naming the path and structure if unknown)."""
        try:
            return self._by_path[path]
        except KeyError:
            raise KeyError(f"{self.name} has no member {path!r}") from None

    def __contains__(self, path: str) -> bool:
        return path in self._by_path

    def revision(self, rev: int) -> RevisionInfo:
        """The :class:`RevisionInfo` of revision ``rev`` (KeyError if the structure has no such revision)."""
        for r in self.revisions:
            if r.revision == rev:
                return r
        known = ", ".join(str(r.revision) for r in self.revisions) or "none"
        raise KeyError(f"{self.name} has no revision {rev} (revisions: {known})")

    def revision_size(self, rev: int) -> int:
        """``Header.Size`` for revision ``rev``: the NDIS_SIZEOF_*_REVISION_n value."""
        return self.revision(rev).size

    @property
    def latest_revision(self) -> int | None:
        """The highest revision declared, or None for a structure without revisions."""
        return self.revisions[-1].revision if self.revisions else None

    def leaves_within(self, size: int) -> list[Member]:
        """Value-holding members that lie entirely inside the first ``size`` bytes."""
        return [m for m in self.leaves if m.end <= size]

    def leaves_in_revision(self, rev: int) -> list[Member]:
        """Value-holding members a revision reports: inside its Header.Size and already named by it
        (bits named in a later revision, like UsoSupported, are unnamed bits before it)."""
        size = self.revision_size(rev)
        return [m for m in self.leaves if m.end <= size and (m.added_in_revision or 0) <= rev]

    def padding(self) -> list[tuple[int, int]]:
        """(offset, length) runs of bytes that no member covers, up to ``sizeof``."""
        covered = bytearray(self.sizeof)
        for m in self.leaves:
            start = m.unit_offset if m.kind == "bitfield" else m.offset
            for i in range(start, m.end):
                covered[i] = 1
        runs, i = [], 0
        while i < self.sizeof:
            if not covered[i]:
                j = i
                while j < self.sizeof and not covered[j]:
                    j += 1
                runs.append((i, j - i))
                i = j
            else:
                i += 1
        return runs

    def unnamed_bits(self, revision: int | None = None) -> list[tuple[int, int]]:
        """(word offset, mask) of bits inside bit-field words that no named field covers
        (in ``revision``, when given: fields it does not name yet count as unnamed)."""
        words: dict[int, int] = {}
        named = self.leaves if revision is None else self.leaves_in_revision(revision)
        for m in named:
            if m.kind == "bitfield":
                words[m.offset] = words.get(m.offset, 0) | m.mask
        out = []
        for off, used in sorted(words.items()):
            # Only the declared storage units count; a USHORT unit covers 16 bits of its word.
            unit_bits = 0
            for m in self.leaves:
                if m.kind == "bitfield" and m.offset == off:
                    unit_bits |= ((1 << (m.unit_size * 8)) - 1) << ((m.unit_offset - off) * 8)
            free = unit_bits & ~used
            if free:
                out.append((off, free))
        return out

    def byte_owner(self) -> list[Member | None]:
        """For each byte up to ``sizeof``: the innermost member that owns it (None for padding).

        Bytes of a bit-field word belong to the first field declared in that word; union bytes to the
        widest alternative (so a dump shows one name per byte). Computed once per layout."""
        cached = self.__dict__.get("_byte_owner")
        if cached is not None:
            return cached
        owner: list[Member | None] = [None] * self.sizeof
        for m in self.leaves:
            start = m.unit_offset if m.kind == "bitfield" else m.offset
            for i in range(start, m.end):
                if owner[i] is None:
                    owner[i] = m
        self._byte_owner = owner
        return owner


def _scalar_size(f: Field, arch: str) -> tuple[int, int]:
    if f.pointer:
        p = _POINTER_SIZE[arch]
        return p, p
    if f.enum:
        return _ENUM
    if f.ctype == "GUID":
        return _GUID
    if f.ctype in ("PVOID", "NDIS_HANDLE"):
        p = _POINTER_SIZE[arch]
        return p, p
    if f.ctype in _SCALARS:
        s = _SCALARS[f.ctype]
        return s, s
    raise KeyError(f"unknown C type {f.ctype!r} of member {f.name!r}")


class _Builder:
    """Lays out one declaration recursively, emitting flattened members with absolute offsets."""

    def __init__(self, arch: str):
        self.arch = arch
        self._size_cache: dict[str, tuple[int, int]] = {}

    def type_of(self, f: Field) -> Struct | None:
        if isinstance(f.ctype, Struct):
            return f.ctype
        if f.ctype in DECLARATIONS and not f.pointer:
            return DECLARATIONS[f.ctype]
        return None

    def size_align(self, f: Field) -> tuple[int, int]:
        st = self.type_of(f)
        if st is not None:
            size, align = self.struct_size(st)
        else:
            size, align = _scalar_size(f, self.arch)
        return size * (f.count or 1), align

    def struct_size(self, st: Struct) -> tuple[int, int]:
        key = st.name if st.name and st.name in DECLARATIONS and DECLARATIONS[st.name] is st else None
        if key and key in self._size_cache:
            return self._size_cache[key]
        res = self.lay(st, 0, "", None, None)
        if key:
            self._size_cache[key] = res
        return res

    def lay(self, st: Struct, base: int, prefix: str, ndis: str | None, emit, in_union=False):
        """Place ``st``'s members starting at ``base``; returns (size, alignment).

        MSVC bit-field rule: consecutive bit-fields share a storage unit of their declared type while
        they fit and the type size does not change; any other member closes the unit."""
        offset, max_align = 0, 1
        unit = None  # (unit_offset, unit_size, bits_used)
        for f in st.members:
            fndis = _max_ndis(ndis, f.ndis)
            if isinstance(f, Struct):  # anonymous union/struct directly in the member list
                size, align = self.struct_size(f)
                unit = None
                if not st.is_union:
                    offset = _align(offset, align)
                self.lay(f, base + (0 if st.is_union else offset), prefix, ndis, emit,
                         in_union=in_union or f.is_union)
                if not st.is_union:
                    offset += size
                else:
                    offset = max(offset, size)
                max_align = max(max_align, align)
                continue
            path = f"{prefix}{f.name}"
            if f.bits is not None:
                usize, _ = _scalar_size(f, self.arch)
                if st.is_union:
                    unit = None
                    uoff = 0
                    bit = 0
                elif unit and unit[1] == usize and unit[2] + f.bits <= usize * 8:
                    uoff, bit = unit[0], unit[2]
                    unit = (uoff, usize, bit + f.bits)
                else:
                    uoff = _align(offset, usize)
                    bit = 0
                    offset = uoff + usize
                    unit = (uoff, usize, f.bits)
                max_align = max(max_align, usize)
                if emit is not None:
                    absu = base + uoff
                    word = absu - absu % 4
                    emit(Member(path=path, name=f.name, ctype=f.ctype, kind="bitfield", offset=word, size=4,
                                bit_offset=(absu - word) * 8 + bit, bit_width=f.bits, unit_offset=absu,
                                unit_size=usize, added_in_ndis=fndis, domain=f.domain, note=f.note,
                                in_union=in_union))
                if st.is_union:
                    offset = max(offset, usize)
                continue
            unit = None
            size, align = self.size_align(f)
            pos = 0 if st.is_union else _align(offset, align)
            max_align = max(max_align, align)
            if emit is not None:
                self.emit_field(f, base + pos, path, fndis, emit, in_union or st.is_union)
            offset = max(offset, size) if st.is_union else pos + size
        return _align(offset, max_align), max_align

    def emit_field(self, f: Field, off: int, path: str, ndis: str | None, emit, in_union: bool):
        st = self.type_of(f)
        size, _ = self.size_align(f)
        ctype = f.ctype if isinstance(f.ctype, str) else (f.ctype.name or ("union" if f.ctype.is_union else "struct"))
        if st is not None:
            if isinstance(f.ctype, Struct):  # an inline struct/union carries its own NDIS version
                ndis = _max_ndis(ndis, st.ndis)
            inner_ndis = _max_ndis(ndis, st.ndis)
            if f.count:
                esize = size // f.count
                emit(Member(path=path, name=f.name, ctype=ctype, kind="array", offset=off, size=size,
                            count=f.count, elem_size=esize, added_in_ndis=ndis, domain=f.domain,
                            note=f.note, leaf=False, in_union=in_union))
                for i in range(f.count):
                    epath = f"{path}[{i}]"
                    emit(Member(path=epath, name=f"{f.name}[{i}]", ctype=ctype, kind="struct",
                                offset=off + i * esize, size=esize, added_in_ndis=ndis, leaf=False,
                                in_union=in_union))
                    self.lay(st, off + i * esize, epath + ".", inner_ndis, emit, in_union)
                return
            emit(Member(path=path, name=f.name, ctype=ctype, kind="union" if st.is_union else "struct",
                        offset=off, size=size, added_in_ndis=ndis, domain=f.domain, note=f.note,
                        leaf=False, in_union=in_union))
            self.lay(st, off, path + ".", inner_ndis, _with_domains(emit, path + ".", f.domains),
                     in_union or st.is_union)
            return
        if f.count:
            esize = size // f.count
            emit(Member(path=path, name=f.name, ctype=ctype, kind="array", offset=off, size=size,
                        count=f.count, elem_size=esize, added_in_ndis=ndis, domain=f.domain, note=f.note,
                        in_union=in_union))
            return
        if f.pointer or f.ctype in ("PVOID", "NDIS_HANDLE"):
            kind = "pointer"
        elif f.enum:
            kind = "enum"
        elif f.ctype == "GUID":
            kind = "guid"
        else:
            kind = "scalar"
        emit(Member(path=path, name=f.name, ctype=ctype, kind=kind, offset=off, size=size, added_in_ndis=ndis,
                    domain=f.domain, note=f.note, in_union=in_union))


def _with_domains(emit, prefix: str, domains: dict | None):
    """Wrap ``emit`` so members of an embedded structure get the value domain their use gives them
    (``ALGORITHM_INFO.Identifier`` holds authentication bits in one place, encryption bits in another)."""
    if not domains or emit is None:
        return emit

    def inner(m: Member):
        rel = m.path[len(prefix):]
        if rel in domains:
            m = _replace(m, domain=domains[rel])
        emit(m)

    return inner


def _align(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def _max_ndis(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if ndis_key(a) >= ndis_key(b) else b


def structure_names() -> list[str]:
    """Names of every declared structure, in declaration order."""
    return list(DECLARATIONS)


@cache
def layout(name: str, arch: str = "x64") -> Layout:
    """The computed :class:`Layout` of structure ``name`` for ``arch`` ('x64' — also ARM64 — or 'x86')."""
    if arch not in ARCHES:
        raise ValueError(f"unknown architecture {arch!r}; expected one of {', '.join(ARCHES)}")
    try:
        decl = DECLARATIONS[name]
    except KeyError:
        raise KeyError(f"unknown structure {name!r}") from None
    b = _Builder(arch)
    members: list[Member] = []
    sizeof, align = b.lay(decl, 0, "", decl.ndis, members.append)
    by_path = {m.path: m for m in members}
    revisions = []
    for r in decl.revisions:
        through = by_path[r.through]
        revisions.append(RevisionInfo(r.revision, through.end, r.ndis, r.through, r.windows,
                                      r.revision_constant, r.size_constant))
    if revisions:
        fixed = []
        for m in members:
            rev = decl.named_later.get(m.path)
            if rev is None:
                rev = next((r.revision for r in revisions if r.size >= m.end), None)
            fixed.append(_replace(m, added_in_revision=rev))
        members = fixed
    return Layout(name, arch, sizeof, align, members, revisions, decl)


def _replace(m: Member, **kw) -> Member:
    from dataclasses import replace

    return replace(m, **kw)
