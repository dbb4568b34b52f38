"""``ConvertTo-Json`` output (capture-formats.md §2.5, §3.1).

One adapter serializes to an object, several to an array; ``-Compress`` only removes whitespace. Unknown
keys (``CimClass``, ``CimInstanceProperties``, ``CimSystemProperties`` …) are ignored. Windows PowerShell
5.1 wraps an array passed with ``-InputObject`` as ``{"value": [...], "Count": n}`` [assumed]; that shape is
unwrapped. Several top-level values one after another (output appended with ``>>``) are read in turn.
Each element is decoded on its own so that its line can be reported.
"""

from __future__ import annotations

import json

from . import advprop
from .base import FileContext
from .cim import IPSEC_PROPERTY_NAMES, canonical_keys

__all__ = ["import_json", "looks_like_json"]

_WS = " \t\n\r\ufeff"


def looks_like_json(text: str) -> bool:
    """True when the text starts (after blanks) with ``{`` or ``[``."""
    s = text.lstrip(_WS)
    return s[:1] in ("{", "[")


def _skip(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in _WS:
        i += 1
    return i


def import_json(text: str, ctx: FileContext) -> None:
    """Import every adapter object and ``*IPsecOffload*`` advanced property in a JSON capture."""
    dec = json.JSONDecoder()
    lines = _LineCounter(text)
    i = _skip(text, 0)
    n = len(text)
    while i < n:
        if text[i] == "[":
            i = _array(text, i + 1, dec, ctx, lines)
            if i < 0:
                return
        else:
            try:
                obj, end = dec.raw_decode(text, i)
            except json.JSONDecodeError as exc:
                _syntax(ctx, lines, exc, i)
                return
            if isinstance(obj, dict) and isinstance(obj.get("value"), list) and "Count" in obj and len(obj) == 2:
                for el in obj["value"]:
                    _element(ctx, el, lines.line(i))
            else:
                _element(ctx, obj, lines.line(i))
            i = end
        i = _skip(text, i)


def _array(text: str, i: int, dec, ctx, lines) -> int:
    i = _skip(text, i)
    if i < len(text) and text[i] == "]":
        return i + 1
    while True:
        try:
            obj, end = dec.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            _syntax(ctx, lines, exc, i)
            return -1
        _element(ctx, obj, lines.line(i))
        i = _skip(text, end)
        if i < len(text) and text[i] == ",":
            i = _skip(text, i + 1)
            continue
        if i < len(text) and text[i] == "]":
            return i + 1
        ln = lines.line(min(i, len(text)))
        got = repr(text[i]) if i < len(text) else "end of file"
        ctx.reject(ln, f"JSON syntax error: expected ',' or ']' after an array element, found {got}; "
                       "the rest of the file was not read")
        return -1


def _syntax(ctx, lines, exc: json.JSONDecodeError, start: int) -> None:
    ctx.reject(exc.lineno, f"JSON syntax error at column {exc.colno}: {exc.msg} (in the value starting on "
                           f"line {lines.line(start)}); the rest of the file was not read")


def _element(ctx: FileContext, obj, line: int) -> None:
    if not isinstance(obj, dict):
        ctx.reject(line, f"JSON {type(obj).__name__} where an adapter object was expected")
        return
    obj = canonical_keys(obj)
    if not IPSEC_PROPERTY_NAMES.isdisjoint(obj):
        ctx.cim_object(obj, line)
    elif "RegistryKeyword" in obj:
        advprop.keyword_object(ctx, obj, line)
    else:
        keys = ", ".join(list(obj)[:4]) or "no keys"
        ctx.reject(line, f"JSON object ({keys}) is neither an IPsec offload object nor an advanced property")


class _LineCounter:
    """Line number of a character position, counting forward incrementally."""

    __slots__ = ("text", "pos", "ln")

    def __init__(self, text: str):
        self.text, self.pos, self.ln = text, 0, 1

    def line(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.ln = 0, 1
        self.ln += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.ln
