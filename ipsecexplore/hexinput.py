"""Reading bytes that people paste: hex text in the shapes it comes in, or raw binary.

Tolerated: whitespace, ``0x`` prefixes, commas, colons, semicolons, C array punctuation
(``unsigned char b[] = { 0xa7, 0x02, … };``), ``//`` and ``/* */`` comments, and hex-dump address columns
(``0000  a7 02 90 00 …``) when every line starts with its own running offset, including the output of
``xxd``, ``hexdump -C`` (their ASCII column, ``*`` repeat lines and final length line are understood) and
WinDbg's ``db`` (``ffffe001`2a3b0000  a7 02 90 00 00 00 00 00-00 00 …  ................``; addresses count up
from the first one). Text may be UTF-8 or UTF-16, with or without a BOM (PowerShell 5 ``>`` writes one), read
as ``import`` reads it (:mod:`ipsecexplore.textdecode`).

A text that clearly is such a dump (every line an address column and a row of at most 16 bytes) but whose
addresses do not follow the bytes before them is refused with the line named, never re-read with the
address column as data.
"""

from __future__ import annotations

import re
import sys

from .errors import InputError
from .textdecode import decode_strict, first_nonblank_line

__all__ = ["parse_hex", "split_spec_dumps", "looks_like_spec_dump",
           "looks_like_hex", "read_bytes", "read_source", "decode_text", "split_lines",
           "DEFAULT_MAX_BYTES", "TooLarge"]

#: The most bytes hex text may stand for (a dump's ``*`` repeat lines and address jumps expand it); the
#: capture importer's default size limit is the same number.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024



class TooLarge(InputError):
    """Hex text that stands for more bytes than the size limit (a dump's ``*`` repeat up to a far address)."""


_HEX_TEXT = re.compile(r"^[\s0-9a-fA-FxX,;:{}\[\]=/*a-zA-Z_]*$")
# The first line of a dump: an address column (WinDbg's may hold a backtick), then a byte. A dump's ASCII
# column may hold any printable character, so such text is hex text whatever follows.
_DUMP_START = re.compile(r"^\s*(?:0{4,16}:?|[0-9a-fA-F]{8}`[0-9a-fA-F]{8})\s+[0-9a-fA-F]{2}"
                         r"|^\s*[0-9a-fA-F]{8,16}\s+(?:[0-9a-fA-F]{2} ){7}[0-9a-fA-F]{2}-[0-9a-fA-F]{2}")
_NOT_PLAIN = re.compile(r"[^0-9a-fA-FxX\s,;:]")
_HEX_PREFIX = re.compile(r"\b0[xX](?=[0-9a-fA-F])")
_SEPARATORS = re.compile(r"[\s,;:]+")
_COMMENT_START = re.compile(r"/[*/]")


def split_lines(text: str) -> list[str]:
    """Lines as the user counts them: split on newline only (``str.splitlines`` also splits on form feeds
    and Unicode line separators, which would shift every later line number); a final newline ends the last
    line rather than starting an empty one, and a ``\\r`` before the newline is dropped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def decode_text(raw: bytes) -> str | None:
    """``raw`` as text, read as ``import`` reads it (:func:`ipsecexplore.textdecode.decode_strict`: a BOM's
    encoding, UTF-16 without a BOM, else UTF-8); None when it is not valid text in that encoding."""
    return decode_strict(raw)


def looks_like_hex(raw: bytes) -> bool:
    """True when ``raw`` is plausibly hex text rather than binary structure bytes (a BOM counts as text)."""
    text = decode_text(raw)
    if text is None or not text.strip() or not text.isascii():
        return False
    if any(ord(c) < 9 or 13 < ord(c) < 32 for c in text):
        return False
    if _DUMP_START.match(text):
        return True
    return bool(re.search(r"[0-9a-fA-F]{2}", text)) and bool(_HEX_TEXT.match(text))


# address column: 4..16 hex digits, or WinDbg's 8`8 (64-bit); xxd puts a colon after it
_DUMP_LINE = re.compile(r"^\s*([0-9a-fA-F]{4,16}|[0-9a-fA-F]{8}`[0-9a-fA-F]{8})(:?)(?:\s+(.*))?$")
# WinDbg db: up to 16 bytes, a '-' between the 8th and the 9th, two or more spaces, the ASCII column
_WINDBG_ROW = re.compile(r"^((?:[0-9a-fA-F]{2} ){0,7}[0-9a-fA-F]{2})(?:-((?:[0-9a-fA-F]{2} ){0,7}[0-9a-fA-F]{2}))?"
                         r"(?:\s{2,}.*)?$")
_BYTE = re.compile(r"[0-9a-fA-F]{2}")
_MAX_ROW = 16  # a longer row is "clearly a dump" only with xxd's colon or WinDbg's '-', or when its address fits


def _is_windbg(lines) -> bool:
    """True when some line has WinDbg's backtick address or its '-' between the 8th and 9th byte."""
    return any("`" in m.group(1) or re.match(r"(?:[0-9a-fA-F]{2} ){7}[0-9a-fA-F]{2}-", m.group(3) or "")
               for _, _, m in lines if m)


