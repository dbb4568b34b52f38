"""Which capture format a decoded text file is: one ordered table of recognisers.

:data:`RECOGNISERS` lists every text format the importer reads, in the order they are tried; the first whose
predicate holds names the format, and :mod:`ipsecexplore.captures.importer` imports the file with the
importer of that name. The order is part of the definition: a Get-NetView transcript holds Format-List
blocks, a Format-List capture may hold a hex-looking value, a JSON array may sit in a Linux bundle, so the more
specific shape is tried first (tests/test_captures_recognise.py pins each pair that could be confused).
Binary files (raw NDIS_OFFLOAD bytes) are told apart before decoding, by the importer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import hexinput
from . import advprop, csvcap, formatlist, getnetview, jsoncap, linux
from .textio import normalize_newlines

__all__ = ["Probe", "Recogniser", "RECOGNISERS", "recognise", "HEAD_CHARS", "FORMAT_LIST_PROPERTY"]

#: How much of a text format recognition looks at (no test needs more than its first 400 lines or first
#: Format-List object; the Format-List import itself reads the text as it is).
HEAD_CHARS = 65536
#: A 'Name : value' line of a property only IPsec offload captures have (not prose that mentions one).
FORMAT_LIST_PROPERTY = re.compile(
    r"(?m)^[ \t]*(?:EspSupported|EspEnabled|AhSupported|AhEnabled|SaOffloadCapacity|RegistryKeyword)[ \t]*:")


@dataclass
class Probe:
    """What recognisers look at: the decoded text (``raw_text``, line ends as in the file), its normalised
    head, the file name in lower case and the path parts. :meth:`text` normalises the whole text once,
    when a recogniser or an importer needs it."""

    raw_text: str
    name: str = ""
    parts: tuple = ()
    head: str = field(init=False)
    _whole: list = field(default_factory=list, init=False, repr=False)

    def __post_init__(self):
        self.head = normalize_newlines(self.raw_text[:HEAD_CHARS])

    def text(self) -> str:
        """The whole text with ``\\n`` line ends (normalised once)."""
        if not self._whole:
            long = len(self.raw_text) > HEAD_CHARS
            self._whole.append(normalize_newlines(self.raw_text) if long else self.head)
        return self._whole[0]


@dataclass(frozen=True)
class Recogniser:
    """One row of :data:`RECOGNISERS`: a format ``name`` and the ``predicate`` that recognises it."""

    name: str
    predicate: Callable[[Probe], bool]
    what: str


def _registry_export(p: Probe) -> bool:
    return p.head.lstrip("\ufeff").startswith(("Windows Registry Editor", "REGEDIT4"))


def _format_list(p: Probe) -> bool:
    # The head first: the whole text is normalised only for a long file whose head has no such line.
    return bool((FORMAT_LIST_PROPERTY.search(p.head) or (len(p.raw_text) > HEAD_CHARS
                                                         and FORMAT_LIST_PROPERTY.search(p.text())))
                and (":" in p.head or formatlist.looks_like_format_list(p.head)))


#: Every text capture format, in the order they are tried (the first that matches wins).
RECOGNISERS: tuple[Recogniser, ...] = (
    Recogniser("registry", _registry_export, "a .reg export (skipped: keyword strings under class keys)"),
    Recogniser("linux", lambda p: linux.looks_like_linux(p.head, p.parts), "Linux command output, sosreport"),
    Recogniser("getnetview", lambda p: getnetview.looks_like_getnetview(p.head), "a Get-NetView transcript"),
    Recogniser("json", lambda p: jsoncap.looks_like_json(p.head), "ConvertTo-Json"),
    Recogniser("csv", lambda p: csvcap.csv_header(p.head) is not None, "Export-Csv"),
    Recogniser("hex-dump", lambda p: p.name.endswith(".hex") or hexinput.looks_like_spec_dump(p.head),
               "the hex dump of tests/spec/capture-formats.md §7"),
    Recogniser("table", lambda p: advprop.looks_like_table(p.head), "Format-Table (advanced properties)"),
    Recogniser("format-list", _format_list, "Format-List"),
    Recogniser("hex", lambda p: hexinput.looks_like_hex(p.head.encode("utf-8", "replace")),
               "other hex text (xxd, hexdump -C, WinDbg, a C array)"),
)


def recognise(probe: Probe) -> str | None:
    """The name of the first recogniser in :data:`RECOGNISERS` that holds for ``probe``; None for none.

    >>> recognise(Probe('[{"Name": "eth0", "EspSupported": true}]'))
    'json'
    """
    return next((r.name for r in RECOGNISERS if r.predicate(probe)), None)
