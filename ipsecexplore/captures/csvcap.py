"""``Export-Csv`` output (capture-formats.md §2.6): optional ``#TYPE`` first line, a header row of property
names in object order, every value quoted. Columns are looked up by name (their order depends on
``Select-Object``). The same reader serves ``Get-NetAdapterAdvancedProperty | Export-Csv``.
"""

from __future__ import annotations

import csv
import io

from . import advprop
from .base import FileContext
from .cim import IPSEC_PROPERTY_NAMES, canonical_name

__all__ = ["import_csv", "csv_header", "looks_like_csv"]


def csv_header(text: str):
    """``(header names, line number of the header, had #TYPE, delimiter)`` or ``None`` when this is not a
    CSV. The delimiter is ``,`` (Export-Csv) or, with ``-UseCulture`` in some locales, ``;`` (or a tab)."""
    lines = text.split("\n", 3)
    idx = 0
    had_type = False
    while idx < len(lines) and not lines[idx].strip():
        idx += 1
    if idx < len(lines) and lines[idx].lstrip().startswith("#TYPE"):
        had_type = True
        idx += 1
    if idx >= len(lines):
        return None
    first = lines[idx]
    if not first.lstrip().startswith('"'):
        return None
    delim = next((d for d in (",", ";", "\t") if f'"{d}"' in first), None)
    if delim is None:
        return None
    try:
        names = next(csv.reader([first], delimiter=delim))
    except (csv.Error, StopIteration):
        return None
    return [n.strip() for n in names], idx + 1, had_type, delim


def looks_like_csv(text: str) -> bool:
    """True for a quoted CSV header, with or without the ``#TYPE`` line."""
    return csv_header(text) is not None


def import_csv(text: str, ctx: FileContext) -> None:
    """Import every row of an ``Export-Csv`` file of IPsec offload objects or advanced properties."""
    head = csv_header(text)
    if head is None:
        ctx.reject(1, "not an Export-Csv file: no quoted header row")
        return
    names, header_line, _, delim = head
    keyed = [canonical_name(n) for n in names]
    if len(set(keyed)) != len(keyed):
        dup = sorted({k for k in keyed if keyed.count(k) > 1})
        ctx.reject(header_line, f"header names column(s) {', '.join(dup)} more than once; the rows were not read")
        return
    is_ipsec = not IPSEC_PROPERTY_NAMES.isdisjoint(keyed)
    is_adv = "RegistryKeyword" in keyed
    parts = text.split("\n", header_line)
    body = parts[header_line] if len(parts) > header_line else ""
    reader = csv.reader(io.StringIO(body), delimiter=delim)
    prev = 0
    width = len(keyed)
    try:
        for row in reader:
            start = header_line + prev + 1
            prev = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                ctx.reject(start, f"row has {len(row)} fields, the header has {width}")
                continue
            props = dict(zip(keyed, row))
            if is_ipsec:
                ctx.cim_object(props, start, True)
            elif is_adv:
                advprop.keyword_object(ctx, props, start)
            else:
                ctx.reject(start, "CSV row is neither an IPsec offload object nor an advanced property "
                                  f"(header: {', '.join(names[:4])}, ...)")
    except csv.Error as exc:
        ctx.reject(header_line + prev + 1, f"CSV syntax error: {exc}; the rest of the file was not read")
