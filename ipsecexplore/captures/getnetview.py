"""Get-NetView bundle files of every generation (tests/spec/capture-formats.md §4, confirmed from the history of
``Get-NetView.psm1``).

A file is a sequence of command blocks. Today a block is a ``<USERNAME> @ <COMPUTERNAME>:`` banner, a prompt
line ``<prompt><command>``, an optional ``[<status>]`` line, then the command output. Older versions wrote
other shapes, all read here:

- the banner without a host (``<USERNAME> @ ``, 2017-07 → 2017-11);
- a prompt that is not ``PS <path>> `` (``[HOST]: PS C:\\…> `` inside ``Enter-PSSession``): any prompt
  ending in ``> `` followed by a command text (``Verb-Noun``) is a prompt line;
- a failed command as the bare command line then ``[Command <status>]`` or ``[ NOT_SUPPORTED!!! ]``, without
  a banner (2016-10 → 2018-10);
- a failed command as ``[Failed]``, the bare command line and the error text, without a banner
  (2018-10 → 2020-03), so that a file can start with ``[``.

Only the blocks whose command ends in ``Format-List -Property *`` (one or two blanks) are parsed (the loader
rule of §4); the other views of the same objects (default table, ``Format-Table``, the first release's
``Get-Member`` listing) would count every adapter twice or hold no adapter.

The bundle root is ``msdbg.<COMPUTERNAME>``, zipped as ``msdbg.<COMPUTERNAME>-yyyy.MM.dd_hh.mm.ss.zip``
(browsers add `` (1)`` to a repeated download); adapters sit in folders ``<Type>.<ifIndex>.<Name>.<Desc>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["looks_like_getnetview", "command_blocks", "CommandBlock", "bundle_host", "IMPORTED_FILES",
           "FORMAT_LIST_SUFFIX"]

# <USERNAME> @ <COMPUTERNAME>:  — the host (and its colon) missing in 2017-07 → 2017-11 bundles.
_BANNER = re.compile(r"^(\S[^\n]*?) @(?: ([^\s:][^\n]*?))?:?[ \t]*$")
_CMD = r"[A-Za-z][A-Za-z0-9]*-[A-Za-z][A-Za-z0-9]*(?:[ \t][^\n]*)?"
# The runspace's own prompt (any command after it) or any prompt ending in '> ' before a Verb-Noun command.
_PROMPT = re.compile(r"^(?:PS [^\n>]*> ?(.*)|[^\n]*?> (" + _CMD + r"))$")
# A bare command line (old failure shapes): Verb-Noun at column 0, not an error message 'Verb-Noun : …'.
_BARE = re.compile(r"^(?!\S+ +: )(" + _CMD + r")$")
_STATUS = re.compile(r"^\[[^\]\n]*\]\s*$")
_BUNDLE = re.compile(r"^msdbg\.(.+)$", re.I)
# -yyyy.MM.dd_hh.mm.ss[ (N)][.zip] after the bundle root (NormalizeWorkDir / CreateZip, §4)
_STAMP = re.compile(r"-\d{4}\.\d{2}\.\d{2}_\d{2}\.\d{2}\.\d{2}(?: \(\d+\))?(?:\.zip)?$", re.I)

#: Get-NetView files this importer reads; every other Get-NetView file is listed as skipped.
IMPORTED_FILES = {"get-netadapteripsecoffload.txt": "ipsec", "get-netadapteradvancedproperty.txt": "advprop"}
FORMAT_LIST_SUFFIX = re.compile(r"\|\s*(?:Format-List|fl)\s+(?:-Property\s+)?\*\s*$", re.I)


@dataclass(frozen=True)
class CommandBlock:
    """One command's block: who/where (``host`` None when the banner names none or there is no banner),
    the command text, its ``[status]`` (None on success), its output and the line the output starts on.
    ``banner_line`` is the block's first line (banner, status or bare command line)."""

    user: str | None
    host: str | None
    command: str
    status: str | None
    output: str
    output_line: int  # 1-based line number of the first output line
    banner_line: int


def _prompt_command(line: str) -> str | None:
    m = _PROMPT.match(line)
    if m is None:
        return None
    return (m.group(1) if m.group(1) is not None else m.group(2)).strip()


def _block_at(lines: list[str], i: int):
    """``(user, host, command, status, output start index)`` when a block starts at ``lines[i]``."""
    line = lines[i]
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if line[:1] == "[":
        if _STATUS.match(line) and _BARE.match(nxt):  # [Failed] / command / error text (2018-10 → 2020-03)
            return None, None, nxt.strip(), line.strip()[1:-1].strip(), i + 2
        return None
    b = _BANNER.match(line) if " @" in line else None
    if b is not None:
        cmd = _prompt_command(nxt)
        if cmd is None:
            return None
        j = i + 2
        status = None
        if j < len(lines) and _STATUS.match(lines[j]):
            status = lines[j].strip()[1:-1].strip()
            j += 1
        return b.group(1).strip(), (b.group(2) or "").strip() or None, cmd, status, j
    if _STATUS.match(nxt) and _BARE.match(line):  # command / [Command Failed] (2016-10 → 2018-10)
        return None, None, line.strip(), nxt.strip()[1:-1].strip(), i + 2
    return None


def looks_like_getnetview(text: str) -> bool:
    """True when the first non-blank line starts a command block of any Get-NetView generation."""
    lines = text.split("\n", 40)[:40]
    for i, ln in enumerate(lines):
        if ln.strip():
            return i + 1 < len(lines) and _block_at(lines, i) is not None
    return False


def command_blocks(text: str) -> list[CommandBlock]:
    """Split a Get-NetView file (``\\n`` line ends) into its command blocks."""
    lines = text.split("\n")
    starts = []
    i, n = 0, len(lines)
    while i < n - 1:
        head = _block_at(lines, i) if lines[i] else None
        if head is not None:
            starts.append((i, head))
            i = head[4]  # the block's own banner/prompt/status lines never start another block
        else:
            i += 1
    blocks = []
    for k, (i, (user, host, cmd, status, j)) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else n
        j = min(j, end)
        # The output keeps its last line end when another block follows (the join drops it), so that the
        # blank line Format-List writes after its last object is still seen as one (formatlist checks it).
        output = "\n".join(lines[j:end]) + ("\n" if end < n and end > j else "")
        blocks.append(CommandBlock(user, host, cmd, status, output, j + 1, i + 1))
    return blocks


def _root_host(root: str) -> str:
    """The COMPUTERNAME of a bundle root ``msdbg.`` removed: without a ``-<timestamp>[ (N)][.zip]`` tail."""
    m = _STAMP.search(root)
    if m:
        return root[:m.start()]
    return root[:-4] if root.lower().endswith(".zip") else root


def bundle_host(parts) -> str | None:
    """The COMPUTERNAME of the innermost ``msdbg.<COMPUTERNAME>`` folder among path ``parts`` (a zip
    ``msdbg.<COMPUTERNAME>-<timestamp>[ (N)].zip`` when no folder names it)."""
    parts = list(parts)
    for p in reversed(parts):
        m = _BUNDLE.match(p)
        if m and not p.lower().endswith(".zip"):
            return _root_host(m.group(1)) or None
    for p in reversed(parts):  # msdbg.<HOST>-<timestamp>.zip with no inner root folder
        m = _BUNDLE.match(p)
        if m:
            return _root_host(m.group(1)) or None
    return None
