"""``ip [-s] [-d] xfrm state`` and ``ip xfrm policy`` output (tests/spec/capture-formats.md §8.2).

iproute2 (ip/ipxfrm.c ``xfrm_xfrma_print``: https://git.kernel.org/pub/scm/network/iproute2/iproute2.git/tree/ip/ipxfrm.c)
prints a block per object starting with ``src A dst B`` at column 0; its other lines are indented. An offloaded
*state* has the line ``crypto offload parameters: dev DEV dir in|out`` and, from iproute2 6.2, `` mode
crypto|packet`` (older versions print no mode: unknown). A *policy* (its first indented line is ``dir …`` or
``socket …``) prints ``crypto offload parameters: dev DEV mode packet`` without ``dir``: it is not a state and
is never counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..record import RecordError

__all__ = ["OFFLOAD_LINE", "State", "XfrmOutput", "parse_xfrm", "looks_like_xfrm"]

OFFLOAD_LINE = re.compile(r"^crypto offload parameters: dev (?P<dev>\S+)(?: dir (?P<dir>in|out))?"
                          r"(?: mode (?P<mode>crypto|packet))?[ \t]*$")


@dataclass(frozen=True)
class State:
    """One xfrm state block: its first line, and ``(dev, dir, mode)`` when offloaded (mode None = unknown)."""

    line: int
    offload: tuple[str, str, str | None] | None


@dataclass
class XfrmOutput:
    """What one ``ip xfrm`` output holds: states (parsed or rejected), and the policies seen."""

    states: list  # State or RecordError, in file order
    policies: int = 0
    offloaded_policies: int = 0


def looks_like_xfrm(lines: list[str]) -> bool:
    """True when the first non-empty line opens an xfrm block and an indented ``proto``/``dir`` line follows."""
    body = [ln for ln in lines[:40] if ln.strip()]
    return bool(body) and body[0].startswith("src ") and " dst " in body[0] and any(
        ln[:1] in (" ", "\t") and ln.strip().startswith(("proto ", "dir ", "socket ")) for ln in body[1:])


def _blocks(lines: list[str], first_line: int):
    block: list = []
    start = None
    for i, ln in enumerate(lines):
        if not ln.strip():
            continue
        if ln[:1] not in (" ", "\t"):
            if block:
                yield start, block
            start, block = first_line + i, [(first_line + i, ln)]
        elif block:
            block.append((first_line + i, ln))
        else:
            yield first_line + i, [(first_line + i, ln)]  # an indented line before any block: rejected below
    if block:
        yield start, block


def parse_xfrm(lines: list[str], first_line: int, cut: bool = False, policies: bool = False) -> XfrmOutput:
    """Split ``ip xfrm state``/``policy`` output into states (each a :class:`State` or a :class:`RecordError`
    naming its line) and counted policies. ``cut``: the output went through ``| grep``; when no block header
    is left, every remaining line must be a state's offload line (``ip x s | grep offload``) or, with
    ``policies`` (``ip x p | grep offload``), a policy's (counted as policies, never as states)."""
    out = XfrmOutput([])
    if cut and policies and not any(ln.startswith("src ") for ln in lines):
        n = sum(1 for ln in lines if ln.strip().startswith("crypto offload parameters:"))
        out.policies = out.offloaded_policies = n
        return out
    if cut and not any(ln.startswith("src ") for ln in lines):
        for i, ln in enumerate(lines):
            if ln.strip():
                n = first_line + i
                st = _state(n, [(n, ln.strip())])
                out.states.append(st if ln.strip().startswith("crypto offload parameters:") else RecordError(
                    f"grep-cut xfrm output: not an offload line: {ln.strip()[:80]!r}", n))
        return out
    for start, block in _blocks(lines, first_line):
        head = block[0][1]
        if not (head.startswith("src ") and " dst " in head) or len(block) < 2:
            out.states.append(RecordError(f"not an xfrm state or policy block (one starts with 'src ADDR dst "
                                          f"ADDR' and indented lines follow): {head.strip()[:80]!r}", start))
            continue
        second = block[1][1].strip()
        offload = [(n, ln.strip()) for n, ln in block if ln.strip().startswith("crypto offload parameters:")]
        if second.startswith(("dir ", "socket ")):
            out.policies += 1
            out.offloaded_policies += bool(offload)
            continue
        if not second.startswith("proto "):
            out.states.append(RecordError(f"xfrm block whose second line is neither 'proto …' (a state) nor "
                                          f"'dir …' (a policy): {second[:80]!r}", block[1][0]))
            continue
        out.states.append(_state(start, offload))
    return out


def _state(start: int, offload: list) -> State | RecordError:
    if not offload:
        return State(start, None)
    if len(offload) > 1:
        return RecordError("xfrm state with two 'crypto offload parameters' lines", offload[1][0])
    n, text = offload[0]
    m = OFFLOAD_LINE.match(text)
    if not m:
        return RecordError(f"offload line not understood (expected 'crypto offload parameters: dev DEV dir in|out"
                           f" [mode crypto|packet]'): {text[:90]!r}", n)
    if not m.group("dir"):
        return RecordError("offload line of a state without 'dir in|out' (a policy's line has no dir; a state's "
                           "always has one)", n)
    return State(start, (m.group("dev"), m.group("dir"), m.group("mode")))
