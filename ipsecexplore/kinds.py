"""One codec object per kind of structure member: how its bytes are read, written, zeroed, laid into a
numpy record and shown.

A :class:`~ipsecexplore.layouts.Member` finds its codec once through :attr:`Member.codec
<ipsecexplore.layouts.Member.codec>` (or :func:`kind_of`); the codec, the model, the hex dump, the bulk
decoder, the C initializer and the rule book call it instead of asking what a bit-field, an array or a
GUID is. Only :mod:`ipsecexplore.layouts` (which assigns the kinds) and this module compare ``Member.kind``.

>>> from ipsecexplore.layouts import layout
>>> tcp = layout("NDIS_OFFLOAD").field("Checksum.IPv4Transmit.TcpChecksum")
>>> tcp.codec.packed, tcp.codec.bits_text(tcp), tcp.codec.ctype_text(tcp)
(True, '4..5', 'ULONG : 2')
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from .errors import EncodeError

__all__ = ["MemberCodec", "ScalarCodec", "BitFieldCodec", "GuidCodec", "ArrayCodec", "AggregateCodec",
           "kind_of", "check_value", "KINDS"]

_UINT = {1: "u1", 2: "<u2", 4: "<u4", 8: "<u8"}


def check_value(structure: str, m, v) -> int:
    """``v`` as an int that fits member ``m`` (bools are 0/1), else :class:`EncodeError` naming it."""
    return _fits(structure, m, v, m.codec.value_bits(m))


def _fits(structure: str, m, v, bits: int) -> int:
    if isinstance(v, bool):
        v = int(v)
    if not isinstance(v, int):
        raise EncodeError("value must be an integer", structure=structure, path=m.path, offset=m.offset,
                          expected="int", actual=type(v).__name__)
    if not 0 <= v < (1 << bits):
        raise EncodeError(f"value out of range for {m.codec.ctype_text(m)}", structure=structure, path=m.path,
                          offset=m.offset, expected=f"0..{(1 << bits) - 1}", actual=v)
    return v


class MemberCodec:
    """What every kind answers; the defaults are those of a plain little-endian integer."""

    #: the kind names (``Member.kind``) this codec serves
    names: tuple = ()
    #: True when several members share one 32-bit storage word (bit-fields)
    packed = False
    #: the name of the kind's own text notation (``"GUID"``), or None when values are numbers
    text_notation: str | None = None

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        for name, fn in vars(cls).items():  # an override answers the same question: it keeps its docstring
            if callable(fn) and not fn.__doc__ and callable(getattr(MemberCodec, name, None)):
                fn.__doc__ = getattr(MemberCodec, name).__doc__

    def read(self, m, buf):
        """The member's value from a buffer holding the whole structure."""
        return int.from_bytes(buf[m.offset:m.offset + m.size], "little")

    def write(self, structure: str, m, buf: bytearray, v) -> None:
        """Write ``v`` into ``buf`` at the member's place (:class:`EncodeError` naming it when it does not fit)."""
        v = _fits(structure, m, v, m.size * 8)
        buf[m.offset:m.offset + m.size] = v.to_bytes(m.size, "little")

    def zero(self, m):
        """The member's value in an all-zero structure."""
        return 0

    def is_zero(self, v) -> bool:
        """True when ``v`` is this kind's zero (what an unset member holds)."""
        return not v

    def check(self, structure: str, m, v):
        """``v`` as the model stores it for this member (integers are range-checked)."""
        return check_value(structure, m, v)

    def value_bits(self, m) -> int:
        """How many bits hold the value."""
        return m.size * 8

    def numpy_field(self, m) -> tuple[str, str, int] | None:
        """``(field name, numpy format, offset)`` of the record field that holds the member, or None when a
        bulk decode has no column for it."""
        return m.path, _UINT[m.size], m.offset

    def numpy_values(self, m, field):
        """The member's column from its gathered record field."""
        return field

    def raw_value(self, m, raw: bytes):
        """What a hex dump shows for the member's bytes ``raw``: an int, or hex text for bytes-like kinds."""
        return int.from_bytes(raw, "little")

    def ctype_text(self, m, *, count: bool = False) -> str:
        """The declared C type as written in a header (``ULONG : 2``; ``UCHAR[16]`` with ``count``)."""
        return m.ctype

    def bits_text(self, m) -> str:
        """``first..last`` bit inside the storage word, or ``""`` for a member that is whole bytes."""
        return ""

    def element(self, m):
        """The member one element of an array is (None for other kinds)."""
        return None

    def elements(self, m, v) -> list | None:
        """``[(index, value)]`` of an array value (None for other kinds)."""
        return None

    def parse_text(self, text):
        """A value of this kind from its own text notation (see :attr:`text_notation`): ``TypeError`` for
        something that is not text, ``ValueError`` for text that is not such a value."""
        raise TypeError(f"{type(self).__name__} has no text notation")


class ScalarCodec(MemberCodec):
    """Integers, enums and pointers: whole bytes, little-endian."""

    names = ("scalar", "enum", "pointer")


