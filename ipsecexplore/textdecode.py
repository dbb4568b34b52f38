"""One text decoder for everything the package reads as text (hex input for ``decode``/``encode``, capture
files for ``import``): which encoding a file is in, from its BOM or, without one, from where its NUL bytes
are (UTF-16 text of ASCII characters has a NUL in every other byte). ``decode`` and ``import`` read a file
the same way because both ask :func:`sniff` (tests/test_textdecode.py).
"""

from __future__ import annotations

import codecs

__all__ = ["sniff", "utf16_without_bom", "decode_strict", "first_nonblank_line"]

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SNIFF = 4096  # bytes looked at for UTF-16 without a BOM


def utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when nearly every other byte of ``head`` is NUL and the others are
    not (UTF-16 text, mostly ASCII, written without a BOM); else None.

    >>> utf16_without_bom("a7 02".encode("utf-16-le"))
    'utf-16-le'
    """
    if len(head) < 4:
        return None
    odd_nul = head[1::2].count(0) / max(1, len(head[1::2]))
    even_nul = head[0::2].count(0) / max(1, len(head[0::2]))
    if odd_nul > 0.9 and even_nul < 0.1:
        return "utf-16-le"
    if even_nul > 0.9 and odd_nul < 0.1:
        return "utf-16-be"
    return None


def sniff(data: bytes) -> tuple[str | None, int]:
    """``(encoding, BOM length)``: the BOM's encoding (``utf-8-sig``, ``utf-16-le``, ``utf-16-be``), else
    UTF-16 without a BOM (:func:`utf16_without_bom`), else None: UTF-8 if it decodes (the caller decides what
    text that is not UTF-8 is)."""
    for bom, enc in _BOMS:
        if data[:len(bom)] == bom:
            return enc, len(bom)
    if b"\x00" in data[:_SNIFF]:
        return utf16_without_bom(data[:_SNIFF]), 0
    return None, 0


def decode_strict(data: bytes) -> str | None:
    """``data`` as text in the encoding :func:`sniff` finds (UTF-8 when it finds none), BOM removed; None
    when it is not valid text in that encoding.

    >>> decode_strict("a7 02".encode("utf-16-be"))
    'a7 02'
    """
    enc, skip = sniff(data)
    codec = "utf-8" if enc in (None, "utf-8-sig") else enc
    try:
        return str(memoryview(data)[skip:], codec)
    except UnicodeDecodeError:
        return None


def first_nonblank_line(text: str, within: int | None = None) -> str | None:
    """The first line (``\\n`` line ends) of ``text`` that is not blank, or None when there is none (among
    its first ``within`` lines). Found with C string methods, without splitting the text into lines."""
    body = len(text) - len(text.lstrip())
    if body == len(text):
        return None
    start = text.rfind("\n", 0, body) + 1
    if within is not None and text.count("\n", 0, start) >= within:
        return None
    end = text.find("\n", start)
    return text[start:end] if end >= 0 else text[start:]
