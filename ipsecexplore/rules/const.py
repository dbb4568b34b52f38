"""The few ways the rules and the simulator read :mod:`ipsecexplore.constants`, in one place.

No value is typed here: every number comes from the constants module (which renders ``tests/spec/constants.md``),
by its exact macro name or by its constant group.
"""

from __future__ import annotations

from functools import cache

from .. import constants as _c

__all__ = ["value", "group", "group_mask", "names", "name_of", "members_named"]


@cache
def value(name: str) -> int:
    """The integer value of a constant by its exact macro name (``KeyError`` if unknown)."""
    return int(_c.lookup(name))


def group(name: str):
    """The IntEnum/IntFlag class of a constant group (``NDIS_OFFLOAD_FLAGS`` …)."""
    return _c.domain_class(name)


@cache
def group_mask(name: str) -> int:
    """OR of every value in a flag group: the mask of defined bits (e.g. 0x3F for authentication)."""
    mask = 0
    for member in group(name).__members__.values():
        mask |= int(member)
    return mask


def names(group_name: str) -> dict[str, int]:
    """``{macro name: value}`` of a group, aliases included."""
    return {k: int(v) for k, v in group(group_name).__members__.items()}


def members_named(group_name: str, fragment: str) -> int:
    """OR of the values in ``group_name`` whose macro name contains ``fragment`` (e.g. 'AES_GCM')."""
    out = 0
    for k, v in group(group_name).__members__.items():
        if fragment in k:
            out |= int(v)
    return out


def name_of(group_name: str, v: int) -> str:
    """Macro name(s) for ``v`` in a group: exact member name, else ``A | B`` of its bits, else hex."""
    g = names(group_name)
    for k, x in g.items():
        if x == v:
            return k
    parts = [k for k, x in g.items() if x and x & (x - 1) == 0 and v & x]
    rest = v
    for k in parts:
        rest &= ~g[k]
    text = " | ".join(parts)
    if rest:
        text = f"{text} | 0x{rest:X}" if text else f"0x{v:X}"
    return text or f"0x{v:X}"
