"""Reading capture files: the size limit, and text decoding the way Windows writes files.

Windows PowerShell 5.1 ``Out-File``/``>`` writes UTF-16LE with a BOM; PowerShell 7 writes UTF-8 without
one; ``Out-File -Encoding UTF8`` in 5.1 writes UTF-8 with a BOM; Get-NetView under 5.1 writes the ANSI code
page (tests/spec/capture-formats.md §4, [assumed]), which the file cannot name: the user can (``encoding=`` /
``import --encoding``). Text without a BOM that is not valid UTF-8 is read in that encoding, else as
Windows-1252 (:data:`FALLBACK`), and the importer remarks on every record whose names that guess decoded.
"""

from __future__ import annotations

import codecs
import os
import re

from ..errors import InputError
from ..hexinput import DEFAULT_MAX_BYTES
from ..textdecode import sniff, utf16_without_bom

__all__ = ["DEFAULT_SIZE_LIMIT", "FALLBACK", "check_encoding", "fallback_remark", "ascii_loss_remark",
           "FileTooLarge", "check_size", "read_limited", "decode_text", "decode_text_cut",
           "normalize_newlines",
           "is_probably_binary"]

#: Files larger than this are refused (configurable per call); also what a hex dump may stand for.
DEFAULT_SIZE_LIMIT = DEFAULT_MAX_BYTES
#: The encoding of text without a BOM that is not UTF-8 when the user names none.
FALLBACK = "cp1252"


