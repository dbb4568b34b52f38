"""Reading learners' answers: numbers, bytes, status codes and flag sets in the forms people type them.

Each reader raises :class:`~ipsecexplore.exercises.base.Wrong` with a message about the *form* of the
answer when it cannot read it, so a typo is feedback, not a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from ..constants import lookup
from ..errors import IpsecExploreError
from ..hexinput import parse_hex
from ..layouts import layout
from ..model import NdisOffload, encode
from .base import Wrong

__all__ = ["as_int", "as_bytes", "as_status", "as_flags", "as_bool", "field_at", "get_key"]


def as_int(value: Any, what: str) -> int:
    """An int from an int or from text such as ``"0x78"`` / ``"120"``."""
    if isinstance(value, bool):
        raise Wrong(f"{what}: give a number, not {value}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip().replace("_", ""), 0)
        except ValueError:
            pass
    raise Wrong(f"{what}: give a number (decimal, or hex as 0x…), not {value!r}")


def as_bool(value: Any, what: str) -> bool:
    """A bool from True/False, 1/0 or the words TRUE/FALSE/yes/no."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
        return value.strip().lower() in ("true", "yes")
    raise Wrong(f"{what}: give True or False, not {value!r}")


def as_bytes(value: Any, what: str = "your bytes") -> bytes:
    """Bytes from bytes, an :class:`NdisOffload`, or hex text (any form ``ipsecexplore decode`` reads)."""
    if isinstance(value, NdisOffload):
        return encode(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        try:
            return parse_hex(value)
        except IpsecExploreError as exc:
            raise Wrong(f"{what}: cannot read the hex text ({exc})") from None
    raise Wrong(f"{what}: give bytes, hex text or an NdisOffload, not {type(value).__name__}")


def as_status(value: Any, what: str = "status") -> str:
    """An NDIS_STATUS_* name from its name or its value."""
    if isinstance(value, str) and value.strip().upper().startswith("NDIS_STATUS_"):
        name = value.strip().upper()
        try:
            return lookup(name).name
        except KeyError:
            raise Wrong(f"{what}: there is no status named {name}") from None
    number = as_int(value, what)
    for name in ("NDIS_STATUS_SUCCESS", "NDIS_STATUS_BUFFER_TOO_SHORT", "NDIS_STATUS_INVALID_LENGTH",
                 "NDIS_STATUS_NOT_SUPPORTED", "NDIS_STATUS_INVALID_PARAMETER", "NDIS_STATUS_FAILURE",
                 "NDIS_STATUS_RESOURCES", "NDIS_STATUS_INVALID_DATA", "NDIS_STATUS_PENDING"):
        if int(lookup(name)) == number & 0xFFFFFFFF:
            return name
    raise Wrong(f"{what}: 0x{number & 0xFFFFFFFF:08X} is not a status this exercise knows; give the name")


def as_flags(value: Any, names: Iterable[str], what: str) -> int:
    """A mask from an int, or from flag names (macro or short name, e.g. ``AES_GCM_128``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip()[:1].isdigit():
        return as_int(value, what)
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, Iterable) else None
    if items is None:
        raise Wrong(f"{what}: give a number or a list of flag names, not {type(value).__name__}")
    names = list(names)
    prefix = os.path.commonprefix(names).rsplit("_", 1)[0] + "_" if len(names) > 1 else ""
    mask = 0
    for item in items:
        key = str(item).strip().upper()
        hit = [n for n in names if key in (n, n.removeprefix(prefix))]
        if len(hit) != 1:
            raise Wrong(f"{what}: {item!r} is not one of the flags of this member")
        mask |= int(lookup(hit[0]))
    return mask


def field_at(offset: int, structure: str = "NDIS_OFFLOAD") -> str | None:
    """The member path holding byte ``offset`` of ``structure`` (x64), or None (padding / outside)."""
    lay = layout(structure)
    for m in lay.leaves:
        if m.offset <= offset < m.offset + m.size:
            return m.path
    return None


def get_key(answer: Any, key: str, what: str) -> Any:
    """``answer[key]`` of a dict answer, with a message naming the missing key."""
    if not isinstance(answer, Mapping):
        raise Wrong(f"{what}: give a dict with the key {key!r}, not {type(answer).__name__}")
    for k, v in answer.items():
        if str(k).lower() == key.lower():
            return v
    raise Wrong(f"{what}: the key {key!r} is missing")
