"""Reading bytes that people paste: hex text in the shapes it comes in, or raw binary.

Tolerated: whitespace, ``0x`` prefixes, commas, colons, semicolons, C array punctuation
(``unsigned char b[] = { 0xa7, 0x02, … };``), ``//`` and ``/* */`` comments, and hex-dump address columns
(``0000  a7 02 90 00 …``) when every line starts with its own running offset, including the output of
``xxd`` and ``hexdump -C`` (their ASCII column, ``*`` repeat lines and final length line are understood).
"""

from __future__ import annotations

import re
import sys

from .errors import InputError

__all__ = ["parse_hex", "looks_like_hex", "read_bytes", "read_source"]

_HEX_TEXT = re.compile(rb"^[\s0-9a-fA-FxX,;:{}\[\]=/*a-zA-Z_]*$")
_DUMP_START = re.compile(rb"^\s*0{4,16}:?\s+[0-9a-fA-F]{2}")
_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


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
    if _DUMP_START.match(raw):  # xxd / hexdump -C: their ASCII column may hold any printable character
        return True
    return bool(re.search(r"[0-9a-fA-F]{2}", text)) and bool(_HEX_TEXT.match(raw))


_DUMP_LINE = re.compile(r"^\s*([0-9a-fA-F]{4,16})(:?)(?:\s+(.*))?$")


def _parse_dump(text: str, source: str, line_offset: int) -> bytes | None:
    """Bytes of a hex dump whose lines start with their own offset (xxd, hexdump -C, the spec's dumps),
    or None when ``text`` is not such a dump."""
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip()]
    if not lines:
        return None
    out = bytearray()
    prev_row = b""
    repeat = False
    for idx, (n, line) in enumerate(lines):
        if line.strip() == "*":
            repeat = True
            continue
        m = _DUMP_LINE.match(line)
        if not m:
            return None
        addr = int(m.group(1), 16)
        if repeat:  # hexdump's '*': the previous row repeats up to this address
            while len(out) < addr and prev_row:
                out += prev_row[: addr - len(out)]
            repeat = False
        if addr != len(out):
            return None
        body = m.group(3) or ""
        if not body.strip():
            if idx == len(lines) - 1:
                break  # the final "length" line
            return None
        if m.group(2):  # xxd: groups of hex digits, then two spaces and the ASCII column
            hexpart = body.split("  ")[0]
            digits = hexpart.replace(" ", "")
        else:  # hexdump -C or a plain dump: drop the |ascii| column
            hexpart = re.sub(r"\s*\|.*\|\s*$", "", body)
            toks = hexpart.split()
            if not toks or not all(re.fullmatch(r"[0-9a-fA-F]{2}", t) for t in toks):
                return None
            digits = "".join(toks)
        if not re.fullmatch(r"(?:[0-9a-fA-F]{2})+", digits):
            raise InputError(f"hex dump row is not whole bytes: {hexpart.strip()!r}", source=source,
                             line=n + line_offset)
        prev_row = bytes.fromhex(digits)
        out += prev_row
    return bytes(out) if out else None


def parse_hex(text: str, *, source: str = "<input>", line_offset: int = 0) -> bytes:
    """Parse hex text to bytes; :class:`InputError` names the bad token, its line and column.

    >>> parse_hex("a7 02 90 00") == bytes([0xa7, 2, 0x90, 0])
    True
    >>> parse_hex("{ 0xA7, 0x02 }")
    b'\\xa7\\x02'
    """
    dumped = _parse_dump(text, source, line_offset)
    if dumped is not None:
        return dumped
    text = _COMMENTS.sub(lambda m: " " * len(m.group()) if "\n" not in m.group() else "\n" * m.group().count("\n"), text)
    if "{" in text:  # C initializer: keep what is inside the braces
        start = text.index("{")
        prefix = text[:start]
        text = "\n" * prefix.count("\n") + " " * (len(prefix) - prefix.rfind("\n") - 1) + text[start:]
    out = bytearray()
    for ln, line in enumerate(text.splitlines(), 1):
        for tok_m in re.finditer(r"[^\s,;:{}]+", line):
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
    if not out:
        raise InputError("no hex bytes found", source=source)
    return bytes(out)


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


def read_source(path: str | None) -> tuple[bytes, str]:
    """Bytes of file ``path``, or of stdin for '-' or None; returns (bytes, name for messages)."""
    if path in (None, "-"):
        return sys.stdin.buffer.read(), "<stdin>"
    try:
        with open(path, "rb") as fh:
            return fh.read(), path
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=path) from None
