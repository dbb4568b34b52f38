"""Objects for NDIS structures: attribute access by C member name, dicts by dotted path, strict codec.

>>> from ipsecexplore.model import NdisOffload, decode, encode
>>> off = NdisOffload.new(revision=2)
>>> off.IPsecV2.Esp = True
>>> off.IPsecV2.EncryptionAlgorithms = 0x8          # IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128
>>> data = encode(off)
>>> len(data), data[0x78], decode(data).to_dict()["IPsecV2.Esp"]
(144, 1, True)
"""

from __future__ import annotations

from .codec import Decoded, check_header, decode_values, encode_values, header_for
from .codec import check_revision as _check_revision
from .errors import DecodeError, EncodeError
from .formatting import to_jsonable, value_text
from .layouts import Layout, layout
from .text import html_text
from .wmi import refuse_wmi_block

__all__ = ["to_jsonable", "StructValue", "NdisOffload", "IPsecOffloadV2", "OffloadParameters", "decode", "encode",
           "decode_struct", "encode_struct", "STRUCT_CLASSES"]


class _View:
    """Attribute access to the members under one path prefix of a :class:`StructValue`."""

    __slots__ = ("_root", "_prefix")

    def __init__(self, root: StructValue, prefix: str):
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_prefix", prefix)

    def _path(self, name: str) -> str:
        return f"{self._prefix}{name}"

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._root._get(self._path(name))

    def __setattr__(self, name: str, value) -> None:
        self._root._set(self._path(name), value)

    def __getitem__(self, i: int):
        return self._root._get(f"{self._prefix[:-1]}[{i}]")

    def __dir__(self):
        n = len(self._prefix)
        return sorted({m.path[n:].split(".")[0] for m in self._root.layout.members if m.path.startswith(self._prefix)})

    def to_dict(self) -> dict:
        """This part's values keyed by paths relative to it."""
        n = len(self._prefix)
        return {k[n:]: v for k, v in self._root.to_dict().items() if k.startswith(self._prefix)}

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())
        return f"<{self._prefix[:-1]}: {inner}>"

    def _repr_html_(self) -> str:
        from .hexdump import member_table_html

        title = html_text(f"{self._root.structure}.{self._prefix[:-1]}")
        return f"<div><b>{title}</b>{member_table_html(self._root, prefix=self._prefix)}</div>"