def _row(m, windbg: bool, source: str, line: int) -> tuple[bytes, bool] | None:
    """(bytes of one dump row, whether its form alone marks a dump), or None when it is not a row."""
    body = m.group(3) or ""
    if m.group(2):  # xxd: groups of hex digits, then two spaces and the ASCII column
        hexpart = body.split("  ")[0]
        digits = hexpart.replace(" ", "")
        if not re.fullmatch(r"[0-9a-fA-F]+", digits):
            return None
        if len(digits) % 2:
            raise InputError(f"hex dump row is not whole bytes: {hexpart.strip()!r}", source=source, line=line)
        return bytes.fromhex(digits), True
    if windbg:
        w = _WINDBG_ROW.match(body.strip())
        if not w:
            return None
        return bytes.fromhex((w.group(1) + " " + (w.group(2) or "")).replace(" ", "")), True
    toks = _drop_ascii_column(body).split()
    if not toks or not all(_BYTE.fullmatch(t) for t in toks):
        return None
    return bytes.fromhex("".join(toks)), False


def _drop_ascii_column(body: str) -> str:
    """``hexdump -C``'s row without its ``|ascii|`` column: everything from the first ``|`` when the row
    ends with another ``|`` (str.find, not a regular expression: a row full of ``|`` stays linear)."""
    s = body.rstrip()
    i = s.find("|")
    return s[:i] if s.endswith("|") and 0 <= i < len(s) - 1 else body


def _brief(tok: str) -> str:
    """A token for a message: at most 40 characters, so a huge one is not echoed whole."""
    return repr(tok) if len(tok) <= 40 else repr(tok[:37]) + f"... ({len(tok)} characters)"


def _strip_comments(text: str, source: str, line_offset: int) -> str:
    """``text`` with ``//`` and ``/* */`` comments blanked (line breaks kept so lines keep their numbers),
    in one pass; an unclosed ``/*`` is :class:`InputError` naming its line."""
    out = []
    i = 0
    while True:
        m = _COMMENT_START.search(text, i)
        if m is None:
            out.append(text[i:])
            return "".join(out)
        j = m.start()
        out.append(text[i:j])
        if m.group() == "//":
            end = text.find("\n", j)
            end = len(text) if end < 0 else end
        else:
            end = text.find("*/", j + 2)
            if end < 0:
                line = text.count("\n", 0, j) + 1 + line_offset
                raise InputError("a '/*' comment is never closed with '*/'", source=source, line=line)
            end += 2
        comment = text[j:end]
        out.append("\n" * comment.count("\n") if "\n" in comment else " " * len(comment))
        i = end


