"""Get-NetView bundle files (capture-formats.md §4, confirmed from ``Get-NetView.psm1`` @ 1fabc9de).

A file is a sequence of command blocks: a ``<USERNAME> @ <COMPUTERNAME>:`` line, a prompt line
``PS <path>> <command>``, an optional ``[<status>]`` line, then the command output. Only the block whose
command ends in ``Format-List -Property *`` is parsed (the loader rule of §4); the other views of the
same objects (default table, ``Format-Table``) would count every adapter twice.

The bundle root is ``msdbg.<COMPUTERNAME>``; adapters sit in folders ``<Type>.<ifIndex>.<Name>.<Desc>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["looks_like_getnetview", "command_blocks", "CommandBlock", "bundle_host", "IMPORTED_FILES",
           "FORMAT_LIST_SUFFIX"]

_BANNER = re.compile(r"^(\S[^\n]*?) @ ([^\s:][^\n]*?):[ \t]*$")
_PROMPT = re.compile(r"^PS [^\n>]*> ?(.*)$")
_STATUS = re.compile(r"^\[[^\]\n]*\]\s*$")
_BUNDLE = re.compile(r"^msdbg\.(.+)$", re.I)

#: Get-NetView files this importer reads; every other Get-NetView file is listed as skipped.
IMPORTED_FILES = {"get-netadapteripsecoffload.txt": "ipsec", "get-netadapteradvancedproperty.txt": "advprop"}
FORMAT_LIST_SUFFIX = re.compile(r"\|\s*(?:Format-List|fl)\s+(?:-Property\s+)?\*\s*$", re.I)


@dataclass(frozen=True)
class CommandBlock:
    """One command's block: who/where, the command text, its output and the line the output starts on."""

    user: str
    host: str
    command: str
    status: str | None
    output: str
    output_line: int  # 1-based line number of the first output line
    banner_line: int


def _banner(line: str):
    """The ``user @ HOST:`` match of ``line``, or None. The expression is tried only on a line that ends with
    a colon: on one that does not, it would try every ' @ ' against the rest of the line (quadratic)."""
    return _BANNER.match(line) if line.rstrip(" \t").endswith(":") else None


def looks_like_getnetview(text: str) -> bool:
    """True when the first non-blank line is a banner and the next one a prompt."""
    lines = [ln for ln in text.split("\n", 20)[:20] if ln.strip()]
    return len(lines) >= 2 and bool(_banner(lines[0])) and bool(_PROMPT.match(lines[1]))


def command_blocks(text: str) -> list[CommandBlock]:
    """Split a Get-NetView file into its command blocks."""
    lines = text.split("\n")
    marks = []
    for i in range(len(lines) - 1):
        m = _banner(lines[i])
        if m and _PROMPT.match(lines[i + 1]):
            marks.append(i)
    blocks = []
    for k, i in enumerate(marks):
        end = marks[k + 1] if k + 1 < len(marks) else len(lines)
        b = _banner(lines[i])
        cmd = _PROMPT.match(lines[i + 1]).group(1).strip()
        j = i + 2
        status = None
        if j < end and _STATUS.match(lines[j]):
            status = lines[j].strip()[1:-1]
            j += 1
        # The output keeps its last line end when another block follows (the join drops it), so that the
        # blank line Format-List writes after its last object is still seen as one (formatlist checks it).
        output = "\n".join(lines[j:end]) + ("\n" if end < len(lines) and end > j else "")
        blocks.append(CommandBlock(b.group(1).strip(), b.group(2).strip(), cmd, status, output, j + 1, i + 1))
    return blocks


def bundle_host(parts) -> str | None:
    """The COMPUTERNAME of the innermost ``msdbg.<COMPUTERNAME>`` folder among path ``parts``."""
    for p in reversed(list(parts)):
        m = _BUNDLE.match(p)
        if m and not p.lower().endswith(".zip"):
            return m.group(1)
    for p in reversed(list(parts)):  # msdbg.<HOST>-<timestamp>.zip with no inner root folder
        m = _BUNDLE.match(p)
        if m:
            return re.sub(r"-[0-9][0-9._-]*$", "", m.group(1)[:-4])
    return None