class StructValue:
    """One structure's values, by dotted C member path.

    Raw BOOLEAN bytes are kept as integers internally (so 0x02 survives a round trip); :meth:`to_dict`
    presents them as ``bool`` and lists odd ones in :attr:`odd_booleans`.
    """

    STRUCTURE = ""

    def __init__(self, values: dict | None = None, *, revision: int | None = None, arch: str = "x64",
                 structure: str | None = None, decoded: Decoded | None = None):
        object.__setattr__(self, "structure", structure or self.STRUCTURE)
        object.__setattr__(self, "arch", arch)
        lay = layout(self.structure, arch)
        object.__setattr__(self, "layout", lay)
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "decoded", decoded)
        if lay.revisions:
            if revision is None:
                revision = (values or {}).get("Header.Revision") or lay.latest_revision
            revision = _check_revision(lay, revision)
        object.__setattr__(self, "_revision", revision)
        for path, v in (values or {}).items():
            if path in self.header():
                continue  # the header follows the revision
            self._set(path, v)

    # --- construction ---------------------------------------------------------------------------
    @classmethod
    def new(cls, revision: int | None = None, arch: str = "x64", **_):
        """An all-zero object of ``revision`` (default: the newest)."""
        return cls(revision=revision, arch=arch)

    @classmethod
    def from_dict(cls, values: dict, revision: int | None = None, arch: str = "x64"):
        """Build from ``{dotted path: value}``. Unknown paths raise :class:`EncodeError` naming them."""
        lay = layout(cls.STRUCTURE, arch)
        for p in values:
            if p not in lay or not lay.field(p).leaf:
                raise EncodeError("unknown member", structure=cls.STRUCTURE, path=p)
        if lay.revisions and revision is None:
            revision = values.get("Header.Revision")
        obj = cls(revision=revision, arch=arch)
        if lay.revisions:
            check_header(cls.STRUCTURE, values, obj.revision, arch, keys=("Header.Type", "Header.Size"),
                         zero_ok=("Header.Type", "Header.Size"))
        for p, v in values.items():
            if p not in obj.header():
                obj._set(p, v)
        return obj

    # --- access ---------------------------------------------------------------------------------
    @property
    def revision(self) -> int | None:
        """``Header.Revision`` this object is encoded with (None for structures without revisions)."""
        return self._revision

    @revision.setter
    def revision(self, rev: int) -> None:
        object.__setattr__(self, "_revision", _check_revision(self.layout, rev))

    def header(self) -> dict:
        """``Header.*`` values: those of the revision, except a larger ``Header.Size`` read from the bytes."""
        if not self.layout.revisions:
            return {}
        hdr = header_for(self.layout, self._revision)
        d = self.decoded
        if d is not None and d.revision == self._revision and d.header_size > hdr["Header.Size"]:
            hdr["Header.Size"] = d.header_size  # sizeof, or larger (R8): encode writes it back
        return hdr

    def _get(self, path: str):
        lay = self.layout
        if path.startswith("Header.") and lay.revisions and path in self.header():
            return self.header()[path]
        if path not in lay:
            raise AttributeError(f"{self.structure} has no member {path!r}")
        m = lay.field(path)
        if not m.leaf:
            return _View(self, path + ".")
        v = self._values.get(path, m.codec.zero(m))
        return bool(v) if m.is_boolean else v

    def _set(self, path: str, value) -> None:
        lay = self.layout
        if path not in lay:
            raise EncodeError("unknown member", structure=self.structure, path=path)
        m = lay.field(path)
        if not m.leaf:
            raise EncodeError("not a value-holding member", structure=self.structure, path=path)
        if path.startswith("Header.") and lay.revisions and path in self.header():
            raise EncodeError("the header follows the revision; set .revision instead", structure=self.structure,
                              path=path)
        self._values[path] = m.codec.check(self.structure, m, value)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._get(name)

    def __setattr__(self, name: str, value) -> None:
        if name == "revision":
            StructValue.revision.fset(self, value)
            return
        if name.startswith("_") or name in self.__dict__:
            object.__setattr__(self, name, value)
            return
        self._set(name, value)

    def __dir__(self):
        return sorted(set(super().__dir__()) | {m.path.split(".")[0].split("[")[0] for m in self.layout.members})

    def __eq__(self, other) -> bool:
        return (isinstance(other, StructValue) and other.structure == self.structure
                and other.arch == self.arch and other.revision == self.revision
                and other.to_dict(raw=True) == self.to_dict(raw=True))

    def __hash__(self):  # mutable
        return id(self)

    @property
    def size(self) -> int:
        """Bytes this object encodes to (``Header.Size`` for versioned structures)."""
        return self.header()["Header.Size"] if self.layout.revisions else self.layout.sizeof

    def members_present(self):
        """Leaf members this object's revision reports."""
        if self.layout.revisions:
            return self.layout.leaves_in_revision(self._revision)
        return self.layout.leaves_within(self.size)

    def to_dict(self, raw: bool = False) -> dict:
        """``{dotted path: value}`` for every member the revision reports, header included.

        BOOLEANs become ``bool`` (``raw=True`` keeps the byte)."""
        out = {}
        hdr = self.header()
        for m in self.members_present():
            if m.path in hdr:
                out[m.path] = hdr[m.path]
                continue
            v = self._values.get(m.path, m.codec.zero(m))
            out[m.path] = v if raw or not m.is_boolean else bool(v)
        return out

    def to_json(self) -> dict:
        """:meth:`to_dict` with JSON-ready values (see :func:`to_jsonable`). A BOOLEAN whose byte is neither
        0 nor 1 is written as that integer, so that encoding the JSON gives the same byte back."""
        odd = self.odd_booleans
        return {k: odd.get(k, to_jsonable(v)) for k, v in self.to_dict().items()}

    @property
    def odd_booleans(self) -> dict:
        """BOOLEAN members whose byte is neither 0 nor 1: path -> raw value."""
        return {p: v for p, v in self._values.items() if self.layout.field(p).is_boolean and v > 1}

    def encode(self, revision: int | None = None, *, full_sizeof: bool = False, canonical: bool = False) -> bytes:
        """Pack to bytes; see :func:`encode`. Non-zero padding and unnamed bits found by the decode that
        made this object are written back unless ``canonical`` (then they are zero, as drivers write)."""
        hdr = self.header()
        vals = {k: v for k, v in self.to_dict(raw=True).items() if k not in hdr}
        # members beyond this object's own revision are kept too, so that encoding at a lower
        # revision refuses them by name instead of dropping them
        for p, v in self._values.items():
            vals.setdefault(p, v)
        rev = revision if revision is not None else self._revision
        return encode_values(self.structure, vals, self.arch, revision=rev, strict_header=False,
                             full_sizeof=full_sizeof, extras=None if canonical else self.decoded)

    # --- presentation ---------------------------------------------------------------------------
    def hexdump(self, html_output: bool = False, **kw) -> str:
        """The annotated hex dump of :meth:`encode` (text; HTML with ``html_output=True``).

        See :mod:`ipsecexplore.hexdump`."""
        from .hexdump import hexdump, hexdump_html

        data = self.encode()
        return hexdump_html(data, self.layout, **kw) if html_output else hexdump(data, self.layout, **kw)

    def c_initializer(self, variable: str | None = None) -> str:
        """The C code a driver would write to fill this structure; see :func:`ipsecexplore.cinit.c_initializer`."""
        from .cinit import c_initializer

        return c_initializer(self, variable)

    def __repr__(self) -> str:
        nz = {k: v for k, v in self.to_dict().items() if v and not k.startswith("Header.")}
        rev = f" revision {self._revision}" if self._revision is not None else ""
        body = ", ".join(f"{k}={_short(v)}" for k, v in list(nz.items())[:12])
        more = f", … {len(nz) - 12} more" if len(nz) > 12 else ""
        return f"<{self.structure}{rev} ({self.arch}) {body}{more}>"

    def notes(self) -> list[str]:
        """What the decode that made this object kept but found unusual (odd BOOLEAN bytes, non-zero
        padding or unnamed bits, bytes past Header.Size), in plain words."""
        return decode_report(self.decoded) if self.decoded else []

    def _repr_html_(self) -> str:
        from .hexdump import member_table_html

        title = html_text(f"{self.structure}" + (f" revision {self._revision}" if self._revision else ""))
        notes = "".join(f"<li>{html_text(n)}</li>" for n in self.notes())
        notes = f'<ul class="ipsecexplore-notes">{notes}</ul>' if notes else ""
        return f"<div><b>{title}</b> — {self.size} bytes{notes}{member_table_html(self)}</div>"


