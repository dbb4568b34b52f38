"""Which Linux command produced some output, and terminal transcripts split into commands.

A transcript line is a command when it starts with a shell prompt — ``$ ``, ``# ``, ``user@host:~$ ``,
``[user@host dir]# `` — possibly followed by ``sudo``; the command's output is every line up to the next
prompt. A command may be cut by ``| grep …``: its output then lacks lines (and ``ethtool -k``'s ``Features for``
header), and the interface comes from the command line.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

__all__ = ["Command", "classify", "PROMPT", "split_transcript", "may_hold_prompt", "KINDS"]

#: Command kinds the Linux importer reads.
KINDS = ("ethtool-k", "ethtool-json-k", "ethtool-i", "xfrm-state", "xfrm-policy", "hostname")

PROMPT = re.compile(
    r"^(?:\[(?P<u1>[^@\]\s]+)@(?P<h1>[^\]\s]+)[^\]]*\][$#]"  # [user@host dir]#
    r"|(?P<u2>[\w.-]+)@(?P<h2>[\w.-]+)(?::[^\s$#]*)?[$#]"  # user@host:~$
    r"|[$#])[ \t]+(?P<cmd>\S.*)$")  # $ or #


@dataclass(frozen=True)
class Command:
    """One recognised command: ``kind`` (of :data:`KINDS`), ``iface`` (None when it names none) and
    ``grep`` (its output was filtered)."""

    kind: str
    iface: str | None
    grep: bool
    text: str


def _tokens(cmd: str) -> list[str] | None:
    try:
        return shlex.split(cmd)
    except ValueError:
        return None


def classify(cmdline: str) -> Command | None:
    """The :class:`Command` of a command line, or None when it is not one the importer reads."""
    first, *rest = cmdline.split("|")
    grep = any(p.strip().startswith(("grep", "egrep", "fgrep")) for p in rest)
    tok = _tokens(first)
    if not tok:
        return None
    while tok and tok[0] == "sudo":
        tok = tok[1:]
        while tok and tok[0].startswith("-"):
            tok = tok[1:]
    if not tok:
        return None
    prog = tok[0].rsplit("/", 1)[-1]
    if prog == "ethtool":
        return _ethtool(tok[1:], grep, cmdline)
    if prog == "ip":
        return _ip(tok[1:], grep, cmdline)
    if prog == "hostname" and len(tok) == 1:
        return Command("hostname", None, grep, cmdline)
    return None


def _ethtool(args: list[str], grep: bool, text: str) -> Command | None:
    json_ = False
    while args and args[0] in ("--json", "-j", "--debug"):
        json_ |= args[0] in ("--json", "-j")
        args = args[2:] if args[0] == "--debug" else args[1:]
    if len(args) != 2:
        return None
    opt, iface = args
    if opt in ("-k", "--show-features", "--show-offload"):
        return Command("ethtool-json-k" if json_ else "ethtool-k", iface, grep, text)
    if opt in ("-i", "--driver") and not json_:
        return Command("ethtool-i", iface, grep, text)
    return None


def _ip(args: list[str], grep: bool, text: str) -> Command | None:
    while args and args[0].startswith("-"):
        if args[0] in ("-o", "-oneline", "-j", "-json"):
            return None  # one-line and JSON forms are not read
        args = args[2:] if args[0] in ("-n", "-netns", "-f", "-family") else args[1:]
    if len(args) < 2 or not "xfrm".startswith(args[0]) or not args[0]:
        return None
    obj, verb = args[1], args[2:]
    if verb and verb[0] not in ("list", "show", "ls", "l", "lst", "sh"):
        return None
    if obj and ("state".startswith(obj) or obj == "sa"):
        return Command("xfrm-state", None, grep, text)
    if obj and "policy".startswith(obj):
        return Command("xfrm-policy", None, grep, text)
    return None


@dataclass(frozen=True)
class Block:
    """One prompt line of a transcript: its line, the command line, the prompt's host (or None), the command
    (None when not read) and its output lines with the line number of the first."""

    line: int
    cmdline: str
    host: str | None
    command: Command | None
    output: list
    output_line: int


# Every command :func:`classify` reads names one of these programs; text without any of them cannot be a
# transcript this package reads, so the per-line prompt match is skipped (most files an import walks are
# Windows captures, and that match was a quarter of a many-files import).
# Plain substring tests (str.find): an alternation regex scanned every byte of every Windows file slowly.
_PROGRAM_HINTS = ("ethtool", "hostname", "ip ", "ip\t")


def may_hold_prompt(text: str) -> bool:
    """False when no line of ``text`` can match :data:`PROMPT`: none holds ``@`` (user@host) and none starts
    with ``[``, ``$`` or ``#`` (each found with str.find, in C: '#' is common in adapter descriptions)."""
    if "@" in text:
        return True
    for c in "[$#":
        i = text.find(c)
        while i >= 0:
            if i == 0 or text[i - 1] == "\n":
                return True
            i = text.find(c, i + 1)
    return False


def split_transcript(lines: list[str], first_line: int = 1) -> list[Block] | None:
    """The prompt blocks of a transcript, or None when no prompt line holds a command the importer reads."""
    text = "\n".join(lines)
    if not may_hold_prompt(text):
        return None  # no line can match PROMPT: cheaper to tell than the program names below
    if not any(h in text for h in _PROGRAM_HINTS):
        return None
    marks = []
    for i, ln in enumerate(lines):
        m = PROMPT.match(ln)
        if m:
            marks.append((i, m))
    if not any(classify(m.group("cmd")) for _, m in marks):
        return None
    out = []
    for k, (i, m) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(lines)
        cmd = m.group("cmd").strip()
        out.append(Block(first_line + i, cmd, m.group("h1") or m.group("h2"), classify(cmd), lines[i + 1:end],
                         first_line + i + 1))
    return out
