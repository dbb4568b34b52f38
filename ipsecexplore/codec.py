"""Per-record codec: bytes <-> flat dicts keyed by dotted C member paths, for any declared structure.

Both directions are driven by the computed :class:`~ipsecexplore.layouts.Layout`, so one declaration
parses and builds. Every failure is a :class:`~ipsecexplore.errors.DecodeError` or
:class:`~ipsecexplore.errors.EncodeError` naming structure, member path, offset, expected and actual.

Values: integers for scalars, enums, pointers and bit-fields; BOOLEAN members as their raw byte (0/1
normally; the model turns them into ``bool``); ``bytes`` for UCHAR arrays; tuples of ints for other scalar
arrays; :class:`uuid.UUID` for GUIDs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import DecodeError, EncodeError
from .extent import Extent, bytes_summary
from .kinds import check_value
from .layouts import Layout, layout

__all__ = ["Decoded", "bytes_summary", "decode_values", "encode_values", "pack_values", "check_header",
           "rewrite_header", "object_type_value", "header_for", "check_revision", "check_value", "WRITER_SIZE_RULE",
           "HEADER_KEYS"]

HEADER_KEYS = ("Header.Type", "Header.Revision", "Header.Size")

#: why an encoder refuses a Header.Size that a reader would accept
WRITER_SIZE_RULE = "; a writer sets the NDIS_SIZEOF value (R10): leave Header.Size out or set it to that value"


@dataclass
class Decoded:
    """What :func:`decode_values` found: the member values and everything that is not a plain value.

    :attr:`extent` says how far the bytes reach against the revision (a larger Header.Size, bytes past it)."""

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
    sizeof_used: bool = False  # Header.Size is sizeof rather than NDIS_SIZEOF (accepted for the SA structures)

    @property
    def extent(self) -> Extent:
        """The :class:`~ipsecexplore.extent.Extent` of these bytes: Header.Size against the revision's macro,
        the bytes kept past it, and its own sentences about them."""
        return Extent.of(layout(self.structure, self.arch), self.revision, self.header_size, beyond=self.beyond,
                         trailing=self.trailing, sizeof_used=self.sizeof_used)


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


def _check_decoded_header(lay: Layout, buf: bytes, accept_sizeof: bool) -> tuple[bytes, bool]:
    """Refuse a wrong Header.Type/Revision or a Header.Size below the macro; return the bytes kept past the
    macro of a larger Header.Size, and whether Header.Size is an accepted ``sizeof``."""
    name, htype, revision, hsize = lay.name, buf[0], buf[1], int.from_bytes(buf[2:4], "little")
    want_type = object_type_value(lay)
    if want_type is not None and htype != want_type:
        raise DecodeError(f"Header.Type is not {lay.object_type}", structure=name, path="Header.Type",
                          offset=0, expected=want_type, actual=htype)
    revs = [r.revision for r in lay.revisions]
    if revision not in revs:
        raise DecodeError(f"unknown Header.Revision (known: {revs[0]}..{revs[-1]})", structure=name,
                          path="Header.Revision", offset=1, expected=f"{revs[0]}..{revs[-1]}", actual=revision)
    want = lay.revision_size(revision)
    if hsize == want:
        return b"", False
    if accept_sizeof and hsize == lay.sizeof:
        return b"", True
    if hsize < want or accept_sizeof:  # the SA readers accept exactly {macro, sizeof}
        raise DecodeError(f"Header.Size is not NDIS_SIZEOF ({want}) or sizeof ({lay.sizeof}) for "
                          f"revision {revision}" if accept_sizeof else
                          f"Header.Size is smaller than NDIS_SIZEOF for revision {revision}",
                          structure=name, path="Header.Size", offset=2,
                          expected=want if accept_sizeof else f"at least {want}", actual=hsize)
    return (buf[want:hsize] if hsize <= len(buf) else b""), False


def _decoded_size(lay: Layout, buf: bytes, check_header: bool) -> int:
    """How many bytes the structure at the start of ``buf`` covers (its Header.Size, checked to fit)."""
    name = lay.name
    if not (lay.has_header and lay.revisions):
        if len(buf) < lay.sizeof:
            raise DecodeError("buffer too short", structure=name, offset=len(buf), expected=f"{lay.sizeof} bytes",
                              actual=f"{len(buf)} bytes")
        return lay.sizeof
    if len(buf) < 4:
        raise DecodeError("buffer too short for NDIS_OBJECT_HEADER", structure=name, offset=0,
                          expected="at least 4 bytes", actual=f"{len(buf)} bytes")
    hsize = int.from_bytes(buf[2:4], "little")
    size = hsize if check_header else min(hsize, len(buf))
    if size > len(buf):
        raise DecodeError("Header.Size runs past the end of the buffer", structure=name, path="Header.Size",
                          offset=2, expected=f"at most {len(buf)}", actual=hsize)
    if size < 4:
        raise DecodeError("Header.Size smaller than the header itself", structure=name, path="Header.Size",
                          offset=2, expected="at least 4", actual=hsize)
    return size


def decode_values(name: str, data, arch: str = "x64", *, check_header: bool = True,
                  accept_sizeof: bool = False) -> Decoded:
    """Decode one ``name`` structure from the start of ``data``.

    With a header, the revision comes from ``Header.Revision``. ``Header.Size`` must be at least that
    revision's NDIS_SIZEOF value and fit in ``data``: readers accept a larger size (tests/spec/layouts.md §7,
    R8), decode only the members of the revision and keep the extra bytes (``beyond``, reported in ``notes``).
    ``accept_sizeof`` is kept for the SA structures, whose ``sizeof`` (x86) can differ from the macro in either
    direction. Bytes past ``Header.Size`` are kept as ``trailing``; ``.extent`` describes all of it.
    """
    lay = layout(name, arch)
    buf = bytes(data)
    revision, beyond, sizeof_used = None, b"", False
    versioned = lay.has_header and lay.revisions
    if versioned and check_header and len(buf) >= 4:
        beyond, sizeof_used = _check_decoded_header(lay, buf, accept_sizeof)
    size = _decoded_size(lay, buf, check_header)
    if versioned:
        revision = buf[1]
    by_revision = revision is not None and check_header
    values, odd = {}, {}
    for m in (lay.leaves_in_revision(revision) if by_revision else lay.leaves_within(size)):
        v = m.codec.read(m, buf)
        if m.is_boolean and v > 1:
            odd[m.path] = v
        values[m.path] = v
    end = size - len(beyond)  # the extra bytes of a larger Header.Size are reported as such, not as padding
    pad = [(o, buf[o:o + n]) for o, n in lay.padding() if o + n <= end and any(buf[o:o + n])]
    unnamed = []
    for off, mask in lay.unnamed_bits(revision if by_revision else None):
        if off + 4 <= end:
            found = int.from_bytes(buf[off:off + 4], "little") & mask
            if found:
                unnamed.append((off, mask, found))
    d = Decoded(name, arch, revision, values, size if lay.has_header else None, buf[size:], odd, pad, unnamed,
                [], beyond, sizeof_used)
    d.notes.extend(d.extent.decode_notes())
    return d


def check_header(name: str, values: dict, revision: int, arch: str = "x64", *, keys=HEADER_KEYS,
                 zero_ok=("Header.Size",)) -> None:
    """Refuse ``Header.*`` values in ``values`` that disagree with ``revision`` (what a writer sets: the type
    constant, the revision, the NDIS_SIZEOF size); a value absent, None or (for ``zero_ok`` keys) 0 means
    "derive it". :class:`EncodeError` names the member."""
    lay = layout(name, arch)
    for k, want in header_for(lay, revision).items():
        got = values.get(k)
        if k in keys and got not in (None, want) and not (k in zero_ok and got == 0):
            raise EncodeError(f"{k} disagrees with revision {revision}"
                              + (WRITER_SIZE_RULE if k == "Header.Size" else ""),
                              structure=name, path=k, offset=lay.field(k).offset, expected=want, actual=got)


def _check_paths(lay: Layout, values: dict) -> None:
    for path in values:
        if path not in lay:
            raise EncodeError("unknown member", structure=lay.name, path=path)
        if not lay.field(path).leaf:
            raise EncodeError("not a value-holding member (give its members instead)", structure=lay.name,
                              path=path)


def _check_present(lay: Layout, values: dict, revision: int, out_size: int) -> None:
    """Refuse a non-zero member that ``revision`` does not cover (past its size, or bits not named yet)."""
    for path, v in values.items():
        m = lay.field(path)
        if (m.end > out_size or (m.added_in_revision or 0) > int(revision)) and not m.codec.is_zero(v):
            why = (f"it ends at byte {m.end}, Header.Size is {out_size}" if m.end > out_size else
                   "its bits are unnamed until then")
            raise EncodeError(f"member not present in revision {revision} ({why}; added in revision "
                              f"{m.added_in_revision})",
                              structure=lay.name, path=path, offset=m.offset, expected=0, actual=v)


def pack_values(name: str, values: dict, arch: str = "x64", *, size: int | None = None) -> bytearray:
    """Pack ``values`` (dotted path -> value; missing members are 0) as they are — ``Header.*`` included, with
    no check against a revision — into ``size`` bytes (default ``sizeof``; members past ``size`` are cut, a
    larger ``size`` is zero-filled). :func:`encode_values` derives and checks the header, then calls this."""
    lay = layout(name, arch)
    _check_paths(lay, values)
    return _pack(lay, values, size)


def _pack(lay: Layout, values: dict, size: int | None) -> bytearray:
    name = lay.name
    buf = bytearray(max(size or 0, lay.sizeof))
    union_writes = []
    for m in lay.leaves:
        if m.path in values:
            v = values[m.path]
            if m.in_union and m.codec.is_zero(v):
                continue  # an unset union alternative must not clobber the one that is set
            m.codec.write(name, m, buf, v)
            if m.in_union:
                union_writes.append((m, v))
    for m, v in union_writes:
        got = m.codec.read(m, buf)
        want = int(v) if isinstance(v, bool) else v
        if got != want:
            raise EncodeError("union alternatives disagree", structure=name, path=m.path, offset=m.offset,
                              expected=want, actual=got)
    return buf[:lay.sizeof if size is None else size]


def rewrite_header(name: str, data, header: dict, arch: str = "x64") -> bytes:
    """``data`` with the ``Header.*`` members in ``header`` written as given (a header that is wrong on
    purpose, or read from elsewhere); each value must fit its field (:class:`EncodeError` otherwise)."""
    lay = layout(name, arch)
    buf = bytearray(data)
    for k, v in header.items():
        if k not in HEADER_KEYS:
            raise EncodeError("not a header member", structure=name, path=k)
        m = lay.field(k)
        if len(buf) < m.offset + m.size:
            raise EncodeError("buffer too short for the header", structure=name, path=k, offset=m.offset,
                              expected=f"at least {m.offset + m.size} bytes", actual=f"{len(buf)} bytes")
        m.codec.write(name, m, buf, v)
    return bytes(buf)


def _write_back(buf: bytearray, extras: Decoded, name: str, revision, out_size: int) -> int:
    """Write the non-zero padding, unnamed bits and larger-Header.Size bytes of ``extras`` back into ``buf``
    (nothing decoded and reported is lost in a round trip); returns the size to cut the buffer to."""
    # a larger Header.Size accepted on decode (sizeof, or more: R8) is written back with its bytes
    target = out_size
    if (extras.revision == revision and extras.structure == name and extras.header_size is not None
            and extras.header_size > out_size and extras.header_size - len(extras.beyond) >= out_size):
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
        buf[:] = rewrite_header(name, buf, {"Header.Size": target}, extras.arch)
    return target


def encode_values(name: str, values: dict, arch: str = "x64", *, revision: int | None = None,
                  strict_header: bool = True, full_sizeof: bool = False, extras: Decoded | None = None) -> bytes:
    """Pack ``values`` (dotted path -> value; missing members are 0) into bytes.

    For a versioned structure the header is filled from ``revision`` (default: ``values['Header.Revision']``)
    and exactly ``Header.Size`` bytes are returned (``full_sizeof`` zero-fills up to ``sizeof``). A member the
    revision does not cover must be zero; otherwise :class:`EncodeError` names it. Unknown paths are refused.
    ``strict_header``: given ``Header.*`` values must agree with the revision (:func:`check_header`).
    ``extras``: a decode whose non-zero padding and unnamed bits are written back, so that bytes which were
    decoded and reported are re-encoded as they were (nothing is lost in a round trip).
    """
    lay = layout(name, arch)
    _check_paths(lay, values)
    out_size = lay.sizeof
    vals = dict(values)
    if lay.has_header and lay.revisions:
        if revision is None:
            revision = vals.get("Header.Revision")
            if revision is None:
                raise EncodeError("no revision given (set Header.Revision or pass revision=)", structure=name,
                                  path="Header.Revision")
        revision = check_revision(lay, revision)
        if strict_header:
            check_header(name, vals, revision, arch)
        vals.update(header_for(lay, revision))
        out_size = lay.revision_size(revision)
        _check_present(lay, vals, revision, out_size)
    buf = _pack(lay, vals, max(out_size, lay.sizeof))
    if extras is not None:
        out_size = _write_back(buf, extras, name, revision, out_size)
    if full_sizeof:
        return bytes(buf[:lay.sizeof]) if lay.sizeof >= out_size else bytes(buf[:out_size])
    return bytes(buf[:out_size])


def __getattr__(name: str):
    if name == "_WRITERS":  # the private name model.py used to import
        import warnings

        warnings.warn("ipsecexplore.codec._WRITERS is deprecated; use WRITER_SIZE_RULE", DeprecationWarning,
                      stacklevel=2)
        return WRITER_SIZE_RULE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
