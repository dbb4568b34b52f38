"""Building and parsing the IPsecOV2 SA structures, x64 and x86 (tests/spec/layouts.md §4.8).

An SA *spec* is a dict of member paths of ``IPSEC_OFFLOAD_V2_ADD_SA`` / ``…_ADD_SA_EX`` (nested dicts and
lists are flattened: ``{"SecAssoc": [{"Operation": 2}]}`` = ``{"SecAssoc[0].Operation": 2}``), values as
ints or constant names, plus ``"Keys"``: the key area as bytes or hex text. ``KeyLength`` defaults to
the key area's length; ``KeyOffset`` (ADD_SA_EX) to ``sizeof`` of the structure, so the keys follow it.

ADD_SA entries are chained through ``Next`` (a simulated address); ADD_SA_EX carries one SA and has no
``Next``. Every offset comes from :mod:`ipsecexplore.layouts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..codec import decode_values
from ..errors import InputError
from ..hexinput import parse_hex
from ..layouts import layout
from ..model import encode_struct
from ..rules.subjects import parse_values

__all__ = ["ADD_SA", "ADD_SA_EX", "DELETE_SA", "UPDATE_SA", "HEADER_KEYS", "header_overrides", "flatten", "SaRequest",
           "build_add_sa", "parse_add_sa", "build_delete_sa", "build_update_sa", "key_area"]

ADD_SA = "IPSEC_OFFLOAD_V2_ADD_SA"
ADD_SA_EX = "IPSEC_OFFLOAD_V2_ADD_SA_EX"
DELETE_SA = "IPSEC_OFFLOAD_V2_DELETE_SA"
UPDATE_SA = "IPSEC_OFFLOAD_V2_UPDATE_SA"


def flatten(spec: Mapping, prefix: str = "") -> dict:
    """Nested dicts/lists → dotted member paths (lists index arrays: ``SecAssoc[0].Spi``)."""
    out = {}
    for k, v in spec.items():
        path = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(flatten(v, path + "."))
        elif isinstance(v, list) and v and all(isinstance(x, Mapping) for x in v):
            for i, x in enumerate(v):
                out.update(flatten(x, f"{path}[{i}]."))
        else:
            out[path] = v
    return out


def _keys(raw: Any) -> bytes:
    """The key area of an SA spec: bytes, or hex text (an InputError naming ``Keys`` otherwise)."""
    if raw is None:
        return b""
    if isinstance(raw, (bytes, bytearray)):
        return bytes(raw)
    if isinstance(raw, str):
        if not raw.strip():
            return b""
        try:
            return parse_hex(raw)
        except InputError as exc:
            # named as the member, without a file: run_scenario adds the scenario file and step, which a
            # source of "Keys" would have replaced ("Keys:1: column 1: …")
            where = f" (line {exc.line} of the text)" if exc.line is not None and "\n" in raw.strip() else ""
            raise InputError(f"not hex text: {exc.reason}{where}", path="Keys") from None
    raise InputError("Keys must be bytes or hex text", path="Keys", actual=type(raw).__name__)


@dataclass
class SaRequest:
    """One SA structure as sent: its values (dotted paths), its key area, and its bytes (fixed part
    followed by the key area, as one allocation)."""

    structure: str
    arch: str
    values: dict
    keys: bytes
    data: bytes

    @property
    def inbound(self) -> bool:
        """True when Flags carries IPSEC_OFFLOAD_V2_INBOUND."""
        from ..rules import const

        return bool(self.values.get("Flags", 0) & const.value("IPSEC_OFFLOAD_V2_INBOUND"))


def key_area(structure: str, arch: str, values: Mapping) -> tuple[int, int]:
    """(offset, length) of the key area inside one SA allocation (R97)."""
    lay = layout(structure, arch)
    start = values.get("KeyOffset", 0) if structure == ADD_SA_EX else lay.field("KeyData").offset
    return start, values.get("KeyLength", 0)


def build_add_sa(spec: Mapping, structure: str = ADD_SA, arch: str = "x64", *, next_address: int = 0,
                 header: Mapping | None = None) -> SaRequest:
    """Pack one ADD_SA (or ADD_SA_EX) entry with its key area. ``header`` may override Header.* values
    (to model a transport that gets them wrong)."""
    lay = layout(structure, arch)
    if not isinstance(spec, Mapping):
        raise InputError("an SA is an object of member paths", structure=structure, actual=type(spec).__name__)
    spec = dict(spec)
    keys = _keys(spec.pop("Keys", None))
    vals = parse_values(flatten(spec), structure, arch=arch)
    for p in vals:
        if p not in lay or not lay.field(p).leaf:
            raise InputError("unknown member", structure=structure, path=p)
    vals.setdefault("KeyLength", len(keys))
    if structure == ADD_SA:
        vals["Next"] = next_address
        if keys:
            vals["KeyData"] = keys[:1]
    else:
        vals.setdefault("KeyOffset", lay.sizeof)
    rev = lay.latest_revision
    fixed = encode_struct(structure, {k: v for k, v in vals.items() if not k.startswith("Header.")}, arch,
                          revision=rev)
    buf = bytearray(fixed)
    if header:
        for k, v in header_overrides(header, structure, arch).items():
            m = lay.field(k)
            buf[m.offset:m.offset + m.size] = int(v).to_bytes(m.size, "little")
    start, _ = key_area(structure, arch, vals)
    if keys:
        if len(buf) < start:
            buf += bytes(start - len(buf))
        buf[start:start + len(keys)] = keys
    full = dict(vals)
    full.update({k: int.from_bytes(buf[lay.field(k).offset:lay.field(k).offset + lay.field(k).size], "little")
                 for k in HEADER_KEYS})
    return SaRequest(structure, arch, full, keys, bytes(buf))


HEADER_KEYS = ("Header.Type", "Header.Revision", "Header.Size")


def header_overrides(header: Mapping | None, structure: str, arch: str, key: str = "header") -> dict:
    """``Header.*`` values given to override a request's header (a wrong header is the point of an override,
    but each value must still fit its field): ``{}`` for None, else the parsed values; :class:`InputError`
    names ``key`` or the member otherwise."""
    if header is None:
        return {}
    if not isinstance(header, Mapping):
        raise InputError(f"{key} must be an object of Header.* values", path=key, actual=type(header).__name__)
    for k in header:
        if k not in HEADER_KEYS:
            raise InputError(f"{key} takes {', '.join(HEADER_KEYS)}", structure=structure, path=str(k))
    return parse_values(header, structure, arch=arch)


def parse_add_sa(data: bytes, structure: str = ADD_SA, arch: str = "x64") -> SaRequest:
    """Parse one ADD_SA/ADD_SA_EX allocation back. The header is not checked here: it may be wrong on purpose
    (a ``header`` override) and R85 judges it; the members are read at their offsets all the same, and the
    Header.* values are kept as the bytes hold them."""
    lay = layout(structure, arch)
    buf = bytearray(data)
    so = lay.field("Header.Size")
    if len(buf) >= so.offset + so.size:
        buf[so.offset:so.offset + so.size] = min(len(buf), lay.sizeof).to_bytes(so.size, "little")
    vals = dict(decode_values(structure, bytes(buf), arch, check_header=False).values)
    for k in ("Header.Type", "Header.Revision", "Header.Size"):
        m = lay.field(k)
        vals[k] = int.from_bytes(data[m.offset:m.offset + m.size], "little")
    start, length = key_area(structure, arch, vals)
    return SaRequest(structure, arch, vals, bytes(data[start:start + length]), bytes(data))


def build_delete_sa(handle: int, arch: str = "x64", next_address: int = 0) -> bytes:
    """One DELETE_SA entry naming a bundle by its OffloadHandle."""
    lay = layout(DELETE_SA, arch)
    return encode_struct(DELETE_SA, {"Next": next_address, "OffloadHandle": handle}, arch,
                         revision=lay.latest_revision)


def build_update_sa(handle: int, operation: int, spi: int, seq_high: int, arch: str = "x64") -> bytes:
    """One UPDATE_SA (no ``Next`` member: one SA per request, R103)."""
    lay = layout(UPDATE_SA, arch)
    return encode_struct(UPDATE_SA, {"OffloadHandle": handle, "Operation": operation, "Spi": spi,
                                     "SequenceNumberHighOrder": seq_high}, arch, revision=lay.latest_revision)
