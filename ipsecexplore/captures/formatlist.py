"""PowerShell ``Format-List -Property *`` text (tests/spec/capture-formats.md §2.4, §3.1).

Shape [assumed from standard PowerShell list formatting]: one ``Name : value`` line per property with the
colons aligned, objects separated by blank lines, property order not guaranteed (parsed by name), a
multi-valued property printed as ``{a, b}``, and a value too long for the console width continued on the
following lines, indented to the value column. A continuation after a line that reaches the console width
(the longest line of the object) is appended as is — PowerShell cuts values into chunks of the width —
and after a shorter line with one blank (a writer that wraps at blanks); list and number parsing ignores
blanks inside names either way.

Speed (bench/import_captures.py): a text made only of property lines and empty lines takes the fast
path — CRLF read as it is, the first object parsed by a regular expression and used as a template for
the objects that share its layout (cut by position in C). Anything else (continuation lines, stray text,
a missing blank line) sends the whole text to the block-by-block path, which also names the line to
blame; no record is counted twice because the fast path reports nothing until it has succeeded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import advprop, cim
from .base import FileContext
from .cim import IDENTITY_KEYS, IPSEC_PROPERTY_NAMES
from .textio import normalize_newlines

__all__ = ["iter_blocks", "parse_block", "import_format_list", "looks_like_format_list"]

# A property line: name (no blanks, no colon) at column 0, padding, colon, optional space, value.
_KV = re.compile(r"^([^\s:]+) +: ?(.*)", re.M)
_KV1 = re.compile(r"([^\s:]+) *: ?(.*)\Z")
_BLANKISH = re.compile(r"\n[ \t]+(?=\n)")


def iter_blocks(text: str, line_base: int = 0):
    """Yield ``(first line number, block text)`` for each run of non-blank lines (1-based lines)."""
    if "\n " in text or "\n\t" in text:
        text = _BLANKISH.sub("\n", text)  # lines of blanks only separate objects like empty lines
    line = line_base + 1
    for piece in text.split("\n\n"):
        if piece.strip():
            lead = len(piece) - len(piece.lstrip("\n"))
            yield line + lead, piece[lead:]
        line += piece.count("\n") + 2


def parse_block(block: str, first_line: int):
    """Parse one block into ``(props, None)`` or ``(None, (line, reason))`` for a malformed block."""
    c0 = block[0]
    if c0 != " " and c0 != "\t" and "\n " not in block and "\n\t" not in block:
        pairs = _KV.findall(block)
        n = block.count("\n")
        if block[-1] != "\n":
            n += 1
        if len(pairs) == n:
            props = dict(pairs)
            if len(props) == n:
                return props, None
    return _parse_slow(block, first_line)


def _parse_slow(block: str, first_line: int):
    props: dict = {}
    last = None
    col = 0
    lines = block.split("\n")
    # The console width: a wrapped value fills its lines to it. PowerShell cuts a long value into chunks
    # of exactly that width [assumed]; a writer that wraps at blanks leaves shorter lines and drops the
    # blank. So a continuation is appended as is after a full-width line, and after one blank otherwise.
    width = max(len(ln) for ln in lines)
    prev_len = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        ln = first_line + i
        if line[0] in " \t":
            if last is None:
                return None, (ln, f"indented line {line.strip()[:40]!r} before any 'Name : value' line")
            chunk = line[col:] if len(line) > col and not line[:col].strip() else line.strip()
            props[last] = props[last] + chunk if prev_len >= width else props[last].rstrip() + " " + chunk.lstrip()
            prev_len = len(line)
            continue
        m = _KV1.match(line)
        if m is None:
            return None, (ln, f"not a 'Name : value' line: {line.strip()[:60]!r}")
        key, val = m.group(1), m.group(2)
        if key in props:
            return None, (ln, f"property {key!r} appears twice in one object "
                              "(a blank line between two objects is missing?)")
        if last is not None:
            props[last] = props[last].strip()
        props[key] = val
        last = key
        col = m.start(2)
        prev_len = len(line)
    if last is not None:
        props[last] = props[last].strip()
    return props, None


def looks_like_format_list(text: str) -> bool:
    """True when the first non-blank block parses as property lines."""
    head = text[:65536]
    if len(text) > len(head):
        head = head[: head.rfind("\n\n") + 1] or head
    for line, block in iter_blocks(head):
        props, err = parse_block(block, line)
        return props is not None and len(props) >= 2
    return False


_PREFIX = re.compile(r"[^\s:]+ +: ?")
# Properties some importer reads (IPsec offload objects and advanced properties); the fast path cuts
# out only these.
_WANTED = IPSEC_PROPERTY_NAMES | frozenset(IDENTITY_KEYS) | frozenset(advprop.READ_KEYS)


_NO_TEMPLATE: tuple = ((), (), ())
# (prefixes, picked line indices, their property names) of the last object layout seen; kept between texts
_LAST_TEMPLATE: list = [_NO_TEMPLATE]


def _parse_object(lines: list, findall):
    """``(props, template)`` of one object's property lines parsed by the expression, or None when a line
    is not ``Name : value``; ``template`` (see :func:`_fast_objects`) is None when the lines cannot make
    one: a line ``Name :`` without the blank after the colon would, as a prefix, also match ``Name : x``
    and cut that value with its blank."""
    n = len(lines)
    pairs = findall("\n".join(lines))
    if len(pairs) != n:
        return None
    props = dict(pairs)
    if len(props) != n:
        return None
    prefixes = [_PREFIX.match(ln) for ln in lines]
    if None in prefixes:  # a line break inside a line (lone CR or LF): the block path says where
        return None
    prefix = tuple(m.group() for m in prefixes)
    pick = tuple(i for i, (k, _) in enumerate(pairs) if k in _WANTED)
    if len(pick) < 2:
        pick = tuple(range(n))
    keys = tuple(pairs[i][0] for i in pick)
    if len(pick) < n:  # as the template cuts it: the same props whichever object made the template
        props = {k: props[k] for k in keys}
    if not all(p.endswith(" ") for p in prefix):
        return props, None
    return props, (prefix, pick, keys)


@lru_cache(maxsize=64)
def _matcher(prefix: tuple, pick: tuple, nl: str):
    """``match(text, pos)`` of one object of a template's layout: its lines, each starting with its
    prefix (the value runs to the line end), the values of the ``pick`` lines as the groups, in order."""
    chosen = set(pick)
    return re.compile(re.escape(nl).join(re.escape(p) + ("([^\r\n]*)" if i in chosen else "[^\r\n]*")
                                         for i, p in enumerate(prefix))).match


def _fast_objects(text: str, line_base: int):
    """All objects of a text made only of property lines and empty lines: ``[(first line, props)]``;
    ``None`` when a line is anything else (continuation, stray text, blanks) or an object repeats a
    property, so that the block-by-block path can say where.

    Works on ``\\n`` or ``\\r\\n`` text as it is. Objects of one capture share their layout — the same
    properties in the same order, padded to the same width — so the first object parsed by the regular
    expression becomes a template: a later object of that layout is read by one expression made from it
    (:func:`_matcher`: the prefixes as literals, the values as groups, all in C), and only an object that
    differs is parsed line by line again. The last template is kept for the next text: the files of one
    fleet share their layout too (a stale one costs one failed match)."""
    nl = "\r\n" if "\r\n" in text[:65536] else "\n"
    if nl == "\n" and "\r" in text:
        return None  # mixed line ends
    width, size, blank = len(nl), len(text), nl + nl
    prefix, pick, keys = _LAST_TEMPLATE[0]
    match = _matcher(prefix, pick, nl) if prefix else None
    out = []
    line = line_base + 1  # the line at pos; every line end consumed adds one
    pos = 0
    while True:
        start = pos
        while text.startswith(nl, pos):
            pos += width
        line += (pos - start) // width
        if pos >= size:
            break
        m = match(text, pos) if match is not None else None
        if m is not None:
            end = m.end()
            if end == size or text.startswith(blank, end) or (end + width == size and text.startswith(nl, end)):
                out.append((line, dict(zip(keys, m.groups()))))
                line += len(prefix) - 1
                pos = end
                continue
        end = text.find(blank, pos)
        end = size if end < 0 else end
        piece = text[pos:end]
        lines = piece.split(nl)
        line_ends = len(lines) - 1
        if nl == "\r\n" and not piece.count("\r") == piece.count("\n") == line_ends:
            return None  # a lone CR or LF: mixed line ends (a template's lines hold none: its values exclude them)
        if not lines[-1]:
            lines.pop()  # the text ends with one line end
        made = _parse_object(lines, _KV.findall)
        if made is None:
            return None
        props, template = made
        if template is not None:
            prefix, pick, keys = _LAST_TEMPLATE[0] = template
            match = _matcher(prefix, pick, nl)
        out.append((line, props))
        line += line_ends
        pos = end
    return out


def import_format_list(text: str, ctx: FileContext, line_base: int = 0) -> None:
    """Import every object of a Format-List text (``\\n`` or ``\\r\\n`` line ends): IPsec offload objects
    and advanced-property objects.

    Blocks that are advanced properties of other keywords (``*JumboPacket`` …) are not capture records and
    are passed over; a block that is neither kind is rejected, so stray text is reported.

    A file cut between two property lines leaves a last object that parses but lacks its later
    properties — it would load as a row of missing values and, cut before its first ``*Enabled`` line, lose
    its current view without a word. PowerShell writes blank lines after every object, so the last object
    of a text that does not end in a blank line is rejected as cut short when it lacks properties that every
    other object of its kind in the text carries. A single such object has nothing to be compared with and
    is loaded, with a remark when it lacks IPsec properties (or its last line has no line end)."""
    objects = _fast_objects(text, line_base)
    if objects is None:
        text = normalize_newlines(text)
        cut = _unterminated_last_block(text, line_base)
        objects = _objects_by_block(text, ctx, line_base, cut)
    else:
        cut = _unterminated_last_block(text, line_base)
    common: dict = {}  # kind -> properties every object of that kind carried (only for a cut text)
    cim_object = ctx.cim_object
    ipsec = IPSEC_PROPERTY_NAMES
    for line, props in objects:
        kind = "ipsec" if not ipsec.isdisjoint(props) else "advprop" if "RegistryKeyword" in props else ""
        if cut is not None:
            if line == cut[0]:
                if _reject_cut(ctx, line, cut, props, kind, common):
                    continue
            else:
                for k in (kind, None):  # None: objects of any kind, for a last object cut before its kind shows
                    have = common.get(k)
                    common[k] = [p for p in props if p in _WANTED] if have is None else \
                        [p for p in have if p in props]
        if kind == "ipsec":
            cim_object(props, line, True)
        elif kind:
            advprop.keyword_object(ctx, props, line)
        else:
            ctx.reject(line, f"object with properties {', '.join(_named(props))}, ... is neither an IPsec "
                             "offload object nor an advanced property")


def _named(props: dict) -> list[str]:
    """The first four properties a message names: of those an importer reads when there are two or more
    (all the fast path keeps), else of all, so that both paths name the same ones."""
    wanted = [k for k in props if k in _WANTED]
    return (wanted if len(wanted) >= 2 else list(props))[:4]


def _last_block(text: str) -> tuple[int, int]:
    """``(start, end)`` positions of the text's last run of non-blank lines: the start of its first line
    and the end of its last non-blank character (``(0, 0)`` for a blank text). Lines of blanks count as
    blank, as in :func:`iter_blocks`; nothing of a large text is copied."""
    end = _last_end(text)
    return _block_start(text, end), end


def _last_end(text: str) -> int:
    """The end of the text's last non-blank character (0 for a blank text)."""
    end = len(text)
    while end and text[end - 1] in " \t\r\n\f\v":
        end -= 1
    return end