def _short(v) -> str:
    return value_text(v, decimal=False)


class NdisOffload(StructValue):
    """``NDIS_OFFLOAD`` — what a miniport reports and what OID_TCP_OFFLOAD_CURRENT_CONFIG returns."""

    STRUCTURE = "NDIS_OFFLOAD"

    @property
    def trailing(self) -> bytes:
        """Bytes that followed ``Header.Size`` in the decoded buffer (kept, reported, not decoded)."""
        return self.decoded.trailing if self.decoded else b""

    def findings(self):
        """Deprecated alias of :meth:`notes` (kept for one release; these are notes, not rule findings)."""
        import warnings

        warnings.warn("NdisOffload.findings() is deprecated; use notes()", DeprecationWarning, stacklevel=2)
        return self.notes()


class IPsecOffloadV2(StructValue):
    """``NDIS_IPSEC_OFFLOAD_V2`` on its own (the 32-byte block at NDIS_OFFLOAD offset 0x70)."""

    STRUCTURE = "NDIS_IPSEC_OFFLOAD_V2"


class OffloadParameters(StructValue):
    """``NDIS_OFFLOAD_PARAMETERS`` — the OID_TCP_OFFLOAD_PARAMETERS set request."""

    STRUCTURE = "NDIS_OFFLOAD_PARAMETERS"


STRUCT_CLASSES = {c.STRUCTURE: c for c in (NdisOffload, IPsecOffloadV2, OffloadParameters)}


def decode_report(d: Decoded) -> list[str]:
    """Plain-words list of what a decode kept but found unusual."""
    out = list(d.notes)  # the decode's own notes: Header.Size against the macro (d.extent), SA sizeof, …
    for p, v in d.odd_booleans.items():
        out.append(f"{p}: BOOLEAN byte is 0x{v:02X}, not 0 or 1 (read as TRUE, raw value kept)")
    for off, raw in d.nonzero_padding:
        out.append(f"padding at offset 0x{off:X} ({off}) is not zero: {raw.hex(' ')}")
    for off, mask, found in d.unnamed_bits:
        out.append(f"unnamed bits of the word at offset 0x{off:X} ({off}) are set: 0x{found:08X} (mask 0x{mask:08X})")
    if d.trailing:
        out.append(d.extent.trailing_note())
    return out


