"""Annotated hex dumps: every byte knows the member it belongs to (padding shown as padding).

Text for terminals, HTML for notebooks and widgets. In the HTML each byte is a ``<span>`` carrying
``data-offset`` (its offset in the structure) and ``data-member`` (dotted path), inside an element with
CSS class ``ipsecexplore-hexdump``; every string is escaped.
"""

from __future__ import annotations

from functools import cache

from .extent import PAST_MACRO, Extent
from .formatting import value_text
from .htmltable import html_table
from .layouts import Layout, Member
from .text import html_text

__all__ = ["hexdump", "hexdump_html", "member_rows", "member_table_html", "HEXDUMP_CSS", "top_group"]

# One colour per top-level member group, so IPsecV2 reads as one block wherever it appears.
_PALETTE = ["#e8f1fb", "#fdf0e1", "#e9f7ec", "#f7e8f3", "#fff7d6", "#e8ecfb", "#e6f6f6", "#f3ece4",
            "#f0f0f0", "#fbe9e9", "#eef7dd", "#ece6f7", "#fdf3e7", "#e3f2fd"]

HEXDUMP_CSS = """
.ipsecexplore-hexdump{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;line-height:1.6}
.ipsecexplore-hexdump .row{white-space:nowrap}
.ipsecexplore-hexdump .addr{color:#888;margin-right:.8em}
.ipsecexplore-hexdump .b{display:inline-block;width:1.9em;text-align:center;border-radius:2px;margin:0 1px}
.ipsecexplore-hexdump .pad{color:#bbb;background:repeating-linear-gradient(45deg,#fafafa,#fafafa 3px,#eee 3px,#eee 5px)}
.ipsecexplore-hexdump .nz{font-weight:700}
.ipsecexplore-hexdump .hl{outline:2px solid #d9480f;background:#ffd8a8 !important}
.ipsecexplore-hexdump .hover{outline:2px solid #1971c2}
.ipsecexplore-hexdump .beyond{opacity:.35}
"""


def top_group(path: str) -> str:
    """The top-level member group of a dotted path, array index dropped: ``IPsecV2.Esp`` -> ``IPsecV2``,
    ``Header.Size`` -> ``Header``. Dumps give each group one colour."""
    return path.split(".")[0].split("[")[0]


@cache  # layouts are cached singletons, so this runs once per structure
def _colours(lay: Layout) -> dict:
    """Top-level group -> background colour, in declaration order."""
    groups = []
    for m in lay.members:
        g = top_group(m.path)
        if g not in groups:
            groups.append(g)
    return {g: _PALETTE[i % len(_PALETTE)] for i, g in enumerate(groups)}


@cache
def _word_members(lay: Layout) -> dict:
    """Offset of a bit-field word -> the bit-fields that share it."""
    words: dict[int, list] = {}
    for m in lay.leaves:
        if m.codec.packed:
            words.setdefault(m.offset, []).append(m)
    return words


def _sharing(m: Member, words: dict) -> list:
    """The members that share ``m``'s bytes: every bit-field of its word, or ``m`` alone."""
    return words.get(m.offset, [m]) if m.codec.packed else [m]


@cache
def _byte_names(lay: Layout) -> dict:
    """Leaf path -> (label of its bytes, paths of the members sharing them), once per layout."""
    words = _word_members(lay)
    out = {}
    for m in lay.leaves:
        paths = [x.path for x in _sharing(m, words)]
        out[m.path] = (" | ".join(paths), paths)
    return out


def _owners(data: bytes, lay: Layout) -> tuple[list, int | None]:
    """Member of each byte, and where the revision's members end when ``data`` is longer (a Header.Size
    larger than NDIS_SIZEOF, accepted by readers, R8): bytes from there on belong to no member."""
    owner = lay.byte_owner()
    cut = None
    if lay.revisions and len(data) >= 4:
        extent = Extent.of(lay, data[1], len(data))
        if extent.larger:
            cut = extent.macro
            owner = owner[:cut]
    return owner, cut


def _no_member(i: int, lay: Layout, cut: int | None) -> str:
    if cut is not None and i >= cut:
        return PAST_MACRO
    return "(padding)" if i < lay.sizeof else "(past the structure)"