def _block_start(text: str, end: int) -> int:
    """The start of the first line of the run of non-blank lines that ends at ``end``."""
    start = text.rfind("\n", 0, end) + 1  # walk back over non-blank lines
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        if not text[prev:start - 1].strip():
            break
        start = prev
    return start


def last_block_line(text: str) -> int:
    """1-based first line of the text's last run of non-blank lines (1 for a blank text)."""
    return text.count("\n", 0, _last_block(text)[0]) + 1


def _unterminated_last_block(text: str, line_base: int):
    """``(first line, last line, last line's property or None)`` of the text's last block when no blank
    line follows it (the text may be cut short), else None. The property is named when the last line has no
    line end at all (its value may be cut)."""
    end = _last_end(text)
    if not end or text.count("\n", end) >= 2:
        return None  # as most texts end: a blank line after the last block (its start is not looked for)
    start = _block_start(text, end)
    open_key = None
    if "\n" not in text[end:]:
        m = _KV1.match(text, text.rfind("\n", 0, end) + 1, end)
        open_key = m.group(1) if m else None
    return line_base + text.count("\n", 0, start) + 1, line_base + text.count("\n", 0, end) + 1, open_key


_NAMED = 6  # missing properties named in a message; the rest are counted


def _reject_cut(ctx: FileContext, line: int, cut, props: dict, kind: str, common: dict) -> bool:
    """Reject the unterminated last object when it lacks properties that the other objects of its kind
    carry, or when its last line, a property an importer reads, has no line end; True if rejected.

    Only properties an importer reads are compared: the fast path cuts out only those."""
    have = common.get(kind or None)
    if not have:
        _remark_single(ctx, line, cut, props, kind)  # nothing to compare with: a single object is loaded
        return False
    missing = [p for p in have if p not in props]
    _, end_line, open_key = cut
    where = f"the text ends at line {end_line} without the blank line Format-List writes after every object"
    why = []
    if missing:
        named = ", ".join(missing[:_NAMED]) + (f" and {len(missing) - _NAMED} more" if len(missing) > _NAMED
                                               else "")
        what = {"ipsec": "IPsec offload objects", "advprop": "advanced-property objects"}.get(kind, "objects")
        why.append(f"it lacks {named}, which the other {what} here carry")
    if open_key is not None and open_key in _WANTED and props.get(open_key):
        why.append(f"its last line, {open_key}, has no line end, so its value may be cut")
    if not why:
        return False
    why = " and ".join(why)
    ctx.reject(line, f"object cut short: {where}, and {why} (the file looks truncated; capture it again)")
    return True


