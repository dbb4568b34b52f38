"""``Get-NetAdapterAdvancedProperty`` rows for the ``*IPsecOffload*`` INF keywords (tests/spec/capture-formats.md §3).

The keyword comes from ``RegistryKeyword`` and the value from the first element of ``RegistryValue``,
both language-independent (§3.2). Rows for other keywords are not capture records and are passed over.
When ``Export-Csv`` has flattened ``RegistryValue`` to its type name (``System.String[]``, §2.6), the value
is taken from ``DisplayValue`` if it is one of the documented English labels (tests/spec/constants.md §13), matched
loosely — case, ``&``/``and`` and spacing differ by driver (Hyper-V writes ``Auth Header and ESP Enabled``,
tests/spec/capture-formats.md §3.2) — and the record says ``value_from = "DisplayValue"`` and ``label`` (the text read);
a localized label is rejected with that reason.

A cell or header cut by the console width (``{3`` without its closing brace, a ``RegistryValue`` header cut
to ``Re``, a header wrapped onto the next lines; §3.2) is a rejected record that names the cut.

Also here: the ``Format-Table`` parser (default table view, §3.2, and Get-NetView's ``-AutoSize`` and
``-Property *`` tables), which locates columns by the dash line under the header.
"""

from __future__ import annotations

import re
from functools import cache

from .base import FileContext
from .cim import brief_repr

__all__ = ["is_ipsec_keyword", "keyword_object", "parse_table", "looks_like_table", "import_table",
           "keyword_labels", "label_key", "label_value"]

_TRUNC = ("...", "\u2026")
#: Properties of an advanced-property object that :func:`keyword_object` reads.
READ_KEYS = ("RegistryKeyword", "RegistryValue", "DisplayValue", "Name", "ifAlias", "InterfaceDescription",
             "SystemName", "PSComputerName")


def is_ipsec_keyword(kw) -> bool:
    """``*IPsecOffload*`` in PowerShell's ``-like`` sense (case-insensitive)."""
    return isinstance(kw, str) and "ipsecoffload" in kw.casefold()


@cache
def keyword_labels() -> dict[str, int]:
    """English ``DisplayValue`` label → keyword value, from the INF keyword table (tests/spec/constants.md §13)."""
    from .. import constants

    table = getattr(constants, "INF_KEYWORDS", None)
    out: dict[str, int] = {}
    if table:
        items = table.values() if isinstance(table, dict) else table
        for kw in items:
            vals = kw.get("values") if isinstance(kw, dict) else getattr(kw, "values", None)
            if callable(vals):
                vals = None
            if isinstance(vals, dict):
                for v, meaning in vals.items():
                    out[str(meaning).casefold()] = int(v)
            elif vals:
                for v in vals:
                    if isinstance(v, dict):
                        out[str(v["meaning"]).casefold()] = int(v["value"])
    return out


def label_key(label: str) -> str:
    """A ``DisplayValue`` label reduced for a loose match: case folded, ``&`` read as ``and``, blanks
    collapsed (``Auth Header and ESP Enabled`` == ``auth header & esp  enabled``)."""
    return " ".join(label.casefold().replace("&", " and ").split())


def label_value(label) -> int | None:
    """The keyword value a documented ``DisplayValue`` label stands for (loose match), else None."""
    if not isinstance(label, str) or not label.strip():
        return None
    return _loose_labels().get(label_key(label))


@cache
def _documented_labels() -> frozenset:
    """The labels as constants.md §13 spells them (``keyword_labels`` keys are case-folded)."""
    from .. import constants

    return frozenset(str(m) for kw in getattr(constants, "INF_KEYWORDS", {}).values()
                     for m in (getattr(kw, "values", None) or {}).values())


@cache
def _loose_labels() -> dict[str, int]:
    return {label_key(k): v for k, v in keyword_labels().items()}


def _first_value(raw):
    """The first element of ``RegistryValue``: ``{3}``, ``3``, ``["3"]``, ``3``."""
    if isinstance(raw, list):
        return raw[0] if raw else None
    if isinstance(raw, str):
        s = raw.strip()
        if s.startswith("{") and s.endswith("}"):
            s = s[1:-1].strip()
            if "," in s:
                s = s.split(",", 1)[0].strip()
        return s
    return raw