def _layout_or_error(name: str, arch: str, error: type) -> Layout:
    for arg, v in (("name", name), ("arch", arch)):
        if not isinstance(v, str):
            raise error(f"the structure's {arg} must be a string, not {type(v).__name__}")
    try:
        return layout(name, arch)
    except (KeyError, ValueError) as exc:
        raise error(str(exc.args[0]).strip("'\""), structure=str(name)) from None


def decode_struct(name: str, data, arch: str = "x64", **kw) -> StructValue:
    """Decode any declared structure (``IPSEC_OFFLOAD_V2_ADD_SA``, ``NDIS_OFFLOAD_PARAMETERS`` …).

    >>> decode_struct("NDIS_IPSEC_OFFLOAD_V2", bytes(32)).to_dict()["Esp"]
    False
    """
    _layout_or_error(name, arch, DecodeError)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DecodeError(f"expected bytes, got {type(data).__name__}", structure=name)
    if name.startswith("IPSEC_OFFLOAD_V2_") and "accept_sizeof" not in kw:
        kw["accept_sizeof"] = True  # SA Header.Size: docs say NDIS_SIZEOF, header comments sizeof
    d = decode_values(name, data, arch, **kw)
    cls = STRUCT_CLASSES.get(name, StructValue)
    obj = cls(revision=d.revision, arch=arch, structure=name, decoded=d)
    hdr = obj.header()
    for p, v in d.values.items():
        if p not in hdr:
            obj._values[p] = v
    return obj


def encode_struct(name: str, values: dict, arch: str = "x64", revision: int | None = None, **kw) -> bytes:
    """Pack ``{dotted path: value}`` as structure ``name``; see :func:`ipsecexplore.codec.encode_values`."""
    _layout_or_error(name, arch, EncodeError)
    return encode_values(name, values, arch, revision=revision, **kw)


def decode(data) -> NdisOffload:
    """Decode one ``NDIS_OFFLOAD``: Header.Type 0xA7, Revision 1..8, Header.Size at least NDIS_SIZEOF of that
    revision (a larger size is accepted, as readers must; its extra bytes are kept and noted) and within the
    buffer. Bytes past Header.Size are kept in ``.trailing``; :meth:`NdisOffload.notes` lists what was unusual.
    An ``NDIS_WMI_OFFLOAD`` block (what WMI returns) is refused: its IPsecV2 area is not filled (R81).

    Raises :class:`~ipsecexplore.errors.DecodeError`.

    >>> decode(bytes.fromhex("a7017000") + bytes(108)).revision
    1
    """
    if isinstance(data, str):
        raise DecodeError("decode() takes bytes; for hex text use ipsecexplore.hexinput.parse_hex")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DecodeError(f"decode() takes bytes, got {type(data).__name__}", structure="NDIS_OFFLOAD")
    refuse_wmi_block(data)
    return decode_struct("NDIS_OFFLOAD", data)


def encode(offload, revision: int | None = None, *, full_sizeof: bool = False, canonical: bool = False) -> bytes:
    """Pack an :class:`NdisOffload` (or a dict of dotted paths) as ``revision`` (default: its own).

    The header is filled from the revision; a member that revision lacks must be zero, otherwise
    :class:`~ipsecexplore.errors.EncodeError` names it. Returns ``Header.Size`` bytes."""
    if isinstance(offload, dict):
        offload = NdisOffload.from_dict(offload, revision=revision)
    return offload.encode(revision, full_sizeof=full_sizeof, canonical=canonical)


_MOVED = {"wmi_block": "ipsecexplore.wmi", "WMI_HEADER_SIZE": "ipsecexplore.wmi"}


def __getattr__(name: str):
    if name in _MOVED:  # deprecated: the NDIS_WMI_OFFLOAD format lives in ipsecexplore.wmi
        import importlib
        import warnings

        warnings.warn(f"ipsecexplore.model.{name} is deprecated; use {_MOVED[name]}.{name}", DeprecationWarning,
                      stacklevel=2)
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
