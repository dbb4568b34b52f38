"""What the checks look at: one structure's member values as a flat ``{dotted path: value}`` view.

:func:`subject_of` turns whatever the user has — an :class:`~ipsecexplore.model.StructValue`, bytes, or a
flat dict (the shape ``to_dict()`` returns and captures/fleet code already hold) — into a :class:`Subject`.
Dict values may be ints, bools, ``"0x.."`` text or constant names (``"A | B"``), see :func:`parse_value`.

:class:`OffloadAttributes` models ``NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES``: a header and four pointers,
two of which point at ``NDIS_OFFLOAD`` objects (tests/spec/layouts.md §4.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..codec import Decoded, decode_values, object_type_value
from ..errors import InputError
from ..layouts import layout
from ..model import NdisOffload, StructValue, decode_struct, encode_struct, wmi_block

__all__ = ["Subject", "OffloadAttributes", "subject_of", "parse_value", "parse_values", "member_value",
           "guess_structure", "wmi_offload_block", "MISSING",
           "IPSECV2_BLOCK", "OFFLOAD", "PARAMETERS", "ATTRIBUTES", "SA_STRUCTURES", "ENCAPSULATION"]

OFFLOAD = "NDIS_OFFLOAD"
IPSECV2_BLOCK = "NDIS_IPSEC_OFFLOAD_V2"
PARAMETERS = "NDIS_OFFLOAD_PARAMETERS"
ATTRIBUTES = "NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES"
ENCAPSULATION = "NDIS_OFFLOAD_ENCAPSULATION"
# how a dict input's absent members are read: as 0 (a whole structure written by hand) or as not captured
MISSING = ("zero", "unknown")
SA_STRUCTURES = ("IPSEC_OFFLOAD_V2_ADD_SA", "IPSEC_OFFLOAD_V2_ADD_SA_EX", "IPSEC_OFFLOAD_V2_DELETE_SA",
                 "IPSEC_OFFLOAD_V2_UPDATE_SA")


@dataclass
class Subject:
    """One structure's values for the checks.

    ``values`` holds the members the object reports (inside ``Header.Size``), BOOLEANs as their raw byte;
    ``beyond`` the non-zero members the input carried past ``Header.Size`` (not reported, R9);
    ``header_given`` is False for a dict without ``Header.*`` (header rules are then skipped);
    ``decoded`` keeps what a byte decode found (padding, unnamed bits, odd booleans);
    ``declared_size`` is Header.Size as the bytes hold it (``size`` is what was read: at most the buffer).
    """

    structure: str
    arch: str
    values: dict
    revision: int | None = None
    size: int | None = None
    header_given: bool = True
    beyond: dict = field(default_factory=dict)
    decoded: Decoded | None = None
    data: bytes | None = None
    label: str = ""
    unknown: frozenset = frozenset()
    # members of ``unknown`` that a check asked for since the last reset (see registry.run_checks)
    touched: set = field(default_factory=set, repr=False, compare=False)
    declared_size: int | None = None

    @property
    def truncated(self) -> bool:
        """Bytes whose Header.Size runs past the end of the buffer (the object was cut short)."""
        return self.data is not None and self.declared_size is not None and self.declared_size > len(self.data)

    def get(self, path: str, default: Any = 0):
        """A member's value; a member the input does not give is 0 (``default``). Asking for an *unknown*
        member (value None in the input: "not captured") is recorded, so the check that asked is reported
        as not checked instead of judging a 0 that nobody saw."""
        if path in self.values:
            return self.values[path]
        if path in self.unknown:
            self.touched.add(path)
        return default

    def on(self, path: str) -> bool:
        """Truthiness of a member (absent = 0; unknown is recorded as by :meth:`get`)."""
        v = self.get(path, 0)
        if isinstance(v, (bytes, bytearray)):
            return any(v)
        return bool(v)

    def present(self, path: str) -> bool:
        """True when the input gives ``path`` (with a known value)."""
        return path in self.values

    def m(self, *paths: str) -> tuple[str, ...]:
        """Member paths as shown in findings (prefixed with the subject's label, e.g. a pointer member)."""
        return tuple(f"{self.label}{p}" for p in paths)

    @property
    def layout(self):
        """The layout of the subject's structure on its architecture."""
        return layout(self.structure, self.arch)

    @property
    def ipsecv2_reported(self) -> bool:
        """For NDIS_OFFLOAD: the IPsecV2 block is inside the object (R9: revision >= 2 and Size >= its end)."""
        if self.structure != OFFLOAD:
            return self.structure == IPSECV2_BLOCK
        if not self.header_given:
            return True
        lay = self.layout
        end = lay.field("IPsecV2").end
        return (self.revision or 0) >= lay.field("IPsecV2").added_in_revision and (self.size or 0) >= end


@dataclass
class OffloadAttributes:
    """``NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES`` as the miniport fills it in MiniportInitializeEx.

    ``default`` and ``hardware`` are the two ``NDIS_OFFLOAD`` objects the pointers refer to (None = NULL).
    ``header`` overrides the header values (to model a miniport that gets it wrong); by default it is
    filled from the layout for ``arch``. The TCP-chimney pointers are left NULL (not modelled)."""

    default: Any = None
    hardware: Any = None
    arch: str = "x64"
    header: dict | None = None

    def header_values(self) -> dict:
        """Header.Type/Revision/Size of the attributes: the layout's values, overridden by ``header``."""
        lay = layout(ATTRIBUTES, self.arch)
        rev = lay.latest_revision
        hdr = {"Header.Type": object_type_value(lay), "Header.Revision": rev, "Header.Size": lay.revision_size(rev)}
        hdr.update(self.header or {})
        return hdr

    def to_bytes(self, pointers: Mapping[str, int] | None = None, arch: str | None = None) -> bytes:
        """The attributes structure as bytes: header plus pointer values (simulated addresses)."""
        arch = arch or self.arch
        hdr = dict(self.header_values()) if arch == self.arch else OffloadAttributes(
            self.default, self.hardware, arch, self.header).header_values()
        vals = dict(pointers or {})
        lay = layout(ATTRIBUTES, arch)
        strict = hdr["Header.Size"] == lay.revision_size(hdr["Header.Revision"]) if hdr["Header.Revision"] in [
            r.revision for r in lay.revisions] else False
        if strict and hdr["Header.Type"] == object_type_value(lay):
            return encode_struct(ATTRIBUTES, vals, arch, revision=hdr["Header.Revision"])
        # a deliberately wrong header: pack the members, then write the header bytes as given
        body = bytearray(encode_struct(ATTRIBUTES, vals, arch, revision=lay.latest_revision))
        body[lay.field("Header.Type").offset] = hdr["Header.Type"] & 0xFF
        body[lay.field("Header.Revision").offset] = hdr["Header.Revision"] & 0xFF
        so = lay.field("Header.Size").offset
        body[so:so + 2] = (hdr["Header.Size"] & 0xFFFF).to_bytes(2, "little")
        return bytes(body)


# ---------------------------------------------------------------------------------------------------
# value parsing (dict input, JSON files, scenarios)

def parse_value(v: Any, *, path: str | None = None, structure: str | None = None):
    """One member value from user input: int, bool, ``"0x1F"``, ``"12"``, ``"true"``, a constant name, or
    names joined by ``|`` (or a JSON list of names/ints, OR-ed). :class:`InputError` names the member."""
    if isinstance(v, bool) or isinstance(v, int):
        return int(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v)
    if isinstance(v, list):
        out = 0
        for x in v:
            out |= parse_value(x, path=path, structure=structure)
        return out
    if isinstance(v, str):
        text = v.strip()
        low = text.lower()
        if low in ("true", "false"):
            return int(low == "true")
        if "|" in text:
            return parse_value([t for t in text.split("|")], path=path, structure=structure)
        try:
            return int(text, 0)
        except ValueError:
            pass
        from . import const

        try:
            return const.value(text)
        except (KeyError, ValueError, AttributeError):
            raise InputError(f"not a number or constant name: {v!r}", structure=structure, path=path) from None
    raise InputError(f"unsupported value type {type(v).__name__}", structure=structure, path=path, actual=v)


def parse_values(values: Mapping, structure: str | None = None, *, arch: str = "x64",
                 unknown: bool = False) -> dict:
    """``parse_value`` over a flat dict; keys are kept as given.

    With ``structure``, each value is checked as the codec checks it when packing (type and range of the
    member's C type: a BOOLEAN is one byte, a list is no BOOLEAN), so what validate accepts can be encoded.
    With ``unknown``, a value of None stays None ("not captured"); otherwise None is refused."""
    if not isinstance(values, Mapping):
        raise InputError("expected an object of {member path: value}", structure=structure,
                         actual=type(values).__name__)
    lay = _layout_of(structure, arch)
    out = {}
    for k, v in values.items():
        if not isinstance(k, str):
            raise InputError("member paths are strings", structure=structure, actual=repr(k))
        if v is None:
            if not unknown:
                raise InputError("no value (null); give a number, true/false or a constant name",
                                 structure=structure, path=k)
            out[k] = None
            continue
        m = _leaf(lay, k)
        out[k] = member_value(m, v, structure=structure, path=k) if m is not None else \
            parse_value(v, path=k, structure=structure)
    return out


def _layout_of(structure: str | None, arch: str):
    if structure is None:
        return None
    try:
        return layout(structure, arch)
    except KeyError:
        raise InputError("unknown structure", structure=str(structure)) from None
    except ValueError as exc:  # an unknown architecture
        raise InputError(str(exc), structure=str(structure)) from None
    except TypeError:  # not even a name (a list, an object)
        raise InputError("a structure is named by a string", actual=repr(structure)) from None


def _leaf(lay, path: str):
    """The value-holding member ``path`` names (an IPsecV2 block also takes ``IPsecV2.``-prefixed paths)."""
    if lay is None:
        return None
    if lay.name == IPSECV2_BLOCK and path.startswith("IPsecV2."):
        path = path[len("IPsecV2."):]
    if path in lay:
        m = lay.field(path)
        return m if m.leaf else None
    return None


def member_value(m, v: Any, *, structure: str | None = None, path: str | None = None):
    """One user value for member ``m`` of a layout, checked like the codec checks what it packs.

    Arrays take bytes or a list of numbers (one per element); GUIDs take text; every other member takes
    what :func:`parse_value` reads, and a list or ``A | B`` only when the member is not a BOOLEAN (a BOOLEAN
    holds one truth value, not an OR of several)."""
    path = path or m.path
    if m.kind == "array":
        if isinstance(v, (bytes, bytearray)):
            items = list(bytes(v)) if m.elem_size == 1 else None
            if items is None:
                raise InputError("give this array as a list of numbers", structure=structure, path=path)
        elif isinstance(v, (list, tuple)):  # a JSON list, or the tuple StructValue.to_dict() gives
            items = [parse_value(x, path=path, structure=structure) for x in v]
        else:
            raise InputError(f"an array of {m.count} elements: give a list of numbers", structure=structure,
                             path=path, actual=type(v).__name__)
        if isinstance(v, (list, tuple)):
            for x in v:
                _refuse_truth_value(m, x, structure, path)
        if len(items) != m.count:
            raise InputError(f"an array of {m.count} elements", structure=structure, path=path,
                             expected=f"{m.count} elements", actual=f"{len(items)} elements")
        from dataclasses import replace

        elem = replace(m, kind="scalar", size=m.elem_size)
        items = [_codec_checked(elem, x, structure, path) for x in items]
        return bytes(items) if m.elem_size == 1 else tuple(items)
    if m.kind == "guid":
        import uuid

        if isinstance(v, uuid.UUID):
            return v
        if not isinstance(v, str):
            raise InputError("a GUID is given as text", structure=structure, path=path, actual=type(v).__name__)
        try:
            return uuid.UUID(v)
        except ValueError:
            raise InputError("not a GUID", structure=structure, path=path, actual=v) from None
    if m.is_boolean and (isinstance(v, list) or (isinstance(v, str) and "|" in v)):
        raise InputError("a BOOLEAN holds one value (true, false, 0 or 1), not a list", structure=structure,
                         path=path)
    if not m.is_boolean:
        _refuse_truth_value(m, v, structure, path)
    _check_constant_groups(m, v, structure, path)
    x = parse_value(v, path=path, structure=structure)
    if isinstance(x, bytes):
        raise InputError("bytes given for a number", structure=structure, path=path)
    return _codec_checked(m, x, structure, path)


def _is_truth_value(v) -> bool:
    return isinstance(v, bool) or (isinstance(v, str) and v.strip().lower() in ("true", "false"))


def _refuse_truth_value(m, v, structure, path) -> None:
    """true/false is a BOOLEAN's value only: for a number member it would silently be 1 or 0 (a
    ``"Header.Revision": true`` read as revision 1)."""
    items = v if isinstance(v, (list, tuple)) else [v]
    if any(_is_truth_value(x) for x in items):
        raise InputError(f"true/false is only for BOOLEAN members; {path} is a {m.ctype}: give a number"
                         + (" or a constant name" if m.domains else ""), structure=structure, path=path,
                         expected=f"a {m.ctype} value", actual=v)


def _constant_names_in(v) -> list[str]:
    """The constant names a user value spells (``"A | B"``, a list of names); numbers are left out."""
    out = []
    for x in (v if isinstance(v, (list, tuple)) else [v]):
        if not isinstance(x, str):
            continue
        for t in x.split("|"):
            t = t.strip()
            if not t or t.lower() in ("true", "false"):
                continue
            try:
                int(t, 0)
            except ValueError:
                out.append(t)
    return out


def _check_constant_groups(m, v, structure, path) -> None:
    """A constant name must come from the member's own group(s) (``Field.domains``): the number of
    IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5 stored in EncryptionAlgorithms would silently mean another
    algorithm. A member without a group takes numbers only. An unknown name is left to parse_value."""
    from .. import constants

    for name in _constant_names_in(v):
        try:
            member = constants.lookup(name)
        except KeyError:
            continue  # parse_value names it as "not a number or constant name"
        group = type(member).__name__
        if not m.domains:
            raise InputError(f"{name} is a constant of group {group}, but {path} takes no named constants: give a "
                             "number",
                             structure=structure, path=path, expected="a number", actual=name)
        allowed = []
        for g in m.domains:
            try:
                allowed.append(constants.domain_class(g))
            except KeyError:
                pass
        if type(member) not in allowed:
            raise InputError(f"{name} is a constant of group {group}; {path} takes constants of group "
                             f"{' or '.join(m.domains)}",
                             structure=structure, path=path, expected=" or ".join(m.domains), actual=name)


def _codec_checked(m, x, structure, path):
    # the codec's own type/range rule (one rule for validate and encode), as an input error
    from ..codec import check_value
    from ..errors import EncodeError

    try:
        return check_value(structure or "", m, x)
    except EncodeError as exc:
        raise InputError(exc.reason, structure=structure, path=path, expected=exc.expected,
                         actual=exc.actual) from None


_BLOCK_MEMBERS = None


def _block_members() -> set[str]:
    global _BLOCK_MEMBERS
    if _BLOCK_MEMBERS is None:
        _BLOCK_MEMBERS = {m.path for m in layout(IPSECV2_BLOCK).leaves}
    return _BLOCK_MEMBERS


def guess_structure(obj: Any) -> str:
    """Which structure a StructValue, bytes or flat dict is. Bytes are told apart by ``Header.Type``
    (and, for NDIS_OBJECT_TYPE_DEFAULT, by ``Header.Size`` for NDIS_OFFLOAD_PARAMETERS); dicts by their
    member paths. :class:`InputError` when it cannot be told (pass ``context={'structure': ...}``)."""
    if isinstance(obj, StructValue):
        return obj.structure
    if isinstance(obj, OffloadAttributes):
        return ATTRIBUTES
    if isinstance(obj, (bytes, bytearray, memoryview)):
        data = bytes(obj)
        if len(data) < 4:
            raise InputError("too short to hold an NDIS_OBJECT_HEADER", expected="at least 4 bytes",
                             actual=f"{len(data)} bytes")
        htype, hsize = data[0], int.from_bytes(data[2:4], "little")
        for name in (OFFLOAD, ATTRIBUTES, ENCAPSULATION):
            if object_type_value(layout(name)) == htype:
                return name
        params = layout(PARAMETERS)
        if htype == object_type_value(params):
            sizes = sorted({r.size for r in params.revisions})
            if hsize in sizes:
                return PARAMETERS
            # the Type is fine; it is the Size that does not tell the structure (report the Size as the Size)
            raise InputError(f"Header.Type is {params.object_type}, shared by NDIS_OFFLOAD_PARAMETERS and the SA "
                             f"structures, and Header.Size {hsize} is no NDIS_OFFLOAD_PARAMETERS size "
                             f"({', '.join(map(str, sizes))}); say which structure with "
                             "{\"structure\": ...}", path="Header.Size", offset=2, actual=hsize)
        raise InputError("unknown Header.Type; say which structure with {\"structure\": ...}",
                         path="Header.Type", offset=0, actual=htype)
    if isinstance(obj, Mapping):
        keys = set(obj)
        if {"DefaultOffloadConfiguration", "HardwareOffloadCapabilities"} & keys:
            return ATTRIBUTES
        if {"IPsecV2IPv4", "TCPIPv4Checksum", "LsoV2IPv4"} & keys:
            return PARAMETERS
        if any(k.startswith("SecAssoc[") for k in keys) or "NumExtHdrs" in keys:
            return "IPSEC_OFFLOAD_V2_ADD_SA_EX" if "KeyOffset" in keys or "VlanId" in keys else \
                "IPSEC_OFFLOAD_V2_ADD_SA"
        if "OffloadHandle" in keys:
            return "IPSEC_OFFLOAD_V2_UPDATE_SA" if "Operation" in keys or "SequenceNumberHighOrder" in keys \
                else "IPSEC_OFFLOAD_V2_DELETE_SA"
        if "IPv4.EncapsulationType" in keys or "IPv4.Enabled" in keys:
            return ENCAPSULATION
        stripped = {k.split(".", 1)[1] if k.startswith("IPsecV2.") else k for k in keys}
        if keys and all(k.startswith("IPsecV2.") for k in keys) or (keys and stripped <= _block_members()):
            return IPSECV2_BLOCK
        off = layout(OFFLOAD)
        if keys and all(k in off for k in keys):
            return OFFLOAD
        unknown = sorted(k for k in keys if k not in off)[:5]
        raise InputError("cannot tell which structure these members belong to; pass "
                         "context={'structure': ...}", actual=", ".join(unknown) or "(empty)")
    raise InputError(f"cannot validate a {type(obj).__name__}")


WMI_OFFLOAD = "NDIS_WMI_OFFLOAD"
def wmi_offload_block(data: bytes, arch: str = "x64") -> bool:
    """True when bytes that carry NDIS_OBJECT_TYPE_OFFLOAD are an NDIS_WMI_OFFLOAD block (tests/spec/capture-formats.md
    §5, loader rule; see :func:`ipsecexplore.model.wmi_block`)."""
    return wmi_block(data, arch) is not None


def _lenient(name: str, data: bytes, arch: str) -> tuple[Decoded, dict]:
    """Decode without header checks; also read what lies past Header.Size (for R9). A Header.Size larger
    than the revision's NDIS_SIZEOF is read as :func:`ipsecexplore.model.decode` reads it (R8): the revision's
    members only; the bytes past the macro are kept in ``beyond`` of the decode, not taken for members of
    later revisions."""
    d = decode_values(name, data, arch, check_header=False)
    beyond = {}
    lay = layout(name, arch)
    if lay.has_header and d.header_size is not None and len(data) > d.header_size:
        widened = bytearray(data)
        so = lay.field("Header.Size").offset
        widened[so:so + 2] = min(len(data), 0xFFFF).to_bytes(2, "little")
        wide = decode_values(name, bytes(widened), arch, check_header=False)
        beyond = {p: v for p, v in wide.values.items() if p not in d.values and v and not p.startswith("Header.")}
    if lay.has_header and lay.revisions and d.header_size is not None \
            and d.revision in {r.revision for r in lay.revisions} and d.header_size > lay.revision_size(d.revision):
        macro = lay.revision_size(d.revision)
        keep = {m.path for m in lay.leaves_in_revision(d.revision)}
        d.values = {p: v for p, v in d.values.items() if p in keep}
        d.odd_booleans = {p: v for p, v in d.odd_booleans.items() if p in keep}
        d.nonzero_padding = [(o, b) for o, b in d.nonzero_padding if o + len(b) <= macro]
        d.unnamed_bits = [(o, mask, found) for o, mask, found in d.unnamed_bits if o + 4 <= macro]
        d.beyond = bytes(data[macro:d.header_size])
    return d, beyond


def subject_of(obj: Any, structure: str | None = None, *, arch: str = "x64", revision: int | None = None,
               label: str = "", missing: str = "zero") -> Subject:
    """Normalise ``obj`` (StructValue, bytes or flat dict) to a :class:`Subject` of ``structure``.

    In a dict, a member whose value is None is *unknown* (not captured): checks that need it are reported
    as not checked. ``missing='unknown'`` says the same of every member the dict does not give (a capture
    that carries only some members); by default a member not given is 0."""
    if missing not in MISSING:
        raise InputError(f"missing must be one of {', '.join(MISSING)}", actual=missing)
    if isinstance(obj, memoryview) or isinstance(obj, bytearray):
        obj = bytes(obj)
    if structure is not None:
        _layout_of(structure, arch)  # an unknown name or architecture is the caller's input error
    structure = structure or guess_structure(obj)
    if isinstance(obj, StructValue):
        arch = obj.arch
        vals = obj.to_dict(raw=True)
        reported = set(vals)
        # members set beyond the object's revision stay in the object (the model keeps them so that
        # encoding refuses them by name); read them through an encode at the newest revision
        beyond = {}
        lay = obj.layout
        if lay.revisions and obj.revision != lay.latest_revision:
            try:
                wide = obj.encode(lay.latest_revision)
                beyond = {p: v for p, v in decode_values(obj.structure, wide, arch).values.items()
                          if p not in reported and v and not p.startswith("Header.")}
            except Exception:  # noqa: BLE001 - a value the newest revision cannot hold: nothing beyond to show
                beyond = {}
        return Subject(obj.structure, arch, vals, obj.revision, obj.size if lay.revisions else None, True,
                       beyond, obj.decoded, None, label)
    if isinstance(obj, bytes):
        if structure == IPSECV2_BLOCK:
            d = decode_values(structure, obj, arch)
            return Subject(structure, arch, d.values, None, None, False, {}, d, obj, label)
        d, beyond = _lenient(structure, obj, arch)
        declared = None
        lay = layout(structure, arch)
        if lay.has_header and lay.revisions:
            # the lenient decode clamps Header.Size to the buffer; the checks must see what the field holds
            so = lay.field("Header.Size")
            declared = int.from_bytes(obj[so.offset:so.offset + so.size], "little")
        return Subject(structure, arch, d.values, d.revision, d.header_size, True, beyond, d, obj, label,
                       declared_size=declared)
    if isinstance(obj, Mapping):
        return _dict_subject(obj, structure, arch, revision, label, missing)
    raise InputError(f"cannot validate a {type(obj).__name__}")


def _dict_subject(obj: Mapping, structure: str, arch: str, revision, label: str, missing: str) -> Subject:
    vals = parse_values(obj, structure, arch=arch, unknown=True)
    if structure == IPSECV2_BLOCK:
        lay = layout(IPSECV2_BLOCK, arch)
        for k in vals:
            if _leaf(lay, k) is None:
                raise InputError("unknown member", structure=IPSECV2_BLOCK, path=k)
        vals = {k[len("IPsecV2."):] if k.startswith("IPsecV2.") else k: v for k, v in vals.items()}
        known = {k: v for k, v in vals.items() if v is not None}
        unknown = {k for k, v in vals.items() if v is None}
        if missing == "unknown":
            unknown |= {m.path for m in lay.leaves if m.path not in known}
        return Subject(structure, arch, known, None, None, False, {}, None, None, label, frozenset(unknown))
    lay = layout(structure, arch)
    for k in vals:
        if _leaf(lay, k) is None:
            raise InputError("unknown member", structure=structure, path=k)
    known = {k: v for k, v in vals.items() if v is not None}
    unknown = {k for k, v in vals.items() if v is None and not k.startswith("Header.")}
    if missing == "unknown":
        unknown |= {m.path for m in lay.leaves if m.path not in known and not m.path.startswith("Header.")}
    header_given = lay.has_header and bool(lay.revisions) and ("Header.Revision" in known or revision is not None)
    if not header_given:
        return Subject(structure, arch, known, None, None, False, {}, None, None, label, frozenset(unknown))
    rev = known.setdefault("Header.Revision", revision)
    # a header member the input does not give takes the value the revision implies, so that only what
    # the user wrote can be reported wrong (Header.Type 0 was reported for a Type nobody gave)
    want_type = object_type_value(lay)
    if "Header.Type" not in known and want_type is not None:
        known["Header.Type"] = want_type
    if "Header.Size" not in known and rev in [r.revision for r in lay.revisions]:
        known["Header.Size"] = lay.revision_size(rev)
    size = known.get("Header.Size")  # None: an unknown revision and no Size given
    inside = (lambda k: True) if size is None else (lambda k: k.startswith("Header.") or lay.field(k).end <= size)
    reported = {k: v for k, v in known.items() if inside(k)}
    beyond = {k: v for k, v in known.items() if k not in reported and v}
    unknown = {k for k in unknown if inside(k)}
    return Subject(structure, arch, reported, rev, size, True, beyond, None, None, label, frozenset(unknown))


def offload_object(obj: Any, arch: str = "x64") -> NdisOffload:
    """An :class:`NdisOffload` from an NdisOffload, strict bytes, or a flat dict with a revision."""
    if isinstance(obj, NdisOffload):
        return obj
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return decode_struct(OFFLOAD, bytes(obj))
    if isinstance(obj, Mapping):
        vals = parse_values(obj, OFFLOAD)
        return NdisOffload.from_dict(vals, revision=vals.get("Header.Revision"))
    raise InputError(f"expected an NDIS_OFFLOAD, got {type(obj).__name__}")