def keyword_object(ctx: FileContext, props: dict, line: int | None) -> None:
    """Handle one advanced-property object (any syntax): load it, reject it, or pass over it."""
    named = _keyword_and_name(ctx, props, line)
    if named is None:
        return
    kw, name = named
    got = _registry_value(props, f"advanced property {kw} of {name!r}: RegistryValue")
    if isinstance(got, str):
        ctx.reject(line, got)
        return
    value, value_from = got
    label = props["DisplayValue"].strip() if value_from == "DisplayValue" else None
    ctx.keyword(props, kw, value, line, value_from, label)
    if label is not None and label not in _documented_labels():
        ctx.remark(line, f"{kw} = {value} of {name!r} read from its DisplayValue label {label!r}, which "
                         "matches a documented label only loosely (case, '&'/'and', spacing; capture-formats.md "
                         "§3.2): RegistryValue was not captured")


def _keyword_and_name(ctx: FileContext, props: dict, line: int | None) -> tuple[str, str] | None:
    """``(keyword, adapter name)`` of an IPsec advanced property; None (rejected, or not an IPsec keyword)."""
    kw = props.get("RegistryKeyword")
    if isinstance(kw, str):
        kw = kw.strip()
        if kw.endswith(_TRUNC):
            stem = kw.rstrip(".\u2026").casefold()
            if "*ipsecoffload".startswith(stem) or "ipsecoffload" in stem:
                ctx.reject(line, f"RegistryKeyword {kw!r} is truncated in this table (it may be an "
                                 "*IPsecOffload* keyword); capture with Format-List, ConvertTo-Json or a wider table")
            return None
    if not is_ipsec_keyword(kw):
        return None
    name = props.get("Name") or props.get("ifAlias")
    if not isinstance(name, str) or not name.strip():
        ctx.reject(line, f"advanced property {kw}: no adapter Name")
        return None
    if name.strip().endswith(_TRUNC):
        ctx.reject(line, f"advanced property {kw}: adapter name {name.strip()!r} is truncated in this table")
        return None
    return kw, name.strip()


def _registry_value(props: dict, what: str) -> tuple[int, str] | str:
    """``(value, "RegistryValue" or "DisplayValue")`` of an advanced property, or the reason it is refused
    (``what`` names the property in that reason)."""
    raw = props.get("RegistryValue")
    first = _first_value(raw)
    if isinstance(first, bool):
        first = None
    value, value_from = (first if isinstance(first, int) else None), "RegistryValue"
    if isinstance(first, str) and first:
        if first.endswith(_TRUNC):
            return f"{what} {brief_repr(raw)} is truncated"
        if isinstance(raw, str) and raw.strip().startswith("{") and not raw.strip().endswith("}"):
            return (f"{what} {raw.strip()!r} is cut (no closing brace): the console width cut the table's last "
                    "column (capture-formats.md §3.2); capture with Format-List or ConvertTo-Json")
        if re.fullmatch(r"-?[0-9]{1,20}", first):  # ASCII digits only: int() refuses '1²'; 20 bound the work
            value = int(first)
        elif re.fullmatch(r"System\.[A-Za-z0-9.]+\[\]", first):
            disp = props.get("DisplayValue")
            value, value_from = label_value(disp), "DisplayValue"
            if value is None:
                return (f"{what} was written as {first!r} (Export-Csv flattens arrays) and DisplayValue "
                        f"{brief_repr(disp)} is not one of the documented labels; capture with ConvertTo-Json "
                        "instead")
        else:
            return f"{what} {brief_repr(raw)} is not a number"
    elif first is not None and not isinstance(first, (str, int)):  # a float, an object, a nested list
        return f"{what} {brief_repr(raw)} is not an integer"
    if value is None:
        return f"{what} is missing or empty"
    if not 0 <= value <= 0xFFFFFFFF:
        return f"{what} {value} is out of range"
    return value, value_from


# ---------------------------------------------------------------------------------------- Format-Table
_DASHES = re.compile(r"-+")


def _is_dash_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and set(s) <= {"-", " "}


