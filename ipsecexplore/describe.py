"""Words for values: what a member's number means, using the constant group its declaration names."""

from __future__ import annotations

import enum

from .layouts import Member

__all__ = ["describe_value", "flag_names"]


def _domain(m: Member):
    """The constant class (enum) of the group member ``m`` names, or None."""
    if not m.group:
        return None
    from .constants import domain_class

    return domain_class(m.group)


def flag_names(m: Member, value: int) -> list[str]:
    """Macro names set in ``value`` for a flag member; unknown bits as ``0x..``."""
    cls = _domain(m)
    if cls is None or not issubclass(cls, enum.Flag):
        return []
    names = list(cls.names(value))
    unknown = value & ~cls.valid_mask
    if unknown:
        names.append(f"unknown bits 0x{unknown:X}")
    return names


def describe_value(m: Member, value, structure: str | None = None) -> str:
    """A short plain-words reading of ``value`` for member ``m`` ('' when there is nothing to add).

    ``structure`` picks the right name where several constants share a value (revision numbers)."""
    if isinstance(value, bool) or m.is_boolean:
        return "TRUE" if value else "FALSE"
    if not isinstance(value, int):
        return ""
    cls = _domain(m)
    if cls is None:
        return ""
    if issubclass(cls, enum.Flag):
        if value == 0:
            zero = [x for x in cls.__members__.values() if int(x) == 0]
            return zero[0].name if zero else "none"
        return " | ".join(flag_names(m, value))
    from .constants import member_for

    named = member_for(m.domains, value, f"{structure}.{m.path}" if structure else None)
    return named.name if named is not None else f"undefined value {value}"
