"""Per-record codec: bytes <-> flat dicts keyed by dotted C member paths, for any declared structure.

Both directions are driven by the computed :class:`~ipsecexplore.layouts.Layout`, so one declaration
parses and builds. Every failure is a :class:`~ipsecexplore.errors.DecodeError` or
:class:`~ipsecexplore.errors.EncodeError` naming structure, member path, offset, expected and actual.

Values: integers for scalars, enums, pointers and bit-fields; BOOLEAN members as their raw byte (0/1
normally; the model turns them into ``bool``); ``bytes`` for UCHAR arrays; tuples of ints for other scalar
arrays; :class:`uuid.UUID` for GUIDs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from .errors import DecodeError, EncodeError
from .layouts import Layout, Member, layout

__all__ = ["Decoded", "bytes_summary", "decode_values", "encode_values", "object_type_value", "header_for",
           "check_revision", "check_value"]


@dataclass
class Decoded:
    """What :func:`decode_values` found: the member values and everything that is not a plain value."""

    structure: str
    arch: str
    revision: int | None
    values: dict  # dotted path -> value, only members inside Header.Size (others are "not reported")
    header_size: int | None = None
    trailing: bytes = b""  # bytes past Header.Size, kept
    odd_booleans: dict = field(default_factory=dict)  # path -> raw byte not in {0, 1}
    nonzero_padding: list = field(default_factory=list)  # (offset, bytes)
    unnamed_bits: list = field(default_factory=list)  # (word offset, mask, bits found)
    notes: list = field(default_factory=list)  # plain-words remarks (e.g. SA Size = sizeof accepted)
    beyond: bytes = b""  # bytes inside a Header.Size larger than the revision's NDIS_SIZEOF, kept, not decoded


def object_type_value(lay: Layout) -> int | None:
    """The numeric ``Header.Type`` of a structure (from its ``NDIS_OBJECT_TYPE_*`` constant)."""
    if not lay.object_type:
        return None
    from .constants import lookup  # constants sit beside layouts; imported late to keep layouts standalone

    return int(lookup(lay.object_type))


def header_for(lay: Layout, revision: int) -> dict:
    """``Header.*`` values for a revision: type constant, revision number, NDIS_SIZEOF size.

    A structure without an object-type constant (NDIS_WMI_OFFLOAD) leaves Header.Type to the caller."""
    hdr = {"Header.Revision": revision, "Header.Size": lay.revision_size(revision)}
    t = object_type_value(lay)
    if t is not None:
        hdr = {"Header.Type": t, **hdr}
    return hdr


def check_revision(lay: Layout, rev, error=EncodeError) -> int:
    """``rev`` as a known revision number of ``lay`` (an int, not a bool), else ``error`` naming
    Header.Revision."""
    known = [r.revision for r in lay.revisions]
    if not (isinstance(rev, int) and not isinstance(rev, bool) and rev in known):
        raise error("unknown revision", structure=lay.name, path="Header.Revision",
                    expected=f"{known[0]}..{known[-1]}", actual=rev)
    return rev


def _read_leaf(m: Member, buf: bytes):
    if m.kind == "bitfield":
        word = int.from_bytes(buf[m.offset:m.offset + 4], "little")
        return (word >> m.bit_offset) & ((1 << m.bit_width) - 1)
    raw = buf[m.offset:m.offset + m.size]
    if m.kind == "guid":
        return uuid.UUID(bytes_le=bytes(raw))
    if m.kind == "array":
        if m.elem_size == 1:
            return bytes(raw)
        e = m.elem_size
        return tuple(int.from_bytes(raw[i:i + e], "little") for i in range(0, m.size, e))
    return int.from_bytes(raw, "little")


def decode_values(name: str, data, arch: str = "x64", *, check_header: bool = True,
                  accept_sizeof: bool = False) -> Decoded:
    """Decode one ``name`` structure from the start of ``data``.

    With a header, the revision comes from ``Header.Revision``. ``Header.Size`` must be at least that
    revision's NDIS_SIZEOF value and fit in ``data``: readers accept a larger size (tests/spec/layouts.md §7,
    R8), decode only the members of the revision and keep the extra bytes (``beyond``, reported in ``notes``).
    ``accept_sizeof`` is kept for the SA structures, whose ``sizeof`` (x86) can differ from the macro in either
    direction. Bytes past ``Header.Size`` are kept as ``trailing``.
    """
    lay = layout(name, arch)
    buf = bytes(data)
    revision = None
    size = lay.sizeof
    notes = []
    beyond = b""
    if lay.has_header and lay.revisions:
        if len(buf) < 4:
            raise DecodeError("buffer too short for NDIS_OBJECT_HEADER", structure=name, offset=0,
                              expected="at least 4 bytes", actual=f"{len(buf)} bytes")
        htype, revision, hsize = buf[0], buf[1], int.from_bytes(buf[2:4], "little")
        if check_header:
            want_type = object_type_value(lay)
            if want_type is not None and htype != want_type:
                raise DecodeError(f"Header.Type is not {lay.object_type}", structure=name, path="Header.Type",
                                  offset=0, expected=want_type, actual=htype)
            revs = [r.revision for r in lay.revisions]
            if revision not in revs:
                raise DecodeError(f"unknown Header.Revision (known: {revs[0]}..{revs[-1]})", structure=name,
                                  path="Header.Revision", offset=1, expected=f"{revs[0]}..{revs[-1]}",
                                  actual=revision)
            want = lay.revision_size(revision)
            if hsize != want:
                if accept_sizeof and hsize == lay.sizeof:
                    notes.append(f"Header.Size is sizeof ({hsize}) rather than the NDIS_SIZEOF value ({want}); "
                                 "readers accept either (tests/spec/layouts.md §3.3)")
                elif hsize < want or accept_sizeof:  # the SA readers accept exactly {macro, sizeof}
                    raise DecodeError(f"Header.Size is not NDIS_SIZEOF ({want}) or sizeof ({lay.sizeof}) for "
                                      f"revision {revision}" if accept_sizeof else
                                      f"Header.Size is smaller than NDIS_SIZEOF for revision {revision}",
                                      structure=name, path="Header.Size", offset=2,
                                      expected=want if accept_sizeof else f"at least {want}", actual=hsize)
                elif hsize <= len(buf):
                    beyond = buf[want:hsize]
                    content = bytes_summary(beyond)
                    notes.append(f"Header.Size {hsize} is larger than NDIS_SIZEOF for revision {revision} ({want}); "
                                 "readers accept a larger size (tests/spec/layouts.md §7): only "
                                 f"revision-{revision} members are decoded, the {hsize - want} byte(s) at offsets "
                                 f"{want}..{hsize - 1} are kept, "
                                 f"not decoded ({content})")
        size = hsize if check_header else min(hsize, len(buf))
        if size > len(buf):
            raise DecodeError("Header.Size runs past the end of the buffer", structure=name, path="Header.Size",
                              offset=2, expected=f"at most {len(buf)}", actual=hsize)
        if size < 4:
            raise DecodeError("Header.Size smaller than the header itself", structure=name, path="Header.Size",
                              offset=2, expected="at least 4", actual=hsize)
    elif len(buf) < lay.sizeof:
        raise DecodeError("buffer too short", structure=name, offset=len(buf), expected=f"{lay.sizeof} bytes",
                          actual=f"{len(buf)} bytes")
    values, odd = {}, {}
    reported = lay.leaves_in_revision(revision) if (revision is not None and check_header) else lay.leaves_within(size)
    for m in reported:
        v = _read_leaf(m, buf)
        if m.is_boolean and v > 1:
            odd[m.path] = v
        values[m.path] = v
    end = size - len(beyond)  # the extra bytes of a larger Header.Size are reported as such, not as padding
    pad = [(o, buf[o:o + n]) for o, n in lay.padding() if o + n <= end and any(buf[o:o + n])]
    unnamed = []
    for off, mask in lay.unnamed_bits(revision if (revision is not None and check_header) else None):
        if off + 4 <= end:
            found = int.from_bytes(buf[off:off + 4], "little") & mask
            if found:
                unnamed.append((off, mask, found))
    return Decoded(name, arch, revision, values, size if lay.has_header else None, buf[size:], odd, pad,
                   unnamed, notes, beyond)


# why an encoder refuses a Header.Size that a reader would accept
_WRITERS = "; a writer sets the NDIS_SIZEOF value (R10): leave Header.Size out or set it to that value"


def bytes_summary(raw: bytes, limit: int = 16) -> str:
    """``all zero``, or ``not all zero: `` and the first ``limit`` bytes in hex — how extra bytes are reported."""
    if not any(raw):
        return "all zero"
    return "not all zero: " + raw[:limit].hex(" ") + (" …" if len(raw) > limit else "")


def check_value(name: str, m: Member, v) -> int:
    """``v`` as an int that fits member ``m`` (bools are 0/1), else :class:`EncodeError` naming it."""
    if isinstance(v, bool):
        v = int(v)
    if not isinstance(v, int):
        raise EncodeError("value must be an integer", structure=name, path=m.path, offset=m.offset,
                          expected="int", actual=type(v).__name__)
    bits = m.bit_width if m.kind == "bitfield" else m.size * 8
    if not 0 <= v < (1 << bits):
        raise EncodeError(f"value out of range for {m.ctype}" + (f" : {bits}" if m.kind == "bitfield" else ""),
                          structure=name, path=m.path, offset=m.offset, expected=f"0..{(1 << bits) - 1}", actual=v)
    return v


def _write_leaf(name: str, m: Member, buf: bytearray, v) -> None:
    if m.kind == "bitfield":
        v = check_value(name, m, v)
        word = int.from_bytes(buf[m.offset:m.offset + 4], "little")
        word = (word & ~m.mask) | (v << m.bit_offset)
        buf[m.offset:m.offset + 4] = word.to_bytes(4, "little")
        return
    if m.kind == "guid":
        if isinstance(v, str):
            v = uuid.UUID(v)
        if not isinstance(v, uuid.UUID):
            raise EncodeError("GUID expected", structure=name, path=m.path, offset=m.offset, actual=type(v).__name__)
        buf[m.offset:m.offset + 16] = v.bytes_le
        return
    if m.kind == "array":
        if m.elem_size == 1 and isinstance(v, (bytes, bytearray, memoryview)):
            raw = bytes(v)
        else:
            items = list(v)
            raw = b"".join(check_value(name, _elem(m), x).to_bytes(m.elem_size, "little") for x in items)
        if len(raw) != m.size:
            raise EncodeError("array length mismatch", structure=name, path=m.path, offset=m.offset,
                              expected=f"{m.count} elements", actual=f"{len(raw) // m.elem_size} elements")
        buf[m.offset:m.offset + m.size] = raw
        return
    v = check_value(name, m, v)
    buf[m.offset:m.offset + m.size] = v.to_bytes(m.size, "little")


def _elem(m: Member) -> Member:
    from dataclasses import replace

    return replace(m, kind="scalar", size=m.elem_size)


def _is_zero(v) -> bool:
    if isinstance(v, (bytes, bytearray)):
        return not any(v)
    if isinstance(v, tuple):
        return not any(v)
    if isinstance(v, uuid.UUID):
        return v.int == 0
    return not v


def encode_values(name: str, values: dict, arch: str = "x64", *, revision: int | None = None,
                  strict_header: bool = True, full_sizeof: bool = False, extras: Decoded | None = None) -> bytes:
    """Pack ``values`` (dotted path -> value; missing members are 0) into bytes.

    For a versioned structure the header is filled from ``revision`` (default: ``values['Header.Revision']``)
    and exactly ``Header.Size`` bytes are returned (``full_sizeof`` zero-fills up to ``sizeof``). A member the
    revision does not cover must be zero; otherwise :class:`EncodeError` names it. Unknown paths are refused.
    ``extras``: a decode whose non-zero padding and unnamed bits are written back, so that bytes which were
    decoded and reported are re-encoded as they were (nothing is lost in a round trip).
    """
    lay = layout(name, arch)
    for path in values:
        if path not in lay:
            raise EncodeError("unknown member", structure=name, path=path)
        if not lay.field(path).leaf:
            raise EncodeError("not a value-holding member (give its members instead)", structure=name, path=path)
    out_size = lay.sizeof
    vals = dict(values)
    if lay.has_header and lay.revisions:
        if revision is None:
            revision = vals.get("Header.Revision")
            if revision is None:
                raise EncodeError("no revision given (set Header.Revision or pass revision=)", structure=name,
                                  path="Header.Revision")
        revision = check_revision(lay, revision)
        hdr = header_for(lay, revision)
        if strict_header:
            for k, want in hdr.items():
                got = vals.get(k)
                if got not in (None, want) and not (k == "Header.Size" and got == 0):
                    raise EncodeError(f"{k} disagrees with revision {revision}{_WRITERS if k == 'Header.Size' else ''}",
                                      structure=name, path=k,
                                      offset=lay.field(k).offset, expected=want, actual=got)
        vals.update(hdr)
        out_size = hdr["Header.Size"]
        for path, v in vals.items():
            m = lay.field(path)
            if (m.end > out_size or (m.added_in_revision or 0) > int(revision)) and not _is_zero(v):
                why = (f"it ends at byte {m.end}, Header.Size is {out_size}" if m.end > out_size else
                       "its bits are unnamed until then")
                raise EncodeError(f"member not present in revision {revision} ({why}; added in revision "
                                  f"{m.added_in_revision})",
                                  structure=name, path=path, offset=m.offset, expected=0, actual=v)
    buf = bytearray(max(out_size, lay.sizeof))
    union_writes = []
    for m in lay.leaves:
        if m.path in vals:
            v = vals[m.path]
            if m.in_union and _is_zero(v):
                continue  # an unset union alternative must not clobber the one that is set
            _write_leaf(name, m, buf, v)
            if m.in_union:
                union_writes.append((m, v))
    for m, v in union_writes:
        got = _read_leaf(m, buf)
        want = int(v) if isinstance(v, bool) else v
        if got != want:
            raise EncodeError("union alternatives disagree", structure=name, path=m.path, offset=m.offset,
                              expected=want, actual=got)
    if extras is not None:
        # a larger Header.Size accepted on decode (sizeof, or more: R8) is written back with its bytes
        target = out_size
        if (extras.revision == revision and extras.structure == name and extras.header_size > out_size
                and extras.header_size - len(extras.beyond) >= out_size):
            target = extras.header_size
            if len(buf) < target:
                buf.extend(bytes(target - len(buf)))
        for off, raw in extras.nonzero_padding:
            n = max(0, min(len(raw), target - off))
            buf[off:off + n] = raw[:n]
        for off, _mask, found in extras.unnamed_bits:
            if off + 4 <= target:
                word = int.from_bytes(buf[off:off + 4], "little") | found
                buf[off:off + 4] = word.to_bytes(4, "little")
        if target != out_size:
            buf[target - len(extras.beyond):target] = extras.beyond
            out_size = target
            buf[2:4] = out_size.to_bytes(2, "little")
    if full_sizeof:
        return bytes(buf[:lay.sizeof]) if lay.sizeof >= out_size else bytes(buf[:out_size])
    return bytes(buf[:out_size])