class BitFieldCodec(MemberCodec):
    """A bit-field: bits ``bit_offset``.. of the little-endian 32-bit word at ``offset``."""

    names = ("bitfield",)
    packed = True

    def read(self, m, buf):
        word = int.from_bytes(buf[m.offset:m.offset + 4], "little")
        return (word >> m.bit_offset) & ((1 << m.bit_width) - 1)

    def write(self, structure: str, m, buf: bytearray, v) -> None:
        v = _fits(structure, m, v, m.bit_width)
        word = int.from_bytes(buf[m.offset:m.offset + 4], "little")
        word = (word & ~m.mask) | (v << m.bit_offset)
        buf[m.offset:m.offset + 4] = word.to_bytes(4, "little")

    def value_bits(self, m) -> int:
        return m.bit_width

    def numpy_field(self, m) -> tuple[str, str, int]:
        return f"word@{m.offset}", "<u4", m.offset

    def numpy_values(self, m, field):
        import numpy as np

        vals = (field >> np.uint32(m.bit_offset)) & np.uint32((1 << m.bit_width) - 1)
        return vals.astype(np.min_scalar_type((1 << m.bit_width) - 1))

    def ctype_text(self, m, *, count: bool = False) -> str:
        return f"{m.ctype} : {m.bit_width}"

    def bits_text(self, m) -> str:
        return f"{m.bit_offset}..{m.bit_offset + m.bit_width - 1}"


class _BytesValued(MemberCodec):
    """A kind whose value is not one integer (GUIDs, arrays): checked when packed, shown as hex bytes, and
    without a bulk-decode column."""

    def check(self, structure: str, m, v):
        return v  # checked when packed

    def numpy_field(self, m) -> None:
        return None

    def raw_value(self, m, raw: bytes):
        return raw.hex(" ")


class GuidCodec(_BytesValued):
    """A GUID: 16 bytes in the ``bytes_le`` order of Windows, read as :class:`uuid.UUID`."""

    names = ("guid",)
    text_notation = "GUID"

    def read(self, m, buf):
        return uuid.UUID(bytes_le=bytes(buf[m.offset:m.offset + m.size]))

    def write(self, structure: str, m, buf: bytearray, v) -> None:
        if isinstance(v, str):
            v = uuid.UUID(v)
        if not isinstance(v, uuid.UUID):
            raise EncodeError("GUID expected", structure=structure, path=m.path, offset=m.offset,
                              actual=type(v).__name__)
        buf[m.offset:m.offset + 16] = v.bytes_le

    def zero(self, m):
        return uuid.UUID(int=0)

    def is_zero(self, v) -> bool:
        return v.int == 0 if isinstance(v, uuid.UUID) else not v


    def parse_text(self, text):
        if isinstance(text, uuid.UUID):
            return text
        if not isinstance(text, str):
            raise TypeError(f"a GUID is given as text, not {type(text).__name__}")
        return uuid.UUID(text)


class ArrayCodec(_BytesValued):
    """An array of scalars: ``bytes`` for UCHAR arrays, a tuple of ints otherwise."""

    names = ("array",)

    def read(self, m, buf):
        raw = buf[m.offset:m.offset + m.size]
        if m.elem_size == 1:
            return bytes(raw)
        e = m.elem_size
        return tuple(int.from_bytes(raw[i:i + e], "little") for i in range(0, m.size, e))

    def write(self, structure: str, m, buf: bytearray, v) -> None:
        if m.elem_size == 1 and isinstance(v, (bytes, bytearray, memoryview)):
            raw = bytes(v)
        else:
            elem = self.element(m)
            raw = b"".join(check_value(structure, elem, x).to_bytes(m.elem_size, "little") for x in list(v))
        if len(raw) != m.size:
            raise EncodeError("array length mismatch", structure=structure, path=m.path, offset=m.offset,
                              expected=f"{m.count} elements", actual=f"{len(raw) // m.elem_size} elements")
        buf[m.offset:m.offset + m.size] = raw

    def zero(self, m):
        return bytes(m.size) if m.elem_size == 1 else (0,) * m.count

    def is_zero(self, v) -> bool:
        return not any(v) if isinstance(v, (bytes, bytearray, tuple, list)) else not v


    def ctype_text(self, m, *, count: bool = False) -> str:
        return f"{m.ctype}[{m.count}]" if count else m.ctype

    def element(self, m):
        return replace(m, kind="scalar", size=m.elem_size)

    def elements(self, m, v) -> list:
        return list(enumerate(v))


class AggregateCodec(MemberCodec):
    """A structure or union member: it holds members, not a value of its own."""

    names = ("struct", "union")

    def read(self, m, buf):
        raise TypeError(f"{m.path} is a {m.kind}: read its members")

    def write(self, structure: str, m, buf: bytearray, v) -> None:
        raise EncodeError("not a value-holding member (give its members instead)", structure=structure, path=m.path)

    def numpy_field(self, m) -> None:
        return None


#: kind name (``Member.kind``) -> its codec object
KINDS = {name: codec for codec in (ScalarCodec(), BitFieldCodec(), GuidCodec(), ArrayCodec(), AggregateCodec())
         for name in codec.names}


def kind_of(m) -> MemberCodec:
    """The codec object of member ``m`` (``KeyError`` naming the kind if no codec serves it)."""
    try:
        return KINDS[m.kind]
    except KeyError:
        raise KeyError(f"no codec for member kind {m.kind!r} of {m.path}") from None
