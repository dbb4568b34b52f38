"""One value formatter: how the package writes a member's number for people.

Numbers 0..9 read the same in every base, so they are written in decimal; larger numbers are flags, masks,
sizes and offsets, which the documentation writes in hex, so they are written ``0x..`` (upper-case digits),
with the decimal value after them where there is room. Booleans are never numbers here.
"""

from __future__ import annotations

import uuid

__all__ = ["int_text", "value_text", "to_jsonable"]


def int_text(v: int, *, decimal: bool = True) -> str:
    """``v`` in hex above 9 (``decimal``: with the decimal value in parentheses), else in decimal.

    >>> int_text(31), int_text(31, decimal=False), int_text(9)
    ('0x1F (31)', '0x1F', '9')
    """
    return (f"0x{v:X} ({v})" if decimal else f"0x{v:X}") if v > 9 else str(v)


def value_text(v, *, decimal: bool = True, booleans: tuple[str, str] | None = None, other=str) -> str:
    """A member value as text: an ``int`` (not a ``bool``) by :func:`int_text`; a ``bool`` as
    ``booleans[True]``/``booleans[False]`` when given (e.g. ``("FALSE", "TRUE")``, the C spelling); anything
    else by ``other`` (``str`` or ``repr``).

    >>> value_text(True, booleans=("FALSE", "TRUE")), value_text(16, decimal=False), value_text("x", other=repr)
    ('TRUE', '0x10', "'x'")
    """
    if isinstance(v, bool):
        return booleans[v] if booleans is not None else other(v)
    if isinstance(v, int):
        return int_text(v, decimal=decimal)
    return other(v)


def to_jsonable(v):
    """A value as JSON can hold it, the one converter for every ``to_json``/``to_dict``: ``bytes`` become hex
    text, a GUID ``{XXXXXXXX-…}``, tuples and lists lists, dicts dicts with text keys (both converted
    element by element); ``bool``/``int``/``float``/``str``/``None`` stay (flags stay integers); anything else
    becomes ``str(v)``.

    >>> to_jsonable({"a": (1, b"\\x01\\xff")})
    {'a': [1, '01ff']}
    """
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, uuid.UUID):
        return "{" + str(v).upper() + "}"
    if isinstance(v, dict):
        return {str(k): to_jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_jsonable(x) for x in v]
    return str(v)