def hexdump(data: bytes, lay: Layout, width: int = 16) -> str:
    """Text dump: hex rows, then one line per member run with offset, size, path and value."""
    owner, cut = _owners(data, lay)
    lines = []
    for row in range(0, len(data), width):
        chunk = data[row:row + width]
        lines.append(f"{row:04x}  " + " ".join(f"{b:02x}" for b in chunk))
    lines.append("")
    words = _word_members(lay)
    i = 0
    while i < len(data):
        m = owner[i] if i < len(owner) else None
        j = i + 1
        while j < len(data) and (owner[j] if j < len(owner) else None) is m \
                and _no_member(j, lay, cut) == _no_member(i, lay, cut):
            j += 1
        raw = data[i:j]
        if m is None:
            label = _no_member(i, lay, cut)
            lines.append(f"0x{i:04X} +{j - i:<3d} {label:<60s} {raw.hex(' ')}")
        elif m.codec.packed:
            word = int.from_bytes(data[m.offset:m.offset + 4].ljust(4, b"\0"), "little")
            for f in words[m.offset]:
                v = (word >> f.bit_offset) & ((1 << f.bit_width) - 1)
                bits = f"bits {f.bit_offset}..{f.bit_offset + f.bit_width - 1}"
                lines.append(f"0x{f.offset:04X} {bits:<12s} {f.path:<52s} {v}")
        else:
            v = m.codec.raw_value(m, raw)
            lines.append(f"0x{i:04X} +{j - i:<3d} {m.path:<60s} {_fmt(v)}")
        i = j
    return "\n".join(lines)


def _fmt(v):
    """A value for the text dump: hex and decimal above 9."""
    return value_text(v)


def hexdump_html(data: bytes, lay: Layout, *, highlight: str | set | None = None, width: int = 16,
                 element_id: str | None = None, title: str | None = None) -> str:
    """HTML dump. ``highlight``: member path(s) whose bytes get the ``hl`` class (the one just changed)."""
    owner, cut = _owners(data, lay)
    colours = _colours(lay)
    names = _byte_names(lay)
    hl = {highlight} if isinstance(highlight, str) else set(highlight or ())
    rows = []
    for row in range(0, len(data), width):
        cells = []
        for off in range(row, min(row + width, len(data))):
            b = data[off]
            m = owner[off] if off < len(owner) else None
            label, paths = names[m.path] if m is not None else (_no_member(off, lay, cut), ())
            cls = ["b"]
            style = ""
            if m is None:
                cls.append("pad")
            else:
                style = f' style="background:{colours[top_group(m.path)]}"'
                if hl and any(p in hl or any(p.startswith(h + ".") for h in hl) for p in paths):
                    cls.append("hl")
            if b:
                cls.append("nz")
            title_txt = f"0x{off:X} ({off}) {label}"
            cells.append(f'<span class="{" ".join(cls)}" data-offset="{off}" data-member="{html_text(label)}"'
                         f'{style} title="{html_text(title_txt)}">{b:02x}</span>')
        rows.append(f'<div class="row"><span class="addr">{row:04x}</span>{"".join(cells)}</div>')
    ident = f' id="{html_text(element_id)}"' if element_id else ""
    head = f"<div><b>{html_text(title)}</b></div>" if title else ""
    return (f"<style>{HEXDUMP_CSS}</style><div class=\"ipsecexplore-hexdump\"{ident} "
            f"data-structure=\"{html_text(lay.name)}\" data-size=\"{len(data)}\">{head}{''.join(rows)}</div>")


def member_rows(obj, prefix: str = "") -> list[dict]:
    """One row per member the object reports (under ``prefix``, e.g. ``"IPsecV2."``): path, C type, offset,
    bits, value (raw byte for a BOOLEAN that is neither 0 nor 1), meaning of the value."""
    from .describe import describe_value

    lay = obj.layout
    out = []
    values = obj.to_dict()
    odd = obj.odd_booleans
    for m in obj.members_present():
        if not m.path.startswith(prefix):
            continue
        v = values[m.path]
        if m.path in odd:
            v = f"TRUE (raw 0x{odd[m.path]:02X})"
        meaning = describe_value(m, v, lay.name)
        if m.path == "Header.Size" and lay.revisions and obj.revision is not None:
            # accepted by the decoder (R8); not one of the size constants
            meaning = Extent.of(lay, obj.revision, v).size_meaning() or meaning
        out.append({
            "member": m.path, "ctype": m.codec.ctype_text(m), "offset": m.offset, "bits": m.codec.bits_text(m),
            "value": v, "meaning": meaning, "revision": m.added_in_revision,
        })
    return out


def member_table_html(obj, only_nonzero: bool = False, prefix: str = "") -> str:
    """The dotted-path member table as HTML (every cell escaped)."""
    rows = member_rows(obj, prefix)
    body = ([f"0x{r['offset']:X}", r["member"], r["ctype"], r["bits"], value_text(r["value"]), r["meaning"]]
            for r in rows if not (only_nonzero and not r["value"] and not r["member"].startswith("Header.")))
    return html_table(body, ["offset", "member", "C type", "bits", "value", "meaning"], css="ipsecexplore-members")