def check_encoding(name: str | None) -> str | None:
    """The codec name for ``encoding=`` / ``--encoding`` (None stays None); :class:`InputError` for a name
    Python does not know or an encoding that is not a text encoding."""
    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError):
        raise InputError(f"unknown text encoding {name!r} (e.g. cp932, cp1251, cp1252, utf-8)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(f"{name!r} is not a text encoding")
    return info.name


def fallback_remark(source: str) -> str:
    """The remark on a record whose non-ASCII text was decoded by the Windows-1252 guess."""
    return (f"{source} is not UTF-8 and names no code page, so it was read as Windows-1252 (cp1252); its "
            "non-ASCII names may be wrong: give the capturing machine's ANSI code page with --encoding "
            "(encoding= in load_fleet), e.g. --encoding cp932 for Japanese, cp1251 for Russian")


def ascii_loss_remark(what: str, value: str) -> str:
    """The remark on a record whose name has ``?`` where an ``-Encoding ascii`` capture lost letters."""
    return (f"{what} {value!r} has '?' where the capture lost its non-ASCII characters (Get-NetView before "
            "2022-02 wrote its files with -Encoding ascii, capture-formats.md §4); the real name is unknown")


class FileTooLarge(InputError):
    """A file over the size limit (an :class:`InputError`; the importer tells it from unreadable files)."""


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB" if n >= 1024 * 1024 else f"{n} bytes"


def check_size(size: int, limit: int, source: str) -> None:
    """Raise :class:`FileTooLarge` when ``size`` exceeds ``limit``."""
    if limit is not None and size > limit:
        raise FileTooLarge(f"file is {_mib(size)}, larger than the size limit of {_mib(limit)} "
                           "(raise it with size_limit= / --size-limit)", source=source)


def read_limited(path, limit: int, source: str | None = None) -> bytes:
    """Read a whole file, refusing files over ``limit`` bytes with an :class:`InputError`."""
    source = source or os.fspath(path)
    try:
        size = os.stat(path).st_size
        check_size(size, limit, source)
        with open(path, "rb") as fh:
            # read(n) allocates n bytes first: ask for what stat saw (+1 to notice growth), not the limit
            data = fh.read(min(limit, size) + 1 if limit is not None else -1)
            if limit is not None and len(data) > size:
                data += fh.read(limit - len(data) + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source=source) from None
    if limit is not None:
        check_size(len(data), limit, source)  # the file grew while we looked
    return data


def is_probably_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we read (NUL bytes without a UTF-16 shape)."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or data[:3] == codecs.BOM_UTF8:
        return False
    head = data[:4096]
    if b"\x00" not in head:
        return False
    return utf16_without_bom(head) is None


# A CR that does not start a CRLF.
_LONE_CR = re.compile(r"\r(?!\n)")


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``."""
    if "\r" not in text:
        return text
    if text.isascii() and not _LONE_CR.search(text):
        # Every CR starts a CRLF, so dropping the CRs is the whole job: bytes.translate does that in one C
        # pass, in two thirds of the time of str.replace (recognition normalises every file an import reads).
        return text.encode("ascii").translate(None, b"\r").decode("ascii")
    text = text.replace("\r\n", "\n")
    return text.replace("\r", "\n") if "\r" in text else text


def decode_text(data: bytes, source: str, normalize: bool = True, encoding: str | None = None) -> tuple[str, str]:
    """Decode capture text; returns ``(text, encoding name)`` — with ``\\n`` line ends unless
    ``normalize`` is False (the Format-List fast path reads CRLF text as it is, saving a copy).

    Raises :class:`InputError` for UTF-16 text that does not decode (odd length, lone surrogate) and for
    text that ends in the middle of a character (see :func:`decode_text_cut`)."""
    text, enc, cut = decode_text_cut(data, source, normalize, encoding)
    if cut is not None:
        raise InputError(cut, source=source)
    return text, enc


def decode_text_cut(data: bytes, source: str, normalize: bool = True,
                    encoding: str | None = None) -> tuple[str, str, str | None]:
    """As :func:`decode_text`, for a file that may have been cut short: ``(text, encoding, cut)``.

    A UTF-16 or UTF-8 file that ends in the middle of a character (an odd number of UTF-16 bytes, half of a
    surrogate pair, the first bytes of a UTF-8 sequence) was cut short, not written in another encoding:
    ``text`` is everything before the broken character and ``cut`` says what was left over, so that the
    complete part can still be read and the cut reported. ``cut`` is None for a whole file. A bad
    character elsewhere still raises :class:`InputError` (UTF-16) or makes text without a BOM ``encoding``
    (the user's code page; a character it cannot decode becomes U+FFFD), else Windows-1252 (``enc`` is then
    :data:`FALLBACK`)."""
    enc, skip = sniff(data)
    body = memoryview(data)[skip:] if skip else data  # no copy of a large file just to drop its BOM
    cut = None
    if enc is None:
        try:
            text = str(body, "utf-8")
            enc = "utf-8"
        except UnicodeDecodeError as exc:
            if _at_end(exc, len(body)):
                text, enc = str(body[:exc.start], "utf-8"), "utf-8"
                cut = _cut_reason("UTF-8", text, len(body) - exc.start)
            else:
                enc = encoding or FALLBACK
                text = str(body, enc, "replace")
    else:
        codec = enc if enc != "utf-8-sig" else "utf-8"
        try:
            text = str(body, codec)
        except UnicodeDecodeError as exc:
            if not _at_end(exc, len(body)):
                raise InputError(f"not valid {enc.upper()} text: {exc.reason} at byte {exc.start + skip}",
                                 source=source) from None
            text = str(body[:exc.start], codec)
            cut = _cut_reason(enc.upper(), text, len(body) - exc.start)
    return (normalize_newlines(text) if normalize else text), enc, cut


def _at_end(exc: UnicodeDecodeError, size: int) -> bool:
    """True when the undecodable bytes are the start of a character that the end of the data cut off."""
    return exc.end >= size and exc.reason in ("truncated data", "unexpected end of data")


def _cut_reason(enc: str, text: str, left: int) -> str:
    line = text.count("\n") + 1 if "\n" in text else text.count("\r") + 1
    return (f"not valid {enc} text: the file ends in the middle of a character at line {line} ({left} byte(s) "
            "of it): it was cut short; the text before it was read")
