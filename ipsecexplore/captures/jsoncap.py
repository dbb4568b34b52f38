"""``ConvertTo-Json`` output (tests/spec/capture-formats.md §2.5, §3.1).

One adapter serializes to an object, several to an array; ``-Compress`` only removes whitespace. Unknown
keys (``CimClass``, ``CimInstanceProperties``, ``CimSystemProperties`` …) are ignored. Windows PowerShell
5.1 wraps an array passed with ``-InputObject`` as ``{"value": [...], "Count": n}`` [assumed]; that shape is
unwrapped. Several top-level values one after another (output appended with ``>>``) are read in turn.
Each element is decoded on its own so that its line can be reported.

A key repeated in one JSON object (``{"Name": "a", "Name": "b"}``) rejects that element, naming the key and
its line: ``json`` would keep the last value without a word, and ``ConvertFrom-Json`` refuses such text. So
do keys that differ only by case when they name the same CIM property (PowerShell reads keys
case-insensitively). A value nested deeper than the parser can follow rejects the element and ends the file
(its end cannot be found), instead of aborting the whole import.
"""

from __future__ import annotations

import json
import re

from ..jsonio import (
    DuplicateKey,
    first_duplicate,
    first_duplicate_key,
    number_error,
    reject_duplicates,
    too_deep_reason,
)
from . import advprop
from .base import FileContext
from .cim import IPSEC_PROPERTY_NAMES, canonical_keys
from .record import RecordError

__all__ = ["first_duplicate_key", "import_json", "looks_like_json", "too_deep_reason"]

_WS = " \t\n\r\ufeff"
# Strict decoding refuses repeated keys (jsonio's hook); the permissive decoder is only used after a
# refusal, to find where the element ends so that the next one can still be read.
_STRICT = json.JSONDecoder(object_pairs_hook=reject_duplicates)
_PLAIN = json.JSONDecoder()
# The {"value": [...], "Count": n} wrapper as ConvertTo-Json writes it (value first): its elements are then
# read one by one, with their own lines.
_WRAPPER_HEAD = re.compile(r'\{\s*"value"\s*:\s*\[')

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
    lines = _LineCounter(text)
    i = _skip(text, 0)
    n = len(text)
    while i < n:
        if text[i] == "[":
            i = _array(text, i + 1, ctx, lines)
            if i < 0:
                return
        else:
            start = lines.line(i)
            try:
                obj, end, dup = _decode(text, i)
            except json.JSONDecodeError as exc:
                _syntax(ctx, lines, exc, i)
                return
            except RecursionError:
                ctx.reject(start, too_deep_reason(start) + "; the rest of the file was not read")
                return
            if _is_wrapper(obj):
                _wrapper(text, i, end, obj, dup, ctx, lines, start)
            elif dup is not None:
                _reject_duplicate(ctx, lines, start, dup)
            else:
                _element(ctx, obj, start)
            i = end
        i = _skip(text, i)


def _decode(text: str, i: int):
    """``(value, end, None)``, or ``(value, end, (key, position))`` when a key repeats inside the value.

    Raises ``json.JSONDecodeError`` and ``RecursionError`` (nesting deeper than the parser follows)."""
    try:
        try:
            obj, end = _STRICT.raw_decode(text, i)
            return obj, end, None
        except DuplicateKey:
            obj, end = _PLAIN.raw_decode(text, i)
            return obj, end, first_duplicate(text, i, end)
    except ValueError as exc:  # a number of too many digits: a syntax error at that number
        raise number_error(text, exc, i) from None


def _is_wrapper(obj) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("value"), list) and "Count" in obj and len(obj) == 2


def _wrapper(text: str, i: int, end: int, obj: dict, dup, ctx: FileContext, lines, start: int) -> None:
    """The ``{"value": [...], "Count": n}`` wrapper: each element is a record of its own."""
    if dup is not None:
        own = first_duplicate(text, i, end, depth=1)  # "value" or "Count" twice: which list is meant?
        if own is not None:
            _reject_duplicate(ctx, lines, start, own, "(the {value, Count} wrapper)")
            return
    m = _WRAPPER_HEAD.match(text, i)
    if m is None:  # keys in another order: elements are read from the parsed value, at the wrapper's line
        if dup is not None:
            _reject_duplicate(ctx, lines, start, dup)
            return
        for el in obj["value"]:
            _element(ctx, el, start)
        return
    # The wrapper parsed, so every element is valid JSON and _array reads them all; a repeat inside one
    # rejects that element only.
    _array(text, m.end(), ctx, lines)


def _array(text: str, i: int, ctx, lines) -> int:
    i = _skip(text, i)
    if i < len(text) and text[i] == "]":
        return i + 1
    while True:
        start = lines.line(i)
        try:
            obj, end, dup = _decode(text, i)
        except json.JSONDecodeError as exc:
            _syntax(ctx, lines, exc, i)
            return -1
        except RecursionError:
            ctx.reject(start, too_deep_reason(start) + "; the rest of the file was not read")
            return -1
        if dup is not None:
            _reject_duplicate(ctx, lines, start, dup)
        else:
            _element(ctx, obj, start)
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


def _reject_duplicate(ctx: FileContext, lines, start: int, dup, where: str = "") -> None:
    key, pos = dup
    ln = lines.line(pos)
    ctx.reject(ln, f"key {key!r} appears twice in one JSON object{(' ' + where) if where else ''} (in the "
                   f"value starting on line {start}); which one is meant is unknown, so the object is not read")


def _syntax(ctx, lines, exc: json.JSONDecodeError, start: int) -> None:
    ctx.reject(exc.lineno, f"JSON syntax error at column {exc.colno}: {exc.msg} (in the value starting on "
                           f"line {lines.line(start)}); the rest of the file was not read")


def _element(ctx: FileContext, obj, line: int) -> None:
    try:
        _object(ctx, obj, line)
    except RecursionError:
        # A property value nested almost as deep as the parser allows (it parsed) can still be too deep
        # to print in a message. Nothing was counted yet: every record is counted after its message is made.
        ctx.reject(line, too_deep_reason(line))


def _object(ctx: FileContext, obj, line: int) -> None:
    if not isinstance(obj, dict):
        ctx.reject(line, f"JSON {type(obj).__name__} where an adapter object was expected")
        return
    try:
        obj = canonical_keys(obj)
    except RecordError as exc:
        ctx.reject(line, exc.reason)
        return
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
