"""Reading bytes that people paste: hex text in the shapes it comes in, or raw binary.

Tolerated: whitespace, ``0x`` prefixes, commas, colons, semicolons, C array punctuation
(``unsigned char b[] = { 0xa7, 0x02, … };``), ``//`` and ``/* */`` comments, and hex-dump address columns
(``0000  a7 02 90 00 …``) when every line starts with its own running offset.
"""

from __future__ import annotations

import re

from .errors import InputError

__all__ = ["parse_hex", "looks_like_hex", "read_bytes"]

_HEX_TEXT = re.compile(rb"^[\s0-9a-fA-FxX,;:{}\[\]=/*a-zA-Z_]*$")
_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_SEP = re.compile(r"[\s,;:{}]+")


def looks_like_hex(raw: bytes) -> bool:
    """True when ``raw`` is plausibly hex text rather than binary structure bytes."""
    if not raw.strip():
        return False
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return False
    if any(ord(c) < 9 or 13 < ord(c) < 32 for c in text):
        return False
    return bool(re.search(r"[0-9a-fA-F]{2}", text)) and bool(_HEX_TEXT.match(raw))


def parse_hex(text: str, *, source: str = "<input>", line_offset: int = 0) -> bytes:
    """Parse hex text to bytes; :class:`InputError` names the bad token, its line and column.

    >>> parse_hex("a7 02 90 00") == bytes([0xa7, 2, 0x90, 0])
    True
    >>> parse_hex("{ 0xA7, 0x02 }")
    b'\\xa7\\x02'
    """
    text = _COMMENTS.sub(lambda m: " " * len(m.group()) if "\n" not in m.group() else "\n" * m.group().count("\n"), text)
    if "{" in text:  # C initializer: keep what is inside the braces
        start = text.index("{")
        prefix = text[:start]
        text = "\n" * prefix.count("\n") + " " * (len(prefix) - prefix.rfind("\n") - 1) + text[start:]
    lines = text.splitlines()
    strip_addr = _has_address_column(lines)
    out = bytearray()
    for ln, line in enumerate(lines, 1):
        body = line
        if strip_addr and body.strip():
            m = re.match(r"\s*[0-9a-fA-F]+:?", body)
            body = " " * m.end() + body[m.end():]
        pos = 0
        for tok_m in re.finditer(r"[^\s,;:{}]+", body):
            tok = tok_m.group()
            col = tok_m.start() + 1
            t = tok
            if t in ("=",) or re.fullmatch(r"(unsigned|char|UCHAR|BYTE|uint8_t|static|const)", t):
                continue
            if t.endswith("]") or t.endswith("[]") or "[" in t:
                continue  # the array name of a C initializer
            if t.lower().startswith("0x"):
                t = t[2:]
                if len(t) == 1:
                    t = "0" + t
            if not t or not re.fullmatch(r"[0-9a-fA-F]+", t) or len(t) % 2:
                odd = " (odd number of digits)" if re.fullmatch(r"[0-9a-fA-F]+", t or "-") else ""
                raise InputError(f"column {col}: not a hex byte sequence: {tok!r}{odd}", source=source,
                                 line=ln + line_offset)
            out += bytes.fromhex(t)
            pos = tok_m.end()
        _ = pos
    if not out:
        raise InputError("no hex bytes found", source=source)
    return bytes(out)


def _has_address_column(lines: list[str]) -> bool:
    expected = 0
    seen = 0
    for line in lines:
        toks = _SEP.split(line.strip())
        if not toks or not toks[0]:
            continue
        first = toks[0]
        if not re.fullmatch(r"[0-9a-fA-F]{4,8}", first) or int(first, 16) != expected:
            return False
        expected += len(toks) - 1 if all(len(t) == 2 for t in toks[1:]) else 0
        seen += 1
    return seen > 0


def read_bytes(raw: bytes, mode: str = "auto", *, source: str = "<input>") -> bytes:
    """``mode``: 'auto' (hex text if it looks like it, else binary), 'hex' or 'bin'."""
    if mode == "bin":
        return raw
    if mode == "hex" or (mode == "auto" and looks_like_hex(raw)):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("hex input is not text (use --bin for binary)", source=source) from None
        return parse_hex(text, source=source)
    return raw