def _repeat(out: bytearray, row: bytes, upto: int, max_bytes: int | None, source: str, line: int) -> None:
    """hexdump's ``*``: ``row`` again and again until ``out`` holds ``upto`` bytes; :class:`TooLarge` when
    that is more than ``max_bytes``."""
    if max_bytes is not None and upto > max_bytes:
        raise TooLarge(f"hex dump: the '*' line before this one repeats the row above up to offset 0x{upto:X} "
                       f"({upto} bytes), more than the size limit of {max_bytes} bytes", source=source, line=line)
    need = upto - len(out)
    if need > 0 and row:
        out += (row * (need // len(row) + 1))[:need]


def _parse_dump(text: str, source: str, line_offset: int, starts: list | None = None,
                max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes | None:
    """Bytes of a hex dump whose lines start with their own address (xxd, hexdump -C, WinDbg db, the
    spec's dumps), or None when ``text`` is not such a dump.

    When every line has the shape of a dump row but an address does not follow the bytes before it,
    :class:`InputError` names the line."""
    lines = [(n, ln, _DUMP_LINE.match(ln)) for n, ln in enumerate(split_lines(text), 1 + line_offset)
             if ln.strip()]
    if not lines:
        return None
    windbg = _is_windbg(lines)
    loose = False
    rows = []  # (line, address or None for '*', bytes or None for '*' and the final length line)
    for idx, (n, line, m) in enumerate(lines):
        if line.strip() == "*":
            rows.append((n, None, None))
            continue
        if not m:
            return None
        addr = int(m.group(1).replace("`", ""), 16)
        if not (m.group(3) or "").strip():
            if idx == len(lines) - 1 and idx > 0:
                rows.append((n, addr, None))  # the final "length" line
                continue
            return None
        row = _row(m, windbg, source, n)
        if row is None:
            return None
        data, form_marks = row
        if len(data) > _MAX_ROW and not form_marks:
            loose = True  # wider rows are a dump only if every address follows its bytes exactly
        rows.append((n, addr, data))
    base = rows[0][1] if windbg and rows[0][1] is not None else 0  # WinDbg shows memory addresses
    out = bytearray()
    prev_row = b""
    repeat = False
    for n, addr, data in rows:
        if addr is None:  # hexdump's '*': the previous row repeats up to the next address
            repeat = True
            continue
        at = addr - base
        if repeat:
            _repeat(out, prev_row, at, max_bytes, source, n)
            repeat = False
        if at != len(out):
            if loose:
                return None  # not clearly a dump after all: read as plain hex
            column, since = ("address", f" (first address 0x{base:X})") if windbg else ("offset", "")
            raise InputError(f"hex text: {column} column says 0x{addr:X} but {len(out)} bytes precede this "
                             f"line{since}", source=source, line=n)
        if data is None:
            break
        prev_row = data
        if starts is not None:
            starts.append((len(out), n))
        out += data
    return bytes(out) if out else None


def parse_hex(text: str, *, source: str = "<input>", line_offset: int = 0, starts: list | None = None,
              max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """Parse hex text to bytes; :class:`InputError` names the bad token, its line and column.

    ``starts``: a list that receives ``(byte index, line)`` for every line that holds bytes, so that a
    position in the result can be traced back to its line. ``max_bytes``: a dump whose ``*`` repeat lines
    stand for more bytes is refused (:class:`InputError`; None: no limit). Work is linear in the text.

    >>> parse_hex("a7 02 90 00") == bytes([0xa7, 2, 0x90, 0])
    True
    >>> parse_hex("{ 0xA7, 0x02 }")
    b'\\xa7\\x02'
    """
    if not isinstance(text, str):
        raise InputError(f"parse_hex() takes text (str), not {type(text).__name__}", source=source)
    dumped = _parse_dump(text, source, line_offset, starts, max_bytes)
    if dumped is not None:
        return dumped
    if starts is None and not _NOT_PLAIN.search(text):
        # the common case (hex bytes, optional 0x, separators) in a few passes in C; anything odd (a token of
        # odd length, a stray 'x') takes the slow path below, which names it
        toks = _SEPARATORS.split(_HEX_PREFIX.sub("", text).strip())
        if toks != [""] and not any(len(t) % 2 for t in toks):
            try:
                return bytes.fromhex("".join(toks))
            except ValueError:
                pass
    if starts is not None:
        starts.clear()
    text = _strip_comments(text, source, line_offset)
    if "{" in text:  # C initializer: keep what is inside the braces
        start = text.index("{")
        prefix = text[:start]
        text = "\n" * prefix.count("\n") + " " * (len(prefix) - prefix.rfind("\n") - 1) + text[start:]
    out = bytearray()
    for ln, line in enumerate(split_lines(text), 1):
        if starts is not None:
            starts.append((len(out), ln + line_offset))
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
                raise InputError(f"column {col}: not a hex byte sequence: {_brief(tok)}{odd}", source=source,
                                 line=ln + line_offset)
            out += bytes.fromhex(t)
    if not out:
        raise InputError("no hex bytes found", source=source)
    if starts is not None:
        _one_per_line(starts, len(out))
    return bytes(out)


def _one_per_line(starts: list, n: int) -> None:
    """Keep one entry per line that holds bytes (the last one for a byte index), none at or past ``n``."""
    starts[:] = [st for i, st in enumerate(starts) if i + 1 == len(starts) or starts[i + 1][0] != st[0]]
    while starts and starts[-1][0] >= n:
        starts.pop()


def read_bytes(raw: bytes, mode: str = "auto", *, source: str = "<input>") -> bytes:
    """``mode``: 'auto' (hex text if it looks like it, else binary), 'hex' or 'bin'. Hex text may be
    UTF-8 (BOM or not) or UTF-16 (BOM or not; see :func:`decode_text`)."""
    if mode == "bin":
        return raw
    if mode == "hex" or (mode == "auto" and looks_like_hex(raw)):
        text = decode_text(raw)
        if text is None:
            raise InputError("hex input is not text: not UTF-8, nor UTF-16 (use --bin for binary)",
                             source=source)
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


# A line of the spec's dumps: an optional offset column (4 to 8 hex digits, then a colon or a blank), hex bytes.
_SPEC_LINE = re.compile(r"^\s*(?:([0-9a-fA-F]{4,8})(?::|\s)\s*)?((?:[0-9a-fA-F]{2}(?:\s+|$))+)\s*$", re.ASCII)


def looks_like_spec_dump(text: str) -> bool:
    """True when every non-blank line of (the first 200 lines of) ``text`` is hex bytes, optionally after an
    offset column: the dumps of tests/spec/capture-formats.md §7."""
    first = first_nonblank_line(text)
    if first is not None and not _SPEC_LINE.match(first):
        return False  # decided by the first line, as most texts are, without splitting 200 lines
    seen = 0
    for line in text.split("\n", 200)[:200]:
        if not line.strip():
            continue
        if not _SPEC_LINE.match(line):
            return False
        seen += 1
        if seen >= 64:
            break
    return seen > 0


def split_spec_dumps(text: str, *, source: str = "<input>", line_offset: int = 0) -> list[tuple[bytes, list]]:
    """The records of a file of spec dumps (tests/spec/capture-formats.md §7) as ``[(bytes, [(byte index,
    line)])]``: a blank line, or an offset column back at 0, starts the next record; an offset column must
    count the bytes before it. :class:`InputError` names the line of the first problem."""
    chunks = []
    data = bytearray()
    starts: list = []
    for i, line in enumerate(text.split("\n")):
        ln = line_offset + i + 1
        if not line.strip():
            if data:
                chunks.append((bytes(data), starts))
                data, starts = bytearray(), []
            continue
        m = _SPEC_LINE.match(line)
        if m is None:
            bad = next((t for t in line.split() if not re.fullmatch(r"[0-9a-fA-F]{2}", t)), line.strip())
            raise InputError(f"not a hex byte: {bad[:20]!r}", source=source, line=ln)
        off = m.group(1)
        if off is not None:
            off = int(off, 16)
            if off == 0 and data:
                chunks.append((bytes(data), starts))
                data, starts = bytearray(), []
            elif off != len(data):
                raise InputError(f"offset column says 0x{off:X} but {len(data)} bytes precede this line",
                                 source=source, line=ln)
        starts.append((len(data), ln))
        data += bytes.fromhex(m.group(2))
    if data:
        chunks.append((bytes(data), starts))
    return chunks
