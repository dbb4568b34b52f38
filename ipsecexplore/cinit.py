"""The C a driver writes in MiniportInitializeEx to fill a structure like this one.

>>> from ipsecexplore.model import NdisOffload
>>> off = NdisOffload.new(revision=2); off.IPsecV2.Esp = True
>>> print(off.c_initializer())  # doctest: +ELLIPSIS
NDIS_OFFLOAD offload;
NdisZeroMemory(&offload, sizeof(offload));
offload.Header.Type = NDIS_OBJECT_TYPE_OFFLOAD;
offload.Header.Revision = NDIS_OFFLOAD_REVISION_2;
offload.Header.Size = NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2;
...
offload.IPsecV2.Esp = TRUE;
"""

from __future__ import annotations

import enum

from .extent import Extent
from .formatting import int_text

__all__ = ["c_initializer", "c_value"]


def c_value(m, value, structure: str | None = None) -> str:
    """C expression for ``value`` of member ``m``: macro names where the constant group names them."""
    if m.is_boolean:
        return "TRUE" if value == 1 else ("FALSE" if value == 0 else f"{value}  /* not 0 or 1 */")
    items = m.codec.elements(m, value)
    if items is not None:
        return "{ " + ", ".join(f"0x{b:02X}" for _, b in items) + " }"
    if not isinstance(value, int):
        return str(value)
    cls = None
    if m.group:
        from .constants import domain_class

        cls = domain_class(m.group)
    if cls is not None and issubclass(cls, enum.Flag):
        names = list(cls.names(value))
        unknown = value & ~cls.valid_mask
        parts = names + ([f"0x{unknown:X} /* undefined bits */"] if unknown else [])
        return " |\n        ".join(parts) if parts else "0"
    if cls is not None:
        from .constants import member_for

        named = member_for(m.domains, value, f"{structure}.{m.path}" if structure else None)
        if named is not None:
            return named.name
    return int_text(value, decimal=False)


def c_initializer(obj, variable: str | None = None) -> str:
    """C statements filling ``obj``: header with the macro names, then every non-zero member by name."""
    lay = obj.layout
    var = variable or _default_var(lay.name)
    lines = [f"{lay.name} {var};", f"NdisZeroMemory(&{var}, sizeof({var}));"]
    if lay.revisions and obj.revision is not None:
        r = lay.revision(obj.revision)
        lines += [f"{var}.Header.Type = {lay.object_type};",
                  f"{var}.Header.Revision = {r.revision_constant or r.revision};",
                  f"{var}.Header.Size = {r.size_constant or r.size};"]
        comment = Extent.of(lay, obj.revision, obj.header().get("Header.Size")).writer_comment()
        if comment:  # decoded from bytes with a larger Header.Size (R8)
            lines[-1] += f"  {comment}"
    for path, v in obj.to_dict(raw=True).items():
        if path.startswith("Header.") and lay.revisions:
            continue
        m = lay.field(path)
        if m.codec.is_zero(v):
            continue
        items = m.codec.elements(m, v)
        if items is not None:
            lines += [f"{var}.{path}[{i}] = 0x{b:02X};" for i, b in items if b]
            continue
        lines.append(f"{var}.{path} = {c_value(m, v, lay.name)};")
    return "\n".join(lines) + "\n"


def _default_var(name: str) -> str:
    base = name.replace("NDIS_", "").replace("IPSEC_OFFLOAD_V2_", "").lower()
    parts = base.split("_")
    return parts[0] + "".join(p.title() for p in parts[1:])