def _remark_single(ctx: FileContext, line: int, cut, props: dict, kind: str) -> None:
    """A single unterminated IPsec offload object is loaded (a hand-trimmed file looks the same), with a
    remark when it may have been cut: it lacks some of the 26 IPsec properties, or its last line, a property
    that is read, has no line end."""
    if kind != "ipsec":
        return
    missing = [p for pair in zip(cim.HARDWARE, cim.CURRENT) for p in pair if p not in props]
    _, end_line, open_key = cut
    why = []
    if missing:
        named = ", ".join(missing[:_NAMED]) + (f" and {len(missing) - _NAMED} more" if len(missing) > _NAMED
                                               else "")
        why.append(f"it lacks {named} (loaded as not captured)")
    if open_key is not None and open_key in _WANTED and props.get(open_key):
        why.append(f"its last line, {open_key}, has no line end, so its value may be cut")
    if why:
        ctx.remark(line, f"the text ends at line {end_line} without the blank line Format-List writes after "
                         f"every object, and {' and '.join(why)}: if the file was cut short, capture it again")


def _objects_by_block(text: str, ctx: FileContext, line_base: int, cut=None):
    for line, block in iter_blocks(text, line_base):
        props, err = parse_block(block, line)
        if err is not None:
            if cut is not None and line == cut[0] and err[0] == cut[1]:
                # the last line of an unterminated text is a fragment: the file was cut inside that line
                ctx.reject(line, f"object cut short: the text ends at line {cut[1]} in the middle of a line "
                                 f"({err[1]}), without the blank line Format-List writes after every object "
                                 "(the file looks truncated; capture it again)")
                continue
            ctx.reject(err[0], err[1])
            continue
        yield line, props
