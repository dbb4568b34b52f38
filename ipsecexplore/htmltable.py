"""One HTML table builder: every ``<table>`` the package shows (hex dump, findings, effective configuration,
flow events, diff, report, fleet) is made here, and every cell is escaped here, once.

A cell is a plain value (escaped with :func:`~ipsecexplore.text.html_text`, so control characters and
bidirectional overrides stay visible; ``None``/``<NA>``/NaN show as an empty cell), a :class:`Cell` (a value
with a CSS class, a style, ``<code>`` or a column span), or :class:`Markup` — HTML that the caller built from
parts it escaped itself (a link, a list of flag names); :func:`join` makes such markup from values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .text import html_text

__all__ = ["Markup", "Cell", "html_table", "cell_text", "join"]


class Markup(str):
    """HTML made from escaped parts: :func:`html_table` puts it into the cell as it is."""


@dataclass(frozen=True)
class Cell:
    """A cell with more than a value: ``css`` (class), ``style``, ``code`` (the text in ``<code>``),
    ``span`` (colspan) and ``header`` (a ``<th>`` cell, e.g. the label of a two-column table)."""

    value: Any
    css: str = ""
    style: str = ""
    code: bool = False
    span: int = 1
    header: bool = False


def _is_unknown(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or type(v).__name__ in ("NAType", "NaTType")


def cell_text(v) -> str:
    """The HTML of one cell value: :class:`Markup` as it is; unknown (None, ``<NA>``, NaN) as ''; anything
    else ``str(v)`` escaped (control characters visible).

    >>> cell_text("<b>\\x1b")
    '&lt;b&gt;\\\\x1b'
    """
    if isinstance(v, Markup):
        return v
    return "" if _is_unknown(v) else html_text(str(v))


def join(values: Iterable, sep: str = "<br>", *, code: bool = False) -> Markup:
    """Values escaped and joined by the HTML ``sep`` (each in ``<code>`` if ``code``), as :class:`Markup`."""
    wrap = "<code>{}</code>" if code else "{}"
    return Markup(sep.join(wrap.format(cell_text(v)) for v in values))


def _cell(v, tag: str) -> str:
    if not isinstance(v, Cell):
        return f"<{tag}>{cell_text(v)}</{tag}>"
    tag = "th" if v.header else tag
    attrs = "".join(f' {k}="{html_text(x)}"' for k, x in (("class", v.css), ("style", v.style)) if x)
    if v.span != 1:
        attrs += f' colspan="{int(v.span)}"'
    text = cell_text(v.value)
    return f"<{tag}{attrs}>{f'<code>{text}</code>' if v.code and text else text}</{tag}>"


def html_table(rows: Iterable[Iterable], head: Iterable | None = None, *, css: str = "",
               empty: str | None = None) -> str:
    """A ``<table>``: ``head`` (cells of the one header row, in ``<thead>``; None: no header) and ``rows``
    (each an iterable of cells, see the module docstring). ``css``: the table's class. ``empty``: the text
    of a row spanning all columns when there are no rows (None: no such row).

    >>> html_table([[1, Cell("a<b", code=True)]], ["n", "text"])
    '<table><thead><tr><th>n</th><th>text</th></tr></thead><tbody><tr><td>1</td><td><code>a&lt;b</code></td></tr></tbody></table>'
    """
    head = None if head is None else list(head)
    body = "".join("<tr>" + "".join(_cell(c, "td") for c in row) + "</tr>" for row in rows)
    if not body and empty is not None:
        body = _cell(Cell(Markup(f"<i>{cell_text(empty)}</i>"), span=len(head or ()) or 1), "td")
        body = f"<tr>{body}</tr>"
    thead = "" if head is None else "<thead><tr>" + "".join(_cell(c, "th") for c in head) + "</tr></thead>"
    cls = f' class="{html_text(css)}"' if css else ""
    return f"<table{cls}>{thead}<tbody>{body}</tbody></table>"
