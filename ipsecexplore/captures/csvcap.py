"""``Export-Csv`` output (tests/spec/capture-formats.md §2.6): optional ``#TYPE`` first line, a header row of property
names in object order, then the rows. Columns are looked up by name (their order depends on
``Select-Object``). The same reader serves ``Get-NetAdapterAdvancedProperty | Export-Csv``.

"Every value is quoted" is [assumed] in the spec and not true of every writer: PowerShell 7's
``Export-Csv -UseQuotes AsNeeded|Never`` and Excel's Save As CSV leave the header (and most values)
unquoted. A quoted header is recognised as CSV by its shape; an unquoted one by its names — it must name
an IPsec offload property or ``RegistryKeyword`` and consist of property names only, so that prose or a
Format-List line with commas in its value is not taken for a header.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from . import advprop
from .base import FileContext
from .cim import IPSEC_PROPERTY_NAMES, canonical_name

__all__ = ["import_csv", "csv_header"]


def csv_header(text: str):
    """``(header names, line number of the header, had #TYPE, delimiter)`` or ``None`` when this is not a
    CSV. The delimiter is ``,`` (Export-Csv) or, with ``-UseCulture`` in some locales, ``;`` (or a tab).

    A quoted header is taken on its shape; an unquoted one only when every name is a property name and
    one of them is a property the importers read (see the module docstring)."""
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
    first = lines[idx].lstrip("\ufeff")
    if first.lstrip().startswith('"'):
        delim = next((d for d in (",", ";", "\t") if f'"{d}"' in first), None)
        if delim is None:
            return None
        try:
            names = next(csv.reader([first], delimiter=delim))
        except (csv.Error, StopIteration):
            return None
        return [n.strip() for n in names], idx + 1, had_type, delim
    for delim in (",", ";", "\t"):
        names = [n.strip() for n in first.rstrip("\r").split(delim)]
        if len(names) >= 2 and all(map(_PROPERTY_NAME.fullmatch, names)) and \
                not _CAPTURE_COLUMNS.isdisjoint(canonical_name(n) for n in names):
            return names, idx + 1, had_type, delim
    return None


# A PowerShell property name as Export-Csv writes it unquoted: no blanks, quotes, separators or colons.
_PROPERTY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_CAPTURE_COLUMNS = IPSEC_PROPERTY_NAMES | {"RegistryKeyword"}


def import_csv(text: str, ctx: FileContext) -> None:
    """Import every row of an ``Export-Csv`` file of IPsec offload objects or advanced properties."""
    head = csv_header(text)
    if head is None:
        ctx.reject(1, "not an Export-Csv file: no header row of property names")
        return
    names, header_line, _, delim = head
    keyed = [canonical_name(n) for n in names]
    if len(set(keyed)) != len(keyed):
        dup = sorted(k for k, c in Counter(keyed).items() if c > 1)  # one pass: no count() per column
        more = f" and {len(dup) - 10} more" if len(dup) > 10 else ""
        ctx.reject(header_line, f"header names column(s) {', '.join(dup[:10])}{more} more than once; the rows "
                                "were not read")
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


def _looks_like_csv(text: str) -> bool:
    return csv_header(text) is not None


def __getattr__(name: str):
    if name == "looks_like_csv":  # deprecated for one release: csv_header(text) is not None says the same
        import warnings

        warnings.warn("csvcap.looks_like_csv is deprecated; use csv_header(text) is not None",
                      DeprecationWarning, stacklevel=2)
        return _looks_like_csv
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