def _dash_after(lines: list[str], i: int) -> int | None:
    """Index of the dash line under a header starting at ``lines[i]``: the next line, or up to
    :data:`_WRAP_MAX` lines further when the console width wrapped the header (non-blank lines between)."""
    for j in range(i + 1, min(len(lines), i + 2 + _WRAP_MAX)):
        if _is_dash_line(lines[j]):
            return j
        if not lines[j].strip():
            return None
    return None


_WRAP_MAX = 3


def looks_like_table(text: str) -> bool:
    """True when the first non-blank line is a header followed by a dash line (possibly after the lines
    of a header the console wrapped)."""
    lines = text.split("\n", 50)[:50]
    for i, ln in enumerate(lines[:-1]):
        if ln.strip():
            return not _is_dash_line(ln) and _dash_after(lines, i) is not None
    return False


def parse_table(lines: list[str], start: int, line_base: int):
    """Parse one table whose header is ``lines[start]``; returns ``(rows, next index)``.

    Each row is ``(line number, {column: cell})``. Columns span from the start of their dash run to the
    start of the next one (PowerShell right-aligns numbers inside the same span)."""
    dash = _dash_after(lines, start) or start + 1
    header, dashes = lines[start], lines[dash]
    starts = [m.start() for m in _DASHES.finditer(dashes)]
    bounds = [(s, starts[i + 1] if i + 1 < len(starts) else None) for i, s in enumerate(starts)]
    names = [header[a:b].strip() if b else header[a:].strip() for a, b in bounds]
    rows = []
    i = dash + 1
    while i < len(lines) and lines[i].strip():
        ln = lines[i]
        cells = {}
        for name, (a, b) in zip(names, bounds):
            cells[name] = (ln[a:b] if b else ln[a:]).strip()
        rows.append((line_base + i + 1, cells))
        i += 1
    return rows, i


def import_table(text: str, ctx: FileContext, line_base: int = 0) -> None:
    """Import every ``Format-Table`` table in ``text`` (advanced properties only)."""
    lines = text.split("\n")
    i = 0
    n = len(lines)
    while i < n:
        dash = _dash_after(lines, i) if lines[i].strip() and not _is_dash_line(lines[i]) else None
        if dash is not None:
            start = i
            rows, i = parse_table(lines, start, line_base)
            cut = _header_cut(lines, start, dash, rows, line_base)
            for line, cells in rows:
                if cut is not None:
                    if any("ipsecoffload" in c.casefold() for c in cells.values()):
                        ctx.reject(line, f"advanced-property row cut by the console width: {cut} "
                                         "(capture-formats.md §3.2); capture with Format-List or ConvertTo-Json")
                    continue
                if "RegistryKeyword" not in cells:
                    ctx.reject(line, "table has no RegistryKeyword column; capture with "
                                     "Get-NetAdapterAdvancedProperty (default view) or Format-List")
                    continue
                keyword_object(ctx, cells, line)
        elif lines[i].strip():
            ctx.reject(line_base + i + 1, f"text outside a table: {lines[i].strip()[:60]!r}")
            i += 1
            while i < n and lines[i].strip() and _dash_after(lines, i) is None:
                i += 1
        else:
            i += 1


_COLUMNS = ("Name", "DisplayName", "DisplayValue", "RegistryKeyword", "RegistryValue")


def _header_cut(lines: list[str], start: int, dash: int, rows, line_base: int) -> str | None:
    """How the console width damaged a table header, or None: wrapped onto the following lines, or its
    last column name cut to a prefix of a default-view column the table lacks (``Re`` for RegistryValue)."""
    if dash > start + 1:
        return (f"its header is wrapped onto lines {line_base + start + 1}-{line_base + dash} (the columns "
                "cannot be trusted)")
    names = [c for c in (rows[0][1] if rows else {})]
    if not names:
        return None
    last = names[-1]
    for full in _COLUMNS:
        if full != last and full.startswith(last) and full not in names and len(last) < len(full):
            return f"the {full} column header is cut to {last!r} (its cells may be cut too)"
    if "RegistryKeyword" in names and "RegistryValue" not in names and "DisplayValue" in names:
        return (f"the table has no RegistryValue column after {last!r} (the console width cut it off, and "
                f"the last column's cells may be cut too)")
    return None
